//! What the income sheet adds up to, shown live under the lines: totals, the comparison with the standard and the
//! monitoring line for the year (each with its source), the award, and the explanation of every line's treatment.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use zoufang_domain::income::{
    AwardOutcome, ComparisonOutcome, IncomeError, LineDecision, LineExplanation,
};
use zoufang_domain::labels::{Labelled, Locale as DomainLocale};
use zoufang_domain::money::Fen;

use super::IncomeResult;
use crate::i18n::*;
use crate::ui::form::Form;

/// `share` ‰ as a percentage with one decimal.
pub fn per_mille_text(share: u32) -> String {
    format!("{}.{}%", share / 10, share % 10)
}

#[component]
pub fn IncomeTotals(form: Form, income: Memo<IncomeResult>) -> impl IntoView {
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
                    <p class="hint">{t!(i18n, forms.income.rounding)}</p>
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
pub fn IncomeComparisons(form: Form, income: Memo<IncomeResult>) -> impl IntoView {
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
pub fn IncomeExplanation(form: Form, income: Memo<IncomeResult>) -> impl IntoView {
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
