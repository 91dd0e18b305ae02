//! The top line: tabs of the panes present, and the sync status.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Mode;
use crate::tui::model::{self, thousands};
use crate::tui::pane::PaneKind;
use crate::tui::sync_status;

use super::fit::{text_width, truncate};

pub(super) fn draw(app: &App, f: &mut Frame, area: Rect) {
    let (panes, active) = app.panes();
    // The pane's own key from the registry (panes can be absent, so the
    // position in the tab bar is not the key).
    let tabs: Vec<(String, PaneKind, bool)> = panes
        .enumerate()
        .map(|(i, p)| {
            let num = app.keymap().first_key(Mode::Normal, Action::Pane(p.kind()));
            (num, p.kind(), i == active)
        })
        .collect();
    // Narrower terminals get less: tabs abbreviated (the active one keeps
    // its name), then no program name, then no profile in the status, then
    // tabs as their keys only (the active one named); the status is cut
    // with `…` to the room left, never overlapped.
    const STEPS: [(Tabs, bool, bool); 5] = [
        (Tabs::Full, true, true),
        (Tabs::Short, true, true),
        (Tabs::Short, false, true),
        (Tabs::Short, false, false),
        (Tabs::Keys, false, false),
    ];
    let mut chosen = STEPS[STEPS.len() - 1];
    for step in STEPS {
        let (t, brand, profile) = step;
        let left: u16 = tab_spans(app, &tabs, t, brand)
            .iter()
            .map(|s| text_width(&s.content))
            .sum();
        let right = line_width(&sync_status(app, profile));
        // One cell between the tabs and the status at least.
        if u32::from(left) + u32::from(right) < u32::from(area.width) {
            chosen = step;
            break;
        }
    }
    let (t, brand, profile) = chosen;
    let left = Line::from(tab_spans(app, &tabs, t, brand));
    let status = sync_status(app, profile);
    let left_w = line_width(&left);
    // The tabs keep their room; the status has the rest, cut with `…`.
    let room = area.width.saturating_sub(left_w.saturating_add(1));
    let status = cut_line(status, room);
    let status_w = line_width(&status);
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(status_w)]).areas(area);
    f.render_widget(Paragraph::new(left), left_area);
    f.render_widget(Paragraph::new(status).right_aligned(), right_area);
}

/// How the tabs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tabs {
    /// ` 2 Users `
    Full,
    /// ` 2 Usr `, the active tab in full.
    Short,
    /// ` 2 `, the active tab in full.
    Keys,
}

/// A pane's name in three letters or so, for a narrow header.
fn short_title(kind: PaneKind) -> &'static str {
    match kind {
        PaneKind::Account => "Acct",
        PaneKind::Users => "Usr",
        PaneKind::Groups => "Grp",
        PaneKind::Roles => "Rol",
        PaneKind::Employees => "Emp",
        PaneKind::Changes => "Chg",
        PaneKind::Alerts => "Alr",
        PaneKind::Query => "Qry",
        PaneKind::Activity => "Act",
    }
}

fn tab_spans(
    app: &App,
    tabs: &[(String, PaneKind, bool)],
    how: Tabs,
    brand: bool,
) -> Vec<Span<'static>> {
    let th = app.theme();
    let mut spans = Vec::new();
    if brand {
        spans.push(Span::styled(" zoomscope ", th.title));
    }
    for (num, kind, active) in tabs {
        let style = if *active { th.tab_active } else { th.tab };
        let name = match (how, *active) {
            (Tabs::Full, _) | (Tabs::Short, true) => kind.title(),
            (Tabs::Short, false) => short_title(*kind),
            (Tabs::Keys, true) => kind.title(),
            (Tabs::Keys, false) => "",
        };
        let text = if name.is_empty() {
            format!(" {num} ")
        } else {
            format!(" {num} {name} ")
        };
        spans.push(Span::styled(text, style));
    }
    spans
}

fn line_width(l: &Line) -> u16 {
    l.spans.iter().map(|s| text_width(&s.content)).sum()
}

/// `line` cut to `width` cells, `…` where it was cut.
fn cut_line(line: Line<'static>, width: u16) -> Line<'static> {
    if line_width(&line) <= width {
        return line;
    }
    let mut room = width;
    let mut out = Vec::new();
    for s in line.spans {
        if room == 0 {
            break;
        }
        let w = text_width(&s.content);
        if w <= room {
            room -= w;
            out.push(s);
        } else {
            out.push(Span::styled(truncate(&s.content, room), s.style));
            room = 0;
        }
    }
    Line::from(out)
}

/// The sync's progress, else the data's age and the last sync's outcome,
/// and (`with_profile`) the profile's name.
fn sync_status(app: &App, with_profile: bool) -> Line<'static> {
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
    let profile = if with_profile {
        format!(" · {}", model::clean(app.profile()))
    } else {
        String::new()
    };
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
            format!("✓ synced {age}{profile} "),
            th.ok,
        )]),
        (None, Some(age)) if !partial => Line::from(vec![Span::styled(
            format!("synced {age}{profile} "),
            th.dim,
        )]),
        (Some(l), _) if l == "synced" && !partial => {
            Line::from(vec![Span::styled(format!("✓ synced{profile} "), th.ok)])
        }
        (Some(l), age) if l == "synced" || l.starts_with("synced,") => {
            let word = if l == "synced" {
                "partial sync".to_string()
            } else {
                l.clone()
            };
            let age = age.map(|a| format!(" {a}")).unwrap_or_default();
            Line::from(vec![Span::styled(
                format!("! {word}{age}{profile} "),
                th.warn,
            )])
        }
        (None, age) if partial => {
            let age = age.map(|a| format!(" {a}")).unwrap_or_default();
            Line::from(vec![Span::styled(
                format!("! partial sync{age}{profile} "),
                th.warn,
            )])
        }
        // The last sync failed: what is shown is older.
        (Some(l), age) => {
            let age = age.map(|a| format!(" · data from {a}")).unwrap_or_default();
            Line::from(vec![Span::styled(
                format!("✗ {l}{age}{profile} "),
                th.error,
            )])
        }
        (None, _) => Line::from(vec![Span::styled(
            format!("{} ", profile.trim_start_matches(" · ")),
            th.dim,
        )]),
    }
}
