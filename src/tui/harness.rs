//! A headless app for tests and benchmarks: the real [`App`], [`SearchEngine`]
//! and drawing code, with effects carried out in-line (searches run at once,
//! requests are recorded, CSV files are written) so a test can drive the app
//! through keys and actions and read the screen.

use std::path::PathBuf;

use crossterm::event::{KeyEvent, KeyEventKind, KeyEventState};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use crate::graph::Graph;

use super::action::{Action, Event};
use super::app::{App, AppOptions, Effect};
use super::keymap::Key;
use super::model::SnapshotMeta;
use super::search::SearchEngine;
use super::source::{Loaded, Request};
use super::ui;

pub struct Harness {
    pub app: App,
    engine: SearchEngine,
    /// Requests the app made to the I/O edge, in order.
    pub requests: Vec<Request>,
    /// Text handed to the clipboard.
    pub copies: Vec<String>,
    /// CSV files written.
    pub exports: Vec<PathBuf>,
    pub quit: bool,
}

impl Harness {
    pub fn new(opts: AppOptions) -> Harness {
        Harness {
            app: App::new(opts),
            engine: SearchEngine::default(),
            requests: Vec::new(),
            copies: Vec::new(),
            exports: Vec::new(),
            quit: false,
        }
    }

    /// A harness with default options showing `graph`.
    pub fn with_graph(graph: Graph) -> Harness {
        let mut h = Harness::new(AppOptions::default());
        h.load(graph, SnapshotMeta::default());
        h
    }

    pub fn load(&mut self, graph: Graph, meta: SnapshotMeta) {
        self.event(Event::Loaded(Box::new(Loaded { graph, meta })));
    }

    pub fn event(&mut self, ev: Event) {
        let fx = self.app.handle(ev);
        self.perform(fx);
    }

    pub fn action(&mut self, a: Action) {
        let fx = self.app.update(a);
        self.perform(fx);
    }

    /// Presses a key written as in the config file (`/`, `enter`, `ctrl-s`).
    pub fn key(&mut self, spec: &str) {
        let k = Key::parse(spec).unwrap_or_else(|| panic!("bad key {spec}"));
        let ev = KeyEvent {
            code: k.code,
            modifiers: k.mods,
            kind: KeyEventKind::Press,
            state: KeyEventState::NONE,
        };
        let fx = self.app.on_key(ev);
        self.perform(fx);
    }

    /// Types text into the open prompt, one key per character.
    pub fn type_text(&mut self, s: &str) {
        for c in s.chars() {
            let ev = KeyEvent::from(crossterm::event::KeyCode::Char(c));
            let fx = self.app.on_key(ev);
            self.perform(fx);
        }
    }

    fn perform(&mut self, effects: Vec<Effect>) {
        for e in effects {
            match e {
                Effect::Search(job) => {
                    let done = self.engine.run(&job);
                    let fx = self.app.handle(Event::Search(done));
                    self.perform(fx);
                }
                Effect::Request(r) => self.requests.push(r),
                Effect::Copy(t) => self.copies.push(t),
                Effect::Export(job) => {
                    let ev = match super::export::write_csv(&job) {
                        Ok(_) => {
                            self.exports.push(job.path.clone());
                            Event::Toast(
                                format!("saved to {}", job.path.display()),
                                super::action::ToastLevel::Info,
                            )
                        }
                        Err(e) => Event::Toast(e.to_string(), super::action::ToastLevel::Error),
                    };
                    let fx = self.app.handle(ev);
                    self.perform(fx);
                }
                Effect::Query(job) => {
                    let done = super::query_pane::run_job(&job);
                    let fx = self.app.handle(Event::Query(done));
                    self.perform(fx);
                }
                Effect::SaveColumns(job) => {
                    let ev = match super::config::save_columns(&job) {
                        Ok(()) => Event::Toast(
                            format!("columns saved to {}", job.path.display()),
                            super::action::ToastLevel::Info,
                        ),
                        Err(e) => Event::Toast(e.to_string(), super::action::ToastLevel::Error),
                    };
                    let fx = self.app.handle(ev);
                    self.perform(fx);
                }
                Effect::Quit => self.quit = true,
            }
        }
    }

    /// Draws at `w`×`h` and returns the buffer.
    pub fn buffer(&self, w: u16, h: u16) -> Buffer {
        let mut term = match Terminal::new(TestBackend::new(w, h)) {
            Ok(t) => t,
            Err(e) => panic!("test backend: {e}"),
        };
        if let Err(e) = term.draw(|f| ui::draw(&self.app, f)) {
            panic!("draw: {e}");
        }
        term.backend().buffer().clone()
    }

    /// Draws at `w`×`h` and returns the screen text, one line per row.
    pub fn render(&self, w: u16, h: u16) -> String {
        buffer_text(&self.buffer(w, h))
    }
}

/// The characters of a buffer, rows joined by newlines, trailing spaces trimmed.
pub(crate) fn buffer_text(b: &Buffer) -> String {
    let area = b.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(b[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
