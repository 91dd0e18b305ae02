//! `zoomscope query`. SKELETON: to be written.

use std::process::ExitCode;

use clap::Args;

use super::Context;

#[derive(Debug, Args)]
pub struct QueryArgs {}

pub async fn run(_ctx: &mut Context, _args: QueryArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`query` is not implemented yet")
}
