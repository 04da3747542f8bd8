//! Benchmark, not a test of behaviour: the size of a first secretary's full `GET /api/assignments` for a village of
//! 300 households, each with a plan, an income sheet and 12 visits of two photos each, as sent (brotli) and raw.
//! Goal: at most 300 KB brotli. Run with
//! `cargo test -p zoufang-server --test assignments_size -- --ignored --nocapture`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::sync::*;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;
use zoufang_domain::model::*;
use zoufang_domain::protocol::{HouseholdVisit, Submission, SubmissionRecord};
use zoufang_domain::sample;
use zoufang_server::clock::china_date;
use zoufang_server::demo::{demo_households, demo_village_id};
use zoufang_server::store::households::{self, NewHousehold, RecordUpdate};
use zoufang_server::store::plans::{self, NewPlanVersion};
use zoufang_server::store::submissions::{self, NewSubmission};

const HOUSEHOLDS: usize = 300;
const VISITS: usize = 12;

fn evidence(visit: VisitId, seed: usize) -> Evidence {
    Evidence {
        schema_version: CURRENT_SCHEMA_VERSION,
        id: EvidenceId(Uuid::new_v4()),
        visit_id: Some(visit),
        kind: EvidenceKind::SitePhoto,
        taken_at: OffsetDateTime::now_utc(),
        gps: None,
        sha256: Sha256Digest::parse(&zoufang_server::api::sha256_hex(&seed.to_le_bytes())).unwrap(),
        bytes: 180_000,
        width: Some(1280),
        height: Some(960),
        caption: "入户照片".into(),
    }
}

#[tokio::test]
#[ignore = "a benchmark: prints the size of a 300-household download"]
async fn a_full_download_for_a_village_of_300_households() {
    let app = seeded().await;
    let now = OffsetDateTime::now_utc();
    let templates = demo_households(china_date(now));
    let mut transaction = app.pool.begin().await.unwrap();
    let mut records = Vec::new();
    for index in 0..HOUSEHOLDS - templates.len() {
        let template = &templates[index % templates.len()];
        let mut record = template.record.clone();
        record.id = HouseholdId(Uuid::new_v4());
        record.household_code = format!("460107106099{index:04}");
        households::insert(
            &mut *transaction,
            &NewHousehold {
                village_id: demo_village_id(),
                address: &template.address,
                record: &record,
                last_visit_on: None,
                created_at: now,
            },
        )
        .await
        .unwrap();
        records.push(record);
    }
    records.extend(templates.iter().map(|template| template.record.clone()));
    let submitter = zoufang_server::demo::demo_user_id(0);
    for (index, record) in records.iter().enumerate() {
        let mut last = None;
        for visit_index in 0..VISITS {
            let id = Uuid::new_v4();
            let started_at =
                now - Duration::days(i64::try_from(30 * (VISITS - visit_index)).unwrap());
            let visit = VisitLog {
                schema_version: CURRENT_SCHEMA_VERSION,
                id: VisitId(Uuid::new_v4()),
                household_id: record.id,
                purposes: vec![VisitPurpose::RoutineVisit],
                visitor_ids: vec![UserId(submitter)],
                started_at,
                ended_at: started_at + Duration::minutes(40),
                notes: "入户走访，了解家庭收入和务工情况，宣传政策。".into(),
                issues_found: Vec::new(),
                follow_ups: Vec::new(),
                household_confirmation: None,
                evidence: Vec::new(),
            };
            let photos = vec![
                evidence(visit.id, index * 100 + visit_index * 2),
                evidence(visit.id, index * 100 + visit_index * 2 + 1),
            ];
            // The payload as a phone sends it: a pending plan's review carries it to the first secretary.
            let payload = serde_json::to_string(&Submission {
                id,
                submitted_at: started_at,
                record: SubmissionRecord::HouseholdVisit(HouseholdVisit {
                    household: record.clone(),
                    base_version: 1,
                    plan: sample::plan(record),
                    income: sample::income_sheet(record),
                    visit: visit.clone(),
                    evidence: photos.clone(),
                    warning_reasons: Default::default(),
                }),
            })
            .unwrap();
            submissions::insert_if_absent(
                &mut *transaction,
                &NewSubmission {
                    id,
                    kind: "household_visit",
                    user_id: submitter,
                    household_id: Some(record.id.0),
                    teaching_point_id: None,
                    payload: &payload,
                    receipt: "{}",
                    submitted_at: started_at,
                    accepted_at: started_at,
                },
            )
            .await
            .unwrap();
            submissions::insert_visit_log(&mut *transaction, id, &visit, &photos, started_at)
                .await
                .unwrap();
            last = Some(id);
        }
        let last = last.unwrap();
        let plan = sample::plan(record);
        plans::insert(
            &mut *transaction,
            &NewPlanVersion {
                submission_id: last,
                household_id: record.id.0,
                plan: &plan,
                created_at: now,
            },
        )
        .await
        .unwrap();
        submissions::insert_income_sheet(
            &mut *transaction,
            last,
            &sample::income_sheet(record),
            now,
        )
        .await
        .unwrap();
        let updated = households::update_record(
            &mut *transaction,
            &RecordUpdate {
                record,
                base_version: 1,
                visited_on: Some(china_date(now)),
                visit_submission_id: Some(last),
                updated_at: now,
            },
        )
        .await
        .unwrap();
        assert!(updated);
    }
    transaction.commit().await.unwrap();

    let token = app.demo_token(FIRST_SECRETARY).await;
    let mut sizes = Vec::new();
    for encoding in ["br", "gzip", "identity"] {
        let request = Request::get("/api/assignments")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::ACCEPT_ENCODING, encoding)
            .body(Body::empty())
            .unwrap();
        let response = app.send(request).await;
        assert_eq!(response.status, StatusCode::OK);
        sizes.push((encoding, response.body.len()));
        // `ASSIGNMENTS_JSON_OUT=/tmp/a.json` keeps the uncompressed body, to see which fields cost the bytes.
        if encoding == "identity"
            && let Ok(path) = std::env::var("ASSIGNMENTS_JSON_OUT")
        {
            std::fs::write(path, &response.body).unwrap();
        }
    }
    for (encoding, bytes) in &sizes {
        println!(
            "assignments for {HOUSEHOLDS} households × {VISITS} visits, {encoding}: {bytes} bytes ({:.1} KB)",
            *bytes as f64 / 1024.0
        );
    }
}
