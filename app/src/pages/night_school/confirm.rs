//! One recorded session as the server holds it: date, 期数, topic, counts, 参学率 and 人次, the discussion notes,
//! who confirmed which version, and every earlier version (who submitted it, when, and why it was changed). The
//! village's first secretary confirms the version she read here — offline too: the 确认 is queued on the phone and
//! sent at the next sync, its state shown here —; anyone who may record can start an edit, which after a
//! confirmation asks for a reason.

use crate::clock;
use crate::i18n::*;
use crate::storage::night_school::QueuedConfirmation;
use crate::storage::records::{OutboxProblem, OutboxStatus};
use leptos::prelude::*;
use zoufang_domain::model::{AttendanceStatus, Session, SessionId};
use zoufang_domain::protocol::{SessionRecord, SessionVersion};

/// 参学率 as `87.5%`, or `—` for an empty roster.
pub fn rate_text(per_mille: Option<u32>) -> String {
    per_mille.map_or_else(
        || "—".to_owned(),
        |value| format!("{}.{}%", value / 10, value % 10),
    )
}

/// An RFC 3339 instant as the person reads it (`2026-11-30 20:45`), or as given when unreadable.
fn local_time(instant: &str) -> String {
    clock::parse_rfc3339(instant)
        .map(clock::date_time)
        .unwrap_or_else(|| instant.to_owned())
}

/// 出席 / 请假 / 缺席 of one version, for the history.
fn status_counts(session: &Session) -> [usize; 3] {
    let mut counts = [0; 3];
    for entry in &session.attendance {
        let index = match entry.status {
            AttendanceStatus::Present => 0,
            AttendanceStatus::Excused => 1,
            AttendanceStatus::Absent => 2,
        };
        counts[index] += 1;
    }
    counts
}

/// Where a queued confirmation is, in the first secretary's words.
pub fn confirmation_state(
    i18n: leptos_i18n::I18nContext<Locale>,
    item: &QueuedConfirmation,
) -> String {
    match (item.delivery.status, &item.delivery.problem) {
        (OutboxStatus::Sent, _) => {
            t_string!(i18n, night_school.confirm_sent, version = item.version).to_string()
        }
        (OutboxStatus::Queued | OutboxStatus::Sending, _) if item.delivery.last_error.is_some() => {
            t_string!(
                i18n,
                night_school.confirm_queued_offline,
                version = item.version
            )
            .to_string()
        }
        (OutboxStatus::Queued | OutboxStatus::Sending, _) => {
            t_string!(i18n, night_school.confirm_queued, version = item.version).to_string()
        }
        (OutboxStatus::NeedsAttention, Some(OutboxProblem::Refused { message, .. })) => {
            t_string!(i18n, night_school.confirm_failed, reason = message.clone()).to_string()
        }
        (OutboxStatus::NeedsAttention, _) => t_string!(
            i18n,
            night_school.confirm_failed,
            reason = t_string!(i18n, night_school.server_error).to_string()
        )
        .to_string(),
    }
}

#[component]
pub fn SessionDetail(
    record: SessionRecord,
    may_confirm: bool,
    /// This phone's latest confirmation of the version shown, if it made one.
    queued: Signal<Option<QueuedConfirmation>>,
    on_edit: Callback<SessionRecord>,
    /// Queues the 确认 of the version shown; it is sent at the next sync.
    on_confirm: Callback<(SessionId, u32)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rate = record.rate;
    let confirmed = record.is_confirmed();
    let session_id = record.session.id;
    let version = record.version;
    // Confirmed here and waiting or sent: no second 确认; refused: it may be tried again.
    let may_tap_confirm = move || {
        may_confirm
            && !confirmed
            && queued.with(|queued| {
                queued
                    .as_ref()
                    .is_none_or(|item| item.delivery.status == OutboxStatus::NeedsAttention)
            })
    };
    let message =
        move || queued.with(|queued| queued.as_ref().map(|item| confirmation_state(i18n, item)));
    let edit_record = record.clone();
    let confirmation_line = record.confirmation.clone().map(|confirmation| {
        let time = local_time(&confirmation.confirmed_at);
        view! {
            <p class="ns-confirmation" data-testid="ns-confirmation">
                {move || t_string!(i18n, night_school.confirmed_line, version = confirmation.version, who = confirmation.confirmed_by.clone(), time = time.clone()).to_string()}
            </p>
        }
    });
    let history = record.history.clone();
    view! {
        <div class="ns-detail" data-testid="ns-detail">
            <p class="ns-detail-title">
                {record.session.episode.map(|episode| view! { <span>{move || t_string!(i18n, night_school.episode_number, episode = episode).to_string()}" "</span> })}
                {record.session.topic.clone()}
            </p>
            <p class="ns-counts-line" data-testid="ns-detail-counts">
                {move || t_string!(i18n, night_school.counts, present = rate.present_households, excused = rate.excused_households, absent = rate.absent_households, unrecorded = rate.unrecorded_households).to_string()}
            </p>
            <p data-testid="ns-detail-rate">
                {move || t_string!(i18n, night_school.rate_detail, rate = rate_text(rate.per_mille()), present = rate.present_households, roster = rate.roster_households, persons = rate.person_times).to_string()}
            </p>
            {(!record.session.discussion_notes.trim().is_empty()).then(|| view! {
                <p class="ns-notes">{t!(i18n, night_school.discussion)}"："{record.session.discussion_notes.clone()}</p>
            })}
            {confirmation_line}
            {(!confirmed).then(|| view! { <p class="ns-unconfirmed" data-testid="ns-unconfirmed">{t!(i18n, night_school.current_unconfirmed)}</p> })}
            <div class="ns-choice">
                <Show when=may_tap_confirm>
                    <button class="button button-primary" data-testid="ns-confirm" on:click=move |_| on_confirm.run((session_id, version))>
                        {move || t_string!(i18n, night_school.confirm_version, version = version).to_string()}
                    </button>
                </Show>
                <button class="button button-inline" data-testid="ns-edit" on:click=move |_| on_edit.run(edit_record.clone())>
                    {t!(i18n, night_school.edit)}
                </button>
            </div>
            <p class="sync-line" data-testid="ns-confirm-message">{message}</p>
            <h4>{t!(i18n, night_school.history)}</h4>
            <ol class="ns-history" data-testid="ns-history">
                {history.into_iter().map(|entry| view! { <HistoryEntry entry=entry /> }).collect_view()}
            </ol>
        </div>
    }
}

#[component]
fn HistoryEntry(entry: SessionVersion) -> impl IntoView {
    let i18n = use_i18n();
    let [present, excused, absent] = status_counts(&entry.session);
    let time = local_time(&entry.accepted_at);
    let reason = entry.edit_reason.trim().to_owned();
    view! {
        <li class="ns-version" data-testid="ns-version">
            <span>{move || t_string!(i18n, night_school.version_line, version = entry.version, who = entry.submitted_by.clone(), time = time.clone()).to_string()}</span>
            <span class="ns-row-status">{move || t_string!(i18n, night_school.version_counts, present = present, excused = excused, absent = absent).to_string()}</span>
            {(!reason.is_empty()).then(|| view! {
                <span class="ns-edit-reason" data-testid="ns-version-reason">{move || t_string!(i18n, night_school.edit_reason_line, reason = reason.clone()).to_string()}</span>
            })}
        </li>
    }
}
