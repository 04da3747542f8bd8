//! Field-level checks the forms run as a person types: ID numbers, typed amounts, 银行卡号 and 致贫原因.

use time::Date;

use super::finding::{FieldPath, Finding, en, finding, zh};
use super::rules::*;
use crate::id_number::IdNumberError;
use crate::model::PovertyCause;
use crate::money::{Fen, MoneyError};

pub(super) fn id_error_messages(error: &IdNumberError) -> (String, String) {
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
