//! Money in integer 分 (fen) and other two-decimal quantities: parsing from what people type, checked arithmetic.
//!
//! Policy amounts are exact to the fen, so nothing here uses floating point. Amounts typed by people are parsed with
//! [`Fen::parse_yuan`]; the accepted format is documented there.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The largest amount a single typed value may have: 100 000 000 000.00 元 (10^13 fen). Far above any household
/// figure, far below `i64::MAX`, so sums of many such amounts still fit before the checked arithmetic trips.
pub const MAX_TYPED_FEN: i64 = 10_000_000_000_000;

/// Why a typed amount was refused. Each variant is a distinct thing the person can fix.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error("the amount is empty")]
    Empty,
    #[error("a minus sign is not allowed: amounts are entered as positive numbers")]
    Negative,
    #[error("character {character:?} at position {position} is not a digit, '.' or ','")]
    InvalidCharacter { character: char, position: usize },
    #[error("more than one decimal point")]
    MultipleDecimalPoints,
    #[error("more than two decimals: amounts are exact to the fen (0.01 元)")]
    TooManyDecimals,
    #[error(
        "a thousands separator ',' must separate groups of exactly three digits before the decimal point"
    )]
    MisplacedSeparator,
    #[error("no digits before the decimal point")]
    MissingIntegerPart,
    #[error("the amount is larger than the largest accepted amount (100 000 000 000 元)")]
    TooLarge,
    #[error("arithmetic overflow while adding or multiplying amounts")]
    Overflow,
}

/// An amount of money in 分 (1 元 = 100 分). The field is private: values come from [`Fen::parse_yuan`],
/// [`Fen::from_fen`], [`Fen::from_yuan`] or checked arithmetic. Serialised as an integer number of fen.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Fen(i64);

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// An amount given in fen. Negative values are allowed here (a net income can be negative).
    pub const fn from_fen(fen: i64) -> Fen {
        Fen(fen)
    }

    /// Whole 元; `None` on overflow.
    pub const fn from_yuan(yuan: i64) -> Option<Fen> {
        match yuan.checked_mul(100) {
            Some(fen) => Some(Fen(fen)),
            None => None,
        }
    }

    /// The amount in fen.
    pub const fn fen(self) -> i64 {
        self.0
    }

    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    pub fn checked_add(self, other: Fen) -> Result<Fen, MoneyError> {
        self.0
            .checked_add(other.0)
            .map(Fen)
            .ok_or(MoneyError::Overflow)
    }

    pub fn checked_sub(self, other: Fen) -> Result<Fen, MoneyError> {
        self.0
            .checked_sub(other.0)
            .map(Fen)
            .ok_or(MoneyError::Overflow)
    }

    pub fn checked_mul(self, factor: i64) -> Result<Fen, MoneyError> {
        self.0
            .checked_mul(factor)
            .map(Fen)
            .ok_or(MoneyError::Overflow)
    }

    /// `self × numerator ÷ denominator`, rounded half away from zero to the fen. Used for "1.5 × the line" and for
    /// per-capita figures. `None` when the denominator is zero or the result does not fit.
    pub fn mul_div_round(self, numerator: i64, denominator: i64) -> Option<Fen> {
        if denominator == 0 {
            return None;
        }
        let product = i128::from(self.0) * i128::from(numerator);
        let quotient = div_round_half_away_from_zero(product, i128::from(denominator));
        i64::try_from(quotient).ok().map(Fen)
    }

    /// Parses an amount in 元 as people type it. Accepted:
    /// - digits with an optional decimal point and at most two decimals: `1234`, `1234.5`, `1234.56`, `0.5`, `12.`;
    /// - thousands separators `,` (ASCII) or `，` (full-width) only in correct groups of three: `1,234.56`;
    /// - surrounding whitespace and a trailing `元` are ignored;
    /// - full-width digits and points from a Chinese keyboard (`３６０００`, `１２．５`) are read as ASCII.
    ///
    /// Refused, each with its own [`MoneyError`]: empty input, a minus sign, letters or other characters, two decimal
    /// points, three or more decimals (no silent rounding), misplaced separators, a missing integer part (`.5`), and
    /// amounts above [`MAX_TYPED_FEN`].
    pub fn parse_yuan(input: &str) -> Result<Fen, MoneyError> {
        let folded = crate::text::fold_full_width(input);
        let trimmed = folded.trim();
        let trimmed = trimmed.strip_suffix('元').unwrap_or(trimmed).trim_end();
        if trimmed.is_empty() {
            return Err(MoneyError::Empty);
        }
        if trimmed.starts_with('-') || trimmed.starts_with('−') {
            return Err(MoneyError::Negative);
        }
        let mut integer_part = String::new();
        let mut decimals = String::new();
        let mut seen_point = false;
        let mut separator_positions: Vec<usize> = Vec::new();
        for (position, character) in trimmed.chars().enumerate() {
            match character {
                '0'..='9' if seen_point => decimals.push(character),
                '0'..='9' => integer_part.push(character),
                '.' if seen_point => return Err(MoneyError::MultipleDecimalPoints),
                '.' => seen_point = true,
                ',' | '，' if seen_point => return Err(MoneyError::MisplacedSeparator),
                ',' | '，' => separator_positions.push(integer_part.len()),
                _ => {
                    return Err(MoneyError::InvalidCharacter {
                        character,
                        position,
                    });
                }
            }
        }
        if integer_part.is_empty() {
            return Err(if separator_positions.is_empty() {
                MoneyError::MissingIntegerPart
            } else {
                MoneyError::MisplacedSeparator
            });
        }
        if !separator_positions.is_empty() {
            // Each separator sits after the first group (1–3 digits) and then every three digits.
            let first = separator_positions[0];
            let well_placed = (1..=3).contains(&first)
                && separator_positions
                    .iter()
                    .enumerate()
                    .all(|(index, &at)| at == first + 3 * index)
                && integer_part.len() == first + 3 * separator_positions.len();
            if !well_placed {
                return Err(MoneyError::MisplacedSeparator);
            }
        }
        if decimals.len() > 2 {
            return Err(MoneyError::TooManyDecimals);
        }
        let mut fen: i64 = 0;
        for digit in integer_part.bytes() {
            fen = fen
                .checked_mul(10)
                .and_then(|value| value.checked_add(i64::from(digit - b'0')))
                .ok_or(MoneyError::TooLarge)?;
            if fen > MAX_TYPED_FEN {
                return Err(MoneyError::TooLarge);
            }
        }
        fen = fen.checked_mul(100).ok_or(MoneyError::TooLarge)?;
        let mut decimal_digits = decimals.bytes();
        let tenths = decimal_digits
            .next()
            .map_or(0, |digit| i64::from(digit - b'0'));
        let hundredths = decimal_digits
            .next()
            .map_or(0, |digit| i64::from(digit - b'0'));
        fen = fen
            .checked_add(tenths * 10 + hundredths)
            .ok_or(MoneyError::TooLarge)?;
        if fen > MAX_TYPED_FEN {
            return Err(MoneyError::TooLarge);
        }
        Ok(Fen(fen))
    }

    /// Sums amounts with overflow checking.
    pub fn checked_sum<I: IntoIterator<Item = Fen>>(amounts: I) -> Result<Fen, MoneyError> {
        amounts.into_iter().try_fold(Fen::ZERO, Fen::checked_add)
    }
}

/// Integer division rounding half away from zero (the documented rounding of every computed amount).
pub(crate) fn div_round_half_away_from_zero(numerator: i128, denominator: i128) -> i128 {
    let quotient = numerator / denominator;
    let remainder = numerator % denominator;
    if remainder.abs() * 2 >= denominator.abs() {
        if (numerator < 0) == (denominator < 0) {
            quotient + 1
        } else {
            quotient - 1
        }
    } else {
        quotient
    }
}

/// 元 with two decimals and no separators, e.g. `1234.56`, `-0.05`.
impl fmt::Display for Fen {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let magnitude = self.0.unsigned_abs();
        write!(
            formatter,
            "{sign}{}.{:02}",
            magnitude / 100,
            magnitude % 100
        )
    }
}

/// Why a typed quantity (area, distance) was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QuantityError {
    #[error("the value is empty")]
    Empty,
    #[error("a minus sign is not allowed")]
    Negative,
    #[error("character {character:?} at position {position} is not a digit or '.'")]
    InvalidCharacter { character: char, position: usize },
    #[error("more than one decimal point")]
    MultipleDecimalPoints,
    #[error("more than two decimals")]
    TooManyDecimals,
    #[error("the value is too large")]
    TooLarge,
}

/// A non-negative quantity with two decimals (亩 of land, m² of housing, km of road), stored in hundredths.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Centi(u32);

impl Centi {
    pub const ZERO: Centi = Centi(0);

    pub const fn from_hundredths(hundredths: u32) -> Centi {
        Centi(hundredths)
    }

    pub const fn hundredths(self) -> u32 {
        self.0
    }

    /// Parses `12`, `12.5`, `12.25` (full-width digits too); refuses signs, letters, more than two decimals and values above 42 949 672.95.
    pub fn parse(input: &str) -> Result<Centi, QuantityError> {
        let folded = crate::text::fold_full_width(input);
        let trimmed = folded.trim();
        if trimmed.is_empty() {
            return Err(QuantityError::Empty);
        }
        if trimmed.starts_with('-') {
            return Err(QuantityError::Negative);
        }
        let mut value: u64 = 0;
        let mut decimals: Option<u32> = None;
        for (position, character) in trimmed.chars().enumerate() {
            match (character, decimals) {
                ('0'..='9', None) => {
                    value = value * 10 + u64::from(character as u32 - '0' as u32);
                }
                ('0'..='9', Some(count)) => {
                    if count == 2 {
                        return Err(QuantityError::TooManyDecimals);
                    }
                    value = value * 10 + u64::from(character as u32 - '0' as u32);
                    decimals = Some(count + 1);
                }
                ('.', None) => decimals = Some(0),
                ('.', Some(_)) => return Err(QuantityError::MultipleDecimalPoints),
                _ => {
                    return Err(QuantityError::InvalidCharacter {
                        character,
                        position,
                    });
                }
            }
            if value > u64::from(u32::MAX) {
                return Err(QuantityError::TooLarge);
            }
        }
        if !trimmed.bytes().any(|byte| byte.is_ascii_digit()) {
            return Err(QuantityError::Empty);
        }
        let scale = match decimals.unwrap_or(0) {
            0 => 100,
            1 => 10,
            _ => 1,
        };
        u32::try_from(value * scale)
            .map(Centi)
            .map_err(|_| QuantityError::TooLarge)
    }
}

impl fmt::Display for Centi {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn full_width_amounts_and_quantities_are_converted_not_refused() {
        assert_eq!(Fen::parse_yuan("３６０００"), Ok(Fen::from_fen(3_600_000)));
        assert_eq!(
            Fen::parse_yuan("１，２３４．５０元"),
            Ok(Fen::from_fen(123_450))
        );
        assert_eq!(
            Centi::parse("１２．５").map(|value| value.to_string()),
            Ok("12.50".to_string())
        );
        assert!(Fen::parse_yuan("３６ａ").is_err());
    }

    fn check(input: &str, expected: Result<i64, MoneyError>) {
        assert_eq!(
            Fen::parse_yuan(input).map(Fen::fen),
            expected,
            "input {input:?}"
        );
    }

    #[test]
    fn typed_amounts_parse_to_the_fen() {
        check("1234", Ok(123_400));
        check("1234.5", Ok(123_450));
        check("1234.56", Ok(123_456));
        check("1,234.56", Ok(123_456));
        check("1，234", Ok(123_400));
        check("12,345,678", Ok(1_234_567_800));
        check(" 0.05 ", Ok(5));
        check("12.", Ok(1_200));
        check("3600元", Ok(360_000));
        check("100000000000", Ok(MAX_TYPED_FEN));
    }

    #[test]
    fn each_bad_amount_has_its_own_error() {
        check("", Err(MoneyError::Empty));
        check("  ", Err(MoneyError::Empty));
        check("-5", Err(MoneyError::Negative));
        check(
            "12a",
            Err(MoneyError::InvalidCharacter {
                character: 'a',
                position: 2,
            }),
        );
        check(
            "1e5",
            Err(MoneyError::InvalidCharacter {
                character: 'e',
                position: 1,
            }),
        );
        check("1.2.3", Err(MoneyError::MultipleDecimalPoints));
        check("1.234", Err(MoneyError::TooManyDecimals));
        check("12,34", Err(MoneyError::MisplacedSeparator));
        check("1234,567", Err(MoneyError::MisplacedSeparator));
        check(",123", Err(MoneyError::MisplacedSeparator));
        check("1.5,0", Err(MoneyError::MisplacedSeparator));
        check(".5", Err(MoneyError::MissingIntegerPart));
        check("100000000000.01", Err(MoneyError::TooLarge));
        check("99999999999999999999999", Err(MoneyError::TooLarge));
    }

    #[test]
    fn display_is_yuan_with_two_decimals() {
        assert_eq!(Fen::from_fen(123_456).to_string(), "1234.56");
        assert_eq!(Fen::from_fen(5).to_string(), "0.05");
        assert_eq!(Fen::from_fen(-5).to_string(), "-0.05");
        assert_eq!(Fen::from_fen(i64::MIN).to_string(), "-92233720368547758.08");
    }

    #[test]
    fn arithmetic_overflow_is_a_typed_error() {
        assert_eq!(
            Fen::from_fen(i64::MAX).checked_add(Fen::from_fen(1)),
            Err(MoneyError::Overflow)
        );
        assert_eq!(
            Fen::from_fen(i64::MIN).checked_sub(Fen::from_fen(1)),
            Err(MoneyError::Overflow)
        );
        assert_eq!(Fen::from_fen(i64::MAX).mul_div_round(3, 2), None);
        assert_eq!(
            Fen::from_fen(400_000).mul_div_round(3, 2),
            Some(Fen::from_fen(600_000))
        );
        assert_eq!(Fen::from_fen(5).mul_div_round(1, 2), Some(Fen::from_fen(3)));
        assert_eq!(
            Fen::from_fen(-5).mul_div_round(1, 2),
            Some(Fen::from_fen(-3))
        );
    }

    #[test]
    fn quantities_parse_with_two_decimals() {
        assert_eq!(Centi::parse("12.5"), Ok(Centi::from_hundredths(1_250)));
        assert_eq!(Centi::parse("3"), Ok(Centi::from_hundredths(300)));
        assert_eq!(Centi::parse("1.234"), Err(QuantityError::TooManyDecimals));
        assert_eq!(Centi::parse("-1"), Err(QuantityError::Negative));
        assert_eq!(Centi::parse("."), Err(QuantityError::Empty));
        assert_eq!(
            Centi::parse("1亩"),
            Err(QuantityError::InvalidCharacter {
                character: '亩',
                position: 1
            })
        );
        assert_eq!(Centi::parse("99999999999"), Err(QuantityError::TooLarge));
        assert_eq!(Centi::from_hundredths(1_250).to_string(), "12.50");
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(fen in 0..=MAX_TYPED_FEN) {
            prop_assert_eq!(Fen::parse_yuan(&Fen::from_fen(fen).to_string()), Ok(Fen::from_fen(fen)));
        }

        #[test]
        fn parsing_never_panics(input in "\\PC{0,40}") {
            let _ = Fen::parse_yuan(&input);
            let _ = Centi::parse(&input);
        }
    }
}
