//! One household: its draft loaded from the phone (or started from the server copy), autosaved while any of its
//! screens is open. The screens are child routes that share the one draft through [`HouseholdScreen`]:
//! the overview (`/households/:id`), one section alone for corrections (`/households/:id/edit/:section`) and the
//! guided visit (`/households/:id/visit/:step`). Moving between them never reloads or remounts the draft.

pub mod overview;
pub mod paths;
pub mod photo_access;
pub mod section;
pub mod steps;
pub mod submit;
pub mod timeline;
pub mod visit_flow;

use crate::autosave::{SaveState, use_autosave};
use crate::clock;
use crate::components::RiskBadge;
use crate::draft::{HouseholdDraft, NewDraftIds};
use crate::i18n::*;
use crate::ids::new_uuid;
use crate::pages::village::status::HeaderStatus;
use crate::platform::performance_mark;
use crate::sections::{IncomeResult, use_household_report, use_income_report};
use crate::session::AppContext;
use crate::storage::records::{self, DraftOnPhone};
use crate::storage::{AppStore, StoreError};
use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::{use_location, use_params_map};
use time::{Date, OffsetDateTime};
use zoufang_domain::model::{IncomeSheetId, PlanId, Relation, UserId, VisitId};
use zoufang_domain::policy::PolicyTables;
use zoufang_domain::protocol::{AssignedHousehold, PlanReview};
use zoufang_domain::risk::RiskAssessment;
use zoufang_domain::validation::ValidationReport;

/// What the server said about the household when the phone last synced (read-only on every screen).
#[derive(Debug, Clone)]
pub struct ServerFacts {
    pub risk: RiskAssessment,
    /// The latest visit the server knows of.
    pub last_visit_on: Option<Date>,
    /// Who submitted the latest visit the server sent with the household (its name on the server).
    pub last_visit_by: Option<String>,
    pub review: Option<PlanReview>,
}

/// A visit submitted on this phone: newer than what the server knew at the last sync, or not sent yet.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitOnPhone {
    pub on: Date,
    pub sent: bool,
}

/// Everything the household's screens share: the one draft and what is computed from it once per change.
#[derive(Clone, Copy)]
pub struct HouseholdScreen {
    pub household_id: StoredValue<String>,
    pub draft: RwSignal<HouseholdDraft>,
    pub income: Memo<IncomeResult>,
    pub report: Memo<ValidationReport>,
    pub policy: Signal<PolicyTables>,
    pub today: Signal<Date>,
    pub now: Callback<(), OffsetDateTime>,
    /// The field a check-list link asked to show: the screen that holds it opens the item it is in.
    pub focus: RwSignal<Option<String>>,
    /// The field to scroll to and put the cursor in once the screen a check-list link opened has rendered; taken
    /// by that screen, so coming back to it later does not jump again.
    pub reveal: StoredValue<Option<String>>,
    pub store: StoredValue<AppStore, LocalStorage>,
    pub facts: StoredValue<ServerFacts>,
    /// The newest visit of this household submitted on this phone (updated by 提交).
    pub visit_on_phone: RwSignal<Option<VisitOnPhone>>,
    /// The answer to the last 提交 (the time it was queued, or why it was not).
    pub outcome: RwSignal<Option<Result<String, String>>>,
}

impl HouseholdScreen {
    /// The address of one of this household's screens: `""` (overview), `"/visit/plan"`, `"/edit/income"` …
    pub fn href(&self, rest: &str) -> String {
        format!("/households/{}{rest}", self.household_id.get_value())
    }
}

/// What the page found on the phone for the household in the address.
#[derive(Clone)]
enum Loaded {
    Missing,
    /// The stored draft could not be read, nor set aside: the editor stays closed so nothing overwrites it.
    DraftUnavailable,
    Ready {
        draft: Box<HouseholdDraft>,
        /// An unreadable draft was set aside to start this one: the page says so.
        set_aside: bool,
        facts: Box<ServerFacts>,
        policy: Box<PolicyTables>,
        store: AppStore,
        visit_on_phone: Option<VisitOnPhone>,
    },
}

#[component]
pub fn HouseholdPage() -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let params = use_params_map();
    let household_id = params.with_untracked(|params| params.get("id").unwrap_or_default());
    let id_for_load = household_id.clone();
    // Read once: nothing the loader reads is tracked, so it never runs again for this page.
    let loaded = LocalResource::new(move || {
        let id = id_for_load.clone();
        async move { load(context, &id).await }
    });

    view! {
        {move || match loaded.get() {
            None => view! { <p class="empty">{t!(i18n, loading)}</p> }.into_any(),
            Some(Loaded::Missing) => view! {
                <A href="/households" attr:class="back-link">"‹ "{t!(i18n, household.back)}</A>
                <p class="empty">{t!(i18n, household.not_found)}</p>
            }.into_any(),
            Some(Loaded::DraftUnavailable) => view! {
                <A href="/households" attr:class="back-link">"‹ "{t!(i18n, household.back)}</A>
                <p class="banner banner-warning" role="alert" data-testid="draft-unavailable">
                    {t!(i18n, household.draft_unavailable)}
                </p>
            }
            .into_any(),
            Some(Loaded::Ready { draft, set_aside, facts, policy, store, visit_on_phone }) => view! {
                {set_aside.then(|| view! {
                    <p class="banner banner-warning" role="alert" data-testid="draft-set-aside">
                        {t!(i18n, household.draft_set_aside)}
                    </p>
                })}
                <HouseholdFrame
                    draft=RwSignal::new(*draft)
                    facts=*facts
                    policy=StoredValue::new(*policy)
                    store=store
                    visit_on_phone=visit_on_phone
                    household_id=household_id.clone()
                />
            }
            .into_any(),
        }}
    }
}

/// Reads the household, its policy tables, its draft and this phone's latest submission of it: only this
/// household's records, read at the same time.
async fn load(context: AppContext, household_id: &str) -> Loaded {
    performance_mark("zoufang:household-load-start");
    let Some(store) = context.store() else {
        return Loaded::Missing;
    };
    let kept_at = clock::rfc3339(clock::now_utc());
    let (assigned, policy, draft, submissions) = futures::join!(
        marked(
            "zoufang:household-read-record",
            records::load_household(&store, household_id)
        ),
        marked(
            "zoufang:household-read-policy",
            records::load_policy(&store)
        ),
        marked(
            "zoufang:household-read-draft",
            records::open_draft(&store, household_id, &kept_at)
        ),
        // The outbox only adds a line to the overview: if it cannot be read, the page still opens.
        marked(
            "zoufang:household-read-outbox",
            records::submissions_of(&store, household_id)
        ),
    );
    performance_mark("zoufang:household-read");
    let Ok(Some(assigned)) = assigned else {
        return Loaded::Missing;
    };
    // The tables the server sent; the ones built in if none were received (both are checked data).
    let policy = policy
        .ok()
        .flatten()
        .map(|document| document.tables().clone())
        .or_else(|| PolicyTables::builtin().ok());
    let Some(policy) = policy else {
        return Loaded::Missing;
    };
    let (draft, set_aside) = match draft {
        Ok(DraftOnPhone::Found(stored)) => (stored.draft, false),
        Ok(DraftOnPhone::None) => (start_draft(context, &assigned), false),
        Ok(DraftOnPhone::SetAside { .. }) => (start_draft(context, &assigned), true),
        Err(_) => return Loaded::DraftUnavailable,
    };
    Loaded::Ready {
        draft: Box::new(draft),
        set_aside,
        facts: Box::new(ServerFacts {
            risk: assigned.risk,
            last_visit_on: assigned.last_visit_on,
            last_visit_by: assigned
                .visits
                .iter()
                .max_by_key(|entry| entry.visit.started_at)
                .and_then(|entry| entry.submitted_by.clone()),
            review: assigned.review,
        }),
        policy: Box::new(policy),
        store,
        visit_on_phone: submissions
            .unwrap_or_default()
            .last()
            .map(|latest| VisitOnPhone {
                on: latest
                    .visit_started_at
                    .to_offset(clock::local_offset())
                    .date(),
                sent: !latest.pending,
            }),
    }
}

/// `future`, leaving the performance mark `name` when it is done (the benchmark reports each read of the page).
async fn marked<T>(name: &str, future: impl std::future::Future<Output = T>) -> T {
    let value = future.await;
    performance_mark(name);
    value
}

/// Runs `then` just after the next frame is painted: the animation frame runs just before the paint, the timeout
/// just after it.
pub fn after_next_paint(then: impl FnOnce() + 'static) {
    request_animation_frame(move || set_timeout(then, std::time::Duration::ZERO));
}

/// Becomes true once the frame that shows the screen being built has been painted: what is below the fold, or reads
/// the phone again, waits for it, so the first screen is not held back by it.
pub fn after_first_paint() -> ReadSignal<bool> {
    let (painted, set_painted) = signal(false);
    after_next_paint(move || {
        // The screen may be gone already (the helper went on): then there is nothing to show.
        let _ = set_painted.try_set(true);
    });
    painted
}

/// A new draft from the server's copy of the household, for this year's visit by the logged-in helper.
fn start_draft(context: AppContext, assigned: &AssignedHousehold) -> HouseholdDraft {
    let visitor = context
        .current()
        .map(|s| UserId(s.user.id))
        .unwrap_or(UserId(new_uuid()));
    let ids = NewDraftIds {
        income: IncomeSheetId(new_uuid()),
        plan: PlanId(new_uuid()),
        visit: VisitId(new_uuid()),
    };
    let year = zoufang_domain::income::accounting_year(clock::today_local());
    HouseholdDraft::start_from_server(assigned, ids, year, visitor, clock::now_utc())
}

/// The loaded household: autosave, the computed reports, the header, and the screen of the address.
#[component]
fn HouseholdFrame(
    draft: RwSignal<HouseholdDraft>,
    facts: ServerFacts,
    policy: StoredValue<PolicyTables>,
    store: AppStore,
    visit_on_phone: Option<VisitOnPhone>,
    household_id: String,
) -> impl IntoView {
    let save_state = use_autosave(draft, store.clone(), household_id.clone());
    photo_access::provide_photos(store.clone(), use_i18n());
    let today = Signal::derive(clock::today_local);
    let policy = Signal::derive(move || policy.get_value());
    let now = Callback::new(|()| clock::now_utc());
    // The income sheet is computed once per change: the income section's totals and validation share this memo.
    let income = use_income_report(draft, policy);
    let report = use_household_report(draft, today, policy, income, now);
    let colour = facts.risk.colour;
    let screen = HouseholdScreen {
        household_id: StoredValue::new(household_id),
        draft,
        income,
        report,
        policy,
        today,
        now,
        focus: RwSignal::new(None),
        reveal: StoredValue::new(None),
        store: StoredValue::new_local(store),
        facts: StoredValue::new(facts),
        visit_on_phone: RwSignal::new(visit_on_phone),
        outcome: RwSignal::new(None),
    };
    provide_context(screen);
    let head = move || {
        draft.with(|d| {
            d.household
                .members
                .iter()
                .find(|m| m.relation == Relation::Head)
                .map(|m| m.name.clone())
                .unwrap_or_default()
        })
    };
    let code = move || draft.with(|d| d.household.household_code.clone());
    let status_household = screen.household_id.get_value();
    let painted = after_first_paint();
    view! {
        <BackLink screen=screen />
        <header class="household-header">
            <RiskBadge colour=colour />
            <h1>{head}</h1>
            <span class="household-meta" data-testid="household-code">{code}</span>
            // It reads the phone again (every draft, the outbox): once the first screen is painted.
            <Show when=move || painted.get()>
                <HeaderStatus household_id=status_household.clone() save_state=save_state outcome=screen.outcome />
            </Show>
        </header>
        <SaveIndicator state=save_state />
        <Outlet />
    }
}

/// Where "back" goes: from the overview to the list, from a section opened by a check-list link back to the check
/// list, from any other screen of the household to its overview.
#[component]
fn BackLink(screen: HouseholdScreen) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let overview = screen.href("");
    let review = screen.href("/visit/review");
    let target = Memo::new(move |_| {
        let path = location.pathname.get();
        if path.trim_end_matches('/') == overview {
            Back::List
        } else if path.contains("/edit/")
            && location
                .query
                .with(|q| q.get("from").as_deref() == Some("review"))
        {
            Back::Review
        } else {
            Back::Overview
        }
    });
    let href = move || match target.get() {
        Back::List => "/households".to_string(),
        Back::Review => review.clone(),
        Back::Overview => screen.href(""),
    };
    let text = move || match target.get() {
        Back::List => t_string!(i18n, household.back).to_string(),
        Back::Review => t_string!(i18n, household.flow.back_to_review).to_string(),
        Back::Overview => t_string!(i18n, household.flow.back_to_overview).to_string(),
    };
    let test_id = move || match target.get() {
        Back::List => "to-households",
        Back::Review => "back-to-review",
        Back::Overview => "to-overview",
    };
    view! { <A href=href attr:class="back-link" attr:data-testid=test_id>"‹ "{text}</A> }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Back {
    List,
    Review,
    Overview,
}

#[component]
fn SaveIndicator(state: ReadSignal<SaveState>) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match state.get() {
        SaveState::Unchanged => t_string!(i18n, household.unchanged).to_string(),
        SaveState::Saving => t_string!(i18n, household.saving).to_string(),
        SaveState::Saved(at) => {
            t_string!(i18n, household.saved_at, time = clock::clock_time(at)).to_string()
        }
        SaveState::Failed(error) => {
            // The store's error text is for logs; the helper reads a plain sentence for each kind.
            let reason = match error {
                StoreError::QuotaExceeded => t_string!(i18n, household.quota),
                StoreError::Unavailable(_) => t_string!(i18n, household.store_unavailable),
                StoreError::UpgradeBlocked => t_string!(i18n, household.store_blocked),
                StoreError::Corrupt(_) => t_string!(i18n, household.store_corrupt),
                StoreError::Failed(_) => t_string!(i18n, household.store_failed),
            };
            t_string!(i18n, household.save_failed, reason = reason).to_string()
        }
    };
    let class = move || match state.get() {
        SaveState::Failed(_) => "save-state save-failed",
        _ => "save-state",
    };
    view! { <p class=class role="status" aria-live="polite" data-testid="save-state">{text}</p> }
}

/// The household's shared state, for the child screens.
pub fn use_household_screen() -> HouseholdScreen {
    expect_context::<HouseholdScreen>()
}
