//! Cells of CSV files the academy writes, made safe for spreadsheets.
//!
//! Excel and WPS run a cell that begins with `=`, `+`, `-` or `@` (and, after
//! a tab or carriage return, whatever follows) as a formula: a question or a
//! learner's answer `=HYPERLINK("http://…")` would become a live link, or
//! worse, in the organizer's spreadsheet. Every such cell is written with a
//! leading `'`, which spreadsheets show as text; reading our own CSV back
//! removes it again, so export → import gives the same text.

use std::borrow::Cow;

/// The first characters that make a spreadsheet evaluate a cell.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn is_triggering(cell: &str) -> bool {
    cell.starts_with(TRIGGERS)
}

/// The cell as it is written to CSV: prefixed with `'` when a spreadsheet
/// would otherwise evaluate it (or when it begins with `'` itself, so that
/// reading it back can tell the two apart).
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if is_triggering(cell) || cell.starts_with('\'') {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The cell as it was before [`neutralise`]: a `'` followed by a triggering
/// character or by another `'` is dropped; anything else is kept as it is
/// (a name written `'张三` by hand stays as it is).
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if is_triggering(rest) || rest.starts_with('\'') => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_become_text() {
        assert_eq!(neutralise("=1+1"), "'=1+1");
        assert_eq!(neutralise("+86 138"), "'+86 138");
        assert_eq!(neutralise("-5 的绝对值"), "'-5 的绝对值");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\t=cmd"), "'\t=cmd");
        assert_eq!(neutralise("\r=cmd"), "'\r=cmd");
        assert_eq!(neutralise("正常的题干 = 1"), "正常的题干 = 1");
        assert_eq!(neutralise(""), "");
        assert_eq!(neutralise("'quoted"), "''quoted");
    }

    #[test]
    fn reading_back_gives_the_original() {
        assert_eq!(restore("'=1+1"), "=1+1");
        assert_eq!(restore("'quoted"), "'quoted");
        assert_eq!(restore("''quoted"), "'quoted");
        assert_eq!(restore("plain"), "plain");
    }

    proptest! {
        #[test]
        fn neutralised_cells_never_start_a_formula_and_round_trip(cell in "\\PC{0,20}|[=+@\\t\\r'-].{0,10}") {
            let written = neutralise(&cell);
            prop_assert!(!is_triggering(&written));
            prop_assert_eq!(restore(&written), cell.as_str());
        }
    }
}
