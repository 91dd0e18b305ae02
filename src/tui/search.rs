//! Filtering and sorting off the UI thread.
//!
//! The UI sends a [`SearchJob`] (a table id, a request id and what to show)
//! for every keystroke; a worker thread keeps only the newest job per table
//! ("latest wins"), computes the rows and sends back a [`SearchDone`]. The
//! UI applies a result only when its request id is still the table's pending
//! one, so a slow, superseded search can never overwrite a newer one.
//!
//! Speed at 100,000 users comes from a per-graph [`SearchIndex`] of folded
//! text and interned field values, cheap tiered matching ([`rank`]) split
//! across the cores, a cache of each table's sorted base rows, and
//! refinement: when a key only narrows the search (one more letter), only
//! the rows that matched the previous key are looked at again.

pub mod fold;
pub mod index;
pub mod rank;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use crate::graph::{EntityId, Graph};

use super::columns::{self, TableKind};
use super::filter::{Filter, TextMode, ValueMatch};

pub use index::SearchIndex;
use rank::{Hit, Query};

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
        columns::sort_rows(g, &mut rows, c.field, s.descending);
    }
    rows
}

/// Below this many entities one thread is quicker than several.
const PARALLEL_MIN: usize = 8_192;

/// A row's match packed in a `u32`: 0 no match, else bit 0 set, bit 1
/// literal, the score above.
const MATCHED: u32 = 1;
const LITERAL: u32 = 2;

fn pack(h: Hit) -> u32 {
    MATCHED | if h.literal { LITERAL } else { 0 } | (u32::from(h.score) << 2)
}

/// The rows of a search: what is shown, and per entity what matched, which
/// a refined search starts from.
pub struct Matched {
    /// Rows to show, best first when ranked.
    pub rows: Vec<EntityId>,
    /// By entity id: non-zero where the row matches every term in its
    /// broadest sense (fuzzy hits that are not shown included), a superset
    /// of what any refinement of this search can match.
    pub scores: Vec<u32>,
}

/// Rows of `sorted` (in column order) passing `f`, looking only at entities
/// `prev` marks when given. With free text, only literal matches are kept
/// when there are any (else the fuzzy ones), and with `rank` the best tier
/// comes first, ties in column order.
pub fn filter_rows(
    g: &Graph,
    index: &SearchIndex,
    sorted: &[EntityId],
    prev: Option<&[u32]>,
    f: &Filter,
    rank: bool,
) -> Matched {
    if f.is_empty() {
        return Matched {
            rows: sorted.to_vec(),
            scores: Vec::new(),
        };
    }
    let query = Query::new(f, index);
    // Entities are scored in id order (the index's memory order), then
    // picked out in the table's order.
    let mut look = vec![false; index.len()];
    match prev {
        Some(p) => look.iter_mut().zip(p).for_each(|(l, s)| *l = *s != 0),
        None => {
            for id in sorted {
                if let Some(l) = look.get_mut(id.0 as usize) {
                    *l = true;
                }
            }
        }
    }
    let mut scores = vec![0u32; index.len()];
    let score = |i: usize, fuzzy: bool| {
        query
            .hit(g, index, EntityId(i as u32), fuzzy)
            .map(pack)
            .unwrap_or(0)
    };
    // Literal tiers first; rows that may only match fuzzily stay candidates
    // for the next key without being checked.
    score_all(&look, &mut scores, |i| score(i, false));
    let any_literal = scores.iter().any(|s| s & LITERAL != 0);
    if !any_literal {
        // Nothing literal: now the fuzzy check decides.
        let pending: Vec<bool> = scores.iter().map(|s| *s != 0).collect();
        score_all(&pending, &mut scores, |i| score(i, true));
    }
    let keep = if any_literal {
        MATCHED | LITERAL
    } else {
        MATCHED
    };
    let mut shown: Vec<(u32, EntityId)> = sorted
        .iter()
        .filter_map(|id| {
            let s = *scores.get(id.0 as usize)?;
            (s & keep == keep).then_some((s, *id))
        })
        .collect();
    if rank && !f.text.is_empty() {
        // Stable: equal scores keep the column order.
        shown.sort_by_key(|(s, _)| std::cmp::Reverse(*s >> 2));
    }
    Matched {
        rows: shown.into_iter().map(|(_, id)| id).collect(),
        scores,
    }
}

/// `scores[i] = score(i)` for every `i` with `look[i]`, on all cores when
/// there are many.
fn score_all(look: &[bool], scores: &mut [u32], score: impl Fn(usize) -> u32 + Sync) {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get().min(4))
        .unwrap_or(1);
    let one = |offset: usize, look: &[bool], out: &mut [u32]| {
        for (i, (l, s)) in look.iter().zip(out.iter_mut()).enumerate() {
            if *l {
                *s = score(offset + i);
            }
        }
    };
    if threads < 2 || look.len() < PARALLEL_MIN {
        one(0, look, scores);
        return;
    }
    let chunk = look.len().div_ceil(threads);
    let one = &one;
    std::thread::scope(|s| {
        let mut parts = look.chunks(chunk).zip(scores.chunks_mut(chunk)).enumerate();
        // This thread takes the first chunk itself.
        let first = parts.next();
        for (k, (l, out)) in parts {
            s.spawn(move || one(k * chunk, l, out));
        }
        if let Some((_, (l, out))) = first {
            one(0, l, out);
        }
    });
}

/// True when every row matching `new` also matches `old` in its broad sense,
/// so `new` can be computed from `old`'s broad rows (typing one more
/// character, or adding a term).
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
                .any(|n| !n.negate && n.field == o.field && value_narrows(n, o))
        })
        && old.text.iter().all(|o| {
            new.text.iter().any(|n| {
                n.mode == o.mode
                    && match o.mode {
                        // Word starts, substrings and word chains of a
                        // longer term are all hits of its beginning.
                        TextMode::Smart => n.text.starts_with(&o.text),
                        TextMode::Fuzzy => rank::in_order(&n.text, &o.text),
                        TextMode::Exact => n.text == o.text,
                    }
            })
        })
}

/// Whether every value `n` accepts is one `o` accepts.
fn value_narrows(n: &super::filter::FieldTerm, o: &super::filter::FieldTerm) -> bool {
    use ValueMatch::*;
    if n.how == o.how && n.value == o.value {
        return true;
    }
    match o.how {
        Whole => false,
        Prefix => matches!(n.how, Whole | Prefix) && n.value.starts_with(&o.value),
        Suffix => matches!(n.how, Whole | Suffix) && n.value.ends_with(&o.value),
        Contains => n.value.contains(&o.value),
    }
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
    pub elapsed: Duration,
}

/// A table's last search: (generation, base pointer, filter, scores by entity).
type LastResult = (u64, usize, Arc<Filter>, Arc<Vec<u32>>);
type SortedBase = (u64, Option<SortSpec>, usize, Arc<Vec<EntityId>>);

/// Computes jobs, caching the index and each table's sorted base rows.
#[derive(Default)]
pub struct SearchEngine {
    index: Option<Arc<SearchIndex>>,
    /// table id → its last search, for refinement
    last: HashMap<u64, LastResult>,
    /// table id → (generation, sort, base pointer, sorted rows)
    sorted: HashMap<u64, SortedBase>,
}

impl SearchEngine {
    pub fn run(&mut self, job: &SearchJob) -> SearchDone {
        let started = Instant::now();
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
            // A narrower search only looks at what the last one matched.
            let prev = match self.last.get(&job.target) {
                Some((generation, ptr, f, scores))
                    if *generation == job.generation
                        && *ptr == base_ptr
                        && refines(&job.filter, f) =>
                {
                    Some(scores.clone())
                }
                _ => None,
            };
            let m = filter_rows(
                &job.graph,
                &index,
                &sorted,
                prev.as_deref().map(Vec::as_slice),
                &job.filter,
                job.rank,
            );
            self.last.insert(
                job.target,
                (
                    job.generation,
                    base_ptr,
                    job.filter.clone(),
                    Arc::new(m.scores),
                ),
            );
            Arc::new(m.rows)
        };
        SearchDone {
            target: job.target,
            req: job.req,
            rows,
            elapsed: started.elapsed(),
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
            let done = engine.run(&job);
            // ZOOMSCOPE_LOG=zoomscope::tui::search=debug shows where a slow key's time went.
            tracing::debug!(
                table = done.target,
                req = done.req,
                rows = done.rows.len(),
                ms = done.elapsed.as_secs_f64() * 1000.0,
                "search"
            );
            deliver(done);
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
        assert!(refines(&p("ji smi"), &p("ji")));
        assert!(refines(&p("ji role:adm*"), &p("ji role:ad*")));
        assert!(refines(&p("role:admin"), &p("role:ad*")));
        assert!(refines(&p("~jsx"), &p("~jx")));
        assert!(!refines(&p("j"), &p("ji")));
        // a whole value that grows is another value
        assert!(!refines(&p("status:inactive"), &p("status:in")));
        assert!(
            !refines(&p("xji"), &p("ji")),
            "chains of `ji` need not contain `xji`"
        );
        assert!(!refines(&p("'jill"), &p("'jil")));
        assert!(!refines(&p("~jill"), &p("jil")));
        assert!(!refines(&p("!status:ac"), &p("!status:a")));
        assert!(!refines(&p("ji !x"), &p("ji")));
    }
}
