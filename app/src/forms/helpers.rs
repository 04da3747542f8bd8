//! 帮扶责任人: the history of the household's helpers (name, unit, position, phone, unit level, from–to) and
//! "更换帮扶责任人", which adds a row from a start date and closes the current row on the day before, through the
//! domain's `Household::change_helper`. History is never overwritten, so rows are never removed here and each row
//! is keyed by its position.

use leptos::prelude::*;
use time::Date;
use zoufang_domain::labels::Labelled;
use zoufang_domain::model::*;

use super::fields::*;
use super::members::under;
use super::{ListItem, parse_date};
use crate::draft::HouseholdDraft;
use crate::i18n::*;

const UNIT_LEVELS: [UnitLevel; 8] = [
    UnitLevel::Central,
    UnitLevel::Provincial,
    UnitLevel::Municipal,
    UnitLevel::County,
    UnitLevel::Township,
    UnitLevel::Village,
    UnitLevel::Military,
    UnitLevel::Other,
];

/// Starts a new helper on `on`: the current row closes on the day before and an empty row (same unit level as the
/// previous helper) opens from `on`. Returns the new row's index, or the domain's refusal when `on` is not after
/// the current helper's start.
pub fn start_new_helper(household: &mut Household, on: Date) -> Result<usize, ModelError> {
    let unit_level = household
        .current_helper()
        .map_or(UnitLevel::Other, |helper| helper.unit_level);
    household.change_helper(
        HelperAssignment {
            user_id: None,
            name: String::new(),
            unit: String::new(),
            position: String::new(),
            phone: String::new(),
            unit_level,
            started_on: on,
            ended_on: None,
        },
        on,
    )?;
    Ok(household.helpers.len() - 1)
}

/// Binds one field of helper row `index`.
fn helper_field<T: Default + 'static>(
    index: usize,
    get: fn(&HelperAssignment) -> T,
    set: fn(&mut HelperAssignment, T),
) -> Binding<T> {
    Binding::new(
        move |d: &HouseholdDraft| d.household.helpers.get(index).map(get).unwrap_or_default(),
        move |d: &mut HouseholdDraft, value| {
            if let Some(helper) = d.household.helpers.get_mut(index) {
                set(helper, value);
            }
        },
    )
}

/// 帮扶责任人 history with the change action.
#[component]
pub fn HelperHistory(
    form: Form,
    #[prop(into)] today: Signal<Date>,
    focus: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = form.draft;
    let expanded = RwSignal::new(None::<usize>);
    let count = Memo::new(move |_| draft.with(|d| d.household.helpers.len()));
    let messages = form.messages(fixed_path("helpers"));
    view! {
        <div class="card" id="helpers">
            <h3>{t!(i18n, forms.helpers.title)}</h3>
            <FieldMessages messages=messages path=fixed_path("helpers") />
            <Show when=move || count.get() == 0>
                <p class="empty">{t!(i18n, forms.helpers.empty)}</p>
            </Show>
            <ul class="item-list">
                <For each=move || 0..count.get() key=|index| *index let:index>
                    <HelperItem form=form index=index expanded=expanded focus=focus />
                </For>
            </ul>
            <ChangeHelper form=form today=today expanded=expanded />
        </div>
    }
}

#[component]
fn HelperItem(
    form: Form,
    index: usize,
    expanded: RwSignal<Option<usize>>,
    focus: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = form.draft;
    let locale = form.locale;
    let base = fixed_path(&format!("helpers[{index}]"));
    let summary = Memo::new(move |_| {
        draft.with(|d| {
            d.household.helpers.get(index).map(|helper| {
                (
                    helper.name.clone(),
                    helper.unit.clone(),
                    helper.unit_level,
                    helper.started_on,
                    helper.ended_on,
                )
            })
        })
    });
    let item = ListItem::new(form, base, index, expanded, focus);
    let problems = item.problems;
    let is_open = move || item.is_open();
    let toggle = move |_| item.toggle();
    let title = move || {
        summary.get().map(|(name, _, _, _, _)| {
            if name.trim().is_empty() {
                t_string!(i18n, forms.helpers.unnamed).to_string()
            } else {
                name
            }
        })
    };
    let unit_line = move || {
        summary.get().map(|(_, unit, level, _, _)| {
            let level = level.label(locale.get());
            if unit.trim().is_empty() {
                level.to_string()
            } else {
                format!("{unit} · {level}")
            }
        })
    };
    let period = move || {
        summary.get().map(|(_, _, _, from, to)| {
            let to = to.map_or_else(
                || t_string!(i18n, forms.helpers.to_now).to_string(),
                |to| to.to_string(),
            );
            format!("{from} – {to}")
        })
    };
    let current = move || summary.with(|s| s.as_ref().is_some_and(|s| s.4.is_none()));
    let closed = Memo::new(move |_| summary.with(|s| s.as_ref().is_some_and(|s| s.4.is_some())));
    view! {
        <li class="item" id=move || base.get()>
            <button type="button" class="item-summary" aria-expanded=move || is_open().to_string() on:click=toggle>
                <span class="item-title">{title}</span>
                <Show when=current>
                    <span class="badge badge-current">{t!(i18n, forms.helpers.current)}</span>
                </Show>
                <span class="item-meta item-meta-line">{unit_line}</span>
                <span class="item-meta item-meta-line">{period}</span>
                <Show when=move || { problems.get() > 0 }>
                    <span class="badge badge-error">{move || t_string!(i18n, forms.problems, n = problems.get()).to_string()}</span>
                </Show>
            </button>
            <FieldMessages messages=form.messages(base) path=base />
            <Show when=is_open>
                <div class="item-body form">
                    <HelperFields form=form index=index base=base closed=closed />
                </div>
            </Show>
        </li>
    }
}

#[component]
fn HelperFields(
    form: Form,
    index: usize,
    base: Signal<String>,
    closed: Memo<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TextField form=form path=under(base, "name") label=move || t_string!(i18n, forms.helpers.name).to_string()
            binding=helper_field(index, |h| h.name.clone(), |h, v| h.name = v) />
        <TextField form=form path=under(base, "unit") label=move || t_string!(i18n, forms.helpers.unit).to_string()
            binding=helper_field(index, |h| h.unit.clone(), |h, v| h.unit = v) />
        <TextField form=form path=under(base, "position") label=move || t_string!(i18n, forms.helpers.position).to_string()
            binding=helper_field(index, |h| h.position.clone(), |h, v| h.position = v) />
        <TextField form=form path=under(base, "phone") label=move || t_string!(i18n, forms.helpers.phone).to_string()
            binding=helper_field(index, |h| h.phone.clone(), |h, v| h.phone = v.trim().to_string()) input_mode="tel" />
        <SelectField form=form path=under(base, "unit_level") label=move || t_string!(i18n, forms.helpers.unit_level).to_string()
            options=UNIT_LEVELS.to_vec() binding=helper_field(index, |h| Some(h.unit_level), |h, v| if let Some(v) = v { h.unit_level = v }) />
        <DateField form=form path=under(base, "started_on") label=move || t_string!(i18n, forms.helpers.started_on).to_string()
            binding=helper_field(index, |h| Some(h.started_on), |h, v| if let Some(v) = v { h.started_on = v }) />
        <Show when=move || closed.get()>
            <DateField form=form path=under(base, "ended_on") label=move || t_string!(i18n, forms.helpers.ended_on).to_string()
                binding=helper_field(index, |h| h.ended_on, |h, v| h.ended_on = v) optional=true />
        </Show>
    }
}

/// "更换帮扶责任人": asks for the new helper's start date (today by default), then adds the row and opens it.
#[component]
fn ChangeHelper(
    form: Form,
    today: Signal<Date>,
    expanded: RwSignal<Option<usize>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = form.draft;
    let asking = RwSignal::new(false);
    let start = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let has_helper = Memo::new(move |_| draft.with(|d| d.household.current_helper().is_some()));
    let open = move |_| {
        start.set(today.get_untracked().to_string());
        problem.set(None);
        asking.set(true);
    };
    let confirm = move |_| {
        let Some(on) = parse_date(&start.get_untracked()) else {
            problem.set(Some(t_string!(i18n, forms.error.date).to_string()));
            return;
        };
        let mut outcome = None;
        // A refused change leaves the draft as it was, so nothing is saved for it.
        draft.maybe_update(|d| {
            let result = start_new_helper(&mut d.household, on);
            let changed = result.is_ok();
            outcome = Some(result);
            changed
        });
        match outcome {
            Some(Ok(index)) => {
                asking.set(false);
                expanded.set(Some(index));
            }
            Some(Err(ModelError::HelperChangeBeforeStart { started, .. })) => problem.set(Some(
                t_string!(
                    i18n,
                    forms.helpers.change_too_early,
                    started = started.to_string()
                )
                .to_string(),
            )),
            Some(Err(error)) => problem.set(Some(error.to_string())),
            None => {}
        }
    };
    view! {
        <Show
            when=move || asking.get()
            fallback=move || view! {
                <button type="button" class="button button-add" on:click=open>
                    {move || if has_helper.get() { t_string!(i18n, forms.helpers.change) } else { t_string!(i18n, forms.helpers.add) }}
                </button>
            }
        >
            <div class="change-helper form">
                <div class="field">
                    <label class="field-label" for="helpers.change_on">{t!(i18n, forms.helpers.change_on)}</label>
                    <input id="helpers.change_on" type="date" prop:value=move || start.get()
                        aria-invalid=move || problem.with(Option::is_some).to_string()
                        aria-describedby="helpers.change_on-messages"
                        on:input=move |event| start.set(event_target_value(&event)) />
                    <div id="helpers.change_on-messages" class="field-messages">
                        {move || problem.get().map(|text| view! { <span class="field-error" role="alert">{text}</span> })}
                    </div>
                    <p class="hint">{t!(i18n, forms.helpers.change_hint)}</p>
                </div>
                <div class="segmented">
                    <button type="button" class="button button-primary" on:click=confirm>{t!(i18n, forms.helpers.change_confirm)}</button>
                    <button type="button" class="button" on:click=move |_| asking.set(false)>{t!(i18n, forms.cancel)}</button>
                </div>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_new_helper_closes_the_current_row_on_the_day_before_and_opens_an_empty_row() {
        let mut household = zoufang_domain::sample::household();
        let started = household.helpers[0].started_on;
        let level = household.helpers[0].unit_level;
        let index = start_new_helper(&mut household, date!(2020 - 06 - 01));
        assert_eq!(index.ok(), Some(1));
        assert_eq!(household.helpers[0].started_on, started);
        assert_eq!(household.helpers[0].ended_on, Some(date!(2020 - 05 - 31)));
        let new = &household.helpers[1];
        assert_eq!(
            (new.started_on, new.ended_on),
            (date!(2020 - 06 - 01), None)
        );
        assert!(new.name.is_empty());
        assert_eq!(new.unit_level, level);
        assert_eq!(household.current_helper(), Some(new));
    }

    #[test]
    fn a_start_date_not_after_the_current_helpers_start_is_refused_and_changes_nothing() {
        let mut household = zoufang_domain::sample::household();
        let before = household.helpers.clone();
        let started = before[0].started_on;
        assert!(matches!(
            start_new_helper(&mut household, started),
            Err(ModelError::HelperChangeBeforeStart { .. })
        ));
        assert_eq!(household.helpers, before);
    }

    #[test]
    fn a_household_without_a_helper_gets_its_first_one() {
        let mut household = zoufang_domain::sample::household();
        household.helpers.clear();
        assert_eq!(
            start_new_helper(&mut household, date!(2020 - 06 - 01)).ok(),
            Some(0)
        );
        assert_eq!(household.helpers[0].ended_on, None);
    }
}
