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

/// What one pass of the event parser over the text found: the document's tree of nodes,
/// each with where it starts, and a node's children by key (a mapping's) or index (a
/// sequence's). A pointer is found by walking its tokens from the root, so no node's full
/// pointer is ever built (at thousands of operations those strings were most of this
/// map's time and memory).
#[derive(Debug, Clone, Default)]
struct Built {
    /// Where each node starts; node 0 is the document's root.
    positions: Vec<Position>,
    children: HashMap<(u32, Key), u32>,
    syntax_error: Option<SyntaxError>,
    duplicate_key: Option<(String, Position)>,
}

/// How a node is reached from its parent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Name(Box<str>),
    Index(u32),
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
        let built = self.built();
        let mut node = 0u32;
        let mut found = *built.positions.first()?;
        let rest = pointer.strip_prefix('#')?;
        for token in rest.split('/').skip(1) {
            let name = Key::Name(crate::diag::unescape_pointer(token).into_boxed_str());
            let index = token.parse::<u32>().ok().map(Key::Index);
            let child =
                built.children.get(&(node, name)).or_else(|| index.and_then(|i| built.children.get(&(node, i))));
            match child {
                Some(&child) => {
                    node = child;
                    found = built.positions.get(child as usize).copied().unwrap_or(found);
                }
                None => break,
            }
        }
        Some(found)
    }
}

impl Built {
    /// The pointer of node `node` (for the one message that names it: a duplicate key).
    fn pointer_of(&self, node: u32) -> String {
        let mut tokens = Vec::new();
        let mut current = node;
        while current != 0 {
            let Some(((parent, key), _)) = self.children.iter().find(|(_, child)| **child == current) else { break };
            tokens.push(match key {
                Key::Name(name) => name.to_string(),
                Key::Index(i) => i.to_string(),
            });
            current = *parent;
        }
        tokens.iter().rev().fold("#".to_string(), |pointer, token| push_pointer(&pointer, token))
    }

    /// Reads the positions from YAML text. Text that does not parse yields what was read
    /// before the error (the YAML error itself is reported by `parse_yaml`).
    fn parse(text: &str) -> Built {
        enum Frame {
            /// A mapping, and the node of the key just read (its value comes next).
            Map {
                node: u32,
                value_of: Option<u32>,
            },
            Seq {
                node: u32,
                next: u32,
            },
        }
        let mut built = Built::default();
        let mut stack: Vec<Frame> = Vec::new();
        // A new node, reachable from `parent` by `key` if given (a complex key's nodes are
        // not: OpenAPI has no use for them). A key met twice keeps its first node.
        fn add(built: &mut Built, parent: Option<(u32, Key)>, at: Position) -> (u32, bool) {
            let id = u32::try_from(built.positions.len()).unwrap_or(u32::MAX);
            match parent {
                Some(edge) => match built.children.entry(edge) {
                    std::collections::hash_map::Entry::Occupied(e) => (*e.get(), false),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(id);
                        built.positions.push(at);
                        (id, true)
                    }
                },
                None => {
                    built.positions.push(at);
                    (id, true)
                }
            }
        }
        // The node the next event starts: the document's root, a mapping's value (made when
        // its key was read) or a sequence's next item.
        fn slot(stack: &mut [Frame], built: &mut Built, at: Position) -> u32 {
            match stack.last_mut() {
                None if built.positions.is_empty() => add(built, None, at).0,
                None => 0,
                Some(Frame::Map { value_of, .. }) => match value_of.take() {
                    Some(node) => node,
                    None => add(built, None, at).0,
                },
                Some(Frame::Seq { node, next }) => {
                    let item = add(built, Some((*node, Key::Index(*next))), at).0;
                    *next += 1;
                    item
                }
            }
        }
        let mut open: Vec<Position> = Vec::new();
        for item in Parser::new_from_str(text) {
            let (event, span) = match item {
                Ok(ok) => ok,
                Err(e) => {
                    let m = e.marker();
                    built.syntax_error = Some(SyntaxError {
                        position: Position { line: m.line(), column: m.col() + 1 },
                        message: e.info().to_string(),
                        open_at: open.last().copied(),
                    });
                    break;
                }
            };
            // saphyr markers: 1-based lines, 0-based columns.
            let at = Position { line: span.start.line(), column: span.start.col() + 1 };
            let key_of = match stack.last() {
                Some(Frame::Map { node, value_of: None }) => Some(*node),
                _ => None,
            };
            match event {
                Event::Scalar(value, ..) => match key_of {
                    Some(map) => {
                        let (node, new) = add(&mut built, Some((map, Key::Name(value.into()))), at);
                        if !new && built.duplicate_key.is_none() {
                            built.duplicate_key = Some((built.pointer_of(node), at));
                        }
                        if let Some(Frame::Map { value_of, .. }) = stack.last_mut() {
                            *value_of = Some(node);
                        }
                    }
                    None => {
                        slot(&mut stack, &mut built, at);
                    }
                },
                Event::Alias(_) => {
                    slot(&mut stack, &mut built, at);
                }
                Event::MappingStart(..) => {
                    // A complex key (a mapping as a key) gets a node no pointer reaches.
                    let node = match key_of {
                        Some(_) => add(&mut built, None, at).0,
                        None => slot(&mut stack, &mut built, at),
                    };
                    stack.push(Frame::Map { node, value_of: None });
                    open.push(at);
                }
                Event::SequenceStart(..) => {
                    let node = slot(&mut stack, &mut built, at);
                    stack.push(Frame::Seq { node, next: 0 });
                    open.push(at);
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                    open.pop();
                }
                _ => {}
            }
        }
        built
    }
}
