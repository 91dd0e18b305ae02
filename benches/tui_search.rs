//! TUI search latency at 100,000 users (issue 4: a keystroke reaches the
//! screen within 16 ms, final results within 50 ms, medians).
//!
//! Drives the real `App`, the real search worker thread and the real drawing
//! code into a 120×40 `TestBackend`:
//! - "keystroke → screen": `App::on_key` + a full frame, without waiting for
//!   the search (the worker runs in parallel, as in the terminal);
//! - "keystroke → results": from the key press until the worker's result is
//!   applied and drawn, typing parts of real e-mails one character at a time.
//!
//! Run: `cargo bench --bench tui_search`

// Benches unwrap: a panic here is a failed bench set-up naming the line (clippy.toml only covers #[test] fns).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/tui_common/mod.rs"]
mod tui_common;

use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use zoomscope::tui::action::{Action, Event};
use zoomscope::tui::app::{App, AppOptions, Effect};
use zoomscope::tui::model::SnapshotMeta;
use zoomscope::tui::pane::PaneKind;
use zoomscope::tui::search::{SearchDone, SearchWorker};
use zoomscope::tui::source::Loaded;
use zoomscope::tui::ui;

const USERS: usize = 100_000;
const SCREEN_TARGET: Duration = Duration::from_millis(16);
const RESULT_TARGET: Duration = Duration::from_millis(50);

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v.get(i).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let t = Instant::now();
    let graph = tui_common::org(USERS);
    println!("built a {USERS}-user graph in {}", ms(t.elapsed()));
    let emails: Vec<String> = graph
        .of_type(zoomscope::graph::EntityType::User)
        .iter()
        .step_by(USERS / 25)
        .filter_map(|id| graph.entity(*id).props.str("email").map(str::to_string))
        .collect();

    let (tx, rx) = channel::<SearchDone>();
    let worker = SearchWorker::spawn(move |d| {
        let _ = tx.send(d);
    });
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
    let mut app = App::new(AppOptions::default());

    // Applies effects: searches go to the worker; returns how many were sent.
    let submit = |fx: Vec<Effect>, worker: &SearchWorker| -> usize {
        let mut n = 0;
        for e in fx {
            if let Effect::Search(j) = e {
                worker.submit(*j);
                n += 1;
            }
        }
        n
    };
    let wait_all = |app: &mut App, n: usize| {
        for _ in 0..n {
            let d = rx.recv().expect("worker result");
            app.handle(Event::Search(d));
        }
    };

    let t = Instant::now();
    let fx = app.handle(Event::Loaded(Box::new(Loaded {
        graph,
        meta: SnapshotMeta::default(),
    })));
    let n = submit(fx, &worker);
    wait_all(&mut app, n);
    println!(
        "first load: index + sort of every pane in {}",
        ms(t.elapsed())
    );
    app.update(Action::Pane(PaneKind::Users));
    term.draw(|f| ui::draw(&app, f)).expect("draw");

    let mut screen = Vec::new();
    let mut results = Vec::new();
    for email in &emails {
        let fragment: String = email
            .split('@')
            .next()
            .unwrap_or("")
            .chars()
            .take(9)
            .collect();
        app.update(Action::Search);
        for c in fragment.chars() {
            let start = Instant::now();
            let fx = app.on_key(KeyEvent::from(KeyCode::Char(c)));
            term.draw(|f| ui::draw(&app, f)).expect("draw");
            screen.push(start.elapsed());
            let n = submit(fx, &worker);
            wait_all(&mut app, n);
            term.draw(|f| ui::draw(&app, f)).expect("draw");
            results.push(start.elapsed());
        }
        // the user typed part of an email: the user must be among the results
        if let Some(zoomscope::tui::app::View::Table(t)) = app.view() {
            let g = app.data().expect("data").graph.clone();
            assert!(
                t.rows
                    .iter()
                    .any(|id| g.entity(*id).props.str("email") == Some(email.as_str())),
                "{email} not found by {fragment}"
            );
        }
        let fx = app.update(Action::Cancel); // Esc: clear the filter
        let n = submit(fx, &worker);
        wait_all(&mut app, n);
    }

    let keys = screen.len();
    let s50 = percentile(&mut screen, 0.5);
    let s95 = percentile(&mut screen, 0.95);
    let r50 = percentile(&mut results, 0.5);
    let r95 = percentile(&mut results, 0.95);
    println!(
        "{keys} keystrokes typing parts of {} e-mails at {USERS} users:",
        emails.len()
    );
    println!(
        "keystroke → screen:  median {}, p95 {}, {:.2}× the target (target ≤ 16 ms median)",
        ms(s50),
        ms(s95),
        s50.as_secs_f64() / SCREEN_TARGET.as_secs_f64()
    );
    println!(
        "keystroke → results: median {}, p95 {}, {:.2}× the target (target ≤ 50 ms median)",
        ms(r50),
        ms(r95),
        r50.as_secs_f64() / RESULT_TARGET.as_secs_f64()
    );

    // Typing at full speed: the worker keeps only the newest job, so wait
    // for the answer to the last one.
    for q in [
        "status:inactive",
        "!status:active type:basic dept:eng",
        "role:admin",
    ] {
        app.update(Action::Search);
        let start = Instant::now();
        let mut last = None;
        for c in q.chars() {
            for e in app.on_key(KeyEvent::from(KeyCode::Char(c))) {
                if let Effect::Search(j) = e {
                    last = Some(j.req);
                    worker.submit(*j);
                }
            }
        }
        while let Some(want) = last {
            let d = rx.recv().expect("worker result");
            let done = d.req == want;
            app.handle(Event::Search(d));
            if done {
                break;
            }
        }
        println!(
            "typed `{q}` at full speed: final results in {} (latest wins)",
            ms(start.elapsed())
        );
        let fx = app.update(Action::Cancel);
        let n = submit(fx, &worker);
        wait_all(&mut app, n);
    }
    app.update(Action::ColumnRight);
    let start = Instant::now();
    let n = submit(app.update(Action::Sort), &worker);
    wait_all(&mut app, n);
    println!("sort 100,000 users by e-mail: {}", ms(start.elapsed()));
}
