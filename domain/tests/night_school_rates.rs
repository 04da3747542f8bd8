//! 参学率, 人次 and follow-ups (domain/src/night_school.rs), table-driven: each case names the situation it pins.

use time::macros::{date, datetime};
use time::{Date, Month};
use uuid::Uuid;
use zoufang_domain::model::*;
use zoufang_domain::night_school::*;

fn household(n: u128) -> HouseholdId {
    HouseholdId(Uuid::from_u128(n))
}

/// One roster entry of a case: the household, its status (`None` = 未记) and how many members were named.
type Mark = (u128, Option<AttendanceStatus>, usize);

fn session(date: Date, marks: &[Mark]) -> Session {
    Session {
        schema_version: CURRENT_SCHEMA_VERSION,
        id: SessionId(Uuid::from_u128(u128::from(date.to_julian_day() as u32))),
        teaching_point_id: TeachingPointId(Uuid::from_u128(2)),
        date,
        episode: None,
        topic: "槟榔黄化病防治".into(),
        discussion_notes: String::new(),
        attendance: marks
            .iter()
            .filter_map(|&(n, status, members)| {
                status.map(|status| Attendance {
                    household_id: household(n),
                    present_member_ids: (0..members)
                        .map(|m| MemberId(Uuid::from_u128(n * 100 + m as u128)))
                        .collect(),
                    status,
                    absence_reason: (status == AttendanceStatus::Excused)
                        .then_some(AbsenceReason::MigrantWork),
                    absence_note: String::new(),
                    recorded_by: UserId(Uuid::from_u128(5)),
                    recorded_at: datetime!(2026-11-30 20:05 +08:00),
                })
            })
            .collect(),
        confirmed_by: None,
        training_requests: vec![],
        hotline_referrals: vec![],
        market_sales: vec![],
    }
}

fn roster(marks: &[Mark]) -> Vec<HouseholdId> {
    marks.iter().map(|&(n, _, _)| household(n)).collect()
}

use AttendanceStatus::{Absent, Excused, Present};

#[test]
fn participation_per_session() {
    // (case, marks, present, excused, absent, unrecorded, person-times, per mille)
    #[allow(clippy::type_complexity)]
    let cases: &[(&str, &[Mark], u32, u32, u32, u32, u32, Option<u32>)] = &[
        (
            "all present",
            &[
                (1, Some(Present), 1),
                (2, Some(Present), 2),
                (3, Some(Present), 1),
            ],
            3,
            0,
            0,
            0,
            4,
            Some(1000),
        ),
        (
            "none present",
            &[(1, Some(Absent), 0), (2, Some(Absent), 0), (3, None, 0)],
            0,
            0,
            2,
            1,
            0,
            Some(0),
        ),
        (
            "请假 is reported apart from 缺席 and not counted as present",
            &[
                (1, Some(Present), 1),
                (2, Some(Excused), 0),
                (3, Some(Absent), 0),
                (4, None, 0),
            ],
            1,
            1,
            1,
            1,
            1,
            Some(250),
        ),
        (
            "a household with several members present counts once; its members are person-times",
            &[(1, Some(Present), 4), (2, Some(Absent), 0)],
            1,
            0,
            1,
            0,
            4,
            Some(500),
        ),
        (
            "a present household with no member named is one person",
            &[(1, Some(Present), 0), (2, None, 0), (3, None, 0)],
            1,
            0,
            0,
            2,
            1,
            Some(333),
        ),
        ("an empty roster has no rate", &[], 0, 0, 0, 0, 0, None),
    ];
    for &(case, marks, present, excused, absent, unrecorded, person_times, per_mille) in cases {
        let rate = session(date!(2026 - 11 - 30), marks).participation(&roster(marks));
        assert_eq!(
            (
                rate.present_households,
                rate.excused_households,
                rate.absent_households,
                rate.unrecorded_households,
                rate.person_times,
                rate.per_mille(),
            ),
            (
                present,
                excused,
                absent,
                unrecorded,
                person_times,
                per_mille
            ),
            "{case}"
        );
        assert_eq!(rate.roster_households as usize, marks.len(), "{case}");
    }
}

#[test]
fn attendance_of_a_household_outside_the_roster_is_ignored() {
    let mut sheet = session(date!(2026 - 11 - 30), &[(1, Some(Present), 1)]);
    sheet
        .attendance
        .extend(session(date!(2026 - 11 - 30), &[(9, Some(Present), 3)]).attendance);
    let rate = sheet.participation(&[household(1), household(2)]);
    assert_eq!(
        (rate.present_households, rate.person_times, rate.per_mille()),
        (1, 1, Some(500))
    );
}

fn month_of_sessions() -> Vec<Session> {
    vec![
        // November: two sessions.
        session(
            date!(2026 - 11 - 23),
            &[(1, Some(Present), 2), (2, Some(Absent), 0)],
        ),
        session(
            date!(2026 - 11 - 30),
            &[(1, Some(Present), 1), (2, Some(Present), 1)],
        ),
        // December: one session.
        session(
            date!(2026 - 12 - 07),
            &[(1, Some(Excused), 0), (2, None, 0)],
        ),
        // The same month a year earlier is another month.
        session(
            date!(2025 - 11 - 24),
            &[(1, Some(Present), 1), (2, Some(Present), 1)],
        ),
    ]
}

#[test]
fn participation_per_teaching_point_per_month() {
    let sessions = month_of_sessions();
    let roster = [household(1), household(2)];
    // (year, month, sessions, present household-sessions, roster household-sessions, person-times, per mille)
    let cases = [
        (2026, Month::November, 2, 3, 4, 4, Some(750)),
        (2026, Month::December, 1, 0, 2, 0, Some(0)),
        (2025, Month::November, 1, 2, 2, 2, Some(1000)),
        (2026, Month::October, 0, 0, 0, 0, None),
    ];
    for (year, month, held, present, rostered, person_times, per_mille) in cases {
        let total = month_participation(&sessions, &roster, year, month);
        assert_eq!(
            (
                total.sessions,
                total.rate.present_households,
                total.rate.roster_households,
                total.rate.person_times,
                total.rate.per_mille(),
            ),
            (held, present, rostered, person_times, per_mille),
            "{year}-{month}"
        );
    }
}

#[test]
fn attendance_per_household_over_a_period() {
    let sessions = month_of_sessions();
    // (household, from, to, sessions, present, excused, absent, unrecorded, person-times, per mille)
    let cases = [
        (
            1,
            date!(2026 - 11 - 01),
            date!(2026 - 12 - 31),
            3,
            2,
            1,
            0,
            0,
            3,
            Some(666),
        ),
        (
            2,
            date!(2026 - 11 - 01),
            date!(2026 - 12 - 31),
            3,
            1,
            0,
            1,
            1,
            1,
            Some(333),
        ),
        (
            2,
            date!(2026 - 11 - 30),
            date!(2026 - 11 - 30),
            1,
            1,
            0,
            0,
            0,
            1,
            Some(1000),
        ),
        (
            1,
            date!(2027 - 01 - 01),
            date!(2027 - 12 - 31),
            0,
            0,
            0,
            0,
            0,
            0,
            None,
        ),
    ];
    for (n, from, to, held, present, excused, absent, unrecorded, person_times, per_mille) in cases
    {
        let total = household_attendance(&sessions, household(n), from, to);
        assert_eq!(
            (
                total.sessions,
                total.present,
                total.excused,
                total.absent,
                total.unrecorded,
                total.person_times,
                total.per_mille(),
            ),
            (
                held,
                present,
                excused,
                absent,
                unrecorded,
                person_times,
                per_mille
            ),
            "household {n} {from}..{to}"
        );
    }
}

#[test]
fn households_absent_n_of_the_last_m_sessions_are_followed_up() {
    let rules = NightSchoolRules {
        follow_up_absences: 2,
        follow_up_of_last: 3,
        ..NightSchoolRules::default()
    };
    let sessions = vec![
        // The oldest session falls out of the last three: household 3's absence there does not count.
        session(
            date!(2026 - 11 - 09),
            &[
                (1, Some(Present), 1),
                (2, Some(Absent), 0),
                (3, Some(Absent), 0),
                (4, Some(Present), 1),
            ],
        ),
        session(
            date!(2026 - 11 - 16),
            &[
                (1, Some(Absent), 0),
                (2, Some(Absent), 0),
                (3, Some(Absent), 0),
                (4, Some(Excused), 0),
            ],
        ),
        session(
            date!(2026 - 11 - 23),
            &[
                (1, Some(Present), 1),
                (2, None, 0),
                (3, Some(Present), 1),
                (4, Some(Excused), 0),
            ],
        ),
        session(
            date!(2026 - 11 - 30),
            &[
                (1, Some(Present), 1),
                (2, Some(Present), 1),
                (3, Some(Present), 1),
                (4, Some(Excused), 0),
            ],
        ),
    ];
    let roster = [household(1), household(2), household(3), household(4)];
    let found = follow_ups(&sessions, &roster, &rules);
    // 2: 缺席 once and 未记 once in the last three; 1 and 3 once each; 4 was excused (请假 is not an absence).
    assert_eq!(
        found,
        vec![AbsenceFollowUp {
            household_id: household(2),
            absences: 2,
            of_sessions: 3
        }]
    );
    // Sessions given in any order give the same answer.
    let mut shuffled = sessions.clone();
    shuffled.reverse();
    assert_eq!(follow_ups(&shuffled, &roster, &rules), found);
    // No sessions, no follow-ups; an empty roster, none either.
    assert!(follow_ups(&[], &roster, &rules).is_empty());
    assert!(follow_ups(&sessions, &[], &rules).is_empty());
}

#[test]
fn the_rules_cite_their_sources_and_mark_the_inference() {
    let rules = NightSchoolRules::default();
    // Sources read as citations a person can look up (文件名、文号 or the report), never as internal codes.
    for source in [
        &rules.broadcast_source,
        &rules.participation_source,
        &rules.follow_up_source,
    ] {
        for code in ["domain.md", "§", "[I]", "[V", "(S", " S2", " S3"] {
            assert!(!source.contains(code), "{source}");
        }
    }
    assert!(rules.broadcast_source.contains("新华社 2020-11-23"));
    assert!(rules.participation_source.contains("琼脱贫指〔2019〕3号"));
    // What no document states is said to be this system's proposal.
    assert!(rules.participation_source.contains("本系统推定"));
    assert!(rules.follow_up_source.contains("本系统建议值"));
    assert_eq!(
        (
            rules.broadcast_weekday,
            rules.broadcast_hour,
            rules.broadcast_minute
        ),
        (1, 20, 0)
    );
    let json = serde_json::to_string(&rules).unwrap_or_default();
    assert_eq!(
        serde_json::from_str::<NightSchoolRules>(&json).ok(),
        Some(rules)
    );
}
