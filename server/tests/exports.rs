//! Exports: the village summary and a household's income sheet as CSV (byte-order mark, formula-looking cells
//! neutralised), the printable 明白卡 without ID numbers, phones, bank accounts or health details, and who may
//! have each.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode, header};
use common::TestApp;
use common::sync::*;
use serde_json::Value;
use uuid::Uuid;
use zoufang_domain::income::{IncomeLine, IncomeLineKind};
use zoufang_domain::labels::{Labelled, Locale};
use zoufang_domain::model::HealthCondition;
use zoufang_domain::money::Fen;
use zoufang_server::demo::demo_user_id;

/// 王海燕 submits a visit whose income sheet carries a note that looks like a formula.
async fn visited(app: &TestApp, note: &str) -> Uuid {
    let helper = app.demo_token(HELPER_1).await;
    let household_id = households_of(app, 0).await[0];
    let server = assigned(app, household_id).await;
    let mut visit = visit_for(&server, demo_user_id(0));
    visit.income.lines.push(IncomeLine {
        kind: IncomeLineKind::OtherBusiness,
        amount: Fen::from_fen(1_000),
        note: note.to_owned(),
        member_id: None,
        one_off: false,
        treatment_override: None,
    });
    explain_every_warning(&mut visit);
    let response = app.submit(&helper, &visit_submission(visit)).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    household_id
}

fn strings_under(value: &Value, keys: &[&str], out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if keys.contains(&key.as_str()) {
                    match child {
                        Value::String(text) if !text.trim().is_empty() => out.push(text.clone()),
                        other => strings_under(other, &[""], out),
                    }
                }
                strings_under(child, keys, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| strings_under(item, keys, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_income_csv_has_a_bom_and_neutralises_formula_looking_cells() {
    let app = seeded().await;
    let household_id = visited(&app, "=HYPERLINK(\"http://evil\",\"点我\")").await;
    let helper = app.demo_token(HELPER_1).await;
    let uri = format!("/api/exports/households/{household_id}/income.csv");
    let response = app.with_token(Method::GET, &uri, &helper).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(
        response.headers[header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    assert!(response.body.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 BOM");
    let text = response.text();
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"点我\"\")\""),
        "{text}"
    );
    assert!(!text.contains(",\"=HYPERLINK"), "{text}");
    assert!(text.contains("合计：人均纯收入"), "{text}");

    // Another helper may not have it; a cadre neither.
    for phone in [HELPER_2, CADRE] {
        let token = app.demo_token(phone).await;
        let response = app.with_token(Method::GET, &uri, &token).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{phone}");
    }
    let missing = format!("/api/exports/households/{}/income.csv", Uuid::new_v4());
    assert_eq!(
        app.with_token(Method::GET, &missing, &helper).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_village_summary_is_for_the_first_secretary_with_a_row_per_household() {
    let app = seeded().await;
    visited(&app, "务工收入").await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let response = app
        .with_token(Method::GET, "/api/exports/village.csv", &secretary)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert!(response.body.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = response.text();
    let rows: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(rows.len(), 1 + 12, "a header and the 12 demo households");
    assert!(rows[0].contains("\"户编号\"") && rows[0].contains("\"风险原因\""));
    assert!(
        text.contains("\"待审核\""),
        "the visited household's plan awaits review"
    );
    for phone in [HELPER_1, CADRE, ADMIN] {
        let token = app.demo_token(phone).await;
        let response = app
            .with_token(Method::GET, "/api/exports/village.csv", &token)
            .await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{phone}");
    }
}

#[tokio::test]
async fn the_printable_card_holds_no_id_number_phone_bank_account_or_health_detail() {
    let app = seeded().await;
    let household_id = visited(&app, "种植收入").await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let listing: Value = app
        .with_token(Method::GET, "/api/assignments", &secretary)
        .await
        .json();
    let households = listing["households"].as_array().unwrap();
    assert_eq!(households.len(), 12);
    let mut checked_bank_accounts = 0;
    for entry in households {
        let record = &entry["household"];
        let id = record["id"].as_str().unwrap();
        let uri = format!("/api/exports/households/{id}/card.html");
        let response = app.with_token(Method::GET, &uri, &secretary).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        assert!(
            response.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let html = response.text();
        assert!(html.contains("一户一策 明白卡") && html.contains("@page"));
        assert!(html.contains(record["household_code"].as_str().unwrap()));
        assert!(!html.contains("<script"));
        let mut secrets = Vec::new();
        strings_under(
            record,
            &[
                "id_number",
                "phone",
                "account_number",
                "disability_certificate",
            ],
            &mut secrets,
        );
        checked_bank_accounts += usize::from(!record["bank_account"].is_null());
        for secret in &secrets {
            assert!(
                !html.contains(secret.as_str()),
                "{id}: the card shows {secret:?}"
            );
        }
        for member in record["members"].as_array().unwrap() {
            for condition in member["health"].as_array().into_iter().flatten() {
                let condition: HealthCondition = serde_json::from_value(condition.clone()).unwrap();
                if condition != HealthCondition::Healthy {
                    let label = condition.label(Locale::ZhCn);
                    assert!(!html.contains(label), "{id}: the card shows {label}");
                }
            }
        }
        if id == household_id.to_string() {
            assert!(
                html.contains("年帮扶计划"),
                "the submitted plan is on the card"
            );
            assert!(html.contains("人均纯收入"));
        }
    }
    assert!(
        checked_bank_accounts > 0,
        "some demo household has a bank account to leak"
    );
    let other = app.demo_token(HELPER_2).await;
    let uri = format!("/api/exports/households/{household_id}/card.html");
    assert_eq!(
        app.with_token(Method::GET, &uri, &other).await.status,
        StatusCode::FORBIDDEN
    );
}
