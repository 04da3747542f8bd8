//! Every stored or wire type survives a JSON round trip unchanged, and versioned records refuse future versions.

use serde::Serialize;
use serde::de::DeserializeOwned;
use time::macros::{date, datetime};
use uuid::Uuid;
use zoufang_domain::id_number::parse_id_number;
use zoufang_domain::income::{IncomeLineKind, compute_income};
use zoufang_domain::labels::Locale;
use zoufang_domain::model::*;
use zoufang_domain::money::{Centi, Fen};
use zoufang_domain::policy::{PolicyTables, RegionPath};
use zoufang_domain::risk::{RiskInputs, RiskRuleSet, assess_risk};
use zoufang_domain::sample;
use zoufang_domain::validation::{ValidationConfig, ValidationContext, validate_household};

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let json =
        serde_json::to_string(value).unwrap_or_else(|error| panic!("serialise {value:?}: {error}"));
    let back: T =
        serde_json::from_str(&json).unwrap_or_else(|error| panic!("deserialise {json}: {error}"));
    assert_eq!(&back, value, "{json}");
}

#[test]
fn household_plan_income_sheet_and_their_parts_round_trip() {
    let household = sample::household();
    round_trip(&household);
    round_trip(&household.members);
    round_trip(&household.checklist);
    round_trip(&household.causes);
    round_trip(&household.helpers);
    round_trip(&sample::plan(&household));
    round_trip(&sample::income_sheet(&household));
    let (big, plan, sheet) = sample::large_household(20, 50);
    round_trip(&big);
    round_trip(&plan);
    round_trip(&sheet);
    round_trip(&Membership::Excluded(ExclusionReason::Conscript));
    round_trip(&Membership::CountsWhileAway(AwayReason::MigrantWork));
    round_trip(&SchoolStatus::new(SchoolStage::JuniorHigh, Some(3)).ok());
    round_trip(
        &HealthStatus::new([HealthCondition::Disability, HealthCondition::ChronicDisease]).ok(),
    );
    round_trip(&Ethnicity::LI);
    round_trip(&WorkMonths::new(12).ok());
}

#[test]
fn reports_assessments_and_rule_sets_round_trip() {
    let policy = PolicyTables::builtin().unwrap_or_else(|error| panic!("{error}"));
    let household = sample::household();
    let plan = sample::plan(&household);
    let sheet = sample::income_sheet(&household);
    let income =
        compute_income(&sheet, &household, &policy).unwrap_or_else(|error| panic!("{error}"));
    round_trip(&income);
    let config = ValidationConfig::default();
    round_trip(&config);
    let mut broken = household.clone();
    broken.members[0].name.clear();
    let context = ValidationContext {
        today: sample::TODAY,
        policy: &policy,
        config: &config,
    };
    let report = validate_household(&broken, Some(&plan), Some(&sheet), &context);
    assert!(!report.findings.is_empty());
    round_trip(&report);
    let rules = RiskRuleSet::default();
    round_trip(&rules);
    let inputs = RiskInputs {
        household: &household,
        plan: Some(&plan),
        income: Some(&income),
        previous_per_capita: None,
        today: sample::TODAY,
    };
    round_trip(&assess_risk(&inputs, &rules));
    round_trip(&parse_id_number("11010519491231002X42").ok());
    round_trip(&RegionPath::parse("海南省/海口市"));
    round_trip(&Fen::from_fen(-12));
    round_trip(&Centi::from_hundredths(1_234));
    round_trip(&Locale::ZhCn);
    round_trip(&IncomeLineKind::ALL.to_vec());
}

#[test]
fn visit_evidence_and_night_school_round_trip() {
    let confirmation = HouseholdConfirmation {
        method: ConfirmationMethod::OralRecorded,
        confirmed_by: "王海".into(),
        confirmed_at: datetime!(2020 - 11 - 30 10:00 +08:00),
        signature_evidence: Some(EvidenceId(Uuid::from_u128(9))),
    };
    let visit = VisitLog {
        schema_version: CURRENT_SCHEMA_VERSION,
        id: VisitId(Uuid::from_u128(1)),
        household_id: HouseholdId(Uuid::from_u128(2)),
        purposes: vec![
            VisitPurpose::IncomeAccounting,
            VisitPurpose::GuaranteesCheck,
        ],
        visitor_ids: vec![UserId(Uuid::from_u128(3)), UserId(Uuid::from_u128(4))],
        started_at: datetime!(2020 - 11 - 30 09:00 +08:00),
        ended_at: datetime!(2020 - 11 - 30 10:00 +08:00),
        notes: "入户核实收入".into(),
        issues_found: vec!["母亲慢病卡未办".into()],
        follow_ups: vec![FollowUp {
            text: "协助办理慢病卡".into(),
            due_on: Some(date!(2020 - 12 - 15)),
            done: false,
        }],
        household_confirmation: Some(confirmation),
        evidence: vec![EvidenceId(Uuid::from_u128(9))],
    };
    round_trip(&visit);
    let gps =
        GpsFix::new(19.99, 110.55, 12.5, GpsSource::Gnss).unwrap_or_else(|error| panic!("{error}"));
    let evidence = Evidence {
        schema_version: CURRENT_SCHEMA_VERSION,
        id: EvidenceId(Uuid::from_u128(9)),
        visit_id: Some(visit.id),
        kind: EvidenceKind::SitePhoto,
        taken_at: datetime!(2020 - 11 - 30 09:30 +08:00),
        gps: Some(gps),
        sha256: Sha256Digest::parse(&"AB".repeat(32)).unwrap_or_else(|error| panic!("{error}")),
        bytes: 123_456,
        width: Some(1280),
        height: Some(960),
        caption: "住房外观".into(),
    };
    round_trip(&evidence);
    assert_eq!(evidence.sha256.as_str(), "ab".repeat(32));
    let point = TeachingPoint {
        id: TeachingPointId(Uuid::from_u128(5)),
        village_id: VillageId(Uuid::from_u128(6)),
        name: "演东村教学点".into(),
        location: "村委会".into(),
        administrator_id: None,
        roster: vec![HouseholdId(Uuid::from_u128(2))],
    };
    round_trip(&point);
    let session = Session {
        schema_version: CURRENT_SCHEMA_VERSION,
        id: SessionId(Uuid::from_u128(7)),
        teaching_point_id: point.id,
        date: date!(2020 - 11 - 30),
        episode: Some(208),
        topic: "防返贫政策".into(),
        discussion_notes: "群众点单：莲雾病虫害".into(),
        attendance: vec![Attendance {
            household_id: HouseholdId(Uuid::from_u128(2)),
            present_member_ids: vec![],
            status: AttendanceStatus::Excused,
            absence_reason: Some(AbsenceReason::Illness),
            absence_note: String::new(),
            recorded_by: UserId(Uuid::from_u128(3)),
            recorded_at: datetime!(2020 - 11 - 30 20:01 +08:00),
        }],
        confirmed_by: Some(UserId(Uuid::from_u128(8))),
        training_requests: vec![TrainingRequest {
            household_id: Some(HouseholdId(Uuid::from_u128(2))),
            topic: "莲雾病虫害".into(),
        }],
        hotline_referrals: vec![HotlineReferral {
            household_id: None,
            question: "小额信贷贴息".into(),
        }],
        market_sales: vec![MarketSale {
            seller_household_id: HouseholdId(Uuid::from_u128(2)),
            product: "土鸡蛋 30 个".into(),
            amount: zoufang_domain::money::Fen::from_fen(4_500),
        }],
    };
    round_trip(&session);
}

#[test]
fn constructors_refuse_bad_raw_input_with_typed_errors() {
    assert_eq!(
        GpsFix::new(91.0, 0.0, 1.0, GpsSource::Network),
        Err(ModelError::GpsOutOfRange)
    );
    assert_eq!(
        GpsFix::new(f64::NAN, 0.0, 1.0, GpsSource::Network),
        Err(ModelError::GpsOutOfRange)
    );
    assert_eq!(
        GpsFix::new(0.0, 0.0, -1.0, GpsSource::Network),
        Err(ModelError::GpsAccuracy)
    );
    assert_eq!(Sha256Digest::parse("xyz"), Err(ModelError::Sha256Format));
    assert_eq!(
        WorkMonths::new(13),
        Err(ModelError::WorkMonthsOutOfRange { months: 13 })
    );
    assert_eq!(
        HealthStatus::new([HealthCondition::Healthy, HealthCondition::Disability]),
        Err(ModelError::HealthyWithCondition)
    );
    assert_eq!(
        SchoolStatus::new(SchoolStage::JuniorHigh, Some(4)),
        Err(ModelError::SchoolYear {
            stage: SchoolStage::JuniorHigh,
            year: 4
        })
    );
    assert_eq!(
        Ethnicity::from_code(57),
        Err(ModelError::EthnicityCode { code: 57 })
    );
    assert!(serde_json::from_str::<WorkMonths>("13").is_err());
    assert!(serde_json::from_str::<HealthStatus>(r#"["healthy","disability"]"#).is_err());
    assert!(
        serde_json::from_str::<GpsFix>(
            r#"{"latitude":100.0,"longitude":0.0,"accuracy_m":1.0,"source":"gnss"}"#
        )
        .is_err()
    );
    assert_eq!(check_schema_version(CURRENT_SCHEMA_VERSION), Ok(()));
    assert_eq!(
        check_schema_version(CURRENT_SCHEMA_VERSION + 1),
        Err(ModelError::UnsupportedSchemaVersion {
            found: CURRENT_SCHEMA_VERSION + 1,
            supported: CURRENT_SCHEMA_VERSION
        })
    );
    let mut sheet = sample::income_sheet(&sample::household());
    sheet.schema_version = 99;
    let policy = PolicyTables::builtin().unwrap_or_else(|error| panic!("{error}"));
    assert!(compute_income(&sheet, &sample::household(), &policy).is_err());
}

#[test]
fn the_bank_account_is_masked_in_debug_output() {
    let household = sample::household();
    let debug = format!("{household:?}");
    assert!(!debug.contains("6228480000000000000"));
    assert_eq!(
        household
            .bank_account
            .map(|account| account.account_number.masked()),
        Some("***************0000".to_string())
    );
}
