//! The raw JSON viewer: a viewport over the lines, search hits highlighted,
//! the current hit reversed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::tui::component::DrawCtx;
use crate::tui::model;
use crate::tui::raw::RawView;

pub(super) fn draw(r: &RawView, f: &mut Frame, area: Rect, dc: &DrawCtx) {
    let th = dc.theme;
    let mut title = vec![Span::styled(format!(" JSON {} ", r.title), th.title)];
    if !r.search.is_empty() {
        title.push(Span::styled(
            format!(
                "</{}> {}/{} ",
                model::clean(&r.search),
                (r.current + 1).min(r.matches.len()),
                r.matches.len()
            ),
            th.warn,
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border)
        .title(Line::from(title));
    let inner = block.inner(area);
    f.render_widget(block, area);
    r.scroll.set_height(inner.height as usize);
    let Some(lines) = &r.lines else {
        f.render_widget(Paragraph::new(format!("{} loading…", dc.spinner)), inner);
        return;
    };
    let needle = r.search.to_lowercase();
    let out: Vec<Line> = lines
        .iter()
        .enumerate()
        .skip(r.scroll.offset())
        .take(inner.height as usize)
        .map(|(i, l)| {
            let current = r.matches.get(r.current) == Some(&i);
            let mut line = substring_highlight(l, &needle, th.matched);
            if current {
                line = line.style(Style::new().add_modifier(Modifier::REVERSED));
            }
            line
        })
        .collect();
    f.render_widget(Paragraph::new(out), inner);
}

fn substring_highlight(text: &str, needle: &str, style: Style) -> Line<'static> {
    if needle.is_empty() || !text.is_ascii() || !needle.is_ascii() {
        return Line::from(text.to_string());
    }
    let lower = text.to_ascii_lowercase();
    let mut spans = Vec::new();
    let mut pos = 0;
    while let Some(found) = lower.get(pos..).and_then(|s| s.find(needle)) {
        let start = pos + found;
        let end = start + needle.len();
        spans.push(Span::raw(text.get(pos..start).unwrap_or("").to_string()));
        spans.push(Span::styled(
            text.get(start..end).unwrap_or("").to_string(),
            style,
        ));
        pos = end;
    }
    spans.push(Span::raw(text.get(pos..).unwrap_or("").to_string()));
    Line::from(spans)
}
