//! One session per teaching point and date (domain/src/night_school_fold.rs): a second phone's sheet for the same
//! Monday folds into the session already on the server, or names the households marked differently.

use time::macros::{date, datetime};
use uuid::Uuid;
use zoufang_domain::model::*;
use zoufang_domain::night_school_fold::*;

fn household(n: u128) -> HouseholdId {
    HouseholdId(Uuid::from_u128(n))
}

fn mark(n: u128, status: AttendanceStatus, recorder: u128) -> Attendance {
    Attendance {
        household_id: household(n),
        present_member_ids: vec![],
        status,
        absence_reason: (status != AttendanceStatus::Present).then_some(AbsenceReason::FarmWork),
        absence_note: String::new(),
        recorded_by: UserId(Uuid::from_u128(recorder)),
        recorded_at: datetime!(2026-11-30 20:05 +08:00),
    }
}

fn sheet(id: u128, topic: &str, notes: &str, marks: Vec<Attendance>) -> Session {
    Session {
        schema_version: CURRENT_SCHEMA_VERSION,
        id: SessionId(Uuid::from_u128(id)),
        teaching_point_id: TeachingPointId(Uuid::from_u128(2)),
        date: date!(2026 - 11 - 30),
        episode: None,
        topic: topic.into(),
        discussion_notes: notes.into(),
        attendance: marks,
        confirmed_by: None,
        training_requests: vec![],
        hotline_referrals: vec![],
        market_sales: vec![],
    }
}

use AttendanceStatus::{Absent, Excused, Present};

/// A case: its name, the first phone's marks, the second phone's, the households of the folded session in order.
type FoldCase = (&'static str, Vec<Attendance>, Vec<Attendance>, Vec<u128>);

#[test]
fn a_second_sheet_marking_the_same_households_alike_or_others_folds_into_the_first() {
    let cases: [FoldCase; 4] = [
        (
            "same marks by another cadre",
            vec![mark(1, Present, 5), mark(2, Absent, 5)],
            vec![mark(1, Present, 6), mark(2, Absent, 6)],
            vec![1, 2],
        ),
        (
            "disjoint households",
            vec![mark(1, Present, 5)],
            vec![mark(2, Excused, 6)],
            vec![1, 2],
        ),
        (
            "the second marks nobody",
            vec![mark(1, Present, 5)],
            vec![],
            vec![1],
        ),
        (
            "the first marked nobody",
            vec![],
            vec![mark(3, Present, 6)],
            vec![3],
        ),
    ];
    for (case, first, second, expected) in cases {
        let existing = sheet(10, "", "", first.clone());
        let folded = fold_into(&existing, &sheet(11, "", "", second));
        let Ok(folded) = folded else {
            panic!("{case}: refused {folded:?}")
        };
        assert_eq!(
            folded.id, existing.id,
            "{case}: the session already on the server keeps its id"
        );
        let households: Vec<HouseholdId> = folded
            .attendance
            .iter()
            .map(|entry| entry.household_id)
            .collect();
        assert_eq!(
            households,
            expected.into_iter().map(household).collect::<Vec<_>>(),
            "{case}"
        );
        // The first phone's entries are kept as recorded (who, when).
        for entry in &first {
            assert_eq!(folded.entry(entry.household_id), Some(entry), "{case}");
        }
    }
}

#[test]
fn households_marked_differently_on_the_two_sheets_are_not_folded() {
    let existing = sheet(
        10,
        "",
        "",
        vec![mark(1, Present, 5), mark(2, Absent, 5), mark(3, Present, 5)],
    );
    let mut excused_other_reason = mark(2, Absent, 6);
    excused_other_reason.absence_reason = Some(AbsenceReason::Illness);
    let mut with_members = mark(3, Present, 6);
    with_members.present_member_ids = vec![MemberId(Uuid::from_u128(301))];
    let incoming = sheet(
        11,
        "",
        "",
        vec![
            mark(1, Excused, 6),
            excused_other_reason,
            with_members,
            mark(4, Present, 6),
        ],
    );
    assert_eq!(
        fold_into(&existing, &incoming),
        Err(vec![household(1), household(2), household(3)])
    );
}

#[test]
fn the_topic_and_notes_fill_what_the_first_left_empty_and_two_notes_are_both_kept() {
    let folded = fold_into(
        &sheet(10, "", "", vec![]),
        &sheet(11, "槟榔种植", "讨论了病虫害", vec![]),
    );
    assert_eq!(
        folded
            .as_ref()
            .map(|s| (s.topic.as_str(), s.discussion_notes.as_str())),
        Ok(("槟榔种植", "讨论了病虫害"))
    );
    let folded = fold_into(
        &sheet(10, "养蜂", "A 的记录", vec![]),
        &sheet(11, "槟榔种植", "B 的记录", vec![]),
    );
    assert_eq!(
        folded
            .as_ref()
            .map(|s| (s.topic.as_str(), s.discussion_notes.as_str())),
        Ok(("养蜂", "A 的记录\n\nB 的记录"))
    );
    // Folding the same sheet twice adds nothing the second time.
    let once = fold_into(
        &sheet(10, "", "A", vec![]),
        &sheet(11, "", "B", vec![mark(1, Present, 6)]),
    );
    let twice = once
        .as_ref()
        .ok()
        .and_then(|once| fold_into(once, &sheet(11, "", "B", vec![mark(1, Present, 6)])).ok());
    assert_eq!(twice.as_ref(), once.as_ref().ok());
}
