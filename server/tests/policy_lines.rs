//! `admin add-policy-line`, `list-policy-lines`, `retire-policy-line`: a standard or monitoring line per region and
//! year, refused without its document, reaches phones with their assignments; retired, it no longer does.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::sync::*;
use zoufang_domain::policy::RegionPath;
use zoufang_domain::policy::lines::LineKind;
use zoufang_domain::protocol::AssignmentsResponse;
use zoufang_server::admin::policy::LineKindArg;
use zoufang_server::admin::{self, AdminCommand};
use zoufang_server::store::policy_lines;

async fn run(app: &common::TestApp, command: AdminCommand) -> Result<(), String> {
    let mut stdin: &[u8] = b"";
    admin::run(&app.pool, command, &mut stdin)
        .await
        .map_err(|error| error.to_string())
}

fn add(
    kind: LineKindArg,
    year: i32,
    yuan: &str,
    number: &str,
    title: &str,
    date: &str,
) -> AdminCommand {
    AdminCommand::AddPolicyLine {
        kind,
        region: "海南省/海口市".into(),
        year,
        yuan: yuan.into(),
        document_number: number.into(),
        document_title: title.into(),
        document_date: date.into(),
        demo: false,
    }
}

const NUMBER: &str = "海口乡振〔2031〕2号";
const TITLE: &str = "关于调整2031年脱贫标准的通知";

async fn standard_for(app: &common::TestApp, year: i32) -> Option<(i64, String)> {
    let token = app.demo_token(HELPER_1).await;
    let response = app
        .with_token(Method::GET, "/api/assignments", &token)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let listing: AssignmentsResponse = serde_json::from_slice(&response.body).unwrap();
    let region = RegionPath::parse("海南省/海口市/琼山区/三门坡镇/清泉村");
    let lookup = listing.policy.tables().poverty_standard(&region, year);
    lookup
        .found()
        .map(|found| (found.value.fen(), found.source.clone()))
}

#[tokio::test]
async fn a_line_without_its_document_is_refused_and_nothing_is_stored() {
    let app = seeded().await;
    let before = policy_lines::list(&app.pool, true).await.unwrap().len();
    for (number, title, date) in [
        ("", TITLE, "2031-03-01"),
        ("  ", TITLE, "2031-03-01"),
        (NUMBER, "", "2031-03-01"),
        (NUMBER, TITLE, ""),
        (NUMBER, TITLE, "2031-3-1x"),
    ] {
        let error = run(
            &app,
            add(LineKindArg::Standard, 2031, "4900", number, title, date),
        )
        .await
        .unwrap_err();
        assert!(
            error.contains("document") || error.contains("--document-date"),
            "{number:?} {title:?} {date:?}: {error}"
        );
    }
    for (year, yuan) in [(1999, "4900"), (2031, "0"), (2031, "-5"), (2031, "49OO")] {
        assert!(
            run(
                &app,
                add(
                    LineKindArg::Standard,
                    year,
                    yuan,
                    NUMBER,
                    TITLE,
                    "2031-03-01"
                )
            )
            .await
            .is_err()
        );
    }
    assert_eq!(
        policy_lines::list(&app.pool, true).await.unwrap().len(),
        before
    );
    assert_eq!(standard_for(&app, 2031).await, None);
}

#[tokio::test]
async fn an_added_line_reaches_the_phones_until_it_is_retired() {
    let app = seeded().await;
    run(
        &app,
        add(
            LineKindArg::Standard,
            2031,
            "4900.50",
            NUMBER,
            TITLE,
            "2031-03-01",
        ),
    )
    .await
    .unwrap();
    let (fen, source) = standard_for(&app, 2031).await.expect("configured");
    assert_eq!(fen, 490_050);
    assert!(
        source.contains(NUMBER) && source.contains(TITLE) && source.contains("2031-03-01"),
        "{source}"
    );
    assert!(
        !source.contains("演示"),
        "a real line is not labelled a demo value: {source}"
    );

    // A second line in force for the same kind, region and year is refused.
    let error = run(
        &app,
        add(
            LineKindArg::Standard,
            2031,
            "5000",
            NUMBER,
            TITLE,
            "2031-04-01",
        ),
    )
    .await
    .unwrap_err();
    assert!(error.contains("already in force"), "{error}");
    // A monitoring line of the same year is another kind: accepted.
    run(
        &app,
        add(
            LineKindArg::Monitoring,
            2031,
            "7400",
            NUMBER,
            TITLE,
            "2031-03-01",
        ),
    )
    .await
    .unwrap();

    let lines = policy_lines::list(&app.pool, false).await.unwrap();
    let added = lines
        .iter()
        .find(|stored| stored.line.year == 2031 && stored.line.kind == LineKind::Standard)
        .unwrap();
    run(
        &app,
        AdminCommand::RetirePolicyLine {
            id: added.id.to_string(),
        },
    )
    .await
    .unwrap();
    assert_eq!(standard_for(&app, 2031).await, None);
    assert!(
        run(
            &app,
            AdminCommand::RetirePolicyLine {
                id: added.id.to_string()
            }
        )
        .await
        .is_err()
    );
    let all = policy_lines::list(&app.pool, true).await.unwrap();
    assert!(
        all.iter()
            .any(|stored| stored.id == added.id && stored.retired_at.is_some())
    );
    run(&app, AdminCommand::ListPolicyLines { all: true })
        .await
        .unwrap();
}

#[tokio::test]
async fn the_demo_s_own_lines_are_labelled_demo_values_and_go_with_the_demo() {
    let app = seeded().await;
    let year = zoufang_server::clock::china_date(time::OffsetDateTime::now_utc()).year();
    let (fen, source) = standard_for(&app, year)
        .await
        .expect("the demo configures this year");
    assert_eq!(fen, zoufang_server::demo::DEMO_STANDARD_YUAN * 100);
    assert!(source.starts_with("演示数值，不是政策"), "{source}");
    let demo_lines = policy_lines::list(&app.pool, true).await.unwrap();
    assert!(!demo_lines.is_empty() && demo_lines.iter().all(|stored| stored.line.is_demo));
    run(&app, AdminCommand::RemoveDemo).await.unwrap();
    assert!(
        policy_lines::list(&app.pool, true)
            .await
            .unwrap()
            .is_empty()
    );
}
