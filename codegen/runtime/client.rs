//! The client: configuration, authentication and sending requests.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, USER_AGENT};
use reqwest::{Method, StatusCode, Url};

use crate::error::{ApiError, Error};
use crate::retry::{should_retry, Failure, RequestOptions, RetryPolicy};

/// Per-attempt timeout used when the client builds its own HTTP client.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Connect timeout used when the client builds its own HTTP client.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// An API client. Cheap to clone: clones share one connection pool.
///
/// Build one with [`Client::from_env`], [`Client::new`] or [`Client::builder`] (all read the
/// environment for what is not set in code; see [`Client::builder`]), then reach each
/// resource through its accessor.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    /// The full `Authorization` value, marked sensitive; `None` when the client was built
    /// for unauthenticated operations only.
    authorization: Option<HeaderValue>,
    /// The credentials of the other schemes the client has, by scheme name, ready to send.
    credentials: Vec<(&'static str, Credential)>,
    default_headers: HeaderMap,
    retry: RetryPolicy,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A password in the base URL is a credential too.
        let mut base_url = self.inner.base_url.clone();
        if base_url.password().is_some() {
            let _ = base_url.set_password(Some("redacted"));
        }
        let mut out = f.debug_struct("Client");
        out.field("base_url", &base_url.as_str())
            .field("api_key", &self.inner.authorization.as_ref().map(|_| "** redacted **"));
        if !self.inner.credentials.is_empty() {
            let names: Vec<_> = self.inner.credentials.iter().map(|(name, _)| (*name, "** redacted **")).collect();
            out.field("credentials", &names);
        }
        out.finish_non_exhaustive()
    }
}

impl Client {
    /// A client with this API key, for the base URL in [`crate::BASE_URL_ENV`] when that is
    /// set and [`crate::DEFAULT_BASE_URL`] otherwise. Same as
    /// `Client::builder().api_key(api_key).build()`.
    pub fn new(api_key: impl Into<String>) -> Result<Client, Error> {
        Client::builder().api_key(api_key).build()
    }

    /// A client configured from the environment: the API key from the variable named by
    /// [`crate::API_KEY_ENV`] and, when set, the base URL from [`crate::BASE_URL_ENV`]
    /// (otherwise [`crate::DEFAULT_BASE_URL`]). Same as `Client::builder().build()`.
    pub fn from_env() -> Result<Client, Error> {
        Client::builder().build()
    }

    /// A builder with every setting at its default, which reads the environment for the API
    /// key and base URL it is not given.
    ///
    /// Where each setting comes from, first match wins:
    ///
    /// - API key: [`ClientBuilder::api_key`]; else the variable named by
    ///   [`crate::API_KEY_ENV`]; else none, which [`build`](ClientBuilder::build) refuses
    ///   unless [`ClientBuilder::without_api_key`] was called (that also stops the key being
    ///   read from the environment).
    /// - Base URL: [`ClientBuilder::base_url`]; else the variable named by
    ///   [`crate::BASE_URL_ENV`]; else the spec's [`crate::DEFAULT_BASE_URL`].
    ///
    /// A variable that is unset or empty counts as absent. The variables are read when
    /// [`build`](ClientBuilder::build) runs; [`ClientBuilder::ignore_env`] stops them being
    /// read at all, for a client configured entirely in code.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL every path is appended to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The HTTP request for `req`: URL with the encoded path and query, default headers,
    /// the operation's headers, `Authorization` when the operation needs it, and the body
    /// with its `Content-Type`. Fails before anything is sent when the client has no API key
    /// for an authenticated operation or a header value cannot be sent.
    pub(crate) fn prepare_request(&self, req: &Request<'_>) -> Result<reqwest::Request, Error> {
        let mut url = self.inner.base_url.clone();
        url.path_segments_mut()
            .map_err(|()| Error::Config(format!("base URL `{}` cannot have a path", self.inner.base_url)))?
            .pop_if_empty()
            .extend(req.path.iter().map(|segment| segment.as_ref()));
        url.set_query(req.query.as_deref());
        let mut headers = self.inner.default_headers.clone();
        for (name, value) in &req.headers {
            let value = HeaderValue::from_str(value)
                .map_err(|_| Error::invalid(*name, "has a value that cannot be sent in a header"))?;
            headers.insert(*name, value);
        }
        if !req.auth.is_empty() {
            // The first alternative whose every credential the client has.
            let has = |name: &str| match crate::SCHEMES.iter().any(|s| s.name == name) {
                true => self.inner.credentials.iter().any(|(n, _)| *n == name),
                false => self.inner.authorization.is_some(),
            };
            let chosen = req.auth.iter().find(|alternative| alternative.iter().all(|name| has(name)));
            let Some(chosen) = chosen else {
                let needed: Vec<String> = req
                    .auth
                    .iter()
                    .map(|alternative| {
                        let names: Vec<&str> = alternative.iter().map(|name| credential_name(name)).collect();
                        names.join(" and ")
                    })
                    .collect();
                return Err(Error::Config(format!(
                    "`{}` needs credentials the client was built without: {}",
                    req.operation,
                    needed.join(", or ")
                )));
            };
            let mut cookies = Vec::new();
            for name in *chosen {
                match self.inner.credentials.iter().find(|(n, _)| n == name) {
                    None => {
                        if let Some(authorization) = &self.inner.authorization {
                            headers.insert(AUTHORIZATION, authorization.clone());
                        }
                    }
                    Some((_, Credential::Header(header, value))) => {
                        headers.insert(header.clone(), value.clone());
                    }
                    Some((_, Credential::Query(param, value))) => {
                        url.query_pairs_mut().append_pair(param, value);
                    }
                    Some((_, Credential::Cookie(cookie, value))) => cookies.push(format!("{cookie}={value}")),
                }
            }
            if !cookies.is_empty() {
                let mut value = HeaderValue::from_str(&cookies.join("; "))
                    .map_err(|_| Error::Config("a cookie credential cannot be sent in a header".into()))?;
                value.set_sensitive(true);
                headers.insert(reqwest::header::COOKIE, value);
            }
        }
        let mut builder = self.inner.http.request(req.method.clone(), url);
        if let Some(body) = &req.body {
            let content_type = HeaderValue::from_str(&body.content_type)
                .map_err(|_| Error::invalid("Content-Type", "has a value that cannot be sent in a header"))?;
            headers.insert(reqwest::header::CONTENT_TYPE, content_type);
            // `Bytes` are shared, not copied, and make a body every attempt can repeat.
            builder = builder.body(body.bytes.clone());
        }
        if let Some(timeout) = req.options.timeout {
            builder = builder.timeout(timeout);
        }
        let mut request = builder.build().map_err(Error::from_reqwest)?;
        if request.headers().is_empty() {
            // The usual case: hand the map over rather than re-inserting it entry by entry.
            *request.headers_mut() = headers;
        } else {
            // reqwest made userinfo in the base URL a basic `Authorization`; these headers
            // replace any of the same name, as `RequestBuilder::headers` does.
            request.headers_mut().extend(headers);
        }
        Ok(request)
    }

    /// Sends a request, retrying as the policy allows, and returns the status, headers and
    /// body of a success response; a non-success status becomes the matching [`Error`].
    pub(crate) async fn execute_request(&self, req: Request<'_>) -> Result<RawResponse, Error> {
        self.execute_request_taking(req, reqwest::Response::bytes).await
    }

    /// Sends a request like [`execute_request`](Self::execute_request), and returns a
    /// success response before its body is read: the body is the caller's to read, as it
    /// arrives. Failures reading it are not retried.
    #[allow(dead_code, reason = "used only by specs with responses that are not JSON")]
    pub(crate) async fn execute_request_streamed(
        &self,
        req: Request<'_>,
    ) -> Result<RawResponse<reqwest::Response>, Error> {
        self.execute_request_taking(req, |response| std::future::ready(Ok(response))).await
    }

    /// Sends a request, retrying as the policy allows; `take` makes the body of a success
    /// response (reads it whole, or hands the response over). A failure of `take` counts
    /// as a failure of the attempt.
    async fn execute_request_taking<B, F, Fut>(&self, req: Request<'_>, take: F) -> Result<RawResponse<B>, Error>
    where
        F: Fn(reqwest::Response) -> Fut,
        Fut: std::future::Future<Output = Result<B, reqwest::Error>>,
    {
        // The one request every attempt sends a clone of; exactly what `build_request` returns.
        let request = self.prepare_request(&req)?;
        #[cfg(feature = "tracing")]
        {
            use tracing::Instrument;
            let span = tracing::info_span!(
                "request",
                operation = req.operation,
                method = %req.method,
                path = req.path_template,
                attempt = tracing::field::Empty,
                status = tracing::field::Empty,
            );
            self.execute_request_with_retries(&req, request, &span, take).instrument(span.clone()).await
        }
        #[cfg(not(feature = "tracing"))]
        {
            self.execute_request_with_retries(&req, request, &(), take).await
        }
    }

    async fn execute_request_with_retries<B, F, Fut>(
        &self,
        req: &Request<'_>,
        request: reqwest::Request,
        span: &Span,
        take: F,
    ) -> Result<RawResponse<B>, Error>
    where
        F: Fn(reqwest::Response) -> Fut,
        Fut: std::future::Future<Output = Result<B, reqwest::Error>>,
    {
        let policy = req.options.policy(&self.inner.retry);
        let mut retry = 0;
        loop {
            record(span, "attempt", u64::from(retry) + 1);
            // A body of bytes can always be cloned; `prepare` never makes a streaming one.
            let attempt = request
                .try_clone()
                .ok_or_else(|| Error::Config(format!("`{}`: the request cannot be repeated", req.operation)))?;
            let error = match self.inner.http.execute(attempt).await {
                Ok(mut response) => {
                    let status = response.status();
                    record(span, "status", u64::from(status.as_u16()));
                    let headers = std::mem::take(response.headers_mut());
                    if status.is_success() {
                        match take(response).await {
                            Ok(body) => return Ok(RawResponse { status, headers, body }),
                            Err(e) => Error::from_reqwest(e),
                        }
                    } else {
                        match response.bytes().await {
                            Ok(body) => Error::from_api(ApiError::new(status, headers, &body)),
                            Err(e) => Error::from_reqwest(e),
                        }
                    }
                }
                Err(e) => Error::from_reqwest(e),
            };
            let kind = match &error {
                Error::Timeout(_) => Failure::Timeout,
                Error::Connection(e) if e.is_connect() => Failure::Connect,
                Error::Connection(_) => Failure::Transport,
                other => match other.api() {
                    Some(api) => Failure::Status(api.status, &api.headers),
                    None => return Err(error),
                },
            };
            if retry >= policy.max_retries || !should_retry(&policy, &req.method, &kind) {
                return Err(error);
            }
            let delay = policy.delay(retry, error.api().map(|a| &a.headers));
            retrying(req.operation, retry + 1, delay, &error);
            sleep(delay).await;
            retry += 1;
        }
    }
}

#[cfg(feature = "tracing")]
type Span = tracing::Span;
#[cfg(not(feature = "tracing"))]
type Span = ();

#[cfg(feature = "tracing")]
fn record(span: &Span, field: &'static str, value: u64) {
    span.record(field, value);
}
#[cfg(not(feature = "tracing"))]
fn record(_: &Span, _: &'static str, _: u64) {}

/// Logs a retry at debug level: which attempt comes next, after how long, and why (the
/// error's message, which never holds the API key: it travels only in a sensitive header).
#[cfg(feature = "tracing")]
fn retrying(operation: &str, next: u32, delay: Duration, error: &Error) {
    tracing::debug!(operation, retry = next, delay_ms = delay.as_millis() as u64, error = %error, "retrying");
}
#[cfg(not(feature = "tracing"))]
fn retrying(_: &str, _: u32, _: Duration, _: &Error) {}

async fn sleep(delay: Duration) {
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
}

/// What a generated builder hands to [`Client::execute_request`].
pub struct Request<'a> {
    /// The operationId, for errors and traces.
    pub operation: &'static str,
    pub method: Method,
    /// The path as the spec writes it (`/rooms/{room_id}`), for traces.
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    pub path_template: &'static str,
    /// Path segments, not yet percent-encoded.
    pub path: Vec<std::borrow::Cow<'a, str>>,
    /// The encoded query string.
    pub query: Option<String>,
    /// The credentials to send: alternatives of scheme names sent together; the first
    /// alternative the client has credentials for is sent. Empty: none.
    pub auth: &'static [&'static [&'static str]],
    pub headers: Vec<(&'static str, String)>,
    /// The body, if the request has one.
    pub body: Option<Body<'a>>,
    pub options: &'a RequestOptions,
}

/// A request body, encoded, with its media type.
#[derive(Debug, Clone)]
pub struct Body<'a> {
    /// The `Content-Type` sent.
    pub content_type: std::borrow::Cow<'a, str>,
    /// The encoded body.
    pub bytes: bytes::Bytes,
}

/// A success response as received: its body read whole (`B` = `Bytes`), or still to be
/// read (`B` = `reqwest::Response`).
pub(crate) struct RawResponse<B = bytes::Bytes> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: B,
}

impl<B> RawResponse<B> {
    /// Pairs a decoded value with this response's status and headers.
    pub(crate) fn with<T>(self, value: T) -> ApiResponse<T> {
        let request_id = request_id(&self.headers);
        ApiResponse { value, status: self.status, headers: self.headers, request_id }
    }
}

/// The body of a success response as it arrives, a chunk at a time: a
/// [`Stream`](futures_core::Stream) of [`Bytes`](bytes::Bytes) (read it with
/// `futures_util::StreamExt::next`), or [`chunk`](Self::chunk) after chunk. Made by
/// [`RequestBuilder::send_stream`](crate::RequestBuilder::send_stream), for downloads too
/// large to hold in memory at once.
///
/// The client's timeout (and [`RequestOptions::timeout`]) covers the whole exchange, body
/// included: give a large download a longer one. A failure while reading the body ends the
/// stream with that error; it is not retried.
#[must_use = "a body stream does nothing until it is read"]
pub struct ByteStream {
    /// The response whose body is read; `None` while a chunk is being read through
    /// `reading`, and once the body has ended.
    response: Option<reqwest::Response>,
    /// The chunk being read, which owns the response meanwhile.
    reading: Option<ChunkFuture>,
    /// `Content-Length`, if the server sent it.
    content_length: Option<u64>,
}

type ChunkFuture = std::pin::Pin<
    Box<dyn std::future::Future<Output = (reqwest::Response, Result<Option<bytes::Bytes>, reqwest::Error>)> + Send>,
>;

impl ByteStream {
    #[allow(dead_code, reason = "used only by specs with responses that are not JSON")]
    pub(crate) fn new(response: reqwest::Response) -> ByteStream {
        let content_length = response.content_length();
        ByteStream { response: Some(response), reading: None, content_length }
    }

    /// The body's length, when the server announced it (`Content-Length`).
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// The next chunk of the body, or `None` at its end.
    ///
    /// # Errors
    ///
    /// [`Error::Timeout`] or [`Error::Connection`] when reading the body fails.
    pub async fn chunk(&mut self) -> Result<Option<bytes::Bytes>, Error> {
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut *self).poll_chunk(cx)).await.transpose()
    }

    fn poll_chunk(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Result<bytes::Bytes, Error>>> {
        use std::task::Poll;
        if self.reading.is_none() {
            let Some(mut response) = self.response.take() else { return Poll::Ready(None) };
            self.reading = Some(Box::pin(async move {
                let chunk = response.chunk().await;
                (response, chunk)
            }));
        }
        let Some(reading) = self.reading.as_mut() else { return Poll::Ready(None) };
        let (response, chunk) = match std::future::Future::poll(reading.as_mut(), cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(done) => done,
        };
        self.reading = None;
        match chunk {
            Ok(Some(bytes)) => {
                self.response = Some(response);
                Poll::Ready(Some(Ok(bytes)))
            }
            Ok(None) => Poll::Ready(None),
            Err(e) => Poll::Ready(Some(Err(Error::from_reqwest(e)))),
        }
    }
}

impl futures_core::Stream for ByteStream {
    type Item = Result<bytes::Bytes, Error>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.get_mut().poll_chunk(cx)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").field("content_length", &self.content_length()).finish_non_exhaustive()
    }
}

/// A decoded value with the response it came from, for callers who need the status, the
/// headers or the request id (`send_with_response`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiResponse<T> {
    /// The decoded body.
    pub value: T,
    /// The status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The server's id for the request, if it sent one.
    pub request_id: Option<String>,
}

impl<T> ApiResponse<T> {
    /// The decoded body, dropping the rest.
    pub fn into_value(self) -> T {
        self.value
    }
}

/// The request id the server sent, from the first header that carries one.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    // Names made once, not parsed from text on every response.
    static NAMES: [HeaderName; 3] = [
        HeaderName::from_static("x-request-id"),
        HeaderName::from_static("request-id"),
        HeaderName::from_static("x-telnyx-request-id"),
    ];
    NAMES.iter().find_map(|name| headers.get(name)).and_then(|v| v.to_str().ok()).map(str::to_string)
}

/// Configures a [`Client`]. Settings left unset fall back to the environment, then to the
/// defaults; [`Client::builder`] lists the order.
#[derive(Default)]
pub struct ClientBuilder {
    api_key: Option<String>,
    /// Credentials of the other schemes set in code: scheme name and value (for basic,
    /// username and password).
    credentials: Vec<(String, Secret)>,
    allow_no_key: bool,
    base_url: Option<String>,
    /// Whether [`build`](Self::build) leaves the environment alone.
    ignore_env: bool,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent_suffix: Option<String>,
    default_headers: Vec<(String, String)>,
    retry: RetryPolicy,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "** redacted **"))
            .field("credentials", &self.credentials.iter().map(|(n, _)| (n, "** redacted **")).collect::<Vec<_>>())
            .field("base_url", &self.base_url)
            .field("ignore_env", &self.ignore_env)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The API key, sent as `Authorization: Bearer <key>`. Takes precedence over the
    /// variable named by [`crate::API_KEY_ENV`].
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Sets the credential of a scheme other than bearer; the generated crate's
    /// `credential` and `basic_auth` (present when its API has such schemes) call this.
    #[allow(dead_code)]
    pub(crate) fn with_credential(mut self, scheme: String, secret: Secret) -> Self {
        self.credentials.push((scheme, secret));
        self
    }

    /// Builds a client without an API key, for callers that only use operations the API
    /// documents as unauthenticated: the key is not read from the environment, and having
    /// none is not an error. Calling any other operation fails with [`Error::Config`] before
    /// anything is sent. A key set with [`api_key`](Self::api_key) is still used.
    pub fn without_api_key(mut self) -> Self {
        self.allow_no_key = true;
        self
    }

    /// The base URL; a trailing slash is fine. Takes precedence over the variable named by
    /// [`crate::BASE_URL_ENV`], which takes precedence over [`crate::DEFAULT_BASE_URL`].
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Makes [`build`](Self::build) read neither [`crate::API_KEY_ENV`] nor
    /// [`crate::BASE_URL_ENV`]: what is not set in code is absent (no key, which
    /// [`build`](Self::build) refuses unless [`without_api_key`](Self::without_api_key) was
    /// called; the spec's default base URL). For clients configured entirely in code, such as
    /// in tests or in programs that talk to several accounts.
    pub fn ignore_env(mut self) -> Self {
        self.ignore_env = true;
        self
    }

    /// Reads the API key and base URL from the environment now, where they are set and not
    /// already configured; what it reads then counts as set in code (even after
    /// [`ignore_env`](Self::ignore_env)). [`build`](Self::build) reads the environment
    /// anyway unless told not to, so this is rarely needed.
    pub fn from_env(mut self) -> Self {
        if self.api_key.is_none() {
            self.api_key = std::env::var(crate::API_KEY_ENV).ok().filter(|k| !k.is_empty());
        }
        if self.base_url.is_none() {
            self.base_url = std::env::var(crate::BASE_URL_ENV).ok().filter(|u| !u.is_empty());
        }
        self
    }

    /// Uses the caller's own `reqwest::Client` (its timeouts and TLS settings apply;
    /// [`timeout`](Self::timeout) and [`connect_timeout`](Self::connect_timeout) are ignored).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Timeout for each attempt (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Timeout for establishing a connection (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How failed attempts are retried (default: [`RetryPolicy::default`], two retries).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Retries after the first attempt (default 2; 0 disables), keeping the rest of the
    /// policy.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.retry.max_retries = n;
        self
    }

    /// Text appended to the `User-Agent` header, e.g. `my-app/1.2`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Builds the client, checking the configuration.
    ///
    /// Settings not given in code are taken from the environment, unless
    /// [`ignore_env`](Self::ignore_env) was called: the API key from [`crate::API_KEY_ENV`]
    /// (not after [`without_api_key`](Self::without_api_key)), the base URL from
    /// [`crate::BASE_URL_ENV`], and failing that [`crate::DEFAULT_BASE_URL`]. A setter always
    /// beats the environment, which always beats the default.
    pub fn build(self) -> Result<Client, Error> {
        let env = |name: &str| {
            if self.ignore_env {
                None
            } else {
                std::env::var(name).ok().filter(|v| !v.is_empty())
            }
        };
        // The base URL and, for messages, where it came from.
        let (raw_url, source) = if let Some(url) = &self.base_url {
            (url.clone(), String::new())
        } else if let Some(url) = env(crate::BASE_URL_ENV) {
            (url, format!(" (from {})", crate::BASE_URL_ENV))
        } else if let Some(url) = crate::DEFAULT_BASE_URL {
            (url.to_string(), String::new())
        } else {
            return Err(Error::Config(format!(
                "no base URL: the API documents none, so call ClientBuilder::base_url (or set {})",
                crate::BASE_URL_ENV
            )));
        };
        let base_url = Url::parse(raw_url.trim_end_matches('/'))
            .map_err(|e| Error::Config(format!("base URL `{raw_url}`{source} is not a valid URL: {e}")))?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(Error::Config(format!("base URL `{raw_url}`{source} must be an http or https URL")));
        }
        // Every request replaces the query and has no fragment: refuse what would be dropped.
        if base_url.query().is_some() || base_url.fragment().is_some() {
            return Err(Error::Config(format!(
                "base URL `{raw_url}`{source} has a query or fragment, which requests would drop; \
                 send such values as default headers or parameters instead"
            )));
        }
        let credentials = self.resolve_credentials(&env)?;
        if self.api_key.as_deref().is_some_and(|key| key.trim().is_empty()) {
            return Err(Error::Config("the API key given to ClientBuilder::api_key is empty".into()));
        }
        // An API whose schemes are all others (basic, API keys) never sends the bearer key.
        let bearer_less = !crate::HAS_BEARER_SCHEME && !crate::SCHEMES.is_empty();
        if bearer_less && self.api_key.is_some() {
            return Err(Error::Config(
                "this API has no bearer scheme, so a key set with ClientBuilder::api_key would never be sent: \
                 set its schemes' credentials with ClientBuilder::credential or ClientBuilder::basic_auth"
                    .into(),
            ));
        }
        let api_key = match self.api_key {
            Some(key) => Some(key),
            None if self.allow_no_key || bearer_less => None,
            None => env(crate::API_KEY_ENV),
        };
        let authorization = match api_key {
            Some(key) if !key.trim().is_empty() => {
                let mut value = HeaderValue::from_str(&format!("Bearer {}", key.trim()))
                    .map_err(|_| Error::Config("the API key contains characters a header cannot carry".into()))?;
                value.set_sensitive(true);
                Some(value)
            }
            // A key is optional for clients built for unauthenticated calls, and for APIs
            // whose operations all run without credentials.
            _ if self.allow_no_key || !crate::ANY_OPERATION_NEEDS_AUTH || !credentials.is_empty() => None,
            _ if !crate::SCHEMES.is_empty() => {
                let vars: Vec<String> = crate::SCHEMES
                    .iter()
                    .map(|s| match s.kind {
                        SchemeKind::Basic => format!("{0}_USERNAME and {0}_PASSWORD", s.env),
                        _ => s.env.to_string(),
                    })
                    .collect();
                return Err(Error::Config(format!(
                    "no credentials: set {}{} or call ClientBuilder::credential{} \
                     (or ClientBuilder::without_api_key for unauthenticated operations only)",
                    vars.join(", or "),
                    if self.ignore_env {
                        " (the environment is ignored, as ClientBuilder::ignore_env asked)"
                    } else {
                        ""
                    },
                    if bearer_less {
                        " or ClientBuilder::basic_auth"
                    } else {
                        ", ClientBuilder::basic_auth or ClientBuilder::api_key"
                    }
                )));
            }
            _ if self.ignore_env => {
                return Err(Error::Config(
                    "no API key: call ClientBuilder::api_key (the environment is ignored, as \
                     ClientBuilder::ignore_env asked), or ClientBuilder::without_api_key for \
                     unauthenticated operations only"
                        .into(),
                ));
            }
            _ => {
                return Err(Error::Config(format!(
                    "no API key: set {} or call ClientBuilder::api_key (or ClientBuilder::without_api_key \
                     for unauthenticated operations only)",
                    crate::API_KEY_ENV
                )));
            }
        };
        let mut user_agent = crate::USER_AGENT.to_string();
        if let Some(suffix) = &self.user_agent_suffix {
            user_agent = format!("{user_agent} {suffix}");
        }
        let mut default_headers = HeaderMap::new();
        default_headers.insert(
            USER_AGENT,
            HeaderValue::from_str(&user_agent).map_err(|_| Error::Config("invalid user-agent suffix".into()))?,
        );
        default_headers.insert(reqwest::header::ACCEPT, HeaderValue::from_static("application/json"));
        for (name, value) in &self.default_headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("invalid default header name `{name}`")))?;
            let value = HeaderValue::from_str(value)
                .map_err(|_| Error::Config(format!("invalid value for default header `{name}`")))?;
            default_headers.insert(name, value);
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(Client {
            inner: Arc::new(Inner { http, base_url, authorization, credentials, default_headers, retry: self.retry }),
        })
    }

    /// The credentials of the schemes other than bearer: set in code, else from the
    /// scheme's environment variables (not after `without_api_key`), ready to send.
    fn resolve_credentials(
        &self,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Vec<(&'static str, Credential)>, Error> {
        if let Some((name, _)) = self.credentials.iter().find(|(n, _)| !crate::SCHEMES.iter().any(|s| s.name == n)) {
            return Err(Error::Config(format!(
                "the API has no security scheme `{name}` for ClientBuilder credentials"
            )));
        }
        let mut out = Vec::new();
        for scheme in crate::SCHEMES {
            let set = self.credentials.iter().rev().find(|(n, _)| n == scheme.name).map(|(_, secret)| secret.clone());
            let secret = match set {
                Some(secret) => Some(secret),
                None if self.allow_no_key => None,
                None => match scheme.kind {
                    SchemeKind::Basic => {
                        match (env(&format!("{}_USERNAME", scheme.env)), env(&format!("{}_PASSWORD", scheme.env))) {
                            (Some(user), Some(password)) => Some(Secret::Basic(user, password)),
                            _ => None,
                        }
                    }
                    _ => env(scheme.env).map(Secret::Key),
                },
            };
            let Some(secret) = secret else { continue };
            let bad = || {
                Error::Config(format!("the credential of `{}` contains characters it cannot be sent with", scheme.name))
            };
            let credential = match (scheme.kind, secret) {
                (SchemeKind::Basic, Secret::Basic(user, password)) => {
                    let mut value =
                        HeaderValue::from_str(&format!("Basic {}", base64(format!("{user}:{password}").as_bytes())))
                            .map_err(|_| bad())?;
                    value.set_sensitive(true);
                    Credential::Header(AUTHORIZATION, value)
                }
                (SchemeKind::Header(header), Secret::Key(key)) => {
                    let mut value = HeaderValue::from_str(key.trim()).map_err(|_| bad())?;
                    value.set_sensitive(true);
                    let header = HeaderName::from_bytes(header.as_bytes()).map_err(|_| bad())?;
                    Credential::Header(header, value)
                }
                (SchemeKind::Query(param), Secret::Key(key)) => Credential::Query(param, key.trim().to_string()),
                (SchemeKind::Cookie(cookie), Secret::Key(key)) => {
                    if key.contains([';', ',', ' ', '"', '\\']) || key.chars().any(char::is_control) {
                        return Err(bad());
                    }
                    Credential::Cookie(cookie, key.trim().to_string())
                }
                (SchemeKind::Basic, Secret::Key(_)) => {
                    return Err(Error::Config(format!(
                        "`{}` is an HTTP basic scheme: set it with ClientBuilder::basic_auth",
                        scheme.name
                    )));
                }
                (_, Secret::Basic(..)) => {
                    return Err(Error::Config(format!(
                        "`{}` is an API key scheme: set it with ClientBuilder::credential",
                        scheme.name
                    )));
                }
            };
            out.push((scheme.name, credential));
        }
        Ok(out)
    }
}

/// A security scheme other than bearer, as the generated crate describes it.
pub(crate) struct Scheme {
    /// The key in the spec's `components.securitySchemes`.
    pub name: &'static str,
    /// The environment variable of its credential (for basic, the prefix of `_USERNAME`
    /// and `_PASSWORD`).
    pub env: &'static str,
    pub kind: SchemeKind,
}

/// How a [`Scheme`]'s credential is sent.
// A crate whose API has only bearer schemes (or none) constructs no variant.
#[allow(dead_code)]
#[derive(Clone, Copy)]
pub(crate) enum SchemeKind {
    /// `Authorization: Basic ..`.
    Basic,
    /// An API key in this header.
    Header(&'static str),
    /// An API key in this query parameter.
    Query(&'static str),
    /// An API key in this cookie.
    Cookie(&'static str),
}

/// A credential as set on the builder.
#[derive(Clone)]
pub(crate) enum Secret {
    /// An API key.
    Key(String),
    /// Username and password.
    Basic(String, String),
}

/// A credential ready to send.
enum Credential {
    /// A header, its value marked sensitive.
    Header(HeaderName, HeaderValue),
    Query(&'static str, String),
    Cookie(&'static str, String),
}

/// How an error names what a scheme needs: its environment variable, or the API key.
fn credential_name(scheme: &str) -> &'static str {
    match crate::SCHEMES.iter().find(|s| s.name == scheme) {
        Some(s) => s.env,
        None => "an API key",
    }
}

/// Standard base64 with padding, for basic credentials.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    fn request_for<'a>(path: Vec<Cow<'a, str>>, options: &'a RequestOptions) -> Request<'a> {
        Request {
            operation: "test",
            method: Method::GET,
            path_template: "/files/{name}",
            path,
            query: None,
            auth: &[],
            headers: Vec::new(),
            body: None,
            options,
        }
    }

    /// A client without credentials for `https://api.example.test/v1`.
    fn example_client() -> Client {
        Client::builder()
            .ignore_env()
            .without_api_key()
            .base_url("https://api.example.test/v1")
            .build()
            .expect("client")
    }

    #[test]
    fn a_path_value_stays_one_segment_whatever_it_holds() {
        let client = example_client();
        let options = RequestOptions::default();
        let cases = [
            ("a/b", "/v1/files/a%2Fb"),
            ("a b", "/v1/files/a%20b"),
            ("a?b#c", "/v1/files/a%3Fb%23c"),
            ("100%", "/v1/files/100%25"),
            ("...", "/v1/files/..."),
            ("é", "/v1/files/%C3%A9"),
        ];
        for (value, path) in cases {
            let segment = crate::runtime::path_segment("name", &value.to_string()).expect(value).into_owned();
            let request = client
                .prepare_request(&request_for(vec![Cow::Borrowed("files"), Cow::Owned(segment)], &options))
                .expect(value);
            assert_eq!(request.url().path(), path, "{value}");
            assert_eq!(request.url().query(), None, "{value}");
        }
    }

    #[test]
    fn a_segment_that_mixes_text_and_values_stays_one_segment() {
        let client = example_client();
        let options = RequestOptions::default();
        let (name, ext) = ("a/b c".to_string(), "tar.gz".to_string());
        let parts = [
            crate::runtime::path_segment("name", &name).expect("name"),
            Cow::Borrowed("."),
            crate::runtime::path_segment("ext", &ext).expect("ext"),
        ];
        let segment = crate::runtime::joined_segment(&parts);
        let request =
            client.prepare_request(&request_for(vec![Cow::Borrowed("files"), segment], &options)).expect("request");
        assert_eq!(request.url().path(), "/v1/files/a%2Fb%20c.tar.gz");
    }

    #[test]
    fn values_no_url_can_carry_as_a_segment_are_refused() {
        for value in ["", ".", ".."] {
            let err = crate::runtime::path_segment("name", &value.to_string()).expect_err(value);
            assert!(matches!(err, Error::InvalidRequest(_)), "{value}: {err:?}");
            assert!(err.to_string().contains("name"), "{err}");
        }
    }
}
