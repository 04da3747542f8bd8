//! One recorded session as the server holds it: date, 期数, topic, counts, 参学率 and 人次, the discussion notes,
//! who confirmed which version, and every earlier version (who submitted it, when, and why it was changed). The
//! village's first secretary confirms the version she read here; anyone who may record can start an edit, which
//! after a confirmation asks for a reason.

use crate::api;
use crate::clock;
use crate::i18n::*;
use crate::session::AppContext;
use leptos::prelude::*;
use zoufang_domain::model::{AttendanceStatus, Session};
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

#[component]
pub fn SessionDetail(
    record: SessionRecord,
    may_confirm: bool,
    on_edit: Callback<SessionRecord>,
    on_confirmed: Callback<SessionRecord>,
) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let rate = record.rate;
    let confirmed = record.is_confirmed();
    let session_id = record.session.id.0;
    let version = record.version;
    let confirm = move |_| {
        let Some(session) = context.current() else {
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::confirm_session(&session.token, session_id, version).await {
                Ok(record) => {
                    message.set(None);
                    on_confirmed.run(record);
                }
                Err(api::ApiError::Unauthorized(_)) => context.needs_reauth.set(true),
                Err(error) => message.set(Some(
                    t_string!(
                        i18n,
                        night_school.confirm_failed,
                        reason = super::reason_text(i18n, &error)
                    )
                    .to_string(),
                )),
            }
            busy.set(false);
        });
    };
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
                {(may_confirm && !confirmed).then(|| view! {
                    <button class="button button-primary" data-testid="ns-confirm" disabled=move || busy.get() on:click=confirm>
                        {move || t_string!(i18n, night_school.confirm_version, version = version).to_string()}
                    </button>
                })}
                <button class="button button-inline" data-testid="ns-edit" on:click=move |_| on_edit.run(edit_record.clone())>
                    {t!(i18n, night_school.edit)}
                </button>
            </div>
            <p class="sync-line" data-testid="ns-confirm-message">{move || message.get()}</p>
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
