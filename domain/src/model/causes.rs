//! 致贫原因 (one main cause and non-repeating secondary causes) and the sudden events that feed the 红黄绿 rules.

use serde::{Deserialize, Serialize};
use time::Date;

use super::ModelError;

/// 致贫原因 (domain.md §1.5, with 因婚/因丧 seen in some systems).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PovertyCause {
    /// 因病
    Illness,
    /// 因残
    Disability,
    /// 因学
    Schooling,
    /// 因灾
    Disaster,
    /// 缺土地
    LackOfLand,
    /// 缺水
    LackOfWater,
    /// 缺技术
    LackOfSkills,
    /// 缺劳力
    LackOfLabour,
    /// 缺资金
    LackOfFunds,
    /// 交通条件落后
    PoorTransport,
    /// 自身发展动力不足
    LackOfDrive,
    /// 因婚
    Marriage,
    /// 因丧
    Funeral,
    /// 其他
    Other,
}

/// One main cause and secondary causes that never repeat it. Built with [`PovertyCauses::new`]; deserialisation
/// applies the same checks.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "RawPovertyCauses", into = "RawPovertyCauses")]
pub struct PovertyCauses {
    main: Option<PovertyCause>,
    secondary: Vec<PovertyCause>,
}

#[derive(Serialize, Deserialize)]
struct RawPovertyCauses {
    main: Option<PovertyCause>,
    #[serde(default)]
    secondary: Vec<PovertyCause>,
}

impl TryFrom<RawPovertyCauses> for PovertyCauses {
    type Error = ModelError;
    fn try_from(raw: RawPovertyCauses) -> Result<Self, Self::Error> {
        PovertyCauses::new(raw.main, raw.secondary)
    }
}

impl From<PovertyCauses> for RawPovertyCauses {
    fn from(causes: PovertyCauses) -> Self {
        RawPovertyCauses {
            main: causes.main,
            secondary: causes.secondary,
        }
    }
}

impl PovertyCauses {
    /// Refuses a secondary cause equal to the main one, or listed twice.
    pub fn new(
        main: Option<PovertyCause>,
        secondary: Vec<PovertyCause>,
    ) -> Result<PovertyCauses, ModelError> {
        for (index, &cause) in secondary.iter().enumerate() {
            if Some(cause) == main {
                return Err(ModelError::SecondaryRepeatsMain { cause });
            }
            if secondary[..index].contains(&cause) {
                return Err(ModelError::DuplicateSecondaryCause { cause });
            }
        }
        Ok(PovertyCauses { main, secondary })
    }

    pub fn main(&self) -> Option<PovertyCause> {
        self.main
    }

    pub fn secondary(&self) -> &[PovertyCause] {
        &self.secondary
    }
}

/// A sudden event recorded for the household (feeds 突发 risk rules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuddenEvent {
    pub kind: SuddenEventKind,
    pub occurred_on: Date,
    pub note: String,
}

/// Kinds of sudden event (domain.md §5.2 risk types; 新冠/非洲猪瘟 from seed 002).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuddenEventKind {
    /// 重大疾病
    SeriousIllness,
    /// 意外事故
    Accident,
    /// 自然灾害
    NaturalDisaster,
    /// 疫情 (如新冠肺炎)
    Epidemic,
    /// 动物疫病 (如非洲猪瘟)
    AnimalDisease,
    /// 失业/务工中断
    JobLoss,
    /// 产业项目失败
    IndustryFailure,
    /// 其他
    Other,
}
