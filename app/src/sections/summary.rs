//! The validation summary: errors (which block submitting), then warnings (which need a written reason), each a
//! link to its field. Reasons are kept per warning code in a signal the page owns.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use zoufang_domain::labels::Locale as DomainLocale;
use zoufang_domain::validation::{Finding, ValidationReport};

use crate::draft::HouseholdDraft;
use crate::i18n::*;
use crate::ui::form::use_domain_locale;

/// The warning codes of the report that still have no written reason: the page refuses to submit while any is
/// left, as the server refuses such a submission (the one rule, from the domain).
pub use zoufang_domain::validation::warnings_without_reason;

/// Warnings grouped by code, in the order they first appear.
pub fn warnings_by_code(report: &ValidationReport) -> Vec<(String, Vec<Finding>)> {
    let mut groups: Vec<(String, Vec<Finding>)> = Vec::new();
    for finding in report.warnings() {
        let code = finding.code.as_str();
        match groups.iter_mut().find(|(known, _)| known == code) {
            Some((_, findings)) => findings.push(finding.clone()),
            None => groups.push((code.to_string(), vec![finding.clone()])),
        }
    }
    groups
}

/// Shows a field: remembers the path in `focus` (so a collapsed member or measure opens), then, once the page has
/// re-rendered, scrolls to the field and puts the cursor in it.
fn go_to(path: String, focus: Option<RwSignal<Option<String>>>) {
    if let Some(focus) = focus {
        focus.set(Some(path.clone()));
    }
    request_animation_frame(move || {
        if let Some(element) = document().get_element_by_id(&path) {
            element.scroll_into_view();
            if let Some(element) = element.dyn_ref::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        }
    });
}

#[component]
fn FindingLink(
    finding: Finding,
    locale: DomainLocale,
    focus: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let path = finding.path.as_str().to_string();
    let text = finding.message(locale).to_string();
    if path.is_empty() {
        return view! { <span>{text}</span> }.into_any();
    }
    let href = format!("#{path}");
    view! {
        <a href=href on:click=move |event| {
            event.prevent_default();
            go_to(path.clone(), focus);
        }>{text}</a>
    }
    .into_any()
}

/// Errors then warnings, each linking to its field; a reason input per warning code.
#[component]
pub fn ValidationSummary(
    #[prop(into)] report: Signal<ValidationReport>,
    /// The draft whose `warning_reasons` (by warning code) the reason inputs edit, so they are autosaved.
    draft: RwSignal<HouseholdDraft>,
    /// Set to a finding's path when its link is followed, so sections can open the item it is in.
    #[prop(optional)]
    focus: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = use_domain_locale();
    let errors = Memo::new(move |_| report.with(|r| r.errors().cloned().collect::<Vec<_>>()));
    let warnings = Memo::new(move |_| report.with(warnings_by_code));
    view! {
        <section class="card summary" id="summary" aria-labelledby="summary-title">
            <h2 id="summary-title">{t!(i18n, forms.summary.title)}</h2>
            <Show when=move || errors.with(Vec::is_empty) && warnings.with(Vec::is_empty)>
                <p class="field-ok">{t!(i18n, forms.summary.none)}</p>
            </Show>
            <Show when=move || !errors.with(Vec::is_empty)>
                <h3 class="summary-errors">{move || t_string!(i18n, forms.summary.errors, n = errors.with(Vec::len)).to_string()}</h3>
                <ul class="finding-list">
                    {move || {
                        let locale = locale.get();
                        errors.get().into_iter().map(|finding| view! {
                            <li class="finding finding-error"><FindingLink finding=finding locale=locale focus=focus /></li>
                        }).collect_view()
                    }}
                </ul>
            </Show>
            <Show when=move || !warnings.with(Vec::is_empty)>
                <h3 class="summary-warnings">{move || t_string!(i18n, forms.summary.warnings, n = warnings.with(Vec::len)).to_string()}</h3>
                <For each=move || warnings.get() key=group_key let:group>
                    <WarningGroup code=group.0 findings=group.1 draft=draft focus=focus />
                </For>
            </Show>
        </section>
    }
}

/// A warning group is re-rendered when its findings change (a member renamed, one more member concerned).
fn group_key(group: &(String, Vec<Finding>)) -> (String, Vec<String>) {
    let findings = group
        .1
        .iter()
        .map(|finding| format!("{}|{}", finding.path, finding.message_zh))
        .collect();
    (group.0.clone(), findings)
}

#[component]
fn WarningGroup(
    code: String,
    findings: Vec<Finding>,
    draft: RwSignal<HouseholdDraft>,
    focus: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = use_domain_locale();
    let input_id = format!("reason-{code}");
    let key = code.clone();
    let reason = Memo::new(move |_| {
        draft.with(|d| d.warning_reasons.get(&key).cloned().unwrap_or_default())
    });
    let missing = move || reason.with(|reason| reason.trim().is_empty());
    let on_input = move |text: String| {
        draft.update(|d| {
            d.warning_reasons.insert(code.clone(), text);
        })
    };
    view! {
        <div class="warning-group">
            <ul class="finding-list">
                {move || {
                    let locale = locale.get();
                    findings.clone().into_iter().map(|finding| view! {
                        <li class="finding finding-warning"><FindingLink finding=finding locale=locale focus=focus /></li>
                    }).collect_view()
                }}
            </ul>
            <div class="field">
                <label class="field-label" for=input_id.clone()>{t!(i18n, forms.summary.reason)}</label>
                <textarea id=input_id rows="2" aria-invalid=move || missing().to_string()
                    placeholder=move || t_string!(i18n, forms.summary.reason_hint).to_string()
                    prop:value=move || reason.get() on:input=move |event| on_input(event_target_value(&event))></textarea>
                <Show when=missing>
                    <span class="field-error" role="alert">{t!(i18n, forms.summary.reason_required)}</span>
                </Show>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zoufang_domain::validation::{FieldPath, RuleCode, Severity};

    fn warning(code: &'static str, path: &str) -> Finding {
        Finding {
            code: RuleCode::new(code),
            severity: Severity::Warning,
            path: FieldPath::root().field(path),
            message_zh: String::new(),
            message_en: String::new(),
        }
    }

    #[test]
    fn every_warning_code_needs_a_written_reason() {
        let report = ValidationReport {
            findings: vec![
                warning("MB-MEDICAL-INSURANCE-NONE", "members[0].insurance"),
                warning("MB-MEDICAL-INSURANCE-NONE", "members[1].insurance"),
                warning("HH-HOUSING-AREA-MISSING", "housing.area_m2"),
            ],
        };
        let mut reasons = std::collections::BTreeMap::new();
        assert_eq!(
            warnings_without_reason(&report, &reasons),
            vec!["HH-HOUSING-AREA-MISSING", "MB-MEDICAL-INSURANCE-NONE"]
        );
        reasons.insert("HH-HOUSING-AREA-MISSING".to_string(), "  ".to_string());
        reasons.insert(
            "MB-MEDICAL-INSURANCE-NONE".to_string(),
            "外地参保".to_string(),
        );
        assert_eq!(
            warnings_without_reason(&report, &reasons),
            vec!["HH-HOUSING-AREA-MISSING"]
        );
        let groups = warnings_by_code(&report);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].1.len(), 2);
    }
}
