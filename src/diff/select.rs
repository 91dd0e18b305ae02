//! Which two snapshots `zoomscope diff` compares.

use chrono::{DateTime, Duration, Utc};

/// How the user chose the pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Selection {
    /// `--since`: compare the state as of this long ago with the latest.
    pub since: Option<Duration>,
    /// `--from A`.
    pub from: Option<i64>,
    /// `--to B`.
    pub to: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    #[error(
        "there are fewer than two snapshots of this profile: sync again to have something to compare"
    )]
    TooFew,
    #[error("there is no snapshot {0} of this profile")]
    Unknown(i64),
    #[error("snapshot {from} is not older than snapshot {to}")]
    Order { from: i64, to: i64 },
    #[error("there is no snapshot before {0}")]
    NothingBefore(i64),
}

/// Picks (from, to) among `snaps` (id, finished at), oldest first:
/// - nothing given: the last two;
/// - `since`: the newest snapshot finished at or before `now - since` (the
///   state as of then; the oldest when history is shorter) → the latest;
/// - `from`/`to`: as given; `from` alone → the latest, `to` alone → the
///   snapshot before it.
pub fn select(
    snaps: &[(i64, DateTime<Utc>)],
    sel: Selection,
    now: DateTime<Utc>,
) -> Result<(i64, i64), SelectError> {
    let known = |id: i64| {
        if snaps.iter().any(|(s, _)| *s == id) {
            Ok(id)
        } else {
            Err(SelectError::Unknown(id))
        }
    };
    let latest = snaps.last().map(|(id, _)| *id);
    let (from, to) = match (sel.from, sel.to, sel.since) {
        (Some(f), Some(t), _) => (known(f)?, known(t)?),
        (Some(f), None, _) => (known(f)?, latest.ok_or(SelectError::TooFew)?),
        (None, Some(t), _) => {
            let t = known(t)?;
            let before = snaps
                .iter()
                .take_while(|(id, _)| *id != t)
                .last()
                .map(|(id, _)| *id)
                .ok_or(SelectError::NothingBefore(t))?;
            (before, t)
        }
        (None, None, Some(since)) => {
            if snaps.len() < 2 {
                return Err(SelectError::TooFew);
            }
            let cutoff = now - since;
            let from = snaps
                .iter()
                .rev()
                .find(|(_, at)| *at <= cutoff)
                .or(snaps.first())
                .map(|(id, _)| *id)
                .ok_or(SelectError::TooFew)?;
            (from, latest.ok_or(SelectError::TooFew)?)
        }
        (None, None, None) => match snaps {
            [.., (a, _), (b, _)] => (*a, *b),
            _ => return Err(SelectError::TooFew),
        },
    };
    // Ids grow with time, so the older snapshot has the smaller id. The same
    // id twice (`--from 5 --to 5`) is allowed and gives an empty diff.
    if from > to {
        return Err(SelectError::Order { from, to });
    }
    Ok((from, to))
}
