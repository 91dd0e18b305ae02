//! The TUI's part of the config file: `[tui]` (theme, mouse) and `[keys]`
//! (remaps). Read on its own so the rest of the config stays the config
//! module's business.
//!
//! ```toml
//! [tui]
//! theme = "light"        # dark | light | terminal
//! mouse = false          # on: wheel scrolls, click selects
//!
//! [keys]
//! export_csv = "ctrl-e"
//! move_down = ["j", "down", "ctrl-n"]
//! ```

use std::collections::BTreeMap;

use super::theme::ThemeName;

#[derive(Debug, Clone, PartialEq)]
pub struct TuiConfig {
    pub theme: ThemeName,
    pub mouse: bool,
    pub keys: BTreeMap<String, Vec<String>>,
}

impl Default for TuiConfig {
    fn default() -> Self {
        TuiConfig {
            theme: ThemeName::Dark,
            mouse: false,
            keys: BTreeMap::new(),
        }
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
    }
    if let Some(keys) = doc.get("keys").and_then(|v| v.as_table()) {
        for (action, v) in keys {
            let list = match v {
                toml::Value::String(s) => vec![s.clone()],
                toml::Value::Array(a) => a
                    .iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect(),
                _ => {
                    problems.push(format!("[keys] {action}: expected a key or a list of keys"));
                    continue;
                }
            };
            cfg.keys.insert(action.clone(), list);
        }
    }
    (cfg, problems)
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
}
