//! 我的户: the households assigned to the logged-in user, from the phone first, refreshed from the
//! server when there is a connection.

use crate::api::{self, ApiError};
use crate::clock;
use crate::components::{PageHeader, RiskBadge};
use crate::i18n::*;
use crate::pages::village::status::{PhoneRecords, load_phone_records};
use crate::session::AppContext;
use crate::storage::records::{self, Assignments};
use crate::ui::badge::StatusBadge;
use leptos::prelude::*;
use leptos_router::components::A;
use zoufang_domain::model::Relation;
use zoufang_domain::protocol::{AssignedHousehold, Role};

/// One row of the list, derived once from the stored records.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    id: String,
    head_name: String,
    code: String,
    group: String,
    member_count: usize,
    assigned: AssignedHousehold,
}

impl Row {
    fn new(assigned: &AssignedHousehold) -> Row {
        let household = &assigned.household;
        let head_name = household
            .members
            .iter()
            .find(|member| member.relation == Relation::Head)
            .or(household.members.first())
            .map(|member| member.name.clone())
            .unwrap_or_default();
        Row {
            id: household.id.to_string(),
            head_name,
            code: household.household_code.clone(),
            group: household.address.group.clone(),
            member_count: household.members.len(),
            assigned: assigned.clone(),
        }
    }

    /// Search by name (any member), 户编号 or 组.
    fn matches(&self, query: &str) -> bool {
        let query = query.trim();
        query.is_empty()
            || self.code.contains(query)
            || self.group.contains(query)
            || self
                .assigned
                .household
                .members
                .iter()
                .any(|member| member.name.contains(query))
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Refresh {
    Idle,
    Running,
    Failed(ApiError),
}

#[component]
pub fn HouseholdsPage() -> AnyView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let assignments = RwSignal::new(None::<Assignments>);
    let refresh = RwSignal::new(Refresh::Idle);
    let query = RwSignal::new(String::new());
    let phone = RwSignal::new(PhoneRecords::default());

    let load_local = move || async move {
        let Some(store) = context.store() else { return };
        match records::load_assignments(&store).await {
            Ok(loaded) => assignments.set(Some(loaded)),
            Err(error) => context.storage_problem.set(Some(error)),
        }
        // Drafts, outbox and queued decisions: each row's status badge is derived from them.
        phone.set(load_phone_records(&store).await.0);
    };
    // Cadres and admins have no households: they are never asked for (the server would refuse).
    let has_households = context
        .current()
        .is_some_and(|session| matches!(session.user.role, Role::Helper | Role::FirstSecretary));
    leptos::task::spawn_local(async move {
        if !has_households {
            return;
        }
        load_local().await;
        let (Some(session), Some(store)) = (context.current(), context.store()) else {
            return;
        };
        refresh.set(Refresh::Running);
        match api::assignments(&session.token).await {
            Ok(response) => {
                if let Err(error) = records::save_assignments(&store, &response).await {
                    context.storage_problem.set(Some(error));
                }
                refresh.set(Refresh::Idle);
                load_local().await;
            }
            Err(ApiError::Unauthorized(_)) => {
                context.needs_reauth.set(true);
                refresh.set(Refresh::Idle);
            }
            Err(error) => refresh.set(Refresh::Failed(error)),
        }
    });

    // A sync run that changed the outbox or the households: the status badges follow at once.
    let sync = crate::sync::service::use_sync();
    Effect::new(move |previous: Option<u64>| {
        let revision = sync.revision.get();
        if has_households && previous.is_some_and(|previous| previous != revision) {
            leptos::task::spawn_local(load_local());
        }
        revision
    });

    let rows = Memo::new(move |_| {
        assignments.with(|loaded| {
            loaded
                .as_ref()
                .map(|loaded| loaded.households.iter().map(Row::new).collect::<Vec<_>>())
        })
    });
    let visible = move || {
        let query = query.get();
        rows.get()
            .unwrap_or_default()
            .into_iter()
            .filter(|row| row.matches(&query))
            .collect::<Vec<_>>()
    };
    let sync_line = move || match (
        refresh.get(),
        assignments.with(|a| a.as_ref().and_then(|a| a.received_at.clone())),
    ) {
        (Refresh::Running, _) => t_string!(i18n, households.refreshing).to_string(),
        (Refresh::Failed(error), _) => {
            t_string!(i18n, households.refresh_failed, reason = error.to_string()).to_string()
        }
        (Refresh::Idle, Some(at)) => {
            let time = clock::parse_rfc3339(&at)
                .map(clock::date_time)
                .unwrap_or(at);
            t_string!(i18n, households.synced_at, time = time).to_string()
        }
        (Refresh::Idle, None) => t_string!(i18n, households.never_synced).to_string(),
    };

    if !has_households {
        return view! {
            <PageHeader title=Signal::derive(move || t_string!(i18n, households.title).to_string()) />
            <p class="empty" data-testid="households-none-for-role">{t!(i18n, households.none_for_role)}</p>
            <A href="/night-school" attr:class="button">{t!(i18n, nav.night_school)}</A>
        }
        .into_any();
    }
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, households.title).to_string()) />
        <p class="sync-line" data-testid="households-sync">{sync_line}</p>
        <label class="search">
            <span class="visually-hidden">{t!(i18n, households.search)}</span>
            <input
                type="search"
                data-testid="household-search"
                placeholder=move || t_string!(i18n, households.search)
                prop:value=move || query.get()
                on:input=move |event| query.set(event_target_value(&event))
            />
        </label>
        <Show
            when=move || rows.with(|rows| rows.as_ref().is_some_and(|rows| !rows.is_empty()))
            fallback=move || view! { <p class="empty">{t!(i18n, households.empty)}</p> }
        >
            <ul class="household-list" data-testid="household-list">
                <For each=visible key=|row| row.id.clone() let:row>
                    <HouseholdRow row=row phone=phone />
                </For>
            </ul>
            <Show when=move || visible().is_empty()>
                <p class="empty">{t!(i18n, households.no_match)}</p>
            </Show>
        </Show>
    }
    .into_any()
}

#[component]
fn HouseholdRow(row: Row, phone: RwSignal<PhoneRecords>) -> impl IntoView {
    let i18n = use_i18n();
    let id = row.id.clone();
    let colour = row.assigned.risk.colour;
    let last_visit = row.assigned.last_visit_on;
    let count = row.member_count;
    let follow_up = row.assigned.night_school_follow_up;
    let assigned = row.assigned.clone();
    view! {
        <li>
            <A href=format!("/households/{id}") attr:class="household-row" attr:data-testid="household-row">
                <RiskBadge colour=colour />
                <span class="household-main">
                    <span class="household-name">{row.head_name.clone()}</span>
                    <span class="household-meta">
                        {row.code.clone()}" · "{row.group.clone()}" · "
                        {move || if count == 1 {
                            t_string!(i18n, households.member_single).to_string()
                        } else {
                            t_string!(i18n, households.members, count = count).to_string()
                        }}
                    </span>
                    <span class="household-meta">
                        {move || match last_visit {
                            Some(date) => t_string!(i18n, households.last_visit, date = date.to_string()).to_string(),
                            None => t_string!(i18n, households.never_visited).to_string(),
                        }}
                    </span>
                </span>
                <span class="household-marks">
                    <StatusBadge status=Signal::derive(move || phone.with(|phone| phone.status_of(&assigned))) />
                    {follow_up.map(|follow_up| view! {
                        <span class="mark mark-attention" data-testid="night-school-follow-up">
                            {move || t_string!(i18n, night_school.follow_up, absences = follow_up.absences, of = follow_up.of_sessions).to_string()}
                        </span>
                    })}
                </span>
            </A>
        </li>
    }
}
