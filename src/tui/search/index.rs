//! The per-graph search index: every entity's folded search text and the
//! values field terms compare with, built once per graph so a keystroke
//! never touches the graph's JSON properties for the known fields.

use std::collections::HashMap;

use crate::graph::{EntityId, EntityType, Graph};
use crate::tui::model;

use super::fold::fold;

/// Folded search text and field values of every entity of one graph.
pub struct SearchIndex {
    pub generation: u64,
    rows: Vec<IndexRow>,
    /// Distinct folded values of the interned fields (status, role, type,
    /// group names), shared by all rows.
    values: Vec<Box<str>>,
}

/// One entity. `hay` is `name email dept[ description]`, folded; the
/// offsets cut it back into its parts. Name and e-mail (`hay[..words_end]`)
/// are where words are looked for; the department and description only
/// count as substring matches.
pub struct IndexRow {
    pub hay: Box<str>,
    name_end: u32,
    words_end: u32,
    dept_end: u32,
    status: u32,
    role: u32,
    typ: u32,
    groups: Box<[u32]>,
}

/// A field whose values are interned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interned {
    Status,
    Role,
    Type,
    Group,
}

/// A field that is a part of the row's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextPart {
    Name,
    Email,
    Dept,
}

impl IndexRow {
    /// Name and e-mail, where a term can match a word.
    pub fn words(&self) -> &str {
        self.hay.get(..self.words_end as usize).unwrap_or("")
    }

    pub fn part(&self, p: TextPart) -> &str {
        let (a, b) = match p {
            TextPart::Name => (0, self.name_end),
            TextPart::Email => (self.name_end + 1, self.words_end),
            TextPart::Dept => (self.words_end + 1, self.dept_end),
        };
        self.hay.get(a as usize..b as usize).unwrap_or("")
    }

    /// Interned value ids of a field (several for groups).
    pub fn interned(&self, f: Interned) -> &[u32] {
        match f {
            Interned::Status => std::slice::from_ref(&self.status),
            Interned::Role => std::slice::from_ref(&self.role),
            Interned::Type => std::slice::from_ref(&self.typ),
            Interned::Group => &self.groups,
        }
    }
}

#[derive(Default)]
struct Interner {
    values: Vec<Box<str>>,
    ids: HashMap<Box<str>, u32>,
}

impl Interner {
    fn id(&mut self, folded: String) -> u32 {
        if let Some(id) = self.ids.get(folded.as_str()) {
            return *id;
        }
        let id = self.values.len() as u32;
        let v: Box<str> = folded.into_boxed_str();
        self.values.push(v.clone());
        self.ids.insert(v, id);
        id
    }
}

impl SearchIndex {
    pub fn build(g: &Graph, generation: u64) -> SearchIndex {
        let mut values = Interner::default();
        // Group labels are looked up once per group, not once per membership.
        let mut group_ids: HashMap<EntityId, u32> = HashMap::new();
        let rows = g
            .entities()
            .map(|(id, e)| match e.etype {
                EntityType::User => {
                    let groups: Vec<u32> = model::groups_of(g, id)
                        .into_iter()
                        .map(|gid| {
                            *group_ids
                                .entry(gid)
                                .or_insert_with(|| values.id(fold(&model::label(g, gid))))
                        })
                        .collect();
                    let mut row = row_text(
                        &model::user_name(g, id),
                        &model::prop_text(g, id, "email"),
                        &model::prop_text(g, id, "dept"),
                        None,
                    );
                    row.status = values.id(fold(&model::prop_text(g, id, "status")));
                    row.role = values.id(fold(&model::role_name(g, id)));
                    row.typ = values.id(fold(&model::user_type(g, id)));
                    row.groups = groups.into_boxed_slice();
                    row
                }
                _ => {
                    let mut row = row_text(
                        &model::label(g, id),
                        &model::prop_text(g, id, "email"),
                        &model::prop_text(g, id, "department"),
                        Some(&model::prop_text(g, id, "description")),
                    );
                    row.status = values.id(fold(&model::prop_text(g, id, "status")));
                    let none = values.id(String::new());
                    row.role = none;
                    row.typ = none;
                    row
                }
            })
            .collect();
        SearchIndex {
            generation,
            rows,
            values: values.values,
        }
    }

    pub fn row(&self, id: EntityId) -> Option<&IndexRow> {
        self.rows.get(id.0 as usize)
    }

    /// Every distinct interned value, by id.
    pub fn values(&self) -> &[Box<str>] {
        &self.values
    }
}

fn row_text(name: &str, email: &str, dept: &str, desc: Option<&str>) -> IndexRow {
    let mut hay = fold(name);
    let name_end = hay.len() as u32;
    hay.push(' ');
    hay.push_str(&fold(email));
    let words_end = hay.len() as u32;
    hay.push(' ');
    hay.push_str(&fold(dept));
    let dept_end = hay.len() as u32;
    if let Some(d) = desc.filter(|d| !d.is_empty()) {
        hay.push(' ');
        hay.push_str(&fold(d));
    }
    IndexRow {
        hay: hay.into_boxed_str(),
        name_end,
        words_end,
        dept_end,
        status: 0,
        role: 0,
        typ: 0,
        groups: Box::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_cut_the_folded_text_back_apart() {
        let r = row_text("André Müller", "andre.muller@x.io", "R&D", Some("Desk"));
        assert_eq!(r.part(TextPart::Name), "andre muller");
        assert_eq!(r.part(TextPart::Email), "andre.muller@x.io");
        assert_eq!(r.part(TextPart::Dept), "r&d");
        assert_eq!(r.words(), "andre muller andre.muller@x.io");
        assert_eq!(&*r.hay, "andre muller andre.muller@x.io r&d desk");
        let empty = row_text("", "", "", None);
        assert_eq!(empty.part(TextPart::Email), "");
        assert_eq!(empty.part(TextPart::Dept), "");
    }
}
