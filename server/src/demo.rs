//! The fictional demo village 清泉村 (海口市琼山区 三门坡镇), seeded with `--demo` into an empty database only
//! (no village and no account): a database with real data, or one whose demo was removed (`admin remove-demo`)
//! while other data stayed, never gets accounts with the published password again.
//!
//! Every person, phone number, bank account and ID number here is invented. The households are full domain
//! records ([`Household`]) that pass `validate_household` without errors, varied so that the 红黄绿 colours differ:
//! 3 red (a 大病 member with nobody able to work; a house left C-grade by typhoon 摩羯 with 住房安全 failing; a
//! monitored 边缘易致贫户), 3 yellow, 6 green. The colours depend on no date (no recent sudden event, every child of
//! compulsory-school age enrolled), so they stay the same whatever day the server runs. ID numbers come from the
//! domain (GB 11643, region 460107, MOD 11-2). Ids are fixed, so demo links stay stable across reseeds.

use sqlx::SqlitePool;
use time::macros::date;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;
use zoufang_domain::model::*;
use zoufang_domain::money::Centi;
use zoufang_domain::protocol::Role;
use zoufang_domain::sample::make_id_number;

use crate::auth::password::{self, PasswordError};
use crate::clock::china_date;
use crate::store::households::{self, NewHousehold};
use crate::store::villages::{self, NewTeachingPoint, NewVillage};
use crate::store::{StoreError, users};

/// The one password of every demo account.
pub const DEMO_PASSWORD: &str = "zoufang2026";

/// A demo account, for printing at start-up and for tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoLogin {
    pub phone: &'static str,
    pub password: &'static str,
    pub name: &'static str,
    pub role: Role,
}

/// The demo accounts, in the order they are printed. Helpers are 0..3.
pub const DEMO_LOGINS: [DemoLogin; 6] = [
    login("13800000001", "王海燕", Role::Helper),
    login("13800000002", "陈志强", Role::Helper),
    login("13800000003", "林秀梅", Role::Helper),
    login("13800000004", "符明亮", Role::FirstSecretary),
    login("13800000005", "吴春花", Role::VillageCadre),
    login("13800000006", "李建国", Role::Admin),
];

const fn login(phone: &'static str, name: &'static str, role: Role) -> DemoLogin {
    DemoLogin {
        phone,
        password: DEMO_PASSWORD,
        name,
        role,
    }
}

/// The region code (海口市琼山区) at the head of every demo ID number.
pub const DEMO_REGION_CODE: &str = "460107";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Password(#[from] PasswordError),
}

/// What [`seed`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedOutcome {
    Seeded {
        households: usize,
        members: usize,
    },
    /// The database already had a village; the demo households written before they had records (migration 0002)
    /// got their records.
    Backfilled {
        households: usize,
    },
    /// The database already has the demo village; nothing was written.
    AlreadyPresent,
    /// The database holds other villages or accounts (real data, or a removed demo): nothing was written.
    NotEmpty,
}

/// A fixed, valid (version 4, RFC 4122 variant) uuid per demo entity: `kind` tells tables apart, `n` rows.
fn demo_id(kind: u16, n: u32) -> Uuid {
    Uuid::from_u128(
        0x2f0a_0000_0000_4000_8000_0000_0000_0000 | (u128::from(kind) << 80) | u128::from(n),
    )
}

/// The demo village's id (stable across seeds).
pub fn demo_village_id() -> Uuid {
    demo_id(1, 1)
}

/// The account id of `DEMO_LOGINS[index]`.
pub fn demo_user_id(index: usize) -> Uuid {
    demo_id(3, index as u32 + 1)
}

/// One demo household: the record, its door-plate address and its last visit.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoHousehold {
    pub record: Household,
    pub address: String,
    pub last_visit_on: Option<Date>,
}

// ---- building members ----

const M: Sex = Sex::Male;
const F: Sex = Sex::Female;

/// A member being described; ids and ID numbers are given when the household is put together.
struct P {
    member: Member,
    /// 残疾类别 (1 视力 … 7 多重) and 残疾等级 (1–4) for the 残疾人证 number.
    certificate: Option<(u8, u8)>,
}

/// A healthy adult of ordinary labour, 初中, 汉族, 群众, in 城乡居民医保 + 大病保险 + 城乡居民养老保险.
fn p(name: &str, relation: Relation, sex: Sex, birth_date: Date) -> P {
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
    fn education(mut self, level: EducationLevel) -> P {
        self.member.schooling = Some(Schooling::Education(level));
        self
    }

    /// In school: 无劳动力 while studying, no pension insurance.
    fn student(mut self, stage: SchoolStage, year: Option<u8>) -> P {
        self.member.schooling = SchoolStatus::new(stage, year).ok().map(Schooling::Student);
        self.member.labour = Some(LabourAbility::NoLabour);
        self.member.insurance.resident_pension = false;
        self
    }

    fn health(mut self, conditions: &[HealthCondition]) -> P {
        self.member.health = HealthStatus::new(conditions.iter().copied()).unwrap_or_default();
        self
    }

    /// 残疾 (added to any illness already given), with a 残疾人证.
    fn disabled(mut self, category: u8, grade: u8) -> P {
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

    fn labour(mut self, labour: LabourAbility) -> P {
        self.member.labour = Some(labour);
        self
    }

    fn works(mut self, location: WorkLocation, months: u8) -> P {
        self.member.work = WorkRecord {
            location,
            months: WorkMonths::new(months).unwrap_or_default(),
        };
        self
    }

    fn away(mut self, reason: AwayReason) -> P {
        self.member.membership = Membership::CountsWhileAway(reason);
        self
    }

    fn dibao(mut self) -> P {
        self.member.dibao = true;
        self
    }

    fn tekun(mut self) -> P {
        self.member.tekun = true;
        self
    }

    fn party_member(mut self) -> P {
        self.member.political_status = Some(PoliticalStatus::CpcMember);
        self
    }

    fn li(mut self) -> P {
        self.member.ethnicity = Some(Ethnicity::LI);
        self
    }

    fn medical_assistance(mut self) -> P {
        self.member.insurance.medical_assistance = true;
        self
    }

    /// 城镇职工医保 instead of 城乡居民, and no 大病保险 ticked.
    fn employee_insurance_only(mut self) -> P {
        self.member.insurance = InsuranceFlags {
            employee_medical: true,
            ..InsuranceFlags::default()
        };
        self
    }

    /// Gives the member a fixed id and a valid ID number (and 残疾人证 number) from its position in the village.
    fn finish(self, household_number: u32, ordinal: u32) -> Member {
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

fn helper(index: usize) -> HelperAssignment {
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
fn former_helper() -> HelperAssignment {
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

fn pass(note: &str) -> ChecklistEntry {
    ChecklistEntry {
        status: CheckStatus::Pass,
        note: note.to_owned(),
        evidence: Vec::new(),
    }
}

fn fail(note: &str) -> ChecklistEntry {
    ChecklistEntry {
        status: CheckStatus::Fail,
        note: note.to_owned(),
        evidence: Vec::new(),
    }
}

fn mu(hundredths: u32) -> Centi {
    Centi::from_hundredths(hundredths)
}

fn causes(main: PovertyCause, secondary: &[PovertyCause]) -> PovertyCauses {
    PovertyCauses::new(Some(main), secondary.to_vec()).unwrap_or_default()
}

/// A 一般脱贫户 that exited in 2019 with everything in order: B-grade brick house, piped water, hardened road, all
/// six checklist items passed. Each household below changes what differs.
fn household(number: u32, group: &str, helper_index: usize, members: Vec<P>) -> Household {
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

fn demo(record: Household, door: &str, last_visit_on: Option<Date>) -> DemoHousehold {
    DemoHousehold {
        address: format!("{}{} {door}", record.address.village, record.address.group),
        record,
        last_visit_on,
    }
}

/// The twelve households of 清泉村. `today` (China time) only dates the last visits, a few days to six weeks back.
pub fn demo_households(today: Date) -> Vec<DemoHousehold> {
    use EducationLevel as E;
    use HealthCondition::{ChronicDisease, SeriousIllness};
    use LabourAbility::{Lost, NoLabour, Skilled, Weak};
    use PovertyCause as C;
    use Relation::*;
    use SchoolStage as S;
    use WorkLocation::*;
    let visited = |days_ago: i64| today.checked_sub(Duration::days(days_ago));

    // 1 · green: migrant work and a granddaughter and grandson in primary school.
    let mut h1 = household(
        1,
        "一组",
        0,
        vec![
            p("王德福", Head, M, date!(1962 - 03 - 14))
                .education(E::Primary)
                .health(&[ChronicDisease])
                .party_member(),
            p("陈月英", Spouse, F, date!(1965 - 07 - 02))
                .education(E::Primary)
                .health(&[ChronicDisease])
                .labour(Weak),
            p("王小军", Son, M, date!(1990 - 11 - 20))
                .labour(Skilled)
                .works(WithinProvince, 10)
                .away(AwayReason::MigrantWork),
            p("李美玲", DaughterInLaw, F, date!(1992 - 05 - 08)).works(WithinTownship, 8),
            p("王子豪", Grandson, M, date!(2015 - 09 - 01)).student(S::Primary, Some(6)),
            p("王欣怡", Granddaughter, F, date!(2018 - 02 - 17)).student(S::Primary, Some(3)),
        ],
    );
    h1.causes = causes(C::LackOfSkills, &[C::LackOfFunds]);
    h1.land.orchard = mu(450);
    h1.checklist.compulsory_education = pass("孙子读六年级、孙女读三年级，均在村小就读");
    h1.checklist.basic_medical = pass("户主夫妇高血压，已办慢病卡；全家参保");

    // 2 · yellow: a 特困 widow living alone, nobody able to work and no 兜底 measure on record.
    let mut h2 = household(
        2,
        "一组",
        0,
        vec![
            p("符亚妹", Head, F, date!(1950 - 08 - 23))
                .education(E::Illiterate)
                .health(&[ChronicDisease])
                .labour(NoLabour)
                .tekun()
                .medical_assistance()
                .li(),
        ],
    );
    h2.attribute = PovertyAttribute::TekunExited;
    h2.exit_year = Some(2017);
    h2.causes = causes(C::LackOfLabour, &[C::Illness]);
    h2.land = LandAreas {
        cultivated: mu(80),
        ..LandAreas::default()
    };
    h2.housing = Housing {
        area_m2: mu(4_200),
        structure: Some(HousingStructure::BrickConcrete),
        danger_grade: DangerGrade::A,
        safe_housing_way: Some(SafeHousingWay::AfterRenovation),
    };
    h2.fuel = Some(FuelType::Firewood);
    h2.linkage = Linkage::default();
    h2.helpers = vec![former_helper(), helper(0)];
    h2.checklist.basic_medical = pass("关节炎、高血压，享受医疗救助");
    h2.checklist.housing_safety = pass("2017年危房改造，新建砖混房42平方米");

    // 3 · red: 返贫 after typhoon 摩羯 left the house C-grade; rebuilding, the family lodges with a brother.
    let mut h3 = household(
        3,
        "一组",
        0,
        vec![
            p("林国栋", Head, M, date!(1975 - 12 - 05)).works(WithinCounty, 9),
            p("吴丽华", Spouse, F, date!(1978 - 04 - 19)).education(E::Primary),
            p("林志伟", Son, M, date!(2003 - 06 - 30))
                .education(E::JuniorCollege)
                .labour(Skilled)
                .works(WithinProvince, 11)
                .away(AwayReason::MigrantWork),
            p("林晓雯", Daughter, F, date!(2008 - 10 - 12)).student(S::SeniorHigh, Some(3)),
        ],
    );
    h3.poverty_status = PovertyStatus::Returned;
    h3.exit_year = Some(2018);
    h3.causes = causes(C::Disaster, &[C::Schooling]);
    h3.housing = Housing {
        area_m2: mu(7_500),
        structure: Some(HousingStructure::BrickWood),
        danger_grade: DangerGrade::C,
        safe_housing_way: Some(SafeHousingWay::LivingWithRelatives),
    };
    h3.sudden_events = vec![SuddenEvent {
        kind: SuddenEventKind::NaturalDisaster,
        occurred_on: date!(2024 - 09 - 06),
        note: "超强台风“摩羯”过境，屋顶掀翻、墙体开裂，胡椒园受损".to_owned(),
    }];
    h3.checklist.compulsory_education = pass("女儿在琼山中学读高三");
    h3.checklist.housing_safety = fail("台风后鉴定为C级危房，危房改造施工中，一家暂住户主兄长家");

    // 4 · yellow: the son is ill and only in 城镇职工医保, without 大病保险.
    let mut h4 = household(
        4,
        "一组",
        1,
        vec![
            p("陈开明", Head, M, date!(1958 - 01 - 27))
                .education(E::Primary)
                .labour(Weak),
            p("黄秀兰", Spouse, F, date!(1960 - 09 - 09))
                .education(E::Illiterate)
                .health(&[ChronicDisease])
                .labour(Weak),
            p("陈海生", Son, M, date!(1985 - 03 - 03))
                .education(E::SeniorHigh)
                .health(&[ChronicDisease])
                .labour(Skilled)
                .works(WithinProvince, 12)
                .employee_insurance_only()
                .away(AwayReason::MigrantWork),
        ],
    );
    h4.exit_year = Some(2018);
    h4.causes = causes(C::Illness, &[C::LackOfSkills]);
    h4.sudden_events = vec![SuddenEvent {
        kind: SuddenEventKind::AnimalDisease,
        occurred_on: date!(2019 - 08 - 15),
        note: "非洲猪瘟，扑杀生猪6头".to_owned(),
    }];
    h4.checklist.basic_medical = pass("母亲糖尿病已办慢病卡；儿子在海口参加职工医保");

    // 5 · green: six people over three generations, two earners, two children in school.
    let mut h5 = household(
        5,
        "二组",
        1,
        vec![
            p("吴文昌", Head, M, date!(1980 - 07 - 15))
                .labour(Skilled)
                .works(WithinCounty, 10),
            p("符春梅", Spouse, F, date!(1982 - 02 - 28)).works(WithinTownship, 6),
            p("吴家乐", Son, M, date!(2010 - 04 - 04)).student(S::SeniorHigh, Some(1)),
            p("吴家欣", Daughter, F, date!(2013 - 12 - 24)).student(S::JuniorHigh, Some(1)),
            p("吴大海", Father, M, date!(1948 - 05 - 16))
                .education(E::Illiterate)
                .health(&[ChronicDisease])
                .labour(NoLabour),
            p("邢玉兰", Mother, F, date!(1951 - 11 - 11))
                .education(E::Illiterate)
                .labour(NoLabour),
        ],
    );
    h5.exit_year = Some(2018);
    h5.causes = causes(C::LackOfFunds, &[C::Schooling]);
    h5.land.orchard = mu(600);
    h5.linkage.leading_enterprise = true;
    h5.checklist.compulsory_education = pass("女儿读七年级，享受义务教育资助");

    // 6 · green: a couple with lychee and day labour.
    let mut h6 = household(
        6,
        "二组",
        1,
        vec![
            p("邢少雄", Head, M, date!(1968 - 10 - 08)).works(WithinTownship, 8),
            p("云金花", Spouse, F, date!(1970 - 01 - 21))
                .education(E::Primary)
                .health(&[ChronicDisease]),
        ],
    );
    h6.exit_year = Some(2017);
    h6.causes = causes(C::LackOfFunds, &[C::LackOfSkills]);
    h6.land.orchard = mu(350);

    // 7 · yellow: a visually impaired mother on 低保; the one earner is home most of the year to care for her.
    let mut h7 = household(
        7,
        "二组",
        1,
        vec![
            p("黄美娟", Head, F, date!(1972 - 06 - 18))
                .education(E::Primary)
                .disabled(1, 2)
                .labour(Weak)
                .dibao(),
            p("周子航", Son, M, date!(1998 - 08 - 08))
                .education(E::SeniorHigh)
                .works(WithinProvince, 5),
            p("周雨涵", Daughter, F, date!(2001 - 03 - 15))
                .student(S::Postgraduate, None)
                .away(AwayReason::Studying)
                .party_member(),
        ],
    );
    h7.attribute = PovertyAttribute::DibaoExited;
    h7.causes = causes(C::Disability, &[C::Schooling]);
    h7.housing.area_m2 = mu(6_500);
    h7.checklist.basic_medical = pass("户主视力残疾二级，享受残疾人两项补贴");

    // 8 · green: a cook in Guangdong supports parents, wife and a daughter in 九年级.
    let mut h8 = household(
        8,
        "二组",
        2,
        vec![
            p("李振华", Head, M, date!(1955 - 04 - 30))
                .education(E::Primary)
                .health(&[ChronicDisease])
                .labour(Weak),
            p("冯桂英", Spouse, F, date!(1957 - 12 - 01))
                .education(E::Illiterate)
                .labour(Weak),
            p("李永康", Son, M, date!(1983 - 09 - 19))
                .labour(Skilled)
                .works(OutsideProvince, 12)
                .away(AwayReason::MigrantWork),
            p("王翠萍", DaughterInLaw, F, date!(1986 - 07 - 07)),
            p("李思琪", Granddaughter, F, date!(2012 - 01 - 05)).student(S::JuniorHigh, Some(3)),
        ],
    );
    h8.exit_year = Some(2020);
    h8.first_identified_on = Some(date!(2015 - 12 - 20));
    h8.causes = causes(C::LackOfSkills, &[]);
    h8.land.orchard = mu(400);
    h8.checklist.compulsory_education = pass("孙女在三门坡中学读九年级");

    // 9 · red: the son has uraemia (大病) and the father is 81: nobody can work.
    let mut h9 = household(
        9,
        "三组",
        2,
        vec![
            p("周有才", Head, M, date!(1945 - 02 - 14))
                .education(E::Illiterate)
                .health(&[ChronicDisease])
                .labour(NoLabour)
                .dibao(),
            p("周建军", Son, M, date!(1975 - 05 - 20))
                .health(&[SeriousIllness])
                .labour(Lost)
                .medical_assistance()
                .dibao(),
        ],
    );
    h9.attribute = PovertyAttribute::DibaoExited;
    h9.causes = causes(C::Illness, &[C::LackOfLabour]);
    h9.housing.area_m2 = mu(5_500);
    h9.land.orchard = mu(0);
    h9.linkage = Linkage::default();
    h9.helpers = vec![former_helper(), helper(2)];
    h9.checklist.basic_medical = pass("儿子尿毒症每周透析三次，大病保险与医疗救助报销");

    // 10 · green: a Li mother with a leg disability, her son works in the county all year.
    let mut h10 = household(
        10,
        "三组",
        2,
        vec![
            p("蒙海英", Head, F, date!(1966 - 09 - 26))
                .education(E::Primary)
                .disabled(4, 3)
                .labour(Weak)
                .li(),
            p("符俊杰", Son, M, date!(1993 - 12 - 12))
                .works(WithinCounty, 12)
                .li(),
        ],
    );
    h10.exit_year = Some(2020);
    h10.causes = causes(C::Disability, &[C::LackOfFunds]);
    h10.checklist.basic_medical = pass("户主肢体残疾三级，已参保并享受残疾人补贴");

    // 11 · red: an ordinary household monitored as 边缘易致贫户 since the father's accident; the mother's work is
    // seasonal.
    let mut h11 = household(
        11,
        "三组",
        2,
        vec![
            p("羊成功", Head, M, date!(1988 - 03 - 22))
                .disabled(4, 3)
                .labour(Weak),
            p("郑小燕", Spouse, F, date!(1990 - 08 - 14)).works(WithinTownship, 4),
            p("羊宇轩", Son, M, date!(2016 - 06 - 06)).student(S::Primary, Some(5)),
        ],
    );
    h11.attribute = PovertyAttribute::OrdinaryHousehold;
    h11.identification_standard = None;
    h11.poverty_status = PovertyStatus::NotApplicable;
    h11.exit_year = None;
    h11.first_identified_on = Some(date!(2025 - 06 - 20));
    h11.monitoring_category = Some(MonitoringCategory::EdgeProne);
    h11.causes = causes(C::Disability, &[C::LackOfSkills]);
    h11.housing.area_m2 = mu(8_000);
    h11.bank_account = None;
    h11.sudden_events = vec![SuddenEvent {
        kind: SuddenEventKind::Accident,
        occurred_on: date!(2025 - 05 - 10),
        note: "户主骑摩托车摔伤，右腿致残".to_owned(),
    }];
    h11.checklist.compulsory_education = pass("儿子在村小读五年级");

    // 12 · green: two children studying (因学), one of them away at a vocational college.
    let mut h12 = household(
        12,
        "三组",
        0,
        vec![
            p("郑光辉", Head, M, date!(1979 - 11 - 30)).works(WithinProvince, 10),
            p("林玉珍", Spouse, F, date!(1981 - 04 - 02)),
            p("郑文博", Son, M, date!(2006 - 09 - 10))
                .student(S::HigherVocational, Some(2))
                .away(AwayReason::Studying),
            p("郑雅婷", Daughter, F, date!(2009 - 02 - 20)).student(S::SeniorHigh, Some(3)),
        ],
    );
    h12.causes = causes(C::Schooling, &[C::LackOfFunds]);
    h12.checklist.compulsory_education = pass("儿子读高职、女儿读高三，享受雨露计划和教育资助");

    vec![
        demo(h1, "3 号", visited(9)),
        demo(h2, "7 号", visited(23)),
        demo(h3, "12 号", visited(4)),
        demo(h4, "15 号", visited(15)),
        demo(h5, "2 号", visited(31)),
        demo(h6, "9 号", visited(12)),
        demo(h7, "11 号", visited(40)),
        demo(h8, "20 号", None),
        demo(h9, "1 号", visited(6)),
        demo(h10, "6 号", visited(18)),
        demo(h11, "14 号", visited(2)),
        demo(h12, "18 号", visited(27)),
    ]
}

/// Seeds the demo village into an empty database (no village, no account). Safe to call at every start: on a
/// database holding the demo village, seeded before households had records, it fills in the demo households'
/// records; on any other database it writes nothing ([`SeedOutcome::NotEmpty`]).
pub async fn seed(pool: &SqlitePool, now: OffsetDateTime) -> Result<SeedOutcome, DemoError> {
    let demo = demo_households(china_date(now));
    if villages::count(pool).await? > 0 {
        let demo_village = villages::find(pool, &demo_village_id().to_string()).await?;
        if demo_village.is_empty() {
            return Ok(SeedOutcome::NotEmpty);
        }
        return backfill(pool, &demo, now).await;
    }
    if users::count(pool).await? > 0 {
        return Ok(SeedOutcome::NotEmpty);
    }
    // Hash before opening the transaction: hashing is slow and must not hold the write lock.
    let mut password_hashes = Vec::with_capacity(DEMO_LOGINS.len());
    for _ in DEMO_LOGINS {
        password_hashes.push(password::hash_in_background(DEMO_PASSWORD.to_owned()).await?);
    }

    let mut transaction = pool.begin().await?;
    // Checked again inside the transaction, in case two servers start on the same file.
    if villages::count(&mut *transaction).await? > 0 || users::count(&mut *transaction).await? > 0 {
        return Ok(SeedOutcome::AlreadyPresent);
    }
    let village_id = demo_village_id();
    villages::insert(
        &mut *transaction,
        &NewVillage {
            id: village_id,
            name: "清泉村",
            county: "海口市琼山区",
            township: "三门坡镇",
        },
    )
    .await?;
    let teaching_point_id = demo_id(2, 1);
    villages::insert_teaching_point(
        &mut *transaction,
        &NewTeachingPoint {
            id: teaching_point_id,
            village_id,
            name: "清泉村委会教学点",
            location: "清泉村委会二楼会议室",
        },
    )
    .await?;

    for (index, (demo, password_hash)) in DEMO_LOGINS.iter().zip(&password_hashes).enumerate() {
        users::insert(
            &mut *transaction,
            &users::NewUser {
                id: demo_user_id(index),
                phone: demo.phone,
                name: demo.name,
                role: demo.role,
                password_hash,
                village_id: (demo.role != Role::Admin).then_some(village_id),
                teaching_point_id: (demo.role == Role::VillageCadre).then_some(teaching_point_id),
                created_at: now,
            },
        )
        .await?;
        users::mark_demo(&mut *transaction, demo_user_id(index)).await?;
    }

    for household in &demo {
        households::insert(&mut *transaction, &new_household(household, now)).await?;
    }
    transaction.commit().await?;
    Ok(SeedOutcome::Seeded {
        households: demo.len(),
        members: demo
            .iter()
            .map(|household| household.record.members.len())
            .sum(),
    })
}

/// Whether any demo account may still log in (then its login is worth printing at start).
pub async fn logins_active(pool: &SqlitePool) -> Result<bool, StoreError> {
    Ok(users::demo_accounts(pool)
        .await?
        .iter()
        .any(|account| !account.disabled))
}

fn new_household(household: &DemoHousehold, now: OffsetDateTime) -> NewHousehold<'_> {
    NewHousehold {
        village_id: demo_village_id(),
        address: &household.address,
        record: &household.record,
        last_visit_on: household.last_visit_on,
        created_at: now,
    }
}

/// Gives the demo households written before migration 0002 their records; touches nothing else.
async fn backfill(
    pool: &SqlitePool,
    demo: &[DemoHousehold],
    now: OffsetDateTime,
) -> Result<SeedOutcome, DemoError> {
    let mut transaction = pool.begin().await?;
    let mut backfilled = 0;
    for household in demo {
        if households::backfill_record(&mut *transaction, &new_household(household, now)).await? {
            backfilled += 1;
        }
    }
    transaction.commit().await?;
    Ok(if backfilled > 0 {
        SeedOutcome::Backfilled {
            households: backfilled,
        }
    } else {
        SeedOutcome::AlreadyPresent
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use zoufang_domain::id_number::parse_id_number;
    use zoufang_domain::policy::PolicyTables;
    use zoufang_domain::risk::{RiskColour, RiskInputs, RiskRuleSet, assess_risk};
    use zoufang_domain::validation::{ValidationConfig, ValidationContext, validate_household};

    use super::*;

    /// Today, and days up to six years ahead: the demo must not rot as its people grow older.
    const DAYS: [Date; 4] = [
        date!(2026 - 11 - 22),
        date!(2027 - 09 - 01),
        date!(2029 - 06 - 30),
        date!(2032 - 12 - 31),
    ];

    fn colour(household: &Household, today: Date) -> RiskColour {
        assess_risk(
            &RiskInputs {
                household,
                plan: None,
                income: None,
                previous_per_capita: None,
                today,
            },
            &RiskRuleSet::default(),
        )
        .colour
    }

    #[test]
    fn every_demo_household_passes_validation_without_errors() {
        let policy = PolicyTables::builtin().unwrap_or_else(|error| panic!("{error}"));
        let config = ValidationConfig::default();
        for today in DAYS {
            let context = ValidationContext {
                today,
                policy: &policy,
                config: &config,
            };
            for demo in demo_households(today) {
                let report = validate_household(&demo.record, None, None, &context);
                let errors: Vec<_> = report.errors().collect();
                assert!(
                    errors.is_empty(),
                    "{} on {today}: {errors:#?}",
                    demo.record.household_code
                );
            }
        }
    }

    #[test]
    fn the_colours_are_varied_and_do_not_depend_on_the_date() {
        let expected = [
            ("王德福", RiskColour::Green),
            ("符亚妹", RiskColour::Yellow),
            ("林国栋", RiskColour::Red),
            ("陈开明", RiskColour::Yellow),
            ("吴文昌", RiskColour::Green),
            ("邢少雄", RiskColour::Green),
            ("黄美娟", RiskColour::Yellow),
            ("李振华", RiskColour::Green),
            ("周有才", RiskColour::Red),
            ("蒙海英", RiskColour::Green),
            ("羊成功", RiskColour::Red),
            ("郑光辉", RiskColour::Green),
        ];
        for today in DAYS {
            let colours: Vec<(&str, RiskColour)> = demo_households(today)
                .iter()
                .zip(expected)
                .map(|(demo, (name, _))| {
                    assert_eq!(demo.record.members[0].name, name);
                    (name, colour(&demo.record, today))
                })
                .collect();
            assert_eq!(colours, expected, "on {today}");
        }
    }

    #[test]
    fn every_id_number_is_valid_unique_and_matches_birth_date_and_sex() {
        let mut seen = BTreeMap::new();
        for demo in demo_households(DAYS[0]) {
            for member in &demo.record.members {
                let parsed = parse_id_number(&member.id_number)
                    .unwrap_or_else(|error| panic!("{}: {error}", member.name));
                assert_eq!(parsed.region_code, DEMO_REGION_CODE);
                assert_eq!(parsed.birth_date, member.birth_date, "{}", member.name);
                assert_eq!(parsed.sex, member.sex, "{}", member.name);
                assert!(
                    seen.insert(parsed.resident_number, member.name.clone())
                        .is_none(),
                    "{} repeats an ID number",
                    member.name
                );
                if let Some(certificate) = &member.disability_certificate {
                    let parsed = parse_id_number(certificate)
                        .unwrap_or_else(|error| panic!("{}: {error}", member.name));
                    assert!(parsed.disability.is_some());
                    assert!(certificate.starts_with(&member.id_number));
                }
            }
        }
    }

    #[test]
    fn helpers_and_groups_are_as_the_end_to_end_tests_expect() {
        let demo = demo_households(DAYS[0]);
        assert_eq!(demo.len(), 12);
        let helper_of = |index: usize| {
            demo.iter()
                .filter(|household| {
                    household
                        .record
                        .current_helper()
                        .and_then(|helper| helper.user_id)
                        == Some(UserId(demo_user_id(index)))
                })
                .count()
        };
        assert_eq!(helper_of(0), 4, "王海燕 has four households");
        assert_eq!(helper_of(0) + helper_of(1) + helper_of(2), 12);
        for household in &demo {
            let current = household.record.current_helper();
            assert!(current.is_some(), "{}", household.address);
            assert_eq!(
                household.record.members[0].relation,
                Relation::Head,
                "{}",
                household.address
            );
            assert!(household.last_visit_on.is_none_or(|day| day < DAYS[0]));
        }
    }
}
