//! Each operator and hop form against answers worked out by hand on the
//! small graph in support::query (see the comments there for who is who).

use serde_json::{Value, json};
use zoomscope::graph::Graph;
use zoomscope::query::{self, QueryResult, ResultKind};

use crate::support::query::{graph, now};

fn run(g: &Graph, q: &str) -> QueryResult {
    let parsed = query::parse(q).unwrap_or_else(|e| panic!("{q}\n{e}"));
    query::execute(g, &parsed, now()).unwrap()
}

/// The row entities, short: a user's e-mail local part, else `name`.
fn who(q: &str) -> Vec<String> {
    let g = graph();
    let r = run(&g, q);
    r.rows
        .iter()
        .map(|row| {
            let e = g.entity(row.entity.expect("row entity"));
            match e.props.str("email") {
                Some(m) => m.split('@').next().unwrap().to_string(),
                None => e.props.str("name").unwrap_or(&e.key).to_string(),
            }
        })
        .collect()
}

/// The rows' values as JSON arrays.
fn values(q: &str) -> Vec<Vec<Value>> {
    let g = graph();
    run(&g, q).rows.into_iter().map(|r| r.values).collect()
}

#[test]
fn find_by_type_class_star_and_list() {
    let all = ["alice", "bob", "carol", "dan", "erin", "frank"];
    assert_eq!(who("FIND zoom_user"), all);
    assert_eq!(who("FIND User"), all);
    assert_eq!(who("FIND zoom_role"), ["Owner", "Admin", "Member"]);
    assert_eq!(who("FIND AccessRole"), ["Owner", "Admin", "Member"]);
    assert_eq!(who("FIND *").len(), 1 + 3 + 3 + 6 + 2);
    assert_eq!(
        who("FIND (zoom_user|Person)"),
        [
            "alice", "bob", "carol", "dan", "erin", "frank", "alice", "gina"
        ]
    );
    assert_eq!(who("FIND Account"), ["7011249145"]);
    // An unknown type is not an error: it matches nothing, as in J1QL.
    assert!(who("FIND zoom_meeting").is_empty());
}

#[test]
fn equality_and_inequality_with_undefined() {
    assert_eq!(
        who("FIND zoom_user WITH status = 'active'"),
        ["alice", "bob", "carol"]
    );
    assert_eq!(
        who("FIND zoom_user WITH status != 'active'"),
        ["dan", "erin", "frank"]
    );
    assert_eq!(
        who("FIND zoom_user WITH inMeetingE2eEncryption = true"),
        ["alice"]
    );
    // != is true when the property is undefined (J1QL).
    assert_eq!(
        who("FIND zoom_user WITH inMeetingE2eEncryption != true"),
        ["bob", "carol", "dan", "erin", "frank"]
    );
    assert_eq!(
        who("FIND zoom_user WITH lastLoginTime = undefined"),
        ["carol", "erin", "frank"]
    );
    assert_eq!(
        who("FIND zoom_user WITH lastLoginTime != undefined"),
        ["alice", "bob", "dan"]
    );
    assert_eq!(
        who("FIND zoom_user WITH noSuchProperty = 'x'"),
        Vec::<String>::new()
    );
    assert_eq!(who("FIND zoom_user WITH noSuchProperty != 'x'").len(), 6);
}

#[test]
fn numbers_and_booleans() {
    assert_eq!(who("FIND zoom_user WITH type = 2"), ["alice", "bob", "dan"]);
    assert_eq!(
        who("FIND zoom_user WITH type != 2"),
        ["carol", "erin", "frank"]
    );
    assert_eq!(
        who("FIND zoom_user WITH type < 2"),
        ["carol", "erin", "frank"]
    );
    assert_eq!(
        who("FIND zoom_user WITH type <= 1"),
        ["carol", "erin", "frank"]
    );
    assert_eq!(who("FIND zoom_user WITH type > 1"), ["alice", "bob", "dan"]);
    assert_eq!(
        who("FIND zoom_user WITH type >= 2.0"),
        ["alice", "bob", "dan"]
    );
    assert_eq!(who("FIND zoom_user WITH type > -1").len(), 6);
    // Types are strict: the number 2 is not the string '2'.
    assert!(who("FIND zoom_user WITH type = '2'").is_empty());
    assert_eq!(who("FIND zoom_role WITH admin = true"), ["Owner", "Admin"]);
    assert_eq!(who("FIND zoom_role WITH admin = false"), ["Member"]);
    assert_eq!(who("FIND zoom_group WITH totalMembers = 0"), ["Empty"]);
}

#[test]
fn string_operators_and_negations() {
    assert_eq!(who("FIND zoom_user WITH email ~= 'contractor'"), ["carol"]);
    assert_eq!(who("FIND zoom_user WITH email ^= 'a'"), ["alice"]);
    assert_eq!(who("FIND zoom_user WITH email $= '.io'"), ["carol"]);
    assert_eq!(who("FIND zoom_user WITH email !~= 'example'"), ["carol"]);
    assert_eq!(
        who("FIND zoom_user WITH email !^= 'a'"),
        ["bob", "carol", "dan", "erin", "frank"]
    );
    assert_eq!(who("FIND zoom_user WITH email !$= '.com'"), ["carol"]);
    // Negated string operators are also true on undefined (erin, frank
    // have no displayName; "Alice Owner" and "Dan" have no lower-case o).
    assert_eq!(
        who("FIND zoom_user WITH displayName !~= 'o'"),
        ["alice", "dan", "erin", "frank"]
    );
    // Case matters, as in J1QL.
    assert!(who("FIND zoom_user WITH email ~= 'ALICE'").is_empty());
    // Double quotes work like single quotes.
    assert_eq!(
        who(r#"FIND zoom_user WITH email = "bob@example.com""#),
        ["bob"]
    );
    // Strings order lexicographically.
    assert_eq!(who("FIND zoom_user WITH email < 'c'"), ["alice", "bob"]);
}

#[test]
fn lists_are_any_of() {
    assert_eq!(
        who("FIND zoom_user WITH status = ['inactive', 'pending']"),
        ["dan", "erin", "frank"]
    );
    assert_eq!(
        who("FIND zoom_user WITH status != ['active', 'pending']"),
        ["dan"]
    );
    assert_eq!(
        who("FIND zoom_user WITH email ^= ['a', 'c']"),
        ["alice", "carol"]
    );
    assert_eq!(
        who("FIND zoom_role WITH id = ['0', '1']"),
        ["Owner", "Admin"]
    );
}

#[test]
fn array_properties_match_any_element() {
    assert_eq!(who("FIND zoom_user WITH groupIds = 'g1'"), ["alice", "bob"]);
    assert_eq!(
        who("FIND zoom_user WITH groupIds != 'g1'"),
        ["carol", "dan", "erin", "frank"]
    );
    assert_eq!(who("FIND zoom_user WITH loginTypes = 'sso'"), ["alice"]);
    assert_eq!(
        who("FIND zoom_user WITH loginTypes != 'sso'"),
        ["bob", "carol", "dan", "erin", "frank"]
    );
    assert_eq!(
        who("FIND zoom_role WITH privileges = 'AccountSetting:Edit'"),
        ["Owner", "Admin"]
    );
    assert_eq!(who("FIND zoom_role WITH privileges ^= 'User:'"), ["Owner"]);
}

#[test]
fn times_relative_to_now() {
    // alice logged in 10 days ago, bob 200, dan 400; the rest never.
    assert_eq!(
        who("FIND zoom_user WITH lastLoginTime < date.now - 90 days"),
        ["bob", "dan"]
    );
    assert_eq!(
        who("FIND zoom_user WITH lastLoginTime > date.now - 30 days"),
        ["alice"]
    );
    assert_eq!(
        who("FIND zoom_user WITH lastLoginTime >= date.now - 10 days"),
        ["alice"]
    );
    assert_eq!(
        who("FIND zoom_user WITH lastLoginTime < date.now - 1 year"),
        ["dan"]
    );
    assert_eq!(
        who("FIND zoom_user WITH lastLoginTime < date.now - 6 months"),
        ["bob", "dan"]
    );
    assert_eq!(
        who("FIND zoom_user WITH lastLoginTime > date.now - 2 weeks"),
        ["alice"]
    );
    assert_eq!(
        who("FIND zoom_user WITH lastLoginTime > date.now - 241 hours"),
        ["alice"]
    );
    assert!(who("FIND zoom_user WITH lastLoginTime > date.now - 239 hours").is_empty());
    assert_eq!(who("FIND zoom_user WITH lastLoginTime < date.now").len(), 3);
    assert_eq!(
        who("FIND zoom_user WITH status = 'pending' AND createdAt < date.now - 30 days"),
        ["erin"]
    );
    // ISO strings compare as times, not text: 13:00+02:00 is 11:00Z, and
    // alice's 12:00Z is after it although "12" < "13" as text.
    assert_eq!(
        who("FIND zoom_user WITH lastLoginTime > '2026-01-05T13:00:00+02:00'"),
        ["alice"]
    );
    assert_eq!(who("FIND zoom_user WITH createdAt < '2020-01-01'"), ["dan"]);
}

#[test]
fn dotted_and_pseudo_properties() {
    assert_eq!(
        who("FIND zoom_user WITH tag.AccountName = 'Acme'"),
        ["alice", "bob"]
    );
    assert_eq!(
        who("FIND * WITH _class = 'AccessRole'"),
        ["Owner", "Admin", "Member"]
    );
    assert_eq!(who("FIND * WITH _type = 'employee'"), ["alice", "gina"]);
    assert_eq!(
        who("FIND zoom_user WITH _key ^= 'zoom_user:pending:'"),
        ["erin", "frank"]
    );
}

#[test]
fn and_or_parentheses_and_precedence() {
    assert_eq!(
        who("FIND zoom_user WITH status = 'active' AND (type = 1 OR groupIds = 'g2')"),
        ["bob", "carol"]
    );
    // AND binds tighter than OR.
    assert_eq!(
        who("FIND zoom_user WITH status = 'pending' OR type = 2 AND status = 'inactive'"),
        ["dan", "erin", "frank"]
    );
    assert_eq!(
        who("FIND zoom_user WITH (status = 'pending' OR type = 2) AND status != 'active'"),
        ["dan", "erin", "frank"]
    );
    assert_eq!(
        who("FIND zoom_user WITH ((status = 'active')) AND ((type = 2))"),
        ["alice", "bob"]
    );
}

#[test]
fn keywords_in_any_case_and_as_after_with() {
    assert_eq!(
        values(
            "find zoom_user with status = 'active' as u return u.email order by u.email desc limit 1"
        ),
        [[json!("carol@contractor.io")]]
    );
    assert_eq!(
        values("Find zoom_user As u With type = 1 Return u.email"),
        [
            [json!("carol@contractor.io")],
            [json!("erin@example.com")],
            [json!("frank@example.com")]
        ]
    );
}

#[test]
fn hops_both_directions() {
    // user → role (the edge's own direction)
    assert_eq!(
        who("FIND zoom_user THAT ASSIGNED zoom_role WITH admin = true"),
        ["alice", "bob"]
    );
    // role ← user (against it): J1QL matches either direction
    assert_eq!(
        who("FIND zoom_role THAT ASSIGNED zoom_user WITH email = 'alice@example.com'"),
        ["Owner"]
    );
    // group → user and user ← group
    assert_eq!(
        who("FIND zoom_group THAT HAS zoom_user WITH status = 'inactive'"),
        ["Eng"]
    );
    assert_eq!(
        who("FIND zoom_user THAT HAS zoom_group WITH name = 'Sales'"),
        ["alice", "bob"]
    );
    // The verb must match: users are not ASSIGNED groups.
    assert!(who("FIND zoom_user THAT ASSIGNED zoom_group").is_empty());
    // A hop without a target reaches anything.
    assert_eq!(
        who("FIND zoom_role THAT ASSIGNED"),
        ["Owner", "Admin", "Member"]
    );
    assert_eq!(who("FIND zoom_user THAT IS Person"), ["alice"]);
    assert_eq!(who("FIND Person THAT IS User"), ["alice"]);
}

#[test]
fn negated_hops() {
    assert_eq!(who("FIND zoom_group THAT !HAS zoom_user"), ["Empty"]);
    assert_eq!(
        who("FIND zoom_user THAT !HAS zoom_group"),
        ["carol", "erin", "frank"]
    );
    assert_eq!(who("FIND Person THAT !IS zoom_user"), ["gina"]);
    assert_eq!(
        who("FIND zoom_user WITH status = 'active' THAT !IS Person"),
        ["bob", "carol"]
    );
    // A negated hop with a filtered target: users in no *Sales* group.
    assert_eq!(
        who("FIND zoom_user THAT !HAS zoom_group WITH name = 'Sales'"),
        ["carol", "dan", "erin", "frank"]
    );
    // The chain continues from the node before the negated hop.
    assert_eq!(
        who("FIND zoom_user THAT !IS Person THAT ASSIGNED zoom_role WITH admin = true"),
        ["bob"]
    );
}

#[test]
fn relates_to_any_verb_and_verb_lists() {
    assert_eq!(
        values(
            "FIND zoom_group WITH name = 'Eng' AS g THAT RELATES TO * AS x RETURN x._key ORDER BY x._key"
        ),
        [
            [json!("zoom_account:A")],
            [json!("zoom_user:u2")],
            [json!("zoom_user:u4")]
        ]
    );
    assert_eq!(
        values(
            "FIND zoom_user WITH email = 'bob@example.com' THAT (HAS|ASSIGNED) (zoom_group|zoom_role) AS x RETURN x.name ORDER BY x.name"
        ),
        [[json!("Admin")], [json!("Eng")], [json!("Sales")]]
    );
}

#[test]
fn multi_hop_paths_and_where_across_aliases() {
    assert_eq!(
        values(
            "FIND zoom_role WITH name = 'Admin' THAT ASSIGNED zoom_user AS u THAT HAS zoom_group AS g RETURN u.email, g.name ORDER BY g.name"
        ),
        [
            [json!("bob@example.com"), json!("Eng")],
            [json!("bob@example.com"), json!("Sales")]
        ]
    );
    assert_eq!(
        values(
            "FIND zoom_user AS u THAT ASSIGNED zoom_role AS r WHERE r.admin = true AND u.type = 2 RETURN u.email"
        ),
        [[json!("alice@example.com")], [json!("bob@example.com")]]
    );
    // property against property
    assert_eq!(
        values(
            "FIND zoom_user AS u THAT IS Person AS p WHERE u.email = p.email RETURN u.email, p.name"
        ),
        [[json!("alice@example.com"), json!("Alice Owner")]]
    );
    assert_eq!(
        who("FIND zoom_user AS u THAT ASSIGNED zoom_role AS r WHERE u.roleId != r.id").len(),
        0
    );
    // WHERE with a time and undefined
    assert_eq!(
        values(
            "FIND zoom_user AS u THAT HAS zoom_group AS g WHERE u.lastLoginTime < date.now - 90 days RETURN u.email, g.name"
        ),
        [
            [json!("bob@example.com"), json!("Sales")],
            [json!("bob@example.com"), json!("Eng")],
            [json!("dan@example.com"), json!("Eng")]
        ]
    );
}

#[test]
fn return_labels_entities_and_dedup() {
    let g = graph();
    let r = run(
        &g,
        r#"FIND zoom_user WITH type = 2 AS zu RETURN zu.displayName AS "Name", zu.username as 'Username', zu.id"#,
    );
    assert_eq!(r.kind, ResultKind::Returned);
    assert_eq!(r.columns, ["Name", "Username", "zu.id"]);
    assert_eq!(
        r.rows[0].values,
        [
            json!("Alice Owner"),
            json!("alice@example.com"),
            json!("u1")
        ]
    );
    assert_eq!(g.entity(r.rows[2].entity.unwrap()).key, "zoom_user:u4");
    // Missing values are null.
    let r = run(
        &g,
        "FIND zoom_user WITH status = 'pending' AS u RETURN u.id",
    );
    assert_eq!(r.rows[0].values, [Value::Null]);
    // One row per user although bob is in two groups.
    assert_eq!(
        values("FIND zoom_user AS u THAT HAS zoom_group RETURN u.email"),
        [
            [json!("alice@example.com")],
            [json!("bob@example.com")],
            [json!("dan@example.com")]
        ]
    );
    // RETURN alias puts the whole entity under the alias key.
    let r = run(&g, "FIND zoom_role WITH id = '1' AS r RETURN r");
    let j = r.to_json(&g);
    assert_eq!(j[0]["r"]["_key"], "zoom_role:1");
    assert_eq!(j[0]["r"]["_class"], "AccessRole");
    assert_eq!(j[0]["r"]["name"], "Admin");
    // Implicit aliases: the selector name when no AS is given.
    assert_eq!(
        values("FIND zoom_user THAT IS Person RETURN zoom_user.email, Person.name"),
        [[json!("alice@example.com"), json!("Alice Owner")]]
    );
}

#[test]
fn count_and_grouping() {
    assert_eq!(values("FIND zoom_user AS u RETURN COUNT(u)"), [[json!(6)]]);
    assert_eq!(
        values("FIND zoom_user WITH status = 'nope' AS u RETURN COUNT(u)"),
        [[json!(0)]]
    );
    let g = graph();
    let r = run(
        &g,
        r#"FIND zoom_user AS u THAT ASSIGNED zoom_role AS r RETURN r.name AS "Role", COUNT(u) AS "Users" ORDER BY "Users" DESC"#,
    );
    assert_eq!(r.columns, ["Role", "Users"]);
    let rows: Vec<_> = r.rows.iter().map(|r| r.values.clone()).collect();
    assert_eq!(
        rows,
        [
            [json!("Member"), json!(4)],
            [json!("Owner"), json!(1)],
            [json!("Admin"), json!(1)]
        ]
    );
    assert!(r.rows.iter().all(|r| r.entity.is_none()));
    // count distinct: bob counted once though in two groups
    assert_eq!(
        values(
            "FIND zoom_user AS u THAT HAS zoom_group AS g RETURN COUNT(u) AS users, COUNT(g) AS groups"
        ),
        [[json!(3), json!(2)]]
    );
    assert_eq!(
        values("FIND zoom_user AS u RETURN u.type, COUNT(u) ORDER BY u.type"),
        [[json!(1), json!(3)], [json!(2), json!(3)]]
    );
    let j = run(&g, "FIND zoom_user AS u RETURN COUNT(u)").to_json(&g);
    assert_eq!(j, json!([{"count": 6}]));
}

#[test]
fn order_skip_limit() {
    assert_eq!(
        who("FIND zoom_user AS u ORDER BY u.createdAt DESC LIMIT 2"),
        ["frank", "erin"]
    );
    assert_eq!(
        who("FIND zoom_user AS u ORDER BY u.createdAt DESC SKIP 1 LIMIT 2"),
        ["erin", "carol"]
    );
    assert_eq!(who("FIND zoom_user ORDER BY createdAt LIMIT 1"), ["dan"]);
    // undefined sorts last in both directions
    assert_eq!(
        who("FIND zoom_user AS u ORDER BY u.lastLoginTime ASC"),
        ["dan", "bob", "alice", "carol", "erin", "frank"]
    );
    assert_eq!(
        who("FIND zoom_user AS u ORDER BY u.lastLoginTime DESC"),
        ["alice", "bob", "dan", "carol", "erin", "frank"]
    );
    assert_eq!(
        who("FIND zoom_user AS u ORDER BY u.type DESC, u.email ASC"),
        ["alice", "bob", "dan", "carol", "erin", "frank"]
    );
    assert_eq!(who("FIND zoom_user SKIP 4"), ["erin", "frank"]);
    assert_eq!(who("FIND zoom_user LIMIT 0"), Vec::<String>::new());
    // ORDER BY may come before RETURN
    assert_eq!(
        values("FIND zoom_role AS r ORDER BY r.name RETURN r.name"),
        [[json!("Admin")], [json!("Member")], [json!("Owner")]]
    );
}

#[test]
fn json_shapes_and_entities() {
    let g = graph();
    let r = run(&g, "FIND zoom_role WITH admin = true");
    assert_eq!(r.kind, ResultKind::Entities);
    assert_eq!(r.columns, ["displayName", "_type", "_key"]);
    assert_eq!(
        r.rows[0].values,
        [json!("Owner"), json!("zoom_role"), json!("zoom_role:0")]
    );
    let j = r.to_json(&g);
    assert_eq!(j[0], g.get("zoom_role:0").unwrap().to_json());
    assert_eq!(j.as_array().unwrap().len(), 2);
    let ids = run(
        &g,
        "FIND zoom_user AS u THAT HAS zoom_group AS grp RETURN u.email, grp.name",
    )
    .entities();
    let keys: Vec<_> = ids.iter().map(|i| g.entity(*i).key.clone()).collect();
    assert_eq!(keys, ["zoom_user:u1", "zoom_user:u2", "zoom_user:u4"]);
}

#[test]
fn run_uses_current_time() {
    let g = graph();
    // Fixture times are relative to 2026-01-15; `run` uses the clock, which
    // is after that, so dan (400 days before) is older than 90 days either way.
    let r = query::run(&g, "FIND zoom_user WITH lastLoginTime < date.now - 90 days").unwrap();
    assert!(
        r.rows
            .iter()
            .any(|row| g.entity(row.entity.unwrap()).key == "zoom_user:u4")
    );
}
