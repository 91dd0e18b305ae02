//! A provided table (Changes, Alerts, employee categories, query results):
//! header and the rows on screen, in equal columns.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, Table, TableState};

use crate::tui::component::DrawCtx;
use crate::tui::model::{self, thousands};
use crate::tui::pane::PaneKind;
use crate::tui::provided::ProvidedView;

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
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border)
        .title(Line::from(title));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let h = inner.height.saturating_sub(1) as usize;
    let off = p.scroll.window(h, shown);
    let n = p.table().columns.len().max(1) as u32;
    let header = Row::new(
        p.table()
            .columns
            .iter()
            .map(|c| Cell::from(Span::styled(model::clean(c).into_owned(), th.header))),
    );
    let rows: Vec<Row> = p
        .shown()
        .skip(off)
        .take(h)
        .map(|r| {
            Row::new(r.cells.iter().zip(&p.table().columns).map(|(c, col)| {
                Cell::from(Span::styled(model::clean(c).into_owned(), th.cell(col, c)))
            }))
        })
        .collect();
    let widths: Vec<Constraint> = (0..n).map(|_| Constraint::Ratio(1, n)).collect();
    let mut state = TableState::default();
    if shown > 0 {
        state.select(Some(p.scroll.cursor().saturating_sub(off)));
    }
    f.render_stateful_widget(
        Table::new(rows, widths)
            .header(header)
            .row_highlight_style(th.selected),
        inner,
        &mut state,
    );
}
