//! A provided table (Changes, Alerts, employee categories, query results,
//! saved questions): header and the rows on screen, each column as wide as
//! its content on screen ([`super::fit`], as the entity tables), `…` where
//! text is cut, wide mode, `row N/M` and marks in the title.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, Table, TableState};

use crate::tui::component::DrawCtx;
use crate::tui::model::{self, thousands};
use crate::tui::pane::PaneKind;
use crate::tui::provided::ProvidedView;

use super::fit::{self, MAX_WIDTH, Want, text_width, truncate};

/// The narrowest a provided column gets before the columns at its right
/// are dropped (its text is cut with `…` below its content's width).
const MIN_WIDTH: u16 = 8;

/// Cells up to this wide (a time, a count, a state) are never cut: a
/// column of them keeps its width while longer text gives way, and is
/// dropped rather than cut when the screen is too narrow.
const WHOLE_WIDTH: u16 = 20;

/// Draws a provided table under the title of the pane `kind`.
pub fn draw(p: &ProvidedView, kind: PaneKind, f: &mut Frame, area: Rect, dc: &DrawCtx) {
    let th = dc.theme;
    let total = p.table().rows.len();
    let shown = p.shown_len();
    // As the entity tables: shown/all and the filter, when one is set.
    let mut title = vec![Span::styled(
        if p.filter().is_empty() {
            format!(" {} [{}] ", kind.title(), thousands(total))
        } else {
            format!(
                " {} [{}/{}] ",
                kind.title(),
                thousands(shown),
                thousands(total)
            )
        },
        th.title,
    )];
    if !p.filter().is_empty() {
        title.push(Span::styled(
            format!("</{}> ", model::clean(p.filter())),
            th.warn,
        ));
    }
    if shown > 0 {
        title.push(Span::styled(
            format!(
                "row {}/{} ",
                thousands(p.scroll.cursor() + 1),
                thousands(shown)
            ),
            th.dim,
        ));
    }
    let marked = p.marked_count();
    if marked > 0 {
        title.push(Span::styled(
            format!("{} marked ", thousands(marked)),
            th.matched,
        ));
    }
    let inner = Block::default().borders(Borders::ALL).inner(area);
    let h = inner.height.saturating_sub(1) as usize;
    let off = p.scroll.window(h, shown);
    let columns = &p.table().columns;
    // Cell texts of the rows on screen, measured to fit the columns.
    let on_screen: Vec<(bool, Vec<String>)> = p
        .shown()
        .skip(off)
        .take(h)
        .map(|r| {
            let cells = (0..columns.len())
                .map(|i| {
                    r.cells
                        .get(i)
                        .map(|c| model::clean(c).into_owned())
                        .unwrap_or_default()
                })
                .collect();
            (p.is_marked(r), cells)
        })
        .collect();
    let last = columns.len().saturating_sub(1);
    let bodies: Vec<u16> = (0..columns.len())
        .map(|i| {
            on_screen
                .iter()
                .filter_map(|(_, r)| r.get(i))
                .map(|s| text_width(s))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut wanted: Vec<Want> = columns
        .iter()
        .zip(&bodies)
        .enumerate()
        .map(|(i, (c, body))| {
            let width = text_width(&model::clean(c)).max(*body).max(1);
            Want {
                column: i,
                // The last column may take the rest of the line; wide mode
                // shows every column whole.
                width: if p.wide || i == last {
                    width
                } else {
                    width.min(MAX_WIDTH)
                },
                // Short values (a time, a count, a state) are kept whole;
                // long text gives way.
                min: if *body <= WHOLE_WIDTH {
                    (*body).max(MIN_WIDTH)
                } else {
                    MIN_WIDTH
                },
                // Columns are dropped from the right, the last one kept
                // longest after the first: the first says what a row is,
                // the last often what happened (a sync's outcome, a rule's
                // description, a change's old → new).
                priority: match i {
                    0 => u8::MAX,
                    i if i == last => u8::MAX - 1,
                    i => u8::try_from(columns.len().saturating_sub(i))
                        .unwrap_or(u8::MAX - 2)
                        .min(u8::MAX - 2),
                },
            }
        })
        .collect();
    let mark_col = marked > 0;
    let avail = inner.width.saturating_sub(if mark_col { 2 } else { 0 });
    if !p.wide {
        // A title wider than its cells is cut before any cell is.
        let floors: Vec<u16> = wanted
            .iter()
            .zip(&bodies)
            .map(|(w, body)| (*body).max(w.width.min(MIN_WIDTH)))
            .collect();
        fit::shrink_titles(&mut wanted, &floors, avail);
    }
    let (fitted, wide_note) = fit::shown_columns(&wanted, p.wide, p.column, avail);
    if let Some(note) = wide_note {
        title.push(Span::styled(note, th.dim));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border)
        .title(Line::from(title));
    f.render_widget(block, area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let mut header_cells: Vec<Cell> = Vec::new();
    if mark_col {
        header_cells.push(Cell::from(""));
    }
    header_cells.extend(fitted.iter().map(|(i, w)| {
        let name = columns.get(*i).map(|c| model::clean(c)).unwrap_or_default();
        // The selected column is lit in wide mode, where h/l scroll to it.
        let style = if p.wide && *i == p.column {
            th.selected_column
        } else {
            th.header
        };
        Cell::from(Span::styled(truncate(&name, *w), style))
    }));
    let rows: Vec<Row> = on_screen
        .iter()
        .map(|(marked, cells)| {
            let mut out: Vec<Cell> = Vec::new();
            if mark_col {
                out.push(Cell::from(if *marked { "●" } else { " " }));
            }
            out.extend(fitted.iter().map(|(i, w)| {
                let text = cells.get(*i).map(String::as_str).unwrap_or("");
                let col = columns.get(*i).map(String::as_str).unwrap_or("");
                Cell::from(Span::styled(truncate(text, *w), th.cell(col, text)))
            }));
            let row = Row::new(out);
            if *marked { row.style(th.matched) } else { row }
        })
        .collect();
    let mut widths: Vec<Constraint> = Vec::new();
    if mark_col {
        widths.push(Constraint::Length(1));
    }
    widths.extend(fitted.iter().map(|(_, w)| Constraint::Length(*w)));
    let mut state = TableState::default();
    if shown > 0 {
        state.select(Some(p.scroll.cursor().saturating_sub(off)));
    }
    f.render_stateful_widget(
        Table::new(rows, widths)
            .header(Row::new(header_cells))
            .column_spacing(1)
            .row_highlight_style(th.selected),
        inner,
        &mut state,
    );
}
