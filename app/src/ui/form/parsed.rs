//! Inputs whose text becomes a typed value: money (元 ↔ 分 as `Fen`), quantities, months, years, dates and times.
//! Text that does not parse is kept in the draft (`keep_raw`) and shown until it is corrected (`clear_raw`), so
//! nothing typed is lost.

use std::sync::Arc;

use leptos::prelude::*;
use time::{Date, OffsetDateTime};
use zoufang_domain::model::WorkMonths;
use zoufang_domain::money::{Centi, Fen};
use zoufang_domain::text::fold_full_width;
use zoufang_domain::validation::{FieldPath, validate_money_field};

use super::{Binding, FieldMessages, FieldValue, Form, has_error};
use crate::i18n::*;

/// Parses work months as typed: a whole number 0–12 (the range is the domain's `WorkMonths` rule).
pub fn parse_months(text: &str) -> Option<WorkMonths> {
    text.trim()
        .parse::<u8>()
        .ok()
        .and_then(|months| WorkMonths::new(months).ok())
}

/// Parses a four-digit year such as `2019`.
pub fn parse_year(text: &str) -> Option<i32> {
    let text = text.trim();
    (text.len() == 4)
        .then(|| text.parse::<i32>().ok())
        .flatten()
        .filter(|year| (1900..=2100).contains(year))
}

/// The numbers of a typed date and time, in order: `2026-03-08`, `2026/3/8`, `2026.3.8`, `2026年3月8日`,
/// `２０２６－０３－０８` and `2026-03-08 09:30` all split the same way (full-width forms folded first).
fn date_numbers(text: &str) -> Option<Vec<u32>> {
    let text = fold_full_width(text.trim()).into_owned();
    let mut numbers = Vec::new();
    for part in text.split(|c: char| !c.is_ascii_digit()) {
        if !part.is_empty() {
            numbers.push(part.parse::<u32>().ok()?);
        }
    }
    // Only separators may stand between the numbers: a letter or a stray sign means a mistake, not a date.
    let separators_only = text.chars().all(|c| {
        c.is_ascii_digit()
            || matches!(
                c,
                '-' | '/' | '.' | ' ' | ':' | 'T' | '年' | '月' | '日' | '号' | '时' | '点' | '分'
            )
    });
    separators_only.then_some(numbers)
}

fn date_of(year: u32, month: u32, day: u32) -> Option<Date> {
    let year = i32::try_from(year)
        .ok()
        .filter(|year| (1900..=2100).contains(year))?;
    let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()
}

/// Parses a typed date, year first (`2026-03-08`, `2026/3/8`, `2026年3月8日`, full-width digits too). Shown back
/// as `YYYY-MM-DD` in both languages, which no reader takes for month/day.
pub fn parse_date(text: &str) -> Option<Date> {
    match date_numbers(text)?.as_slice() {
        [year, month, day] => date_of(*year, *month, *day),
        // Eight digits in a row, as a numeric keypad without a dash types them: 20260308.
        [compact] if (19_000_101..=21_001_231).contains(compact) => {
            date_of(compact / 10_000, compact / 100 % 100, compact % 100)
        }
        _ => None,
    }
}

/// Parses a typed date and time, year first (`2026-03-08 09:30`, `2026-03-08T09:30:00`, `2026年3月8日 9点30分`).
pub fn parse_date_time(text: &str) -> Option<time::PrimitiveDateTime> {
    let (date, hour, minute, second) = match date_numbers(text)?.as_slice() {
        [year, month, day, hour, minute] => (date_of(*year, *month, *day)?, *hour, *minute, 0),
        [year, month, day, hour, minute, second] => {
            (date_of(*year, *month, *day)?, *hour, *minute, *second)
        }
        _ => return None,
    };
    let time = time::Time::from_hms(
        u8::try_from(hour).ok()?,
        u8::try_from(minute).ok()?,
        u8::try_from(second).ok()?,
    )
    .ok()?;
    Some(time::PrimitiveDateTime::new(date, time))
}

/// A date as the forms show it: `YYYY-MM-DD`.
pub fn format_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// How a typed text becomes a value: `Some(value)` to store (`None` inside = empty optional field), or `None` when
/// it does not parse and must be kept as typed.
type Parse<T> = Arc<dyn Fn(&str) -> Option<T> + Send + Sync>;

/// A text input whose text is parsed into a value; text that does not parse is kept in the draft. While the field
/// has focus it shows exactly what was typed; on blur it shows the stored value formatted.
#[component]
fn ParsedInput<T>(
    form: Form,
    #[prop(into)] path: Signal<String>,
    #[prop(into)] label: TextProp,
    binding: Binding<T>,
    parse: Parse<T>,
    format: Arc<dyn Fn(&T) -> String + Send + Sync>,
    #[prop(optional)] input_mode: Option<&'static str>,
    #[prop(optional, into)] placeholder: Option<TextProp>,
    #[prop(optional, into)] unit: Option<TextProp>,
) -> impl IntoView
where
    T: FieldValue + Clone + PartialEq + Send + Sync + 'static,
{
    let draft = form.draft;
    let editing = RwSignal::new(None::<String>);
    let shown = {
        let binding = binding.clone();
        Memo::new(move |_| {
            path.with(|path| {
                draft.with(|draft| draft.shown_text(path, || format(&binding.read(draft))))
            })
        })
    };
    let messages = form.messages(path);
    let invalid = has_error(messages);
    let on_input = move |text: String| {
        editing.set(Some(text.clone()));
        let path = path.get_untracked();
        draft.update(|draft| match parse(&text) {
            Some(value) => {
                binding.write(draft, value);
                draft.clear_raw(&path);
            }
            None => draft.keep_raw(&path, text, T::KIND),
        });
    };
    view! {
        <div class="field">
            <label class="field-label" for=move || path.get()>{move || label.get()}</label>
            <div class="input-with-unit">
                <input
                    id=move || path.get()
                    type="text"
                    inputmode=input_mode
                    placeholder=move || placeholder.as_ref().map(|text| text.get())
                    autocomplete="off"
                    aria-invalid=invalid
                    aria-describedby=move || format!("{}-messages", path.get())
                    prop:value=move || editing.get().unwrap_or_else(|| shown.get())
                    on:input=move |event| on_input(event_target_value(&event))
                    on:blur=move |_| editing.set(None)
                />
                {unit.map(|unit| view! { <span class="input-unit">{move || unit.get()}</span> })}
            </div>
            <FieldMessages messages=messages path=path />
        </div>
    }
}

/// An amount in 元 with two decimals, parsed by the domain (`validate_money_field`). An empty optional field
/// stores `None`; a wrong amount ("12a", "-5", "1.234") is kept as typed with its message.
#[component]
pub fn MoneyField(
    form: Form,
    #[prop(into)] path: Signal<String>,
    #[prop(into)] label: TextProp,
    binding: Binding<Option<Fen>>,
    #[prop(optional)] optional: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let parse: Parse<Option<Fen>> = Arc::new(move |text: &str| {
        if optional && text.trim().is_empty() {
            return Some(None);
        }
        validate_money_field(text, FieldPath::root()).ok().map(Some)
    });
    let format =
        Arc::new(|value: &Option<Fen>| value.map(|fen| fen.to_string()).unwrap_or_default());
    view! {
        <ParsedInput
            form=form path=path label=label binding=binding parse=parse format=format
            input_mode="decimal" unit=move || t_string!(i18n, forms.unit.yuan).to_string()
        />
    }
}

/// A required amount (a `Fen` that is never absent).
pub fn money_binding(binding: Binding<Fen>) -> Binding<Option<Fen>> {
    Binding::new(
        {
            let binding = binding.clone();
            move |draft| Some(binding.read(draft))
        },
        move |draft, value: Option<Fen>| {
            if let Some(value) = value {
                binding.write(draft, value);
            }
        },
    )
}

/// A non-negative quantity with two decimals (m², km).
#[component]
pub fn QuantityField(
    form: Form,
    #[prop(into)] path: Signal<String>,
    #[prop(into)] label: TextProp,
    binding: Binding<Centi>,
    #[prop(into)] unit: TextProp,
) -> impl IntoView {
    let parse: Parse<Centi> = Arc::new(|text: &str| Centi::parse(text).ok());
    let format = Arc::new(|value: &Centi| value.to_string());
    view! {
        <ParsedInput form=form path=path label=label binding=binding parse=parse format=format input_mode="decimal" unit=unit />
    }
}

/// 务工时间 in months, 0–12 (the domain's `WorkMonths`); "13" is kept with its message.
#[component]
pub fn MonthsField(
    form: Form,
    #[prop(into)] path: Signal<String>,
    #[prop(into)] label: TextProp,
    binding: Binding<WorkMonths>,
) -> impl IntoView {
    let i18n = use_i18n();
    let parse: Parse<WorkMonths> = Arc::new(parse_months);
    let format = Arc::new(|value: &WorkMonths| value.get().to_string());
    view! {
        <ParsedInput
            form=form path=path label=label binding=binding parse=parse format=format
            input_mode="numeric" unit=move || t_string!(i18n, forms.unit.months).to_string()
        />
    }
}

/// A four-digit year; empty stores `None`.
#[component]
pub fn YearField(
    form: Form,
    #[prop(into)] path: Signal<String>,
    #[prop(into)] label: TextProp,
    binding: Binding<Option<i32>>,
) -> impl IntoView {
    let parse: Parse<Option<i32>> = Arc::new(|text: &str| {
        if text.trim().is_empty() {
            Some(None)
        } else {
            parse_year(text).map(Some)
        }
    });
    let format =
        Arc::new(|value: &Option<i32>| value.map(|year| year.to_string()).unwrap_or_default());
    view! { <ParsedInput form=form path=path label=label binding=binding parse=parse format=format input_mode="numeric" /> }
}

/// A date typed as `YYYY-MM-DD` (a text input, not the browser's date picker, whose English form is month first):
/// other year-first forms are read too. Clearing a required date keeps the empty text, with its message.
#[component]
pub fn DateField(
    form: Form,
    #[prop(into)] path: Signal<String>,
    #[prop(into)] label: TextProp,
    binding: Binding<Option<Date>>,
    #[prop(optional)] optional: bool,
) -> impl IntoView {
    let parse: Parse<Option<Date>> = Arc::new(move |text: &str| {
        if optional && text.trim().is_empty() {
            Some(None)
        } else {
            parse_date(text).map(Some)
        }
    });
    let format = Arc::new(|value: &Option<Date>| value.map(format_date).unwrap_or_default());
    let i18n = use_i18n();
    view! {
        <ParsedInput form=form path=path label=label binding=binding parse=parse format=format input_mode="decimal"
            placeholder=move || t_string!(i18n, forms.date_format.date).to_string() />
    }
}

/// A local date and time typed as `YYYY-MM-DD hh:mm` (24-hour); the stored value keeps its UTC offset.
#[component]
pub fn DateTimeField(
    form: Form,
    #[prop(into)] path: Signal<String>,
    #[prop(into)] label: TextProp,
    binding: Binding<OffsetDateTime>,
) -> impl IntoView {
    let draft = form.draft;
    let current = binding.clone();
    let parse: Parse<OffsetDateTime> = Arc::new(move |text: &str| {
        let offset = draft.with_untracked(|draft| current.read(draft).offset());
        parse_date_time(text).map(|local| local.assume_offset(offset))
    });
    let format = Arc::new(|value: &OffsetDateTime| {
        format!(
            "{} {:02}:{:02}",
            format_date(value.date()),
            value.hour(),
            value.minute()
        )
    });
    let i18n = use_i18n();
    view! {
        <ParsedInput form=form path=path label=label binding=binding parse=parse format=format
            placeholder=move || t_string!(i18n, forms.date_format.date_time).to_string() />
    }
}
