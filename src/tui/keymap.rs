//! The keymap registry: mode → key → action. The same registry dispatches
//! keys and generates the help overlay and the hint line, so a remapped key
//! shows up everywhere it is used.
//!
//! Config (`[keys]` table of the config file): `action = "key"` or
//! `action = ["key", "key"]` replaces that action's keys in every mode it
//! has; `action = []` unbinds it. Keys are written `j`, `G`, `ctrl-s`,
//! `shift-tab`, `alt-x`, `enter`, `esc`, `tab`, `space`, `up`, `pgdn`, `f1` ….

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::pane::PaneKind;

/// Which key table applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// Tables, detail views and the account overview.
    Normal,
    /// A detail view opened from a list (the keys of tables and details, plus these).
    Detail,
    /// The raw JSON viewer.
    Raw,
    /// The help overlay.
    Help,
    /// Typing a search or a command.
    Prompt,
}

impl Mode {
    pub const ALL: [Mode; 5] = [
        Mode::Normal,
        Mode::Detail,
        Mode::Raw,
        Mode::Help,
        Mode::Prompt,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Mode::Normal => "Tables and details",
            Mode::Detail => "Detail views",
            Mode::Raw => "Raw JSON",
            Mode::Help => "Help",
            Mode::Prompt => "Search and command line",
        }
    }
}

/// A key with its modifiers, normalised (shift folded into the character).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) => {
                // 'G' arrives as Char('G') + SHIFT on most terminals; drop SHIFT.
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, mods }
    }

    pub fn from_event(ev: &KeyEvent) -> Key {
        Key::new(ev.code, ev.modifiers)
    }

    #[cfg(test)]
    pub(crate) fn plain(c: char) -> Key {
        Key::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    /// Parses `ctrl-s`, `shift-tab`, `G`, `enter`, `f1`, ….
    pub fn parse(s: &str) -> Option<Key> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            let stripped = ["ctrl-", "alt-", "shift-"].iter().find_map(|p| {
                lower
                    .starts_with(p)
                    .then(|| (*p, rest.get(p.len()..).unwrap_or("")))
            });
            match stripped {
                Some((p, r)) if !r.is_empty() => {
                    mods |= match p {
                        "ctrl-" => KeyModifiers::CONTROL,
                        "alt-" => KeyModifiers::ALT,
                        _ => KeyModifiers::SHIFT,
                    };
                    rest = r;
                }
                _ => break,
            }
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "backspace" | "bs" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            f if f.len() >= 2
                && f.starts_with('f')
                && f[1..].chars().all(|c| c.is_ascii_digit()) =>
            {
                KeyCode::F(f[1..].parse().ok()?)
            }
            _ => {
                let mut chars = rest.chars();
                let c = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                if mods.contains(KeyModifiers::SHIFT) && c.is_ascii_alphabetic() {
                    KeyCode::Char(c.to_ascii_uppercase())
                } else {
                    KeyCode::Char(c)
                }
            }
        };
        Some(Key::new(code, mods))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// The default bindings: (mode, action, keys).
fn defaults() -> Vec<(Mode, Action, &'static [&'static str])> {
    use Action::*;
    use Mode as M;
    let mut v: Vec<(Mode, Action, &'static [&'static str])> = vec![
        (M::Normal, MoveDown, &["j", "down"]),
        (M::Normal, MoveUp, &["k", "up"]),
        (M::Normal, PageDown, &["pgdn", "ctrl-f"]),
        (M::Normal, PageUp, &["pgup", "ctrl-b"]),
        (M::Normal, HalfPageDown, &["ctrl-d"]),
        (M::Normal, HalfPageUp, &["ctrl-u"]),
        (M::Normal, Top, &["g", "home"]),
        (M::Normal, Bottom, &["G", "end"]),
        (M::Normal, ColumnLeft, &["h", "left"]),
        (M::Normal, ColumnRight, &["l", "right"]),
        (M::Normal, Sort, &["s"]),
        (M::Normal, Open, &["enter"]),
        (M::Normal, ClearOrBack, &["esc"]),
        (M::Normal, BackOrQuit, &["q"]),
        (M::Normal, Quit, &["ctrl-c"]),
        (M::Normal, Search, &["/"]),
        (M::Normal, Command, &[":"]),
        (M::Normal, Help, &["?", "f1"]),
        (M::Normal, Details, &["d"]),
        (M::Normal, Raw, &["y"]),
        (M::Normal, Copy, &["c"]),
        (M::Normal, CopyRow, &["Y"]),
        (M::Normal, ExportCsv, &["ctrl-s"]),
        (M::Normal, SyncNow, &["ctrl-r"]),
        (M::Normal, NextPane, &["tab"]),
        (M::Normal, PrevPane, &["shift-tab"]),
        (M::Normal, OtherSide, &["o"]),
        (M::Normal, Link, &["L"]),
        (M::Normal, Unlink, &["U"]),
        (M::Normal, Mark, &["space"]),
        (M::Normal, Wide, &["w"]),
        (M::Normal, Columns, &["C"]),
        (M::Normal, ColumnEarlier, &["<"]),
        (M::Normal, ColumnLater, &[">"]),
        (M::Normal, Operator, &["b"]),
        (M::Detail, NextLink, &["tab"]),
        (M::Detail, PrevLink, &["shift-tab"]),
        (M::Raw, MoveDown, &["j", "down"]),
        (M::Raw, MoveUp, &["k", "up"]),
        (M::Raw, PageDown, &["pgdn", "ctrl-f", "space"]),
        (M::Raw, PageUp, &["pgup", "ctrl-b"]),
        (M::Raw, Top, &["g", "home"]),
        (M::Raw, Bottom, &["G", "end"]),
        (M::Raw, Search, &["/"]),
        (M::Raw, NextMatch, &["n"]),
        (M::Raw, PrevMatch, &["N"]),
        (M::Raw, Copy, &["c"]),
        (M::Raw, ClearOrBack, &["esc"]),
        (M::Raw, BackOrQuit, &["q", "y"]),
        (M::Raw, Quit, &["ctrl-c"]),
        (M::Raw, Help, &["?", "f1"]),
        (M::Help, MoveDown, &["j", "down"]),
        (M::Help, MoveUp, &["k", "up"]),
        (M::Help, PageDown, &["pgdn", "space"]),
        (M::Help, PageUp, &["pgup"]),
        (M::Help, HalfPageDown, &["ctrl-d"]),
        (M::Help, HalfPageUp, &["ctrl-u"]),
        (M::Help, Top, &["g", "home"]),
        (M::Help, Bottom, &["G", "end"]),
        (M::Help, Search, &["/"]),
        (M::Help, ClearOrBack, &["esc", "q", "?", "f1"]),
        (M::Help, Quit, &["ctrl-c"]),
        (M::Prompt, Accept, &["enter"]),
        (M::Prompt, Cancel, &["esc"]),
        (M::Prompt, Complete, &["tab"]),
        (M::Prompt, DeleteChar, &["backspace"]),
        (M::Prompt, ClearLine, &["ctrl-u"]),
        (M::Prompt, MoveDown, &["down"]),
        (M::Prompt, MoveUp, &["up"]),
        (M::Prompt, Quit, &["ctrl-c"]),
    ];
    const NUMS: [&[&str]; 9] = [
        &["1"],
        &["2"],
        &["3"],
        &["4"],
        &["5"],
        &["6"],
        &["7"],
        &["8"],
        &["9"],
    ];
    for (i, p) in PaneKind::ALL.iter().enumerate() {
        if let Some(k) = NUMS.get(i) {
            v.push((M::Normal, Pane(*p), k));
        }
    }
    v
}

/// The registry.
#[derive(Debug, Clone)]
pub struct Keymap {
    /// mode → action → keys (in the order help shows them).
    bindings: BTreeMap<Mode, Vec<(Action, Vec<Key>)>>,
    lookup: HashMap<(Mode, Key), Action>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::new(&BTreeMap::new()).0
    }
}

impl Keymap {
    /// Defaults plus overrides (action name → key strings). Returns the
    /// keymap and human-readable problems (unknown action or key, conflicts).
    pub fn new(overrides: &BTreeMap<String, Vec<String>>) -> (Keymap, Vec<String>) {
        let mut problems = Vec::new();
        let mut bindings: BTreeMap<Mode, Vec<(Action, Vec<Key>)>> = BTreeMap::new();
        for (mode, action, keys) in defaults() {
            let keys = keys.iter().filter_map(|k| Key::parse(k)).collect();
            bindings.entry(mode).or_default().push((action, keys));
        }
        for (name, keys) in overrides {
            let Some(action) = Action::from_name(name) else {
                problems.push(format!("[keys]: unknown action `{name}`"));
                continue;
            };
            let mut parsed = Vec::new();
            for k in keys {
                match Key::parse(k) {
                    Some(key) => parsed.push(key),
                    None => problems.push(format!("[keys] {name}: cannot read key `{k}`")),
                }
            }
            let mut found = false;
            for list in bindings.values_mut() {
                for (a, ks) in list.iter_mut() {
                    if *a == action {
                        *ks = parsed.clone();
                        found = true;
                    }
                }
            }
            if !found {
                bindings
                    .entry(Mode::Normal)
                    .or_default()
                    .push((action, parsed));
            }
            // A remapped key wins over another action's default in the same mode.
            for list in bindings.values_mut() {
                if !list.iter().any(|(a, _)| *a == action) {
                    continue;
                }
                for (a, ks) in list.iter_mut() {
                    if *a != action && !overrides.contains_key(&a.name()) {
                        ks.retain(|k| !keys_contains(&overrides[name], k));
                    }
                }
            }
        }
        let mut lookup = HashMap::new();
        for (mode, list) in &bindings {
            for (action, keys) in list {
                for k in keys {
                    if let Some(prev) = lookup.insert((*mode, *k), *action)
                        && prev != *action
                    {
                        problems.push(format!(
                            "[keys]: {k} is bound to both {} and {}",
                            prev.name(),
                            action.name()
                        ));
                    }
                }
            }
        }
        (Keymap { bindings, lookup }, problems)
    }

    /// A detail view has its own keys and every key of the tables.
    pub fn action(&self, mode: Mode, key: Key) -> Option<Action> {
        self.lookup
            .get(&(mode, key))
            .copied()
            .or_else(|| match mode {
                Mode::Detail => self.lookup.get(&(Mode::Normal, key)).copied(),
                _ => None,
            })
    }

    /// The keys of an action in a mode, for hints ("/ search").
    pub fn keys(&self, mode: Mode, action: Action) -> &[Key] {
        let find = |mode: Mode| {
            self.bindings
                .get(&mode)
                .and_then(|l| l.iter().find(|(a, _)| *a == action))
                .map(|(_, k)| k.as_slice())
        };
        find(mode)
            .or_else(|| (mode == Mode::Detail).then(|| find(Mode::Normal)).flatten())
            .unwrap_or(&[])
    }

    /// The first key of an action, as text (empty when unbound).
    pub fn first_key(&self, mode: Mode, action: Action) -> String {
        self.keys(mode, action)
            .first()
            .map(|k| k.to_string())
            .unwrap_or_default()
    }

    /// Help entries of a mode: (keys joined, description).
    #[cfg(test)]
    pub(crate) fn help(&self, mode: Mode) -> Vec<(String, String)> {
        self.help_entries(mode)
            .into_iter()
            .map(|(_, k, d)| (k, d))
            .collect()
    }

    /// Help entries of a mode with their actions: (action, keys joined, description).
    pub fn help_entries(&self, mode: Mode) -> Vec<(Action, String, String)> {
        self.bindings
            .get(&mode)
            .map(|list| {
                list.iter()
                    .filter(|(_, keys)| !keys.is_empty())
                    .map(|(a, keys)| {
                        let k: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
                        (*a, k.join(" "), a.describe())
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn keys_contains(list: &[String], k: &Key) -> bool {
    list.iter().filter_map(|s| Key::parse(s)).any(|x| x == *k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_keys() {
        assert_eq!(
            Key::parse("ctrl-s"),
            Some(Key::new(KeyCode::Char('s'), KeyModifiers::CONTROL))
        );
        assert_eq!(
            Key::parse("shift-tab"),
            Some(Key::new(KeyCode::BackTab, KeyModifiers::NONE))
        );
        assert_eq!(Key::parse("G"), Some(Key::plain('G')));
        assert_eq!(
            Key::parse("f1"),
            Some(Key::new(KeyCode::F(1), KeyModifiers::NONE))
        );
        assert_eq!(Key::parse("nonsense"), None);
        assert_eq!(
            Key::parse("ctrl-s").map(|k| k.to_string()),
            Some("Ctrl-s".into())
        );
        // crossterm reports 'G' with SHIFT; it must match the binding "G"
        let ev = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&ev), Key::plain('G'));
    }

    #[test]
    fn remapping_replaces_keys_and_steals_conflicts() {
        let mut o = BTreeMap::new();
        o.insert("export_csv".to_string(), vec!["ctrl-e".to_string()]);
        o.insert("details".to_string(), vec!["s".to_string()]);
        let (km, problems) = Keymap::new(&o);
        assert!(problems.is_empty(), "{problems:?}");
        let ctrl_e = Key::parse("ctrl-e").unwrap();
        assert_eq!(km.action(Mode::Normal, ctrl_e), Some(Action::ExportCsv));
        assert_eq!(km.action(Mode::Normal, Key::parse("ctrl-s").unwrap()), None);
        assert_eq!(
            km.action(Mode::Normal, Key::plain('s')),
            Some(Action::Details)
        );
        assert!(
            km.help(Mode::Normal)
                .iter()
                .any(|(k, d)| k == "Ctrl-e" && d.contains("CSV"))
        );
    }

    #[test]
    fn unknown_names_are_reported() {
        let mut o = BTreeMap::new();
        o.insert("fly".to_string(), vec!["x".to_string()]);
        let (_, problems) = Keymap::new(&o);
        assert_eq!(problems.len(), 1);
    }
}
