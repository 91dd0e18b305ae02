//! The bottom line: the open prompt (with completion and match count), else
//! the keys that work here.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::action::Action;
use crate::tui::app::{App, PromptKind, View};
use crate::tui::keymap::Mode;
use crate::tui::model::{self, thousands};

pub(super) fn draw(app: &App, f: &mut Frame, area: Rect) {
    let th = app.theme();
    if let Some(p) = app.prompt() {
        let lead = match p.kind {
            PromptKind::Search => "/",
            PromptKind::Command => ":",
            PromptKind::Query => "J1QL› ",
        };
        let mut spans = vec![
            Span::styled(lead, th.title),
            Span::raw(model::clean(&p.text).into_owned()),
            Span::styled("▏", th.title),
        ];
        if p.kind == PromptKind::Command
            && let Some(c) = app.completion(&p.text)
        {
            let rest = c.get(p.text.trim().len()..).unwrap_or("").to_string();
            spans.push(Span::styled(rest, th.dim));
        }
        if p.kind == PromptKind::Search && app.help().is_none() {
            let count = match app.view() {
                Some(View::Table(t)) if t.pending.is_some() => Some("…".to_string()),
                Some(View::Table(t)) => Some(thousands(t.rows.len())),
                Some(View::Provided(p)) => Some(thousands(p.shown_len())),
                _ => None,
            };
            if let Some(count) = count {
                spans.push(Span::styled(format!("   {count} match(es)"), th.dim));
            }
        }
        f.render_widget(Paragraph::new(Line::from(spans)), area);
        return;
    }
    let mode = app.mode();
    let wanted: &[(Action, &str)] = match mode {
        Mode::Raw => &[
            (Action::Search, "search"),
            (Action::NextMatch, "next"),
            (Action::Copy, "copy"),
            (Action::BackOrQuit, "back"),
            (Action::Help, "help"),
        ],
        _ => &[
            (Action::Search, "search"),
            (Action::Open, "open"),
            (Action::Details, "details"),
            (Action::Raw, "json"),
            (Action::Copy, "copy"),
            (Action::Sort, "sort"),
            (Action::ExportCsv, "csv"),
            (Action::SyncNow, "sync"),
            (Action::Command, "cmd"),
            (Action::Help, "help"),
            (
                Action::BackOrQuit,
                if app.depth() > 0 { "back" } else { "quit" },
            ),
        ],
    };
    let mut spans = Vec::new();
    for (a, label) in wanted {
        let k = app.keymap().first_key(
            if mode == Mode::Raw {
                Mode::Raw
            } else {
                Mode::Normal
            },
            *a,
        );
        if k.is_empty() {
            continue;
        }
        spans.push(Span::styled(format!(" {k}"), th.title));
        spans.push(Span::styled(format!(" {label}"), th.dim));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
