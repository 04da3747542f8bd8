//! 电视夜校 numbers: 参学率 per session, per teaching point per month and per household over a period, 人次, and the
//! households to follow up (absent at least N of the last M sessions).
//!
//! The rules are data ([`NightSchoolRules`]) with their sources: the broadcast slot is reported by 央广网 and 新华社,
//! the duty to raise 参学率 is in 琼脱贫指〔2019〕3号; the household-level reading of 参学率 and the follow-up numbers
//! are this system's proposals (no document found states them), so a village can change them without a code change.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month, Weekday};

use crate::model::{AttendanceStatus, HouseholdId, ParticipationRate, Session};

/// The night-school rules as data. [`NightSchoolRules::default`] is the built-in set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NightSchoolRules {
    pub version: String,
    /// ISO weekday of the broadcast (1 = Monday).
    pub broadcast_weekday: u8,
    /// Start of the broadcast, China time.
    pub broadcast_hour: u8,
    pub broadcast_minute: u8,
    pub broadcast_source: String,
    /// How a household counts as present, with its caveat.
    pub participation_rule: String,
    pub participation_source: String,
    /// A household absent (缺席 or 未记; 请假 does not count) in at least `follow_up_absences` of the point's last
    /// `follow_up_of_last` sessions is followed up by its helper.
    pub follow_up_absences: u32,
    pub follow_up_of_last: u32,
    pub follow_up_source: String,
}

impl Default for NightSchoolRules {
    fn default() -> Self {
        NightSchoolRules {
            version: "night-school-2026-12-01".to_string(),
            broadcast_weekday: 1,
            broadcast_hour: 20,
            broadcast_minute: 0,
            broadcast_source:
                "每周一晚上8点，海南综合频道：央广网 2017-04-21 报道（全省2690个教学点，每周一20时至21时）；新华社 2020-11-23《电视夜校里“看”来的脱贫路》"
                    .to_string(),
            participation_rule:
                "户内至少一人出席即计为参学户；参学率 = 参学户 ÷ 教学点花名册户数；请假另计"
                    .to_string(),
            participation_source:
                "海南省打赢脱贫攻坚战指挥部《海南省2019年脱贫攻坚大比武实施方案》（琼脱贫指〔2019〕3号）：有效提升脱贫致富电视夜校的参学率，确保贫困户真正参学；“确保一户不落”：海口网 2016-11-15《李军录制电视夜校首课》。按户计算（户内至少一人出席）为本系统推定，未见文件规定"
                    .to_string(),
            follow_up_absences: 2,
            follow_up_of_last: 4,
            follow_up_source:
                "缺席农户由帮扶责任人跟进；“近4次缺席2次”为本系统建议值，未见文件规定，各村可调整"
                    .to_string(),
        }
    }
}

impl NightSchoolRules {
    fn weekday(&self) -> Weekday {
        match self.broadcast_weekday {
            2 => Weekday::Tuesday,
            3 => Weekday::Wednesday,
            4 => Weekday::Thursday,
            5 => Weekday::Friday,
            6 => Weekday::Saturday,
            7 => Weekday::Sunday,
            _ => Weekday::Monday,
        }
    }

    /// The broadcast day of the week `today` lies in: the latest broadcast weekday on or before `today`.
    pub fn broadcast_on_or_before(&self, today: Date) -> Date {
        let target = self.weekday().number_days_from_monday();
        let current = today.weekday().number_days_from_monday();
        let back = (i64::from(current) - i64::from(target)).rem_euclid(7);
        today.checked_sub(Duration::days(back)).unwrap_or(today)
    }
}

/// 参学率 of every session held in one month, added up (households present over roster households, summed over the
/// month's sessions), and how many sessions there were.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthParticipation {
    pub year: i32,
    pub month: u8,
    pub sessions: u32,
    pub rate: ParticipationRate,
}

/// The month's 参学率 of a teaching point: each session of `year`-`month` against `roster`.
pub fn month_participation(
    sessions: &[Session],
    roster: &[HouseholdId],
    year: i32,
    month: Month,
) -> MonthParticipation {
    let mut total = MonthParticipation {
        year,
        month: month as u8,
        sessions: 0,
        rate: ParticipationRate::default(),
    };
    for session in sessions
        .iter()
        .filter(|session| session.date.year() == year && session.date.month() == month)
    {
        total.sessions = total.sessions.saturating_add(1);
        total.rate = total.rate.plus(session.participation(roster));
    }
    total
}

/// One household's attendance over a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HouseholdAttendance {
    pub sessions: u32,
    pub present: u32,
    pub excused: u32,
    pub absent: u32,
    /// Sessions with no entry for the household.
    pub unrecorded: u32,
    pub person_times: u32,
}

impl HouseholdAttendance {
    /// Sessions attended over sessions held, per mille, rounded down; `None` when no session was held.
    pub fn per_mille(self) -> Option<u32> {
        if self.sessions == 0 {
            return None;
        }
        Some((u64::from(self.present) * 1000 / u64::from(self.sessions)) as u32)
    }
}

/// A household's attendance at the sessions dated `from..=to`.
pub fn household_attendance(
    sessions: &[Session],
    household: HouseholdId,
    from: Date,
    to: Date,
) -> HouseholdAttendance {
    let mut total = HouseholdAttendance::default();
    for session in sessions
        .iter()
        .filter(|session| session.date >= from && session.date <= to)
    {
        total.sessions = total.sessions.saturating_add(1);
        match session.entry(household) {
            Some(entry) => match entry.status {
                AttendanceStatus::Present => {
                    total.present = total.present.saturating_add(1);
                    let people =
                        u32::try_from(entry.present_member_ids.len().max(1)).unwrap_or(u32::MAX);
                    total.person_times = total.person_times.saturating_add(people);
                }
                AttendanceStatus::Excused => total.excused = total.excused.saturating_add(1),
                AttendanceStatus::Absent => total.absent = total.absent.saturating_add(1),
            },
            None => total.unrecorded = total.unrecorded.saturating_add(1),
        }
    }
    total
}

/// A household to follow up: absent in `absences` of the point's last `of_sessions` sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbsenceFollowUp {
    pub household_id: HouseholdId,
    pub absences: u32,
    pub of_sessions: u32,
}

/// Roster households absent (缺席 or 未记) in at least `follow_up_absences` of the last `follow_up_of_last`
/// sessions (by date), in roster order. Nothing while fewer sessions than `follow_up_absences` were held.
pub fn follow_ups(
    sessions: &[Session],
    roster: &[HouseholdId],
    rules: &NightSchoolRules,
) -> Vec<AbsenceFollowUp> {
    let mut recent: Vec<&Session> = sessions.iter().collect();
    recent.sort_by_key(|session| std::cmp::Reverse(session.date));
    recent.truncate(usize::try_from(rules.follow_up_of_last).unwrap_or(usize::MAX));
    let of_sessions = u32::try_from(recent.len()).unwrap_or(u32::MAX);
    if rules.follow_up_absences == 0 {
        return Vec::new();
    }
    roster
        .iter()
        .filter_map(|household| {
            let absences = recent
                .iter()
                .filter(|session| {
                    session
                        .entry(*household)
                        .is_none_or(|entry| entry.status == AttendanceStatus::Absent)
                })
                .count();
            let absences = u32::try_from(absences).unwrap_or(u32::MAX);
            (absences >= rules.follow_up_absences).then_some(AbsenceFollowUp {
                household_id: *household,
                absences,
                of_sessions,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn the_broadcast_day_is_the_monday_on_or_before_today() {
        let rules = NightSchoolRules::default();
        for (today, monday) in [
            (date!(2026 - 11 - 30), date!(2026 - 11 - 30)),
            (date!(2026 - 12 - 01), date!(2026 - 11 - 30)),
            (date!(2026 - 12 - 06), date!(2026 - 11 - 30)),
            (date!(2026 - 12 - 07), date!(2026 - 12 - 07)),
        ] {
            assert_eq!(rules.broadcast_on_or_before(today), monday, "{today}");
        }
    }
}
