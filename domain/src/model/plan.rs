//! The 一户一策 plan: needs, yearly income target, measures and 帮扶成效 entries confirmed by the household.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::{EffectId, EvidenceId, HouseholdId, MeasureId, PlanId};
use crate::money::Fen;

/// One version of a household's plan for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub schema_version: u32,
    pub id: PlanId,
    pub household_id: HouseholdId,
    pub year: i32,
    /// 需求/问题清单.
    pub needs: Vec<String>,
    /// 年度目标人均纯收入.
    pub target_per_capita_income: Option<Fen>,
    pub measures: Vec<Measure>,
    pub effects: Vec<EffectEntry>,
}

/// One 帮扶措施.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measure {
    pub id: MeasureId,
    pub category: MeasureCategory,
    /// 项目名称/内容.
    pub content: String,
    /// 规模 (e.g. "30 只羊", "2 亩").
    pub scale: String,
    /// 扶持资金额度.
    pub funds: Fen,
    /// 责任单位 (帮扶单位).
    pub responsible_unit: String,
    pub responsible_person: String,
    /// 完成时限.
    pub deadline: Option<Date>,
    /// 预期增收.
    pub expected_extra_income: Fen,
    pub status: MeasureStatus,
    /// Photos of the measure's progress (the bytes live elsewhere, addressed by SHA-256).
    #[serde(default)]
    pub evidence: Vec<EvidenceId>,
}

/// 措施类别.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureCategory {
    /// 产业
    Industry,
    /// 就业
    Employment,
    /// 公益岗位
    PublicWelfareJob,
    /// 教育
    Education,
    /// 健康
    Health,
    /// 住房
    Housing,
    /// 饮水
    DrinkingWater,
    /// 兜底保障
    SafetyNet,
    /// 金融/小额信贷
    Finance,
    /// 易地搬迁
    Relocation,
    /// 技能培训
    SkillsTraining,
    /// 扶志/夜校
    Motivation,
    /// 其他
    Other,
}

impl MeasureCategory {
    /// 开发式帮扶: 产业/就业/金融/公益岗位 (C5).
    pub fn is_developmental(self) -> bool {
        matches!(
            self,
            MeasureCategory::Industry
                | MeasureCategory::Employment
                | MeasureCategory::Finance
                | MeasureCategory::PublicWelfareJob
        )
    }
}

/// Where a measure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureStatus {
    /// 计划中
    Planned,
    /// 实施中
    InProgress,
    /// 已完成
    Completed,
    /// 已取消
    Cancelled,
}

/// One 帮扶成效 entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EffectEntry {
    pub id: EffectId,
    pub measure_id: Option<MeasureId>,
    pub date: Date,
    pub content: String,
    /// 实际增收.
    pub actual_extra_income: Fen,
    /// 户主签名 (or another method); `None` until confirmed.
    pub confirmation: Option<HouseholdConfirmation>,
}

/// How the household confirmed a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdConfirmation {
    pub method: ConfirmationMethod,
    /// Name of the member who confirmed.
    pub confirmed_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub confirmed_at: OffsetDateTime,
    pub signature_evidence: Option<EvidenceId>,
}

/// 确认方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfirmationMethod {
    /// 签字
    Signature,
    /// 按手印
    Fingerprint,
    /// 口头确认并录音
    OralRecorded,
}
