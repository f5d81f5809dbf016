//! Example code for the docs: a compiling `no_run` call of every operation, and the README's
//! quick start. Required arguments are built on hidden lines (`# let room_id = …;`), so the
//! visible code is the call itself, and every example compiles whatever the spec.

use crate::ir::{Api, BodyContent, Operation, PartKind, QueryNode, Resource, Success, TypeKind, TypeRef, UnionShape};
use crate::names::bare;

use super::{Place, rust_type};

/// A Rust expression of type `ty` (for a hidden line; it only has to compile).
fn value_expr(api: &Api, lib: &str, ty: &TypeRef, depth: usize) -> String {
    if *ty == TypeRef::Scalar(crate::ir::Scalar::Uuid) {
        return format!("\"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0\".parse::<{lib}::uuid::Uuid>().expect(\"a valid id\")");
    }
    let written = |t: &TypeRef| {
        rust_type(t, Place::Elsewhere)
            .to_string()
            .replace("crate ::", &format!("{lib} ::"))
            .replace(":: uuid ::", &format!("{lib} :: uuid ::"))
            .replace(":: chrono ::", &format!("{lib} :: chrono ::"))
            // Token spacing (`Vec < a :: B >`) as a person writes a type.
            .replace(" :: ", "::")
            .replace(":: ", "::")
            .replace(" <", "<")
            .replace("< ", "<")
            .replace(" >", ">")
    };
    let default = || format!("<{} as Default>::default()", written(ty));
    let TypeRef::Named(name) = ty else { return default() };
    let Some(def) = api.types.iter().find(|t| &t.name == name) else { return default() };
    let path = format!("{lib}::models::{name}");
    match &def.kind {
        TypeKind::Enum { variants } => match variants.first() {
            Some(v) => format!("{path}::{}", v.rust_name),
            None => format!("{path}::Unknown(String::new())"),
        },
        TypeKind::OneOf { variants, .. } => match variants.first().map(|v| (&v.rust_name, &v.shape)) {
            Some((v, UnionShape::Const(_))) => format!("{path}::{v}"),
            Some((v, UnionShape::Value(t))) if depth < 8 => {
                format!("{path}::{v}({})", value_expr(api, lib, t, depth + 1))
            }
            _ => default(),
        },
        TypeKind::Struct { fields, .. } if depth < 8 => {
            let args: Vec<String> =
                fields.iter().filter(|f| f.required).map(|f| value_expr(api, lib, &f.ty, depth + 1)).collect();
            format!("{path}::new({})", args.join(", "))
        }
        TypeKind::Alias { target } => value_expr(api, lib, target, depth + 1),
        TypeKind::Struct { .. } => default(),
    }
}

/// The name a call's result is bound to in an example.
fn binding(api: &Api, op: &Operation) -> Option<String> {
    match &op.success {
        Success::Empty => None,
        Success::Page { .. } => Some("page".into()),
        Success::Bytes => Some("bytes".into()),
        Success::Text => Some("text".into()),
        Success::Data(TypeRef::Named(n)) | Success::Plain(TypeRef::Named(n)) => {
            Some(api.types.iter().find(|t| &t.name == n).map_or("response", |t| t.value_name.bare()).to_string())
        }
        Success::Data(_) | Success::Plain(_) | Success::ByStatus { .. } => Some("response".into()),
    }
}

/// An expression of a query node's type.
fn node_expr(api: &Api, lib: &str, node: &QueryNode) -> String {
    match node {
        QueryNode::Leaf { ty, .. } => value_expr(api, lib, ty, 0),
        QueryNode::Object { type_name, .. } => format!("<{lib}::params::{type_name} as Default>::default()"),
        QueryNode::OneOf { type_name, variants } => match variants.first() {
            Some(v) => format!("{lib}::params::{type_name}::{}({})", v.rust_name, node_expr(api, lib, &v.node)),
            None => format!("todo!(\"{type_name}\")"),
        },
    }
}

/// The hidden lines creating the positional arguments of a call, and the argument list.
fn arguments(api: &Api, lib: &str, op: &Operation) -> (Vec<String>, Vec<String>) {
    let mut setup = Vec::new();
    let mut args = Vec::new();
    let mut add = |name: &str, expr: String| {
        setup.push(format!("# let {name} = {expr};"));
        args.push(name.to_string());
    };
    for p in op.path_params.iter().chain(op.headers.iter().filter(|h| h.required)) {
        add(&p.rust_name, value_expr(api, lib, &p.ty, 0));
    }
    for q in op.query.iter().filter(|q| q.required) {
        let expr = node_expr(api, lib, &q.node);
        add(&q.rust_name, expr);
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let expr = match &body.content {
            BodyContent::Json(t) | BodyContent::Form(t) => value_expr(api, lib, t, 0),
            BodyContent::Bytes(_) => "Vec::<u8>::new()".to_string(),
            BodyContent::Text(_) => "String::new()".to_string(),
            BodyContent::Multipart(parts) => {
                for part in parts.iter().filter(|p| p.required) {
                    let expr = match &part.kind {
                        PartKind::File { .. } => format!("{lib}::FilePart::new(Vec::<u8>::new()).file_name(\"a.bin\")"),
                        PartKind::Files { .. } => format!("Vec::<{lib}::FilePart>::new()"),
                        PartKind::Text(t) | PartKind::Json(t) => value_expr(api, lib, t, 0),
                    };
                    add(part.rust_name.bare(), expr);
                }
                return (setup, args);
            }
        };
        add("body", expr);
    }
    (setup, args)
}

/// The `# Example` section of an operation's docs.
pub(super) fn operation_example(api: &Api, lib: &str, r: &Resource, op: &Operation) -> String {
    let (setup, args) = arguments(api, lib, op);
    let call = format!("client.{}().{}({}).send().await?", bare(&r.module), bare(&op.method_name), args.join(", "));
    let line = match binding(api, op) {
        Some(b) => format!("let {b} = {call};\n# let _ = {b};"),
        None => format!("{call};"),
    };
    format!(
        "# Example\n\n```no_run\n# async fn example(client: {lib}::Client) -> Result<(), {lib}::Error> {{\n{}{}{line}\n# Ok(())\n# }}\n```",
        setup.join("\n"),
        if setup.is_empty() { "" } else { "\n" },
    )
}

/// The README's quick start: a client from the environment, a call returning one resource,
/// a paginated listing read as a stream, and a 404 handled, as far as the API has them.
/// The resource feature the quick start needs, when the crate has resource features: the
/// first resource with an operation the quick start shows (a fetch by id, else a listing).
pub(super) fn quick_start_feature(api: &Api) -> Option<&Resource> {
    if api.features.is_empty() {
        return None;
    }
    let shown = |r: &&Resource| {
        r.operations.iter().any(|op| matches!(op.success, Success::Data(_)) && !op.path_params.is_empty())
    };
    let listed = |r: &&Resource| r.operations.iter().any(|op| op.pagination.is_some());
    api.resources.iter().find(shown).or_else(|| api.resources.iter().find(listed)).or(api.resources.first())
}

pub(super) fn quick_start(api: &Api, lib: &str, env_prefix: &str) -> String {
    // With resource features, the calls come from one resource, whose feature the README's
    // install line enables.
    let only = quick_start_feature(api).map(|r| &r.module);
    let ops = || {
        api.resources
            .iter()
            .filter(move |r| only.is_none_or(|m| *m == r.module))
            .flat_map(|r| r.operations.iter().map(move |op| (r, op)))
    };
    let mut body = vec![
        if api.any_operation_authenticates() && !api.auth.iter().any(|s| s.kind == crate::ir::AuthKind::Bearer) {
            format!(
                "    // Reads credentials from the variables under Authentication and a base URL from {env_prefix}_BASE_URL."
            )
        } else if api.any_operation_authenticates() {
            format!("    // Reads the API key from {env_prefix}_API_KEY and a base URL from {env_prefix}_BASE_URL.")
        } else {
            format!("    // No API key needed; a base URL is read from {env_prefix}_BASE_URL when set.")
        },
        format!("    let client = {lib}::Client::from_env()?;"),
    ];
    let mut uses_stream = false;
    // The README is read outside rustdoc too, so its setup lines are visible code.
    let visible = |l: &String| format!("    {}", l.strip_prefix("# ").unwrap_or(l));
    let single = ops().find(|(_, op)| matches!(op.success, Success::Data(_)) && !op.path_params.is_empty());
    // The setup lines, a comment from the summary, and `client.resource().method(args)`.
    let call = |body: &mut Vec<String>, r: &Resource, op: &Operation, comment: &str| {
        let (setup, args) = arguments(api, lib, op);
        body.extend(setup.iter().map(visible));
        if let Some(summary) = &op.docs.summary {
            body.push(format!("\n    // {summary}{comment}"));
        }
        format!("client.{}().{}({})", bare(&r.module), bare(&op.method_name), args.join(", "))
    };
    if let Some((r, op)) = single {
        let c = call(&mut body, r, op, ", handling a 404 on its own.");
        body.push(format!("    match {c}.send().await {{"));
        body.push("        Ok(found) => println!(\"{found:?}\"),".into());
        body.push(format!("        Err({lib}::Error::NotFound(e)) => println!(\"not there: {{e}}\"),"));
        body.push("        Err(e) => return Err(e),".into());
        body.push("    }".into());
    }
    let listing = ops().find(|(_, op)| op.pagination.is_some());
    if let Some((r, op)) = listing {
        let c = call(&mut body, r, op, ": every page, fetched lazily.");
        let page = page_size_setter(lib, op).unwrap_or_default();
        body.push(format!("    let mut items = {c}{page}.items();"));
        body.push("    while let Some(item) = items.next().await {".into());
        body.push("        println!(\"{:?}\", item?);".into());
        body.push("    }".into());
        uses_stream = true;
    }
    let uses = if uses_stream { "use futures_util::StreamExt;\n\n" } else { "" };
    format!(
        "```rust,no_run\n{uses}#[tokio::main]\nasync fn main() -> Result<(), {lib}::Error> {{\n{}\n    Ok(())\n}}\n```",
        body.join("\n")
    )
}

/// `.page(lib::params::PageParams::new().size(50))` for a paginated listing whose page object
/// has an integer size: 50, or the nearest size its documented range allows.
fn page_size_setter(lib: &str, op: &Operation) -> Option<String> {
    let (param, size) = op.query_field(&op.pagination.as_ref()?.size)?;
    let QueryNode::Object { type_name, .. } = &param.node else { return None };
    let QueryNode::Leaf { ty: TypeRef::Scalar(crate::ir::Scalar::I32 | crate::ir::Scalar::I64), constraints, .. } =
        &size.node
    else {
        return None;
    };
    let mut n: f64 = 50.0;
    if let Some(max) = constraints.maximum {
        n = n.min(if constraints.exclusive_maximum { max - 1.0 } else { max });
    }
    if let Some(min) = constraints.minimum {
        n = n.max(if constraints.exclusive_minimum { min + 1.0 } else { min });
    }
    Some(format!(
        ".{}({lib}::params::{}::new().{}({}))",
        param.setter.bare(),
        type_name.bare(),
        size.setter.bare(),
        n.floor() as i64
    ))
}
