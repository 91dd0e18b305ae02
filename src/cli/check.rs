//! `zoomscope check`. SKELETON: to be written.

use std::process::ExitCode;

use clap::Args;

use super::Context;

#[derive(Debug, Args)]
pub struct CheckArgs {}

pub async fn run(_ctx: &mut Context, _args: CheckArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`check` is not implemented yet")
}
