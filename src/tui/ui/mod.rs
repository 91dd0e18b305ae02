//! Drawing: a pure function of `&App`. Every string from Zoom data is already
//! sanitised when it reaches here (model helpers), and only the rows on
//! screen are turned into cells. The frame (header, breadcrumbs, footer,
//! overlays) is drawn here; the body is the active pane's
//! [`Component::draw`](super::component::Component::draw), which by default
//! draws the view on top of its stack with [`draw_view`].

pub(crate) mod activity;
mod chooser;
mod detail;
mod fit;
mod footer;
mod header;
mod overlay;
pub(crate) mod provided;
mod raw;
mod table;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::app::{App, View};
use super::component::DrawCtx;
use super::pane::PaneKind;

pub fn draw(app: &App, f: &mut Frame) {
    let area = f.area();
    let th = app.theme();
    f.render_widget(Block::default().style(th.base), area);
    if area.width == 0 || area.height == 0 {
        return;
    }
    let show_crumbs = area.height >= 8 && app.depth() > 0;
    let [header, crumbs, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(u16::from(show_crumbs)),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    header::draw(app, f, header);
    if show_crumbs {
        let sep = Span::styled(" › ", th.dim);
        let mut spans = Vec::new();
        for (i, c) in app.breadcrumbs().into_iter().enumerate() {
            if i > 0 {
                spans.push(sep.clone());
            }
            spans.push(Span::styled(c, th.title));
        }
        f.render_widget(Paragraph::new(Line::from(spans)), crumbs);
    }
    match (app.active_pane(), app.draw_ctx()) {
        (Some(pane), Some(dc)) => pane.draw(f, body, &dc),
        _ => draw_empty(app, f, body),
    }
    footer::draw(app, f, footer);
    overlay::draw_toasts(app, f, body);
    if let Some(scroll) = app.help() {
        overlay::draw_help(app, f, area, scroll);
    }
    if let Some(msg) = app.modal() {
        overlay::draw_modal(th, f, area, msg);
    }
    if let Some(q) = app.question() {
        overlay::draw_confirm(th, f, overlay::centered(area, 70, 6), q);
    }
}

/// Draws one level of a pane's drill-down.
pub fn draw_view(v: &View, kind: PaneKind, f: &mut Frame, area: Rect, dc: &DrawCtx) {
    match v {
        View::Table(t) => table::draw(t, f, area, dc),
        View::Detail(d) => detail::draw(d, f, area, dc),
        View::Raw(r) => raw::draw(r, f, area, dc),
        View::Provided(p) => provided::draw(p, kind, f, area, dc),
        View::Columns(c) => chooser::draw(c, f, area, dc),
    }
}

fn draw_empty(app: &App, f: &mut Frame, area: Rect) {
    let th = app.theme();
    let text = match app.no_data() {
        Some(msg) => msg.to_string(),
        None => match app.summary() {
            Some(s) => format!(
                "{} Loading the last snapshot{}: {}",
                app.spinner(),
                s.finished_at
                    .as_deref()
                    .map(|t| format!(" ({t})"))
                    .unwrap_or_default(),
                s.counts_text()
            ),
            None => format!("{} Loading the last snapshot…", app.spinner()),
        },
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border)
        .title(Span::styled(" zoomscope ", th.title));
    f.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: false }),
        area,
    );
}
