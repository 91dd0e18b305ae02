//! `zoomscope sync`. SKELETON: to be written.

use std::process::ExitCode;

use clap::Args;

use super::Context;

#[derive(Debug, Args)]
pub struct SyncArgs {}

pub async fn run(_ctx: &mut Context, _args: SyncArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`sync` is not implemented yet")
}
