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
use crate::platform::performance_mark;
use crate::session::AppContext;
use crate::storage::night_school as night_school_records;
use crate::storage::{records, village_digest};
use charts::{ColourChart, colour_label};
use filters::FilterBar;
use futures::FutureExt;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use model::{Filters, Village, VillageRow};
use rows::{Extra, PAGE, row_list};
use status::{PhoneRecords, load_phone_records};
use std::sync::Arc;
use zoufang_domain::protocol::DEFAULT_OVERDUE_AFTER_DAYS;
use zoufang_domain::village::{HouseholdDigest, VillageDigest};

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

/// What the view is drawn from, read from the phone.
#[derive(Debug, Clone)]
struct OnPhone {
    households: Vec<HouseholdDigest>,
    phone: PhoneRecords,
    received_at: Option<String>,
    overdue_after_days: Option<u32>,
}

/// Reads the village from the phone: the households' digests (built from the households and kept when there are none
/// yet), the outbox, drafts and queued decisions, all at once. The night school is read when its panel opens.
async fn load_on_phone(context: AppContext) -> Option<OnPhone> {
    let store = context.store()?;
    performance_mark("village:read-start");
    // Each read leaves a mark when it is done (`scripts/bench-village` prints where the time goes).
    fn marked<T>(name: &'static str) -> impl FnOnce(T) -> T {
        move |value| {
            performance_mark(name);
            value
        }
    }
    let (digest, (phone, problem), received) = futures::join!(
        village_digest::load(&store).map(marked("village:digests-read")),
        load_phone_records(&store).map(marked("village:phone-read")),
        records::assignments_received(&store).map(marked("village:received-read")),
    );
    let digest = match digest {
        Ok(Some(digest)) => Some(digest),
        // No digests yet (the first time after an update, or a write that stopped half-way): built from the
        // households once, and kept.
        Ok(None) => match records::load_assignments(&store).await {
            Ok(assignments) => {
                let digest = VillageDigest::of(&assignments.households);
                if let Err(error) = village_digest::save(&store, &digest).await {
                    context.storage_problem.set(Some(error));
                }
                Some(digest)
            }
            Err(error) => {
                context.storage_problem.set(Some(error));
                None
            }
        },
        Err(error) => {
            context.storage_problem.set(Some(error));
            None
        }
    };
    if let Some(error) = problem {
        context.storage_problem.set(Some(error));
    }
    let (received_at, overdue_after_days) = received.unwrap_or_default();
    performance_mark("village:read-end");
    Some(OnPhone {
        households: digest.map(|digest| digest.households).unwrap_or_default(),
        phone,
        received_at,
        overdue_after_days,
    })
}

/// Fetches the households and the night school again and keeps them; `Err` says why not.
async fn refresh_from_server(context: AppContext) -> Result<(), String> {
    let (Some(session), Some(store)) = (context.current(), context.store()) else {
        return Ok(());
    };
    match api::assignments(&session.token).await {
        Ok(response) => {
            if let Err(error) = records::save_assignments(&store, &response).await {
                context.storage_problem.set(Some(error));
            }
            // The night school is a second, smaller read; the view works without it.
            if let Ok(night_school) = api::night_school(&session.token).await {
                let _ = night_school_records::save_sheets(&store, &night_school).await;
            }
            Ok(())
        }
        Err(ApiError::Unauthorized(_)) => {
            context.needs_reauth.set(true);
            Ok(())
        }
        Err(error) => Err(error.to_string()),
    }
}

/// The village this logged-in frame derived last. Opening 全村 again shows it at once, while the phone is read
/// anew (the view changes only if the reading differs). The frame provides it, so it goes with the user's session:
/// a lock or a logout drops the frame and this with it.
#[derive(Clone, Copy)]
pub struct LastVillage(StoredValue<Option<Arc<Village>>>);

impl LastVillage {
    pub fn new() -> Self {
        LastVillage(StoredValue::new(None))
    }
}

impl Default for LastVillage {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn VillagePage() -> impl IntoView {
    performance_mark("village:open");
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let sync = crate::sync::service::use_sync();
    let filters = RwSignal::new(Filters::default());
    // Fetched again once per visit to the page when there is a connection.
    let refresh = Action::new_local(move |_: &()| refresh_from_server(context));
    refresh.dispatch(());
    let today = clock::today_local();
    let last = use_context::<LastVillage>();
    // When the village this frame showed last is drawn at once, the phone is read after that frame is painted:
    // decoding the reading must not hold the first frame back.
    let shows_last = last.is_some_and(|last| last.0.with_value(Option::is_some));
    let painted = if shows_last {
        crate::pages::household::after_first_paint()
    } else {
        signal(true).0
    };
    // Read again after the refresh and after every sync run (the outbox or the households may have changed).
    // `None` until it may be read.
    let on_phone = LocalResource::new(move || {
        sync.revision.track();
        refresh.version().track();
        let may_read = painted.get();
        async move {
            if may_read {
                Some(load_on_phone(context).await)
            } else {
                None
            }
        }
    });
    let village = Memo::new(move |_| {
        on_phone.with(|loaded| match loaded.as_ref().and_then(Option::as_ref) {
            // Not read yet: what this frame showed last, if anything.
            None => last.and_then(|last| last.0.get_value()),
            Some(None) => None,
            Some(Some(loaded)) => {
                let village = Arc::new(Village::new(
                    &loaded.households,
                    &loaded.phone,
                    today,
                    clock::local_offset(),
                    loaded
                        .overdue_after_days
                        .unwrap_or(DEFAULT_OVERDUE_AFTER_DAYS),
                ));
                performance_mark("village:derived");
                if let Some(last) = last {
                    last.0.set_value(Some(Arc::clone(&village)));
                }
                Some(village)
            }
        })
    });
    // The night-school panel reads its sheets again once the refresh has kept fresh ones.
    let refreshed = Signal::derive(move || refresh.version().get());
    let received_at = move || {
        on_phone.with(|loaded| {
            loaded
                .as_ref()
                .and_then(Option::as_ref)
                .and_then(Option::as_ref)
                .and_then(|loaded| loaded.received_at.clone())
        })
    };
    let sync_line = move || {
        if refresh.pending().get() {
            return t_string!(i18n, households.refreshing).to_string();
        }
        if let Some(Err(reason)) = refresh.value().get() {
            return t_string!(i18n, households.refresh_failed, reason = reason).to_string();
        }
        match received_at() {
            Some(at) => {
                let time = clock::parse_rfc3339(&at)
                    .map(clock::date_time)
                    .unwrap_or(at);
                t_string!(i18n, households.synced_at, time = time).to_string()
            }
            None => t_string!(i18n, households.never_synced).to_string(),
        }
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
            Some(village) => view! { <VillageBody village=village filters=filters refreshed=refreshed today=today /> }.into_any(),
        }}
    }
}

/// Everything under the header, for one derived village.
#[component]
fn VillageBody(
    village: Arc<Village>,
    filters: RwSignal<Filters>,
    refreshed: Signal<usize>,
    today: time::Date,
) -> impl IntoView {
    performance_mark("village:body");
    let i18n = use_i18n();
    let selected = Signal::derive(move || filters.with(|f| f.colour));
    let on_select = Callback::new(move |colour| filters.update(|f| f.colour = colour));
    let counts = (
        village.awaiting_review().len(),
        village.overdue().len(),
        village.below_lines().len(),
    );
    let overdue_days = village.overdue_after_days;
    let helper_names: Vec<String> = village
        .helpers()
        .into_iter()
        .map(|helper| helper.name)
        .collect();
    let groups = village.groups();
    let colour_counts = village.colour_counts();
    let village = StoredValue::new(village);
    // The list shows a page of the households the filters admit; 显示更多 adds a page. The count is kept with the
    // filters it was for, so changing a filter starts again at one page.
    let limit = RwSignal::new((Filters::default(), PAGE));
    let list = move || {
        let current = filters.get();
        let shown = limit.with(|(for_filters, shown)| {
            if *for_filters == current {
                *shown
            } else {
                PAGE
            }
        });
        village.with_value(|village| {
            let rows: Vec<&VillageRow> = village
                .rows
                .iter()
                .filter(|row| current.admits(row))
                .collect();
            let count = rows.len();
            let colour_note = current
                .colour
                .map(|colour| format!(" · {}", colour_label(i18n, colour)));
            let more = Callback::new(move |()| limit.set((current.clone(), shown + PAGE)));
            view! {
                <p class="village-shown" data-testid="village-shown" data-count=count>
                    {t_string!(i18n, village.shown, count = count).to_string()}
                    {colour_note}
                </p>
                {row_list(i18n, &rows, None, true, "village-households", shown, Some(more))}
            }
        })
    };
    view! {
        <ColourChart counts=colour_counts selected=selected on_select=on_select />
        <Panel title=Signal::derive(move || t_string!(i18n, village.awaiting, count = counts.0).to_string()) testid="panel-awaiting" open={counts.0 > 0}>
            <PagedRows village=village pick=Village::awaiting_review extra=Some(waiting_line) with_reasons=false testid="village-awaiting" />
        </Panel>
        <Panel title=Signal::derive(move || t_string!(i18n, village.overdue, days = overdue_days, count = counts.1).to_string()) testid="panel-overdue" open=false>
            <PagedRows village=village pick=Village::overdue extra=Some(days_line) with_reasons=false testid="village-overdue" />
        </Panel>
        <Panel title=Signal::derive(move || t_string!(i18n, village.below_lines, count = counts.2).to_string()) testid="panel-below" open=false>
            <PagedRows village=village pick=Village::below_lines extra=Some(line_line) with_reasons=true testid="village-below" />
        </Panel>
        <Panel title=Signal::derive(move || t_string!(i18n, village.helpers).to_string()) testid="panel-helpers" open=false>
            <HelperTable helpers=village.with_value(|village| village.helpers()) />
        </Panel>
        <Panel title=Signal::derive(move || t_string!(i18n, village.night_school).to_string()) testid="panel-night-school" open=false>
            <night_school::VillageNightSchool village=village.get_value() refreshed=refreshed today=today />
        </Panel>
        <section class="village-households">
            <h2>{t!(i18n, village.households)}</h2>
            <FilterBar filters=filters groups=groups helpers=helper_names />
            {list}
            <A href="/households" attr:class="button button-secondary">{t!(i18n, village.open_list)}</A>
        </section>
    }
}

/// One panel's rows, a page at a time.
#[component]
fn PagedRows(
    village: StoredValue<Arc<Village>>,
    pick: for<'a> fn(&'a Village) -> Vec<&'a VillageRow>,
    extra: Option<Extra>,
    with_reasons: bool,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let limit = RwSignal::new(PAGE);
    let more = Callback::new(move |()| limit.update(|limit| *limit += PAGE));
    move || {
        let shown = limit.get();
        village.with_value(|village| {
            row_list(
                i18n,
                &pick(village),
                extra,
                with_reasons,
                testid,
                shown,
                Some(more),
            )
        })
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
