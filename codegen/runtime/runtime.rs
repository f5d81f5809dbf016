//! Plumbing shared by the generated request builders: parameter encoding, response
//! envelopes and decoding. Nothing here is specific to one API.

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::client::Body;
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
        use chrono::Datelike;
        // ISO 8601 calendar date, e.g. 2021-04-25, exactly as chrono's `format("%Y-%m-%d")`
        // writes it (a year outside 0..=9999 carries its sign: `+12345-06-07`), without
        // interpreting a format string on every request: a tenth of the cost.
        let mut out = String::with_capacity(16);
        let year = self.year();
        if (0..=9999).contains(&year) {
            push_two_digits(&mut out, year as u32 / 100);
            push_two_digits(&mut out, year as u32 % 100);
        } else {
            use std::fmt::Write;
            let _ = write!(out, "{year:+05}");
        }
        out.push('-');
        push_two_digits(&mut out, self.month());
        out.push('-');
        push_two_digits(&mut out, self.day());
        Cow::Owned(out)
    }
}

/// A list in a path segment or a header, as OpenAPI's `style: simple` writes it: the items
/// joined by commas (`a,b,c`), whatever `explode` says. An empty list is an empty value.
impl<T: ParamValue> ParamValue for Vec<T> {
    fn param_value(&self) -> Cow<'_, str> {
        match self.as_slice() {
            [one] => one.param_value(),
            items => Cow::Owned(items.iter().map(|i| i.param_value()).collect::<Vec<_>>().join(",")),
        }
    }
}

/// Refuses a list sent as one comma-separated value (a path segment or a header) when an
/// item holds a comma itself: the server would read it as two items, and neither a header
/// nor a segment has an escape for it that servers agree on.
#[allow(dead_code, reason = "used only by specs with lists in paths or headers")]
pub(crate) fn comma_free_items<T: ParamValue>(name: &str, items: &[T]) -> Result<(), Error> {
    match items.iter().position(|item| item.param_value().contains(',')) {
        Some(i) => Err(Error::invalid(
            name,
            format!("item {i} holds a comma, which cannot be told apart from the commas between items"),
        )),
        None => Ok(()),
    }
}

/// Appends `n` (below 100) as two digits.
fn push_two_digits(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
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
    #[allow(dead_code, reason = "used only by specs with query parameters")]
    pub fn new() -> Self {
        QueryWriter::default()
    }

    /// Appends `key=value`.
    pub fn push(&mut self, key: &str, value: &dyn ParamValue) {
        if self.query.is_empty() {
            // Room for a few bracketed parameters, rather than growing from a few bytes.
            self.query.reserve(256);
        } else {
            self.query.push('&');
        }
        self.query.extend(percent_encoding::utf8_percent_encode(key, QUERY_ENCODE));
        self.query.push('=');
        self.query.extend(percent_encoding::utf8_percent_encode(&value.param_value(), QUERY_ENCODE));
    }

    /// Appends `key=a{sep}b{sep}c`: an array written as one value (`style: form` with
    /// `explode: false` joins with `,`, `spaceDelimited` with `%20`, `pipeDelimited` with
    /// `|`). Each item is percent-encoded, so an item's own `,` stays apart from the
    /// separator (`%2C`); `sep` is written as given. An empty array is not written.
    #[allow(dead_code, reason = "used only by specs with non-exploded array query parameters")]
    pub fn push_joined<T: ParamValue>(&mut self, key: &str, values: &[T], sep: &str) {
        let Some((first, rest)) = values.split_first() else { return };
        self.push(key, first);
        for v in rest {
            self.query.push_str(sep);
            self.query.extend(percent_encoding::utf8_percent_encode(&v.param_value(), QUERY_ENCODE));
        }
    }

    /// Appends `key=value` once per item (`style: form, explode: true`).
    #[allow(dead_code, reason = "used only by specs with array query parameters")]
    pub fn push_each<T: ParamValue>(&mut self, key: &str, values: &[T]) {
        for v in values {
            self.push(key, v);
        }
    }

    /// The encoded query, or `None` when nothing was written.
    #[allow(dead_code, reason = "used only by specs with query parameters")]
    pub fn finish(self) -> Option<String> {
        if self.query.is_empty() {
            None
        } else {
            Some(self.query)
        }
    }
}

/// A path parameter's value as one path segment. Refused before sending when no URL can
/// carry it as a segment of its own: empty, `.` or `..` (URLs remove dot segments, in any
/// spelling, `%2E` included, so the request would go to another route). Everything else
/// (`/`, `?`, `#`, `%`, spaces, non-ASCII) stays in the segment, percent-encoded when sent.
#[allow(dead_code, reason = "used only by specs with path parameters")]
pub(crate) fn path_segment<'a>(name: &str, value: &'a dyn ParamValue) -> Result<Cow<'a, str>, Error> {
    let segment = value.param_value();
    match segment.as_ref() {
        "" => Err(Error::invalid(name, "is empty, which cannot be sent as a path segment")),
        "." | ".." => Err(Error::invalid(
            name,
            format!("is `{segment}`, which URLs remove from a path: the request would go to another route"),
        )),
        _ => Ok(segment),
    }
}

/// A path segment that mixes text and parameters (`{sid}.json`, `{name}.{ext}`): its
/// literal text and its parameters' values, in order, joined. Each value comes through
/// [`path_segment`], so it is checked as a segment of its own would be (an empty value, `.`
/// and `..` are refused here too), and the whole segment is percent-encoded when sent (a `/`
/// in a value stays in the segment, as `%2F`).
#[allow(dead_code, reason = "used only by specs whose paths mix text and parameters in a segment")]
pub(crate) fn joined_segment(parts: &[Cow<'_, str>]) -> Cow<'static, str> {
    Cow::Owned(parts.concat())
}

/// A request body as JSON; `None` when the request has none.
#[allow(dead_code, reason = "used only by specs with request bodies")]
pub(crate) fn json_body<T: Serialize>(value: Option<&T>) -> Result<Option<Body<'static>>, Error> {
    json_body_as(value, "application/json")
}

/// A request body as JSON sent as another JSON media type (`application/merge-patch+json`);
/// `None` when the request has none.
#[allow(dead_code, reason = "used only by specs with request bodies")]
pub(crate) fn json_body_as<T: Serialize>(
    value: Option<&T>,
    content_type: &'static str,
) -> Result<Option<Body<'static>>, Error> {
    let Some(value) = value else { return Ok(None) };
    let bytes = serde_json::to_vec(value).map_err(|e| Error::invalid("body", format!("cannot be serialized: {e}")))?;
    Ok(Some(Body { content_type: Cow::Borrowed(content_type), bytes: bytes.into() }))
}

/// A request body as an `application/x-www-form-urlencoded` form; `None` when the request
/// has none. Each field the value serializes, in order: `key=value` (strings as they are,
/// numbers and booleans as JSON writes them, `null` as an empty value), an array as one
/// pair per item (`key=a&key=b`). The generator sends only structs of such fields as forms;
/// an object anywhere is refused, not flattened.
#[allow(dead_code, reason = "used only by specs with form bodies")]
pub(crate) fn form_body<T: Serialize>(value: Option<&T>) -> Result<Option<Body<'static>>, Error> {
    let Some(value) = value else { return Ok(None) };
    let json = serde_json::to_vec(value).map_err(|e| Error::invalid("body", format!("cannot be serialized: {e}")))?;
    let fields: FormFields = serde_json::from_slice(&json)
        .map_err(|e| Error::invalid("body", format!("is not an object, which a form needs: {e}")))?;
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in &fields.0 {
        match value {
            serde_json::Value::Array(items) => {
                for item in items {
                    form.append_pair(key, &form_value(key, item)?);
                }
            }
            value => {
                form.append_pair(key, &form_value(key, value)?);
            }
        }
    }
    let content_type = Cow::Borrowed("application/x-www-form-urlencoded");
    Ok(Some(Body { content_type, bytes: form.finish().into_bytes().into() }))
}

/// One value of a form field as text.
#[allow(dead_code, reason = "used only by specs with form bodies")]
fn form_value<'v>(key: &str, value: &'v serde_json::Value) -> Result<Cow<'v, str>, Error> {
    match value {
        serde_json::Value::Null => Ok(Cow::Borrowed("")),
        serde_json::Value::String(s) => Ok(Cow::Borrowed(s)),
        serde_json::Value::Bool(b) => Ok(Cow::Borrowed(if *b { "true" } else { "false" })),
        serde_json::Value::Number(n) => Ok(Cow::Owned(n.to_string())),
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
            Err(Error::invalid(key, "holds an object or a nested array, which a form cannot carry"))
        }
    }
}

/// A JSON object's members in the order they were written (`serde_json::Map` sorts them).
struct FormFields(Vec<(String, serde_json::Value)>);

impl<'de> Deserialize<'de> for FormFields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> serde::de::Visitor<'de> for Members {
            type Value = FormFields;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<FormFields, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(FormFields(members))
            }
        }
        deserializer.deserialize_map(Members)
    }
}

/// A request body of the caller's bytes, sent as they are with `content_type`; `None` when
/// the request has none.
#[allow(dead_code, reason = "used only by specs with raw request bodies")]
pub(crate) fn bytes_body<'a>(value: Option<&bytes::Bytes>, content_type: &'a str) -> Option<Body<'a>> {
    value.map(|bytes| Body { content_type: Cow::Borrowed(content_type), bytes: bytes.clone() })
}

/// A request body of the caller's text, sent as UTF-8 with `content_type`; `None` when the
/// request has none.
#[allow(dead_code, reason = "used only by specs with text request bodies")]
pub(crate) fn text_body<'a>(value: Option<&String>, content_type: &'a str) -> Option<Body<'a>> {
    value.map(|text| Body {
        content_type: Cow::Borrowed(content_type),
        bytes: bytes::Bytes::copy_from_slice(text.as_bytes()),
    })
}

/// A success body as text: UTF-8, as the text media types the generator reads are sent.
#[allow(dead_code, reason = "used only by specs with text responses")]
pub(crate) fn decode_text(status: reqwest::StatusCode, body: &[u8]) -> Result<String, Error> {
    String::from_utf8(body.to_vec()).map_err(|e| {
        let message = format!("the body is not UTF-8 text: {e}; `send_stream` gives its bytes");
        Error::Decode(Box::new(DecodeError::new(status, ".".to_string(), message, body)))
    })
}

/// The key of a field of a query object sent under `key`: `filter[date_created_at]` and
/// `gte` → `filter[date_created_at][gte]` (`style: deepObject`).
#[allow(dead_code, reason = "used only by specs with object query parameters")]
pub(crate) fn sub_key(key: &str, field: &str) -> String {
    let mut out = String::with_capacity(key.len() + field.len() + 2);
    out.push_str(key);
    out.push('[');
    out.push_str(field);
    out.push(']');
    out
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
///
/// A body that decodes goes through `serde_json` alone, as fast as decoding into the types
/// by hand; only a failure is decoded again, tracking the path, to say where it failed.
pub(crate) fn decode<T: DeserializeOwned>(status: reqwest::StatusCode, body: &[u8]) -> Result<T, Error> {
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        Error::Decode(Box::new(DecodeError::new(status, path, e.into_inner().to_string(), body)))
    })?;
    // The value decoded, so what failed the first pass is what follows it: the whole body
    // (`.`) is not one JSON value.
    de.end().map_err(|e| Error::Decode(Box::new(DecodeError::new(status, ".".to_string(), e.to_string(), body))))?;
    Ok(value)
}

/// Decodes a required nullable field: `null` is `None`, a value is `Some`. Used through
/// `deserialize_with`, which makes serde report a missing key as an error naming the field,
/// as for any required field (plain `Option` fields decode a missing key as `None`).
#[allow(dead_code, reason = "used only by specs with required nullable fields")]
pub(crate) fn required_nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer)
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

/// `parent.field`, or whichever of the two is not empty.
fn field_path(parent: &str, field: &str) -> String {
    match (parent.is_empty(), field.is_empty()) {
        (true, _) => field.to_string(),
        (_, true) => parent.to_string(),
        _ => format!("{parent}.{field}"),
    }
}

/// A number as people write it: `50`, not `50.0`.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        v.to_string()
    }
}

/// Documented bounds on a value, checked before a request is sent.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Bounds {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub exclusive_min: bool,
    pub exclusive_max: bool,
}

impl Bounds {
    fn describe(&self) -> String {
        let lower = |v| {
            if self.exclusive_min {
                format!("greater than {}", number(v))
            } else {
                format!("at least {}", number(v))
            }
        };
        let upper =
            |v| if self.exclusive_max { format!("less than {}", number(v)) } else { format!("at most {}", number(v)) };
        match (self.min, self.max) {
            (Some(lo), Some(hi)) if !self.exclusive_min && !self.exclusive_max => {
                format!("between {} and {}", number(lo), number(hi))
            }
            (Some(lo), Some(hi)) => format!("{} and {}", lower(lo), upper(hi)),
            (Some(lo), None) => lower(lo),
            (None, Some(hi)) => upper(hi),
            (None, None) => "any value".to_string(),
        }
    }

    fn admits(&self, v: f64) -> bool {
        let above = match self.min {
            Some(lo) if self.exclusive_min => v > lo,
            Some(lo) => v >= lo,
            None => true,
        };
        let below = match self.max {
            Some(hi) if self.exclusive_max => v < hi,
            Some(hi) => v <= hi,
            None => true,
        };
        above && below
    }
}

/// Checks a number against its documented range.
#[allow(dead_code, reason = "used only by specs with numeric bounds")]
pub(crate) fn check_range(parent: &str, field: &str, value: f64, bounds: Bounds) -> Result<(), Error> {
    if bounds.admits(value) {
        return Ok(());
    }
    Err(Error::invalid(field_path(parent, field), format!("must be {} (got {})", bounds.describe(), number(value))))
}

/// Checks a string's length in characters, or an array's item count, against its bounds.
#[allow(dead_code, reason = "used only by specs with length or item-count bounds")]
pub(crate) fn check_count(parent: &str, field: &str, count: usize, bounds: Bounds, unit: &str) -> Result<(), Error> {
    if bounds.admits(count as f64) {
        return Ok(());
    }
    Err(Error::invalid(field_path(parent, field), format!("must have {} {unit} (got {count})", bounds.describe())))
}

/// The path of a nested value for messages (`video_layout.main`).
#[allow(dead_code, reason = "used only by specs with bounds inside nested values")]
pub(crate) fn nested(parent: &str, field: &str) -> String {
    field_path(parent, field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_encoded_like_the_official_sdks() {
        let mut q = QueryWriter::new();
        q.push("filter[date_created_at][gte]", &chrono::NaiveDate::from_ymd_opt(2021, 4, 25).expect("date"));
        q.push("filter[unique_name]", &"a b&c".to_string());
        q.push("filter[active]", &true);
        q.push("page[size]", &50i64);
        assert_eq!(
            q.finish().as_deref(),
            Some("filter%5Bdate_created_at%5D%5Bgte%5D=2021-04-25&filter%5Bunique_name%5D=a%20b%26c&filter%5Bactive%5D=true&page%5Bsize%5D=50")
        );
        assert_eq!(QueryWriter::new().finish(), None);
    }

    #[test]
    fn arrays_are_written_as_their_style_and_explode_say() {
        let values = ["x".to_string(), "y,z".to_string(), "a b".to_string()];
        let written = |f: &dyn Fn(&mut QueryWriter)| {
            let mut q = QueryWriter::new();
            f(&mut q);
            q.finish()
        };
        assert_eq!(written(&|q| q.push_each("c", &values)).as_deref(), Some("c=x&c=y%2Cz&c=a%20b"));
        assert_eq!(written(&|q| q.push_joined("c", &values, ",")).as_deref(), Some("c=x,y%2Cz,a%20b"));
        assert_eq!(written(&|q| q.push_joined("c", &values, "%20")).as_deref(), Some("c=x%20y%2Cz%20a%20b"));
        assert_eq!(written(&|q| q.push_joined("c", &values, "|")).as_deref(), Some("c=x|y%2Cz|a%20b"));
        assert_eq!(written(&|q| q.push_joined("c", &[1i64, 2], ",")).as_deref(), Some("c=1,2"));
        assert_eq!(written(&|q| q.push_joined::<i64>("c", &[], ",")), None);
    }

    #[test]
    fn dates_are_written_as_chrono_formats_them() {
        use chrono::NaiveDate;
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        let edges =
            [NaiveDate::MIN, NaiveDate::MAX, ymd(-1, 12, 31), ymd(0, 1, 1), ymd(9999, 12, 31), ymd(10000, 1, 1)];
        let every_so_often =
            std::iter::successors(Some(NaiveDate::MIN), |d| d.checked_add_days(chrono::Days::new(997)));
        for date in edges.into_iter().chain(every_so_often) {
            assert_eq!(date.param_value(), date.format("%Y-%m-%d").to_string());
        }
        assert_eq!(ymd(2024, 2, 29).param_value(), "2024-02-29");
        assert_eq!(ymd(12345, 6, 7).param_value(), "+12345-06-07");
        assert_eq!(ymd(-44, 3, 15).param_value(), "-0044-03-15");
    }

    #[test]
    fn range_errors_name_the_field_and_the_allowed_range() {
        let b = Bounds { min: Some(2.0), max: Some(50.0), ..Bounds::default() };
        assert!(check_range("", "max_participants", 2.0, b).is_ok());
        assert!(check_range("", "max_participants", 50.0, b).is_ok());
        let e = check_range("", "max_participants", 51.0, b).expect_err("out of range");
        assert_eq!(e.to_string(), "invalid request: `max_participants` must be between 2 and 50 (got 51)");
        let e = check_range("video_layout.main", "z_pos", -100.0, Bounds { min: Some(-99.0), ..Bounds::default() })
            .expect_err("below");
        assert_eq!(e.to_string(), "invalid request: `video_layout.main.z_pos` must be at least -99 (got -100)");
        let open = Bounds { min: Some(0.0), exclusive_min: true, ..Bounds::default() };
        assert!(check_range("", "x", 0.0, open).is_err());
        let e = check_count("", "ids", 0, Bounds { min: Some(1.0), ..Bounds::default() }, "items").expect_err("empty");
        assert_eq!(e.to_string(), "invalid request: `ids` must have at least 1 items (got 0)");
    }
}
