//! When a failed attempt is tried again, and after how long.
//!
//! Every method is retried after a connection failure that happened before the request was
//! sent, after `429`, and after `503` with `Retry-After`. Idempotent methods (GET, HEAD, PUT,
//! DELETE, OPTIONS, TRACE) are also retried after a timeout, `408`, `409` and any `5xx`. A
//! POST or PATCH that may have reached the server is not retried for those, since doing it
//! twice can create a room twice, unless the caller opts in with
//! [`RetryPolicy::retry_non_idempotent`].

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

/// How failed attempts are retried. Set it for a client with
/// [`ClientBuilder::retry_policy`](crate::ClientBuilder::retry_policy) and for one request
/// with [`RequestOptions::retry_policy`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 2; 0 disables retrying).
    pub max_retries: u32,
    /// Delay before the first retry (default 0.5 s); it doubles for each further retry.
    pub initial_backoff: Duration,
    /// Longest computed delay (default 8 s).
    pub max_backoff: Duration,
    /// Longest delay a `Retry-After` or `retry-after-ms` header may ask for (default 60 s).
    pub max_retry_after: Duration,
    /// Whether computed delays are randomly shortened by up to 25% so that many clients
    /// do not retry in step (default on).
    pub jitter: bool,
    /// Whether POST and PATCH are retried on the idempotent rules too (default off).
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..RetryPolicy::default() }
    }

    /// Sets [`max_retries`](Self::max_retries).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// Sets [`initial_backoff`](Self::initial_backoff) and [`max_backoff`](Self::max_backoff).
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// Sets [`max_retry_after`](Self::max_retry_after).
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// Sets [`jitter`](Self::jitter).
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }

    /// Sets [`retry_non_idempotent`](Self::retry_non_idempotent).
    pub fn retry_non_idempotent(mut self, on: bool) -> Self {
        self.retry_non_idempotent = on;
        self
    }

    /// The delay before retry number `retry` (0-based): `Retry-After` when the server sent
    /// one (capped), otherwise exponential backoff with jitter.
    pub(crate) fn delay(&self, retry: u32, headers: Option<&HeaderMap>) -> Duration {
        if let Some(asked) = headers.and_then(retry_after) {
            return asked.min(self.max_retry_after);
        }
        let doubled = self.initial_backoff.saturating_mul(2u32.saturating_pow(retry));
        let capped = doubled.min(self.max_backoff);
        if self.jitter {
            capped.mul_f64(1.0 - 0.25 * random_fraction())
        } else {
            capped
        }
    }
}

/// Why an attempt failed, as far as retrying is concerned.
pub(crate) enum Failure<'a> {
    /// No connection was made, so the request never reached the server.
    Connect,
    /// The attempt timed out.
    Timeout,
    /// The connection failed after the request may have been sent.
    Transport,
    /// The server answered with this status.
    Status(StatusCode, &'a HeaderMap),
}

/// Whether a failure is worth another attempt.
pub(crate) fn should_retry(policy: &RetryPolicy, method: &Method, failure: &Failure<'_>) -> bool {
    let idempotent = policy.retry_non_idempotent
        || matches!(
            *method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
        );
    match failure {
        Failure::Connect => true,
        Failure::Timeout | Failure::Transport => idempotent,
        Failure::Status(status, headers) => match status.as_u16() {
            429 => true,
            503 if retry_after(headers).is_some() => true,
            408 | 409 | 500..=599 => idempotent,
            _ => false,
        },
    }
}

/// The delay a response asks for: `retry-after-ms` (milliseconds), else `Retry-After` as
/// seconds or as an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        return Duration::try_from_secs_f64(ms / 1000.0).ok();
    }
    let value = text("retry-after")?;
    if let Ok(secs) = value.parse::<f64>() {
        return Duration::try_from_secs_f64(secs).ok();
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let now = chrono::DateTime::<chrono::Utc>::from(SystemTime::now());
    Some((at.with_timezone(&chrono::Utc) - now).to_std().unwrap_or(Duration::ZERO))
}

/// A number in `[0, 1)`, different on every call, from the standard library's per-process
/// random hash keys (no RNG dependency for the sake of jitter).
fn random_fraction() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_nanos());
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Settings for one request, overriding the client's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) retry_non_idempotent: Option<bool>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// Timeout for each attempt of this request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The whole retry policy for this request.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Retries for this request (0 disables), keeping the rest of the client's policy.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = Some(n);
        self
    }

    /// Whether this POST or PATCH may be retried on the idempotent rules (for a request you
    /// know is safe to repeat).
    pub fn retry_non_idempotent(mut self, on: bool) -> Self {
        self.retry_non_idempotent = Some(on);
        self
    }

    /// The policy in force: the client's, with this request's overrides.
    pub(crate) fn policy(&self, client: &RetryPolicy) -> RetryPolicy {
        let mut p = self.retry.unwrap_or(*client);
        if let Some(n) = self.max_retries {
            p.max_retries = n;
        }
        if let Some(on) = self.retry_non_idempotent {
            p.retry_non_idempotent = on;
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(name: &'static str, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_str(value).expect("header"));
        h
    }

    #[test]
    fn backoff_doubles_from_half_a_second_and_caps_at_eight() {
        let p = RetryPolicy::default().jitter(false);
        let delays: Vec<u64> = (0..6).map(|n| p.delay(n, None).as_millis() as u64).collect();
        assert_eq!(delays, [500, 1000, 2000, 4000, 8000, 8000]);
    }

    #[test]
    fn jitter_shortens_by_at_most_a_quarter() {
        let p = RetryPolicy::default();
        for _ in 0..100 {
            let d = p.delay(1, None).as_millis();
            assert!((750..=1000).contains(&d), "{d}");
        }
    }

    #[test]
    fn retry_after_headers_win_and_are_capped() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay(0, Some(&headers("retry-after", "3"))), Duration::from_secs(3));
        assert_eq!(p.delay(0, Some(&headers("retry-after-ms", "250"))), Duration::from_millis(250));
        assert_eq!(p.delay(0, Some(&headers("retry-after", "3600"))), Duration::from_secs(60));
        let soon = chrono::DateTime::<chrono::Utc>::from(SystemTime::now()) + chrono::Duration::seconds(30);
        let date = soon.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        let d = p.delay(0, Some(&headers("retry-after", &date)));
        assert!(d <= Duration::from_secs(30) && d >= Duration::from_secs(28), "{d:?}");
        let past = "Sun, 06 Nov 1994 08:49:37 GMT";
        assert_eq!(p.delay(0, Some(&headers("retry-after", past))), Duration::ZERO);
    }

    #[test]
    fn post_is_not_retried_where_it_may_have_reached_the_server() {
        let p = RetryPolicy::default();
        let none = HeaderMap::new();
        let s = |code| Failure::Status(StatusCode::from_u16(code).expect("status"), &none);
        assert!(should_retry(&p, &Method::POST, &Failure::Connect));
        assert!(should_retry(&p, &Method::POST, &s(429)));
        assert!(!should_retry(&p, &Method::POST, &s(500)));
        assert!(!should_retry(&p, &Method::POST, &s(503)));
        assert!(!should_retry(&p, &Method::POST, &Failure::Timeout));
        assert!(should_retry(&p.retry_non_idempotent(true), &Method::POST, &s(500)));
        let with_after = headers("retry-after", "1");
        assert!(should_retry(&p, &Method::POST, &Failure::Status(StatusCode::SERVICE_UNAVAILABLE, &with_after)));
        for code in [408, 409, 500, 502, 503, 504] {
            assert!(should_retry(&p, &Method::GET, &s(code)), "{code}");
        }
        assert!(should_retry(&p, &Method::DELETE, &Failure::Timeout));
        for code in [400, 401, 403, 404, 422] {
            assert!(!should_retry(&p, &Method::GET, &s(code)), "{code}");
        }
    }
}
