//! `/households/:id/review`: the first secretary reviews exactly the version submitted — from the basis the server
//! sent with the household at the last sync, so it works offline: what changed since the last approved version
//! part by part, the plan and income sheet as submitted, the checks with the reasons the helper wrote, the colour's
//! reasons, the visit's notes and photos; then 通过 / 退回修改 with a comment, queued like any submission.

use super::diff::ChangesView;
use super::photos::PhotoStrip;
use super::{ReviewActions, ReviewPanel};
use crate::i18n::*;
use crate::pages::household::use_household_screen;
use crate::session::AppContext;
use crate::storage::records;
use leptos::prelude::*;
use leptos_router::components::A;
use zoufang_domain::income::compute_income;
use zoufang_domain::labels::{Labelled, Locale as DomainLocale};
use zoufang_domain::money::Fen;
use zoufang_domain::policy::PolicyTables;
use zoufang_domain::protocol::{AssignedHousehold, ReviewBasis, ReviewStatus, Role};
use zoufang_domain::review_diff::{Snapshot, diff, money};
use zoufang_domain::validation::{
    Severity, ValidationConfig, ValidationContext, validate_household_visit,
};

type I18n = leptos_i18n::I18nContext<Locale>;

fn domain_locale(i18n: I18n) -> DomainLocale {
    crate::ui::form::domain_locale(i18n.get_locale())
}

/// The household as last received, read once when the screen opens.
#[derive(Clone)]
enum Loaded {
    Loading,
    Ready(Box<AssignedHousehold>),
    Missing,
}

#[component]
pub fn ReviewScreen() -> impl IntoView {
    let i18n = use_i18n();
    let screen = use_household_screen();
    let context = expect_context::<AppContext>();
    let loaded = RwSignal::new(Loaded::Loading);
    let store = screen.store.get_value();
    let household_id = screen.household_id.get_value();
    leptos::task::spawn_local(async move {
        loaded.set(match records::load_household(&store, &household_id).await {
            Ok(Some(household)) => Loaded::Ready(Box::new(household)),
            _ => Loaded::Missing,
        });
    });
    let is_reviewer = context
        .current()
        .is_some_and(|session| session.user.role == Role::FirstSecretary);
    view! {
        <A href=screen.href("") attr:class="back-link">"‹ "{t!(i18n, review.back_to_household)}</A>
        <h2 class="screen-title">{t!(i18n, review.screen_title)}</h2>
        {move || match loaded.get() {
            Loaded::Loading => view! { <p class="empty">{t!(i18n, loading)}</p> }.into_any(),
            Loaded::Missing => view! { <p class="empty">{t!(i18n, household.not_found)}</p> }.into_any(),
            Loaded::Ready(household) => match (household.review_basis.clone(), household.review.clone()) {
                (Some(basis), Some(review)) if review.status == ReviewStatus::Pending
                    && review.submission_id == basis.submission_id =>
                {
                    let actions = is_reviewer.then(|| view! {
                        <section class="card" data-testid="review-decide">
                            <h3 class="overview-title">{t!(i18n, review.decide_title)}</h3>
                            <ReviewActions submission_id=basis.submission_id household_id=review.household_id.to_string() />
                        </section>
                    });
                    view! {
                        <Basis household=*household basis=*basis />
                        {actions}
                    }.into_any()
                }
                (_, Some(review)) => view! {
                    <p class="lead" data-testid="review-nothing-pending">{t!(i18n, review.nothing_pending)}</p>
                    <ReviewPanel review=review />
                }.into_any(),
                (_, None) => view! {
                    <p class="lead" data-testid="review-nothing-pending">{t!(i18n, review.nothing_pending)}</p>
                }.into_any(),
            },
        }}
    }
}

/// 人均纯收入 of a sheet for a household, when the policy tables can compute it.
fn per_capita(
    household: &zoufang_domain::model::Household,
    sheet: &zoufang_domain::income::IncomeSheet,
    policy: &PolicyTables,
) -> Option<Fen> {
    compute_income(sheet, household, policy)
        .ok()
        .map(|report| report.per_capita)
}

#[component]
fn Basis(household: AssignedHousehold, basis: ReviewBasis) -> impl IntoView {
    let i18n = use_i18n();
    let screen = use_household_screen();
    let basis = StoredValue::new(basis);
    let submitted_by = household
        .visits
        .iter()
        .find(|visit| visit.submission_id == basis.with_value(|b| b.submission_id))
        .and_then(|visit| visit.submitted_by.clone())
        .unwrap_or_default();
    let submitted_on = basis.with_value(|b| b.submitted.visit.started_at.date().to_string());
    let approved_on = basis.with_value(|b| {
        b.approved
            .as_ref()
            .and_then(|approved| approved.approved_at.as_deref())
            .and_then(crate::clock::parse_rfc3339)
            .map(crate::clock::date_time)
    });
    let changes = move || {
        let locale = domain_locale(i18n);
        let policy = screen.policy.get();
        basis.with_value(|basis| {
            let submitted = &basis.submitted;
            let Some(approved) = basis.approved.as_ref() else {
                return view! { <p class="lead" data-testid="review-first-version">{t!(i18n, review.first_version)}</p> }
                    .into_any();
            };
            let parts = diff(
                &Snapshot {
                    household: &approved.household,
                    plan: Some(&approved.plan),
                    income: Some(&approved.income),
                    net_per_capita: per_capita(&approved.household, &approved.income, &policy),
                },
                &Snapshot {
                    household: &submitted.household,
                    plan: Some(&submitted.plan),
                    income: Some(&submitted.income),
                    net_per_capita: per_capita(&submitted.household, &submitted.income, &policy),
                },
                locale,
            );
            view! { <ChangesView parts=parts /> }.into_any()
        })
    };
    let since = move || match approved_on.clone() {
        Some(when) => t_string!(i18n, review.changes_since, time = when).to_string(),
        None => t_string!(i18n, review.changes_title).to_string(),
    };
    let risk = household.risk.clone();
    let evidence = basis.with_value(|b| b.submitted.evidence.clone());
    let notes = basis.with_value(|b| b.submitted.visit.notes.clone());
    view! {
        <p class="lead" data-testid="review-submitted-by">
            {move || t_string!(i18n, review.submitted_by, who = submitted_by.clone(), date = submitted_on.clone()).to_string()}
        </p>
        <section class="card" data-testid="review-changes">
            <h3 class="overview-title">{since}</h3>
            {changes}
        </section>
        <SubmittedPlan basis=basis />
        <SubmittedIncome basis=basis />
        <Checks basis=basis risk=risk />
        <section class="card" data-testid="review-visit">
            <h3 class="overview-title">{t!(i18n, review.visit_title)}</h3>
            <p class="review-notes">{notes}</p>
            <PhotoStrip evidence=evidence />
        </section>
    }
}

#[component]
fn SubmittedPlan(basis: StoredValue<ReviewBasis>) -> impl IntoView {
    let i18n = use_i18n();
    let body = move || {
        let locale = domain_locale(i18n);
        basis.with_value(|basis| {
            let plan = &basis.submitted.plan;
            let target = plan
                .target_per_capita_income
                .map_or_else(|| "—".to_owned(), |fen| money(fen, locale));
            let measures = plan
                .measures
                .iter()
                .map(|measure| {
                    let text = format!(
                        "{}：{} · {} · {}",
                        measure.category.label(locale),
                        measure.content,
                        money(measure.funds, locale),
                        measure.status.label(locale)
                    );
                    view! { <li>{text}</li> }
                })
                .collect_view();
            let needs = plan.needs.join("、");
            view! {
                <p>{t_string!(i18n, review.plan_year_target, year = plan.year, target = target).to_string()}</p>
                <p>{t_string!(i18n, review.plan_needs, needs = needs).to_string()}</p>
                <ul class="review-list" data-testid="review-measures">{measures}</ul>
            }
        })
    };
    view! {
        <section class="card" data-testid="review-plan">
            <h3 class="overview-title">{t!(i18n, review.plan_title)}</h3>
            {body}
        </section>
    }
}

#[component]
fn SubmittedIncome(basis: StoredValue<ReviewBasis>) -> impl IntoView {
    let i18n = use_i18n();
    let screen = use_household_screen();
    let body = move || {
        let locale = domain_locale(i18n);
        let policy = screen.policy.get();
        basis.with_value(|basis| {
            let submitted = &basis.submitted;
            let lines = submitted
                .income
                .lines
                .iter()
                .map(|line| {
                    let text = format!(
                        "{}：{}",
                        line.kind.label(locale),
                        money(line.amount, locale)
                    );
                    view! { <li>{text}</li> }
                })
                .collect_view();
            let figure = match per_capita(&submitted.household, &submitted.income, &policy) {
                Some(value) => {
                    t_string!(i18n, review.per_capita, value = money(value, locale)).to_string()
                }
                None => t_string!(i18n, household.overview.income_unavailable).to_string(),
            };
            view! {
                <p class="overview-figure" data-testid="review-per-capita">{figure}</p>
                <ul class="review-list" data-testid="review-income-lines">{lines}</ul>
            }
        })
    };
    let year = basis.with_value(|b| b.submitted.income.year);
    view! {
        <section class="card" data-testid="review-income">
            <h3 class="overview-title">{move || t_string!(i18n, review.income_title, year = year).to_string()}</h3>
            {body}
        </section>
    }
}

/// The warnings the submitted version raises, each with the reason the helper wrote, and the colour's reasons.
#[component]
fn Checks(
    basis: StoredValue<ReviewBasis>,
    risk: zoufang_domain::risk::RiskAssessment,
) -> impl IntoView {
    let i18n = use_i18n();
    let screen = use_household_screen();
    let colour = risk.colour;
    let warnings = move || {
        let locale = domain_locale(i18n);
        let policy = screen.policy.get();
        basis.with_value(|basis| {
            let submitted = &basis.submitted;
            let config = ValidationConfig::default();
            // The checks as the helper saw them when submitting: on the visit's day, the visit's own rules included.
            let report = validate_household_visit(
                submitted,
                &ValidationContext {
                    today: submitted.visit.started_at.date(),
                    policy: &policy,
                    config: &config,
                },
                submitted.visit.ended_at,
            );
            let rows: Vec<_> = report
                .findings
                .iter()
                .filter(|finding| finding.severity != Severity::Error)
                .map(|finding| {
                    let reason = submitted
                        .warning_reasons
                        .get(finding.code.as_str())
                        .cloned()
                        .unwrap_or_default();
                    let reason = if reason.trim().is_empty() {
                        t_string!(i18n, review.no_reason).to_string()
                    } else {
                        t_string!(i18n, review.reason_given, reason = reason).to_string()
                    };
                    view! {
                        <li data-testid="review-warning">
                            <span>{finding.message(locale).to_owned()}</span>
                            <span class="review-reason">{reason}</span>
                        </li>
                    }
                })
                .collect();
            if rows.is_empty() {
                view! { <p>{t!(i18n, review.no_warnings)}</p> }.into_any()
            } else {
                view! { <ul class="review-list">{rows}</ul> }.into_any()
            }
        })
    };
    let reasons = move || {
        let english = domain_locale(i18n) == DomainLocale::En;
        risk.triggered
            .iter()
            .map(|rule| {
                let text = if english {
                    &rule.reason_en
                } else {
                    &rule.reason_zh
                };
                view! { <li>{text.clone()}</li> }
            })
            .collect_view()
    };
    view! {
        <section class="card" data-testid="review-checks">
            <h3 class="overview-title">{t!(i18n, review.checks_title)}</h3>
            {warnings}
            <h3 class="overview-title">
                <crate::components::RiskBadge colour=colour />
                <span>{t!(i18n, household.overview.risk_title)}</span>
            </h3>
            <ul class="reason-list" data-testid="review-risk">{reasons}</ul>
        </section>
    }
}
