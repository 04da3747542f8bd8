//! The digest keeps what the village view shows of a household, and merging keeps one digest per household.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::model::{CURRENT_SCHEMA_VERSION, PlanId, VisitId, VisitLog};
use crate::protocol::{PlanReview, ReviewDecision, ReviewEntry, VisitEntry};
use crate::risk::{RiskAssessment, TriggeredRule};
use crate::sample;
use time::macros::{date, datetime};

fn assigned(n: u128) -> AssignedHousehold {
    let mut household = sample::household();
    household.id = HouseholdId(Uuid::from_u128(n));
    household.household_code = format!("H{n:03}");
    AssignedHousehold {
        household,
        version: 1,
        risk: RiskAssessment {
            colour: RiskColour::Red,
            triggered: vec![TriggeredRule {
                code: "RED-BELOW-STANDARD".into(),
                colour: RiskColour::Red,
                reason_zh: "人均纯收入低于脱贫标准".into(),
                reason_en: "Below the standard".into(),
                source: "某文件".into(),
            }],
            rule_set_version: "test".into(),
        },
        last_visit_on: Some(date!(2026 - 11 - 02)),
        plan: None,
        review: None,
        income_sheets: Vec::new(),
        visits: Vec::new(),
        review_history: Vec::new(),
        earlier_visits: Vec::new(),
        review_basis: None,
        night_school_follow_up: None,
    }
}

fn visit(assigned: &AssignedHousehold, submission: u128, accepted_at: &str) -> VisitEntry {
    let visit = VisitLog {
        schema_version: CURRENT_SCHEMA_VERSION,
        id: VisitId(Uuid::from_u128(submission + 1000)),
        household_id: assigned.household.id,
        purposes: Vec::new(),
        visitor_ids: Vec::new(),
        started_at: datetime!(2026-11-02 09:00 +8),
        ended_at: datetime!(2026-11-02 09:40 +8),
        notes: String::new(),
        issues_found: Vec::new(),
        follow_ups: Vec::new(),
        household_confirmation: None,
        evidence: Vec::new(),
    };
    VisitEntry {
        submission_id: Uuid::from_u128(submission),
        visit,
        evidence: Vec::new(),
        submitted_by: Some("王海燕".into()),
        accepted_at: accepted_at.into(),
    }
}

#[test]
fn the_digest_keeps_who_where_the_colour_and_its_reasons() {
    let household = assigned(1);
    let digest = HouseholdDigest::of(&household);
    let head = household
        .household
        .members
        .iter()
        .find(|member| member.relation == Relation::Head)
        .unwrap();
    assert_eq!(digest.head_name, head.name);
    assert_eq!(digest.code, "H001");
    assert_eq!(digest.group, household.household.address.group);
    assert_eq!(
        digest.helper,
        household.household.current_helper().unwrap().name
    );
    assert_eq!(digest.colour, RiskColour::Red);
    assert_eq!(
        digest.reasons,
        vec![DigestReason {
            code: "RED-BELOW-STANDARD".into(),
            zh: "人均纯收入低于脱贫标准".into(),
            en: "Below the standard".into(),
        }]
    );
    assert!(digest.fired("RED-BELOW-STANDARD"));
    assert!(!digest.fired("YELLOW-BELOW-MONITORING"));
    assert_eq!(digest.last_visit_on, Some(date!(2026 - 11 - 02)));
    assert_eq!(digest.review, None);
}

#[test]
fn a_household_without_a_head_is_named_after_its_first_member() {
    let mut household = assigned(2);
    household
        .household
        .members
        .retain(|member| member.relation != Relation::Head);
    let first = household.household.members[0].name.clone();
    assert_eq!(HouseholdDigest::of(&household).head_name, first);
    household.household.members.clear();
    assert_eq!(HouseholdDigest::of(&household).head_name, "");
}

#[test]
fn the_review_carries_when_its_submission_was_accepted_and_every_known_submission_is_listed() {
    let mut household = assigned(3);
    household.visits = vec![visit(&household, 30, "2026-11-02T03:00:00Z")];
    household.review = Some(PlanReview {
        plan_id: PlanId(Uuid::from_u128(5)),
        household_id: household.household.id,
        submission_id: Uuid::from_u128(30),
        status: ReviewStatus::Pending,
        comments: String::new(),
        reviewer_name: None,
        reviewed_at: None,
    });
    household.review_history = vec![ReviewEntry {
        id: Uuid::from_u128(99),
        submission_id: Uuid::from_u128(20),
        decision: ReviewDecision::Return,
        comments: "补充收入".into(),
        reviewer_name: Some("符明亮".into()),
        decided_at: "2026-10-01T02:00:00Z".into(),
    }];
    let digest = HouseholdDigest::of(&household);
    assert_eq!(
        digest.review,
        Some(DigestReview {
            submission_id: Uuid::from_u128(30),
            status: ReviewStatus::Pending,
            submitted_at: "2026-11-02T03:00:00Z".into(),
        })
    );
    assert_eq!(
        digest.known_submissions,
        vec![Uuid::from_u128(20), Uuid::from_u128(30)]
    );
    assert!(digest.knows_submission(Uuid::from_u128(20)));
    assert!(!digest.knows_submission(Uuid::from_u128(21)));
    assert_eq!(digest.visits_started, vec![datetime!(2026-11-02 09:00 +8)]);

    // A plan whose visit the phone does not hold: the time is unknown, not made up.
    household.visits.clear();
    assert_eq!(
        HouseholdDigest::of(&household)
            .review
            .map(|review| review.submitted_at),
        Some(String::new())
    );
}

#[test]
fn merging_replaces_a_changed_household_and_adds_a_new_one() {
    let mut digest = VillageDigest::of(&[assigned(1), assigned(2)]);
    assert_eq!(digest.format, DIGEST_FORMAT);
    let mut changed = assigned(2);
    changed.risk.colour = RiskColour::Green;
    changed.risk.triggered.clear();
    digest.merge(&[changed, assigned(3)]);
    let colours: Vec<(String, RiskColour)> = digest
        .households
        .iter()
        .map(|household| (household.code.clone(), household.colour))
        .collect();
    assert_eq!(
        colours,
        vec![
            ("H001".into(), RiskColour::Red),
            ("H002".into(), RiskColour::Green),
            ("H003".into(), RiskColour::Red),
        ]
    );
}

#[test]
fn the_digest_reads_back_as_written() {
    let digest = VillageDigest::of(&[assigned(1)]);
    let json = serde_json::to_string(&digest).unwrap();
    assert_eq!(
        serde_json::from_str::<VillageDigest>(&json).unwrap(),
        digest
    );
}
