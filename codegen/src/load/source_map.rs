//! The source map: where each node of the YAML text starts, by JSON pointer.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};

use crate::diag::{Position, push_pointer};

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
