//! Multipart uploads (`multipart/form-data`): files and fields in one body.
//!
//! The body is written whole before it is sent, so every attempt of a retried request sends
//! the same bytes. Text fields are parts without a `Content-Type` (text, as the standard
//! says), other values parts of JSON, files parts with their file name and media type.

use std::borrow::Cow;

use bytes::Bytes;
use serde::Serialize;

use crate::client::Body;
use crate::error::Error;
use crate::runtime::ParamValue;

/// A file sent as one part of a multipart upload: its bytes, and the file name and media
/// type the server is told.
///
/// Anything that converts into [`Bytes`] converts into a `FilePart` (a `Vec<u8>`, a
/// `&'static [u8]`, `Bytes`), so an upload's argument takes the bytes themselves when the
/// defaults do: the part's name as the file name, and the media type the API documents
/// (`application/octet-stream` when it documents none). [`FilePart::from_path`] reads a
/// file and names the part after it; [`FilePart::from_stream`] reads a stream of chunks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePart {
    bytes: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file of these bytes.
    pub fn new(bytes: impl Into<Bytes>) -> FilePart {
        FilePart { bytes: bytes.into(), file_name: None, content_type: None }
    }

    /// The file name the server is told (the `filename` of the part), instead of the part's
    /// name.
    pub fn file_name(mut self, file_name: impl Into<String>) -> FilePart {
        self.file_name = Some(file_name.into());
        self
    }

    /// The file's media type (the part's `Content-Type`, e.g. `image/png`), instead of the
    /// one the API documents.
    pub fn content_type(mut self, content_type: impl Into<String>) -> FilePart {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file at `path`, read whole (the upload is written whole before it is sent, so
    /// that a retry sends the same bytes), named by the path's last component.
    ///
    /// # Errors
    ///
    /// The file cannot be read.
    pub async fn from_path(path: impl AsRef<std::path::Path>) -> std::io::Result<FilePart> {
        let path = path.as_ref();
        let bytes = tokio::fs::read(path).await?;
        let mut part = FilePart::new(bytes);
        part.file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        Ok(part)
    }

    /// A file of every chunk of `stream`, read to its end (a download's
    /// [`ByteStream`](crate::ByteStream), a `tokio_util::io::ReaderStream`, …).
    ///
    /// # Errors
    ///
    /// The stream's first error.
    pub async fn from_stream<S, B, E>(stream: S) -> Result<FilePart, E>
    where
        S: futures_core::Stream<Item = Result<B, E>>,
        B: AsRef<[u8]>,
    {
        let mut stream = std::pin::pin!(stream);
        let mut bytes = bytes::BytesMut::new();
        while let Some(chunk) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
            bytes.extend_from_slice(chunk?.as_ref());
        }
        Ok(FilePart::new(bytes.freeze()))
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }
}

impl From<Bytes> for FilePart {
    fn from(bytes: Bytes) -> FilePart {
        FilePart::new(bytes)
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> FilePart {
        FilePart::new(bytes)
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(bytes: &'static [u8]) -> FilePart {
        FilePart::new(bytes)
    }
}

/// A multipart body being written: each part's headers and content, in order.
#[allow(dead_code, reason = "used only by specs with multipart bodies")]
pub(crate) struct Multipart {
    parts: Vec<(String, Bytes)>,
}

#[allow(dead_code, reason = "used only by specs with multipart bodies")]
impl Multipart {
    pub(crate) fn new() -> Multipart {
        Multipart { parts: Vec::new() }
    }

    /// A text field.
    pub(crate) fn text<T: ParamValue>(&mut self, name: &str, value: &T) {
        let head = format!("Content-Disposition: form-data; name=\"{}\"\r\n", quoted(name));
        self.parts.push((head, Bytes::copy_from_slice(value.param_value().as_bytes())));
    }

    /// A text field per item, all under `name`.
    pub(crate) fn texts<T: ParamValue>(&mut self, name: &str, values: &[T]) {
        for value in values {
            self.text(name, value);
        }
    }

    /// A part of JSON.
    pub(crate) fn json<T: Serialize>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let json = serde_json::to_vec(value).map_err(|e| Error::invalid(name, format!("cannot be serialized: {e}")))?;
        let head =
            format!("Content-Disposition: form-data; name=\"{}\"\r\nContent-Type: application/json\r\n", quoted(name));
        self.parts.push((head, Bytes::from(json)));
        Ok(())
    }

    /// A file, sent as `content_type` unless it says otherwise.
    pub(crate) fn file(&mut self, name: &str, file: &FilePart, content_type: &str) -> Result<(), Error> {
        let content_type = file.content_type.as_deref().unwrap_or(content_type);
        if content_type.contains(['\r', '\n']) {
            return Err(Error::invalid(name, "has a content type that cannot be sent in a header"));
        }
        let head = format!(
            "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {content_type}\r\n",
            quoted(name),
            quoted(file.file_name.as_deref().unwrap_or(name))
        );
        self.parts.push((head, file.bytes.clone()));
        Ok(())
    }

    /// A part per file, all under `name`.
    pub(crate) fn files(&mut self, name: &str, files: &[FilePart], content_type: &str) -> Result<(), Error> {
        files.iter().try_for_each(|file| self.file(name, file, content_type))
    }

    /// The body: `None` when nothing was written and the body is optional.
    pub(crate) fn finish(self, required: bool) -> Option<Body<'static>> {
        if self.parts.is_empty() && !required {
            return None;
        }
        let boundary = boundary(&self.parts);
        let size: usize = self.parts.iter().map(|(head, bytes)| head.len() + bytes.len() + boundary.len() + 8).sum();
        let mut out = Vec::with_capacity(size + boundary.len() + 6);
        for (head, bytes) in &self.parts {
            out.extend_from_slice(b"--");
            out.extend_from_slice(boundary.as_bytes());
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(head.as_bytes());
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(bytes);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.as_bytes());
        out.extend_from_slice(b"--\r\n");
        let content_type = Cow::Owned(format!("multipart/form-data; boundary={boundary}"));
        Some(Body { content_type, bytes: Bytes::from(out) })
    }
}

/// A name or file name inside the quotes of a `Content-Disposition`: quotes and line breaks
/// percent-encoded, as browsers send them.
fn quoted(text: &str) -> Cow<'_, str> {
    if !text.contains(['"', '\r', '\n']) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A"))
}

/// The first boundary of a fixed sequence that no part contains (so the same parts always
/// make the same body).
fn boundary(parts: &[(String, Bytes)]) -> String {
    let contains = |haystack: &[u8], needle: &[u8]| haystack.windows(needle.len()).any(|w| w == needle);
    let mut n = 0u64;
    loop {
        let candidate = format!("multipart-boundary-{n:016x}");
        let needle = candidate.as_bytes();
        if !parts.iter().any(|(head, bytes)| contains(head.as_bytes(), needle) || contains(bytes, needle)) {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_written_in_order_with_their_headers() {
        let mut form = Multipart::new();
        form.text("model", &"whisper".to_string());
        form.texts("tags[]", &[1i64, 2]);
        form.file("file", &FilePart::new(&b"RIFF"[..]).file_name("a \"b\".wav"), "application/octet-stream")
            .expect("a file part");
        let body = form.finish(true).expect("a body");
        assert_eq!(body.content_type, "multipart/form-data; boundary=multipart-boundary-0000000000000000");
        let text = String::from_utf8(body.bytes.to_vec()).expect("text");
        assert_eq!(
            text,
            "--multipart-boundary-0000000000000000\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper\r\n\
             --multipart-boundary-0000000000000000\r\nContent-Disposition: form-data; name=\"tags[]\"\r\n\r\n1\r\n\
             --multipart-boundary-0000000000000000\r\nContent-Disposition: form-data; name=\"tags[]\"\r\n\r\n2\r\n\
             --multipart-boundary-0000000000000000\r\nContent-Disposition: form-data; name=\"file\"; \
             filename=\"a %22b%22.wav\"\r\nContent-Type: application/octet-stream\r\n\r\nRIFF\r\n\
             --multipart-boundary-0000000000000000--\r\n"
        );
    }

    #[test]
    fn the_boundary_is_not_in_any_part() {
        let mut form = Multipart::new();
        form.text("a", &"multipart-boundary-0000000000000000".to_string());
        let body = form.finish(true).expect("a body");
        assert!(body.content_type.ends_with("multipart-boundary-0000000000000001"), "{}", body.content_type);
        assert!(Multipart::new().finish(false).is_none());
        assert!(Multipart::new().finish(true).is_some());
    }
}
