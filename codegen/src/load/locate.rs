//! Finds the node a typed parse failed on.
//!
//! `openapiv3` flattens maps and decodes `$ref`-or-value untagged, so serde's own error
//! path stops early (at `#/paths`, say). When the whole document does not fit, this walks
//! the OpenAPI structure (document → paths → path item → operation → responses → media
//! type → schema, and the component maps), checking each node against its own type, and
//! returns the deepest node that fails with the message for that node alone.

use serde::de::DeserializeOwned;
use yaml_serde::Value;

use crate::diag::push_pointer;
use openapiv3 as oa;

/// The OpenAPI object a node must be.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Document,
    Info,
    Server,
    Tag,
    SecurityRequirement,
    Components,
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Responses,
    Response,
    MediaType,
    Schema,
}

/// The pointer and message of the deepest node under the document root that does not
/// deserialize, or `None` if the document fits.
pub(super) fn locate(document: &Value) -> Option<(String, String)> {
    descend(Kind::Document, document, "#".to_string())
}

fn descend(kind: Kind, value: &Value, pointer: String) -> Option<(String, String)> {
    let message = check(kind, value)?;
    for (tokens, child, child_kind) in children(kind, value) {
        let mut child_pointer = pointer.clone();
        for t in &tokens {
            child_pointer = push_pointer(&child_pointer, t);
        }
        if let Some(found) = descend(child_kind, child, child_pointer) {
            return Some(found);
        }
    }
    // No child is at fault as a whole; if dropping one key makes this node fit, that key's
    // value is the wrong one (a list where a map belongs, say).
    if let Value::Mapping(map) = value {
        for key in map.keys() {
            let mut without = map.clone();
            without.remove(key);
            if check(kind, &Value::Mapping(without)).is_none()
                && let Some(k) = key_text(key)
            {
                return Some((push_pointer(&pointer, &k), message));
            }
        }
    }
    Some((pointer, message))
}

fn fails<T: DeserializeOwned>(value: &Value) -> Option<String> {
    T::deserialize(value).err().map(|e| e.to_string())
}

/// serde's message if `value` is not a `kind` (or a `$ref`, where one is allowed).
fn check(kind: Kind, value: &Value) -> Option<String> {
    // A `$ref` node is checked as a reference; otherwise as the object itself, which gives
    // a better message than "did not match any variant of untagged enum ReferenceOr".
    let is_ref = value.get("$ref").is_some();
    macro_rules! either {
        ($t:ty) => {
            if is_ref { fails::<oa::ReferenceOr<$t>>(value) } else { fails::<$t>(value) }
        };
    }
    match kind {
        Kind::Document => fails::<oa::OpenAPI>(value),
        Kind::Info => fails::<oa::Info>(value),
        Kind::Server => fails::<oa::Server>(value),
        Kind::Tag => fails::<oa::Tag>(value),
        Kind::SecurityRequirement => fails::<oa::SecurityRequirement>(value),
        Kind::Components => fails::<oa::Components>(value),
        Kind::Paths => fails::<oa::Paths>(value),
        Kind::PathItem => either!(oa::PathItem),
        Kind::Operation => fails::<oa::Operation>(value),
        Kind::Parameter => either!(oa::Parameter),
        Kind::RequestBody => either!(oa::RequestBody),
        Kind::Responses => fails::<oa::Responses>(value),
        Kind::Response => either!(oa::Response),
        Kind::MediaType => fails::<oa::MediaType>(value),
        Kind::Schema => either!(oa::Schema),
    }
}

fn key_text(key: &Value) -> Option<String> {
    match key {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

type Child<'v> = (Vec<String>, &'v Value, Kind);

/// Every entry of the mapping at `value[field]`, as children of `kind`.
fn entries<'v>(value: &'v Value, field: &str, kind: Kind, out: &mut Vec<Child<'v>>) {
    if let Some(Value::Mapping(m)) = value.get(field) {
        for (k, v) in m {
            if let Some(k) = key_text(k) {
                out.push((vec![field.to_string(), k], v, kind));
            }
        }
    }
}

/// Every item of the sequence at `value[field]`.
fn items<'v>(value: &'v Value, field: &str, kind: Kind, out: &mut Vec<Child<'v>>) {
    if let Some(Value::Sequence(s)) = value.get(field) {
        for (i, v) in s.iter().enumerate() {
            out.push((vec![field.to_string(), i.to_string()], v, kind));
        }
    }
}

/// Every entry of the mapping `value` itself.
fn own_entries<'v>(value: &'v Value, kind: Kind, out: &mut Vec<Child<'v>>) {
    if let Value::Mapping(m) = value {
        for (k, v) in m {
            if let Some(k) = key_text(k) {
                out.push((vec![k], v, kind));
            }
        }
    }
}

/// The child itself at `value[field]`.
fn field<'v>(value: &'v Value, name: &str, kind: Kind, out: &mut Vec<Child<'v>>) {
    if let Some(v) = value.get(name) {
        out.push((vec![name.to_string()], v, kind));
    }
}

fn children(kind: Kind, value: &Value) -> Vec<Child<'_>> {
    let mut out = Vec::new();
    match kind {
        Kind::Document => {
            field(value, "info", Kind::Info, &mut out);
            items(value, "servers", Kind::Server, &mut out);
            items(value, "tags", Kind::Tag, &mut out);
            items(value, "security", Kind::SecurityRequirement, &mut out);
            field(value, "paths", Kind::Paths, &mut out);
            field(value, "components", Kind::Components, &mut out);
        }
        Kind::Components => {
            entries(value, "schemas", Kind::Schema, &mut out);
            entries(value, "responses", Kind::Response, &mut out);
            entries(value, "parameters", Kind::Parameter, &mut out);
            entries(value, "requestBodies", Kind::RequestBody, &mut out);
        }
        Kind::Paths => own_entries(value, Kind::PathItem, &mut out),
        Kind::PathItem => {
            for method in ["get", "put", "post", "delete", "options", "head", "patch", "trace"] {
                field(value, method, Kind::Operation, &mut out);
            }
            items(value, "parameters", Kind::Parameter, &mut out);
        }
        Kind::Info | Kind::Server | Kind::Tag | Kind::SecurityRequirement => {}
        Kind::Operation => {
            items(value, "security", Kind::SecurityRequirement, &mut out);
            items(value, "parameters", Kind::Parameter, &mut out);
            field(value, "requestBody", Kind::RequestBody, &mut out);
            field(value, "responses", Kind::Responses, &mut out);
        }
        Kind::Parameter => {
            field(value, "schema", Kind::Schema, &mut out);
            entries(value, "content", Kind::MediaType, &mut out);
        }
        Kind::RequestBody | Kind::Response => entries(value, "content", Kind::MediaType, &mut out),
        Kind::Responses => own_entries(value, Kind::Response, &mut out),
        Kind::MediaType => field(value, "schema", Kind::Schema, &mut out),
        Kind::Schema => {
            entries(value, "properties", Kind::Schema, &mut out);
            field(value, "items", Kind::Schema, &mut out);
            if let Some(Value::Mapping(_)) = value.get("additionalProperties") {
                field(value, "additionalProperties", Kind::Schema, &mut out);
            }
            items(value, "allOf", Kind::Schema, &mut out);
            items(value, "oneOf", Kind::Schema, &mut out);
            items(value, "anyOf", Kind::Schema, &mut out);
            field(value, "not", Kind::Schema, &mut out);
        }
    }
    out
}
