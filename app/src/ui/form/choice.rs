//! Choices from a closed list of domain values (`T::ALL`, labelled through `Labelled`): a select, 是/否, a tick box
//! and toggle chips; and a choice of one item of the draft (a member, a measure) by its id.

use leptos::prelude::*;
use zoufang_domain::labels::Labelled;

use super::{Binding, FieldMessages, FieldShell, Form, has_error};
use crate::i18n::*;

/// A `<select>` over a closed list of domain values, labelled through `Labelled`. With `optional`, an empty choice
/// stores `None`; otherwise a placeholder shows only while nothing is chosen.
#[component]
pub fn SelectField<T>(
    form: Form,
    #[prop(into)] path: Signal<String>,
    #[prop(into)] label: TextProp,
    #[prop(into)] options: Signal<Vec<T>>,
    binding: Binding<Option<T>>,
    #[prop(optional)] optional: bool,
) -> impl IntoView
where
    T: Labelled + Copy + PartialEq + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let locale = form.locale;
    let draft = form.draft;
    let stored = form.value(&binding);
    // A placeholder value nobody chose yet (a new member's sex) is marked by empty kept text at the path.
    let unchosen =
        Memo::new(move |_| path.with(|path| draft.with(|d| d.raw_inputs.contains_key(path))));
    let value = Memo::new(move |_| if unchosen.get() { None } else { stored.get() });
    let messages = form.messages(path);
    let invalid = has_error(messages);
    let on_change = move |text: String| {
        let chosen = text
            .parse::<usize>()
            .ok()
            .and_then(|index| options.with_untracked(|options| options.get(index).copied()));
        if chosen.is_some() || optional {
            let path = path.get_untracked();
            draft.update(|d| {
                binding.write(d, chosen);
                d.clear_raw(&path);
            });
        }
    };
    view! {
        <div class="field">
            <label class="field-label" for=move || path.get()>{move || label.get()}</label>
            <select
                id=move || path.get()
                aria-invalid=invalid
                aria-describedby=move || format!("{}-messages", path.get())
                on:change=move |event| on_change(event_target_value(&event))
            >
                <option value="" disabled=!optional prop:selected=move || value.get().is_none()>
                    {move || t_string!(i18n, forms.choose).to_string()}
                </option>
                {move || {
                    let current = value.get();
                    let locale = locale.get();
                    options
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(index, option)| {
                            view! {
                                <option value=index.to_string() selected=current == Some(option)>
                                    {option.label(locale)}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
            <FieldMessages messages=messages path=path />
        </div>
    }
}

/// 是 / 否 as two large buttons.
/// A `<select>` of one item of the draft by its id (the member a wage line belongs to, the measure an effect
/// belongs to), or none: `options` are the items' ids and the text each shows, in order.
#[component]
pub fn ItemChoiceField<Id>(
    form: Form,
    #[prop(into)] path: Signal<String>,
    #[prop(into)] label: TextProp,
    /// The text of the "none" choice.
    #[prop(into)]
    none: TextProp,
    options: Memo<Vec<(Id, String)>>,
    binding: Binding<Option<Id>>,
) -> impl IntoView
where
    Id: Copy + PartialEq + Send + Sync + 'static,
{
    let value = form.value(&binding);
    let on_change = move |text: String| {
        let chosen = text
            .parse::<usize>()
            .ok()
            .and_then(|index| options.with_untracked(|o| o.get(index).map(|(id, _)| *id)));
        form.write(&binding, chosen);
    };
    view! {
        <FieldShell form=form path=path label=label>
            <select id=move || path.get() on:change=move |event| on_change(event_target_value(&event))>
                <option value="" selected=move || value.get().is_none()>{move || none.get()}</option>
                {move || {
                    let current = value.get();
                    options.get().into_iter().enumerate().map(|(index, (id, text))| view! {
                        <option value=index.to_string() selected=current == Some(id)>{text}</option>
                    }).collect_view()
                }}
            </select>
        </FieldShell>
    }
}

#[component]
pub fn YesNoField(
    form: Form,
    #[prop(into)] path: Signal<String>,
    #[prop(into)] label: TextProp,
    binding: Binding<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let value = form.value(&binding);
    let messages = form.messages(path);
    let aria_label = label.clone();
    let set = move |chosen: bool| form.write(&binding, chosen);
    let set_yes = set.clone();
    view! {
        <div class="field" role="group" id=move || path.get() aria-label=move || aria_label.get().to_string()>
            <span class="field-label">{move || label.get()}</span>
            <div class="segmented">
                <button type="button" class="button" aria-pressed=move || value.get().to_string() on:click=move |_| set_yes(true)>
                    {move || t_string!(i18n, forms.yes).to_string()}
                </button>
                <button type="button" class="button" aria-pressed=move || (!value.get()).to_string() on:click=move |_| set(false)>
                    {move || t_string!(i18n, forms.no).to_string()}
                </button>
            </div>
            <FieldMessages messages=messages path=path />
        </div>
    }
}

/// One tick box on a 44 px row (for lists of flags such as insurances).
#[component]
pub fn CheckboxField(
    form: Form,
    #[prop(into)] path: Signal<String>,
    #[prop(into)] label: TextProp,
    binding: Binding<bool>,
) -> impl IntoView {
    let value = form.value(&binding);
    let messages = form.messages(path);
    view! {
        <div class="field field-check">
            <label class="check">
                <input
                    type="checkbox"
                    id=move || path.get()
                    prop:checked=move || value.get()
                    on:change=move |event| form.write(&binding, event_target_checked(&event))
                />
                <span>{move || label.get()}</span>
            </label>
            <FieldMessages messages=messages path=path />
        </div>
    }
}

/// Several values of a closed list as toggle chips. A newly chosen value is appended last, so a binding can tell
/// which one was just added (e.g. 健康 excludes the other health conditions).
#[component]
pub fn ChipsField<T>(
    form: Form,
    #[prop(into)] path: Signal<String>,
    #[prop(into)] label: TextProp,
    #[prop(into)] options: Signal<Vec<T>>,
    binding: Binding<Vec<T>>,
    #[prop(optional, into)] disabled: Option<Signal<Vec<T>>>,
) -> impl IntoView
where
    T: Labelled + Copy + PartialEq + Send + Sync + 'static,
{
    let locale = form.locale;
    let value = form.value(&binding);
    let messages = form.messages(path);
    let toggle = move |option: T| {
        let mut chosen = value.get_untracked();
        if let Some(position) = chosen.iter().position(|value| *value == option) {
            chosen.remove(position);
        } else {
            chosen.push(option);
        }
        form.write(&binding, chosen);
    };
    let aria_label = label.clone();
    view! {
        <div class="field" role="group" id=move || path.get() aria-label=move || aria_label.get().to_string()>
            <span class="field-label">{move || label.get()}</span>
            <div class="chips">
                {move || {
                    let locale = locale.get();
                    let toggle = toggle.clone();
                    options
                        .get()
                        .into_iter()
                        .map(|option| {
                            let toggle = toggle.clone();
                            let pressed = move || value.with(|chosen| chosen.contains(&option)).to_string();
                            let off = move || disabled.is_some_and(|disabled| disabled.with(|list| list.contains(&option)));
                            view! {
                                <button type="button" class="chip" aria-pressed=pressed disabled=off on:click=move |_| toggle(option)>
                                    {option.label(locale)}
                                </button>
                            }
                        })
                        .collect_view()
                }}
            </div>
            <FieldMessages messages=messages path=path />
        </div>
    }
}
