//! The exit checks of 预脱贫 are those of 已脱贫 (below the standard → error, 算账式 dependence on transfers →
//! warning), each with its boundary stated, and the 算账式 warning names the base it computes on.

mod rule_case;

use rule_case::*;
use zoufang_domain::income::{IncomeLine, IncomeLineKind};

#[test]
fn pre_exit_gets_the_same_exit_checks_as_exited() {
    // Per-capita income of the sample is 9300 元 against the 2020 standard of 4000 元 (4 people): the standard is
    // cleared only above it, so 16 000 元 of net income (4000 a head) is below and 16 000.04 is not.
    let statuses = [
        (PovertyStatus::PreExit, true),
        (PovertyStatus::ExitedWithPolicy, true),
        (PovertyStatus::ExitedNoPolicy, true),
        (PovertyStatus::NotExited, false),
    ];
    // (migrant wage replacing 30 000 元, below the standard)
    let incomes = [
        (yuan(8_800), true),
        (Fen::from_fen(880_004), false),
        (yuan(30_000), false),
    ];
    for (status, checked) in statuses {
        for (wage, below) in incomes {
            let mut household = sample::household();
            household.poverty_status = status;
            let mut sheet = sample::income_sheet(&household);
            sheet.lines[0].amount = wage;
            let report = validation_report(&household, &sheet, sample::TODAY);
            let finding = report
                .findings
                .iter()
                .find(|finding| finding.code.as_str() == "HH-EXIT-BELOW-STANDARD");
            assert_eq!(finding.is_some(), checked && below, "{status:?} {wage}");
            if let Some(finding) = finding {
                assert_eq!(finding.severity, Severity::Error);
                assert!(
                    finding.message_zh.contains("4000.00元"),
                    "{}",
                    finding.message_zh
                );
                assert!(
                    !finding.message_zh.contains("domain.md"),
                    "{}",
                    finding.message_zh
                );
            }
        }
        // Without an income sheet an exit (or a planned one) cannot be checked.
        let mut household = sample::household();
        household.poverty_status = status;
        let report = validate(&Case {
            household,
            plan: None,
            sheet: None,
        });
        assert_eq!(report.has("HH-EXIT-NO-INCOME"), checked, "{status:?}");
    }
}

#[test]
fn the_exit_on_paper_warning_names_gross_income_as_its_base_and_fires_above_half() {
    // Gross (年收入, before business costs) = wage + 8000 planting + 1200 pension + dibao; transfers = pension +
    // dibao. With a wage of 0: gross 9200 + dibao, transfer 1200 + dibao. The share is taken in ‰ rounded down and
    // warns above 500‰: dibao 6800 is exactly half, 6832 is 500.99‰ (500), 6833 is 501.0‰.
    let cases = [
        (6_800, false),
        (6_832, false),
        (6_833, true),
        (20_000, true),
    ];
    for status in [PovertyStatus::PreExit, PovertyStatus::ExitedWithPolicy] {
        for (dibao, warns) in cases {
            let mut household = sample::household();
            household.poverty_status = status;
            household.attribute = PovertyAttribute::DibaoExited;
            household.members[0].dibao = true;
            household.members[0].work = WorkRecord::default();
            let mut sheet = sample::income_sheet(&household);
            sheet.lines[0].amount = Fen::ZERO;
            sheet
                .lines
                .push(IncomeLine::new(IncomeLineKind::Dibao, yuan(dibao)));
            let report = validation_report(&household, &sheet, sample::TODAY);
            let finding = report
                .findings
                .iter()
                .find(|finding| finding.code.as_str() == "HH-EXIT-TRANSFER-DEPENDENT");
            assert_eq!(finding.is_some(), warns, "{status:?} dibao {dibao}");
            if let Some(finding) = finding {
                assert_eq!(finding.severity, Severity::Warning);
                assert!(
                    finding
                        .message_zh
                        .starts_with("年收入(未扣除生产经营性支出)中")
                        && !finding.message_zh.contains("纯收入中"),
                    "{}",
                    finding.message_zh
                );
                assert!(
                    finding.message_en.contains("of gross income"),
                    "{}",
                    finding.message_en
                );
            }
        }
    }
}
