//! Plumbing shared by the generated request builders: parameter encoding, response
//! envelopes and decoding. Nothing here is specific to one API.

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{DecodeError, Error};

/// A value that can be written into a path segment, query string or header.
pub trait ParamValue {
    /// The value as it goes on the wire, before percent-encoding.
    fn param_value(&self) -> Cow<'_, str>;
}

impl ParamValue for String {
    fn param_value(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for bool {
    fn param_value(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn param_value(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}
display_param!(i32, i64, f64, uuid::Uuid);

impl ParamValue for chrono::NaiveDate {
    fn param_value(&self) -> Cow<'_, str> {
        // ISO 8601 calendar date, e.g. 2021-04-25.
        Cow::Owned(self.format("%Y-%m-%d").to_string())
    }
}

impl ParamValue for chrono::DateTime<chrono::Utc> {
    fn param_value(&self) -> Cow<'_, str> {
        // RFC 3339 with a `Z` offset, the form the API itself returns.
        Cow::Owned(self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

/// Everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`) is
/// percent-encoded, as the official SDKs do: `filter[a]` → `filter%5Ba%5D`, a space → `%20`.
const QUERY_ENCODE: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Builds a query string; unset values are never written.
#[derive(Debug, Default)]
pub struct QueryWriter {
    query: String,
}

impl QueryWriter {
    /// An empty query.
    pub fn new() -> Self {
        QueryWriter::default()
    }

    /// Appends `key=value`.
    pub fn push(&mut self, key: &str, value: &dyn ParamValue) {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.extend(percent_encoding::utf8_percent_encode(key, QUERY_ENCODE));
        self.query.push('=');
        self.query.extend(percent_encoding::utf8_percent_encode(&value.param_value(), QUERY_ENCODE));
    }

    /// Appends `key=value` once per item (`style: form, explode: true`).
    #[allow(dead_code, reason = "used only by specs with array query parameters")]
    pub fn push_each<T: ParamValue>(&mut self, key: &str, values: &[T]) {
        for v in values {
            self.push(key, v);
        }
    }

    /// The encoded query, or `None` when nothing was written.
    pub fn finish(self) -> Option<String> {
        if self.query.is_empty() {
            None
        } else {
            Some(self.query)
        }
    }
}

/// A page of a list: the items and the listing's metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Page<T, M> {
    /// The items on this page (`data` on the wire).
    #[serde(rename = "data")]
    pub items: Vec<T>,
    /// Where this page sits in the listing (`meta` on the wire).
    #[serde(default = "Option::default", skip_serializing_if = "Option::is_none")]
    pub meta: Option<M>,
}

impl<T, M> Page<T, M> {
    /// Builds a page, e.g. for tests.
    pub fn new(items: Vec<T>, meta: Option<M>) -> Self {
        Page { items, meta }
    }
}

impl<T, M> IntoIterator for Page<T, M> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The `{"data": ...}` envelope around single resources and action results.
#[derive(Deserialize)]
#[allow(dead_code, reason = "used only by specs with `data` envelopes")]
pub(crate) struct Data<T> {
    pub(crate) data: T,
}

/// Decodes a JSON body, naming the JSON path that failed.
pub(crate) fn decode<T: DeserializeOwned>(status: reqwest::StatusCode, body: &[u8]) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        Error::Decode(Box::new(DecodeError::new(status, path, e.into_inner().to_string(), body)))
    })
}

/// Serde helpers for fields that are both optional and nullable: `None` is "absent"
/// (not sent), `Some(None)` is an explicit `null`, `Some(Some(v))` is a value.
#[allow(dead_code, reason = "used only by specs with optional nullable fields")]
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Serializes the inner option (`null` or the value); pair with
    /// `skip_serializing_if = "Option::is_none"` so an absent field is not written.
    pub fn serialize<T: Serialize, S: Serializer>(value: &Option<Option<T>>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    /// A present field becomes `Some(..)`, `null` included; pair with `default` so an absent
    /// field becomes `None`.
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}
