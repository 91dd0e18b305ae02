//! Shared helpers for the employees_* integration tests: a Zoom graph built
//! the way the graph builder shapes users, and a real SQLite file.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rusqlite::Connection;
use serde_json::Value;
use zoomscope::graph::{Entity, EntityType, Graph};

pub struct TestUser<'a> {
    pub key: &'a str,
    pub email: &'a str,
    pub status: &'a str,
    pub first: &'a str,
    pub last: &'a str,
    pub unique_id: Option<&'a str>,
}

pub fn user<'a>(key: &'a str, email: &'a str, status: &'a str) -> TestUser<'a> {
    TestUser {
        key,
        email,
        status,
        first: "",
        last: "",
        unique_id: None,
    }
}

impl<'a> TestUser<'a> {
    pub fn named(mut self, first: &'a str, last: &'a str) -> Self {
        self.first = first;
        self.last = last;
        self
    }
    pub fn uid(mut self, id: &'a str) -> Self {
        self.unique_id = Some(id);
        self
    }
}

pub fn graph(users: &[TestUser<'_>]) -> Graph {
    let mut g = Graph::new();
    for u in users {
        let mut e = Entity::new(EntityType::User, u.key.to_string());
        let mut put = |k: &str, v: Value| e.props.insert(Arc::from(k), v);
        put("email", Value::from(u.email));
        put("status", Value::from(u.status));
        put("active", Value::from(u.status == "active"));
        if !u.first.is_empty() {
            put("firstName", Value::from(u.first));
            put("lastName", Value::from(u.last));
            put(
                "displayName",
                Value::from(format!("{} {}", u.first, u.last)),
            );
        }
        if let Some(id) = u.unique_id {
            put("employeeUniqueId", Value::from(id));
        }
        g.add_entity(e).unwrap();
    }
    g
}

/// A real SQLite file in a temp dir (kept alive by the returned guard).
pub fn db() -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join("zoomscope.db")).unwrap();
    // The employee tables are the store's: migrate as `Store::open` does.
    zoomscope::store::migrate(&conn).unwrap();
    (dir, conn)
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap()
}
