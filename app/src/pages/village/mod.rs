//! 全村: the first secretary's home. Everything comes from the phone (the households, the outbox, the night-school
//! sheets as last synced), so it works offline; with a connection the households and the night school are fetched
//! again. Shown: the colour counts and chart, the households by colour with their reasons (filtered by colour, 组,
//! helper and status), plans awaiting review, overdue visits, households under a line, each helper's progress and the
//! night school. Each row opens the household. The derivations live in [`model`].

pub mod charts;
pub mod filters;
pub mod model;
pub mod night_school;
pub mod rows;
pub mod status;

use crate::api::{self, ApiError};
use crate::clock;
use crate::components::PageHeader;
use crate::i18n::*;
use crate::session::AppContext;
use crate::storage::night_school as night_school_records;
use crate::storage::records::{self, Assignments};
use charts::{ColourChart, colour_label};
use filters::FilterBar;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use model::{Filters, Village, VillageRow};
use rows::RowList;
use status::{PhoneRecords, load_phone_records};
use zoufang_domain::protocol::{DEFAULT_OVERDUE_AFTER_DAYS, NightSchoolResponse};

#[derive(Debug, Clone, PartialEq)]
enum Refresh {
    Idle,
    Running,
    Failed(String),
}

fn days_line(i18n: I18nContext<Locale>, row: &VillageRow) -> String {
    match (row.last_visit_on, row.days_since_visit) {
        (Some(date), Some(days)) => t_string!(
            i18n,
            village.days_since,
            date = date.to_string(),
            days = days
        )
        .to_string(),
        _ => t_string!(i18n, households.never_visited).to_string(),
    }
}

fn waiting_line(i18n: I18nContext<Locale>, row: &VillageRow) -> String {
    let since = row
        .awaiting_review_since
        .as_deref()
        .and_then(clock::parse_rfc3339)
        .map(clock::date_time);
    match since {
        Some(time) => t_string!(i18n, village.waiting_since, time = time).to_string(),
        None => String::new(),
    }
}

fn line_line(i18n: I18nContext<Locale>, row: &VillageRow) -> String {
    if row.below_standard {
        t_string!(i18n, village.below_standard).to_string()
    } else {
        t_string!(i18n, village.below_monitoring).to_string()
    }
}

#[component]
pub fn VillagePage() -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let sync = crate::sync::service::use_sync();
    let assignments = RwSignal::new(None::<Assignments>);
    let phone = RwSignal::new(PhoneRecords::default());
    let sheets = RwSignal::new(None::<NightSchoolResponse>);
    let refresh = RwSignal::new(Refresh::Idle);
    let filters = RwSignal::new(Filters::default());

    let load_local = move || async move {
        let Some(store) = context.store() else { return };
        match records::load_assignments(&store).await {
            Ok(loaded) => assignments.set(Some(loaded)),
            Err(error) => context.storage_problem.set(Some(error)),
        }
        let (loaded, problem) = load_phone_records(&store).await;
        phone.set(loaded);
        if let Some(error) = problem {
            context.storage_problem.set(Some(error));
        }
        if let Ok(Some(cached)) = night_school_records::load_sheets(&store).await {
            sheets.set(Some(cached));
        }
    };
    leptos::task::spawn_local(async move {
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
                // The night school is a second, smaller read; the view works without it.
                if let Ok(night_school) = api::night_school(&session.token).await
                    && night_school_records::save_sheets(&store, &night_school)
                        .await
                        .is_ok()
                {
                    sheets.set(Some(night_school));
                }
                refresh.set(Refresh::Idle);
                load_local().await;
            }
            Err(ApiError::Unauthorized(_)) => {
                context.needs_reauth.set(true);
                refresh.set(Refresh::Idle);
            }
            Err(error) => refresh.set(Refresh::Failed(error.to_string())),
        }
    });
    // A sync run that changed the outbox or the households: the badges and lists follow at once.
    Effect::new(move |previous: Option<u64>| {
        let revision = sync.revision.get();
        if previous.is_some_and(|previous| previous != revision) {
            leptos::task::spawn_local(load_local());
        }
        revision
    });

    let today = clock::today_local();
    let village = Memo::new(move |_| {
        assignments.with(|loaded| {
            loaded.as_ref().map(|loaded| {
                phone.with(|phone| {
                    Village::new(
                        &loaded.households,
                        phone,
                        today,
                        clock::local_offset(),
                        loaded
                            .overdue_after_days
                            .unwrap_or(DEFAULT_OVERDUE_AFTER_DAYS),
                    )
                })
            })
        })
    });
    let sync_line = move || match (
        refresh.get(),
        assignments.with(|a| a.as_ref().and_then(|a| a.received_at.clone())),
    ) {
        (Refresh::Running, _) => t_string!(i18n, households.refreshing).to_string(),
        (Refresh::Failed(reason), _) => {
            t_string!(i18n, households.refresh_failed, reason = reason).to_string()
        }
        (Refresh::Idle, Some(at)) => {
            let time = clock::parse_rfc3339(&at)
                .map(clock::date_time)
                .unwrap_or(at);
            t_string!(i18n, households.synced_at, time = time).to_string()
        }
        (Refresh::Idle, None) => t_string!(i18n, households.never_synced).to_string(),
    };
    let title = Signal::derive(move || {
        context
            .current()
            .and_then(|session| session.user.village.map(|village| village.name))
            .unwrap_or_else(|| t_string!(i18n, village.title).to_string())
    });
    view! {
        <PageHeader title=title />
        <p class="sync-line" data-testid="village-sync">{sync_line}</p>
        {move || match village.get() {
            None => view! { <p class="empty">{t!(i18n, loading)}</p> }.into_any(),
            Some(village) if village.rows.is_empty() => {
                view! { <p class="empty" data-testid="village-empty">{t!(i18n, households.empty)}</p> }.into_any()
            }
            Some(village) => view! { <VillageBody village=village filters=filters sheets=sheets today=today /> }.into_any(),
        }}
    }
}

/// Everything under the header, for one derived village.
#[component]
fn VillageBody(
    village: Village,
    filters: RwSignal<Filters>,
    sheets: RwSignal<Option<NightSchoolResponse>>,
    today: time::Date,
) -> impl IntoView {
    let i18n = use_i18n();
    let selected = Signal::derive(move || filters.with(|f| f.colour));
    let on_select = Callback::new(move |colour| filters.update(|f| f.colour = colour));
    let awaiting: Vec<VillageRow> = village.awaiting_review().into_iter().cloned().collect();
    let overdue: Vec<VillageRow> = village.overdue().into_iter().cloned().collect();
    let below: Vec<VillageRow> = village.below_lines().into_iter().cloned().collect();
    let overdue_days = village.overdue_after_days;
    let counts = (awaiting.len(), overdue.len(), below.len());
    let helpers = village.helpers();
    let helper_names: Vec<String> = helpers.iter().map(|helper| helper.name.clone()).collect();
    let groups = village.groups();
    let rows = StoredValue::new(village.rows.clone());
    // The panels' contents are built each time a panel opens, from these.
    let (awaiting, overdue, below, helpers) = (
        StoredValue::new(awaiting),
        StoredValue::new(overdue),
        StoredValue::new(below),
        StoredValue::new(helpers),
    );
    let night_village = StoredValue::new(village.clone());
    let filtered = move || {
        let filters = filters.get();
        rows.with_value(|rows| {
            rows.iter()
                .filter(|row| filters.admits(row))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <ColourChart counts=village.colour_counts() selected=selected on_select=on_select />
        <Panel title=Signal::derive(move || t_string!(i18n, village.awaiting, count = counts.0).to_string()) testid="panel-awaiting" open={counts.0 > 0}>
            <RowList rows=awaiting.get_value() extra=waiting_line testid="village-awaiting" />
        </Panel>
        <Panel title=Signal::derive(move || t_string!(i18n, village.overdue, days = overdue_days, count = counts.1).to_string()) testid="panel-overdue" open=false>
            <RowList rows=overdue.get_value() extra=days_line testid="village-overdue" />
        </Panel>
        <Panel title=Signal::derive(move || t_string!(i18n, village.below_lines, count = counts.2).to_string()) testid="panel-below" open=false>
            <RowList rows=below.get_value() extra=line_line with_reasons=true testid="village-below" />
        </Panel>
        <Panel title=Signal::derive(move || t_string!(i18n, village.helpers).to_string()) testid="panel-helpers" open=false>
            <HelperTable helpers=helpers.get_value() />
        </Panel>
        <Panel title=Signal::derive(move || t_string!(i18n, village.night_school).to_string()) testid="panel-night-school" open=false>
            {move || view! { <night_school::VillageNightSchool village=night_village.get_value() sheets=sheets.get() today=today /> }}
        </Panel>
        <section class="village-households">
            <h2>{t!(i18n, village.households)}</h2>
            <FilterBar filters=filters groups=groups helpers=helper_names />
            {move || {
                let shown = filtered();
                let count = shown.len();
                let colour_note = filters.with(|f| f.colour).map(|colour| colour_label(i18n, colour));
                view! {
                    <p class="village-shown" data-testid="village-shown" data-count=count>
                        {t_string!(i18n, village.shown, count = count).to_string()}
                        {colour_note.map(|label| format!(" · {label}"))}
                    </p>
                    <RowList rows=shown with_reasons=true testid="village-households" />
                }
            }}
            <A href="/households" attr:class="button button-secondary">{t!(i18n, village.open_list)}</A>
        </section>
    }
}

/// A titled section that renders its content only once opened (a village of 300 keeps the first paint small).
#[component]
fn Panel(
    title: Signal<String>,
    testid: &'static str,
    open: bool,
    children: ChildrenFn,
) -> impl IntoView {
    let opened = RwSignal::new(open);
    view! {
        <details
            class="card village-panel"
            data-testid=testid
            open=open
            on:toggle=move |event| {
                // `open` is reflected as an attribute, so no extra web-sys feature is needed to read it.
                let open = event_target::<web_sys::Element>(&event).has_attribute("open");
                opened.set(open);
            }
        >
            <summary>{title}</summary>
            <Show when=move || opened.get()>{children()}</Show>
        </details>
    }
}

#[component]
fn HelperTable(helpers: Vec<model::HelperProgress>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="village-helpers" data-testid="village-helpers">
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, village.helper)}</th>
                    <th scope="col">{t!(i18n, village.helper_households)}</th>
                    <th scope="col">{t!(i18n, village.helper_visits)}</th>
                    <th scope="col">{t!(i18n, village.helper_overdue)}</th>
                </tr>
            </thead>
            <tbody>
                {helpers
                    .into_iter()
                    .map(|helper| {
                        let name = if helper.name.is_empty() {
                            t_string!(i18n, village.no_helper).to_string()
                        } else {
                            helper.name
                        };
                        view! {
                            <tr>
                                <th scope="row">{name}</th>
                                <td>{helper.households}</td>
                                <td>{helper.visits_this_month}</td>
                                <td>{helper.overdue}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
