//! Employee matching at scale: 100,000 Zoom users against a 100,000-row
//! roster must be sorted into categories in under 1 s (issue 5).
//!
//! `cargo bench --bench employees` prints the median of several runs and its
//! ratio to the target. The org mixes every path matching takes: unique-id
//! matches, e-mail with case and space differences, alias domains, secondary
//! e-mails, ambiguous duplicates, contractors (with name suggestions) and
//! employees without Zoom, with a realistic spread of common names so the
//! suggestion blocking is exercised.

// Benches unwrap: a panic here is a failed bench set-up naming the line (clippy.toml only covers #[test] fns).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde_json::Value;
use zoomscope::employees::{
    self, AliasDomains, Category, ColumnOverrides, Employee, EmployeeStatus, MatchOptions,
};
use zoomscope::graph::{Entity, EntityType, Graph};

const USERS: usize = 100_000;
const EMPLOYEES: usize = 100_000;
const TARGET: Duration = Duration::from_secs(1);
const RUNS: usize = 5;

const FIRST: [&str; 20] = [
    "Anna",
    "Björn",
    "Chloé",
    "David",
    "Eva",
    "François",
    "Grace",
    "Hiro",
    "Ingrid",
    "José",
    "Kai",
    "Lena",
    "Mateo",
    "Nora",
    "Oskar",
    "Priya",
    "Quinn",
    "Rosa",
    "Søren",
    "Yuki",
];
const LAST: [&str; 25] = [
    "Smith",
    "Müller",
    "García",
    "Nguyen",
    "Kowalski",
    "Rossi",
    "Dubois",
    "Tanaka",
    "Silva",
    "Johansson",
    "Novak",
    "Horvat",
    "Papadopoulos",
    "Okafor",
    "Kim",
    "Singh",
    "Cohen",
    "Ivanova",
    "Jensen",
    "Brown",
    "Ali",
    "Murphy",
    "Schmidt",
    "Lopez",
    "Wang",
];

fn name(i: usize) -> (&'static str, &'static str) {
    (FIRST[i % FIRST.len()], LAST[(i / FIRST.len()) % LAST.len()])
}

fn roster() -> Vec<Employee> {
    (0..EMPLOYEES)
        .map(|i| {
            let (f, l) = name(i);
            // 1 in 500 shares its address with the row before: ambiguous
            let email = if i % 500 == 2 {
                format!("user{}@corp.com", i - 1)
            } else {
                format!("user{i}@corp.com")
            };
            Employee {
                line: i as u64 + 2,
                employee_id: Some(format!("E{i:06}")),
                employee_unique_id: None,
                email,
                other_emails: if i % 10 == 3 {
                    vec![format!("u{i}@home.net")]
                } else {
                    vec![]
                },
                name: None,
                first_name: Some(f.to_string()),
                last_name: Some(l.to_string()),
                department: Some("Engineering".into()),
                title: None,
                manager_email: None,
                status: if i % 20 == 7 {
                    EmployeeStatus::Terminated
                } else {
                    EmployeeStatus::Active
                },
                termination_date: None,
            }
        })
        .collect()
}

fn zoom_graph() -> Graph {
    let mut g = Graph::new();
    let email: Arc<str> = Arc::from("email");
    let status: Arc<str> = Arc::from("status");
    let uid: Arc<str> = Arc::from("employeeUniqueId");
    let first: Arc<str> = Arc::from("firstName");
    let last: Arc<str> = Arc::from("lastName");
    for i in 0..USERS {
        let mut e = Entity::new(EntityType::User, format!("zoom_user:{i:08x}"));
        let (f, l) = name(i);
        let addr = match i % 10 {
            0 => {
                e.props.insert(uid.clone(), Value::from(format!("E{i:06}")));
                format!("someone{i}@elsewhere.org")
            }
            1 | 2 | 4 | 5 => format!(" User{i}@CORP.com"),
            3 => format!("u{i}@home.net"),          // secondary e-mail
            6 => format!("user{i}@corp.io"),        // alias domain
            7 => format!("user{i}@corp.com"),       // 1 in 20 terminated
            8 => format!("{f}.{l}.{i}@agency.com"), // contractor, no employee
            _ => {
                if i % 20 == 9 {
                    format!("user{i}@corp.com")
                } else {
                    format!("temp{i}@vendor.com") // contractor
                }
            }
        };
        e.props.insert(email.clone(), Value::from(addr));
        e.props.insert(
            status.clone(),
            Value::from(if i % 7 == 0 { "inactive" } else { "active" }),
        );
        e.props.insert(first.clone(), Value::from(f));
        e.props.insert(last.clone(), Value::from(l));
        g.add_entity(e).expect("unique keys");
    }
    g
}

/// Time this thread has spent on a CPU (Linux schedstat, nanoseconds), so
/// the figure can be read apart from waiting on a shared, loaded machine.
fn thread_cpu() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

fn cpu_since(start: Option<Duration>) -> String {
    match (start, thread_cpu()) {
        (Some(a), Some(b)) => format!("{:.3} s on-CPU", (b - a).as_secs_f64()),
        _ => "on-CPU time unavailable".into(),
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let graph = zoom_graph();
    let roster = roster();
    let opts = MatchOptions {
        alias_domains: AliasDomains::new([vec!["corp.com", "corp.io"]]),
        today: NaiveDate::from_ymd_opt(2026, 11, 30).expect("valid date"),
    };

    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let mut report = None;
    for _ in 0..RUNS {
        let c = thread_cpu();
        let t = Instant::now();
        let r = employees::report(&graph, &roster, &[], &opts);
        times.push(t.elapsed());
        if let (Some(a), Some(b)) = (c, thread_cpu()) {
            cpu.push(b.saturating_sub(a));
        }
        report = Some(r);
    }
    let report = report.expect("ran");
    let m = median(times);
    let cpu = (!cpu.is_empty()).then(|| median(cpu));
    println!(
        "matching {USERS} Zoom users × {EMPLOYEES} employees: {:.3} s (median of {RUNS}), {:.2}× the 1 s target (target ≤ 1.00×)",
        m.as_secs_f64(),
        m.as_secs_f64() / TARGET.as_secs_f64()
    );
    if let Some(c) = cpu {
        println!(
            "  on-CPU time {:.3} s ({:.2}× the target); load average {} on {} cores",
            c.as_secs_f64(),
            c.as_secs_f64() / TARGET.as_secs_f64(),
            std::fs::read_to_string("/proc/loadavg")
                .ok()
                .and_then(|l| l.split_whitespace().next().map(str::to_string))
                .unwrap_or_else(|| "?".into()),
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );
    }
    for (c, n) in report.counts() {
        println!("  {:<22} {n:>7}", c.as_str());
    }
    // Where the on-CPU time goes (one run each).
    let c0 = thread_cpu();
    let users = employees::matching::ZoomUser::from_graph(&graph);
    let c1 = thread_cpu();
    let m = employees::matching::match_users(&users, &roster, &[], &opts);
    let c2 = thread_cpu();
    let built = employees::report::build(&users, &roster, &m, opts.today);
    let c3 = thread_cpu();
    drop(built);
    if let (Some(c0), Some(c1), Some(c2), Some(c3)) = (c0, c1, c2, c3) {
        println!(
            "  on-CPU breakdown: read users {:.3} s, match {:.3} s, categorise {:.3} s",
            (c1 - c0).as_secs_f64(),
            (c2 - c1).as_secs_f64(),
            (c3 - c2).as_secs_f64()
        );
    }
    let suggested = report
        .rows(Category::NotAnEmployee)
        .iter()
        .filter(|r| !r.suggestions.is_empty())
        .count();
    println!("  ({suggested} not_an_employee rows carry name suggestions)");

    // Context figures (no target): the overlay and parsing a 100,000-row CSV.
    let mut g = graph.clone();
    let (t, c) = (Instant::now(), thread_cpu());
    let stats = employees::overlay_report(&mut g, &roster, &report).expect("overlay");
    println!(
        "overlay: {} Person entities, {} IS relationships in {:.3} s ({})",
        stats.employees,
        stats.relationships,
        t.elapsed().as_secs_f64(),
        cpu_since(c)
    );
    let mut csv = String::from("employee_id,first_name,last_name,email,status,personal_email\n");
    for e in &roster {
        csv.push_str(&format!(
            "{},{},{},{},{},{}\n",
            e.employee_id.as_deref().unwrap_or(""),
            e.first_name.as_deref().unwrap_or(""),
            e.last_name.as_deref().unwrap_or(""),
            e.email,
            e.status.as_str(),
            e.other_emails.join(";")
        ));
    }
    let (t, c) = (Instant::now(), thread_cpu());
    let parsed = employees::roster::parse(&csv, &ColumnOverrides::new()).expect("parse");
    println!(
        "parsing a {}-row roster CSV: {:.3} s ({}; {} rows, {} errors)",
        EMPLOYEES,
        t.elapsed().as_secs_f64(),
        cpu_since(c),
        parsed.employees.len(),
        parsed.errors.len()
    );
}
