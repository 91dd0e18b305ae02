//! Listing every page of a paged endpoint.
//!
//! Rules (`docs/zoom-contract.md#pagination` and `#errors`):
//! - `next_page_token` at the endpoint's largest `page_size`; stop when the
//!   token is empty or absent;
//! - a token seen before is an error (never an endless loop);
//! - the older shape with only `page_count`/`page_number` pages by number
//!   while `page_number < page_count`, and must advance;
//! - 400 code 300 (expired token) restarts the listing once;
//! - ids repeated across pages are kept once.
//!
//! Converting a page's items into models runs on a blocking thread while
//! the next page is already being fetched, so a long listing costs about
//! one round trip per page and no more.

use std::collections::HashSet;

use serde_json::Value;
use serde_json::value::RawValue;
use tokio::task::JoinHandle;

use super::client::{OnPage, PageInfo};
use super::endpoint::Endpoint;
use super::error::ZoomError;
use super::http::{Inner, label};
use super::lenient;
use super::models::FromJson;
use super::token::describe_json_error;

/// `next_page_token` as a page carried it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenField {
    Absent,
    Empty,
    Token(String),
}

/// The paging fields of one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageMeta {
    pub next_page_token: TokenField,
    pub page_count: Option<u64>,
    pub page_number: Option<u64>,
    pub total_records: Option<u64>,
}

/// Which page to ask for next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    First,
    Token(String),
    Number(u64),
}

/// Split a page body into its paging fields and its items. The list key
/// absent or `null` is an empty page (Zoom omits empty lists at times); the
/// list key holding anything but an array, or a body that is not an
/// object, is an error.
pub fn split_page(body: Value, list_key: &str) -> Result<(PageMeta, Vec<Value>), String> {
    let Value::Object(mut o) = body else {
        return Err(format!(
            "the body is {}, not an object",
            lenient::kind(&body)
        ));
    };
    let items = match o.remove(list_key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a,
        Some(other) => {
            return Err(format!(
                "`{list_key}` is {}, not an array",
                lenient::kind(&other)
            ));
        }
    };
    let meta = meta_from(&o)?;
    Ok((meta, items))
}

/// The paging fields of a page object.
fn meta_from(o: &lenient::Object) -> Result<PageMeta, String> {
    let next_page_token = match o.get("next_page_token") {
        None | Some(Value::Null) => TokenField::Absent,
        Some(Value::String(s)) if s.trim().is_empty() => TokenField::Empty,
        Some(Value::String(s)) => TokenField::Token(s.clone()),
        // Tokens are opaque strings; a number there is a garbled body, and
        // sending it back would only earn a 400.
        Some(other) => {
            return Err(format!(
                "`next_page_token` is {}, not a string",
                lenient::kind(other)
            ));
        }
    };
    Ok(PageMeta {
        next_page_token,
        page_count: lenient::count(o, "page_count"),
        page_number: lenient::count(o, "page_number"),
        total_records: lenient::count(o, "total_records"),
    })
}

const META_KEYS: [&str; 4] = [
    "next_page_token",
    "page_count",
    "page_number",
    "total_records",
];

/// Reads only the top-level paging fields, skipping everything else
/// without building it: the next request waits on this, not on the items.
/// Once all four fields are read (Zoom sends them ahead of the list), it
/// stops: the rest of the body is checked when the items are read, on a
/// blocking thread, while the next page is already on its way.
struct MetaVisitor<'a> {
    out: &'a mut lenient::Object,
}

/// Ends a [`MetaVisitor`] early; never reported.
const META_COMPLETE: &str = "paging fields complete";

impl<'de> serde::de::Visitor<'de> for MetaVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if META_KEYS.contains(&key.as_ref()) {
                let v: Value = map.next_value()?;
                self.out.insert(key.into_owned(), v);
                if self.out.len() == META_KEYS.len() {
                    return Err(serde::de::Error::custom(META_COMPLETE));
                }
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// The paging fields of a raw page body. On any failure the whole body is
/// parsed to say precisely what is wrong (the quick reader's own errors
/// may quote the body).
pub fn read_meta(body: &[u8], list_key: &str) -> Result<PageMeta, String> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let mut fields = lenient::Object::new();
    let quick = serde::Deserializer::deserialize_map(&mut de, MetaVisitor { out: &mut fields })
        .and_then(|()| de.end());
    let complete = fields.len() == META_KEYS.len();
    match quick {
        Ok(()) => meta_from(&fields),
        Err(_) if complete => meta_from(&fields),
        Err(_) => match serde_json::from_slice::<Value>(body) {
            Err(e) => Err(describe_json_error(&e, body.len())),
            Ok(v) => split_page(v, list_key).map(|(m, _)| m),
        },
    }
}

/// Picks a page's list out of its body as the items' texts, skipping
/// everything else: each item is then read by [`FromJson::from_raw`],
/// which for users builds no JSON tree.
struct ItemsVisitor<'k> {
    list_key: &'k str,
}

impl<'de> serde::de::Visitor<'de> for ItemsVisitor<'_> {
    type Value = Vec<&'de RawValue>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.list_key {
                // Absent or null is an empty page, as in `split_page`; a
                // repeated key keeps the last, as a parsed object does.
                items = map
                    .next_value::<Option<Vec<&'de RawValue>>>()?
                    .unwrap_or_default();
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(items)
    }
}

/// The items of a raw page body, as models (run on a blocking thread).
/// A body the quick reader refuses is parsed whole, for the precise error.
fn items_of<T: FromJson>(body: &[u8], list_key: &str) -> Items<T> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let quick = serde::Deserializer::deserialize_map(&mut de, ItemsVisitor { list_key })
        .and_then(|items| de.end().map(|()| items));
    match quick {
        Ok(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, raw)| T::from_raw(raw).map_err(|e| format!("item {}: {e}", i + 1)))
            .collect(),
        Err(_) => {
            let v: Value =
                serde_json::from_slice(body).map_err(|e| describe_json_error(&e, body.len()))?;
            let (_, items) = split_page(v, list_key)?;
            convert(items)
        }
    }
}

/// As [`items_of`], but an item that cannot be read is left out and
/// described instead of failing the page (read the same quick way, so a
/// listing of 100,000 users still builds no JSON tree per user). A body
/// that is not a page at all still fails.
fn items_of_isolated<T: FromJson>(body: &[u8], list_key: &str, page: u32) -> Converted<T> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let quick = serde::Deserializer::deserialize_map(&mut de, ItemsVisitor { list_key })
        .and_then(|items| de.end().map(|()| items));
    let mut good = Vec::new();
    let mut bad = Vec::new();
    let mut take = |i: usize, r: Result<T, String>, id: &dyn Fn() -> Option<String>| match r {
        Ok(t) => good.push(t),
        Err(detail) => bad.push(BadItem {
            page,
            index: i + 1,
            id: id(),
            detail,
        }),
    };
    match quick {
        Ok(items) => {
            for (i, raw) in items.into_iter().enumerate() {
                let id = || {
                    serde_json::from_str::<Value>(raw.get())
                        .ok()
                        .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_string))
                };
                take(i, T::from_raw(raw), &id);
            }
        }
        Err(_) => {
            let v: Value =
                serde_json::from_slice(body).map_err(|e| describe_json_error(&e, body.len()))?;
            let (_, items) = split_page(v, list_key)?;
            for (i, item) in items.into_iter().enumerate() {
                let id_of = item.get("id").and_then(Value::as_str).map(str::to_string);
                take(i, T::from_json(item), &|| id_of.clone());
            }
        }
    }
    Ok((good, bad))
}

/// Decides the next cursor from each page's fields.
#[derive(Debug, Default)]
pub struct Pager {
    seen_tokens: HashSet<String>,
    /// Once the server has sent a token, an absent one means "done", even
    /// if stale `page_number`/`page_count` fields suggest otherwise.
    token_mode: bool,
}

impl Pager {
    /// `Ok(None)`: the listing is complete. `Err`: the server's paging is
    /// broken (the message says how).
    pub fn next(&mut self, meta: &PageMeta, requested: &Cursor) -> Result<Option<Cursor>, String> {
        match &meta.next_page_token {
            TokenField::Token(t) => {
                self.token_mode = true;
                if !self.seen_tokens.insert(t.clone()) {
                    return Err(format!(
                        "the server repeated a next_page_token after {} pages",
                        self.seen_tokens.len() + 1
                    ));
                }
                Ok(Some(Cursor::Token(t.clone())))
            }
            TokenField::Empty => Ok(None),
            TokenField::Absent if self.token_mode => Ok(None),
            TokenField::Absent => {
                let Some(count) = meta.page_count else {
                    return Ok(None);
                };
                let asked = match requested {
                    Cursor::Number(n) => *n,
                    _ => 1,
                };
                let current = meta.page_number.unwrap_or(asked);
                if current >= count {
                    return Ok(None);
                }
                let next = current.saturating_add(1);
                if next <= asked {
                    return Err(format!(
                        "page_number did not advance (asked for page {asked}, got page {current} of {count})"
                    ));
                }
                Ok(Some(Cursor::Number(next)))
            }
        }
    }
}

/// Pages in a row that may add no new item before the listing is called
/// broken (fresh tokens over the same items would otherwise never end).
const MAX_IDLE_PAGES: u32 = 5;

type Items<T> = Result<Vec<T>, String>;

/// A page's readable items, and the ones left out (isolating listings only).
type Converted<T> = Result<(Vec<T>, Vec<BadItem>), String>;

/// A listed item that could not be read, in a listing that isolates items
/// ([`list_each_isolated`]): the rest of its page and listing go on.
#[derive(Debug, Clone, PartialEq)]
pub struct BadItem {
    /// 1-based page and position on the page.
    pub page: u32,
    pub index: usize,
    /// The item's `id`, when it is a readable string.
    pub id: Option<String>,
    /// What was wrong (never the value itself).
    pub detail: String,
}

/// Receives each item a listing left out (see [`list_each_isolated`]).
pub type BadItems<'a> = &'a (dyn Fn(BadItem) + Send + Sync);

/// Receives each page's new items as soon as they are converted, in page
/// order (see [`list_each`]).
pub type PageItems<'a, T> = &'a (dyn Fn(Vec<T>) + Send + Sync);

/// Collects converted pages: de-duplicates and reports progress.
struct Collector<'a, T> {
    out: Vec<T>,
    /// When set, new items go here instead of into `out`.
    sink: Option<PageItems<'a, T>>,
    /// Items kept so far (in `out` or handed to `sink`).
    count: usize,
    seen: HashSet<String>,
    idle: u32,
    total: Option<u64>,
    key_of: fn(&T) -> String,
    on_page: OnPage<'a>,
    on_bad: Option<BadItems<'a>>,
    label: &'a str,
}

impl<T> Collector<'_, T> {
    async fn absorb(
        &mut self,
        page: u32,
        handle: JoinHandle<Converted<T>>,
    ) -> Result<(), ZoomError> {
        let (items, bad) = handle
            .await
            .map_err(|e| ZoomError::Malformed {
                endpoint: self.label.to_string(),
                detail: format!("page {page} could not be read ({e})"),
            })?
            .map_err(|detail| ZoomError::Malformed {
                endpoint: self.label.to_string(),
                detail: format!("page {page}: {detail}"),
            })?;
        if let Some(on_bad) = self.on_bad {
            bad.into_iter().for_each(on_bad);
        }
        let received = items.len();
        let mut fresh = Vec::with_capacity(received);
        for item in items {
            if self.seen.insert((self.key_of)(&item)) {
                fresh.push(item);
            }
        }
        let added = fresh.len();
        self.count += added;
        match self.sink {
            Some(sink) => sink(fresh),
            None => self.out.append(&mut fresh),
        }
        if added < received {
            tracing::debug!(
                endpoint = self.label,
                page,
                duplicates = received - added,
                "duplicate items across pages dropped"
            );
        }
        if added == 0 {
            self.idle += 1;
            if self.idle > MAX_IDLE_PAGES {
                return Err(ZoomError::Paging {
                    endpoint: self.label.to_string(),
                    detail: format!("{} pages in a row added no new items", self.idle),
                });
            }
        } else {
            self.idle = 0;
        }
        (self.on_page)(PageInfo {
            fetched: self.count,
            total: self.total,
        });
        Ok(())
    }
}

fn convert<T: FromJson>(items: Vec<Value>) -> Items<T> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| T::from_json(v).map_err(|e| format!("item {}: {e}", i + 1)))
        .collect()
}

/// What to list.
pub(crate) struct Listing<'a, T> {
    pub endpoint: Endpoint,
    pub segments: &'a [&'a str],
    pub query: &'a [(&'a str, &'a str)],
    /// The key holding the items (`users`, `groups`, `members`).
    pub list_key: &'static str,
    /// Identity for de-duplication across pages.
    pub key_of: fn(&T) -> String,
}

/// Every item of a paged endpoint.
pub(crate) async fn list_all<T: FromJson + Send + 'static>(
    inner: &Inner,
    listing: Listing<'_, T>,
    on_page: OnPage<'_>,
) -> Result<Vec<T>, ZoomError> {
    list_pages(inner, listing, on_page, None, None)
        .await
        .map(|(items, _)| items)
}

/// Every item of a paged endpoint, handed to `on_items` page by page (in
/// order, de-duplicated across pages) instead of collected, so the caller
/// can work on a page while the next ones are fetched. Returns how many
/// items were handed over. If an expired token restarts the listing, items
/// already handed over are not handed over again.
pub(crate) async fn list_each<T: FromJson + Send + 'static>(
    inner: &Inner,
    listing: Listing<'_, T>,
    on_page: OnPage<'_>,
    on_items: PageItems<'_, T>,
) -> Result<usize, ZoomError> {
    list_pages(inner, listing, on_page, Some(on_items), None)
        .await
        .map(|(_, n)| n)
}

/// As [`list_each`], but an item that cannot be read is handed to `on_bad`
/// and the listing goes on, instead of the whole listing failing for it.
pub(crate) async fn list_each_isolated<T: FromJson + Send + 'static>(
    inner: &Inner,
    listing: Listing<'_, T>,
    on_page: OnPage<'_>,
    on_items: PageItems<'_, T>,
    on_bad: BadItems<'_>,
) -> Result<usize, ZoomError> {
    list_pages(inner, listing, on_page, Some(on_items), Some(on_bad))
        .await
        .map(|(_, n)| n)
}

async fn list_pages<T: FromJson + Send + 'static>(
    inner: &Inner,
    listing: Listing<'_, T>,
    on_page: OnPage<'_>,
    sink: Option<PageItems<'_, T>>,
    on_bad: Option<BadItems<'_>>,
) -> Result<(Vec<T>, usize), ZoomError> {
    let label = label(listing.segments, listing.query);
    let page_size = listing.endpoint.max_page_size().unwrap_or(300).to_string();
    let mut restarted = false;
    // Streamed items cannot be taken back: a restart keeps what was handed
    // over and skips it the second time round.
    let mut handed_over: (HashSet<String>, usize) = (HashSet::new(), 0);
    'listing: loop {
        let mut pager = Pager::default();
        let (seen, count) = std::mem::take(&mut handed_over);
        let mut collector = Collector {
            out: Vec::new(),
            sink,
            count,
            seen,
            idle: 0,
            total: None,
            key_of: listing.key_of,
            on_page,
            on_bad,
            label: &label,
        };
        let mut pending: Option<(u32, JoinHandle<Converted<T>>)> = None;
        let mut cursor = Cursor::First;
        let mut page = 0u32;
        loop {
            page += 1;
            let number;
            let mut query: Vec<(&str, &str)> = listing.query.to_vec();
            query.push(("page_size", page_size.as_str()));
            match &cursor {
                Cursor::First => {}
                Cursor::Token(t) => query.push(("next_page_token", t.as_str())),
                Cursor::Number(n) => {
                    number = n.to_string();
                    query.push(("page_number", number.as_str()));
                }
            }
            // The previous page's items are taken in while this page is
            // on its way (the request is polled first, so it goes out
            // before that work starts): a page costs one round trip.
            let previous = pending.take();
            let (fetched, absorbed) = tokio::join!(
                inner.get_body(listing.endpoint, listing.segments, &query),
                async {
                    match previous {
                        Some((p, h)) => collector.absorb(p, h).await,
                        None => Ok(()),
                    }
                }
            );
            absorbed?;
            let body = match fetched {
                Ok(v) => v,
                Err(ZoomError::Api {
                    status: 400,
                    code: Some(300),
                    message,
                    ..
                }) if matches!(cursor, Cursor::Token(_)) => {
                    if restarted {
                        return Err(ZoomError::Paging {
                            endpoint: label,
                            detail: format!(
                                "the page token was refused again after restarting the listing ({message})"
                            ),
                        });
                    }
                    restarted = true;
                    if sink.is_some() {
                        handed_over = (std::mem::take(&mut collector.seen), collector.count);
                    }
                    tracing::warn!(endpoint = %label, page, "page token expired; restarting the listing once");
                    continue 'listing;
                }
                Err(e) => return Err(e),
            };
            let meta = read_meta(&body, listing.list_key).map_err(|d| ZoomError::Malformed {
                endpoint: label.clone(),
                detail: format!("page {page}: {d}"),
            })?;
            collector.total = meta.total_records.or(collector.total);
            let list_key = listing.list_key;
            let isolate = on_bad.is_some();
            pending = Some((
                page,
                tokio::task::spawn_blocking(move || {
                    if isolate {
                        items_of_isolated::<T>(&body, list_key, page)
                    } else {
                        items_of::<T>(&body, list_key).map(|items| (items, Vec::new()))
                    }
                }),
            ));
            match pager.next(&meta, &cursor) {
                Ok(Some(next)) => cursor = next,
                Ok(None) => break,
                Err(detail) => {
                    return Err(ZoomError::Paging {
                        endpoint: label,
                        detail,
                    });
                }
            }
        }
        if let Some((p, h)) = pending.take() {
            collector.absorb(p, h).await?;
        }
        if let Some(total) = collector.total
            && (collector.count as u64) < total
        {
            // Not an error: users come and go during a long listing.
            tracing::warn!(endpoint = %label, fetched = collector.count, total, "listing returned fewer items than total_records");
        }
        return Ok((collector.out, collector.count));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_isolating_reader_leaves_out_only_the_unreadable_items() {
        let body = br#"{"page_size": 3, "users": [{"id": "u1", "email": "a@x.io"}, {"id": "u2", "email": 42}, {"email": "c@x.io"}, 7]}"#;
        let (good, bad) =
            items_of_isolated::<super::super::models::User>(body, "users", 4).unwrap();
        assert_eq!(good.len(), 2);
        assert_eq!(bad.len(), 2);
        assert_eq!(bad[0].page, 4);
        assert_eq!(bad[0].index, 2);
        assert_eq!(bad[0].id.as_deref(), Some("u2"));
        assert_eq!(bad[0].detail, "user has `email` as a number, not a string");
        assert_eq!(bad[1].index, 4);
        assert_eq!(bad[1].id, None);
        // a body that is not a page still fails
        assert!(items_of_isolated::<super::super::models::User>(b"{", "users", 1).is_err());
    }

    fn meta(token: TokenField, count: Option<u64>, number: Option<u64>) -> PageMeta {
        PageMeta {
            next_page_token: token,
            page_count: count,
            page_number: number,
            total_records: None,
        }
    }

    #[test]
    fn token_paging_stops_on_empty_or_absent() {
        let mut p = Pager::default();
        let c = p
            .next(
                &meta(TokenField::Token("a".into()), Some(3), Some(1)),
                &Cursor::First,
            )
            .unwrap();
        assert_eq!(c, Some(Cursor::Token("a".into())));
        // Stale page_number/page_count must not trigger number paging now.
        assert_eq!(
            p.next(
                &meta(TokenField::Absent, Some(3), Some(1)),
                &c.clone().unwrap()
            )
            .unwrap(),
            None
        );
        let mut p = Pager::default();
        assert_eq!(
            p.next(&meta(TokenField::Empty, Some(5), Some(1)), &Cursor::First)
                .unwrap(),
            None
        );
    }

    #[test]
    fn a_repeated_token_is_an_error() {
        let mut p = Pager::default();
        let m = meta(TokenField::Token("t1".into()), None, None);
        assert!(p.next(&m, &Cursor::First).is_ok());
        let m2 = meta(TokenField::Token("t2".into()), None, None);
        assert!(p.next(&m2, &Cursor::Token("t1".into())).is_ok());
        let e = p.next(&m, &Cursor::Token("t2".into())).unwrap_err();
        assert!(e.contains("repeated"), "{e}");
    }

    #[test]
    fn the_older_shape_pages_by_number() {
        let mut p = Pager::default();
        let c = p
            .next(&meta(TokenField::Absent, Some(3), Some(1)), &Cursor::First)
            .unwrap();
        assert_eq!(c, Some(Cursor::Number(2)));
        let c = p
            .next(
                &meta(TokenField::Absent, Some(3), Some(2)),
                &Cursor::Number(2),
            )
            .unwrap();
        assert_eq!(c, Some(Cursor::Number(3)));
        let c = p
            .next(
                &meta(TokenField::Absent, Some(3), Some(3)),
                &Cursor::Number(3),
            )
            .unwrap();
        assert_eq!(c, None);
        // The recorded one-page and empty shapes.
        let mut p = Pager::default();
        assert_eq!(
            p.next(&meta(TokenField::Absent, Some(1), Some(1)), &Cursor::First)
                .unwrap(),
            None
        );
        assert_eq!(
            p.next(&meta(TokenField::Absent, Some(0), Some(1)), &Cursor::First)
                .unwrap(),
            None
        );
        // No paging fields at all (the recorded /groups body).
        assert_eq!(
            p.next(&meta(TokenField::Absent, None, None), &Cursor::First)
                .unwrap(),
            None
        );
    }

    #[test]
    fn number_paging_must_advance() {
        let mut p = Pager::default();
        // The server ignores page_number and keeps answering page 1.
        let e = p
            .next(
                &meta(TokenField::Absent, Some(3), Some(1)),
                &Cursor::Number(2),
            )
            .unwrap_err();
        assert!(e.contains("did not advance"), "{e}");
        // page_number missing: count from what was asked.
        let c = p
            .next(&meta(TokenField::Absent, Some(3), None), &Cursor::Number(2))
            .unwrap();
        assert_eq!(c, Some(Cursor::Number(3)));
    }

    #[test]
    fn split_page_tolerates_shapes_and_rejects_non_objects() {
        let (m, items) = split_page(
            json!({"users": [{"email": "a"}], "next_page_token": "", "total_records": "1"}),
            "users",
        )
        .unwrap();
        assert_eq!(m.next_page_token, TokenField::Empty);
        assert_eq!(m.total_records, Some(1));
        assert_eq!(items.len(), 1);
        let (m, items) = split_page(json!({"page_count": 0, "page_number": 1}), "members").unwrap();
        assert!(items.is_empty());
        assert_eq!(m.next_page_token, TokenField::Absent);
        let (_, items) = split_page(json!({"members": null}), "members").unwrap();
        assert!(items.is_empty());
        assert!(
            split_page(json!([1, 2]), "users")
                .unwrap_err()
                .contains("an array")
        );
        assert!(
            split_page(json!({"users": {"a": 1}}), "users")
                .unwrap_err()
                .contains("not an array")
        );
        assert!(split_page(json!({"users": [], "next_page_token": {}}), "users").is_err());
        assert!(split_page(json!({"users": [], "next_page_token": 12345}), "users").is_err());
    }

    #[test]
    fn the_quick_reader_agrees_with_the_full_parse() {
        let bodies = [
            json!({"users": [{"email": "a", "next_page_token": "inner"}], "next_page_token": "t1", "page_count": 3, "page_number": "1", "total_records": 5}),
            json!({"page_count": 0, "page_number": 1, "members": []}),
            json!({"groups": [], "next_page_token": ""}),
            json!({"users": null}),
        ];
        for b in bodies {
            let raw = serde_json::to_vec(&b).unwrap();
            let (full, _) = split_page(b.clone(), "users").unwrap();
            assert_eq!(read_meta(&raw, "users").unwrap(), full, "{b}");
        }
        // Item fields of the same name do not leak into the page's.
        let raw = br#"{"users":[{"next_page_token":"inner"}],"next_page_token":""}"#;
        assert_eq!(
            read_meta(raw, "users").unwrap().next_page_token,
            TokenField::Empty
        );
    }

    #[test]
    fn the_quick_reader_reports_bad_bodies_without_quoting_them() {
        let e = read_meta(br#"{"users": [1, 2"#, "users").unwrap_err();
        assert!(
            e.contains("not valid JSON") && e.contains("truncated"),
            "{e}"
        );
        let e = read_meta(br#""secret-text""#, "users").unwrap_err();
        assert!(
            e.contains("a string, not an object") && !e.contains("secret-text"),
            "{e}"
        );
        let e =
            read_meta(br#"{"users": [], "next_page_token": ""} trailing"#, "users").unwrap_err();
        assert!(e.contains("not valid JSON"), "{e}");
        let e = read_meta(br#"{"users": [], "next_page_token": 7}"#, "users").unwrap_err();
        assert!(e.contains("not a string"), "{e}");
        let e =
            items_of::<super::super::models::User>(br#"{"users": {"a": 1}}"#, "users").unwrap_err();
        assert!(e.contains("not an array"), "{e}");
    }

    #[test]
    fn paging_fields_ahead_of_the_list_are_read_without_the_rest() {
        // All four fields come first, as Zoom sends them: the quick reader
        // stops there, and a broken list is caught when the items are read.
        let body = br#"{"page_count":3,"page_number":1,"total_records":5,"next_page_token":"t2","users":[{"email":"a@x"},{"#;
        let meta = read_meta(body, "users").unwrap();
        assert_eq!(meta.next_page_token, TokenField::Token("t2".into()));
        assert_eq!(meta.total_records, Some(5));
        let e = items_of::<super::super::models::User>(body, "users").unwrap_err();
        assert!(e.contains("not valid JSON"), "{e}");
        // The same page whole: both readers agree.
        let body = br#"{"page_count":3,"page_number":1,"total_records":5,"next_page_token":"t2","users":[{"email":"a@x"}]}"#;
        assert_eq!(read_meta(body, "users").unwrap(), meta);
        let users = items_of::<super::super::models::User>(body, "users").unwrap();
        assert_eq!(users.len(), 1);
        assert_eq!(users[0].email, "a@x");
    }

    #[test]
    fn conversion_names_the_bad_item() {
        let r = convert::<super::super::models::User>(vec![
            json!({"email": "a@x"}),
            json!({"id": "x"}),
        ]);
        let e = r.unwrap_err();
        assert!(e.contains("item 2") && e.contains("email"), "{e}");
        let r = convert::<super::super::models::User>(vec![json!("str")]);
        assert!(r.unwrap_err().contains("not an object"));
    }
}
