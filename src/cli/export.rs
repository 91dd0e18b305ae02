//! `zoomscope export`. SKELETON: to be written.

use std::process::ExitCode;

use clap::Args;

use super::Context;

#[derive(Debug, Args)]
pub struct ExportArgs {}

pub async fn run(_ctx: &mut Context, _args: ExportArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`export` is not implemented yet")
}
