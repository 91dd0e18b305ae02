//! `zoomscope employees …`. SKELETON: to be written.

use std::process::ExitCode;

use clap::Subcommand;

use super::Context;

#[derive(Debug, Subcommand)]
pub enum EmployeesCommand {
    /// Import an HR roster (CSV or JSON).
    Import {},
    /// Report the mapping categories.
    Report {},
}

pub async fn run(_ctx: &mut Context, _cmd: EmployeesCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`employees` is not implemented yet")
}
