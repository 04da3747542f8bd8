//! Small inputs that read and write one value of the draft through a [`Binding`]. Each has a visible label, an
//! `id` equal to its field path (so the summary can link to it), `aria-invalid`, and the findings at its path under
//! it. Text that does not parse is kept in the draft (`keep_raw`) and shown until it is corrected (`clear_raw`).

use std::sync::Arc;

use leptos::prelude::*;
use time::{Date, OffsetDateTime};
use zoufang_domain::id_number::{ParsedIdNumber, parse_id_number_on};
use zoufang_domain::labels::{Labelled, Locale as DomainLocale};
use zoufang_domain::model::{WorkMonths, age_on};
use zoufang_domain::money::{Centi, Fen};
use zoufang_domain::validation::{FieldPath, Severity, ValidationReport, validate_money_field};

use super::{parse_date, parse_date_time, parse_months, parse_year, use_domain_locale};
use crate::draft::HouseholdDraft;
use crate::i18n::*;

type Getter<T> = Arc<dyn Fn(&HouseholdDraft) -> T + Send + Sync>;
type Setter<T> = Arc<dyn Fn(&mut HouseholdDraft, T) + Send + Sync>;

/// Where a field's value lives in the draft: how to read it and how to write it.
pub struct Binding<T> {
    get: Getter<T>,
    set: Setter<T>,
}

impl<T> Clone for Binding<T> {
    fn clone(&self) -> Self {
        Binding {
            get: Arc::clone(&self.get),
            set: Arc::clone(&self.set),
        }
    }
}

impl<T: 'static> Binding<T> {
    pub fn new(
        get: impl Fn(&HouseholdDraft) -> T + Send + Sync + 'static,
        set: impl Fn(&mut HouseholdDraft, T) + Send + Sync + 'static,
    ) -> Binding<T> {
        Binding {
            get: Arc::new(get),
            set: Arc::new(set),
        }
    }

    pub fn read(&self, draft: &HouseholdDraft) -> T {
        (self.get)(draft)
    }

    pub fn write(&self, draft: &mut HouseholdDraft, value: T) {
        (self.set)(draft, value)
    }
}

/// Binds a plain field of the draft: `bind!(household.address.province)`.
#[macro_export]
macro_rules! bind {
    ($($field:ident).+) => {
        $crate::forms::fields::Binding::new(
            |draft: &$crate::draft::HouseholdDraft| draft.$($field).+.clone(),
            |draft: &mut $crate::draft::HouseholdDraft, value| draft.$($field).+ = value,
        )
    };
}

/// Binds a required (non-`Option`) field to an input that works with `Option` (selects, dates).
#[macro_export]
macro_rules! bind_some {
    ($($field:ident).+) => {
        $crate::forms::fields::Binding::new(
            |draft: &$crate::draft::HouseholdDraft| Some(draft.$($field).+.clone()),
            |draft: &mut $crate::draft::HouseholdDraft, value: Option<_>| {
                if let Some(value) = value {
                    draft.$($field).+ = value;
                }
            },
        )
    };
}

/// What every field needs: the draft it edits, the findings, the label language.
#[derive(Clone, Copy)]
pub struct Form {
    pub draft: RwSignal<HouseholdDraft>,
    pub report: Signal<ValidationReport>,
    pub locale: Signal<DomainLocale>,
}

impl Form {
    /// Call inside a component (reads the i18n context).
    pub fn new(draft: RwSignal<HouseholdDraft>, report: Signal<ValidationReport>) -> Form {
        Form {
            draft,
            report,
            locale: use_domain_locale(),
        }
    }

    /// The messages at `path`, worst first, recomputed only when they change.
    pub fn messages(self, path: Signal<String>) -> Memo<Vec<(Severity, String)>> {
        let report = self.report;
        let locale = self.locale;
        Memo::new(move |_| {
            let locale = locale.get();
            path.with(|path| {
                report.with(|report| {
                    let mut found: Vec<(Severity, String)> = report
                        .at(path)
                        .map(|finding| (finding.severity, finding.message(locale).to_string()))
                        .collect();
                    found.sort_by_key(|(severity, _)| *severity != Severity::Error);
                    found
                })
            })
        })
    }

    /// A memo of one bound value.
    pub fn value<T>(self, binding: &Binding<T>) -> Memo<T>
    where
        T: PartialEq + Send + Sync + 'static,
    {
        let binding = binding.clone();
        let draft = self.draft;
        Memo::new(move |_| draft.with(|draft| binding.read(draft)))
    }

    pub fn write<T: 'static>(self, binding: &Binding<T>, value: T) {
        self.draft.update(|draft| binding.write(draft, value));
    }
}

/// A path that never changes.
pub fn fixed_path(path: &str) -> Signal<String> {
    Signal::stored(path.to_string())
}

/// The label line, the input (children) and the findings at `path`.
#[component]
pub fn FieldShell(
    form: Form,
    #[prop(into)] path: Signal<String>,
    #[prop(into)] label: TextProp,
    children: Children,
) -> impl IntoView {
    let messages = form.messages(path);
    view! {
        <div class="field">
            <label class="field-label" for=move || path.get()>{move || label.get()}</label>
            {children()}
            <FieldMessages messages=messages path=path />
        </div>
    }
}

/// The error and warning lines under a field.
#[component]
pub fn FieldMessages(
    messages: Memo<Vec<(Severity, String)>>,
    #[prop(into)] path: Signal<String>,
) -> impl IntoView {
    view! {
        <div id=move || format!("{}-messages", path.get()) class="field-messages">
            {move || {
                messages
                    .get()
                    .into_iter()
                    .map(|(severity, text)| {
                        let class = if severity == Severity::Error { "field-error" } else { "field-warning" };
                        view! { <span class=class role="alert">{text}</span> }
                    })
                    .collect_view()
            }}
        </div>
    }
}

/// The `aria-invalid` value of a field: `"true"` while an error is reported at it.
pub fn has_error(messages: Memo<Vec<(Severity, String)>>) -> impl Fn() -> String + Copy {
    move || {
        messages
            .with(|found| {
                found
                    .iter()
                    .any(|(severity, _)| *severity == Severity::Error)
            })
            .to_string()
    }
}

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
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional, into)] unit: Option<TextProp>,
) -> impl IntoView
where
    T: Clone + PartialEq + Send + Sync + 'static,
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
            None => draft.keep_raw(&path, text),
        });
    };
    view! {
        <div class="field">
            <label class="field-label" for=move || path.get()>{move || label.get()}</label>
            <div class="input-with-unit">
                <input
                    id=move || path.get()
                    type=input_type.unwrap_or("text")
                    inputmode=input_mode
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

/// A date (`<input type="date">`). Clearing a required date keeps the empty text, with its message.
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
    let format =
        Arc::new(|value: &Option<Date>| value.map(|date| date.to_string()).unwrap_or_default());
    view! {
        <ParsedInput form=form path=path label=label binding=binding parse=parse format=format input_type="date" />
    }
}

/// A local date and time (`<input type="datetime-local">`); the stored value keeps its UTC offset.
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
        format!("{}T{:02}:{:02}", value.date(), value.hour(), value.minute())
    });
    view! {
        <ParsedInput form=form path=path label=label binding=binding parse=parse format=format input_type="datetime-local" />
    }
}

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
            t_string!(
                i18n,
                forms.id_number.derived,
                birth = parsed.birth_date.to_string(),
                age = age,
                sex = parsed.sex.label(locale.get())
            )
            .to_string()
        })
    };
    let on_input = move |text: String| {
        let text = text.trim().to_uppercase();
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
                pattern="[0-9]{15,22}|[0-9]{17}[Xx]"
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
    let value = form.value(&binding);
    let messages = form.messages(path);
    let invalid = has_error(messages);
    let on_change = move |text: String| {
        let chosen = text
            .parse::<usize>()
            .ok()
            .and_then(|index| options.with_untracked(|options| options.get(index).copied()));
        if chosen.is_some() || optional {
            form.write(&binding, chosen);
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

/// A read-only value shown like a field (户编号).
#[component]
pub fn ReadOnlyField(
    #[prop(into)] path: Signal<String>,
    #[prop(into)] label: TextProp,
    #[prop(into)] value: Signal<String>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label class="field-label" for=move || path.get()>{move || label.get()}</label>
            <input id=move || path.get() type="text" readonly=true prop:value=move || value.get() />
        </div>
    }
}

/// A remove button that asks once more before calling `on_confirm`.
#[component]
pub fn ConfirmRemove(#[prop(into)] on_confirm: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let asking = RwSignal::new(false);
    view! {
        <Show
            when=move || asking.get()
            fallback=move || view! {
                <button type="button" class="button button-quiet" on:click=move |_| asking.set(true)>
                    {t!(i18n, forms.remove)}
                </button>
            }
        >
            <div class="confirm" role="alertdialog">
                <span>{t!(i18n, forms.remove_confirm)}</span>
                <button type="button" class="button button-danger-small" on:click=move |_| { asking.set(false); on_confirm.run(()); }>
                    {t!(i18n, forms.remove_yes)}
                </button>
                <button type="button" class="button" on:click=move |_| asking.set(false)>
                    {t!(i18n, forms.cancel)}
                </button>
            </div>
        </Show>
    }
}
