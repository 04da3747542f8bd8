//! Income accounting: the formula, rounding, exclusions, overrides and comparisons, with properties.

use super::*;
use crate::money::MAX_TYPED_FEN;
use crate::policy::{PolicyTables, RegionPath};
use proptest::prelude::*;
use uuid::Uuid;

fn policy() -> PolicyTables {
    match PolicyTables::builtin() {
        Ok(tables) => tables,
        Err(error) => panic!("{error}"),
    }
}

fn yuan(amount: i64) -> Fen {
    Fen::from_fen(amount * 100)
}

fn sheet(year: i32, lines: Vec<IncomeLine>) -> IncomeSheet {
    let mut sheet = IncomeSheet::new(IncomeSheetId(Uuid::nil()), HouseholdId(Uuid::nil()), year);
    sheet.lines = lines;
    sheet
}

fn compute(year: i32, size: u32, region: &str, lines: Vec<IncomeLine>) -> IncomeReport {
    match compute_income_for(
        &sheet(year, lines),
        size,
        &RegionPath::parse(region),
        &policy(),
    ) {
        Ok(report) => report,
        Err(error) => panic!("{error}"),
    }
}

#[test]
fn net_income_is_the_formula_of_section_2_1() {
    let report = compute(
        2020,
        4,
        "海南省/海口市/美兰区",
        vec![
            IncomeLine::new(IncomeLineKind::MigrantWork, yuan(12_000)),
            IncomeLine::new(IncomeLineKind::Planting, yuan(6_000)),
            IncomeLine::new(IncomeLineKind::PlantingCost, yuan(1_500)),
            IncomeLine::new(IncomeLineKind::AssetDividend, yuan(500)),
            IncomeLine::new(IncomeLineKind::Pension, yuan(1_200)),
            IncomeLine::new(IncomeLineKind::InsuranceClaim, yuan(3_000)),
            IncomeLine::new(IncomeLineKind::MedicalSelfPay, yuan(2_000)),
        ],
    );
    assert_eq!(report.gross, yuan(19_700));
    assert_eq!(report.net, yuan(18_200));
    assert_eq!(report.per_capita, yuan(4_550));
    assert_eq!(report.excluded_total, yuan(3_000));
    assert_eq!(report.rigid_expenditure, yuan(2_000));
    assert_eq!(report.business_net, yuan(4_500));
    assert!(
        matches!(&report.standard, ComparisonOutcome::Compared(c) if c.above && c.margin == yuan(550))
    );
    assert!(
        matches!(&report.monitoring, ComparisonOutcome::Compared(c) if !c.above && c.line.value == yuan(6_000))
    );
    assert!(
        matches!(&report.award, AwardOutcome::Evaluated { tier: Some(tier), .. } if tier.award == yuan(1_000))
    );
    let claim = &report.lines[5];
    assert_eq!(
        (claim.decision, claim.exclusion_ground),
        (
            LineDecision::Excluded,
            Some(ExclusionGround::InsuranceClaim)
        )
    );
}

#[test]
fn per_capita_rounds_half_away_from_zero() {
    let report = compute(
        2020,
        3,
        "",
        vec![IncomeLine::new(
            IncomeLineKind::MigrantWork,
            Fen::from_fen(100),
        )],
    );
    assert_eq!(report.per_capita, Fen::from_fen(33));
    let report = compute(
        2020,
        2,
        "",
        vec![IncomeLine::new(
            IncomeLineKind::MigrantWork,
            Fen::from_fen(1),
        )],
    );
    assert_eq!(report.per_capita, Fen::from_fen(1));
    let negative = compute(
        2020,
        2,
        "",
        vec![IncomeLine::new(
            IncomeLineKind::PlantingCost,
            Fen::from_fen(1),
        )],
    );
    assert_eq!(negative.per_capita, Fen::from_fen(-1));
}

#[test]
fn an_override_with_reason_counts_an_excluded_line_as_one_off() {
    let mut award = IncomeLine::new(IncomeLineKind::IndustryAward, yuan(1_000));
    award.treatment_override = Some(TreatmentOverride {
        counts_toward_net_income: true,
        reason: "本地以奖代补计入".into(),
    });
    let report = compute(
        2020,
        1,
        "",
        vec![
            award,
            IncomeLine::new(IncomeLineKind::MigrantWork, yuan(4_000)),
        ],
    );
    assert_eq!(report.net, yuan(5_000));
    assert_eq!(report.transfer_and_one_off, yuan(1_000));
    assert_eq!(report.transfer_share_per_mille, Some(200));
}

#[test]
fn ziyang_2018_compares_with_3600() {
    let report = compute(
        2018,
        1,
        "四川省/资阳市/雁江区",
        vec![IncomeLine::new(IncomeLineKind::MigrantWork, yuan(3_600))],
    );
    assert!(
        matches!(&report.standard, ComparisonOutcome::Compared(c) if !c.above && c.line.value == yuan(3_600))
    );
    assert!(matches!(report.award, AwardOutcome::NotConfigured { .. }));
    assert!(matches!(
        report.monitoring,
        ComparisonOutcome::NotConfigured { .. }
    ));
}

#[test]
fn errors_are_typed() {
    let bad = compute_income_for(
        &sheet(
            2020,
            vec![IncomeLine::new(
                IncomeLineKind::MigrantWork,
                Fen::from_fen(-1),
            )],
        ),
        1,
        &RegionPath::national(),
        &policy(),
    );
    assert_eq!(
        bad.map(|report| report.net),
        Err(IncomeError::AmountOutOfRange {
            index: 0,
            amount: -1
        })
    );
    let empty = compute_income_for(&sheet(2020, vec![]), 0, &RegionPath::national(), &policy());
    assert_eq!(
        empty.map(|report| report.net),
        Err(IncomeError::NoCountedMembers)
    );
}

fn line_strategy(max: i64) -> impl Strategy<Value = IncomeLine> {
    (
        0..IncomeLineKind::ALL.len(),
        0..=max,
        any::<bool>(),
        proptest::option::of(any::<bool>()),
    )
        .prop_map(|(kind, amount, one_off, override_counts)| IncomeLine {
            kind: IncomeLineKind::ALL[kind],
            amount: Fen::from_fen(amount),
            note: String::new(),
            member_id: None,
            one_off,
            treatment_override: override_counts.map(|counts| TreatmentOverride {
                counts_toward_net_income: counts,
                reason: "r".into(),
            }),
        })
}

proptest! {
    #[test]
    fn net_equals_counted_lines_minus_costs(lines in proptest::collection::vec(line_strategy(MAX_TYPED_FEN), 0..40), size in 1u32..30) {
        let report = compute(2020, size, "", lines);
        let counted: i128 = report.lines.iter().filter(|line| matches!(line.decision, LineDecision::Counted(_))).map(|line| i128::from(line.amount.fen())).sum();
        let deducted: i128 = report.lines.iter().filter(|line| line.decision == LineDecision::Deducted).map(|line| i128::from(line.amount.fen())).sum();
        prop_assert_eq!(i128::from(report.net.fen()), counted - deducted);
        prop_assert_eq!(report.gross, Fen::checked_sum([report.wage, report.business_income, report.property, report.transfer]).unwrap_or(Fen::ZERO));
    }

    #[test]
    fn per_capita_times_size_is_net_within_half_the_size(lines in proptest::collection::vec(line_strategy(MAX_TYPED_FEN), 0..40), size in 1u32..30) {
        let report = compute(2020, size, "", lines);
        let difference = (i128::from(report.per_capita.fen()) * i128::from(size) - i128::from(report.net.fen())).abs();
        prop_assert!(difference <= i128::from(size / 2), "difference {} size {}", difference, size);
    }

    #[test]
    fn adding_an_excluded_line_never_changes_net(lines in proptest::collection::vec(line_strategy(MAX_TYPED_FEN), 0..30), extra in 0..=MAX_TYPED_FEN, pick in 0usize..1000) {
        let excluded: Vec<IncomeLineKind> = IncomeLineKind::ALL.iter().copied().filter(|kind| matches!(kind.default_treatment(), DefaultTreatment::Excluded(_) | DefaultTreatment::RigidExpenditure)).collect();
        let before = compute(2020, 3, "海南省/海口市", lines.clone());
        let mut more = lines;
        more.push(IncomeLine::new(excluded[pick % excluded.len()], Fen::from_fen(extra)));
        let after = compute(2020, 3, "海南省/海口市", more);
        prop_assert_eq!(before.net, after.net);
        prop_assert_eq!(before.per_capita, after.per_capita);
    }

    #[test]
    fn any_amounts_give_a_result_or_a_typed_error(amounts in proptest::collection::vec(any::<i64>(), 0..20), kinds in proptest::collection::vec(0..IncomeLineKind::ALL.len(), 20), size in 0u32..5) {
        let lines = amounts.iter().zip(&kinds).map(|(&amount, &kind)| IncomeLine::new(IncomeLineKind::ALL[kind], Fen::from_fen(amount))).collect();
        let result = compute_income_for(&sheet(2020, lines), size, &RegionPath::national(), &policy());
        if let Err(error) = result {
            let expected = matches!(error, IncomeError::AmountOutOfRange { .. } | IncomeError::NoCountedMembers | IncomeError::Overflow);
            prop_assert!(expected, "unexpected {:?}", error);
        }
    }
}
