//! `zoomscope query`: run a J1QL query over the latest snapshot and print a
//! table, JSON or CSV. A query that does not parse exits 2 with the caret
//! message on stderr.

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use super::{Context, exit};
use crate::graph::Graph;
use crate::query::{self, QueryResult, saved};
use crate::util::sanitize::{csv_cell, for_terminal, json_text};
use crate::util::stdout;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  zoomscope query \"FIND zoom_user WITH status = 'active' AND lastLoginTime < date.now - 90 days\"\n  zoomscope query --saved admins-and-owners --json\n  zoomscope query --list-saved\n\nThe grammar is in src/query/GRAMMAR.md (linked from the README).\n\n\
                  Exit status: 0 ran (also with no rows; an unknown type or property is a warning on stderr); \
                  2 the query does not parse or cannot run, no saved question of that name, no snapshot yet, \
                  or another usage error."
)]
pub struct QueryArgs {
    /// The J1QL query, e.g. "FIND zoom_user THAT ASSIGNED zoom_role WITH admin = true".
    #[arg(value_name = "QUERY", conflicts_with_all = ["file", "saved", "list_saved"])]
    pub query: Option<String>,
    /// Print a JSON array: entities without RETURN, objects keyed by the RETURN labels with it.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV (a header row, then one row per result).
    #[arg(long)]
    pub csv: bool,
    /// Read the query from a file (`-` reads standard input).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["saved", "list_saved"])]
    pub file: Option<PathBuf>,
    /// Run a built-in question by name (see --list-saved).
    #[arg(long, value_name = "NAME", conflicts_with = "list_saved")]
    pub saved: Option<String>,
    /// List the built-in questions.
    #[arg(long)]
    pub list_saved: bool,
}

/// How a result is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
}

impl QueryArgs {
    fn format(&self) -> Format {
        if self.json {
            Format::Json
        } else if self.csv {
            Format::Csv
        } else {
            Format::Table
        }
    }
}

pub async fn run(ctx: &Context, args: QueryArgs) -> anyhow::Result<ExitCode> {
    let format = args.format();
    if args.list_saved {
        stdout::print(&render_saved_list(saved::questions(), format)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let text = match (&args.query, &args.file, &args.saved) {
        (Some(q), _, _) => q.clone(),
        (_, Some(path), _) => read_query_file(path)?,
        (_, _, Some(name)) => match saved::find(name) {
            Some(q) => q.query.clone(),
            None => {
                eprintln!(
                    "no saved question named `{}`; `zoomscope query --list-saved` lists them",
                    for_terminal(name)
                );
                return Ok(ExitCode::from(exit::USAGE));
            }
        },
        _ => {
            eprintln!("give a query, --file FILE, --saved NAME or --list-saved");
            return Ok(ExitCode::from(exit::USAGE));
        }
    };
    // Parse before loading anything, so a typo fails fast and offline.
    let parsed = match query::parse(&text) {
        Ok(p) => p,
        Err(e) => {
            eprintln!(
                "error: the query does not parse\n{}",
                for_terminal_lines(&e.to_string())
            );
            return Ok(ExitCode::from(exit::USAGE));
        }
    };
    let Some(graph) = load_graph(ctx).await? else {
        eprintln!(
            "no snapshot of profile `{}` yet: run `zoomscope sync` first (or try `zoomscope --demo query …`)",
            for_terminal(ctx.profile_name())
        );
        return Ok(ExitCode::from(exit::USAGE));
    };
    let result = match query::execute(&graph, &parsed, chrono::Utc::now()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {}", for_terminal(&e.to_string()));
            return Ok(ExitCode::from(exit::USAGE));
        }
    };
    // Typos (`FIND zoom_usr`, `WITH stauts = …`) match nothing without an
    // error; say so on stderr, where the rows (or JSON) are not disturbed.
    for w in &result.warnings {
        eprintln!("warning: {}", for_terminal(w));
    }
    stdout::print(&render(&result, &graph, format)?)?;
    Ok(ExitCode::SUCCESS)
}

/// The latest snapshot's graph (with the employee overlay). With `--demo`
/// and no snapshot yet, syncs the demo sandbox first so that
/// `zoomscope --demo query …` works on its own.
async fn load_graph(ctx: &Context) -> anyhow::Result<Option<Graph>> {
    if let Some(snapshot) = ctx.latest_graph().await? {
        return Ok(Some(snapshot.graph));
    }
    if !ctx.is_demo() {
        return Ok(None);
    }
    // Progress events are not shown here; dropping the receiver discards them.
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let outcome = ctx
        .sync_and_store(crate::sync::SyncOptions::default(), tx)
        .await?;
    if let Some(why) = outcome.failure() {
        anyhow::bail!("the demo sync failed: {why}");
    }
    Ok(ctx.latest_graph().await?.map(|s| s.graph))
}

fn read_query_file(path: &std::path::Path) -> anyhow::Result<String> {
    /// Far more than any query; `--file /dev/zero` must not fill memory.
    const MAX_QUERY_BYTES: u64 = 4 * 1024 * 1024;
    let (source, what): (Box<dyn std::io::Read>, String) = if path.as_os_str() == "-" {
        (Box::new(std::io::stdin()), "standard input".into())
    } else {
        let f = std::fs::File::open(path)
            .with_context(|| format!("reading the query file {}", path.display()))?;
        (Box::new(f), format!("the query file {}", path.display()))
    };
    let mut bytes = Vec::new();
    source
        .take(MAX_QUERY_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {what}"))?;
    if bytes.len() as u64 > MAX_QUERY_BYTES {
        anyhow::bail!("{what} is larger than {MAX_QUERY_BYTES} bytes; that is not a query");
    }
    String::from_utf8(bytes).with_context(|| format!("{what} is not UTF-8 text"))
}

/// Sanitises each line on its own, keeping the line breaks of a
/// multi-line message (the caret line).
fn for_terminal_lines(s: &str) -> String {
    s.lines()
        .map(|l| for_terminal(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Prints a result: a table (cells made safe for a terminal), the JSON of
/// [`QueryResult::to_json`], or CSV (cells guarded against formulas).
pub fn render(result: &QueryResult, graph: &Graph, format: Format) -> anyhow::Result<String> {
    match format {
        Format::Json => {
            let mut s =
                json_text(&serde_json::to_string_pretty(&result.to_json(graph))?).into_owned();
            s.push('\n');
            Ok(s)
        }
        // Entity rows in their type's useful columns (`query::display`).
        Format::Csv => {
            let shown = query::display::display(result, graph);
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(shown.columns.iter().map(|c| csv_cell(c).into_owned()))?;
            for row in &shown.rows {
                w.write_record(row.iter().map(|v| csv_cell(&cell_text(v)).into_owned()))?;
            }
            Ok(String::from_utf8(w.into_inner()?)?)
        }
        Format::Table => {
            let shown = query::display::display(result, graph);
            let cells: Vec<Vec<String>> = shown
                .rows
                .iter()
                .map(|r| r.iter().map(cell_text).collect())
                .collect();
            let mut out = table(&shown.columns, &cells);
            let n = result.rows.len();
            let _ = writeln!(out, "({n} row{})", if n == 1 { "" } else { "s" });
            Ok(out)
        }
    }
}

/// A value as a cell: strings bare, arrays joined with `, `, an entity
/// object by its label, undefined empty.
pub fn cell_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(cell_text).collect::<Vec<_>>().join(", "),
        Value::Object(m) => ["displayName", "name", "email", "_key"]
            .iter()
            .find_map(|k| m.get(*k).and_then(Value::as_str).filter(|s| !s.is_empty()))
            .unwrap_or("")
            .to_string(),
        other => other.to_string(),
    }
}

/// Widest a column gets before its cells are cut with `…`.
const MAX_CELL_WIDTH: usize = 48;

fn table(columns: &[String], rows: &[Vec<String>]) -> String {
    let clip = |s: &str| -> String {
        let clean = for_terminal(s);
        if clean.width() <= MAX_CELL_WIDTH {
            return clean.into_owned();
        }
        let mut out = String::new();
        let mut w = 0;
        for c in clean.chars() {
            let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if w + cw > MAX_CELL_WIDTH - 1 {
                break;
            }
            w += cw;
            out.push(c);
        }
        out.push('…');
        out
    };
    let header: Vec<String> = columns.iter().map(|c| clip(c)).collect();
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| clip(c)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in &body {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.width());
            }
        }
    }
    let line = |cells: &[String]| -> String {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let w = widths.get(i).copied().unwrap_or(0);
            if i > 0 {
                s.push_str("  ");
            }
            s.push_str(c);
            if i + 1 < cells.len() {
                s.push_str(&" ".repeat(w.saturating_sub(c.width())));
            }
        }
        s.push('\n');
        s
    };
    let mut out = line(&header);
    let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
    out.push_str(&line(&rule));
    for r in &body {
        out.push_str(&line(r));
    }
    out
}

/// `--list-saved`: name and title per question (JSON: the whole question).
pub fn render_saved_list(qs: &[saved::SavedQuestion], format: Format) -> anyhow::Result<String> {
    match format {
        Format::Json => {
            let v: Vec<Value> = qs
                .iter()
                .map(|q| {
                    serde_json::json!({
                        "name": q.name, "title": q.title, "description": q.description,
                        "query": q.query, "source": q.source, "tags": q.tags,
                    })
                })
                .collect();
            Ok(serde_json::to_string_pretty(&v)? + "\n")
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["name", "title", "query"])?;
            for q in qs {
                w.write_record([&q.name, &q.title, &csv_cell(&q.query).into_owned()])?;
            }
            Ok(String::from_utf8(w.into_inner()?)?)
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = qs
                .iter()
                .map(|q| vec![q.name.clone(), q.title.clone()])
                .collect();
            Ok(table(&["name".into(), "question".into()], &rows))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Entity, EntityType};
    use std::sync::Arc;

    fn graph() -> Graph {
        let mut g = Graph::new();
        for (id, name, email) in [
            ("1", "Jill \u{1b}[2J", "=cmd@x.io"),
            ("2", "王 Wang", "wang@x.io"),
        ] {
            let mut e = Entity::new(EntityType::User, format!("zoom_user:{id}"));
            e.props.insert(Arc::from("displayName"), Value::from(name));
            e.props.insert(Arc::from("email"), Value::from(email));
            e.props
                .insert(Arc::from("groupIds"), serde_json::json!(["a", "b"]));
            g.add_entity(e).unwrap();
        }
        g
    }

    fn run(g: &Graph, q: &str) -> QueryResult {
        query::run(g, q).unwrap()
    }

    #[test]
    fn table_is_aligned_and_sanitised() {
        let g = graph();
        let r = run(
            &g,
            r#"FIND zoom_user AS u RETURN u.displayName AS "Name", u.groupIds, u.email"#,
        );
        let t = render(&r, &g, Format::Table).unwrap();
        assert!(!t.contains('\u{1b}'));
        assert_eq!(
            t,
            "Name      u.groupIds  u.email\n\
             ────────  ──────────  ─────────\n\
             Jill [2J  a, b        =cmd@x.io\n\
             王 Wang   a, b        wang@x.io\n\
             (2 rows)\n"
        );
    }

    #[test]
    fn csv_guards_formulas_and_json_is_the_documented_shape() {
        let g = graph();
        let r = run(&g, "FIND zoom_user AS u RETURN u.email, COUNT(u)");
        let csv = render(&r, &g, Format::Csv).unwrap();
        assert_eq!(csv, "u.email,count\n'=cmd@x.io,1\nwang@x.io,1\n");
        let r = run(&g, "FIND zoom_user WITH email ^= 'w'");
        let j: Value = serde_json::from_str(&render(&r, &g, Format::Json).unwrap()).unwrap();
        assert_eq!(j[0]["_key"], "zoom_user:2");
        assert_eq!(j[0]["_class"], "User");
        assert_eq!(j[0]["groupIds"], serde_json::json!(["a", "b"]));
    }

    #[test]
    fn saved_list_names_every_question() {
        let t = render_saved_list(saved::questions(), Format::Table).unwrap();
        assert!(t.contains("zoom-access-list"));
        assert!(t.lines().count() >= saved::questions().len() + 2);
    }
}
