//! The source map: where each node of the YAML text starts, by JSON pointer.
//!
//! Built on first use: a spec that loads and lowers without a single diagnostic never
//! needs it, and building it is a second full parse of the text (about a third of the
//! load stage on spec/openapi.yaml, measured by `cargo xtask bench`). Lowering locates its
//! diagnostics all at once ([`SourceMap::locate_many`]): one pass of the event parser that
//! looks for those nodes only and stops when each is found (a node that is absent is known
//! to be only at the end of the text: a key may come back later in its mapping).

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

    /// The positions of several pointers, each as [`SourceMap::locate`] finds it. Unless the
    /// map is built already, one pass of the event parser looks for these nodes only and
    /// stops once each is found, so a run with a few diagnostics does not build the whole map.
    pub fn locate_many(&self, pointers: &[&str]) -> Vec<Option<Position>> {
        if self.built.get().is_some() || pointers.is_empty() {
            return pointers.iter().map(|p| self.locate(p)).collect();
        }
        let mut wanted = Wanted::new(pointers);
        walk(&self.text, &mut wanted);
        pointers.iter().map(|p| wanted.position(p)).collect()
    }

    /// The position of `pointer`, or of its nearest ancestor that has one.
    pub fn locate(&self, pointer: &str) -> Option<Position> {
        let built = self.built();
        let mut node = 0u32;
        let mut found = *built.positions.first()?;
        for token in tokens(pointer)? {
            let index = token.parse::<u32>().ok().map(Key::Index);
            let name = Key::Name(token.into_boxed_str());
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

/// A pointer's tokens (`#/paths/~1rooms/get` → `/rooms`, `get`), unescaped; `None` for a
/// pointer that is not into this document.
fn tokens(pointer: &str) -> Option<impl Iterator<Item = String> + '_> {
    Some(pointer.strip_prefix('#')?.split('/').skip(1).map(crate::diag::unescape_pointer))
}

/// How a node is reached from its parent, as [`walk`] meets it.
#[derive(Clone, Copy)]
enum Step<'a> {
    /// A mapping's key.
    Name(&'a str),
    /// A sequence's index.
    Index(usize),
}

/// What a pass of [`walk`] builds: it says which node each node the walk meets is (`None`
/// for one it does not keep; nothing under such a node is asked about).
trait Tree {
    type Node: Copy;
    /// The root of a document of the text (the first, or a later one).
    fn root(&mut self, at: Position) -> Option<Self::Node>;
    /// The node reached from `parent` by `step`, which starts at `at`.
    fn child(&mut self, parent: Self::Node, step: Step<'_>, at: Position) -> Option<Self::Node>;
    /// Whether the walk can stop before the text ends.
    fn done(&self) -> bool {
        false
    }
}

/// One pass of the event parser over `text`, giving `tree` every node where it starts: a
/// mapping entry at its key, a sequence item at the item. A key that is not a scalar (an
/// alias, or a mapping or sequence as a key) is a key all the same: the event after it is
/// its value, so the entries after it stay in step. An alias as a key is the scalar it
/// names; a mapping or sequence as a key, and its value, are no node. Returns the first
/// syntax error (text that does not parse yields what was read before it).
fn walk<T: Tree>(text: &str, tree: &mut T) -> Option<SyntaxError> {
    enum Frame<N> {
        /// A mapping, and once its key is read, the node of the value that comes next.
        Map {
            node: Option<N>,
            value_of: Option<Option<N>>,
        },
        Seq {
            node: Option<N>,
            next: usize,
        },
    }
    let mut stack: Vec<Frame<T::Node>> = Vec::new();
    // Where each mapping and sequence still open began.
    let mut open: Vec<Position> = Vec::new();
    // The scalars with an anchor, by its id: an alias can be a key.
    let mut anchored: HashMap<usize, String> = HashMap::new();
    for item in Parser::new_from_str(text) {
        if tree.done() {
            break;
        }
        let (event, span) = match item {
            Ok(ok) => ok,
            Err(e) => {
                let m = e.marker();
                return Some(SyntaxError {
                    position: Position { line: m.line(), column: m.col() + 1 },
                    message: e.info().to_string(),
                    open_at: open.last().copied(),
                });
            }
        };
        // saphyr markers: 1-based lines, 0-based columns.
        let at = Position { line: span.start.line(), column: span.start.col() + 1 };
        match &event {
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                open.pop();
                continue;
            }
            Event::Scalar(..) | Event::Alias(_) | Event::MappingStart(..) | Event::SequenceStart(..) => {}
            _ => continue,
        }
        // The node this event starts (`None` for a key: it names the value's node).
        let node = match stack.last_mut() {
            None => tree.root(at),
            Some(Frame::Map { node: map, value_of: value_of @ None }) => {
                let name = match &event {
                    Event::Scalar(value, ..) => Some(value.as_ref()),
                    Event::Alias(anchor) => anchored.get(anchor).map(String::as_str),
                    _ => None,
                };
                *value_of = Some(map.zip(name).and_then(|(map, name)| tree.child(map, Step::Name(name), at)));
                None
            }
            Some(Frame::Map { value_of, .. }) => value_of.take().flatten(),
            Some(Frame::Seq { node, next }) => {
                let item = node.and_then(|seq| tree.child(seq, Step::Index(*next), at));
                *next += 1;
                item
            }
        };
        match event {
            Event::Scalar(value, _, anchor, _) if anchor != 0 => {
                anchored.insert(anchor, value.into_owned());
            }
            Event::MappingStart(..) => {
                stack.push(Frame::Map { node, value_of: None });
                open.push(at);
            }
            Event::SequenceStart(..) => {
                stack.push(Frame::Seq { node, next: 0 });
                open.push(at);
            }
            _ => {}
        }
    }
    None
}

/// The pointers [`SourceMap::locate_many`] looks for, as a tree of their tokens.
struct Wanted {
    /// Node 0 is the document's root (`#`).
    nodes: Vec<WantedNode>,
    /// Requested pointers whose node is not found yet. A node is never known to be absent
    /// before the text ends: a key can come back later in its mapping (`200` and `'200'`
    /// are two keys to YAML but one to a pointer; a JSON object may repeat a name), and the
    /// built map gathers what is under both.
    pending: usize,
    /// Whether the document's root was met (the nodes of a later document are not kept).
    root_seen: bool,
}

#[derive(Default)]
struct WantedNode {
    children: HashMap<String, usize>,
    /// Where the node starts, once found.
    found: Option<Position>,
    /// How many requested pointers end here and are not found yet.
    requests: usize,
}

impl Wanted {
    fn new(pointers: &[&str]) -> Wanted {
        let mut wanted = Wanted { nodes: vec![WantedNode::default()], pending: 0, root_seen: false };
        for pointer in pointers {
            let Some(tokens) = tokens(pointer) else { continue };
            let mut node = 0;
            for token in tokens {
                let next = wanted.nodes.len();
                let Some(current) = wanted.nodes.get_mut(node) else { break };
                node = *current.children.entry(token).or_insert(next);
                if node == next {
                    wanted.nodes.push(WantedNode::default());
                }
            }
            if let Some(n) = wanted.nodes.get_mut(node) {
                n.requests += 1;
            }
            wanted.pending += 1;
        }
        wanted
    }

    /// The child of `node` reached by `token`, if it is wanted.
    fn wanted_child(&self, node: usize, token: &str) -> Option<usize> {
        self.nodes.get(node)?.children.get(token).copied()
    }

    /// Records where `node` starts: the first time it is met, as the built map keeps a
    /// node's first place. What is wanted under it is looked for still, in this value and
    /// in any later one under the same key.
    fn found(&mut self, node: usize, at: Position) {
        if let Some(n) = self.nodes.get_mut(node)
            && n.found.is_none()
        {
            n.found = Some(at);
            self.pending -= n.requests.min(self.pending);
            n.requests = 0;
        }
    }

    /// The position of `pointer`'s node or of its nearest found ancestor.
    fn position(&self, pointer: &str) -> Option<Position> {
        let mut node = 0;
        let mut found = self.nodes.first()?.found?;
        for token in tokens(pointer)? {
            match self.wanted_child(node, &token) {
                Some(child) => {
                    node = child;
                    match self.nodes.get(child).and_then(|n| n.found) {
                        Some(at) => found = at,
                        None => break,
                    }
                }
                None => break,
            }
        }
        Some(found)
    }
}

/// The search: only the wanted nodes are kept, and the walk stops when all are found (to
/// the end of the text when one is absent).
impl Tree for Wanted {
    type Node = usize;

    fn root(&mut self, at: Position) -> Option<usize> {
        if std::mem::replace(&mut self.root_seen, true) {
            return None;
        }
        self.found(0, at);
        Some(0)
    }

    fn child(&mut self, parent: usize, step: Step<'_>, at: Position) -> Option<usize> {
        let child = match step {
            Step::Name(name) => self.wanted_child(parent, name),
            // Only a wanted sequence's items are spelled out.
            Step::Index(i) => {
                self.nodes.get(parent).filter(|n| !n.children.is_empty())?;
                self.wanted_child(parent, &i.to_string())
            }
        }?;
        self.found(child, at);
        Some(child)
    }

    fn done(&self) -> bool {
        self.pending == 0
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
        let mut built = Built::default();
        built.syntax_error = walk(text, &mut built);
        built
    }
}

/// The built map keeps every node. A key met twice keeps its first node, and the first
/// such key is recorded; a later document's nodes hang under the first one's root.
impl Tree for Built {
    type Node = u32;

    fn root(&mut self, at: Position) -> Option<u32> {
        if self.positions.is_empty() {
            self.positions.push(at);
        }
        Some(0)
    }

    fn child(&mut self, parent: u32, step: Step<'_>, at: Position) -> Option<u32> {
        let key = match step {
            Step::Name(name) => Key::Name(name.into()),
            Step::Index(i) => Key::Index(u32::try_from(i).unwrap_or(u32::MAX)),
        };
        let id = u32::try_from(self.positions.len()).unwrap_or(u32::MAX);
        match self.children.entry((parent, key)) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let node = *e.get();
                if matches!(step, Step::Name(_)) && self.duplicate_key.is_none() {
                    self.duplicate_key = Some((self.pointer_of(node), at));
                }
                Some(node)
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(id);
                self.positions.push(at);
                Some(id)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every node's pointer in `value`, and for each a child that does not exist.
    fn pointers(value: &yaml_serde::Value, at: String, out: &mut Vec<String>) {
        out.push(push_pointer(&at, "x-not-there"));
        match value {
            yaml_serde::Value::Mapping(map) => {
                for (key, child) in map {
                    let key = match key {
                        yaml_serde::Value::String(s) => s.clone(),
                        other => yaml_serde::to_string(other).unwrap_or_default().trim().to_string(),
                    };
                    let pointer = push_pointer(&at, &key);
                    out.push(pointer.clone());
                    pointers(child, pointer, out);
                }
            }
            yaml_serde::Value::Sequence(items) => {
                for (i, child) in items.iter().enumerate() {
                    let pointer = push_pointer(&at, &i.to_string());
                    out.push(pointer.clone());
                    pointers(child, pointer, out);
                }
                out.push(push_pointer(&at, &items.len().to_string()));
            }
            _ => {}
        }
    }

    fn agree(text: &str) {
        let value: yaml_serde::Value = yaml_serde::from_str(text).expect("YAML");
        let mut all = vec!["#".to_string()];
        pointers(&value, "#".to_string(), &mut all);
        let built = SourceMap::build(text);
        let expected: Vec<Option<Position>> = all.iter().map(|p| built.locate(p)).collect();
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        // All at once, and each alone (a search that stops early must stop at the right node).
        assert_eq!(SourceMap::new(text).locate_many(&refs), expected);
        for (pointer, expected) in refs.iter().zip(&expected) {
            assert_eq!(SourceMap::new(text).locate_many(&[pointer]), vec![*expected], "{pointer}");
        }
    }

    #[test]
    fn locating_many_at_once_finds_what_the_built_map_finds() {
        agree(
            "openapi: 3.0.3\npaths:\n  /rooms/{id}:\n    get:\n      responses:\n        '200': {description: ok}\n        \
             default:\n          description: no\n  /a~b: {}\nlist:\n  - a\n  - {b: [1, 2, {c: d}]}\n  - - nested\nempty: {}\n\
             none:\ntail: end\n",
        );
    }

    #[test]
    fn a_key_met_again_is_searched_again() {
        // `200` and `'200'` are two keys to YAML and one to a pointer: the built map gathers
        // what is under both, so a search may not give up on the first one's end.
        agree("m:\n  200: a\n  '200': {d: 1, e: [x, {f: 2}]}\nn: {true: 1, 'true': {g: 3}}\n");
        // A JSON object may repeat a name (the last value is read).
        let json = r#"{"r": {"200": {"a": 1}, "200": {"b": {"c": 2}}}}"#;
        let built = SourceMap::build(json);
        assert_eq!(built.locate("#/r/200/b/c"), Some(Position { line: 1, column: 39 }));
        for pointer in ["#/r/200/b/c", "#/r/200/a", "#/r/200/x", "#/r/200"] {
            assert_eq!(SourceMap::new(json).locate_many(&[pointer]), vec![built.locate(pointer)], "{pointer}");
        }
    }

    #[test]
    fn a_key_that_is_not_a_scalar_keeps_the_entries_after_it_in_step() {
        // An alias as a key is the scalar it names; a complex key is reached by no pointer;
        // either way the event after it is its value, not the next key.
        let text = "x: [&k type, &m {a: 1}]\ns:\n  *k : integer\n  x-note: minimum\n  minimum: 1\n  \
                    *m : v\n  ? [p, q]\n  : w\n  ? {r: 1}\n  : z\n  after: {b: 2}\n";
        agree(text);
        let built = SourceMap::build(text);
        for (pointer, line, column) in
            [("#/s/type", 3, 3), ("#/s/minimum", 5, 3), ("#/s/x-note", 4, 3), ("#/s/after/b", 11, 11)]
        {
            let at = Some(Position { line, column });
            assert_eq!(built.locate(pointer), at, "{pointer}");
            assert_eq!(SourceMap::new(text).locate_many(&[pointer]), vec![at], "{pointer}");
        }
    }

    #[test]
    fn locating_many_at_once_agrees_on_the_project_spec() {
        let text = include_str!("../../../spec/openapi.yaml");
        let value: yaml_serde::Value = yaml_serde::from_str(text).expect("YAML");
        let mut all = vec!["#".to_string()];
        pointers(&value, "#".to_string(), &mut all);
        let built = SourceMap::build(text);
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        let expected: Vec<Option<Position>> = refs.iter().map(|p| built.locate(p)).collect();
        assert_eq!(SourceMap::new(text).locate_many(&refs), expected);
        // A few at a time, from the start, the middle and the end of the document.
        for chunk in [&refs[..3], &refs[refs.len() / 2..refs.len() / 2 + 3], &refs[refs.len() - 3..]] {
            let positions: Vec<Option<Position>> = chunk.iter().map(|p| built.locate(p)).collect();
            assert_eq!(SourceMap::new(text).locate_many(chunk), positions);
        }
    }
}
