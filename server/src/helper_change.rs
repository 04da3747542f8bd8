//! Changing a household's helper (帮扶责任人): the only way the current helper changes after a household is created.
//! The first secretary's `POST /api/households/{id}/helper` and `zoufang-server admin assign-helper` both call
//! [`change_helper`]; a household visit cannot (the server refuses one whose `helpers` differ from its copy).
//!
//! The new helper must be a helper or first-secretary account of the household's village, so that nobody can hand a
//! household (ID numbers, bank account, health) to an account elsewhere. The change goes through the domain's
//! `Household::change_helper` (the previous row closes on the day before, history is kept), raises the household's
//! version and appends a change-log row, so phones pick it up from `GET /api/changes`.

use sqlx::AnyPool;
use time::{Date, OffsetDateTime};
use uuid::Uuid;
use zoufang_domain::model::{HelperAssignment, ModelError, UnitLevel, UserId};
use zoufang_domain::policy::PolicyTables;
use zoufang_domain::protocol::Role;
use zoufang_domain::validation::{
    Finding, Severity, ValidationConfig, ValidationContext, validate_household,
};

use crate::clock::china_date;
use crate::store::changes::{self, ChangeKind};
use crate::store::households::{self, RecordUpdate, StoredHousehold};
use crate::store::{StoreError, users};

/// How often a change is tried again when a visit raised the household's version between the read and the write.
const ATTEMPTS: usize = 3;

/// A helper change to make.
#[derive(Debug, Clone)]
pub struct HelperChange<'a> {
    pub household_id: Uuid,
    /// The new helper's account.
    pub helper_user_id: Uuid,
    /// 帮扶单位
    pub unit: &'a str,
    /// 职务
    pub position: &'a str,
    pub unit_level: UnitLevel,
    /// The new helper's first day.
    pub on: Date,
    pub now: OffsetDateTime,
}

#[derive(Debug, thiserror::Error)]
pub enum HelperChangeError {
    #[error("no such household")]
    HouseholdNotFound,
    #[error("no account with that id")]
    AccountNotFound,
    #[error("the account is a {}: only helpers and first secretaries help households", .0.code())]
    RoleNotAllowed(Role),
    #[error("the account does not belong to the household's village")]
    NotInVillage,
    #[error("the account is disabled")]
    AccountDisabled,
    #[error("the new helper must start after the current helper's start ({started})")]
    BeforeStart { started: Date },
    #[error("the new helper's row does not pass validation: {}", describe(.0))]
    Invalid(Vec<Finding>),
    /// Another refusal of the domain's `change_helper` (it has none today).
    #[error(transparent)]
    Model(ModelError),
    #[error("the household kept changing (visits were accepted meanwhile): try again")]
    Busy,
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn describe(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|finding| format!("{} {}", finding.path, finding.message_zh))
        .collect::<Vec<_>>()
        .join("; ")
}

/// What [`change_helper`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum HelperChangeOutcome {
    /// The new row was added; the household as stored now.
    Changed(StoredHousehold),
    /// The account already is the current helper from that date with that unit, position and level (a repeated
    /// request): nothing was written.
    AlreadyCurrent(StoredHousehold),
}

impl HelperChangeOutcome {
    pub fn household(self) -> StoredHousehold {
        match self {
            HelperChangeOutcome::Changed(household)
            | HelperChangeOutcome::AlreadyCurrent(household) => household,
        }
    }
}

/// Makes the account the household's current helper from `change.on`; see the module documentation. `policy` is
/// what the domain's validation of the new row needs.
pub async fn change_helper(
    pool: &AnyPool,
    change: &HelperChange<'_>,
    policy: &PolicyTables,
) -> Result<HelperChangeOutcome, HelperChangeError> {
    let account = users::profile(pool, change.helper_user_id)
        .await?
        .ok_or(HelperChangeError::AccountNotFound)?;
    if !matches!(account.role, Role::Helper | Role::FirstSecretary) {
        return Err(HelperChangeError::RoleNotAllowed(account.role));
    }
    if users::is_disabled(pool, account.id).await? {
        return Err(HelperChangeError::AccountDisabled);
    }
    let row = HelperAssignment {
        user_id: Some(UserId(account.id)),
        name: account.name.clone(),
        unit: change.unit.trim().to_owned(),
        position: change.position.trim().to_owned(),
        phone: account.phone.clone(),
        unit_level: change.unit_level,
        started_on: change.on,
        ended_on: None,
    };
    for _ in 0..ATTEMPTS {
        let stored = households::find(pool, change.household_id)
            .await?
            .ok_or(HelperChangeError::HouseholdNotFound)?;
        if account.village.as_ref().map(|village| village.id) != Some(stored.village_id) {
            return Err(HelperChangeError::NotInVillage);
        }
        if stored.record.current_helper() == Some(&row) {
            return Ok(HelperChangeOutcome::AlreadyCurrent(stored));
        }
        let mut record = stored.record.clone();
        record
            .change_helper(row.clone(), change.on)
            .map_err(|error| match error {
                ModelError::HelperChangeBeforeStart { started, .. } => {
                    HelperChangeError::BeforeStart { started }
                }
                other => HelperChangeError::Model(other),
            })?;
        refuse_invalid_row(&record, record.helpers.len() - 1, policy, change.now)?;
        // The update is the transaction's first statement (a write), and it only applies to the version read.
        let mut transaction = pool.begin().await.map_err(StoreError::from)?;
        let updated = households::update_record(
            &mut *transaction,
            &RecordUpdate {
                record: &record,
                base_version: stored.version,
                visited_on: None,
                visit_submission_id: None,
                updated_at: change.now,
            },
        )
        .await?;
        if !updated {
            transaction.rollback().await.map_err(StoreError::from)?;
            continue;
        }
        changes::append(
            &mut transaction,
            change.household_id,
            ChangeKind::Helper,
            change.now,
        )
        .await?;
        transaction.commit().await.map_err(StoreError::from)?;
        let changed = households::find(pool, change.household_id)
            .await?
            .ok_or(HelperChangeError::HouseholdNotFound)?;
        return Ok(HelperChangeOutcome::Changed(changed));
    }
    Err(HelperChangeError::Busy)
}

/// Refuses the change when the domain's validation finds an error in the new row (`helpers[index]`), such as a
/// field over its length limit. Findings elsewhere in the record are not this change's business.
fn refuse_invalid_row(
    record: &zoufang_domain::model::Household,
    index: usize,
    policy: &PolicyTables,
    now: OffsetDateTime,
) -> Result<(), HelperChangeError> {
    let config = ValidationConfig::default();
    let context = ValidationContext {
        today: china_date(now),
        policy,
        config: &config,
    };
    let prefix = format!("helpers[{index}]");
    let findings: Vec<Finding> = validate_household(record, None, None, &context)
        .findings
        .into_iter()
        .filter(|finding| {
            finding.severity == Severity::Error && finding.path.to_string().starts_with(&prefix)
        })
        .collect();
    if findings.is_empty() {
        Ok(())
    } else {
        Err(HelperChangeError::Invalid(findings))
    }
}
