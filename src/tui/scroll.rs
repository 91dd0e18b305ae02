//! One scroll state for every list on screen: entity tables, detail lines,
//! provided rows and the raw-JSON viewport.
//!
//! The cursor moves while the app handles an action; the height is only
//! known while drawing, so the draw records it (and the offset it chose) in
//! `Cell`s, and paging uses the height of the last frame.

use std::cell::Cell;

/// Cursor, first visible row and visible height of a list.
#[derive(Debug)]
pub struct Scroll {
    cursor: usize,
    offset: Cell<usize>,
    height: Cell<usize>,
}

impl Default for Scroll {
    fn default() -> Self {
        Scroll {
            cursor: 0,
            offset: Cell::new(0),
            // A page before the first draw: the usual body height of a small terminal.
            height: Cell::new(10),
        }
    }
}

impl Scroll {
    /// The selected row.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The first row shown at the last draw.
    pub fn offset(&self) -> usize {
        self.offset.get()
    }

    /// Rows shown at the last draw (at least one), for paging.
    pub fn page(&self) -> usize {
        self.height.get().max(1)
    }

    /// Moves the cursor by `delta` rows, staying within `len` rows.
    pub fn move_by(&mut self, delta: isize, len: usize) {
        self.cursor = self.cursor.saturating_add_signed(delta).min(last(len));
    }

    /// Puts the cursor on row `pos` (`usize::MAX`: the last row).
    pub fn move_to(&mut self, pos: usize, len: usize) {
        self.cursor = pos.min(last(len));
    }

    /// Keeps the cursor on a row after the list changed to `len` rows.
    pub fn clamp(&mut self, len: usize) {
        self.move_to(self.cursor, len);
    }

    /// The first row to draw in `height` rows of a `len`-row list: the
    /// cursor stays on screen, and the window never starts so late that
    /// rows could be shown but are not (a list that shrank while scrolled
    /// down would otherwise show only its tail).
    pub fn window(&self, height: usize, len: usize) -> usize {
        self.height.set(height.max(1));
        let mut off = self.offset.get();
        if self.cursor < off {
            off = self.cursor;
        } else if height > 0 && self.cursor >= off + height {
            off = self.cursor + 1 - height;
        }
        off = off.min(len.saturating_sub(height.max(1)));
        self.offset.set(off);
        off
    }

    // ---------- a viewport without a cursor (raw JSON) ----------

    /// Records the height drawn, for a viewport that draws from `offset`.
    pub fn set_height(&self, height: usize) {
        self.height.set(height.max(1));
    }

    /// Scrolls the viewport by `delta` lines, the last page at most.
    pub fn pan_by(&mut self, delta: isize, len: usize) {
        let max = len.saturating_sub(self.page());
        self.offset
            .set(self.offset.get().saturating_add_signed(delta).min(max));
    }

    /// Scrolls the viewport to line `pos`, the last page at most.
    pub fn pan_to(&mut self, pos: usize, len: usize) {
        let max = len.saturating_sub(self.page());
        self.offset.set(pos.min(max));
    }

    /// Puts line `line` at the top, even past the last full page: a search
    /// match is shown on the first line wherever it is.
    pub fn show_at_top(&mut self, line: usize) {
        self.offset.set(line);
    }
}

fn last(len: usize) -> usize {
    len.saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_stays_within_the_rows() {
        let mut s = Scroll::default();
        s.move_by(5, 3);
        assert_eq!(s.cursor(), 2);
        s.move_by(-10, 3);
        assert_eq!(s.cursor(), 0);
        s.move_to(usize::MAX, 7);
        assert_eq!(s.cursor(), 6);
        s.clamp(4);
        assert_eq!(s.cursor(), 3);
        s.move_by(1, 0);
        assert_eq!(s.cursor(), 0);
    }

    #[test]
    fn the_window_follows_the_cursor() {
        let mut s = Scroll::default();
        assert_eq!(s.window(10, 100), 0);
        s.move_to(25, 100);
        assert_eq!(s.window(10, 100), 16, "cursor on the last visible row");
        s.move_to(3, 100);
        assert_eq!(s.window(10, 100), 3, "cursor on the first visible row");
        assert_eq!(s.page(), 10);
    }

    #[test]
    fn a_list_that_shrank_while_scrolled_fills_the_window() {
        let mut s = Scroll::default();
        s.move_to(usize::MAX, 100);
        assert_eq!(s.window(10, 100), 90);
        // the rows are replaced by 15 rows; the cursor is kept on the last one
        s.clamp(15);
        assert_eq!(s.cursor(), 14);
        // rows 5..15 are shown, not row 14 alone
        assert_eq!(s.window(10, 15), 5);
    }

    #[test]
    fn a_viewport_pans_to_the_last_page_at_most() {
        let mut s = Scroll::default();
        s.set_height(10);
        s.pan_by(50, 30);
        assert_eq!(s.offset(), 20);
        s.pan_to(0, 30);
        assert_eq!(s.offset(), 0);
        s.show_at_top(28);
        assert_eq!(s.offset(), 28);
        s.set_height(0);
        assert_eq!(s.page(), 1);
    }
}
