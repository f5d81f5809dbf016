//! `API.md`: the generated crate's public API in a compact, stable listing — one line per
//! operation (its Rust call, return type, HTTP method and path, optional setters) and per
//! model (its fields and their Rust types). It exists to be diffed: a spec change shows up in
//! review as a few changed lines here, beside the regenerated code.

use crate::ir::{
    Api, BodyContent, Field, Operation, Part, PartKind, QueryNode, QueryParam, QueryShape, RequestBody, Resource,
    Success, TypeKind, TypeRef, UnionShape,
};
use crate::names::bare;

use super::CrateConfig;

fn ty(t: &TypeRef) -> String {
    t.rust_display()
}

fn field(f: &Field) -> String {
    let ro = if f.read_only { " (read-only)" } else { "" };
    format!("{}: {}{ro}", bare(&f.rust_name), f.rust_display())
}

fn query_type(q: &QueryParam) -> String {
    node_type(&q.node)
}

fn node_type(node: &QueryNode) -> String {
    match node {
        QueryNode::Leaf { ty: t, .. } => ty(t),
        QueryNode::Object { type_name, .. } | QueryNode::OneOf { type_name, .. } => type_name.to_string(),
    }
}

/// A body's type, and how it is sent unless as JSON (`CallUpdate as form`, `Bytes as
/// `image/png``).
fn body(b: &RequestBody) -> String {
    match &b.content {
        BodyContent::Json(t) => ty(t),
        other => format!("{} as {}", other.rust_display(), other.wire_display()),
    }
}

/// A multipart part as `name: Type (how)`, its type without the `Option` of a setter.
fn part(p: &Part) -> String {
    let how = match &p.kind {
        PartKind::File { content_type } | PartKind::Files { content_type } => {
            format!(" as file part, `{content_type}`")
        }
        PartKind::Text(_) => " as text part".to_string(),
        PartKind::Json(_) => " as JSON part".to_string(),
    };
    let ty = match &p.kind {
        PartKind::File { .. } => "FilePart".to_string(),
        PartKind::Files { .. } => "Vec<FilePart>".to_string(),
        PartKind::Text(t) | PartKind::Json(t) => ty(t),
    };
    format!("{}: {ty}{how}", bare(&p.rust_name))
}

fn success(s: &Success) -> String {
    s.rust_display()
}

fn operation(r: &Resource, op: &Operation) -> String {
    let mut args: Vec<String> = op
        .path_params
        .iter()
        .chain(op.headers.iter().filter(|h| h.required))
        .map(|p| format!("{}: {}", bare(&p.rust_name), ty(&p.ty)))
        .collect();
    args.extend(op.query.iter().filter(|q| q.required).map(|q| format!("{}: {}", bare(&q.rust_name), query_type(q))));
    let parts = match op.body.as_ref().map(|b| (b, &b.content)) {
        Some((b, BodyContent::Multipart(parts))) => parts.iter().map(|p| (p, b.required && p.required)).collect(),
        _ => Vec::new(),
    };
    if let Some(b) = op.body.as_ref().filter(|b| b.required && parts.is_empty()) {
        args.push(format!("body: {}", body(b)));
    }
    args.extend(parts.iter().filter(|(_, positional)| *positional).map(|(p, _)| part(p)));
    let mut setters: Vec<String> =
        op.query.iter().filter(|q| !q.required).map(|q| format!("{}({})", bare(&q.setter), query_type(q))).collect();
    setters.extend(op.headers.iter().filter(|h| !h.required).map(|h| format!("{}({})", bare(&h.rust_name), ty(&h.ty))));
    if let Some(b) = op.body.as_ref().filter(|b| !b.required && parts.is_empty()) {
        setters.push(format!("body({})", body(b)));
    }
    setters.extend(parts.iter().filter(|(_, positional)| !*positional).map(|(p, _)| {
        let (name, ty) = part(p).split_once(": ").map(|(n, t)| (n.to_string(), t.to_string())).unwrap_or_default();
        format!("{name}({ty})")
    }));
    if let Some(BodyContent::Bytes(raw) | BodyContent::Text(raw)) = op.body.as_ref().map(|b| &b.content)
        && let Some(setter) = &raw.content_type_setter
    {
        setters.push(format!("{}(String)", bare(setter)));
    }
    let mut line = format!(
        "- `{}().{}({})` → `{}` · `{} {}`",
        bare(&r.module),
        bare(&op.method_name),
        args.join(", "),
        success(&op.success),
        op.method.as_str(),
        op.path
    );
    if op.auth == crate::ir::Auth::None {
        line.push_str(" · no credentials");
    }
    if !setters.is_empty() {
        line.push_str(&format!(" · setters: {}", setters.join(", ")));
    }
    if op.pagination.is_some() {
        line.push_str(" · streams: `pages()`, `items()`");
    }
    line
}

fn query_object(t: &crate::ir::QueryType) -> String {
    let shown: Vec<String> = match &t.shape {
        QueryShape::Struct { fields } => fields
            .iter()
            .map(|f| {
                let ty = query_type(f);
                format!("{}: {}", bare(&f.rust_name), if f.required { ty } else { format!("Option<{ty}>") })
            })
            .collect(),
        QueryShape::Enum { variants } => {
            variants.iter().map(|v| format!("{}({})", v.rust_name, node_type(&v.node))).collect()
        }
    };
    let kind = if matches!(t.shape, QueryShape::Enum { .. }) { " (enum)" } else { "" };
    format!("- `params::{}`{kind}{}", t.name, indented(&shown))
}

/// Items as an indented list under their parent, one a line, so a change is a one-line diff.
fn indented(items: &[String]) -> String {
    items.iter().map(|i| format!("\n  - {i}")).collect()
}

/// The listing.
pub(super) fn api_md(api: &Api, config: &CrateConfig) -> String {
    let mut out = format!(
        "# Public API of {} {}\n\nGenerated from the {} (API version {}). One line per item, for review: \
         its diff is what the crate's users will notice.\n\n## Operations\n",
        config.name, config.version, api.title, api.version
    );
    for r in &api.resources {
        match &r.feature {
            Some(f) => out.push_str(&format!("\n### `{}()` (feature `{f}`)\n\n", bare(&r.module))),
            None => out.push_str(&format!("\n### `{}()`\n\n", bare(&r.module))),
        }
        for op in &r.operations {
            out.push_str(&operation(r, op));
            out.push('\n');
        }
    }
    let queries: Vec<String> = api.query_types.iter().map(query_object).collect();
    if !queries.is_empty() {
        out.push_str("\n## Query parameter types\n\n");
        out.push_str(&queries.join("\n"));
        out.push('\n');
    }
    out.push_str("\n## Models\n\n");
    for t in &api.types {
        let line = match &t.kind {
            TypeKind::Struct { fields, additional, .. } => {
                let mut shown: Vec<String> = fields.iter().map(field).collect();
                if let Some(a) = additional {
                    shown.push(format!("..: {}", ty(a)));
                }
                format!("- `{}` struct{}", t.name, indented(&shown))
            }
            TypeKind::Enum { variants } => {
                let shown: Vec<&str> = variants.iter().map(|v| v.wire_value.as_str()).collect();
                format!("- `{}` enum {{ {} }} + Unknown(String)", t.name, shown.join(", "))
            }
            TypeKind::OneOf { variants, discriminator, .. } => {
                let shown: Vec<String> = variants
                    .iter()
                    .map(|v| match &v.shape {
                        UnionShape::Const(c) => format!("{} = {c}", v.rust_name),
                        UnionShape::Value(vt) if v.tags.is_empty() => format!("{}({})", v.rust_name, ty(vt)),
                        UnionShape::Value(vt) => format!("{}({}) = {:?}", v.rust_name, ty(vt), v.tags),
                    })
                    .collect();
                match discriminator {
                    Some(p) => format!(
                        "- `{}` one of {{ {} }} by `{p}` + Unknown(serde_json::Value)",
                        t.name,
                        shown.join(", ")
                    ),
                    None => format!("- `{}` one of {{ {} }}", t.name, shown.join(", ")),
                }
            }
            TypeKind::Alias { target } => format!("- `{}` = `{}`", t.name, ty(target)),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}
