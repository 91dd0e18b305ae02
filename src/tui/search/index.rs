//! The per-graph search index: every entity's folded search text and the
//! values field terms compare with, built once per graph so a keystroke
//! never touches the graph's JSON properties for the known fields.

use std::collections::HashMap;

use crate::graph::{EntityId, EntityType, Graph};
use crate::tui::model;

use super::fold::fold;

/// Folded search text and field values of every entity of one graph.
///
/// All text lives in one buffer, in entity order, so a search streams
/// through memory instead of chasing a pointer per row.
pub struct SearchIndex {
    pub generation: u64,
    text: String,
    rows: Vec<RowMeta>,
    /// Group value ids of all users, cut up by `RowMeta::groups`.
    group_ids: Vec<u32>,
    /// Distinct folded values of the interned fields (status, role, type,
    /// group names), shared by all rows.
    values: Vec<Box<str>>,
}

/// Where one entity's text and values are in the index.
struct RowMeta {
    start: u32,
    name_end: u32,
    words_end: u32,
    dept_end: u32,
    end: u32,
    status: u32,
    role: u32,
    typ: u32,
    groups: (u32, u32),
}

/// One entity. `hay` is `name email dept[ description]`, folded; the
/// offsets cut it back into its parts. Name and e-mail (`hay[..words_end]`)
/// are where words are looked for; the department and description only
/// count as substring matches.
pub struct IndexRow<'a> {
    pub hay: &'a str,
    name_end: u32,
    words_end: u32,
    dept_end: u32,
    status: u32,
    role: u32,
    typ: u32,
    groups: &'a [u32],
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

impl IndexRow<'_> {
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
            Interned::Group => self.groups,
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

/// Appends `name email dept[ desc]`, folded, to `text`; the row's offsets.
fn push_text(
    text: &mut String,
    name: &str,
    email: &str,
    dept: &str,
    desc: Option<&str>,
) -> RowMeta {
    let start = text.len();
    let rel = |t: &String| (t.len() - start) as u32;
    text.push_str(&fold(name));
    let name_end = rel(text);
    text.push(' ');
    text.push_str(&fold(email));
    let words_end = rel(text);
    text.push(' ');
    text.push_str(&fold(dept));
    let dept_end = rel(text);
    if let Some(d) = desc.filter(|d| !d.is_empty()) {
        text.push(' ');
        text.push_str(&fold(d));
    }
    RowMeta {
        start: start as u32,
        name_end,
        words_end,
        dept_end,
        end: text.len() as u32,
        status: 0,
        role: 0,
        typ: 0,
        groups: (0, 0),
    }
}

impl SearchIndex {
    pub fn build(g: &Graph, generation: u64) -> SearchIndex {
        let mut values = Interner::default();
        let none = values.id(String::new());
        // Group labels are looked up once per group, not once per membership.
        let mut group_of: HashMap<EntityId, u32> = HashMap::new();
        let mut group_ids = Vec::new();
        let mut text = String::with_capacity(g.entity_count() * 64);
        let mut rows = Vec::with_capacity(g.entity_count());
        for (id, e) in g.entities() {
            let row = match e.etype {
                EntityType::User => {
                    let first = group_ids.len() as u32;
                    for gid in model::groups_of(g, id) {
                        let v = *group_of
                            .entry(gid)
                            .or_insert_with(|| values.id(fold(&model::label(g, gid))));
                        group_ids.push(v);
                    }
                    let mut row = push_text(
                        &mut text,
                        &model::user_name(g, id),
                        &model::prop_text(g, id, "email"),
                        &model::prop_text(g, id, "dept"),
                        None,
                    );
                    row.status = values.id(fold(&model::prop_text(g, id, "status")));
                    row.role = values.id(fold(&model::role_name(g, id)));
                    row.typ = values.id(fold(&model::user_type(g, id)));
                    row.groups = (first, group_ids.len() as u32 - first);
                    row
                }
                _ => {
                    let mut row = push_text(
                        &mut text,
                        &model::label(g, id),
                        &model::prop_text(g, id, "email"),
                        &model::prop_text(g, id, "department"),
                        Some(&model::prop_text(g, id, "description")),
                    );
                    row.status = values.id(fold(&model::prop_text(g, id, "status")));
                    row.role = none;
                    row.typ = none;
                    row
                }
            };
            rows.push(row);
        }
        text.shrink_to_fit();
        SearchIndex {
            generation,
            text,
            rows,
            group_ids,
            values: values.values,
        }
    }

    /// Entities in the index (ids `0..len`).
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn row(&self, id: EntityId) -> Option<IndexRow<'_>> {
        let m = self.rows.get(id.0 as usize)?;
        let (gs, gn) = m.groups;
        Some(IndexRow {
            hay: self
                .text
                .get(m.start as usize..m.end as usize)
                .unwrap_or(""),
            name_end: m.name_end,
            words_end: m.words_end,
            dept_end: m.dept_end,
            status: m.status,
            role: m.role,
            typ: m.typ,
            groups: self
                .group_ids
                .get(gs as usize..(gs + gn) as usize)
                .unwrap_or(&[]),
        })
    }

    /// Every distinct interned value, by id.
    pub fn values(&self) -> &[Box<str>] {
        &self.values
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view<'a>(text: &'a str, m: &RowMeta) -> IndexRow<'a> {
        IndexRow {
            hay: &text[m.start as usize..m.end as usize],
            name_end: m.name_end,
            words_end: m.words_end,
            dept_end: m.dept_end,
            status: 0,
            role: 0,
            typ: 0,
            groups: &[],
        }
    }

    #[test]
    fn parts_cut_the_folded_text_back_apart() {
        let mut text = String::from("before");
        let m = push_text(
            &mut text,
            "André Müller",
            "andre.muller@x.io",
            "R&D",
            Some("Desk"),
        );
        let e = push_text(&mut text, "", "", "", None);
        let r = view(&text, &m);
        assert_eq!(r.part(TextPart::Name), "andre muller");
        assert_eq!(r.part(TextPart::Email), "andre.muller@x.io");
        assert_eq!(r.part(TextPart::Dept), "r&d");
        assert_eq!(r.words(), "andre muller andre.muller@x.io");
        assert_eq!(r.hay, "andre muller andre.muller@x.io r&d desk");
        let empty = view(&text, &e);
        assert_eq!(empty.part(TextPart::Email), "");
        assert_eq!(empty.part(TextPart::Dept), "");
    }
}
