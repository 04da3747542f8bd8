//! Poverty standards and monitoring lines an administrator sets per region and year, each with the document that
//! sets it (文号, title, date), laid over a policy document: a configured line replaces the document's row for the
//! same region and year, and its source names the document (or says it is a demo value, not policy).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::Date;

use super::{PolicyError, RegionPath};
use crate::money::Fen;

/// Which line a configured row sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// 脱贫标准 (元/人/年), series `exit_standard`.
    Standard,
    /// 监测范围 (元/人/年), a fixed amount.
    Monitoring,
}

impl LineKind {
    pub fn code(self) -> &'static str {
        match self {
            LineKind::Standard => "standard",
            LineKind::Monitoring => "monitoring",
        }
    }

    pub fn from_code(code: &str) -> Option<LineKind> {
        match code {
            "standard" => Some(LineKind::Standard),
            "monitoring" => Some(LineKind::Monitoring),
            _ => None,
        }
    }
}

/// The document that sets a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicySource {
    /// 文号, e.g. `琼乡振发〔2026〕3号`.
    pub number: String,
    pub title: String,
    /// The document's date.
    pub date: Date,
}

impl PolicySource {
    /// A source with every part given; `None` when the number or title is blank.
    pub fn new(number: &str, title: &str, date: Date) -> Option<PolicySource> {
        let (number, title) = (number.trim(), title.trim());
        (!number.is_empty() && !title.is_empty()).then(|| PolicySource {
            number: number.to_owned(),
            title: title.to_owned(),
            date,
        })
    }
}

/// One configured line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfiguredLine {
    pub kind: LineKind,
    pub region: RegionPath,
    pub year: i32,
    /// 元/人/年, in fen.
    pub amount: Fen,
    pub source: PolicySource,
    /// A made-up value for the demo village: its source says so.
    pub is_demo: bool,
}

impl ConfiguredLine {
    /// The citation shown with every result that used the line.
    pub fn citation(&self) -> String {
        let document = format!(
            "{}《{}》（{}）",
            self.source.number, self.source.title, self.source.date
        );
        if self.is_demo {
            format!("演示数值，不是政策：{document}")
        } else {
            document
        }
    }
}

/// `document` (a policy document as JSON) with the configured lines laid over it: each replaces the rows of the same
/// table, region and year (series `exit_standard` for standards) and is added with its citation. The result is
/// checked again when it is parsed; an error here only means the base was not an object of the expected shape.
pub fn overlay(mut document: Value, lines: &[ConfiguredLine]) -> Result<Value, PolicyError> {
    let shape = || PolicyError::Json("the policy document is not an object with row lists".into());
    let object = document.as_object_mut().ok_or_else(shape)?;
    for line in lines {
        let region = String::from(line.region.clone());
        let (table, row) = match line.kind {
            LineKind::Standard => (
                "poverty_standards",
                json!({
                    "region": region,
                    "year": line.year,
                    "series": "exit_standard",
                    "yuan_per_person_per_year": line.amount.to_string(),
                    "source": line.citation(),
                }),
            ),
            LineKind::Monitoring => (
                "monitoring_lines",
                json!({
                    "region": region,
                    "year": line.year,
                    "rule": { "kind": "fixed", "yuan_per_person_per_year": line.amount.to_string() },
                    "source": line.citation(),
                }),
            ),
        };
        let rows = object
            .entry(table)
            .or_insert_with(|| Value::Array(Vec::new()))
            .as_array_mut()
            .ok_or_else(shape)?;
        rows.retain(|existing| {
            let same_place = RegionPath::parse(existing["region"].as_str().unwrap_or_default())
                == line.region
                && existing["year"].as_i64() == Some(i64::from(line.year));
            let same_series = line.kind == LineKind::Monitoring
                || existing["series"].as_str() == Some("exit_standard");
            !(same_place && same_series)
        });
        rows.push(row);
    }
    if !lines.is_empty()
        && let Some(version) = object.get("version").and_then(Value::as_str)
    {
        let version = format!("{version}+{}lines", lines.len());
        object.insert("version".into(), Value::String(version));
    }
    Ok(document)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{BUILTIN_POLICY_JSON, Lookup, PolicyTables};
    use time::macros::date;

    fn line(kind: LineKind, region: &str, year: i32, yuan: i64, is_demo: bool) -> ConfiguredLine {
        ConfiguredLine {
            kind,
            region: RegionPath::parse(region),
            year,
            amount: Fen::from_fen(yuan * 100),
            source: PolicySource::new(
                "琼乡振发〔2026〕3号",
                "关于2026年度脱贫标准的通知",
                date!(2026 - 03 - 01),
            )
            .unwrap_or_else(|| panic!("a complete source")),
            is_demo,
        }
    }

    fn tables(lines: &[ConfiguredLine]) -> PolicyTables {
        let base: Value = serde_json::from_str(BUILTIN_POLICY_JSON).unwrap_or(Value::Null);
        let overlaid = overlay(base, lines).unwrap_or(Value::Null);
        PolicyTables::from_json(&overlaid.to_string())
            .unwrap_or_else(|error| panic!("the overlaid document loads: {error}"))
    }

    #[test]
    fn a_source_needs_a_document_number_and_title() {
        assert!(PolicySource::new(" ", "标题", date!(2026 - 01 - 01)).is_none());
        assert!(PolicySource::new("文号", "", date!(2026 - 01 - 01)).is_none());
        assert!(PolicySource::new("文号", "标题", date!(2026 - 01 - 01)).is_some());
    }

    #[test]
    fn configured_lines_are_found_for_their_region_and_year_with_their_document() {
        let hainan = RegionPath::parse("海南省/海口市/琼山区");
        assert!(matches!(
            PolicyTables::builtin().map(|t| t.poverty_standard(&hainan, 2026)),
            Ok(Lookup::NotConfigured { .. })
        ));
        let tables = tables(&[
            line(LineKind::Standard, "海南省", 2026, 4800, false),
            line(LineKind::Monitoring, "海南省", 2026, 7200, true),
        ]);
        let Lookup::Found(standard) = tables.poverty_standard(&hainan, 2026) else {
            panic!("the standard is configured");
        };
        assert_eq!(standard.value, Fen::from_fen(480_000));
        assert!(
            standard.source.contains("琼乡振发〔2026〕3号"),
            "{}",
            standard.source
        );
        assert!(!standard.source.contains("演示"));
        let Lookup::Found(monitoring) = tables.monitoring_line(&hainan, 2026) else {
            panic!("the monitoring line is configured");
        };
        assert_eq!(monitoring.value, Fen::from_fen(720_000));
        assert!(
            monitoring.source.starts_with("演示数值，不是政策"),
            "{}",
            monitoring.source
        );
        assert!(tables.version().ends_with("+2lines"));
    }

    #[test]
    fn a_configured_line_replaces_the_built_in_row_of_the_same_region_and_year() {
        let tables = tables(&[line(LineKind::Standard, "", 2020, 4100, false)]);
        let found = tables.poverty_standard(&RegionPath::national(), 2020);
        assert_eq!(found.found().map(|f| f.value), Some(Fen::from_fen(410_000)));
        // The other series of that year is untouched.
        let nbs = tables.poverty_standard_in(
            &RegionPath::national(),
            2016,
            crate::policy::StandardSeries::NbsMonitoring,
        );
        assert!(nbs.found().is_some());
    }
}
