//! One member's checks (rules `MB-*`): identity against the ID number, schooling for the age, labour, work,
//! insurance and disability certificate.

use time::Date;

use super::fields::id_error_messages;
use super::finding::{FieldPath, Finding, en, finding, zh};
use super::rules::*;
use crate::id_number::parse_id_number;
use crate::model::*;

/// The ages of 义务教育 in whole years on the day checked: entry at six (《中华人民共和国义务教育法》第十一条: 凡年满
/// 六周岁的儿童…应当送其入学) and nine years of schooling (第二条: 国家实行九年义务教育制度), so 6 to 15.
pub const COMPULSORY_SCHOOL_AGES: std::ops::RangeInclusive<i32> = 6..=15;

/// The one compulsory-education rule, shared by validation (`MB-COMPULSORY-AGE-NOT-IN-SCHOOL`) and the 红黄绿 rules
/// (`RED-GUARANTEE-FAILING`): `Some(age)` when a healthy member is of compulsory-school age on `today` and not in
/// compulsory school. In school means enrolled in 小学 or any later stage; 学前教育 counts only at six, the year a
/// child may still wait for the autumn intake (第十一条 also lets entry wait until seven). A member whose schooling
/// is not filled in is not judged here (`MB-SCHOOLING-MISSING` asks for it).
pub fn out_of_compulsory_school(member: &Member, today: Date) -> Option<i32> {
    let age = age_on(member.birth_date, today);
    if !COMPULSORY_SCHOOL_AGES.contains(&age) || !member.health.is_healthy() {
        return None;
    }
    let in_school = match member.schooling? {
        Schooling::Education(_) => false,
        Schooling::Student(status) => match status.stage() {
            SchoolStage::PreschoolAgeChild => false,
            SchoolStage::Preschool => age == *COMPULSORY_SCHOOL_AGES.start(),
            _ => true,
        },
    };
    (!in_school).then_some(age)
}

pub(super) fn is_student(member: &Member) -> bool {
    matches!(member.schooling, Some(Schooling::Student(status)) if status.is_enrolled())
}

/// Field-level: one member (rules MB-*). `path` is where the member sits, e.g. `members[2]`.
pub fn validate_member(member: &Member, path: &FieldPath, today: Date) -> Vec<Finding> {
    let mut findings = Vec::new();
    let age = age_on(member.birth_date, today);
    let who_zh = if member.name.trim().is_empty() {
        "该成员".to_string()
    } else {
        member.name.clone()
    };
    let who_en = if member.name.trim().is_empty() {
        "this member".to_string()
    } else {
        member.name.clone()
    };
    if member.name.trim().is_empty() {
        findings.push(finding(
            MB_NAME_MISSING,
            path.field("name"),
            "请填写姓名".into(),
            "the name is missing".into(),
        ));
    }
    if member.birth_date > today {
        findings.push(finding(
            MB_BIRTH_IN_FUTURE,
            path.field("birth_date"),
            format!("{who_zh}的出生日期{}晚于今天", member.birth_date),
            format!("{who_en}'s birth date {} is after today", member.birth_date),
        ));
    }
    match parse_id_number(&member.id_number) {
        Err(error) => {
            let (detail_zh, detail_en) = id_error_messages(&error);
            findings.push(finding(
                MB_ID_INVALID,
                path.field("id_number"),
                format!("{who_zh}的身份证号码无效：{detail_zh}"),
                format!("{who_en}'s ID number is invalid: {detail_en}"),
            ));
        }
        Ok(parsed) => {
            if parsed.birth_date != member.birth_date {
                findings.push(finding(
                    MB_ID_BIRTH_MISMATCH,
                    path.field("birth_date"),
                    format!(
                        "出生日期{}与身份证号码中的{}不一致",
                        member.birth_date, parsed.birth_date
                    ),
                    format!(
                        "birth date {} differs from {} in the ID number",
                        member.birth_date, parsed.birth_date
                    ),
                ));
            }
            if parsed.sex != member.sex {
                findings.push(finding(
                    MB_ID_SEX_MISMATCH,
                    path.field("sex"),
                    format!(
                        "性别“{}”与身份证号码(第17位)所示“{}”不一致",
                        zh(member.sex),
                        zh(parsed.sex)
                    ),
                    format!(
                        "sex {} differs from {} given by digit 17 of the ID number",
                        en(member.sex),
                        en(parsed.sex)
                    ),
                ));
            }
        }
    }
    if let Some(implied) = member.relation.implied_sex()
        && implied != member.sex
    {
        findings.push(finding(
            MB_RELATION_SEX,
            path.field("relation"),
            format!(
                "与户主关系“{}”与性别“{}”不符",
                zh(member.relation),
                zh(member.sex)
            ),
            format!(
                "relation \"{}\" does not fit sex {}",
                en(member.relation),
                en(member.sex)
            ),
        ));
    }
    if !member.health.is_filled() {
        findings.push(finding(
            MB_HEALTH_MISSING,
            path.field("health"),
            "请填写健康状况".into(),
            "health status is missing".into(),
        ));
    }
    let healthy = member.health.is_healthy();
    match member.schooling {
        None => findings.push(finding(
            MB_SCHOOLING_MISSING,
            path.field("schooling"),
            "文化程度与在校生状况须填写其中一项".into(),
            "fill in either education level or school status".into(),
        )),
        Some(Schooling::Student(status)) => {
            let stage = status.stage();
            let stage_path = path.field("schooling");
            let mut warn = |rule: RuleInfo, zh_text: String, en_text: String| {
                findings.push(finding(rule, stage_path.clone(), zh_text, en_text));
            };
            let stage_zh = zh(stage);
            let stage_en = en(stage);
            use SchoolStage::*;
            if age <= 14
                && matches!(
                    stage,
                    SeniorHigh
                        | SecondaryVocational
                        | HigherVocational
                        | TechnicianCollege
                        | Undergraduate
                        | Postgraduate
                )
            {
                warn(
                    MB_SCHOOL_HIGH_TOO_YOUNG,
                    format!("{age}岁不应为{stage_zh}"),
                    format!("age {age} is too young for {stage_en}"),
                );
            }
            if age >= 20 && matches!(stage, PreschoolAgeChild | Preschool | Primary) {
                warn(
                    MB_SCHOOL_PRIMARY_TOO_OLD,
                    format!("{age}岁不应为{stage_zh}"),
                    format!("age {age} is too old for {stage_en}"),
                );
            }
            if stage == JuniorHigh && !(12..=17).contains(&age) {
                warn(
                    MB_SCHOOL_JUNIOR_AGE,
                    format!("初中在校生年龄{age}岁不在12–17岁之间"),
                    format!("junior high student aged {age}, outside 12–17"),
                );
            }
            if matches!(stage, SeniorHigh | SecondaryVocational) && !(15..=20).contains(&age) {
                warn(
                    MB_SCHOOL_SENIOR_AGE,
                    format!("{stage_zh}在校生年龄{age}岁不在15–20岁之间"),
                    format!("{stage_en} student aged {age}, outside 15–20"),
                );
            }
            if matches!(stage, HigherVocational | TechnicianCollege | Undergraduate) && age < 18 {
                warn(
                    MB_SCHOOL_COLLEGE_TOO_YOUNG,
                    format!("{stage_zh}在校生年龄{age}岁小于18岁"),
                    format!("{stage_en} student aged {age}, under 18"),
                );
            }
            if stage == Postgraduate && age < 20 {
                warn(
                    MB_SCHOOL_POSTGRADUATE_TOO_YOUNG,
                    format!("研究生年龄{age}岁小于20岁"),
                    format!("postgraduate aged {age}, under 20"),
                );
            }
            // Within 6–15 the compulsory-education rule below says it; this one covers older members.
            if healthy
                && age > *COMPULSORY_SCHOOL_AGES.end()
                && matches!(stage, PreschoolAgeChild | Preschool)
            {
                warn(
                    MB_SCHOOL_PRESCHOOL_TOO_OLD,
                    format!("健康儿童{age}岁仍为{stage_zh}"),
                    format!("healthy child aged {age} still recorded as {stage_en}"),
                );
            }
        }
        Some(Schooling::Education(level)) => {
            if (16..=22).contains(&age) && level <= EducationLevel::Primary {
                findings.push(finding(
                    MB_EDUCATION_LOW_FOR_AGE,
                    path.field("schooling"),
                    format!("{age}岁文化程度为“{}”，请核实", zh(level)),
                    format!("aged {age} with education \"{}\": please check", en(level)),
                ));
            }
        }
    }
    if let Some(age) = out_of_compulsory_school(member, today) {
        findings.push(finding(
            MB_COMPULSORY_AGE_NOT_IN_SCHOOL,
            path.field("schooling"),
            format!("{who_zh}{age}岁、健康，处于义务教育年龄，却没有在小学或中学就读"),
            format!(
                "{who_en} is {age}, healthy and of compulsory-school age, but not in primary or secondary school"
            ),
        ));
    }
    if (16..=65).contains(&age) && member.labour.is_none() {
        findings.push(finding(
            MB_LABOUR_MISSING,
            path.field("labour"),
            format!("{age}岁成员须填写劳动技能"),
            format!("labour ability is required at age {age}"),
        ));
    }
    if let Some(labour) = member.labour {
        if healthy && !is_student(member) && (16..=60).contains(&age) && !labour.is_able() {
            findings.push(finding(
                MB_LABOUR_HEALTHY_ADULT,
                path.field("labour"),
                format!(
                    "健康、非在校、{age}岁成员的劳动技能为“{}”，请核实",
                    zh(labour)
                ),
                format!(
                    "healthy non-student aged {age} recorded as \"{}\": please check",
                    en(labour)
                ),
            ));
        }
        if labour.is_without_labour() && member.work.has_record() {
            findings.push(finding(
                MB_WORK_WITHOUT_LABOUR,
                path.field("work"),
                format!("劳动技能为“{}”的成员不应有务工记录", zh(labour)),
                format!(
                    "a member recorded as \"{}\" cannot have a work record",
                    en(labour)
                ),
            ));
        }
    }
    if member.tekun && healthy && !is_student(member) && (18..=60).contains(&age) {
        findings.push(finding(
            MB_TEKUN_ABLE_ADULT,
            path.field("tekun"),
            format!("特困供养人员{age}岁、健康、非在校，请核实"),
            format!("destitute-support recipient aged {age}, healthy, not a student: please check"),
        ));
    }
    let work = member.work;
    if (work.months.get() > 0) != (work.location != WorkLocation::NotWorking) {
        findings.push(finding(
            MB_WORK_MONTHS_LOCATION,
            path.field("work"),
            "务工地点与务工时间须同时填写或同时为空".into(),
            "work location and months must both be given or both be empty".into(),
        ));
    }
    if age < 16 && work.has_record() {
        findings.push(finding(
            MB_WORK_UNDER_16,
            path.field("work"),
            format!("{age}岁成员不应有务工记录"),
            format!("a member aged {age} cannot have a work record"),
        ));
    }
    let insurance = member.insurance;
    if !insurance.has_basic_medical() {
        findings.push(finding(
            MB_MEDICAL_INSURANCE_NONE,
            path.field("insurance"),
            format!("{who_zh}未参加基本医疗保险"),
            format!("{who_en} has no basic medical insurance"),
        ));
        if insurance.medical_assistance {
            findings.push(finding(
                MB_ASSISTANCE_WITHOUT_INSURANCE,
                path.field("insurance").field("medical_assistance"),
                "未参加医保却接受大病医疗救助，请核实".into(),
                "receives critical-illness aid without basic medical insurance: please check"
                    .into(),
            ));
        }
    }
    if insurance.resident_medical && insurance.employee_medical {
        findings.push(finding(
            MB_MEDICAL_INSURANCE_BOTH,
            path.field("insurance"),
            "城乡居民医保与城镇职工医保只能参加其一".into(),
            "resident and employee medical insurance cannot both be ticked".into(),
        ));
    }
    let disabled = member.health.has(HealthCondition::Disability);
    match member.disability_certificate.as_deref().map(str::trim) {
        None | Some("") => {
            if disabled {
                findings.push(finding(
                    MB_DISABLED_NO_CERTIFICATE,
                    path.field("disability_certificate"),
                    format!("{who_zh}为残疾，请填写残疾人证号"),
                    format!("{who_en} has a disability: enter the disability certificate number"),
                ));
            }
        }
        Some(certificate) => {
            // The certificate's first 18 digits must be the member's own ID number (when that one is valid).
            let own_number = parse_id_number(&member.id_number)
                .ok()
                .map(|own| own.resident_number);
            let problem = match &parse_id_number(certificate) {
                Ok(parsed) if parsed.disability.is_none() => Some((
                    "残疾人证号应为20或22位".to_string(),
                    "a disability certificate number has 20 or 22 digits".to_string(),
                )),
                Ok(parsed)
                    if own_number
                        .as_ref()
                        .is_some_and(|own| *own != parsed.resident_number) =>
                {
                    Some((
                        "残疾人证号前18位与身份证号码不一致".to_string(),
                        "the first 18 digits differ from the ID number".to_string(),
                    ))
                }
                Ok(_) => None,
                Err(error) => Some(id_error_messages(error)),
            };
            if let Some((detail_zh, detail_en)) = problem {
                findings.push(finding(
                    MB_DISABILITY_CERTIFICATE_INVALID,
                    path.field("disability_certificate"),
                    format!("残疾人证号无效：{detail_zh}"),
                    format!("disability certificate number is invalid: {detail_en}"),
                ));
            }
        }
    }
    findings
}
