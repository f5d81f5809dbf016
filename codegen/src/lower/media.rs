//! Media types: what a request or response body's media type makes of it.
//!
//! JSON (`application/json`, `*/*+json`) is decoded and encoded with the schema's types; a
//! form (`application/x-www-form-urlencoded`) is a struct sent as `key=value` pairs; text
//! (`text/*`, XML, YAML) is a `String` and anything else (`application/octet-stream`,
//! `application/pdf`, `image/*`, `audio/*`) is bytes, whatever the schema says: no XML model
//! is made. `*/*` is JSON unless its schema is a binary string (`type: string, format:
//! binary`), which makes it bytes.

/// What a media type makes of a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// JSON, with the schema's types.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// Another `multipart/*` (`mixed`, `related`), or `text/event-stream`: not generated.
    Unsupported,
    /// Text, as a `String`.
    Text,
    /// Bytes.
    Bytes,
}

/// The media type without parameters, trimmed and lowercased (`Text/CSV; charset=utf-8` →
/// `text/csv`).
pub(super) fn essence(media: &str) -> String {
    media.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// What `media` makes of a body whose schema is (`binary`) or is not a binary string.
pub(super) fn kind(media: &str, binary: bool) -> Kind {
    let media = essence(media);
    let (top, sub) = media.split_once('/').unwrap_or((media.as_str(), ""));
    match (top, sub) {
        ("application", "json") => Kind::Json,
        (_, sub) if sub.ends_with("+json") => Kind::Json,
        ("*", "*" | "") => {
            if binary {
                Kind::Bytes
            } else {
                Kind::Json
            }
        }
        ("application", "x-www-form-urlencoded") => Kind::Form,
        ("multipart", "form-data") => Kind::Multipart,
        ("multipart", _) | ("text", "event-stream") => Kind::Unsupported,
        ("text", _) => Kind::Text,
        ("application", "xml" | "yaml" | "x-yaml" | "javascript" | "x-ndjson" | "csv") => Kind::Text,
        (_, sub) if sub.ends_with("+xml") || sub.ends_with("+yaml") => Kind::Text,
        _ => Kind::Bytes,
    }
}

/// Whether `media` names a range rather than one media type (`image/*`, `*/*`, `*`).
pub(super) fn is_range(media: &str) -> bool {
    let media = essence(media);
    media == "*" || media.ends_with("/*")
}

/// `media` as it goes in a header: `*` (which is not a media type) as `*/*`, the rest as
/// written.
pub(super) fn header_form(media: &str) -> String {
    if essence(media) == "*" { "*/*".to_string() } else { media.trim().to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_make_kinds() {
        let cases = [
            ("application/json", false, Kind::Json),
            ("application/vnd.api+json; charset=utf-8", false, Kind::Json),
            ("*/*", false, Kind::Json),
            ("*/*", true, Kind::Bytes),
            ("*", true, Kind::Bytes),
            ("application/x-www-form-urlencoded", false, Kind::Form),
            ("multipart/form-data", false, Kind::Multipart),
            ("multipart/mixed", false, Kind::Unsupported),
            ("text/event-stream", false, Kind::Unsupported),
            ("text/plain", false, Kind::Text),
            ("Text/CSV", true, Kind::Text),
            ("text/xml", false, Kind::Text),
            ("application/xml", false, Kind::Text),
            ("application/atom+xml", false, Kind::Text),
            ("application/octet-stream", false, Kind::Bytes),
            ("application/pdf", false, Kind::Bytes),
            ("image/*", false, Kind::Bytes),
            ("audio/mpeg", false, Kind::Bytes),
        ];
        for (media, binary, want) in cases {
            assert_eq!(kind(media, binary), want, "{media}");
        }
    }

    #[test]
    fn ranges() {
        assert!(is_range("image/*") && is_range("*/*") && is_range("*"));
        assert!(!is_range("image/png") && !is_range("application/json"));
        assert_eq!(header_form("*"), "*/*");
        assert_eq!(header_form("text/csv"), "text/csv");
    }
}
