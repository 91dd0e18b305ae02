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
        rows.sort_by_cached_key(|id| columns::sort_key(g, *id, c.field));
        if s.descending {
            rows.reverse();
        }
    }
    rows
}

/// Below this many candidate rows one thread is quicker than several.
const PARALLEL_MIN: usize = 8_192;

/// The rows of a search: what is shown, and the broader set a refined search
/// can start from.
pub struct Matched {
    /// Rows to show, best first when ranked.
    pub rows: Vec<EntityId>,
    /// Every row matching each term in its broadest sense (fuzzy hits that
    /// are not shown included), in candidate order: a superset of what any
    /// refinement of this search can match.
    pub broad: Vec<EntityId>,
}

/// Rows of `candidates` (in column order) passing `f`. With free text, only
/// literal matches are kept when there are any (else the fuzzy ones), and
/// with `rank` the best tier comes first, ties in column order.
pub fn filter_rows(
    g: &Graph,
    index: &SearchIndex,
    candidates: &[EntityId],
    f: &Filter,
    rank: bool,
) -> Matched {
    if f.is_empty() {
        return Matched {
            rows: candidates.to_vec(),
            broad: candidates.to_vec(),
        };
    }
    let query = Query::new(f, index);
    let hits = match_all(candidates, |id| query.hit(g, index, id));
    let broad: Vec<EntityId> = hits.iter().map(|(id, _)| *id).collect();
    let any_literal = hits.iter().any(|(_, h)| h.literal);
    let mut shown: Vec<(EntityId, Hit)> = if any_literal {
        hits.into_iter().filter(|(_, h)| h.literal).collect()
    } else {
        hits
    };
    if rank && !f.text.is_empty() {
        // Stable: equal scores keep the column order.
        shown.sort_by_key(|(_, h)| std::cmp::Reverse(h.score));
    }
    Matched {
        rows: shown.into_iter().map(|(id, _)| id).collect(),
        broad,
    }
}

/// `hit` for every candidate, in order, on all cores when there are many.
fn match_all(
    candidates: &[EntityId],
    hit: impl Fn(EntityId) -> Option<Hit> + Sync,
) -> Vec<(EntityId, Hit)> {
    let one = |part: &[EntityId]| -> Vec<(EntityId, Hit)> {
        part.iter()
            .filter_map(|id| hit(*id).map(|h| (*id, h)))
            .collect()
    };
    let threads = std::thread::available_parallelism()
        .map(|n| n.get().min(4))
        .unwrap_or(1);
    if threads < 2 || candidates.len() < PARALLEL_MIN {
        return one(candidates);
    }
    let chunk = candidates.len().div_ceil(threads);
    let one = &one;
    std::thread::scope(|s| {
        let parts: Vec<_> = candidates
            .chunks(chunk)
            .skip(1)
            .map(|part| s.spawn(move || one(part)))
            .collect();
        // This thread takes the first chunk itself.
        let mut out = one(candidates.get(..chunk).unwrap_or(candidates));
        for p in parts {
            match p.join() {
                Ok(mut v) => out.append(&mut v),
                // Matching does not panic on any input; should it, the
                // search fails loudly rather than show a partial result.
                Err(e) => std::panic::resume_unwind(e),
            }
        }
        out
    })
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

/// A table's last search: (generation, base pointer, sort, filter, broad rows).
type LastResult = (
    u64,
    usize,
    Option<SortSpec>,
    Arc<Filter>,
    Arc<Vec<EntityId>>,
);
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
            // A narrower search only looks at what the last one matched,
            // which is still in column order.
            let candidates = match self.last.get(&job.target) {
                Some((generation, ptr, sort, f, broad))
                    if *generation == job.generation
                        && *ptr == base_ptr
                        && *sort == job.sort
                        && refines(&job.filter, f) =>
                {
                    broad.clone()
                }
                _ => sorted,
            };
            let m = filter_rows(&job.graph, &index, &candidates, &job.filter, job.rank);
            self.last.insert(
                job.target,
                (
                    job.generation,
                    base_ptr,
                    job.sort,
                    job.filter.clone(),
                    Arc::new(m.broad),
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
