//! `--skip-unsupported`: generating everything a document allows, leaving out each
//! operation or schema that has a problem, and what depends on it, with a warning for each.
//!
//! Without the option every problem is an error, as always. With it, the problems found
//! while lowering one component schema or one operation become warnings, and that schema or
//! operation is left out. Whatever names a type that was left out (a struct field, a union
//! member, an operation's parameter, body or response) is left out in turn, so the crate
//! still compiles. Problems outside schemas and operations (the document's `info`, its
//! security schemes) stay errors.

use std::collections::BTreeSet;

use crate::diag::{Diagnostic, Severity};
use crate::ir::{Resource, TypeDef};

/// How much of the document's API the crate has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Coverage {
    /// Operations in the document.
    pub operations: usize,
    /// Operations left out (only with `skip_unsupported`).
    pub skipped: usize,
}

impl std::fmt::Display for Coverage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "generated {} of {} operations; {} skipped",
            self.operations - self.skipped,
            self.operations,
            self.skipped
        )
    }
}

/// Turns the errors recorded since `from` into warnings, and reports whether there were
/// any (the item they belong to is left out).
pub(super) fn demote_since(diagnostics: &mut [Diagnostic], from: usize) -> bool {
    let mut any = false;
    for d in diagnostics.iter_mut().skip(from) {
        if d.severity == Severity::Error {
            d.severity = Severity::Warning;
            any = true;
        }
    }
    any
}

/// The named types a piece of IR mentions (every `TypeRef::Named` inside it).
pub(super) fn named_in<T: serde::Serialize>(item: &T) -> BTreeSet<String> {
    fn walk(v: &serde_json::Value, out: &mut BTreeSet<String>) {
        match v {
            serde_json::Value::Object(map) => {
                if let (1, Some(serde_json::Value::String(name))) = (map.len(), map.get("Named")) {
                    out.insert(name.clone());
                }
                map.values().for_each(|x| walk(x, out));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    if let Ok(value) = serde_json::to_value(item) {
        walk(&value, &mut out);
    }
    out
}

/// Removes every type and operation that names a type not defined (one left out, or one
/// that names such a type, and so on). Returns, for each removal, its pointer and a message.
pub(super) fn prune(types: &mut Vec<TypeDef>, resources: &mut [Resource]) -> Vec<(String, String)> {
    let mut removed = Vec::new();
    // What each type names, read once: removing one type can only remove more, never
    // change what the others name.
    let mut named: Vec<(TypeDef, BTreeSet<String>)> = std::mem::take(types)
        .into_iter()
        .map(|t| {
            let names = named_in(&t.kind);
            (t, names)
        })
        .collect();
    loop {
        let defined: BTreeSet<String> = named.iter().map(|(t, _)| t.name.to_string()).collect();
        let before = named.len();
        named.retain(|(t, names)| match names.iter().find(|n| !defined.contains(*n)) {
            Some(name) => {
                removed
                    .push((t.pointer.clone(), format!("left out `{}`: it holds `{name}`, which was left out", t.name)));
                false
            }
            None => true,
        });
        if named.len() == before {
            break;
        }
    }
    types.extend(named.into_iter().map(|(t, _)| t));
    let defined: BTreeSet<String> = types.iter().map(|t| t.name.to_string()).collect();
    for r in resources.iter_mut() {
        r.operations.retain(|op| match named_in(op).into_iter().find(|n| !defined.contains(n)) {
            Some(name) => {
                removed.push((
                    op.pointer.clone(),
                    format!("left out operation `{}`: it uses `{name}`, which was left out", op.id),
                ));
                false
            }
            None => true,
        });
    }
    removed
}
