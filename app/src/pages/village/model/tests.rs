//! The village view's derivations on hand-made households.

use super::*;
use crate::storage::records::{OutboxItem, OutboxStatus};
use crate::storage::review_queue::QueuedReview;
use time::macros::{date, datetime, offset};
use uuid::Uuid;
use zoufang_domain::model::{HouseholdId, PlanId};
use zoufang_domain::protocol::{PlanReview, ReviewDecision, ReviewRequest, VisitEntry};
use zoufang_domain::risk::RiskAssessment;
use zoufang_domain::sample;

const TODAY: Date = date!(2026 - 12 - 01);
const CHINA: UtcOffset = offset!(+8);

fn rule(code: &str, colour: RiskColour) -> TriggeredRule {
    TriggeredRule {
        code: code.to_string(),
        colour,
        reason_zh: format!("理由{code}"),
        reason_en: format!("reason {code}"),
        source: String::new(),
    }
}

/// A household numbered `n` in `group`, helped by `helper`, last visited on `visited`.
fn household(
    n: u128,
    group: &str,
    helper: &str,
    colour: RiskColour,
    visited: Option<Date>,
) -> AssignedHousehold {
    let mut record = sample::household();
    record.id = HouseholdId(Uuid::from_u128(n));
    record.household_code = format!("H{n:03}");
    record.address.group = group.to_string();
    if let Some(current) = record.helpers.iter_mut().find(|h| h.ended_on.is_none()) {
        current.name = helper.to_string();
    }
    AssignedHousehold {
        household: record,
        version: 1,
        risk: RiskAssessment {
            colour,
            triggered: Vec::new(),
            rule_set_version: "test".to_string(),
        },
        last_visit_on: visited,
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

fn draft_of(assigned: &AssignedHousehold) -> crate::draft::HouseholdDraft {
    crate::draft::HouseholdDraft::start_from_server(
        assigned,
        crate::draft::NewDraftIds {
            income: zoufang_domain::model::IncomeSheetId(Uuid::from_u128(7)),
            plan: PlanId(Uuid::from_u128(8)),
            visit: zoufang_domain::model::VisitId(Uuid::from_u128(9)),
        },
        2025,
        zoufang_domain::model::UserId(Uuid::from_u128(5)),
        datetime!(2026-11-30 01:00 UTC),
    )
}

/// A visit to the household that started at `at`.
fn visit_at(
    assigned: &AssignedHousehold,
    at: time::OffsetDateTime,
) -> zoufang_domain::model::VisitLog {
    let mut visit = draft_of(assigned).visit;
    visit.started_at = at;
    visit.ended_at = at;
    visit
}

fn pending_review(assigned: &mut AssignedHousehold, submission: u128, accepted_at: &str) {
    let submission_id = Uuid::from_u128(submission);
    assigned.review = Some(PlanReview {
        plan_id: PlanId(Uuid::from_u128(submission + 1000)),
        household_id: assigned.household.id,
        submission_id,
        status: ReviewStatus::Pending,
        comments: String::new(),
        reviewer_name: None,
        reviewed_at: None,
    });
    let visit = visit_at(assigned, datetime!(2026-11-03 09:00 UTC));
    assigned.visits.push(VisitEntry {
        submission_id,
        visit,
        evidence: Vec::new(),
        submitted_by: None,
        accepted_at: accepted_at.to_string(),
    });
}

fn village(households: &[AssignedHousehold], phone: &PhoneRecords) -> Village {
    Village::new(households, phone, TODAY, CHINA, 30)
}

#[test]
fn the_colour_counts_add_up_to_the_households() {
    let households = vec![
        household(1, "一组", "王", RiskColour::Red, None),
        household(2, "一组", "王", RiskColour::Red, None),
        household(3, "二组", "李", RiskColour::Green, None),
        household(4, "二组", "李", RiskColour::NotAccounted, None),
    ];
    let counts = village(&households, &PhoneRecords::default()).colour_counts();
    assert_eq!(
        counts,
        vec![
            (RiskColour::Red, 2),
            (RiskColour::Yellow, 0),
            (RiskColour::Green, 1),
            (RiskColour::NotAccounted, 1),
            (RiskColour::NotConfigured, 0),
        ]
    );
}

#[test]
fn a_household_is_overdue_from_exactly_the_villages_days_and_when_never_visited() {
    let households = vec![
        household(
            1,
            "一组",
            "王",
            RiskColour::Green,
            Some(date!(2026 - 11 - 02)),
        ),
        household(
            2,
            "一组",
            "王",
            RiskColour::Green,
            Some(date!(2026 - 11 - 01)),
        ),
        household(
            3,
            "一组",
            "王",
            RiskColour::Green,
            Some(date!(2026 - 10 - 01)),
        ),
        household(4, "一组", "王", RiskColour::Green, None),
    ];
    let village = village(&households, &PhoneRecords::default());
    // 29 days: not yet; 30 days: overdue; the never visited first, then the longest.
    let overdue: Vec<&str> = village
        .overdue()
        .iter()
        .map(|row| row.code.as_str())
        .collect();
    assert_eq!(overdue, vec!["H004", "H003", "H002"]);
    let stricter = Village::new(&households, &PhoneRecords::default(), TODAY, CHINA, 29);
    assert_eq!(stricter.overdue().len(), 4);
}

#[test]
fn plans_awaiting_review_come_oldest_first_and_leave_once_decided_on_this_phone() {
    let mut newer = household(1, "一组", "王", RiskColour::Green, None);
    pending_review(&mut newer, 11, "2026-11-20T01:00:00Z");
    let mut older = household(2, "二组", "李", RiskColour::Green, None);
    pending_review(&mut older, 12, "2026-11-05T01:00:00Z");
    let households = vec![newer, older];
    let waiting: Vec<String> = village(&households, &PhoneRecords::default())
        .awaiting_review()
        .iter()
        .map(|row| row.code.clone())
        .collect();
    assert_eq!(waiting, vec!["H002", "H001"]);

    let decision = QueuedReview::queued(
        ReviewRequest {
            id: Some(Uuid::from_u128(99)),
            submission_id: Uuid::from_u128(12),
            decision: ReviewDecision::Approve,
            comments: String::new(),
        },
        households[1].household.id.to_string(),
        time::macros::datetime!(2026-12-01 01:00 UTC),
    );
    let phone = PhoneRecords {
        reviews: vec![decision],
        ..PhoneRecords::default()
    };
    let village = village(&households, &phone);
    let waiting: Vec<&str> = village
        .awaiting_review()
        .iter()
        .map(|row| row.code.as_str())
        .collect();
    assert_eq!(waiting, vec!["H001"]);
    assert_eq!(village.rows[1].status, Some(HouseholdStatus::Approved));
    assert_eq!(village.rows[0].status, Some(HouseholdStatus::Pending));
}

#[test]
fn below_the_lines_follows_the_income_rules_that_fired() {
    let mut below_standard = household(1, "一组", "王", RiskColour::Red, None);
    below_standard.risk.triggered = vec![rule("RED-BELOW-STANDARD", RiskColour::Red)];
    let mut below_monitoring = household(2, "一组", "王", RiskColour::Yellow, None);
    below_monitoring.risk.triggered = vec![rule("YELLOW-BELOW-MONITORING", RiskColour::Yellow)];
    let mut ill = household(3, "一组", "王", RiskColour::Red, None);
    ill.risk.triggered = vec![rule("RED-SERIOUS-ILLNESS-NO-LABOUR", RiskColour::Red)];
    let households = vec![below_standard, below_monitoring, ill];
    let village = village(&households, &PhoneRecords::default());
    let below: Vec<&str> = village
        .below_lines()
        .iter()
        .map(|row| row.code.as_str())
        .collect();
    assert_eq!(below, vec!["H001", "H002"]);
    assert!(village.rows[0].below_standard && !village.rows[0].below_monitoring);
}

#[test]
fn each_helper_counts_this_months_visits_and_overdue_households() {
    let mut visited = household(
        1,
        "一组",
        "王",
        RiskColour::Green,
        Some(date!(2026 - 11 - 28)),
    );
    pending_review(&mut visited, 21, "2026-11-03T01:00:00Z");
    // 2026-11-30 20:00 UTC is already 12-01 in China: it counts for December.
    let late = visit_at(&visited, datetime!(2026-11-30 20:00 UTC));
    visited.visits.push(VisitEntry {
        submission_id: Uuid::from_u128(22),
        visit: late,
        evidence: Vec::new(),
        submitted_by: None,
        accepted_at: "2026-11-30T20:30:00Z".to_string(),
    });
    let households = vec![
        visited,
        household(2, "一组", "王", RiskColour::Green, None),
        household(
            3,
            "二组",
            "李",
            RiskColour::Green,
            Some(date!(2026 - 11 - 30)),
        ),
    ];
    let helpers = village(&households, &PhoneRecords::default()).helpers();
    assert_eq!(
        helpers,
        vec![
            HelperProgress {
                name: "李".to_string(),
                households: 1,
                visits_this_month: 0,
                overdue: 0
            },
            HelperProgress {
                name: "王".to_string(),
                households: 2,
                visits_this_month: 1,
                overdue: 1
            },
        ]
    );
}

#[test]
fn filters_combine_colour_group_helper_and_status() {
    let mut returned = household(3, "二组", "李", RiskColour::Red, None);
    pending_review(&mut returned, 31, "2026-11-05T01:00:00Z");
    if let Some(review) = returned.review.as_mut() {
        review.status = ReviewStatus::Returned;
    }
    let households = vec![
        household(1, "一组", "王", RiskColour::Red, None),
        household(2, "二组", "王", RiskColour::Red, None),
        returned,
    ];
    let village = village(&households, &PhoneRecords::default());
    let admitted = |filters: &Filters| -> Vec<&str> {
        village
            .rows
            .iter()
            .filter(|row| filters.admits(row))
            .map(|row| row.code.as_str())
            .collect()
    };
    assert_eq!(admitted(&Filters::default()).len(), 3);
    let red_in_two = Filters {
        colour: Some(RiskColour::Red),
        group: Some("二组".to_string()),
        ..Filters::default()
    };
    assert_eq!(admitted(&red_in_two), vec!["H002", "H003"]);
    let of_li = Filters {
        helper: Some("李".to_string()),
        ..red_in_two.clone()
    };
    assert_eq!(admitted(&of_li), vec!["H003"]);
    let returned_only = Filters {
        status: Some(Some(HouseholdStatus::Returned)),
        ..Filters::default()
    };
    assert_eq!(admitted(&returned_only), vec!["H003"]);
    let without_status = Filters {
        status: Some(None),
        ..Filters::default()
    };
    assert_eq!(admitted(&without_status), vec!["H001", "H002"]);
}

#[test]
fn a_submission_sent_from_this_phone_shows_as_awaiting_review_until_the_server_copy_has_it() {
    let assigned = household(1, "一组", "王", RiskColour::Green, None);
    let draft = draft_of(&assigned);
    let mut item = OutboxItem::queued(
        Uuid::from_u128(77),
        time::macros::datetime!(2026-11-30 02:00 UTC),
        draft,
    );
    let phone = |item: &OutboxItem| PhoneRecords {
        drafts: [(
            item.household_id.clone(),
            "2026-11-30T01:30:00Z".to_string(),
        )]
        .into(),
        outbox: vec![item.clone()],
        reviews: Vec::new(),
    };
    let households = vec![assigned];
    assert_eq!(
        village(&households, &phone(&item)).rows[0].status,
        Some(HouseholdStatus::Queued)
    );
    item.delivery.status = OutboxStatus::Sent;
    assert_eq!(
        village(&households, &phone(&item)).rows[0].status,
        Some(HouseholdStatus::Pending)
    );
}
