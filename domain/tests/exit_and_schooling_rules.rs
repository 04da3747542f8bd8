//! Table-driven tests of the colours and checks that must tell the truth, each with its boundary stated:
//! 未核算 and 未配置 instead of a silent green, the seeds' yellow criteria, one compulsory-education rule for risk and
//! validation, and the rigid-spending share. The exit checks of 预脱贫 are in `pre_exit_rules.rs`.

mod rule_case;

use rule_case::{policy, validation_report, yuan};
use time::Date;
use time::macros::date;
use zoufang_domain::income::{IncomeLine, IncomeLineKind, IncomeSheet, compute_income};
use zoufang_domain::model::*;
use zoufang_domain::money::Fen;
use zoufang_domain::risk::*;
use zoufang_domain::sample;
use zoufang_domain::validation::*;

/// The green sample household (海口市美兰区, 4 people, 2020 income 9300 元 a head) assessed on `today` with `sheet`.
fn assess(household: &Household, sheet: Option<&IncomeSheet>, today: Date) -> RiskAssessment {
    let policy = policy();
    let report = sheet.map(|sheet| {
        compute_income(sheet, household, &policy).unwrap_or_else(|error| panic!("{error}"))
    });
    assess_risk(
        &RiskInputs {
            household,
            plan: None,
            income: report.as_ref(),
            previous_per_capita: None,
            today,
        },
        &RiskRuleSet::default(),
    )
}

fn codes(assessment: &RiskAssessment) -> Vec<&str> {
    assessment
        .triggered
        .iter()
        .map(|rule| rule.code.as_str())
        .collect()
}

fn reason<'a>(assessment: &'a RiskAssessment, code: &str) -> &'a TriggeredRule {
    assessment
        .triggered
        .iter()
        .find(|rule| rule.code == code)
        .unwrap_or_else(|| panic!("{code} did not fire: {:#?}", assessment.triggered))
}

/// Reasons are sentences: no rule code, no document section, no Rust debug output.
fn assert_plain(rule: &TriggeredRule) {
    for text in [&rule.reason_zh, &rule.reason_en] {
        assert!(!text.is_empty());
        assert!(
            !text.contains(&rule.code) && !text.contains("domain.md") && !text.contains('§'),
            "{text}"
        );
        assert!(!text.contains("Some(") && !text.contains("{ "), "{text}");
    }
}

#[test]
fn without_the_accounting_years_income_the_colour_is_not_accounted_never_green() {
    let household = sample::household();
    let sheet_2020 = sample::income_sheet(&household);
    let mut sheet_2018 = sheet_2020.clone();
    sheet_2018.year = 2018;
    // (sheet, today, colour, words in the zh reason). The accounting year is the last full calendar year.
    let cases: [(Option<&IncomeSheet>, Date, RiskColour, &[&str]); 6] = [
        (
            None,
            date!(2021 - 12 - 01),
            RiskColour::NotAccounted,
            &["2020年收入尚未核算"],
        ),
        (
            Some(&sheet_2018),
            date!(2020 - 12 - 01),
            RiskColour::NotAccounted,
            &["2018年", "2019年收入尚未核算"],
        ),
        // Boundary: the first day of the year after the sheet's year, and the last.
        (
            Some(&sheet_2020),
            date!(2021 - 01 - 01),
            RiskColour::Green,
            &[],
        ),
        (
            Some(&sheet_2020),
            date!(2021 - 12 - 31),
            RiskColour::Green,
            &[],
        ),
        // A sheet for the year that is still running counts too (a year-end accounting).
        (
            Some(&sheet_2020),
            date!(2020 - 12 - 01),
            RiskColour::Green,
            &[],
        ),
        // Boundary: from the first day of the second year after it, the 2020 sheet is an older year's.
        (
            Some(&sheet_2020),
            date!(2022 - 01 - 01),
            RiskColour::NotAccounted,
            &["2020年", "2021年收入尚未核算"],
        ),
    ];
    for (sheet, today, colour, words) in cases {
        let assessment = assess(&household, sheet, today);
        assert_eq!(
            assessment.colour, colour,
            "{today}: {:#?}",
            assessment.triggered
        );
        if colour == RiskColour::NotAccounted {
            let rule = reason(&assessment, "NOT-ACCOUNTED");
            assert_plain(rule);
            for word in words {
                assert!(rule.reason_zh.contains(word), "{}", rule.reason_zh);
            }
        } else {
            assert!(
                assessment.triggered.is_empty(),
                "{:#?}",
                assessment.triggered
            );
        }
    }
}

#[test]
fn an_older_years_income_is_not_judged_against_this_years_lines() {
    // A 2018 sheet far below the line, assessed in 2020 (accounting year 2019): not 红 on 2018's figures, but 未核算.
    let household = sample::household();
    let mut sheet = sample::income_sheet(&household);
    sheet.year = 2018;
    sheet.lines[0].amount = yuan(1_000);
    let assessment = assess(&household, Some(&sheet), sample::TODAY);
    assert_eq!(codes(&assessment), ["NOT-ACCOUNTED"]);
}

#[test]
fn a_found_risk_outranks_not_accounted_and_the_missing_income_is_still_said() {
    let mut monitored = sample::household();
    monitored.monitoring_category = Some(MonitoringCategory::EdgeProne);
    let assessment = assess(&monitored, None, sample::TODAY);
    assert_eq!(assessment.colour, RiskColour::Red);
    assert_eq!(
        codes(&assessment),
        ["RED-MONITORED-HOUSEHOLD", "NOT-ACCOUNTED"]
    );

    let mut shocked = sample::household();
    shocked.sudden_events.push(SuddenEvent {
        kind: SuddenEventKind::Epidemic,
        occurred_on: date!(2020 - 02 - 01),
        note: "新冠肺炎疫情，无法外出务工".into(),
    });
    let assessment = assess(&shocked, None, sample::TODAY);
    assert_eq!(assessment.colour, RiskColour::Yellow);
    assert_eq!(
        codes(&assessment),
        ["YELLOW-EXTERNAL-SHOCK", "NOT-ACCOUNTED"]
    );
}

#[test]
fn a_year_without_a_standard_or_monitoring_line_says_not_configured_never_green() {
    let household = sample::household();
    // The built-in tables have a national standard for 2014–2020 and a monitoring line for 2020 only.
    // (year, lines the reason names, lines it must not name)
    let cases: [(i32, &[&str], &[&str]); 3] = [
        (2019, &["监测范围"], &["扶贫标准"]),
        (2021, &["扶贫标准", "监测范围"], &[]),
        (2020, &[], &["扶贫标准", "监测范围"]),
    ];
    for (year, named, not_named) in cases {
        let mut sheet = sample::income_sheet(&household);
        sheet.year = year;
        let today = Date::from_calendar_date(year, time::Month::June, 1)
            .unwrap_or_else(|error| panic!("{error}"));
        let assessment = assess(&household, Some(&sheet), today);
        let reasons: Vec<&TriggeredRule> = assessment
            .triggered
            .iter()
            .filter(|rule| rule.code == "NOT-CONFIGURED")
            .collect();
        assert_eq!(
            reasons.len(),
            named.len(),
            "{year}: {:#?}",
            assessment.triggered
        );
        if named.is_empty() {
            assert_eq!(assessment.colour, RiskColour::Green, "{year}");
            continue;
        }
        assert_eq!(assessment.colour, RiskColour::NotConfigured, "{year}");
        let text: String = reasons.iter().map(|rule| rule.reason_zh.as_str()).collect();
        for line in named {
            assert!(
                text.contains(line) && text.contains(&format!("{year}年")),
                "{text}"
            );
        }
        for line in not_named {
            assert!(!text.contains(line), "{text}");
        }
        for rule in reasons {
            assert_plain(rule);
            assert_eq!(rule.colour, RiskColour::NotConfigured);
        }
    }
}

#[test]
fn epidemics_and_animal_diseases_are_yellow_for_twelve_months_unless_something_red_holds() {
    let event = |kind, occurred_on| SuddenEvent {
        kind,
        occurred_on,
        note: String::new(),
    };
    let today = sample::TODAY; // 2020-12-01
    // (event, colour). The yellow window is the last 365 days: 2019-12-02 is the first day inside it.
    let cases = [
        (event(SuddenEventKind::Epidemic, today), RiskColour::Yellow),
        (
            event(SuddenEventKind::AnimalDisease, date!(2020 - 09 - 02)),
            RiskColour::Yellow,
        ),
        (
            event(SuddenEventKind::AnimalDisease, date!(2019 - 12 - 02)),
            RiskColour::Yellow,
        ),
        (
            event(SuddenEventKind::AnimalDisease, date!(2019 - 12 - 01)),
            RiskColour::Green,
        ),
        // Other sudden events within 90 days are red; 2020-09-02 is the first day inside that window.
        (
            event(SuddenEventKind::Accident, date!(2020 - 09 - 02)),
            RiskColour::Red,
        ),
        (
            event(SuddenEventKind::Accident, date!(2020 - 09 - 01)),
            RiskColour::Green,
        ),
    ];
    for (sudden, colour) in cases {
        let mut household = sample::household();
        let sheet = sample::income_sheet(&household);
        household.sudden_events.push(sudden.clone());
        let assessment = assess(&household, Some(&sheet), today);
        assert_eq!(
            assessment.colour, colour,
            "{sudden:?}: {:#?}",
            assessment.triggered
        );
        if colour == RiskColour::Yellow {
            assert_eq!(codes(&assessment), ["YELLOW-EXTERNAL-SHOCK"]);
            assert_plain(reason(&assessment, "YELLOW-EXTERNAL-SHOCK"));
        }
    }
    // Red still wins when a red criterion holds too.
    let mut household = sample::household();
    let mut sheet = sample::income_sheet(&household);
    sheet.lines[0].amount = yuan(5_000);
    household
        .sudden_events
        .push(event(SuddenEventKind::AnimalDisease, date!(2020 - 11 - 01)));
    let assessment = assess(&household, Some(&sheet), today);
    assert_eq!(assessment.colour, RiskColour::Red);
    assert!(codes(&assessment).contains(&"YELLOW-EXTERNAL-SHOCK"));
}

/// The sample with no stable worker and a family business netting `business_net` 元 (planting minus its cost).
fn weak_industry_case(business_net: Fen, city: &str) -> (Household, IncomeSheet) {
    let mut household = sample::household();
    household.address.city = city.into();
    household.members[0].work.months = WorkMonths::new(3).unwrap_or_default();
    let mut sheet = sample::income_sheet(&household);
    sheet.lines[1] = IncomeLine::new(
        IncomeLineKind::Planting,
        Fen::from_fen(business_net.fen() + yuan(2_000).fen()),
    );
    (household, sheet)
}

#[test]
fn a_token_family_industry_does_not_clear_the_weak_industry_criterion() {
    // In 海口 (2016–2020) the line is the lowest industry-award threshold of the policy tables: 超过4000元.
    // Elsewhere (三亚市 has no award tiers) the rule set's labelled project value of 4000 元 applies. Exactly at the
    // line is still weak.
    let cases = [
        (yuan(300), true),
        (yuan(4_000), true),
        (Fen::from_fen(400_001), false),
        (yuan(6_000), false),
    ];
    for city in ["海口市", "三亚市"] {
        for (business_net, weak) in cases {
            let (household, sheet) = weak_industry_case(business_net, city);
            let assessment = assess(&household, Some(&sheet), sample::TODAY);
            let fired = codes(&assessment).contains(&"YELLOW-WEAK-INDUSTRY-AND-EMPLOYMENT");
            assert_eq!(
                fired, weak,
                "{city} {business_net}: {:#?}",
                assessment.triggered
            );
            if weak {
                assert_eq!(assessment.colour, RiskColour::Yellow);
                let rule = reason(&assessment, "YELLOW-WEAK-INDUSTRY-AND-EMPLOYMENT");
                assert_plain(rule);
                assert!(
                    rule.reason_zh.contains(&format!("{business_net}元"))
                        && rule.reason_zh.contains("4000.00元"),
                    "{}",
                    rule.reason_zh
                );
                assert!(rule.source.contains("4000元"), "{}", rule.source);
            }
        }
    }
    // The project value is data: a county can set its own line.
    let (household, sheet) = weak_industry_case(yuan(300), "三亚市");
    let policy = policy();
    let report =
        compute_income(&sheet, &household, &policy).unwrap_or_else(|error| panic!("{error}"));
    let mut rules = RiskRuleSet::default();
    assert!(rules.weak_industry_line.source.contains("项目取值"));
    rules.weak_industry_line.parameter = Some(200);
    let assessment = assess_risk(
        &RiskInputs {
            household: &household,
            plan: None,
            income: Some(&report),
            previous_per_capita: None,
            today: sample::TODAY,
        },
        &rules,
    );
    assert!(!codes(&assessment).contains(&"YELLOW-WEAK-INDUSTRY-AND-EMPLOYMENT"));
}

#[test]
fn the_rigid_spending_reason_states_the_households_own_share() {
    // Net income 37 200 元 (sample). (self-paid spending in 元, fires, share in the reason). Fires at 50% and up.
    let cases = [
        (23_064, true, "62%"),
        (18_600, true, "50%"),
        (18_599, false, ""),
    ];
    for (self_paid, fires, share) in cases {
        let household = sample::household();
        let mut sheet = sample::income_sheet(&household);
        sheet.lines[5].amount = yuan(self_paid);
        let assessment = assess(&household, Some(&sheet), sample::TODAY);
        let fired = codes(&assessment).contains(&"RED-RIGID-SPENDING");
        assert_eq!(fired, fires, "{self_paid}");
        if fires {
            let rule = reason(&assessment, "RED-RIGID-SPENDING");
            assert_plain(rule);
            assert!(
                rule.reason_zh.contains(&format!("的{share}")),
                "{}",
                rule.reason_zh
            );
            assert!(
                rule.reason_en.contains(&format!("is {share} of")),
                "{}",
                rule.reason_en
            );
        }
    }
}

#[test]
fn one_compulsory_education_rule_for_risk_and_validation() {
    let today = sample::TODAY; // 2020-12-01
    let student = |stage| SchoolStatus::new(stage, None).ok().map(Schooling::Student);
    // (birth date → age on today, schooling, healthy, out of compulsory school)
    let cases = [
        (
            date!(2014 - 12 - 02),
            student(SchoolStage::PreschoolAgeChild),
            true,
            false,
        ), // 5
        (
            date!(2014 - 12 - 01),
            student(SchoolStage::Preschool),
            true,
            false,
        ), // 6 today
        (
            date!(2014 - 12 - 01),
            student(SchoolStage::PreschoolAgeChild),
            true,
            true,
        ), // 6, in no school
        (
            date!(2014 - 12 - 01),
            student(SchoolStage::Primary),
            true,
            false,
        ), // 6
        (
            date!(2013 - 12 - 01),
            student(SchoolStage::Preschool),
            true,
            true,
        ), // 7
        (
            date!(2010 - 06 - 01),
            student(SchoolStage::Preschool),
            true,
            true,
        ), // 10: 学前教育 is not school
        (
            date!(2010 - 06 - 01),
            student(SchoolStage::Primary),
            true,
            false,
        ), // 10
        (
            date!(2010 - 06 - 01),
            student(SchoolStage::Preschool),
            false,
            false,
        ), // 10, disabled
        (
            date!(2005 - 12 - 01),
            Some(Schooling::Education(EducationLevel::Primary)),
            true,
            true,
        ), // 15 today
        (
            date!(2005 - 12 - 01),
            student(SchoolStage::JuniorHigh),
            true,
            false,
        ), // 15
        (
            date!(2004 - 12 - 01),
            Some(Schooling::Education(EducationLevel::JuniorHigh)),
            true,
            false,
        ), // 16 today
    ];
    for (birth_date, schooling, healthy, out) in cases {
        let mut household = sample::household();
        let sheet = sample::income_sheet(&household);
        let child = &mut household.members[2];
        child.birth_date = birth_date;
        child.id_number = sample::make_id_number("460108", birth_date, 5);
        child.schooling = schooling;
        child.labour = None;
        if !healthy {
            child.health = HealthStatus::new([HealthCondition::Disability]).unwrap_or_default();
            child.disability_certificate = None;
        }
        let age = age_on(birth_date, today);
        assert_eq!(
            out_of_compulsory_school(&household.members[2], today),
            out.then_some(age),
            "aged {age}, {schooling:?}"
        );
        let validation = validation_report(&household, &sheet, today);
        let warned = validation
            .at("members[2].schooling")
            .any(|finding| finding.code.as_str() == "MB-COMPULSORY-AGE-NOT-IN-SCHOOL");
        let risk = assess(&household, Some(&sheet), today);
        let red = risk
            .triggered
            .iter()
            .any(|rule| rule.code == "RED-GUARANTEE-FAILING" && rule.reason_zh.contains("王小海"));
        assert_eq!(warned, out, "validation, aged {age}, {schooling:?}");
        assert_eq!(
            red, out,
            "risk, aged {age}, {schooling:?}: {:#?}",
            risk.triggered
        );
    }
}
