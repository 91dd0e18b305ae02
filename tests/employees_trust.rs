//! #14 bug 9 (employees): a leaver whose Zoom invite is still pending is
//! an offboarding finding, not a match.

mod employees_support;

use employees_support::{graph, today, user};
use zoomscope::employees::{self, AliasDomains, Category, ColumnOverrides, MatchOptions};

const ROSTER: &str = "\
employee_id,first_name,last_name,email,status,termination_date
E1,Tom,Gone,tom@corp.com,terminated,2026-06-30
E2,Jane,Here,jane@corp.com,active,
E3,Ivy,Invited,ivy@corp.com,active,
E4,Old,Leaver,old@corp.com,terminated,2026-01-01
";

#[test]
fn a_leavers_pending_invite_is_terminated_but_active_not_matched() {
    let g = graph(&[
        user("zoom_user:pending:tom@corp.com", "tom@corp.com", "pending"),
        user("zoom_user:2", "jane@corp.com", "active"),
        user("zoom_user:pending:ivy@corp.com", "ivy@corp.com", "pending"),
        user("zoom_user:4", "old@corp.com", "inactive"),
    ]);
    let parsed = employees::roster::parse(ROSTER, &ColumnOverrides::new()).unwrap();
    let report = employees::report(
        &g,
        &parsed.employees,
        &[],
        &MatchOptions {
            alias_domains: AliasDomains::new(Vec::<Vec<&str>>::new()),
            today: today(),
        },
    );
    let keys = |c| {
        report
            .rows(c)
            .iter()
            .filter_map(|r| r.user.as_ref().map(|u| u.key.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        keys(Category::TerminatedButActive),
        ["zoom_user:pending:tom@corp.com"],
        "the leaver's open invite"
    );
    // an active employee's invite and a deactivated leaver are matches
    assert_eq!(
        keys(Category::Matched),
        [
            "zoom_user:pending:ivy@corp.com",
            "zoom_user:2",
            "zoom_user:4"
        ]
    );
}
