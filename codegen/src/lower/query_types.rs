//! Query objects (and unions) of the same shape share one type.
//!
//! Runs once every operation is lowered. Two query objects have the same shape when their
//! fields have the same wire names, Rust names, required-ness, types, array encodings,
//! bounds and defaults, recursively; two unions when their variants have the same names and
//! shapes. Descriptions do not count, since each use describes its own meaning (`Only rooms
//! created on this date` and `Only sessions ended on this date` are both a date range). Each
//! shape becomes one [`QueryType`] (a struct, or an enum for a union), named by the first
//! rule that applies:
//!
//! 1. declared once in `components/parameters` and used by `$ref`: `{Component}Params`;
//! 2. comparison operators on one type (`eq`, `ne`, `gt`, `gte`, `lt`, `lte`, with at least
//!    one bound): `{Type}Range` (`DateRange`, `IntegerRange`);
//! 3. a union of a value and a range of its type: `{Type}Filter` (`DateTimeFilter`);
//! 4. a member of a union (first met there): the union's name and the variant's
//!    (`ListAddressesFilterCustomerReferenceOperators`);
//! 5. used more than once, all in one resource: `{Resource}{Key}` (`RoomRecordingsFilter`);
//!    in several resources: `{Key}Params` (so `page[number]` parameters written out one by
//!    one get the name a `$ref` to a `Page` component gives them);
//! 6. used once: `{Operation}{Key}{Key}…` (`ListRoomsFilter`).
//!
//! Shapes are named in order of first use in the spec, a union before its members, clashes
//! get the scope's numeric suffix, and the names in `PRELUDE` are never taken.

use indexmap::IndexMap;

use crate::diag::push_pointer;
use crate::ir::{QueryNode, QueryParam, QueryShape, QueryType, QueryUse, Resource, Scalar, TypeRef, bracketed_key};
use crate::names::{self, Ident, Scope};

/// One use of a query object or union: the node and where it sits.
struct Use {
    node: QueryParam,
    op_id: String,
    /// JSON pointer of the operation.
    pointer: String,
    op_type: Ident,
    resource: Ident,
    keys: Vec<String>,
    /// For a member of a union: the union's shape and the member's variant name.
    member_of: Option<MemberOf>,
}

/// A union's shape and one of its variant names.
type MemberOf = (String, Ident);

/// A node [`collect`] found: itself, its keys, and the union it is a member of.
type Found = (QueryParam, Vec<String>, Option<MemberOf>);

/// Names every query object and union of every operation, sharing a type between nodes of
/// the same shape, and returns those types sorted by name, with a warning (pointer,
/// message) for every setter that could not have its field's name.
pub(super) fn share(resources: &mut [Resource]) -> (Vec<QueryType>, Vec<(String, String)>) {
    let mut warnings = Vec::new();
    let mut shapes: IndexMap<String, Vec<Use>> = IndexMap::new();
    for r in resources.iter() {
        for op in &r.operations {
            let mut found = Vec::new();
            for q in &op.query {
                collect(q, &mut vec![], None, &mut found);
            }
            for (node, keys, member_of) in found {
                let use_ = Use {
                    op_id: op.id.clone(),
                    pointer: op.pointer.clone(),
                    op_type: op.type_name.clone(),
                    resource: r.type_name.clone(),
                    keys,
                    member_of,
                    node,
                };
                shapes.entry(shape_key(&use_.node.node)).or_default().push(use_);
            }
        }
    }
    // In order of first use, so a union is named before the members first met in it.
    let mut scope = Scope::with_reserved(names::PRELUDE);
    let mut named: IndexMap<String, Ident> = IndexMap::new();
    for (key, uses) in &shapes {
        let name = scope.unique(name_for(uses, &named));
        named.insert(key.clone(), name);
    }
    for r in resources.iter_mut() {
        for op in &mut r.operations {
            for q in &mut op.query {
                rename(&mut q.node, &named);
            }
        }
    }
    let mut types: Vec<QueryType> = shapes
        .iter()
        .filter_map(|(key, uses)| {
            let name = named.get(key)?.clone();
            let first = uses.first()?;
            let mut node = first.node.node.clone();
            rename(&mut node, &named);
            let nodes: Vec<&QueryParam> = uses.iter().map(|u| &u.node).collect();
            let shape = match node {
                QueryNode::Object { mut fields, .. } => {
                    for (i, f) in fields.iter_mut().enumerate() {
                        if f.setter != f.rust_name {
                            warnings.push((
                                push_pointer(&first.pointer, "parameters"),
                                format!(
                                    "the setter of `{}[{}]` on `params::{name}` is `{}()`: `{}` is taken by another method",
                                    bracketed_key(&first.keys),
                                    f.wire_name,
                                    f.setter.bare(),
                                    f.rust_name.bare()
                                ),
                            ));
                        }
                        f.docs = merged_field_docs(&nodes, i);
                        if let QueryNode::Object { fields, .. } = &mut f.node {
                            for child in fields.iter_mut() {
                                child.docs = None;
                            }
                        }
                    }
                    QueryShape::Struct { fields }
                }
                QueryNode::OneOf { mut variants, .. } => {
                    for (i, v) in variants.iter_mut().enumerate() {
                        v.docs = agreed(nodes.iter().map(|n| match &n.node {
                            QueryNode::OneOf { variants, .. } => variants.get(i).and_then(|v| v.docs.clone()),
                            _ => None,
                        }));
                    }
                    QueryShape::Enum { variants }
                }
                QueryNode::Leaf { .. } => return None,
            };
            let docs = agreed(nodes.iter().map(|n| n.docs.clone())).or_else(|| range_docs(&first.node.node));
            Some(QueryType {
                name,
                docs,
                shape,
                used_by: uses
                    .iter()
                    .map(|u| QueryUse { operation: u.op_id.clone(), key: bracketed_key(&u.keys) })
                    .collect(),
                feature: None,
            })
        })
        .collect();
    types.sort_by(|a, b| a.name.cmp(&b.name));
    (types, warnings)
}

/// Every object and union node of a tree, parents first, with its wire-key path and, for a
/// union's member, the union's shape and the variant. A member is given as a node of its
/// own: the union's key, required-ness and field name, the member's docs.
fn collect(q: &QueryParam, keys: &mut Vec<String>, member_of: Option<MemberOf>, out: &mut Vec<Found>) {
    match &q.node {
        QueryNode::Leaf { .. } => {}
        QueryNode::Object { fields, .. } => {
            keys.push(q.wire_name.clone());
            out.push((q.clone(), keys.clone(), member_of));
            for child in fields {
                collect(child, keys, None, out);
            }
            keys.pop();
        }
        QueryNode::OneOf { variants, .. } => {
            keys.push(q.wire_name.clone());
            out.push((q.clone(), keys.clone(), member_of));
            keys.pop();
            let union = shape_key(&q.node);
            for v in variants {
                let member = QueryParam { docs: v.docs.clone(), component: None, node: v.node.clone(), ..q.clone() };
                collect(&member, keys, Some((union.clone(), v.rust_name.clone())), out);
            }
        }
    }
}

/// Sets the type names of a tree's object and union nodes, and the setters of objects'
/// fields (the field name unless a struct method has it).
fn rename(node: &mut QueryNode, named: &IndexMap<String, Ident>) {
    let key = shape_key(node);
    match node {
        QueryNode::Leaf { .. } => {}
        QueryNode::Object { type_name, fields } => {
            if let Some(name) = named.get(&key) {
                type_name.clone_from(name);
            }
            let mut methods = Scope::with_reserved(names::STRUCT_METHODS);
            for f in fields.iter_mut() {
                f.setter = methods.unique(f.rust_name.clone());
                rename(&mut f.node, named);
            }
        }
        QueryNode::OneOf { type_name, variants } => {
            if let Some(name) = named.get(&key) {
                type_name.clone_from(name);
            }
            for v in variants.iter_mut() {
                rename(&mut v.node, named);
            }
        }
    }
}

/// What makes two query objects (or unions) the same type: keys, Rust names,
/// required-ness, types, array encodings, bounds and defaults, recursively; not
/// descriptions, names or where they came from.
fn shape_key(node: &QueryNode) -> String {
    let mut out = String::new();
    match node {
        QueryNode::Leaf { ty, constraints, default, array } => {
            out.push_str(&serde_json::to_string(&(ty, constraints, default, array)).unwrap_or_default());
        }
        QueryNode::Object { fields, .. } => {
            out.push('{');
            for f in fields {
                out.push_str(&format!("{}|{}|{}|", f.wire_name, f.rust_name, f.required));
                out.push_str(&shape_key(&f.node));
                out.push(';');
            }
            out.push('}');
        }
        QueryNode::OneOf { variants, .. } => {
            out.push('<');
            for v in variants {
                out.push_str(&format!("{}|", v.rust_name));
                out.push_str(&shape_key(&v.node));
                out.push(';');
            }
            out.push('>');
        }
    }
    out
}

/// The name rules of the module docs, before the scope makes the name unique; `named` holds
/// the names of the shapes met before.
fn name_for(uses: &[Use], named: &IndexMap<String, Ident>) -> Ident {
    let Some(first) = uses.first() else { return names::type_name("query", "Query") };
    if let Some(component) = uses.iter().find_map(|u| u.node.component.as_ref()) {
        return names::type_name_after(&names::type_name(component, "Query"), "params");
    }
    if let Some(ty) = range_of(&first.node.node) {
        return names::type_name_after(&ty, "range");
    }
    if let Some(ty) = value_filter_of(&first.node.node) {
        return names::type_name_after(&ty, "filter");
    }
    if let Some((union, variant)) = &first.member_of
        && let Some(union_name) = named.get(union)
    {
        return names::type_name_after(union_name, variant.bare());
    }
    let key = first.keys.last().map_or("query", String::as_str);
    if uses.len() > 1 {
        if uses.iter().all(|u| u.resource == first.resource) {
            return names::type_name_after(&first.resource, key);
        }
        return names::type_name_after(&names::type_name(key, "Query"), "params");
    }
    names::type_name_after(&first.op_type, &first.keys.join(" "))
}

/// The operand type's name when every field of an object is a comparison of one type, with
/// at least one bound (`gt`, `gte`, `lt`, `lte`).
pub(super) fn range_of(node: &QueryNode) -> Option<String> {
    const OPERATORS: &[&str] = &["eq", "ne", "neq", "gt", "gte", "lt", "lte"];
    let QueryNode::Object { fields, .. } = node else { return None };
    let mut ty: Option<&TypeRef> = None;
    for f in fields {
        let QueryNode::Leaf { ty: t, array, .. } = &f.node else { return None };
        if !OPERATORS.contains(&f.wire_name.as_str()) || ty.is_some_and(|seen| seen != t) || !array.is_repeated() {
            return None;
        }
        ty = Some(t);
    }
    if !fields.iter().any(|f| ["gt", "gte", "lt", "lte"].contains(&f.wire_name.as_str())) {
        return None;
    }
    operand_name(ty?)
}

/// The operand type's name when a union is a value of one type or a range of it.
fn value_filter_of(node: &QueryNode) -> Option<String> {
    let QueryNode::OneOf { variants, .. } = node else { return None };
    let [a, b] = variants.as_slice() else { return None };
    let ((QueryNode::Leaf { ty, .. }, range) | (range, QueryNode::Leaf { ty, .. })) = (&a.node, &b.node) else {
        return None;
    };
    let name = operand_name(ty)?;
    (range_of(range).as_ref() == Some(&name)).then_some(name)
}

/// How a range or filter type names its operand type (`Date`, `Integer`, an enum's name).
fn operand_name(ty: &TypeRef) -> Option<String> {
    Some(match ty {
        TypeRef::Scalar(s) => s.name_word().to_string(),
        TypeRef::Named(n) => n.to_string(),
        TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Any => return None,
    })
}

/// The value every item has, if they all have the same.
fn agreed(mut items: impl Iterator<Item = Option<String>>) -> Option<String> {
    let first = items.next()??;
    items.all(|i| i.as_ref() == Some(&first)).then_some(first)
}

/// Docs of field `i` of a shared struct: its own when every use agrees on them; for an
/// object field without its own, the list of its fields' docs when every use agrees on
/// that; otherwise none (each use's docs stay on its operation's tree).
fn merged_field_docs(uses: &[&QueryParam], i: usize) -> Option<String> {
    let field = |q: &QueryParam| match &q.node {
        QueryNode::Object { fields, .. } => fields.get(i).cloned(),
        QueryNode::Leaf { .. } | QueryNode::OneOf { .. } => None,
    };
    let fields: Vec<QueryParam> = uses.iter().filter_map(|q| field(q)).collect();
    agreed(fields.iter().map(|f| f.docs.clone())).or_else(|| agreed(fields.iter().map(children_docs)))
}

/// "- `eq`: Only rooms created on this date." lines for an object's documented fields.
fn children_docs(q: &QueryParam) -> Option<String> {
    let QueryNode::Object { fields, .. } = &q.node else { return None };
    let lines: Vec<String> =
        fields.iter().filter_map(|f| f.docs.as_ref().map(|d| format!("- `{}`: {}", f.wire_name, d.trim()))).collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// What a range type's operators mean, for a range no use describes.
fn range_docs(node: &QueryNode) -> Option<String> {
    range_of(node)?;
    let QueryNode::Object { fields, .. } = node else { return None };
    let dates = fields
        .iter()
        .any(|f| matches!(&f.node, QueryNode::Leaf { ty: TypeRef::Scalar(Scalar::Date | Scalar::DateTime), .. }));
    let meaning = |op: &str| match (op, dates) {
        ("eq", _) => "equal to",
        ("ne" | "neq", _) => "not equal to",
        ("gt", true) => "later than",
        ("gt", false) => "greater than",
        ("gte", true) => "on or after",
        ("gte", false) => "at least",
        ("lt", true) => "earlier than",
        ("lt", false) => "less than",
        (_, true) => "on or before",
        (_, false) => "at most",
    };
    let ops: Vec<String> = fields.iter().map(|f| format!("`{}`: {}", f.wire_name, meaning(&f.wire_name))).collect();
    Some(format!("Comparisons with one value; every one that is set must hold. {}.", ops.join("; ")))
}
