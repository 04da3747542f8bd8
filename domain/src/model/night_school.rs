//! 脱贫致富电视夜校: teaching points, sessions and attendance, with the household-level 参学率.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::{HouseholdId, MemberId, SessionId, TeachingPointId, UserId, VillageId};
use crate::money::Fen;

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
    /// 点单: what households asked to be taught.
    #[serde(default)]
    pub training_requests: Vec<TrainingRequest>,
    /// Questions passed to the 961017 hotline.
    #[serde(default)]
    pub hotline_referrals: Vec<HotlineReferral>,
    /// 夜校集市 sales before the broadcast (optional).
    #[serde(default)]
    pub market_sales: Vec<MarketSale>,
}

/// 点单: a training a household (or the room) asked for after the lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingRequest {
    /// `None`: asked by the room, not one household.
    pub household_id: Option<HouseholdId>,
    pub topic: String,
}

/// A question passed on to the 961017 hotline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HotlineReferral {
    pub household_id: Option<HouseholdId>,
    pub question: String,
}

/// One 夜校集市 sale: a household sold a product (消费扶贫).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketSale {
    pub seller_household_id: HouseholdId,
    pub product: String,
    /// Amount received, in 分.
    pub amount: Fen,
}

/// One household's attendance at a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub household_id: HouseholdId,
    pub present_member_ids: Vec<MemberId>,
    pub status: AttendanceStatus,
    pub absence_reason: Option<AbsenceReason>,
    /// Free text for the reason (required with 其他).
    #[serde(default)]
    pub absence_note: String,
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
/// "≥1 member per household" reading of 确保一户不落 is not verified]. 请假 and 缺席 are counted apart; a roster
/// household with no entry is 未记 (`unrecorded`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ParticipationRate {
    pub present_households: u32,
    pub roster_households: u32,
    /// Person-times (人次) present: the members named, or one for a present household with none named.
    pub person_times: u32,
    #[serde(default)]
    pub excused_households: u32,
    #[serde(default)]
    pub absent_households: u32,
    #[serde(default)]
    pub unrecorded_households: u32,
}

impl ParticipationRate {
    /// The rate in per mille, rounded down; `None` for an empty roster.
    pub fn per_mille(self) -> Option<u32> {
        if self.roster_households == 0 {
            return None;
        }
        Some((u64::from(self.present_households) * 1000 / u64::from(self.roster_households)) as u32)
    }

    /// Adds another session's counts (for a month's or a period's rate).
    pub fn plus(self, other: ParticipationRate) -> ParticipationRate {
        ParticipationRate {
            present_households: self
                .present_households
                .saturating_add(other.present_households),
            roster_households: self
                .roster_households
                .saturating_add(other.roster_households),
            person_times: self.person_times.saturating_add(other.person_times),
            excused_households: self
                .excused_households
                .saturating_add(other.excused_households),
            absent_households: self
                .absent_households
                .saturating_add(other.absent_households),
            unrecorded_households: self
                .unrecorded_households
                .saturating_add(other.unrecorded_households),
        }
    }
}

impl Session {
    /// The entry of one household (the first, if a sheet lists it twice).
    pub fn entry(&self, household: HouseholdId) -> Option<&Attendance> {
        self.attendance
            .iter()
            .find(|entry| entry.household_id == household)
    }

    /// 参学率 against the teaching point's roster; attendance of households not on the roster is ignored.
    pub fn participation(&self, roster: &[HouseholdId]) -> ParticipationRate {
        let mut rate = ParticipationRate {
            roster_households: u32::try_from(roster.len()).unwrap_or(u32::MAX),
            ..ParticipationRate::default()
        };
        for household in roster {
            match self.entry(*household) {
                Some(entry) => match entry.status {
                    AttendanceStatus::Present => {
                        rate.present_households = rate.present_households.saturating_add(1);
                        let people = u32::try_from(entry.present_member_ids.len().max(1))
                            .unwrap_or(u32::MAX);
                        rate.person_times = rate.person_times.saturating_add(people);
                    }
                    AttendanceStatus::Excused => {
                        rate.excused_households = rate.excused_households.saturating_add(1);
                    }
                    AttendanceStatus::Absent => {
                        rate.absent_households = rate.absent_households.saturating_add(1);
                    }
                },
                None => {
                    rate.unrecorded_households = rate.unrecorded_households.saturating_add(1);
                }
            }
        }
        rate
    }
}
