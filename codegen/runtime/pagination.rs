//! Auto-pagination: lazy streams over page-number listings.
//!
//! [`Pages`] asks for one page at a time: the request's page first, then
//! `meta.page_number + 1` with the same filters and page size. It stops after a page with
//! no items, after the page whose number reaches `meta.total_pages`, or, when the meta has
//! no `total_pages`, at the first empty page. Only the page being read is held in memory.
//! A server that answers with another page than the one asked for, or with the same items
//! again, ends the stream with [`Error::UnexpectedResponse`] rather than looping forever.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::error::Error;
use crate::runtime::Page;

/// Where a page sits in its listing: implemented by the spec's pagination meta type. The
/// methods carry a `meta_` prefix so they never clash with the meta type's own setters (a
/// `page_number` field has a `page_number(value)` setter).
pub trait PageMeta {
    /// The number of this page (1-based), if the server says.
    fn meta_page_number(&self) -> Option<i64>;
    /// How many pages the listing has, if the server says.
    fn meta_total_pages(&self) -> Option<i64>;
}

type PageFuture<T, M> = Pin<Box<dyn Future<Output = Result<Page<T, M>, Error>> + Send>>;
type Fetch<T, M> = Box<dyn FnMut(i64) -> PageFuture<T, M> + Send>;

/// A lazy stream of whole pages; see the module docs for when it stops. Use
/// `futures_util::StreamExt::next` (or any stream combinator) to read it.
#[must_use = "a stream does nothing until it is polled"]
pub struct Pages<T, M> {
    fetch: Fetch<T, M>,
    in_flight: Option<PageFuture<T, M>>,
    /// The page to ask for next; `None` once the listing is exhausted.
    next: Option<i64>,
    /// The page number of the request in flight.
    requested: i64,
    /// First and last item of the previous page, to notice a page served twice.
    previous: Option<(T, T)>,
}

impl<T, M> Pages<T, M> {
    /// A stream starting at page `first`; `fetch(n)` sends the request for page `n`.
    #[allow(dead_code, reason = "used only by specs with page-number listings")]
    pub(crate) fn new<F, Fut>(first: i64, mut fetch: F) -> Self
    where
        F: FnMut(i64) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Page<T, M>, Error>> + Send + 'static,
    {
        Pages {
            fetch: Box::new(move |n| Box::pin(fetch(n))),
            in_flight: None,
            next: Some(first),
            requested: first,
            previous: None,
        }
    }

    /// A stream of the items of every page, in order.
    pub fn items(self) -> Items<T, M> {
        Items { pages: self, current: Vec::new().into_iter() }
    }
}

impl<T, M> std::fmt::Debug for Pages<T, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").field("next", &self.next).finish_non_exhaustive()
    }
}

impl<T, M> Pages<T, M>
where
    T: PartialEq + Clone,
    M: PageMeta,
{
    /// Checks a page, decides what comes next, and returns what the stream yields.
    fn accept(&mut self, page: Page<T, M>) -> Option<Result<Page<T, M>, Error>> {
        let number = page.meta.as_ref().and_then(PageMeta::meta_page_number);
        let total = page.meta.as_ref().and_then(PageMeta::meta_total_pages);
        if let Some(number) = number.filter(|n| *n != self.requested) {
            self.next = None;
            return Some(Err(Error::UnexpectedResponse(format!(
                "asked for page {} of the listing but the server returned page {number}",
                self.requested
            ))));
        }
        let (Some(first), Some(last)) = (page.items.first(), page.items.last()) else {
            // An empty page ends the listing.
            self.next = None;
            return None;
        };
        if self.previous.as_ref().is_some_and(|(f, l)| f == first && l == last) {
            self.next = None;
            return Some(Err(Error::UnexpectedResponse(format!(
                "page {} repeats the previous page; stopping to avoid an endless listing",
                self.requested
            ))));
        }
        self.previous = Some((first.clone(), last.clone()));
        let current = number.unwrap_or(self.requested);
        self.next = match total {
            Some(total) if current >= total => None,
            _ => current.checked_add(1),
        };
        Some(Ok(page))
    }
}

impl<T, M> Stream for Pages<T, M>
where
    T: PartialEq + Clone + Unpin,
    M: PageMeta + Unpin,
{
    type Item = Result<Page<T, M>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let future = match &mut this.in_flight {
            Some(future) => future,
            None => {
                let Some(n) = this.next else { return Poll::Ready(None) };
                this.requested = n;
                this.in_flight.insert((this.fetch)(n))
            }
        };
        let result = match future.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        this.in_flight = None;
        match result {
            Ok(page) => Poll::Ready(this.accept(page)),
            Err(e) => {
                this.next = None;
                Poll::Ready(Some(Err(e)))
            }
        }
    }
}

/// A lazy stream of every item of a listing, page after page (see [`Pages`]).
#[must_use = "a stream does nothing until it is polled"]
pub struct Items<T, M> {
    pages: Pages<T, M>,
    current: std::vec::IntoIter<T>,
}

impl<T, M> std::fmt::Debug for Items<T, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items").field("pages", &self.pages).finish_non_exhaustive()
    }
}

impl<T, M> Stream for Items<T, M>
where
    T: PartialEq + Clone + Unpin,
    M: PageMeta + Unpin,
{
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            // The page is read: free its buffer now, not after the next page has been fetched
            // and decoded beside it (an empty `Vec`'s iterator holds no allocation).
            this.current = Vec::new().into_iter();
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.current = page.items.into_iter(),
            }
        }
    }
}
