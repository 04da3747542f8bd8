//! One household: its draft loaded from the phone (or started from the server copy), the form
//! sections, autosave, validation and submitting to the outbox.

use crate::autosave::{SaveState, use_autosave};
use crate::clock;
use crate::components::RiskBadge;
use crate::draft::{HouseholdDraft, NewDraftIds};
use crate::i18n::*;
use crate::ids::new_uuid;
use crate::sections::basic::BasicSection;
use crate::sections::causes::CausesSection;
use crate::sections::checklist::ChecklistSection;
use crate::sections::income::IncomeSection;
use crate::sections::members::MembersSection;
use crate::sections::plan::PlanSection;
use crate::sections::summary::{ValidationSummary, warnings_without_reason};
use crate::sections::visit::VisitSection;
use crate::sections::{use_household_report, use_income_report};
use crate::session::AppContext;
use crate::storage::records::{self, DraftOnPhone, OutboxItem};
use crate::storage::{AppStore, StoreError};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use zoufang_domain::model::{
    EffectId, IncomeSheetId, MeasureId, MemberId, PlanId, Relation, UserId, VisitId,
};
use zoufang_domain::policy::PolicyTables;
use zoufang_domain::protocol::{AssignedHousehold, PlanReview};
use zoufang_domain::risk::RiskColour;
use zoufang_domain::validation::ValidationReport;

/// What the page found on the phone for the household in the address.
#[derive(Clone)]
enum Loaded {
    Loading,
    Missing,
    /// The stored draft could not be read, nor set aside: the editor stays closed so nothing overwrites it.
    DraftUnavailable,
    Ready {
        draft: Box<HouseholdDraft>,
        /// An unreadable draft was set aside to start this one: the page says so.
        set_aside: bool,
        colour: RiskColour,
        policy: Box<PolicyTables>,
        store: AppStore,
        review: Option<PlanReview>,
    },
}

#[component]
pub fn HouseholdPage() -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let params = use_params_map();
    let household_id = params.with_untracked(|params| params.get("id").unwrap_or_default());
    let loaded = RwSignal::new_local(Loaded::Loading);

    let id_for_load = household_id.clone();
    leptos::task::spawn_local(async move {
        let Some(store) = context.store() else {
            loaded.set(Loaded::Missing);
            return;
        };
        let assignments = records::load_assignments(&store).await;
        let assigned: Option<AssignedHousehold> = assignments.as_ref().ok().and_then(|a| {
            a.households
                .iter()
                .find(|h| h.household.id.to_string() == id_for_load)
                .cloned()
        });
        let Some(assigned) = assigned else {
            loaded.set(Loaded::Missing);
            return;
        };
        // The tables the server sent; the ones built in if none were received (both are checked data).
        let policy = assignments
            .ok()
            .and_then(|a| a.policy.map(|document| document.tables().clone()))
            .or_else(|| PolicyTables::builtin().ok());
        let Some(policy) = policy else {
            loaded.set(Loaded::Missing);
            return;
        };
        let kept_at = clock::rfc3339(clock::now_utc());
        let (draft, set_aside) = match records::open_draft(&store, &id_for_load, &kept_at).await {
            Ok(DraftOnPhone::Found(stored)) => (stored.draft, false),
            Ok(DraftOnPhone::None) => (start_draft(context, &assigned), false),
            Ok(DraftOnPhone::SetAside { .. }) => (start_draft(context, &assigned), true),
            Err(_) => {
                loaded.set(Loaded::DraftUnavailable);
                return;
            }
        };
        loaded.set(Loaded::Ready {
            draft: Box::new(draft),
            set_aside,
            colour: assigned.risk.colour,
            policy: Box::new(policy),
            store,
            review: assigned.review.clone(),
        });
    });

    view! {
        <A href="/households" attr:class="back-link">"‹ "{t!(i18n, household.back)}</A>
        {move || match loaded.get() {
            Loaded::Loading => view! { <p class="empty">{t!(i18n, loading)}</p> }.into_any(),
            Loaded::Missing => view! { <p class="empty">{t!(i18n, household.not_found)}</p> }.into_any(),
            Loaded::DraftUnavailable => view! {
                <p class="banner banner-warning" role="alert" data-testid="draft-unavailable">
                    {t!(i18n, household.draft_unavailable)}
                </p>
            }
            .into_any(),
            Loaded::Ready { draft, set_aside, colour, policy, store, review } => view! {
                {set_aside.then(|| view! {
                    <p class="banner banner-warning" role="alert" data-testid="draft-set-aside">
                        {t!(i18n, household.draft_set_aside)}
                    </p>
                })}
                {review.map(|review| view! { <super::review::ReviewPanel review=review /> })}
                <HouseholdEditor
                    draft=RwSignal::new(*draft)
                    colour=colour
                    policy=StoredValue::new(*policy)
                    store=store
                    household_id=household_id.clone()
                />
            }
            .into_any(),
        }}
    }
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
    let year = clock::today_local().year() - 1;
    HouseholdDraft::start(
        assigned.household.clone(),
        assigned.version,
        ids,
        year,
        visitor,
        clock::now_utc(),
    )
}

/// The tabs of the household page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Basic,
    Members,
    Causes,
    Checklist,
    Income,
    Plan,
    Visit,
}

#[component]
fn HouseholdEditor(
    draft: RwSignal<HouseholdDraft>,
    colour: RiskColour,
    policy: StoredValue<PolicyTables>,
    store: AppStore,
    household_id: String,
) -> impl IntoView {
    let save_state = use_autosave(draft, store.clone(), household_id.clone());
    let tab = RwSignal::new(Tab::Basic);
    let focus = RwSignal::new(None::<String>);
    let today = Signal::derive(clock::today_local);
    let policy = Signal::derive(move || policy.get_value());
    let now = Callback::new(|()| clock::now_utc());
    // The income sheet is computed once per change: the income tab's totals and validation share this memo.
    let income = use_income_report(draft, policy);
    let report = use_household_report(draft, today, policy, income, now);
    let new_member_id = Callback::new(|()| MemberId(new_uuid()));
    let new_measure_id = Callback::new(|()| MeasureId(new_uuid()));
    let new_effect_id = Callback::new(|()| EffectId(new_uuid()));
    // Following a summary link opens the tab that holds the field.
    Effect::new(move |_| {
        if let Some(path) = focus.get() {
            let wanted = tab_for_path(&path);
            if tab.get_untracked() != wanted {
                tab.set(wanted);
            }
        }
    });
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

    view! {
        <header class="household-header">
            <RiskBadge colour=colour />
            <h1>{head}</h1>
            <span class="household-meta">{code}</span>
        </header>
        <SaveIndicator state=save_state />
        <TabBar tab=tab />
        <section class="card" data-testid="section">
            {move || match tab.get() {
                Tab::Basic => view! { <BasicSection draft=draft report=report today=today focus=focus /> }.into_any(),
                Tab::Members => view! {
                    <MembersSection draft=draft report=report today=today new_member_id=new_member_id focus=focus />
                }.into_any(),
                Tab::Causes => view! { <CausesSection draft=draft report=report /> }.into_any(),
                Tab::Checklist => view! { <ChecklistSection draft=draft report=report /> }.into_any(),
                Tab::Income => view! { <IncomeSection draft=draft report=report income=income /> }.into_any(),
                Tab::Plan => view! {
                    <PlanSection
                        draft=draft
                        report=report
                        today=today
                        new_measure_id=new_measure_id
                        new_effect_id=new_effect_id
                        now=now
                        focus=focus
                    />
                }.into_any(),
                Tab::Visit => view! { <VisitSection draft=draft report=report now=now /> }.into_any(),
            }}
        </section>
        <ValidationSummary report=report draft=draft focus=focus />
        <SubmitBar draft=draft report=report store=store />
    }
}

#[component]
fn TabBar(tab: RwSignal<Tab>) -> impl IntoView {
    let i18n = use_i18n();
    let button = move |value: Tab, label: Signal<String>| {
        view! {
            <button
                class="tab"
                role="tab"
                aria-selected=move || (tab.get() == value).to_string()
                on:click=move |event| {
                    tab.set(value);
                    reveal_tab(&event);
                }
            >
                {label}
            </button>
        }
    };
    view! {
        <nav class="tabs" role="tablist">
            {button(Tab::Basic, Signal::derive(move || t_string!(i18n, household.tabs.basic).to_string()))}
            {button(Tab::Members, Signal::derive(move || t_string!(i18n, household.tabs.members).to_string()))}
            {button(Tab::Causes, Signal::derive(move || t_string!(i18n, household.tabs.causes).to_string()))}
            {button(Tab::Checklist, Signal::derive(move || t_string!(i18n, household.tabs.checklist).to_string()))}
            {button(Tab::Income, Signal::derive(move || t_string!(i18n, household.tabs.income).to_string()))}
            {button(Tab::Plan, Signal::derive(move || t_string!(i18n, household.tabs.plan).to_string()))}
            {button(Tab::Visit, Signal::derive(move || t_string!(i18n, household.tabs.visit).to_string()))}
        </nav>
    }
}

/// Scrolls the tapped tab to the middle of the strip, so the next and previous tabs show on a narrow phone.
fn reveal_tab(event: &leptos::ev::MouseEvent) {
    use wasm_bindgen::JsCast;
    let Some(element) = event
        .current_target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
    options.set_inline(web_sys::ScrollLogicalPosition::Center);
    element.scroll_into_view_with_scroll_into_view_options(&options);
}

/// The tab that shows the field at `path` (a finding's path, e.g. `members[2].id_number`).
fn tab_for_path(path: &str) -> Tab {
    let head = path.split(['.', '[']).next().unwrap_or_default();
    match head {
        "members" => Tab::Members,
        "causes" => Tab::Causes,
        "checklist" => Tab::Checklist,
        "income" => Tab::Income,
        "plan" => Tab::Plan,
        "visit" => Tab::Visit,
        _ => Tab::Basic,
    }
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

#[component]
fn SubmitBar(
    draft: RwSignal<HouseholdDraft>,
    report: Memo<ValidationReport>,
    store: AppStore,
) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let sync = crate::sync::service::use_sync();
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let store = StoredValue::new_local(store);
    let error_count = move || report.with(|r| r.errors().count());
    let missing_reasons = move || {
        report.with(|r| draft.with(|d| !warnings_without_reason(r, &d.warning_reasons).is_empty()))
    };
    let blocked = move || error_count() > 0 || missing_reasons();
    let on_submit = move |_: leptos::ev::MouseEvent| {
        if blocked() {
            return;
        }
        let now = clock::now_utc();
        let item = OutboxItem::queued(new_uuid(), clock::rfc3339(now), draft.get_untracked());
        let store = store.get_value();
        leptos::task::spawn_local(async move {
            match records::enqueue(&store, &item).await {
                Ok(()) => {
                    outcome.set(Some(Ok(clock::clock_time(now))));
                    sync.kick(context, false);
                }
                Err(error) => outcome.set(Some(Err(error.to_string()))),
            }
        });
    };
    view! {
        <div class="submit-bar">
            {move || (error_count() == 0 && missing_reasons()).then(|| view! {
                <p class="form-error" data-testid="submit-needs-reasons">{t!(i18n, household.submit_needs_reasons)}</p>
            })}
            {move || (error_count() > 0).then(|| view! {
                <p class="form-error" data-testid="submit-blocked">
                    {match error_count() {
                        1 => t_string!(i18n, household.submit_blocked_single).to_string(),
                        count => t_string!(i18n, household.submit_blocked, count = count).to_string(),
                    }}
                </p>
            })}
            {move || outcome.get().map(|result| match result {
                Ok(time) => view! {
                    <p class="banner banner-ok" data-testid="queued">
                        {t_string!(i18n, household.queued_message, time = time).to_string()}
                    </p>
                }.into_any(),
                Err(reason) => view! {
                    <p class="form-error">{t_string!(i18n, household.queue_failed, reason = reason).to_string()}</p>
                }.into_any(),
            })}
            <button
                class="button button-primary"
                data-testid="submit"
                on:click=on_submit
                disabled=blocked
            >
                {t!(i18n, household.submit)}
            </button>
        </div>
    }
}
