//! The password policy for every password an administrator sets (`admin create-user`, `admin reset-password`):
//! at least [`MIN_PASSWORD_CHARS`] characters, not the account's phone number nor containing it, and not one of
//! the common passwords in `data/common-passwords.txt`. Phone numbers are in every household record a helper
//! downloads, so a password built from one is guessed first.
//!
//! The demo accounts keep their published password: they are seeded directly, not through this policy.

use std::collections::HashSet;
use std::sync::LazyLock;

/// The shortest password accepted, in characters (not bytes: 汉字 count one each).
pub const MIN_PASSWORD_CHARS: usize = 10;

/// What is wrong with a password; the `Display` text is the message shown to the administrator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyViolation {
    #[error("the password has {chars} characters; it needs at least {MIN_PASSWORD_CHARS}")]
    TooShort { chars: usize },
    #[error(
        "the password contains the account's phone number, which anyone may know; choose another"
    )]
    ContainsPhone,
    #[error(
        "the password is one of the most common passwords (it is guessed first); choose another"
    )]
    Common,
}

static COMMON_PASSWORDS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
});

/// Checks a new password for the account with `phone` (digits only; surrounding spaces ignored).
pub fn check(password: &str, phone: &str) -> Result<(), PolicyViolation> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PolicyViolation::TooShort { chars });
    }
    let phone = phone.trim();
    let digits: String = password.chars().filter(char::is_ascii_digit).collect();
    if !phone.is_empty() && (password.contains(phone) || digits.contains(phone)) {
        return Err(PolicyViolation::ContainsPhone);
    }
    if COMMON_PASSWORDS.contains(&password.trim().to_lowercase()) {
        return Err(PolicyViolation::Common);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHONE: &str = "13900000001";

    #[test]
    fn a_password_shorter_than_ten_characters_is_refused() {
        assert_eq!(
            check("abc12345!", PHONE),
            Err(PolicyViolation::TooShort { chars: 9 })
        );
        assert_eq!(
            check("", PHONE),
            Err(PolicyViolation::TooShort { chars: 0 })
        );
        // Characters, not bytes: ten 汉字 are long enough, nine are not.
        assert_eq!(check("走访扶贫村里的一户人家", PHONE), Ok(()));
        assert_eq!(
            check("走访扶贫村里一户人", PHONE),
            Err(PolicyViolation::TooShort { chars: 9 })
        );
    }

    #[test]
    fn a_password_containing_the_phone_number_is_refused() {
        assert_eq!(check(PHONE, PHONE), Err(PolicyViolation::ContainsPhone));
        assert_eq!(
            check("wang13900000001", PHONE),
            Err(PolicyViolation::ContainsPhone)
        );
        assert_eq!(
            check("139-0000-0001 ok", PHONE),
            Err(PolicyViolation::ContainsPhone)
        );
        assert_eq!(check("13900000002 is mine", PHONE), Ok(()));
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        for common in [
            "123456789a",
            "1qaz2wsx3edc",
            "woaini1314",
            "A123456789",
            "QWERTYUIOP",
            "1234567890",
            "Password123",
            "5201314520",
            "zoufang2026",
        ] {
            assert_eq!(
                check(common, PHONE),
                Err(PolicyViolation::Common),
                "{common}"
            );
        }
        assert_eq!(check("correct horse 电池", PHONE), Ok(()));
    }

    #[test]
    fn the_list_is_a_few_hundred_passwords_and_has_no_comment_lines_in_it() {
        assert!(COMMON_PASSWORDS.len() > 300, "{}", COMMON_PASSWORDS.len());
        assert!(COMMON_PASSWORDS.iter().all(|entry| !entry.starts_with('#')));
        assert!(COMMON_PASSWORDS.contains("123456789"));
    }
}
