//! The bottom line: the open prompt (with completion and match count), else
//! the keys that work here.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::fit::text_width;
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
    let spans = hint_spans(app, area.width);
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The keys that work in the view on screen, most useful first, then help
/// and back/quit (always shown): as many whole hints as fit in `width`.
/// A hint that does not fit is left out rather than cut, so two never run
/// into each other.
fn hint_spans(app: &App, width: u16) -> Vec<Span<'static>> {
    let th = app.theme();
    let mode = app.mode();
    let back = if app.depth() > 0 { "back" } else { "quit" };
    let wanted = pane_hints(app);
    let always: Vec<(Action, &str)> = match mode {
        Mode::Raw => vec![(Action::Help, "help"), (Action::BackOrQuit, "back")],
        Mode::Help => vec![(Action::ClearOrBack, "close")],
        _ => vec![(Action::Help, "help"), (Action::BackOrQuit, back)],
    };
    // The keys of the mode on screen, else the tables' (a detail view has
    // the keys of tables too).
    let key = |a: Action| {
        let k = app.keymap().first_key(mode, a);
        if k.is_empty() && mode == Mode::Detail {
            app.keymap().first_key(Mode::Normal, a)
        } else {
            k
        }
    };
    let items = |list: &[(Action, &str)]| -> Vec<(String, String)> {
        list.iter()
            .filter_map(|(a, label)| {
                let k = key(*a);
                (!k.is_empty()).then(|| (format!(" {k}"), format!(" {label}")))
            })
            .collect()
    };
    let width_of = |items: &[(String, String)]| -> u16 {
        items
            .iter()
            .map(|(k, l)| text_width(k) + text_width(l))
            .sum()
    };
    let tail = items(&always);
    let mut room = width.saturating_sub(width_of(&tail));
    let mut chosen = Vec::new();
    for item in items(&wanted) {
        let w = text_width(&item.0) + text_width(&item.1);
        if w <= room {
            room -= w;
            chosen.push(item);
        }
    }
    let mut spans = Vec::new();
    for (k, l) in chosen.into_iter().chain(tail) {
        spans.push(Span::styled(k, th.title));
        spans.push(Span::styled(l, th.dim));
    }
    spans
}

/// The most useful keys of the view on screen, in order (#14: they change
/// with the pane and the level).
fn pane_hints(app: &App) -> Vec<(Action, &'static str)> {
    use Action as A;
    let at_root = app.depth() == 0;
    let kind = app.active_kind();
    match (app.mode(), app.view()) {
        (Mode::Help, _) => vec![
            (A::Search, "filter"),
            (A::PageDown, "page"),
            (A::Bottom, "last"),
        ],
        (Mode::Raw, _) => vec![
            (A::Search, "search"),
            (A::NextMatch, "next"),
            (A::Copy, "copy"),
        ],
        (_, Some(View::Columns(_))) => vec![
            (A::Mark, "show/hide"),
            (A::ColumnEarlier, "up"),
            (A::ColumnLater, "down"),
        ],
        (_, Some(View::Detail(_))) => {
            let mut v = vec![
                (A::NextLink, "next link"),
                (A::Open, "open"),
                (A::Search, "filter"),
            ];
            if kind == Some(PaneKind::Employees) || kind == Some(PaneKind::Users) {
                v.push((A::OtherSide, "other side"));
            }
            v.extend([(A::Raw, "json"), (A::Copy, "copy"), (A::Command, "cmd")]);
            v
        }
        (_, Some(View::Table(_))) => vec![
            (A::Search, "search"),
            (A::Open, "open"),
            (A::Mark, "mark"),
            (A::Sort, "sort"),
            (A::Columns, "columns"),
            (A::Wide, "wide"),
            (A::ColumnEarlier, "move col"),
            (A::Details, "details"),
            (A::Copy, "copy"),
            (A::CopyRow, "row"),
            (A::ExportCsv, "csv"),
            (A::Command, "cmd"),
            (A::SyncNow, "sync"),
        ],
        (_, Some(View::Provided(_))) => {
            let mut v = match (kind, at_root) {
                (Some(PaneKind::Employees), true) => vec![(A::Search, "filter"), (A::Open, "open")],
                // A category's rows: the keys that act on a pair.
                (Some(PaneKind::Employees), false) => vec![
                    (A::Open, "open"),
                    (A::OtherSide, "other side"),
                    (A::Link, "link"),
                    (A::Unlink, "unlink"),
                    (A::Details, "compare"),
                    (A::Search, "filter"),
                ],
                (Some(PaneKind::Query), true) => vec![
                    (A::Search, "J1QL"),
                    (A::Open, "run / open"),
                    (A::ClearOrBack, "saved questions"),
                ],
                (Some(PaneKind::Changes), true) => {
                    vec![(A::Search, "filter"), (A::Open, "what changed")]
                }
                (Some(PaneKind::Changes), false) => vec![
                    (A::Search, "filter"),
                    (A::Open, "open"),
                    (A::Operator, "who did it"),
                ],
                (Some(PaneKind::Activity), _) => vec![
                    (A::Search, "filter"),
                    (A::Open, "open"),
                    (A::Operator, "operator"),
                ],
                (Some(PaneKind::Alerts), true) => vec![(A::Search, "filter"), (A::Open, "matches")],
                _ => vec![(A::Search, "filter"), (A::Open, "open")],
            };
            v.extend([
                (A::Mark, "mark"),
                (A::CopyRow, "copy row"),
                (A::ExportCsv, "csv"),
                (A::Wide, "wide"),
            ]);
            if at_root && matches!(kind, Some(PaneKind::Changes | PaneKind::Alerts)) {
                v.push((A::SyncNow, "sync"));
            }
            v.push((A::Command, "cmd"));
            v
        }
        _ => vec![(A::Command, "cmd"), (A::SyncNow, "sync")],
    }
}
