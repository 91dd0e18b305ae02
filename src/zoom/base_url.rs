//! Base-URL policy: https anywhere, plain http only to loopback (the
//! sandbox). Credentials and tokens must never cross a network in clear.

use std::net::IpAddr;

use url::{Host, Url};

use super::error::ZoomError;

/// Parse and check a base URL (`api_url` or `oauth_url`). The result has no
/// trailing slash in its path, so paths are appended uniformly.
pub fn validate(name: &str, raw: &str) -> Result<Url, ZoomError> {
    let url = Url::parse(raw.trim())
        .map_err(|e| ZoomError::Config(format!("{name} is not a valid URL ({e})")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ZoomError::Config(format!(
            "{name} must not carry credentials in the URL"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ZoomError::Config(format!(
            "{name} must not have a query or fragment"
        )));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(ZoomError::Config(format!(
                "{name} uses plain http to a non-loopback host; use https (http is allowed only to 127.0.0.0/8, ::1 and localhost)"
            )));
        }
        other => {
            return Err(ZoomError::Config(format!(
                "{name} has unsupported scheme `{other}` (use https)"
            )));
        }
    }
    if url.host().is_none() {
        return Err(ZoomError::Config(format!("{name} has no host")));
    }
    let mut url = url;
    let trimmed = url.path().trim_end_matches('/').to_string();
    url.set_path(&trimmed);
    Ok(url)
}

/// True for 127.0.0.0/8, ::1 (and IPv4-mapped loopback) and `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => {
            ip.is_loopback()
                || ip
                    .to_ipv4_mapped()
                    .is_some_and(|v4| IpAddr::V4(v4).is_loopback())
        }
        Some(Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost"
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere() {
        let u = validate("api_url", "https://api.zoom.us/v2/").unwrap();
        assert_eq!(u.as_str(), "https://api.zoom.us/v2");
        assert!(validate("api_url", "https://api.zoomgov.com/v2").is_ok());
    }

    #[test]
    fn http_only_to_loopback() {
        for ok in [
            "http://127.0.0.1:8080/v2",
            "http://127.1.2.3/v2",
            "http://[::1]:9/v2",
            "http://localhost:3000",
            "http://LOCALHOST./v2",
            "http://[::ffff:127.0.0.1]/v2",
        ] {
            assert!(validate("api_url", ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://api.zoom.us/v2",
            "http://10.0.0.1/v2",
            "http://localhost.evil.com/v2",
            "http://128.0.0.1/",
            "http://[::2]/",
            "http://0.0.0.0/",
        ] {
            let e = validate("api_url", bad).unwrap_err();
            assert!(matches!(e, ZoomError::Config(_)), "{bad}");
        }
    }

    #[test]
    fn other_schemes_and_junk_refused() {
        for bad in [
            "ftp://zoom.us",
            "file:///etc/passwd",
            "zoom.us",
            "",
            "https://user:pw@zoom.us",
            "https://zoom.us/?x=1",
        ] {
            assert!(validate("oauth_url", bad).is_err(), "{bad}");
        }
    }
}
