//! 开始走访: the guided visit (`/households/:id/visit/:step`), one screen per step, a step bar on top and a bar
//! that stays at the bottom of the screen with 上一步 / 下一步, and 提交 on the last step. The step is in the
//! address, so a reload opens the same step; the draft is the household's one autosaved draft.

use super::paths::Step;
use super::section::reveal_focused_field;
use super::steps::{step_content, step_label};
use super::submit::{use_blockers, use_submit};
use super::{HouseholdScreen, use_household_screen};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// `/households/:id/visit/:step`.
#[component]
pub fn VisitFlow() -> impl IntoView {
    let i18n = use_i18n();
    let screen = use_household_screen();
    let params = use_params_map();
    let step =
        Memo::new(move |_| params.with(|p| p.get("step").as_deref().and_then(Step::from_slug)));
    let blockers = use_blockers(screen);
    view! {
        <div class="flow-screen" data-testid="visit-flow">
            {move || match step.get() {
                Some(step) => view! { <StepScreen screen=screen step=step blockers=blockers /> }.into_any(),
                None => view! { <p class="empty">{t!(i18n, not_found)}</p> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn StepScreen(
    screen: HouseholdScreen,
    step: Step,
    blockers: Memo<super::submit::Blockers>,
) -> impl IntoView {
    let i18n = use_i18n();
    reveal_focused_field(screen);
    let heading = move || {
        t_string!(
            i18n,
            household.flow.step_of,
            n = step.index() + 1,
            total = Step::ALL.len(),
            title = step_label(i18n, step)
        )
        .to_string()
    };
    view! {
        <StepBar screen=screen current=step />
        <h2 class="step-title" data-testid="step-title" data-step=step.slug()>{heading}</h2>
        <div class="step-body">{step_content(screen, step, blockers)}</div>
        <StepActions screen=screen step=step blockers=blockers />
    }
}

/// The steps as numbered links; the current one is marked for screen readers and by colour and weight.
#[component]
fn StepBar(screen: HouseholdScreen, current: Step) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ol class="step-bar" aria-label=move || t_string!(i18n, household.flow.steps_label).to_string()>
            {Step::ALL.into_iter().map(|step| {
                let state = match step.index().cmp(&current.index()) {
                    std::cmp::Ordering::Less => "done",
                    std::cmp::Ordering::Equal => "current",
                    std::cmp::Ordering::Greater => "ahead",
                };
                view! {
                    <li class=format!("step step-{state}")>
                        <A href=screen.href(&format!("/visit/{}", step.slug()))
                            attr:aria-current=(step == current).then_some("step")
                            attr:aria-label=move || step_label(i18n, step)
                            attr:title=move || step_label(i18n, step)>
                            {step.index() + 1}
                        </A>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// 上一步 / 下一步, and 提交 on the review step, in a bar that sticks to the bottom of the screen.
#[component]
fn StepActions(
    screen: HouseholdScreen,
    step: Step,
    blockers: Memo<super::submit::Blockers>,
) -> impl IntoView {
    let i18n = use_i18n();
    let submit = use_submit(screen, blockers);
    let previous = match step.previous() {
        Some(previous) => view! {
            <A href=screen.href(&format!("/visit/{}", previous.slug())) attr:class="button" attr:data-testid="step-previous">
                {t!(i18n, household.flow.previous)}
            </A>
        }
        .into_any(),
        None => view! {
            <A href=screen.href("") attr:class="button" attr:data-testid="step-previous">
                {t!(i18n, household.flow.exit)}
            </A>
        }
        .into_any(),
    };
    let next = match step.next() {
        Some(next) => view! {
            <A href=screen.href(&format!("/visit/{}", next.slug())) attr:class="button button-primary" attr:data-testid="step-next">
                {t!(i18n, household.flow.next)}
            </A>
        }
        .into_any(),
        None => view! {
            <button class="button button-primary" data-testid="submit"
                disabled=move || blockers.get().any() on:click=move |_| submit.run(())>
                {t!(i18n, household.submit)}
            </button>
        }
        .into_any(),
    };
    view! {
        <div class="action-bar" data-testid="action-bar" role="group" aria-label=move || t_string!(i18n, household.flow.actions).to_string()>
            {previous}
            {next}
        </div>
    }
}
