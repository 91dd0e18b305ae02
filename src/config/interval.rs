//! `polling_interval = "15m"` or `"DISABLED"`.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How often the TUI and `watch` re-sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollingInterval {
    Every(Duration),
    Disabled,
}

impl PollingInterval {
    /// The default when a profile does not say: every 15 minutes.
    pub const DEFAULT: PollingInterval = PollingInterval::Every(Duration::from_secs(15 * 60));

    pub fn parse(s: &str) -> Result<Self, String> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("disabled") {
            return Ok(PollingInterval::Disabled);
        }
        let d = humantime::parse_duration(t).map_err(|e| {
            format!("polling_interval `{t}`: {e} (use e.g. \"15m\" or \"DISABLED\")")
        })?;
        if d < Duration::from_secs(10) {
            return Err(format!(
                "polling_interval `{t}` is shorter than 10 s, which would spend the rate limit on polling"
            ));
        }
        Ok(PollingInterval::Every(d))
    }

    pub fn duration(self) -> Option<Duration> {
        match self {
            PollingInterval::Every(d) => Some(d),
            PollingInterval::Disabled => None,
        }
    }
}

impl fmt::Display for PollingInterval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PollingInterval::Every(d) => write!(f, "{}", humantime::format_duration(*d)),
            PollingInterval::Disabled => f.write_str("DISABLED"),
        }
    }
}

impl<'de> Deserialize<'de> for PollingInterval {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        PollingInterval::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl Serialize for PollingInterval {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_durations_and_disabled() {
        assert_eq!(
            PollingInterval::parse("15m"),
            Ok(PollingInterval::Every(Duration::from_secs(900)))
        );
        assert_eq!(
            PollingInterval::parse("DISABLED"),
            Ok(PollingInterval::Disabled)
        );
        assert!(PollingInterval::parse("soon").is_err());
        assert!(PollingInterval::parse("1s").is_err());
        assert_eq!(
            PollingInterval::parse("1h 30m").unwrap().to_string(),
            "1h 30m"
        );
    }
}
