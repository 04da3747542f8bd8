//! The 银行卡号 reaches only the helper (帮扶责任人), who does the income accounting; everyone else who receives
//! households gets it masked, and a masked number sent back keeps the server's number.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use common::sync::{FIRST_SECRETARY, HELPER_1, seeded, visit_for, visit_submission};
use serde_json::Value;
use zoufang_domain::model::is_masked_account_number;
use zoufang_domain::protocol::AssignedHousehold;
use zoufang_server::demo::demo_user_id;

/// Every household's `bank_account.account_number` in a JSON answer, by household id.
fn account_numbers(households: &Value) -> Vec<(String, String)> {
    households
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|assigned| {
            let household = &assigned["household"];
            let number = household["bank_account"]["account_number"].as_str()?;
            Some((household["id"].as_str()?.to_owned(), number.to_owned()))
        })
        .collect()
}

async fn json_of(app: &TestApp, phone: &str, uri: &str) -> Value {
    let token = app.demo_token(phone).await;
    let response = app.with_token(Method::GET, uri, &token).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.json()
}

#[tokio::test]
async fn the_helper_gets_the_full_number_and_the_first_secretary_a_masked_one() {
    let app = seeded().await;
    let helper = json_of(&app, HELPER_1, "/api/assignments").await;
    let helper_numbers = account_numbers(&helper["households"]);
    assert!(!helper_numbers.is_empty(), "the demo helper has accounts");
    for (_, number) in &helper_numbers {
        assert!(
            (16..=19).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit()),
            "{number}"
        );
    }
    for uri in ["/api/assignments", "/api/changes"] {
        let secretary = json_of(&app, FIRST_SECRETARY, uri).await;
        let text = secretary.to_string();
        let numbers = account_numbers(&secretary["households"]);
        assert!(numbers.len() >= helper_numbers.len(), "{uri}");
        for (id, number) in &numbers {
            assert!(is_masked_account_number(number), "{uri} {id}: {number}");
        }
        for (id, full) in &helper_numbers {
            assert!(!text.contains(full.as_str()), "{uri} carries {id}'s number");
            let masked = numbers.iter().find(|(other, _)| other == id).unwrap();
            let expected = format!("{} **** **** {}", &full[..4], &full[full.len() - 4..]);
            assert_eq!(masked.1, expected);
        }
    }
}

#[tokio::test]
async fn a_visit_sent_back_with_the_masked_number_keeps_the_servers_number() {
    let app = seeded().await;
    let helper = json_of(&app, HELPER_1, "/api/assignments").await;
    let (id, full) = account_numbers(&helper["households"]).remove(0);
    let secretary = json_of(&app, FIRST_SECRETARY, "/api/assignments").await;
    let copy: AssignedHousehold = serde_json::from_value(
        secretary["households"]
            .as_array()
            .unwrap()
            .iter()
            .find(|assigned| assigned["household"]["id"] == id.as_str())
            .unwrap()
            .clone(),
    )
    .unwrap();
    let visit = visit_for(&copy, demo_user_id(3));
    let token = app.demo_token(FIRST_SECRETARY).await;
    let response = app.submit(&token, &visit_submission(visit)).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let after = json_of(&app, HELPER_1, "/api/assignments").await;
    let kept = account_numbers(&after["households"])
        .into_iter()
        .find(|(other, _)| *other == id)
        .map(|(_, number)| number);
    assert_eq!(kept, Some(full));
}
