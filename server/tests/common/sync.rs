//! Builders for the sync tests: valid household visits and attendance sheets for the demo village, and requests
//! with a bearer token.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Method, Request, header};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;
use zoufang_domain::model::*;
use zoufang_domain::policy::PolicyTables;
use zoufang_domain::protocol::{
    AssignedHousehold, AttendanceSheet, HouseholdVisit, Submission, SubmissionRecord,
};
use zoufang_domain::sample;
use zoufang_domain::validation::{
    ValidationConfig, ValidationContext, validate_household_visit, validate_session,
};
use zoufang_server::clock::china_date;
use zoufang_server::demo;
use zoufang_server::store::households;

use super::{TestApp, TestResponse};

pub const HELPER_1: &str = "13800000001";
pub const HELPER_2: &str = "13800000002";
pub const FIRST_SECRETARY: &str = "13800000004";
pub const CADRE: &str = "13800000005";
pub const ADMIN: &str = "13800000006";

/// A fresh app with the demo village.
pub async fn seeded() -> TestApp {
    let app = super::spawn().await;
    demo::seed(&app.pool, OffsetDateTime::now_utc())
        .await
        .unwrap();
    app
}

/// The demo village's teaching point (other villages may have their own).
pub async fn demo_teaching_point(app: &TestApp) -> Uuid {
    let id: String = sqlx::query_scalar("SELECT id FROM teaching_points WHERE village_id = $1")
        .bind(demo::demo_village_id().to_string())
        .fetch_one(&app.pool)
        .await
        .unwrap();
    id.parse().unwrap()
}

/// The server's copy of a household, as a phone would hold it.
pub async fn assigned(app: &TestApp, household_id: Uuid) -> AssignedHousehold {
    let stored = households::find(&app.pool, household_id)
        .await
        .unwrap()
        .unwrap();
    AssignedHousehold {
        household: stored.record,
        version: stored.version,
        risk: zoufang_domain::risk::RiskAssessment {
            colour: zoufang_domain::risk::RiskColour::Green,
            triggered: Vec::new(),
            rule_set_version: String::new(),
        },
        last_visit_on: stored.last_visit_on,
        plan: stored.plan,
        review: stored.review,
        income_sheets: Vec::new(),
        visits: Vec::new(),
        review_history: Vec::new(),
        night_school_follow_up: None,
        earlier_visits: Vec::new(),
        review_basis: None,
    }
}

/// The ids of the households whose current helper is `DEMO_LOGINS[helper_index]`.
pub async fn households_of(app: &TestApp, helper_index: usize) -> Vec<Uuid> {
    households::list_for_helper(&app.pool, demo::demo_user_id(helper_index))
        .await
        .unwrap()
        .into_iter()
        .map(|stored| stored.record.id.0)
        .collect()
}

/// A valid household visit on the server copy: the sample plan and income sheet re-aimed at the household, a
/// visit that ended ten minutes ago, and a written reason for every warning.
pub fn visit_for(server: &AssignedHousehold, visitor: Uuid) -> HouseholdVisit {
    let household = server.household.clone();
    let now = OffsetDateTime::now_utc();
    let mut visit = HouseholdVisit {
        plan: sample::plan(&household),
        income: sample::income_sheet(&household),
        visit: VisitLog {
            schema_version: CURRENT_SCHEMA_VERSION,
            id: VisitId(Uuid::new_v4()),
            household_id: household.id,
            purposes: vec![VisitPurpose::RoutineVisit, VisitPurpose::IncomeAccounting],
            visitor_ids: vec![UserId(visitor)],
            started_at: now - Duration::minutes(50),
            ended_at: now - Duration::minutes(10),
            notes: "入户走访，核对家庭成员和收入".into(),
            issues_found: Vec::new(),
            follow_ups: Vec::new(),
            household_confirmation: Some(HouseholdConfirmation {
                method: ConfirmationMethod::Signature,
                confirmed_by: household.members[0].name.clone(),
                confirmed_at: now - Duration::minutes(10),
                signature_evidence: None,
            }),
            evidence: Vec::new(),
        },
        household,
        base_version: server.version,
        evidence: Vec::new(),
        warning_reasons: BTreeMap::new(),
    };
    explain_every_warning(&mut visit);
    visit
}

/// Fills `warning_reasons` with a reason for every warning the visit raises now.
pub fn explain_every_warning(visit: &mut HouseholdVisit) {
    let report = validation_report(visit);
    let errors: Vec<_> = report.errors().collect();
    assert!(errors.is_empty(), "the test visit has errors: {errors:#?}");
    visit.warning_reasons = report
        .warnings()
        .map(|finding| (finding.code.as_str().to_owned(), "已核实".to_owned()))
        .collect();
}

pub fn validation_report(visit: &HouseholdVisit) -> zoufang_domain::validation::ValidationReport {
    let policy = PolicyTables::builtin().unwrap();
    let config = ValidationConfig::default();
    let now = OffsetDateTime::now_utc();
    let context = ValidationContext {
        today: china_date(now),
        policy: &policy,
        config: &config,
    };
    validate_household_visit(visit, &context, now)
}

pub fn visit_submission(visit: HouseholdVisit) -> Submission {
    Submission {
        id: Uuid::new_v4(),
        submitted_at: OffsetDateTime::now_utc(),
        record: SubmissionRecord::HouseholdVisit(visit),
    }
}

/// A valid attendance sheet at a teaching point: every listed household present with its head.
pub async fn attendance_for(
    app: &TestApp,
    teaching_point: Uuid,
    household_ids: &[Uuid],
    recorder: Uuid,
) -> Submission {
    let mut attendance = Vec::new();
    for id in household_ids {
        let server = assigned(app, *id).await;
        attendance.push(Attendance {
            household_id: HouseholdId(*id),
            present_member_ids: vec![server.household.members[0].id],
            status: AttendanceStatus::Present,
            absence_reason: None,
            absence_note: String::new(),
            recorded_by: UserId(recorder),
            recorded_at: OffsetDateTime::now_utc(),
        });
    }
    let session = Session {
        schema_version: CURRENT_SCHEMA_VERSION,
        id: SessionId(Uuid::new_v4()),
        teaching_point_id: TeachingPointId(teaching_point),
        date: china_date(OffsetDateTime::now_utc()),
        episode: Some(12),
        topic: "冬季瓜菜种植技术".into(),
        discussion_notes: String::new(),
        attendance,
        confirmed_by: None,
        training_requests: vec![],
        hotline_referrals: vec![],
        market_sales: vec![],
    };
    assert!(validate_session(&session).findings.is_empty());
    Submission {
        id: Uuid::new_v4(),
        submitted_at: OffsetDateTime::now_utc(),
        record: SubmissionRecord::Attendance(AttendanceSheet {
            session,
            base_version: 0,
            edit_reason: String::new(),
            evidence: Vec::new(),
            warning_reasons: BTreeMap::new(),
        }),
    }
}

/// Evidence metadata for photo bytes.
pub fn evidence_for(bytes: &[u8], visit: Option<VisitId>) -> Evidence {
    Evidence {
        schema_version: CURRENT_SCHEMA_VERSION,
        id: EvidenceId(Uuid::new_v4()),
        visit_id: visit,
        kind: EvidenceKind::SitePhoto,
        taken_at: OffsetDateTime::now_utc(),
        gps: None,
        sha256: Sha256Digest::parse(&zoufang_server::api::sha256_hex(bytes)).unwrap(),
        bytes: bytes.len() as u64,
        width: Some(1280),
        height: Some(960),
        caption: "入户照片".into(),
    }
}

/// Some bytes that stand in for a JPEG (they start with its signature).
pub fn fake_jpeg(seed: u8, len: usize) -> Vec<u8> {
    fake_image(&[0xFF, 0xD8, 0xFF, 0xE0], seed, len)
}

/// Some bytes with PNG's signature.
pub fn fake_png(seed: u8, len: usize) -> Vec<u8> {
    fake_image(b"\x89PNG\r\n\x1A\n", seed, len)
}

/// Some bytes with WebP's signature (`RIFF`, a length, `WEBP`).
pub fn fake_webp(seed: u8, len: usize) -> Vec<u8> {
    fake_image(b"RIFF\x10\0\0\0WEBPVP8 ", seed, len)
}

/// `signature` followed by pseudo-random bytes up to `len`.
pub fn fake_image(signature: &[u8], seed: u8, len: usize) -> Vec<u8> {
    let mut bytes = signature.to_vec();
    let mut state = u32::from(seed) | 0x9E37_0000;
    while bytes.len() < len {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        bytes.push(state as u8);
    }
    bytes
}

impl TestApp {
    pub async fn send_json(
        &self,
        method: Method,
        uri: &str,
        token: &str,
        body: impl serde::Serialize,
    ) -> TestResponse {
        self.send(
            Request::builder()
                .method(method)
                .uri(uri)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(serde_json::to_vec(&body).unwrap()))
                .unwrap(),
        )
        .await
    }

    pub async fn submit(&self, token: &str, submission: &Submission) -> TestResponse {
        self.send_json(Method::POST, "/api/submissions", token, submission)
            .await
    }

    pub async fn put_photo(&self, token: &str, bytes: &[u8], content_type: &str) -> TestResponse {
        let sha256 = zoufang_server::api::sha256_hex(bytes);
        self.put_photo_at(token, &sha256, bytes, content_type).await
    }

    pub async fn put_photo_at(
        &self,
        token: &str,
        sha256: &str,
        bytes: &[u8],
        content_type: &str,
    ) -> TestResponse {
        self.send(
            Request::put(format!("/api/photos/{sha256}"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(bytes.to_vec()))
                .unwrap(),
        )
        .await
    }

    pub async fn demo_token(&self, phone: &str) -> String {
        self.token_for(phone, demo::DEMO_PASSWORD).await
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }
}
