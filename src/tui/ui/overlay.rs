//! What is drawn over the panes: toasts, the help overlay, the error modal
//! and a pane's y/n question.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::tui::action::ToastLevel;
use crate::tui::app::App;
use crate::tui::help::{Help, HelpLine};
use crate::tui::model;
use crate::tui::theme::Theme;

pub(super) fn draw_toasts(app: &App, f: &mut Frame, body: Rect) {
    let th = app.theme();
    let mut y = body.bottom();
    for t in app.toasts().iter().rev() {
        if y <= body.y {
            break;
        }
        y -= 1;
        let style = match t.level {
            ToastLevel::Info => th.ok,
            ToastLevel::Warn => th.warn,
            ToastLevel::Error => th.error,
        };
        let text = format!(" {} ", t.text);
        let w = (text.chars().count() as u16).min(body.width);
        let r = Rect {
            x: body.right().saturating_sub(w),
            y,
            width: w,
            height: 1,
        };
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(Span::styled(text, style.add_modifier(Modifier::REVERSED))),
            r,
        );
    }
}

pub(super) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

pub(super) fn draw_help(app: &App, f: &mut Frame, area: Rect, help: &Help) {
    let th = app.theme();
    let lines: Vec<Line> = app
        .help_lines()
        .into_iter()
        .map(|l| match l {
            HelpLine::Blank => Line::from(""),
            HelpLine::Heading(t) => Line::from(Span::styled(t, th.heading)),
            HelpLine::Entry { keys, desc } => Line::from(vec![
                Span::styled(format!("  {keys:<20}"), th.title),
                Span::raw(desc),
            ]),
            HelpLine::Note(t) => Line::from(Span::styled(t, th.dim)),
        })
        .collect();
    let r = centered(area, 84, area.height.saturating_sub(2).max(3));
    help.scroll.set_height(r.height.saturating_sub(2) as usize);
    let scroll = help.scroll.offset().min(lines.len().saturating_sub(1));
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    f.render_widget(Clear, r);
    let mut title = vec![Span::styled(" Help — Esc closes ", th.title)];
    if !help.filter().is_empty() {
        title.push(Span::styled(
            format!("</{}> ", model::clean(help.filter())),
            th.warn,
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border)
        .title(Line::from(title))
        .style(th.base);
    f.render_widget(
        Paragraph::new(Text::from(lines))
            .block(block)
            .scroll((scroll, 0)),
        r,
    );
}

pub(super) fn draw_modal(th: &Theme, f: &mut Frame, area: Rect, msg: &str) {
    let r = centered(area, 70, 10);
    f.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.error)
        .title(Span::styled(" Error — Enter to dismiss ", th.error))
        .style(th.base);
    f.render_widget(
        Paragraph::new(model::clean_multiline(msg))
            .block(block)
            .wrap(Wrap { trim: false }),
        r,
    );
}

/// The y/n question over the screen.
pub(super) fn draw_confirm(th: &Theme, f: &mut Frame, r: Rect, text: &str) {
    f.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.warn)
        .title(Span::styled(
            " Confirm — y: yes, any other key: no ",
            th.warn,
        ))
        .style(th.base);
    f.render_widget(
        Paragraph::new(model::clean(text).into_owned())
            .block(block)
            .wrap(Wrap { trim: false }),
        r,
    );
}
