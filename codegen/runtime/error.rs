//! The one error type every call returns.

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// Everything that can go wrong with a call.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a non-success status.
    Api(Box<ApiError>),
    /// The request did not complete in time.
    Timeout(reqwest::Error),
    /// The request could not be sent or the response could not be read (DNS, TLS, connection).
    Transport(reqwest::Error),
    /// A success response whose body does not match the documented type.
    Decode(Box<DecodeError>),
    /// The request was not sent because it is invalid (a value out of its documented range,
    /// a body that cannot be serialized).
    InvalidRequest(String),
    /// The client is misconfigured (no API key, a bad base URL or header).
    Config(String),
}

impl Error {
    /// The HTTP status, for errors that have one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Timeout(e) | Error::Transport(e) => e.status(),
            _ => None,
        }
    }

    /// The API error, when the server answered with a non-success status.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    pub(crate) fn from_reqwest(e: reqwest::Error) -> Error {
        if e.is_timeout() {
            Error::Timeout(e)
        } else {
            Error::Transport(e)
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::Timeout(e) => write!(f, "request timed out: {}", without_url(e)),
            Error::Transport(e) => write!(f, "request failed: {}", without_url(e)),
            Error::Decode(e) => e.fmt(f),
            Error::InvalidRequest(m) => write!(f, "invalid request: {m}"),
            Error::Config(m) => write!(f, "client configuration: {m}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Timeout(e) | Error::Transport(e) => Some(e),
            _ => None,
        }
    }
}

/// reqwest's messages embed the URL; ours say what happened and leave the URL to `source()`.
fn without_url(e: &reqwest::Error) -> String {
    let mut e: &dyn std::error::Error = e;
    let mut parts = Vec::new();
    while let Some(inner) = e.source() {
        parts.push(inner.to_string());
        e = inner;
    }
    if parts.is_empty() {
        "unknown transport error".to_string()
    } else {
        parts.join(": ")
    }
}

/// A non-success response.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The server's id for the request, if it sent one.
    pub request_id: Option<String>,
    /// The body parsed as the documented error schema, when it is one.
    pub body: Option<crate::ApiErrorBody>,
    /// The body as received (possibly empty, possibly not JSON).
    pub raw_body: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, raw: &[u8]) -> ApiError {
        let request_id = crate::client::request_id(&headers);
        ApiError {
            status,
            headers,
            request_id,
            body: serde_json::from_slice(raw).ok(),
            raw_body: String::from_utf8_lossy(raw).into_owned(),
        }
    }

    /// A one-line summary of the body: the first error's title, detail and code when the
    /// body has the common `{"errors": [...]}` shape, a top-level `message` otherwise, and
    /// failing both the start of the raw body.
    pub fn summary(&self) -> Option<String> {
        let json: serde_json::Value = serde_json::from_str(&self.raw_body).unwrap_or_default();
        let text = |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        if let Some(first) = json.get("errors").and_then(|e| e.get(0)) {
            let title = text(first, "title");
            let detail = text(first, "detail").filter(|d| Some(d) != title.as_ref());
            let code = first.get("code").and_then(|c| match c {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            });
            let mut out: String = title.into_iter().chain(detail).collect::<Vec<_>>().join(": ");
            if let Some(code) = code {
                out = if out.is_empty() { format!("code {code}") } else { format!("{out} (code {code})") };
            }
            if !out.is_empty() {
                return Some(out);
            }
        }
        if let Some(message) = text(&json, "message") {
            return Some(message);
        }
        let raw = self.raw_body.trim();
        if raw.is_empty() {
            return None;
        }
        let mut cut: String = raw.chars().take(200).collect();
        if cut.len() < raw.len() {
            cut.push('…');
        }
        Some(cut)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status.as_u16())?;
        if let Some(reason) = self.status.canonical_reason() {
            write!(f, " {reason}")?;
        }
        if let Some(summary) = self.summary() {
            write!(f, ": {summary}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

/// A success response whose body does not match the documented type.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// The status of the response.
    pub status: StatusCode,
    /// The JSON path that failed (`data[3].created_at`), `.` for the whole body.
    pub path: String,
    /// What serde said.
    pub message: String,
    /// The body as received.
    pub body: String,
}

impl DecodeError {
    pub(crate) fn new(status: StatusCode, path: String, message: String, body: &[u8]) -> DecodeError {
        DecodeError { status, path, message, body: String::from_utf8_lossy(body).into_owned() }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot decode the {} response at `{}`: {}", self.status.as_u16(), self.path, self.message)
    }
}
