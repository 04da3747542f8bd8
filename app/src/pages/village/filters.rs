//! The village list's filters: colour, 组, helper and status, each a native select (big, accessible, no library).

use super::charts::colour_label;
use super::model::{COLOURS, Filters};
use crate::i18n::*;
use crate::ui::badge::HouseholdStatus;
use leptos::prelude::*;
use zoufang_domain::risk::RiskColour;

/// Value of the "no status yet" choice of the status filter.
const NO_STATUS: &str = "none";

fn colour_code(colour: RiskColour) -> String {
    format!("{colour:?}")
}

#[component]
pub fn FilterBar(
    filters: RwSignal<Filters>,
    groups: Vec<String>,
    helpers: Vec<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let all = move || t_string!(i18n, village.filter_all).to_string();
    let colour_value = move || filters.with(|f| f.colour.map(colour_code).unwrap_or_default());
    let group_value = move || filters.with(|f| f.group.clone().unwrap_or_default());
    let helper_value = move || filters.with(|f| f.helper.clone().unwrap_or_default());
    let status_value = move || {
        filters.with(|f| match f.status {
            None => String::new(),
            Some(None) => NO_STATUS.to_string(),
            Some(Some(status)) => status.code().to_string(),
        })
    };
    let option = |value: String, label: String| view! { <option value=value>{label}</option> };
    view! {
        <div class="village-filters" data-testid="village-filters">
            <label class="village-filter">
                <span>{t!(i18n, village.filter_colour)}</span>
                <select
                    data-testid="filter-colour"
                    prop:value=colour_value
                    on:change=move |event| {
                        let value = event_target_value(&event);
                        let colour = COLOURS.into_iter().find(|colour| colour_code(*colour) == value);
                        filters.update(|f| f.colour = colour);
                    }
                >
                    <option value="">{all}</option>
                    {COLOURS
                        .into_iter()
                        .map(|colour| view! {
                            <option value=colour_code(colour)>{move || colour_label(i18n, colour)}</option>
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="village-filter">
                <span>{t!(i18n, village.filter_group)}</span>
                <select
                    data-testid="filter-group"
                    prop:value=group_value
                    on:change=move |event| {
                        let value = event_target_value(&event);
                        filters.update(|f| f.group = (!value.is_empty()).then_some(value));
                    }
                >
                    <option value="">{all}</option>
                    {groups.into_iter().map(|group| option(group.clone(), group)).collect_view()}
                </select>
            </label>
            <label class="village-filter">
                <span>{t!(i18n, village.filter_helper)}</span>
                <select
                    data-testid="filter-helper"
                    prop:value=helper_value
                    on:change=move |event| {
                        let value = event_target_value(&event);
                        filters.update(|f| f.helper = (!value.is_empty()).then_some(value));
                    }
                >
                    <option value="">{all}</option>
                    {helpers.into_iter().filter(|name| !name.is_empty()).map(|name| option(name.clone(), name)).collect_view()}
                </select>
            </label>
            <label class="village-filter">
                <span>{t!(i18n, village.filter_status)}</span>
                <select
                    data-testid="filter-status"
                    prop:value=status_value
                    on:change=move |event| {
                        let value = event_target_value(&event);
                        let status = match value.as_str() {
                            "" => None,
                            NO_STATUS => Some(None),
                            code => HouseholdStatus::from_code(code).map(Some),
                        };
                        filters.update(|f| f.status = status);
                    }
                >
                    <option value="">{all}</option>
                    {HouseholdStatus::ALL
                        .into_iter()
                        .map(|status| view! {
                            <option value=status.code()>{move || status.label(i18n)}</option>
                        })
                        .collect_view()}
                    <option value=NO_STATUS>{t!(i18n, village.status_none)}</option>
                </select>
            </label>
        </div>
    }
}
