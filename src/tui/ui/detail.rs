//! A detail view: lines of a profile or an entity, the selected one
//! highlighted whole, links styled as links.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::tui::component::DrawCtx;
use crate::tui::detail::{DetailView, SettingsState, Tone};
use crate::tui::model;
use crate::tui::theme::Theme;

fn tone(th: &Theme, t: Tone) -> Style {
    match t {
        Tone::Plain => Style::new(),
        Tone::Label => th.label,
        Tone::Link => th.link,
        Tone::Heading => th.heading,
        Tone::Dim => th.dim,
        Tone::Ok => th.ok,
        Tone::Warn => th.warn,
        Tone::Error => th.error,
    }
}

pub(super) fn draw(d: &DetailView, f: &mut Frame, area: Rect, dc: &DrawCtx) {
    let th = dc.theme;
    let mut title = vec![Span::styled(format!(" {} ", d.title), th.title)];
    if !d.filter.is_empty() {
        title.push(Span::styled(
            format!("</{}> ", model::clean(&d.filter)),
            th.warn,
        ));
    }
    // Where Tab has got to among the links (Enter opens the one selected).
    match d.link_position() {
        (0, 0) => {}
        (0, n) => title.push(Span::styled(format!("{n} links "), th.dim)),
        (at, n) => title.push(Span::styled(format!("link {at}/{n} "), th.dim)),
    }
    if d.settings == SettingsState::Loading {
        title.push(Span::styled(
            format!("{} loading settings ", dc.spinner),
            th.warn,
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border)
        .title(Line::from(title));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let h = inner.height as usize;
    let visible = d.visible();
    let off = d.scroll.window(h, visible.len());
    let lines: Vec<Line> = visible
        .iter()
        .enumerate()
        .skip(off)
        .take(h)
        .map(|(i, l)| {
            // The selected line takes the selection style whole, so its
            // text stays readable whatever the span colours are.
            let selected = i == d.scroll.cursor();
            let line = Line::from(
                l.spans
                    .iter()
                    .map(|(t, s)| {
                        Span::styled(s.clone(), if selected { th.selected } else { tone(th, *t) })
                    })
                    .collect::<Vec<_>>(),
            );
            if selected {
                line.style(th.selected)
            } else {
                line
            }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}
