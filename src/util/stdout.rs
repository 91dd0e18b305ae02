//! Standard output for every command, and what a closed pipe means.
//!
//! `zoomscope query … | head -2` closes the pipe after two lines. Rust
//! ignores SIGPIPE, so the next write fails with `BrokenPipe`; `print!`
//! would panic on it and a `?` would report it as an error. Like ripgrep and
//! git, a command whose reader went away has nothing left to do: it ends
//! quietly with exit 0. Commands write through [`print`] (or any writer whose
//! errors reach `main` through `?`), and `main` calls [`is_broken_pipe`] on
//! the error it gets back.

use std::io::{self, Write};

/// Writes `s` to standard output and flushes it.
pub fn print(s: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(s.as_bytes())?;
    out.flush()
}

/// Whether the error (or anything in its chain of causes) is a write to a
/// closed pipe.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<csv::Error>().is_some_and(
                |c| matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe),
            )
            || c.downcast_ref::<serde_json::Error>()
                .and_then(|j| j.io_error_kind())
                == Some(io::ErrorKind::BrokenPipe)
    })
}
