//! Runs a parsed [`Query`] over a [`Graph`].
//!
//! Plan (why it is fast at 100,000 users):
//! - Candidates start from the type index (`Graph::of_type`), never from a
//!   scan of every entity, and WITH filters run on borrowed properties.
//! - A path is a row of entity ids in one flat `Vec<u32>`; nothing is cloned
//!   until RETURN projects values.
//! - Each hop compares the work of walking from the current rows
//!   (Σ degree of the anchors) with walking from the hop's target set
//!   (Σ degree of the targets that pass its WITH) and takes the smaller: for
//!   `FIND zoom_user THAT ASSIGNED zoom_role WITH name='Admin'` that is the
//!   one Admin role's incoming edges instead of every user's edges.
//! - WITH results of hop targets are memoised per entity.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Duration, Months, Utc};
use serde_json::Value;

use crate::graph::{EntityId, EntityType, Graph};

use super::ast::{
    Cond, Literal, Node, Operand, OrderKey, Query, ReturnExpr, Selector, TimeOffset, TimeUnit, Verb,
};
use super::error::QueryError;
use super::lexer::CmpOp;
use super::result::{QueryResult, ResultKind, ResultRow};
use super::value::{Lit, PropKey, PropVal, SortVal, compare, sort_cmp};

/// Paths beyond this many are refused rather than exhausting memory
/// (`FIND * THAT RELATES TO * THAT RELATES TO *` on a large account).
pub const MAX_PATHS: usize = 20_000_000;

/// Runs `query` over `graph`; `date.now` is `now`.
pub fn execute(
    graph: &Graph,
    query: &Query,
    now: DateTime<Utc>,
) -> Result<QueryResult, QueryError> {
    let find = CNode::compile(&query.find, now)?;
    let mut paths = Paths {
        width: 1,
        ids: Vec::new(),
    };
    for t in find.types() {
        let ids = graph.of_type(t);
        match &find.filter {
            None => paths.ids.extend(ids.iter().map(|id| id.0)),
            Some(f) => {
                // Blocks of entities: first touch their properties (memory
                // reads in parallel), then evaluate (now from cache).
                let mut acc = 0usize;
                for block in ids.chunks(32) {
                    for &id in block {
                        f.touch(graph.entity(id), &mut acc);
                    }
                    for &id in block {
                        if f.eval_entity(graph, id) {
                            paths.ids.push(id.0);
                        }
                    }
                }
                std::hint::black_box(acc);
            }
        }
    }
    for hop in &query.hops {
        let target = CNode::compile(&hop.target, now)?;
        let verbs = VerbSet::new(&hop.verbs);
        paths = if hop.negated {
            negated_hop(graph, paths, &verbs, &target)
        } else {
            positive_hop(graph, paths, &verbs, &target)?
        };
    }
    if let Some(w) = &query.where_ {
        let cond = CCond::compile(w, now)?;
        let width = paths.width;
        let mut kept = Vec::with_capacity(paths.ids.len());
        for row in paths.ids.chunks_exact(width) {
            if cond.eval_path(graph, row) {
                kept.extend_from_slice(row);
            }
        }
        paths.ids = kept;
    }
    let mut result = project(graph, query, &paths)?;
    result.warnings = super::lint::warnings(graph, query);
    Ok(result)
}

/// Rows of `width` entity ids: one column per bound node.
struct Paths {
    width: usize,
    ids: Vec<u32>,
}

impl Paths {
    fn rows(&self) -> std::slice::ChunksExact<'_, u32> {
        self.ids.chunks_exact(self.width)
    }

    fn len(&self) -> usize {
        self.ids.len() / self.width
    }
}

/// A node with its selector as a type mask and its WITH compiled.
struct CNode<'q> {
    /// Bit i set: `EntityType::ALL[i]` is selected.
    mask: u8,
    filter: Option<CCond<'q>>,
}

impl<'q> CNode<'q> {
    fn compile(n: &'q Node, now: DateTime<Utc>) -> Result<Self, QueryError> {
        let mask = match &n.selector {
            Selector::Any => u8::MAX,
            Selector::Names(names) => {
                let mut m = 0u8;
                for name in names {
                    for (i, t) in EntityType::ALL.iter().enumerate() {
                        if t.as_str() == name || t.class() == name {
                            m |= 1 << i;
                        }
                    }
                }
                m
            }
        };
        Ok(CNode {
            mask,
            filter: n
                .filter
                .as_ref()
                .map(|f| CCond::compile(f, now))
                .transpose()?,
        })
    }

    fn types(&self) -> impl Iterator<Item = EntityType> + '_ {
        EntityType::ALL
            .into_iter()
            .enumerate()
            .filter(|(i, _)| self.mask & (1 << i) != 0)
            .map(|(_, t)| t)
    }

    fn type_ok(&self, t: EntityType) -> bool {
        EntityType::ALL
            .iter()
            .position(|x| *x == t)
            .is_some_and(|i| self.mask & (1 << i) != 0)
    }

    fn accepts_filter(&self, graph: &Graph, id: EntityId) -> bool {
        self.filter
            .as_ref()
            .is_none_or(|f| f.eval_entity(graph, id))
    }

    fn accepts(&self, graph: &Graph, id: EntityId) -> bool {
        self.type_ok(graph.entity(id).etype) && self.accepts_filter(graph, id)
    }
}

/// Memo of `CNode::accepts` per entity: 0 unknown, 1 yes, 2 no.
struct Memo<'a, 'q> {
    node: &'a CNode<'q>,
    seen: Vec<u8>,
}

impl<'a, 'q> Memo<'a, 'q> {
    fn new(graph: &Graph, node: &'a CNode<'q>) -> Self {
        Memo {
            node,
            seen: vec![0; graph.entity_count()],
        }
    }

    fn accepts(&mut self, graph: &Graph, id: EntityId) -> bool {
        let Some(slot) = self.seen.get_mut(id.0 as usize) else {
            return false;
        };
        if *slot == 0 {
            *slot = if self.node.accepts(graph, id) { 1 } else { 2 };
        }
        *slot == 1
    }
}

struct VerbSet {
    any: bool,
    has: bool,
    assigned: bool,
    is: bool,
    manages: bool,
}

impl VerbSet {
    fn new(verbs: &[Verb]) -> Self {
        VerbSet {
            any: verbs.contains(&Verb::RelatesTo),
            has: verbs.contains(&Verb::Has),
            assigned: verbs.contains(&Verb::Assigned),
            is: verbs.contains(&Verb::Is),
            manages: verbs.contains(&Verb::Manages),
        }
    }

    fn allows(&self, class: crate::graph::RelClass) -> bool {
        use crate::graph::RelClass;
        self.any
            || match class {
                RelClass::Has => self.has,
                RelClass::Assigned => self.assigned,
                RelClass::Is => self.is,
                RelClass::Manages => self.manages,
            }
    }
}

/// Entities joined to `id` by a relationship of an allowed verb, in either
/// direction (J1QL traverses both ways unless told otherwise).
fn neighbours<'g>(
    graph: &'g Graph,
    id: EntityId,
    verbs: &'g VerbSet,
) -> impl Iterator<Item = EntityId> + 'g {
    let out = graph.outgoing(id).iter().filter_map(move |r| {
        let rel = graph.relationship(*r);
        verbs.allows(rel.rtype.class()).then_some(rel.to)
    });
    let inc = graph.incoming(id).iter().filter_map(move |r| {
        let rel = graph.relationship(*r);
        verbs.allows(rel.rtype.class()).then_some(rel.from)
    });
    out.chain(inc)
}

fn degree(graph: &Graph, id: EntityId) -> usize {
    graph.outgoing(id).len() + graph.incoming(id).len()
}

fn anchor(row: &[u32]) -> EntityId {
    EntityId(row.last().copied().unwrap_or_default())
}

fn negated_hop(graph: &Graph, paths: Paths, verbs: &VerbSet, target: &CNode<'_>) -> Paths {
    let mut memo = Memo::new(graph, target);
    let mut kept = Vec::with_capacity(paths.ids.len());
    for row in paths.rows() {
        let a = anchor(row);
        if !neighbours(graph, a, verbs).any(|n| memo.accepts(graph, n)) {
            kept.extend_from_slice(row);
        }
    }
    Paths {
        width: paths.width,
        ids: kept,
    }
}

fn positive_hop(
    graph: &Graph,
    paths: Paths,
    verbs: &VerbSet,
    target: &CNode<'_>,
) -> Result<Paths, QueryError> {
    let width = paths.width + 1;
    let forward_cost: usize = paths.rows().map(|r| degree(graph, anchor(r))).sum();
    // The target side costs a scan of its types plus its edges; only worth
    // computing when that scan is smaller than walking forward.
    let target_scan: usize = target.types().map(|t| graph.of_type(t).len()).sum();
    if target_scan < forward_cost {
        let targets: Vec<EntityId> = target
            .types()
            .flat_map(|t| graph.of_type(t).iter().copied())
            .filter(|&id| target.accepts_filter(graph, id))
            .collect();
        let backward_cost: usize = targets.iter().map(|&t| degree(graph, t)).sum();
        if backward_cost + target_scan < forward_cost {
            return backward_hop(graph, paths, verbs, &targets);
        }
    }
    let mut memo = Memo::new(graph, target);
    let mut out = Vec::new();
    for row in paths.rows() {
        for n in neighbours(graph, anchor(row), verbs) {
            if memo.accepts(graph, n) {
                out.extend_from_slice(row);
                out.push(n.0);
            }
        }
        if out.len() / width > MAX_PATHS {
            return Err(QueryError::TooManyPaths { limit: MAX_PATHS });
        }
    }
    Ok(Paths { width, ids: out })
}

/// Walks from the (already filtered) targets back to the rows whose anchor
/// they touch, then restores row order.
fn backward_hop(
    graph: &Graph,
    paths: Paths,
    verbs: &VerbSet,
    targets: &[EntityId],
) -> Result<Paths, QueryError> {
    // Rows by anchor entity, as linked lists through `next`.
    const NONE: u32 = u32::MAX;
    let mut first = vec![NONE; graph.entity_count()];
    let mut next = vec![NONE; paths.len()];
    for (i, row) in paths.rows().enumerate().rev() {
        let a = anchor(row).0 as usize;
        if let (Some(f), Some(n)) = (first.get_mut(a), next.get_mut(i)) {
            *n = *f;
            *f = i as u32;
        }
    }
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for &t in targets {
        for n in neighbours(graph, t, verbs) {
            let mut r = first.get(n.0 as usize).copied().unwrap_or(NONE);
            while r != NONE {
                pairs.push((r, t.0));
                r = next.get(r as usize).copied().unwrap_or(NONE);
            }
        }
        if pairs.len() > MAX_PATHS {
            return Err(QueryError::TooManyPaths { limit: MAX_PATHS });
        }
    }
    pairs.sort_unstable();
    let width = paths.width + 1;
    let mut out = Vec::with_capacity(pairs.len() * width);
    for (r, t) in pairs {
        let start = r as usize * paths.width;
        if let Some(row) = paths.ids.get(start..start + paths.width) {
            out.extend_from_slice(row);
            out.push(t);
        }
    }
    Ok(Paths { width, ids: out })
}

/// A compiled condition: property keys resolved, literals resolved.
enum CCond<'q> {
    Cmp {
        node: usize,
        key: PropKey<'q>,
        op: CmpOp,
        rhs: CRhs<'q>,
    },
    /// Parts sorted cheapest first (see `compile`).
    And(Vec<CCond<'q>>),
    Or(Vec<CCond<'q>>),
}

enum CRhs<'q> {
    Lit(Lit),
    Prop { node: usize, key: PropKey<'q> },
}

impl<'q> CCond<'q> {
    /// Recursion here follows parentheses only (chains are flat), which
    /// the parser bounds at `parser::MAX_DEPTH`.
    fn compile(c: &'q Cond, now: DateTime<Utc>) -> Result<Self, QueryError> {
        Ok(match c {
            Cond::Cmp { prop, op, rhs, .. } => CCond::Cmp {
                node: prop.node,
                key: PropKey::new(&prop.name),
                op: *op,
                rhs: match rhs {
                    Operand::Literal(l) => CRhs::Lit(resolve_literal(l, now)?),
                    Operand::Prop(p) => CRhs::Prop {
                        node: p.node,
                        key: PropKey::new(&p.name),
                    },
                },
            },
            // Conditions have no side effects, so each AND/OR evaluates its
            // cheaper parts first and short-circuits the dearer ones.
            Cond::And(parts) => CCond::And(compile_cheapest_first(parts, now)?),
            Cond::Or(parts) => CCond::Or(compile_cheapest_first(parts, now)?),
        })
    }

    /// A rough cost: inline values (numbers, booleans, pseudo-properties)
    /// are cheapest, strings need a second memory read, times may need
    /// parsing, property-to-property compares allocate.
    fn cost(&self) -> u32 {
        match self {
            CCond::Cmp { key, rhs, .. } => {
                let base = match key {
                    PropKey::Named(_) => 2,
                    _ => 0,
                };
                base + match rhs {
                    CRhs::Lit(l) => lit_cost(l),
                    CRhs::Prop { .. } => 8,
                }
            }
            CCond::And(parts) | CCond::Or(parts) => {
                parts.iter().map(CCond::cost).fold(0, u32::saturating_add)
            }
        }
    }

    /// Reads every property the condition names, without branching on
    /// the values. Run over a block of entities before evaluating them, it
    /// lets the CPU fetch many entities' properties from memory at once
    /// instead of one after another behind mispredicted branches.
    fn touch(&self, e: &crate::graph::Entity, acc: &mut usize) {
        match self {
            CCond::Cmp { key, .. } => {
                *acc = acc.wrapping_add(match key.read(e) {
                    PropVal::Val(_) => 1,
                    PropVal::Str(s) => s.len(),
                    PropVal::Missing => 0,
                });
            }
            CCond::And(parts) | CCond::Or(parts) => {
                for p in parts {
                    p.touch(e, acc);
                }
            }
        }
    }

    /// WITH: every property is the one entity's.
    fn eval_entity(&self, graph: &Graph, id: EntityId) -> bool {
        match self {
            CCond::Cmp { key, op, rhs, .. } => {
                let e = graph.entity(id);
                match rhs {
                    CRhs::Lit(l) => compare(key.read(e), *op, l),
                    CRhs::Prop { key: k2, .. } => {
                        compare(key.read(e), *op, &Lit::from_prop(k2.read(e)))
                    }
                }
            }
            CCond::And(parts) => parts.iter().all(|p| p.eval_entity(graph, id)),
            CCond::Or(parts) => parts.iter().any(|p| p.eval_entity(graph, id)),
        }
    }

    /// WHERE: properties name their node in the path.
    fn eval_path(&self, graph: &Graph, row: &[u32]) -> bool {
        match self {
            CCond::Cmp { node, key, op, rhs } => {
                let lhs = read_at(graph, row, *node, key);
                match rhs {
                    CRhs::Lit(l) => compare(lhs, *op, l),
                    CRhs::Prop { node: n2, key: k2 } => {
                        compare(lhs, *op, &Lit::from_prop(read_at(graph, row, *n2, k2)))
                    }
                }
            }
            CCond::And(parts) => parts.iter().all(|p| p.eval_path(graph, row)),
            CCond::Or(parts) => parts.iter().any(|p| p.eval_path(graph, row)),
        }
    }
}

fn lit_cost(l: &Lit) -> u32 {
    match l {
        Lit::Num(_) | Lit::Bool(_) | Lit::Undefined => 1,
        Lit::Str { .. } => 2,
        Lit::Time { .. } => 3,
        Lit::List(items) => items
            .iter()
            .map(lit_cost)
            .fold(0, u32::saturating_add)
            .max(1),
        Lit::AnyOf(_) => 2,
    }
}

fn compile_cheapest_first<'q>(
    parts: &'q [Cond],
    now: DateTime<Utc>,
) -> Result<Vec<CCond<'q>>, QueryError> {
    let mut out = parts
        .iter()
        .map(|p| CCond::compile(p, now))
        .collect::<Result<Vec<_>, _>>()?;
    // Stable: equal costs keep the order they were written in.
    out.sort_by_key(CCond::cost);
    Ok(out)
}

fn read_at<'g>(graph: &'g Graph, row: &[u32], node: usize, key: &PropKey<'_>) -> PropVal<'g> {
    match row.get(node) {
        Some(&id) => key.read(graph.entity(EntityId(id))),
        None => PropVal::Missing,
    }
}

fn resolve_literal(l: &Literal, now: DateTime<Utc>) -> Result<Lit, QueryError> {
    Ok(match l {
        Literal::Str(s) => Lit::string(s.clone()),
        Literal::Number(n) => Lit::Num(*n),
        Literal::Bool(b) => Lit::Bool(*b),
        Literal::Undefined => Lit::Undefined,
        Literal::List(items) => Lit::any_of(
            items
                .iter()
                .map(|i| resolve_literal(i, now))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Literal::Time(off) => Lit::time(resolve_time(*off, now)?),
    })
}

/// `date.now ± N unit`. Times past year 9999 (or before year 0) are refused:
/// Zoom writes four-digit years, and chrono's `+10000-…` form would compare
/// as text with the wrong order, silently matching nothing.
fn resolve_time(off: TimeOffset, now: DateTime<Utc>) -> Result<DateTime<Utc>, QueryError> {
    let n = off.amount;
    let at = match off.unit {
        TimeUnit::Seconds => Duration::try_seconds(n).and_then(|d| now.checked_add_signed(d)),
        TimeUnit::Minutes => Duration::try_minutes(n).and_then(|d| now.checked_add_signed(d)),
        TimeUnit::Hours => Duration::try_hours(n).and_then(|d| now.checked_add_signed(d)),
        TimeUnit::Days => Duration::try_days(n).and_then(|d| now.checked_add_signed(d)),
        TimeUnit::Weeks => Duration::try_weeks(n).and_then(|d| now.checked_add_signed(d)),
        TimeUnit::Months | TimeUnit::Years => {
            let months = if off.unit == TimeUnit::Years {
                n.checked_mul(12)
            } else {
                Some(n)
            };
            months.and_then(|months| {
                let m = Months::new(u32::try_from(months.unsigned_abs()).ok()?);
                if months < 0 {
                    now.checked_sub_months(m)
                } else {
                    now.checked_add_months(m)
                }
            })
        }
    };
    match at {
        Some(t) if (0..=9999).contains(&t.year()) => Ok(t),
        _ => Err(QueryError::OutOfRange(format!(
            "date.now {} {} {} is out of range: times must fall in the years 0 to 9999",
            if n < 0 { '-' } else { '+' },
            n.unsigned_abs(),
            off.unit.as_str()
        ))),
    }
}

/// The columns shown for a query without RETURN.
pub const ENTITY_COLUMNS: [&str; 3] = ["displayName", "_type", "_key"];

fn project(graph: &Graph, query: &Query, paths: &Paths) -> Result<QueryResult, QueryError> {
    if query
        .returns
        .iter()
        .any(|r| matches!(r.expr, ReturnExpr::Count { .. }))
    {
        return aggregate(graph, query, paths);
    }
    // Which nodes make a row distinct: FIND's without RETURN, else those
    // RETURN and ORDER BY read.
    let mut key_nodes: Vec<usize> = if query.returns.is_empty() {
        vec![0]
    } else {
        let mut v: Vec<usize> = query
            .returns
            .iter()
            .filter_map(|r| match &r.expr {
                ReturnExpr::Prop(p) => Some(p.node),
                ReturnExpr::Entity { node } => Some(*node),
                ReturnExpr::Count { .. } => None,
            })
            .collect();
        v.push(0);
        v
    };
    for o in &query.order {
        if let OrderKey::Prop(p) = &o.key {
            key_nodes.push(p.node);
        }
    }
    key_nodes.sort_unstable();
    key_nodes.dedup();

    // Distinct rows, first occurrence wins, path order kept.
    let mut chosen: Vec<&[u32]> = Vec::new();
    if key_nodes == [0] {
        let mut seen = vec![false; graph.entity_count()];
        for row in paths.rows() {
            if let Some(&id) = row.first()
                && let Some(s) = seen.get_mut(id as usize)
                && !*s
            {
                *s = true;
                chosen.push(row);
            }
        }
    } else if let [a, b] = key_nodes[..] {
        // Two nodes (the common `RETURN u.x, g.y`): a packed key, no
        // allocation per row.
        let mut seen: HashSet<u64> = HashSet::with_capacity(paths.len());
        for row in paths.rows() {
            let x = u64::from(row.get(a).copied().unwrap_or_default());
            let y = u64::from(row.get(b).copied().unwrap_or_default());
            if seen.insert((x << 32) | y) {
                chosen.push(row);
            }
        }
    } else {
        let mut seen: HashSet<Vec<u32>> = HashSet::new();
        for row in paths.rows() {
            let k: Vec<u32> = key_nodes
                .iter()
                .filter_map(|&n| row.get(n).copied())
                .collect();
            if seen.insert(k) {
                chosen.push(row);
            }
        }
    }

    // Sort before projecting, so SKIP/LIMIT avoid building unused rows.
    let rets: Vec<RetKey<'_>> = query.returns.iter().map(|r| RetKey::new(&r.expr)).collect();
    if !query.order.is_empty() {
        let order: Vec<(OrdKey<'_>, bool)> = query
            .order
            .iter()
            .map(|o| {
                let k = match &o.key {
                    OrderKey::Prop(p) => OrdKey::Prop(p.node, PropKey::new(&p.name)),
                    OrderKey::Column(i) => OrdKey::Column(*i),
                };
                (k, o.descending)
            })
            .collect();
        // One flat key table (stride = number of keys), not a Vec per row.
        let stride = order.len();
        let mut keys: Vec<SortVal<'_>> = Vec::with_capacity(chosen.len() * stride);
        for row in &chosen {
            for (k, _) in &order {
                keys.push(match k {
                    OrdKey::Prop(node, key) => SortVal::of_prop(read_at(graph, row, *node, key)),
                    OrdKey::Column(i) => column_sort_val(graph, &rets, row, *i),
                });
            }
        }
        let mut idx: Vec<usize> = (0..chosen.len()).collect();
        idx.sort_by(|&a, &b| {
            let ka = keys.get(a * stride..(a + 1) * stride).unwrap_or_default();
            let kb = keys.get(b * stride..(b + 1) * stride).unwrap_or_default();
            for ((x, y), (_, desc)) in ka.iter().zip(kb).zip(&order) {
                let ord = sort_cmp(x, y, *desc);
                if ord.is_ne() {
                    return ord;
                }
            }
            std::cmp::Ordering::Equal
        });
        chosen = idx
            .into_iter()
            .filter_map(|i| chosen.get(i).copied())
            .collect();
    }
    let chosen = page(chosen, query.skip, query.limit);

    let (kind, columns) = if query.returns.is_empty() {
        (
            ResultKind::Entities,
            ENTITY_COLUMNS.iter().map(|s| s.to_string()).collect(),
        )
    } else {
        (
            ResultKind::Returned,
            query.returns.iter().map(|r| r.label.clone()).collect(),
        )
    };
    let rows = chosen
        .into_iter()
        .map(|row| {
            let main = row.first().map(|&id| EntityId(id));
            let values = if query.returns.is_empty() {
                main.map(|id| entity_values(graph, id)).unwrap_or_default()
            } else {
                rets.iter().map(|r| return_value(graph, row, r)).collect()
            };
            ResultRow {
                entity: main,
                values,
            }
        })
        .collect();
    Ok(QueryResult {
        kind,
        columns,
        rows,
        warnings: Vec::new(),
    })
}

/// `displayName` (the entity's label), `_type`, `_key`.
fn entity_values(graph: &Graph, id: EntityId) -> Vec<Value> {
    let e = graph.entity(id);
    vec![
        Value::String(e.label().to_string()),
        Value::String(e.etype.as_str().to_string()),
        Value::String(e.key.clone()),
    ]
}

/// A RETURN item with its property key compiled once per query.
enum RetKey<'q> {
    Prop(usize, PropKey<'q>),
    Entity(usize),
    Count,
}

impl<'q> RetKey<'q> {
    fn new(e: &'q ReturnExpr) -> Self {
        match e {
            ReturnExpr::Prop(p) => RetKey::Prop(p.node, PropKey::new(&p.name)),
            ReturnExpr::Entity { node } => RetKey::Entity(*node),
            ReturnExpr::Count { .. } => RetKey::Count,
        }
    }
}

/// An ORDER BY key compiled once per query.
enum OrdKey<'q> {
    Prop(usize, PropKey<'q>),
    Column(usize),
}

fn column_sort_val<'g>(
    graph: &'g Graph,
    rets: &[RetKey<'_>],
    row: &[u32],
    col: usize,
) -> SortVal<'g> {
    match rets.get(col) {
        Some(RetKey::Prop(node, key)) => SortVal::of_prop(read_at(graph, row, *node, key)),
        Some(RetKey::Entity(node)) => match row.get(*node) {
            Some(&id) => SortVal::Str(graph.entity(EntityId(id)).label()),
            None => SortVal::Missing,
        },
        _ => SortVal::Missing,
    }
}

fn return_value(graph: &Graph, row: &[u32], r: &RetKey<'_>) -> Value {
    match r {
        RetKey::Prop(node, key) => match read_at(graph, row, *node, key) {
            PropVal::Missing => Value::Null,
            PropVal::Str(s) => Value::String(s.to_string()),
            PropVal::Val(v) => v.to_json(),
        },
        RetKey::Entity(node) => match row.get(*node) {
            Some(&id) => graph.entity(EntityId(id)).to_json(),
            None => Value::Null,
        },
        RetKey::Count => Value::Null,
    }
}

fn page<T>(v: Vec<T>, skip: Option<usize>, limit: Option<usize>) -> Vec<T> {
    let it = v.into_iter().skip(skip.unwrap_or(0));
    match limit {
        Some(n) => it.take(n).collect(),
        None => it.collect(),
    }
}

/// RETURN with COUNT: rows grouped by the other RETURN items, in order of
/// first appearance; COUNT(x) counts distinct x entities per group.
fn aggregate(graph: &Graph, query: &Query, paths: &Paths) -> Result<QueryResult, QueryError> {
    struct Group {
        values: Vec<Value>,
        counts: Vec<HashSet<u32>>,
    }
    let counts_n = query
        .returns
        .iter()
        .filter(|r| matches!(r.expr, ReturnExpr::Count { .. }))
        .count();
    let rets: Vec<RetKey<'_>> = query.returns.iter().map(|r| RetKey::new(&r.expr)).collect();
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // The group key is written into one reused buffer; it is only copied
    // when a new group starts.
    let mut key = String::new();
    for row in paths.rows() {
        key.clear();
        for r in &rets {
            let _ = match r {
                RetKey::Entity(node) => {
                    write!(key, "e{}\u{0}", row.get(*node).copied().unwrap_or(u32::MAX))
                }
                RetKey::Prop(node, k) => match read_at(graph, row, *node, k) {
                    PropVal::Missing => write!(key, "u\u{0}"),
                    PropVal::Str(s) => write!(key, "s{s}\u{0}"),
                    PropVal::Val(v) => write!(key, "j{}\u{0}", v.to_json()),
                },
                RetKey::Count => Ok(()),
            };
        }
        let gi = match index.get(key.as_str()) {
            Some(&i) => i,
            None => {
                let values = rets.iter().map(|r| return_value(graph, row, r)).collect();
                groups.push(Group {
                    values,
                    counts: vec![HashSet::new(); counts_n],
                });
                index.insert(key.clone(), groups.len() - 1);
                groups.len() - 1
            }
        };
        let Some(g) = groups.get_mut(gi) else {
            continue;
        };
        let mut c = 0;
        for r in &query.returns {
            if let ReturnExpr::Count { node } = r.expr {
                if let (Some(set), Some(&id)) = (g.counts.get_mut(c), row.get(node)) {
                    set.insert(id);
                }
                c += 1;
            }
        }
    }
    // COUNT alone over no paths is one row with 0, as SQL's count(*).
    let only_counts = query
        .returns
        .iter()
        .all(|r| matches!(r.expr, ReturnExpr::Count { .. }));
    if groups.is_empty() && only_counts {
        groups.push(Group {
            values: vec![Value::Null; query.returns.len()],
            counts: vec![HashSet::new(); counts_n],
        });
    }
    let mut rows: Vec<Vec<Value>> = groups
        .into_iter()
        .map(|g| {
            let mut c = 0;
            query
                .returns
                .iter()
                .zip(g.values)
                .map(|(r, v)| {
                    if matches!(r.expr, ReturnExpr::Count { .. }) {
                        let n = g.counts.get(c).map_or(0, HashSet::len);
                        c += 1;
                        Value::from(n)
                    } else {
                        v
                    }
                })
                .collect()
        })
        .collect();

    if !query.order.is_empty() {
        let mut cols = Vec::new();
        for o in &query.order {
            let col = match &o.key {
                OrderKey::Column(i) => Some(*i),
                OrderKey::Prop(p) => query.returns.iter().position(
                    |r| matches!(&r.expr, ReturnExpr::Prop(q) if q.node == p.node && q.name == p.name),
                ),
            };
            let Some(col) = col else {
                return Err(QueryError::Unsupported(
                    "with COUNT, ORDER BY must name a RETURN column (its label or expression)"
                        .into(),
                ));
            };
            cols.push((col, o.descending));
        }
        rows.sort_by(|a, b| {
            for &(col, desc) in &cols {
                let x = a.get(col).map_or(SortVal::Missing, SortVal::of_json);
                let y = b.get(col).map_or(SortVal::Missing, SortVal::of_json);
                let ord = sort_cmp(&x, &y, desc);
                if ord.is_ne() {
                    return ord;
                }
            }
            std::cmp::Ordering::Equal
        });
    }
    let rows = page(rows, query.skip, query.limit)
        .into_iter()
        .map(|values| ResultRow {
            entity: None,
            values,
        })
        .collect();
    Ok(QueryResult {
        kind: ResultKind::Returned,
        columns: query.returns.iter().map(|r| r.label.clone()).collect(),
        rows,
        warnings: Vec::new(),
    })
}
