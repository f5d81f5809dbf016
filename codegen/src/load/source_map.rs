//! The source map: where each node of the YAML text starts, by JSON pointer.
//!
//! Built on first use: a spec that loads and lowers without a single diagnostic never
//! needs it, and building it is a second full parse of the text (about a third of the
//! load stage on spec/openapi.yaml, measured by `cargo xtask bench`).

use std::collections::HashMap;
use std::sync::OnceLock;

use saphyr_parser::{Event, Parser};

use crate::diag::{Position, push_pointer};

/// Maps JSON pointers (`#/paths/~1rooms/get`) to where their node starts in the text: the
/// key's position for a mapping entry, the item's position for a sequence item.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    text: String,
    built: OnceLock<Built>,
}

/// What one pass of the event parser over the text found.
#[derive(Debug, Clone, Default)]
struct Built {
    positions: HashMap<String, Position>,
    syntax_error: Option<SyntaxError>,
    duplicate_key: Option<(String, Position)>,
}

/// A YAML syntax error as the event parser saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the parser stopped.
    pub position: Position,
    /// What it was doing and what it expected (`while parsing a flow sequence, expected ',' or ']'`).
    pub message: String,
    /// Where the innermost mapping or sequence still open at that point began: the likely
    /// culprit when the parser only noticed at the end of the text.
    pub open_at: Option<Position>,
}

impl SourceMap {
    /// A source map of `text`, parsed when first asked.
    pub fn new(text: &str) -> SourceMap {
        SourceMap { text: text.to_string(), built: OnceLock::new() }
    }

    /// A source map of `text`, parsed now.
    pub fn build(text: &str) -> SourceMap {
        let map = SourceMap::new(text);
        map.built();
        map
    }

    fn built(&self) -> &Built {
        self.built.get_or_init(|| Built::parse(&self.text))
    }

    /// The first syntax error the event parser met, if any.
    pub fn syntax_error(&self) -> Option<&SyntaxError> {
        self.built().syntax_error.as_ref()
    }

    /// The first key that appears twice in one mapping: its pointer and where the second
    /// occurrence is.
    pub fn duplicate_key(&self) -> Option<&(String, Position)> {
        self.built().duplicate_key.as_ref()
    }

    /// The position of `pointer`, or of its nearest ancestor that has one.
    pub fn locate(&self, pointer: &str) -> Option<Position> {
        let positions = &self.built().positions;
        let mut current = pointer;
        loop {
            if let Some(p) = positions.get(current) {
                return Some(*p);
            }
            match current.rsplit_once('/') {
                Some((parent, _)) => current = parent,
                None => return None,
            }
        }
    }
}

impl Built {
    /// Reads the positions from YAML text. Text that does not parse yields what was read
    /// before the error (the YAML error itself is reported by `parse_yaml`).
    fn parse(text: &str) -> Built {
        enum Frame {
            Map { pointer: String, pending_key: Option<String>, keys: std::collections::HashSet<String> },
            Seq { pointer: String, next: usize },
        }
        let mut positions = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        // Pointer of the node the next event starts (None at document level).
        fn slot(stack: &mut [Frame], positions: &mut HashMap<String, Position>, at: Position) -> Option<String> {
            match stack.last_mut() {
                None => Some("#".to_string()),
                Some(Frame::Map { pointer, pending_key, .. }) => pending_key.take().map(|k| push_pointer(pointer, &k)),
                Some(Frame::Seq { pointer, next }) => {
                    let p = push_pointer(pointer, &next.to_string());
                    *next += 1;
                    positions.entry(p.clone()).or_insert(at);
                    Some(p)
                }
            }
        }
        let mut syntax_error = None;
        let mut duplicate_key = None;
        let mut open: Vec<Position> = Vec::new();
        for item in Parser::new_from_str(text) {
            let (event, span) = match item {
                Ok(ok) => ok,
                Err(e) => {
                    let m = e.marker();
                    syntax_error = Some(SyntaxError {
                        position: Position { line: m.line(), column: m.col() + 1 },
                        message: e.info().to_string(),
                        open_at: open.last().copied(),
                    });
                    break;
                }
            };
            // saphyr markers: 1-based lines, 0-based columns.
            let at = Position { line: span.start.line(), column: span.start.col() + 1 };
            match event {
                Event::Scalar(value, ..) => {
                    let is_key = matches!(stack.last(), Some(Frame::Map { pending_key: None, .. }));
                    if is_key {
                        if let Some(Frame::Map { pointer, pending_key, keys }) = stack.last_mut() {
                            let key_pointer = push_pointer(pointer, &value);
                            if !keys.insert(value.to_string()) && duplicate_key.is_none() {
                                duplicate_key = Some((key_pointer.clone(), at));
                            }
                            positions.entry(key_pointer).or_insert(at);
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
                    stack.push(Frame::Map { pointer, pending_key: None, keys: Default::default() });
                    open.push(at);
                }
                Event::SequenceStart(..) => {
                    let pointer = slot(&mut stack, &mut positions, at).unwrap_or_else(|| "#".to_string());
                    positions.entry(pointer.clone()).or_insert(at);
                    stack.push(Frame::Seq { pointer, next: 0 });
                    open.push(at);
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                    open.pop();
                }
                _ => {}
            }
        }
        Built { positions, syntax_error, duplicate_key }
    }
}
