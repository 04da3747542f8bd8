//! 夜校: the teaching point is the cadre's home. This week's session (started on the phone, offline if need be, on
//! the broadcast day of the week at 20:00), the roster to mark, notes after the lesson, the sessions recorded so
//! far with their 参学率, each opening its details, history and — for the village's first secretary — 确认.
//! Drafts are saved on the phone after every mark; 提交 queues the session in the outbox under the UUID the draft
//! keeps (`recording.rs`), so it goes out once, whenever the phone is online.

pub mod after_lesson;
mod confirm;
mod conflict;
mod group_photo;
mod market_sale;
pub mod print;
mod recording;
mod roster;

use crate::api::{self, ApiError};
use crate::clock;
use crate::components::PageHeader;
use crate::i18n::*;
use crate::session::AppContext;
use crate::storage::night_school::{self as records, AttendanceDraft};
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
                            view! { <PointView point=point monday=monday drafts=drafts role=role refresh=refetch opened=opened /> }.into_any()
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
    let on_confirmed = Callback::new(move |record: SessionRecord| {
        sessions.update(|sessions| {
            if let Some(kept) = sessions
                .iter_mut()
                .find(|kept| kept.session.id == record.session.id)
            {
                *kept = record;
            }
        });
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
                    let server = sessions.with_untracked(|sessions| {
                        sessions.iter().find(|record| record.session.id == draft.session.id).cloned()
                    });
                    view! { <Recording draft=draft roster=roster.get_value() server=server hooks=hooks /> }.into_any()
                }
                None => view! {
                    <button class="button button-primary" data-testid="ns-start" on:click=start.clone()>
                        {t!(i18n, night_school.start)}
                    </button>
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
                        let detail = record.clone();
                        view! {
                            <li class="ns-session" data-testid="ns-session">
                                <button class="ns-session-open" data-testid="ns-session-open"
                                    aria-expanded=move || (opened.get() == Some(id)).to_string()
                                    on:click=move |_| opened.update(|open| *open = if *open == Some(id) { None } else { Some(id) })>
                                    <span>{record.session.date.to_string()}" "{record.session.topic.clone()}</span>
                                    <span>{move || t_string!(i18n, night_school.rate, rate = rate.clone()).to_string()}</span>
                                    <span class="mark">{move || if confirmed { t_string!(i18n, night_school.confirmed_short).to_string() } else { t_string!(i18n, night_school.unconfirmed).to_string() }}</span>
                                </button>
                                <Show when=move || opened.get() == Some(id)>
                                    <SessionDetail record=detail.clone() may_confirm=may_confirm on_edit=on_edit on_confirmed=on_confirmed />
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
