//! The 一户一策 review loop on the household page: the helper sees where their submitted plan stands (待审核,
//! 已通过 or 已退回, with the first secretary's comments either way); the village's first secretary approves it or
//! returns it with comments. A decision is queued in the outbox (`storage::review_queue`) and sent by the sync
//! driver, so reviewing works with no signal. The first secretary's review screen (`screen.rs`,
//! `/households/:id/review`) shows the submission as sent, what changed since the approved version (`diff.rs`), the
//! checks with the reasons given, and the photos (`photos.rs`, shared with the household's timeline).

pub mod diff;
pub mod photos;
pub mod screen;

use crate::clock;
use crate::i18n::*;
use crate::ids::new_uuid;
use crate::session::AppContext;
use crate::storage::records::{OutboxProblem, OutboxStatus};
use crate::storage::review_queue::{self, QueuedReview};
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
    let comments = review.comments.clone();
    let (text, class) = match review.status {
        ReviewStatus::Pending => (
            t_string!(i18n, review.pending).to_string(),
            "banner banner-info",
        ),
        ReviewStatus::Approved if comments.is_empty() => (
            t_string!(i18n, review.approved, reviewer = reviewer, time = when).to_string(),
            "banner banner-ok",
        ),
        ReviewStatus::Approved => (
            t_string!(
                i18n,
                review.approved_with_comments,
                reviewer = reviewer,
                time = when,
                comments = comments
            )
            .to_string(),
            "banner banner-ok",
        ),
        ReviewStatus::Returned => (
            t_string!(
                i18n,
                review.returned,
                reviewer = reviewer,
                time = when,
                comments = comments
            )
            .to_string(),
            "banner banner-warn",
        ),
    };
    let actions = (is_reviewer && review.status == ReviewStatus::Pending).then(|| {
        let screen = format!("/households/{}/review", review.household_id);
        view! {
            <leptos_router::components::A href=screen attr:class="button button-primary" attr:data-testid="open-review">
                {t!(i18n, review.open_screen)}
            </leptos_router::components::A>
            <ReviewActions
                submission_id=review.submission_id
                household_id=review.household_id.to_string()
            />
        }
    });
    view! {
        <div class="review-panel" data-testid="plan-review" data-status=format!("{:?}", review.status)>
            <p class=class>{text}</p>
            {actions}
        </div>
    }
}

/// 通过 / 退回 for the first secretary. The decision is queued on the phone and sent when there is a connection; a
/// decision already queued for this plan version is shown instead of the buttons.
#[component]
pub fn ReviewActions(submission_id: uuid::Uuid, household_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let sync = use_sync();
    let comments = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Result<(), String>>);
    let queued = RwSignal::new(None::<QueuedReview>);
    if let Some(store) = context.store() {
        let household_id = household_id.clone();
        leptos::task::spawn_local(async move {
            if let Ok(Some(review)) =
                review_queue::latest_for_household(&store, &household_id).await
                && review.request.submission_id == submission_id
            {
                queued.set(Some(review));
            }
        });
    }
    let decide = move |decision: ReviewDecision| {
        if decision == ReviewDecision::Return && comments.with_untracked(|c| c.trim().is_empty()) {
            outcome.set(Some(Err(
                t_string!(i18n, review.comments_required).to_string()
            )));
            return;
        }
        let Some(store) = context.store() else {
            outcome.set(Some(Err(t_string!(i18n, review.not_saved).to_string())));
            return;
        };
        let request = ReviewRequest {
            id: Some(new_uuid()),
            submission_id,
            decision,
            comments: comments.get_untracked(),
        };
        let review = QueuedReview::queued(request, household_id.clone(), clock::now_utc());
        leptos::task::spawn_local(async move {
            match review_queue::put_review(&store, &review).await {
                Ok(()) => {
                    queued.set(Some(review));
                    outcome.set(Some(Ok(())));
                    sync.kick(context, true);
                }
                Err(_) => outcome.set(Some(Err(t_string!(i18n, review.not_saved).to_string()))),
            }
        });
    };
    let decision_label = move |decision: ReviewDecision| match decision {
        ReviewDecision::Approve => t_string!(i18n, review.approve).to_string(),
        ReviewDecision::Return => t_string!(i18n, review.return_action).to_string(),
    };
    view! {
        {move || outcome.get().map(|result| match result {
            Ok(()) => view! { <p class="banner banner-ok" data-testid="review-done">{t!(i18n, review.queued)}</p> }.into_any(),
            Err(message) => view! { <p class="form-error" data-testid="review-error">{message}</p> }.into_any(),
        })}
        {move || match queued.get() {
            Some(review) => queued_notice(i18n, &review, decision_label(review.request.decision)).into_any(),
            None => {
                let (approve, send_back) = (decide.clone(), decide.clone());
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
                <div class="conflict-actions">
                    <button class="button button-primary" data-testid="review-approve" on:click=move |_| approve(ReviewDecision::Approve)>
                        {t!(i18n, review.approve)}
                    </button>
                    <button class="button" data-testid="review-return" on:click=move |_| send_back(ReviewDecision::Return)>
                        {t!(i18n, review.return_action)}
                    </button>
                </div>
                }
                .into_any()
            }
        }}
    }
}

/// Where a queued decision stands: waiting to be sent, or refused by the server with its reason.
fn queued_notice(
    i18n: leptos_i18n::I18nContext<Locale>,
    review: &QueuedReview,
    decision: String,
) -> impl IntoView {
    let text = match (&review.delivery.status, &review.delivery.problem) {
        (OutboxStatus::NeedsAttention, Some(OutboxProblem::Refused { message, .. })) => {
            t_string!(i18n, review.refused, message = message.clone()).to_string()
        }
        (OutboxStatus::Sent, _) => String::new(),
        _ => t_string!(i18n, review.waiting, decision = decision).to_string(),
    };
    (!text.is_empty()).then(|| {
        view! { <p class="banner banner-info" data-testid="review-queued">{text}</p> }
    })
}
