//! Generated hostile requests at every endpoint, through the real router over a seeded database: structurally
//! valid records with one field replaced by an extreme or wrong value, arbitrary JSON, raw bytes, odd paths and
//! query strings, with every kind of token. The server must answer every one with a status below 500 (and JSON on
//! `/api`), and never panic. The number of cases is bounded for CI; `PROPTEST_CASES` raises it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::TestApp;
use common::sync::*;
use proptest::prelude::*;
use serde_json::{Value, json};
use uuid::Uuid;
use zoufang_domain::model::UserId;
use zoufang_domain::protocol::{HelperChangeRequest, ReviewDecision, ReviewRequest};

/// The seeded app, its tokens by role, and valid request bodies to mutate, built once for all cases.
struct Fixture {
    runtime: tokio::runtime::Runtime,
    app: TestApp,
    tokens: Vec<String>,
    templates: Vec<(Method, String, Value)>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let (app, tokens, templates) = runtime.block_on(async {
            let app = seeded().await;
            let mut tokens = Vec::new();
            for phone in [HELPER_1, FIRST_SECRETARY, CADRE, ADMIN] {
                tokens.push(app.demo_token(phone).await);
            }
            let household = households_of(&app, 0).await[0];
            let server = assigned(&app, household).await;
            let visit = visit_submission(visit_for(&server, zoufang_server::demo::demo_user_id(0)));
            let point = demo_teaching_point(&app).await;
            let attendance = attendance_for(&app, point, &[household], Uuid::new_v4()).await;
            let review = ReviewRequest {
                id: None,
                submission_id: Uuid::new_v4(),
                decision: ReviewDecision::Return,
                comments: "请补充收入证明".into(),
            };
            let helper_change = HelperChangeRequest {
                user_id: UserId(zoufang_server::demo::demo_user_id(1)),
                unit: "三门坡镇人民政府".into(),
                position: "干部".into(),
                unit_level: None,
                started_on: zoufang_server::clock::china_date(time::OffsetDateTime::now_utc()),
            };
            let post = |uri: &str, value: Value| (Method::POST, uri.to_owned(), value);
            let templates = vec![
                post("/api/submissions", serde_json::to_value(&visit).unwrap()),
                post(
                    "/api/submissions",
                    serde_json::to_value(&attendance).unwrap(),
                ),
                post("/api/reviews", serde_json::to_value(&review).unwrap()),
                post(
                    "/api/login",
                    json!({"phone": HELPER_2, "password": "wrong password"}),
                ),
                post("/api/logout", json!({})),
                post(
                    &format!("/api/households/{household}/helper"),
                    serde_json::to_value(&helper_change).unwrap(),
                ),
                (
                    Method::PUT,
                    format!("/api/night-school/points/{point}/households"),
                    json!({ "household_ids": [household] }),
                ),
            ];
            (app, tokens, templates)
        });
        Fixture {
            runtime,
            app,
            tokens,
            templates,
        }
    })
}

/// Values that break naive code: integer and date extremes, empty and huge strings, wrong types. Numbers first,
/// then strings, then the rest, so that [`replacement_for`] can prefer a value of the replaced node's own type.
fn extreme_values() -> Vec<Value> {
    vec![
        json!(i64::MAX),
        json!(i64::MIN),
        json!(u64::MAX),
        json!(i64::MAX - 1),
        json!(-1),
        json!(0),
        json!(1e308),
        json!(-0.5),
        json!(""),
        json!("9999-12-31T23:59:59-12:00"),
        json!("-9999-01-01T00:00:00Z"),
        json!("0001-01-01T00:00:00+14:00"),
        json!("0000-01-01"),
        json!("2026-02-30"),
        json!("not-a-uuid"),
        json!("00000000-0000-0000-0000-000000000000"),
        json!("\u{0}\u{202e}<script>alert(1)</script>"),
        Value::String("长".repeat(50_000)),
        Value::Null,
        json!(true),
        json!([]),
        json!({}),
    ]
}

const NUMBERS: std::ops::Range<usize> = 0..8;
const STRINGS: std::ops::Range<usize> = 8..18;

/// An extreme value for a node: of the node's own type two times in three (a number for a number, a string for a
/// string), any extreme value otherwise.
fn replacement_for(original: &Value, pick: usize) -> Value {
    let values = extreme_values();
    let range = match original {
        Value::Number(_) if !pick.is_multiple_of(3) => NUMBERS,
        Value::String(_) if !pick.is_multiple_of(3) => STRINGS,
        _ => 0..values.len(),
    };
    values[range.start + (pick / 3) % range.len()].clone()
}

fn extreme_value() -> impl Strategy<Value = Value> {
    let values = extreme_values();
    prop_oneof![
        (0..values.len()).prop_map(move |index| values[index].clone()),
        any::<i64>().prop_map(|number| json!(number)),
        any::<f64>().prop_map(|number| json!(number)),
        ".{0,40}".prop_map(Value::String),
    ]
}

/// Arbitrary JSON, a few levels deep, with keys that the records really use.
fn arbitrary_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("id".to_owned()),
        Just("record".to_owned()),
        Just("household".to_owned()),
        Just("submitted_at".to_owned()),
        Just("base_version".to_owned()),
        Just("kind".to_owned()),
        Just("phone".to_owned()),
        Just("password".to_owned()),
        "[a-z_]{1,12}",
    ];
    extreme_value().prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Every node of a JSON value by depth: `nodes[d]` holds the paths (indices into objects' sorted keys or into
/// arrays) of the nodes `d` levels down.
fn nodes_by_depth(value: &Value) -> Vec<Vec<Vec<usize>>> {
    fn walk(value: &Value, path: &mut Vec<usize>, nodes: &mut Vec<Vec<Vec<usize>>>) {
        if nodes.len() <= path.len() {
            nodes.push(Vec::new());
        }
        nodes[path.len()].push(path.clone());
        let children: Vec<&Value> = match value {
            Value::Object(map) => map.values().collect(),
            Value::Array(items) => items.iter().collect(),
            _ => Vec::new(),
        };
        for (index, child) in children.into_iter().enumerate() {
            path.push(index);
            walk(child, path, nodes);
            path.pop();
        }
    }
    let mut nodes = Vec::new();
    walk(value, &mut Vec::new(), &mut nodes);
    nodes
}

fn node_at<'a>(value: &'a mut Value, path: &[usize]) -> &'a mut Value {
    let Some((first, rest)) = path.split_first() else {
        return value;
    };
    let child = match value {
        Value::Object(map) => map.values_mut().nth(*first),
        Value::Array(items) => items.get_mut(*first),
        _ => None,
    };
    match child {
        Some(child) => node_at(child, rest),
        None => unreachable!("paths come from nodes_by_depth of the same value"),
    }
}

/// Replaces one node of `template`: a depth is chosen first (so the few top-level fields are hit as often as the
/// many deep ones), then a node at that depth, then an extreme value for it.
fn mutate(template: &Value, depth: usize, node: usize, pick: usize) -> Value {
    let nodes = nodes_by_depth(template);
    // Below the root when there is anything below it (`{}` has only its root).
    let level = match nodes.len() {
        1 => 0,
        levels => 1 + depth % (levels - 1),
    };
    let at_depth = &nodes[level];
    let path = &at_depth[node % at_depth.len()];
    let mut value = template.clone();
    let slot = node_at(&mut value, path);
    *slot = replacement_for(slot, pick);
    value
}

#[derive(Debug, Clone)]
enum Body_ {
    Mutated {
        template: usize,
        depth: usize,
        node: usize,
        pick: usize,
    },
    Json(Value),
    Bytes(Vec<u8>),
}

fn body() -> impl Strategy<Value = Body_> {
    prop_oneof![
        6 => (0..6usize, any::<usize>(), any::<usize>(), any::<usize>()).prop_map(
            |(template, depth, node, pick)| Body_::Mutated { template, depth, node, pick }
        ),
        2 => arbitrary_json().prop_map(Body_::Json),
        1 => prop::collection::vec(any::<u8>(), 0..256).prop_map(Body_::Bytes),
    ]
}

/// Paths other than the templates' own: queries, photo names, unknown routes.
fn odd_target() -> impl Strategy<Value = (Method, String)> {
    let method = prop_oneof![
        Just(Method::GET),
        Just(Method::HEAD),
        Just(Method::PUT),
        Just(Method::POST),
        Just(Method::DELETE),
    ];
    let path = prop_oneof![
        "[ -~]{0,30}".prop_map(|since| format!("/api/changes?since={}", urlencode(&since))),
        "[0-9a-fA-F]{60,68}".prop_map(|hash| format!("/api/photos/{hash}")),
        Just("/api/assignments".to_owned()),
        Just("/api/me".to_owned()),
        Just("/api/health".to_owned()),
        "[ -~]{0,40}".prop_map(|id| format!("/api/households/{}/helper", urlencode(&id))),
        "[ -~]{0,40}"
            .prop_map(|id| format!("/api/night-school/points/{}/households", urlencode(&id))),
        "[a-z0-9/._-]{0,30}".prop_map(|rest| format!("/api/{rest}")),
        "[a-z0-9/._-]{0,30}".prop_map(|rest| format!("/{rest}")),
    ];
    (method, path)
}

fn urlencode(text: &str) -> String {
    text.bytes().map(|byte| format!("%{byte:02X}")).collect()
}

fn request(method: Method, uri: &str, token: Option<&str>, body: Vec<u8>) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    builder.body(Body::from(body)).unwrap()
}

fn check(method: &Method, uri: &str, response: &common::TestResponse) -> Result<(), TestCaseError> {
    prop_assert!(
        response.status < StatusCode::INTERNAL_SERVER_ERROR,
        "{method} {uri} answered {}: {}",
        response.status,
        String::from_utf8_lossy(&response.body)
    );
    if uri.starts_with("/api/") && method != Method::HEAD && !response.body.is_empty() {
        prop_assert!(
            serde_json::from_slice::<Value>(&response.body).is_ok(),
            "{method} {uri} answered non-JSON: {}",
            String::from_utf8_lossy(&response.body)
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(1_000),
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    #[test]
    fn no_generated_body_gets_a_5xx_or_a_panic(body in body(), who in 0..6usize) {
        let fixture = fixture();
        let token = match who {
            0..=3 => Some(fixture.tokens[who].as_str()),
            4 => Some("not-a-token"),
            _ => None,
        };
        let (method, uri, bytes) = match body {
            Body_::Mutated { template, depth, node, pick } => {
                let (method, uri, value) = &fixture.templates[template];
                let mutated = mutate(value, depth, node, pick);
                (method.clone(), uri.as_str(), serde_json::to_vec(&mutated).unwrap())
            }
            Body_::Json(value) => {
                let (method, uri, _) = &fixture.templates[who % fixture.templates.len()];
                (method.clone(), uri.as_str(), serde_json::to_vec(&value).unwrap())
            }
            Body_::Bytes(bytes) => (Method::POST, "/api/submissions", bytes),
        };
        let response = fixture.runtime.block_on(fixture.app.send(request(method.clone(), uri, token, bytes)));
        check(&method, uri, &response)?;
    }

    #[test]
    fn no_odd_path_or_query_gets_a_5xx_or_a_panic(target in odd_target(), body in arbitrary_json(), who in 0..6usize) {
        let fixture = fixture();
        let token = fixture.tokens.get(who).map(String::as_str);
        let (method, uri) = target;
        let response = fixture.runtime.block_on(
            fixture.app.send(request(method.clone(), &uri, token, serde_json::to_vec(&body).unwrap())),
        );
        check(&method, &uri, &response)?;
    }
}
