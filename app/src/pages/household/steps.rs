//! What each step of the guided visit shows. The steps reuse the household's sections; only the review step shows
//! the full check list, whose links open the step (or the section) that holds each field.

use super::paths::{ChangePart, Step, link_for_path};
use super::section::section_form;
use super::submit::{Blockers, SubmitMessages};
use super::{HouseholdScreen, paths::Section};
use crate::i18n::*;
use crate::ids::new_uuid;
use crate::sections::basic::HousingSection;
use crate::sections::events::SuddenEventsSection;
use crate::sections::members::MembersSection;
use crate::sections::summary::ValidationSummary;
use crate::sections::visit::VisitSection;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;
use zoufang_domain::model::MemberId;

/// The step's title, as on the step bar.
pub fn step_label(i18n: leptos_i18n::I18nContext<Locale>, step: Step) -> String {
    match step {
        Step::Changes => t_string!(i18n, household.steps.changes),
        Step::Checklist => t_string!(i18n, household.steps.checklist),
        Step::Photos => t_string!(i18n, household.steps.photos),
        Step::Plan => t_string!(i18n, household.steps.plan),
        Step::Confirm => t_string!(i18n, household.steps.confirm),
        Step::Review => t_string!(i18n, household.steps.review),
    }
    .to_string()
}

/// The content of one step.
pub fn step_content(screen: HouseholdScreen, step: Step, blockers: Memo<Blockers>) -> AnyView {
    let HouseholdScreen {
        draft, report, now, ..
    } = screen;
    match step {
        Step::Changes => view! { <ChangesStep screen=screen /> }.into_any(),
        Step::Checklist => section_form(screen, Section::Checklist),
        Step::Photos => view! { <PhotosStep screen=screen /> }.into_any(),
        Step::Plan => section_form(screen, Section::Plan),
        Step::Confirm => {
            view! { <VisitSection draft=draft report=report now=now without_photos=true /> }
                .into_any()
        }
        Step::Review => view! { <ReviewStep screen=screen blockers=blockers /> }.into_any(),
    }
}

/// What changed since last time: each part stays collapsed, and so unchanged, until the helper opens it.
#[component]
fn ChangesStep(screen: HouseholdScreen) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="lead">{t!(i18n, household.flow.changes_hint)}</p>
        {ChangePart::ALL.into_iter().map(|part| view! { <ChangePartView screen=screen part=part /> }).collect_view()}
    }
}

#[component]
fn ChangePartView(screen: HouseholdScreen, part: ChangePart) -> impl IntoView {
    let i18n = use_i18n();
    let HouseholdScreen {
        draft,
        report,
        today,
        focus,
        ..
    } = screen;
    // A followed check-list link opens the part that holds its field.
    let opened_by_link = focus.with_untracked(|path| {
        path.as_deref()
            .is_some_and(|path| ChangePart::of_path(path) == Some(part))
    });
    let open = RwSignal::new(opened_by_link);
    let title = move || match part {
        ChangePart::Members => t_string!(i18n, household.flow.part_members).to_string(),
        ChangePart::Housing => t_string!(i18n, household.flow.part_housing).to_string(),
        ChangePart::SuddenEvents => t_string!(i18n, household.flow.part_events).to_string(),
    };
    let facts = move || {
        draft.with(|d| match part {
            ChangePart::Members => t_string!(
                i18n,
                household.flow.members_count,
                count = d.household.members.len()
            )
            .to_string(),
            ChangePart::Housing => String::new(),
            ChangePart::SuddenEvents => t_string!(
                i18n,
                household.flow.events_count,
                count = d.household.sudden_events.len()
            )
            .to_string(),
        })
    };
    let problems = Memo::new(move |_| {
        report.with(|r| {
            r.findings
                .iter()
                .filter(|f| ChangePart::of_path(f.path.as_str()) == Some(part))
                .count()
        })
    });
    let new_member_id = Callback::new(|()| MemberId(new_uuid()));
    let test_id = match part {
        ChangePart::Members => "part-members",
        ChangePart::Housing => "part-housing",
        ChangePart::SuddenEvents => "part-events",
    };
    view! {
        <details class="change-part" data-testid=test_id prop:open=opened_by_link
            on:toggle=move |event| {
                let now_open = event
                    .target()
                    .and_then(|target| target.dyn_into::<web_sys::HtmlDetailsElement>().ok())
                    .is_some_and(|details| details.open());
                open.set(now_open);
            }>
            <summary>
                <span class="change-part-title">{title}</span>
                <span class="change-part-facts">{facts}</span>
                {move || (problems.get() > 0).then(|| view! {
                    <span class="change-part-problems">
                        {t_string!(i18n, household.flow.part_problems, count = problems.get()).to_string()}
                    </span>
                })}
            </summary>
            // Rendered only once opened: a part the helper does not open costs nothing and changes nothing.
            <Show when=move || open.get()>
                {move || match part {
                    ChangePart::Members => view! {
                        <MembersSection draft=draft report=report today=today new_member_id=new_member_id focus=focus />
                    }.into_any(),
                    ChangePart::Housing => view! { <HousingSection draft=draft report=report /> }.into_any(),
                    ChangePart::SuddenEvents => view! {
                        <SuddenEventsSection draft=draft report=report today=today focus=focus />
                    }.into_any(),
                }}
            </Show>
        </details>
    }
}

/// The photos section carries its own note on consent and posing.
#[component]
fn PhotosStep(screen: HouseholdScreen) -> impl IntoView {
    view! { <crate::sections::photos::VisitPhotos draft=screen.draft /> }
}

/// The full check list, each finding a link to the step (or section) that shows its field, then what 提交 says.
#[component]
fn ReviewStep(screen: HouseholdScreen, blockers: Memo<Blockers>) -> impl IntoView {
    let navigate = use_navigate();
    let household = screen.href("");
    // The summary's own link handler remembers the path in `focus`; here the link also opens its screen.
    let follow = move |event: leptos::ev::MouseEvent| {
        let Some(anchor) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest("a[href^='#']").ok().flatten())
        else {
            return;
        };
        let Some(path) = anchor
            .get_attribute("href")
            .and_then(|href| href.strip_prefix('#').map(str::to_string))
        else {
            return;
        };
        event.prevent_default();
        screen.focus.set(Some(path.clone()));
        screen.reveal.set_value(Some(path.clone()));
        navigate(&link_for_path(&household, &path), Default::default());
    };
    view! {
        <div class="review-step" on:click=follow>
            <ValidationSummary report=screen.report draft=screen.draft focus=screen.focus />
        </div>
        <SubmitMessages screen=screen blockers=blockers />
    }
}
