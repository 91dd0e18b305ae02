//! File logging for the whole process.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;

/// Logs go to a file, never to the terminal (the TUI draws there). The
/// level comes from `ZOOMSCOPE_LOG` (default `info`). Without a writable
/// log file zoomscope runs without logs rather than not at all. Keep the
/// guard alive as long as logs should be written.
pub(super) fn init(log_file: &Path) -> Option<WorkerGuard> {
    let dir = log_file.parent()?;
    let name = log_file.file_name()?;
    // The log names every user it mentions: readable by its owner only.
    crate::util::files::ensure_private_file(log_file).ok()?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::NEVER)
        .filename_prefix(name.to_string_lossy())
        .build(dir)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("ZOOMSCOPE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}
