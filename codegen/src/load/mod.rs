//! Load: spec text → `openapiv3::OpenAPI`, plus a source map from JSON pointers to lines.
//!
//! Two parsers read the text, each for what it does best: `yaml_serde` (the maintained
//! continuation of `serde_yaml`) deserializes the document into `openapiv3` types, and
//! `saphyr-parser`, an event parser that reports spans, builds the [`SourceMap`] that lets
//! every later diagnostic point at a line. `yaml_serde` is used in [`parse_yaml`] only (and
//! `value.rs`, which reads its value tree with integers beyond 64 bits as floats). A
//! JSON document (a `.json` file, or text starting with `{`) is parsed by `serde_json`
//! instead, so JSON's rules apply (surrogate-pair escapes, integers of any size) and a syntax
//! error is reported in JSON's terms.

mod locate;
mod source_map;
mod v31;
mod value;

pub use source_map::SourceMap;
pub use v31::{EXTRA_EXAMPLES, Rewrites, UNSUPPORTED};

use std::collections::BTreeSet;

use crate::diag::{Diagnostic, Diagnostics, Position, Severity, push_pointer};

/// A loaded spec: the typed document and what is needed to point back into its text.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file name diagnostics print.
    pub file: String,
    /// The typed document.
    pub doc: openapiv3::OpenAPI,
    /// Where each node starts.
    pub source_map: SourceMap,
    /// Where reading a 3.1 document in its 3.0 form moved nodes (empty for a 3.0 document):
    /// [`Spec::diagnostic`] reports a moved node at its place in the document as written.
    pub rewrites: Rewrites,
    /// The `$defs` subtrees of a 3.1 document, at their pointers in an otherwise empty
    /// document (`None` when there are none): the typed document has no place for them, and
    /// a `$ref` may point into them.
    pub defs: Option<serde_json::Value>,
    /// Warnings found while loading (what a 3.1 document says that is not generated).
    pub warnings: Vec<Diagnostic>,
    /// Schema keywords loading marked [`UNSUPPORTED`] (pointer, what), each reported by
    /// lowering where it meets the schema, or after lowering if it never does.
    pub marked: Vec<(String, String)>,
    /// The schemas (pointers) whose `allOf` reading a 3.1 document made of a `$ref` with
    /// keywords beside it: messages about that `allOf` speak of the `$ref` the user wrote.
    pub ref_siblings: BTreeSet<String>,
    /// The schemas (pointers) whose `oneOf` reading a 3.1 document made of a `type` list of
    /// several types: messages about that union speak of the types in `type`.
    pub type_lists: BTreeSet<String>,
}

impl Spec {
    /// Builds a diagnostic located at `pointer`.
    pub fn diagnostic(
        &self,
        severity: Severity,
        pointer: &str,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Diagnostic {
        let mut d = self.unlocated(severity, pointer, message, hint);
        d.position = self.source_map.locate(&d.pointer);
        d
    }

    /// [`Spec::diagnostic`] without its position, which [`Spec::locate_all`] fills in later,
    /// for many diagnostics in one pass.
    pub fn unlocated(
        &self,
        severity: Severity,
        pointer: &str,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            file: self.file.clone(),
            position: None,
            pointer: self.rewrites.original(pointer),
            message: message.into(),
            hint,
        }
    }

    /// Gives each of `diagnostics` about this document that has no position the position of
    /// its pointer, all in one pass ([`SourceMap::locate_many`]). Pointers are as written
    /// (those of [`Spec::unlocated`] already are).
    pub fn locate_all(&self, diagnostics: &mut [Diagnostic]) {
        let unlocated: Vec<usize> = (0..diagnostics.len())
            .filter(|&i| diagnostics.get(i).is_some_and(|d| d.position.is_none() && d.file == self.file))
            .collect();
        let pointers: Vec<&str> =
            unlocated.iter().filter_map(|&i| diagnostics.get(i)).map(|d| d.pointer.as_str()).collect();
        let positions = self.source_map.locate_many(&pointers);
        for (i, position) in unlocated.into_iter().zip(positions) {
            if let Some(d) = diagnostics.get_mut(i) {
                d.position = position;
            }
        }
    }

    /// Where the node at `pointer` (or its nearest ancestor) starts in the document as written.
    pub fn locate(&self, pointer: &str) -> Option<Position> {
        self.source_map.locate(&self.rewrites.original(pointer))
    }
}

/// Parses YAML (or JSON) text and deserializes it into `T` with `yaml_serde`, reporting the
/// first error with its location and the pointer of the node that did not fit. The one place
/// `yaml_serde` is used.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
    source_map: &SourceMap,
    check: impl FnOnce(&yaml_serde::Value) -> Result<(), Box<Diagnostic>>,
) -> Result<T, Diagnostics> {
    parse_yaml_inner(file, text, source_map, check).map_err(|d| Diagnostics(vec![*d]))
}

fn parse_yaml_inner<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
    source_map: &SourceMap,
    check: impl FnOnce(&yaml_serde::Value) -> Result<(), Box<Diagnostic>>,
) -> Result<T, Box<Diagnostic>> {
    let value = parse_value(file, text, source_map)?;
    check(&value)?;
    typed(file, &value, source_map, "3.0", &Rewrites::default())
}

/// Parses YAML (or JSON) text into its value tree, with YAML merge keys resolved.
fn parse_value(file: &str, text: &str, source_map: &SourceMap) -> Result<yaml_serde::Value, Box<Diagnostic>> {
    let json = is_json(file, text);
    let mut value: yaml_serde::Value =
        if json { parse_json(file, text)? } else { parse_yaml_text(file, text, source_map)? };
    // Resolve `<<` merge keys the way YAML 1.1 tools (and many OpenAPI authors) expect; JSON
    // has no merge keys.
    if !json {
        value.apply_merge().map_err(|e| {
            Box::new(Diagnostic {
                severity: Severity::Error,
                file: file.to_string(),
                position: None,
                pointer: "#".to_string(),
                message: format!("invalid YAML merge key: {}", strip_location(&e.to_string())),
                hint: None,
            })
        })?;
    }
    Ok(value)
}

/// Whether the text is a JSON document, read with JSON's rules (`\ud83d\ude00` escapes,
/// integers of any size as numbers): a `.json` file, or text whose first character is `{`.
fn is_json(file: &str, text: &str) -> bool {
    file.to_ascii_lowercase().ends_with(".json") || text.trim_start().starts_with('{')
}

/// JSON text with every `\uD800`–`\uDFFF` escape (half of a surrogate pair) replaced by
/// `\u003F`, of the same length: the YAML event parser behind the source map refuses the
/// halves one by one, and nodes must keep their columns.
fn without_surrogates(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("\\u") {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let hex = from.get(2..6).filter(|h| h.chars().all(|c| c.is_ascii_hexdigit()));
        match hex.and_then(|h| u16::from_str_radix(h, 16).ok()) {
            Some(0xD800..=0xDFFF) => {
                out.push_str("\\u003F");
                rest = from.get(6..).unwrap_or_default();
            }
            _ => {
                out.push_str(from.get(..2).unwrap_or_default());
                rest = from.get(2..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

/// Parses JSON text, reporting a syntax error in JSON's words at its line and column.
fn parse_json(file: &str, text: &str) -> Result<yaml_serde::Value, Box<Diagnostic>> {
    let fail = |position: Option<Position>, message: String| {
        Box::new(Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            position,
            pointer: "#".to_string(),
            message,
            hint: None,
        })
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        let position = (e.line() > 0).then(|| Position { line: e.line(), column: e.column().max(1) });
        fail(position, format!("invalid JSON: {}", strip_location(&e.to_string())))
    })?;
    yaml_serde::to_value(&value).map_err(|e| fail(None, format!("cannot read the JSON document: {e}")))
}

/// Parses YAML text, reporting a syntax error at the best place either parser knows.
fn parse_yaml_text(file: &str, text: &str, source_map: &SourceMap) -> Result<yaml_serde::Value, Box<Diagnostic>> {
    yaml_serde::from_str(text).map(|value::Lenient(v)| v).map_err(|e| {
        let location = e.location().map(|l| Position { line: l.line(), column: l.column() });
        let lines = text.lines().count();
        let at_end = |p: Position| p.line > lines;
        // libyaml (behind yaml_serde) places most errors well, but notices some only at the
        // end of the text; then the event parser's account (what it was parsing, where it
        // stopped, which collection was left open) is closer to the mistake.
        let (position, message, hint) = match (source_map.syntax_error(), location) {
            (Some(se), Some(l)) if at_end(l) && !at_end(se.position) => (Some(se.position), se.message.clone(), None),
            (Some(se), Some(l)) if at_end(l) && se.open_at.is_some() => {
                (se.open_at, se.message.clone(), Some("this is never closed".to_string()))
            }
            _ => (location, strip_location(&e.to_string()), None),
        };
        if let Some((pointer, at)) = source_map.duplicate_key().filter(|_| message.contains("duplicate")) {
            return Box::new(Diagnostic {
                severity: Severity::Error,
                file: file.to_string(),
                position: Some(*at),
                pointer: pointer.clone(),
                message: format!("invalid YAML: {message}"),
                hint: Some("a key may appear once in a mapping; merge the two entries".into()),
            });
        }
        Box::new(Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            position,
            pointer: "#".to_string(),
            message: format!("invalid YAML: {message}"),
            hint,
        })
    })
}

/// Deserializes the document into `T`, naming the node that does not fit.
fn typed<T: serde::de::DeserializeOwned>(
    file: &str,
    value: &yaml_serde::Value,
    source_map: &SourceMap,
    version: &str,
    rewrites: &Rewrites,
) -> Result<T, Box<Diagnostic>> {
    // The plain deserializer first: tracking the path costs about a third of this step,
    // and only a failure needs it.
    if let Ok(typed) = T::deserialize(value) {
        return Ok(typed);
    }
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(typed) => Ok(typed),
        Err(e) => {
            // serde's path stops at flattened maps and untagged enums; find the exact node.
            let (pointer, message) =
                locate::locate(value).unwrap_or_else(|| (path_to_pointer(e.path()), e.into_inner().to_string()));
            let pointer = rewrites.original(&pointer);
            Err(Box::new(Diagnostic {
                severity: Severity::Error,
                file: file.to_string(),
                position: source_map.locate(&pointer),
                message: format!("does not fit the OpenAPI {version} schema: {}", strip_location(&message)),
                pointer,
                hint: None,
            }))
        }
    }
}

/// Loads a spec from text: version check, typed parse and source map.
pub fn load_str(file: &str, text: &str) -> Result<Spec, Diagnostics> {
    if text.trim().is_empty() {
        return Err(Diagnostics(vec![Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            position: Some(Position { line: 1, column: 1 }),
            pointer: "#".to_string(),
            message: "the spec is empty".to_string(),
            hint: Some("an OpenAPI document starts with `openapi: 3.1.0` (or `3.0.3`) and `info`".to_string()),
        }]));
    }
    let source_map = if is_json(file, text) { SourceMap::new(&without_surrogates(text)) } else { SourceMap::new(text) };
    let fail = |pointer: &str, message: String, hint: Option<&str>| {
        Diagnostics(vec![Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            position: source_map.locate(pointer),
            pointer: pointer.to_string(),
            message,
            hint: hint.map(str::to_string),
        }])
    };
    // Check the version first so a 2.0 or 4.0 document gets a clear "unsupported" rather
    // than a schema mismatch somewhere deep inside.
    let mut value = parse_value(file, text, &source_map).map_err(|d| Diagnostics(vec![*d]))?;
    let (version, pre_release) = match value.get("openapi") {
        _ if value.get("swagger").is_some() => {
            return Err(fail(
                "#/swagger",
                "unsupported: Swagger 2.0 documents are not supported".into(),
                Some("convert the document to OpenAPI 3.0 or 3.1 first"),
            ));
        }
        Some(yaml_serde::Value::String(v)) => match openapi_version(v) {
            OpenApiVersion::Read { minor, pre_release } => {
                let version = match minor {
                    0 => None,
                    1 => Some(v31::Version::V31),
                    _ => Some(v31::Version::V32),
                };
                (version, pre_release.map(|pre| (v.clone(), pre.to_string())))
            }
            OpenApiVersion::Other => {
                return Err(fail(
                    "#/openapi",
                    format!(
                        "unsupported: OpenAPI {v} documents are not supported; 3.0.x and 3.1.x are read, and 3.2.x as far as a document uses what 3.1 has"
                    ),
                    Some("convert the document to OpenAPI 3.1 or 3.0"),
                ));
            }
            OpenApiVersion::Malformed => {
                return Err(fail(
                    "#/openapi",
                    format!("`openapi: {v}` is not a version number"),
                    Some("name the version the document follows, such as \"3.1.0\" or \"3.0.3\""),
                ));
            }
        },
        Some(_) => {
            return Err(fail(
                "#/openapi",
                "`openapi` must be a version string such as \"3.0.3\"".into(),
                Some("quote it: YAML reads an unquoted 3.0 as a number"),
            ));
        }
        None if value.as_mapping().is_none() => {
            return Err(fail("#", "the document must be a mapping (an OpenAPI object)".into(), None));
        }
        None => return Err(fail("#", "missing the `openapi` version field".into(), None)),
    };
    // A pre-release (`3.1.0-rc1`) is read as the release it leads to, with a warning: the
    // release may differ from it, and the generator reads the release.
    let version_warning = pre_release.map(|(v, pre)| {
        let release = v.strip_suffix(&format!("-{pre}")).unwrap_or(&v).to_string();
        Diagnostic {
            severity: Severity::Warning,
            file: file.to_string(),
            position: source_map.locate("#/openapi"),
            pointer: "#/openapi".to_string(),
            message: format!("`openapi: {v}` names a pre-release; read as OpenAPI {release}"),
            hint: Some(format!("name the released version, `{release}`")),
        }
    });
    let Some(version) = version else {
        let doc = typed(file, &value, &source_map, "3.0", &Rewrites::default()).map_err(|d| Diagnostics(vec![*d]))?;
        return Ok(Spec {
            file: file.to_string(),
            doc,
            source_map,
            rewrites: Rewrites::default(),
            defs: None,
            warnings: version_warning.into_iter().collect(),
            marked: Vec::new(),
            ref_siblings: BTreeSet::new(),
            type_lists: BTreeSet::new(),
        });
    };
    let normalized = v31::normalize(&mut value, version);
    let rewrites = normalized.rewrites;
    let diagnostic = |p: v31::Problem| Diagnostic {
        severity: p.severity,
        file: file.to_string(),
        position: source_map.locate(&p.pointer),
        pointer: p.pointer,
        message: p.message,
        hint: p.hint,
    };
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        normalized.problems.into_iter().map(diagnostic).partition(|d| d.severity == Severity::Error);
    let warnings: Vec<Diagnostic> = version_warning.into_iter().chain(warnings).collect();
    if !errors.is_empty() {
        return Err(Diagnostics(errors.into_iter().chain(warnings).collect()));
    }
    let label = if version == v31::Version::V32 { "3.2" } else { "3.1" };
    let doc = typed(file, &value, &source_map, label, &rewrites).map_err(|d| Diagnostics(vec![*d]))?;
    Ok(Spec {
        file: file.to_string(),
        doc,
        source_map,
        rewrites,
        defs: normalized.defs,
        warnings,
        marked: normalized.marked,
        ref_siblings: normalized.ref_siblings,
        type_lists: normalized.type_lists,
    })
}

/// What an `openapi` field says.
#[derive(Debug, PartialEq, Eq)]
enum OpenApiVersion<'v> {
    /// 3.0, 3.1 or 3.2 (`minor`), with or without the patch number, perhaps a pre-release
    /// (`3.1.0-rc1`: `rc1`).
    Read { minor: u32, pre_release: Option<&'v str> },
    /// A version number this generator does not read (`2.0`, `3.3.0`, `4.0.0`).
    Other,
    /// Not a version number (`3.1.x`, `3.1.0.1`, `latest`).
    Malformed,
}

/// Reads an `openapi` field: `major.minor[.patch][-pre-release]`, numbers in decimal.
fn openapi_version(v: &str) -> OpenApiVersion<'_> {
    let (core, pre_release) = match v.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (v, None),
    };
    let number = |s: &str| (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok());
    let parts: Option<Vec<u32>> = core.split('.').map(|p| number(p).flatten()).collect();
    let pre_ok = pre_release.is_none_or(|pre| {
        pre.split('.').all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    });
    match parts.as_deref() {
        Some([major, minor] | [major, minor, _]) if pre_ok => match (major, minor) {
            (3, 0..=2) => OpenApiVersion::Read { minor: *minor, pre_release },
            _ => OpenApiVersion::Other,
        },
        _ => OpenApiVersion::Malformed,
    }
}

/// Reads and loads a spec file.
pub fn load_file(path: &std::path::Path, display_name: &str) -> Result<Spec, Diagnostics> {
    let diagnostic = |position, message: String, hint: Option<&str>| {
        Diagnostics(vec![Diagnostic {
            severity: Severity::Error,
            file: display_name.to_string(),
            position,
            pointer: "#".to_string(),
            message,
            hint: hint.map(str::to_string),
        }])
    };
    let bytes = std::fs::read(path).map_err(|e| diagnostic(None, format!("cannot read the spec: {e}"), None))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.as_bytes().get(..e.utf8_error().valid_up_to()).unwrap_or_default();
        let before = String::from_utf8_lossy(valid);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let byte = e.as_bytes().get(e.utf8_error().valid_up_to()).copied().unwrap_or_default();
        diagnostic(
            Some(Position { line, column }),
            format!("the spec is not UTF-8: byte 0x{byte:02X} at line {line}, column {column} does not start a UTF-8 character"),
            Some("save the file as UTF-8, as YAML and JSON require"),
        )
    })?;
    load_str(display_name, &text)
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => pointer = push_pointer(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = push_pointer(&pointer, key),
            Segment::Enum { variant } => pointer = push_pointer(&pointer, variant),
            Segment::Unknown => {}
        }
    }
    pointer
}

/// `yaml_serde` appends " at line L column C" to messages; the diagnostic carries the
/// position separately.
fn strip_location(message: &str) -> String {
    message.split_once(" at line ").map_or(message, |(before, _)| before).to_string()
}

#[cfg(test)]
mod tests {
    use super::{OpenApiVersion, openapi_version};

    #[test]
    fn versions() {
        let read = |minor, pre_release| OpenApiVersion::Read { minor, pre_release };
        assert_eq!(openapi_version("3.0.3"), read(0, None));
        assert_eq!(openapi_version("3.0"), read(0, None));
        assert_eq!(openapi_version("3.1.0"), read(1, None));
        assert_eq!(openapi_version("3.1"), read(1, None));
        assert_eq!(openapi_version("3.1.0-rc1"), read(1, Some("rc1")));
        assert_eq!(openapi_version("3.2.0"), read(2, None));
        assert_eq!(openapi_version("3.10.0"), OpenApiVersion::Other);
        assert_eq!(openapi_version("3.3.0"), OpenApiVersion::Other);
        assert_eq!(openapi_version("2.0"), OpenApiVersion::Other);
        assert_eq!(openapi_version("4.0.0"), OpenApiVersion::Other);
        assert_eq!(openapi_version("3.1.x"), OpenApiVersion::Malformed);
        assert_eq!(openapi_version("3.1.0.1"), OpenApiVersion::Malformed);
        assert_eq!(openapi_version("3.1.0-"), OpenApiVersion::Malformed);
        assert_eq!(openapi_version("3"), OpenApiVersion::Malformed);
        assert_eq!(openapi_version(""), OpenApiVersion::Malformed);
    }
}
