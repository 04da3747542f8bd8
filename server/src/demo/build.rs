//! Building blocks of the demo households: members described briefly and completed (ids, ID numbers,
//! certificates) when a household is put together, the helpers, checklist entries, land and causes.

use time::Date;
use time::macros::date;
use uuid::Uuid;
use zoufang_domain::model::*;
use zoufang_domain::money::Centi;
use zoufang_domain::sample::make_id_number;

use super::village::DemoHousehold;
use super::{DEMO_LOGINS, DEMO_REGION_CODE, demo_id, demo_user_id};

// ---- building members ----

pub(super) const M: Sex = Sex::Male;
pub(super) const F: Sex = Sex::Female;

/// A member being described; ids and ID numbers are given when the household is put together.
pub(super) struct P {
    member: Member,
    /// 残疾类别 (1 视力 … 7 多重) and 残疾等级 (1–4) for the 残疾人证 number.
    certificate: Option<(u8, u8)>,
}

/// A healthy adult of ordinary labour, 初中, 汉族, 群众, in 城乡居民医保 + 大病保险 + 城乡居民养老保险.
pub(super) fn p(name: &str, relation: Relation, sex: Sex, birth_date: Date) -> P {
    // The domain's sample member is exactly this person; the seed sets the id and ID number later.
    let mut member = zoufang_domain::sample::member(0, name, relation, sex, birth_date);
    member.id = MemberId(Uuid::nil());
    member.id_number = String::new();
    P {
        member,
        certificate: None,
    }
}

impl P {
    pub(super) fn education(mut self, level: EducationLevel) -> P {
        self.member.schooling = Some(Schooling::Education(level));
        self
    }

    /// In school: 无劳动力 while studying, no pension insurance.
    pub(super) fn student(mut self, stage: SchoolStage, year: Option<u8>) -> P {
        self.member.schooling = SchoolStatus::new(stage, year).ok().map(Schooling::Student);
        self.member.labour = Some(LabourAbility::NoLabour);
        self.member.insurance.resident_pension = false;
        self
    }

    pub(super) fn health(mut self, conditions: &[HealthCondition]) -> P {
        self.member.health = HealthStatus::new(conditions.iter().copied()).unwrap_or_default();
        self
    }

    /// 残疾 (added to any illness already given), with a 残疾人证.
    pub(super) fn disabled(mut self, category: u8, grade: u8) -> P {
        let conditions: Vec<HealthCondition> = self
            .member
            .health
            .conditions()
            .filter(|condition| *condition != HealthCondition::Healthy)
            .chain([HealthCondition::Disability])
            .collect();
        self.member.health = HealthStatus::new(conditions).unwrap_or_default();
        self.certificate = Some((category, grade));
        self
    }

    pub(super) fn labour(mut self, labour: LabourAbility) -> P {
        self.member.labour = Some(labour);
        self
    }

    pub(super) fn works(mut self, location: WorkLocation, months: u8) -> P {
        self.member.work = WorkRecord {
            location,
            months: WorkMonths::new(months).unwrap_or_default(),
        };
        self
    }

    pub(super) fn away(mut self, reason: AwayReason) -> P {
        self.member.membership = Membership::CountsWhileAway(reason);
        self
    }

    pub(super) fn dibao(mut self) -> P {
        self.member.dibao = true;
        self
    }

    pub(super) fn tekun(mut self) -> P {
        self.member.tekun = true;
        self
    }

    pub(super) fn party_member(mut self) -> P {
        self.member.political_status = Some(PoliticalStatus::CpcMember);
        self
    }

    pub(super) fn li(mut self) -> P {
        self.member.ethnicity = Some(Ethnicity::LI);
        self
    }

    pub(super) fn medical_assistance(mut self) -> P {
        self.member.insurance.medical_assistance = true;
        self
    }

    /// 城镇职工医保 instead of 城乡居民, and no 大病保险 ticked.
    pub(super) fn employee_insurance_only(mut self) -> P {
        self.member.insurance = InsuranceFlags {
            employee_medical: true,
            ..InsuranceFlags::default()
        };
        self
    }

    /// Gives the member a fixed id and a valid ID number (and 残疾人证 number) from its position in the village.
    pub(super) fn finish(self, household_number: u32, ordinal: u32) -> Member {
        let mut member = self.member;
        member.id = MemberId(demo_id(5, household_number * 100 + ordinal));
        let male = u16::from(member.sex == Sex::Male);
        let sequence = (household_number * 10 + ordinal) as u16 * 2 + male;
        member.id_number = make_id_number(DEMO_REGION_CODE, member.birth_date, sequence);
        member.disability_certificate = self
            .certificate
            .map(|(category, grade)| format!("{}{category}{grade}", member.id_number));
        member
    }
}

// ---- building households ----

struct HelperInfo {
    unit: &'static str,
    position: &'static str,
    unit_level: UnitLevel,
}

/// Units of the three demo helpers (`DEMO_LOGINS[0..3]`).
const HELPER_UNITS: [HelperInfo; 3] = [
    HelperInfo {
        unit: "海口市琼山区农业农村局",
        position: "科员",
        unit_level: UnitLevel::County,
    },
    HelperInfo {
        unit: "琼山区三门坡镇人民政府",
        position: "副镇长",
        unit_level: UnitLevel::Township,
    },
    HelperInfo {
        unit: "海口市琼山区教育局",
        position: "科长",
        unit_level: UnitLevel::County,
    },
];

/// The date the three demo helpers took over (the 2021 rotation after 脱贫攻坚).
const HELPERS_SINCE: Date = date!(2021 - 04 - 01);

pub(super) fn helper(index: usize) -> HelperAssignment {
    let unit = &HELPER_UNITS[index];
    HelperAssignment {
        user_id: Some(UserId(demo_user_id(index))),
        name: DEMO_LOGINS[index].name.to_owned(),
        unit: unit.unit.to_owned(),
        position: unit.position.to_owned(),
        phone: DEMO_LOGINS[index].phone.to_owned(),
        unit_level: unit.unit_level,
        started_on: HELPERS_SINCE,
        ended_on: None,
    }
}

/// The helper before the 2021 rotation (no account in the app).
pub(super) fn former_helper() -> HelperAssignment {
    HelperAssignment {
        user_id: None,
        name: "吴国华".to_owned(),
        unit: "海口市琼山区民政局".to_owned(),
        position: "科员".to_owned(),
        phone: "13900000017".to_owned(),
        unit_level: UnitLevel::County,
        started_on: date!(2016 - 05 - 01),
        // Periods are inclusive: the former helper's ends the day before the rotation.
        ended_on: HELPERS_SINCE.previous_day(),
    }
}

pub(super) fn pass(note: &str) -> ChecklistEntry {
    ChecklistEntry {
        status: CheckStatus::Pass,
        note: note.to_owned(),
        evidence: Vec::new(),
    }
}

pub(super) fn fail(note: &str) -> ChecklistEntry {
    ChecklistEntry {
        status: CheckStatus::Fail,
        note: note.to_owned(),
        evidence: Vec::new(),
    }
}

pub(super) fn mu(hundredths: u32) -> Centi {
    Centi::from_hundredths(hundredths)
}

pub(super) fn causes(main: PovertyCause, secondary: &[PovertyCause]) -> PovertyCauses {
    PovertyCauses::new(Some(main), secondary.to_vec()).unwrap_or_default()
}

/// A 一般脱贫户 that exited in 2019 with everything in order: B-grade brick house, piped water, hardened road, all
/// six checklist items passed. Each household below changes what differs.
pub(super) fn household(
    number: u32,
    group: &str,
    helper_index: usize,
    members: Vec<P>,
) -> Household {
    let members = members
        .into_iter()
        .zip(1..)
        .map(|(member, ordinal)| member.finish(number, ordinal))
        .collect();
    Household {
        schema_version: CURRENT_SCHEMA_VERSION,
        id: HouseholdId(demo_id(4, number)),
        // 户编号: region, township 106, village 012, four-digit sequence.
        household_code: format!("{DEMO_REGION_CODE}106012{number:04}"),
        address: Address {
            province: "海南省".to_owned(),
            city: "海口市".to_owned(),
            county: "琼山区".to_owned(),
            township: "三门坡镇".to_owned(),
            village: "清泉村".to_owned(),
            group: group.to_owned(),
        },
        attribute: PovertyAttribute::GeneralExited,
        identification_standard: Some(IdentificationStandard::National),
        poverty_status: PovertyStatus::ExitedWithPolicy,
        exit_year: Some(2019),
        first_identified_on: Some(date!(2016 - 03 - 15)),
        monitoring_category: None,
        land: LandAreas {
            cultivated: mu(300),
            forest: mu(500),
            orchard: mu(200),
            ..LandAreas::default()
        },
        housing: Housing {
            area_m2: Centi::from_hundredths(9_000),
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
            distance_to_main_road_km: mu(30),
            road_type: Some(RoadType::Hardened),
        },
        fuel: Some(FuelType::Gas),
        sanitary_toilet: true,
        linkage: Linkage {
            cooperative: true,
            ..Linkage::default()
        },
        bank_account: Some(BankAccount {
            bank_name: "海南省农村信用社".to_owned(),
            account_number: Sensitive(format!("622131000000{number:07}")),
        }),
        helpers: vec![helper(helper_index)],
        members,
        causes: causes(PovertyCause::LackOfFunds, &[]),
        checklist: Checklist {
            food: pass("米、油、肉、蛋充足，自种蔬菜"),
            clothing: pass("四季衣被齐全"),
            compulsory_education: pass("无义务教育阶段适龄儿童"),
            basic_medical: pass("全家参加城乡居民医保和大病保险"),
            housing_safety: pass("砖混结构，B级，自有安全住房"),
            drinking_water: pass("自来水入户，水质达标"),
        },
        sudden_events: Vec::new(),
    }
}

pub(super) fn demo(record: Household, door: &str, last_visit_on: Option<Date>) -> DemoHousehold {
    DemoHousehold {
        address: format!("{}{} {door}", record.address.village, record.address.group),
        record,
        last_visit_on,
    }
}
