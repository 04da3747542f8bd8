//! Policy tables as data: poverty standards, monitoring lines, 低保/特困 standards and industry award tiers by region
//! and year, each row citing its source, with lookup that falls back village → … → province → national.
//!
//! The built-in table is `data/policy-tables.json` (embedded); an admin replaces it by loading another document of
//! the same shape with [`PolicyTables::from_json`]. Nothing configured is [`Lookup::NotConfigured`], never zero.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::model::Address;
use crate::money::{Fen, MoneyError};

mod document;
pub mod lines;
#[cfg(test)]
mod tests;

/// The built-in policy document.
pub const BUILTIN_POLICY_JSON: &str = include_str!("../../data/policy-tables.json");
/// The policy-document schema this build reads.
pub const POLICY_SCHEMA_VERSION: u32 = 1;

/// Why a policy document was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PolicyError {
    #[error("the policy document is not valid JSON of the expected shape: {0}")]
    Json(String),
    #[error("policy schema version {found} is not supported (this build reads {supported})")]
    SchemaVersion { found: u32, supported: u32 },
    #[error("{table}[{index}]: every row must cite its source")]
    MissingSource { table: &'static str, index: usize },
    #[error("{table}[{index}]: amount {text:?} is not valid: {error}")]
    Amount {
        table: &'static str,
        index: usize,
        text: String,
        error: MoneyError,
    },
    #[error("{table}[{index}]: year_from {from} is after year_to {to}")]
    YearRange {
        table: &'static str,
        index: usize,
        from: i32,
        to: i32,
    },
    #[error("{table}[{index}]: a second row for the same region, year and kind")]
    DuplicateRow { table: &'static str, index: usize },
    #[error("{table}[{index}]: award tiers must be non-empty with strictly increasing thresholds")]
    Tiers { table: &'static str, index: usize },
    #[error("{table}[{index}]: the multiple must have a positive numerator and denominator")]
    Multiple { table: &'static str, index: usize },
}

/// A region as the path of names from the province down (`海南省/海口市/美兰区`); the empty path is national.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct RegionPath(Vec<String>);

impl RegionPath {
    pub fn national() -> RegionPath {
        RegionPath(Vec::new())
    }

    /// `海南省/海口市/美兰区`; empty parts and surrounding spaces are dropped; `""` and `全国` are national.
    pub fn parse(text: &str) -> RegionPath {
        RegionPath(
            text.split('/')
                .map(str::trim)
                .filter(|part| !part.is_empty() && *part != "全国")
                .map(str::to_string)
                .collect(),
        )
    }

    /// province / city / county / township / village of an address (empty parts skipped).
    pub fn from_address(address: &Address) -> RegionPath {
        RegionPath(
            [
                &address.province,
                &address.city,
                &address.county,
                &address.township,
                &address.village,
            ]
            .into_iter()
            .map(|part| part.trim())
            .filter(|part| !part.is_empty())
            .map(str::to_string)
            .collect(),
        )
    }

    pub fn parts(&self) -> &[String] {
        &self.0
    }

    pub fn is_national(&self) -> bool {
        self.0.is_empty()
    }

    /// `self` contains `other` (is a prefix of it, or equal).
    pub fn contains(&self, other: &RegionPath) -> bool {
        other.0.len() >= self.0.len() && other.0[..self.0.len()] == self.0[..]
    }
}

impl From<String> for RegionPath {
    fn from(text: String) -> Self {
        RegionPath::parse(&text)
    }
}

impl From<RegionPath> for String {
    fn from(path: RegionPath) -> String {
        path.0.join("/")
    }
}

impl fmt::Display for RegionPath {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            formatter.write_str("全国")
        } else {
            formatter.write_str(&self.0.join("/"))
        }
    }
}

/// Which series of national lines a row belongs to (domain.md §3.1 recommends storing both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StandardSeries {
    /// The 脱贫标准 used locally for exit (2014 line × 1.06ⁿ; provincial standards).
    ExitStandard,
    /// The NBS rural poverty monitoring line at current prices.
    NbsMonitoring,
}

/// 低保 / 特困 kinds of monthly standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssistanceKind {
    /// 农村低保标准
    RuralDibao,
    /// 特困人员基本生活救助标准
    Tekun,
}

/// A found value with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sourced<T> {
    pub value: T,
    /// The region of the row that matched (national = empty).
    pub matched_region: RegionPath,
    pub year: i32,
    /// The row's citation (plus, for derived values, how it was derived).
    pub source: String,
}

/// The result of a policy lookup: a sourced value, or an explicit "no standard configured".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Lookup<T> {
    Found(Sourced<T>),
    NotConfigured { region: RegionPath, year: i32 },
}

impl<T> Lookup<T> {
    pub fn found(&self) -> Option<&Sourced<T>> {
        match self {
            Lookup::Found(sourced) => Some(sourced),
            Lookup::NotConfigured { .. } => None,
        }
    }
}

/// One award tier: more than `above` of 家庭经营性纯收入 earns `award`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardTier {
    pub above: Fen,
    pub award: Fen,
}

/// How a monitoring line is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MonitoringRule {
    /// numerator/denominator × the poverty standard for the same region and year.
    MultipleOfStandard { numerator: i64, denominator: i64 },
    /// A fixed amount per person per year (provincial 监测范围).
    Fixed(Fen),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct StandardRow {
    region: RegionPath,
    year: i32,
    series: StandardSeries,
    amount: Fen,
    source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct MonitoringRow {
    region: RegionPath,
    year: i32,
    rule: MonitoringRule,
    source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct AssistanceRow {
    region: RegionPath,
    kind: AssistanceKind,
    year_from: i32,
    year_to: i32,
    monthly: Fen,
    source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct AwardRow {
    region: RegionPath,
    year_from: i32,
    year_to: i32,
    tiers: Vec<AwardTier>,
    source: String,
}

/// Validated, typed policy tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyTables {
    version: String,
    standards: Vec<StandardRow>,
    monitoring: Vec<MonitoringRow>,
    assistance: Vec<AssistanceRow>,
    awards: Vec<AwardRow>,
}

impl PolicyTables {
    /// The document's version string (shown with every result that used it).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The poverty/exit standard (元/人/年, in fen) for a region and year, series 脱贫标准; the most specific region
    /// containing `region` wins (village → township → county → city → province → national).
    pub fn poverty_standard(&self, region: &RegionPath, year: i32) -> Lookup<Fen> {
        self.poverty_standard_in(region, year, StandardSeries::ExitStandard)
    }

    /// Like [`PolicyTables::poverty_standard`] for a chosen series.
    pub fn poverty_standard_in(
        &self,
        region: &RegionPath,
        year: i32,
        series: StandardSeries,
    ) -> Lookup<Fen> {
        most_specific(
            self.standards
                .iter()
                .filter(|row| row.year == year && row.series == series),
            |row| &row.region,
            region,
        )
        .map_or_else(
            || Lookup::NotConfigured {
                region: region.clone(),
                year,
            },
            |row| {
                Lookup::Found(Sourced {
                    value: row.amount,
                    matched_region: row.region.clone(),
                    year,
                    source: row.source.clone(),
                })
            },
        )
    }

    /// The 监测范围 (元/人/年) for a region and year. A multiple-of-standard rule is computed from the standard of
    /// the same region and year (rounded half away from zero to the fen); both sources are cited.
    pub fn monitoring_line(&self, region: &RegionPath, year: i32) -> Lookup<Fen> {
        let not_configured = Lookup::NotConfigured {
            region: region.clone(),
            year,
        };
        let Some(row) = most_specific(
            self.monitoring.iter().filter(|row| row.year == year),
            |row| &row.region,
            region,
        ) else {
            return not_configured;
        };
        match row.rule {
            MonitoringRule::Fixed(amount) => Lookup::Found(Sourced {
                value: amount,
                matched_region: row.region.clone(),
                year,
                source: row.source.clone(),
            }),
            MonitoringRule::MultipleOfStandard {
                numerator,
                denominator,
            } => match self.poverty_standard(region, year) {
                Lookup::Found(standard) => match standard
                    .value
                    .mul_div_round(numerator, denominator)
                {
                    Some(value) => Lookup::Found(Sourced {
                        value,
                        matched_region: row.region.clone(),
                        year,
                        source: format!(
                            "{} × {numerator}/{denominator} of the standard {} 元 ({}: {})",
                            row.source, standard.value, standard.matched_region, standard.source
                        ),
                    }),
                    None => not_configured,
                },
                Lookup::NotConfigured { .. } => not_configured,
            },
        }
    }

    /// A monthly 低保 / 特困 standard (元/人/月) for a region and year.
    pub fn assistance_standard(
        &self,
        region: &RegionPath,
        kind: AssistanceKind,
        year: i32,
    ) -> Lookup<Fen> {
        most_specific(
            self.assistance
                .iter()
                .filter(|row| row.kind == kind && (row.year_from..=row.year_to).contains(&year)),
            |row| &row.region,
            region,
        )
        .map_or_else(
            || Lookup::NotConfigured {
                region: region.clone(),
                year,
            },
            |row| {
                Lookup::Found(Sourced {
                    value: row.monthly,
                    matched_region: row.region.clone(),
                    year,
                    source: row.source.clone(),
                })
            },
        )
    }

    /// The industry award tiers in force for a region and year.
    pub fn award_tiers(&self, region: &RegionPath, year: i32) -> Lookup<Vec<AwardTier>> {
        most_specific(
            self.awards
                .iter()
                .filter(|row| (row.year_from..=row.year_to).contains(&year)),
            |row| &row.region,
            region,
        )
        .map_or_else(
            || Lookup::NotConfigured {
                region: region.clone(),
                year,
            },
            |row| {
                Lookup::Found(Sourced {
                    value: row.tiers.clone(),
                    matched_region: row.region.clone(),
                    year,
                    source: row.source.clone(),
                })
            },
        )
    }
}

/// The row whose region contains `region` with the longest path.
fn most_specific<'a, Row>(
    rows: impl Iterator<Item = &'a Row>,
    region_of: impl Fn(&Row) -> &RegionPath,
    region: &RegionPath,
) -> Option<&'a Row> {
    rows.filter(|row| region_of(row).contains(region))
        .max_by_key(|row| region_of(row).parts().len())
}

/// The award for a 家庭经营性纯收入: the highest tier whose threshold it strictly exceeds ("超过", seeds 002/004).
pub fn award_for(tiers: &[AwardTier], business_net: Fen) -> Option<AwardTier> {
    tiers
        .iter()
        .rev()
        .find(|tier| business_net > tier.above)
        .copied()
}
