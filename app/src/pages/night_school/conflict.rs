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

/// The roster's households (in roster order) both phones changed, differently, since the version this phone's
/// edit started from (`base`; `None` when the server no longer has it, and every difference then counts).
pub fn differences(
    local: &Session,
    base: Option<&Session>,
    server: &Session,
    roster: &[RosterHousehold],
) -> Vec<Difference> {
    roster
        .iter()
        .filter_map(|household| {
            let id = household.household_id;
            let (mine, theirs) = (local.entry(id), server.entry(id));
            let both_changed = base.is_none_or(|base| {
                let before = base.entry(id);
                !same_mark(mine, before) && !same_mark(theirs, before)
            });
            (both_changed && !same_mark(mine, theirs)).then(|| Difference {
                household_id: id,
                head_name: household.head_name.clone(),
                local: mine.cloned(),
                server: theirs.cloned(),
            })
        })
        .collect()
}

/// The merged session: a household only one side changed since `base` keeps that side's mark; one both changed
/// keeps this phone's mark unless it is in `take_server`. This phone's 期数, topic and notes where it has them,
/// else the server's.
pub fn merge(
    local: &Session,
    base: Option<&Session>,
    server: &Session,
    take_server: &BTreeSet<HouseholdId>,
) -> Session {
    let mut households: Vec<HouseholdId> = Vec::new();
    for entry in local.attendance.iter().chain(&server.attendance) {
        if !households.contains(&entry.household_id) {
            households.push(entry.household_id);
        }
    }
    let attendance = households
        .into_iter()
        .filter_map(|id| {
            let mine = local.entry(id);
            let unchanged_here = base.is_some_and(|base| same_mark(mine, base.entry(id)));
            let chosen = if take_server.contains(&id) || unchanged_here {
                server.entry(id)
            } else {
                mine
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
    fn only_households_both_phones_changed_differently_are_listed_in_roster_order() {
        let base = session(
            "",
            vec![
                mark(1, Present, None, 8),
                mark(2, Absent, None, 8),
                mark(5, Present, None, 8),
            ],
        );
        let local = session(
            "冬季瓜菜",
            vec![
                mark(1, Present, None, 9),
                mark(2, Absent, Some(AbsenceReason::MigrantWork), 9),
                mark(3, Present, None, 9),
                mark(5, Absent, None, 9),
            ],
        );
        let server = session(
            "",
            vec![
                mark(1, Absent, None, 7),
                mark(2, Absent, Some(AbsenceReason::Illness), 7),
                mark(4, Absent, None, 7),
                mark(5, Absent, None, 7),
            ],
        );
        let roster = roster(&[
            (1, "符大"),
            (2, "王二"),
            (3, "陈三"),
            (4, "李四"),
            (5, "周五"),
        ]);
        let found = differences(&local, Some(&base), &server, &roster);
        // 1: only the server changed it; 3: only this phone; 4: only the server; 5: both, alike.
        assert_eq!(
            found
                .iter()
                .map(|d| (
                    d.head_name.as_str(),
                    d.local.as_ref().and_then(|a| a.absence_reason),
                    d.server.as_ref().and_then(|a| a.absence_reason)
                ))
                .collect::<Vec<_>>(),
            [(
                "王二",
                Some(AbsenceReason::MigrantWork),
                Some(AbsenceReason::Illness)
            )]
        );
        // Without the base every difference is listed.
        assert_eq!(differences(&local, None, &server, &roster).len(), 4);

        let kept_mine = merge(&local, Some(&base), &server, &BTreeSet::new());
        assert_eq!(kept_mine.topic, "冬季瓜菜");
        assert_eq!(
            kept_mine
                .attendance
                .iter()
                .map(|a| (
                    a.household_id.0.as_u128(),
                    a.status,
                    a.recorded_by.0.as_u128()
                ))
                .collect::<Vec<_>>(),
            [
                (1, Absent, 7),
                (2, Absent, 9),
                (3, Present, 9),
                (5, Absent, 9),
                (4, Absent, 7)
            ],
            "each side's own changes survive; the conflicting household keeps this phone's mark"
        );
        let took_server = merge(
            &local,
            Some(&base),
            &server,
            &BTreeSet::from([HouseholdId(Uuid::from_u128(2))]),
        );
        assert_eq!(
            took_server
                .entry(HouseholdId(Uuid::from_u128(2)))
                .map(|a| a.absence_reason),
            Some(Some(AbsenceReason::Illness))
        );
    }

    #[test]
    fn without_the_base_the_merge_keeps_this_phones_marks_except_where_the_server_was_chosen() {
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
        let merged = merge(&local, None, &server, &take_server);
        assert_eq!(merged.topic, "冬季瓜菜");
        assert_eq!(
            merged
                .attendance
                .iter()
                .map(|a| (a.household_id.0.as_u128(), a.status))
                .collect::<Vec<_>>(),
            [(1, Present), (2, Present), (3, Absent)]
        );
        // Keeping this phone's "not marked" for household 3 drops the server's mark.
        assert_eq!(
            merge(&local, None, &server, &BTreeSet::new())
                .attendance
                .len(),
            2
        );
    }
}
