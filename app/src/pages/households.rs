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

    /// The list's key: a row is drawn again when what it shows changed (a newer version, another colour, a new
    /// visit or night-school follow-up), not only when a household joins or leaves the list.
    fn key(&self) -> String {
        let assigned = &self.assigned;
        format!(
            "{}|{}|{:?}|{:?}|{:?}",
            self.id,
            assigned.version,
            assigned.risk.colour,
            assigned.last_visit_on,
            assigned.night_school_follow_up
        )
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

/// What the phone holds for the list: the assignments and, for the status badges, the drafts, outbox and queued
/// decisions.
#[derive(Clone)]
struct OnPhone {
    assignments: Option<Assignments>,
    records: PhoneRecords,
}

#[component]
pub fn HouseholdsPage() -> AnyView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let query = RwSignal::new(String::new());
    // Cadres and admins have no households: they are never asked for (the server would refuse).
    let has_households = context
        .current()
        .is_some_and(|session| matches!(session.user.role, Role::Helper | Role::FirstSecretary));

    // Refreshing from the server; once it has stored the answer, the list is read again.
    let refresh = Action::new_local(move |_: &()| async move {
        let (Some(session), Some(store)) = (context.current(), context.store()) else {
            return Ok(());
        };
        let response = api::assignments(&session.token).await;
        // An expired session asks for the password again; the list stays as it was.
        if let Err(ApiError::Unauthorized(_)) = response {
            context.needs_reauth.set(true);
        }
        let response = response?;
        if let Err(error) = records::save_assignments(&store, &response).await {
            context.storage_problem.set(Some(error));
        }
        Ok::<(), ApiError>(())
    });
    // Read from the phone first, and again after each refresh and each sync run that changed the outbox or the
    // households (the status badges follow at once).
    let sync = crate::sync::service::use_sync();
    let on_phone = LocalResource::new(move || {
        sync.revision.track();
        refresh.version().track();
        async move {
            let store = context.store().filter(|_| has_households)?;
            let assignments = match records::load_assignments(&store).await {
                Ok(loaded) => Some(loaded),
                Err(error) => {
                    context.storage_problem.set(Some(error));
                    None
                }
            };
            let records = load_phone_records(&store).await.0;
            crate::platform::performance_mark("households:read");
            Some(OnPhone {
                assignments,
                records,
            })
        }
    });
    // The list on the phone is drawn first; the server's copy is asked for once that frame is painted.
    let (list_painted, set_list_painted) = signal(false);
    Effect::new(move |_| {
        if has_households && !list_painted.get_untracked() && on_phone.with(Option::is_some) {
            crate::pages::household::after_next_paint(move || {
                let _ = set_list_painted.try_set(true);
            });
        }
    });
    let refresh_asked = StoredValue::new(false);
    Effect::new(move |_| {
        if list_painted.get() && !refresh_asked.get_value() {
            refresh_asked.set_value(true);
            refresh.dispatch(());
        }
    });
    let phone = Signal::derive(move || {
        on_phone
            .get()
            .flatten()
            .map(|on_phone| on_phone.records)
            .unwrap_or_default()
    });
    let assignments = Signal::derive(move || {
        on_phone
            .get()
            .flatten()
            .and_then(|on_phone| on_phone.assignments)
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
        refresh.pending().get(),
        refresh.value().get(),
        assignments.with(|a| a.as_ref().and_then(|a| a.received_at.clone())),
    ) {
        (true, _, _) => t_string!(i18n, households.refreshing).to_string(),
        (false, Some(Err(error)), _) if !matches!(error, ApiError::Unauthorized(_)) => {
            t_string!(i18n, households.refresh_failed, reason = error.to_string()).to_string()
        }
        (false, _, Some(at)) => {
            let time = clock::parse_rfc3339(&at)
                .map(clock::date_time)
                .unwrap_or(at);
            t_string!(i18n, households.synced_at, time = time).to_string()
        }
        (false, _, None) => t_string!(i18n, households.never_synced).to_string(),
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
                <For each=visible key=Row::key let:row>
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
fn HouseholdRow(row: Row, phone: Signal<PhoneRecords>) -> impl IntoView {
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
