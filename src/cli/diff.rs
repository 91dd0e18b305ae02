//! `zoomscope diff`. SKELETON: to be written.

use std::process::ExitCode;

use clap::Args;

use super::Context;

#[derive(Debug, Args)]
pub struct DiffArgs {}

pub async fn run(_ctx: &mut Context, _args: DiffArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`diff` is not implemented yet")
}
