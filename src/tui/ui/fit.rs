//! Fitting columns to their content, for every table (entity tables and
//! provided ones): display widths, cutting text with `…`, dropping and
//! narrowing columns to fit the screen, and wide mode's sideways scroll.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Widest a column grows to fit its content (an e-mail or a group list
/// longer than this is cut with `…`).
pub(super) const MAX_WIDTH: u16 = 48;

/// The display width of `s` in terminal cells.
pub(crate) fn text_width(s: &str) -> u16 {
    u16::try_from(UnicodeWidthStr::width(s)).unwrap_or(u16::MAX)
}

/// `s` cut to `width` cells, with `…` where text was cut.
pub(crate) fn truncate(s: &str, width: u16) -> String {
    let width = usize::from(width);
    if UnicodeWidthStr::width(s) <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// A column asking for room: which it is, the width its content needs, the
/// narrowest it may get, and how much it matters (higher `priority` is
/// dropped last).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Want {
    pub column: usize,
    pub width: u16,
    pub min: u16,
    pub priority: u8,
}

/// Fits `wanted` columns (in display order) into `width` cells with one
/// space between columns: lower-priority columns are dropped while even
/// their narrowest form does not fit, then the widest columns give up cells
/// down to their minimum (their text is cut with `…`). Columns never grow
/// past their content; the space left stays at the right. Returns
/// (column, width) pairs.
pub(super) fn fit_columns(wanted: &[Want], width: u16) -> Vec<(usize, u16)> {
    let mut chosen: Vec<Want> = wanted
        .iter()
        .map(|w| Want {
            min: w.min.min(w.width),
            ..*w
        })
        .collect();
    let total = |v: &[Want], narrowest: bool| -> u32 {
        v.iter()
            .map(|w| u32::from(if narrowest { w.min } else { w.width }))
            .sum::<u32>()
            + v.len().saturating_sub(1) as u32
    };
    while chosen.len() > 1 && total(&chosen, true) > u32::from(width) {
        // Drop the least important column (the rightmost of equals).
        let drop = chosen
            .iter()
            .enumerate()
            .min_by_key(|(pos, w)| (w.priority, std::cmp::Reverse(*pos)))
            .map(|(pos, _)| pos);
        if let Some(pos) = drop {
            chosen.remove(pos);
        }
    }
    let mut over = total(&chosen, false).saturating_sub(u32::from(width));
    while over > 0 {
        // The widest column that may still shrink gives up one cell.
        match chosen
            .iter_mut()
            .filter(|w| w.width > w.min)
            .max_by_key(|w| w.width)
        {
            Some(w) => {
                w.width -= 1;
                over -= 1;
            }
            None => break,
        }
    }
    let mut out: Vec<(usize, u16)> = chosen.into_iter().map(|w| (w.column, w.width)).collect();
    // One column alone never overflows the screen.
    if let [(_, w)] = out.as_mut_slice() {
        *w = (*w).min(width);
    }
    out
}

/// Before any text is cut: columns whose title is wider than their cells
/// give up title cells, one at a time from the one with the most to spare,
/// down to `floors[i]` (its cells' width, or a readable minimum), until the
/// columns fit in `width`. A long title (`Relationships ±`) is cut before
/// a date under a short one is.
pub(super) fn shrink_titles(wanted: &mut [Want], floors: &[u16], width: u16) {
    let total = |v: &[Want]| -> u32 {
        v.iter().map(|w| u32::from(w.width)).sum::<u32>() + v.len().saturating_sub(1) as u32
    };
    let mut over = total(wanted).saturating_sub(u32::from(width));
    while over > 0 {
        let spare = wanted
            .iter_mut()
            .zip(floors)
            .filter(|(w, f)| w.width > **f)
            .max_by_key(|(w, f)| w.width - **f);
        match spare {
            Some((w, _)) => {
                w.width -= 1;
                over -= 1;
            }
            None => break,
        }
    }
}

/// Wide mode: every column at its content's width, scrolled so that the
/// selected column is on screen. Returns the columns shown and whether
/// some are off screen to the left and to the right.
fn scroll_columns(
    all: &[(usize, u16)],
    selected: usize,
    width: u16,
) -> (Vec<(usize, u16)>, bool, bool) {
    let sel = all.iter().position(|(i, _)| *i == selected).unwrap_or(0);
    // The first column shown: as far left as still keeps the selection on screen.
    let fits = |from: usize| {
        let used: u32 = all[from..=sel].iter().map(|(_, w)| u32::from(*w) + 1).sum();
        used <= u32::from(width) + 1
    };
    let start = (0..=sel).find(|s| fits(*s)).unwrap_or(sel);
    let mut shown = Vec::new();
    let mut used: u32 = 0;
    for (i, w) in all.get(start..).unwrap_or(&[]) {
        let need = u32::from(*w) + u32::from(!shown.is_empty());
        if used + need > u32::from(width) {
            if shown.is_empty() {
                shown.push((*i, width));
            }
            break;
        }
        used += need;
        shown.push((*i, *w));
    }
    let right = start + shown.len() < all.len();
    (shown, start > 0, right)
}

/// The columns a table shows: fitted to `width`, or in wide mode every
/// column at full width scrolled to the selected one, with the title's
/// note saying so (see [`wide_note`]).
pub(super) fn shown_columns(
    wanted: &[Want],
    wide: bool,
    selected: usize,
    width: u16,
) -> (Vec<(usize, u16)>, Option<String>) {
    if !wide {
        return (fit_columns(wanted, width), None);
    }
    let all: Vec<(usize, u16)> = wanted.iter().map(|w| (w.column, w.width)).collect();
    let (shown, more_left, more_right) = scroll_columns(&all, selected, width);
    (shown, Some(wide_note(more_left, more_right)))
}

/// The title's note for wide mode: `wide`, with arrows where columns are
/// off screen.
fn wide_note(more_left: bool, more_right: bool) -> String {
    let arrows = match (more_left, more_right) {
        (true, true) => " ←→",
        (true, false) => " ←",
        (false, true) => " →",
        (false, false) => "",
    };
    format!("wide{arrows} ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn want(column: usize, width: u16, min: u16, priority: u8) -> Want {
        Want {
            column,
            width,
            min,
            priority,
        }
    }

    #[test]
    fn columns_shrink_the_widest_first_then_drop_the_least_important() {
        let cols = [want(0, 10, 4, 9), want(1, 30, 6, 5), want(2, 8, 8, 1)];
        // everything fits: content widths
        assert_eq!(fit_columns(&cols, 60), [(0, 10), (1, 30), (2, 8)]);
        // 10 cells short: the widest gives them up
        assert_eq!(fit_columns(&cols, 40), [(0, 10), (1, 20), (2, 8)]);
        // even the narrowest forms do not fit: the lowest priority goes
        assert_eq!(fit_columns(&cols, 15), [(0, 7), (1, 7)]);
        // one column alone never overflows
        assert_eq!(fit_columns(&cols[1..2], 3), [(1, 3)]);
    }

    #[test]
    fn long_titles_give_way_before_cells() {
        let mut cols = [want(0, 19, 8, 2), want(1, 15, 8, 1)];
        // the second column's cells need 5: its title goes to 10, the date stays whole
        shrink_titles(&mut cols, &[19, 8], 30);
        assert_eq!((cols[0].width, cols[1].width), (19, 10));
        // never below the floors
        shrink_titles(&mut cols, &[19, 8], 10);
        assert_eq!((cols[0].width, cols[1].width), (19, 8));
    }

    #[test]
    fn text_is_cut_with_an_ellipsis_by_display_width() {
        assert_eq!(truncate("abcdef", 6), "abcdef");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("日本語テキスト", 5), "日本…");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn wide_scrolls_to_keep_the_selected_column_on_screen() {
        let all = [(0, 10), (1, 10), (2, 10), (3, 10)];
        let (shown, left, right) = scroll_columns(&all, 3, 25);
        assert_eq!(shown, [(2, 10), (3, 10)]);
        assert!(left && !right);
        let (shown, left, right) = scroll_columns(&all, 0, 25);
        assert_eq!(shown, [(0, 10), (1, 10)]);
        assert!(!left && right);
    }
}
