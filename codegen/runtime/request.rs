//! Request builders: how every operation is configured, sent and paginated, written once.
//!
//! A resource method (`client.rooms().list()`) returns a [`RequestBuilder`] holding the
//! operation's parameters type (`ListRooms`). The setters of the operation's optional
//! parameters are listed on the builder's page in one `impl RequestBuilder<…>` block per
//! operation; sending, inspecting and paginating are the generic methods below.

use crate::client::{ByteStream, Client, RawResponse, Request};
use crate::error::Error;
use crate::pagination::{Items, PageMeta, Pages};
use crate::retry::RequestOptions;
use crate::runtime::Page;
use crate::ApiResponse;

/// One operation's request, ready to be configured and sent.
///
/// Made by a resource method, which takes the operation's required parameters as
/// arguments; the optional ones are setters on this type (in the `impl RequestBuilder<O>`
/// block of that operation). Nothing is sent until [`send`](Self::send) is awaited. Cloning
/// copies the parameters and shares the client's connection pool.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent with `.send().await`"]
pub struct RequestBuilder<O> {
    client: Client,
    /// The operation's parameters, set by the generated setters.
    pub(crate) operation: O,
    options: RequestOptions,
}

/// The parameters of one operation, which a [`RequestBuilder`] sends.
///
/// Every operation of the API has a type implementing it, generated in its resource
/// module; it cannot be implemented outside this crate.
pub trait Operation: std::fmt::Debug + Clone + Send + Sync + 'static {
    /// What [`RequestBuilder::send`] returns on success: the decoded response body (the
    /// `data` member of an enveloped body, a [`Page`] for a listing, `()` for no body).
    type Output: Send + 'static;

    /// Checks the values against their documented ranges and collects what the request is
    /// made of.
    #[doc(hidden)]
    fn request<'a>(&'a self, options: &'a RequestOptions) -> Result<Request<'a>, Error>;

    /// Decodes a success response's body.
    #[doc(hidden)]
    fn decode(status: reqwest::StatusCode, body: &[u8]) -> Result<Self::Output, Error>;

    /// Decodes a success response's body, given whole: an operation that returns the bytes
    /// as they came takes them without a copy.
    #[doc(hidden)]
    fn decode_owned(status: reqwest::StatusCode, body: bytes::Bytes) -> Result<Self::Output, Error> {
        Self::decode(status, &body)
    }
}

/// An operation whose success body is not JSON (a file, an image, a CSV report, text), so
/// that [`RequestBuilder::send_stream`] can hand it over as it arrives instead of whole.
pub trait Download: Operation {}

/// An operation whose success response is one page of a page-number listing, so that
/// [`RequestBuilder::pages`] and [`RequestBuilder::items`] can ask for the next pages.
pub trait PageNumbered: Operation<Output = Page<Self::Item, Self::Meta>> {
    /// The listed item (`data[]` on the wire).
    type Item;
    /// Where a page sits in the listing (`meta` on the wire).
    type Meta;

    /// The page number this request asks for, if set.
    #[doc(hidden)]
    fn page_number(&self) -> Option<i64>;

    /// Asks for page `number` instead, keeping every other parameter.
    #[doc(hidden)]
    fn set_page_number(&mut self, number: i64);
}

impl<O> RequestBuilder<O> {
    /// A request for `operation` through `client`, with the client's timeout and retries.
    pub(crate) fn new(client: &Client, operation: O) -> Self {
        RequestBuilder { client: client.clone(), operation, options: RequestOptions::default() }
    }

    /// Overrides the client's timeout and retry policy for this request.
    pub fn request_options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }
}

impl<O: Operation> RequestBuilder<O> {
    /// Sends the request and decodes the success response.
    ///
    /// # Errors
    ///
    /// A response with a status outside 2xx becomes the [`Error`] variant of its status
    /// (each operation's docs list the statuses its spec documents, e.g.
    /// [`Error::NotFound`] for 404); [`Error::Timeout`], [`Error::Connection`] or
    /// [`Error::Decode`] when the exchange itself fails; [`Error::InvalidRequest`] (a value
    /// outside its documented range) and [`Error::Config`] (no API key for an authenticated
    /// operation) before anything is sent. Retries happen first, as the client's
    /// [`RetryPolicy`](crate::RetryPolicy) allows.
    pub async fn send(self) -> Result<O::Output, Error> {
        self.send_with_response().await.map(ApiResponse::into_value)
    }

    /// Sends the request like [`send`](Self::send), and returns the decoded value with the
    /// response's status, headers and request id.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send).
    pub async fn send_with_response(self) -> Result<ApiResponse<O::Output>, Error> {
        let mut response = self.client.execute_request(self.operation.request(&self.options)?).await?;
        let value = O::decode_owned(response.status, std::mem::take(&mut response.body))?;
        Ok(response.with(value))
    }

    /// The HTTP request [`send`](Self::send) makes first, without sending it: the URL with
    /// its encoded path and query, the headers (the API key's marked sensitive) and the
    /// JSON body. For logging, inspecting or signing a request; send it with your own
    /// [`reqwest::Client`] if you like (without this client's retries).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when a value is outside its documented range or cannot be
    /// sent; [`Error::Config`] when the operation needs an API key and the client has none;
    /// nothing is sent in either case.
    pub fn build_request(&self) -> Result<reqwest::Request, Error> {
        self.client.prepare_request(&self.operation.request(&self.options)?)
    }
}

impl<O: Download> RequestBuilder<O> {
    /// Sends the request like [`send_with_response`](Self::send_with_response), and returns
    /// the body as it arrives instead of whole: a [`ByteStream`] of its bytes (undecoded,
    /// text included), with the status, headers and request id, available before the body
    /// is read. For downloads too large to hold in memory at once.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send), for everything up to the success response's headers;
    /// reading the body fails with [`Error::Timeout`] or [`Error::Connection`] (not retried).
    pub async fn send_stream(self) -> Result<ApiResponse<ByteStream>, Error> {
        let request = self.operation.request(&self.options)?;
        let RawResponse { status, headers, body } = self.client.execute_request_streamed(request).await?;
        Ok(RawResponse { status, headers, body: () }.with(ByteStream::new(body)))
    }
}

impl<O> RequestBuilder<O>
where
    O: PageNumbered,
    O::Item: PartialEq + Clone + Send + Unpin + 'static,
    O::Meta: PageMeta + Send + Unpin + 'static,
{
    /// Every page of the listing, fetched lazily from this request's page on (page 1 unless
    /// a page number is set), keeping its other parameters (filters, page size); see
    /// [`Pages`] for when it stops.
    pub fn pages(self) -> Pages<O::Item, O::Meta> {
        let first = self.operation.page_number().unwrap_or(1);
        Pages::new(first, move |number| {
            let mut request = self.clone();
            request.operation.set_page_number(number);
            request.send()
        })
    }

    /// Every item of the listing, page after page, fetched lazily (see
    /// [`pages`](Self::pages)).
    pub fn items(self) -> Items<O::Item, O::Meta> {
        self.pages().items()
    }
}
