//! What a person sees of a result whose rows are whole entities (a query
//! without RETURN): the useful columns of the rows' type instead of
//! `displayName, _type, _key`. Used by `zoomscope query` (table and CSV)
//! and the TUI's Query pane; `--json` keeps [`QueryResult::to_json`].

use serde_json::Value;

use super::result::{QueryResult, ResultKind};
use crate::graph::{EntityType, Graph, RelType};

/// A column: its label and the properties read for it, first present wins.
struct Column {
    label: &'static str,
    props: &'static [&'static str],
}

const NAME: Column = Column {
    label: "name",
    props: &["name", "displayName"],
};
const EMAIL: Column = Column {
    label: "email",
    props: &["email"],
};
const STATUS: Column = Column {
    label: "status",
    props: &["status"],
};
const MEMBERS: Column = Column {
    label: "members",
    props: &["totalMembers"],
};

/// The columns of a type, `None` for types shown the generic way.
fn columns_of(t: EntityType) -> Option<&'static [Column]> {
    const USER: &[Column] = &[
        NAME,
        EMAIL,
        STATUS,
        Column {
            label: "role",
            props: &["roleName"],
        },
    ];
    const GROUP: &[Column] = &[NAME, MEMBERS];
    const PERSON: &[Column] = &[NAME, EMAIL, STATUS];
    match t {
        EntityType::User => Some(USER),
        EntityType::Group | EntityType::Role => Some(GROUP),
        EntityType::Employee => Some(PERSON),
        _ => None,
    }
}

/// How many users the graph links to a group or holds a role.
fn members_in_graph(graph: &Graph, t: EntityType, id: crate::graph::EntityId) -> usize {
    match t {
        EntityType::Group => graph.targets(id, RelType::GroupHasUser).count(),
        EntityType::Role => graph.sources(id, RelType::UserAssignedRole).count(),
        _ => 0,
    }
}

/// Column labels and one row of values per result row.
#[derive(Debug, Clone, PartialEq)]
pub struct Display {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// The result as shown: the type's columns when every row is an entity of
/// one type that has them, else the result's own columns and values.
pub fn display(result: &QueryResult, graph: &Graph) -> Display {
    let own = || Display {
        columns: result.columns.clone(),
        rows: result.rows.iter().map(|r| r.values.clone()).collect(),
    };
    if result.kind != ResultKind::Entities {
        return own();
    }
    let mut types = result
        .rows
        .iter()
        .map(|r| r.entity.map(|id| graph.entity(id).etype));
    let Some(Some(t)) = types.next() else {
        return own();
    };
    if !types.all(|x| x == Some(t)) {
        return own();
    }
    let Some(cols) = columns_of(t) else {
        return own();
    };
    let rows = result
        .rows
        .iter()
        .map(|r| {
            let props = r.entity.map(|id| &graph.entity(id).props);
            cols.iter()
                .map(|c| {
                    let v = props.and_then(|p| {
                        c.props
                            .iter()
                            .find_map(|k| p.get(k).filter(|v| !v.is_null()))
                    });
                    match (v, r.entity) {
                        (Some(v), _) => v.to_json(),
                        // Zoom's total when it sent one, else the members
                        // the graph holds.
                        (None, Some(id)) if c.label == MEMBERS.label => {
                            Value::from(members_in_graph(graph, t, id))
                        }
                        _ => Value::Null,
                    }
                })
                .collect()
        })
        .collect();
    Display {
        columns: cols.iter().map(|c| c.label.to_string()).collect(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::graph::Entity;

    fn graph() -> Graph {
        let mut g = Graph::new();
        let mut u = Entity::new(EntityType::User, "zoom_user:1".into());
        for (k, v) in [
            ("name", "Jill Chill"),
            ("displayName", "Jill"),
            ("email", "jill@x.io"),
            ("status", "active"),
            ("roleName", "Admin"),
        ] {
            u.props.insert(Arc::from(k), Value::from(v));
        }
        g.add_entity(u).unwrap();
        let mut gr = Entity::new(EntityType::Group, "zoom_group:g".into());
        gr.props.insert(Arc::from("name"), Value::from("Sales"));
        gr.props
            .insert(Arc::from("totalMembers"), Value::from(1500));
        g.add_entity(gr).unwrap();
        g
    }

    #[test]
    fn each_type_shows_its_useful_columns() {
        let g = graph();
        let r = super::super::run(&g, "FIND zoom_user").unwrap();
        let d = display(&r, &g);
        assert_eq!(d.columns, ["name", "email", "status", "role"]);
        assert_eq!(
            d.rows,
            vec![vec![
                Value::from("Jill Chill"),
                Value::from("jill@x.io"),
                Value::from("active"),
                Value::from("Admin")
            ]]
        );
        let r = super::super::run(&g, "FIND zoom_group").unwrap();
        let d = display(&r, &g);
        assert_eq!(d.columns, ["name", "members"]);
        assert_eq!(d.rows, vec![vec![Value::from("Sales"), Value::from(1500)]]);
        // RETURN keeps what was asked for; mixed types the generic columns
        let r = super::super::run(&g, "FIND zoom_user AS u RETURN u.email").unwrap();
        assert_eq!(display(&r, &g).columns, ["u.email"]);
        let r = super::super::run(&g, "FIND (zoom_user | zoom_group)").unwrap();
        assert_eq!(display(&r, &g).columns, ["displayName", "_type", "_key"]);
    }
}
