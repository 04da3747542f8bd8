//! Validation rules of domain.md §8 with stable codes, severities, field paths and zh-CN/English messages.
//!
//! An **error** blocks submitting; a **warning** may be submitted with a written reason. Whole-record validators
//! ([`validate_household`], [`validate_visit`], [`validate_session`]) and field-level ones ([`validate_member`],
//! [`validate_id_number_field`], [`validate_money_field`], [`validate_causes`]) return the same [`Finding`]s, so the
//! forms can show a message next to the field named by [`Finding::path`]. [`RULES`] lists every rule with its source.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::id_number::{IdNumberError, parse_id_number};
use crate::income::{ComparisonOutcome, IncomeLineKind, IncomeReport, IncomeSheet, compute_income};
use crate::labels::{Labelled, Locale};
use crate::model::*;
use crate::money::{Fen, MoneyError};
use crate::policy::PolicyTables;

mod bounds;
pub use bounds::{earliest_visit_instant, record_bounds, validate_visit_bounds};

/// Error blocks submitting; warning needs a written reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// A stable rule code such as `HH-CAUSE-ILLNESS`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RuleCode(Cow<'static, str>);

impl RuleCode {
    pub const fn new(code: &'static str) -> RuleCode {
        RuleCode(Cow::Borrowed(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RuleCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// The path of the field a finding is about: `members[2].id_number`, `checklist.housing_safety`, `` (whole record).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldPath(String);

impl FieldPath {
    pub fn root() -> FieldPath {
        FieldPath(String::new())
    }

    pub fn field(&self, name: &str) -> FieldPath {
        if self.0.is_empty() {
            FieldPath(name.to_string())
        } else {
            FieldPath(format!("{}.{name}", self.0))
        }
    }

    pub fn index(&self, index: usize) -> FieldPath {
        FieldPath(format!("{}[{index}]", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub code: RuleCode,
    pub severity: Severity,
    pub path: FieldPath,
    pub message_zh: String,
    pub message_en: String,
}

impl Finding {
    pub fn message(&self, locale: Locale) -> &str {
        match locale {
            Locale::ZhCn => &self.message_zh,
            Locale::En => &self.message_en,
        }
    }
}

/// All findings of one validation run.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ValidationReport {
    pub findings: Vec<Finding>,
}

impl ValidationReport {
    /// True when nothing blocks submitting.
    pub fn can_submit(&self) -> bool {
        !self
            .findings
            .iter()
            .any(|finding| finding.severity == Severity::Error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|finding| finding.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|finding| finding.severity == Severity::Warning)
    }

    pub fn has(&self, code: &str) -> bool {
        self.findings
            .iter()
            .any(|finding| finding.code.as_str() == code)
    }

    /// Findings about one field (for showing next to it).
    pub fn at<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings
            .iter()
            .filter(move |finding| finding.path.as_str() == path)
    }
}

/// Numeric thresholds of the rules, as data. Defaults cite their source; `[I]` marks proposals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationConfig {
    pub version: String,
    /// `HH-EXIT-TRANSFER-DEPENDENT`: transfer + one-off share of gross income above this (‰) [I: 500].
    pub transfer_share_warning_per_mille: u32,
    /// `HH-LAND-CULTIVATED-PER-CAPITA`: 人均耕地 above this, in hundredths of 亩 (C1: 50 亩).
    pub max_cultivated_per_capita_centi_mu: u32,
    /// `HH-LAND-FOREST-PER-CAPITA`: 人均林地 above this (C1: 70 亩).
    pub max_forest_per_capita_centi_mu: u32,
    /// `IN-PER-CAPITA-IMPLAUSIBLE`: above this (C1/C3: 100 000 元).
    pub max_plausible_per_capita: Fen,
    /// `IN-WAGE-IMPLAUSIBLE`: wage income in (0, low) or above high (C3: 300 / 300 000 元).
    pub min_plausible_wage: Fen,
    pub max_plausible_wage: Fen,
    /// `FIELD-TEXT-TOO-LONG`: the longest free text (notes, reasons, addresses…) in characters [I: 2000].
    #[serde(default = "bounds::default_max_text_chars")]
    pub max_text_chars: u32,
    /// `FIELD-NAME-TOO-LONG`: the longest person name in characters [I: 50; 公安部 names are far shorter].
    #[serde(default = "bounds::default_max_name_chars")]
    pub max_name_chars: u32,
    /// `VL-BEFORE-EARLIEST`: no visit starts before 1 January of this year, China time (中办发〔2013〕25号).
    #[serde(default = "bounds::default_earliest_visit_year")]
    pub earliest_visit_year: i32,
    /// `VL-TOO-LONG`: a visit lasts at most this many hours [I: 24].
    #[serde(default = "bounds::default_max_visit_hours")]
    pub max_visit_hours: u32,
}

impl Default for ValidationConfig {
    fn default() -> Self {
        ValidationConfig {
            version: "validation-2026-11-22".to_string(),
            transfer_share_warning_per_mille: 500,
            max_cultivated_per_capita_centi_mu: 5_000,
            max_forest_per_capita_centi_mu: 7_000,
            max_plausible_per_capita: Fen::from_fen(10_000_000),
            min_plausible_wage: Fen::from_fen(30_000),
            max_plausible_wage: Fen::from_fen(30_000_000),
            max_text_chars: bounds::default_max_text_chars(),
            max_name_chars: bounds::default_max_name_chars(),
            earliest_visit_year: bounds::default_earliest_visit_year(),
            max_visit_hours: bounds::default_max_visit_hours(),
        }
    }
}

/// What validation needs from outside: today's date (ages), the policy tables and the thresholds.
#[derive(Debug, Clone, Copy)]
pub struct ValidationContext<'a> {
    pub today: Date,
    pub policy: &'a PolicyTables,
    pub config: &'a ValidationConfig,
}

/// A rule's identity for the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    pub code: &'static str,
    pub severity: Severity,
    pub source: &'static str,
}

macro_rules! rules {
    ($($name:ident = $code:literal, $severity:ident, $source:literal;)*) => {
        $(const $name: RuleInfo = RuleInfo { code: $code, severity: Severity::$severity, source: $source };)*
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
    NS_ABSENT_WITHOUT_REASON = "NS-ABSENT-WITHOUT-REASON", Warning, "domain.md §6.2 [I]";
    NS_PRESENT_WITH_REASON = "NS-PRESENT-WITH-REASON", Error, "domain.md §6.2 [I]";
    NS_PRESENT_WITHOUT_MEMBER = "NS-PRESENT-WITHOUT-MEMBER", Warning, "domain.md §6.2 [I]";
    NS_DUPLICATE_HOUSEHOLD = "NS-DUPLICATE-HOUSEHOLD", Error, "domain.md §6.2 [I]";
    FIELD_MONEY_INVALID = "FIELD-MONEY-INVALID", Error, "DESIGN.md: integer 分, typed amounts";
    FIELD_TEXT_TOO_LONG = "FIELD-TEXT-TOO-LONG", Error, "storage and display bound [I: ValidationConfig::max_text_chars]";
    FIELD_NAME_TOO_LONG = "FIELD-NAME-TOO-LONG", Error, "storage and display bound [I: ValidationConfig::max_name_chars]";
    PL_AMOUNT_OUT_OF_RANGE = "PL-AMOUNT-OUT-OF-RANGE", Error, "DESIGN.md: amounts are 0 ..= MAX_TYPED_FEN 分";
    VL_BEFORE_EARLIEST = "VL-BEFORE-EARLIEST", Error, "中办发〔2013〕25号: 精准扶贫 visits start in 2013 [I: ValidationConfig::earliest_visit_year]";
    VL_TOO_LONG = "VL-TOO-LONG", Error, "a visit lasts at most a day [I: ValidationConfig::max_visit_hours]";
}

fn finding(rule: RuleInfo, path: FieldPath, message_zh: String, message_en: String) -> Finding {
    Finding {
        code: RuleCode::new(rule.code),
        severity: rule.severity,
        path,
        message_zh,
        message_en,
    }
}

fn zh<T: Labelled>(value: T) -> &'static str {
    value.label(Locale::ZhCn)
}

fn en<T: Labelled>(value: T) -> &'static str {
    value.label(Locale::En)
}

fn id_error_messages(error: &IdNumberError) -> (String, String) {
    let zh = match error {
        IdNumberError::Empty => "证件号码为空".to_string(),
        IdNumberError::WrongLength { length } => {
            format!("证件号码应为15、18位(残疾人证20或22位)，当前为{length}位")
        }
        IdNumberError::InvalidCharacter {
            character,
            position,
        } => {
            format!("第{position}位字符“{character}”无效：只能是数字，X只能在第18位")
        }
        IdNumberError::ImpossibleBirthDate { year, month, day } => {
            format!("号码中的出生日期{year:04}-{month:02}-{day:02}不存在")
        }
        IdNumberError::CheckDigit { expected, found } => {
            format!("校验码错误：应为{expected}，实际为{found}")
        }
        IdNumberError::DisabilityCategory { digit } => format!("残疾类别位“{digit}”应为1–7"),
        IdNumberError::DisabilityGrade { digit } => format!("残疾等级位“{digit}”应为1–4"),
        IdNumberError::BirthDateInFuture { birth_date, .. } => {
            format!("出生日期{birth_date}晚于今天")
        }
    };
    (zh, error.to_string())
}

/// Field-level: one ID number. `None` when valid.
pub fn validate_id_number_field(text: &str, path: FieldPath, today: Date) -> Option<Finding> {
    crate::id_number::parse_id_number_on(text, today)
        .err()
        .map(|error| {
            let (message_zh, message_en) = id_error_messages(&error);
            finding(MB_ID_INVALID, path, message_zh, message_en)
        })
}

/// Field-level: one typed amount; the parsed amount or a finding.
pub fn validate_money_field(text: &str, path: FieldPath) -> Result<Fen, Finding> {
    Fen::parse_yuan(text).map_err(|error| {
        let message_zh = match error {
            MoneyError::Empty => "金额为空".to_string(),
            MoneyError::Negative => "金额不能为负数".to_string(),
            MoneyError::InvalidCharacter { character, .. } => {
                format!("金额中含有无效字符“{character}”")
            }
            MoneyError::MultipleDecimalPoints => "金额中有多个小数点".to_string(),
            MoneyError::TooManyDecimals => "金额最多保留两位小数(精确到分)".to_string(),
            MoneyError::MisplacedSeparator => "千位分隔符位置不正确".to_string(),
            MoneyError::MissingIntegerPart => "小数点前缺少数字".to_string(),
            MoneyError::TooLarge | MoneyError::Overflow => "金额过大".to_string(),
        };
        finding(FIELD_MONEY_INVALID, path, message_zh, error.to_string())
    })
}

/// The shortest and longest 银行卡号 accepted: debit cards issued in China carry 16 to 19 digits.
pub const BANK_ACCOUNT_DIGITS: std::ops::RangeInclusive<usize> = 16..=19;

/// Field-level: one 银行卡号 as stored (digits only, no spaces). `None` when plausible.
///
/// A masked number (`6217 **** **** 1234`, what a role without access to the number received) is accepted: it stands
/// for the number the server keeps.
pub fn validate_bank_account_number(number: &str, path: FieldPath) -> Option<Finding> {
    if crate::model::is_masked_account_number(number) {
        return None;
    }
    let length = number.chars().count();
    let (message_zh, message_en) = if number.is_empty() {
        (
            "请填写银行卡号".to_string(),
            "enter the bank card number".to_string(),
        )
    } else if let Some((position, character)) = number
        .chars()
        .enumerate()
        .find(|(_, character)| !character.is_ascii_digit())
    {
        (
            format!("银行卡号第{}位“{character}”无效：只能是数字", position + 1),
            format!(
                "character {} (\"{character}\") of the bank card number is not a digit",
                position + 1
            ),
        )
    } else if !BANK_ACCOUNT_DIGITS.contains(&length) {
        (
            format!(
                "银行卡号应为{}–{}位数字，当前为{length}位",
                BANK_ACCOUNT_DIGITS.start(),
                BANK_ACCOUNT_DIGITS.end()
            ),
            format!(
                "a bank card number has {}–{} digits, this one has {length}",
                BANK_ACCOUNT_DIGITS.start(),
                BANK_ACCOUNT_DIGITS.end()
            ),
        )
    } else {
        return None;
    };
    Some(finding(
        HH_BANK_ACCOUNT_INVALID,
        path,
        message_zh,
        message_en,
    ))
}

/// Field-level: 致贫原因 before building [`PovertyCauses`].
pub fn validate_causes(main: Option<PovertyCause>, secondary: &[PovertyCause]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let base = FieldPath::root().field("causes").field("secondary");
    for (index, &cause) in secondary.iter().enumerate() {
        if Some(cause) == main || secondary[..index].contains(&cause) {
            findings.push(finding(
                HH_CAUSE_SECONDARY_REPEATS_MAIN,
                base.index(index),
                format!(
                    "次要致贫原因“{}”与主要致贫原因或其他次要原因重复",
                    zh(cause)
                ),
                format!(
                    "secondary cause \"{}\" repeats the main cause or another secondary cause",
                    en(cause)
                ),
            ));
        }
    }
    findings
}

fn is_student(member: &Member) -> bool {
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
            if healthy && age >= 7 && matches!(stage, PreschoolAgeChild | Preschool) {
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
            if (6..=15).contains(&age) && healthy {
                findings.push(finding(
                    MB_COMPULSORY_AGE_NOT_IN_SCHOOL,
                    path.field("schooling"),
                    format!("{who_zh}{age}岁、健康，处于义务教育阶段却不在校"),
                    format!(
                        "{who_en} is {age}, healthy and of compulsory-school age but not in school"
                    ),
                ));
            }
        }
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

/// Validates a household with its plan and income sheet (either may be absent in a draft). Computes the income
/// report itself; use [`validate_household_with_income`] to reuse one.
pub fn validate_household(
    household: &Household,
    plan: Option<&Plan>,
    income_sheet: Option<&IncomeSheet>,
    context: &ValidationContext<'_>,
) -> ValidationReport {
    let income = income_sheet.map(|sheet| compute_income(sheet, household, context.policy));
    validate_household_with_income(household, plan, income_sheet.zip(income.as_ref()), context)
}

/// Like [`validate_household`] with the income already computed.
pub fn validate_household_with_income(
    household: &Household,
    plan: Option<&Plan>,
    income: Option<(
        &IncomeSheet,
        &Result<IncomeReport, crate::income::IncomeError>,
    )>,
    context: &ValidationContext<'_>,
) -> ValidationReport {
    let mut findings = Vec::new();
    let today = context.today;
    let root = FieldPath::root();
    let members_path = root.field("members");
    for (index, member) in household.members.iter().enumerate() {
        findings.extend(validate_member(member, &members_path.index(index), today));
    }
    household_structure(household, &mut findings);
    causes_and_categories(household, today, &mut findings);
    housing_and_land(household, plan, context, &mut findings);
    let report = match income {
        Some((sheet, Ok(report))) => {
            income_rules(household, sheet, report, context, &mut findings);
            Some(report)
        }
        Some((_, Err(error))) => {
            findings.push(finding(
                IN_COMPUTE_FAILED,
                root.field("income"),
                format!("收入无法核算：{error}"),
                format!("income cannot be computed: {error}"),
            ));
            None
        }
        None => None,
    };
    exit_rules(household, report, context, &mut findings);
    if let Some(plan) = plan {
        plan_rules(household, plan, context, &mut findings);
    }
    ValidationReport { findings }
}

fn household_structure(household: &Household, findings: &mut Vec<Finding>) {
    let root = FieldPath::root();
    if household.counted_members().next().is_none() {
        findings.push(finding(
            HH_MEMBERS_NONE,
            root.field("members"),
            "家庭人口至少为1人(计入家庭人口的成员)".into(),
            "at least one member must count in the household".into(),
        ));
    }
    let heads: Vec<usize> = positions(household, |member| member.relation == Relation::Head);
    if heads.len() != 1 {
        findings.push(finding(
            HH_HEAD_COUNT,
            root.field("members"),
            format!("户主应有且仅有1人，当前{}人", heads.len()),
            format!(
                "there must be exactly one head of household, found {}",
                heads.len()
            ),
        ));
    }
    let spouses: Vec<usize> = positions(household, |member| member.relation == Relation::Spouse);
    if spouses.len() > 1 {
        findings.push(finding(
            HH_SPOUSE_COUNT,
            root.field("members").index(spouses[1]).field("relation"),
            format!("配偶最多1人，当前{}人", spouses.len()),
            format!("at most one spouse, found {}", spouses.len()),
        ));
    }
    if let (Some(&head), Some(&spouse)) = (heads.first(), spouses.first())
        && household.members[head].sex == household.members[spouse].sex
    {
        findings.push(finding(
            HH_HEAD_SPOUSE_SAME_SEX,
            root.field("members").index(spouse).field("sex"),
            "户主与配偶性别相同".into(),
            "the head of household and the spouse have the same sex".into(),
        ));
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (index, member) in household.members.iter().enumerate() {
        if let Ok(parsed) = parse_id_number(&member.id_number)
            && let Some(first) = seen.insert(parsed.resident_number, index)
        {
            findings.push(finding(
                HH_ID_DUPLICATE,
                root.field("members").index(index).field("id_number"),
                format!("身份证号码与第{}位成员重复", first + 1),
                format!("the ID number repeats member {}", first + 1),
            ));
        }
    }
    if household.attribute.is_registered() && household.current_helper().is_none() {
        findings.push(finding(
            HH_HELPER_MISSING,
            root.field("helpers"),
            "建档立卡户须有帮扶责任人".into(),
            "a registered household must have a helper".into(),
        ));
    }
    for (index, helper) in household.helpers.iter().enumerate() {
        if helper.name.trim().is_empty() {
            findings.push(finding(
                HH_HELPER_NAME_MISSING,
                root.field("helpers").index(index).field("name"),
                "请填写帮扶责任人姓名".into(),
                "enter the helper's name".into(),
            ));
        }
    }
    if let Some(account) = &household.bank_account
        && let Some(problem) = validate_bank_account_number(
            &account.account_number.0,
            root.field("bank_account").field("account_number"),
        )
    {
        findings.push(problem);
    }
    let open_rows = household
        .helpers
        .iter()
        .filter(|helper| helper.ended_on.is_none())
        .count();
    for (index, helper) in household.helpers.iter().enumerate() {
        let bad_dates = helper.ended_on.is_some_and(|end| end < helper.started_on);
        let overlaps_next = household.helpers.get(index + 1).is_some_and(|next| {
            helper.ended_on.is_none_or(|end| next.started_on < end)
                || next.started_on < helper.started_on
        });
        if bad_dates
            || overlaps_next
            || (open_rows > 1 && helper.ended_on.is_none() && index + 1 < household.helpers.len())
        {
            findings.push(finding(
                HH_HELPER_HISTORY,
                root.field("helpers").index(index),
                "帮扶责任人变更应新增一行并填写原责任人的结束日期，时间不能重叠".into(),
                "a helper change adds a row and closes the previous one; periods must not overlap"
                    .into(),
            ));
        }
    }
}

fn positions(household: &Household, predicate: impl Fn(&Member) -> bool) -> Vec<usize> {
    household
        .members
        .iter()
        .enumerate()
        .filter(|(_, member)| predicate(member))
        .map(|(index, _)| index)
        .collect()
}

fn causes_and_categories(household: &Household, today: Date, findings: &mut Vec<Finding>) {
    let root = FieldPath::root();
    let causes_path = root.field("causes").field("main");
    let main = household.causes.main();
    if household.attribute.is_registered() && main.is_none() {
        findings.push(finding(
            HH_CAUSE_MAIN_MISSING,
            causes_path.clone(),
            "请选择主要致贫原因".into(),
            "choose the main cause of poverty".into(),
        ));
    }
    findings.extend(validate_causes(main, household.causes.secondary()));
    let members = &household.members;
    match main {
        Some(PovertyCause::Illness)
            if !members
                .iter()
                .any(|member| member.health.has_any_condition()) =>
        {
            findings.push(finding(
                HH_CAUSE_ILLNESS,
                causes_path,
                "主要致贫原因为因病，但没有健康状况为患病(长期慢性病/大病)或残疾的成员".into(),
                "main cause is illness but no member's health is other than healthy".into(),
            ))
        }
        Some(PovertyCause::Schooling) if !members.iter().any(is_student) => findings.push(finding(
            HH_CAUSE_STUDY,
            causes_path,
            "主要致贫原因为因学，但没有在校生".into(),
            "main cause is schooling costs but no member is a student".into(),
        )),
        Some(PovertyCause::Disability)
            if !members
                .iter()
                .any(|member| member.health.has(HealthCondition::Disability)) =>
        {
            findings.push(finding(
                HH_CAUSE_DISABILITY,
                causes_path,
                "主要致贫原因为因残，但没有残疾成员".into(),
                "main cause is disability but no member has a disability".into(),
            ))
        }
        _ => {}
    }
    let attribute_path = root.field("attribute");
    let any_dibao = members.iter().any(|member| member.dibao);
    if household.attribute.includes_dibao() && !any_dibao {
        findings.push(finding(
            HH_DIBAO_NO_MEMBER,
            attribute_path.clone(),
            format!(
                "贫困户属性为“{}”，但没有成员享受低保",
                zh(household.attribute)
            ),
            format!(
                "category \"{}\" but no member receives the allowance",
                en(household.attribute)
            ),
        ));
    }
    if household.attribute.is_general() && any_dibao {
        findings.push(finding(
            HH_GENERAL_WITH_DIBAO_MEMBER,
            attribute_path.clone(),
            format!(
                "贫困户属性为“{}”，但有成员享受低保",
                zh(household.attribute)
            ),
            format!(
                "category \"{}\" but a member receives the allowance",
                en(household.attribute)
            ),
        ));
    }
    if matches!(
        household.attribute,
        PovertyAttribute::TekunPoor | PovertyAttribute::TekunExited
    ) && members.iter().any(|member| {
        member.membership.counts() && (16..=65).contains(&age_on(member.birth_date, today))
    }) {
        findings.push(finding(
            HH_TEKUN_LABOUR_AGE_MEMBER,
            attribute_path,
            "特困供养户中有16–65岁劳动年龄成员，请核实属性".into(),
            "destitute-support household with a member aged 16–65: check the category".into(),
        ));
    }
}

fn housing_and_land(
    household: &Household,
    plan: Option<&Plan>,
    context: &ValidationContext<'_>,
    findings: &mut Vec<Finding>,
) {
    let root = FieldPath::root();
    let housing = &household.housing;
    if housing.area_m2 == crate::money::Centi::ZERO {
        findings.push(finding(
            HH_HOUSING_AREA_MISSING,
            root.field("housing").field("area_m2"),
            "住房面积为0，请核实".into(),
            "housing area is 0: please check".into(),
        ));
    }
    let secured_elsewhere = matches!(
        housing.safe_housing_way,
        Some(
            SafeHousingWay::Relocation
                | SafeHousingWay::LivingWithRelatives
                | SafeHousingWay::Rental
                | SafeHousingWay::PublicRental
        )
    );
    let has_housing_measure = plan.is_some_and(|plan| {
        plan.measures.iter().any(|measure| {
            matches!(
                measure.category,
                MeasureCategory::Housing | MeasureCategory::Relocation
            ) && measure.status != MeasureStatus::Cancelled
        })
    });
    if housing.danger_grade.is_dangerous() && !secured_elsewhere && !has_housing_measure {
        findings.push(finding(
            HH_DANGEROUS_HOUSE_NO_MEASURE,
            root.field("housing").field("danger_grade"),
            format!("住房为{}，须有危房改造、搬迁或其他安全住房措施", zh(housing.danger_grade)),
            format!("the house is {}: a renovation, relocation or other safe-housing measure is required", en(housing.danger_grade)),
        ));
    }
    let size = household.counted_members().count() as u64;
    if size > 0 {
        let land = &household.land;
        let cultivated = u64::from(land.cultivated.hundredths());
        if cultivated > u64::from(context.config.max_cultivated_per_capita_centi_mu) * size {
            findings.push(finding(
                HH_LAND_CULTIVATED_PER_CAPITA,
                root.field("land").field("cultivated"),
                format!(
                    "人均耕地超过{}亩，请核实",
                    context.config.max_cultivated_per_capita_centi_mu / 100
                ),
                format!(
                    "cultivated land per person exceeds {} mu: please check",
                    context.config.max_cultivated_per_capita_centi_mu / 100
                ),
            ));
        }
        if u64::from(land.forest.hundredths())
            > u64::from(context.config.max_forest_per_capita_centi_mu) * size
        {
            findings.push(finding(
                HH_LAND_FOREST_PER_CAPITA,
                root.field("land").field("forest"),
                format!(
                    "人均林地超过{}亩，请核实",
                    context.config.max_forest_per_capita_centi_mu / 100
                ),
                format!(
                    "forest land per person exceeds {} mu: please check",
                    context.config.max_forest_per_capita_centi_mu / 100
                ),
            ));
        }
        if u64::from(land.returned_to_forest.hundredths())
            > u64::from(land.forest.hundredths()) + u64::from(land.pasture.hundredths())
        {
            findings.push(finding(
                HH_LAND_RETURNED_EXCEEDS,
                root.field("land").field("returned_to_forest"),
                "退耕还林面积大于林地与牧草地面积之和".into(),
                "returned-to-forest area exceeds forest plus pasture".into(),
            ));
        }
    }
}

fn sum_of(sheet: &IncomeSheet, kinds: &[IncomeLineKind]) -> Fen {
    sheet
        .lines
        .iter()
        .filter(|line| kinds.contains(&line.kind))
        .fold(Fen::ZERO, |total, line| {
            total.checked_add(line.amount).unwrap_or(total)
        })
}

fn income_rules(
    household: &Household,
    sheet: &IncomeSheet,
    report: &IncomeReport,
    context: &ValidationContext<'_>,
    findings: &mut Vec<Finding>,
) {
    let income_path = FieldPath::root().field("income");
    let config = context.config;
    if sheet.household_id != household.id {
        findings.push(finding(
            IN_HOUSEHOLD_MISMATCH,
            income_path.field("household_id"),
            "收入核算表不属于该户".into(),
            "the income sheet belongs to another household".into(),
        ));
    }
    for (index, line) in sheet.lines.iter().enumerate() {
        if line
            .treatment_override
            .as_ref()
            .is_some_and(|chosen| chosen.reason.trim().is_empty())
        {
            findings.push(finding(
                IN_OVERRIDE_NO_REASON,
                income_path
                    .field("lines")
                    .index(index)
                    .field("treatment_override")
                    .field("reason"),
                format!("“{}”改变了是否计入纯收入，须填写依据", zh(line.kind)),
                format!(
                    "\"{}\" overrides whether it counts toward net income: give the reason",
                    en(line.kind)
                ),
            ));
        }
    }
    if !report.per_capita.is_positive() || report.per_capita > config.max_plausible_per_capita {
        findings.push(finding(
            IN_PER_CAPITA_IMPLAUSIBLE,
            income_path.field("per_capita"),
            format!("人均纯收入{}元不合常理，请核实", report.per_capita),
            format!(
                "per-capita net income {} yuan is implausible: please check",
                report.per_capita
            ),
        ));
    }
    if (report.wage.is_positive() && report.wage < config.min_plausible_wage)
        || report.wage > config.max_plausible_wage
    {
        findings.push(finding(
            IN_WAGE_IMPLAUSIBLE,
            income_path.field("wage"),
            format!("工资性收入{}元不合常理，请核实", report.wage),
            format!(
                "wage income {} yuan is implausible: please check",
                report.wage
            ),
        ));
    }
    if report.business_income.is_positive() && !report.business_costs.is_positive() {
        findings.push(finding(
            IN_BUSINESS_WITHOUT_COST,
            income_path.field("business_costs"),
            "有生产经营性收入，须填写生产经营性支出".into(),
            "business income without business costs".into(),
        ));
    }
    let any_worker = household
        .members
        .iter()
        .any(|member| member.work.has_record());
    if report.wage.is_positive() && !any_worker {
        findings.push(finding(
            IN_WAGE_WITHOUT_WORKER,
            income_path.field("wage"),
            "有工资性收入，但没有成员有务工记录".into(),
            "wage income but no member has a work record".into(),
        ));
    }
    if !report.wage.is_positive() && any_worker {
        findings.push(finding(
            IN_WORKER_WITHOUT_WAGE,
            income_path.field("wage"),
            "有成员务工，但工资性收入为0".into(),
            "a member works but wage income is 0".into(),
        ));
    }
    let dibao = sum_of(sheet, &[IncomeLineKind::Dibao]);
    let tekun = sum_of(sheet, &[IncomeLineKind::Tekun]);
    if dibao.is_positive() && !household.members.iter().any(|member| member.dibao) {
        findings.push(finding(
            IN_DIBAO_WITHOUT_MEMBER,
            income_path.field("dibao"),
            "有低保金收入，但没有成员享受低保".into(),
            "minimum-allowance income but no member receives it".into(),
        ));
    }
    if dibao.is_positive() && tekun.is_positive() {
        findings.push(finding(
            IN_DIBAO_AND_TEKUN,
            income_path.field("tekun"),
            "不能同时领取低保金和特困供养金".into(),
            "minimum allowance and destitute support cannot both be received".into(),
        ));
    }
    if sum_of(sheet, &[IncomeLineKind::EcoReturnedFarmland]).is_positive()
        && household.land.returned_to_forest == crate::money::Centi::ZERO
    {
        findings.push(finding(
            IN_ECO_WITHOUT_RETURNED_LAND,
            income_path.field("eco_returned_farmland"),
            "有退耕还林补助，但退耕还林面积为0".into(),
            "returned-farmland compensation but no returned land".into(),
        ));
    }
    for (kind, minimum_yuan) in [
        (IncomeLineKind::Dibao, 200),
        (IncomeLineKind::FamilyPlanning, 100),
        (IncomeLineKind::Pension, 88),
        (IncomeLineKind::Tekun, 200),
    ] {
        let amount = sum_of(sheet, &[kind]);
        if amount.is_positive() && amount.fen() < minimum_yuan * 100 {
            findings.push(finding(
                IN_SMALL_TRANSFER,
                income_path.field("lines"),
                format!(
                    "{}全年仅{}元，低于{}元，请核实",
                    zh(kind),
                    amount,
                    minimum_yuan
                ),
                format!(
                    "{} is only {} yuan for the year, below {}: please check",
                    en(kind),
                    amount,
                    minimum_yuan
                ),
            ));
        }
    }
}

fn exit_rules(
    household: &Household,
    report: Option<&IncomeReport>,
    context: &ValidationContext<'_>,
    findings: &mut Vec<Finding>,
) {
    let root = FieldPath::root();
    let status_path = root.field("poverty_status");
    if (household.poverty_status.is_exited() || household.poverty_status == PovertyStatus::Returned)
        && household.exit_year.is_none()
    {
        findings.push(finding(
            HH_EXIT_YEAR_MISSING,
            root.field("exit_year"),
            "请填写脱贫年度".into(),
            "enter the exit year".into(),
        ));
    }
    let exited = household.poverty_status.is_exited();
    if exited {
        for (item, entry) in household.checklist.entries() {
            let path = root.field("checklist").field(item.field_name());
            match entry.status {
                CheckStatus::Fail => findings.push(finding(
                    HH_EXIT_CHECKLIST_FAIL,
                    path,
                    format!("“{}”未达标，不能标记为已脱贫", zh(item)),
                    format!(
                        "\"{}\" fails: the household cannot be marked as lifted out",
                        en(item)
                    ),
                )),
                CheckStatus::NotChecked => findings.push(finding(
                    HH_EXIT_CHECKLIST_UNCHECKED,
                    path,
                    format!("已脱贫户的“{}”尚未核查", zh(item)),
                    format!(
                        "\"{}\" has not been checked for a lifted-out household",
                        en(item)
                    ),
                )),
                CheckStatus::Pass => {}
            }
        }
        match report {
            None => findings.push(finding(
                HH_EXIT_NO_INCOME,
                status_path.clone(),
                "已脱贫户须有收入核算".into(),
                "a lifted-out household needs an income sheet".into(),
            )),
            Some(report) => {
                match &report.standard {
                    ComparisonOutcome::Compared(comparison) if !comparison.above => findings.push(finding(
                        HH_EXIT_BELOW_STANDARD,
                        status_path.clone(),
                        format!(
                            "人均纯收入{}元未超过{}年标准{}元({})，不能标记为已脱贫",
                            report.per_capita, report.year, comparison.line.value, comparison.line.source
                        ),
                        format!(
                            "per-capita net income {} yuan does not exceed the {} standard of {} yuan ({}): cannot be marked as lifted out",
                            report.per_capita, report.year, comparison.line.value, comparison.line.source
                        ),
                    )),
                    ComparisonOutcome::Compared(_) => {}
                    ComparisonOutcome::NotConfigured { region, year } => findings.push(finding(
                        HH_EXIT_NO_STANDARD,
                        status_path.clone(),
                        format!("{region}{year}年未配置脱贫标准，无法核对收入"),
                        format!("no poverty standard is configured for {region} in {year}: income cannot be checked"),
                    )),
                }
                if let Some(share) = report.transfer_share_per_mille
                    && share > context.config.transfer_share_warning_per_mille
                {
                    findings.push(finding(
                            HH_EXIT_TRANSFER_DEPENDENT,
                            root.field("income").field("transfer"),
                            format!(
                                "纯收入中转移性及一次性收入占{}.{}%，超过{}%，须防止“算账式脱贫”",
                                share / 10, share % 10, context.config.transfer_share_warning_per_mille / 10
                            ),
                            format!(
                                "transfer and one-off items are {}.{}% of income, above {}%: avoid exit on paper",
                                share / 10, share % 10, context.config.transfer_share_warning_per_mille / 10
                            ),
                        ));
                }
            }
        }
    }
    if let Some(report) = report
        && (exited || household.poverty_status == PovertyStatus::Returned)
        && household.monitoring_category.is_none()
        && let ComparisonOutcome::Compared(comparison) = &report.monitoring
        && !comparison.above
    {
        findings.push(finding(
                        HH_BELOW_MONITORING_NOT_MONITORED,
                        root.field("monitoring_category"),
                        format!("人均纯收入{}元低于监测范围{}元，但未纳入监测", report.per_capita, comparison.line.value),
                        format!("per-capita income {} yuan is below the monitoring line {} yuan but the household is not monitored", report.per_capita, comparison.line.value),
                    ));
    }
}

fn plan_rules(
    household: &Household,
    plan: &Plan,
    context: &ValidationContext<'_>,
    findings: &mut Vec<Finding>,
) {
    let plan_path = FieldPath::root().field("plan");
    bounds::plan_amount_bounds(plan, &plan_path, findings);
    if plan.household_id != household.id {
        findings.push(finding(
            PL_HOUSEHOLD_MISMATCH,
            plan_path.field("household_id"),
            "帮扶计划不属于该户".into(),
            "the plan belongs to another household".into(),
        ));
    }
    for (index, measure) in plan.measures.iter().enumerate() {
        if measure.status == MeasureStatus::Cancelled {
            continue;
        }
        let path = plan_path.field("measures").index(index);
        if measure.content.trim().is_empty() {
            findings.push(finding(
                PL_MEASURE_CONTENT_MISSING,
                path.field("content"),
                "请填写措施内容".into(),
                "the measure has no content".into(),
            ));
        }
        if measure.responsible_unit.trim().is_empty() {
            findings.push(finding(
                PL_MEASURE_UNIT_MISSING,
                path.field("responsible_unit"),
                "请填写帮扶(责任)单位".into(),
                "the measure has no responsible unit".into(),
            ));
        }
        if measure.deadline.is_none() {
            findings.push(finding(
                PL_MEASURE_DEADLINE_MISSING,
                path.field("deadline"),
                "请填写完成时限".into(),
                "the measure has no deadline".into(),
            ));
        }
    }
    for (index, effect) in plan.effects.iter().enumerate() {
        let path = plan_path.field("effects").index(index);
        if effect.confirmation.is_none() {
            findings.push(finding(
                PL_EFFECT_NOT_CONFIRMED,
                path.field("confirmation"),
                "帮扶成效须经户主签字确认".into(),
                "the effect entry must be confirmed by the household".into(),
            ));
        }
        if let Some(measure_id) = effect.measure_id
            && !plan.measures.iter().any(|measure| measure.id == measure_id)
        {
            findings.push(finding(
                PL_EFFECT_UNKNOWN_MEASURE,
                path.field("measure_id"),
                "成效对应的措施不在计划中".into(),
                "the effect refers to a measure not in the plan".into(),
            ));
        }
    }
    if let Some(target) = plan.target_per_capita_income {
        let region = crate::policy::RegionPath::from_address(&household.address);
        if let crate::policy::Lookup::Found(standard) =
            context.policy.poverty_standard(&region, plan.year)
            && target <= standard.value
        {
            findings.push(finding(
                PL_TARGET_BELOW_STANDARD,
                plan_path.field("target_per_capita_income"),
                format!(
                    "目标人均纯收入{}元未超过{}年标准{}元",
                    target, plan.year, standard.value
                ),
                format!(
                    "target per-capita income {} yuan does not exceed the {} standard of {} yuan",
                    target, plan.year, standard.value
                ),
            ));
        }
    }
    let active = || {
        plan.measures
            .iter()
            .filter(|measure| measure.status != MeasureStatus::Cancelled)
    };
    let able = household
        .counted_members()
        .any(|member| member.labour.is_some_and(LabourAbility::is_able));
    if able && !active().any(|measure| measure.category.is_developmental()) {
        findings.push(finding(
            PL_NO_DEVELOPMENT_MEASURE,
            plan_path.field("measures"),
            "有劳动能力的家庭应有产业、就业、金融或公益岗位等开发式帮扶措施".into(),
            "a household with labour should have a developmental measure (industry, employment, finance, public-welfare job)".into(),
        ));
    }
    let counted: Vec<&Member> = household.counted_members().collect();
    let none_able = !counted.is_empty()
        && counted
            .iter()
            .all(|member| member.labour.is_none_or(|labour| !labour.is_able()));
    if none_able && !active().any(|measure| measure.category == MeasureCategory::SafetyNet) {
        findings.push(finding(
            PL_NO_LABOUR_NO_SAFETY_NET,
            plan_path.field("measures"),
            "整户无劳动能力，应有兜底保障措施".into(),
            "no member can work: a safety-net measure is expected".into(),
        ));
    }
}

/// Validates a visit log against `now` (passed in: the domain never reads the clock).
pub fn validate_visit(visit: &VisitLog, now: OffsetDateTime) -> ValidationReport {
    let root = FieldPath::root();
    let mut findings = Vec::new();
    if visit.purposes.is_empty() {
        findings.push(finding(
            VL_NO_PURPOSE,
            root.field("purposes"),
            "请选择走访目的".into(),
            "choose at least one purpose".into(),
        ));
    }
    if visit.visitor_ids.is_empty() {
        findings.push(finding(
            VL_NO_VISITOR,
            root.field("visitor_ids"),
            "请填写走访人".into(),
            "list at least one visitor".into(),
        ));
    }
    if visit.ended_at < visit.started_at {
        findings.push(finding(
            VL_END_BEFORE_START,
            root.field("ended_at"),
            "结束时间早于开始时间".into(),
            "the visit ends before it starts".into(),
        ));
    }
    if visit.started_at > now {
        findings.push(finding(
            VL_IN_FUTURE,
            root.field("started_at"),
            "走访开始时间晚于当前时间".into(),
            "the visit starts in the future".into(),
        ));
    }
    if visit.household_confirmation.is_none() {
        findings.push(finding(
            VL_NOT_CONFIRMED,
            root.field("household_confirmation"),
            "走访记录尚未经农户确认".into(),
            "the household has not confirmed the visit record".into(),
        ));
    }
    ValidationReport { findings }
}

/// Validates a whole household visit as the server receives it: the household with its plan and income sheet
/// ([`validate_household`]), then the visit log ([`validate_visit`], paths under `visit.` as the visit form names
/// them), and a visit log that belongs to another household. `context.today` and `now` come from the caller's
/// clock.
pub fn validate_household_visit(
    visit: &crate::protocol::HouseholdVisit,
    context: &ValidationContext<'_>,
    now: OffsetDateTime,
) -> ValidationReport {
    let mut report = validate_household(
        &visit.household,
        Some(&visit.plan),
        Some(&visit.income),
        context,
    );
    let visit_path = FieldPath::root().field("visit");
    let root = FieldPath::root();
    bounds::name_bounds(&visit.household, context.config, &mut report.findings);
    for findings in [
        record_bounds(&visit.household, &root, context.config),
        record_bounds(&visit.plan, &root.field("plan"), context.config),
        record_bounds(&visit.income, &root.field("income"), context.config),
        record_bounds(&visit.visit, &visit_path, context.config),
    ] {
        report.findings.extend(findings);
    }
    report.findings.extend(validate_visit_bounds(
        &visit.visit,
        &visit_path,
        context.config,
    ));
    report
        .findings
        .extend(
            validate_visit(&visit.visit, now)
                .findings
                .into_iter()
                .map(|mut finding| {
                    finding.path = if finding.path.as_str().is_empty() {
                        visit_path.clone()
                    } else {
                        visit_path.field(finding.path.as_str())
                    };
                    finding
                }),
        );
    if visit.visit.household_id != visit.household.id {
        report.findings.push(finding(
            VL_HOUSEHOLD_MISMATCH,
            visit_path.field("household_id"),
            "走访记录属于另一户".into(),
            "the visit log belongs to another household".into(),
        ));
    }
    report
}

/// The warning codes of `report` that have no written reason in `reasons` (missing or blank), sorted and without
/// repeats. A submission is refused while this is not empty, as it is while [`ValidationReport::can_submit`] is
/// false.
pub fn warnings_without_reason(
    report: &ValidationReport,
    reasons: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut missing: Vec<String> = report
        .warnings()
        .map(|finding| finding.code.as_str().to_string())
        .filter(|code| {
            reasons
                .get(code)
                .is_none_or(|reason| reason.trim().is_empty())
        })
        .collect();
    missing.sort();
    missing.dedup();
    missing
}

/// Validates a night-school session's attendance sheet.
pub fn validate_session(session: &Session) -> ValidationReport {
    let base = FieldPath::root().field("attendance");
    let mut findings = Vec::new();
    for (index, entry) in session.attendance.iter().enumerate() {
        let path = base.index(index);
        match entry.status {
            AttendanceStatus::Present => {
                if entry.absence_reason.is_some() {
                    findings.push(finding(
                        NS_PRESENT_WITH_REASON,
                        path.field("absence_reason"),
                        "出席的农户不应填写缺席原因".into(),
                        "a present household has no absence reason".into(),
                    ));
                }
                if entry.present_member_ids.is_empty() {
                    findings.push(finding(
                        NS_PRESENT_WITHOUT_MEMBER,
                        path.field("present_member_ids"),
                        "请勾选出席的家庭成员".into(),
                        "tick the members who attended".into(),
                    ));
                }
            }
            AttendanceStatus::Absent | AttendanceStatus::Excused => {
                if entry.absence_reason.is_none() {
                    findings.push(finding(
                        NS_ABSENT_WITHOUT_REASON,
                        path.field("absence_reason"),
                        "请填写缺席原因".into(),
                        "give the absence reason".into(),
                    ));
                }
            }
        }
        if session.attendance[..index]
            .iter()
            .any(|other| other.household_id == entry.household_id)
        {
            findings.push(finding(
                NS_DUPLICATE_HOUSEHOLD,
                path.field("household_id"),
                "同一农户重复登记".into(),
                "the household is recorded twice".into(),
            ));
        }
    }
    ValidationReport { findings }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::protocol::HouseholdVisit;
    use crate::sample;

    const NOW: OffsetDateTime = datetime!(2020-12-01 10:00 +08:00);

    fn sample_visit() -> HouseholdVisit {
        let household = sample::household();
        HouseholdVisit {
            plan: sample::plan(&household),
            income: sample::income_sheet(&household),
            visit: VisitLog {
                schema_version: CURRENT_SCHEMA_VERSION,
                id: VisitId(uuid::Uuid::from_u128(9)),
                household_id: household.id,
                purposes: vec![VisitPurpose::RoutineVisit],
                visitor_ids: vec![UserId(uuid::Uuid::from_u128(3))],
                started_at: datetime!(2020-12-01 09:00 +08:00),
                ended_at: datetime!(2020-12-01 09:40 +08:00),
                notes: String::new(),
                issues_found: Vec::new(),
                follow_ups: Vec::new(),
                household_confirmation: Some(HouseholdConfirmation {
                    method: ConfirmationMethod::Signature,
                    confirmed_by: "王海".into(),
                    confirmed_at: datetime!(2020-12-01 09:40 +08:00),
                    signature_evidence: None,
                }),
                evidence: Vec::new(),
            },
            household,
            base_version: 1,
            evidence: Vec::new(),
            warning_reasons: BTreeMap::new(),
        }
    }

    fn report_of(visit: &HouseholdVisit) -> ValidationReport {
        let policy = PolicyTables::builtin().unwrap_or_else(|error| panic!("{error}"));
        let config = ValidationConfig::default();
        let context = ValidationContext {
            today: sample::TODAY,
            policy: &policy,
            config: &config,
        };
        validate_household_visit(visit, &context, NOW)
    }

    #[test]
    fn a_bank_account_number_has_16_to_19_digits_and_nothing_else() {
        let path = || {
            FieldPath::root()
                .field("bank_account")
                .field("account_number")
        };
        for valid in [
            "6228480000000000",
            "62284800000000001",
            "6228480000000000000",
            // Masked by the server for a role without access: stands for the number it keeps.
            "6228 **** **** 0000",
        ] {
            assert_eq!(validate_bank_account_number(valid, path()), None, "{valid}");
        }
        for (invalid, zh_fragment) in [
            ("", "请填写"),
            ("622848000000000", "当前为15位"),
            ("62284800000000000001", "当前为20位"),
            ("6228 480000000000", "第5位"),
            ("６２２８480000000000", "第1位"),
        ] {
            let finding = validate_bank_account_number(invalid, path())
                .unwrap_or_else(|| panic!("{invalid:?} should be refused"));
            assert_eq!(finding.code.as_str(), "HH-BANK-ACCOUNT-INVALID");
            assert_eq!(finding.severity, Severity::Error);
            assert_eq!(finding.path.as_str(), "bank_account.account_number");
            assert!(
                finding.message_zh.contains(zh_fragment),
                "{}",
                finding.message_zh
            );
        }
    }

    #[test]
    fn the_sample_visit_has_no_findings() {
        let report = report_of(&sample_visit());
        assert!(report.findings.is_empty(), "{:#?}", report.findings);
    }

    #[test]
    fn visit_findings_are_under_the_visit_path() {
        let mut visit = sample_visit();
        visit.visit.purposes.clear();
        visit.visit.household_confirmation = None;
        let report = report_of(&visit);
        assert_eq!(report.at("visit.purposes").count(), 1);
        assert!(report.has("VL-NO-PURPOSE"));
        assert_eq!(report.at("visit.household_confirmation").count(), 1);
        assert!(!report.can_submit());
    }

    #[test]
    fn household_plan_and_income_rules_run_too() {
        let mut visit = sample_visit();
        visit.plan.household_id = HouseholdId(uuid::Uuid::from_u128(77));
        visit.household.members[0].name.clear();
        let report = report_of(&visit);
        assert!(report.has("PL-HOUSEHOLD-MISMATCH"));
        assert!(report.has("MB-NAME-MISSING"));
    }

    #[test]
    fn a_visit_log_of_another_household_is_an_error() {
        let mut visit = sample_visit();
        visit.visit.household_id = HouseholdId(uuid::Uuid::from_u128(77));
        let report = report_of(&visit);
        let finding = report
            .at("visit.household_id")
            .next()
            .unwrap_or_else(|| panic!("{:#?}", report.findings));
        assert_eq!(finding.code.as_str(), "VL-HOUSEHOLD-MISMATCH");
        assert_eq!(finding.severity, Severity::Error);
    }

    #[test]
    fn a_visit_in_the_future_is_an_error() {
        let mut visit = sample_visit();
        visit.visit.started_at = NOW + time::Duration::hours(1);
        visit.visit.ended_at = NOW + time::Duration::hours(2);
        assert!(report_of(&visit).has("VL-IN-FUTURE"));
    }

    #[test]
    fn warnings_need_a_non_blank_reason_each() {
        let mut visit = sample_visit();
        visit.visit.household_confirmation = None;
        visit.household.housing.area_m2 = crate::money::Centi::from_hundredths(0);
        let report = report_of(&visit);
        assert!(report.can_submit(), "{:#?}", report.findings);
        let mut reasons = BTreeMap::new();
        assert_eq!(
            warnings_without_reason(&report, &reasons),
            vec!["HH-HOUSING-AREA-MISSING", "VL-NOT-CONFIRMED"]
        );
        reasons.insert("HH-HOUSING-AREA-MISSING".to_string(), " \t".to_string());
        reasons.insert(
            "VL-NOT-CONFIRMED".to_string(),
            "户主外出，电话确认".to_string(),
        );
        assert_eq!(
            warnings_without_reason(&report, &reasons),
            vec!["HH-HOUSING-AREA-MISSING"]
        );
        reasons.insert("HH-HOUSING-AREA-MISSING".to_string(), "待测量".to_string());
        assert!(warnings_without_reason(&report, &reasons).is_empty());
    }

    #[test]
    fn a_reason_for_a_code_that_did_not_fire_changes_nothing() {
        let report = report_of(&sample_visit());
        let reasons = BTreeMap::from([("HH-EXIT-NO-INCOME".to_string(), "无".to_string())]);
        assert!(warnings_without_reason(&report, &reasons).is_empty());
    }
}
