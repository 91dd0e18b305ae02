//! Lays a roster and its matches over the Zoom graph: each roster row an
//! `employee` (`Person`) entity, each match a `zoom_user_is_employee` (`IS`)
//! relationship carrying `matchedBy`. Queries (`FIND zoom_user THAT IS
//! Person WITH status='terminated'`), alerts and the TUI then see employees
//! like any other entity.

use serde_json::Value;

use crate::graph::{Entity, EntityType, Graph, GraphError, Interner, PropName, Props, RelType};

use super::report::{Category, Report};
use super::roster::{Employee, EmployeeStatus};

/// What [`overlay_report`] added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OverlayStats {
    pub employees: usize,
    pub relationships: usize,
}

/// Adds `employees` as Person entities and the report's matched and
/// terminated-but-active pairs as IS relationships. `report` must have been
/// made from this graph and roster. Calling it again on the same graph adds
/// nothing new (keys and relationships are kept once).
pub fn overlay_report(
    graph: &mut Graph,
    employees: &[Employee],
    report: &Report,
) -> Result<OverlayStats, GraphError> {
    let today = report.today;
    let mut interner = Interner::default();
    let names = PersonNames::new(&mut interner);
    let mut stats = OverlayStats::default();
    for e in employees {
        let key = e.key();
        if graph.id_of(&key).is_some() {
            continue;
        }
        let status = match today {
            Some(t) => e.status_on(t),
            None => e.status,
        };
        let mut entity = Entity::new(EntityType::Employee, key);
        entity.props = person_props(e, status, &names);
        graph.add_entity(entity)?;
        stats.employees += 1;
    }
    let matched_by = names.get("matchedBy");
    for cat in [Category::TerminatedButActive, Category::Matched] {
        for row in report.rows(cat) {
            let (Some(u), Some(emp)) = (&row.user, &row.employee) else {
                continue;
            };
            let mut props = Props::new();
            if let Some(by) = row.matched_by {
                props.insert(matched_by.clone(), Value::from(by.as_str()));
            }
            let before = graph.relationship_count();
            graph.add_relationship(RelType::UserIsEmployee, &u.key, &emp.key, props)?;
            stats.relationships += graph.relationship_count() - before;
        }
    }
    Ok(stats)
}

/// Property names of a Person, interned once per overlay (not per entity).
struct PersonNames {
    names: [PropName; 14],
}

const PERSON_PROPS: [&str; 14] = [
    "active",
    "department",
    "email",
    "employeeId",
    "employeeUniqueId",
    "firstName",
    "lastName",
    "managerEmail",
    "name",
    "otherEmails",
    "status",
    "terminationDate",
    "title",
    "matchedBy",
];

impl PersonNames {
    fn new(interner: &mut Interner) -> Self {
        PersonNames {
            names: PERSON_PROPS.map(|n| interner.intern(n)),
        }
    }

    fn get(&self, name: &str) -> PropName {
        let i = PERSON_PROPS.iter().position(|n| *n == name).unwrap_or(0);
        self.names[i].clone()
    }
}

/// JupiterOne-style camelCase properties of a Person. Absent values are
/// left out rather than stored as null. Inserted in name order, so each
/// insert appends.
fn person_props(e: &Employee, status: EmployeeStatus, names: &PersonNames) -> Props {
    let mut p = Props::with_capacity(13);
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            p.insert(names.get(k), v);
        }
    };
    let s = |v: &Option<String>| v.as_ref().map(|x| Value::from(x.as_str()));
    put(
        "active",
        Some(Value::from(matches!(
            status,
            EmployeeStatus::Active | EmployeeStatus::Leave
        ))),
    );
    put("department", s(&e.department));
    put("email", Some(Value::from(e.email.as_str())));
    put("employeeId", s(&e.employee_id));
    put("employeeUniqueId", s(&e.employee_unique_id));
    put("firstName", s(&e.first_name));
    put("lastName", s(&e.last_name));
    put("managerEmail", s(&e.manager_email));
    put("name", e.display_name().map(Value::from));
    if !e.other_emails.is_empty() {
        put(
            "otherEmails",
            Some(Value::Array(
                e.other_emails
                    .iter()
                    .map(|x| Value::from(x.as_str()))
                    .collect(),
            )),
        );
    }
    put("status", Some(Value::from(status.as_str())));
    put(
        "terminationDate",
        e.termination_date.map(|d| Value::from(d.to_string())),
    );
    put("title", s(&e.title));
    p
}
