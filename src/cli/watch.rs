//! `zoomscope watch`. SKELETON: to be written.

use std::process::ExitCode;

use clap::Args;

use super::Context;

#[derive(Debug, Args)]
pub struct WatchArgs {}

pub async fn run(_ctx: &mut Context, _args: WatchArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`watch` is not implemented yet")
}
