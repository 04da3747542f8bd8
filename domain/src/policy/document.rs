//! The policy document's JSON shape (`data/policy-tables.json`) and the checks that turn it into [`PolicyTables`]:
//! every row cites its source, amounts parse, year ranges are sane, no two rows claim the same region/year/kind.

use serde::Deserialize;

use super::{
    AssistanceKind, AssistanceRow, AwardRow, AwardTier, BUILTIN_POLICY_JSON, MonitoringRow,
    MonitoringRule, POLICY_SCHEMA_VERSION, PolicyError, PolicyTables, RegionPath, StandardRow,
    StandardSeries,
};
use crate::money::Fen;

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
}
