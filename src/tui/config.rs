//! The TUI's part of the config file: `[tui]` (theme, mouse),
//! `[tui.columns]` (the column chooser's choices) and `[keys]` (remaps).
//! Read on its own so the rest of the config stays the config module's
//! business.
//!
//! ```toml
//! [tui]
//! theme = "light"        # dark | light | terminal
//! mouse = false          # on: wheel scrolls, click selects
//!
//! [tui.columns]          # written by the column chooser (`C`)
//! users = ["Name", "Email", "Status", "Role"]
//!
//! [keys]
//! export_csv = "ctrl-e"
//! move_down = ["j", "down", "ctrl-n"]
//! ```

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::columns::ColumnPrefs;
use super::theme::ThemeName;

#[derive(Debug, Clone, PartialEq)]
pub struct TuiConfig {
    pub theme: ThemeName,
    pub mouse: bool,
    pub keys: BTreeMap<String, Vec<String>>,
    pub columns: ColumnPrefs,
}

impl Default for TuiConfig {
    fn default() -> Self {
        TuiConfig {
            theme: ThemeName::Dark,
            mouse: false,
            keys: BTreeMap::new(),
            columns: ColumnPrefs::default(),
        }
    }
}

/// A list of strings, or one string, as `[keys]` and `[tui.columns]` take them.
fn string_list(v: &toml::Value) -> Option<Vec<String>> {
    match v {
        toml::Value::String(s) => Some(vec![s.clone()]),
        toml::Value::Array(a) => Some(
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
        ),
        _ => None,
    }
}

/// Reads the config file's TUI tables (defaults when there is no file).
pub fn load(path: &Path) -> (TuiConfig, Vec<String>) {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text),
        Err(_) => (TuiConfig::default(), Vec::new()),
    }
}

/// Parses the tables; returns the config and problems worth a toast.
pub fn parse(text: &str) -> (TuiConfig, Vec<String>) {
    let mut cfg = TuiConfig::default();
    let mut problems = Vec::new();
    let doc: toml::Table = match text.parse() {
        Ok(d) => d,
        Err(e) => {
            problems.push(format!("config file: {}", e.message()));
            return (cfg, problems);
        }
    };
    if let Some(tui) = doc.get("tui").and_then(|v| v.as_table()) {
        if let Some(t) = tui.get("theme").and_then(|v| v.as_str()) {
            match ThemeName::parse(t) {
                Some(n) => cfg.theme = n,
                None => problems.push(format!("[tui] theme `{t}`: use dark, light or terminal")),
            }
        }
        if let Some(m) = tui.get("mouse").and_then(|v| v.as_bool()) {
            cfg.mouse = m;
        }
        match tui.get(COLUMNS) {
            Some(toml::Value::Table(t)) => {
                let mut names = BTreeMap::new();
                for (kind, v) in t {
                    match string_list(v) {
                        Some(list) => {
                            names.insert(kind.clone(), list);
                        }
                        None => problems.push(format!(
                            "[tui.columns] {kind}: expected a list of column titles"
                        )),
                    }
                }
                let (prefs, p) = ColumnPrefs::from_names(&names);
                cfg.columns = prefs;
                problems.extend(p);
            }
            Some(_) => problems.push("[tui] columns: expected a table".into()),
            None => {}
        }
    }
    if let Some(keys) = doc.get("keys").and_then(|v| v.as_table()) {
        for (action, v) in keys {
            let Some(list) = string_list(v) else {
                problems.push(format!("[keys] {action}: expected a key or a list of keys"));
                continue;
            };
            cfg.keys.insert(action.clone(), list);
        }
    }
    (cfg, problems)
}

const COLUMNS: &str = "columns";
const SECTION: &str = "[tui.columns]";

/// The column chooser's choices to write to the config file.
#[derive(Debug, Clone)]
pub struct ColumnsSave {
    pub path: PathBuf,
    /// Table name → column titles in order (what [`ColumnPrefs::to_names`] gives).
    pub columns: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("cannot save the columns to {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// The file is not TOML as it stands: rewriting it could lose what the user meant.
    #[error("not saving the columns: {path} is not valid TOML ({message}); fix it first")]
    Unreadable { path: String, message: String },
    /// `tui.columns` is written some other way (an inline table, dotted keys).
    #[error(
        "not saving the columns: {path} sets tui.columns in a form zoomscope does not rewrite; use a [tui.columns] table"
    )]
    Foreign { path: String },
}

/// Writes `[tui.columns]` into the config file and leaves every other line
/// as it was (comments, profiles, other tables): the section is replaced
/// where it is, or appended. The result must read back as the same choice
/// or nothing is written; the file is replaced atomically with its
/// permissions kept (it may hold a client secret and be chmod 600).
pub fn save_columns(job: &ColumnsSave) -> Result<(), SaveError> {
    // Write through a symlink to the file it names.
    let path = std::fs::canonicalize(&job.path).unwrap_or_else(|_| job.path.clone());
    let shown = path.display().to_string();
    let io = |source| SaveError::Io {
        path: shown.clone(),
        source,
    };
    let old = match std::fs::read_to_string(&path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(e)),
    };
    let text = old.as_deref().unwrap_or("");
    if let Err(e) = text.parse::<toml::Table>() {
        return Err(SaveError::Unreadable {
            path: shown,
            message: e.message().to_string(),
        });
    }
    let new = with_section(text, &render(&job.columns));
    let (cfg, _) = parse(&new);
    if new.parse::<toml::Table>().is_err() || cfg.columns.to_names() != job.columns {
        return Err(SaveError::Foreign { path: shown });
    }
    if old.as_deref() == Some(new.as_str()) {
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    write_atomically(&path, &new).map_err(io)
}

/// The section's lines (empty when every table shows its default columns).
fn render(columns: &BTreeMap<String, Vec<String>>) -> String {
    if columns.is_empty() {
        return String::new();
    }
    let mut out = format!("{SECTION}\n");
    for (kind, titles) in columns {
        let list: Vec<String> = titles
            .iter()
            .map(|t| toml::Value::String(t.clone()).to_string())
            .collect();
        out.push_str(&format!("{kind} = [{}]\n", list.join(", ")));
    }
    out
}

/// Whether `line` is a table header naming `tui.columns` (spaces and a
/// trailing comment allowed).
fn is_columns_header(line: &str) -> bool {
    let t = line.trim();
    let Some(inner) = t.strip_prefix('[').filter(|_| !t.starts_with("[[")) else {
        return false;
    };
    let Some(end) = inner.find(']') else {
        return false;
    };
    let name: String = inner[..end]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    name == "tui.columns" || name == "\"tui\".\"columns\"" || name == "tui.\"columns\""
}

/// `text` with its `[tui.columns]` section replaced by `section`, or with
/// `section` appended when there is none.
fn with_section(text: &str, section: &str) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let Some(start) = lines.iter().position(|l| is_columns_header(l)) else {
        if section.is_empty() {
            return text.to_string();
        }
        let mut out = text.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(section);
        return out;
    };
    // The section runs to the next table header.
    let end = lines
        .iter()
        .skip(start + 1)
        .position(|l| l.trim_start().starts_with('['))
        .map(|i| start + 1 + i)
        .unwrap_or(lines.len());
    let mut out: String = lines[..start].concat();
    out.push_str(section);
    if !section.is_empty() && end < lines.len() {
        out.push('\n');
    }
    out.push_str(&lines[end..].concat());
    out
}

/// Writes `text` to a new file beside `path` and renames it over `path`,
/// so a crash leaves the old file or the new one, never half of either.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config.toml".into());
    let tmp = path.with_file_name(format!(".{name}.zoomscope-new"));
    let _ = std::fs::remove_file(&tmp);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let result = (|| {
        let mut f = opts.open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_theme_mouse_and_keys() {
        let (c, p) = parse(
            "[profile.default]\naccount_id='x'\n[tui]\ntheme='light'\nmouse=true\n[keys]\nexport_csv='ctrl-e'\nmove_down=['j','ctrl-n']\n",
        );
        assert!(p.is_empty());
        assert_eq!(c.theme, ThemeName::Light);
        assert!(c.mouse);
        assert_eq!(c.keys["move_down"], vec!["j", "ctrl-n"]);
    }

    fn save(path: &Path, kind: &str, titles: &[&str]) -> Result<(), SaveError> {
        let mut columns = BTreeMap::new();
        if !titles.is_empty() {
            columns.insert(
                kind.to_string(),
                titles.iter().map(|t| t.to_string()).collect(),
            );
        }
        save_columns(&ColumnsSave {
            path: path.to_path_buf(),
            columns,
        })
    }

    #[test]
    fn columns_are_written_in_place_keeping_comments_other_keys_and_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let before = "# my config\n[profile.default]\naccount_id = 'x' # inline comment\n\n[tui]\ntheme = 'light'\n\n[keys]\nexport_csv = 'ctrl-e'\n";
        std::fs::write(&path, before).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        save(&path, "users", &["Email", "Name"]).unwrap();
        let after = std::fs::read_to_string(&path).unwrap();
        assert!(after.starts_with(before), "{after}");
        let (c, p) = parse(&after);
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(c.theme, ThemeName::Light);
        assert_eq!(
            c.columns.shown(super::super::columns::TableKind::Users),
            vec![1, 0]
        );
        // again: the section is replaced where it is, nothing else moves
        save(&path, "users", &["Name", "Status"]).unwrap();
        let again = std::fs::read_to_string(&path).unwrap();
        assert!(again.starts_with(before), "{again}");
        assert_eq!(again.matches("[tui.columns]").count(), 1, "{again}");
        assert!(again.contains(r#"users = ["Name", "Status"]"#), "{again}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // back to the defaults: the section goes, the rest stays
        save(&path, "users", &[]).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap().trim_end(),
            before.trim_end()
        );
    }

    #[test]
    fn a_section_in_the_middle_is_replaced_there() {
        let text = "[tui.columns] # chosen in the app\nusers = [\"Name\"]\n\n[keys]\nquit = 'x'\n";
        let out = with_section(text, "[tui.columns]\ngroups = [\"Name\"]\n");
        assert_eq!(
            out,
            "[tui.columns]\ngroups = [\"Name\"]\n\n[keys]\nquit = 'x'\n"
        );
    }

    #[test]
    fn an_unreadable_or_foreign_config_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[profile.default\n").unwrap();
        let e = save(&path, "users", &["Name"]).unwrap_err();
        assert!(matches!(e, SaveError::Unreadable { .. }), "{e}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "[profile.default\n"
        );
        let inline = "[tui]\ncolumns = { users = [\"Email\"] }\n";
        std::fs::write(&path, inline).unwrap();
        let e = save(&path, "users", &["Name"]).unwrap_err();
        assert!(matches!(e, SaveError::Foreign { .. }), "{e}");
        assert!(e.to_string().contains("[tui.columns]"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), inline);
        // no file yet: one is made
        let fresh = dir.path().join("sub").join("new.toml");
        save(&fresh, "roles", &["Name"]).unwrap();
        assert_eq!(
            std::fs::read_to_string(&fresh).unwrap(),
            "[tui.columns]\nroles = [\"Name\"]\n"
        );
    }

    #[test]
    fn unknown_tables_and_columns_are_named() {
        let (c, p) = parse("[tui.columns]\nusers = ['Email', 'Shoe size']\nthings = ['x']\n");
        assert_eq!(
            c.columns.shown(super::super::columns::TableKind::Users),
            vec![1]
        );
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            p.iter()
                .any(|x| x.contains("Shoe size") && x.contains("users"))
        );
        assert!(p.iter().any(|x| x.contains("things")));
    }
}
