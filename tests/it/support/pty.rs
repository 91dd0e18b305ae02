//! A program in a real pseudo-terminal, its screen kept by a `vt100`
//! parser. Every chunk of output is timestamped as it is read, so a caller
//! can ask *when* the screen first showed something (not merely when it
//! polled and found it): while recording, each change of the screen is kept
//! with the instant its bytes arrived.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// One screen as it stood after a chunk of output arrived.
#[derive(Clone, Debug)]
pub struct Frame {
    /// When the chunk that produced this screen was read.
    pub at: Instant,
    /// The screen's text, rows joined by newlines.
    pub text: String,
}

struct Shared {
    parser: vt100::Parser,
    /// `Some` while recording: the screens that differ from the one before.
    log: Option<Vec<Frame>>,
}

/// A child process in a pseudo-terminal of a fixed size.
pub struct PtyTerm {
    shared: Arc<Mutex<Shared>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    // Kept open for as long as the child runs: dropping it hangs the child up.
    _master: Box<dyn MasterPty + Send>,
}

fn lock(m: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    // A panic in the reader leaves a parser still worth reading.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl PtyTerm {
    /// Starts `cmd` in a `cols`×`rows` pseudo-terminal and reads its output
    /// on a thread of its own.
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16) -> anyhow::Result<PtyTerm> {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .map_err(|e| anyhow!("opening a {cols}×{rows} pseudo-terminal: {e}"))?;
        let child = pair
            .slave
            .spawn_command(cmd)
            .map_err(|e| anyhow!("starting the program in the pseudo-terminal: {e}"))?;
        drop(pair.slave);
        let size = |n: u16, what: &str| NonZeroU16::new(n).with_context(|| format!("{what} is 0"));
        let shared = Arc::new(Mutex::new(Shared {
            parser: vt100::Parser::new(size(rows, "rows")?, size(cols, "cols")?, 0),
            log: None,
        }));
        let mut reader = pair
            .master
            .try_clone_reader()
            .map_err(|e| anyhow!("reading the pseudo-terminal: {e}"))?;
        let writer = pair
            .master
            .take_writer()
            .map_err(|e| anyhow!("writing to the pseudo-terminal: {e}"))?;
        {
            let shared = shared.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 16384];
                while let Ok(n) = reader.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    // Stamped before parsing: the time the bytes were there.
                    let at = Instant::now();
                    let mut s = lock(&shared);
                    s.parser.process(&buf[..n]);
                    let text = s.log.is_some().then(|| s.parser.screen().contents());
                    if let (Some(log), Some(text)) = (s.log.as_mut(), text)
                        && log.last().is_none_or(|f| f.text != text)
                    {
                        log.push(Frame { at, text });
                    }
                }
            });
        }
        Ok(PtyTerm {
            shared,
            writer,
            child,
            _master: pair.master,
        })
    }

    /// The screen's text now.
    pub fn screen(&self) -> String {
        lock(&self.shared).parser.screen().contents()
    }

    /// Starts (or restarts) recording changes of the screen, the current
    /// screen first, stamped now.
    pub fn record(&self) {
        let mut s = lock(&self.shared);
        let text = s.parser.screen().contents();
        s.log = Some(vec![Frame {
            at: Instant::now(),
            text,
        }]);
    }

    /// Stops recording and returns what was recorded.
    pub fn stop_recording(&self) -> Vec<Frame> {
        lock(&self.shared).log.take().unwrap_or_default()
    }

    /// The recorded frames so far (recording goes on).
    pub fn recorded(&self) -> Vec<Frame> {
        lock(&self.shared).log.clone().unwrap_or_default()
    }

    /// Records until a screen satisfies `pred` and returns that screen,
    /// stamped with the arrival of the bytes that made it; `None` when
    /// `timeout` passes first or the program ends.
    pub fn wait_for(&mut self, pred: impl Fn(&str) -> bool, timeout: Duration) -> Option<Frame> {
        self.record();
        let deadline = Instant::now() + timeout;
        let mut seen = 0;
        loop {
            {
                let s = lock(&self.shared);
                if let Some(log) = &s.log {
                    if let Some(f) = log[seen..].iter().find(|f| pred(&f.text)) {
                        let f = f.clone();
                        drop(s);
                        self.stop_recording();
                        return Some(f);
                    }
                    seen = log.len();
                }
            }
            if Instant::now() > deadline || !self.running() {
                self.stop_recording();
                return None;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// Writes `bytes` as typed input and returns the instant it was sent.
    pub fn send(&mut self, bytes: &[u8]) -> anyhow::Result<Instant> {
        self.writer
            .write_all(bytes)
            .and_then(|_| self.writer.flush())
            .context("writing a key to the pseudo-terminal")?;
        Ok(Instant::now())
    }

    /// The child's process id.
    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    /// True while the child has not exited.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits up to `timeout` for the child to exit; true when it did.
    pub fn wait_exit(&mut self, timeout: Duration) -> bool {
        self.exit_status(timeout).is_some()
    }

    /// The child's exit status once it exits within `timeout`, else `None`.
    pub fn exit_status(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return Some(status),
                Ok(None) => {}
                Err(_) => return None,
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the child if it still runs.
    pub fn kill(&mut self) {
        if self.running() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Drop for PtyTerm {
    fn drop(&mut self) {
        self.kill();
    }
}
