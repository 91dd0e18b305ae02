//! The column chooser: every column of a table's kind, a check mark on the
//! shown ones, in display order, with the keys that change it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::graph::EntityType;
use crate::tui::action::Action;
use crate::tui::chooser::ColumnChooser;
use crate::tui::component::DrawCtx;
use crate::tui::keymap::Mode;

pub(super) fn draw(c: &ColumnChooser, f: &mut Frame, area: Rect, dc: &DrawCtx) {
    let th = dc.theme;
    let what = match c.kind.entity_type() {
        EntityType::Role => "Roles".to_string(),
        EntityType::Employee => "Employees".to_string(),
        t => format!("{}s", t.class()),
    };
    let shown = c.layout.iter().filter(|(_, s)| *s).count();
    let title = Line::from(vec![
        Span::styled(format!(" Columns of {what} "), th.title),
        Span::styled(
            format!(
                "{shown}/{} shown · row {}/{} ",
                c.layout.len(),
                c.scroll.cursor() + 1,
                c.layout.len()
            ),
            th.dim,
        ),
    ]);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border)
        .title(title);
    let inner = block.inner(area);
    f.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    let [list, hint] = Layout::vertical([
        Constraint::Min(0),
        Constraint::Length(u16::from(inner.height >= 4)),
    ])
    .areas(inner);
    let h = list.height as usize;
    let off = c.scroll.window(h, c.layout.len());
    let cols = c.kind.columns();
    let lines: Vec<Line> = c
        .layout
        .iter()
        .enumerate()
        .skip(off)
        .take(h)
        .map(|(n, (i, on))| {
            let name = cols.get(*i).map(|c| c.title).unwrap_or("?");
            let text = format!(" [{}] {name}", if *on { "x" } else { " " });
            if n == c.scroll.cursor() {
                Line::from(Span::styled(text, th.selected)).style(th.selected)
            } else if *on {
                Line::from(Span::raw(text))
            } else {
                Line::from(Span::styled(text, th.dim))
            }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), list);
    let key = |a: Action| dc.keymap.first_key(Mode::Normal, a);
    let hint_text = format!(
        " {} show/hide · {} {} move up/down · {} done — saved in the config file",
        key(Action::Mark),
        key(Action::ColumnEarlier),
        key(Action::ColumnLater),
        key(Action::ClearOrBack),
    );
    f.render_widget(
        Paragraph::new(Line::from(Span::styled(hint_text, th.dim))),
        hint,
    );
}
