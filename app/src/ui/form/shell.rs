//! The one field shell: label, the input, and the findings at the field's path (errors and warnings as the helper
//! types); the shared `Form` every field gets (draft, findings, label language).

use leptos::prelude::*;
use zoufang_domain::labels::Locale as DomainLocale;
use zoufang_domain::validation::{Severity, ValidationReport};

use super::{Binding, use_domain_locale};
use crate::draft::HouseholdDraft;

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
