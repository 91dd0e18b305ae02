//! The `:` line's history: commands run, browsed with Up (older) and Down
//! (newer, then back to what was being typed), as in a shell.

/// Commands kept; older ones are dropped.
const MAX: usize = 100;

#[derive(Debug, Default)]
pub struct CommandHistory {
    /// Oldest first; no two equal entries.
    entries: Vec<String>,
    /// The entry on the line while browsing.
    pos: Option<usize>,
    /// What was typed before browsing began, given back past the newest.
    draft: String,
}

impl CommandHistory {
    /// Remembers a command that was run; a repeat moves to the newest place.
    pub fn push(&mut self, cmd: &str) {
        let cmd = cmd.trim();
        self.pos = None;
        if cmd.is_empty() {
            return;
        }
        self.entries.retain(|e| e != cmd);
        self.entries.push(cmd.to_string());
        if self.entries.len() > MAX {
            self.entries.remove(0);
        }
    }

    /// Up: the next older command (`current` is kept as the draft when
    /// browsing starts); `None` when there is none.
    pub fn older(&mut self, current: &str) -> Option<String> {
        let pos = match self.pos {
            None => {
                self.draft = current.to_string();
                self.entries.len().checked_sub(1)?
            }
            Some(p) => p.saturating_sub(1),
        };
        self.pos = Some(pos);
        self.entries.get(pos).cloned()
    }

    /// Down: the next newer command, past the newest the draft; `None`
    /// when not browsing.
    pub fn newer(&mut self) -> Option<String> {
        let pos = self.pos? + 1;
        if pos >= self.entries.len() {
            self.pos = None;
            return Some(std::mem::take(&mut self.draft));
        }
        self.pos = Some(pos);
        self.entries.get(pos).cloned()
    }

    /// A new `:` line starts browsing afresh.
    pub fn reset(&mut self) {
        self.pos = None;
        self.draft.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_goes_back_down_returns_to_the_draft() {
        let mut h = CommandHistory::default();
        assert_eq!(h.older("x"), None);
        h.push("users /jill");
        h.push("groups");
        h.push("  ");
        h.push("users /jill");
        assert_eq!(h.older("ro").as_deref(), Some("users /jill"));
        assert_eq!(h.older("").as_deref(), Some("groups"));
        assert_eq!(
            h.older("").as_deref(),
            Some("groups"),
            "stays at the oldest"
        );
        assert_eq!(h.newer().as_deref(), Some("users /jill"));
        assert_eq!(h.newer().as_deref(), Some("ro"), "the draft comes back");
        assert_eq!(h.newer(), None);
    }

    #[test]
    fn keeps_the_newest_hundred() {
        let mut h = CommandHistory::default();
        for i in 0..150 {
            h.push(&format!("c{i}"));
        }
        let mut oldest = None;
        while let Some(e) = h.older("") {
            if oldest.as_ref() == Some(&e) {
                break;
            }
            oldest = Some(e);
        }
        assert_eq!(oldest.as_deref(), Some("c50"));
    }
}
