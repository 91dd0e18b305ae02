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
use crate::tui::pane::PaneKind;

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
    let at_root = app.depth() == 0;
    let wanted: &[(Action, &str)] = match (mode, app.active_kind()) {
        (Mode::Raw, _) => &[
            (Action::Search, "search"),
            (Action::NextMatch, "next"),
            (Action::Copy, "copy"),
            (Action::BackOrQuit, "back"),
            (Action::Help, "help"),
        ],
        // A pane's own most useful keys at its root list (#14); drill-downs
        // and the entity panes keep the general list below.
        (_, Some(PaneKind::Employees)) if at_root => &[
            (Action::Search, "filter"),
            (Action::Open, "open"),
            (Action::OtherSide, "other side"),
            (Action::Link, "link"),
            (Action::Unlink, "unlink"),
            (Action::ExportCsv, "csv"),
        ],
        (_, Some(PaneKind::Changes)) if at_root => &[
            (Action::Search, "filter"),
            (Action::Open, "what changed"),
            (Action::Copy, "copy"),
            (Action::ExportCsv, "csv"),
            (Action::SyncNow, "sync"),
        ],
        (_, Some(PaneKind::Alerts)) if at_root => &[
            (Action::Search, "filter"),
            (Action::Open, "matches"),
            (Action::Copy, "copy"),
            (Action::ExportCsv, "csv"),
            (Action::SyncNow, "sync"),
        ],
        (_, Some(PaneKind::Query)) if at_root => &[
            (Action::Search, "J1QL"),
            (Action::Open, "run / open"),
            (Action::ClearOrBack, "saved questions"),
            (Action::Copy, "copy"),
            (Action::ExportCsv, "csv"),
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
    let always: &[(Action, &str)] = match (mode, app.active_kind()) {
        (
            Mode::Normal,
            Some(PaneKind::Employees | PaneKind::Changes | PaneKind::Alerts | PaneKind::Query),
        ) if at_root => &[(Action::Help, "help"), (Action::BackOrQuit, "quit")],
        _ => &[],
    };
    for (a, label) in wanted.iter().chain(always) {
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
