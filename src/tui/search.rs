//! Filtering and sorting off the UI thread.
//!
//! The UI sends a [`SearchJob`] (a table id, a request id and what to show)
//! for every keystroke; a worker thread keeps only the newest job per table
//! ("latest wins"), computes the rows and sends back a [`SearchDone`]. The
//! UI applies a result only when its request id is still the table's pending
//! one, so a slow, superseded search can never overwrite a newer one.
//!
//! Speed at 100,000 users comes from a per-graph [`SearchIndex`] of
//! lower-cased haystacks, a cheap in-order character pre-check before the
//! Skim scorer runs, and a cache of each table's sorted base rows.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::graph::{EntityId, EntityType, Graph};

use super::columns::{self, TableKind};
use super::filter::Filter;
use super::model;

/// Lower-cased search text and field values of every entity of one graph.
pub struct SearchIndex {
    pub generation: u64,
    rows: Vec<IndexRow>,
}

#[derive(Default)]
struct IndexRow {
    /// name, email and department joined by spaces.
    hay: Box<str>,
    name: Box<str>,
    email: Box<str>,
    status: Box<str>,
    role: Box<str>,
    dept: Box<str>,
    typ: Box<str>,
    groups: Box<str>,
}

impl SearchIndex {
    pub fn build(g: &Graph, generation: u64) -> SearchIndex {
        let rows = g
            .entities()
            .map(|(id, e)| {
                let lc = |s: String| s.to_lowercase().into_boxed_str();
                match e.etype {
                    EntityType::User => {
                        let name = model::user_name(g, id).to_lowercase();
                        let email = model::prop_text(g, id, "email").to_lowercase();
                        let dept = model::prop_text(g, id, "dept").to_lowercase();
                        IndexRow {
                            hay: format!("{name} {email} {dept}").into_boxed_str(),
                            name: name.into_boxed_str(),
                            email: email.into_boxed_str(),
                            dept: dept.into_boxed_str(),
                            status: lc(model::prop_text(g, id, "status")),
                            role: lc(model::role_name(g, id)),
                            typ: lc(model::user_type(g, id).into_owned()),
                            groups: lc(model::group_names(g, id)),
                        }
                    }
                    _ => {
                        let name = model::label(g, id).to_lowercase();
                        let email = model::prop_text(g, id, "email").to_lowercase();
                        let dept = model::prop_text(g, id, "department").to_lowercase();
                        let desc = model::prop_text(g, id, "description").to_lowercase();
                        IndexRow {
                            hay: format!("{name} {email} {dept} {desc}").into_boxed_str(),
                            name: name.into_boxed_str(),
                            email: email.into_boxed_str(),
                            dept: dept.into_boxed_str(),
                            status: lc(model::prop_text(g, id, "status")),
                            ..IndexRow::default()
                        }
                    }
                }
            })
            .collect();
        SearchIndex { generation, rows }
    }

    fn row(&self, id: EntityId) -> Option<&IndexRow> {
        self.rows.get(id.0 as usize)
    }

    /// The row's score when it passes every term of `f`, else `None`.
    /// `m`: the Skim scorer for scattered matches, or `None` to score them 0.
    pub fn score(
        &self,
        g: &Graph,
        id: EntityId,
        f: &Filter,
        m: Option<&SkimMatcherV2>,
    ) -> Option<i64> {
        let row = self.row(id)?;
        for t in &f.fields {
            let hit = match t.field.as_str() {
                // Enumerated fields match by prefix: `status:active` must
                // not also match "inactive", and `type:lic` still finds
                // "licensed".
                "status" => row.status.starts_with(&t.value),
                "role" => row.role.contains(&t.value),
                "dept" => row.dept.contains(&t.value),
                "type" => row.typ.starts_with(&t.value),
                "group" => row.groups.contains(&t.value),
                "email" => row.email.contains(&t.value),
                "name" => row.name.contains(&t.value),
                other => g
                    .entity(id)
                    .props
                    .get(other)
                    .map(|v| model::value_text(v).to_lowercase().contains(&t.value))
                    .unwrap_or(false),
            };
            if hit == t.negate {
                return None;
            }
        }
        for t in &f.not_text {
            if row.hay.contains(t.as_str()) {
                return None;
            }
        }
        let mut score = 0i64;
        for t in &f.fuzzy {
            score += match row.hay.find(t.as_str()) {
                // A contiguous hit (the usual case when typing part of an
                // e-mail) outranks any scattered match; earlier is better,
                // and a hit at the start of a word better still.
                Some(pos) => {
                    let word_start = pos == 0
                        || row
                            .hay
                            .as_bytes()
                            .get(pos - 1)
                            .is_some_and(|b| matches!(b, b' ' | b'.' | b'@' | b'-' | b'_'));
                    SUBSTRING_SCORE + if word_start { 500 } else { 0 } - pos.min(400) as i64
                }
                None if in_order(&row.hay, t) => match m {
                    Some(m) => m.fuzzy_match(&row.hay, t)?,
                    None => 0,
                },
                None => return None,
            };
        }
        Some(score)
    }
}

/// Above any Skim score for the short strings searched here.
const SUBSTRING_SCORE: i64 = 1_000_000;

/// Skim scoring (the expensive part) runs only when fewer rows than this
/// are scattered (non-contiguous) matches; beyond it the ranking of such
/// rows among themselves does not matter and they keep column order.
const SKIM_LIMIT: usize = 20_000;

/// True when every character of `needle` occurs in `hay` in order: a
/// necessary condition for a fuzzy match, and far cheaper than scoring.
fn in_order(hay: &str, needle: &str) -> bool {
    if needle.is_ascii() {
        let mut h = hay.as_bytes().iter();
        return needle.as_bytes().iter().all(|c| h.any(|x| x == c));
    }
    let mut h = hay.chars();
    needle.chars().all(|c| h.any(|x| x == c))
}

/// Sort order of a table: column index and whether descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortSpec {
    pub column: usize,
    pub descending: bool,
}

/// `base` sorted by `sort` (stable; natural order when `None`).
pub fn sorted(
    g: &Graph,
    kind: TableKind,
    base: &[EntityId],
    sort: Option<SortSpec>,
) -> Vec<EntityId> {
    let mut rows = base.to_vec();
    if let Some(s) = sort
        && let Some(c) = kind.columns().get(s.column)
    {
        rows.sort_by_cached_key(|id| columns::sort_key(g, *id, c.field));
        if s.descending {
            rows.reverse();
        }
    }
    rows
}

/// Rows of `sorted_base` passing `f`; with free text and `rank`, the best
/// matches first (ties keep the column order). `within`: only rows already
/// known to match a broader filter (indexed by entity id).
pub fn filter_rows(
    g: &Graph,
    index: &SearchIndex,
    sorted_base: &[EntityId],
    f: &Filter,
    rank: bool,
    m: &SkimMatcherV2,
    within: Option<&[bool]>,
) -> Vec<EntityId> {
    if f.is_empty() {
        return sorted_base.to_vec();
    }
    let candidates = sorted_base
        .iter()
        .filter(|id| within.is_none_or(|w| w.get(id.0 as usize).copied().unwrap_or(false)));
    // First pass without Skim; rows below SUBSTRING_SCORE per term are
    // scattered matches, re-scored with Skim when there are few of them.
    let mut hits: Vec<(EntityId, i64)> = candidates
        .filter_map(|id| index.score(g, *id, f, None).map(|s| (*id, s)))
        .collect();
    if rank && !f.fuzzy.is_empty() {
        let all_contiguous = SUBSTRING_SCORE * f.fuzzy.len() as i64;
        let scattered = hits.iter().filter(|(_, s)| *s < all_contiguous).count();
        if scattered > 0 && scattered <= SKIM_LIMIT {
            for (id, s) in hits.iter_mut() {
                if *s < all_contiguous {
                    *s = index.score(g, *id, f, Some(m)).unwrap_or(*s);
                }
            }
        }
        hits.sort_by_key(|(_, s)| std::cmp::Reverse(*s));
    }
    hits.into_iter().map(|(id, _)| id).collect()
}

/// True when every row matching `new` also matches `old`, so `new` can be
/// computed from `old`'s results (typing one more character).
pub fn refines(new: &Filter, old: &Filter) -> bool {
    new.not_text == old.not_text
        && new
            .fields
            .iter()
            .filter(|t| t.negate)
            .eq(old.fields.iter().filter(|t| t.negate))
        && old.fields.iter().filter(|t| !t.negate).all(|o| {
            new.fields
                .iter()
                // A longer value that starts with the old one narrows both
                // prefix and substring terms.
                .any(|n| !n.negate && n.field == o.field && n.value.starts_with(&o.value))
        })
        && old
            .fuzzy
            .iter()
            .all(|o| new.fuzzy.iter().any(|n| in_order(n, o)))
}

/// One request to (re)compute a table's rows.
#[derive(Clone)]
pub struct SearchJob {
    pub target: u64,
    pub req: u64,
    pub generation: u64,
    pub graph: Arc<Graph>,
    pub kind: TableKind,
    pub base: Arc<Vec<EntityId>>,
    pub sort: Option<SortSpec>,
    pub rank: bool,
    pub filter: Arc<Filter>,
}

/// The rows for one job.
#[derive(Debug, Clone)]
pub struct SearchDone {
    pub target: u64,
    pub req: u64,
    pub rows: Arc<Vec<EntityId>>,
}

type LastResult = (u64, usize, Arc<Filter>, Vec<bool>);
type SortedBase = (u64, Option<SortSpec>, usize, Arc<Vec<EntityId>>);

/// Computes jobs, caching the index and each table's sorted base rows.
#[derive(Default)]
pub struct SearchEngine {
    index: Option<Arc<SearchIndex>>,
    /// table id → (generation, base pointer, filter, rows matching it by entity index)
    last: HashMap<u64, LastResult>,
    /// table id → (generation, sort, base pointer, sorted rows)
    sorted: HashMap<u64, SortedBase>,
    matcher: SkimMatcherV2,
}

impl SearchEngine {
    pub fn run(&mut self, job: &SearchJob) -> SearchDone {
        let index = match &self.index {
            Some(i) if i.generation == job.generation => i.clone(),
            _ => {
                let i = Arc::new(SearchIndex::build(&job.graph, job.generation));
                self.sorted.clear();
                self.last.clear();
                self.index = Some(i.clone());
                i
            }
        };
        let base_ptr = Arc::as_ptr(&job.base) as usize;
        let sorted = match self.sorted.get(&job.target) {
            Some((generation, sort, ptr, rows))
                if *generation == job.generation && *sort == job.sort && *ptr == base_ptr =>
            {
                rows.clone()
            }
            _ => {
                let rows = Arc::new(sorted(&job.graph, job.kind, &job.base, job.sort));
                self.sorted.insert(
                    job.target,
                    (job.generation, job.sort, base_ptr, rows.clone()),
                );
                rows
            }
        };
        let rows = if job.filter.is_empty() {
            self.last.remove(&job.target);
            sorted
        } else {
            let within = match self.last.get(&job.target) {
                Some((generation, ptr, f, mask))
                    if *generation == job.generation
                        && *ptr == base_ptr
                        && refines(&job.filter, f) =>
                {
                    Some(mask.as_slice())
                }
                _ => None,
            };
            let rows = filter_rows(
                &job.graph,
                &index,
                &sorted,
                &job.filter,
                job.rank,
                &self.matcher,
                within,
            );
            let mut mask = vec![false; job.graph.entity_count()];
            for id in &rows {
                if let Some(m) = mask.get_mut(id.0 as usize) {
                    *m = true;
                }
            }
            self.last.insert(
                job.target,
                (job.generation, base_ptr, job.filter.clone(), mask),
            );
            Arc::new(rows)
        };
        SearchDone {
            target: job.target,
            req: job.req,
            rows,
        }
    }
}

/// The background thread that runs [`SearchEngine`].
pub struct SearchWorker {
    tx: Sender<SearchJob>,
}

impl SearchWorker {
    /// Starts the worker; `deliver` is called on the worker thread with each result.
    pub fn spawn(deliver: impl Fn(SearchDone) + Send + 'static) -> SearchWorker {
        let (tx, rx) = channel::<SearchJob>();
        let spawned = std::thread::Builder::new()
            .name("zoomscope-search".into())
            .spawn(move || worker_loop(rx, deliver));
        if let Err(e) = spawned {
            tracing::error!("cannot start the search thread: {e}");
        }
        SearchWorker { tx }
    }

    pub fn submit(&self, job: SearchJob) {
        // A send error means the worker is gone (it only exits when we drop tx).
        let _ = self.tx.send(job);
    }
}

fn worker_loop(rx: Receiver<SearchJob>, deliver: impl Fn(SearchDone)) {
    let mut engine = SearchEngine::default();
    while let Ok(first) = rx.recv() {
        // Drain what queued up meanwhile and keep only the newest job per table.
        let mut latest: Vec<SearchJob> = vec![first];
        while let Ok(job) = rx.try_recv() {
            match latest.iter_mut().find(|j| j.target == job.target) {
                Some(slot) => *slot = job,
                None => latest.push(job),
            }
        }
        for job in latest {
            deliver(engine.run(&job));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refinement_is_detected_only_when_results_can_only_shrink() {
        let p = Filter::parse;
        assert!(refines(&p("jil"), &p("ji")));
        assert!(refines(&p("ji status:ina"), &p("ji status:in")));
        assert!(refines(&p("ji smi"), &p("ji")));
        assert!(!refines(&p("j"), &p("ji")));
        assert!(!refines(&p("!status:ac"), &p("!status:a")));
        assert!(!refines(&p("ji !x"), &p("ji")));
    }

    #[test]
    fn in_order_is_a_subsequence_test() {
        assert!(in_order("jill smith jill@x.io", "jsmx"));
        assert!(!in_order("jill", "lj"));
        assert!(in_order("zoë", "zë"));
        assert!(in_order("abc", ""));
    }
}
