//! An entity table: title with counts and filter, sortable header, only the
//! rows on screen, fuzzy-match highlighting and change markers; member
//! tables show their owner (and a role's privileges) beside the rows.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState};

use crate::graph::{EntityId, Graph};
use crate::tui::columns::{self, Column};
use crate::tui::component::DrawCtx;
use crate::tui::model::{self, thousands};
use crate::tui::table::{RowSource, TableView};

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

pub(super) fn draw(t: &TableView, f: &mut Frame, area: Rect, dc: &DrawCtx) {
    let th = dc.theme;
    let g: &Graph = &dc.data.graph;
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
        title.push(Span::styled(format!("{} ", dc.spinner), th.warn));
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
    let off = t.scroll.window(body_h, t.rows.len());
    let end = (off + body_h).min(t.rows.len());
    let matcher = SkimMatcherV2::default().ignore_case();
    let rows: Vec<Row> = t
        .rows
        .get(off..end)
        .unwrap_or(&[])
        .iter()
        .map(|id| {
            // Rows the last sync added or changed carry a marker (+ ~ •).
            let marker = dc.change_marker(&g.entity(*id).key);
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
        state.select(Some(t.scroll.cursor().saturating_sub(off)));
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

fn owner_summary(g: &Graph, owner: EntityId, source: &RowSource) -> String {
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
