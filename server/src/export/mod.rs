//! Files a first secretary or helper takes away from the server: CSV tables (UTF-8 with a byte-order mark, so Excel
//! shows Chinese) and the printable 一户一策 明白卡 page. Pure: the handlers in `api::exports` read the data and
//! check who may have it.
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) as a
//! formula, so a name or note typed as `=HYPERLINK(…)` could act when the file is opened: every such cell is
//! written with a leading `'`, which spreadsheets show as text.

pub mod card;

/// The UTF-8 byte-order mark Excel needs to read a CSV file as UTF-8.
pub const BOM: &str = "\u{FEFF}";

/// One CSV cell: neutralised if it looks like a formula, then quoted (with quotes doubled).
pub fn csv_cell(text: &str) -> String {
    let looks_like_formula = text
        .chars()
        .next()
        .is_some_and(|first| matches!(first, '=' | '+' | '-' | '@' | '\t' | '\r'));
    let text = if looks_like_formula {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// A whole CSV file: the byte-order mark, then each row's cells joined by commas, rows ended by CRLF.
pub fn csv_document(rows: &[Vec<String>]) -> String {
    let mut out = String::from(BOM);
    for row in rows {
        let cells: Vec<String> = row.iter().map(|cell| csv_cell(cell)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Text for HTML: the five characters that could open markup or leave an attribute are escaped.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_looking_cells_are_written_as_text() {
        for (input, expected) in [
            ("=1+1", "\"'=1+1\""),
            ("+86 138", "\"'+86 138\""),
            ("-12.00", "\"'-12.00\""),
            ("@SUM(A1)", "\"'@SUM(A1)\""),
            ("\t=1", "\"'\t=1\""),
            ("\r=1", "\"'\r=1\""),
            (
                "=HYPERLINK(\"http://x\")",
                "\"'=HYPERLINK(\"\"http://x\"\")\"",
            ),
        ] {
            assert_eq!(csv_cell(input), expected, "{input:?}");
        }
    }

    #[test]
    fn ordinary_cells_are_quoted_unchanged() {
        for (input, expected) in [
            ("王海燕", "\"王海燕\""),
            ("1200.00", "\"1200.00\""),
            ("", "\"\""),
            ("a,b", "\"a,b\""),
            ("说\"明\"", "\"说\"\"明\"\"\""),
            ("中=间", "\"中=间\""),
        ] {
            assert_eq!(csv_cell(input), expected, "{input:?}");
        }
    }

    #[test]
    fn a_csv_file_starts_with_the_byte_order_mark_and_ends_rows_with_crlf() {
        let text = csv_document(&[
            vec!["户编号".into(), "户主".into()],
            vec!["001".into(), "=危险".into()],
        ]);
        assert!(text.as_bytes().starts_with(&[0xEF, 0xBB, 0xBF]));
        assert_eq!(
            text,
            "\u{FEFF}\"户编号\",\"户主\"\r\n\"001\",\"'=危险\"\r\n"
        );
    }

    #[test]
    fn html_text_cannot_open_markup() {
        assert_eq!(
            html_escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
