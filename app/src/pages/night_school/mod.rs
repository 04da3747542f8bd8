//! 夜校: the teaching point is the cadre's home. This week's session (started on the phone, offline if need be, on
//! the broadcast day of the week at 20:00), the roster to mark, notes after the lesson, past sessions with their
//! 参学率. Drafts are saved on the phone after every mark; 提交 sends the session under the UUID the draft keeps, so
//! a resend is a repeat on the server.

pub mod after_lesson;
mod group_photo;
mod market_sale;
pub mod print;
mod roster;

use crate::api::{self, ApiError};
use crate::clock;
use crate::components::PageHeader;
use crate::i18n::*;
use crate::session::AppContext;
use crate::storage::night_school::{self as records, AttendanceDraft};
use leptos::prelude::*;
use roster::{Counts, Mark, Roster, RowState};
use zoufang_domain::model::{
    Attendance, CURRENT_SCHEMA_VERSION, HouseholdId, Session, SessionId, UserId,
};
use zoufang_domain::protocol::{
    AttendanceSheet, NightSchoolResponse, Role, Submission, SubmissionRecord, TeachingPointSheet,
};

#[derive(Debug, Clone, PartialEq)]
enum Refresh {
    Idle,
    Running,
    Failed(String),
}

/// A refusal in the person's words: the server's sentence, or what to do about the network.
fn reason_text(i18n: leptos_i18n::I18nContext<Locale>, error: &ApiError) -> String {
    match error {
        ApiError::Offline | ApiError::Unreachable | ApiError::Timeout => {
            t_string!(i18n, night_school.submit_offline).to_string()
        }
        ApiError::Unauthorized(body) | ApiError::Rejected { body, .. } => body.message.clone(),
        ApiError::Invalid(rejection) => rejection.message.clone(),
        ApiError::Conflict(conflict) => conflict.message.clone(),
        ApiError::Server(_) => t_string!(i18n, night_school.server_error).to_string(),
    }
}

#[component]
pub fn NightSchoolPage() -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let role = context.current().map(|session| session.user.role);
    let may_record = matches!(role, Some(Role::VillageCadre | Role::FirstSecretary));
    let sheets = RwSignal::new(None::<NightSchoolResponse>);
    let drafts = RwSignal::new(Vec::<AttendanceDraft>::new());
    let loaded = RwSignal::new(false);
    let refresh = RwSignal::new(Refresh::Idle);
    if may_record {
        leptos::task::spawn_local(async move {
            let Some(store) = context.store() else { return };
            if let Ok(Some(cached)) = records::load_sheets(&store).await {
                sheets.set(Some(cached));
            }
            if let Ok(found) = records::drafts(&store).await {
                drafts.set(found);
            }
            loaded.set(true);
            let Some(session) = context.current() else {
                return;
            };
            refresh.set(Refresh::Running);
            match api::night_school(&session.token).await {
                Ok(response) => {
                    if let Err(error) = records::save_sheets(&store, &response).await {
                        context.storage_problem.set(Some(error));
                    }
                    sheets.set(Some(response));
                    refresh.set(Refresh::Idle);
                }
                Err(ApiError::Unauthorized(_)) => {
                    context.needs_reauth.set(true);
                    refresh.set(Refresh::Idle);
                }
                Err(error) => refresh.set(Refresh::Failed(reason_text(i18n, &error))),
            }
        });
    }
    let status_line = move || match refresh.get() {
        Refresh::Running => Some(t_string!(i18n, night_school.refreshing).to_string()),
        Refresh::Failed(reason) => {
            Some(t_string!(i18n, night_school.refresh_failed, reason = reason).to_string())
        }
        Refresh::Idle => None,
    };
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, night_school.title).to_string()) />
        <p class="lead">{t!(i18n, night_school.intro)}</p>
        {if may_record {
            view! {
                <p class="sync-line" data-testid="ns-sync">{status_line}</p>
                {move || {
                    let response = sheets.get();
                    match response.and_then(|response| {
                        let rules = response.rules.clone();
                        response.points.into_iter().next().map(|point| (point, rules))
                    }) {
                        Some((point, rules)) => {
                            let monday = rules.broadcast_on_or_before(clock::today_local());
                            view! { <PointView point=point monday=monday drafts=drafts role=role /> }.into_any()
                        }
                        None => view! {
                            <Show when=move || loaded.get()>
                                <p class="empty">{t!(i18n, night_school.empty)}</p>
                            </Show>
                        }
                        .into_any(),
                    }
                }}
            }
            .into_any()
        } else {
            view! { <p class="empty" data-testid="ns-not-for-role">{t!(i18n, night_school.not_for_role)}</p> }.into_any()
        }}
    }
}

/// A new draft for this week's session of the point.
fn new_draft(point: &TeachingPointSheet, monday: time::Date) -> AttendanceDraft {
    AttendanceDraft {
        submission_id: crate::ids::new_uuid(),
        session: Session {
            schema_version: CURRENT_SCHEMA_VERSION,
            id: SessionId(crate::ids::new_uuid()),
            teaching_point_id: point.id,
            date: monday,
            episode: None,
            topic: String::new(),
            discussion_notes: String::new(),
            attendance: Vec::new(),
            confirmed_by: None,
            training_requests: Vec::new(),
            hotline_referrals: Vec::new(),
            market_sales: Vec::new(),
        },
        base_version: 0,
        edit_reason: String::new(),
        saved_at: clock::rfc3339(clock::now_utc()),
        submitted_at: None,
        receipt: None,
    }
}

#[component]
fn PointView(
    point: TeachingPointSheet,
    monday: time::Date,
    drafts: RwSignal<Vec<AttendanceDraft>>,
    role: Option<Role>,
) -> impl IntoView {
    let i18n = use_i18n();
    let point_id = point.id;
    // This week's draft on the phone; else a server copy of this week's session to edit.
    let existing = drafts
        .get_untracked()
        .into_iter()
        .find(|draft| draft.session.teaching_point_id == point_id && draft.session.date == monday)
        .or_else(|| {
            point
                .sessions
                .iter()
                .find(|record| record.session.date == monday)
                .map(|record| AttendanceDraft {
                    submission_id: crate::ids::new_uuid(),
                    session: record.session.clone(),
                    base_version: record.version,
                    edit_reason: String::new(),
                    saved_at: clock::rfc3339(clock::now_utc()),
                    submitted_at: None,
                    receipt: None,
                })
        });
    let active = RwSignal::new(existing);
    let start_point = point.clone();
    let start = move |_| active.set(Some(new_draft(&start_point, monday)));
    let roster = point.roster.clone();
    let past: Vec<_> = point
        .sessions
        .iter()
        .filter(|record| record.session.date != monday)
        .cloned()
        .collect();
    let _ = role;
    view! {
        <h2 class="section-title">{point.name.clone()}</h2>
        <section class="ns-week" data-testid="ns-this-week">
            <h3>{t!(i18n, night_school.this_week)}" · "{move || t_string!(i18n, night_school.date, date = monday.to_string()).to_string()}</h3>
            {move || match active.get() {
                Some(draft) => view! { <Recording draft=draft roster=roster.clone() drafts=drafts /> }.into_any(),
                None => view! {
                    <button class="button button-primary" data-testid="ns-start" on:click=start.clone()>
                        {t!(i18n, night_school.start)}
                    </button>
                }
                .into_any(),
            }}
        </section>
        <section class="ns-past">
            <h3>{t!(i18n, night_school.past)}</h3>
            <ul class="ns-sessions">
                {past.into_iter().map(|record| {
                    let rate = record.rate.per_mille().map_or_else(|| "—".to_owned(), |value| format!("{}.{}%", value / 10, value % 10));
                    let confirmed = record.is_confirmed();
                    let who = record.confirmation.as_ref().map(|c| c.confirmed_by.clone()).unwrap_or_default();
                    view! {
                        <li class="ns-session" data-testid="ns-session">
                            <span>{record.session.date.to_string()}" "{record.session.topic.clone()}</span>
                            <span>{move || t_string!(i18n, night_school.rate, rate = rate.clone()).to_string()}</span>
                            <span class="mark">{move || if confirmed { t_string!(i18n, night_school.confirmed, who = who.clone()).to_string() } else { t_string!(i18n, night_school.unconfirmed).to_string() }}</span>
                            <a class="back-link" data-testid="ns-session-print" href=format!("/night-school/sessions/{}/print", record.session.id.0)>{t!(i18n, night_school_print.open)}</a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// Rebuilds the session from the page's signals; an entry keeps its `recorded_at` while its status is unchanged.
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
            let recorded_at = base
                .entry(id)
                .filter(|entry| entry.status == status)
                .map_or(now, |entry| entry.recorded_at);
            Some(Attendance {
                household_id: id,
                present_member_ids: mark.members,
                status,
                absence_reason: mark.reason,
                absence_note: mark.note,
                recorded_by: recorder,
                recorded_at,
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

#[component]
fn Recording(
    draft: AttendanceDraft,
    roster: Vec<zoufang_domain::protocol::RosterHousehold>,
    drafts: RwSignal<Vec<AttendanceDraft>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let recorder = context
        .current()
        .map(|session| UserId(session.user.id))
        .unwrap_or(UserId(uuid::Uuid::nil()));
    let rows: Vec<RowState> = roster
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
        .collect();
    let rows = StoredValue::new(rows);
    let episode = RwSignal::new(
        draft
            .session
            .episode
            .map(|n| n.to_string())
            .unwrap_or_default(),
    );
    let topic = RwSignal::new(draft.session.topic.clone());
    let notes = RwSignal::new(draft.session.discussion_notes.clone());
    let saved_at = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let current = StoredValue::new(draft);
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
        match &base.receipt {
            // A change after the server accepted this version starts the next one, under a new UUID.
            Some(_) => AttendanceDraft {
                submission_id: crate::ids::new_uuid(),
                base_version: base.base_version.saturating_add(1),
                session,
                saved_at,
                submitted_at: None,
                receipt: None,
                ..base
            },
            None => AttendanceDraft {
                session,
                saved_at,
                ..base
            },
        }
    };
    let save = Callback::new(move |_: ()| {
        let draft = snapshot();
        current.set_value(draft.clone());
        // Untracked: the page keeps the newest draft for a rebuild (fresh data from the server) without re-rendering.
        drafts.update_untracked(|drafts| {
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
        // Every change was saved as it happened: what is sent is the saved draft.
        let mut draft = current.get_value();
        if let Some(receipt) = draft.receipt.clone() {
            let time = clock::parse_rfc3339(&receipt.accepted_at)
                .map(clock::date_time)
                .unwrap_or(receipt.accepted_at);
            message.set(Some(
                t_string!(i18n, night_school.submitted, time = time).to_string(),
            ));
            return;
        }
        let Some(session) = context.current() else {
            return;
        };
        let submitted_at = draft
            .submitted_at
            .as_deref()
            .and_then(clock::parse_rfc3339)
            .unwrap_or_else(clock::now_utc);
        draft.submitted_at = Some(clock::rfc3339(submitted_at));
        current.set_value(draft.clone());
        let submission = Submission {
            id: draft.submission_id,
            submitted_at,
            record: SubmissionRecord::Attendance(AttendanceSheet {
                session: draft.session.clone(),
                base_version: draft.base_version,
                edit_reason: draft.edit_reason.clone(),
                evidence: Vec::new(),
                warning_reasons: Default::default(),
            }),
        };
        leptos::task::spawn_local(async move {
            if let Some(store) = context.store() {
                let _ = records::save_draft(&store, &draft).await;
            }
            // The session's group photos (optional) go first: their bytes, then their metadata as evidence.
            let mut submission = submission;
            if let Some(store) = context.store() {
                match group_photo::send_session_photos(&store, &session.token, draft.session.id)
                    .await
                {
                    Ok(evidence) => {
                        if let SubmissionRecord::Attendance(sheet) = &mut submission.record {
                            sheet.evidence = evidence;
                        }
                    }
                    Err(error) => {
                        let reason = reason_text(i18n, &error);
                        message.set(Some(
                            t_string!(i18n, night_school.submit_failed, reason = reason)
                                .to_string(),
                        ));
                        return;
                    }
                }
            }
            match api::submit(&session.token, &submission).await {
                Ok(receipt) => {
                    let mut sent = current.get_value();
                    sent.receipt = Some(receipt.clone());
                    current.set_value(sent.clone());
                    if let Some(store) = context.store() {
                        let _ = records::save_draft(&store, &sent).await;
                    }
                    let time = clock::parse_rfc3339(&receipt.accepted_at)
                        .map(clock::date_time)
                        .unwrap_or(receipt.accepted_at);
                    message.set(Some(
                        t_string!(i18n, night_school.submitted, time = time).to_string(),
                    ));
                }
                Err(error) => message.set(Some(
                    t_string!(
                        i18n,
                        night_school.submit_failed,
                        reason = reason_text(i18n, &error)
                    )
                    .to_string(),
                )),
            }
        });
    };
    let text_input = move |signal: RwSignal<String>| {
        move |event| {
            signal.set(event_target_value(&event));
            save.run(());
        }
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
        <p class="sync-line" data-testid="ns-saved">
            {move || saved_at.get().map(|at| {
                let time = clock::parse_rfc3339(&at).map(clock::date_time).unwrap_or(at);
                t_string!(i18n, night_school.saved, time = time).to_string()
            })}
        </p>
        <button class="button button-primary" data-testid="ns-submit" on:click=submit>{t!(i18n, night_school.submit)}</button>
        <p class="sync-line" data-testid="ns-message">{move || message.get()}</p>
    }
}
