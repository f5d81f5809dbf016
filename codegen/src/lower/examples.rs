//! Warnings for examples that do not match their schema.
//!
//! Examples are collected with their pointers while lowering and checked once every type is
//! known, against the IR (so `$ref`s, envelopes and nullability are already resolved). A
//! mismatch is a warning: the document is legal, but the example misleads readers, and the
//! generated crate's example tests would fail on it.

use std::collections::HashMap;

use super::Lowerer;
use crate::ir::{Envelope, Scalar, TypeDef, TypeKind, TypeRef, UnionShape};

/// What an example is an example of.
pub(super) enum Target {
    /// A value of this type (nullable when the field is).
    Value { ty: TypeRef, nullable: bool },
    /// A whole response body with this envelope.
    Body(Envelope),
}

impl Lowerer<'_> {
    /// Checks every collected example and records a warning for each mismatch.
    pub(super) fn check_examples(&mut self) {
        let checks = std::mem::take(&mut self.examples);
        let types = Types {
            defs: self.types.iter().map(|t| (t.name.as_str(), t)).collect(),
            type_lists: &self.spec.type_lists,
        };
        let types = &types;
        let mut warnings = Vec::new();
        for (pointer, value, target) in &checks {
            let problem = match target {
                Target::Value { ty, nullable } => mismatch(types, value, ty, *nullable, "$"),
                Target::Body(envelope) => body_mismatch(types, value, envelope),
            };
            // An inline schema that becomes a named type has its examples checked as the
            // type's and as the field's: one problem, reported once.
            if let Some(problem) = problem
                && !warnings.iter().any(|(p, w)| p == pointer && *w == problem)
            {
                warnings.push((pointer.clone(), problem));
            }
        }
        for (pointer, problem) in warnings {
            self.warning(
                &pointer,
                format!("the example does not match its schema: {problem}"),
                Some("fix the example or the schema; the generated crate's example tests decode every example".into()),
            );
        }
    }
}

fn body_mismatch(types: &Types<'_>, value: &serde_json::Value, envelope: &Envelope) -> Option<String> {
    match envelope {
        Envelope::Empty | Envelope::Bytes | Envelope::Text => None,
        Envelope::Plain(ty) => mismatch(types, value, ty, false, "$"),
        Envelope::Data { inner } => match value.get("data") {
            Some(data) => mismatch(types, data, inner, false, "$.data"),
            None => Some("`$.data` is missing".into()),
        },
        Envelope::Page { item, meta } => {
            let Some(items) = value.get("data").and_then(|d| d.as_array()) else {
                return Some("`$.data` is not a list".into());
            };
            let bad_item =
                items.iter().enumerate().find_map(|(i, v)| mismatch(types, v, item, false, &format!("$.data[{i}]")));
            bad_item.or_else(|| value.get("meta").and_then(|m| mismatch(types, m, meta, true, "$.meta")))
        }
    }
}

/// The types examples are checked against.
struct Types<'t> {
    /// Every type, by name.
    defs: HashMap<&'t str, &'t TypeDef>,
    /// The schemas whose union is a 3.1 `type` list (`Spec::type_lists`).
    type_lists: &'t std::collections::BTreeSet<String>,
}

fn kind_of(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Why `value` is not a `ty`, naming the JSON path, or `None` when it is.
fn mismatch(types: &Types<'_>, value: &serde_json::Value, ty: &TypeRef, nullable: bool, at: &str) -> Option<String> {
    use serde_json::Value;
    let subject = if at == "$" { "it".to_string() } else { format!("`{at}`") };
    let expected = |what: &str| Some(format!("{subject} is {} where {what} is expected", kind_of(value)));
    if value.is_null() {
        return if nullable || *ty == TypeRef::Any { None } else { expected("a value") };
    }
    match ty {
        TypeRef::Any => None,
        TypeRef::Scalar(s) => {
            scalar_mismatch(*s, value).map(|what| format!("{subject} is {} where {what} is expected", kind_of(value)))
        }
        TypeRef::Array(item) => match value {
            Value::Array(items) => {
                items.iter().enumerate().find_map(|(i, v)| mismatch(types, v, item, false, &format!("{at}[{i}]")))
            }
            _ => expected("a list"),
        },
        TypeRef::Map(inner) => match value {
            Value::Object(map) => map.iter().find_map(|(k, v)| mismatch(types, v, inner, false, &format!("{at}.{k}"))),
            _ => expected("an object"),
        },
        TypeRef::Named(name) => {
            let def = types.defs.get(name.as_str())?;
            match &def.kind {
                TypeKind::Alias { target } => mismatch(types, value, target, nullable, at),
                TypeKind::Enum { variants } => match value.as_str() {
                    Some(s) if variants.iter().any(|v| v.wire_value == s) => None,
                    Some(s) => Some(format!("`{at}` is `{s}`, which is not one of the enum's values")),
                    None => expected("a string"),
                },
                TypeKind::OneOf { variants, .. } => {
                    let fits = variants.iter().any(|v| match &v.shape {
                        UnionShape::Const(c) => value == c,
                        UnionShape::Value(t) => mismatch(types, value, t, false, at).is_none(),
                    });
                    let members = if types.type_lists.contains(&def.pointer) {
                        "the types in `type`"
                    } else {
                        "the `oneOf` variants"
                    };
                    if fits { None } else { Some(format!("`{at}` matches none of {members}")) }
                }
                TypeKind::Struct { fields, additional, .. } => {
                    let Value::Object(map) = value else { return expected("an object") };
                    for f in fields {
                        match map.get(&f.wire_name) {
                            None if f.required => return Some(format!("`{at}` lacks the required `{}`", f.wire_name)),
                            None => {}
                            Some(v) => {
                                let path = format!("{at}.{}", f.wire_name);
                                if let Some(problem) = mismatch(types, v, &f.ty, f.nullable, &path) {
                                    return Some(problem);
                                }
                            }
                        }
                    }
                    let extra = map.iter().find(|(k, _)| !fields.iter().any(|f| &f.wire_name == *k));
                    match (extra, additional) {
                        (Some((k, v)), Some(ty)) => mismatch(types, v, ty, false, &format!("{at}.{k}")),
                        (Some((k, _)), None) => Some(format!("`{at}` has `{k}`, which the schema does not list")),
                        (None, _) => None,
                    }
                }
            }
        }
    }
}

/// What a scalar value should have been, when it is not.
pub(super) fn scalar_mismatch(s: Scalar, value: &serde_json::Value) -> Option<&'static str> {
    let text = value.as_str();
    let ok = match s {
        Scalar::String | Scalar::Uri => text.is_some(),
        Scalar::Uuid => text.is_some_and(is_uuid),
        Scalar::Date => text.is_some_and(is_date),
        Scalar::DateTime => text.is_some_and(|t| t.get(..10).is_some_and(is_date) && t.get(10..11) == Some("T")),
        Scalar::Boolean => value.is_boolean(),
        Scalar::I32 => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        Scalar::I64 => value.is_i64() || value.is_u64(),
        Scalar::F64 => value.is_number(),
    };
    if ok {
        return None;
    }
    Some(match s {
        Scalar::String | Scalar::Uri => "a string",
        Scalar::Uuid => "a uuid",
        Scalar::Date => "a date (YYYY-MM-DD)",
        Scalar::DateTime => "a date-time (RFC 3339)",
        Scalar::Boolean => "a boolean",
        Scalar::I32 | Scalar::I64 => "an integer",
        Scalar::F64 => "a number",
    })
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() })
}

fn is_date(s: &str) -> bool {
    s.len() == 10 && s.char_indices().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(is_uuid("7b61621f-62e0-4aad-ab11-9fd19e272e73"));
        assert!(!is_uuid("7b61621f62e04aadab119fd19e272e73"));
        assert!(is_date("2021-04-25"));
        assert!(!is_date("2021-4-25"));
        let dt = serde_json::json!("2021-04-16T09:46:20.954863Z");
        assert_eq!(scalar_mismatch(Scalar::DateTime, &dt), None);
        assert_eq!(scalar_mismatch(Scalar::I64, &serde_json::json!("ten")), Some("an integer"));
    }
}
