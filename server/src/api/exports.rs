//! Exports: `GET /api/exports/village.csv` (the first secretary's village summary), `GET
//! /api/exports/households/{id}/income.csv` (one household's income sheet) and `GET
//! /api/exports/households/{id}/card.html` (the printable 明白卡). Who may have them: the village's first secretary,
//! and for one household also its current helper. None carries ID numbers, phones, bank accounts or health details.

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::income::{IncomeReport, IncomeSheet, compute_income};
use zoufang_domain::labels::{Labelled, Locale};
use zoufang_domain::model::Relation;
use zoufang_domain::policy::RegionPath;
use zoufang_domain::protocol::{AssignedHousehold, ReviewStatus, Role};
use zoufang_domain::risk::RiskRuleSet;

use crate::AppState;
use crate::api::assignments::{policy, with_history};
use crate::auth::AuthUser;
use crate::clock::china_date;
use crate::error::AppError;
use crate::export::card::{CardData, household_card};
use crate::export::csv_document;
use crate::store::households::{self, HouseholdScope};
use crate::store::{StoreError, history};

/// Who may export the village summary, said to everyone else.
pub const VILLAGE_EXPORT_FORBIDDEN: &str = "只有驻村第一书记可以导出本村汇总表。";
/// Who may export one household, said to everyone else.
pub const HOUSEHOLD_EXPORT_FORBIDDEN: &str = "只有这一户的帮扶责任人和本村驻村第一书记可以导出。";

#[derive(Debug, Deserialize)]
pub struct YearQuery {
    year: Option<i32>,
}

fn file(content_type: &'static str, name: &str, body: String) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

fn head_name(assigned: &AssignedHousehold) -> String {
    let members = &assigned.household.members;
    members
        .iter()
        .find(|member| member.relation == Relation::Head)
        .or_else(|| members.first())
        .map(|member| member.name.clone())
        .unwrap_or_default()
}

fn review_label(assigned: &AssignedHousehold) -> &'static str {
    match assigned.review.as_ref().map(|review| review.status) {
        None => "未提交",
        Some(ReviewStatus::Pending) => "待审核",
        Some(ReviewStatus::Approved) => "已通过",
        Some(ReviewStatus::Returned) => "已退回",
    }
}

/// The latest income sheet (of `year` when given) with its accounting.
fn income_of<'a>(
    assigned: &'a AssignedHousehold,
    year: Option<i32>,
    tables: &zoufang_domain::policy::PolicyTables,
) -> Option<(&'a IncomeSheet, Option<IncomeReport>)> {
    let sheet = match year {
        Some(year) => assigned.income_sheet(year),
        None => assigned.income_sheets.first(),
    }?;
    Some((
        sheet,
        compute_income(sheet, &assigned.household, tables).ok(),
    ))
}

/// 200 CSV, one row per household of the caller's village; 403 for everyone but a first secretary.
pub async fn village_csv(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<Response, AppError> {
    let village_id = match (auth.role, auth.village_id) {
        (Role::FirstSecretary, Some(village_id)) => village_id,
        _ => return Err(AppError::Forbidden(VILLAGE_EXPORT_FORBIDDEN)),
    };
    let policy = policy(&state.pool).await?;
    let today = china_date(OffsetDateTime::now_utc());
    let mut transaction = state.pool.begin().await.map_err(StoreError::from)?;
    let stored =
        households::list(&mut *transaction, HouseholdScope::Village(village_id), None).await?;
    let listing = with_history(
        &mut transaction,
        stored,
        auth.role,
        today,
        &policy,
        &RiskRuleSet::default(),
    )
    .await?;
    transaction.commit().await.map_err(StoreError::from)?;
    let mut rows = vec![
        [
            "组",
            "户编号",
            "户主",
            "家庭人口",
            "帮扶责任人",
            "风险颜色",
            "风险原因",
            "最近走访",
            "一户一策",
            "核算年度",
            "人均纯收入（元）",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for assigned in &listing {
        let household = &assigned.household;
        let income = income_of(assigned, None, policy.tables());
        let reasons: Vec<&str> = assigned
            .risk
            .triggered
            .iter()
            .map(|rule| rule.reason_zh.as_str())
            .collect();
        rows.push(vec![
            household.address.group.clone(),
            household.household_code.clone(),
            head_name(assigned),
            household.members.len().to_string(),
            household
                .current_helper()
                .map(|helper| helper.name.clone())
                .unwrap_or_default(),
            assigned.risk.colour.label(Locale::ZhCn).to_owned(),
            reasons.join("；"),
            assigned
                .last_visit_on
                .map(|date| date.to_string())
                .unwrap_or_default(),
            review_label(assigned).to_owned(),
            income
                .as_ref()
                .map(|(sheet, _)| sheet.year.to_string())
                .unwrap_or_default(),
            income
                .and_then(|(_, report)| report)
                .map(|report| report.per_capita.to_string())
                .unwrap_or_default(),
        ]);
    }
    Ok(file(
        "text/csv; charset=utf-8",
        "village-summary.csv",
        csv_document(&rows),
    ))
}

/// One household the caller may export, with its history; 404 for an unknown id, 403 for someone else's.
async fn exportable(
    state: &AppState,
    auth: &AuthUser,
    path: Result<Path<Uuid>, PathRejection>,
) -> Result<
    (
        AssignedHousehold,
        std::sync::Arc<zoufang_domain::protocol::PolicyDocument>,
    ),
    AppError,
> {
    let Path(id) = path.map_err(|_| AppError::HouseholdNotFound)?;
    let stored = households::find(&state.pool, id)
        .await?
        .ok_or(AppError::HouseholdNotFound)?;
    let allowed = match auth.role {
        Role::Helper => stored.helper_user_id == Some(auth.user_id),
        Role::FirstSecretary => auth.village_id == Some(stored.village_id),
        Role::VillageCadre | Role::Admin => false,
    };
    if !allowed {
        return Err(AppError::Forbidden(HOUSEHOLD_EXPORT_FORBIDDEN));
    }
    let policy = policy(&state.pool).await?;
    let mut connection = state.pool.acquire().await.map_err(StoreError::from)?;
    let history = history::load(&mut connection, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let today = china_date(OffsetDateTime::now_utc());
    let assigned = super::assignments::assigned_household(
        stored,
        history,
        auth.role,
        today,
        &policy,
        &RiskRuleSet::default(),
    );
    Ok((assigned, policy))
}

/// 200 CSV of the household's income sheet (`?year=`, else the latest): each line, then the totals.
pub async fn income_csv(
    State(state): State<AppState>,
    auth: AuthUser,
    path: Result<Path<Uuid>, PathRejection>,
    query: Result<Query<YearQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(query) = query.map_err(|rejection| AppError::InvalidQuery(rejection.body_text()))?;
    let (assigned, policy) = exportable(&state, &auth, path).await?;
    let mut rows = vec![
        ["年度", "项目", "金额（元）", "说明"]
            .map(str::to_owned)
            .to_vec(),
    ];
    if let Some((sheet, report)) = income_of(&assigned, query.year, policy.tables()) {
        for line in &sheet.lines {
            rows.push(vec![
                sheet.year.to_string(),
                line.kind.label(Locale::ZhCn).to_owned(),
                line.amount.to_string(),
                line.note.clone(),
            ]);
        }
        if let Some(report) = report {
            for (label, amount) in [
                ("家庭年收入", report.gross),
                ("生产经营性支出", report.business_costs),
                ("家庭纯收入", report.net),
                ("人均纯收入", report.per_capita),
            ] {
                rows.push(vec![
                    sheet.year.to_string(),
                    format!("合计：{label}"),
                    amount.to_string(),
                    String::new(),
                ]);
            }
        }
    }
    let name = format!("income-{}.csv", assigned.household.household_code);
    Ok(file("text/csv; charset=utf-8", &name, csv_document(&rows)))
}

/// 200 the printable 明白卡 (HTML, A4), for the plan's year.
pub async fn card_html(
    State(state): State<AppState>,
    auth: AuthUser,
    path: Result<Path<Uuid>, PathRejection>,
) -> Result<Response, AppError> {
    let (assigned, policy) = exportable(&state, &auth, path).await?;
    let year = assigned.plan.as_ref().map(|plan| plan.year);
    let income = income_of(&assigned, year, policy.tables())
        .or_else(|| income_of(&assigned, None, policy.tables()));
    let report = income.and_then(|(_, report)| report);
    let standard = report.as_ref().and_then(|report| {
        let region = RegionPath::from_address(&assigned.household.address);
        policy
            .tables()
            .poverty_standard(&region, report.year)
            .found()
            .map(|found| found.value)
    });
    let html = household_card(&CardData {
        household: &assigned.household,
        plan: assigned.plan.as_ref(),
        income: report.as_ref(),
        standard,
        printed_on: china_date(OffsetDateTime::now_utc()),
    });
    let mut response = html.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // The page has its own style and nothing else: no script, no outside requests.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        ),
    );
    Ok(response)
}
