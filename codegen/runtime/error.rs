//! The one error type every call returns.

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// Everything that can go wrong with a call. Match on the variant to handle a status class;
/// [`Error::api`] gives the response details for any of them.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// `400 Bad Request`.
    BadRequest(Box<ApiError>),
    /// `401 Unauthorized`: a missing or wrong API key, or an account not allowed to call this.
    Unauthorized(Box<ApiError>),
    /// `403 Forbidden`.
    Forbidden(Box<ApiError>),
    /// `404 Not Found`.
    NotFound(Box<ApiError>),
    /// `409 Conflict`.
    Conflict(Box<ApiError>),
    /// `422 Unprocessable Entity`: the server rejected the request's content.
    UnprocessableEntity(Box<ApiError>),
    /// `429 Too Many Requests` (after any retries).
    RateLimited(Box<ApiError>),
    /// A `5xx` server error (after any retries).
    Server(Box<ApiError>),
    /// Any other non-success status.
    Status(Box<ApiError>),
    /// An attempt did not complete within its timeout (after any retries).
    Timeout(reqwest::Error),
    /// The request could not be sent or the response could not be read (DNS, TLS,
    /// connection refused or reset).
    Connection(reqwest::Error),
    /// A success response whose body does not match the documented type.
    Decode(Box<DecodeError>),
    /// The request was not sent: a value is outside its documented range, or the body
    /// cannot be serialized.
    InvalidRequest(Box<InvalidRequest>),
    /// The server answered in a way the client cannot continue from, e.g. a paginated listing
    /// that returns the same page again.
    UnexpectedResponse(String),
    /// The client is misconfigured (no API key, a bad base URL or header).
    Config(String),
}

impl Error {
    /// The response details, for the status-class variants.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::BadRequest(e)
            | Error::Unauthorized(e)
            | Error::Forbidden(e)
            | Error::NotFound(e)
            | Error::Conflict(e)
            | Error::UnprocessableEntity(e)
            | Error::RateLimited(e)
            | Error::Server(e)
            | Error::Status(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, for errors that have one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Decode(e) => Some(e.status),
            Error::Timeout(e) | Error::Connection(e) => e.status(),
            other => other.api().map(|e| e.status),
        }
    }

    /// The server's id for the request, when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.api().and_then(|e| e.request_id.as_deref())
    }

    /// The API's code for the error ([`ApiError::code`]), for the status-class variants.
    pub fn code(&self) -> Option<&str> {
        self.api().and_then(ApiError::code)
    }

    /// The API's short title of the error ([`ApiError::title`]), for the status-class variants.
    pub fn title(&self) -> Option<&str> {
        self.api().and_then(ApiError::title)
    }

    /// The API's explanation of the error ([`ApiError::detail`]), for the status-class
    /// variants.
    pub fn detail(&self) -> Option<&str> {
        self.api().and_then(ApiError::detail)
    }

    /// Classifies a non-success response by its status.
    pub(crate) fn from_api(e: ApiError) -> Error {
        let e = Box::new(e);
        match e.status.as_u16() {
            400 => Error::BadRequest(e),
            401 => Error::Unauthorized(e),
            403 => Error::Forbidden(e),
            404 => Error::NotFound(e),
            409 => Error::Conflict(e),
            422 => Error::UnprocessableEntity(e),
            429 => Error::RateLimited(e),
            500..=599 => Error::Server(e),
            _ => Error::Status(e),
        }
    }

    pub(crate) fn from_reqwest(e: reqwest::Error) -> Error {
        // reqwest puts the URL in its errors; the URL never holds secrets here (the key
        // travels in a header), but it is noise in messages, so it goes.
        let e = e.without_url();
        if e.is_timeout() {
            Error::Timeout(e)
        } else {
            Error::Connection(e)
        }
    }

    pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::InvalidRequest(Box::new(InvalidRequest { field: field.into(), message: message.into() }))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(api) = self.api() {
            return api.fmt(f);
        }
        match self {
            Error::Timeout(e) => write!(f, "request timed out: {}", chain(e)),
            Error::Connection(e) => write!(f, "request failed: {}", chain(e)),
            Error::Decode(e) => e.fmt(f),
            Error::InvalidRequest(e) => e.fmt(f),
            Error::UnexpectedResponse(m) => write!(f, "unexpected response: {m}"),
            Error::Config(m) => write!(f, "client configuration: {m}"),
            _ => Ok(()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Timeout(e) | Error::Connection(e) => Some(e),
            _ => None,
        }
    }
}

/// An error's message followed by its causes', which say what actually failed.
fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut current = e.source();
    while let Some(inner) = current {
        let text = inner.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = inner.source();
    }
    parts.join(": ")
}

/// A non-success response.
///
/// Besides the body as the spec documents it ([`body`](Self::body)), the first error the
/// response carried is read from the raw body when the error is built, whatever the spec
/// says, in the two common shapes of JSON error bodies ([`code`](Self::code),
/// [`title`](Self::title), [`detail`](Self::detail)):
///
/// - JSON:API style, `{"errors": [{"code": "10015", "title": "...", "detail": "..."}, ...]}`:
///   the three come from the first element of `errors`, and only from it;
/// - RFC 7807 problem details, `{"type": "...", "title": "...", "status": 422, "detail": "...",
///   "code": "..."}`: when there is no non-empty `errors` array of objects, they come from the
///   top level (`code` is not part of RFC 7807 but commonly added there).
///
/// A code that is a JSON number is given as its text (`10015`); a value that is absent,
/// `null` or of another type, and a body that is not a JSON object, give `None`.
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
    /// The first error's code, title and detail, and a top-level `message`, read from the
    /// body once, when the error is built.
    first: FirstError,
}

/// What [`ApiError`] reads from a JSON error body for its accessors and its summary.
#[derive(Debug, Clone, Default)]
struct FirstError {
    code: Option<String>,
    title: Option<String>,
    detail: Option<String>,
    /// A top-level `message`, which some APIs send instead of a title.
    message: Option<String>,
}

impl FirstError {
    fn read(raw: &[u8]) -> FirstError {
        let Ok(json) = serde_json::from_slice::<serde_json::Value>(raw) else {
            return FirstError::default();
        };
        let text = |v: &serde_json::Value, key: &str| v.get(key).and_then(|x| x.as_str()).map(str::to_string);
        // JSON:API's first error when there is one; the top level (problem details) otherwise.
        let first = json.get("errors").and_then(|e| e.get(0)).filter(|e| e.is_object()).unwrap_or(&json);
        FirstError {
            code: first.get("code").and_then(|c| match c {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            }),
            title: text(first, "title"),
            detail: text(first, "detail"),
            message: text(&json, "message"),
        }
    }
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
            first: FirstError::read(raw),
        }
    }

    /// The API's code for the first error in the body (`"10015"`): the `code` of the first
    /// element of `errors` (JSON:API), or the top-level `code` (problem details); numbers
    /// as text. See [`ApiError`] for the shapes understood.
    pub fn code(&self) -> Option<&str> {
        self.first.code.as_deref()
    }

    /// The short, human-readable title of the first error in the body: the `title` of the
    /// first element of `errors` (JSON:API), or the top-level `title` (problem details).
    pub fn title(&self) -> Option<&str> {
        self.first.title.as_deref()
    }

    /// The explanation of the first error in the body: the `detail` of the first element of
    /// `errors` (JSON:API), or the top-level `detail` (problem details).
    pub fn detail(&self) -> Option<&str> {
        self.first.detail.as_deref()
    }

    /// A one-line summary of the body: the first error's [`title`](Self::title),
    /// [`detail`](Self::detail) and [`code`](Self::code) (a top-level `message` standing in
    /// when there is neither title nor detail), and failing all of them the start of the raw
    /// body.
    pub fn summary(&self) -> Option<String> {
        let first = &self.first;
        let title = first.title.as_deref();
        let detail = first.detail.as_deref().filter(|d| Some(*d) != title);
        let mut out: String = title.into_iter().chain(detail).collect::<Vec<_>>().join(": ");
        if out.is_empty() {
            out = first.message.clone().unwrap_or_default();
        }
        if let Some(code) = &first.code {
            out = if out.is_empty() { format!("code {code}") } else { format!("{out} (code {code})") };
        }
        if !out.is_empty() {
            return Some(out);
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

/// A request that was not sent because it breaks the API's documented rules.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InvalidRequest {
    /// The offending field, as the API names it (`max_participants`, `page[size]`,
    /// `video_layout.main.z_pos`).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid request: `{}` {}", self.field, self.message)
    }
}
