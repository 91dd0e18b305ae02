//! `c` copy: OSC 52 always (works over SSH; wrapped for tmux), and a native
//! clipboard tool too when one is installed (wl-copy, xclip, xsel, pbcopy).

use std::io::Write;
use std::process::{Command, Stdio};

use base64::Engine;

/// The OSC 52 sequence that sets the clipboard to `text`.
pub fn osc52(text: &str, in_tmux: bool) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let seq = format!("\x1b]52;c;{b64}\x07");
    if in_tmux {
        // tmux passes it on only when wrapped in its DCS passthrough.
        format!("\x1bPtmux;\x1b{seq}\x1b\\")
    } else {
        seq
    }
}

/// Native tools to try, in order, for this environment.
fn native_tools() -> Vec<(&'static str, &'static [&'static str])> {
    let mut v: Vec<(&'static str, &'static [&'static str])> = Vec::new();
    if cfg!(target_os = "macos") {
        v.push(("pbcopy", &[]));
    }
    if std::env::var_os("WAYLAND_DISPLAY").is_some() {
        v.push(("wl-copy", &[]));
    }
    if std::env::var_os("DISPLAY").is_some() {
        v.push(("xclip", &["-selection", "clipboard"]));
        v.push(("xsel", &["--clipboard", "--input"]));
    }
    v
}

/// Copies `text`: writes OSC 52 to `out` (the terminal) and, in a background
/// thread, feeds the first native tool that runs.
pub fn copy(text: &str, out: &mut impl Write) -> std::io::Result<()> {
    out.write_all(osc52(text, std::env::var_os("TMUX").is_some()).as_bytes())?;
    out.flush()?;
    let text = text.to_string();
    std::thread::spawn(move || {
        for (tool, args) in native_tools() {
            let child = Command::new(tool)
                .args(args)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn();
            if let Ok(mut child) = child {
                if let Some(mut stdin) = child.stdin.take() {
                    let _ = stdin.write_all(text.as_bytes());
                }
                if child.wait().map(|s| s.success()).unwrap_or(false) {
                    return;
                }
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_encodes_and_wraps_for_tmux() {
        assert_eq!(osc52("hi", false), "\x1b]52;c;aGk=\x07");
        assert_eq!(osc52("hi", true), "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\");
    }
}
