//! 脱贫致富电视夜校: teaching points, sessions and attendance, with the household-level 参学率.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::{HouseholdId, MemberId, SessionId, TeachingPointId, UserId, VillageId};

/// 教学点.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeachingPoint {
    pub id: TeachingPointId,
    pub village_id: VillageId,
    pub name: String,
    /// 村委会办公场所, 文化室 …
    pub location: String,
    /// 管理员.
    pub administrator_id: Option<UserId>,
    /// Households assigned to the point (the roster).
    pub roster: Vec<HouseholdId>,
}

/// One broadcast watched at a teaching point, with its attendance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub schema_version: u32,
    pub id: SessionId,
    pub teaching_point_id: TeachingPointId,
    /// The Monday of the broadcast.
    pub date: Date,
    /// 期数.
    pub episode: Option<u32>,
    pub topic: String,
    /// Discussion after the lesson: topics, questions, 点单 requests, 961017 referrals.
    pub discussion_notes: String,
    pub attendance: Vec<Attendance>,
    /// The first secretary / village secretary who confirmed the sheet.
    pub confirmed_by: Option<UserId>,
}

/// One household's attendance at a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub household_id: HouseholdId,
    pub present_member_ids: Vec<MemberId>,
    pub status: AttendanceStatus,
    pub absence_reason: Option<AbsenceReason>,
    pub recorded_by: UserId,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
}

/// 出席 / 请假 / 缺席.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttendanceStatus {
    Present,
    Excused,
    Absent,
}

/// 缺席原因.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbsenceReason {
    /// 外出务工
    MigrantWork,
    /// 生病/住院
    Illness,
    /// 农忙
    FarmWork,
    /// 照顾家人
    CaringForFamily,
    /// 其他
    Other,
}

/// 参学率 of a session: households with at least one member present over roster households [I: the
/// "≥1 member per household" reading of 确保一户不落 is not verified].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipationRate {
    pub present_households: u32,
    pub roster_households: u32,
    /// Person-times (人次) present.
    pub person_times: u32,
}

impl ParticipationRate {
    /// The rate in per mille, rounded down; `None` for an empty roster.
    pub fn per_mille(self) -> Option<u32> {
        if self.roster_households == 0 {
            return None;
        }
        Some((u64::from(self.present_households) * 1000 / u64::from(self.roster_households)) as u32)
    }
}

impl Session {
    /// 参学率 against the teaching point's roster; attendance of households not on the roster is ignored.
    pub fn participation(&self, roster: &[HouseholdId]) -> ParticipationRate {
        let mut present_households = 0u32;
        let mut person_times = 0u32;
        for household in roster {
            let present_members = self
                .attendance
                .iter()
                .filter(|entry| {
                    entry.household_id == *household && entry.status == AttendanceStatus::Present
                })
                .map(|entry| entry.present_member_ids.len().max(1))
                .sum::<usize>();
            if present_members > 0 {
                present_households = present_households.saturating_add(1);
                person_times =
                    person_times.saturating_add(u32::try_from(present_members).unwrap_or(u32::MAX));
            }
        }
        ParticipationRate {
            present_households,
            roster_households: u32::try_from(roster.len()).unwrap_or(u32::MAX),
            person_times,
        }
    }
}
