//! The Activity list: an event a row, the columns sized for what they hold
//! (a time, an e-mail, a word or two, a name) and the detail taking the
//! rest, so the text that says what happened is what a narrow terminal
//! keeps. On a narrow terminal the time drops its year and seconds.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, Table, TableState};

use crate::tui::component::DrawCtx;
use crate::tui::model::{self, thousands};
use crate::tui::provided::ProvidedView;

/// Below this width the columns shrink and the time is `12-07 14:30`.
const NARROW: u16 = 120;

pub fn draw(p: &ProvidedView, f: &mut Frame, area: Rect, dc: &DrawCtx) {
    let th = dc.theme;
    let total = p.table().rows.len();
    let shown = p.shown_len();
    let mut title = vec![Span::styled(
        if p.filter().is_empty() {
            format!(" Activity [{}] ", thousands(total))
        } else {
            format!(" Activity [{}/{}] ", thousands(shown), thousands(total))
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
    let narrow = inner.width < NARROW;
    // time, operator, action, category, subject; the detail takes the rest
    let widths: [u16; 5] = if narrow {
        [11, 16, 7, 7, 12]
    } else {
        [19, 30, 12, 10, 24]
    };
    let time = |t: &str| -> String {
        if narrow {
            // `2026-12-07 14:30:00` → `12-07 14:30`
            t.chars().skip(5).take(11).collect()
        } else {
            t.to_string()
        }
    };
    let header = Row::new(p.table().columns.iter().enumerate().map(|(i, c)| {
        let c = if i == 0 && narrow { "Time" } else { c.as_str() };
        Cell::from(Span::styled(model::clean(c).into_owned(), th.header))
    }));
    let h = inner.height.saturating_sub(1) as usize;
    let off = p.scroll.window(h, shown);
    let rows: Vec<Row> = p
        .shown()
        .skip(off)
        .take(h)
        .map(|r| {
            Row::new(r.cells.iter().enumerate().map(|(i, c)| {
                let text = if i == 0 { time(c) } else { c.clone() };
                Cell::from(model::clean(&text).into_owned())
            }))
        })
        .collect();
    let constraints: Vec<Constraint> = widths
        .iter()
        .map(|w| Constraint::Length(*w))
        .chain([Constraint::Fill(1)])
        .collect();
    let mut state = TableState::default();
    if shown > 0 {
        state.select(Some(p.scroll.cursor().saturating_sub(off)));
    }
    f.render_stateful_widget(
        Table::new(rows, constraints)
            .header(header)
            .row_highlight_style(th.selected),
        inner,
        &mut state,
    );
}
