//! The order households are listed in, the same on the server and on the phone.

use std::cmp::Ordering;

/// Lists order households by 组 in numeral order (一组, 二组 … 十组, 十一组; `3组` and `第三组` too), then by
/// 户编号. A 组 name without a leading numeral sorts after the numbered ones, by its text.
pub fn listing_order((group_a, code_a): (&str, &str), (group_b, code_b): (&str, &str)) -> Ordering {
    group_key(group_a)
        .cmp(&group_key(group_b))
        .then_with(|| code_a.cmp(code_b))
}

fn group_key(group: &str) -> (u32, &str) {
    (leading_numeral(group).unwrap_or(u32::MAX), group)
}

/// The number at the start of a 组 name: arabic digits or a Chinese numeral below 1000, after an optional 第.
fn leading_numeral(text: &str) -> Option<u32> {
    let text = text.trim_start().trim_start_matches('第');
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        return digits.parse().ok();
    }
    let mut total = 0;
    let mut pending: Option<u32> = None;
    let mut seen = false;
    for character in text.chars() {
        let digit = match character {
            '零' | '〇' => Some(0),
            '一' => Some(1),
            '二' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        };
        if let Some(digit) = digit {
            pending = Some(digit);
            seen = true;
            continue;
        }
        let unit = match character {
            '十' => 10,
            '百' => 100,
            _ => break,
        };
        total += pending.take().unwrap_or(1) * unit;
        seen = true;
    }
    seen.then(|| total + pending.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_sort_by_their_numeral_then_by_text() {
        assert_eq!(leading_numeral("一组"), Some(1));
        assert_eq!(leading_numeral("二组"), Some(2));
        assert_eq!(leading_numeral("十组"), Some(10));
        assert_eq!(leading_numeral("十一组"), Some(11));
        assert_eq!(leading_numeral("二十三组"), Some(23));
        assert_eq!(leading_numeral("一百零五组"), Some(105));
        assert_eq!(leading_numeral("第三组"), Some(3));
        assert_eq!(leading_numeral("12组"), Some(12));
        assert_eq!(leading_numeral("南坡村"), None);
        let mut groups = vec!["南坡村", "十一组", "三组", "二组", "一组", "10组"];
        groups.sort_by(|a, b| listing_order((a, ""), (b, "")));
        assert_eq!(groups, ["一组", "二组", "三组", "10组", "十一组", "南坡村"]);
        assert_eq!(
            listing_order(("一组", "0002"), ("一组", "0001")),
            Ordering::Greater
        );
    }
}
