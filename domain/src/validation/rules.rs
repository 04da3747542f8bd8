//! The rule catalogue: every rule's stable code, severity and source ([`RULES`]), as constants the checks name.

use serde::Serialize;

use super::finding::Severity;

/// A rule's identity for the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    pub code: &'static str,
    pub severity: Severity,
    pub source: &'static str,
}

macro_rules! rules {
    ($($name:ident = $code:literal, $severity:ident, $source:literal;)*) => {
        $(pub(super) const $name: RuleInfo = RuleInfo { code: $code, severity: Severity::$severity, source: $source };)*
        /// Every rule: stable code, severity, source.
        pub const RULES: &[RuleInfo] = &[$($name,)*];
    };
}

rules! {
    HH_MEMBERS_NONE = "HH-MEMBERS-NONE", Error, "domain.md §1.2 家庭人口 ≥ 1";
    HH_HEAD_COUNT = "HH-HEAD-COUNT", Error, "domain.md §8.1 (C1, C2)";
    HH_SPOUSE_COUNT = "HH-SPOUSE-COUNT", Error, "domain.md §8.1 (C1, C2)";
    HH_HEAD_SPOUSE_SAME_SEX = "HH-HEAD-SPOUSE-SAME-SEX", Error, "domain.md §8.1 (C1, C2)";
    HH_ID_DUPLICATE = "HH-ID-DUPLICATE", Error, "domain.md §8.2 (C1, C2)";
    HH_HELPER_MISSING = "HH-HELPER-MISSING", Error, "domain.md §1.4: every household must have a helper (C1)";
    HH_HELPER_HISTORY = "HH-HELPER-HISTORY", Error, "domain.md §8.14 (S1)";
    HH_HELPER_NAME_MISSING = "HH-HELPER-NAME-MISSING", Error, "domain.md §1.4 帮扶责任人 姓名 (S1)";
    HH_BANK_ACCOUNT_INVALID = "HH-BANK-ACCOUNT-INVALID", Error, "domain.md §1.2 银行卡号 (C3); 16–19 digits as issued by Chinese banks [I]";
    MB_NAME_MISSING = "MB-NAME-MISSING", Error, "domain.md §1.3";
    MB_ID_INVALID = "MB-ID-INVALID", Error, "domain.md §8.2 GB 11643 MOD 11-2 (C1, C2)";
    MB_ID_BIRTH_MISMATCH = "MB-ID-BIRTH-MISMATCH", Error, "domain.md §1.3: birth date derived from digits 7–14 (C2)";
    MB_ID_SEX_MISMATCH = "MB-ID-SEX-MISMATCH", Error, "domain.md §1.3: sex derived from digit 17 (C2)";
    MB_BIRTH_IN_FUTURE = "MB-BIRTH-IN-FUTURE", Error, "[I]";
    MB_RELATION_SEX = "MB-RELATION-SEX", Error, "domain.md §8.1 (C1, C2)";
    MB_SCHOOLING_MISSING = "MB-SCHOOLING-MISSING", Error, "domain.md §8.3 (C2)";
    MB_HEALTH_MISSING = "MB-HEALTH-MISSING", Error, "domain.md §1.3";
    MB_LABOUR_MISSING = "MB-LABOUR-MISSING", Error, "domain.md §8.4: 劳动技能 required for ages 16–65 (C1)";
    MB_SCHOOL_HIGH_TOO_YOUNG = "MB-SCHOOL-HIGH-TOO-YOUNG", Warning, "domain.md §8.5 (C1, C5)";
    MB_SCHOOL_PRIMARY_TOO_OLD = "MB-SCHOOL-PRIMARY-TOO-OLD", Warning, "domain.md §8.5 (C1, C5)";
    MB_SCHOOL_JUNIOR_AGE = "MB-SCHOOL-JUNIOR-AGE", Warning, "domain.md §8.5 (C1, C5)";
    MB_SCHOOL_SENIOR_AGE = "MB-SCHOOL-SENIOR-AGE", Warning, "domain.md §8.5 (C1, C5)";
    MB_SCHOOL_COLLEGE_TOO_YOUNG = "MB-SCHOOL-COLLEGE-TOO-YOUNG", Warning, "domain.md §8.5 (C1, C5)";
    MB_SCHOOL_POSTGRADUATE_TOO_YOUNG = "MB-SCHOOL-POSTGRADUATE-TOO-YOUNG", Warning, "domain.md §8.5 (C1, C5)";
    MB_SCHOOL_PRESCHOOL_TOO_OLD = "MB-SCHOOL-PRESCHOOL-TOO-OLD", Warning, "domain.md §8.5 (C1, C5)";
    MB_EDUCATION_LOW_FOR_AGE = "MB-EDUCATION-LOW-FOR-AGE", Warning, "domain.md §8.5 (C1, C5)";
    MB_COMPULSORY_AGE_NOT_IN_SCHOOL = "MB-COMPULSORY-AGE-NOT-IN-SCHOOL", Warning, "domain.md §4 义务教育 6–15 (S18; C1, C5)";
    MB_LABOUR_HEALTHY_ADULT = "MB-LABOUR-HEALTHY-ADULT", Warning, "domain.md §8.6 (C1, C5)";
    MB_TEKUN_ABLE_ADULT = "MB-TEKUN-ABLE-ADULT", Warning, "domain.md §8.6 (C5)";
    MB_WORK_MONTHS_LOCATION = "MB-WORK-MONTHS-LOCATION", Error, "domain.md §2.5 (C1)";
    MB_WORK_WITHOUT_LABOUR = "MB-WORK-WITHOUT-LABOUR", Error, "domain.md §2.5 (C1)";
    MB_WORK_UNDER_16 = "MB-WORK-UNDER-16", Error, "domain.md §2.5 (C1)";
    MB_MEDICAL_INSURANCE_NONE = "MB-MEDICAL-INSURANCE-NONE", Warning, "domain.md §1.3, §4 基本医疗 (C2)";
    MB_MEDICAL_INSURANCE_BOTH = "MB-MEDICAL-INSURANCE-BOTH", Error, "domain.md §1.3: exactly one of the two (C2)";
    MB_ASSISTANCE_WITHOUT_INSURANCE = "MB-ASSISTANCE-WITHOUT-INSURANCE", Warning, "domain.md §4 基本医疗 (C1, C2)";
    MB_DISABLED_NO_CERTIFICATE = "MB-DISABLED-NO-CERTIFICATE", Warning, "domain.md §1.3 (S3)";
    MB_DISABILITY_CERTIFICATE_INVALID = "MB-DISABILITY-CERTIFICATE-INVALID", Error, "domain.md §1.3 (C1, C2)";
    HH_CAUSE_MAIN_MISSING = "HH-CAUSE-MAIN-MISSING", Error, "domain.md §1.2 主要致贫原因 (单选)";
    HH_CAUSE_SECONDARY_REPEATS_MAIN = "HH-CAUSE-SECONDARY-REPEATS-MAIN", Error, "domain.md §1.5 (C1)";
    HH_CAUSE_ILLNESS = "HH-CAUSE-ILLNESS", Error, "domain.md §1.5: 因病 needs a member whose health is not 健康 (C1)";
    HH_CAUSE_STUDY = "HH-CAUSE-STUDY", Error, "domain.md §1.5: 因学 needs a 在校生 (C1)";
    HH_CAUSE_DISABILITY = "HH-CAUSE-DISABILITY", Error, "domain.md §1.5: 因残 needs a 残疾 member (C1)";
    HH_DIBAO_NO_MEMBER = "HH-DIBAO-NO-MEMBER", Error, "domain.md §2.5 (C1)";
    HH_GENERAL_WITH_DIBAO_MEMBER = "HH-GENERAL-WITH-DIBAO-MEMBER", Error, "domain.md §2.5 (C1)";
    HH_TEKUN_LABOUR_AGE_MEMBER = "HH-TEKUN-LABOUR-AGE-MEMBER", Error, "domain.md §2.5: 五保户 with a 16–65 member (C1)";
    HH_HOUSING_AREA_MISSING = "HH-HOUSING-AREA-MISSING", Warning, "domain.md §8.11";
    HH_DANGEROUS_HOUSE_NO_MEASURE = "HH-DANGEROUS-HOUSE-NO-MEASURE", Error, "domain.md §8.11, §4 住房安全 (S17, S18)";
    HH_LAND_CULTIVATED_PER_CAPITA = "HH-LAND-CULTIVATED-PER-CAPITA", Warning, "domain.md §8.12 (C1)";
    HH_LAND_FOREST_PER_CAPITA = "HH-LAND-FOREST-PER-CAPITA", Warning, "domain.md §8.12 (C1)";
    HH_LAND_RETURNED_EXCEEDS = "HH-LAND-RETURNED-EXCEEDS", Warning, "domain.md §8.12 (C3)";
    HH_EXIT_YEAR_MISSING = "HH-EXIT-YEAR-MISSING", Error, "domain.md §1.2 脱贫年度";
    HH_EXIT_BELOW_STANDARD = "HH-EXIT-BELOW-STANDARD", Error, "domain.md §3.1, §8.9: 人均纯收入稳定超过标准 (S16)";
    HH_EXIT_NO_STANDARD = "HH-EXIT-NO-STANDARD", Warning, "domain.md §9: standards are configured, never assumed";
    HH_EXIT_NO_INCOME = "HH-EXIT-NO-INCOME", Warning, "domain.md §8.9";
    HH_EXIT_CHECKLIST_FAIL = "HH-EXIT-CHECKLIST-FAIL", Error, "domain.md §8.10 (S16, S14)";
    HH_EXIT_CHECKLIST_UNCHECKED = "HH-EXIT-CHECKLIST-UNCHECKED", Warning, "domain.md §8.10 (S16)";
    HH_EXIT_TRANSFER_DEPENDENT = "HH-EXIT-TRANSFER-DEPENDENT", Warning, "seed 002 杜绝数字脱贫; domain.md §2.1 (S6 收入稳定可持续) [I: 50% threshold]";
    HH_BELOW_MONITORING_NOT_MONITORED = "HH-BELOW-MONITORING-NOT-MONITORED", Warning, "domain.md §8.9 (C5)";
    IN_COMPUTE_FAILED = "IN-COMPUTE-FAILED", Error, "domain.md §2";
    IN_HOUSEHOLD_MISMATCH = "IN-HOUSEHOLD-MISMATCH", Error, "[I]";
    IN_OVERRIDE_NO_REASON = "IN-OVERRIDE-NO-REASON", Error, "domain.md §2.3 countsTowardNetIncome flag [I]";
    IN_PER_CAPITA_IMPLAUSIBLE = "IN-PER-CAPITA-IMPLAUSIBLE", Warning, "domain.md §2.5 (C1, C3)";
    IN_WAGE_IMPLAUSIBLE = "IN-WAGE-IMPLAUSIBLE", Warning, "domain.md §2.5 (C3)";
    IN_BUSINESS_WITHOUT_COST = "IN-BUSINESS-WITHOUT-COST", Error, "domain.md §2.5 (C3)";
    IN_WAGE_WITHOUT_WORKER = "IN-WAGE-WITHOUT-WORKER", Warning, "domain.md §2.5 (C1)";
    IN_WORKER_WITHOUT_WAGE = "IN-WORKER-WITHOUT-WAGE", Warning, "domain.md §2.5 (C1)";
    IN_DIBAO_WITHOUT_MEMBER = "IN-DIBAO-WITHOUT-MEMBER", Error, "domain.md §2.5 (C1)";
    IN_DIBAO_AND_TEKUN = "IN-DIBAO-AND-TEKUN", Error, "domain.md §2.5 (C1)";
    IN_ECO_WITHOUT_RETURNED_LAND = "IN-ECO-WITHOUT-RETURNED-LAND", Warning, "domain.md §2.5 (C3)";
    IN_SMALL_TRANSFER = "IN-SMALL-TRANSFER", Warning, "domain.md §2.5 (C3; unit and era unverified)";
    PL_HOUSEHOLD_MISMATCH = "PL-HOUSEHOLD-MISMATCH", Error, "[I]";
    PL_MEASURE_CONTENT_MISSING = "PL-MEASURE-CONTENT-MISSING", Error, "domain.md §8.13 (S1, S2)";
    PL_MEASURE_UNIT_MISSING = "PL-MEASURE-UNIT-MISSING", Error, "domain.md §8.13 (S2)";
    PL_MEASURE_DEADLINE_MISSING = "PL-MEASURE-DEADLINE-MISSING", Error, "domain.md §8.13 (S1 完成时限)";
    PL_EFFECT_NOT_CONFIRMED = "PL-EFFECT-NOT-CONFIRMED", Error, "domain.md §8.13: 成效 needs 户主签名 (S2)";
    PL_EFFECT_UNKNOWN_MEASURE = "PL-EFFECT-UNKNOWN-MEASURE", Error, "[I]";
    PL_TARGET_BELOW_STANDARD = "PL-TARGET-BELOW-STANDARD", Warning, "domain.md §1.7 年度目标 vs standard [I]";
    PL_NO_DEVELOPMENT_MEASURE = "PL-NO-DEVELOPMENT-MEASURE", Warning, "domain.md §5.2 开发式帮扶 (C5)";
    PL_NO_LABOUR_NO_SAFETY_NET = "PL-NO-LABOUR-NO-SAFETY-NET", Warning, "domain.md §5.2 整户无劳动能力兜底 (C5)";
    VL_NO_PURPOSE = "VL-NO-PURPOSE", Error, "domain.md §7.3 [I]";
    VL_NO_VISITOR = "VL-NO-VISITOR", Error, "domain.md §7.3 [I]";
    VL_END_BEFORE_START = "VL-END-BEFORE-START", Error, "domain.md §7.3 [I]";
    VL_IN_FUTURE = "VL-IN-FUTURE", Error, "domain.md §7.3 [I]";
    VL_NOT_CONFIRMED = "VL-NOT-CONFIRMED", Warning, "domain.md §7.1 (S46: data read back to the household)";
    VL_HOUSEHOLD_MISMATCH = "VL-HOUSEHOLD-MISMATCH", Error, "[I]";
    NS_EXCUSED_WITHOUT_REASON = "NS-EXCUSED-WITHOUT-REASON", Error, "domain.md §6.2 [I]: 请假 states why";
    NS_OTHER_WITHOUT_NOTE = "NS-OTHER-WITHOUT-NOTE", Error, "issue 11: 其他 + note [I]";
    NS_PRESENT_WITH_REASON = "NS-PRESENT-WITH-REASON", Error, "domain.md §6.2 [I]";
    NS_DUPLICATE_HOUSEHOLD = "NS-DUPLICATE-HOUSEHOLD", Error, "domain.md §6.2 [I]";
    NS_SALE_AMOUNT_OUT_OF_RANGE = "NS-SALE-AMOUNT-OUT-OF-RANGE", Error, "domain.md §6.1 夜校集市 [I]; DESIGN.md integer 分";
    NS_SALE_WITHOUT_PRODUCT = "NS-SALE-WITHOUT-PRODUCT", Error, "domain.md §6.1 夜校集市 [I]";
    FIELD_MONEY_INVALID = "FIELD-MONEY-INVALID", Error, "DESIGN.md: integer 分, typed amounts";
    FIELD_TEXT_TOO_LONG = "FIELD-TEXT-TOO-LONG", Error, "storage and display bound [I: ValidationConfig::max_text_chars]";
    FIELD_NAME_TOO_LONG = "FIELD-NAME-TOO-LONG", Error, "storage and display bound [I: ValidationConfig::max_name_chars]";
    PL_AMOUNT_OUT_OF_RANGE = "PL-AMOUNT-OUT-OF-RANGE", Error, "DESIGN.md: amounts are 0 ..= MAX_TYPED_FEN 分";
    VL_BEFORE_EARLIEST = "VL-BEFORE-EARLIEST", Error, "中办发〔2013〕25号: 精准扶贫 visits start in 2013 [I: ValidationConfig::earliest_visit_year]";
    VL_TOO_LONG = "VL-TOO-LONG", Error, "a visit lasts at most a day [I: ValidationConfig::max_visit_hours]";
}
