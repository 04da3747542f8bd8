//! What people type on a Chinese phone keyboard, made plain before parsing: full-width forms (`３６０００`, `１２．５`,
//! the IME's `Ｘ`) become their ASCII forms, so they are converted instead of refused.

use std::borrow::Cow;

/// Replaces full-width ASCII forms (U+FF01–U+FF5E) with their ASCII characters and the ideographic space (U+3000)
/// with a space. Everything else is kept; text without such characters is returned as it is.
pub fn fold_full_width(input: &str) -> Cow<'_, str> {
    if !input.chars().any(is_full_width) {
        return Cow::Borrowed(input);
    }
    Cow::Owned(
        input
            .chars()
            .map(|character| match character {
                '\u{3000}' => ' ',
                '\u{FF01}'..='\u{FF5E}' => {
                    char::from_u32(u32::from(character) - 0xFEE0).unwrap_or(character)
                }
                other => other,
            })
            .collect(),
    )
}

fn is_full_width(character: char) -> bool {
    matches!(character, '\u{3000}' | '\u{FF01}'..='\u{FF5E}')
}

/// An ID number as it should be kept while typing: full-width forms folded, spaces removed, `x` upper-cased.
pub fn plain_id_number(input: &str) -> String {
    fold_full_width(input)
        .chars()
        .filter(|character| !character.is_whitespace())
        .map(|character| character.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_points_and_letters_become_ascii() {
        assert_eq!(fold_full_width("３６０００"), "36000");
        assert_eq!(fold_full_width("１，２３４．５０元"), "1,234.50元");
        assert_eq!(
            fold_full_width("４６０１０７１９７５１２０５０６３Ｘ"),
            "46010719751205063X"
        );
        assert_eq!(fold_full_width("１\u{3000}２"), "1 2");
    }

    #[test]
    fn plain_text_is_borrowed_and_chinese_is_kept() {
        assert!(matches!(fold_full_width("1234"), Cow::Borrowed("1234")));
        assert_eq!(fold_full_width("王海 ５ 口"), "王海 5 口");
    }

    #[test]
    fn an_id_number_from_an_ime_is_kept_plain() {
        assert_eq!(
            plain_id_number(" ４６０１０７ １９７５１２０５０６３ｘ "),
            "46010719751205063X"
        );
        assert_eq!(plain_id_number("46010719751205063x"), "46010719751205063X");
    }
}
