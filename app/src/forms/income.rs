//! 收入核算: the income lines grouped as the formula groups them, live totals from the domain's `compute_income`
//! and its explanation (which lines counted, which were excluded and why, which threshold from which source).

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use zoufang_domain::income::{
    AwardOutcome, ComparisonOutcome, DefaultTreatment, IncomeCategory, IncomeError, IncomeLine,
    IncomeLineKind, IncomeReport, LineDecision, LineExplanation, compute_income,
};
use zoufang_domain::labels::{Labelled, Locale as DomainLocale};
use zoufang_domain::money::Fen;
use zoufang_domain::policy::PolicyTables;
use zoufang_domain::validation::{Severity, ValidationReport};

use super::fields::*;
use super::remove_indexed_raw;
use crate::draft::HouseholdDraft;
use crate::i18n::*;

/// How the sheet groups lines: the four income categories, costs, items not counted, rigid expenditure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineGroup {
    Wage,
    Business,
    Cost,
    Property,
    Transfer,
    Excluded,
    Rigid,
}

const GROUPS: [LineGroup; 7] = [
    LineGroup::Wage,
    LineGroup::Business,
    LineGroup::Cost,
    LineGroup::Property,
    LineGroup::Transfer,
    LineGroup::Excluded,
    LineGroup::Rigid,
];

/// The group of a kind, from the domain's default treatment.
pub fn line_group(kind: IncomeLineKind) -> LineGroup {
    match kind.default_treatment() {
        DefaultTreatment::Income(IncomeCategory::Wage) => LineGroup::Wage,
        DefaultTreatment::Income(IncomeCategory::Business) => LineGroup::Business,
        DefaultTreatment::Income(IncomeCategory::Property) => LineGroup::Property,
        DefaultTreatment::Income(IncomeCategory::Transfer) => LineGroup::Transfer,
        DefaultTreatment::BusinessCost => LineGroup::Cost,
        DefaultTreatment::Excluded(_) => LineGroup::Excluded,
        DefaultTreatment::RigidExpenditure => LineGroup::Rigid,
    }
}

fn group_title(i18n: I18nContext<Locale>, group: LineGroup) -> String {
    match group {
        LineGroup::Wage => t_string!(i18n, forms.income.group_wage),
        LineGroup::Business => t_string!(i18n, forms.income.group_business),
        LineGroup::Cost => t_string!(i18n, forms.income.group_cost),
        LineGroup::Property => t_string!(i18n, forms.income.group_property),
        LineGroup::Transfer => t_string!(i18n, forms.income.group_transfer),
        LineGroup::Excluded => t_string!(i18n, forms.income.group_excluded),
        LineGroup::Rigid => t_string!(i18n, forms.income.group_rigid),
    }
    .to_string()
}

/// The path of a line's field.
fn line_path(index: usize, field: &str) -> String {
    format!("income.lines[{index}].{field}")
}

/// Adds an empty line of this kind; its amount starts empty (kept as typed) so it must be filled in.
pub fn add_line(draft: &mut HouseholdDraft, kind: IncomeLineKind) {
    let index = draft.income.lines.len();
    draft.income.lines.push(IncomeLine::new(kind, Fen::ZERO));
    draft.keep_raw(&line_path(index, "amount"), String::new());
}

/// Removes a line and moves the kept text of later lines with them.
pub fn remove_line(draft: &mut HouseholdDraft, index: usize) {
    if index < draft.income.lines.len() {
        draft.income.lines.remove(index);
        remove_indexed_raw(&mut draft.raw_inputs, "income.lines", index);
    }
}

type IncomeResult = Result<IncomeReport, IncomeError>;

/// 收入核算.
#[component]
pub fn IncomeSection(
    draft: RwSignal<HouseholdDraft>,
    #[prop(into)] report: Signal<ValidationReport>,
    #[prop(into)] policy: Signal<PolicyTables>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::new(draft, report);
    let income = Memo::new(move |_| {
        draft.with(|d| policy.with(|policy| compute_income(&d.income, &d.household, policy)))
    });
    let sheet_messages = sheet_findings(form);
    view! {
        <section class="form-section" id="income" aria-labelledby="income-title">
            <h2 id="income-title">{t!(i18n, forms.income.title)}</h2>
            <FieldMessages messages=sheet_messages path=fixed_path("income.findings") />
            <div id="income.lines">
                {GROUPS.iter().map(|group| view! { <IncomeGroup form=form group=*group /> }).collect_view()}
            </div>
            <AddIncomeLine form=form />
            <IncomeTotals form=form income=income />
            <IncomeComparisons form=form income=income />
            <IncomeExplanation form=form income=income />
        </section>
    }
}

/// Findings about the sheet as a whole (`income`, `income.wage`, `income.dibao` …), not about one line's field.
fn sheet_findings(form: Form) -> Memo<Vec<(Severity, String)>> {
    let report = form.report;
    let locale = form.locale;
    Memo::new(move |_| {
        let locale = locale.get();
        report.with(|report| {
            report
                .findings
                .iter()
                .filter(|finding| {
                    let path = finding.path.as_str();
                    (path == "income" || path.starts_with("income."))
                        && !path.starts_with("income.lines[")
                })
                .map(|finding| (finding.severity, finding.message(locale).to_string()))
                .collect()
        })
    })
}

#[component]
fn IncomeGroup(form: Form, group: LineGroup) -> impl IntoView {
    let i18n = use_i18n();
    let draft = form.draft;
    let lines = Memo::new(move |_| {
        draft.with(|d| {
            d.income
                .lines
                .iter()
                .enumerate()
                .filter(|(_, line)| line_group(line.kind) == group)
                .map(|(index, line)| (index, line.kind))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || lines.with(|lines| !lines.is_empty())>
            <div class="card form income-group">
                <h3>{move || group_title(i18n, group)}</h3>
                <For each=move || lines.get() key=|line| *line children=move |(index, kind)| view! {
                    <IncomeLineRow form=form index=index kind=kind />
                } />
            </div>
        </Show>
    }
}

#[component]
fn IncomeLineRow(form: Form, index: usize, kind: IncomeLineKind) -> impl IntoView {
    let i18n = use_i18n();
    let locale = form.locale;
    let draft = form.draft;
    let amount = Binding::new(
        move |d: &HouseholdDraft| d.income.lines.get(index).map(|line| line.amount),
        move |d: &mut HouseholdDraft, value: Option<Fen>| {
            if let (Some(line), Some(value)) = (d.income.lines.get_mut(index), value) {
                line.amount = value;
            }
        },
    );
    let note = Binding::new(
        move |d: &HouseholdDraft| {
            d.income
                .lines
                .get(index)
                .map(|line| line.note.clone())
                .unwrap_or_default()
        },
        move |d: &mut HouseholdDraft, value| {
            if let Some(line) = d.income.lines.get_mut(index) {
                line.note = value;
            }
        },
    );
    let one_off = Binding::new(
        move |d: &HouseholdDraft| d.income.lines.get(index).is_some_and(|line| line.one_off),
        move |d: &mut HouseholdDraft, value| {
            if let Some(line) = d.income.lines.get_mut(index) {
                line.one_off = value;
            }
        },
    );
    let treatment = move || treatment_text(i18n, locale.get(), kind);
    view! {
        <div class="line" id=format!("income.lines[{index}]")>
            <MoneyField form=form path=fixed_path(&line_path(index, "amount")) label=move || kind.label(locale.get()).to_string() binding=amount />
            <p class="hint">{treatment}</p>
            <TextField form=form path=fixed_path(&line_path(index, "note")) label=move || t_string!(i18n, forms.income.note).to_string() binding=note />
            <CheckboxField form=form path=fixed_path(&line_path(index, "one_off")) label=move || t_string!(i18n, forms.income.one_off).to_string() binding=one_off />
            <FieldMessages messages=form.messages(fixed_path(&line_path(index, "treatment_override"))) path=fixed_path(&line_path(index, "treatment_override")) />
            <ConfirmRemove on_confirm=move |()| draft.update(|d| remove_line(d, index)) />
        </div>
    }
}

fn treatment_text(i18n: I18nContext<Locale>, locale: DomainLocale, kind: IncomeLineKind) -> String {
    match kind.default_treatment() {
        DefaultTreatment::Income(category) => t_string!(
            i18n,
            forms.income.decision_counted,
            category = category.label(locale)
        )
        .to_string(),
        DefaultTreatment::BusinessCost => {
            t_string!(i18n, forms.income.decision_deducted).to_string()
        }
        DefaultTreatment::Excluded(ground) => t_string!(
            i18n,
            forms.income.decision_excluded,
            ground = ground.label(locale)
        )
        .to_string(),
        DefaultTreatment::RigidExpenditure => {
            t_string!(i18n, forms.income.decision_recorded).to_string()
        }
    }
}

#[component]
fn AddIncomeLine(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let locale = form.locale;
    let chosen = RwSignal::new(None::<IncomeLineKind>);
    let add = move |_| {
        if let Some(kind) = chosen.get_untracked() {
            form.draft.update(|d| add_line(d, kind));
            chosen.set(None);
        }
    };
    view! {
        <div class="card form add-line">
            <label class="field">
                <span class="field-label">{t!(i18n, forms.income.add_kind)}</span>
                <select id="income.add_kind" on:change=move |event| {
                    let index = event_target_value(&event).parse::<usize>().ok();
                    chosen.set(index.and_then(|index| IncomeLineKind::ALL.get(index).copied()));
                }>
                    <option value="" selected=move || chosen.get().is_none()>{move || t_string!(i18n, forms.choose).to_string()}</option>
                    {move || {
                        let locale = locale.get();
                        GROUPS.iter().map(|group| {
                            let kinds = IncomeLineKind::ALL.iter().enumerate().filter(|(_, kind)| line_group(**kind) == *group);
                            view! {
                                <optgroup label=group_title(i18n, *group)>
                                    {kinds.map(|(index, kind)| view! { <option value=index.to_string()>{kind.label(locale)}</option> }).collect_view()}
                                </optgroup>
                            }
                        }).collect_view()
                    }}
                </select>
            </label>
            <button type="button" class="button button-add" disabled=move || chosen.get().is_none() on:click=add>
                {t!(i18n, forms.income.add)}
            </button>
        </div>
    }
}

/// `share` ‰ as a percentage with one decimal.
pub fn per_mille_text(share: u32) -> String {
    format!("{}.{}%", share / 10, share % 10)
}

#[component]
fn IncomeTotals(form: Form, income: Memo<IncomeResult>) -> impl IntoView {
    let i18n = use_i18n();
    let _ = form;
    let figure = move |id: &'static str, label: String, value: String| {
        view! { <dt>{label}</dt><dd id=id class="figure">{value}</dd> }
    };
    view! {
        <div class="card income-totals" aria-live="polite">
            <h3>{t!(i18n, forms.income.totals_title)}</h3>
            {move || match income.get() {
                Err(IncomeError::NoCountedMembers) => view! { <p class="field-error">{t!(i18n, forms.income.no_counted_members)}</p> }.into_any(),
                Err(_) => view! { <p class="field-error">{t!(i18n, forms.income.compute_failed)}</p> }.into_any(),
                Ok(report) => view! {
                    <dl class="facts">
                        {figure("income.household_size", t_string!(i18n, forms.income.household_size).to_string(), report.household_size.to_string())}
                        {figure("income.wage", t_string!(i18n, forms.income.group_wage).to_string(), report.wage.to_string())}
                        {figure("income.business_income", t_string!(i18n, forms.income.group_business).to_string(), report.business_income.to_string())}
                        {figure("income.property", t_string!(i18n, forms.income.group_property).to_string(), report.property.to_string())}
                        {figure("income.transfer", t_string!(i18n, forms.income.group_transfer).to_string(), report.transfer.to_string())}
                        {figure("income.gross", t_string!(i18n, forms.income.gross).to_string(), report.gross.to_string())}
                        {figure("income.business_costs", t_string!(i18n, forms.income.costs).to_string(), report.business_costs.to_string())}
                        {figure("income.net", t_string!(i18n, forms.income.net).to_string(), report.net.to_string())}
                        {figure("income.per_capita", t_string!(i18n, forms.income.per_capita).to_string(), report.per_capita.to_string())}
                        {figure("income.excluded_total", t_string!(i18n, forms.income.excluded_total).to_string(), report.excluded_total.to_string())}
                        {figure("income.rigid_expenditure", t_string!(i18n, forms.income.rigid_expenditure).to_string(), report.rigid_expenditure.to_string())}
                        {figure("income.transfer_share", t_string!(i18n, forms.income.transfer_share).to_string(),
                            report.transfer_share_per_mille.map(per_mille_text).unwrap_or_else(|| "—".to_string()))}
                    </dl>
                    <p class="hint">{report.rounding.clone()}</p>
                }.into_any(),
            }}
        </div>
    }
}

fn comparison_text(i18n: I18nContext<Locale>, name: String, outcome: &ComparisonOutcome) -> String {
    match outcome {
        ComparisonOutcome::Compared(comparison) => {
            let verdict = if comparison.above {
                t_string!(
                    i18n,
                    forms.income.above,
                    margin = comparison.margin.to_string()
                )
                .to_string()
            } else {
                let below = Fen::from_fen(comparison.margin.fen().saturating_neg());
                t_string!(i18n, forms.income.below, margin = below.to_string()).to_string()
            };
            t_string!(
                i18n,
                forms.income.compared,
                name = name,
                year = comparison.line.year,
                value = comparison.line.value.to_string(),
                verdict = verdict
            )
            .to_string()
        }
        ComparisonOutcome::NotConfigured { region, year } => t_string!(
            i18n,
            forms.income.not_configured,
            name = name,
            region = region.to_string(),
            year = *year
        )
        .to_string(),
    }
}

fn award_text(i18n: I18nContext<Locale>, award: &AwardOutcome) -> (String, Option<String>) {
    match award {
        AwardOutcome::Evaluated {
            business_net,
            tier: Some(tier),
            tiers,
        } => (
            t_string!(
                i18n,
                forms.income.award_tier,
                net = business_net.to_string(),
                above = tier.above.to_string(),
                award = tier.award.to_string()
            )
            .to_string(),
            Some(tiers.source.clone()),
        ),
        AwardOutcome::Evaluated {
            business_net,
            tier: None,
            tiers,
        } => (
            t_string!(
                i18n,
                forms.income.award_none,
                net = business_net.to_string()
            )
            .to_string(),
            Some(tiers.source.clone()),
        ),
        AwardOutcome::NotConfigured { region, year } => (
            t_string!(
                i18n,
                forms.income.award_not_configured,
                region = region.to_string(),
                year = *year
            )
            .to_string(),
            None,
        ),
    }
}

#[component]
fn IncomeComparisons(form: Form, income: Memo<IncomeResult>) -> impl IntoView {
    let i18n = use_i18n();
    let _ = form;
    let source = move |source: Option<String>| {
        source.map(|source| view! { <p class="source">{t_string!(i18n, forms.income.source, source = source).to_string()}</p> })
    };
    view! {
        {move || income.get().ok().map(|report| {
            let standard = comparison_text(i18n, t_string!(i18n, forms.income.standard).to_string(), &report.standard);
            let monitoring = comparison_text(i18n, t_string!(i18n, forms.income.monitoring).to_string(), &report.monitoring);
            let standard_source = report.standard.comparison().map(|c| c.line.source.clone());
            let monitoring_source = report.monitoring.comparison().map(|c| c.line.source.clone());
            let below = report.standard.comparison().is_some_and(|c| !c.above);
            let (award, award_source) = award_text(i18n, &report.award);
            view! {
                <div class="card income-comparisons" aria-live="polite">
                    <h3>{t!(i18n, forms.income.comparisons_title)}</h3>
                    <p class:below=below>{standard}</p>
                    {source(standard_source)}
                    <p>{monitoring}</p>
                    {source(monitoring_source)}
                    <p>{award}</p>
                    {source(award_source)}
                    <p class="source">{t_string!(i18n, forms.income.policy_version, version = report.policy_version.clone()).to_string()}</p>
                </div>
            }
        })}
    }
}

fn decision_text(
    i18n: I18nContext<Locale>,
    locale: DomainLocale,
    line: &LineExplanation,
) -> String {
    let mut text = match line.decision {
        LineDecision::Counted(category) => t_string!(
            i18n,
            forms.income.decision_counted,
            category = category.label(locale)
        )
        .to_string(),
        LineDecision::Deducted => t_string!(i18n, forms.income.decision_deducted).to_string(),
        LineDecision::Excluded => match line.exclusion_ground {
            Some(ground) => t_string!(
                i18n,
                forms.income.decision_excluded,
                ground = ground.label(locale)
            )
            .to_string(),
            None => t_string!(i18n, forms.income.decision_excluded_override).to_string(),
        },
        LineDecision::RecordedOnly => t_string!(i18n, forms.income.decision_recorded).to_string(),
    };
    if let Some(reason) = &line.override_reason {
        text.push_str(
            &t_string!(i18n, forms.income.override_reason, reason = reason.clone()).to_string(),
        );
    }
    if line.one_off {
        text.push_str(t_string!(i18n, forms.income.one_off_marker));
    }
    text
}

#[component]
fn IncomeExplanation(form: Form, income: Memo<IncomeResult>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = form.locale;
    view! {
        <details class="card income-explanation">
            <summary>{t!(i18n, forms.income.explanation_title)}</summary>
            <ol class="explanation">
                {move || {
                    let locale = locale.get();
                    income.get().ok().map(|report| {
                        report.lines.iter().map(|line| view! {
                            <li>
                                <a href=format!("#income.lines[{}].amount", line.index)>
                                    {line.kind.label(locale)}" "{line.amount.to_string()}
                                </a>
                                <span>" — "{decision_text(i18n, locale, line)}</span>
                                <span class="source">{line.source.clone()}</span>
                            </li>
                        }).collect_view()
                    })
                }}
            </ol>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_falls_in_the_group_of_its_default_treatment() {
        assert_eq!(line_group(IncomeLineKind::MigrantWork), LineGroup::Wage);
        assert_eq!(line_group(IncomeLineKind::PlantingCost), LineGroup::Cost);
        assert_eq!(
            line_group(IncomeLineKind::IndustryAward),
            LineGroup::Excluded
        );
        assert_eq!(line_group(IncomeLineKind::MedicalSelfPay), LineGroup::Rigid);
        for kind in IncomeLineKind::ALL {
            assert!(GROUPS.contains(&line_group(*kind)));
        }
    }

    #[test]
    fn a_new_line_starts_empty_and_removing_one_keeps_later_typed_text() {
        let household = zoufang_domain::sample::household();
        let mut draft = crate::draft::HouseholdDraft::start(
            household,
            1,
            crate::draft::NewDraftIds {
                income: zoufang_domain::model::IncomeSheetId(uuid::Uuid::from_u128(1)),
                plan: zoufang_domain::model::PlanId(uuid::Uuid::from_u128(2)),
                visit: zoufang_domain::model::VisitId(uuid::Uuid::from_u128(3)),
            },
            2020,
            zoufang_domain::model::UserId(uuid::Uuid::from_u128(4)),
            time::macros::datetime!(2020-12-01 09:00 +08:00),
        );
        add_line(&mut draft, IncomeLineKind::MigrantWork);
        add_line(&mut draft, IncomeLineKind::Dibao);
        assert_eq!(
            draft.shown_text("income.lines[1].amount", || "x".into()),
            ""
        );
        draft.keep_raw("income.lines[1].amount", "12a".into());
        remove_line(&mut draft, 0);
        assert_eq!(draft.income.lines.len(), 1);
        assert_eq!(draft.income.lines[0].kind, IncomeLineKind::Dibao);
        assert_eq!(
            draft
                .raw_inputs
                .get("income.lines[0].amount")
                .map(String::as_str),
            Some("12a")
        );
    }

    #[test]
    fn shares_are_shown_with_one_decimal() {
        assert_eq!(per_mille_text(505), "50.5%");
        assert_eq!(per_mille_text(0), "0.0%");
    }
}
