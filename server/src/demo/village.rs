//! The twelve households of the demo village, as full domain records.

use time::macros::date;
use time::{Date, Duration};
use zoufang_domain::model::*;

use super::build::*;

/// One demo household: the record, its door-plate address and its last visit.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoHousehold {
    pub record: Household,
    pub address: String,
    pub last_visit_on: Option<Date>,
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
