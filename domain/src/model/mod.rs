//! The household record and everything attached to it: members, causes, checklist, plan, visits, evidence, night school.
//!
//! Top-level stored and wire records (household, plan, income sheet, visit log, evidence, night-school session) carry
//! `schema_version` so later changes can migrate old drafts; [`check_schema_version`] refuses versions from the future.

mod causes;
mod checklist;
mod household;
mod member;
mod night_school;
mod plan;
mod visit;

pub use causes::*;
pub use checklist::*;
pub use household::*;
pub use member::*;
pub use night_school::*;
pub use plan::*;
pub use visit::*;

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

/// The schema version written by this build for every top-level record.
pub const CURRENT_SCHEMA_VERSION: u32 = 1;

/// Why a model value could not be built from raw input.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ModelError {
    #[error("schema version {found} is newer than this build understands ({supported})")]
    UnsupportedSchemaVersion { found: u32, supported: u32 },
    #[error("schema version 0 does not exist")]
    ZeroSchemaVersion,
    #[error("健康 cannot be combined with another health condition")]
    HealthyWithCondition,
    #[error("a secondary cause repeats the main cause {cause:?}")]
    SecondaryRepeatsMain { cause: PovertyCause },
    #[error("the secondary cause {cause:?} is listed twice")]
    DuplicateSecondaryCause { cause: PovertyCause },
    #[error("work months must be 0–12, got {months}")]
    WorkMonthsOutOfRange { months: u8 },
    #[error("a helper change on {on} is not after the current helper's start {started}")]
    HelperChangeBeforeStart { on: time::Date, started: time::Date },
    #[error("latitude must be −90…90 and longitude −180…180, finite")]
    GpsOutOfRange,
    #[error("GPS accuracy must be a finite number of metres ≥ 0")]
    GpsAccuracy,
    #[error("a SHA-256 digest is 64 hexadecimal characters")]
    Sha256Format,
    #[error("a school year {year} is not possible for {stage:?}")]
    SchoolYear { stage: SchoolStage, year: u8 },
    #[error("ethnicity code {code} is not in GB 3304")]
    EthnicityCode { code: u8 },
}

/// Refuses schema versions this build cannot read (0, or newer than [`CURRENT_SCHEMA_VERSION`]).
pub fn check_schema_version(found: u32) -> Result<(), ModelError> {
    match found {
        0 => Err(ModelError::ZeroSchemaVersion),
        version if version > CURRENT_SCHEMA_VERSION => Err(ModelError::UnsupportedSchemaVersion {
            found: version,
            supported: CURRENT_SCHEMA_VERSION,
        }),
        _ => Ok(()),
    }
}

macro_rules! id_newtype {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl fmt::Display for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(formatter)
            }
        }
    )*};
}

id_newtype! {
    /// A household (户), client-generated.
    HouseholdId;
    /// A family member.
    MemberId;
    /// An account (helper, first secretary, cadre, admin).
    UserId;
    /// One version of a household's 一户一策 plan.
    PlanId;
    /// One measure of a plan.
    MeasureId;
    /// One 帮扶成效 entry.
    EffectId;
    /// One visit.
    VisitId;
    /// One piece of evidence (photo, scanned document, signature).
    EvidenceId;
    /// One income sheet (收入核算 for one period).
    IncomeSheetId;
    /// A night-school teaching point (教学点).
    TeachingPointId;
    /// A night-school session (one broadcast).
    SessionId;
    /// A village (行政村).
    VillageId;
}

/// A value that must never appear in logs or public views (bank account numbers). `Debug` prints a mask; the
/// value is serialised as-is because the owning record is itself access-controlled.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Sensitive<T>(pub T);

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("Sensitive(***)")
    }
}

impl Sensitive<String> {
    /// The last four characters, the rest masked: for showing which account without revealing it.
    pub fn masked(&self) -> String {
        let characters: Vec<char> = self.0.chars().collect();
        let keep = characters.len().min(4);
        let mut masked = "*".repeat(characters.len() - keep);
        masked.extend(&characters[characters.len() - keep..]);
        masked
    }

    /// A 银行卡号 as the server sends it to a role that does not need it: the first and last four digits around a
    /// mask of fixed length, `6217 **** **** 1234` (a number of eight characters or fewer shows only its mask).
    pub fn masked_account_number(&self) -> String {
        let characters: Vec<char> = self.0.chars().collect();
        if characters.len() <= 8 {
            return "**** **** **** ****".to_owned();
        }
        let first: String = characters[..4].iter().collect();
        let last: String = characters[characters.len() - 4..].iter().collect();
        format!("{first} **** **** {last}")
    }
}

/// Whether `text` is a 银行卡号 masked by [`Sensitive::masked_account_number`]: such a number, sent back in a
/// record, means "unchanged" and the server keeps the number it has.
pub fn is_masked_account_number(text: &str) -> bool {
    let parts: Vec<&str> = text.split(' ').collect();
    let digits = |part: &str| part.len() == 4 && part.bytes().all(|byte| byte.is_ascii_digit());
    match parts.as_slice() {
        ["****", "****", "****", "****"] => true,
        [first, "****", "****", last] => digits(first) && digits(last),
        _ => false,
    }
}

/// 性别.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

/// Completed years of age on `today` (0 before the first birthday). Never reads the clock.
pub fn age_on(birth_date: time::Date, today: time::Date) -> i32 {
    let mut years = today.year() - birth_date.year();
    if (today.month() as u8, today.day()) < (birth_date.month() as u8, birth_date.day()) {
        years -= 1;
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_account_number_shows_first_and_last_four_and_is_recognised() {
        let number = Sensitive("6217000012345671234".to_owned());
        assert_eq!(number.masked_account_number(), "6217 **** **** 1234");
        assert!(is_masked_account_number(&number.masked_account_number()));
        assert_eq!(
            Sensitive("1234".to_owned()).masked_account_number(),
            "**** **** **** ****"
        );
        for not_masked in [
            "6217000012345671234",
            "6217 **** 1234",
            "62a7 **** **** 1234",
            "",
        ] {
            assert!(!is_masked_account_number(not_masked), "{not_masked}");
        }
    }
}
