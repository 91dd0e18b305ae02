//! JupiterOne graph-zoom's canned questions, run verbatim from the saved
//! pack, on a generated org shaped like a synced account with user settings
//! (85% of users have settings; the rest are undefined, as before a full
//! `sync --user-settings`). Expected rows are computed directly from the
//! entities, independently of the query engine.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use zoomscope::graph::{Entity, EntityType, Graph};
use zoomscope::query::{self, saved};

use crate::support::query_org;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-01-15T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn rows_of(g: &Graph, name: &str) -> Vec<Vec<Value>> {
    let q = saved::find(name).unwrap_or_else(|| panic!("no saved question {name}"));
    let parsed = query::parse(&q.query).unwrap();
    let r = query::execute(g, &parsed, now()).unwrap();
    assert_eq!(r.columns, ["Name", "Username", "ID"], "{name}");
    r.rows.into_iter().map(|r| r.values).collect()
}

/// (Name, Username, ID) of the users `keep` accepts, in graph order.
fn expected(g: &Graph, keep: impl Fn(&Entity) -> bool) -> Vec<Vec<Value>> {
    g.of_type(EntityType::User)
        .iter()
        .map(|id| g.entity(*id))
        .filter(|e| keep(e))
        .map(|e| {
            ["displayName", "username", "id"]
                .iter()
                .map(|p| e.props.json(p).unwrap_or(Value::Null))
                .collect()
        })
        .collect()
}

fn is_true(e: &Entity, prop: &str) -> bool {
    e.props.json(prop) == Some(json!(true))
}

#[test]
fn canned_questions_are_in_the_pack_verbatim() {
    let verbatim = [
        (
            "zoom-access-list",
            r#"FIND zoom_user AS zu RETURN zu.displayName AS "Name", zu.username AS "Username", zu.id as "ID""#,
        ),
        (
            "scheduled-meeting-password-required",
            r#"FIND zoom_user WITH meetingSecurityRequirePasswordForScheduledMeeting=true as zu RETURN zu.displayName AS "Name", zu.username AS "Username", zu.id as "ID""#,
        ),
        (
            "scheduled-meeting-password-not-required",
            r#"FIND zoom_user WITH meetingSecurityRequirePasswordForScheduledMeeting!=true as zu RETURN zu.displayName AS "Name", zu.username AS "Username", zu.id as "ID""#,
        ),
        (
            "e2e-encryption-enabled",
            r#"FIND zoom_user WITH inMeetingE2eEncryption=true AS zu RETURN zu.displayName AS "Name", zu.username AS "Username", zu.id as "ID""#,
        ),
        (
            "e2e-encryption-disabled",
            r#"FIND zoom_user WITH inMeetingE2eEncryption!=true AS zu RETURN zu.displayName AS "Name", zu.username AS "Username", zu.id as "ID""#,
        ),
    ];
    for (name, q) in verbatim {
        assert_eq!(saved::find(name).unwrap().query, q);
    }
}

#[test]
fn canned_questions_give_the_right_rows() {
    let g = query_org::org(3000, 40, now());
    let all = expected(&g, |_| true);
    assert_eq!(rows_of(&g, "zoom-access-list"), all);
    assert_eq!(all.len(), 3000);

    let prop = "meetingSecurityRequirePasswordForScheduledMeeting";
    let good = expected(&g, |e| is_true(e, prop));
    let bad = expected(&g, |e| !is_true(e, prop));
    assert_eq!(rows_of(&g, "scheduled-meeting-password-required"), good);
    assert_eq!(rows_of(&g, "scheduled-meeting-password-not-required"), bad);
    assert_eq!(good.len() + bad.len(), 3000);
    // Both halves are non-trivial, and "bad" includes users whose settings
    // were never fetched (J1QL: undefined != true).
    assert!(good.len() > 1000 && bad.len() > 500);
    let unfetched = expected(&g, |e| e.props.get(prop).is_none());
    assert!(!unfetched.is_empty() && unfetched.iter().all(|r| bad.contains(r)));

    let prop = "inMeetingE2eEncryption";
    let good = expected(&g, |e| is_true(e, prop));
    let bad = expected(&g, |e| !is_true(e, prop));
    assert_eq!(rows_of(&g, "e2e-encryption-enabled"), good);
    assert_eq!(rows_of(&g, "e2e-encryption-disabled"), bad);
    assert!(good.len() > 300 && bad.len() > 1500);
}
