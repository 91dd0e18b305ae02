//! The event loop. Three threads feed one channel: terminal input, the
//! search worker and the I/O edge (which runs on the async runtime, one
//! task per request: see [`source::serve`]). The UI
//! thread drains the channel, updates the app, carries out effects and draws
//! once per batch inside a synchronized update, so a burst of events costs
//! one frame and there is no flicker.

use std::io::stdout;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

use crossterm::event::{self as ct, Event as CtEvent, MouseEventKind};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use super::action::{Action, Event, ToastLevel};
use super::app::{App, Effect};
use super::search::SearchWorker;
use super::source::{self, DataSource, Request};
use super::{clipboard, export, terminal, ui};

enum Msg {
    Term(CtEvent),
    App(Event),
}

const TICK: Duration = Duration::from_millis(100);

/// Runs the TUI on a data source until the user quits.
pub async fn run<S: DataSource>(src: Arc<S>, app: App, mouse: bool) -> anyhow::Result<()> {
    let (msg_tx, msg_rx) = channel::<Msg>();
    let (req_tx, req_rx) = unbounded_channel::<Request>();
    let (done_tx, done_rx) = tokio::sync::oneshot::channel::<anyhow::Result<()>>();

    terminal::install_panic_hook();
    terminal::enter(mouse)?;
    let ui_tx = msg_tx.clone();
    let ui = std::thread::Builder::new()
        .name("zoomscope-ui".into())
        .spawn(move || {
            let result = ui_loop(app, msg_rx, ui_tx, req_tx, mouse);
            terminal::restore();
            let _ = done_tx.send(result);
        });
    if let Err(e) = ui {
        terminal::restore();
        return Err(e.into());
    }
    let deliver_tx = msg_tx.clone();
    let deliver = move |ev: Event| {
        let _ = deliver_tx.send(Msg::App(ev));
    };
    tokio::pin!(done_rx);
    let serve = source::serve(src, req_rx, deliver);
    tokio::pin!(serve);
    // The edge stops when the UI drops its request sender; the UI decides when we are done.
    tokio::select! {
        r = &mut done_rx => r.unwrap_or_else(|_| Err(anyhow::anyhow!("the UI thread panicked"))),
        _ = &mut serve => {
            let r = (&mut done_rx).await;
            r.unwrap_or_else(|_| Err(anyhow::anyhow!("the UI thread panicked")))
        }
    }
}

fn ui_loop(
    mut app: App,
    rx: Receiver<Msg>,
    tx: Sender<Msg>,
    req_tx: UnboundedSender<Request>,
    mouse: bool,
) -> anyhow::Result<()> {
    let mut term = Terminal::new(CrosstermBackend::new(stdout()))?;
    let stop = Arc::new(AtomicBool::new(false));
    let input_stop = stop.clone();
    let input_tx = tx.clone();
    std::thread::Builder::new()
        .name("zoomscope-input".into())
        .spawn(move || {
            while !input_stop.load(Ordering::Relaxed) {
                match ct::poll(Duration::from_millis(50)) {
                    Ok(true) => match ct::read() {
                        Ok(ev) => {
                            if input_tx.send(Msg::Term(ev)).is_err() {
                                break;
                            }
                        }
                        Err(_) => break,
                    },
                    Ok(false) => {}
                    Err(_) => break,
                }
            }
        })?;
    let worker_tx = tx.clone();
    let worker = SearchWorker::spawn(move |done| {
        let _ = worker_tx.send(Msg::App(Event::Search(done)));
    });
    let result = (|| -> anyhow::Result<()> {
        let mut dirty = true;
        loop {
            if dirty {
                draw(&mut term, &app)?;
            }
            let first = match rx.recv_timeout(TICK) {
                Ok(m) => Some(m),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => break,
            };
            let mut batch: Vec<Msg> = first.into_iter().collect();
            while let Ok(m) = rx.try_recv() {
                batch.push(m);
            }
            if batch.is_empty() {
                // Idle: redraw only when something animates or expires.
                let animate = app.busy() || !app.toasts.is_empty();
                let effects = app.handle(Event::Tick);
                perform(&mut app, effects, &worker, &req_tx, &tx);
                dirty = animate;
                continue;
            }
            for m in batch {
                let effects = match m {
                    Msg::Term(CtEvent::Key(k)) => app.on_key(k),
                    Msg::Term(CtEvent::Resize(w, h)) => app.handle(Event::Resize(w, h)),
                    Msg::Term(CtEvent::Mouse(me)) if mouse => match me.kind {
                        MouseEventKind::ScrollDown => app.update(Action::MoveDown),
                        MouseEventKind::ScrollUp => app.update(Action::MoveUp),
                        _ => Vec::new(),
                    },
                    Msg::Term(_) => Vec::new(),
                    Msg::App(ev) => app.handle(ev),
                };
                perform(&mut app, effects, &worker, &req_tx, &tx);
            }
            if app.should_quit {
                break;
            }
            dirty = true;
        }
        Ok(())
    })();
    stop.store(true, Ordering::Relaxed);
    result
}

fn draw(term: &mut Terminal<CrosstermBackend<std::io::Stdout>>, app: &App) -> anyhow::Result<()> {
    crossterm::queue!(term.backend_mut(), BeginSynchronizedUpdate)?;
    term.draw(|f| ui::draw(app, f))?;
    crossterm::execute!(term.backend_mut(), EndSynchronizedUpdate)?;
    Ok(())
}

fn perform(
    app: &mut App,
    effects: Vec<Effect>,
    worker: &SearchWorker,
    req_tx: &UnboundedSender<Request>,
    tx: &Sender<Msg>,
) {
    for e in effects {
        match e {
            Effect::Search(job) => worker.submit(*job),
            Effect::Request(r) => {
                if req_tx.send(r).is_err() {
                    let more = app.handle(Event::Toast(
                        "the data service stopped".into(),
                        ToastLevel::Error,
                    ));
                    debug_assert!(more.is_empty());
                }
            }
            Effect::Copy(text) => {
                if let Err(e) = clipboard::copy(&text, &mut stdout()) {
                    let _ = tx.send(Msg::App(Event::Toast(
                        format!("copy failed: {e}"),
                        ToastLevel::Warn,
                    )));
                }
            }
            Effect::Export(job) => {
                let tx = tx.clone();
                std::thread::spawn(move || {
                    let ev = match export::write_csv(&job) {
                        Ok(n) => Event::Toast(
                            format!(
                                "saved {} rows to {}",
                                super::model::thousands(n),
                                job.path.display()
                            ),
                            ToastLevel::Info,
                        ),
                        Err(e) => Event::Toast(e.to_string(), ToastLevel::Error),
                    };
                    let _ = tx.send(Msg::App(ev));
                });
            }
            Effect::Query(job) => {
                let tx = tx.clone();
                std::thread::spawn(move || {
                    let done = super::query_pane::run_job(&job);
                    let _ = tx.send(Msg::App(Event::Query(done)));
                });
            }
            Effect::SaveColumns(job) => {
                let tx = tx.clone();
                std::thread::spawn(move || {
                    let ev = match super::config::save_columns(&job) {
                        Ok(()) => Event::Toast(
                            format!("columns saved to {}", job.path.display()),
                            ToastLevel::Info,
                        ),
                        Err(e) => Event::Toast(e.to_string(), ToastLevel::Error),
                    };
                    let _ = tx.send(Msg::App(ev));
                });
            }
            Effect::Quit => {}
        }
    }
}
