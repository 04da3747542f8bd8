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

/// The built-in policy document.
pub const BUILTIN_POLICY_JSON: &str = include_str!("../data/policy-tables.json");
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

// ---- the JSON document shape ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    schema_version: u32,
    version: String,
    #[serde(default)]
    poverty_standards: Vec<StandardJson>,
    #[serde(default)]
    monitoring_lines: Vec<MonitoringJson>,
    #[serde(default)]
    assistance_standards: Vec<AssistanceJson>,
    #[serde(default)]
    industry_awards: Vec<AwardJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StandardJson {
    region: String,
    year: i32,
    series: StandardSeries,
    yuan_per_person_per_year: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MonitoringJson {
    region: String,
    year: i32,
    rule: MonitoringRuleJson,
    source: String,
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum MonitoringRuleJson {
    MultipleOfStandard { numerator: i64, denominator: i64 },
    Fixed { yuan_per_person_per_year: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssistanceJson {
    region: String,
    kind: AssistanceKind,
    year_from: i32,
    year_to: i32,
    yuan_per_person_per_month: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AwardJson {
    region: String,
    year_from: i32,
    year_to: i32,
    tiers: Vec<AwardTierJson>,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AwardTierJson {
    above_yuan: String,
    award_yuan: String,
}

fn amount(table: &'static str, index: usize, text: &str) -> Result<Fen, PolicyError> {
    Fen::parse_yuan(text).map_err(|error| PolicyError::Amount {
        table,
        index,
        text: text.to_string(),
        error,
    })
}

fn source(table: &'static str, index: usize, text: String) -> Result<String, PolicyError> {
    if text.trim().is_empty() {
        Err(PolicyError::MissingSource { table, index })
    } else {
        Ok(text)
    }
}

fn year_range(table: &'static str, index: usize, from: i32, to: i32) -> Result<(), PolicyError> {
    if from > to {
        Err(PolicyError::YearRange {
            table,
            index,
            from,
            to,
        })
    } else {
        Ok(())
    }
}

fn overlaps(a_from: i32, a_to: i32, b_from: i32, b_to: i32) -> bool {
    a_from <= b_to && b_from <= a_to
}

impl PolicyTables {
    /// The tables shipped with this build (`data/policy-tables.json`).
    pub fn builtin() -> Result<PolicyTables, PolicyError> {
        PolicyTables::from_json(BUILTIN_POLICY_JSON)
    }

    /// Loads and checks a policy document: every row cites a source, amounts parse, year ranges are sane, no two
    /// rows claim the same region/year/kind, award tiers increase.
    pub fn from_json(json: &str) -> Result<PolicyTables, PolicyError> {
        let document: Document =
            serde_json::from_str(json).map_err(|error| PolicyError::Json(error.to_string()))?;
        if document.schema_version != POLICY_SCHEMA_VERSION {
            return Err(PolicyError::SchemaVersion {
                found: document.schema_version,
                supported: POLICY_SCHEMA_VERSION,
            });
        }
        let mut standards: Vec<StandardRow> = Vec::new();
        for (index, row) in document.poverty_standards.into_iter().enumerate() {
            let table = "poverty_standards";
            let parsed = StandardRow {
                region: RegionPath::parse(&row.region),
                year: row.year,
                series: row.series,
                amount: amount(table, index, &row.yuan_per_person_per_year)?,
                source: source(table, index, row.source)?,
            };
            if standards.iter().any(|other| {
                other.region == parsed.region
                    && other.year == parsed.year
                    && other.series == parsed.series
            }) {
                return Err(PolicyError::DuplicateRow { table, index });
            }
            standards.push(parsed);
        }
        let mut monitoring: Vec<MonitoringRow> = Vec::new();
        for (index, row) in document.monitoring_lines.into_iter().enumerate() {
            let table = "monitoring_lines";
            let rule = match row.rule {
                MonitoringRuleJson::MultipleOfStandard {
                    numerator,
                    denominator,
                } => {
                    if numerator <= 0 || denominator <= 0 {
                        return Err(PolicyError::Multiple { table, index });
                    }
                    MonitoringRule::MultipleOfStandard {
                        numerator,
                        denominator,
                    }
                }
                MonitoringRuleJson::Fixed {
                    yuan_per_person_per_year,
                } => MonitoringRule::Fixed(amount(table, index, &yuan_per_person_per_year)?),
            };
            let parsed = MonitoringRow {
                region: RegionPath::parse(&row.region),
                year: row.year,
                rule,
                source: source(table, index, row.source)?,
            };
            if monitoring
                .iter()
                .any(|other| other.region == parsed.region && other.year == parsed.year)
            {
                return Err(PolicyError::DuplicateRow { table, index });
            }
            monitoring.push(parsed);
        }
        let mut assistance: Vec<AssistanceRow> = Vec::new();
        for (index, row) in document.assistance_standards.into_iter().enumerate() {
            let table = "assistance_standards";
            year_range(table, index, row.year_from, row.year_to)?;
            let parsed = AssistanceRow {
                region: RegionPath::parse(&row.region),
                kind: row.kind,
                year_from: row.year_from,
                year_to: row.year_to,
                monthly: amount(table, index, &row.yuan_per_person_per_month)?,
                source: source(table, index, row.source)?,
            };
            if assistance.iter().any(|other| {
                other.region == parsed.region
                    && other.kind == parsed.kind
                    && overlaps(
                        other.year_from,
                        other.year_to,
                        parsed.year_from,
                        parsed.year_to,
                    )
            }) {
                return Err(PolicyError::DuplicateRow { table, index });
            }
            assistance.push(parsed);
        }
        let mut awards: Vec<AwardRow> = Vec::new();
        for (index, row) in document.industry_awards.into_iter().enumerate() {
            let table = "industry_awards";
            year_range(table, index, row.year_from, row.year_to)?;
            let mut tiers = Vec::with_capacity(row.tiers.len());
            for tier in &row.tiers {
                tiers.push(AwardTier {
                    above: amount(table, index, &tier.above_yuan)?,
                    award: amount(table, index, &tier.award_yuan)?,
                });
            }
            let increasing = tiers.windows(2).all(|pair| pair[0].above < pair[1].above);
            if tiers.is_empty() || !increasing {
                return Err(PolicyError::Tiers { table, index });
            }
            let parsed = AwardRow {
                region: RegionPath::parse(&row.region),
                year_from: row.year_from,
                year_to: row.year_to,
                tiers,
                source: source(table, index, row.source)?,
            };
            if awards.iter().any(|other| {
                other.region == parsed.region
                    && overlaps(
                        other.year_from,
                        other.year_to,
                        parsed.year_from,
                        parsed.year_to,
                    )
            }) {
                return Err(PolicyError::DuplicateRow { table, index });
            }
            awards.push(parsed);
        }
        Ok(PolicyTables {
            version: document.version,
            standards,
            monitoring,
            assistance,
            awards,
        })
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(value: &serde_json::Value, into: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(object) => {
                for (key, child) in object {
                    match (key.as_str(), child) {
                        ("source", serde_json::Value::String(source)) => into.push(source.clone()),
                        _ => sources(child, into),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|item| sources(item, into)),
            _ => {}
        }
    }

    /// A helper reads each threshold's source under the number: a document's name and 文号 or a named report, never
    /// a reference into the project's notes.
    #[test]
    fn every_builtin_source_reads_as_a_human_citation() {
        let parsed: serde_json::Value =
            serde_json::from_str(BUILTIN_POLICY_JSON).unwrap_or(serde_json::Value::Null);
        let mut found = Vec::new();
        sources(&parsed, &mut found);
        assert!(found.len() >= 15, "{}", found.len());
        for source in found {
            for code in ["domain.md", "§", "seed 0", "[V", "[U", "(S", " S1", "(C1)"] {
                assert!(!source.contains(code), "{source}");
            }
            assert!(
                source
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{source}"
            );
        }
    }

    fn tables() -> PolicyTables {
        match PolicyTables::builtin() {
            Ok(tables) => tables,
            Err(error) => panic!("built-in tables do not load: {error}"),
        }
    }

    fn yuan(amount: i64) -> Fen {
        Fen::from_fen(amount * 100)
    }

    fn check(lookup: Lookup<Fen>, expected: Option<(i64, &str)>) {
        match (lookup, expected) {
            (Lookup::Found(found), Some((amount, region))) => {
                assert_eq!(
                    (found.value, found.matched_region.to_string()),
                    (yuan(amount), region.to_string())
                );
                assert!(!found.source.is_empty());
            }
            (Lookup::NotConfigured { .. }, None) => {}
            (other, expected) => panic!("got {other:?}, expected {expected:?}"),
        }
    }

    #[test]
    fn national_line_2014_to_2020_is_configured() {
        let national = RegionPath::national();
        for (year, amount) in [
            (2014, 2800),
            (2015, 2968),
            (2016, 3146),
            (2017, 3335),
            (2018, 3535),
            (2019, 3747),
            (2020, 4000),
        ] {
            check(
                tables().poverty_standard(&national, year),
                Some((amount, "全国")),
            );
        }
        check(
            tables().poverty_standard_in(&national, 2016, StandardSeries::NbsMonitoring),
            Some((2952, "全国")),
        );
    }

    #[test]
    fn ziyang_2018_standard_is_3600_and_falls_back_from_a_village() {
        let village = RegionPath::parse("四川省/资阳市/安岳县/某镇/某村");
        check(
            tables().poverty_standard(&village, 2018),
            Some((3600, "四川省/资阳市")),
        );
        // Another year in Ziyang falls back to the national series.
        check(
            tables().poverty_standard(&village, 2019),
            Some((3747, "全国")),
        );
    }

    #[test]
    fn a_year_with_nothing_configured_is_not_configured_never_zero() {
        check(
            tables().poverty_standard(&RegionPath::parse("海南省/海口市"), 2023),
            None,
        );
        check(
            tables().monitoring_line(&RegionPath::parse("海南省/海口市"), 2023),
            None,
        );
        check(
            tables().assistance_standard(
                &RegionPath::parse("海南省/海口市"),
                AssistanceKind::RuralDibao,
                2018,
            ),
            None,
        );
    }

    #[test]
    fn monitoring_line_2020_is_one_and_a_half_times_the_line() {
        check(
            tables().monitoring_line(&RegionPath::parse("海南省/海口市/美兰区"), 2020),
            Some((6000, "全国")),
        );
    }

    #[test]
    fn haikou_dibao_and_tekun_standards_come_from_seed_004() {
        let meilan = RegionPath::parse("海南省/海口市/美兰区/演丰镇");
        check(
            tables().assistance_standard(&meilan, AssistanceKind::RuralDibao, 2016),
            Some((460, "海南省/海口市")),
        );
        check(
            tables().assistance_standard(&meilan, AssistanceKind::RuralDibao, 2020),
            Some((540, "海南省/海口市")),
        );
        check(
            tables().assistance_standard(&meilan, AssistanceKind::Tekun, 2016),
            Some((600, "海南省/海口市")),
        );
        check(
            tables().assistance_standard(&meilan, AssistanceKind::Tekun, 2020),
            Some((800, "海南省/海口市")),
        );
        check(
            tables().assistance_standard(&RegionPath::parse("四川省"), AssistanceKind::Tekun, 2020),
            None,
        );
    }

    #[test]
    fn award_tiers_pay_for_strictly_more_than_the_threshold() {
        let Lookup::Found(tiers) =
            tables().award_tiers(&RegionPath::parse("海南省/海口市/美兰区"), 2020)
        else {
            panic!("Haikou award tiers missing");
        };
        let award =
            |amount: i64| award_for(&tiers.value, Fen::from_fen(amount)).map(|tier| tier.award);
        assert_eq!(award(400_000), None);
        assert_eq!(award(400_001), Some(yuan(1000)));
        assert_eq!(award(800_000), Some(yuan(1000)));
        assert_eq!(award(800_001), Some(yuan(2000)));
        assert_eq!(award(1_000_001), Some(yuan(3000)));
        assert!(matches!(
            tables().award_tiers(&RegionPath::parse("四川省/资阳市"), 2020),
            Lookup::NotConfigured { .. }
        ));
    }

    #[test]
    fn a_replacement_table_without_a_source_is_refused() {
        let json = r#"{"schema_version":1,"version":"x","poverty_standards":[{"region":"","year":2020,"series":"exit_standard","yuan_per_person_per_year":"4000","source":" "}]}"#;
        assert_eq!(
            PolicyTables::from_json(json),
            Err(PolicyError::MissingSource {
                table: "poverty_standards",
                index: 0
            })
        );
    }

    #[test]
    fn a_replacement_table_with_a_bad_amount_or_duplicate_is_refused() {
        let bad_amount = r#"{"schema_version":1,"version":"x","poverty_standards":[{"region":"","year":2020,"series":"exit_standard","yuan_per_person_per_year":"4千","source":"s"}]}"#;
        assert!(matches!(
            PolicyTables::from_json(bad_amount),
            Err(PolicyError::Amount { .. })
        ));
        let duplicate = r#"{"schema_version":1,"version":"x","poverty_standards":[
            {"region":"海南省","year":2020,"series":"exit_standard","yuan_per_person_per_year":"4000","source":"s"},
            {"region":"海南省","year":2020,"series":"exit_standard","yuan_per_person_per_year":"4100","source":"s"}]}"#;
        assert_eq!(
            PolicyTables::from_json(duplicate),
            Err(PolicyError::DuplicateRow {
                table: "poverty_standards",
                index: 1
            })
        );
        assert!(matches!(
            PolicyTables::from_json("{"),
            Err(PolicyError::Json(_))
        ));
        assert!(matches!(
            PolicyTables::from_json(r#"{"schema_version":2,"version":"x"}"#),
            Err(PolicyError::SchemaVersion { found: 2, .. })
        ));
    }

    #[test]
    fn an_admin_table_with_a_provincial_monitoring_line_replaces_the_builtin() {
        let json = r#"{"schema_version":1,"version":"hainan-2023","monitoring_lines":[
            {"region":"海南省","year":2023,"rule":{"kind":"fixed","yuan_per_person_per_year":"6900"},"source":"琼乡振〔2023〕x号 (example)"}]}"#;
        let tables = PolicyTables::from_json(json);
        let line =
            tables.map(|tables| tables.monitoring_line(&RegionPath::parse("海南省/海口市"), 2023));
        assert!(matches!(line, Ok(Lookup::Found(Sourced { value, .. })) if value == yuan(6900)));
    }
}
