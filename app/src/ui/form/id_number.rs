//! The 居民身份证 / 残疾人证 number input.

use leptos::prelude::*;
use time::Date;
use zoufang_domain::id_number::{IdNumberKind, ParsedIdNumber, parse_id_number_on};
use zoufang_domain::labels::Labelled;
use zoufang_domain::model::age_on;
use zoufang_domain::text::plain_id_number;

use super::{Binding, FieldMessages, Form, has_error};
use crate::i18n::*;

/// A 居民身份证 / 残疾人证 number. The X check character needs a text keyboard, so the input is `inputmode="text"`
/// with `autocapitalize="characters"`. Shows what the number tells (birth date, age, sex) as soon as it is valid and
/// reports it through `on_parsed` so the member form can fill birth date and sex.
#[component]
pub fn IdNumberField(
    form: Form,
    #[prop(into)] path: Signal<String>,
    #[prop(into)] label: TextProp,
    binding: Binding<String>,
    #[prop(into)] today: Signal<Date>,
    #[prop(optional)] on_parsed: Option<Callback<ParsedIdNumber>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = form.locale;
    let value = form.value(&binding);
    let messages = form.messages(path);
    let invalid = has_error(messages);
    let parsed = Memo::new(move |_| parse_id_number_on(&value.get(), today.get()).ok());
    let derived = move || {
        parsed.get().map(|parsed| {
            let age = age_on(parsed.birth_date, today.get());
            let facts = t_string!(
                i18n,
                forms.id_number.derived,
                birth = parsed.birth_date.to_string(),
                age = age,
                sex = parsed.sex.label(locale.get())
            )
            .to_string();
            if parsed.kind == IdNumberKind::UpgradedFrom15 {
                let upgraded = t_string!(
                    i18n,
                    forms.id_number.upgraded,
                    number = parsed.resident_number.clone()
                );
                format!("{facts}{upgraded}")
            } else {
                facts
            }
        })
    };
    let on_input = move |text: String| {
        // Full-width digits and the IME's Ｘ are converted (by the domain), spaces dropped, x upper-cased.
        let text = plain_id_number(&text);
        form.write(&binding, text.clone());
        if let (Some(callback), Ok(parsed)) =
            (on_parsed, parse_id_number_on(&text, today.get_untracked()))
        {
            callback.run(parsed);
        }
    };
    view! {
        <div class="field">
            <label class="field-label" for=move || path.get()>{move || label.get()}</label>
            <input
                id=move || path.get()
                type="text"
                inputmode="text"
                autocapitalize="characters"
                autocomplete="off"
                spellcheck="false"
                maxlength="22"
                                aria-invalid=invalid
                aria-describedby=move || format!("{}-messages", path.get())
                prop:value=move || value.get()
                on:input=move |event| on_input(event_target_value(&event))
            />
            {move || derived().map(|text| view! { <span class="field-ok" role="status">"✓ " {text}</span> })}
            <FieldMessages messages=messages path=path />
        </div>
    }
}
