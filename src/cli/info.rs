//! `zoomscope info`. SKELETON: to be written.

use std::process::ExitCode;

use clap::Args;

use super::Context;

#[derive(Debug, Args)]
pub struct InfoArgs {}

pub async fn run(_ctx: &mut Context, _args: InfoArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`info` is not implemented yet")
}
