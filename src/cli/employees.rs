//! `zoomscope employees …`: import a roster, report the mapping, link and
//! unlink. The work is in `crate::employees`; the `*_cmd` functions here take
//! their inputs explicitly (SQLite connection, profile, config, graph, clock,
//! output) so tests drive them without a `Context`, and [`run`] only wires
//! the context to them.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use rusqlite::Connection;

use super::{Context, exit};
use crate::employees::{
    self, Category, DecisionKind, EmployeesConfig, ImportOptions, Report, ReportRow,
};
use crate::graph::Graph;
use crate::util::sanitize::{for_terminal, json_text};

#[derive(Debug, Subcommand)]
pub enum EmployeesCommand {
    /// Import an HR roster (CSV or JSON); it replaces the current roster (history is kept).
    #[command(
        after_help = "Exit status: 0 a roster was stored (bad rows, if any, are listed); 2 nothing was \
                      stored (unreadable or oversized file, --strict with bad rows, no valid row) or a \
                      usage or config error."
    )]
    Import(ImportArgs),
    /// Report the mapping: counts and rows per category, the offboarding gap first.
    #[command(
        after_help = "Exit status: 0 printed (whatever the categories hold); 2 no snapshot or no roster \
                      yet, or a usage, config or store error."
    )]
    Report(ReportArgs),
    /// Record that a Zoom user IS an employee (wins over automatic matching).
    #[command(
        after_help = "Exit status: 0 recorded; 2 the user or employee is unknown, or a usage, config or \
                      store error."
    )]
    Link(DecisionArgs),
    /// Record that a Zoom user is NOT an employee (never matched automatically).
    #[command(
        after_help = "Exit status: 0 recorded; 2 the user or employee is unknown, or a usage, config or \
                      store error."
    )]
    Unlink(DecisionArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// Roster file: CSV (header row; UTF-8, BOM and CRLF fine) or a JSON array of objects.
    pub file: PathBuf,
    /// Print `{"imported": N, "errors": [{"line": L, "reason": "..."}], "warnings": [...]}`.
    #[arg(long)]
    pub json: bool,
    /// Import nothing if any row is bad.
    #[arg(long)]
    pub strict: bool,
    /// Read a field from a named column, e.g. `--column email="Primary Mail"`.
    /// Fields: email, first_name, last_name, name, employee_id, employee_unique_id,
    /// department, title, manager_email, status, termination_date, other_emails.
    #[arg(long = "column", value_name = "FIELD=HEADER")]
    pub columns: Vec<String>,
    /// Domains that are the same mailbox (kept with this roster), e.g.
    /// `--alias-domain corp.com=corp.io`. The config's `alias_domains` apply too.
    #[arg(long = "alias-domain", value_name = "A=B")]
    pub alias_domains: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Print `{"categories": {"matched": [...], …}}`.
    #[arg(long)]
    pub json: bool,
    /// Only this category: terminated_but_active, not_an_employee,
    /// employee_without_zoom, ambiguous, matched.
    #[arg(long, value_name = "C", value_parser = parse_category)]
    pub category: Option<Category>,
}

#[derive(Debug, Clone, Args)]
pub struct DecisionArgs {
    /// Zoom user: its key (`zoom_user:…`) or e-mail.
    pub user: String,
    /// Employee: its employee id or e-mail.
    pub employee: String,
}

fn parse_category(s: &str) -> Result<Category, String> {
    Category::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Category::ORDER.iter().map(|c| c.as_str()).collect();
        format!("unknown category `{s}` (one of: {})", names.join(", "))
    })
}

/// Dispatch: reads the `[employees]` config table, opens the store, and for
/// report/link/unlink loads the latest snapshot (without the overlay:
/// matching runs once, in the report).
pub async fn run(ctx: &Context, cmd: EmployeesCommand) -> anyhow::Result<ExitCode> {
    let cfg: EmployeesConfig = ctx.employees_config()?;
    let profile = ctx.profile_name().to_string();
    let store = ctx.open_store()?;
    let conn = store.conn();
    let now = Utc::now();
    let mut out = std::io::stdout().lock();
    let latest =
        || -> anyhow::Result<Option<Graph>> { Ok(store.latest(&profile)?.map(|s| s.graph)) };
    match cmd {
        EmployeesCommand::Import(a) => import_cmd(conn, &profile, &cfg, &a, now, &mut out),
        EmployeesCommand::Report(a) => {
            let g = latest()?;
            report_cmd(conn, &profile, &cfg, g.as_ref(), &a, now, &mut out)
        }
        EmployeesCommand::Link(a) => {
            let g = latest()?;
            decision_cmd(
                conn,
                &profile,
                g.as_ref(),
                DecisionKind::Link,
                &a,
                now,
                &mut out,
            )
        }
        EmployeesCommand::Unlink(a) => {
            let g = latest()?;
            decision_cmd(
                conn,
                &profile,
                g.as_ref(),
                DecisionKind::Unlink,
                &a,
                now,
                &mut out,
            )
        }
    }
}

/// `employees import`. Exit 0 when a roster was stored, 2 when nothing was
/// (file-level error, `--strict` with bad rows, or no valid row).
pub fn import_cmd(
    conn: &Connection,
    profile: &str,
    cfg: &EmployeesConfig,
    args: &ImportArgs,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let file = std::fs::File::open(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    // Read in chunks up to the cap: a huge file or an endless stream
    // (`/dev/zero`) is refused without being held in memory.
    let text = employees::roster::read_text(file, cfg.max_roster_mib())
        .with_context(|| format!("{}", args.file.display()))?;
    let opts = ImportOptions {
        strict: args.strict,
        columns: cfg.column_overrides(&args.columns)?,
        source: args
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| args.file.display().to_string()),
        alias_domains: EmployeesConfig::parse_alias_specs(&args.alias_domains),
        now,
    };
    let outcome = employees::import_text(conn, profile, &text, &opts)?;
    if args.json {
        writeln!(out, "{}", json_text(&outcome.to_json().to_string()))?;
    } else {
        match &outcome.roster {
            Some(info) => writeln!(
                out,
                "Imported {} employees from {} (roster #{}).",
                outcome.imported,
                for_terminal(&info.source),
                info.id
            )?,
            None if args.strict && !outcome.errors.is_empty() => writeln!(
                out,
                "Nothing imported: --strict and {} bad row(s).",
                outcome.errors.len()
            )?,
            None => writeln!(out, "Nothing imported: no valid row.")?,
        }
        if !outcome.errors.is_empty() {
            writeln!(out, "{} bad row(s):", outcome.errors.len())?;
            for e in &outcome.errors {
                writeln!(out, "  line {}: {}", e.line, for_terminal(&e.reason))?;
            }
        }
        if !outcome.warnings.is_empty() {
            writeln!(out, "{} warning(s):", outcome.warnings.len())?;
            for w in &outcome.warnings {
                writeln!(out, "  line {}: {}", w.line, for_terminal(&w.reason))?;
            }
        }
    }
    Ok(if outcome.roster.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(exit::USAGE)
    })
}

/// `employees report`.
pub fn report_cmd(
    conn: &Connection,
    profile: &str,
    cfg: &EmployeesConfig,
    graph: Option<&Graph>,
    args: &ReportArgs,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let graph = graph.context("no snapshot yet: run `zoomscope sync` first")?;
    let data = employees::load(conn, profile)?.ok_or(employees::EmployeesError::NoRoster)?;
    let report = data.report(graph, &cfg.match_options(now.date_naive()));
    if args.json {
        writeln!(
            out,
            "{}",
            json_text(&report.to_json(args.category).to_string())
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "Employee mapping: roster #{} ({} employees, {} from {}), {} Zoom users",
        data.info.id,
        data.info.employee_count,
        data.info.imported_at.format("%Y-%m-%d %H:%M UTC"),
        for_terminal(&data.info.source),
        graph.of_type(crate::graph::EntityType::User).len()
    )?;
    for (c, n) in report.counts() {
        writeln!(out, "  {:<22} {:>7}  {}", c.as_str(), n, c.description())?;
    }
    let shown: Vec<Category> = match args.category {
        Some(c) => vec![c],
        // Matched rows are the bulk and not a problem; ask for them by name.
        None => Category::ORDER
            .into_iter()
            .filter(|c| *c != Category::Matched)
            .collect(),
    };
    for c in shown {
        write_category(out, &report, c)?;
    }
    if args.category.is_none() && report.count(Category::Matched) > 0 {
        writeln!(out, "\n(matched rows: --category matched)")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_category(out: &mut dyn Write, report: &Report, c: Category) -> std::io::Result<()> {
    let rows = report.rows(c);
    writeln!(out, "\n{} ({})", c.as_str(), rows.len())?;
    if rows.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "  {:<36} {:<34} {:<14} {:<34} DETAIL",
        "USER KEY", "USER EMAIL", "EMPLOYEE ID", "EMPLOYEE EMAIL"
    )?;
    for r in rows {
        writeln!(out, "  {}", row_line(r))?;
    }
    Ok(())
}

fn row_line(r: &ReportRow) -> String {
    let u = r.user.as_ref();
    let e = r.employee.as_ref();
    let dash = |s: Option<&str>| for_terminal(s.unwrap_or("-")).into_owned();
    let mut detail: Vec<String> = Vec::new();
    if let Some(u) = u
        && let Some(s) = &u.status
    {
        detail.push(format!("zoom {}", for_terminal(s)));
    }
    if let Some(e) = e {
        let mut s = format!("employee {}", e.status.as_str());
        if let Some(d) = e.termination_date {
            s.push_str(&format!(" (until {d})"));
        }
        detail.push(s);
    }
    if let Some(by) = r.matched_by {
        detail.push(format!("by {}", by.as_str()));
    }
    if let Some(g) = r.ambiguity_group {
        detail.push(format!("group {g}"));
    }
    for s in &r.suggestions {
        detail.push(format!(
            "maybe {} ({})",
            for_terminal(s.email.as_deref().unwrap_or(&s.key)),
            s.reason
        ));
    }
    format!(
        "{:<36} {:<34} {:<14} {:<34} {}",
        dash(u.map(|u| u.key.as_str())),
        dash(u.and_then(|u| u.email.as_deref())),
        dash(e.and_then(|e| e.employee_id.as_deref())),
        dash(e.map(|e| e.email.as_str())),
        detail.join("; ")
    )
}

/// `employees link` / `employees unlink`.
pub fn decision_cmd(
    conn: &Connection,
    profile: &str,
    graph: Option<&Graph>,
    kind: DecisionKind,
    args: &DecisionArgs,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let d = match kind {
        DecisionKind::Link => {
            employees::link(conn, profile, graph, &args.user, &args.employee, now)?
        }
        DecisionKind::Unlink => {
            employees::unlink(conn, profile, graph, &args.user, &args.employee, now)?
        }
    };
    let verb = match kind {
        DecisionKind::Link => "Linked",
        DecisionKind::Unlink => "Unlinked",
    };
    writeln!(
        out,
        "{verb} {} and {} (stored; wins over automatic matching).",
        for_terminal(&d.user_ref),
        for_terminal(&d.employee_key)
    )?;
    Ok(ExitCode::SUCCESS)
}
