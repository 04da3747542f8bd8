//! What a helper sees on opening a household (`/households/:id`): the 红黄绿 colour and why, what is missing or
//! due, the big actions (开始走访, 更新收入, 修改一户一策), income against the lines of the accounting year, the plan's
//! measures and their progress, the last visit, and every section, each editable alone.

use super::paths::{Section, Step};
use super::section::section_label;
use super::submit::{Blockers, use_blockers};
use super::{HouseholdScreen, use_household_screen};
use crate::i18n::*;
use crate::ui::form::format_date;
use leptos::prelude::*;
use leptos_router::components::A;
use zoufang_domain::income::ComparisonOutcome;
use zoufang_domain::labels::{Labelled, Locale as DomainLocale};
use zoufang_domain::model::MeasureStatus;

type I18n = leptos_i18n::I18nContext<Locale>;

/// How many of the plan's measures the overview lists before 显示全部: the first screen stays short, and a plan of
/// 50 measures does not build 50 rows before the helper sees anything.
const MEASURES_AT_FIRST: usize = 5;

/// `/households/:id`.
#[component]
pub fn HouseholdOverview() -> impl IntoView {
    let i18n = use_i18n();
    let screen = use_household_screen();
    let review = screen.facts.with_value(|facts| facts.review.clone());
    let painted = super::after_first_paint();
    view! {
        {review.map(|review| view! { <crate::pages::review::ReviewPanel review=review /> })}
        <RiskCard screen=screen />
        <ToDoCard screen=screen />
        <div class="big-actions">
            <A href=screen.href(&format!("/visit/{}", Step::Changes.slug())) attr:class="button button-primary button-big"
                attr:data-testid="start-visit">{t!(i18n, household.overview.start_visit)}</A>
            <div class="big-actions-row">
                <A href=screen.href("/edit/income") attr:class="button" attr:data-testid="update-income">
                    {t!(i18n, household.overview.update_income)}
                </A>
                <A href=screen.href("/edit/plan") attr:class="button" attr:data-testid="edit-plan">
                    {t!(i18n, household.overview.edit_plan)}
                </A>
            </div>
        </div>
        <IncomeCard screen=screen />
        <MeasuresCard screen=screen />
        <LastVisitCard screen=screen />
        // Below the fold, with reads of its own: mounted once the first screen is painted.
        <Show when=move || painted.get()>
            <super::timeline::HouseholdTimeline screen=screen />
        </Show>
        <SectionList screen=screen />
    }
}

fn domain_locale(i18n: I18n) -> DomainLocale {
    crate::ui::form::domain_locale(i18n.get_locale())
}

/// The colour the server computed at the last sync, and each rule that fired, in words.
#[component]
fn RiskCard(screen: HouseholdScreen) -> impl IntoView {
    let i18n = use_i18n();
    let risk = screen.facts.with_value(|facts| facts.risk.clone());
    let colour = risk.colour;
    let none = risk.triggered.is_empty();
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
        <section class="card overview-card" data-testid="overview-risk">
            <h2 class="overview-title">
                <crate::components::RiskBadge colour=colour />
                <span>{t!(i18n, household.overview.risk_title)}</span>
            </h2>
            {if none {
                view! { <p class="lead">{t!(i18n, household.overview.risk_none)}</p> }.into_any()
            } else {
                view! { <ul class="reason-list">{reasons}</ul> }.into_any()
            }}
        </section>
    }
}

/// What is missing or due, counted, each a link to where it is done.
#[component]
fn ToDoCard(screen: HouseholdScreen) -> impl IntoView {
    let i18n = use_i18n();
    let blockers = use_blockers(screen);
    let draft = screen.draft;
    let today = screen.today;
    let income_missing =
        Memo::new(move |_| draft.with(|d| d.income.lines.is_empty().then_some(d.income.year)));
    let overdue = Memo::new(move |_| {
        let today = today.get();
        draft.with(|d| {
            d.plan
                .measures
                .iter()
                .filter(|m| {
                    matches!(m.status, MeasureStatus::Planned | MeasureStatus::InProgress)
                        && m.deadline.is_some_and(|deadline| deadline < today)
                })
                .count()
        })
    });
    let review = screen.href("/visit/review");
    let items = move || {
        let Blockers {
            errors,
            unexplained,
        } = blockers.get();
        let mut items: Vec<(String, String)> = Vec::new();
        if let Some(year) = income_missing.get() {
            items.push((
                t_string!(i18n, household.overview.income_missing, year = year).to_string(),
                screen.href("/edit/income"),
            ));
        }
        if errors > 0 {
            items.push((
                t_string!(i18n, household.overview.to_fix, count = errors).to_string(),
                review.clone(),
            ));
        }
        if unexplained > 0 {
            items.push((
                t_string!(i18n, household.overview.to_explain, count = unexplained).to_string(),
                review.clone(),
            ));
        }
        let overdue = overdue.get();
        if overdue > 0 {
            items.push((
                t_string!(i18n, household.overview.measures_overdue, count = overdue).to_string(),
                screen.href("/edit/plan"),
            ));
        }
        items
    };
    view! {
        <section class="card overview-card" data-testid="overview-todo">
            <h2 class="overview-title">{t!(i18n, household.overview.todo_title)}</h2>
            {move || {
                let items = items();
                if items.is_empty() {
                    view! { <p class="field-ok">{t!(i18n, household.overview.todo_none)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="todo-list">
                            {items.into_iter().map(|(text, href)| view! {
                                <li><A href=href attr:data-testid="todo-item">{text}</A></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// 人均纯收入 of the sheet being written, against the standard and the monitoring line of its year.
#[component]
fn IncomeCard(screen: HouseholdScreen) -> impl IntoView {
    let i18n = use_i18n();
    let income = screen.income;
    let draft = screen.draft;
    let year = Memo::new(move |_| draft.with(|d| d.income.year));
    let body = move || {
        match income.get() {
        Err(_) => view! { <p class="lead">{t!(i18n, household.overview.income_unavailable)}</p> }
            .into_any(),
        Ok(_) if draft.with(|d| d.income.lines.is_empty()) => view! {
            <p class="lead">{move || t_string!(i18n, household.overview.income_missing, year = year.get()).to_string()}</p>
        }
        .into_any(),
        Ok(report) => {
            let standard = line_text(i18n, &report.standard, true);
            let monitoring = line_text(i18n, &report.monitoring, false);
            let below = report.standard.comparison().is_some_and(|c| !c.above);
            view! {
                <p class="overview-figure" class:below=below data-testid="overview-per-capita">
                    {t_string!(i18n, household.overview.per_capita, value = report.per_capita.to_string()).to_string()}
                </p>
                <p>{standard}</p>
                <p>{monitoring}</p>
            }
            .into_any()
        }
    }
    };
    view! {
        <section class="card overview-card" data-testid="overview-income">
            <h2 class="overview-title">
                {move || t_string!(i18n, household.overview.income_title, year = year.get()).to_string()}
            </h2>
            {body}
        </section>
    }
}

/// "标准 4,500.00 元：高出 123.00 元", or that no line is configured for the place and year.
fn line_text(i18n: I18n, outcome: &ComparisonOutcome, standard: bool) -> String {
    let name = if standard {
        t_string!(i18n, household.overview.standard).to_string()
    } else {
        t_string!(i18n, household.overview.monitoring).to_string()
    };
    match outcome {
        ComparisonOutcome::Compared(comparison) => {
            let verdict = if comparison.above {
                t_string!(
                    i18n,
                    household.overview.above,
                    margin = comparison.margin.to_string()
                )
                .to_string()
            } else {
                // The margin is negative (or zero) here: the words say "below", so the sign goes.
                let short = comparison
                    .margin
                    .to_string()
                    .trim_start_matches('-')
                    .to_string();
                t_string!(i18n, household.overview.not_above, margin = short).to_string()
            };
            t_string!(
                i18n,
                household.overview.line,
                name = name,
                value = comparison.line.value.to_string(),
                verdict = verdict
            )
            .to_string()
        }
        ComparisonOutcome::NotConfigured { .. } => {
            t_string!(i18n, household.overview.line_not_configured, name = name).to_string()
        }
    }
}

/// The plan's measures with where each stands: the first [`MEASURES_AT_FIRST`], then all of them on request.
#[component]
fn MeasuresCard(screen: HouseholdScreen) -> impl IntoView {
    let i18n = use_i18n();
    let draft = screen.draft;
    let show_all = RwSignal::new(false);
    let count = Memo::new(move |_| draft.with(|d| d.plan.measures.len()));
    let rows = move || {
        let locale = domain_locale(i18n);
        let shown = if show_all.get() {
            usize::MAX
        } else {
            MEASURES_AT_FIRST
        };
        draft.with(|d| {
            d.plan
                .measures
                .iter()
                .take(shown)
                .map(|measure| measure_row(i18n, locale, measure))
                .collect_view()
        })
    };
    let progress = move || {
        draft.with(|d| {
            let done = d
                .plan
                .measures
                .iter()
                .filter(|m| m.status == MeasureStatus::Completed)
                .count();
            t_string!(
                i18n,
                household.overview.measures_progress,
                done = done,
                count = d.plan.measures.len()
            )
            .to_string()
        })
    };
    let more = move || {
        (!show_all.get() && count.get() > MEASURES_AT_FIRST).then(|| {
            view! {
                <button type="button" class="button button-quiet" data-testid="measures-all"
                    on:click=move |_| show_all.set(true)>
                    {move || t_string!(i18n, household.overview.measures_all, count = count.get()).to_string()}
                </button>
            }
        })
    };
    view! {
        <section class="card overview-card" data-testid="overview-measures">
            <h2 class="overview-title">{t!(i18n, household.overview.measures_title)}</h2>
            <Show when=move || { count.get() > 0 } fallback=move || view! { <p class="lead">{t!(i18n, household.overview.measures_none)}</p> }>
                <p class="lead">{progress}</p>
                <ul class="measure-list">{rows}</ul>
                {more}
            </Show>
        </section>
    }
}

/// One measure: what it is (its text, else its category), its status and its deadline.
fn measure_row(
    i18n: I18n,
    locale: DomainLocale,
    measure: &zoufang_domain::model::Measure,
) -> impl IntoView + use<> {
    let name = if measure.content.trim().is_empty() {
        measure.category.label(locale).to_string()
    } else {
        measure.content.clone()
    };
    let status = measure.status;
    let deadline = measure.deadline.map(|deadline| {
        t_string!(
            i18n,
            household.overview.deadline,
            date = deadline.to_string()
        )
        .to_string()
    });
    view! {
        <li class="measure-row">
            <span class="measure-name">{name}</span>
            <span class=format!("mark measure-{status:?}").to_lowercase()>{status.label(locale)}</span>
            {deadline.map(|text| view! { <span class="measure-deadline">{text}</span> })}
        </li>
    }
}

/// The latest visit: the one submitted on this phone (by this phone's user) if it is newer than what the server
/// knew, else the server's, with who submitted it as the server says.
#[component]
fn LastVisitCard(screen: HouseholdScreen) -> impl IntoView {
    let i18n = use_i18n();
    let (server, server_by) = screen
        .facts
        .with_value(|facts| (facts.last_visit_on, facts.last_visit_by.clone()));
    let context = expect_context::<crate::session::AppContext>();
    let me = context.current().map(|session| session.user.name.clone());
    let text = move || {
        let on_phone = screen.visit_on_phone.get();
        match (on_phone, server) {
            (Some(phone), server) if server.is_none_or(|server| phone.on >= server) => {
                let state = if phone.sent {
                    t_string!(i18n, household.overview.visit_sent).to_string()
                } else {
                    t_string!(i18n, household.overview.visit_queued).to_string()
                };
                t_string!(
                    i18n,
                    household.overview.last_visit_mine,
                    date = format_date(phone.on),
                    who = me.clone().unwrap_or_default(),
                    state = state
                )
                .to_string()
            }
            (_, Some(server)) => match &server_by {
                Some(who) => t_string!(
                    i18n,
                    household.overview.last_visit_by,
                    date = format_date(server),
                    who = who.clone()
                )
                .to_string(),
                None => t_string!(
                    i18n,
                    household.overview.last_visit,
                    date = format_date(server)
                )
                .to_string(),
            },
            (_, None) => t_string!(i18n, household.overview.never_visited).to_string(),
        }
    };
    view! {
        <section class="card overview-card" data-testid="overview-last-visit">
            <h2 class="overview-title">{t!(i18n, household.overview.last_visit_title)}</h2>
            <p>{text}</p>
        </section>
    }
}

/// Every section, each opening alone for a correction outside a visit, with how many findings it holds.
#[component]
fn SectionList(screen: HouseholdScreen) -> impl IntoView {
    let i18n = use_i18n();
    let report = screen.report;
    let row = move |section: Section| {
        let count = Memo::new(move |_| {
            report.with(|r| {
                r.findings
                    .iter()
                    .filter(|f| Section::of_path(f.path.as_str()) == section)
                    .count()
            })
        });
        view! {
            <li>
                <A href=screen.href(&format!("/edit/{}", section.slug())) attr:class="section-link"
                    attr:data-testid="section-link" attr:data-section=section.slug()>
                    <span class="section-name">{move || section_label(i18n, section)}</span>
                    {move || (count.get() > 0).then(|| view! {
                        <span class="mark mark-problems">
                            {t_string!(i18n, household.overview.section_problems, count = count.get()).to_string()}
                        </span>
                    })}
                </A>
            </li>
        }
    };
    view! {
        <section class="card overview-card" data-testid="overview-sections">
            <h2 class="overview-title">{t!(i18n, household.overview.sections_title)}</h2>
            <ul class="section-list">{Section::ALL.into_iter().map(row).collect_view()}</ul>
            <A href=screen.href("/visit/review") attr:class="button" attr:data-testid="overview-review">
                {t!(i18n, household.flow.check_and_submit)}
            </A>
        </section>
    }
}
