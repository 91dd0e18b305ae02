//! Hand-written recursive-descent parser for the J1QL subset (grammar in
//! GRAMMAR.md). Keywords are matched case-insensitively; names (types,
//! classes, properties, aliases) are case-sensitive, as in J1QL.

use super::ast::*;
use super::error::ParseError;
use super::lexer::{CmpOp, Span, Tok, Token, lex};

/// Parentheses deeper than this are refused, so that hostile input cannot
/// exhaust the stack (parentheses are the only recursion in the parser, and
/// AND/OR chains are flat, so this bounds the depth of every condition).
pub const MAX_DEPTH: usize = 64;

/// Comparisons beyond this many in one query are refused: no real question
/// needs them, and a bound keeps parsing, planning and evaluating a pasted
/// or generated query cheap. (A long `IN` list is one comparison.)
pub const MAX_COMPARISONS: usize = 1_000;

/// Words that end a clause, so they cannot be aliases or selector names.
const RESERVED: &[&str] = &[
    "FIND", "WITH", "AS", "THAT", "WHERE", "RETURN", "ORDER", "BY", "SKIP", "LIMIT", "AND", "OR",
    "ASC", "DESC",
];

const AFTER_NODE: &str =
    "AS, WITH, AND, OR, THAT, WHERE, RETURN, ORDER BY, SKIP, LIMIT or the end of the query";

/// Parses a query.
pub fn parse(src: &str) -> Result<Query, ParseError> {
    let mut p = Parser {
        src,
        toks: lex(src),
        pos: 0,
        explicit: Vec::new(),
        implicit: Vec::new(),
        depth: 0,
        comparisons: 0,
    };
    p.query()
}

struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    pos: usize,
    /// Aliases given with AS: (name, node index).
    explicit: Vec<(String, usize)>,
    /// Selector names usable as aliases when no AS was given (J1QL allows
    /// `FIND User THAT IS Person RETURN User.name, Person.email`).
    implicit: Vec<(String, usize)>,
    depth: usize,
    /// Comparisons read so far, against [`MAX_COMPARISONS`].
    comparisons: usize,
}

/// Where a comparison sits: WITH filters one entity by bare property names;
/// WHERE compares `alias.prop` across the path.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    With,
    Where,
}

/// An ORDER BY key before RETURN labels are known.
enum RawOrderKey {
    Label(String, Span),
    Name(String, Span),
}

impl<'a> Parser<'a> {
    fn peek(&self) -> &Token {
        // The token list always ends with Eof and `pos` never passes it.
        &self.toks[self.pos.min(self.toks.len() - 1)]
    }

    fn peek_at(&self, n: usize) -> &Tok {
        &self.toks[(self.pos + n).min(self.toks.len() - 1)].tok
    }

    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn span(&self) -> Span {
        self.peek().span
    }

    fn prev_span(&self) -> Span {
        self.toks[self.pos.saturating_sub(1)].span
    }

    fn is_kw(&self, kw: &str) -> bool {
        matches!(&self.peek().tok, Tok::Ident(s) if s.eq_ignore_ascii_case(kw))
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        if self.is_kw(kw) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn err_expected(&self, expected: &str) -> ParseError {
        let t = self.peek();
        ParseError::at(
            self.src,
            t.span,
            expected,
            format!("expected {expected}, found {}", self.describe(t)),
        )
    }

    /// How a token reads in a message. Numbers are quoted as written: the
    /// lexer's f64 would print `18446744073709551615` as
    /// `18446744073709552000`.
    fn describe(&self, t: &Token) -> String {
        match (&t.tok, self.src.get(t.span.start..t.span.end)) {
            (Tok::Number(_), Some(text)) => format!("the number {text}"),
            (tok, _) => tok.describe(),
        }
    }

    fn err_at(&self, span: Span, message: String) -> ParseError {
        ParseError::at(self.src, span, "", message)
    }

    fn expect_kw(&mut self, kw: &str) -> Result<Span, ParseError> {
        if self.is_kw(kw) {
            Ok(self.bump().span)
        } else {
            Err(self.err_expected(&format!("`{kw}`")))
        }
    }

    fn expect(&mut self, tok: Tok, what: &str) -> Result<Span, ParseError> {
        if self.peek().tok == tok {
            Ok(self.bump().span)
        } else {
            Err(self.err_expected(what))
        }
    }

    fn query(&mut self) -> Result<Query, ParseError> {
        self.expect_kw("FIND")?;
        let find = self.node(false)?;
        let mut aliases = vec![find.alias.clone()];
        self.declare(&find, 0)?;
        let mut hops = Vec::new();
        while self.is_kw("THAT") {
            let start = self.bump().span;
            let negated = if self.peek().tok == Tok::Bang {
                self.bump();
                true
            } else {
                false
            };
            let verbs = self.verbs()?;
            let target = self.node(true)?;
            if !negated {
                let idx = aliases.len();
                aliases.push(target.alias.clone());
                self.declare(&target, idx)?;
            } else if let Some(a) = &target.alias {
                return Err(self.err_at(
                    target.span,
                    format!(
                        "alias `{a}` names a relationship that must not exist (`THAT !…`), so it can never be returned; remove `AS {a}`"
                    ),
                ));
            }
            let span = start.to(self.prev_span());
            hops.push(Hop {
                negated,
                verbs,
                target,
                span,
            });
        }
        let where_ = if self.eat_kw("WHERE") {
            Some(self.cond(Scope::Where)?)
        } else {
            None
        };

        let mut returns: Option<Vec<ReturnItem>> = None;
        let mut raw_order: Option<Vec<(RawOrderKey, bool)>> = None;
        let mut skip = None;
        let mut limit = None;
        loop {
            if returns.is_none() && self.is_kw("RETURN") {
                self.bump();
                returns = Some(self.returns()?);
            } else if raw_order.is_none() && self.is_kw("ORDER") {
                self.bump();
                self.expect_kw("BY")?;
                raw_order = Some(self.order_items()?);
            } else if skip.is_none() && self.is_kw("SKIP") {
                self.bump();
                skip = Some(self.count_number("a number of rows to skip")?);
            } else if limit.is_none() && self.is_kw("LIMIT") {
                self.bump();
                limit = Some(self.count_number("a number of rows")?);
            } else {
                break;
            }
        }
        if self.peek().tok != Tok::Eof {
            let tail_started =
                returns.is_some() || raw_order.is_some() || skip.is_some() || limit.is_some();
            let expected = match (&where_, tail_started) {
                (None, false) => AFTER_NODE,
                (Some(_), false) => {
                    "AND, OR, RETURN, ORDER BY, SKIP, LIMIT or the end of the query"
                }
                _ => "`,`, RETURN, ORDER BY, SKIP, LIMIT or the end of the query",
            };
            return Err(self.err_expected(expected));
        }
        let returns = returns.unwrap_or_default();
        let mut order = Vec::new();
        for (key, descending) in raw_order.unwrap_or_default() {
            order.push(OrderItem {
                key: self.resolve_order_key(key, &returns)?,
                descending,
            });
        }
        Ok(Query {
            find,
            hops,
            aliases,
            where_,
            returns,
            order,
            skip,
            limit,
        })
    }

    /// Registers a node's alias (and its selector name as an implicit one).
    fn declare(&mut self, node: &Node, idx: usize) -> Result<(), ParseError> {
        if let Some(a) = &node.alias {
            if self.explicit.iter().any(|(n, _)| n == a) {
                return Err(self.err_at(node.span, format!("alias `{a}` is used twice")));
            }
            self.explicit.push((a.clone(), idx));
        } else if let Selector::Names(names) = &node.selector
            && let [name] = names.as_slice()
        {
            self.implicit.push((name.clone(), idx));
        }
        Ok(())
    }

    fn resolve_alias(&self, name: &str, span: Span) -> Result<usize, ParseError> {
        if let Some((_, i)) = self.explicit.iter().find(|(n, _)| n == name) {
            return Ok(*i);
        }
        let mut hits = self.implicit.iter().filter(|(n, _)| n == name);
        match (hits.next(), hits.next()) {
            (Some((_, i)), None) => Ok(*i),
            (Some(_), Some(_)) => Err(self.err_at(
                span,
                format!(
                    "`{name}` names more than one step of the query; give each an alias with AS"
                ),
            )),
            _ => {
                let known: Vec<&str> = self
                    .explicit
                    .iter()
                    .chain(self.implicit.iter())
                    .map(|(n, _)| n.as_str())
                    .collect();
                let known = if known.is_empty() {
                    "none; add one with `FIND zoom_user AS u`".to_string()
                } else {
                    known.join(", ")
                };
                Err(ParseError::at(
                    self.src,
                    span,
                    "an alias",
                    format!(
                        "unknown alias `{name}` (aliases here: {known}; a property is written alias.property)"
                    ),
                ))
            }
        }
    }

    /// selector [AS alias] [WITH cond] (AS and WITH in either order).
    fn node(&mut self, optional: bool) -> Result<Node, ParseError> {
        let start = self.span();
        let selector = match &self.peek().tok {
            Tok::Star => {
                self.bump();
                Selector::Any
            }
            Tok::LParen => {
                self.bump();
                let mut names = vec![self.name("an entity _type or _class")?];
                while self.peek().tok == Tok::Pipe {
                    self.bump();
                    names.push(self.name("an entity _type or _class")?);
                }
                self.expect(Tok::RParen, "`|` or `)`")?;
                Selector::Names(names)
            }
            Tok::Ident(s) if !is_reserved(s) => {
                let s = s.clone();
                self.bump();
                Selector::Names(vec![s])
            }
            _ if optional => Selector::Any,
            _ => {
                return Err(self.err_expected(
                    "an entity _type (zoom_user), _class (User), `*` or a list (zoom_user|Person)",
                ));
            }
        };
        let mut alias = None;
        let mut filter = None;
        loop {
            if alias.is_none() && self.is_kw("AS") {
                self.bump();
                alias = Some(self.alias_name()?);
            } else if filter.is_none() && self.is_kw("WITH") {
                self.bump();
                filter = Some(self.cond(Scope::With)?);
            } else {
                break;
            }
        }
        let end = if self.pos == 0 {
            start
        } else {
            self.prev_span()
        };
        Ok(Node {
            selector,
            alias,
            filter,
            span: start.to(end),
        })
    }

    fn name(&mut self, what: &str) -> Result<String, ParseError> {
        match &self.peek().tok {
            Tok::Ident(s) if !is_reserved(s) => {
                let s = s.clone();
                self.bump();
                Ok(s)
            }
            _ => Err(self.err_expected(what)),
        }
    }

    fn alias_name(&mut self) -> Result<String, ParseError> {
        match &self.peek().tok {
            Tok::Ident(s) if !is_reserved(s) && !s.contains('.') => {
                let s = s.clone();
                self.bump();
                Ok(s)
            }
            _ => Err(self.err_expected("an alias name (letters, digits, `_`)")),
        }
    }

    /// VERB or (VERB|VERB…).
    fn verbs(&mut self) -> Result<Vec<Verb>, ParseError> {
        if self.peek().tok == Tok::LParen {
            self.bump();
            let mut v = vec![self.verb()?];
            while self.peek().tok == Tok::Pipe {
                self.bump();
                v.push(self.verb()?);
            }
            self.expect(Tok::RParen, "`|` or `)`")?;
            Ok(v)
        } else {
            Ok(vec![self.verb()?])
        }
    }

    fn verb(&mut self) -> Result<Verb, ParseError> {
        const WANT: &str = "a relationship verb (HAS, ASSIGNED, IS, MANAGES or RELATES TO)";
        let v = match &self.peek().tok {
            Tok::Ident(s) => match s.to_ascii_uppercase().as_str() {
                "HAS" => Verb::Has,
                "ASSIGNED" => Verb::Assigned,
                "IS" => Verb::Is,
                "MANAGES" => Verb::Manages,
                "RELATES" => {
                    self.bump();
                    self.expect_kw("TO")?;
                    return Ok(Verb::RelatesTo);
                }
                _ => return Err(self.err_expected(WANT)),
            },
            _ => return Err(self.err_expected(WANT)),
        };
        self.bump();
        Ok(v)
    }

    // cond := and { OR and } ; and := atom { AND atom } ; atom := ( cond ) | cmp
    // Chains are read in loops into flat n-ary nodes (see `Cond::And`).
    fn cond(&mut self, scope: Scope) -> Result<Cond, ParseError> {
        let mut parts = vec![self.and(scope)?];
        while self.eat_kw("OR") {
            parts.push(self.and(scope)?);
        }
        Ok(flatten(parts, Cond::Or))
    }

    fn and(&mut self, scope: Scope) -> Result<Cond, ParseError> {
        let mut parts = vec![self.atom(scope)?];
        while self.eat_kw("AND") {
            parts.push(self.atom(scope)?);
        }
        Ok(flatten(parts, Cond::And))
    }

    fn atom(&mut self, scope: Scope) -> Result<Cond, ParseError> {
        if self.peek().tok == Tok::LParen {
            if self.depth >= MAX_DEPTH {
                return Err(self.err_at(
                    self.span(),
                    format!("parentheses nested deeper than {MAX_DEPTH}"),
                ));
            }
            self.bump();
            self.depth += 1;
            let c = self.cond(scope);
            self.depth -= 1;
            let c = c?;
            self.expect(Tok::RParen, "AND, OR or `)`")?;
            return Ok(c);
        }
        if self.comparisons >= MAX_COMPARISONS {
            return Err(self.err_at(
                self.span(),
                format!(
                    "the query holds more than {MAX_COMPARISONS} comparisons; split it, or use a list (`status = ['a', 'b']`)"
                ),
            ));
        }
        self.comparisons += 1;
        self.comparison(scope)
    }

    fn comparison(&mut self, scope: Scope) -> Result<Cond, ParseError> {
        let start = self.span();
        let prop = match scope {
            Scope::With => {
                let name = self.name("a property name (e.g. email, tag.AccountName, _type)")?;
                PropRef {
                    node: 0,
                    name,
                    span: start,
                }
            }
            Scope::Where => self.alias_prop("alias.property (e.g. u.email)")?,
        };
        let op = match self.peek().tok {
            Tok::Cmp(op) => {
                self.bump();
                op
            }
            _ => {
                return Err(self.err_expected(
                    "a comparison operator (=, !=, <, <=, >, >=, ~=, ^=, $=, !~=, !^=, !$=)",
                ));
            }
        };
        let rhs = match (&self.peek().tok, scope) {
            (Tok::Ident(s), Scope::Where)
                if s.contains('.') && !s.eq_ignore_ascii_case("date.now") =>
            {
                Operand::Prop(self.alias_prop("alias.property")?)
            }
            _ => Operand::Literal(self.literal(true)?),
        };
        let span = start.to(self.prev_span());
        if let (Operand::Literal(Literal::Undefined), op) = (&rhs, op)
            && !matches!(op, CmpOp::Eq | CmpOp::Ne)
        {
            return Err(self.err_at(
                span,
                format!(
                    "`{}` cannot compare with undefined; use `= undefined` or `!= undefined`",
                    op.as_str()
                ),
            ));
        }
        Ok(Cond::Cmp {
            prop,
            op,
            rhs,
            span,
        })
    }

    /// `alias.prop` where alias is known; the property may itself hold dots
    /// (`u.tag.AccountName`).
    fn alias_prop(&mut self, what: &str) -> Result<PropRef, ParseError> {
        let t = self.peek().clone();
        let Tok::Ident(s) = &t.tok else {
            return Err(self.err_expected(what));
        };
        if is_reserved(s) {
            return Err(self.err_expected(what));
        }
        let Some((alias, prop)) = s.split_once('.') else {
            return Err(ParseError::at(
                self.src,
                t.span,
                what,
                format!("expected {what}, found `{s}` (name the alias: `x.{s}`)"),
            ));
        };
        if prop.is_empty() {
            return Err(ParseError::at(
                self.src,
                t.span,
                "a property name after the dot",
                format!("expected a property name after `{alias}.`"),
            ));
        }
        let node =
            self.resolve_alias(alias, Span::new(t.span.start, t.span.start + alias.len()))?;
        self.bump();
        Ok(PropRef {
            node,
            name: prop.to_string(),
            span: t.span,
        })
    }

    fn literal(&mut self, allow_list: bool) -> Result<Literal, ParseError> {
        const WANT: &str =
            "a value ('text', a number, true, false, undefined, date.now - 90 days or ['a', 'b'])";
        let t = self.peek().clone();
        match &t.tok {
            Tok::Str(s) => {
                self.bump();
                Ok(Literal::Str(s.clone()))
            }
            Tok::UnterminatedStr => Err(ParseError::at(
                self.src,
                Span::new(t.span.start, t.span.start + 1),
                "a closing quote",
                "this string has no closing quote".into(),
            )),
            Tok::Number(n) => {
                self.bump();
                Ok(Literal::Number(*n))
            }
            Tok::Minus if matches!(self.peek_at(1), Tok::Number(_)) => {
                self.bump();
                match self.bump().tok {
                    Tok::Number(n) => Ok(Literal::Number(-n)),
                    _ => Err(self.err_expected(WANT)),
                }
            }
            Tok::LBracket if allow_list => {
                self.bump();
                let mut items = vec![self.literal(false)?];
                while self.peek().tok == Tok::Comma {
                    self.bump();
                    items.push(self.literal(false)?);
                }
                self.expect(Tok::RBracket, "`,` or `]`")?;
                Ok(Literal::List(items))
            }
            Tok::Ident(s) => {
                let lower = s.to_ascii_lowercase();
                let lit = match lower.as_str() {
                    "true" => Literal::Bool(true),
                    "false" => Literal::Bool(false),
                    "undefined" => Literal::Undefined,
                    "date.now" => {
                        self.bump();
                        return self.time_offset();
                    }
                    _ => return Err(self.err_expected(WANT)),
                };
                self.bump();
                Ok(lit)
            }
            _ => Err(self.err_expected(WANT)),
        }
    }

    /// After `date.now`: optional `± N unit`.
    fn time_offset(&mut self) -> Result<Literal, ParseError> {
        let sign = match self.peek().tok {
            Tok::Minus => -1,
            Tok::Plus => 1,
            _ => {
                return Ok(Literal::Time(TimeOffset {
                    amount: 0,
                    unit: TimeUnit::Seconds,
                }));
            }
        };
        self.bump();
        let n = match self.peek().tok {
            Tok::Number(n) if n.fract() == 0.0 && n <= 1.0e6 => n as i64,
            _ => {
                return Err(
                    self.err_expected("a whole number (at most 1000000), as in date.now - 90 days")
                );
            }
        };
        self.bump();
        let unit = match &self.peek().tok {
            Tok::Ident(u) => match u.to_ascii_lowercase().trim_end_matches('s') {
                "second" | "sec" => TimeUnit::Seconds,
                "minute" | "min" => TimeUnit::Minutes,
                "hour" | "hr" => TimeUnit::Hours,
                "day" => TimeUnit::Days,
                "week" => TimeUnit::Weeks,
                "month" => TimeUnit::Months,
                "year" => TimeUnit::Years,
                _ => {
                    return Err(self.err_expected(
                        "a time unit (seconds, minutes, hours, days, weeks, months, years)",
                    ));
                }
            },
            _ => {
                return Err(self.err_expected(
                    "a time unit (seconds, minutes, hours, days, weeks, months, years)",
                ));
            }
        };
        self.bump();
        Ok(Literal::Time(TimeOffset {
            amount: sign * n,
            unit,
        }))
    }

    fn returns(&mut self) -> Result<Vec<ReturnItem>, ParseError> {
        let mut items: Vec<ReturnItem> = Vec::new();
        loop {
            let start = self.span();
            let (expr, default_label) = self.return_expr()?;
            let label = if self.eat_kw("AS") {
                match self.bump().tok {
                    Tok::Str(s) => s,
                    Tok::Ident(s) if !is_reserved(&s) => s,
                    _ => {
                        self.pos = self.pos.saturating_sub(1);
                        return Err(self.err_expected("a label (\"Name\" or a word)"));
                    }
                }
            } else {
                default_label
            };
            let span = start.to(self.prev_span());
            if items.iter().any(|i| i.label == label) {
                return Err(self.err_at(
                    span,
                    format!(
                        "the column `{label}` is returned twice; give one a label with AS \"…\""
                    ),
                ));
            }
            items.push(ReturnItem { expr, label, span });
            if self.peek().tok == Tok::Comma {
                self.bump();
            } else {
                return Ok(items);
            }
        }
    }

    fn return_expr(&mut self) -> Result<(ReturnExpr, String), ParseError> {
        const WANT: &str = "alias.property, an alias or COUNT(alias)";
        let t = self.peek().clone();
        let Tok::Ident(s) = &t.tok else {
            return Err(self.err_expected(WANT));
        };
        if is_reserved(s) {
            return Err(self.err_expected(WANT));
        }
        if s.eq_ignore_ascii_case("count") && *self.peek_at(1) == Tok::LParen {
            self.bump();
            self.bump();
            let a = self.peek().clone();
            let name = self.alias_name()?;
            let node = self.resolve_alias(&name, a.span)?;
            self.expect(Tok::RParen, "`)`")?;
            return Ok((ReturnExpr::Count { node }, "count".into()));
        }
        if s.contains('.') {
            let p = self.alias_prop(WANT)?;
            return Ok((ReturnExpr::Prop(p), s.clone()));
        }
        let node = self.resolve_alias(s, t.span)?;
        self.bump();
        Ok((ReturnExpr::Entity { node }, s.clone()))
    }

    fn order_items(&mut self) -> Result<Vec<(RawOrderKey, bool)>, ParseError> {
        let mut out = Vec::new();
        loop {
            let t = self.bump();
            let key = match t.tok {
                Tok::Str(s) => RawOrderKey::Label(s, t.span),
                Tok::Ident(s) if !is_reserved(&s) => RawOrderKey::Name(s, t.span),
                _ => {
                    self.pos = self.pos.saturating_sub(1);
                    return Err(self.err_expected("alias.property or a RETURN label to sort by"));
                }
            };
            let descending = if self.eat_kw("DESC") {
                true
            } else {
                self.eat_kw("ASC");
                false
            };
            out.push((key, descending));
            if self.peek().tok == Tok::Comma {
                self.bump();
            } else {
                return Ok(out);
            }
        }
    }

    fn resolve_order_key(
        &self,
        key: RawOrderKey,
        returns: &[ReturnItem],
    ) -> Result<OrderKey, ParseError> {
        match key {
            RawOrderKey::Label(l, span) => returns
                .iter()
                .position(|r| r.label == l)
                .map(OrderKey::Column)
                .ok_or_else(|| {
                    ParseError::at(
                        self.src,
                        span,
                        "a RETURN label",
                        format!("no RETURN column is labelled \"{l}\""),
                    )
                }),
            RawOrderKey::Name(n, span) => {
                if let Some(i) = returns.iter().position(|r| r.label == n) {
                    return Ok(OrderKey::Column(i));
                }
                if let Some((alias, prop)) = n.split_once('.')
                    && !prop.is_empty()
                    && let Ok(node) = self.resolve_alias(alias, span)
                {
                    return Ok(OrderKey::Prop(PropRef {
                        node,
                        name: prop.to_string(),
                        span,
                    }));
                }
                // A bare property sorts by the FIND node, as J1QL's
                // `FIND User ORDER BY name` does.
                Ok(OrderKey::Prop(PropRef {
                    node: 0,
                    name: n,
                    span,
                }))
            }
        }
    }

    fn count_number(&mut self, what: &str) -> Result<usize, ParseError> {
        /// More rows than any account holds; larger counts are refused
        /// rather than rounded.
        const MAX_COUNT: usize = 1_000_000_000_000;
        let t = self.peek().clone();
        let text = self.src.get(t.span.start..t.span.end).unwrap_or_default();
        match t.tok {
            // Read from the source text, not the f64, so that the count is
            // exact and the message quotes what was written.
            Tok::Number(_) if text.bytes().all(|b| b.is_ascii_digit()) => {
                match text.parse::<usize>() {
                    Ok(n) if n <= MAX_COUNT => {
                        self.bump();
                        Ok(n)
                    }
                    _ => Err(self.err_at(
                        t.span,
                        format!("{what} must be at most {MAX_COUNT}, found {text}"),
                    )),
                }
            }
            _ => Err(self.err_expected(&format!("{what} (a whole number)"))),
        }
    }
}

/// One part stays itself; several become one n-ary node. A part that is
/// already the same connective (`a AND (b AND c)`) is merged into it, so
/// nesting only grows where the connective changes.
fn flatten(mut parts: Vec<Cond>, make: fn(Vec<Cond>) -> Cond) -> Cond {
    if parts.len() == 1
        && let Some(only) = parts.pop()
    {
        return only;
    }
    let is_and = matches!(make(Vec::new()), Cond::And(_));
    let mut flat = Vec::with_capacity(parts.len());
    for p in parts {
        match p {
            Cond::And(inner) if is_and => flat.extend(inner),
            Cond::Or(inner) if !is_and => flat.extend(inner),
            other => flat.push(other),
        }
    }
    make(flat)
}

fn is_reserved(s: &str) -> bool {
    RESERVED.iter().any(|k| k.eq_ignore_ascii_case(s))
}
