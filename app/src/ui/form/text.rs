//! Free text: one line, or several with `multiline`, stored as typed.

use leptos::prelude::*;

use super::{Binding, FieldMessages, Form, has_error};

/// One line of text (or several with `multiline`), stored as typed.
#[component]
pub fn TextField(
    form: Form,
    #[prop(into)] path: Signal<String>,
    #[prop(into)] label: TextProp,
    binding: Binding<String>,
    #[prop(optional)] multiline: bool,
    /// The keyboard to show (`tel` for phone numbers); a plain text keyboard when absent.
    #[prop(optional)]
    input_mode: Option<&'static str>,
) -> impl IntoView {
    let value = form.value(&binding);
    let messages = form.messages(path);
    let invalid = has_error(messages);
    let on_input = move |text: String| form.write(&binding, text);
    let input = if multiline {
        view! {
            <textarea
                id=move || path.get()
                rows="3"
                aria-invalid=invalid
                aria-describedby=move || format!("{}-messages", path.get())
                prop:value=move || value.get()
                on:input=move |event| on_input(event_target_value(&event))
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=move || path.get()
                type="text"
                inputmode=input_mode
                aria-invalid=invalid
                aria-describedby=move || format!("{}-messages", path.get())
                prop:value=move || value.get()
                on:input=move |event| on_input(event_target_value(&event))
            />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label class="field-label" for=move || path.get()>{move || label.get()}</label>
            {input}
            <FieldMessages messages=messages path=path />
        </div>
    }
}
