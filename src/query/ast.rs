//! The parsed form of a query. Every part that an error could point at keeps
//! its [`Span`].

use super::lexer::{CmpOp, Span};

/// Which entities a selector names: `zoom_user`, `User`, `*` or
/// `(zoom_user|Person)`. Names are kept as written; an unknown `_type` or
/// `_class` matches nothing (as in J1QL, where it is simply absent).
#[derive(Debug, Clone, PartialEq)]
pub enum Selector {
    Any,
    Names(Vec<String>),
}

/// One node of the path: the FIND target or a hop's target.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub selector: Selector,
    pub alias: Option<String>,
    pub filter: Option<Cond>,
    pub span: Span,
}

/// A relationship verb after `THAT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Has,
    Assigned,
    Is,
    Manages,
    /// `RELATES TO`: any relationship class.
    RelatesTo,
}

impl Verb {}

/// `THAT [!]VERB target`.
#[derive(Debug, Clone, PartialEq)]
pub struct Hop {
    /// `THAT !HAS …`: the previous node has no such relationship.
    pub negated: bool,
    /// One or more verbs (`(HAS|ASSIGNED)` lists several).
    pub verbs: Vec<Verb>,
    pub target: Node,
    pub span: Span,
}

/// A literal on the right of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Str(String),
    Number(f64),
    Bool(bool),
    Undefined,
    /// `date.now [± N unit]`, resolved against `now` when the query runs.
    Time(TimeOffset),
    List(Vec<Literal>),
}

/// A signed offset from `date.now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeOffset {
    pub amount: i64,
    pub unit: TimeUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    Seconds,
    Minutes,
    Hours,
    Days,
    Weeks,
    /// Calendar months.
    Months,
    /// Calendar years.
    Years,
}

impl TimeUnit {
    /// The unit as written in a query (plural).
    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Seconds => "seconds",
            TimeUnit::Minutes => "minutes",
            TimeUnit::Hours => "hours",
            TimeUnit::Days => "days",
            TimeUnit::Weeks => "weeks",
            TimeUnit::Months => "months",
            TimeUnit::Years => "years",
        }
    }
}

/// A property reference: `name` inside WITH (alias = the node being
/// filtered), `alias.name` inside WHERE / RETURN / ORDER BY.
#[derive(Debug, Clone, PartialEq)]
pub struct PropRef {
    /// Index of the alias's node in the path (0 = FIND).
    pub node: usize,
    pub name: String,
    pub span: Span,
}

/// The right side of a comparison: a literal, or (in WHERE) another property.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Literal(Literal),
    Prop(PropRef),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    Cmp {
        prop: PropRef,
        op: CmpOp,
        rhs: Operand,
        span: Span,
    },
    /// All of these hold. A chain `a AND b AND c` is one node with three
    /// parts, not a nested tree, so that a chain of any length is as deep
    /// as one term: nothing that walks a condition recurses per term.
    And(Vec<Cond>),
    /// Any of these holds; flat like [`Cond::And`].
    Or(Vec<Cond>),
}

impl Cond {
    /// Every comparison in the condition, in source order.
    pub fn comparisons(&self) -> Vec<&Cond> {
        // An explicit stack: depth is bounded by the parser, but walking
        // without recursion costs nothing and holds for any tree.
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(c) = stack.pop() {
            match c {
                Cond::Cmp { .. } => out.push(c),
                Cond::And(parts) | Cond::Or(parts) => stack.extend(parts.iter().rev()),
            }
        }
        out
    }
}

/// One RETURN item.
#[derive(Debug, Clone, PartialEq)]
pub enum ReturnExpr {
    /// `alias.prop`
    Prop(PropRef),
    /// `alias`: the whole entity.
    Entity { node: usize },
    /// `COUNT(alias)`: distinct entities of that alias (per group).
    Count { node: usize },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReturnItem {
    pub expr: ReturnExpr,
    /// The column label: `AS "Label"`, else the expression text
    /// (`zu.displayName`, `zu`), and `count` for COUNT.
    pub label: String,
    pub span: Span,
}

/// An ORDER BY key.
#[derive(Debug, Clone, PartialEq)]
pub enum OrderKey {
    /// `alias.prop` (or a bare property of the FIND node).
    Prop(PropRef),
    /// A RETURN label (`ORDER BY "Users" DESC`), index into the columns.
    Column(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderItem {
    pub key: OrderKey,
    pub descending: bool,
}

/// A whole query.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Node 0 is the FIND target; each positive hop adds the next node.
    /// Negated hops keep their target here too (it is never bound).
    pub find: Node,
    pub hops: Vec<Hop>,
    /// Alias names by node index (node 0 = FIND, then positive hops in
    /// order). Negated hops' targets have no node.
    pub aliases: Vec<Option<String>>,
    pub where_: Option<Cond>,
    pub returns: Vec<ReturnItem>,
    pub order: Vec<OrderItem>,
    pub skip: Option<usize>,
    pub limit: Option<usize>,
}

impl Query {}
