//! `zoomscope info`: config, data and log paths, the profiles (never their
//! secrets, and without running any `client_secret_command`), and the last
//! sync of each profile.

use std::collections::BTreeSet;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use serde_json::{Value, json};

use super::Context;
use crate::app::DEMO_PROFILE;
use crate::config::{ENV_ACCOUNT_ID, ENV_CLIENT_ID, ENV_CLIENT_SECRET, ProfileConfig, process_env};
use crate::sync::StepOutcome;
use crate::util::sanitize::for_terminal;

#[derive(Debug, Args)]
#[command(after_help = "Exit status: 0 printed; 2 usage, config or store error.")]
pub struct InfoArgs {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(ctx: &Context, args: InfoArgs) -> anyhow::Result<ExitCode> {
    let v = info_json(ctx)?;
    let text = if args.json {
        let s = serde_json::to_string_pretty(&v)?;
        format!("{}\n", crate::util::sanitize::json_text(&s))
    } else {
        info_text(&v)
    };
    crate::util::stdout::print(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// Where the secret of a profile would come from, without reading it.
fn secret_source(p: Option<&ProfileConfig>, env_secret: bool) -> &'static str {
    if env_secret {
        "ZOOM_CLIENT_SECRET"
    } else if p.is_some_and(|p| p.client_secret.is_some()) {
        "config file"
    } else if p.is_some_and(|p| p.client_secret_command.is_some()) {
        "client_secret_command"
    } else {
        "not set"
    }
}

fn info_json(ctx: &Context) -> anyhow::Result<Value> {
    let paths = ctx.paths();
    let config = ctx.config();
    let env = process_env();
    let env_secret = env.get(ENV_CLIENT_SECRET).is_some();
    let mut names: BTreeSet<String> = config.profiles.keys().cloned().collect();
    names.insert(ctx.profile_name().to_string());
    // A demo profile shows up once it has snapshots.
    names.insert(DEMO_PROFILE.to_string());
    // A store that exists but cannot be read (overwritten, corrupt, no
    // permission) is an error, not "never synced". A missing one only
    // means nothing was synced yet.
    let store = if paths.store_file.exists() {
        Some(ctx.open_store()?)
    } else {
        ctx.open_store().ok()
    };
    let mut profiles = Vec::new();
    for name in &names {
        let p = config.profiles.get(name);
        let last = match &store {
            Some(s) => s
                .snapshots(name)
                .with_context(|| format!("cannot read the store {}", paths.store_file.display()))?
                .into_iter()
                .last(),
            None => None,
        };
        if p.is_none() && last.is_none() && name != ctx.profile_name() {
            continue;
        }
        // The newest sync that stored nothing (the Changes timeline shows
        // every one): when and why.
        let last_failure = match &store {
            Some(s) => s
                .sync_failures(name)
                .with_context(|| format!("cannot read the store {}", paths.store_file.display()))?
                .into_iter()
                .next()
                .map(|f| json!({"failed_at": f.failed_at.to_rfc3339(), "reason": f.reason})),
            None => None,
        };
        let last_account = last.as_ref().map(|i| i.account_id.clone());
        let last_sync = last.map(|i| {
            let count =
                |f: fn(&StepOutcome) -> bool| i.steps.iter().filter(|s| f(&s.outcome)).count();
            json!({
                "snapshot_id": i.id.0,
                "account_id": i.account_id,
                "finished_at": i.finished_at.to_rfc3339(),
                "counts": i.counts,
                "steps_ok": count(|o| matches!(o, StepOutcome::Ok { .. })),
                "steps_skipped": count(|o| matches!(o, StepOutcome::Skipped { .. })),
                "steps_failed": count(|o| matches!(o, StepOutcome::Failed { .. })),
            })
        });
        // The ZOOM_* variables override whichever profile is in use.
        let current = name == ctx.profile_name();
        let env_or = |var: &str, v: Option<&String>| {
            env.get(var)
                .filter(|_| current)
                .map(str::to_string)
                .or_else(|| v.cloned())
        };
        profiles.push(json!({
            "name": name,
            "in_config": p.is_some(),
            "account_id": env_or(ENV_ACCOUNT_ID, p.and_then(|p| p.account_id.as_ref())).or(last_account),
            "client_id": env_or(ENV_CLIENT_ID, p.and_then(|p| p.client_id.as_ref())),
            "client_secret": secret_source(p, env_secret && current),
            "account_name": p.and_then(|p| p.account_name.clone()),
            "api_url": p.and_then(|p| p.api_url.clone()),
            "plan": p.and_then(|p| p.plan),
            "polling_interval": p.and_then(|p| p.polling_interval).map(|i| i.to_string()),
            "last_sync": last_sync,
            "last_failed_sync": last_failure,
        }));
    }
    Ok(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "config_file": paths.config_file.display().to_string(),
        "config_exists": config.exists,
        "data_dir": paths.data_dir.display().to_string(),
        "store_file": paths.store_file.display().to_string(),
        "log_file": paths.log_file.display().to_string(),
        "current_profile": ctx.profile_name(),
        "profiles": profiles,
        "sections": config.sections.keys().collect::<Vec<_>>(),
    }))
}

fn info_text(v: &Value) -> String {
    use std::fmt::Write as _;
    let s = |v: &Value| for_terminal(v.as_str().unwrap_or("-")).into_owned();
    let mut out = String::new();
    let _ = writeln!(out, "zoomscope {}", s(&v["version"]));
    let exists = if v["config_exists"].as_bool() == Some(true) {
        ""
    } else {
        " (not present)"
    };
    let _ = writeln!(out, "config file: {}{exists}", s(&v["config_file"]));
    let _ = writeln!(out, "data dir:    {}", s(&v["data_dir"]));
    let _ = writeln!(out, "store:       {}", s(&v["store_file"]));
    let _ = writeln!(out, "log file:    {}", s(&v["log_file"]));
    let _ = writeln!(out, "profile:     {}", s(&v["current_profile"]));
    let _ = writeln!(out, "profiles:");
    for p in v["profiles"].as_array().into_iter().flatten() {
        let _ = writeln!(
            out,
            "  {}: account {}, client {}, secret {}",
            s(&p["name"]),
            s(&p["account_id"]),
            s(&p["client_id"]),
            s(&p["client_secret"])
        );
        match p.get("last_sync").filter(|l| !l.is_null()) {
            Some(l) => {
                let users = l["counts"]["zoom_user"].as_u64().unwrap_or(0);
                let _ = writeln!(
                    out,
                    "    last sync {} (snapshot {}): {users} users; steps {} ok, {} skipped, {} failed",
                    s(&l["finished_at"]),
                    l["snapshot_id"],
                    l["steps_ok"],
                    l["steps_skipped"],
                    l["steps_failed"]
                );
            }
            None => {
                let _ = writeln!(out, "    never synced");
            }
        }
        if let Some(f) = p.get("last_failed_sync").filter(|f| !f.is_null()) {
            let _ = writeln!(
                out,
                "    last failed sync {}: {}",
                s(&f["failed_at"]),
                s(&f["reason"])
            );
        }
    }
    out
}
