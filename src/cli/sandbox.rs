//! `zoomscope sandbox`. SKELETON: to be written.

use std::process::ExitCode;

use clap::Args;

use super::GlobalArgs;

#[derive(Debug, Args)]
pub struct SandboxArgs {}

pub async fn run(_global: &GlobalArgs, _args: SandboxArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`sandbox` is not implemented yet")
}
