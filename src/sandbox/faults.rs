//! Fault injection. Every decision is a pure function of (seed, request
//! number, purpose), so a run with the same seed and the same request order
//! injects the same faults.

use std::time::Duration;

use serde_json::Value;

use super::endpoints::ScopeErrorStyle;
use super::paging::PagingQuirks;
use super::rng::decision;

/// Fault injection, deterministic under the seed. All off by default.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Added to every `/v2` request before it is answered.
    pub latency: Duration,
    /// Fraction (0.0–1.0) of API requests answered with a 5xx.
    pub error_rate: f64,
    /// Fraction of requests answered with a per-second (QPS) 429.
    pub burst_429_rate: f64,
    /// Fraction of requests whose connection is closed without a response.
    pub drop_rate: f64,
    /// Fraction of responses with a malformed body (truncated JSON or
    /// fields of the wrong type).
    pub malformed_rate: f64,
    /// Fraction of requests whose (valid) token is expired on the spot
    /// (401 code 124 "Access token is expired.").
    pub early_expiry_rate: f64,
    /// Each access token expires after this many API requests.
    pub token_max_uses: Option<u64>,
    /// Paging test modes.
    pub paging: PagingQuirks,
    /// How a missing scope is answered (403, or 400 with code 4711/4700/104).
    pub scope_error: ScopeErrorStyle,
}

/// What to do with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Decision {
    pub drop: bool,
    pub expire_token: bool,
    /// Some(status) for an injected 5xx.
    pub server_error: Option<u16>,
    pub burst_429: bool,
    pub malformed: Option<Malformation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformation {
    /// The body cut in half (invalid JSON).
    Truncated,
    /// Valid JSON with fields of the wrong type.
    WrongTypes,
}

const DROP: u64 = 1;
const ERROR: u64 = 2;
const ERROR_KIND: u64 = 3;
const BURST: u64 = 4;
const MALFORMED: u64 = 5;
const MALFORMED_KIND: u64 = 6;
const EXPIRY: u64 = 7;

impl Faults {
    pub fn any(&self) -> bool {
        self.error_rate > 0.0
            || self.burst_429_rate > 0.0
            || self.drop_rate > 0.0
            || self.malformed_rate > 0.0
            || self.early_expiry_rate > 0.0
    }

    /// The decision for API request number `n`.
    pub fn decide(&self, seed: u64, n: u64) -> Decision {
        if !self.any() {
            return Decision::default();
        }
        let hit = |purpose: u64, rate: f64| rate > 0.0 && decision(seed, n, purpose) < rate;
        Decision {
            drop: hit(DROP, self.drop_rate),
            expire_token: hit(EXPIRY, self.early_expiry_rate),
            server_error: hit(ERROR, self.error_rate).then(|| {
                let k = decision(seed, n, ERROR_KIND);
                if k < 0.5 {
                    500
                } else if k < 0.8 {
                    503
                } else {
                    502
                }
            }),
            burst_429: hit(BURST, self.burst_429_rate),
            malformed: hit(MALFORMED, self.malformed_rate).then(|| {
                if decision(seed, n, MALFORMED_KIND) < 0.5 {
                    Malformation::Truncated
                } else {
                    Malformation::WrongTypes
                }
            }),
        }
    }
}

/// Applies a malformation to a JSON body.
pub fn malform(body: Vec<u8>, how: Malformation) -> Vec<u8> {
    match how {
        Malformation::Truncated => {
            let keep = (body.len() / 2).max(1).min(body.len());
            body.get(..keep).map(<[u8]>::to_vec).unwrap_or_default()
        }
        Malformation::WrongTypes => {
            let Ok(mut v) = serde_json::from_slice::<Value>(&body) else {
                return body;
            };
            wrong_types(&mut v);
            serde_json::to_vec(&v).unwrap_or(body)
        }
    }
}

/// Numbers become strings and strings become numbers at the top level and
/// in the first item of each list, so a strict model must reject the body.
fn wrong_types(v: &mut Value) {
    let Value::Object(map) = v else {
        return;
    };
    for (_, field) in map.iter_mut() {
        match field {
            Value::Number(n) => *field = Value::String(format!("{n} records")),
            Value::String(_) => *field = Value::from(12_345),
            Value::Bool(b) => *field = Value::String(b.to_string()),
            Value::Array(items) => {
                if let Some(Value::Object(first)) = items.first_mut() {
                    for (_, inner) in first.iter_mut() {
                        match inner {
                            Value::Number(_) => *inner = Value::String("two".into()),
                            Value::String(_) => *inner = Value::from(42),
                            Value::Array(_) => *inner = Value::String("[]".into()),
                            _ => {}
                        }
                    }
                }
            }
            Value::Object(inner) => {
                for (_, x) in inner.iter_mut() {
                    if let Value::Bool(b) = x {
                        *x = Value::String(b.to_string());
                    }
                }
            }
            Value::Null => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_are_reproducible_and_near_the_rate() {
        let f = Faults {
            error_rate: 0.2,
            ..Faults::default()
        };
        let a: Vec<_> = (0..1_000).map(|n| f.decide(5, n)).collect();
        let b: Vec<_> = (0..1_000).map(|n| f.decide(5, n)).collect();
        assert_eq!(a, b);
        let errors = a.iter().filter(|d| d.server_error.is_some()).count();
        assert!((150..250).contains(&errors), "{errors}");
    }

    #[test]
    fn malformed_bodies_do_not_parse_as_before() {
        let body = br#"{"total_records":3,"users":[{"id":"a","type":1}]}"#.to_vec();
        assert!(
            serde_json::from_slice::<Value>(&malform(body.clone(), Malformation::Truncated))
                .is_err()
        );
        let v: Value = serde_json::from_slice(&malform(body, Malformation::WrongTypes)).unwrap();
        assert!(v["total_records"].is_string());
        assert!(v["users"][0]["type"].is_string());
    }
}
