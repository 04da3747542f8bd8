//! The night-school records waiting in the outbox, for the 同步 page: attendance sheets and the first secretary's
//! confirmations, each with where it stands — 待发送 (with the last failure and the retry time), 发送中, 已发送, or
//! 需处理 with the server's reason and where to deal with it (the night-school page).

use crate::clock;
use crate::i18n::*;
use crate::storage::delivery::{Delivery, OutboxProblem, OutboxStatus};
use crate::storage::night_school::{QueuedAttendance, QueuedConfirmation};
use leptos::prelude::*;

/// The status mark's words and class.
fn status_mark(
    i18n: leptos_i18n::I18nContext<Locale>,
    status: OutboxStatus,
) -> (String, &'static str) {
    let (text, class) = match status {
        OutboxStatus::Queued => (t_string!(i18n, sync.status_queued), "mark mark-queued"),
        OutboxStatus::Sending => (t_string!(i18n, sync.status_sending), "mark mark-queued"),
        OutboxStatus::Sent => (t_string!(i18n, sync.status_sent), "mark mark-sent"),
        OutboxStatus::NeedsAttention => (
            t_string!(i18n, sync.status_attention),
            "mark mark-attention",
        ),
    };
    (text.to_string(), class)
}

/// The line under a waiting or refused item: why the last try failed and when the next is, or the server's reason.
fn detail_line(
    i18n: leptos_i18n::I18nContext<Locale>,
    delivery: &Delivery,
    conflict: bool,
) -> Option<String> {
    match delivery.status {
        OutboxStatus::Queued => delivery.last_error.as_deref().map(|reason| {
            let time = delivery
                .next_attempt_at
                .map(clock::clock_time)
                .unwrap_or_default();
            t_string!(
                i18n,
                sync.item_retry,
                time = time,
                reason = reason.to_owned()
            )
            .to_string()
        }),
        OutboxStatus::NeedsAttention if conflict => {
            Some(t_string!(i18n, night_school.conflict_line).to_string())
        }
        OutboxStatus::NeedsAttention => Some(match &delivery.problem {
            Some(OutboxProblem::Refused { message, .. }) => {
                t_string!(i18n, night_school.refused_reason, reason = message.clone()).to_string()
            }
            _ => t_string!(i18n, night_school.server_error).to_string(),
        }),
        OutboxStatus::Sending | OutboxStatus::Sent => None,
    }
}

#[component]
pub fn QueuedNightSchool(
    sheets: Vec<QueuedAttendance>,
    confirmations: Vec<QueuedConfirmation>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sheet_rows = sheets
        .into_iter()
        .map(|item| {
            let (status, class) = status_mark(i18n, item.delivery.status);
            let submitted = clock::date_time(item.submitted_at);
            let detail = detail_line(
                i18n,
                &item.delivery,
                item.is_conflict(),
            );
            let title = t_string!(
                i18n,
                night_school.queued_sheet,
                date = item.sheet.session.date.to_string(),
                version = item.sheet.base_version.saturating_add(1)
            )
            .to_string();
            view! { <QueuedRow title=title meta=submitted status=status class=class detail=detail kind="sheet" raw_status=item.delivery.status /> }
        })
        .collect_view();
    let confirmation_rows = confirmations
        .into_iter()
        .map(|item| {
            let (status, class) = status_mark(i18n, item.delivery.status);
            let confirmed = clock::date_time(item.confirmed_at);
            let detail = detail_line(
                i18n,
                &item.delivery,
                false,
            );
            let title = t_string!(
                i18n,
                night_school.queued_confirmation,
                date = item.session_date.to_string(),
                version = item.version
            )
            .to_string();
            view! { <QueuedRow title=title meta=confirmed status=status class=class detail=detail kind="confirmation" raw_status=item.delivery.status /> }
        })
        .collect_view();
    view! {
        {sheet_rows}
        {confirmation_rows}
    }
}

#[component]
fn QueuedRow(
    title: String,
    meta: String,
    status: String,
    class: &'static str,
    detail: Option<String>,
    kind: &'static str,
    raw_status: OutboxStatus,
) -> impl IntoView {
    let needs_attention = raw_status == OutboxStatus::NeedsAttention;
    view! {
        <li class="outbox-row" data-testid=format!("outbox-{kind}") data-status=format!("{raw_status:?}")>
            <div class="outbox-head">
                <a class="household-main" href="/night-school">
                    <span class="household-name">{title}</span>
                    <span class="household-meta">{meta}</span>
                    {(!needs_attention).then(|| detail.clone()).flatten().map(|line| view! {
                        <span class="household-meta" data-testid="outbox-retry">{line}</span>
                    })}
                </a>
                <span class=class data-testid="outbox-status">{status}</span>
            </div>
            {needs_attention.then_some(detail).flatten().map(|line| view! {
                <div class="outbox-problem" data-testid="outbox-problem"><p>{line}</p></div>
            })}
        </li>
    }
}
