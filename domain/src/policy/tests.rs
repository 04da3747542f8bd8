//! The built-in tables load, lookups fall back to the most specific region, and bad documents are refused.

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
    let award = |amount: i64| award_for(&tiers.value, Fen::from_fen(amount)).map(|tier| tier.award);
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
