//! 走访记录: purposes, start and end, notes, issues found, follow-ups and the household's confirmation; plus the
//! pieces the plan form shares (a list of short texts, the household confirmation).

use leptos::prelude::*;
use time::OffsetDateTime;
use zoufang_domain::labels::Labelled;
use zoufang_domain::model::{ConfirmationMethod, FollowUp, HouseholdConfirmation, VisitPurpose};
use zoufang_domain::validation::ValidationReport;

use crate::bind;
use crate::draft::{HouseholdDraft, KeptKind};
use crate::i18n::*;
use crate::ui::form::remove_indexed_raw;
use crate::ui::form::*;

/// `YYYY-MM-DD HH:MM` in the value's own offset.
pub fn date_time_text(value: OffsetDateTime) -> String {
    format!("{} {:02}:{:02}", value.date(), value.hour(), value.minute())
}

/// 走访记录.
#[component]
pub fn VisitSection(
    draft: RwSignal<HouseholdDraft>,
    #[prop(into)] report: Signal<ValidationReport>,
    now: Callback<(), OffsetDateTime>,
    /// The visit flow shows the photos on a step of their own.
    #[prop(optional)]
    without_photos: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::new(draft, report);
    let visitors = form.messages(fixed_path("visit.visitor_ids"));
    view! {
        <section class="form-section" id="visit" aria-labelledby="visit-title">
            <h2 id="visit-title">{t!(i18n, forms.visit.title)}</h2>
            <div class="card form">
                <ChipsField form=form path=fixed_path("visit.purposes") label=move || t_string!(i18n, forms.visit.purposes).to_string()
                    options=VisitPurpose::ALL.to_vec() binding=bind!(visit.purposes) />
                <DateTimeField form=form path=fixed_path("visit.started_at") label=move || t_string!(i18n, forms.visit.started_at).to_string()
                    binding=bind!(visit.started_at) />
                <DateTimeField form=form path=fixed_path("visit.ended_at") label=move || t_string!(i18n, forms.visit.ended_at).to_string()
                    binding=bind!(visit.ended_at) />
                <FieldMessages messages=visitors path=fixed_path("visit.visitor_ids") />
                <TextField form=form path=fixed_path("visit.notes") label=move || t_string!(i18n, forms.visit.notes).to_string()
                    binding=bind!(visit.notes) multiline=true />
            </div>
            <div class="card form">
                <StringList form=form list="visit.issues_found" label=move || t_string!(i18n, forms.visit.issues).to_string()
                    item_label=move || t_string!(i18n, forms.visit.issue).to_string() binding=bind!(visit.issues_found)
                    add_label=move || t_string!(i18n, forms.visit.add_issue).to_string() />
            </div>
            <FollowUps form=form />
            {(!without_photos).then(|| view! { <super::photos::VisitPhotos draft=draft /> })}
            <div class="card form">
                <ConfirmationEditor form=form path=fixed_path("visit.household_confirmation") now=now
                    binding=bind!(visit.household_confirmation) />
            </div>
        </section>
    }
}

/// A list of short texts (需求, 发现的问题) with add and remove.
#[component]
pub fn StringList(
    form: Form,
    list: &'static str,
    #[prop(into)] label: TextProp,
    #[prop(into)] item_label: TextProp,
    #[prop(into)] add_label: TextProp,
    binding: Binding<Vec<String>>,
) -> impl IntoView {
    let draft = form.draft;
    let count = {
        let binding = binding.clone();
        Memo::new(move |_| draft.with(|d| binding.read(d).len()))
    };
    let add_binding = binding.clone();
    let add = move |_| {
        draft.update(|d| {
            let mut items = add_binding.read(d);
            items.push(String::new());
            add_binding.write(d, items);
        })
    };
    let row = move |index: usize| {
        let element = {
            let read = binding.clone();
            let write = binding.clone();
            Binding::new(
                move |d: &HouseholdDraft| read.read(d).get(index).cloned().unwrap_or_default(),
                move |d: &mut HouseholdDraft, value: String| {
                    let mut items = write.read(d);
                    if let Some(item) = items.get_mut(index) {
                        *item = value;
                    }
                    write.write(d, items);
                },
            )
        };
        let remove_binding = binding.clone();
        let remove = move |()| {
            draft.update(|d| {
                let mut items = remove_binding.read(d);
                if index < items.len() {
                    items.remove(index);
                    remove_binding.write(d, items);
                    remove_indexed_raw(d, list, index);
                }
            })
        };
        let item_label = item_label.clone();
        view! {
            <li class="item item-open">
                <TextField form=form path=fixed_path(&format!("{list}[{index}]"))
                    label=move || format!("{} {}", item_label.get(), index + 1) binding=element />
                <ConfirmRemove on_confirm=remove />
            </li>
        }
    };
    view! {
        <div class="field-group" id=list>
            <span class="field-label">{move || label.get()}</span>
            <ul class="item-list">
                <For each=move || 0..count.get() key=|index| *index children=row />
            </ul>
            <button type="button" class="button button-add" on:click=add>{move || add_label.get()}</button>
        </div>
    }
}

fn follow_up_field<T: Default + 'static>(
    index: usize,
    get: fn(&FollowUp) -> T,
    set: fn(&mut FollowUp, T),
) -> Binding<T> {
    const FOLLOW_UPS: ItemList<FollowUp, usize> = ItemList {
        find: |d, index| d.visit.follow_ups.get(index),
        find_mut: |d, index| d.visit.follow_ups.get_mut(index),
    };
    FOLLOW_UPS.field(index, get, set)
}

#[component]
fn FollowUps(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let draft = form.draft;
    let count = Memo::new(move |_| draft.with(|d| d.visit.follow_ups.len()));
    let add = move |_| {
        draft.update(|d| {
            d.visit.follow_ups.push(FollowUp {
                text: String::new(),
                due_on: None,
                done: false,
            })
        })
    };
    let row = move |index: usize| {
        let base = fixed_path(&format!("visit.follow_ups[{index}]"));
        let remove = move |()| {
            draft.update(|d| {
                if index < d.visit.follow_ups.len() {
                    d.visit.follow_ups.remove(index);
                    remove_indexed_raw(d, "visit.follow_ups", index);
                }
            })
        };
        view! {
            <li class="item item-open form">
                <TextField form=form path=under(base, "text") label=move || t_string!(i18n, forms.visit.follow_up_text).to_string()
                    binding=follow_up_field(index, |f| f.text.clone(), |f, v| f.text = v) />
                <DateField form=form path=under(base, "due_on") label=move || t_string!(i18n, forms.visit.due_on).to_string()
                    binding=follow_up_field(index, |f| f.due_on, |f, v| f.due_on = v) optional=true />
                <CheckboxField form=form path=under(base, "done") label=move || t_string!(i18n, forms.visit.done).to_string()
                    binding=follow_up_field(index, |f| f.done, |f, v| f.done = v) />
                <ConfirmRemove on_confirm=remove />
            </li>
        }
    };
    view! {
        <div class="card form" id="visit.follow_ups">
            <h3>{t!(i18n, forms.visit.follow_ups)}</h3>
            <ul class="item-list">
                <For each=move || 0..count.get() key=|index| *index children=row />
            </ul>
            <button type="button" class="button button-add" on:click=add>{t!(i18n, forms.visit.add_follow_up)}</button>
        </div>
    }
}

/// The household's confirmation of a record: how (签字/按手印/口头) and who, stamped with `now` when confirmed.
/// What is typed before confirming is kept in the draft, so it survives a reload.
#[component]
pub fn ConfirmationEditor(
    form: Form,
    #[prop(into)] path: Signal<String>,
    binding: Binding<Option<HouseholdConfirmation>>,
    now: Callback<(), OffsetDateTime>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = form.locale;
    let draft = form.draft;
    let value = form.value(&binding);
    let messages = form.messages(path);
    let name_path = under(path, "confirmed_by");
    let method_path = under(path, "method");
    let pending_name = Memo::new(move |_| {
        name_path.with(|p| draft.with(|d| d.raw_inputs.get(p).cloned().unwrap_or_default()))
    });
    let pending_method = Memo::new(move |_| {
        method_path
            .with(|p| draft.with(|d| d.raw_inputs.get(p).and_then(|i| i.parse::<usize>().ok())))
            .and_then(|index| ConfirmationMethod::ALL.get(index).copied())
            .unwrap_or(ConfirmationMethod::Signature)
    });
    let confirm_binding = binding.clone();
    let confirm = move |_| {
        let name = pending_name.get_untracked().trim().to_string();
        if name.is_empty() {
            return;
        }
        let confirmation = HouseholdConfirmation {
            method: pending_method.get_untracked(),
            confirmed_by: name,
            confirmed_at: now.run(()),
            signature_evidence: None,
        };
        let (name_path, method_path) = (name_path.get_untracked(), method_path.get_untracked());
        draft.update(|d| {
            confirm_binding.write(d, Some(confirmation));
            d.clear_raw(&name_path);
            d.clear_raw(&method_path);
        });
    };
    let undo = move |_| form.write(&binding, None);
    let confirmed_text = move || {
        value.get().map(|c| {
            t_string!(
                i18n,
                forms.confirmation.done,
                who = c.confirmed_by.clone(),
                method = c.method.label(locale.get()),
                when = date_time_text(c.confirmed_at)
            )
            .to_string()
        })
    };
    view! {
        <div class="field confirmation" id=move || path.get()>
            <span class="field-label">{t!(i18n, forms.confirmation.title)}</span>
            <Show when=move || value.with(Option::is_some) fallback=move || view! {
                <div class="segmented segmented-3" role="group">
                    {ConfirmationMethod::ALL.iter().enumerate().map(|(index, method)| {
                        let method = *method;
                        view! {
                            <button type="button" class="button" aria-pressed=move || (pending_method.get() == method).to_string()
                                on:click=move |_| { let p = method_path.get_untracked(); draft.update(|d| d.keep_raw(&p, index.to_string(), KeptKind::Pending)) }>
                                {move || method.label(locale.get())}
                            </button>
                        }
                    }).collect_view()}
                </div>
                <label class="field">
                    <span class="field-label">{t!(i18n, forms.confirmation.confirmed_by)}</span>
                    <input type="text" id=move || name_path.get() prop:value=move || pending_name.get()
                        on:input=move |event| { let p = name_path.get_untracked(); let text = event_target_value(&event); draft.update(|d| d.keep_raw(&p, text, KeptKind::Pending)) } />
                </label>
                <button type="button" class="button button-primary" disabled=move || pending_name.with(|n| n.trim().is_empty()) on:click=confirm.clone()>
                    {t!(i18n, forms.confirmation.confirm)}
                </button>
            }>
                <p class="field-ok" role="status">{confirmed_text}</p>
                <button type="button" class="button" on:click=undo.clone()>{t!(i18n, forms.confirmation.undo)}</button>
            </Show>
            <FieldMessages messages=messages path=path />
        </div>
    }
}
