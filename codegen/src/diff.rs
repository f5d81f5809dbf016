//! Diff: two IRs → the changes a user of the generated crate will notice, each classified
//! by what it does to code that uses the crate.
//!
//! The classification follows the generated Rust, not the OpenAPI document in the abstract:
//! structs are `#[non_exhaustive]` and built with `new(required…)` plus setters, string enums
//! are `#[non_exhaustive]` with `Unknown`, unions are exhaustive enums, required parameters
//! are positional arguments and optional ones setters, and a field's required-ness and
//! nullability decide its Rust type (`T`, `Option<T>`, `Option<Option<T>>`).

use std::collections::BTreeMap;

use crate::names::bare;
use serde::Serialize;

use crate::ir::{
    Api, Auth, BodyContent, Constraints, Operation, Part, QueryNode, QueryParam, Success, TypeDef, TypeKind, TypeRef,
    UnionShape,
};

/// How much a change matters to code using the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    /// Nothing user code can notice: docs, documented error statuses, a route the same
    /// method now sends to.
    Patch,
    /// New API; existing code compiles and works as before.
    Minor,
    /// Existing code stops compiling, or a call that worked starts failing.
    Breaking,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Where: `rooms().list()` or `models::Room`.
    pub item: String,
    /// What changed, in a sentence.
    pub what: String,
    /// Its impact.
    pub impact: Impact,
}

/// All changes between two versions of an API, and the version the crate needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Changes grouped by item, in a stable order.
    pub changes: Vec<Change>,
    /// The largest impact, if anything changed.
    pub verdict: Option<Impact>,
}

impl Report {
    /// The next version for a crate now at `current` (semver; before 1.0 a breaking change
    /// bumps the minor number and anything else the patch number).
    pub fn next_version(&self, current: &str) -> String {
        let parts: Vec<u64> = current.split('.').map(|p| p.parse().unwrap_or(0)).collect();
        let [major, minor, patch] = [0, 1, 2].map(|i| parts.get(i).copied().unwrap_or(0));
        match (self.verdict, major) {
            (None, _) => current.to_string(),
            (Some(Impact::Breaking), 0) | (Some(Impact::Minor), 1..) => format!("{major}.{}.0", minor + 1),
            (Some(Impact::Breaking), _) => format!("{}.0.0", major + 1),
            (Some(Impact::Minor | Impact::Patch), 0) | (Some(Impact::Patch), _) => {
                format!("{major}.{minor}.{}", patch + 1)
            }
        }
    }

    /// The report as Markdown, for a pull-request comment.
    pub fn markdown(&self, current_version: &str) -> String {
        let mut out = String::from("## API changes\n\n");
        if self.changes.is_empty() {
            out.push_str("No change to the generated crate's API.\n");
            return out;
        }
        let label = |i: Impact| match i {
            Impact::Breaking => "**breaking**",
            Impact::Minor => "addition",
            Impact::Patch => "patch",
        };
        let mut by_item: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
        for c in &self.changes {
            by_item.entry(c.item.as_str()).or_default().push(c);
        }
        for (item, changes) in by_item {
            out.push_str(&format!("- `{item}`\n"));
            for c in changes {
                out.push_str(&format!("  - {}: {}\n", label(c.impact), c.what));
            }
        }
        let verdict = match self.verdict {
            Some(Impact::Breaking) => "breaking",
            Some(Impact::Minor) => "additions only",
            _ => "patch-level only (docs, routes, documented statuses)",
        };
        out.push_str(&format!(
            "\nVerdict: {verdict}; publish {} (now {current_version}).\n",
            self.next_version(current_version)
        ));
        out
    }
}

struct Diff {
    changes: Vec<Change>,
}

impl Diff {
    fn add(&mut self, item: &str, impact: Impact, what: String) {
        self.changes.push(Change { item: item.to_string(), what, impact });
    }
}

/// Compares two lowered APIs.
pub fn compare(old: &Api, new: &Api) -> Report {
    let mut d = Diff { changes: Vec::new() };
    operations(&mut d, old, new);
    types(&mut d, old, new);
    let verdict = d.changes.iter().map(|c| c.impact).max();
    Report { changes: d.changes, verdict }
}

/// Changes to a multipart body's parts, by part name: a part that is an argument (required,
/// in a required body) or is gone breaks calls; a new optional part is a new setter.
fn parts(d: &mut Diff, item: &str, (old_required, old): (bool, &[Part]), (new_required, new): (bool, &[Part])) {
    for o in old {
        match new.iter().find(|n| n.wire_name == o.wire_name) {
            None => d.add(item, Impact::Breaking, format!("part `{}` removed", o.wire_name)),
            Some(n) => {
                if o.kind != n.kind {
                    d.add(
                        item,
                        Impact::Breaking,
                        format!("part `{}` is `{}` instead of `{}`", o.wire_name, n.rust_display(), o.rust_display()),
                    );
                } else if (old_required && o.required) != (new_required && n.required) {
                    d.add(item, Impact::Breaking, format!("part `{}` moves between argument and setter", o.wire_name));
                }
            }
        }
    }
    for n in new.iter().filter(|n| !old.iter().any(|o| o.wire_name == n.wire_name)) {
        let (impact, how) = if new_required && n.required {
            (Impact::Breaking, "a new required argument")
        } else {
            (Impact::Minor, "a new setter")
        };
        d.add(item, impact, format!("part `{}` added ({how})", n.wire_name));
    }
}

fn ty(t: &TypeRef) -> String {
    t.rust_display()
}

fn success(s: &Success) -> String {
    s.rust_display()
}

/// Operations are matched by their Rust name (what user code calls), then by HTTP method
/// and path (a rename). A path change under the same Rust name is invisible to user code.
fn operations(d: &mut Diff, old: &Api, new: &Api) {
    let all = |api: &Api| -> Vec<(crate::ir::Ident, Operation)> {
        api.resources.iter().flat_map(|r| r.operations.iter().map(move |op| (r.module.clone(), op.clone()))).collect()
    };
    let (old_ops, new_ops) = (all(old), all(new));
    let name = |module: &str, op: &Operation| format!("{module}().{}()", crate::names::bare(&op.method_name));
    let route = |op: &Operation| format!("{} {}", op.method.as_str(), op.path);
    let mut matched = Vec::new();
    for (module, op) in &old_ops {
        let item = name(module, op);
        let by_name = new_ops.iter().find(|(m, n)| name(m, n) == item);
        let by_route = || new_ops.iter().find(|(_, n)| route(n) == route(op));
        match by_name.or_else(by_route) {
            None => d.add(&item, Impact::Breaking, format!("removed (`{}`)", route(op))),
            Some((new_module, new_op)) => {
                matched.push(name(new_module, new_op));
                if name(new_module, new_op) != item {
                    d.add(&item, Impact::Breaking, format!("renamed to `{}`", name(new_module, new_op)));
                } else if route(new_op) != route(op) {
                    d.add(&item, Impact::Patch, format!("now sends `{}` instead of `{}`", route(new_op), route(op)));
                }
                operation(d, &item, op, new_op);
            }
        }
    }
    for (module, op) in &new_ops {
        if !matched.contains(&name(module, op)) {
            d.add(&name(module, op), Impact::Minor, format!("added (`{}`)", route(op)));
        }
    }
}

/// A Rust name that changed while its wire name stayed: code using the old name stops
/// compiling, or (worse) the old name now means another wire field.
fn renamed(d: &mut Diff, item: &str, what: &str, old: &str, new: &str) {
    if old != new {
        d.add(item, Impact::Breaking, format!("{what} is `{}` in Rust instead of `{}`", bare(new), bare(old)));
    }
}

/// An optional query parameter (or query-object field) whose setter changed name.
fn setter_renamed(d: &mut Diff, item: &str, key: &str, old: &QueryParam, new: &QueryParam) {
    renamed(d, item, &format!("the field of `{key}`"), &old.rust_name, &new.rust_name);
    if !old.required && !new.required {
        renamed(d, item, &format!("the setter of `{key}`"), &old.setter, &new.setter);
    }
}

fn operation(d: &mut Diff, item: &str, old: &Operation, new: &Operation) {
    renamed(d, item, "the operation's parameters type", &old.type_name, &new.type_name);
    if old.success != new.success {
        let what = format!("returns `{}` instead of `{}`", success(&new.success), success(&old.success));
        d.add(item, Impact::Breaking, what);
    }
    match (&old.auth, &new.auth) {
        (Auth::None, Auth::Schemes(_)) => {
            d.add(item, Impact::Breaking, "now needs credentials (fails on a client without a key)".into())
        }
        (Auth::Schemes(_), Auth::None) => d.add(item, Impact::Minor, "no longer sends credentials".into()),
        _ => {}
    }
    let old_params: Vec<(&str, &crate::ir::Param)> =
        old.path_params.iter().chain(&old.headers).map(|p| (p.wire_name.as_str(), p)).collect();
    let new_params: Vec<(&str, &crate::ir::Param)> =
        new.path_params.iter().chain(&new.headers).map(|p| (p.wire_name.as_str(), p)).collect();
    for (wire, p) in &old_params {
        match new_params.iter().find(|(w, _)| w == wire) {
            None => d.add(item, Impact::Breaking, format!("parameter `{wire}` removed")),
            Some((_, n)) => {
                if !p.required && !n.required {
                    renamed(d, item, &format!("the setter of parameter `{wire}`"), &p.rust_name, &n.rust_name);
                }
                param_change(d, item, wire, p.required, n.required, &p.ty, &n.ty, &p.constraints, &n.constraints)
            }
        }
    }
    for (wire, p) in &new_params {
        if !old_params.iter().any(|(w, _)| w == wire) {
            let impact = if p.required { Impact::Breaking } else { Impact::Minor };
            let how = if p.required { "a new required argument" } else { "a new setter" };
            d.add(item, impact, format!("parameter `{wire}` added ({how})"));
        }
    }
    query(d, item, "", &old.query, &new.query);
    match (&old.body, &new.body) {
        (None, Some(b)) => {
            let impact = if b.required { Impact::Breaking } else { Impact::Minor };
            d.add(item, impact, format!("takes a request body `{}`", b.content.rust_display()));
        }
        (Some(_), None) => d.add(item, Impact::Breaking, "no longer takes a request body".into()),
        (Some(o), Some(n)) => {
            let (old_ty, new_ty) = (o.content.rust_display(), n.content.rust_display());
            if let (BodyContent::Multipart(old_parts), BodyContent::Multipart(new_parts)) = (&o.content, &n.content) {
                parts(d, item, (o.required, old_parts), (n.required, new_parts));
            } else if old_ty != new_ty || o.model() != n.model() {
                d.add(item, Impact::Breaking, format!("body is `{new_ty}` instead of `{old_ty}`"));
            } else if o.content.wire_display() != n.content.wire_display() {
                // The same Rust value, another encoding: only the server notices.
                let (old_wire, new_wire) = (o.content.wire_display(), n.content.wire_display());
                d.add(item, Impact::Patch, format!("body is sent as {new_wire} instead of {old_wire}"));
            }
            let content_type_setter = |b: &crate::ir::RequestBody| match &b.content {
                crate::ir::BodyContent::Bytes(raw) | crate::ir::BodyContent::Text(raw) => {
                    raw.content_type_setter.clone()
                }
                _ => None,
            };
            match (content_type_setter(o), content_type_setter(n)) {
                (Some(s), None) => d.add(item, Impact::Breaking, format!("setter `{s}` removed")),
                (None, Some(s)) => d.add(item, Impact::Minor, format!("setter `{s}` added")),
                _ => {}
            }
            if o.required != n.required {
                d.add(item, Impact::Breaking, "body moves between argument and setter".into());
            }
        }
        (None, None) => {}
    }
    let statuses = |op: &Operation, success: bool| -> String {
        let list: Vec<String> = op
            .responses
            .iter()
            .filter(|r| r.status.is_success() == success)
            .map(|r| match r.status {
                crate::ir::StatusSpec::Code(c) => c.to_string(),
                crate::ir::StatusSpec::Range(d) => format!("{d}XX"),
                crate::ir::StatusSpec::Default => "default".to_string(),
            })
            .collect();
        if list.is_empty() { "none".to_string() } else { list.join(", ") }
    };
    // Any 2xx decodes the same way and every error status maps to its `Error` variant, so
    // neither list is visible to user code.
    for (success, what) in [(true, "success"), (false, "error")] {
        let (before, after) = (statuses(old, success), statuses(new, success));
        if before != after {
            d.add(item, Impact::Patch, format!("documented {what} statuses: {before} → {after}"));
        }
    }
    if old.pagination.is_some() != new.pagination.is_some() {
        let (impact, what) = match new.pagination {
            Some(_) => (Impact::Minor, "now paginated (`pages()`, `items()`)"),
            None => (Impact::Breaking, "no longer paginated (`pages()`, `items()` removed)"),
        };
        d.add(item, impact, what.into());
    }
    if old.docs != new.docs {
        d.add(item, Impact::Patch, "docs changed".into());
    }
}

#[allow(clippy::too_many_arguments)]
fn param_change(
    d: &mut Diff,
    item: &str,
    wire: &str,
    old_required: bool,
    new_required: bool,
    old_ty: &TypeRef,
    new_ty: &TypeRef,
    old_c: &Constraints,
    new_c: &Constraints,
) {
    if old_required != new_required {
        let what = if new_required { "becomes required (a new argument)" } else { "becomes optional (a setter)" };
        d.add(item, Impact::Breaking, format!("parameter `{wire}` {what}"));
    }
    if old_ty != new_ty {
        d.add(item, Impact::Breaking, format!("parameter `{wire}` is `{}` instead of `{}`", ty(new_ty), ty(old_ty)));
    }
    constraints(d, item, wire, old_c, new_c);
}

/// A range that got narrower can make a working call fail validation; a wider one cannot.
fn constraints(d: &mut Diff, item: &str, what: &str, old: &Constraints, new: &Constraints) {
    if old == new {
        return;
    }
    let tighter_min = |o: Option<f64>, n: Option<f64>| match (o, n) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(o), Some(n)) => n > o,
    };
    let tighter_max = |o: Option<f64>, n: Option<f64>| match (o, n) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(o), Some(n)) => n < o,
    };
    let len = |v: Option<usize>| v.map(|v| v as f64);
    let narrower = tighter_min(old.minimum, new.minimum)
        || tighter_max(old.maximum, new.maximum)
        || tighter_min(len(old.min_length), len(new.min_length))
        || tighter_max(len(old.max_length), len(new.max_length))
        || tighter_min(len(old.min_items), len(new.min_items))
        || tighter_max(len(old.max_items), len(new.max_items))
        || (!old.exclusive_minimum && new.exclusive_minimum)
        || (!old.exclusive_maximum && new.exclusive_maximum);
    let bound = |v: Option<f64>| {
        v.map_or_else(String::new, |v| if v.fract() == 0.0 { format!("{v:.0}") } else { v.to_string() })
    };
    let range = |c: &Constraints| format!("{}..={}", bound(c.minimum), bound(c.maximum));
    if narrower {
        d.add(item, Impact::Breaking, format!("`{what}` range narrowed ({} → {})", range(old), range(new)));
    } else {
        d.add(item, Impact::Minor, format!("`{what}` range widened ({} → {})", range(old), range(new)));
    }
}

/// A union's variants as JSON, without their docs (which change nothing in the code that
/// uses them).
fn variants_shape(variants: &[crate::ir::QueryVariant]) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.remove("docs");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(variants).unwrap_or_default();
    strip(&mut value);
    value
}

fn query(d: &mut Diff, item: &str, prefix: &str, old: &[QueryParam], new: &[QueryParam]) {
    let key =
        |q: &QueryParam| if prefix.is_empty() { q.wire_name.clone() } else { format!("{prefix}[{}]", q.wire_name) };
    for o in old {
        let k = key(o);
        match new.iter().find(|n| n.wire_name == o.wire_name) {
            None => d.add(item, Impact::Breaking, format!("query parameter `{k}` removed")),
            Some(n) => match (&o.node, &n.node) {
                (QueryNode::Object { fields: of, type_name: ot }, QueryNode::Object { fields: nf, type_name: nt }) => {
                    if o.required != n.required {
                        d.add(item, Impact::Breaking, format!("query parameter `{k}` changes required-ness"));
                    }
                    renamed(d, item, &format!("the type of query parameter `{k}`"), ot, nt);
                    setter_renamed(d, item, &k, o, n);
                    query(d, item, &k, of, nf);
                }
                (
                    QueryNode::Leaf { ty: ot, constraints: oc, array: oa, .. },
                    QueryNode::Leaf { ty: nt, constraints: nc, array: na, .. },
                ) => {
                    if oa != na {
                        d.add(
                            item,
                            Impact::Patch,
                            format!("query parameter `{k}` is written {na:?} instead of {oa:?}"),
                        );
                    }
                    setter_renamed(d, item, &k, o, n);
                    param_change(d, item, &k, o.required, n.required, ot, nt, oc, nc)
                }
                (
                    QueryNode::OneOf { variants: ov, type_name: ot },
                    QueryNode::OneOf { variants: nv, type_name: nt },
                ) => {
                    if o.required != n.required {
                        d.add(item, Impact::Breaking, format!("query parameter `{k}` changes required-ness"));
                    }
                    renamed(d, item, &format!("the type of query parameter `{k}`"), ot, nt);
                    setter_renamed(d, item, &k, o, n);
                    // An exhaustive enum: any change to its variants breaks a `match` on it.
                    if variants_shape(ov) != variants_shape(nv) {
                        d.add(item, Impact::Breaking, format!("query parameter `{k}` changes its variants"));
                    }
                }
                _ => d.add(item, Impact::Breaking, format!("query parameter `{k}` changes shape")),
            },
        }
    }
    for n in new {
        if !old.iter().any(|o| o.wire_name == n.wire_name) {
            let impact = if n.required { Impact::Breaking } else { Impact::Minor };
            d.add(item, impact, format!("query parameter `{}` added", key(n)));
        }
    }
}

fn types(d: &mut Diff, old: &Api, new: &Api) {
    let index = |api: &Api| -> BTreeMap<crate::ir::Ident, TypeDef> {
        api.types.iter().map(|t| (t.name.clone(), t.clone())).collect()
    };
    let (old_t, new_t) = (index(old), index(new));
    for (name, o) in &old_t {
        let item = format!("models::{name}");
        match new_t.get(name) {
            None => d.add(&item, Impact::Breaking, "removed".into()),
            Some(n) => type_change(d, &item, o, n),
        }
    }
    for name in new_t.keys() {
        if !old_t.contains_key(name) {
            d.add(&format!("models::{name}"), Impact::Minor, "added".into());
        }
    }
}

fn type_change(d: &mut Diff, item: &str, old: &TypeDef, new: &TypeDef) {
    match (&old.kind, &new.kind) {
        (TypeKind::Struct { fields: of, .. }, TypeKind::Struct { fields: nf, .. }) => {
            for o in of {
                match nf.iter().find(|n| n.wire_name == o.wire_name) {
                    None => d.add(item, Impact::Breaking, format!("field `{}` removed", o.wire_name)),
                    Some(n) => {
                        if o.rust_display() != n.rust_display() {
                            let what = format!(
                                "field `{}` is `{}` instead of `{}`",
                                o.wire_name,
                                n.rust_display(),
                                o.rust_display()
                            );
                            d.add(item, Impact::Breaking, what);
                        }
                        renamed(d, item, &format!("field `{}`", o.wire_name), &o.rust_name, &n.rust_name);
                        if let (Some(os), Some(ns)) = (&o.setter, &n.setter) {
                            renamed(d, item, &format!("the setter of field `{}`", o.wire_name), os, ns);
                        }
                        constraints(d, item, &o.wire_name, &o.constraints, &n.constraints);
                        if o.docs != n.docs || o.default != n.default {
                            d.add(item, Impact::Patch, format!("field `{}` docs or default changed", o.wire_name));
                        }
                    }
                }
            }
            for n in nf {
                if !of.iter().any(|o| o.wire_name == n.wire_name) {
                    // Structs are #[non_exhaustive]: a new optional field is a new setter; a new
                    // required field is a new argument of `new()`.
                    let impact = if n.required { Impact::Breaking } else { Impact::Minor };
                    let how = if n.required { "required: `new()` takes it" } else { "optional" };
                    d.add(item, impact, format!("field `{}` added ({how})", n.wire_name));
                }
            }
        }
        (TypeKind::Enum { variants: ov }, TypeKind::Enum { variants: nv }) => {
            for o in ov {
                match nv.iter().find(|n| n.wire_value == o.wire_value) {
                    None => d.add(item, Impact::Breaking, format!("value `{}` removed", o.wire_value)),
                    Some(n) => renamed(d, item, &format!("value `{}`", o.wire_value), &o.rust_name, &n.rust_name),
                }
            }
            for n in nv {
                if !ov.iter().any(|o| o.wire_value == n.wire_value) {
                    // #[non_exhaustive] with Unknown: matches keep compiling.
                    d.add(item, Impact::Minor, format!("value `{}` added", n.wire_value));
                }
            }
        }
        (TypeKind::OneOf { variants: ov, .. }, TypeKind::OneOf { variants: nv, .. }) => {
            let names = |v: &[crate::ir::UnionVariant]| -> Vec<String> {
                v.iter()
                    .map(|x| match &x.shape {
                        UnionShape::Const(c) => format!("{} = {c}", x.rust_name),
                        UnionShape::Value(t) => format!("{}({})", x.rust_name, ty(t)),
                    })
                    .collect()
            };
            if names(ov) != names(nv) {
                // Union enums are exhaustive: any variant change breaks matches.
                d.add(item, Impact::Breaking, format!("variants {:?} → {:?}", names(ov), names(nv)));
            }
        }
        (TypeKind::Alias { target: o }, TypeKind::Alias { target: n }) if o != n => {
            d.add(item, Impact::Breaking, format!("is `{}` instead of `{}`", ty(n), ty(o)));
        }
        (TypeKind::Alias { .. }, TypeKind::Alias { .. }) => {}
        _ => d.add(item, Impact::Breaking, "changes kind (struct, enum, union or alias)".into()),
    }
    if old.docs != new.docs {
        d.add(item, Impact::Patch, "docs changed".into());
    }
}
