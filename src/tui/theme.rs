//! Themes: dark, light and terminal-default, plus a colourless variant for
//! `NO_COLOR`/`--no-color` where emphasis is carried by modifiers only
//! (the selection is reverse video, so it stays visible).

use ratatui::style::{Color, Modifier, Style};

use crate::alerts::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeName {
    Dark,
    Light,
    Terminal,
}

impl ThemeName {
    pub fn parse(s: &str) -> Option<ThemeName> {
        match s.trim().to_lowercase().as_str() {
            "dark" => Some(ThemeName::Dark),
            "light" => Some(ThemeName::Light),
            "terminal" | "default" | "terminal-default" => Some(ThemeName::Terminal),
            _ => None,
        }
    }
}

/// Styles by role. Drawing code asks for a role, never for a colour.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub base: Style,
    pub border: Style,
    pub title: Style,
    pub header: Style,
    pub selected: Style,
    pub selected_column: Style,
    pub matched: Style,
    pub tab_active: Style,
    pub tab: Style,
    pub label: Style,
    pub link: Style,
    pub heading: Style,
    pub dim: Style,
    pub ok: Style,
    pub warn: Style,
    pub error: Style,
    /// An alert's severity, by [`Severity`] from info to critical.
    severities: [Style; 5],
}

impl Theme {
    pub fn new(name: ThemeName, color: bool) -> Theme {
        if !color {
            return Theme::monochrome();
        }
        let b = Modifier::BOLD;
        match name {
            ThemeName::Dark => Theme {
                base: Style::new().fg(Color::Gray).bg(Color::Black),
                border: Style::new().fg(Color::DarkGray),
                title: Style::new().fg(Color::Cyan).add_modifier(b),
                header: Style::new().fg(Color::Yellow).add_modifier(b),
                selected: Style::new().fg(Color::Black).bg(Color::Cyan),
                selected_column: Style::new()
                    .fg(Color::Yellow)
                    .add_modifier(b | Modifier::UNDERLINED),
                matched: Style::new().fg(Color::LightMagenta).add_modifier(b),
                tab_active: Style::new()
                    .fg(Color::Black)
                    .bg(Color::Cyan)
                    .add_modifier(b),
                tab: Style::new().fg(Color::Gray),
                label: Style::new().fg(Color::DarkGray),
                link: Style::new().fg(Color::LightBlue),
                heading: Style::new().fg(Color::Cyan).add_modifier(b),
                dim: Style::new().fg(Color::DarkGray),
                ok: Style::new().fg(Color::Green),
                warn: Style::new().fg(Color::Yellow),
                error: Style::new().fg(Color::LightRed).add_modifier(b),
                severities: [
                    Style::new().fg(Color::DarkGray),
                    Style::new().fg(Color::LightBlue),
                    Style::new().fg(Color::Yellow),
                    Style::new().fg(Color::LightRed),
                    Style::new().fg(Color::White).bg(Color::Red).add_modifier(b),
                ],
            },
            ThemeName::Light => Theme {
                base: Style::new().fg(Color::Black).bg(Color::White),
                border: Style::new().fg(Color::Gray),
                title: Style::new().fg(Color::Blue).add_modifier(b),
                header: Style::new().fg(Color::Magenta).add_modifier(b),
                selected: Style::new().fg(Color::White).bg(Color::Blue),
                selected_column: Style::new()
                    .fg(Color::Magenta)
                    .add_modifier(b | Modifier::UNDERLINED),
                matched: Style::new().fg(Color::Red).add_modifier(b),
                tab_active: Style::new()
                    .fg(Color::White)
                    .bg(Color::Blue)
                    .add_modifier(b),
                tab: Style::new().fg(Color::DarkGray),
                label: Style::new().fg(Color::DarkGray),
                link: Style::new()
                    .fg(Color::Blue)
                    .add_modifier(Modifier::UNDERLINED),
                heading: Style::new().fg(Color::Blue).add_modifier(b),
                dim: Style::new().fg(Color::DarkGray),
                ok: Style::new().fg(Color::Green),
                warn: Style::new().fg(Color::Rgb(160, 100, 0)),
                error: Style::new().fg(Color::Red).add_modifier(b),
                severities: [
                    Style::new().fg(Color::DarkGray),
                    Style::new().fg(Color::Blue),
                    Style::new().fg(Color::Rgb(160, 100, 0)),
                    Style::new().fg(Color::Red),
                    Style::new().fg(Color::White).bg(Color::Red).add_modifier(b),
                ],
            },
            // The terminal's own background and foreground; only accents.
            ThemeName::Terminal => Theme {
                base: Style::new(),
                border: Style::new().add_modifier(Modifier::DIM),
                title: Style::new().add_modifier(b),
                header: Style::new().add_modifier(b),
                selected: Style::new().add_modifier(Modifier::REVERSED),
                selected_column: Style::new().add_modifier(b | Modifier::UNDERLINED),
                matched: Style::new().fg(Color::Magenta).add_modifier(b),
                tab_active: Style::new().add_modifier(Modifier::REVERSED | b),
                tab: Style::new(),
                label: Style::new().add_modifier(Modifier::DIM),
                link: Style::new().fg(Color::Blue),
                heading: Style::new().add_modifier(b),
                dim: Style::new().add_modifier(Modifier::DIM),
                ok: Style::new().fg(Color::Green),
                warn: Style::new().fg(Color::Yellow),
                error: Style::new().fg(Color::Red).add_modifier(b),
                severities: [
                    Style::new().add_modifier(Modifier::DIM),
                    Style::new().fg(Color::Blue),
                    Style::new().fg(Color::Yellow),
                    Style::new().fg(Color::Red),
                    Style::new()
                        .fg(Color::Red)
                        .add_modifier(b | Modifier::REVERSED),
                ],
            },
        }
    }

    fn monochrome() -> Theme {
        let b = Modifier::BOLD;
        Theme {
            base: Style::new(),
            border: Style::new(),
            title: Style::new().add_modifier(b),
            header: Style::new().add_modifier(b),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            selected_column: Style::new().add_modifier(b | Modifier::UNDERLINED),
            matched: Style::new().add_modifier(Modifier::UNDERLINED | b),
            tab_active: Style::new().add_modifier(Modifier::REVERSED | b),
            tab: Style::new(),
            label: Style::new(),
            link: Style::new().add_modifier(Modifier::UNDERLINED),
            heading: Style::new().add_modifier(b),
            dim: Style::new(),
            ok: Style::new(),
            warn: Style::new().add_modifier(b),
            error: Style::new().add_modifier(b),
            // Without colour the word carries the severity; the two worst
            // are bold so they still stand out.
            severities: [
                Style::new(),
                Style::new(),
                Style::new(),
                Style::new().add_modifier(b),
                Style::new().add_modifier(b | Modifier::REVERSED),
            ],
        }
    }

    /// The style of an alert severity.
    pub fn severity(&self, s: Severity) -> Style {
        let i = Severity::ALL.iter().position(|x| *x == s).unwrap_or(0);
        self.severities.get(i).copied().unwrap_or(self.base)
    }

    /// The style of a provided table's cell: a severity word under a
    /// `Severity` header gets its colour; everything else the row's style.
    pub fn cell(&self, column: &str, text: &str) -> Style {
        match text.parse::<Severity>() {
            Ok(s) if column == "Severity" => self.severity(s),
            _ => Style::new(),
        }
    }
}

/// True when colour must be off: `--no-color`, or `NO_COLOR` set to anything non-empty.
pub fn color_enabled(no_color_flag: bool) -> bool {
    if no_color_flag {
        return false;
    }
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
