//! The top line: tabs of the panes present, and the sync status.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Mode;
use crate::tui::model::{self, thousands};
use crate::tui::sync_status;

pub(super) fn draw(app: &App, f: &mut Frame, area: Rect) {
    let th = app.theme();
    let mut spans = vec![Span::styled(" zoomscope ", th.title)];
    let (panes, active) = app.panes();
    for (i, p) in panes.enumerate() {
        let style = if i == active { th.tab_active } else { th.tab };
        // The pane's own key from the registry (panes can be absent, so
        // the position in the tab bar is not the key).
        let num = app.keymap().first_key(Mode::Normal, Action::Pane(p.kind()));
        spans.push(Span::styled(format!(" {num} {} ", p.kind().title()), style));
    }
    let status = sync_status(app);
    let status_w = status.width() as u16;
    let [left, right] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(status_w.min(area.width / 2)),
    ])
    .areas(area);
    f.render_widget(Paragraph::new(Line::from(spans)), left);
    f.render_widget(Paragraph::new(status).right_aligned(), right);
}

fn sync_status(app: &App) -> Line<'static> {
    let th = app.theme();
    let s = app.sync_status();
    if s.running {
        let step = s.step.clone().unwrap_or_else(|| "starting".into());
        let counts = match s.total {
            Some(t) => format!(" {}/{}", thousands(s.done), thousands(t as usize)),
            None if s.done > 0 => format!(" {}", thousands(s.done)),
            None => String::new(),
        };
        return Line::from(vec![
            Span::styled(format!("{} ", app.spinner()), th.warn),
            Span::styled(format!("sync {}{counts} ", model::clean(&step)), th.warn),
        ]);
    }
    let profile = model::clean(app.profile()).into_owned();
    // The age of the data on screen, and whether the sync that made it
    // failed in part (its failed parts kept older data).
    let meta = app.data().map(|d| &d.meta);
    let age = meta
        .and_then(|m| m.finished_at.as_deref())
        .and_then(sync_status::parse_finished)
        .map(|t| sync_status::age_text(t, chrono::Utc::now()));
    let partial = meta.is_some_and(|m| {
        m.steps
            .iter()
            .any(|s| matches!(s.outcome, crate::sync::StepOutcome::Failed { .. }))
    });
    match (&s.last, age) {
        (Some(l), Some(age)) if l == "synced" && !partial => Line::from(vec![Span::styled(
            format!("✓ synced {age} · {profile} "),
            th.ok,
        )]),
        (None, Some(age)) if !partial => Line::from(vec![Span::styled(
            format!("synced {age} · {profile} "),
            th.dim,
        )]),
        (Some(l), _) if l == "synced" && !partial => {
            Line::from(vec![Span::styled(format!("✓ synced · {profile} "), th.ok)])
        }
        (Some(l), age) if l == "synced" || l.starts_with("synced,") => {
            let word = if l == "synced" {
                "partial sync".to_string()
            } else {
                l.clone()
            };
            let age = age.map(|a| format!(" {a}")).unwrap_or_default();
            Line::from(vec![Span::styled(
                format!("! {word}{age} · {profile} "),
                th.warn,
            )])
        }
        (None, age) if partial => {
            let age = age.map(|a| format!(" {a}")).unwrap_or_default();
            Line::from(vec![Span::styled(
                format!("! partial sync{age} · {profile} "),
                th.warn,
            )])
        }
        // The last sync failed: what is shown is older.
        (Some(l), age) => {
            let age = age.map(|a| format!(" · data from {a}")).unwrap_or_default();
            Line::from(vec![Span::styled(
                format!("✗ {l}{age} · {profile} "),
                th.error,
            )])
        }
        (None, _) => Line::from(vec![Span::styled(format!("{profile} "), th.dim)]),
    }
}
