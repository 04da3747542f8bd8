//! A session edited on two phones: the server refused this phone's version (409 `session_conflict`). The
//! households whose marks differ between this phone and the server are listed one by one, each with both marks;
//! the cadre keeps this phone's mark or takes the server's for each, and the merged sheet is submitted on top of
//! the server's version. Households marked alike need no choice.

use std::collections::BTreeSet;

use crate::i18n::*;
use leptos::prelude::*;
use zoufang_domain::labels::Labelled;
use zoufang_domain::model::{Attendance, HouseholdId, Session};
use zoufang_domain::protocol::RosterHousehold;

use super::roster::domain_locale;

/// One household marked differently here and on the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub household_id: HouseholdId,
    pub head_name: String,
    pub local: Option<Attendance>,
    pub server: Option<Attendance>,
}

/// Whether two marks say the same (who recorded it and when do not matter).
fn same_mark(a: Option<&Attendance>, b: Option<&Attendance>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a.status == b.status
                && a.absence_reason == b.absence_reason
                && a.absence_note.trim() == b.absence_note.trim()
                && a.present_member_ids == b.present_member_ids
        }
        _ => false,
    }
}

/// The roster's households (in roster order) marked differently in `local` and `server`.
pub fn differences(
    local: &Session,
    server: &Session,
    roster: &[RosterHousehold],
) -> Vec<Difference> {
    roster
        .iter()
        .filter_map(|household| {
            let id = household.household_id;
            let (mine, theirs) = (local.entry(id), server.entry(id));
            (!same_mark(mine, theirs)).then(|| Difference {
                household_id: id,
                head_name: household.head_name.clone(),
                local: mine.cloned(),
                server: theirs.cloned(),
            })
        })
        .collect()
}

/// The merged session: this phone's marks except for the households in `take_server`; this phone's 期数, topic and
/// notes where it has them, else the server's.
pub fn merge(local: &Session, server: &Session, take_server: &BTreeSet<HouseholdId>) -> Session {
    let mut households: Vec<HouseholdId> = Vec::new();
    for entry in local.attendance.iter().chain(&server.attendance) {
        if !households.contains(&entry.household_id) {
            households.push(entry.household_id);
        }
    }
    let attendance = households
        .into_iter()
        .filter_map(|id| {
            let chosen = if take_server.contains(&id) {
                server.entry(id)
            } else {
                local.entry(id)
            };
            chosen.cloned()
        })
        .collect();
    let text = |mine: &str, theirs: &str| {
        if mine.trim().is_empty() {
            theirs.to_owned()
        } else {
            mine.to_owned()
        }
    };
    Session {
        episode: local.episode.or(server.episode),
        topic: text(&local.topic, &server.topic),
        discussion_notes: text(&local.discussion_notes, &server.discussion_notes),
        attendance,
        ..local.clone()
    }
}

/// The per-household choice, then 合并后提交.
#[component]
pub fn ConflictView(
    differences: Vec<Difference>,
    server_version: u32,
    on_resolve: Callback<BTreeSet<HouseholdId>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let take_server = RwSignal::new(BTreeSet::<HouseholdId>::new());
    let count = differences.len();
    let locale = move || domain_locale(i18n.get_locale());
    let describe = move |entry: &Option<Attendance>| match entry {
        None => t_string!(i18n, night_school.unmarked).to_string(),
        Some(entry) => match entry.absence_reason {
            Some(reason) => format!(
                "{} · {}",
                entry.status.label(locale()),
                reason.label(locale())
            ),
            None => entry.status.label(locale()).to_string(),
        },
    };
    view! {
        <section class="ns-conflict" data-testid="ns-conflict">
            <p>{move || t_string!(i18n, night_school.conflict_intro, version = server_version, count = count).to_string()}</p>
            <ul class="ns-list">
                {differences.into_iter().map(|difference| {
                    let id = difference.household_id;
                    let mine = difference.local.clone();
                    let theirs = difference.server.clone();
                    let taking_server = move || take_server.with(|set| set.contains(&id));
                    view! {
                        <li class="ns-conflict-row" data-testid="ns-conflict-row">
                            <span class="household-name">{difference.head_name.clone()}</span>
                            <div class="ns-choice">
                                <button class="button button-inline" data-testid="ns-keep-mine"
                                    aria-pressed=move || (!taking_server()).to_string()
                                    on:click=move |_| take_server.update(|set| { set.remove(&id); })>
                                    {move || t_string!(i18n, night_school.this_phone, mark = describe(&mine)).to_string()}
                                </button>
                                <button class="button button-inline" data-testid="ns-take-server"
                                    aria-pressed=move || taking_server().to_string()
                                    on:click=move |_| take_server.update(|set| { set.insert(id); })>
                                    {move || t_string!(i18n, night_school.on_server, mark = describe(&theirs)).to_string()}
                                </button>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <button class="button button-primary" data-testid="ns-merge"
                on:click=move |_| on_resolve.run(take_server.get_untracked())>
                {t!(i18n, night_school.merge_submit)}
            </button>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};
    use uuid::Uuid;
    use zoufang_domain::model::{
        AbsenceReason, AttendanceStatus, CURRENT_SCHEMA_VERSION, SessionId, TeachingPointId, UserId,
    };

    fn mark(
        n: u128,
        status: AttendanceStatus,
        reason: Option<AbsenceReason>,
        by: u128,
    ) -> Attendance {
        Attendance {
            household_id: HouseholdId(Uuid::from_u128(n)),
            present_member_ids: vec![],
            status,
            absence_reason: reason,
            absence_note: String::new(),
            recorded_by: UserId(Uuid::from_u128(by)),
            recorded_at: datetime!(2026-11-30 12:00 UTC),
        }
    }

    fn session(topic: &str, attendance: Vec<Attendance>) -> Session {
        Session {
            schema_version: CURRENT_SCHEMA_VERSION,
            id: SessionId(Uuid::from_u128(1)),
            teaching_point_id: TeachingPointId(Uuid::from_u128(2)),
            date: date!(2026 - 11 - 30),
            episode: None,
            topic: topic.into(),
            discussion_notes: String::new(),
            attendance,
            confirmed_by: None,
            training_requests: vec![],
            hotline_referrals: vec![],
            market_sales: vec![],
        }
    }

    fn roster(names: &[(u128, &str)]) -> Vec<RosterHousehold> {
        names
            .iter()
            .map(|(n, name)| RosterHousehold {
                household_id: HouseholdId(Uuid::from_u128(*n)),
                head_name: (*name).into(),
                group_name: "一组".into(),
                members: vec![],
            })
            .collect()
    }

    use AttendanceStatus::{Absent, Present};

    #[test]
    fn only_households_marked_differently_are_listed_in_roster_order_whoever_recorded_them() {
        let local = session(
            "冬季瓜菜",
            vec![
                mark(3, Present, None, 9),
                mark(1, Present, None, 9),
                mark(2, Absent, Some(AbsenceReason::MigrantWork), 9),
            ],
        );
        let server = session(
            "",
            vec![
                mark(1, Present, None, 8),
                mark(2, Absent, Some(AbsenceReason::Illness), 8),
                mark(4, Absent, None, 8),
            ],
        );
        let found = differences(
            &local,
            &server,
            &roster(&[(1, "符大"), (2, "王二"), (3, "陈三"), (4, "李四")]),
        );
        assert_eq!(
            found
                .iter()
                .map(|d| (
                    d.head_name.as_str(),
                    d.local.as_ref().map(|a| a.status),
                    d.server.as_ref().map(|a| a.status)
                ))
                .collect::<Vec<_>>(),
            [
                ("王二", Some(Absent), Some(Absent)),
                ("陈三", Some(Present), None),
                ("李四", None, Some(Absent)),
            ]
        );
    }

    #[test]
    fn the_merge_keeps_this_phones_marks_except_where_the_server_was_chosen_and_keeps_the_servers_topic_when_ours_is_empty()
     {
        let local = session(
            "",
            vec![mark(1, Present, None, 9), mark(2, Absent, None, 9)],
        );
        let server = session(
            "冬季瓜菜",
            vec![mark(2, Present, None, 8), mark(3, Absent, None, 8)],
        );
        let take_server = BTreeSet::from([
            HouseholdId(Uuid::from_u128(2)),
            HouseholdId(Uuid::from_u128(3)),
        ]);
        let merged = merge(&local, &server, &take_server);
        assert_eq!(merged.topic, "冬季瓜菜");
        assert_eq!(
            merged
                .attendance
                .iter()
                .map(|a| (
                    a.household_id.0.as_u128(),
                    a.status,
                    a.recorded_by.0.as_u128()
                ))
                .collect::<Vec<_>>(),
            [(1, Present, 9), (2, Present, 8), (3, Absent, 8)]
        );
        // Keeping this phone's "not marked" for household 3 drops the server's mark.
        let merged = merge(&local, &server, &BTreeSet::new());
        assert_eq!(merged.attendance.len(), 2);
        assert_eq!(merged.attendance[1].status, Absent);
    }
}
