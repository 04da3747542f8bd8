//! A deterministic sample household (Haikou, 2020) with plan and income sheet: for tests, benchmarks and demos.
//!
//! Ids come from fixed numbers, never from a random generator; the sample passes every validation rule.

use time::macros::{date, datetime};
use time::{Date, Duration};
use uuid::Uuid;

use crate::id_number::check_character;
use crate::income::{IncomeLine, IncomeLineKind, IncomeSheet};
use crate::model::*;
use crate::money::{Centi, Fen};

/// The date the sample is valid on.
pub const TODAY: Date = date!(2020 - 12 - 01);

fn id(kind: u128, index: u128) -> Uuid {
    Uuid::from_u128((kind << 64) | index)
}

fn yuan(amount: i64) -> Fen {
    Fen::from_fen(amount * 100)
}

/// A valid 18-digit ID number for a region code, birth date and 3-digit sequence (odd = male).
pub fn make_id_number(region: &str, birth_date: Date, sequence: u16) -> String {
    let body = format!(
        "{region:0>6}{:04}{:02}{:02}{:03}",
        birth_date.year(),
        birth_date.month() as u8,
        birth_date.day(),
        sequence % 1000
    );
    let check = check_character(body.as_bytes()).unwrap_or('0');
    format!("{body}{check}")
}

/// A member born on `birth_date` with a matching valid ID number.
pub fn member(index: u128, name: &str, relation: Relation, sex: Sex, birth_date: Date) -> Member {
    let sequence = (index as u16 % 400) * 2 + if sex == Sex::Male { 1 } else { 0 };
    Member {
        id: MemberId(id(2, index)),
        name: name.to_string(),
        id_number: make_id_number("460108", birth_date, sequence),
        disability_certificate: None,
        relation,
        sex,
        birth_date,
        ethnicity: Some(Ethnicity::HAN),
        political_status: Some(PoliticalStatus::Masses),
        schooling: Some(Schooling::Education(EducationLevel::JuniorHigh)),
        health: HealthStatus::healthy(),
        labour: Some(LabourAbility::Ordinary),
        work: WorkRecord::default(),
        insurance: InsuranceFlags {
            resident_medical: true,
            critical_illness: true,
            resident_pension: true,
            ..InsuranceFlags::default()
        },
        dibao: false,
        tekun: false,
        membership: Membership::Counts,
    }
}

fn passed(note: &str) -> ChecklistEntry {
    ChecklistEntry {
        status: CheckStatus::Pass,
        note: note.to_string(),
        evidence: Vec::new(),
    }
}

/// A four-member 一般脱贫户 in 美兰区 that exited in 2019, main cause 因病.
pub fn household() -> Household {
    let mut head = member(0, "王海", Relation::Head, Sex::Male, date!(1970 - 05 - 01));
    head.work = WorkRecord {
        location: WorkLocation::OutsideProvince,
        months: WorkMonths::new(10).unwrap_or_default(),
    };
    let mut spouse = member(
        1,
        "李梅",
        Relation::Spouse,
        Sex::Female,
        date!(1972 - 03 - 15),
    );
    spouse.health = HealthStatus::new([HealthCondition::ChronicDisease]).unwrap_or_default();
    spouse.labour = Some(LabourAbility::Weak);
    spouse.schooling = Some(Schooling::Education(EducationLevel::Primary));
    let mut son = member(2, "王小海", Relation::Son, Sex::Male, date!(2008 - 09 - 10));
    son.schooling = SchoolStatus::new(SchoolStage::JuniorHigh, Some(1))
        .ok()
        .map(Schooling::Student);
    son.labour = None;
    let mut mother = member(
        3,
        "陈兰",
        Relation::Mother,
        Sex::Female,
        date!(1945 - 01 - 20),
    );
    mother.health = HealthStatus::new([HealthCondition::SeriousIllness]).unwrap_or_default();
    mother.labour = Some(LabourAbility::NoLabour);
    mother.schooling = Some(Schooling::Education(EducationLevel::Illiterate));
    Household {
        schema_version: CURRENT_SCHEMA_VERSION,
        id: HouseholdId(id(1, 0)),
        household_code: "4601080010010001".to_string(),
        address: Address {
            province: "海南省".into(),
            city: "海口市".into(),
            county: "美兰区".into(),
            township: "演丰镇".into(),
            village: "演东村".into(),
            group: "一组".into(),
        },
        attribute: PovertyAttribute::GeneralExited,
        identification_standard: Some(IdentificationStandard::National),
        poverty_status: PovertyStatus::ExitedWithPolicy,
        exit_year: Some(2019),
        first_identified_on: Some(date!(2016 - 03 - 01)),
        monitoring_category: None,
        land: LandAreas {
            cultivated: Centi::from_hundredths(350),
            forest: Centi::from_hundredths(200),
            ..LandAreas::default()
        },
        housing: Housing {
            area_m2: Centi::from_hundredths(8_000),
            structure: Some(HousingStructure::BrickConcrete),
            danger_grade: DangerGrade::B,
            safe_housing_way: Some(SafeHousingWay::OwnSafeHouse),
        },
        water: WaterSupply {
            safe_drinking_water: true,
            water_difficulty: false,
            piped_into_home: true,
        },
        electricity: Electricity {
            production: true,
            domestic: true,
            broadcast_tv: true,
        },
        road: RoadAccess {
            distance_to_main_road_km: Centi::from_hundredths(50),
            road_type: Some(RoadType::Hardened),
        },
        fuel: Some(FuelType::Gas),
        sanitary_toilet: true,
        linkage: Linkage {
            cooperative: true,
            ..Linkage::default()
        },
        bank_account: Some(BankAccount {
            bank_name: "海南农信".into(),
            account_number: Sensitive("6228480000000000000".into()),
        }),
        helpers: vec![HelperAssignment {
            user_id: Some(UserId(id(3, 0))),
            name: "张帮扶".into(),
            unit: "海口市某局".into(),
            position: "科员".into(),
            phone: "13800000000".into(),
            unit_level: UnitLevel::Municipal,
            started_on: date!(2017 - 01 - 01),
            ended_on: None,
        }],
        members: vec![head, spouse, son, mother],
        causes: PovertyCauses::new(
            Some(PovertyCause::Illness),
            vec![PovertyCause::LackOfSkills],
        )
        .unwrap_or_default(),
        checklist: Checklist {
            food: passed("米面油肉蛋齐全"),
            clothing: passed("四季衣被齐全"),
            compulsory_education: passed("儿子在读初一"),
            basic_medical: passed("全家参加医保和大病保险"),
            housing_safety: passed("B级砖混房"),
            drinking_water: passed("自来水入户"),
        },
        sudden_events: Vec::new(),
    }
}

/// The household's 2020 plan: industry and employment measures, a confirmed effect.
pub fn plan(household: &Household) -> Plan {
    let industry = Measure {
        id: MeasureId(id(4, 0)),
        category: MeasureCategory::Industry,
        content: "种植莲雾".into(),
        scale: "2 亩".into(),
        funds: yuan(5_000),
        responsible_unit: "演丰镇政府".into(),
        responsible_person: "李镇长".into(),
        deadline: Some(date!(2020 - 10 - 31)),
        expected_extra_income: yuan(6_000),
        status: MeasureStatus::Completed,
        evidence: Vec::new(),
    };
    let employment = Measure {
        id: MeasureId(id(4, 1)),
        category: MeasureCategory::Employment,
        content: "户主外出务工交通补贴".into(),
        scale: "1 人".into(),
        funds: yuan(500),
        responsible_unit: "美兰区人社局".into(),
        responsible_person: "王科长".into(),
        deadline: Some(date!(2020 - 06 - 30)),
        expected_extra_income: yuan(20_000),
        status: MeasureStatus::Completed,
        evidence: Vec::new(),
    };
    Plan {
        schema_version: CURRENT_SCHEMA_VERSION,
        id: PlanId(id(5, 0)),
        household_id: household.id,
        year: 2020,
        needs: vec!["母亲大病用药".into(), "莲雾种植技术".into()],
        target_per_capita_income: Some(yuan(8_000)),
        effects: vec![EffectEntry {
            id: EffectId(id(6, 0)),
            measure_id: Some(industry.id),
            date: date!(2020 - 11 - 01),
            content: "莲雾收获销售".into(),
            actual_extra_income: yuan(6_000),
            confirmation: Some(HouseholdConfirmation {
                method: ConfirmationMethod::Signature,
                confirmed_by: "王海".into(),
                confirmed_at: datetime!(2020 - 11 - 01 10:00 +08:00),
                signature_evidence: None,
            }),
        }],
        measures: vec![industry, employment],
    }
}

/// The household's 2020 income: 人均纯收入 9300 元.
pub fn income_sheet(household: &Household) -> IncomeSheet {
    let mut sheet = IncomeSheet::new(IncomeSheetId(id(7, 0)), household.id, 2020);
    sheet.lines = vec![
        IncomeLine::new(IncomeLineKind::MigrantWork, yuan(30_000)),
        IncomeLine::new(IncomeLineKind::Planting, yuan(8_000)),
        IncomeLine::new(IncomeLineKind::PlantingCost, yuan(2_000)),
        IncomeLine::new(IncomeLineKind::Pension, yuan(1_200)),
        IncomeLine::new(IncomeLineKind::MedicalReimbursement, yuan(15_000)),
        IncomeLine::new(IncomeLineKind::MedicalSelfPay, yuan(4_000)),
    ];
    sheet
}

/// A household of `members` members (head, spouse, then children and relatives) with a plan of `measures` measures
/// and an income sheet, all valid: the benchmark's workload.
pub fn large_household(members: usize, measures: usize) -> (Household, Plan, IncomeSheet) {
    let mut household = household();
    household.members.truncate(2);
    let relations = [
        Relation::Son,
        Relation::Daughter,
        Relation::DaughterInLaw,
        Relation::Grandson,
        Relation::Granddaughter,
    ];
    for index in 2..members {
        let relation = relations[index % relations.len()];
        let sex = relation.implied_sex().unwrap_or(Sex::Male);
        let birth_date = date!(1995 - 01 - 01) + Duration::days(index as i64 * 37);
        household.members.push(member(
            index as u128,
            &format!("成员{index}"),
            relation,
            sex,
            birth_date,
        ));
    }
    household.land.cultivated = Centi::from_hundredths(100 * members as u32);
    let mut plan = plan(&household);
    let template = plan.measures[0].clone();
    while plan.measures.len() < measures {
        let mut measure = template.clone();
        measure.id = MeasureId(id(4, plan.measures.len() as u128));
        plan.measures.push(measure);
    }
    plan.measures.truncate(measures.max(1));
    let mut sheet = income_sheet(&household);
    for index in 0..members {
        let mut line = IncomeLine::new(IncomeLineKind::MigrantWork, yuan(3_000 + index as i64));
        line.member_id = household.members.get(index).map(|member| member.id);
        sheet.lines.push(line);
    }
    (household, plan, sheet)
}
