//! 夜校: the teaching point is the cadre's home. This week's session (started on the phone, offline if need be, on
//! the broadcast day of the week at 20:00), the roster to mark, notes after the lesson, the sessions recorded so
//! far with their 参学率, each opening its details, history and — for the village's first secretary — 确认.
//! Drafts are saved on the phone after every mark; 提交 queues the session in the outbox under the UUID the draft
//! keeps (`recording.rs`), so it goes out once, whenever the phone is online.

pub mod after_lesson;
mod confirm;
mod conflict;
mod division;
mod group_photo;
mod market_sale;
pub mod print;
pub mod queued;
mod recording;
mod roster;

use crate::api::{self, ApiError};
use crate::clock;
use crate::components::PageHeader;
use crate::i18n::*;
use crate::session::AppContext;
use crate::storage::night_school::{self as records, AttendanceDraft};
use crate::storage::records::OutboxStatus;
use confirm::SessionDetail;
use leptos::prelude::*;
use recording::{Recording, RecordingHooks};
use zoufang_domain::model::{CURRENT_SCHEMA_VERSION, Session, SessionId};
use zoufang_domain::protocol::{NightSchoolResponse, Role, SessionRecord, TeachingPointSheet};

#[derive(Debug, Clone, PartialEq)]
enum Refresh {
    Idle,
    Running,
    Failed(String),
}

/// A refusal in the person's words: the server's sentence, or what to do about the network.
pub(super) fn reason_text(i18n: leptos_i18n::I18nContext<Locale>, error: &ApiError) -> String {
    match error {
        ApiError::Offline | ApiError::Unreachable | ApiError::Timeout => {
            t_string!(i18n, night_school.offline).to_string()
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
    // The server's copy of the teaching point, kept on the phone for the next offline start.
    let fetch = move || {
        leptos::task::spawn_local(async move {
            let Some(session) = context.current() else {
                return;
            };
            let Some(store) = context.store() else { return };
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
    };
    if may_record {
        leptos::task::spawn_local(async move {
            let Some(store) = context.store() else { return };
            // The drafts before the point: the point's view picks this week's draft when it is built, and offline
            // nothing rebuilds it afterwards.
            if let Ok(found) = records::drafts(&store).await {
                drafts.set(found);
            }
            if let Ok(Some(cached)) = records::load_sheets(&store).await {
                sheets.set(Some(cached));
            }
            loaded.set(true);
            fetch();
        });
    }
    let refetch = Callback::new(move |_: ()| fetch());
    // The recorded session opened for its details: kept here, so the server's answer redrawing the point keeps it open.
    let opened = RwSignal::new(None::<SessionId>);
    let division_open = RwSignal::new(false);
    let division_saving = RwSignal::new(division::Saving::Idle);
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
                    match response.filter(|response| !response.points.is_empty()) {
                        // A cadre has one point; a first secretary sees every point of the village.
                        Some(response) => {
                            let monday = response.rules.broadcast_on_or_before(clock::today_local());
                            // Two points or more: the first secretary divides the village between them.
                            let division = (role == Some(Role::FirstSecretary) && response.points.len() >= 2)
                                .then(|| view! {
                                    <division::PointsDivision
                                        points=response.points.clone()
                                        refresh=refetch
                                        open=division_open
                                        saving=division_saving
                                    />
                                });
                            let points = response
                                .points
                                .into_iter()
                                .map(|point| view! { <PointView point=point monday=monday drafts=drafts role=role refresh=refetch opened=opened /> })
                                .collect_view();
                            view! { {division} {points} }.into_any()
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

/// A draft to edit a session the server holds, built on its current version.
fn draft_from_server(record: &SessionRecord) -> AttendanceDraft {
    AttendanceDraft {
        submission_id: crate::ids::new_uuid(),
        session: record.session.clone(),
        base_version: record.version,
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
    refresh: Callback<()>,
    opened: RwSignal<Option<SessionId>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let point_id = point.id;
    // This week's draft on the phone; else, for the cadre, a server copy of this week's session to edit (the first
    // secretary opens a recorded session from the list below to confirm or edit it).
    let records_here = role == Some(Role::VillageCadre);
    let existing = drafts
        .get_untracked()
        .into_iter()
        .find(|draft| draft.session.teaching_point_id == point_id && draft.session.date == monday)
        .or_else(|| {
            if !records_here {
                return None;
            }
            point
                .sessions
                .iter()
                .find(|record| record.session.date == monday)
                .map(draft_from_server)
        });
    let active = RwSignal::new(existing);
    let sessions = RwSignal::new(point.sessions.clone());
    let start_point = point.clone();
    let start = move |_| active.set(Some(new_draft(&start_point, monday)));
    let roster = StoredValue::new(point.roster.clone());
    let hooks = RecordingHooks {
        drafts,
        replace: Callback::new(move |draft: AttendanceDraft| {
            drafts.update_untracked(|drafts| {
                drafts.retain(|kept| kept.session.id != draft.session.id);
                drafts.insert(0, draft.clone());
            });
            active.set(Some(draft));
        }),
        refresh,
    };
    // Editing a recorded session: the phone's draft of it if there is one, else the server's current version.
    let on_edit = Callback::new(move |record: SessionRecord| {
        let draft = drafts
            .get_untracked()
            .into_iter()
            .find(|draft| {
                draft.session.id == record.session.id && draft.base_version >= record.version
            })
            .unwrap_or_else(|| draft_from_server(&record));
        opened.set(None);
        active.set(Some(draft));
    });
    // The first secretary's confirmations on this phone (queued, sent or refused), read again after every sync run
    // and every new 确认.
    let context = expect_context::<AppContext>();
    let sync = crate::sync::service::use_sync();
    let confirmations_written = RwSignal::new(0u32);
    let confirmations = LocalResource::new(move || {
        sync.revision.track();
        confirmations_written.track();
        async move {
            match context.store() {
                Some(store) => records::queued_confirmations(&store)
                    .await
                    .unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });
    let queued_confirmation = move |session: SessionId, version: u32| {
        confirmations.get().and_then(|items| {
            items
                .into_iter()
                .rev()
                .find(|item| item.session_id == session && item.version == version)
        })
    };
    let queue_confirmation =
        Action::new_local(move |&(session, version): &(SessionId, u32)| async move {
            let Some(store) = context.store() else { return };
            let date = sessions.with_untracked(|sessions| {
                sessions
                    .iter()
                    .find(|record| record.session.id == session)
                    .map_or(monday, |record| record.session.date)
            });
            let item = records::QueuedConfirmation::queued(
                crate::ids::new_uuid(),
                (session, date),
                version,
                clock::now_utc(),
            );
            if let Err(error) = records::put_confirmation(&store, &item).await {
                context.storage_problem.set(Some(error));
                return;
            }
            confirmations_written.update(|written| *written += 1);
            sync.kick(context, false);
        });
    let on_confirm = Callback::new(move |target: (SessionId, u32)| {
        queue_confirmation.dispatch(target);
    });
    let may_confirm = role == Some(Role::FirstSecretary);
    let active_date =
        move || active.with(|draft| draft.as_ref().map_or(monday, |draft| draft.session.date));
    view! {
        <h2 class="section-title">{point.name.clone()}</h2>
        <section class="ns-week" data-testid="ns-this-week">
            <h3>
                {move || if active_date() == monday { t_string!(i18n, night_school.this_week).to_string() } else { t_string!(i18n, night_school.editing).to_string() }}
                " · "{move || t_string!(i18n, night_school.date, date = active_date().to_string()).to_string()}
            </h3>
            {move || match active.get() {
                Some(draft) => {
                    // The server's record of this session: by id, else the point's session on the same date (another
                    // phone started this Monday first; the server folds this phone's sheet into that one).
                    let server = sessions.with_untracked(|sessions| {
                        sessions
                            .iter()
                            .find(|record| record.session.id == draft.session.id)
                            .or_else(|| sessions.iter().find(|record| {
                                record.session.teaching_point_id == draft.session.teaching_point_id
                                    && record.session.date == draft.session.date
                            }))
                            .cloned()
                    });
                    view! { <Recording draft=draft roster=roster.get_value() server=server hooks=hooks /> }.into_any()
                }
                // The point's cadre records the session; the first secretary confirms it once it is recorded.
                None if records_here => view! {
                    <button class="button button-primary" data-testid="ns-start" on:click=start.clone()>
                        {t!(i18n, night_school.start)}
                    </button>
                }
                .into_any(),
                None => view! {
                    <p class="empty" data-testid="ns-recorded-by-cadre">{t!(i18n, night_school.recorded_by_cadre)}</p>
                }
                .into_any(),
            }}
        </section>
        <section class="ns-past">
            <h3>{t!(i18n, night_school.recorded)}</h3>
            <ul class="ns-sessions">
                <For each=move || sessions.get() key=|record| (record.session.id, record.version, record.confirmation.as_ref().map(|c| c.version)) let:record>
                    {
                        let id = record.session.id;
                        let rate = confirm::rate_text(record.rate.per_mille());
                        let confirmed = record.is_confirmed();
                        let version = record.version;
                        let queued = Signal::derive(move || queued_confirmation(id, version));
                        let mark = move || {
                            if confirmed {
                                return t_string!(i18n, night_school.confirmed_short).to_string();
                            }
                            match queued.get().map(|item| item.delivery.status) {
                                Some(OutboxStatus::Sent) => t_string!(i18n, night_school.confirmed_short).to_string(),
                                Some(OutboxStatus::NeedsAttention) => t_string!(i18n, night_school.confirm_refused_short).to_string(),
                                Some(_) => t_string!(i18n, night_school.confirm_pending_short).to_string(),
                                None => t_string!(i18n, night_school.unconfirmed).to_string(),
                            }
                        };
                        let detail = record.clone();
                        view! {
                            <li class="ns-session" data-testid="ns-session">
                                <button class="ns-session-open" data-testid="ns-session-open"
                                    aria-expanded=move || (opened.get() == Some(id)).to_string()
                                    on:click=move |_| opened.update(|open| *open = if *open == Some(id) { None } else { Some(id) })>
                                    <span>{record.session.date.to_string()}" "{record.session.topic.clone()}</span>
                                    <span>{move || t_string!(i18n, night_school.rate, rate = rate.clone()).to_string()}</span>
                                    <span class="mark" data-testid="ns-session-mark">{mark}</span>
                                </button>
                                <Show when=move || opened.get() == Some(id)>
                                    <SessionDetail record=detail.clone() may_confirm=may_confirm queued=queued on_edit=on_edit on_confirm=on_confirm />
                                </Show>
                                <a class="back-link" data-testid="ns-session-print" href=format!("/night-school/sessions/{}/print", id.0)>{t!(i18n, night_school_print.open)}</a>
                            </li>
                        }
                    }
                </For>
            </ul>
            <Show when=move || sessions.with(Vec::is_empty)>
                <p class="empty">{t!(i18n, night_school.none_recorded)}</p>
            </Show>
        </section>
    }
}
