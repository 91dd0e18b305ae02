//! #14 through the headless app (real App, keymap, search and drawing):
//! help jumps and filters like every list.

mod tui_common;

use zoomscope::tui::harness::Harness;

fn harness() -> Harness {
    Harness::with_graph(tui_common::org(50))
}

/// #14 bug 10: `G` in help jumps to its end, `g` back to the top.
#[test]
fn g_and_shift_g_jump_to_the_ends_of_help() {
    let mut h = harness();
    h.key("?");
    let top = h.render(100, 20);
    assert!(top.contains("Tables and details"), "{top}");
    assert!(!top.contains("remappable"), "help fits in 20 rows?\n{top}");
    h.key("G");
    let end = h.render(100, 20);
    assert!(h.app.help().is_some(), "G closed help");
    assert!(
        end.contains("remappable"),
        "G did not reach the end:\n{end}"
    );
    assert!(!end.contains("Tables and details"), "{end}");
    // k moves up from the end at once (the position is the end, not past it)
    h.key("k");
    let up = h.render(100, 20);
    assert_ne!(up, end, "k after G did not move");
    h.key("g");
    assert_eq!(h.render(100, 20), top);
}

/// #14 bug 4: `/` in help narrows it, shows the filter in the title, and
/// Esc clears the filter before it closes help.
#[test]
fn slash_filters_help_and_esc_clears_it_first() {
    let mut h = harness();
    h.key("?");
    h.key("/");
    h.type_text("csv");
    h.key("tab");
    let filtered = h.render(100, 40);
    assert!(filtered.contains("</csv>"), "{filtered}");
    assert!(filtered.contains("CSV"), "{filtered}");
    assert!(!filtered.contains("remappable"), "{filtered}");
    h.key("esc");
    let cleared = h.render(100, 40);
    assert!(h.app.help().is_some(), "Esc closed help before clearing");
    assert!(!cleared.contains("</csv>"), "{cleared}");
    h.key("esc");
    assert!(h.app.help().is_none());
    assert!(!h.quit);
}
