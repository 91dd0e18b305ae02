//! Reading snapshots back into a [`Graph`].
//!
//! The latest snapshot is the open versions (`valid_to IS NULL`, a partial
//! index); an older snapshot S is the versions with
//! `valid_from <= S < valid_to`. Entities are added in first-seen order (by
//! their `eid`), so a loaded graph lists users in the order the API first
//! returned them.
//!
//! A loaded snapshot holds only what its sync fetched (and carried): never
//! the lazily fetched settings cache, which [`cached_user_settings`] reads
//! on its own, so history and alert rules compare like with like.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::Value;

use crate::graph::{Entity, EntityId, EntityType, Graph, Interner, Props};

use rusqlite::types::ValueRef;
use zstd::dict::DecoderDictionary;

use super::codec::{decode_props, etype_code, etype_from_code, rtype_from_code};
use super::compress::{Unpacker, decoder_dict, profile_dict};
use super::{Snapshot, SnapshotId, SnapshotInfo, StoreError};

pub(super) fn load(
    conn: &Connection,
    pid: i64,
    profile: &str,
    id: SnapshotId,
    is_latest: bool,
) -> Result<Snapshot, StoreError> {
    let info =
        snapshot_info(conn, pid, profile, id)?.ok_or_else(|| StoreError::UnknownSnapshot {
            profile: profile.to_string(),
            id: id.0,
        })?;
    let mut names = Interner::default();
    let mut scratch = Vec::new();
    let dict = profile_dict(conn, pid)?.map(|d| decoder_dict(&d));

    // Entities.
    let (ent_sql, rel_sql) = if is_latest {
        (
            "SELECT v.eid, e.etype, e.key, v.props FROM entity_versions v \
             JOIN entities e ON e.eid = v.eid WHERE v.profile_id = ?1 AND v.valid_to IS NULL",
            "SELECT rtype, from_eid, to_eid, props FROM rel_versions \
             WHERE profile_id = ?1 AND valid_to IS NULL",
        )
    } else {
        (
            "SELECT v.eid, e.etype, e.key, v.props FROM entity_versions v \
             JOIN entities e ON e.eid = v.eid WHERE v.profile_id = ?1 AND v.valid_from <= ?2 \
             AND (v.valid_to IS NULL OR v.valid_to > ?2)",
            "SELECT rtype, from_eid, to_eid, props FROM rel_versions \
             WHERE profile_id = ?1 AND valid_from <= ?2 AND (valid_to IS NULL OR valid_to > ?2)",
        )
    };
    let mut rows: Vec<(i64, i64, String, Vec<u8>)> = Vec::new();
    {
        let mut stmt = conn.prepare(ent_sql)?;
        let mut q = if is_latest {
            stmt.query(params![pid])?
        } else {
            stmt.query(params![pid, id.0])?
        };
        while let Some(r) = q.next()? {
            rows.push((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?));
        }
    }
    rows.sort_unstable_by_key(|r| r.0);
    let mut graph = Graph::new();
    let mut by_eid = EidIndex::new(&rows);
    for (eid, entity) in decode_entities(rows, dict.as_ref())? {
        let id = graph
            .add_entity(entity)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        by_eid.insert(eid, id);
    }

    // Relationships.
    {
        let mut stmt = conn.prepare(rel_sql)?;
        let mut q = if is_latest {
            stmt.query(params![pid])?
        } else {
            stmt.query(params![pid, id.0])?
        };
        while let Some(r) = q.next()? {
            let rtype = rtype_from_code(r.get(0)?)?;
            let (Some(from), Some(to)) = (
                by_eid.get(r.get::<_, i64>(1)?),
                by_eid.get(r.get::<_, i64>(2)?),
            ) else {
                return Err(StoreError::Corrupt(format!(
                    "{rtype} relationship whose endpoint is not in snapshot {}",
                    id.0
                )));
            };
            let props = match r.get::<_, Option<Vec<u8>>>(3)? {
                Some(b) => decode_props(&b, &mut names, &mut scratch)?,
                None => Props::new(),
            };
            graph
                .add_relationship_ids(rtype, from, to, props)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        }
    }

    Ok(Snapshot { info, graph })
}

/// Store eid → graph id. A profile's eids are a dense range, so a vector
/// offset by the smallest eid beats hashing 600,000 relationship endpoints.
struct EidIndex {
    base: i64,
    /// Dense case: slot `eid - base`.
    ids: Vec<Option<EntityId>>,
    /// Sparse case (eids spread over a range much larger than the count).
    map: HashMap<i64, EntityId>,
}

impl EidIndex {
    /// `rows` sorted by eid.
    fn new(rows: &[(i64, i64, String, Vec<u8>)]) -> Self {
        let base = rows.first().map(|r| r.0).unwrap_or(0);
        let last = rows.last().map(|r| r.0).unwrap_or(base);
        let span =
            usize::try_from(last.saturating_sub(base).saturating_add(1)).unwrap_or(usize::MAX);
        let dense = span <= rows.len().saturating_mul(4).max(1024);
        EidIndex {
            base,
            ids: if dense { vec![None; span] } else { Vec::new() },
            map: HashMap::new(),
        }
    }

    fn insert(&mut self, eid: i64, id: EntityId) {
        let slot = eid
            .checked_sub(self.base)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.ids.get_mut(i));
        match slot {
            Some(s) => *s = Some(id),
            None => {
                self.map.insert(eid, id);
            }
        }
    }

    fn get(&self, eid: i64) -> Option<EntityId> {
        let slot = eid
            .checked_sub(self.base)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.ids.get(i).copied().flatten());
        slot.or_else(|| self.map.get(&eid).copied())
    }
}

/// Decodes entity rows (in order). Decoding JSON is most of a load's CPU
/// time, so large snapshots are decoded on up to 4 threads, each with its
/// own name interner (a few duplicate name allocations, no locking).
fn decode_entities(
    rows: Vec<(i64, i64, String, Vec<u8>)>,
    dict: Option<&DecoderDictionary<'static>>,
) -> Result<Vec<(i64, Entity)>, StoreError> {
    const PARALLEL_FROM: usize = 20_000;
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4);
    let decode_chunk = |chunk: Vec<(i64, i64, String, Vec<u8>)>| {
        let mut names = Interner::default();
        let mut scratch = Vec::new();
        let mut unpacker = Unpacker::new(dict)?;
        chunk
            .into_iter()
            .map(|(eid, etype, key, blob)| {
                let props = decode_props(unpacker.unpack(&blob)?, &mut names, &mut scratch)?;
                let etype = etype_from_code(etype)?;
                Ok((eid, Entity { key, etype, props }))
            })
            .collect::<Result<Vec<_>, StoreError>>()
    };
    if threads == 1 || rows.len() < PARALLEL_FROM {
        return decode_chunk(rows);
    }
    let per = rows.len().div_ceil(threads);
    let mut chunks = Vec::with_capacity(threads);
    let mut rows = rows.into_iter();
    loop {
        let chunk: Vec<_> = rows.by_ref().take(per).collect();
        if chunk.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    let results: Vec<Result<Vec<(i64, Entity)>, StoreError>> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|c| s.spawn(move || decode_chunk(c)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(StoreError::Corrupt("decoder thread panicked".into())))
            })
            .collect()
    });
    let mut out = Vec::new();
    for r in results {
        out.extend(r?);
    }
    Ok(out)
}

pub(super) fn snapshot_info(
    conn: &Connection,
    pid: i64,
    profile: &str,
    id: SnapshotId,
) -> Result<Option<SnapshotInfo>, StoreError> {
    let row = conn
        .query_row(
            "SELECT id, account_id, started_at, finished_at, refreshed, steps, counts \
             FROM snapshots WHERE profile_id = ?1 AND id = ?2",
            params![pid, id.0],
            raw_info,
        )
        .optional()?;
    row.map(|r| r.into_info(profile)).transpose()
}

pub(super) fn snapshot_infos(
    conn: &Connection,
    pid: i64,
    profile: &str,
) -> Result<Vec<SnapshotInfo>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT id, account_id, started_at, finished_at, refreshed, steps, counts \
         FROM snapshots WHERE profile_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map(params![pid], raw_info)?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(|r| r.into_info(profile)).collect()
}

struct RawInfo {
    id: i64,
    account_id: String,
    started_at: String,
    finished_at: String,
    refreshed: String,
    steps: String,
    counts: String,
}

fn raw_info(r: &Row<'_>) -> rusqlite::Result<RawInfo> {
    Ok(RawInfo {
        id: r.get(0)?,
        account_id: r.get(1)?,
        started_at: r.get(2)?,
        finished_at: r.get(3)?,
        refreshed: r.get(4)?,
        steps: r.get(5)?,
        counts: r.get(6)?,
    })
}

impl RawInfo {
    fn into_info(self, profile: &str) -> Result<SnapshotInfo, StoreError> {
        let corrupt = |what: &str, e: &dyn std::fmt::Display| {
            StoreError::Corrupt(format!("snapshot {} {what}: {e}", self.id))
        };
        let time = |s: &str, what: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| corrupt(what, &e))
        };
        Ok(SnapshotInfo {
            id: SnapshotId(self.id),
            profile: profile.to_string(),
            account_id: self.account_id.clone(),
            started_at: time(&self.started_at, "started_at")?,
            finished_at: time(&self.finished_at, "finished_at")?,
            steps: serde_json::from_str(&self.steps).map_err(|e| corrupt("steps", &e))?,
            counts: serde_json::from_str(&self.counts).map_err(|e| corrupt("counts", &e))?,
            refreshed: serde_json::from_str(&self.refreshed)
                .map_err(|e| corrupt("refreshed", &e))?,
        })
    }
}

/// Whether a user of the profile's latest snapshot holds settings
/// properties (`entity_versions.flags` bit 0, see `schema.rs`): a sync that
/// does not fetch settings carries those over, so its graph is not what was
/// stored.
pub(super) fn latest_has_user_settings(conn: &Connection, pid: i64) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM entity_versions \
         WHERE profile_id = ?1 AND valid_to IS NULL AND (flags & 1) != 0)",
        params![pid],
        |r| r.get::<_, bool>(0),
    )?)
}

/// Role id → name of the profile's open role versions.
pub(super) fn role_names(
    conn: &Connection,
    pid: i64,
) -> Result<HashMap<String, String>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT v.props FROM entity_versions v JOIN entities e ON e.eid = v.eid \
         WHERE v.profile_id = ?1 AND v.valid_to IS NULL AND e.etype = ?2",
    )?;
    let mut rows = stmt.query(params![pid, etype_code(EntityType::Role)])?;
    let mut names = Interner::default();
    let mut scratch = Vec::new();
    let dict = profile_dict(conn, pid)?.map(|d| decoder_dict(&d));
    let mut unpacker = Unpacker::new(dict.as_ref())?;
    let mut out = HashMap::new();
    while let Some(r) = rows.next()? {
        let props = decode_props(
            unpacker.unpack_required(r.get_ref(0)?)?,
            &mut names,
            &mut scratch,
        )?;
        if let (Some(id), Some(name)) = (props.str("id"), props.str("name")) {
            out.insert(id.to_string(), name.to_string());
        }
    }
    Ok(out)
}

/// One user's lazily fetched settings and when they were fetched.
pub(super) fn cached_user_settings(
    conn: &Connection,
    pid: i64,
    key: &str,
) -> Result<Option<super::CachedSettings>, StoreError> {
    let row: Option<(String, Vec<u8>)> = conn
        .query_row(
            "SELECT u.fetched_at, u.props FROM user_settings u JOIN entities e ON e.eid = u.eid \
             WHERE e.profile_id = ?1 AND e.key = ?2",
            params![pid, key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((fetched_at, props)) = row else {
        return Ok(None);
    };
    let fetched_at = DateTime::parse_from_rfc3339(&fetched_at)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("user_settings.fetched_at of {key}: {e}")))?;
    let mut names = Interner::default();
    let props = decode_props(&props, &mut names, &mut Vec::new())?
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_json()))
        .collect();
    Ok(Some(super::CachedSettings { fetched_at, props }))
}

pub(super) fn raw_json(
    conn: &Connection,
    pid: i64,
    key: &str,
) -> Result<Option<String>, StoreError> {
    let mut out = raw_json_many(conn, pid, &[key.to_string()])?;
    Ok(out.remove(key))
}

/// The stored raw JSON of each key that has one (with a user's lazily
/// fetched settings under `_settings`). One statement and one decoder
/// dictionary for all keys: a sync reads the stored JSON of every group
/// (their settings overrides), and preparing the dictionary once per key
/// cost more than the reads.
pub(super) fn raw_json_many(
    conn: &Connection,
    pid: i64,
    keys: &[String],
) -> Result<HashMap<String, String>, StoreError> {
    let mut out = HashMap::with_capacity(keys.len());
    if keys.is_empty() {
        return Ok(out);
    }
    let dict = profile_dict(conn, pid)?.map(|d| decoder_dict(&d));
    let mut unpacker = Unpacker::new(dict.as_ref())?;
    let mut stmt = conn.prepare_cached(
        "SELECT r.json, u.raw FROM entities e LEFT JOIN raw_json r ON r.eid = e.eid \
         LEFT JOIN user_settings u ON u.eid = e.eid WHERE e.profile_id = ?1 AND e.key = ?2",
    )?;
    for key in keys {
        let row: Option<(Option<Vec<u8>>, Option<String>)> = stmt
            .query_row(params![pid, key], |r| {
                // Text (written before compression) or a zstd frame.
                let raw = match r.get_ref(0)? {
                    ValueRef::Null => None,
                    v => Some(v.as_bytes()?.to_vec()),
                };
                Ok((raw, r.get(1)?))
            })
            .optional()?;
        let Some((stored, lazy)) = row else {
            continue;
        };
        let raw = match stored {
            None => None,
            Some(stored) => {
                let text = unpacker.unpack(&stored).and_then(|json| {
                    String::from_utf8(json.to_vec())
                        .map_err(|_| StoreError::Corrupt(format!("raw JSON of {key} is not UTF-8")))
                });
                match text {
                    Ok(t) => Some(t),
                    // One unreadable row costs that key only (a caller
                    // keeping earlier data keeps the others').
                    Err(e) if keys.len() > 1 => {
                        tracing::warn!(%key, error = %e, "stored raw JSON unreadable");
                        continue;
                    }
                    Err(e) => return Err(e),
                }
            }
        };
        let joined = match (raw, lazy) {
            (Some(raw), Some(lazy)) => match (
                serde_json::from_str::<Value>(&raw),
                serde_json::from_str::<Value>(&lazy),
            ) {
                (Ok(Value::Object(mut m)), Ok(settings)) => {
                    m.insert("_settings".into(), settings);
                    Some(Value::Object(m).to_string())
                }
                _ => Some(raw),
            },
            (raw, _) => raw,
        };
        if let Some(j) = joined {
            out.insert(key.clone(), j);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eid_index_dense_and_sparse() {
        let rows = |eids: &[i64]| -> Vec<(i64, i64, String, Vec<u8>)> {
            eids.iter()
                .map(|e| (*e, 2, String::new(), vec![]))
                .collect()
        };
        let dense = rows(&[5, 6, 8]);
        let mut ix = EidIndex::new(&dense);
        for (i, e) in [5, 6, 8].into_iter().enumerate() {
            ix.insert(e, EntityId(i as u32));
        }
        assert_eq!(ix.get(8), Some(EntityId(2)));
        assert_eq!(ix.get(7), None);
        assert_eq!(ix.get(4), None);
        assert_eq!(ix.get(i64::MIN), None);
        let sparse = rows(&[1, i64::MAX]);
        let mut ix = EidIndex::new(&sparse);
        assert!(ix.ids.is_empty());
        ix.insert(1, EntityId(0));
        ix.insert(i64::MAX, EntityId(1));
        assert_eq!(ix.get(i64::MAX), Some(EntityId(1)));
        assert_eq!(ix.get(1), Some(EntityId(0)));
        assert_eq!(ix.get(2), None);
    }

    #[test]
    fn parallel_decoding_keeps_order_and_content() {
        let rows: Vec<(i64, i64, String, Vec<u8>)> = (0..25_000)
            .map(|i| {
                (
                    i,
                    2,
                    format!("zoom_user:{i}"),
                    format!("{{\"email\":\"u{i}@x.io\",\"pmi\":{i}}}").into_bytes(),
                )
            })
            .collect();
        let out = decode_entities(rows, None).unwrap();
        assert_eq!(out.len(), 25_000);
        for (i, (eid, e)) in out.iter().enumerate() {
            assert_eq!(*eid, i as i64);
            assert_eq!(e.key, format!("zoom_user:{i}"));
            assert_eq!(e.props.json("pmi"), Some(serde_json::json!(i)));
        }
        let bad = vec![(1, 2, "k".to_string(), b"{oops".to_vec()); 30_000];
        assert!(decode_entities(bad, None).is_err());
    }
}
