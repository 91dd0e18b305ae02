//! `zoomscope export`: the latest snapshot as JupiterOne-shaped JSON
//! (`{"entities": [...], "relationships": [...]}`) or as CSV, one type at a
//! time, with every cell guarded against spreadsheet formula injection.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, ValueEnum};
use serde_json::Value;

use super::{Context, exit};
use crate::graph::{EntityType, Graph, RelType};
use crate::util::sanitize::{csv_cell, for_terminal};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Csv,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  zoomscope export --out graph.json\n  zoomscope export --format csv --out users.csv      (CSV without --type: the users)\n  zoomscope export --format csv --type zoom_group_has_user\n\n\
                  Exit status: 0 exported; 2 usage error (unknown --type, no snapshot yet, --out naming \
                  zoomscope's own store or log) or a file that cannot be written."
)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Only this entity `_type` (zoom_user, zoom_group, zoom_role, zoom_account,
    /// employee) or relationship `_type` (zoom_group_has_user, …). CSV holds
    /// one type: without --type it exports zoom_user.
    #[arg(long = "type", value_name = "TYPE")]
    pub type_: Option<String>,
    /// Write to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// What `--type` selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    All,
    Entities(EntityType),
    Relationships(RelType),
}

impl Selection {
    pub fn parse(t: Option<&str>) -> Result<Self, String> {
        let Some(t) = t else {
            return Ok(Selection::All);
        };
        if let Some(e) = EntityType::from_type_str(t) {
            return Ok(Selection::Entities(e));
        }
        if let Some(r) = RelType::from_type_str(t) {
            return Ok(Selection::Relationships(r));
        }
        let known: Vec<&str> = EntityType::ALL
            .iter()
            .map(|e| e.as_str())
            .chain(RelType::ALL.iter().map(|r| r.as_str()))
            .collect();
        Err(format!(
            "unknown type `{}`; one of: {}",
            for_terminal(t),
            known.join(", ")
        ))
    }
}

pub async fn run(ctx: &Context, args: ExportArgs) -> anyhow::Result<ExitCode> {
    // Before the store is even opened: opening it may checkpoint its WAL,
    // and a refused export must leave the file exactly as it was.
    if let Some(msg) = args.out.as_deref().and_then(|p| refuse_own_files(ctx, p)) {
        return usage(&msg);
    }
    let selection = match Selection::parse(args.type_.as_deref()) {
        // CSV holds one type; the users are what an admin exports most.
        Ok(Selection::All) if args.format == Format::Csv => Selection::Entities(EntityType::User),
        Ok(s) => s,
        Err(e) => return usage(&e),
    };
    let Some(snapshot) = ctx.latest_graph().await? else {
        return usage(&format!(
            "no snapshot for profile `{}` yet: run `zoomscope sync` first",
            for_terminal(ctx.profile_name())
        ));
    };
    let graph = &snapshot.graph;
    let mut out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(std::io::BufWriter::new(
            crate::util::files::create_output_file(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match args.format {
        Format::Json => write_json(graph, selection, &mut out)?,
        Format::Csv => write_csv(graph, selection, &mut out)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `--out` must not name zoomscope's own files: writing the export over the
/// store (or its WAL/SHM, or the log) would destroy every snapshot.
fn refuse_own_files(ctx: &Context, out: &std::path::Path) -> Option<String> {
    let p = ctx.paths();
    let store = p.store_file.as_os_str();
    let with = |suffix: &str| {
        let mut s = store.to_owned();
        s.push(suffix);
        PathBuf::from(s)
    };
    let own = [
        p.store_file.clone(),
        with("-wal"),
        with("-shm"),
        with("-journal"),
        p.log_file.clone(),
    ];
    crate::util::files::is_same_file_as_any(out, &own).then(|| {
        format!(
            "refusing to write the export to {}: that is zoomscope's own store or log; choose another --out",
            for_terminal(&out.display().to_string())
        )
    })
}

fn usage(msg: &str) -> anyhow::Result<ExitCode> {
    eprintln!("zoomscope export: {msg}");
    Ok(ExitCode::from(exit::USAGE))
}

/// Streams `{"entities": [...], "relationships": [...]}` without building
/// the whole document in memory.
pub fn write_json(graph: &Graph, sel: Selection, out: &mut dyn Write) -> anyhow::Result<()> {
    out.write_all(b"{\"entities\":[")?;
    let mut first = true;
    for (_, e) in graph.entities() {
        let wanted = match sel {
            Selection::All => true,
            Selection::Entities(t) => e.etype == t,
            Selection::Relationships(_) => false,
        };
        if wanted {
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            out.write_all(b"\n")?;
            write_json_value(out, &e.to_json())?;
        }
    }
    out.write_all(b"\n],\"relationships\":[")?;
    let mut first = true;
    for (id, r) in graph.relationships() {
        let wanted = match sel {
            Selection::All => true,
            Selection::Relationships(t) => r.rtype == t,
            Selection::Entities(_) => false,
        };
        if wanted {
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            out.write_all(b"\n")?;
            write_json_value(out, &graph.relationship_json(id))?;
        }
    }
    out.write_all(b"\n]}\n")?;
    Ok(())
}

/// One JSON value, with control, bidi and zero-width characters escaped
/// (`\u202e`), never raw: the file may well be `cat` to a terminal.
fn write_json_value(out: &mut dyn Write, v: &Value) -> anyhow::Result<()> {
    let s = serde_json::to_string(v)?;
    out.write_all(crate::util::sanitize::json_text(&s).as_bytes())?;
    Ok(())
}

/// One CSV of one type: `_key`, `_type`, `_class` (and for relationships
/// `_fromEntityKey`, `_toEntityKey`), then every property name that occurs.
pub fn write_csv(graph: &Graph, sel: Selection, out: &mut dyn Write) -> anyhow::Result<()> {
    let rows: Vec<serde_json::Map<String, Value>> = match sel {
        Selection::All => anyhow::bail!("CSV needs one type"),
        Selection::Entities(t) => graph
            .of_type(t)
            .iter()
            .map(|id| into_map(graph.entity(*id).to_json()))
            .collect(),
        Selection::Relationships(t) => graph
            .relationships()
            .filter(|(_, r)| r.rtype == t)
            .map(|(id, _)| into_map(graph.relationship_json(id)))
            .collect(),
    };
    let fixed: &[&str] = match sel {
        Selection::Relationships(_) => {
            &["_key", "_type", "_class", "_fromEntityKey", "_toEntityKey"]
        }
        _ => &["_key", "_type", "_class"],
    };
    let props: BTreeSet<&str> = rows
        .iter()
        .flat_map(|r| r.keys().map(String::as_str))
        .filter(|k| !fixed.contains(k))
        .collect();
    let columns: Vec<&str> = fixed.iter().copied().chain(props).collect();
    let mut w = csv::Writer::from_writer(out);
    w.write_record(columns.iter().map(|c| csv_cell(c).into_owned()))?;
    for row in &rows {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| csv_cell(&cell_text(row.get(*c))).into_owned())
            .collect();
        w.write_record(&cells)?;
    }
    w.flush()?;
    Ok(())
}

fn into_map(v: Value) -> serde_json::Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}

/// Strings as they are; numbers and booleans as JSON; arrays and objects
/// as compact JSON; absent and null as an empty cell.
fn cell_text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::graph::{Entity, Props};

    fn graph() -> Graph {
        let mut g = Graph::new();
        let mut u = Entity::new(EntityType::User, "zoom_user:1".into());
        u.props.insert(Arc::from("email"), Value::from("a@x.io"));
        u.props
            .insert(Arc::from("name"), Value::from("=HYPERLINK(\"evil\")"));
        u.props
            .insert(Arc::from("groupIds"), serde_json::json!(["g1"]));
        g.add_entity(u).unwrap();
        let mut grp = Entity::new(EntityType::Group, "zoom_group:g1".into());
        grp.props
            .insert(Arc::from("name"), Value::from("Devs, \"core\""));
        g.add_entity(grp).unwrap();
        g.add_relationship(
            RelType::GroupHasUser,
            "zoom_group:g1",
            "zoom_user:1",
            Props::new(),
        )
        .unwrap();
        g
    }

    #[test]
    fn json_has_entities_and_relationships_in_jupiterone_shape() {
        let mut buf = Vec::new();
        write_json(&graph(), Selection::All, &mut buf).unwrap();
        let v: Value = serde_json::from_slice(&buf).unwrap();
        assert_eq!(v["entities"].as_array().unwrap().len(), 2);
        assert_eq!(v["entities"][0]["_class"], "User");
        let r = &v["relationships"][0];
        assert_eq!(r["_key"], "zoom_group:g1|has|zoom_user:1");
        assert_eq!(r["_fromEntityKey"], "zoom_group:g1");
        assert_eq!(r["_type"], "zoom_group_has_user");

        let mut buf = Vec::new();
        write_json(&graph(), Selection::Entities(EntityType::Group), &mut buf).unwrap();
        let v: Value = serde_json::from_slice(&buf).unwrap();
        assert_eq!(v["entities"].as_array().unwrap().len(), 1);
        assert!(v["relationships"].as_array().unwrap().is_empty());
    }

    #[test]
    fn csv_guards_formulas_and_quotes() {
        let mut buf = Vec::new();
        write_csv(&graph(), Selection::Entities(EntityType::User), &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let headers = r.headers().unwrap().clone();
        assert_eq!(&headers[0], "_key");
        let row = r.records().next().unwrap().unwrap();
        let name = headers.iter().position(|h| h == "name").unwrap();
        assert_eq!(&row[name], "'=HYPERLINK(\"evil\")");
        let gids = headers.iter().position(|h| h == "groupIds").unwrap();
        assert_eq!(&row[gids], "[\"g1\"]");

        let mut buf = Vec::new();
        write_csv(
            &graph(),
            Selection::Relationships(RelType::GroupHasUser),
            &mut buf,
        )
        .unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert!(text.starts_with("_key,_type,_class,_fromEntityKey,_toEntityKey"));
    }

    #[test]
    fn type_names_are_checked() {
        assert_eq!(
            Selection::parse(Some("zoom_role")),
            Ok(Selection::Entities(EntityType::Role))
        );
        assert!(
            Selection::parse(Some("zoom_meeting"))
                .unwrap_err()
                .contains("zoom_user")
        );
    }
}
