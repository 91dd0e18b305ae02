//! Warnings for a query that runs but probably does not ask what was meant:
//! a type or class no entity has (`FIND zoom_usr`), a property no entity of
//! the selected types has (`WITH stauts = 'inactive'`). Both silently match
//! nothing in J1QL, so a typo looks like "no such users"; the warning names
//! the word and suggests the nearest known one.
//!
//! Warnings never change the result or the exit code.

use std::collections::BTreeSet;

use crate::graph::{EntityType, Graph};

use super::ast::{Cond, Node, Operand, OrderKey, Query, ReturnExpr, Selector};

/// Entities whose property names are gathered for suggestions (and checked
/// first); a name not among them is then looked up in every entity of the
/// type, which costs one binary search per entity.
const SAMPLE: usize = 2_000;

/// Distinct words checked per query, so that a generated query with
/// thousands of odd names stays cheap and its output short.
const MAX_CHECKED: usize = 50;

/// Names longer than this get no suggestion (edit distance is quadratic).
const MAX_SUGGEST_LEN: usize = 64;

/// The warnings for `query` over `graph`, in the order the words appear.
pub fn warnings(graph: &Graph, query: &Query) -> Vec<String> {
    let mut out = Vec::new();
    let mut nodes: Vec<&Node> = vec![&query.find];
    nodes.extend(query.hops.iter().map(|h| &h.target));
    for node in &nodes {
        unknown_types(node, &mut out);
    }

    // (types of the node, property name), in query order.
    let mut pairs: Vec<(Vec<EntityType>, &str)> = Vec::new();
    for node in &nodes {
        if let Some(f) = &node.filter {
            for c in f.comparisons() {
                if let Cond::Cmp { prop, .. } = c {
                    pairs.push((types_of(node), &prop.name));
                }
            }
        }
    }
    // WHERE, RETURN and ORDER BY name bound nodes: FIND, then the positive
    // hops' targets.
    let bound: Vec<&Node> = std::iter::once(&query.find)
        .chain(query.hops.iter().filter(|h| !h.negated).map(|h| &h.target))
        .collect();
    let mut refs = Vec::new();
    if let Some(w) = &query.where_ {
        for c in w.comparisons() {
            if let Cond::Cmp { prop, rhs, .. } = c {
                refs.push(prop);
                if let Operand::Prop(p) = rhs {
                    refs.push(p);
                }
            }
        }
    }
    refs.extend(query.returns.iter().filter_map(|r| match &r.expr {
        ReturnExpr::Prop(p) => Some(p),
        _ => None,
    }));
    refs.extend(query.order.iter().filter_map(|o| match &o.key {
        OrderKey::Prop(p) => Some(p),
        OrderKey::Column(_) => None,
    }));
    for p in refs {
        if let Some(n) = bound.get(p.node) {
            pairs.push((types_of(n), &p.name));
        }
    }
    let mut wanted: Vec<(Vec<EntityType>, &str)> = Vec::new();
    for (types, name) in pairs {
        if !wanted.iter().any(|(t, n)| *t == types && *n == name) {
            wanted.push((types, name));
        }
    }
    for (types, name) in wanted.into_iter().take(MAX_CHECKED) {
        if let Some(w) = unknown_property(graph, &types, name) {
            out.push(w);
        }
    }
    out
}

/// Types the selector names (all of them for `*`).
fn types_of(node: &Node) -> Vec<EntityType> {
    match &node.selector {
        Selector::Any => EntityType::ALL.to_vec(),
        Selector::Names(names) => EntityType::ALL
            .into_iter()
            .filter(|t| names.iter().any(|n| n == t.as_str() || n == t.class()))
            .collect(),
    }
}

fn unknown_types(node: &Node, out: &mut Vec<String>) {
    let Selector::Names(names) = &node.selector else {
        return;
    };
    let known: Vec<&str> = EntityType::ALL
        .iter()
        .flat_map(|t| [t.as_str(), t.class()])
        .collect();
    for name in names.iter().take(MAX_CHECKED) {
        if known.contains(&name.as_str()) {
            continue;
        }
        let mut w = format!("unknown type `{name}`: no entity has that _type or _class");
        if let Some(s) = nearest(name, known.iter().copied()) {
            w.push_str(&format!("; did you mean `{s}`?"));
        }
        out.push(w);
    }
}

fn unknown_property(graph: &Graph, types: &[EntityType], name: &str) -> Option<String> {
    // Pseudo-properties every entity has.
    if matches!(name, "_key" | "_type" | "_class") {
        return None;
    }
    let ids: Vec<_> = types
        .iter()
        .flat_map(|t| graph.of_type(*t).iter().copied())
        .collect();
    // No entity of these types at all: nothing to judge the name by.
    if ids.is_empty() {
        return None;
    }
    if ids
        .iter()
        .any(|&id| graph.entity(id).props.get(name).is_some())
    {
        return None;
    }
    let mut known: BTreeSet<&str> = ["_key", "_type", "_class"].into_iter().collect();
    for &id in ids.iter().take(SAMPLE) {
        known.extend(graph.entity(id).props.iter().map(|(k, _)| k));
    }
    let what: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
    let mut w = format!(
        "no {} has a property `{name}`, so it matches nothing",
        what.join(" or ")
    );
    if let Some(s) = nearest(name, known.into_iter()) {
        w.push_str(&format!("; did you mean `{s}`?"));
    }
    Some(w)
}

/// The candidate closest to `word` by edit distance (case-insensitive), if
/// it is close enough to be a likely typo.
fn nearest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    if word.chars().count() > MAX_SUGGEST_LEN {
        return None;
    }
    let w = word.to_lowercase();
    let limit = (w.chars().count() / 3).clamp(1, 3);
    candidates
        .filter(|c| c.chars().count() <= MAX_SUGGEST_LEN * 2)
        .map(|c| (levenshtein(&w, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance in characters, counting a swap of two neighbours as one
/// edit (`stauts` → `status`), as typos go: optimal string alignment.
fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    // d[i * w + j]: distance between a[..i] and b[..j].
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance() {
        assert_eq!(levenshtein("stauts", "status"), 1);
        assert_eq!(levenshtein("nmae", "name"), 1);
        assert_eq!(levenshtein("zoom_usr", "zoom_user"), 1);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(
            nearest("zoom_usr", ["zoom_user", "zoom_group"].into_iter()),
            Some("zoom_user")
        );
        assert_eq!(nearest("wholly_else", ["zoom_user"].into_iter()), None);
    }
}
