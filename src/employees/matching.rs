//! Matching Zoom users to roster employees.
//!
//! Order (strongest evidence first; a pair settled by one rule is never
//! reconsidered by a weaker one):
//! 1. manual `link` decisions (and `unlink`s forbid a pair everywhere below);
//! 2. Zoom `employeeUniqueId` = the roster's employee_unique_id / employee_id;
//! 3. e-mail, trimmed and lower-cased;
//! 4. e-mail with alias domains folded (corp.io = corp.com);
//! 5. an e-mail the roster lists as secondary (personal, aliases).
//!
//! At each rule, candidate pairs are grouped into connected components: a
//! component of exactly one user and one employee is a match; anything larger
//! (one user, two employees with the same address; two Zoom users for one
//! employee id) is *ambiguous* and left for a human. Everything is hash
//! lookups, so 100,000 × 100,000 runs in well under a second. Name
//! similarity is only ever a *suggestion* for rows that stayed unmatched,
//! found through blocking keys (full name, last name + initial, e-mail local
//! part), never by comparing every pair.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::graph::{EntityId, EntityType, Graph, normalize_email};

use super::roster::Employee;
use super::storage::{Decision, DecisionKind};

/// The Fx hash (as in rustc): a multiply-rotate per 8 bytes, several times
/// faster than SipHash on short keys like e-mails and ids. Matching hashes
/// each key a handful of times for 200,000 rows, which is where SipHash cost
/// showed in the benchmark. Not DoS-resistant; the keys come from the admin's
/// own roster and Zoom account.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // Fx leaves the low bits weak, and hashbrown picks buckets from the
        // low bits: finish with murmur3's avalanche so similar keys
        // (user1@…, user2@…) spread out.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

fn fx_map<K, V>(capacity: usize) -> FxMap<K, V> {
    FxMap::with_capacity_and_hasher(capacity, BuildHasherDefault::default())
}

/// How a pair was matched (the `matchedBy` property of the IS relationship).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    Manual,
    EmployeeUniqueId,
    Email,
    AliasDomain,
    OtherEmail,
}

impl MatchedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedBy::Manual => "manual",
            MatchedBy::EmployeeUniqueId => "employee_unique_id",
            MatchedBy::Email => "email",
            MatchedBy::AliasDomain => "alias_domain",
            MatchedBy::OtherEmail => "other_email",
        }
    }
}

/// Domains that are the same mailbox namespace (corp.com = corp.io). Every
/// domain of a group folds to the group's first domain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AliasDomains(HashMap<String, String>);

impl AliasDomains {
    pub fn new<G, S>(groups: G) -> Self
    where
        G: IntoIterator,
        G::Item: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut map = HashMap::new();
        for group in groups {
            let mut canonical: Option<String> = None;
            for d in group {
                let d = d.as_ref().trim().trim_start_matches('@').to_lowercase();
                if d.is_empty() {
                    continue;
                }
                let c = canonical.get_or_insert_with(|| d.clone()).clone();
                map.insert(d, c);
            }
        }
        AliasDomains(map)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds groups (e.g. those stored with a roster); domains already mapped
    /// keep their mapping.
    pub fn extend<G, S>(&mut self, groups: G)
    where
        G: IntoIterator,
        G::Item: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for (d, c) in AliasDomains::new(groups).0 {
            self.0.entry(d).or_insert(c);
        }
    }

    /// The address with its domain folded; `email` must already be normalised.
    pub fn fold<'a>(&self, email: &'a str) -> Cow<'a, str> {
        if let Some((local, domain)) = email.rsplit_once('@')
            && let Some(c) = self.0.get(domain)
            && c != domain
        {
            return Cow::Owned(format!("{local}@{c}"));
        }
        Cow::Borrowed(email)
    }
}

/// What matching needs besides the graph and the roster.
#[derive(Debug, Clone)]
pub struct MatchOptions {
    pub alias_domains: AliasDomains,
    /// "Today", for termination dates (a past one means terminated).
    pub today: NaiveDate,
}

impl MatchOptions {
    pub fn new(today: NaiveDate) -> Self {
        MatchOptions {
            alias_domains: AliasDomains::default(),
            today,
        }
    }
}

/// The Zoom-side facts matching uses, borrowed from the graph (no copies:
/// 100,000 users are read on every report).
#[derive(Debug, Clone)]
pub struct ZoomUser<'g> {
    pub entity: EntityId,
    pub key: &'g str,
    /// Normalised (trimmed, lower-cased); empty when the user has none.
    pub email: Cow<'g, str>,
    pub unique_id: Option<&'g str>,
    /// Zoom `status` (`active`, `inactive`, `pending`).
    pub status: Option<&'g str>,
    pub name: Option<&'g str>,
    pub first_name: Option<&'g str>,
    pub last_name: Option<&'g str>,
}

impl<'g> ZoomUser<'g> {
    /// Whether the Zoom account can still sign in (`status` active).
    pub fn is_active(&self) -> bool {
        self.status == Some("active")
    }

    /// Invited and not yet joined: the invite can still be accepted.
    pub fn is_pending(&self) -> bool {
        self.status == Some("pending")
    }

    /// All `zoom_user` entities of a graph.
    pub fn from_graph(graph: &'g Graph) -> Vec<ZoomUser<'g>> {
        graph
            .of_type(EntityType::User)
            .iter()
            .map(|&id| {
                let e = graph.entity(id);
                let s = |p: &str| e.props.str(p).map(str::trim).filter(|v| !v.is_empty());
                let status = s("status").or_else(|| {
                    e.props
                        .get("active")
                        .and_then(|v| v.as_bool())
                        .map(|a| if a { "active" } else { "inactive" })
                });
                ZoomUser {
                    entity: id,
                    key: e.key.as_str(),
                    email: e.props.str("email").map(normalized).unwrap_or_default(),
                    unique_id: s("employeeUniqueId"),
                    status,
                    name: s("displayName").or_else(|| s("name")),
                    first_name: s("firstName"),
                    last_name: s("lastName"),
                }
            })
            .collect()
    }
}

/// [`normalize_email`] without a copy when the address is already normal.
fn normalized(s: &str) -> Cow<'_, str> {
    let t = s.trim();
    if t.chars().any(char::is_uppercase) {
        Cow::Owned(normalize_email(t))
    } else {
        Cow::Borrowed(t)
    }
}

/// A matched pair (indexes into the user list and the roster).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub user: usize,
    pub employee: usize,
    pub by: MatchedBy,
}

/// Candidates that could not be told apart: every pair of the component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguity {
    pub pairs: Vec<(usize, usize)>,
    pub by: MatchedBy,
}

/// A possible counterpart found by name or e-mail local part. Never a match.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// Index into the other side (users for an employee, roster for a user).
    #[serde(skip)]
    pub index: usize,
    pub reason: &'static str,
    /// 0–1: how strong the hint is (for ordering only).
    pub score: f32,
}

/// The outcome of matching, by index.
#[derive(Debug, Clone, Default)]
pub struct Matching {
    pub pairs: Vec<Pair>,
    pub ambiguous: Vec<Ambiguity>,
    /// Users with neither a match nor an ambiguity.
    pub unmatched_users: Vec<usize>,
    /// Employees with neither a match nor an ambiguity.
    pub unmatched_employees: Vec<usize>,
    /// Suggestions for unmatched users (user index → roster indexes).
    pub user_suggestions: HashMap<usize, Vec<Suggestion>>,
    /// Suggestions for unmatched employees (roster index → user indexes).
    pub employee_suggestions: HashMap<usize, Vec<Suggestion>>,
}

/// Runs matching. `users` usually comes from [`ZoomUser::from_graph`].
pub fn match_users(
    users: &[ZoomUser],
    employees: &[Employee],
    decisions: &[Decision],
    opts: &MatchOptions,
) -> Matching {
    let mut user_done = vec![false; users.len()];
    let mut emp_done = vec![false; employees.len()];
    let mut out = Matching::default();

    // --- manual decisions -------------------------------------------------
    let unlinked = apply_decisions(
        users,
        employees,
        decisions,
        &mut user_done,
        &mut emp_done,
        &mut out,
    );

    // --- automatic rules, strongest first ---------------------------------
    let mut uf = UnionFind::new(users.len() + employees.len());
    for rule in [
        MatchedBy::EmployeeUniqueId,
        MatchedBy::Email,
        MatchedBy::AliasDomain,
        MatchedBy::OtherEmail,
    ] {
        if rule == MatchedBy::AliasDomain && opts.alias_domains.is_empty() {
            continue;
        }
        let index = employee_index(employees, &emp_done, rule, &opts.alias_domains);
        if index.is_empty() {
            continue;
        }
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        for (u, user) in users.iter().enumerate() {
            if user_done[u] {
                continue;
            }
            let key: Cow<'_, str> = match rule {
                MatchedBy::EmployeeUniqueId => match user.unique_id {
                    Some(id) => Cow::Borrowed(id),
                    None => continue,
                },
                MatchedBy::Email => Cow::Borrowed(user.email.as_ref()),
                _ => opts.alias_domains.fold(&user.email),
            };
            if key.is_empty() {
                continue;
            }
            if let Some(slot) = index.get(key.as_ref()) {
                for &e in slot.iter() {
                    if unlinked.is_empty() || !unlinked.contains(&(u, e)) {
                        candidates.push((u, e));
                    }
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        settle(
            &candidates,
            rule,
            users.len(),
            &mut uf,
            &mut user_done,
            &mut emp_done,
            &mut out,
        );
    }

    out.unmatched_users = (0..users.len()).filter(|&u| !user_done[u]).collect();
    out.unmatched_employees = (0..employees.len()).filter(|&e| !emp_done[e]).collect();
    suggest(users, employees, &mut out);
    out
}

/// Applies manual decisions: links become pairs (settling both sides), and
/// the returned set holds the pairs that must never be matched.
fn apply_decisions(
    users: &[ZoomUser],
    employees: &[Employee],
    decisions: &[Decision],
    user_done: &mut [bool],
    emp_done: &mut [bool],
    out: &mut Matching,
) -> HashSet<(usize, usize)> {
    let mut unlinked: HashSet<(usize, usize)> = HashSet::new();
    if decisions.is_empty() {
        return unlinked;
    }
    let mut user_by_key: FxMap<&str, usize> = fx_map(users.len());
    let mut users_by_email: FxMap<&str, Vec<usize>> = fx_map(users.len());
    for (i, u) in users.iter().enumerate() {
        user_by_key.insert(u.key, i);
        if !u.email.is_empty() {
            users_by_email.entry(u.email.as_ref()).or_default().push(i);
        }
    }
    let wanted: HashSet<&str> = decisions.iter().map(|d| d.employee_key.as_str()).collect();
    let emp_by_key: HashMap<String, usize> = employees
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key(), i))
        .filter(|(k, _)| wanted.contains(k.as_str()))
        .collect();
    let resolve_user = |r: &str| -> Vec<usize> {
        if let Some(&i) = user_by_key.get(r) {
            return vec![i];
        }
        users_by_email
            .get(normalize_email(r).as_str())
            .cloned()
            .unwrap_or_default()
    };
    // user → employee; later decisions override earlier ones.
    let mut links: HashMap<usize, usize> = HashMap::new();
    for d in decisions {
        let Some(&e) = emp_by_key.get(&d.employee_key) else {
            continue; // the employee left the roster: the decision is inert
        };
        for u in resolve_user(&d.user_ref) {
            match d.kind {
                DecisionKind::Link => {
                    unlinked.remove(&(u, e));
                    links.insert(u, e);
                }
                DecisionKind::Unlink => {
                    unlinked.insert((u, e));
                    if links.get(&u) == Some(&e) {
                        links.remove(&u);
                    }
                }
            }
        }
    }
    let mut manual: Vec<(usize, usize)> = links.into_iter().collect();
    manual.sort_unstable();
    for (u, e) in manual {
        user_done[u] = true;
        emp_done[e] = true;
        out.pairs.push(Pair {
            user: u,
            employee: e,
            by: MatchedBy::Manual,
        });
    }
    unlinked
}

/// The employees sharing one key: the first inline, more (rare) in a Vec
/// that does not allocate while empty.
#[derive(Debug)]
struct Slot {
    first: usize,
    more: Vec<usize>,
}

impl Slot {
    fn push(&mut self, e: usize) {
        if self.first != e && self.more.last() != Some(&e) {
            self.more.push(e);
        }
    }

    fn iter(&self) -> impl Iterator<Item = &usize> {
        std::iter::once(&self.first).chain(self.more.iter())
    }
}

fn add<'a>(index: &mut FxMap<Cow<'a, str>, Slot>, key: Cow<'a, str>, e: usize) {
    index.entry(key).and_modify(|s| s.push(e)).or_insert(Slot {
        first: e,
        more: Vec::new(),
    });
}

/// Employees not yet settled, by the key a rule matches on.
fn employee_index<'a>(
    employees: &'a [Employee],
    done: &[bool],
    rule: MatchedBy,
    aliases: &AliasDomains,
) -> FxMap<Cow<'a, str>, Slot> {
    let mut index: FxMap<Cow<'a, str>, Slot> = fx_map(employees.len());
    for (e, emp) in employees.iter().enumerate() {
        if done[e] {
            continue;
        }
        match rule {
            MatchedBy::EmployeeUniqueId => {
                if let Some(id) = emp.unique_id() {
                    add(&mut index, Cow::Borrowed(id), e);
                }
            }
            MatchedBy::Email => add(&mut index, Cow::Borrowed(&emp.email), e),
            MatchedBy::AliasDomain => add(&mut index, aliases.fold(&emp.email), e),
            MatchedBy::OtherEmail => {
                for o in &emp.other_emails {
                    add(&mut index, aliases.fold(o), e);
                }
            }
            MatchedBy::Manual => {}
        }
    }
    index
}

/// Turns one rule's candidate pairs into matches (components of one user and
/// one employee) and ambiguities (larger components).
fn settle(
    candidates: &[(usize, usize)],
    rule: MatchedBy,
    n_users: usize,
    uf: &mut UnionFind,
    user_done: &mut [bool],
    emp_done: &mut [bool],
    out: &mut Matching,
) {
    if candidates.is_empty() {
        return;
    }
    // Most candidates are one user ↔ one employee: settle those by degree
    // and keep the union-find for the (few) tangled ones.
    let mut user_deg = vec![0u32; user_done.len()];
    let mut emp_deg = vec![0u32; emp_done.len()];
    for &(u, e) in candidates {
        user_deg[u] += 1;
        emp_deg[e] += 1;
    }
    let mut tangled: Vec<(usize, usize)> = Vec::new();
    for &(u, e) in candidates {
        if user_deg[u] == 1 && emp_deg[e] == 1 {
            user_done[u] = true;
            emp_done[e] = true;
            out.pairs.push(Pair {
                user: u,
                employee: e,
                by: rule,
            });
        } else {
            tangled.push((u, e));
        }
    }
    if tangled.is_empty() {
        return;
    }
    for &(u, e) in &tangled {
        uf.reset(u);
        uf.reset(n_users + e);
    }
    for &(u, e) in &tangled {
        uf.union(u, n_users + e);
    }
    let mut components: FxMap<usize, Vec<(usize, usize)>> = fx_map(tangled.len());
    for &(u, e) in &tangled {
        components.entry(uf.find(u)).or_default().push((u, e));
    }
    let mut components: Vec<Vec<(usize, usize)>> = components.into_values().collect();
    components.sort_unstable_by_key(|c| c.first().copied());
    for pairs in components {
        for &(u, e) in &pairs {
            user_done[u] = true;
            emp_done[e] = true;
        }
        // Every component here has a node of degree > 1: ambiguous.
        out.ambiguous.push(Ambiguity { pairs, by: rule });
    }
}

/// Union-find over users (0..n) and employees (n..), reset per rule only for
/// the nodes a rule touches.
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    fn reset(&mut self, x: usize) {
        if let Some(p) = self.parent.get_mut(x) {
            *p = x;
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            let grand = self.parent[self.parent[x]];
            self.parent[x] = grand;
            x = grand;
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[ra] = rb;
        }
    }
}

/// Lower-cased alphanumeric words of a name.
fn name_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Blocking keys of a person: full name, last name + first initial, e-mail
/// local part. Each is a hash key, so suggestions cost O(rows), not O(n²).
fn blocking_keys(
    first: Option<&str>,
    last: Option<&str>,
    name: Option<&str>,
    email: &str,
) -> [Option<String>; 3] {
    let (first, last) = match (first, last) {
        (Some(f), Some(l)) => (name_words(f).join(" "), name_words(l).join(" ")),
        _ => {
            let words = name.map(name_words).unwrap_or_default();
            match words.split_last() {
                Some((l, rest)) if !rest.is_empty() => (rest.join(" "), l.clone()),
                _ => (String::new(), String::new()),
            }
        }
    };
    let full = (!first.is_empty() && !last.is_empty()).then(|| format!("{first} {last}"));
    let initial = first
        .chars()
        .next()
        .filter(|_| !last.is_empty())
        .map(|c| format!("{last}|{c}"));
    let local = email
        .split_once('@')
        .map(|(l, _)| l.to_string())
        .filter(|l| l.len() >= 3);
    [full, initial, local]
}

const SUGGESTION_REASONS: [(&str, f32); 3] = [
    ("same name", 0.9),
    ("same last name and first initial", 0.6),
    ("same e-mail local part", 0.8),
];
/// A very common name is no evidence; and it keeps the work linear.
const MAX_BLOCK: usize = 20;
const MAX_SUGGESTIONS: usize = 3;

fn suggest(users: &[ZoomUser], employees: &[Employee], out: &mut Matching) {
    let user_keys: Vec<(usize, [Option<String>; 3])> = out
        .unmatched_users
        .iter()
        .map(|&u| {
            let z = &users[u];
            (
                u,
                blocking_keys(z.first_name, z.last_name, z.name, &z.email),
            )
        })
        .collect();
    let emp_keys: Vec<(usize, [Option<String>; 3])> = out
        .unmatched_employees
        .iter()
        .map(|&e| {
            let m = &employees[e];
            (
                e,
                blocking_keys(
                    m.first_name.as_deref(),
                    m.last_name.as_deref(),
                    m.name.as_deref(),
                    &m.email,
                ),
            )
        })
        .collect();
    out.user_suggestions = suggestions_for(&user_keys, &emp_keys);
    out.employee_suggestions = suggestions_for(&emp_keys, &user_keys);
}

fn suggestions_for(
    from: &[(usize, [Option<String>; 3])],
    to: &[(usize, [Option<String>; 3])],
) -> HashMap<usize, Vec<Suggestion>> {
    let mut blocks: [FxMap<&str, Vec<usize>>; 3] = Default::default();
    for (idx, keys) in to {
        for (k, block) in keys.iter().zip(blocks.iter_mut()) {
            if let Some(k) = k {
                block.entry(k.as_str()).or_default().push(*idx);
            }
        }
    }
    let mut result = HashMap::new();
    for (idx, keys) in from {
        let mut found: Vec<Suggestion> = Vec::new();
        for ((k, block), (reason, score)) in keys.iter().zip(&blocks).zip(SUGGESTION_REASONS) {
            let Some(hits) = k.as_deref().and_then(|k| block.get(k)) else {
                continue;
            };
            if hits.len() > MAX_BLOCK {
                continue;
            }
            for &h in hits {
                match found.iter_mut().find(|s| s.index == h) {
                    Some(s) if s.score < score => {
                        s.score = score;
                        s.reason = reason;
                    }
                    Some(_) => {}
                    None => found.push(Suggestion {
                        index: h,
                        reason,
                        score,
                    }),
                }
            }
        }
        if !found.is_empty() {
            found.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
            found.truncate(MAX_SUGGESTIONS);
            result.insert(*idx, found);
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_domains_fold_to_the_first_of_a_group() {
        let a = AliasDomains::new([vec!["corp.com", "corp.io", "@Corp.co.uk"]]);
        assert_eq!(a.fold("jane@corp.io"), "jane@corp.com");
        assert_eq!(a.fold("jane@corp.co.uk"), "jane@corp.com");
        assert_eq!(a.fold("jane@corp.com"), "jane@corp.com");
        assert_eq!(a.fold("jane@other.com"), "jane@other.com");
    }

    #[test]
    fn blocking_keys_from_parts_or_full_name() {
        let k = blocking_keys(None, None, Some("Zoë  van Dijk"), "zoe@corp.com");
        assert_eq!(k[0].as_deref(), Some("zoë van dijk"));
        assert_eq!(k[1].as_deref(), Some("dijk|z"));
        assert_eq!(k[2].as_deref(), Some("zoe"));
        let k = blocking_keys(Some("Zoë"), Some("van Dijk"), None, "x@y.io");
        assert_eq!(k[0].as_deref(), Some("zoë van dijk"));
        assert_eq!(k[2], None);
    }
}
