//! 居民身份证 numbers (GB 11643, ISO 7064 MOD 11-2 check) and 残疾人证 numbers: parse, upgrade, derive birth and sex.
//!
//! Parsing follows "parse, don't validate": [`parse_id_number`] turns raw text into a [`ParsedIdNumber`] whose
//! birth date and sex are read from the digits, or into an [`IdNumberError`] that says exactly what is wrong.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use time::{Date, Month};

use crate::model::Sex;

/// Weights of the 17 body digits in the MOD 11-2 check (GB 11643-1999 §6).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder 0..=10.
const CHECK_CHARACTERS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
/// Birth years before this are treated as impossible (the oldest published example is 1880).
const EARLIEST_BIRTH_YEAR: i32 = 1850;

/// What exactly is wrong with an ID number.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdNumberError {
    #[error("the ID number is empty")]
    Empty,
    #[error("an ID number has 15 or 18 digits (残疾人证: 20 or 22), this one has {length}")]
    WrongLength { length: usize },
    #[error(
        "character {character:?} at position {position} is not allowed (digits only; X only as the 18th)"
    )]
    InvalidCharacter { character: char, position: usize },
    #[error("the birth date {year:04}-{month:02}-{day:02} in the number does not exist")]
    ImpossibleBirthDate { year: i32, month: u8, day: u8 },
    #[error("the check digit is {found} but the other digits require {expected}")]
    CheckDigit { expected: char, found: char },
    #[error("the 残疾类别 digit {digit} is not 1–7")]
    DisabilityCategory { digit: char },
    #[error("the 残疾等级 digit {digit} is not 1–4")]
    DisabilityGrade { digit: char },
    #[error("the birth date {birth_date} is after today ({today})")]
    BirthDateInFuture { birth_date: Date, today: Date },
}

/// Which kind of number was typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdNumberKind {
    /// An 18-digit second-generation 居民身份证 number.
    Resident18,
    /// A first-generation 15-digit number, upgraded to 18 digits (century 19, check digit computed).
    UpgradedFrom15,
    /// A 20-digit 残疾人证 number: the 18-digit ID number + 残疾类别 + 残疾等级.
    DisabilityCertificate20,
    /// A 22-digit 残疾人证 number: the 18-digit ID number + four category/grade digits [I: layout of the last two
    /// digits not verified; only the first pair is checked].
    DisabilityCertificate22,
}

/// A valid ID number with what it tells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedIdNumber {
    pub kind: IdNumberKind,
    /// The 18-character 居民身份证 number (upgraded if 15 digits were typed; `x` upper-cased).
    pub resident_number: String,
    /// The full number as it should be stored: `resident_number`, or the 20/22-digit 残疾人证 number.
    pub normalized: String,
    /// Digits 1–6: the administrative division where the number was issued.
    pub region_code: String,
    pub birth_date: Date,
    pub sex: Sex,
    /// 残疾类别 (1 视力 … 7 多重) and 残疾等级 (1–4) for 残疾人证 numbers.
    pub disability: Option<DisabilityCode>,
}

/// Category and grade read from a 残疾人证 number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisabilityCode {
    pub category: u8,
    pub grade: u8,
}

/// The MOD 11-2 check character for 17 body digits (ASCII). `None` if any byte is not a digit.
pub fn check_character(body: &[u8]) -> Option<char> {
    if body.len() != 17 {
        return None;
    }
    let mut sum: u32 = 0;
    for (byte, weight) in body.iter().zip(WEIGHTS) {
        if !byte.is_ascii_digit() {
            return None;
        }
        sum += u32::from(byte - b'0') * weight;
    }
    CHECK_CHARACTERS.get((sum % 11) as usize).copied()
}

/// Parses an ID number (15, 18, 20 or 22 characters; surrounding spaces ignored, `x` accepted for `X`).
pub fn parse_id_number(input: &str) -> Result<ParsedIdNumber, IdNumberError> {
    let folded = crate::text::fold_full_width(input);
    let text = folded.trim();
    if text.is_empty() {
        return Err(IdNumberError::Empty);
    }
    let characters: Vec<char> = text.chars().collect();
    let length = characters.len();
    if !matches!(length, 15 | 18 | 20 | 22) {
        return Err(IdNumberError::WrongLength { length });
    }
    for (position, &character) in characters.iter().enumerate() {
        let check_position = length >= 18 && position == 17;
        let allowed =
            character.is_ascii_digit() || (check_position && matches!(character, 'X' | 'x'));
        if !allowed {
            return Err(IdNumberError::InvalidCharacter {
                character,
                position: position + 1,
            });
        }
    }
    let upper: String = characters
        .iter()
        .map(|character| character.to_ascii_uppercase())
        .collect();
    let bytes = upper.as_bytes();
    if length == 15 {
        let mut body = Vec::with_capacity(17);
        body.extend_from_slice(&bytes[..6]);
        body.extend_from_slice(b"19");
        body.extend_from_slice(&bytes[6..15]);
        let birth_date = birth_date_from(&body[6..14])?;
        let check = check_character(&body).ok_or(IdNumberError::Empty)?;
        let mut resident_number = String::from_utf8_lossy(&body).into_owned();
        resident_number.push(check);
        return Ok(ParsedIdNumber {
            kind: IdNumberKind::UpgradedFrom15,
            normalized: resident_number.clone(),
            region_code: upper[..6].to_string(),
            birth_date,
            sex: sex_from(body[16]),
            resident_number,
            disability: None,
        });
    }
    let resident = &bytes[..18];
    let birth_date = birth_date_from(&resident[6..14])?;
    let expected = check_character(&resident[..17]).ok_or(IdNumberError::Empty)?;
    let found = char::from(resident[17]);
    if expected != found {
        return Err(IdNumberError::CheckDigit { expected, found });
    }
    let (kind, disability) = match length {
        18 => (IdNumberKind::Resident18, None),
        _ => {
            let category = bytes[18];
            let grade = bytes[19];
            if !(b'1'..=b'7').contains(&category) {
                return Err(IdNumberError::DisabilityCategory {
                    digit: char::from(category),
                });
            }
            if !(b'1'..=b'4').contains(&grade) {
                return Err(IdNumberError::DisabilityGrade {
                    digit: char::from(grade),
                });
            }
            let kind = if length == 20 {
                IdNumberKind::DisabilityCertificate20
            } else {
                IdNumberKind::DisabilityCertificate22
            };
            (
                kind,
                Some(DisabilityCode {
                    category: category - b'0',
                    grade: grade - b'0',
                }),
            )
        }
    };
    Ok(ParsedIdNumber {
        kind,
        resident_number: upper[..18].to_string(),
        normalized: upper.clone(),
        region_code: upper[..6].to_string(),
        birth_date,
        sex: sex_from(resident[16]),
        disability,
    })
}

/// Like [`parse_id_number`], and also refuses a birth date after `today`.
pub fn parse_id_number_on(input: &str, today: Date) -> Result<ParsedIdNumber, IdNumberError> {
    let parsed = parse_id_number(input)?;
    if parsed.birth_date > today {
        return Err(IdNumberError::BirthDateInFuture {
            birth_date: parsed.birth_date,
            today,
        });
    }
    Ok(parsed)
}

/// Odd sequence digit = male, even = female (GB 11643 §5.3).
fn sex_from(digit: u8) -> Sex {
    if (digit - b'0') % 2 == 1 {
        Sex::Male
    } else {
        Sex::Female
    }
}

fn number(digits: &[u8]) -> u32 {
    digits
        .iter()
        .fold(0, |value, digit| value * 10 + u32::from(digit - b'0'))
}

/// Reads YYYYMMDD (already checked to be ASCII digits).
fn birth_date_from(digits: &[u8]) -> Result<Date, IdNumberError> {
    let year = number(&digits[..4]) as i32;
    let month = number(&digits[4..6]) as u8;
    let day = number(&digits[6..8]) as u8;
    let impossible = IdNumberError::ImpossibleBirthDate { year, month, day };
    if year < EARLIEST_BIRTH_YEAR {
        return Err(impossible);
    }
    let month_value = Month::try_from(month).map_err(|_| impossible.clone())?;
    Date::from_calendar_date(year, month_value, day).map_err(|_| impossible)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn full_width_digits_and_an_ime_x_are_read_as_ascii() {
        let typed: String = "11010519491231002X"
            .chars()
            .map(|character| match character {
                '0'..='9' => char::from_u32(u32::from(character) + 0xFEE0).unwrap_or(character),
                'X' => 'Ｘ',
                other => other,
            })
            .collect();
        assert_eq!(typed.chars().next(), Some('１'));
        let parsed = parse_id_number(&typed).map(|parsed| parsed.normalized);
        assert_eq!(parsed, Ok("11010519491231002X".to_string()));
    }
    use time::macros::date;

    fn check(input: &str, expected: Result<(&str, Date, Sex), IdNumberError>) {
        let actual =
            parse_id_number(input).map(|parsed| (parsed.birth_date, parsed.sex, parsed.normalized));
        match expected {
            Ok((normalized, birth_date, sex)) => {
                assert_eq!(
                    actual,
                    Ok((birth_date, sex, normalized.to_string())),
                    "input {input}"
                )
            }
            Err(error) => assert_eq!(actual, Err(error), "input {input}"),
        }
    }

    #[test]
    fn published_examples_are_accepted_with_birth_date_and_sex() {
        check(
            "11010519491231002X",
            Ok(("11010519491231002X", date!(1949 - 12 - 31), Sex::Female)),
        );
        check(
            "11010519491231002x",
            Ok(("11010519491231002X", date!(1949 - 12 - 31), Sex::Female)),
        );
        check(
            "440524188001010014",
            Ok(("440524188001010014", date!(1880 - 01 - 01), Sex::Male)),
        );
        check(
            " 440524188001010014 ",
            Ok(("440524188001010014", date!(1880 - 01 - 01), Sex::Male)),
        );
    }

    #[test]
    fn a_15_digit_number_is_upgraded_to_18() {
        // 110105491231002 is the 15-digit form of the standard's example 11010519491231002X.
        check(
            "110105491231002",
            Ok(("11010519491231002X", date!(1949 - 12 - 31), Sex::Female)),
        );
        let parsed = parse_id_number("110105491231002");
        assert_eq!(
            parsed.map(|parsed| parsed.kind),
            Ok(IdNumberKind::UpgradedFrom15)
        );
    }

    #[test]
    fn each_fault_has_its_own_error() {
        check("", Err(IdNumberError::Empty));
        check(
            "1101051949123100",
            Err(IdNumberError::WrongLength { length: 16 }),
        );
        check(
            "11010519491231002Y",
            Err(IdNumberError::InvalidCharacter {
                character: 'Y',
                position: 18,
            }),
        );
        check(
            "1101X519491231002X",
            Err(IdNumberError::InvalidCharacter {
                character: 'X',
                position: 5,
            }),
        );
        check(
            "110105194902300028",
            Err(IdNumberError::ImpossibleBirthDate {
                year: 1949,
                month: 2,
                day: 30,
            }),
        );
        check(
            "110105194913310028",
            Err(IdNumberError::ImpossibleBirthDate {
                year: 1949,
                month: 13,
                day: 31,
            }),
        );
        check(
            "110105149912310028",
            Err(IdNumberError::ImpossibleBirthDate {
                year: 1499,
                month: 12,
                day: 31,
            }),
        );
        check(
            "110105194912310021",
            Err(IdNumberError::CheckDigit {
                expected: 'X',
                found: '1',
            }),
        );
    }

    #[test]
    fn disability_certificate_numbers_of_20_and_22_digits_are_accepted() {
        let parsed = parse_id_number("11010519491231002X42");
        assert_eq!(
            parsed.as_ref().map(|parsed| (
                parsed.kind,
                parsed.disability,
                parsed.resident_number.as_str()
            )),
            Ok((
                IdNumberKind::DisabilityCertificate20,
                Some(DisabilityCode {
                    category: 4,
                    grade: 2
                }),
                "11010519491231002X"
            ))
        );
        assert!(parse_id_number("4405241880010100147311").is_ok());
        check(
            "11010519491231002X82",
            Err(IdNumberError::DisabilityCategory { digit: '8' }),
        );
        check(
            "11010519491231002X45",
            Err(IdNumberError::DisabilityGrade { digit: '5' }),
        );
        check(
            "11010519491231002142",
            Err(IdNumberError::CheckDigit {
                expected: 'X',
                found: '1',
            }),
        );
    }

    #[test]
    fn a_birth_date_after_today_is_refused() {
        assert_eq!(
            parse_id_number_on("11010519491231002X", date!(1949 - 12 - 30))
                .map(|parsed| parsed.sex),
            Err(IdNumberError::BirthDateInFuture {
                birth_date: date!(1949 - 12 - 31),
                today: date!(1949 - 12 - 30)
            })
        );
    }

    fn body_strategy() -> impl Strategy<Value = String> {
        (
            0u32..1_000_000,
            1900i32..2025,
            1u8..=12,
            1u8..=28,
            0u32..1000,
        )
            .prop_map(|(region, year, month, day, sequence)| {
                format!("{region:06}{year:04}{month:02}{day:02}{sequence:03}")
            })
    }

    proptest! {
        #[test]
        fn generated_valid_numbers_are_accepted(body in body_strategy()) {
            let check = check_character(body.as_bytes());
            prop_assert!(check.is_some());
            let number = format!("{body}{}", check.unwrap_or('?'));
            let parsed = parse_id_number(&number);
            prop_assert!(parsed.is_ok(), "{number}: {parsed:?}");
        }

        #[test]
        fn changing_any_one_body_digit_breaks_the_check(body in body_strategy(), position in 0usize..17, delta in 1u8..10) {
            let number = format!("{body}{}", check_character(body.as_bytes()).unwrap_or('?'));
            let mut bytes = number.into_bytes();
            bytes[position] = b'0' + (bytes[position] - b'0' + delta) % 10;
            let altered = String::from_utf8_lossy(&bytes).into_owned();
            // A single-digit change is always caught by MOD 11-2 (or it makes the birth date impossible).
            prop_assert!(parse_id_number(&altered).is_err(), "{altered}");
        }

        #[test]
        fn parsing_never_panics(input in "\\PC{0,30}") {
            let _ = parse_id_number(&input);
        }
    }
}
