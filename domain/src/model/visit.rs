//! Visit logs (走访记录) and evidence metadata (photos, document checks, receipts, signatures).

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::{EvidenceId, HouseholdConfirmation, HouseholdId, ModelError, UserId, VisitId};

/// One visit to a household (domain.md §7.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitLog {
    pub schema_version: u32,
    pub id: VisitId,
    pub household_id: HouseholdId,
    pub purposes: Vec<VisitPurpose>,
    /// Two-person visits list both.
    pub visitor_ids: Vec<UserId>,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub ended_at: OffsetDateTime,
    pub notes: String,
    pub issues_found: Vec<String>,
    pub follow_ups: Vec<FollowUp>,
    pub household_confirmation: Option<HouseholdConfirmation>,
    pub evidence: Vec<EvidenceId>,
}

/// 走访目的.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitPurpose {
    /// 走访
    RoutineVisit,
    /// 政策宣传
    PolicyExplanation,
    /// 收入核算
    IncomeAccounting,
    /// 一户一策制定/更新
    PlanUpdate,
    /// 三保障核查
    GuaranteesCheck,
    /// 慰问
    Condolence,
    /// 监测核实
    MonitoringVerification,
}

/// Something to do after the visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub text: String,
    pub due_on: Option<Date>,
    pub done: bool,
}

/// Metadata of one piece of evidence; the bytes live elsewhere, addressed by SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub schema_version: u32,
    pub id: EvidenceId,
    pub visit_id: Option<VisitId>,
    pub kind: EvidenceKind,
    /// Device clock at capture.
    #[serde(with = "time::serde::rfc3339")]
    pub taken_at: OffsetDateTime,
    pub gps: Option<GpsFix>,
    pub sha256: Sha256Digest,
    pub bytes: u64,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub caption: String,
}

/// 证据类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// 现场照片
    SitePhoto,
    /// 证件核验
    DocumentCheck,
    /// 票据
    Receipt,
    /// 签字
    Signature,
}

/// A GPS fix with its accuracy. Built with [`GpsFix::new`]; deserialisation applies the same checks.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawGpsFix", into = "RawGpsFix")]
pub struct GpsFix {
    latitude: f64,
    longitude: f64,
    accuracy_m: f64,
    source: GpsSource,
}

#[derive(Serialize, Deserialize)]
struct RawGpsFix {
    latitude: f64,
    longitude: f64,
    accuracy_m: f64,
    source: GpsSource,
}

impl TryFrom<RawGpsFix> for GpsFix {
    type Error = ModelError;
    fn try_from(raw: RawGpsFix) -> Result<Self, Self::Error> {
        GpsFix::new(raw.latitude, raw.longitude, raw.accuracy_m, raw.source)
    }
}

impl From<GpsFix> for RawGpsFix {
    fn from(fix: GpsFix) -> Self {
        RawGpsFix {
            latitude: fix.latitude,
            longitude: fix.longitude,
            accuracy_m: fix.accuracy_m,
            source: fix.source,
        }
    }
}

impl GpsFix {
    pub fn new(
        latitude: f64,
        longitude: f64,
        accuracy_m: f64,
        source: GpsSource,
    ) -> Result<GpsFix, ModelError> {
        let in_range = latitude.is_finite()
            && longitude.is_finite()
            && (-90.0..=90.0).contains(&latitude)
            && (-180.0..=180.0).contains(&longitude);
        if !in_range {
            return Err(ModelError::GpsOutOfRange);
        }
        if !accuracy_m.is_finite() || accuracy_m < 0.0 {
            return Err(ModelError::GpsAccuracy);
        }
        Ok(GpsFix {
            latitude,
            longitude,
            accuracy_m,
            source,
        })
    }

    pub fn latitude(self) -> f64 {
        self.latitude
    }

    pub fn longitude(self) -> f64 {
        self.longitude
    }

    pub fn accuracy_m(self) -> f64 {
        self.accuracy_m
    }

    pub fn source(self) -> GpsSource {
        self.source
    }
}

/// Where a fix came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GpsSource {
    /// 卫星定位
    Gnss,
    /// 网络定位
    Network,
}

/// A SHA-256 digest as 64 lower-case hexadecimal characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sha256Digest(String);

impl Sha256Digest {
    /// Accepts 64 hex characters in either case; stores lower case.
    pub fn parse(text: &str) -> Result<Sha256Digest, ModelError> {
        if text.len() == 64 && text.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            Ok(Sha256Digest(text.to_ascii_lowercase()))
        } else {
            Err(ModelError::Sha256Format)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Sha256Digest {
    type Error = ModelError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Sha256Digest::parse(&text)
    }
}

impl From<Sha256Digest> for String {
    fn from(digest: Sha256Digest) -> String {
        digest.0
    }
}
