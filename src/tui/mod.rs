//! The terminal explorer. SKELETON: to be written.

use std::process::ExitCode;

use crate::cli::Context;

pub async fn run(_ctx: &mut Context) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the TUI is not implemented yet")
}
