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
use crate::tui::columns;
use crate::tui::component::DrawCtx;
use crate::tui::model::{self, thousands};
use crate::tui::table::{RowSource, TableView};

use super::fit::{self, MAX_WIDTH, Want, text_width, truncate};

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
    let len = t.rows.len();
    let mut title = vec![Span::styled(
        format!(
            " {title_name} [{}/{}] ",
            thousands(len),
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
    if len > 0 {
        title.push(Span::styled(
            format!(
                "row {}/{} ",
                thousands(t.scroll.cursor() + 1),
                thousands(len)
            ),
            th.dim,
        ));
    }
    // Ranked rows are not in column order; the header shows no arrow then.
    if t.ranked_by_match() {
        title.push(Span::styled("sorted by match ", th.dim));
    }
    let marked = t.marked_count(g);
    if marked > 0 {
        title.push(Span::styled(
            format!("{} marked ", thousands(marked)),
            th.matched,
        ));
    }
    if t.pending.is_some() {
        title.push(Span::styled(format!("{} ", dc.spinner), th.warn));
    }
    let inner = Block::default().borders(Borders::ALL).inner(area);
    if inner.height == 0 || inner.width == 0 {
        f.render_widget(
            Block::default()
                .borders(Borders::ALL)
                .border_style(th.border)
                .title(Line::from(title)),
            area,
        );
        return;
    }
    let cols = t.kind.columns();
    let order: Vec<usize> = if t.wide {
        dc.columns
            .layout(t.kind)
            .into_iter()
            .map(|(i, _)| i)
            .collect()
    } else {
        dc.columns.shown(t.kind)
    };
    let body_h = inner.height.saturating_sub(1) as usize;
    let off = t.scroll.window(body_h, len);
    let end = (off + body_h).min(len);
    let on_screen: &[EntityId] = t.rows.get(off..end).unwrap_or(&[]);
    // Cell texts of the rows on screen, measured to fit the columns.
    let texts: Vec<Vec<String>> = on_screen
        .iter()
        .map(|id| {
            // Rows the last sync added or changed carry a marker (+ ~ •).
            let marker = dc.change_marker(&g.entity(*id).key);
            order
                .iter()
                .enumerate()
                .map(|(n, i)| {
                    let text = cols
                        .get(*i)
                        .map(|c| columns::cell(g, *id, c.field))
                        .unwrap_or_default();
                    match marker {
                        Some(m) if n == 0 => format!("{m} {text}"),
                        _ => text,
                    }
                })
                .collect()
        })
        .collect();
    let ranked = t.ranked_by_match();
    let indicator = |i: usize| match t.sort {
        Some(s) if s.column == i && !ranked => {
            if s.descending {
                " ▼"
            } else {
                " ▲"
            }
        }
        _ => "",
    };
    let wanted: Vec<Want> = order
        .iter()
        .enumerate()
        .filter_map(|(n, i)| {
            let c = cols.get(*i)?;
            let head = text_width(c.title) + text_width(indicator(*i));
            let body = texts
                .iter()
                .filter_map(|r| r.get(n))
                .map(|s| text_width(s))
                .max()
                .unwrap_or(0);
            Some(Want {
                column: *i,
                width: head.max(body).clamp(1, MAX_WIDTH),
                min: c.min,
                priority: c.priority,
            })
        })
        .collect();
    // Marked rows get a one-cell mark column at the left.
    let mark_col = !t.marks.is_empty();
    let avail = inner.width.saturating_sub(if mark_col { 2 } else { 0 });
    let (fitted, wide_note) = fit::shown_columns(&wanted, t.wide, t.column, avail);
    if let Some(note) = wide_note {
        title.push(Span::styled(note, th.dim));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border)
        .title(Line::from(title));
    f.render_widget(block, area);
    let position = |i: usize| order.iter().position(|o| *o == i);
    let mut header_cells: Vec<Cell> = Vec::new();
    if mark_col {
        header_cells.push(Cell::from(""));
    }
    header_cells.extend(fitted.iter().map(|(i, w)| {
        let title = cols.get(*i).map(|c| c.title).unwrap_or("");
        let style = if *i == t.column {
            th.selected_column
        } else {
            th.header
        };
        Cell::from(Span::styled(
            truncate(&format!("{title}{}", indicator(*i)), *w),
            style,
        ))
    }));
    let header = Row::new(header_cells);
    let matcher = SkimMatcherV2::default().ignore_case();
    let rows: Vec<Row> = on_screen
        .iter()
        .zip(&texts)
        .map(|(id, cells)| {
            let key = &g.entity(*id).key;
            let marked = t.marks.contains(key);
            let mut out: Vec<Cell> = Vec::new();
            if mark_col {
                out.push(Cell::from(if marked { "●" } else { " " }));
            }
            out.extend(fitted.iter().map(|(i, w)| {
                let text = position(*i)
                    .and_then(|n| cells.get(n))
                    .map(|s| truncate(s, *w))
                    .unwrap_or_default();
                let searched = cols.get(*i).is_some_and(|c| c.searched);
                if searched && !t.filter.fuzzy.is_empty() {
                    Cell::from(highlight(&text, &t.filter.fuzzy, &matcher, th.matched))
                } else {
                    Cell::from(text)
                }
            }));
            let row = Row::new(out);
            if marked {
                row.style(th.matched)
            } else if dc.change_marker(key).is_some() {
                row.style(th.warn)
            } else {
                row
            }
        })
        .collect();
    let mut widths: Vec<Constraint> = Vec::new();
    if mark_col {
        widths.push(Constraint::Length(1));
    }
    widths.extend(fitted.iter().map(|(_, w)| Constraint::Length(*w)));
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(th.selected);
    let mut state = TableState::default();
    if len > 0 {
        state.select(Some(t.scroll.cursor().saturating_sub(off)));
    }
    f.render_stateful_widget(table, inner, &mut state);
    if len == 0 && inner.height >= 2 {
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
