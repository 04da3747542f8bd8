//! 两不愁三保障 + 饮水安全: six items, each pass / fail / not checked, with a note of what was seen or asked.

use leptos::prelude::*;
use zoufang_domain::labels::Labelled;
use zoufang_domain::model::{CheckStatus, Checklist, ChecklistEntry, ChecklistItem};
use zoufang_domain::validation::ValidationReport;

use super::fields::*;
use crate::draft::HouseholdDraft;
use crate::i18n::*;

const ITEMS: [ChecklistItem; 6] = [
    ChecklistItem::Food,
    ChecklistItem::Clothing,
    ChecklistItem::CompulsoryEducation,
    ChecklistItem::BasicMedical,
    ChecklistItem::HousingSafety,
    ChecklistItem::DrinkingWater,
];
const STATUSES: [CheckStatus; 3] = [
    CheckStatus::Pass,
    CheckStatus::Fail,
    CheckStatus::NotChecked,
];

/// The entry of one item, for editing (the domain's `Checklist::entries` only reads).
pub fn entry_mut(checklist: &mut Checklist, item: ChecklistItem) -> &mut ChecklistEntry {
    match item {
        ChecklistItem::Food => &mut checklist.food,
        ChecklistItem::Clothing => &mut checklist.clothing,
        ChecklistItem::CompulsoryEducation => &mut checklist.compulsory_education,
        ChecklistItem::BasicMedical => &mut checklist.basic_medical,
        ChecklistItem::HousingSafety => &mut checklist.housing_safety,
        ChecklistItem::DrinkingWater => &mut checklist.drinking_water,
    }
}

/// The entry of one item.
pub fn entry(checklist: &Checklist, item: ChecklistItem) -> &ChecklistEntry {
    match item {
        ChecklistItem::Food => &checklist.food,
        ChecklistItem::Clothing => &checklist.clothing,
        ChecklistItem::CompulsoryEducation => &checklist.compulsory_education,
        ChecklistItem::BasicMedical => &checklist.basic_medical,
        ChecklistItem::HousingSafety => &checklist.housing_safety,
        ChecklistItem::DrinkingWater => &checklist.drinking_water,
    }
}

/// 两不愁三保障.
#[component]
pub fn ChecklistSection(
    draft: RwSignal<HouseholdDraft>,
    #[prop(into)] report: Signal<ValidationReport>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::new(draft, report);
    view! {
        <section class="form-section" aria-labelledby="checklist-title">
            <h2 id="checklist-title">{t!(i18n, forms.checklist.title)}</h2>
            {ITEMS.iter().map(|item| view! { <ChecklistRow form=form item=*item /> }).collect_view()}
        </section>
    }
}

#[component]
fn ChecklistRow(form: Form, item: ChecklistItem) -> impl IntoView {
    let i18n = use_i18n();
    let locale = form.locale;
    let path = fixed_path(&format!("checklist.{}", item.field_name()));
    let status = Binding::new(
        move |d: &HouseholdDraft| entry(&d.household.checklist, item).status,
        move |d: &mut HouseholdDraft, status| {
            entry_mut(&mut d.household.checklist, item).status = status
        },
    );
    let note = Binding::new(
        move |d: &HouseholdDraft| entry(&d.household.checklist, item).note.clone(),
        move |d: &mut HouseholdDraft, note| entry_mut(&mut d.household.checklist, item).note = note,
    );
    let current = form.value(&status);
    let messages = form.messages(path);
    view! {
        <div class="card form checklist-item">
            <div class="field" role="group" id=move || path.get() aria-label=move || item.label(locale.get())>
                <span class="field-label">{move || item.label(locale.get())}</span>
                <div class="segmented segmented-3">
                    {STATUSES.iter().map(|choice| {
                        let choice = *choice;
                        let status = status.clone();
                        view! {
                            <button type="button" class=format!("button status-{choice:?}").to_lowercase()
                                aria-pressed=move || (current.get() == choice).to_string()
                                on:click=move |_| form.write(&status, choice)>
                                {move || choice.label(locale.get())}
                            </button>
                        }
                    }).collect_view()}
                </div>
                <FieldMessages messages=messages path=path />
            </div>
            <TextField form=form path=fixed_path(&format!("checklist.{}.note", item.field_name()))
                label=move || t_string!(i18n, forms.checklist.note).to_string() binding=note multiline=true />
            <details class="checklist-evidence" data-testid=format!("checklist-evidence-{}", item.field_name())>
                <summary>
                    {move || t_string!(
                        i18n,
                        forms.checklist.photos,
                        count = form.draft.with(|d| entry(&d.household.checklist, item).evidence.len())
                    ).to_string()}
                </summary>
                <crate::photos::section::ChecklistPhotos draft=form.draft item=item />
            </details>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_edits_its_own_entry() {
        let mut checklist = Checklist::default();
        for item in ITEMS {
            entry_mut(&mut checklist, item).note = item.field_name().to_string();
        }
        for (item, entry) in checklist.entries() {
            assert_eq!(entry.note, item.field_name());
        }
    }
}
