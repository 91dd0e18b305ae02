//! Writing snapshots: only what changed, in one transaction.
//!
//! Steps of [`save_snapshot`]:
//! 1. read the open (current) versions of the profile's entities and
//!    relationships — keys, hashes and row ids, not the properties — or
//!    take them from a [`WriteBase`] read while the sync was fetching, when
//!    no snapshot of the profile was written since;
//! 2. for each entity of a refreshed type: unchanged hash → nothing;
//!    changed → close the old version at this snapshot and insert a new
//!    one; new key → insert. Open versions of refreshed types absent from
//!    the graph are closed (deleted). Entities of types not refreshed keep
//!    their open versions (carried); ones the previous snapshot did not have
//!    are added, since adding replaces nothing;
//! 3. relationships likewise; carried relationships whose endpoints are no
//!    longer present are closed;
//! 4. raw JSON rows are rewritten when their hash changed;
//! 5. user settings: unless the sync fetched them (`Parts::user_settings`),
//!    each written user keeps the settings properties of its previous
//!    version. Settings fetched lazily (the explorer's detail view) are a
//!    cache beside the history and are never folded in: a version compared
//!    with one without them would show every setting as changed from
//!    nothing. A settings sync supersedes that cache and clears it.

use std::collections::BTreeMap;

// foldhash (randomly seeded per map) rather than SipHash: a 100,000-user
// write looks up ~500,000 keys, and these maps live for one write only.
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde_json::Value;

use crate::graph::{Entity, EntityType, Interner, Props, is_user_setting_prop};

use super::codec::{
    bytes_hash, decode_props, encode_props, etype_code, etype_from_code, props_hash, rtype_code,
    rtype_from_code,
};
use super::compress::{
    Packer, TRAIN_FROM, TRAIN_SAMPLES, Unpacker, decoder_dict, encoder_dict, profile_dict, train,
};
use super::{SnapshotId, SnapshotInfo, SnapshotWrite, StoreError};

/// `flags` bit: a user version that carries settings properties.
const FLAG_HAS_SETTINGS: i64 = 1;

struct OpenEntity {
    row: i64,
    eid: i64,
    etype: EntityType,
    hash: i64,
    seen: bool,
}

struct OpenRel {
    row: i64,
    props: Option<Vec<u8>>,
    keep: bool,
}

/// What a snapshot write compares against, read from the store while the
/// sync is still fetching ([`read_base`]) so that a 100,000-user write does
/// not start by reading 300,000 rows after the last page: the open versions'
/// keys, hashes and row ids, the raw JSON hashes, the open relationships and
/// the compression dictionary. Valid only while no other snapshot of the
/// profile is written; [`save_snapshot`] checks that and reads again if not.
pub struct WriteBase {
    profile: String,
    /// The profile's latest snapshot id when this was read (`None`: none).
    latest: Option<i64>,
    open: HashMap<String, OpenEntity>,
    raw_hashes: HashMap<i64, i64>,
    open_rels: HashMap<(i64, i64, i64), OpenRel>,
    dict: Option<Vec<u8>>,
}

impl std::fmt::Debug for WriteBase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteBase")
            .field("profile", &self.profile)
            .field("latest", &self.latest)
            .field("open", &self.open.len())
            .field("open_rels", &self.open_rels.len())
            .finish_non_exhaustive()
    }
}

/// Reads a [`WriteBase`] for `profile` in one read transaction (a
/// consistent view beside concurrent writers, WAL).
pub(super) fn read_base(conn: &Connection, profile: &str) -> Result<WriteBase, StoreError> {
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Deferred)?;
    let pid: Option<i64> = tx
        .query_row(
            "SELECT id FROM profiles WHERE name = ?1",
            params![profile],
            |r| r.get(0),
        )
        .optional()?;
    let base = match pid {
        None => WriteBase {
            profile: profile.to_string(),
            latest: None,
            open: HashMap::new(),
            raw_hashes: HashMap::new(),
            open_rels: HashMap::new(),
            dict: None,
        },
        Some(pid) => WriteBase {
            profile: profile.to_string(),
            latest: latest_snapshot(&tx, pid)?,
            open: open_entities(&tx, pid)?,
            raw_hashes: raw_hashes(&tx, pid)?,
            open_rels: open_relationships(&tx, pid)?,
            dict: profile_dict(&tx, pid)?,
        },
    };
    tx.commit()?;
    Ok(base)
}

fn latest_snapshot(tx: &Transaction<'_>, pid: i64) -> Result<Option<i64>, StoreError> {
    Ok(tx.query_row(
        "SELECT max(id) FROM snapshots WHERE profile_id = ?1",
        params![pid],
        |r| r.get(0),
    )?)
}

pub(super) fn save_snapshot(
    conn: &Connection,
    w: &SnapshotWrite<'_>,
    base: Option<WriteBase>,
) -> Result<SnapshotInfo, StoreError> {
    // Statement journals (UPDATE … of the open versions) in memory rather
    // than in temporary files.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let pid = profile_id_or_insert(&tx, w.profile)?;
    // The base read ahead is what the store holds now unless a snapshot of
    // this profile was written since (only snapshot writes change open
    // versions, raw JSON and relationships).
    let latest = latest_snapshot(&tx, pid)?;
    let base = match base {
        Some(b) if b.profile == w.profile && b.latest == latest => b,
        _ => WriteBase {
            profile: w.profile.to_string(),
            latest,
            open: open_entities(&tx, pid)?,
            raw_hashes: raw_hashes(&tx, pid)?,
            open_rels: open_relationships(&tx, pid)?,
            dict: profile_dict(&tx, pid)?,
        },
    };
    let refreshed_json =
        serde_json::to_string(w.refreshed).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let steps_json =
        serde_json::to_string(w.steps).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.execute(
        "INSERT INTO snapshots (profile_id, account_id, started_at, finished_at, refreshed, steps, counts) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, '{}')",
        params![
            pid,
            w.account_id,
            w.started_at.to_rfc3339(),
            w.finished_at.to_rfc3339(),
            refreshed_json,
            steps_json
        ],
    )?;
    let sid = tx.last_insert_rowid();

    let WriteBase {
        mut open,
        raw_hashes,
        mut open_rels,
        dict,
        ..
    } = base;
    let dict = match dict {
        Some(d) => Some(d),
        None => dictionary(&tx, pid, w)?,
    };
    let enc = dict.as_deref().map(encoder_dict);
    let dec = dict.as_deref().map(decoder_dict);
    let mut packer = Packer::new(enc.as_ref())?;
    let carried_settings = if w.refreshed.user_settings {
        HashMap::new()
    } else {
        settings_to_carry(&tx, pid, &open, w, &mut Unpacker::new(dec.as_ref())?)?
    };

    // Entities.
    let mut eid_of: Vec<i64> = Vec::with_capacity(w.graph.entity_count());
    let mut live: HashSet<i64> = HashSet::with_capacity(open.len() + w.graph.entity_count());
    let mut buf = Vec::with_capacity(4096);
    {
        let mut close =
            tx.prepare_cached("UPDATE entity_versions SET valid_to = ?1 WHERE rowid = ?2")?;
        let mut insert = tx.prepare_cached(
            "INSERT INTO entity_versions (eid, profile_id, valid_from, hash, flags, props) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut new_entity = tx.prepare_cached(
            "INSERT INTO entities (profile_id, key, etype) VALUES (?1, ?2, ?3) \
             ON CONFLICT (profile_id, key) DO UPDATE SET etype = excluded.etype RETURNING eid",
        )?;
        let mut put_raw = tx.prepare_cached(
            "INSERT INTO raw_json (eid, hash, json) VALUES (?1, ?2, ?3) \
             ON CONFLICT (eid) DO UPDATE SET hash = excluded.hash, json = excluded.json",
        )?;
        for (_, e) in w.graph.entities() {
            if !w.refreshed.has_entity(e.etype)
                && let Some(o) = open.get_mut(&e.key)
            {
                // Carried: the previous snapshot's data of this part stays.
                o.seen = true;
                eid_of.push(o.eid);
                live.insert(o.eid);
                continue;
            }
            let previous = open.get_mut(&e.key);
            let carried = carried_settings.get(&e.key);
            let props = entity_props(e, carried);
            // Compared by a hash of the properties as they are: an
            // unchanged entity is neither encoded nor compressed, nor are
            // its flags worked out.
            let hash = props_hash(e.etype, &props);
            let eid = match previous {
                Some(o) => {
                    o.seen = true;
                    if o.hash != hash {
                        let blob = encode_packed(&props, &mut buf, &mut packer)?;
                        let flags = flags_of(e.etype, &props);
                        close.execute(params![sid, o.row])?;
                        insert.execute(params![o.eid, pid, sid, hash, flags, blob])?;
                    }
                    o.eid
                }
                None => {
                    let eid: i64 = new_entity
                        .query_row(params![pid, e.key, etype_code(e.etype)], |r| r.get(0))?;
                    let blob = encode_packed(&props, &mut buf, &mut packer)?;
                    let flags = flags_of(e.etype, &props);
                    insert.execute(params![eid, pid, sid, hash, flags, blob])?;
                    eid
                }
            };
            eid_of.push(eid);
            live.insert(eid);
            if let Some(raw) = w.raw.get(&e.key) {
                let raw = with_carried_raw(raw, carried);
                let h = bytes_hash(raw.as_bytes());
                if raw_hashes.get(&eid) != Some(&h) {
                    put_raw.execute(params![eid, h, packer.pack(raw.as_bytes())?])?;
                }
            }
        }
        let mut drop_raw = tx.prepare_cached("DELETE FROM raw_json WHERE eid = ?1")?;
        for o in open.values().filter(|o| !o.seen) {
            if w.refreshed.has_entity(o.etype) {
                close.execute(params![sid, o.row])?;
                drop_raw.execute(params![o.eid])?;
            } else {
                live.insert(o.eid);
            }
        }
    }
    // Settings fetched for every user supersede the lazily fetched cache.
    if w.refreshed.has_entity(EntityType::User) && w.refreshed.user_settings {
        tx.execute(
            "DELETE FROM user_settings WHERE eid IN (SELECT eid FROM entities WHERE profile_id = ?1)",
            params![pid],
        )?;
    }

    // Relationships.
    {
        let mut close =
            tx.prepare_cached("UPDATE rel_versions SET valid_to = ?1 WHERE rowid = ?2")?;
        let mut insert = tx.prepare_cached(
            "INSERT INTO rel_versions (profile_id, rtype, from_eid, to_eid, valid_from, props) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (_, r) in w.graph.relationships() {
            let (Some(from), Some(to)) = (
                eid_of.get(r.from.0 as usize).copied(),
                eid_of.get(r.to.0 as usize).copied(),
            ) else {
                continue;
            };
            let props = if r.props.is_empty() {
                None
            } else {
                let mut b = Vec::new();
                encode_props(&r.props, &mut b)?;
                Some(b)
            };
            let code = rtype_code(r.rtype);
            match open_rels.get_mut(&(code, from, to)) {
                Some(o) if o.keep => {}
                Some(o) => {
                    o.keep = true;
                    if o.props != props && w.refreshed.has_relationship(r.rtype) {
                        close.execute(params![sid, o.row])?;
                        insert.execute(params![pid, code, from, to, sid, props])?;
                    }
                }
                None => {
                    insert.execute(params![pid, code, from, to, sid, props])?;
                    open_rels.insert(
                        (code, from, to),
                        OpenRel {
                            row: 0,
                            props: None,
                            keep: true,
                        },
                    );
                }
            }
        }
        for ((code, from, to), o) in open_rels.iter_mut().filter(|(_, o)| !o.keep) {
            let rtype = rtype_from_code(*code)?;
            let carried = !w.refreshed.has_relationship(rtype);
            if carried && live.contains(from) && live.contains(to) {
                o.keep = true;
            } else {
                close.execute(params![sid, o.row])?;
            }
        }
    }

    // Counts of the resulting snapshot.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut live_types: HashMap<i64, EntityType> = HashMap::with_capacity(live.len());
    for o in open.values() {
        live_types.insert(o.eid, o.etype);
    }
    for (i, (_, e)) in w.graph.entities().enumerate() {
        if let Some(eid) = eid_of.get(i) {
            live_types.entry(*eid).or_insert(e.etype);
        }
    }
    for eid in &live {
        if let Some(t) = live_types.get(eid) {
            *counts.entry(t.as_str().to_string()).or_default() += 1;
        }
    }
    for (code, _, _) in open_rels.iter().filter(|(_, o)| o.keep).map(|(k, _)| k) {
        *counts
            .entry(rtype_from_code(*code)?.as_str().to_string())
            .or_default() += 1;
    }
    let counts_json =
        serde_json::to_string(&counts).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.execute(
        "UPDATE snapshots SET counts = ?1 WHERE id = ?2",
        params![counts_json, sid],
    )?;
    tx.commit()?;
    // The maps of 100,000 keys are freed beside the caller's next steps.
    crate::util::aside::drop_aside((open, open_rels, live, live_types, eid_of, raw_hashes));
    Ok(SnapshotInfo {
        id: SnapshotId(sid),
        profile: w.profile.to_string(),
        account_id: w.account_id.to_string(),
        started_at: w.started_at,
        finished_at: w.finished_at,
        steps: w.steps.to_vec(),
        counts,
        refreshed: w.refreshed.clone(),
    })
}

/// Settings properties (and raw bodies) a user keeps from before.
struct CarriedSettings {
    props: Vec<(String, Value)>,
    raw: Option<Value>,
}

/// An entity's properties as stored (merged with carried settings).
/// Borrowed unless settings are merged in.
fn entity_props<'e>(
    e: &'e Entity,
    carried: Option<&CarriedSettings>,
) -> std::borrow::Cow<'e, Props> {
    match carried.filter(|c| e.etype == EntityType::User && !c.props.is_empty()) {
        None => std::borrow::Cow::Borrowed(&e.props),
        Some(carried) => {
            let mut props = e.props.clone();
            for (k, v) in &carried.props {
                if props.get(k).is_none() {
                    props.insert(k.as_str().into(), v.clone());
                }
            }
            std::borrow::Cow::Owned(props)
        }
    }
}

/// A new version's flags.
fn flags_of(etype: EntityType, props: &Props) -> i64 {
    let has_settings =
        etype == EntityType::User && props.iter().any(|(k, _)| is_user_setting_prop(k));
    if has_settings { FLAG_HAS_SETTINGS } else { 0 }
}

/// Encodes properties into `buf` (reused) and compresses them.
fn encode_packed(
    props: &Props,
    buf: &mut Vec<u8>,
    packer: &mut Packer<'_>,
) -> Result<Vec<u8>, StoreError> {
    buf.clear();
    encode_props(props, buf)?;
    packer.pack(buf)
}

/// A compression dictionary for a profile that has none yet, trained
/// now on a sample of this graph's entities when it has enough of them.
fn dictionary(
    tx: &Transaction<'_>,
    pid: i64,
    w: &SnapshotWrite<'_>,
) -> Result<Option<Vec<u8>>, StoreError> {
    let n = w.graph.entity_count();
    if n < TRAIN_FROM {
        return Ok(None);
    }
    // Evenly spread over the graph: users, groups and roles alike.
    let step = n.div_ceil(TRAIN_SAMPLES).max(1);
    let mut samples = Vec::with_capacity(2 * n.div_ceil(step));
    for (_, e) in w.graph.entities().step_by(step) {
        let mut b = Vec::new();
        encode_props(&e.props, &mut b)?;
        samples.push(b);
        if let Some(raw) = w.raw.get(&e.key) {
            samples.push(raw.as_bytes().to_vec());
        }
    }
    let Some(dict) = train(&samples) else {
        return Ok(None);
    };
    tx.execute(
        "UPDATE profiles SET zdict = ?1 WHERE id = ?2",
        params![dict, pid],
    )?;
    Ok(Some(dict))
}

/// The user's raw JSON with carried `_settings` bodies added, when any.
fn with_carried_raw<'a>(
    raw: &'a str,
    carried: Option<&CarriedSettings>,
) -> std::borrow::Cow<'a, str> {
    let Some(settings) = carried.and_then(|c| c.raw.as_ref()) else {
        return raw.into();
    };
    match serde_json::from_str::<Value>(raw) {
        Ok(Value::Object(mut m)) if !m.contains_key("_settings") => {
            m.insert("_settings".into(), settings.clone());
            Value::Object(m).to_string().into()
        }
        _ => raw.into(),
    }
}

/// For each user in the new graph that has no settings of its own: the
/// settings its previous version had (never the lazily fetched cache).
fn settings_to_carry(
    tx: &Transaction<'_>,
    pid: i64,
    open: &HashMap<String, OpenEntity>,
    w: &SnapshotWrite<'_>,
    unpacker: &mut Unpacker<'_>,
) -> Result<HashMap<String, CarriedSettings>, StoreError> {
    let mut out = HashMap::new();
    if !w.refreshed.has_entity(EntityType::User) {
        return Ok(out);
    }
    let by_eid: HashMap<i64, &str> = open.iter().map(|(k, o)| (o.eid, k.as_str())).collect();
    let wants = |key: &str| {
        w.graph
            .get(key)
            .is_some_and(|e| !e.props.iter().any(|(k, _)| is_user_setting_prop(k)))
    };
    let mut names = Interner::default();
    let mut scratch = Vec::new();
    // Previous versions with settings.
    let mut stmt = tx.prepare(
        "SELECT v.eid, v.props, r.json FROM entity_versions v LEFT JOIN raw_json r ON r.eid = v.eid \
         WHERE v.profile_id = ?1 AND v.valid_to IS NULL AND (v.flags & ?2) != 0",
    )?;
    let mut rows = stmt.query(params![pid, FLAG_HAS_SETTINGS])?;
    while let Some(r) = rows.next()? {
        let eid: i64 = r.get(0)?;
        let Some(key) = by_eid.get(&eid).copied().filter(|k| wants(k)) else {
            continue;
        };
        let props = decode_props(
            unpacker.unpack_required(r.get_ref(1)?)?,
            &mut names,
            &mut scratch,
        )?;
        let raw = unpacker
            .unpack_column(r.get_ref(2)?)?
            .and_then(|b| serde_json::from_slice::<Value>(b).ok())
            .and_then(|v| v.get("_settings").cloned());
        out.insert(
            key.to_string(),
            CarriedSettings {
                props: props
                    .iter()
                    .filter(|(k, _)| is_user_setting_prop(k))
                    .map(|(k, v)| (k.to_string(), v.to_json()))
                    .collect(),
                raw,
            },
        );
    }
    Ok(out)
}

fn profile_id_or_insert(tx: &Transaction<'_>, profile: &str) -> Result<i64, StoreError> {
    tx.execute(
        "INSERT INTO profiles (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
        params![profile],
    )?;
    Ok(tx.query_row(
        "SELECT id FROM profiles WHERE name = ?1",
        params![profile],
        |r| r.get(0),
    )?)
}

fn open_entities(
    tx: &Transaction<'_>,
    pid: i64,
) -> Result<HashMap<String, OpenEntity>, StoreError> {
    let mut stmt = tx.prepare(
        "SELECT v.rowid, v.eid, e.key, e.etype, v.hash FROM entity_versions v \
         JOIN entities e ON e.eid = v.eid WHERE v.profile_id = ?1 AND v.valid_to IS NULL",
    )?;
    let mut rows = stmt.query(params![pid])?;
    let mut out = HashMap::new();
    while let Some(r) = rows.next()? {
        out.insert(
            r.get::<_, String>(2)?,
            OpenEntity {
                row: r.get(0)?,
                eid: r.get(1)?,
                etype: etype_from_code(r.get(3)?)?,
                hash: r.get(4)?,
                seen: false,
            },
        );
    }
    Ok(out)
}

fn raw_hashes(tx: &Transaction<'_>, pid: i64) -> Result<HashMap<i64, i64>, StoreError> {
    let mut stmt = tx.prepare(
        "SELECT r.eid, r.hash FROM raw_json r JOIN entities e ON e.eid = r.eid WHERE e.profile_id = ?1",
    )?;
    let map = stmt
        .query_map(params![pid], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<HashMap<i64, i64>, _>>()?;
    Ok(map)
}

fn open_relationships(
    tx: &Transaction<'_>,
    pid: i64,
) -> Result<HashMap<(i64, i64, i64), OpenRel>, StoreError> {
    let mut stmt = tx.prepare(
        "SELECT rowid, rtype, from_eid, to_eid, props FROM rel_versions \
         WHERE profile_id = ?1 AND valid_to IS NULL",
    )?;
    let mut rows = stmt.query(params![pid])?;
    let mut out = HashMap::new();
    while let Some(r) = rows.next()? {
        out.insert(
            (r.get(1)?, r.get(2)?, r.get(3)?),
            OpenRel {
                row: r.get(0)?,
                props: r.get(4)?,
                keep: false,
            },
        );
    }
    Ok(out)
}

/// Upserts one user's lazily fetched settings. Ok(None) when the profile
/// has no such entity.
pub(super) fn save_user_settings(
    conn: &Connection,
    pid: i64,
    user_key: &str,
    props: &[(String, Value)],
    raw: Option<&str>,
) -> Result<Option<()>, StoreError> {
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let eid: Option<i64> = tx
        .query_row(
            "SELECT eid FROM entities WHERE profile_id = ?1 AND key = ?2",
            params![pid, user_key],
            |r| r.get(0),
        )
        .optional()?;
    let Some(eid) = eid else { return Ok(None) };
    let sid: i64 = tx.query_row(
        "SELECT coalesce(max(id), 0) FROM snapshots WHERE profile_id = ?1",
        params![pid],
        |r| r.get(0),
    )?;
    // Stored as given: sync's converter redacted both already.
    let mut sorted = Props::with_capacity(props.len());
    for (k, v) in props {
        sorted.insert(k.as_str().into(), v.clone());
    }
    let mut buf = Vec::new();
    encode_props(&sorted, &mut buf)?;
    if let Some(s) = raw {
        // Kept as text and read back as JSON: refuse what would not read.
        serde_json::from_str::<serde::de::IgnoredAny>(s)
            .map_err(|e| StoreError::Corrupt(format!("settings raw JSON: {e}")))?;
    }
    tx.execute(
        "INSERT INTO user_settings (eid, snapshot_id, fetched_at, props, raw) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (eid) DO UPDATE SET snapshot_id = excluded.snapshot_id, \
         fetched_at = excluded.fetched_at, props = excluded.props, raw = excluded.raw",
        params![eid, sid, Utc::now().to_rfc3339(), buf, raw],
    )?;
    tx.commit()?;
    Ok(Some(()))
}
