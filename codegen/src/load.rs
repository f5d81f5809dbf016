//! Load: spec text → `openapiv3::OpenAPI`, plus a source map from JSON pointers to lines.
//!
//! Two parsers read the text, each for what it does best: `yaml_serde` (the maintained
//! continuation of `serde_yaml`) deserializes the document into `openapiv3` types, and
//! `saphyr-parser`, an event parser that reports spans, builds the [`SourceMap`] that lets
//! every later diagnostic point at a line. `yaml_serde` is used in [`parse_yaml`] only.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};

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
        Diagnostic {
            severity,
            file: self.file.clone(),
            position: self.source_map.locate(pointer),
            pointer: pointer.to_string(),
            message: message.into(),
            hint,
        }
    }
}

/// Maps JSON pointers (`#/paths/~1rooms/get`) to where their node starts in the text: the
/// key's position for a mapping entry, the item's position for a sequence item.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    positions: HashMap<String, Position>,
}

impl SourceMap {
    /// The position of `pointer`, or of its nearest ancestor that has one.
    pub fn locate(&self, pointer: &str) -> Option<Position> {
        let mut current = pointer;
        loop {
            if let Some(p) = self.positions.get(current) {
                return Some(*p);
            }
            match current.rsplit_once('/') {
                Some((parent, _)) => current = parent,
                None => return None,
            }
        }
    }

    /// Builds the map from YAML text. Text that does not parse yields what was read
    /// before the error (the YAML error itself is reported by [`parse_yaml`]).
    pub fn build(text: &str) -> SourceMap {
        enum Frame {
            Map { pointer: String, pending_key: Option<String> },
            Seq { pointer: String, next: usize },
        }
        let mut positions = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        // Pointer of the node the next event starts (None at document level).
        fn slot(stack: &mut [Frame], positions: &mut HashMap<String, Position>, at: Position) -> Option<String> {
            match stack.last_mut() {
                None => Some("#".to_string()),
                Some(Frame::Map { pointer, pending_key }) => pending_key.take().map(|k| push_pointer(pointer, &k)),
                Some(Frame::Seq { pointer, next }) => {
                    let p = push_pointer(pointer, &next.to_string());
                    *next += 1;
                    positions.entry(p.clone()).or_insert(at);
                    Some(p)
                }
            }
        }
        for item in Parser::new_from_str(text) {
            let Ok((event, span)) = item else { break };
            // saphyr markers: 1-based lines, 0-based columns.
            let at = Position { line: span.start.line(), column: span.start.col() + 1 };
            match event {
                Event::Scalar(value, ..) => {
                    let is_key = matches!(stack.last(), Some(Frame::Map { pending_key: None, .. }));
                    if is_key {
                        if let Some(Frame::Map { pointer, pending_key }) = stack.last_mut() {
                            positions.entry(push_pointer(pointer, &value)).or_insert(at);
                            *pending_key = Some(value.into_owned());
                        }
                    } else {
                        slot(&mut stack, &mut positions, at);
                    }
                }
                Event::Alias(_) => {
                    slot(&mut stack, &mut positions, at);
                }
                Event::MappingStart(..) => {
                    let is_key = matches!(stack.last(), Some(Frame::Map { pending_key: None, .. }));
                    // Complex keys are not used by OpenAPI; give them a throwaway pointer.
                    let pointer = if is_key {
                        "#complex-key".to_string()
                    } else {
                        slot(&mut stack, &mut positions, at).unwrap_or_else(|| "#".to_string())
                    };
                    positions.entry(pointer.clone()).or_insert(at);
                    stack.push(Frame::Map { pointer, pending_key: None });
                }
                Event::SequenceStart(..) => {
                    let pointer = slot(&mut stack, &mut positions, at).unwrap_or_else(|| "#".to_string());
                    positions.entry(pointer.clone()).or_insert(at);
                    stack.push(Frame::Seq { pointer, next: 0 });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                }
                _ => {}
            }
        }
        SourceMap { positions }
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
    let mut value: yaml_serde::Value = yaml_serde::from_str(text).map_err(|e| {
        let position = e.location().map(|l| Position { line: l.line(), column: l.column() });
        Box::new(Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            position,
            pointer: "#".to_string(),
            message: format!("invalid YAML: {}", strip_location(&e.to_string())),
            hint: None,
        })
    })?;
    // Resolve `<<` merge keys the way YAML 1.1 tools (and many OpenAPI authors) expect.
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
    check(&value)?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        let inner = e.into_inner();
        Box::new(Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            position: source_map.locate(&pointer),
            message: format!("does not fit the OpenAPI 3.0 schema: {}", strip_location(&inner.to_string())),
            pointer,
            hint: None,
        })
    })
}

/// Loads a spec from text: version check, typed parse and source map.
pub fn load_str(file: &str, text: &str) -> Result<Spec, Diagnostics> {
    let source_map = SourceMap::build(text);
    let fail = |pointer: &str, message: String, hint: Option<&str>| {
        Box::new(Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            position: source_map.locate(pointer),
            pointer: pointer.to_string(),
            message,
            hint: hint.map(str::to_string),
        })
    };
    // Check the version first so a 3.1 or 2.0 document gets a clear "unsupported" rather
    // than a schema mismatch somewhere deep inside.
    let check = |value: &yaml_serde::Value| {
        if value.get("swagger").is_some() {
            return Err(fail(
                "#/swagger",
                "unsupported: Swagger 2.0 documents are not supported".into(),
                Some("convert the document to OpenAPI 3.0 first"),
            ));
        }
        match value.get("openapi") {
            Some(yaml_serde::Value::String(v)) if v.starts_with("3.0.") || v == "3.0" => Ok(()),
            Some(yaml_serde::Value::String(v)) => Err(fail(
                "#/openapi",
                format!("unsupported: OpenAPI {v} documents are not supported, only 3.0.x"),
                Some("this generator reads OpenAPI 3.0; 3.1 changes the schema dialect"),
            )),
            Some(_) => Err(fail("#/openapi", "`openapi` must be a version string such as \"3.0.3\"".into(), None)),
            None if value.as_mapping().is_none() => {
                Err(fail("#", "the document must be a mapping (an OpenAPI object)".into(), None))
            }
            None => Err(fail("#", "missing the `openapi` version field".into(), None)),
        }
    };
    let doc = parse_yaml(file, text, &source_map, check)?;
    Ok(Spec { file: file.to_string(), doc, source_map })
}

/// Reads and loads a spec file.
pub fn load_file(path: &std::path::Path, display_name: &str) -> Result<Spec, Diagnostics> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostics(vec![Diagnostic {
            severity: Severity::Error,
            file: display_name.to_string(),
            position: None,
            pointer: "#".to_string(),
            message: format!("cannot read the spec: {e}"),
            hint: None,
        }])
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
