//! The 一户一策 review loop on the household page: the helper sees where their submitted plan stands (待审核,
//! 已通过, 已退回 with the comments); the village's first secretary approves it or returns it with comments.

use crate::api::{self, ApiError};
use crate::clock;
use crate::i18n::*;
use crate::session::AppContext;
use crate::sync::service::use_sync;
use leptos::prelude::*;
use zoufang_domain::protocol::{PlanReview, ReviewDecision, ReviewRequest, ReviewStatus, Role};

#[component]
pub fn ReviewPanel(review: PlanReview) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let is_reviewer = context
        .current()
        .is_some_and(|session| session.user.role == Role::FirstSecretary);
    let when = review
        .reviewed_at
        .as_deref()
        .and_then(clock::parse_rfc3339)
        .map(clock::date_time)
        .unwrap_or_default();
    let reviewer = review.reviewer_name.clone().unwrap_or_default();
    let (text, class) = match review.status {
        ReviewStatus::Pending => (
            t_string!(i18n, review.pending).to_string(),
            "banner banner-info",
        ),
        ReviewStatus::Approved => (
            t_string!(i18n, review.approved, reviewer = reviewer, time = when).to_string(),
            "banner banner-ok",
        ),
        ReviewStatus::Returned => (
            t_string!(
                i18n,
                review.returned,
                reviewer = reviewer,
                time = when,
                comments = review.comments.clone()
            )
            .to_string(),
            "banner banner-warn",
        ),
    };
    let actions = (is_reviewer && review.status == ReviewStatus::Pending)
        .then(|| view! { <ReviewActions submission_id=review.submission_id /> });
    view! {
        <div class="review-panel" data-testid="plan-review" data-status=format!("{:?}", review.status)>
            <p class=class>{text}</p>
            {actions}
        </div>
    }
}

/// 通过 / 退回 for the first secretary (online only: the decision goes straight to the server).
#[component]
fn ReviewActions(submission_id: uuid::Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let sync = use_sync();
    let comments = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Result<(), String>>);
    let decide = move |decision: ReviewDecision| {
        if decision == ReviewDecision::Return && comments.with_untracked(|c| c.trim().is_empty()) {
            outcome.set(Some(Err(
                t_string!(i18n, review.comments_required).to_string()
            )));
            return;
        }
        let Some(session) = context.current() else {
            return;
        };
        let request = ReviewRequest {
            submission_id,
            decision,
            comments: comments.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api::review(&session.token, &request).await {
                Ok(()) => {
                    outcome.set(Some(Ok(())));
                    sync.kick(context, true);
                }
                Err(ApiError::Unauthorized(_)) => context.needs_reauth.set(true),
                Err(ApiError::Offline | ApiError::Unreachable | ApiError::Timeout) => {
                    outcome.set(Some(Err(t_string!(i18n, review.needs_network).to_string())))
                }
                Err(ApiError::Rejected { body, .. }) => outcome.set(Some(Err(body.message))),
                Err(other) => outcome.set(Some(Err(other.to_string()))),
            }
        });
    };
    view! {
        <label class="field">
            <span class="field-label">{t!(i18n, review.comments)}</span>
            <textarea
                class="input"
                data-testid="review-comments"
                prop:value=move || comments.get()
                on:input=move |event| comments.set(event_target_value(&event))
            />
        </label>
        {move || outcome.get().map(|result| match result {
            Ok(()) => view! { <p class="banner banner-ok" data-testid="review-done">{t!(i18n, review.done)}</p> }.into_any(),
            Err(message) => view! { <p class="form-error" data-testid="review-error">{message}</p> }.into_any(),
        })}
        <div class="conflict-actions">
            <button class="button button-primary" data-testid="review-approve" on:click=move |_| decide(ReviewDecision::Approve)>
                {t!(i18n, review.approve)}
            </button>
            <button class="button" data-testid="review-return" on:click=move |_| decide(ReviewDecision::Return)>
                {t!(i18n, review.return_action)}
            </button>
        </div>
    }
}
