//! 两不愁三保障 + 饮水安全: six items, each pass / fail / not checked, with a note of what was seen or asked.

use leptos::prelude::*;
use zoufang_domain::labels::Labelled;
use zoufang_domain::model::{CheckStatus, ChecklistItem};
use zoufang_domain::validation::ValidationReport;

use crate::draft::HouseholdDraft;
use crate::i18n::*;
use crate::ui::form::*;

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
            {ChecklistItem::ALL.iter().map(|item| view! { <ChecklistRow form=form item=*item /> }).collect_view()}
        </section>
    }
}

#[component]
fn ChecklistRow(form: Form, item: ChecklistItem) -> impl IntoView {
    let i18n = use_i18n();
    let locale = form.locale;
    let path = fixed_path(&format!("checklist.{}", item.field_name()));
    let status = Binding::new(
        move |d: &HouseholdDraft| d.household.checklist.entry(item).status,
        move |d: &mut HouseholdDraft, status| d.household.checklist.entry_mut(item).status = status,
    );
    let note = Binding::new(
        move |d: &HouseholdDraft| d.household.checklist.entry(item).note.clone(),
        move |d: &mut HouseholdDraft, note| d.household.checklist.entry_mut(item).note = note,
    );
    let current = form.value(&status);
    let messages = form.messages(path);
    view! {
        <div class="card form checklist-item">
            <div class="field" role="group" id=move || path.get() aria-label=move || item.label(locale.get())>
                <span class="field-label">{move || item.label(locale.get())}</span>
                <div class="segmented segmented-3">
                    {CheckStatus::ALL.iter().map(|choice| {
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
                        count = form.draft.with(|d| d.household.checklist.entry(item).evidence.len())
                    ).to_string()}
                </summary>
                <super::photos::ChecklistPhotos draft=form.draft item=item />
            </details>
        </div>
    }
}
