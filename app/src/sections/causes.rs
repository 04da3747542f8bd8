//! 致贫原因: one main cause and secondary causes that never repeat it (`validate_causes`, `PovertyCauses::new`), with
//! the cause/member consistency findings (因病/因学/因残 need a matching member) shown under the main cause.

use leptos::prelude::*;
use zoufang_domain::model::{PovertyCause, PovertyCauses};
use zoufang_domain::validation::{Severity, ValidationReport, validate_causes};

use crate::draft::HouseholdDraft;
use crate::i18n::*;
use crate::ui::form::*;

/// The causes after choosing `main`: a secondary cause equal to the new main cause is dropped, so the pair stays
/// valid under `PovertyCauses::new`.
pub fn with_main(causes: &PovertyCauses, main: Option<PovertyCause>) -> PovertyCauses {
    let secondary: Vec<PovertyCause> = causes
        .secondary()
        .iter()
        .copied()
        .filter(|cause| Some(*cause) != main)
        .collect();
    PovertyCauses::new(main, secondary).unwrap_or_else(|_| causes.clone())
}

/// The causes with these secondary causes, or `None` when the domain refuses them (a repeat).
pub fn with_secondary(
    causes: &PovertyCauses,
    secondary: Vec<PovertyCause>,
) -> Option<PovertyCauses> {
    if !validate_causes(causes.main(), &secondary).is_empty() {
        return None;
    }
    PovertyCauses::new(causes.main(), secondary).ok()
}

/// 致贫原因.
#[component]
pub fn CausesSection(
    draft: RwSignal<HouseholdDraft>,
    #[prop(into)] report: Signal<ValidationReport>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::new(draft, report);
    let locale = form.locale;
    let main = Binding::new(
        |d: &HouseholdDraft| d.household.causes.main(),
        |d: &mut HouseholdDraft, main| d.household.causes = with_main(&d.household.causes, main),
    );
    let secondary = Binding::new(
        |d: &HouseholdDraft| d.household.causes.secondary().to_vec(),
        |d: &mut HouseholdDraft, chosen| {
            if let Some(causes) = with_secondary(&d.household.causes, chosen) {
                d.household.causes = causes;
            }
        },
    );
    let main_value = form.value(&main);
    let not_secondary = Signal::derive(move || main_value.get().into_iter().collect::<Vec<_>>());
    // Findings of the field-level rule (a repeat), normally prevented by the chips above.
    let repeats = Memo::new(move |_| {
        let locale = locale.get();
        draft.with(|d| {
            validate_causes(d.household.causes.main(), d.household.causes.secondary())
                .iter()
                .map(|finding| (Severity::Error, finding.message(locale).to_string()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="form-section" aria-labelledby="causes-title">
            <h2 id="causes-title">{t!(i18n, forms.causes.title)}</h2>
            <div class="card form">
                <SelectField form=form path=fixed_path("causes.main") label=move || t_string!(i18n, forms.causes.main).to_string()
                    options=PovertyCause::ALL.to_vec() binding=main optional=true />
                <ChipsField form=form path=fixed_path("causes.secondary") label=move || t_string!(i18n, forms.causes.secondary).to_string()
                    options=PovertyCause::ALL.to_vec() binding=secondary disabled=not_secondary />
                <p class="hint">{t!(i18n, forms.causes.secondary_hint)}</p>
                <FieldMessages messages=repeats path=fixed_path("causes.secondary.repeats") />
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choosing_a_main_cause_drops_it_from_the_secondary_causes() {
        let causes = PovertyCauses::new(
            Some(PovertyCause::Illness),
            vec![PovertyCause::LackOfFunds, PovertyCause::Schooling],
        )
        .unwrap_or_default();
        let changed = with_main(&causes, Some(PovertyCause::Schooling));
        assert_eq!(changed.main(), Some(PovertyCause::Schooling));
        assert_eq!(changed.secondary(), &[PovertyCause::LackOfFunds]);
    }

    #[test]
    fn a_secondary_cause_repeating_the_main_one_is_refused() {
        let causes = PovertyCauses::new(Some(PovertyCause::Illness), vec![]).unwrap_or_default();
        assert!(with_secondary(&causes, vec![PovertyCause::Illness]).is_none());
        assert!(with_secondary(&causes, vec![PovertyCause::Disaster]).is_some());
    }
}
