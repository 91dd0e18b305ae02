//! The column chooser (`C` on a table): every column of the table's kind,
//! shown ones first in their order; Space shows or hides the column under
//! the cursor, `<`/`>` move it up or down. Every change applies to all
//! tables of that kind at once and is saved in the config's `[tui.columns]`.

use super::columns::{ColumnPrefs, TableKind};
use super::scroll::Scroll;

#[derive(Debug)]
pub struct ColumnChooser {
    pub kind: TableKind,
    /// Every column (index into the kind's columns) and whether it is
    /// shown, in display order.
    pub layout: Vec<(usize, bool)>,
    pub scroll: Scroll,
}

impl ColumnChooser {
    pub fn new(kind: TableKind, prefs: &ColumnPrefs, selected: usize) -> ColumnChooser {
        let layout = prefs.layout(kind);
        let mut scroll = Scroll::default();
        let at = layout.iter().position(|(i, _)| *i == selected).unwrap_or(0);
        scroll.move_to(at, layout.len());
        ColumnChooser {
            kind,
            layout,
            scroll,
        }
    }

    /// Shows or hides the column under the cursor; the last shown column
    /// cannot be hidden. Returns whether anything changed.
    pub fn toggle(&mut self) -> bool {
        let shown = self.layout.iter().filter(|(_, s)| *s).count();
        match self.layout.get_mut(self.scroll.cursor()) {
            Some((_, s)) if *s && shown == 1 => false,
            Some((_, s)) => {
                *s = !*s;
                true
            }
            None => false,
        }
    }

    /// Moves the column under the cursor `delta` places (the cursor goes
    /// with it). Returns whether anything changed.
    pub fn move_by(&mut self, delta: isize) -> bool {
        let from = self.scroll.cursor();
        let to = from
            .saturating_add_signed(delta)
            .min(self.layout.len().saturating_sub(1));
        if from == to || from >= self.layout.len() {
            return false;
        }
        let item = self.layout.remove(from);
        self.layout.insert(to, item);
        self.scroll.move_to(to, self.layout.len());
        true
    }
}

/// Moves column `column` of the shown ones `delta` places in `prefs`'
/// order (`<`/`>` on a table). Returns the new layout when it changed.
pub fn shift_column(
    prefs: &ColumnPrefs,
    kind: TableKind,
    column: usize,
    delta: isize,
) -> Option<Vec<(usize, bool)>> {
    let mut layout = prefs.layout(kind);
    let shown = layout.iter().filter(|(_, s)| *s).count();
    let from = layout.iter().position(|(i, s)| *i == column && *s)?;
    let to = from
        .saturating_add_signed(delta)
        .min(shown.saturating_sub(1));
    if to == from {
        return None;
    }
    let item = layout.remove(from);
    layout.insert(to, item);
    Some(layout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggles_and_moves_but_keeps_one_column() {
        let prefs = ColumnPrefs::default();
        let mut c = ColumnChooser::new(TableKind::Roles, &prefs, 1);
        assert_eq!(c.scroll.cursor(), 1);
        assert!(c.toggle(), "Members hidden");
        assert!(c.move_by(-1));
        assert_eq!(c.layout[0], (1, false));
        assert_eq!(c.scroll.cursor(), 0);
        let mut p = ColumnPrefs::default();
        p.set_layout(TableKind::Roles, &c.layout);
        assert_eq!(p.shown(TableKind::Roles), vec![0, 2, 3, 4, 5]);
        // hide all but one: the last stays
        let n = c.layout.len();
        for i in 0..n {
            c.scroll.move_to(i, n);
            if c.layout[i].1 {
                c.toggle();
            }
        }
        assert_eq!(c.layout.iter().filter(|(_, s)| *s).count(), 1);
    }

    #[test]
    fn shifting_a_table_column_stays_among_the_shown_ones() {
        let p = ColumnPrefs::default();
        let l = shift_column(&p, TableKind::Groups, 0, 1).unwrap();
        assert_eq!(l[0], (1, true));
        assert_eq!(l[1], (0, true));
        assert_eq!(shift_column(&p, TableKind::Groups, 0, -1), None);
        assert_eq!(shift_column(&p, TableKind::Groups, 4, 1), None);
    }
}
