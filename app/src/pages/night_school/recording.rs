//! Recording one session: 期数 and topic, the counts, the roster, the discussion notes, 提交. Every change is saved
//! on the phone as it happens; 提交 puts the saved sheet in the outbox under the draft's UUID and asks the sync
//! driver to send it, so a session recorded with no signal goes out when the phone is back online, once. A change
//! after 提交 starts the next version. After a confirmation an edit needs a reason; a version the server refused
//! because the session changed on another phone shows the households marked differently ([`ConflictView`]).

use std::collections::BTreeSet;

use super::conflict::{self, ConflictView};
use super::roster::{Counts, Mark, Roster, RowState};
use crate::clock;
use crate::i18n::*;
use crate::session::AppContext;
use crate::storage::night_school::{self as records, AttendanceDraft, QueuedAttendance};
use crate::storage::records::{OutboxProblem, OutboxStatus};
use leptos::prelude::*;
use zoufang_domain::model::{Attendance, HouseholdId, Session, UserId};
use zoufang_domain::protocol::{AttendanceSheet, RosterHousehold, SessionRecord};

/// Rebuilds the session from the page's signals; an entry keeps who recorded it and when while its status is
/// unchanged.
fn build_session(
    base: &Session,
    rows: &[RowState],
    fields: (&str, &str, &str),
    recorder: UserId,
) -> Session {
    let now = clock::now_utc();
    let (episode, topic, notes) = fields;
    let attendance = rows
        .iter()
        .filter_map(|row| {
            let mark = row.mark.get_untracked();
            let status = mark.status?;
            let id: HouseholdId = row.household.household_id;
            let earlier = base.entry(id).filter(|entry| entry.status == status);
            Some(Attendance {
                household_id: id,
                present_member_ids: mark.members,
                status,
                absence_reason: mark.reason,
                absence_note: mark.note,
                recorded_by: earlier.map_or(recorder, |entry| entry.recorded_by),
                recorded_at: earlier.map_or(now, |entry| entry.recorded_at),
            })
        })
        .collect();
    Session {
        episode: episode.trim().parse().ok(),
        topic: topic.trim().to_owned(),
        discussion_notes: notes.to_owned(),
        attendance,
        ..base.clone()
    }
}

fn rows_for(draft: &AttendanceDraft, roster: Vec<RosterHousehold>) -> Vec<RowState> {
    roster
        .into_iter()
        .map(|household| {
            let mark = draft
                .session
                .entry(household.household_id)
                .map(|entry| Mark {
                    status: Some(entry.status),
                    members: entry.present_member_ids.clone(),
                    reason: entry.absence_reason,
                    note: entry.absence_note.clone(),
                });
            let mut search_text = household.head_name.clone();
            for member in &household.members {
                search_text.push(' ');
                search_text.push_str(&member.name);
            }
            RowState {
                household,
                mark: RwSignal::new(mark.unwrap_or_default()),
                search_text,
            }
        })
        .collect()
}

/// What the page does for the recording: keep the newest draft, swap in a merged one, fetch the server's copy.
#[derive(Clone, Copy)]
pub struct RecordingHooks {
    pub drafts: RwSignal<Vec<AttendanceDraft>>,
    pub replace: Callback<AttendanceDraft>,
    pub refresh: Callback<()>,
}

#[component]
pub fn Recording(
    draft: AttendanceDraft,
    roster: Vec<RosterHousehold>,
    /// The server's record of this session, if it has one.
    server: Option<SessionRecord>,
    hooks: RecordingHooks,
) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let sync = crate::sync::service::use_sync();
    let recorder = context
        .current()
        .map(|session| UserId(session.user.id))
        .unwrap_or(UserId(uuid::Uuid::nil()));
    let session_id = draft.session.id;
    let roster_names = StoredValue::new(
        roster
            .iter()
            .map(|household| (household.household_id, household.head_name.clone()))
            .collect::<std::collections::BTreeMap<_, _>>(),
    );
    let rows = StoredValue::new(rows_for(&draft, roster.clone()));
    let episode = RwSignal::new(
        draft
            .session
            .episode
            .map(|n| n.to_string())
            .unwrap_or_default(),
    );
    let topic = RwSignal::new(draft.session.topic.clone());
    let notes = RwSignal::new(draft.session.discussion_notes.clone());
    let edit_reason = RwSignal::new(draft.edit_reason.clone());
    let reason_missing = RwSignal::new(false);
    let saved_at = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let queue = RwSignal::new(Vec::<QueuedAttendance>::new());
    let current = StoredValue::new(draft);
    let server = StoredValue::new(server);
    // The version this draft edits was confirmed: 提交 needs a reason (the server refuses it without one).
    let needs_reason = move || {
        let base = current.with_value(|draft| draft.base_version);
        server.with_value(|record| {
            record
                .as_ref()
                .is_some_and(|record| record.version == base && record.is_confirmed())
        })
    };
    let needs_reason = Memo::new(move |_| {
        edit_reason.track();
        needs_reason()
    });
    let asked_for_server_copy = StoredValue::new(false);
    // The outbox as the sync driver left it, read again after every run.
    Effect::new(move |_| {
        sync.revision.track();
        let Some(store) = context.store() else { return };
        leptos::task::spawn_local(async move {
            if let Ok(items) = records::queued(&store).await {
                let mine: Vec<QueuedAttendance> = items
                    .into_iter()
                    .filter(|item| item.session_id() == session_id)
                    .collect();
                let stale_copy = mine.last().is_some_and(|item| {
                    item.is_conflict()
                        && server.with_value(|record| {
                            record
                                .as_ref()
                                .is_none_or(|record| record.version <= item.sheet.base_version)
                        })
                });
                queue.set(mine);
                if stale_copy && !asked_for_server_copy.get_value() {
                    asked_for_server_copy.set_value(true);
                    hooks.refresh.run(());
                }
            }
        });
    });
    let was_refused = move |submission_id: uuid::Uuid| {
        queue.with_untracked(|queue| {
            queue.iter().any(|item| {
                item.id == submission_id && item.delivery.status == OutboxStatus::NeedsAttention
            })
        })
    };
    let snapshot = move || {
        let base = current.get_value();
        let session = rows.with_value(|rows| {
            build_session(
                &base.session,
                rows,
                (
                    &episode.get_untracked(),
                    &topic.get_untracked(),
                    &notes.get_untracked(),
                ),
                recorder,
            )
        });
        let saved_at = clock::rfc3339(clock::now_utc());
        match &base.submitted_at {
            // A change after 提交 starts the next version, under a new UUID, built on the one submitted — or, when
            // the server refused that one, on the same base again.
            Some(_) => {
                let refused = was_refused(base.submission_id);
                if !refused {
                    edit_reason.set(String::new());
                }
                AttendanceDraft {
                    submission_id: crate::ids::new_uuid(),
                    base_version: if refused {
                        base.base_version
                    } else {
                        base.base_version.saturating_add(1)
                    },
                    session,
                    edit_reason: if refused {
                        base.edit_reason
                    } else {
                        String::new()
                    },
                    saved_at,
                    submitted_at: None,
                    receipt: None,
                }
            }
            None => AttendanceDraft {
                session,
                saved_at,
                edit_reason: edit_reason.get_untracked().trim().to_owned(),
                ..base
            },
        }
    };
    let save = Callback::new(move |_: ()| {
        let draft = snapshot();
        current.set_value(draft.clone());
        // Untracked: the page keeps the newest draft for a rebuild (fresh data from the server) without re-rendering.
        hooks.drafts.update_untracked(|drafts| {
            drafts.retain(|kept| kept.session.id != draft.session.id);
            drafts.insert(0, draft.clone());
        });
        let Some(store) = context.store() else { return };
        leptos::task::spawn_local(async move {
            match records::save_draft(&store, &draft).await {
                Ok(()) => saved_at.set(Some(draft.saved_at.clone())),
                Err(error) => context.storage_problem.set(Some(error)),
            }
        });
    });
    let submit = move |_| {
        let mut draft = current.get_value();
        let latest_conflict =
            queue.with_untracked(|queue| queue.last().is_some_and(QueuedAttendance::is_conflict));
        if latest_conflict {
            // The same base would be refused again: the households marked differently are chosen first.
            message.set(Some(
                t_string!(i18n, night_school.conflict_line).to_string(),
            ));
            return;
        }
        if draft.submitted_at.is_some() {
            if !was_refused(draft.submission_id) {
                // Nothing changed since 提交: nothing new to send; the status line says where it is.
                message.set(None);
                sync.kick(context, true);
                return;
            }
            // Refused (a reason was missing …): the same base again, under a new UUID.
            draft.submission_id = crate::ids::new_uuid();
            draft.submitted_at = None;
        }
        message.set(None);
        if let Some(blocked) = first_error(&draft.session, &roster_names.get_value(), i18n) {
            message.set(Some(blocked));
            return;
        }
        if needs_reason.get_untracked() && edit_reason.get_untracked().trim().is_empty() {
            reason_missing.set(true);
            return;
        }
        reason_missing.set(false);
        let now = clock::now_utc();
        draft.submitted_at = Some(now);
        draft.edit_reason = edit_reason.get_untracked().trim().to_owned();
        current.set_value(draft.clone());
        let item = QueuedAttendance::queued(
            draft.submission_id,
            now,
            AttendanceSheet {
                session: draft.session.clone(),
                base_version: draft.base_version,
                edit_reason: draft.edit_reason.clone(),
                evidence: Vec::new(),
                warning_reasons: Default::default(),
            },
        );
        let superseded = queue.get_untracked();
        let Some(store) = context.store() else { return };
        let session_id = draft.session.id;
        leptos::task::spawn_local(async move {
            // The session's optional group photos travel as its evidence; the sync driver uploads their bytes first.
            let mut item = item;
            match super::group_photo::session_evidence(&store, session_id).await {
                Ok(evidence) => item.sheet.evidence = evidence,
                Err(error) => {
                    context.storage_problem.set(Some(error));
                    return;
                }
            }
            // The outbox first: a draft marked submitted with nothing queued would lose the sheet. A queued sheet
            // with its draft not yet marked is only queued again under the same UUID (the same outbox key).
            for refused in superseded
                .iter()
                .filter(|queued| queued.delivery.status == OutboxStatus::NeedsAttention)
            {
                let _ = records::remove_unsent(&store, refused).await;
            }
            if let Err(error) = records::put_queued(&store, &item).await {
                context.storage_problem.set(Some(error));
                return;
            }
            if let Err(error) = records::save_draft(&store, &draft).await {
                context.storage_problem.set(Some(error));
            }
            queue.update(|queue| {
                queue.retain(|queued| queued.delivery.status != OutboxStatus::NeedsAttention);
                queue.push(item);
            });
            sync.kick(context, false);
        });
    };
    let resolve = Callback::new(move |take_server: BTreeSet<HouseholdId>| {
        let Some(record) = server.get_value() else {
            return;
        };
        let local = current.get_value();
        let mut session = conflict::merge(
            &local.session,
            base_of(&record, local.base_version).as_ref(),
            &record.session,
            &take_server,
        );
        if local.base_version == 0 {
            keep_servers_lists(&mut session, &record.session);
        }
        let merged = AttendanceDraft {
            submission_id: crate::ids::new_uuid(),
            session,
            base_version: record.version,
            edit_reason: local.edit_reason.clone(),
            saved_at: clock::rfc3339(clock::now_utc()),
            submitted_at: None,
            receipt: None,
        };
        let superseded = queue.get_untracked();
        let Some(store) = context.store() else { return };
        leptos::task::spawn_local(async move {
            for item in &superseded {
                if let Err(error) = records::remove_unsent(&store, item).await {
                    context.storage_problem.set(Some(error));
                    return;
                }
            }
            if let Err(error) = records::save_draft(&store, &merged).await {
                context.storage_problem.set(Some(error));
                return;
            }
            hooks.replace.run(merged);
        });
    });
    let text_input = move |signal: RwSignal<String>| {
        move |event| {
            signal.set(event_target_value(&event));
            save.run(());
        }
    };
    let conflict_view = move || {
        let latest = queue.with(|queue| queue.last().cloned())?;
        if !latest.is_conflict() {
            return None;
        }
        let record = server
            .get_value()
            .filter(|record| record.version > latest.sheet.base_version)?;
        let local = current.get_value();
        let found = conflict::differences(
            &local.session,
            base_of(&record, local.base_version).as_ref(),
            &record.session,
            &roster,
        );
        Some(
            view! { <ConflictView differences=found server_version=record.version on_resolve=resolve /> },
        )
    };
    view! {
        <div class="ns-fields">
            <label class="field">
                <span class="field-label">{t!(i18n, night_school.episode)}</span>
                <input type="text" inputmode="numeric" data-testid="ns-episode" prop:value=move || episode.get() on:input=text_input(episode) />
            </label>
            <label class="field">
                <span class="field-label">{t!(i18n, night_school.topic)}</span>
                <input type="text" data-testid="ns-topic" prop:value=move || topic.get() on:input=text_input(topic) />
            </label>
        </div>
        {conflict_view}
        <Counts rows=rows />
        <Roster rows=rows changed=save />
        <h3>{t!(i18n, night_school.after_lesson)}</h3>
        <label class="field">
            <span class="field-label">{t!(i18n, night_school.discussion)}</span>
            <textarea data-testid="ns-discussion" prop:value=move || notes.get() on:input=text_input(notes)></textarea>
        </label>
        <div class="ns-links">
            <a class="button" data-testid="ns-after-link" on:click=move |_| save.run(())
                href=move || format!("/night-school/sessions/{}/after", current.get_value().session.id.0)>
                {t!(i18n, night_school_after.open)}
            </a>
            <a class="button" data-testid="ns-print-link" on:click=move |_| save.run(())
                href=move || format!("/night-school/sessions/{}/print", current.get_value().session.id.0)>
                {t!(i18n, night_school_print.open)}
            </a>
        </div>
        <Show when=move || needs_reason.get()>
            <label class="field">
                <span class="field-label">{t!(i18n, night_school.edit_reason)}</span>
                <textarea data-testid="ns-edit-reason" aria-invalid=move || reason_missing.get().to_string()
                    prop:value=move || edit_reason.get() on:input=text_input(edit_reason)></textarea>
                <Show when=move || reason_missing.get()>
                    <span class="field-error" role="alert" data-testid="ns-edit-reason-error">{t!(i18n, night_school.edit_reason_required)}</span>
                </Show>
            </label>
        </Show>
        <p class="sync-line" data-testid="ns-saved">
            {move || saved_at.get().map(|at| {
                let time = clock::parse_rfc3339(&at).map(clock::date_time).unwrap_or(at);
                t_string!(i18n, night_school.saved, time = time).to_string()
            })}
        </p>
        <button class="button button-primary" data-testid="ns-submit" on:click=submit>{t!(i18n, night_school.submit)}</button>
        <p class="sync-line" data-testid="ns-message">
            {move || message.get().or_else(|| queue.with(|queue| queue.last().map(|item| queue_line(i18n, item))))}
        </p>
    }
}

/// What the server's rules would refuse (an excused household without a reason, 其他 without a note …), with the
/// household it concerns, in the cadre's words; `None` when the sheet can go.
fn first_error(
    session: &Session,
    names: &std::collections::BTreeMap<HouseholdId, String>,
    i18n: leptos_i18n::I18nContext<Locale>,
) -> Option<String> {
    let report = zoufang_domain::validation::validate_session(session);
    let finding = report.errors().next()?;
    let reason = finding
        .message(super::roster::domain_locale(i18n.get_locale_untracked()))
        .to_owned();
    let household = finding
        .path
        .as_str()
        .strip_prefix("attendance[")
        .and_then(|rest| rest.split(']').next())
        .and_then(|index| index.parse::<usize>().ok())
        .and_then(|index| session.attendance.get(index))
        .and_then(|entry| names.get(&entry.household_id))
        .cloned()
        .unwrap_or_default();
    Some(
        t_string!(
            i18n,
            night_school.submit_blocked,
            household = household,
            reason = reason
        )
        .to_string(),
    )
}

/// The version an edit started from, as the server's history keeps it. Version 0 — a session started on this phone
/// that another phone had started first for the same date — started from nothing marked.
fn base_of(record: &SessionRecord, version: u32) -> Option<Session> {
    if version == 0 {
        return Some(Session {
            attendance: Vec::new(),
            training_requests: Vec::new(),
            hotline_referrals: Vec::new(),
            market_sales: Vec::new(),
            ..record.session.clone()
        });
    }
    record
        .history
        .iter()
        .find(|entry| entry.version == version)
        .map(|entry| entry.session.clone())
}

/// A merge over nothing (two phones each started the session): the server's 点单, 961017 referrals and 集市 sales
/// this phone does not have are kept too, so neither phone's are lost.
fn keep_servers_lists(merged: &mut Session, server: &Session) {
    fn add_missing<T: Clone + PartialEq>(kept: &mut Vec<T>, theirs: &[T]) {
        for item in theirs {
            if !kept.contains(item) {
                kept.push(item.clone());
            }
        }
    }
    add_missing(&mut merged.training_requests, &server.training_requests);
    add_missing(&mut merged.hotline_referrals, &server.hotline_referrals);
    add_missing(&mut merged.market_sales, &server.market_sales);
}

/// Where the latest submitted version is, in the cadre's words.
fn queue_line(i18n: leptos_i18n::I18nContext<Locale>, item: &QueuedAttendance) -> String {
    match (item.delivery.status, &item.delivery.problem) {
        (OutboxStatus::Sent, _) => {
            let time = item
                .receipt
                .as_ref()
                .map(|receipt| {
                    clock::parse_rfc3339(&receipt.accepted_at)
                        .map(clock::date_time)
                        .unwrap_or_else(|| receipt.accepted_at.clone())
                })
                .unwrap_or_default();
            t_string!(i18n, night_school.submitted, time = time).to_string()
        }
        (OutboxStatus::Queued | OutboxStatus::Sending, _) if item.delivery.last_error.is_some() => {
            t_string!(i18n, night_school.queued_offline).to_string()
        }
        (OutboxStatus::Queued | OutboxStatus::Sending, _) => {
            t_string!(i18n, night_school.queued).to_string()
        }
        (OutboxStatus::NeedsAttention, _) if item.is_conflict() => {
            t_string!(i18n, night_school.conflict_line).to_string()
        }
        (OutboxStatus::NeedsAttention, Some(OutboxProblem::Refused { message, .. })) => {
            t_string!(i18n, night_school.submit_failed, reason = message.clone()).to_string()
        }
        (OutboxStatus::NeedsAttention, _) => t_string!(
            i18n,
            night_school.submit_failed,
            reason = t_string!(i18n, night_school.server_error).to_string()
        )
        .to_string(),
    }
}
