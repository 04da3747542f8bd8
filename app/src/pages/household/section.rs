//! One section of the household alone on its own screen (`/households/:id/edit/:section`), for a correction
//! outside a visit: 更新收入, 修改一户一策, a member's new phone number. A bar at the bottom leads back to the
//! overview or on to the check list and 提交.

use super::paths::Section;
use super::{HouseholdScreen, use_household_screen};
use crate::i18n::*;
use crate::ids::new_uuid;
use crate::sections::basic::BasicSection;
use crate::sections::causes::CausesSection;
use crate::sections::checklist::ChecklistSection;
use crate::sections::income::IncomeSection;
use crate::sections::members::MembersSection;
use crate::sections::plan::PlanSection;
use crate::sections::visit::VisitSection;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use wasm_bindgen::JsCast;
use zoufang_domain::model::{EffectId, MeasureId, MemberId};

/// A section's name, as on the overview's list.
pub fn section_label(i18n: leptos_i18n::I18nContext<Locale>, section: Section) -> String {
    match section {
        Section::Basic => t_string!(i18n, household.tabs.basic),
        Section::Members => t_string!(i18n, household.tabs.members),
        Section::Causes => t_string!(i18n, household.tabs.causes),
        Section::Checklist => t_string!(i18n, household.tabs.checklist),
        Section::Income => t_string!(i18n, household.tabs.income),
        Section::Plan => t_string!(i18n, household.tabs.plan),
        Section::Visit => t_string!(i18n, household.tabs.visit),
    }
    .to_string()
}

/// The form of one section, editing the shared draft.
pub fn section_form(screen: HouseholdScreen, section: Section) -> AnyView {
    let HouseholdScreen {
        draft,
        report,
        income,
        today,
        now,
        focus,
        ..
    } = screen;
    let new_member_id = Callback::new(|()| MemberId(new_uuid()));
    let new_measure_id = Callback::new(|()| MeasureId(new_uuid()));
    let new_effect_id = Callback::new(|()| EffectId(new_uuid()));
    match section {
        Section::Basic => {
            view! { <BasicSection draft=draft report=report today=today focus=focus /> }.into_any()
        }
        Section::Members => view! {
            <MembersSection draft=draft report=report today=today new_member_id=new_member_id focus=focus />
        }
        .into_any(),
        Section::Causes => view! { <CausesSection draft=draft report=report /> }.into_any(),
        Section::Checklist => view! { <ChecklistSection draft=draft report=report /> }.into_any(),
        Section::Income => {
            view! { <IncomeSection draft=draft report=report income=income /> }.into_any()
        }
        Section::Plan => view! {
            <PlanSection draft=draft report=report today=today new_measure_id=new_measure_id
                new_effect_id=new_effect_id now=now focus=focus />
        }
        .into_any(),
        Section::Visit => view! { <VisitSection draft=draft report=report now=now /> }.into_any(),
    }
}

/// After a check-list link opened this screen: once it has rendered, scrolls to the field and puts the cursor in it.
pub fn reveal_focused_field(screen: HouseholdScreen) {
    let Some(path) = screen.reveal.try_update_value(Option::take).flatten() else {
        return;
    };
    // Two frames: the first lets the route render, the second the item that the followed link opened.
    request_animation_frame(move || {
        request_animation_frame(move || {
            let Some(element) = document().get_element_by_id(&path) else {
                return;
            };
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Center);
            element.scroll_into_view_with_scroll_into_view_options(&options);
            if let Some(element) = element.dyn_ref::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        })
    });
}

/// `/households/:id/edit/:section`.
#[component]
pub fn SectionScreen() -> impl IntoView {
    let i18n = use_i18n();
    let screen = use_household_screen();
    let params = use_params_map();
    let section = Memo::new(move |_| {
        params.with(|p| p.get("section").as_deref().and_then(Section::from_slug))
    });
    let overview = screen.href("");
    let review = screen.href("/visit/review");
    reveal_focused_field(screen);
    view! {
        {move || match section.get() {
            Some(section) => view! {
                <section class="card" data-testid="section" data-section=section.slug()>
                    {section_form(screen, section)}
                </section>
            }.into_any(),
            None => view! { <p class="empty">{t!(i18n, not_found)}</p> }.into_any(),
        }}
        <div class="action-bar" data-testid="action-bar" role="group" aria-label=move || t_string!(i18n, household.flow.actions).to_string()>
            <A href=overview attr:class="button" attr:data-testid="section-done">{t!(i18n, household.flow.done)}</A>
            <A href=review attr:class="button button-primary" attr:data-testid="to-review">{t!(i18n, household.flow.check_and_submit)}</A>
        </div>
    }
}
