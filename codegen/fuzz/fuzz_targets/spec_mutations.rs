//! Structure-aware mutations of `spec/openapi.yaml`: the input bytes choose nodes of the
//! parsed document and what to do to them (remove, change a value's type, copy another
//! subtree over it, rename a key), and the mutated document, serialized back to YAML, goes
//! through load → lower → emit → format. This reaches the lowering's corners (references to
//! the wrong things, values of the wrong type deep inside) that byte mutations rarely reach
//! without breaking the YAML first.
#![no_main]

use std::sync::OnceLock;

use yaml_serde::Value;

static BASE: OnceLock<Value> = OnceLock::new();

fn base() -> &'static Value {
    BASE.get_or_init(|| {
        yaml_serde::from_str(include_str!("../../../spec/openapi.yaml")).unwrap_or(Value::Null)
    })
}

/// Reads small numbers off the input.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn next(&mut self) -> Option<usize> {
        let (first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*first as usize)
    }
}

/// Every node of the tree in pre-order, as paths of child indices.
fn paths(value: &Value, at: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    out.push(at.clone());
    let children: Vec<&Value> = match value {
        Value::Mapping(m) => m.values().collect(),
        Value::Sequence(s) => s.iter().collect(),
        _ => Vec::new(),
    };
    for (i, child) in children.into_iter().enumerate() {
        at.push(i);
        paths(child, at, out);
        at.pop();
    }
}

fn node_mut<'v>(value: &'v mut Value, path: &[usize]) -> Option<&'v mut Value> {
    let Some((first, rest)) = path.split_first() else { return Some(value) };
    let child = match value {
        Value::Mapping(m) => m.values_mut().nth(*first)?,
        Value::Sequence(s) => s.get_mut(*first)?,
        _ => return None,
    };
    node_mut(child, rest)
}

fn node<'v>(value: &'v Value, path: &[usize]) -> Option<&'v Value> {
    let Some((first, rest)) = path.split_first() else { return Some(value) };
    let child = match value {
        Value::Mapping(m) => m.values().nth(*first)?,
        Value::Sequence(s) => s.get(*first)?,
        _ => return None,
    };
    node(child, rest)
}

const KEYS: &[&str] = &["$ref", "type", "properties", "items", "oneOf", "allOf", "style", "in", "required", "nullable", "enum", "x"];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut doc = base().clone();
    let mut all = Vec::new();
    paths(&doc, &mut Vec::new(), &mut all);
    let mut input = Bytes(data);
    for _ in 0..8 {
        let (Some(hi), Some(lo), Some(op)) = (input.next(), input.next(), input.next()) else { break };
        let Some(path) = all.get((hi * 256 + lo) % all.len().max(1)).cloned() else { break };
        let replacement = match op % 8 {
            0 => Some(Value::Null),
            1 => Some(Value::String(format!("#/components/schemas/{}", input.next().unwrap_or(0)))),
            2 => Some(Value::Number(((input.next().unwrap_or(0) as i64) - 128).into())),
            3 => Some(Value::Bool(op % 2 == 0)),
            4 => Some(Value::Sequence(Vec::new())),
            5 => Some(Value::Mapping(Default::default())),
            6 => {
                // Copy another node over this one.
                let other = all.get((input.next().unwrap_or(0) * 97) % all.len().max(1));
                other.and_then(|p| node(&doc, p)).cloned()
            }
            _ => None,
        };
        match replacement {
            Some(v) => {
                if let Some(n) = node_mut(&mut doc, &path) {
                    *n = v;
                }
            }
            None => {
                // Rename a key of the parent mapping, or drop the node from its sequence.
                let Some((last, parent)) = path.split_last() else { continue };
                if let Some(Value::Mapping(m)) = node_mut(&mut doc, parent) {
                    if let Some(key) = m.keys().nth(*last).cloned() {
                        if let Some(v) = m.remove(&key) {
                            let new_key = KEYS[input.next().unwrap_or(0) % KEYS.len()];
                            m.insert(Value::String(new_key.to_string()), v);
                        }
                    }
                } else if let Some(Value::Sequence(s)) = node_mut(&mut doc, parent) {
                    if *last < s.len() {
                        s.remove(*last);
                    }
                }
            }
        }
    }
    let Ok(text) = yaml_serde::to_string(&doc) else { return };
    // Formatting dominates the time of a run and depends little on the input, so every input
    // goes through load → lower → emit, and one in sixteen through formatting as well.
    if data.first().is_some_and(|b| b % 16 == 0) {
        let _ = codegen::generate_str("fuzz.yaml", &text, None);
    } else if let Ok(spec) = codegen::load::load_str("fuzz.yaml", &text) {
        if let Ok(lowered) = codegen::lower::lower(&spec) {
            let config = codegen::emit::CrateConfig::resolve(&lowered.api, "fuzz.yaml", None);
            let _ = codegen::emit::emit(&lowered.api, &config);
        }
    }
});
