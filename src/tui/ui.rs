//! Drawing: a pure function of `&App`. Every string from Zoom data is already
//! sanitised when it reaches here (model helpers), and only the rows on
//! screen are turned into cells.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table, TableState, Wrap};

use crate::graph::Graph;

use super::action::{Action, ToastLevel};
use super::app::{App, PromptKind, ProvidedView, SPINNER, View};
use super::columns::{self, Column};
use super::detail::{DetailView, Tone};
use super::keymap::Mode;
use super::model::{self, thousands};
use super::raw::RawView;
use super::table::{RowSource, TableView};
use super::theme::Theme;

pub fn draw(app: &App, f: &mut Frame) {
    let area = f.area();
    let th = &app.theme;
    f.render_widget(Block::default().style(th.base), area);
    if area.width == 0 || area.height == 0 {
        return;
    }
    let show_crumbs = area.height >= 8 && app.root().is_some_and(|r| !r.stack.is_empty());
    let [header, crumbs, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(u16::from(show_crumbs)),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(app, f, header);
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
    match (app.view(), &app.data) {
        (Some(v), Some(data)) => match v {
            View::Table(t) => draw_table_view(app, f, body, t, &data.graph),
            View::Detail(d) => draw_detail(app, f, body, d),
            View::Raw(r) => draw_raw(app, f, body, r),
            View::Provided(p)
                if app.root().is_some_and(|r| {
                    r.kind == super::pane::PaneKind::Query && r.stack.is_empty()
                }) =>
            {
                super::query_pane::draw(app, f, body, p)
            }
            View::Provided(p) => draw_provided(app, f, body, p),
        },
        _ => draw_empty(app, f, body),
    }
    draw_footer(app, f, footer);
    draw_toasts(app, f, body);
    if let Some(scroll) = app.help {
        draw_help(app, f, area, scroll);
    }
    if let Some(msg) = &app.modal {
        draw_modal(th, f, area, msg);
    }
    if let Some(c) = &app.employees.confirm {
        super::employees_pane::draw_confirm(th, f, centered(area, 70, 6), &c.text);
    }
}

fn draw_header(app: &App, f: &mut Frame, area: Rect) {
    let th = &app.theme;
    let mut spans = vec![Span::styled(" zoomscope ", th.title)];
    for (i, r) in app.roots.iter().enumerate() {
        let style = if i == app.active {
            th.tab_active
        } else {
            th.tab
        };
        // The pane's own key from the registry (panes can be absent, so
        // the position in the tab bar is not the key).
        let num = app.keymap.first_key(Mode::Normal, Action::Pane(r.kind));
        spans.push(Span::styled(format!(" {num} {} ", r.kind.title()), style));
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
    let th = &app.theme;
    let spin = SPINNER
        .get(app.spinner % SPINNER.len())
        .copied()
        .unwrap_or("*");
    let s = &app.sync;
    if s.running {
        let step = s.step.clone().unwrap_or_else(|| "starting".into());
        let counts = match s.total {
            Some(t) => format!(" {}/{}", thousands(s.done), thousands(t as usize)),
            None if s.done > 0 => format!(" {}", thousands(s.done)),
            None => String::new(),
        };
        return Line::from(vec![
            Span::styled(format!("{spin} "), th.warn),
            Span::styled(format!("sync {}{counts} ", model::clean(&step)), th.warn),
        ]);
    }
    let profile = model::clean(&app.profile).into_owned();
    match &s.last {
        Some(l) if l == "synced" => {
            Line::from(vec![Span::styled(format!("✓ synced · {profile} "), th.ok)])
        }
        Some(l) => Line::from(vec![Span::styled(format!("! {l} · {profile} "), th.warn)]),
        None => Line::from(vec![Span::styled(format!("{profile} "), th.dim)]),
    }
}

fn draw_footer(app: &App, f: &mut Frame, area: Rect) {
    let th = &app.theme;
    if let Some(p) = &app.prompt {
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
        if p.kind == PromptKind::Search
            && let Some(View::Table(t)) = app.view()
        {
            let count = if t.pending.is_some() {
                "…".to_string()
            } else {
                thousands(t.rows.len())
            };
            spans.push(Span::styled(format!("   {count} match(es)"), th.dim));
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
                if app.root().is_some_and(|r| !r.stack.is_empty()) {
                    "back"
                } else {
                    "quit"
                },
            ),
        ],
    };
    let mut spans = Vec::new();
    for (a, label) in wanted {
        let k = app.keymap.first_key(
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

fn draw_empty(app: &App, f: &mut Frame, area: Rect) {
    let th = &app.theme;
    let text = match &app.no_data {
        Some(msg) => msg.clone(),
        None => {
            let spin = SPINNER
                .get(app.spinner % SPINNER.len())
                .copied()
                .unwrap_or("*");
            format!("{spin} Loading the last snapshot…")
        }
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

/// Columns that fit in `width`, with their widths; higher priority kept first.
pub fn fit_columns(cols: &[Column], width: u16) -> Vec<(usize, u16)> {
    let mut order: Vec<usize> = (0..cols.len()).collect();
    order.sort_by_key(|i| std::cmp::Reverse(cols.get(*i).map(|c| c.priority).unwrap_or(0)));
    let mut chosen: Vec<usize> = Vec::new();
    let mut used: u16 = 0;
    for i in order {
        let Some(c) = cols.get(i) else { continue };
        let need = c.min + u16::from(!chosen.is_empty());
        if used.saturating_add(need) <= width || chosen.is_empty() {
            chosen.push(i);
            used = used.saturating_add(need);
        }
    }
    chosen.sort();
    let extra = width.saturating_sub(used);
    let weights: u16 = chosen
        .iter()
        .filter_map(|i| cols.get(*i))
        .map(|c| c.weight)
        .sum::<u16>()
        .max(1);
    chosen
        .iter()
        .filter_map(|i| {
            cols.get(*i)
                .map(|c| (*i, c.min + extra * c.weight / weights))
        })
        .collect()
}

fn draw_table_view(app: &App, f: &mut Frame, area: Rect, t: &TableView, g: &Graph) {
    let th = &app.theme;
    // Drill-down tables show their owner above the rows, and a role's privileges beside them.
    let mut area = area;
    if let Some(k) = t.source.owner_key()
        && let Some(owner) = g.id_of(k)
    {
        let info = owner_summary(g, owner, &t.source);
        if area.height >= 8 {
            let [top, rest] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
            f.render_widget(
                Paragraph::new(Line::from(Span::styled(info, th.label))),
                top,
            );
            area = rest;
        }
        if let RowSource::RoleMembers(_) = t.source
            && area.width >= 90
        {
            let [left, right] =
                Layout::horizontal([Constraint::Min(0), Constraint::Length(38)]).areas(area);
            area = left;
            let privs = model::privileges(g, owner);
            let lines: Vec<Line> = privs
                .iter()
                .map(|p| Line::from(Span::raw(p.clone())))
                .collect();
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(th.border)
                .title(Span::styled(
                    format!(" Privileges [{}] ", privs.len()),
                    th.title,
                ));
            f.render_widget(Paragraph::new(lines).block(block), right);
        }
    }
    let title_name = match &t.source {
        RowSource::All(_) => t.kind.entity_type().class().to_string() + "s",
        RowSource::GroupMembers(_) | RowSource::RoleMembers(_) => "Members".into(),
    };
    let title_name = match t.kind {
        columns::TableKind::Roles if matches!(t.source, RowSource::All(_)) => "Roles".to_string(),
        columns::TableKind::Employees if matches!(t.source, RowSource::All(_)) => {
            "Employees".to_string()
        }
        _ => title_name,
    };
    let mut title = vec![Span::styled(
        format!(
            " {title_name} [{}/{}] ",
            thousands(t.rows.len()),
            thousands(t.base.len())
        ),
        th.title,
    )];
    if !t.filter_text.is_empty() {
        title.push(Span::styled(
            format!("</{}> ", model::clean(&t.filter_text)),
            th.warn,
        ));
    }
    if t.pending.is_some() {
        let spin = SPINNER
            .get(app.spinner % SPINNER.len())
            .copied()
            .unwrap_or("*");
        title.push(Span::styled(format!("{spin} "), th.warn));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border)
        .title(Line::from(title));
    let inner = block.inner(area);
    f.render_widget(block, area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let cols = t.kind.columns();
    let fitted = fit_columns(cols, inner.width);
    let header = Row::new(fitted.iter().map(|(i, _)| {
        let c = &cols[*i];
        let ind = match t.sort {
            Some(s) if s.column == *i => {
                if s.descending {
                    " ▼"
                } else {
                    " ▲"
                }
            }
            _ => "",
        };
        let style = if *i == t.column {
            th.selected_column
        } else {
            th.header
        };
        Cell::from(Span::styled(format!("{}{ind}", c.title), style))
    }));
    let body_h = inner.height.saturating_sub(1) as usize;
    let off = t.scroll(body_h);
    let end = (off + body_h).min(t.rows.len());
    let matcher = SkimMatcherV2::default().ignore_case();
    let rows: Vec<Row> = t
        .rows
        .get(off..end)
        .unwrap_or(&[])
        .iter()
        .map(|id| {
            // Rows the last sync added or changed carry a marker (+ ~ •).
            let marker = app.change_marker(&g.entity(*id).key);
            let first = fitted.first().map(|(i, _)| *i);
            let row = Row::new(fitted.iter().map(|(i, _)| {
                let c = &cols[*i];
                let mut text = columns::cell(g, *id, c.field);
                if let Some(m) = marker
                    && Some(*i) == first
                {
                    text = format!("{m} {text}");
                }
                if c.searched && !t.filter.fuzzy.is_empty() {
                    Cell::from(highlight(&text, &t.filter.fuzzy, &matcher, th.matched))
                } else {
                    Cell::from(text)
                }
            }));
            match marker {
                Some(_) => row.style(th.warn),
                None => row,
            }
        })
        .collect();
    let widths: Vec<Constraint> = fitted.iter().map(|(_, w)| Constraint::Length(*w)).collect();
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(th.selected);
    let mut state = TableState::default();
    if !t.rows.is_empty() {
        state.select(Some(t.cursor.saturating_sub(off)));
    }
    f.render_stateful_widget(table, inner, &mut state);
    if t.rows.is_empty() && inner.height >= 2 {
        let msg = if t.pending.is_some() {
            "searching…"
        } else if t.base.is_empty() {
            "(none)"
        } else {
            "no match — Esc clears the filter"
        };
        let r = Rect {
            y: inner.y + 1,
            height: 1,
            ..inner
        };
        f.render_widget(Paragraph::new(Span::styled(msg, th.dim)), r);
    }
}

fn owner_summary(g: &Graph, owner: crate::graph::EntityId, source: &RowSource) -> String {
    let name = model::label(g, owner);
    match source {
        RowSource::GroupMembers(_) => format!(
            " Group {name} · {} members",
            thousands(columns::member_count(g, owner))
        ),
        RowSource::RoleMembers(_) => {
            let desc = model::prop_text(g, owner, "description");
            let admin = if model::role_is_admin(g, owner) {
                " · admin"
            } else {
                ""
            };
            format!(
                " Role {name}{admin} · {} privileges · {desc}",
                model::privileges(g, owner).len()
            )
        }
        RowSource::All(_) => String::new(),
    }
}

/// Styles the characters of `text` that the fuzzy terms match.
fn highlight(text: &str, terms: &[String], m: &SkimMatcherV2, style: Style) -> Line<'static> {
    let mut hit = vec![false; text.chars().count()];
    for t in terms {
        if let Some((_, idx)) = m.fuzzy_indices(text, t) {
            for i in idx {
                if let Some(h) = hit.get_mut(i) {
                    *h = true;
                }
            }
        }
    }
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut cur = String::new();
    let mut cur_hit = false;
    for (c, h) in text.chars().zip(hit) {
        if h != cur_hit && !cur.is_empty() {
            spans.push(if cur_hit {
                Span::styled(std::mem::take(&mut cur), style)
            } else {
                Span::raw(std::mem::take(&mut cur))
            });
        }
        cur_hit = h;
        cur.push(c);
    }
    if !cur.is_empty() {
        spans.push(if cur_hit {
            Span::styled(cur, style)
        } else {
            Span::raw(cur)
        });
    }
    Line::from(spans)
}

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

fn draw_detail(app: &App, f: &mut Frame, area: Rect, d: &DetailView) {
    let th = &app.theme;
    let mut title = vec![Span::styled(format!(" {} ", d.title), th.title)];
    if !d.filter.is_empty() {
        title.push(Span::styled(
            format!("</{}> ", model::clean(&d.filter)),
            th.warn,
        ));
    }
    if d.settings == super::detail::SettingsState::Loading {
        let spin = SPINNER
            .get(app.spinner % SPINNER.len())
            .copied()
            .unwrap_or("*");
        title.push(Span::styled(format!("{spin} loading settings "), th.warn));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border)
        .title(Line::from(title));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let h = inner.height as usize;
    let off = d.scroll(h);
    let visible = d.visible();
    let lines: Vec<Line> = visible
        .iter()
        .enumerate()
        .skip(off)
        .take(h)
        .map(|(i, l)| {
            // The selected line takes the selection style whole, so its
            // text stays readable whatever the span colours are.
            let selected = i == d.cursor;
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

fn draw_raw(app: &App, f: &mut Frame, area: Rect, r: &RawView) {
    let th = &app.theme;
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
    r.height.set((inner.height as usize).max(1));
    let Some(lines) = &r.lines else {
        let spin = SPINNER
            .get(app.spinner % SPINNER.len())
            .copied()
            .unwrap_or("*");
        f.render_widget(Paragraph::new(format!("{spin} loading…")), inner);
        return;
    };
    let needle = r.search.to_lowercase();
    let out: Vec<Line> = lines
        .iter()
        .enumerate()
        .skip(r.top)
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

pub(super) fn draw_provided(app: &App, f: &mut Frame, area: Rect, p: &ProvidedView) {
    let th = &app.theme;
    let title = format!(
        " {} [{}] ",
        app.root().map(|r| r.kind.title()).unwrap_or(""),
        thousands(p.table.rows.len())
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border)
        .title(Span::styled(title, th.title));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let h = inner.height.saturating_sub(1) as usize;
    p.height.set(h.max(1));
    let mut off = p.offset.get();
    if p.cursor < off {
        off = p.cursor;
    } else if h > 0 && p.cursor >= off + h {
        off = p.cursor + 1 - h;
    }
    p.offset.set(off);
    let n = p.table.columns.len().max(1) as u32;
    let header = Row::new(
        p.table
            .columns
            .iter()
            .map(|c| Cell::from(Span::styled(model::clean(c).into_owned(), th.header))),
    );
    let rows: Vec<Row> = p
        .table
        .rows
        .iter()
        .skip(off)
        .take(h)
        .map(|r| {
            Row::new(
                r.cells
                    .iter()
                    .map(|c| Cell::from(model::clean(c).into_owned())),
            )
        })
        .collect();
    let widths: Vec<Constraint> = (0..n).map(|_| Constraint::Ratio(1, n)).collect();
    let mut state = TableState::default();
    if !p.table.rows.is_empty() {
        state.select(Some(p.cursor.saturating_sub(off)));
    }
    f.render_stateful_widget(
        Table::new(rows, widths)
            .header(header)
            .row_highlight_style(th.selected),
        inner,
        &mut state,
    );
}

fn draw_toasts(app: &App, f: &mut Frame, body: Rect) {
    let th = &app.theme;
    let mut y = body.bottom();
    for t in app.toasts.iter().rev() {
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

fn draw_help(app: &App, f: &mut Frame, area: Rect, scroll: usize) {
    let th = &app.theme;
    let mut lines: Vec<Line> = Vec::new();
    for mode in Mode::ALL {
        if !lines.is_empty() {
            lines.push(Line::from(""));
        }
        lines.push(Line::from(Span::styled(mode.title(), th.heading)));
        let panes = app.pane_kinds();
        for (action, keys, desc) in app.keymap.help_entries(mode) {
            // keys for panes this session does not have are not worth listing
            if let Action::Pane(k) = action
                && !panes.contains(&k)
            {
                continue;
            }
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<20}"), th.title),
                Span::raw(desc),
            ]));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "Keys are remappable in the config file's [keys] table.",
        th.dim,
    )));
    let r = centered(area, 84, area.height.saturating_sub(2).max(3));
    let scroll = scroll.min(lines.len().saturating_sub(1)) as u16;
    f.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border)
        .title(Span::styled(" Help — Esc closes ", th.title))
        .style(th.base);
    f.render_widget(
        Paragraph::new(Text::from(lines))
            .block(block)
            .scroll((scroll, 0)),
        r,
    );
}

fn draw_modal(th: &Theme, f: &mut Frame, area: Rect, msg: &str) {
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
