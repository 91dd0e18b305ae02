//! What every command needs: resolved paths, config, the chosen profile, and
//! (with `--demo`) the in-process sandbox. SKELETON: to be written.

use super::GlobalArgs;

pub struct Context {
    pub global: GlobalArgs,
}

impl Context {
    pub async fn new(global: GlobalArgs) -> anyhow::Result<Self> {
        Ok(Context { global })
    }
}
