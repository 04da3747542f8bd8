//! A household visit as a helper submits it: the edited record, the 一户一策 plan version, the income sheet, the
//! visit log, the photos' metadata and the written reasons for warnings.
//!
//! It crosses the network inside [`crate::protocol::SubmissionRecord`] (and is re-exported there), but lives in its
//! own module because validation checks it: `validation` imports this module, never `protocol`, which names
//! validation's findings.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::income::IncomeSheet;
use crate::model::{Evidence, Household, Plan, VisitLog};

/// A household visit as submitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdVisit {
    pub household: Household,
    /// The server version of the household the helper's edits started from. A stale base is refused with 409
    /// and the server's copy ([`crate::protocol::Conflict`]).
    pub base_version: i64,
    pub plan: Plan,
    pub income: IncomeSheet,
    pub visit: VisitLog,
    /// Metadata of the photos the visit refers to; their bytes are uploaded first (`PUT /api/photos/{sha256}`).
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// The written reason for each warning, by rule code: a warning without a reason is refused like an error.
    #[serde(default)]
    pub warning_reasons: BTreeMap<String, String>,
}
