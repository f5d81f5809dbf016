//! `src/resources/*.rs`: one module per resource with its handle, one request builder per
//! operation, and the structs of its query-parameter trees.
//!
//! Required parameters (path parameters, required query and header parameters, a required
//! body) are positional arguments of the resource method; optional ones are builder
//! setters; `.send().await` sends. A query object's leaves are written with their full
//! bracketed keys (`filter[date_created_at][gte]`), known when the code is generated.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, inner_doc_attrs, own_doc, prose_or};
use std::collections::BTreeSet;

use super::validate::{query_has_checks, refers, value_checks};
use super::{Place, constraint_docs, ident, rust_type};
use crate::ir::{
    Api, ArrayEncoding, Auth, BodyContent, Envelope, Operation, Param, Part, PartKind, PathPart, PathSegment,
    QueryNode, QueryParam, Resource, Scalar, StatusSpec, Success, TypeRef,
};
use crate::names::bare;

pub(super) fn mod_rs(api: &Api) -> TokenStream {
    let header =
        inner_doc_attrs(["One module per resource. Reach each through its accessor on [`Client`](crate::Client)."]);
    let mods = api.resources.iter().map(|r| {
        let m = ident(&r.module);
        let t = ident(&r.type_name);
        let doc = own_doc(&format!("Operations on {}.", r.label));
        let cfg = r.feature.as_ref().map(|f| quote!(#[cfg(feature = #f)]));
        quote! {
            #doc
            #cfg
            pub mod #m;
            #cfg
            pub use self::#m::#t;
        }
    });
    quote! {
        #header
        #(#mods)*
    }
}

pub(super) fn resource_rs(
    api: &Api,
    lib: &str,
    r: &Resource,
    validated: &BTreeSet<crate::ir::Ident>,
) -> Result<TokenStream, String> {
    let module_docs = inner_doc_attrs([Some(format!("{}.", r.label)), r.docs.clone()].into_iter().flatten());
    let handle = ident(&r.type_name);
    let accessor = ident(&r.module);
    let handle_doc = format!(
        "Operations on {}. Get one from [`Client::{}`](crate::Client::{}).",
        r.label,
        bare(&r.module),
        bare(&r.module)
    );
    let needs = r.feature.as_ref().map(|f| format!("Compiled with the crate's `{f}` feature."));
    let mut handle_doc = own_doc(&handle_doc);
    let mut accessor_doc = doc_attrs([Some(format!("{}.", r.label)), r.docs.clone()].into_iter().flatten());
    if let Some(needs) = needs {
        for docs in [&mut handle_doc, &mut accessor_doc] {
            docs.extend(own_doc("\n"));
            docs.extend(own_doc(&needs));
        }
    }
    let methods = r.operations.iter().map(|op| resource_method(api, lib, r, op));
    let types = r.operations.iter().map(|op| operation_type(r, op, validated)).collect::<Result<Vec<_>, _>>()?;
    Ok(quote! {
        #module_docs

        #handle_doc
        #[derive(Debug, Clone)]
        pub struct #handle {
            client: crate::Client,
        }

        impl crate::Client {
            #accessor_doc
            pub fn #accessor(&self) -> #handle {
                #handle { client: self.clone() }
            }
        }

        impl #handle {
            #(#methods)*
        }

        #(#types)*
    })
}

/// Docs shared by the resource method and `send`: summary, description, method and path.
fn operation_docs(op: &Operation) -> Vec<String> {
    let mut paras: Vec<String> = Vec::new();
    paras.extend(op.docs.summary.clone());
    paras.extend(op.docs.description.clone());
    let mut line = format!("`{} {}`", op.method.as_str(), op.path);
    if op.auth == Auth::None {
        line.push_str(" (sent without credentials)");
    }
    paras.push(line);
    if op.deprecated {
        paras.push("Deprecated by the API.".into());
    }
    paras
}

/// A positional argument of the resource method.
struct Positional {
    name: proc_macro2::Ident,
    ty: TokenStream,
    /// How the argument is stored in the builder.
    store: TokenStream,
}

fn positionals(op: &Operation) -> Vec<Positional> {
    let mut out = Vec::new();
    for p in op.path_params.iter().chain(op.headers.iter().filter(|h| h.required)) {
        let name = ident(&p.rust_name);
        let ty = rust_type(&p.ty, Place::Elsewhere);
        out.push(Positional { store: quote!(#name.into()), ty: quote!(impl Into<#ty>), name });
    }
    for q in op.query.iter().filter(|q| q.required) {
        let name = ident(&q.rust_name);
        let ty = query_value_type(q);
        out.push(Positional { store: quote!(#name.into()), ty: quote!(impl Into<#ty>), name });
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let name = ident("body");
        match &body.content {
            BodyContent::Json(t) | BodyContent::Form(t) => {
                out.push(Positional { name, ty: rust_type(t, Place::Elsewhere), store: TokenStream::new() })
            }
            // Raw bodies take anything that converts, as the setters do.
            BodyContent::Bytes(_) | BodyContent::Text(_) => {
                let ty = body_type(&body.content);
                out.push(Positional { name, ty: quote!(impl Into<#ty>), store: quote!(body.into()) })
            }
            BodyContent::Multipart(parts) => {
                for part in parts.iter().filter(|p| p.required) {
                    let name = ident(&part.rust_name);
                    let ty = part_type(part);
                    out.push(Positional { store: quote!(#name.into()), ty: quote!(impl Into<#ty>), name });
                }
            }
        }
    }
    out
}

/// The Rust type a body is held as in the operation's parameters type (a multipart body is
/// held as its parts).
fn body_type(content: &BodyContent) -> TokenStream {
    match content {
        BodyContent::Json(t) | BodyContent::Form(t) => rust_type(t, Place::Elsewhere),
        BodyContent::Bytes(_) => quote!(::bytes::Bytes),
        BodyContent::Text(_) | BodyContent::Multipart(_) => quote!(String),
    }
}

/// The Rust type of a multipart part.
fn part_type(part: &Part) -> TokenStream {
    match &part.kind {
        PartKind::File { .. } => quote!(crate::FilePart),
        PartKind::Files { .. } => quote!(Vec<crate::FilePart>),
        PartKind::Text(t) | PartKind::Json(t) => rust_type(t, Place::Elsewhere),
    }
}

/// Whether a part is an argument of the resource method (required, in a required body).
fn part_is_positional(body: &crate::ir::RequestBody, part: &Part) -> bool {
    body.required && part.required
}

fn resource_method(api: &Api, lib: &str, r: &Resource, op: &Operation) -> TokenStream {
    // Spec prose is escaped for rustdoc; the generator's own text (with its links) is not.
    let mut docs = doc_attrs(operation_docs(op));
    docs.extend(own_doc("\n"));
    docs.extend(own_doc(&match op.success {
        Success::Bytes | Success::Text => format!(
            "Returns: `{}`; [`.send_stream()`](crate::RequestBuilder::send_stream) gives the body's bytes as \
             they arrive instead, for downloads too large to hold at once.",
            op.success.rust_display()
        ),
        _ => format!("Returns: `{}`.", op.success.rust_display()),
    }));
    docs.extend(own_doc("\n"));
    if let Some(body) = op.body.as_ref().filter(|b| b.required)
        && let Some(wire) = body_wire_doc(&body.content)
    {
        let what = match body.content {
            BodyContent::Multipart(_) => "The body",
            _ => "The body (`body`)",
        };
        docs.extend(own_doc(&format!("{what}: {}", lowercase_first(&wire))));
        docs.extend(own_doc("\n"));
    }
    let fields = builder_fields(op);
    let optional: Vec<String> =
        fields.iter().filter_map(|f| f.setter.as_ref().map(|(_, name)| format!("`.{name}(…)`"))).collect();
    if !optional.is_empty() {
        docs.extend(own_doc(&format!(
            "Optional parameters, set on the returned builder before `.send()`: {}.",
            optional.join(", ")
        )));
        docs.extend(own_doc("\n"));
    }
    if let Some(errors) = errors_doc(op) {
        docs.extend(own_doc(&errors));
        docs.extend(own_doc("\n"));
    }
    docs.extend(own_doc(&super::snippets::operation_example(api, lib, r, op)));
    let method = ident(&op.method_name);
    let op_type = ident(&op.type_name);
    let args = positionals(op);
    let params = args.iter().map(|a| {
        let (n, t) = (&a.name, &a.ty);
        quote!(#n: #t)
    });
    let inits = fields.into_iter().map(|f| {
        let n = &f.name;
        match args.iter().find(|a| a.name == f.name) {
            // An empty `store` means the argument is stored as is (field shorthand).
            Some(a) if a.store.is_empty() => quote!(#n,),
            Some(a) => {
                let store = &a.store;
                quote!(#n: #store,)
            }
            None => quote!(#n: None,),
        }
    });
    quote! {
        #docs
        pub fn #method(&self, #(#params),*) -> crate::RequestBuilder<#op_type> {
            crate::RequestBuilder::new(&self.client, #op_type { #(#inits)* })
        }
    }
}

/// The `# Errors` section: each documented error status and the variant it becomes.
fn errors_doc(op: &Operation) -> Option<String> {
    let errors: Vec<String> = op
        .responses
        .iter()
        .filter(|r| !r.status.is_success())
        .map(|r| match (r.status, &r.error_variant) {
            (StatusSpec::Code(c), Some(v)) => format!("- `{c}`: [`Error::{v}`](crate::Error::{v})"),
            (StatusSpec::Code(c), None) => format!("- `{c}`: the [`Error`](crate::Error) variant for `{c}`"),
            (StatusSpec::Range(d), _) => format!("- `{d}XX`: the [`Error`](crate::Error) variant for the status"),
            (StatusSpec::Default, _) => {
                "- any other status (`default`): the [`Error`](crate::Error) variant for the status".to_string()
            }
        })
        .collect();
    (!errors.is_empty()).then(|| {
        format!(
            "# Errors\n\nThe documented error responses:\n\n{}\n\nand the failures of any call \
             (see [`RequestBuilder::send`](crate::RequestBuilder::send)).",
            errors.join("\n")
        )
    })
}

/// A field of an operation's parameters type.
struct BuilderField {
    name: proc_macro2::Ident,
    /// Declared type (with `Option` when optional).
    ty: TokenStream,
    /// The setter on the request builder, for optional fields, and its name.
    setter: Option<(TokenStream, String)>,
}

/// A setter of a request builder: `name` sets the operation's field `field`.
fn builder_setter(
    name: &proc_macro2::Ident,
    field: &proc_macro2::Ident,
    value_ty: &TokenStream,
    docs: TokenStream,
) -> TokenStream {
    quote! {
        #docs
        pub fn #name(mut self, value: impl Into<#value_ty>) -> Self {
            self.operation.#field = Some(value.into());
            self
        }
    }
}

fn param_docs(
    docs: Option<&String>,
    wire: &str,
    c: &crate::ir::Constraints,
    default: Option<&serde_json::Value>,
) -> TokenStream {
    let mut paras = vec![prose_or(docs, || format!("Sets `{wire}`."))];
    paras.extend(constraint_docs(c, default));
    doc_attrs(paras)
}

fn builder_fields(op: &Operation) -> Vec<BuilderField> {
    let mut out = Vec::new();
    let simple = |p: &Param, out: &mut Vec<BuilderField>| {
        let name = ident(&p.rust_name);
        let ty = rust_type(&p.ty, Place::Elsewhere);
        if p.required {
            out.push(BuilderField { name, ty, setter: None });
        } else {
            let mut docs = param_docs(p.docs.as_ref(), &p.wire_name, &p.constraints, None);
            if let TypeRef::Array(item) = &p.ty {
                docs.extend(own_doc("\n"));
                docs.extend(own_doc(if may_hold_commas(item) {
                    "Sent as one value, the items joined by commas (`a,b`); an item holding a comma is refused before sending."
                } else {
                    "Sent as one value, the items joined by commas (`a,b`)."
                }));
            }
            let setter = builder_setter(&name, &name, &ty, docs);
            let setter_name = p.rust_name.bare().to_string();
            out.push(BuilderField { name, ty: quote!(Option<#ty>), setter: Some((setter, setter_name)) });
        }
    };
    for p in &op.path_params {
        simple(p, &mut out);
    }
    for q in &op.query {
        let name = ident(&q.rust_name);
        let ty = query_value_type(q);
        if q.required {
            out.push(BuilderField { name, ty, setter: None });
        } else {
            let (c, d) = match &q.node {
                QueryNode::Leaf { constraints, default, .. } => (constraints.clone(), default.clone()),
                QueryNode::Object { .. } | QueryNode::OneOf { .. } => (Default::default(), None),
            };
            let mut docs = param_docs(q.docs.as_ref(), &q.wire_name, &c, d.as_ref());
            if let QueryNode::Leaf { ty, array, .. } = &q.node
                && let Some(sent) = leaf_sent_as(&q.wire_name, ty, *array)
            {
                docs.extend(own_doc("\n"));
                docs.extend(own_doc(&sent));
            }
            let setter = builder_setter(&ident(&q.setter), &name, &ty, docs);
            let setter_name = q.setter.bare().to_string();
            out.push(BuilderField { name, ty: quote!(Option<#ty>), setter: Some((setter, setter_name)) });
        }
    }
    for h in &op.headers {
        simple(h, &mut out);
    }
    if let Some(body) = &op.body
        && let BodyContent::Multipart(parts) = &body.content
    {
        for part in parts {
            let name = ident(&part.rust_name);
            let ty = part_type(part);
            if part_is_positional(body, part) {
                out.push(BuilderField { name, ty, setter: None });
                continue;
            }
            let mut docs = param_docs(part.docs.as_ref(), &part.wire_name, &part.constraints, None);
            docs.extend(own_doc("\n"));
            docs.extend(own_doc(&part_doc(part)));
            let setter = builder_setter(&name, &name, &ty, docs);
            let setter_name = part.rust_name.bare().to_string();
            out.push(BuilderField { name, ty: quote!(Option<#ty>), setter: Some((setter, setter_name)) });
        }
    } else if let Some(body) = &op.body {
        let name = ident("body");
        let ty = body_type(&body.content);
        if body.required {
            out.push(BuilderField { name, ty, setter: None });
        } else {
            let mut docs = doc_attrs([prose_or(body.docs.as_ref(), || "The request body.".into())]);
            if let Some(wire) = body_wire_doc(&body.content) {
                docs.extend(own_doc("\n"));
                docs.extend(own_doc(&wire));
            }
            let setter = builder_setter(&name, &name, &ty, docs);
            out.push(BuilderField { name, ty: quote!(Option<#ty>), setter: Some((setter, "body".to_string())) });
        }
        if let BodyContent::Bytes(raw) | BodyContent::Text(raw) = &body.content
            && let Some(setter) = &raw.content_type_setter
        {
            let name = ident(setter);
            let accepted: Vec<String> = raw.accepted.iter().map(|m| format!("`{m}`")).collect();
            let docs = own_doc(&format!(
                "The `Content-Type` the body is sent with, instead of `{}`; the API documents {}.",
                raw.media_type,
                accepted.join(", ")
            ));
            let setter_fn = builder_setter(&name, &name, &quote!(String), docs);
            out.push(BuilderField {
                name,
                ty: quote!(Option<String>),
                setter: Some((setter_fn, setter.bare().to_string())),
            });
        }
    }
    out
}

/// `Sent as …` → `sent as …`, to follow a colon.
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

/// What a multipart part's setter or argument takes, and how it is sent.
fn part_doc(part: &Part) -> String {
    let file = "the bytes (a `Vec<u8>`, `Bytes`, …) or a [`FilePart`](crate::FilePart) with its file name \
                and media type";
    match &part.kind {
        PartKind::File { content_type } => {
            format!("A file part: {file} (`{content_type}` and the part's name unless set).")
        }
        PartKind::Files { content_type } => format!(
            "A file part per item, each {} (`{content_type}` and the part's name unless set).",
            file.trim_start_matches("the ")
        ),
        PartKind::Text(TypeRef::Array(_)) => "A text part per item.".to_string(),
        PartKind::Text(_) => "A text part.".to_string(),
        PartKind::Json(_) => "A part of JSON (`application/json`).".to_string(),
    }
}

/// How a body goes on the wire, for its docs, unless as JSON.
pub(super) fn body_wire_doc(content: &BodyContent) -> Option<String> {
    Some(match content {
        BodyContent::Json(_) => return None,
        BodyContent::Multipart(parts) => {
            let files: Vec<String> = parts
                .iter()
                .filter(|p| matches!(p.kind, PartKind::File { .. } | PartKind::Files { .. }))
                .map(|p| format!("`{}`", p.rust_name.bare()))
                .collect();
            let files = match files.as_slice() {
                [] => String::new(),
                [one] => format!(" {one} is a file: its bytes or a [`FilePart`](crate::FilePart)."),
                _ => format!(" {} are files: bytes or [`FilePart`](crate::FilePart)s.", files.join(", ")),
            };
            format!("Sent as `multipart/form-data`, a part per field set.{files}")
        }
        BodyContent::Form(_) => "Sent as a form (`application/x-www-form-urlencoded`): each field set as \
                                 `key=value`, an array as one pair per item."
            .to_string(),
        BodyContent::Bytes(raw) => format!("The bytes are sent as they are, as `{}`.", raw.media_type),
        BodyContent::Text(raw) => {
            format!("The text is sent as it is (UTF-8), as `{}`; no XML or other model is made.", raw.media_type)
        }
    })
}

/// The Rust type of a query parameter or query-object field.
pub(super) fn query_value_type(q: &QueryParam) -> TokenStream {
    query_node_type(&q.node)
}

/// The Rust type of a query node's value.
pub(super) fn query_node_type(node: &QueryNode) -> TokenStream {
    match node {
        QueryNode::Leaf { ty, .. } => rust_type(ty, Place::Elsewhere),
        QueryNode::Object { type_name, .. } | QueryNode::OneOf { type_name, .. } => {
            let t = ident(type_name);
            quote!(crate::params::#t)
        }
    }
}

/// The key a query node is written under.
pub(super) enum QueryKey {
    /// Known when the code is generated (a top-level parameter's name).
    Literal(String),
    /// An expression of type `&str` (a field's key, made from its parent's at run time).
    Expr(TokenStream),
}

/// Statements writing `value` (a `&T` of the node's type) under `key` into `query` (a
/// `QueryWriter`, passed on to nested types as `writer`).
pub(super) fn query_write(key: QueryKey, node: &QueryNode, writer: &TokenStream) -> TokenStream {
    let brackets = matches!(node, QueryNode::Leaf { array: ArrayEncoding::Brackets, .. });
    let key = match key {
        QueryKey::Literal(k) if brackets => {
            let k = format!("{k}[]");
            quote!(#k)
        }
        QueryKey::Literal(k) => quote!(#k),
        // `sub_key(k, "")` is `k[]`.
        QueryKey::Expr(e) if brackets => quote!(&crate::runtime::sub_key(#e, "")),
        QueryKey::Expr(e) => e,
    };
    match node {
        QueryNode::Object { .. } | QueryNode::OneOf { .. } => quote!(value.write_query(#key, #writer);),
        QueryNode::Leaf { ty: TypeRef::Map(_), .. } => quote! {
            for (name, item) in value {
                query.push(&crate::runtime::sub_key(#key, name), item);
            }
        },
        QueryNode::Leaf { ty: TypeRef::Array(_), array, .. } => match array.separator() {
            None => quote!(query.push_each(#key, value);),
            Some(sep) => quote!(query.push_joined(#key, value, #sep);),
        },
        QueryNode::Leaf { .. } => quote!(query.push(#key, value);),
    }
}

/// How a leaf under `key` goes on the wire, for its docs, where that is more than
/// `key=value`.
pub(super) fn leaf_sent_as(key: &str, ty: &TypeRef, array: ArrayEncoding) -> Option<String> {
    Some(match (ty, array) {
        (TypeRef::Map(_), _) => format!("Sent as `{key}[name]=value`, one key per entry."),
        (TypeRef::Array(_), ArrayEncoding::Brackets) => format!("Sent as `{key}[]=a&{key}[]=b`, one key per item."),
        (TypeRef::Array(_), _) => match array.separator() {
            None => format!("Sent as `{key}=a&{key}=b`, one key per item."),
            Some(sep) => format!("Sent as one value, `{key}=a{sep}b`."),
        },
        (_, ArrayEncoding::Brackets) => format!("Sent as `{key}[]=value`."),
        _ => return None,
    })
}

fn success_type(s: &Success) -> TokenStream {
    match s {
        Success::Empty => quote!(()),
        Success::Bytes => quote!(::bytes::Bytes),
        Success::Text => quote!(String),
        Success::Plain(t) | Success::Data(t) => rust_type(t, Place::Elsewhere),
        Success::Page { item, meta } => {
            let item = rust_type(item, Place::Elsewhere);
            let meta = rust_type(meta, Place::Elsewhere);
            quote!(crate::Page<#item, #meta>)
        }
        // Defined in the operation's resource module, beside the operation.
        Success::ByStatus { type_name, .. } => {
            let t = ident(type_name);
            quote!(#t)
        }
    }
}

/// The operation's parameters type, its setters on the request builder, and how it is
/// sent, decoded and paginated.
fn operation_type(r: &Resource, op: &Operation, validated: &BTreeSet<crate::ir::Ident>) -> Result<TokenStream, String> {
    let name = ident(&op.type_name);
    let fields = builder_fields(op);
    let decls = fields.iter().map(|f| {
        let (n, t) = (&f.name, &f.ty);
        quote!(#n: #t,)
    });
    let method = format!("{}::{}", r.type_name, bare(&op.method_name));
    let doc = own_doc(&format!(
        "The parameters of [`{method}`] (`{} {}`), which returns a [`RequestBuilder`](crate::RequestBuilder) \
         of it: set the optional ones there, then send it.",
        op.method.as_str(),
        op.path
    ));
    let setters: Vec<TokenStream> = fields.iter().filter_map(|f| f.setter.as_ref().map(|(s, _)| s.clone())).collect();
    let setters = if setters.is_empty() {
        TokenStream::new()
    } else {
        let doc = own_doc(&format!("The optional parameters of [`{method}`]."));
        quote! {
            #doc
            impl crate::RequestBuilder<#name> {
                #(#setters)*
            }
        }
    };
    let request = request_fn(op, validated)?;
    let output = success_type(&op.success);
    let decode = match &op.success {
        Success::Empty => quote! {
            fn decode(_: ::reqwest::StatusCode, _: &[u8]) -> Result<(), crate::Error> {
                Ok(())
            }
        },
        Success::Bytes => quote! {
            fn decode(_: ::reqwest::StatusCode, body: &[u8]) -> Result<::bytes::Bytes, crate::Error> {
                Ok(::bytes::Bytes::copy_from_slice(body))
            }

            fn decode_owned(_: ::reqwest::StatusCode, body: ::bytes::Bytes) -> Result<::bytes::Bytes, crate::Error> {
                Ok(body)
            }
        },
        Success::Text => quote! {
            fn decode(status: ::reqwest::StatusCode, body: &[u8]) -> Result<String, crate::Error> {
                crate::runtime::decode_text(status, body)
            }
        },
        Success::Plain(_) | Success::Page { .. } => quote! {
            fn decode(status: ::reqwest::StatusCode, body: &[u8]) -> Result<Self::Output, crate::Error> {
                crate::runtime::decode(status, body)
            }
        },
        Success::Data(t) => {
            let t = rust_type(t, Place::Elsewhere);
            quote! {
                fn decode(status: ::reqwest::StatusCode, body: &[u8]) -> Result<Self::Output, crate::Error> {
                    crate::runtime::decode::<crate::runtime::Data<#t>>(status, body).map(|d| d.data)
                }
            }
        }
        Success::ByStatus { type_name, variants } => {
            let enum_name = ident(type_name);
            // Specific codes first, then a `2XX` range.
            let mut arms: Vec<(&crate::ir::StatusVariant, TokenStream)> = variants
                .iter()
                .map(|v| {
                    let pattern = match v.status {
                        StatusSpec::Code(c) => {
                            let c = proc_macro2::Literal::u16_unsuffixed(c);
                            quote!(#c)
                        }
                        _ => quote!(200..=299),
                    };
                    (v, pattern)
                })
                .collect();
            arms.sort_by_key(|(v, _)| !matches!(v.status, StatusSpec::Code(_)));
            let arms = arms.into_iter().map(|(v, pattern)| {
                let id = ident(&v.rust_name);
                let value = match &v.envelope {
                    Envelope::Empty => quote!(Ok(#enum_name::#id)),
                    Envelope::Bytes => quote!(Ok(#enum_name::#id(::bytes::Bytes::copy_from_slice(body)))),
                    Envelope::Text => quote!(crate::runtime::decode_text(status, body).map(#enum_name::#id)),
                    Envelope::Plain(_) | Envelope::Page { .. } => {
                        quote!(crate::runtime::decode(status, body).map(#enum_name::#id))
                    }
                    Envelope::Data { inner } => {
                        let t = rust_type(inner, Place::Elsewhere);
                        quote!(crate::runtime::decode::<crate::runtime::Data<#t>>(status, body).map(|d| #enum_name::#id(d.data)))
                    }
                };
                quote!(#pattern => #value,)
            });
            quote! {
                fn decode(status: ::reqwest::StatusCode, body: &[u8]) -> Result<Self::Output, crate::Error> {
                    match status.as_u16() {
                        #(#arms)*
                        _ => Err(crate::Error::UnexpectedResponse(::std::format!(
                            "status {status} is a success the spec does not document for this operation"
                        ))),
                    }
                }
            }
        }
    };
    let status_enum = status_enum(r, op);
    let pages = page_numbered(op)?;
    let download = match op.success {
        Success::Bytes | Success::Text => quote!(impl crate::Download for #name {}),
        _ => TokenStream::new(),
    };
    Ok(quote! {
        #doc
        #[derive(Debug, Clone)]
        pub struct #name {
            #(#decls)*
        }

        #setters

        impl crate::Operation for #name {
            type Output = #output;

            #request
            #decode
        }

        #download
        #pages
        #status_enum
    })
}

/// For an operation whose success statuses have different bodies: the enum `send` returns,
/// a variant per status.
fn status_enum(r: &Resource, op: &Operation) -> TokenStream {
    let Success::ByStatus { type_name, variants } = &op.success else { return TokenStream::new() };
    let name = ident(type_name);
    let doc = own_doc(&format!(
        "What [`{}::{}`] returns: which success status came back, with its body.",
        r.type_name,
        op.method_name.bare()
    ));
    let decls = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let status = match v.status {
            StatusSpec::Code(c) => format!("`{c}`"),
            StatusSpec::Range(d) => format!("Another `{d}XX`"),
            StatusSpec::Default => "Another status".to_string(),
        };
        let docs = doc_attrs([format!("{status}: {}", v.docs.clone().unwrap_or_default())]);
        match &v.envelope {
            Envelope::Empty => quote! { #docs #id, },
            Envelope::Bytes => quote! { #docs #id(::bytes::Bytes), },
            Envelope::Text => quote! { #docs #id(String), },
            Envelope::Plain(t) | Envelope::Data { inner: t } => {
                let t = rust_type(t, Place::Elsewhere);
                quote! { #docs #id(#t), }
            }
            Envelope::Page { item, meta } => {
                let item = rust_type(item, Place::Elsewhere);
                let meta = rust_type(meta, Place::Elsewhere);
                quote! { #docs #id(crate::Page<#item, #meta>), }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#decls)*
        }
    }
}

/// `Operation::request`: checks the values and collects the request's parts.
fn request_fn(op: &Operation, validated: &BTreeSet<crate::ir::Ident>) -> Result<TokenStream, String> {
    let checks = request_checks(op, validated);
    // Path: literal segments as they are, parameters through `ParamValue`, and a segment
    // that mixes text and parameters as its parts joined.
    let param = |i: usize| -> Result<TokenStream, String> {
        let p = op.path_params.get(i).ok_or_else(|| format!("`{}`: path segment {i} has no parameter", op.id))?;
        let (field, wire) = (ident(&p.rust_name), &p.wire_name);
        Ok(quote!(crate::runtime::path_segment(#wire, &self.#field)?))
    };
    let segments: Vec<TokenStream> = op
        .segments
        .iter()
        .map(|s| match s {
            PathSegment::Literal(text) => Ok(quote!(::std::borrow::Cow::Borrowed(#text))),
            PathSegment::Param(i) => param(*i),
            PathSegment::Mixed(parts) => {
                let parts = parts
                    .iter()
                    .map(|part| match part {
                        PathPart::Literal(text) => Ok(quote!(::std::borrow::Cow::Borrowed(#text))),
                        PathPart::Param(i) => param(*i),
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                Ok(quote!(crate::runtime::joined_segment(&[#(#parts),*])))
            }
        })
        .collect::<Result<_, String>>()?;
    let query_writes = op.query.iter().map(|q| {
        let n = ident(&q.rust_name);
        let write = query_write(QueryKey::Literal(q.wire_name.clone()), &q.node, &quote!(&mut query));
        if q.required {
            quote! { { let value = &self.#n; #write } }
        } else {
            quote! { if let Some(value) = &self.#n { #write } }
        }
    });
    let header_writes: Vec<TokenStream> = op
        .headers
        .iter()
        .map(|h| {
            let n = ident(&h.rust_name);
            let key = &h.wire_name;
            let push = quote!(headers.push((#key, crate::runtime::ParamValue::param_value(value).into_owned())););
            // An empty list is no value: the header is left out, not sent empty.
            let list = matches!(h.ty, TypeRef::Array(_));
            match (h.required, list) {
                (true, false) => quote! { { let value = &self.#n; #push } },
                (true, true) => quote! { { let value = &self.#n; if !value.is_empty() { #push } } },
                (false, false) => quote! { if let Some(value) = &self.#n { #push } },
                (false, true) => quote! { if let Some(value) = &self.#n && !value.is_empty() { #push } },
            }
        })
        .collect();
    let query = if op.query.is_empty() {
        quote!(None)
    } else {
        quote!({
            let mut query = crate::runtime::QueryWriter::new();
            #(#query_writes)*
            query.finish()
        })
    };
    let initial = match &op.accept {
        // The media types a download may come as (an `Accept` parameter is ignored in
        // lowering, as OpenAPI says: the client sets the header).
        Some(accept) => quote!(Vec::from([("accept", #accept.to_string())])),
        None => quote!(Vec::new()),
    };
    let headers = if header_writes.is_empty() {
        initial
    } else {
        quote!({
            let mut headers = #initial;
            #(#header_writes)*
            headers
        })
    };
    let body = match &op.body {
        None => quote!(None),
        Some(b) => {
            let value = if b.required { quote!(Some(&self.body)) } else { quote!(self.body.as_ref()) };
            let content_type = |raw: &crate::ir::RawMedia| {
                let media = &raw.media_type;
                match &raw.content_type_setter {
                    None => quote!(#media),
                    Some(field) => {
                        let field = ident(field);
                        quote!(self.#field.as_deref().unwrap_or(#media))
                    }
                }
            };
            match &b.content {
                BodyContent::Multipart(parts) => multipart_body(b, parts),
                BodyContent::Json(_) => match &b.content_type {
                    None => quote!(crate::runtime::json_body(#value)?),
                    Some(media) => quote!(crate::runtime::json_body_as(#value, #media)?),
                },
                BodyContent::Form(_) => quote!(crate::runtime::form_body(#value)?),
                BodyContent::Bytes(raw) => {
                    let content_type = content_type(raw);
                    quote!(crate::runtime::bytes_body(#value, #content_type))
                }
                BodyContent::Text(raw) => {
                    let content_type = content_type(raw);
                    quote!(crate::runtime::text_body(#value, #content_type))
                }
            }
        }
    };
    let method = quote::format_ident!("{}", op.method.as_str());
    let operation = &op.id;
    let auth = match &op.auth {
        Auth::None => quote!(&[]),
        Auth::Schemes(alternatives) => {
            let alternatives = alternatives.iter().map(|names| quote!(&[#(#names),*]));
            quote!(&[#(#alternatives),*])
        }
    };
    let path_template = &op.path;
    Ok(quote! {
        fn request<'a>(&'a self, options: &'a crate::RequestOptions) -> Result<crate::client::Request<'a>, crate::Error> {
            #checks
            Ok(crate::client::Request {
                operation: #operation,
                method: ::reqwest::Method::#method,
                path_template: #path_template,
                path: Vec::from([#(#segments),*]),
                query: #query,
                auth: #auth,
                headers: #headers,
                body: #body,
                options,
            })
        }
    })
}

/// A multipart body: each part set, written in spec order.
fn multipart_body(body: &crate::ir::RequestBody, parts: &[Part]) -> TokenStream {
    let writes = parts.iter().map(|part| {
        let n = ident(&part.rust_name);
        let wire = &part.wire_name;
        let write = match &part.kind {
            PartKind::File { content_type } => quote!(form.file(#wire, value, #content_type)?;),
            PartKind::Files { content_type } => quote!(form.files(#wire, value, #content_type)?;),
            PartKind::Text(TypeRef::Array(_)) => quote!(form.texts(#wire, value);),
            PartKind::Text(_) => quote!(form.text(#wire, value);),
            PartKind::Json(_) => quote!(form.json(#wire, value)?;),
        };
        if part_is_positional(body, part) {
            quote! { { let value = &self.#n; #write } }
        } else {
            quote! { if let Some(value) = &self.#n { #write } }
        }
    });
    let required = body.required;
    quote!({
        let mut form = crate::multipart::Multipart::new();
        #(#writes)*
        form.finish(#required)
    })
}

/// Whether a list item's value may hold a comma: numbers, uuids, dates and booleans never do.
fn may_hold_commas(item: &TypeRef) -> bool {
    !matches!(item, TypeRef::Scalar(s) if !matches!(s, Scalar::String | Scalar::Uri))
}

/// Checks of the documented ranges of everything the request sends, run before sending.
fn request_checks(op: &Operation, validated: &BTreeSet<crate::ir::Ident>) -> TokenStream {
    let mut out = TokenStream::new();
    let empty = quote!("");
    for p in op.path_params.iter().chain(&op.headers) {
        let id = ident(&p.rust_name);
        let value = quote!(value);
        let mut check = value_checks(&empty, &p.wire_name, &value, &p.ty, &p.constraints, validated);
        if let TypeRef::Array(item) = &p.ty
            && may_hold_commas(item)
        {
            let name = &p.wire_name;
            check.extend(quote!(crate::runtime::comma_free_items(#name, value)?;));
        }
        if check.is_empty() {
            continue;
        }
        out.extend(if p.required {
            quote! { { let value = &self.#id; #check } }
        } else {
            quote! { if let Some(value) = &self.#id { #check } }
        });
    }
    for q in op.query.iter().filter(|q| query_has_checks(q)) {
        let id = ident(&q.rust_name);
        let key = &q.wire_name;
        let check = match &q.node {
            QueryNode::Object { .. } | QueryNode::OneOf { .. } => quote!(value.validate(#key)?;),
            QueryNode::Leaf { ty, constraints, .. } => {
                value_checks(&empty, key, &quote!(value), ty, constraints, validated)
            }
        };
        out.extend(if q.required {
            quote! { { let value = &self.#id; #check } }
        } else {
            quote! { if let Some(value) = &self.#id { #check } }
        });
    }
    if let Some(body) = &op.body
        && let BodyContent::Multipart(parts) = &body.content
    {
        for part in parts {
            let (ty, constraints) = match &part.kind {
                PartKind::Text(ty) | PartKind::Json(ty) => (ty, &part.constraints),
                PartKind::File { .. } | PartKind::Files { .. } => continue,
            };
            let check = value_checks(&empty, &part.wire_name, &quote!(value), ty, constraints, validated);
            if check.is_empty() {
                continue;
            }
            let id = ident(&part.rust_name);
            out.extend(if part_is_positional(body, part) {
                quote! { { let value = &self.#id; #check } }
            } else {
                quote! { if let Some(value) = &self.#id { #check } }
            });
        }
    }
    if let Some((body, ty)) = op.body.as_ref().and_then(|b| Some((b, b.model()?))).filter(|(_, t)| refers(t, validated))
    {
        let check = value_checks(&empty, "", &quote!(value), ty, &Default::default(), validated);
        out.extend(if body.required {
            quote! { { let value = &self.body; #check } }
        } else {
            quote! { if let Some(value) = &self.body { #check } }
        });
    }
    out
}

/// `PageNumbered` for a paginated listing: how `pages()` reads and sets the page number.
/// Lowering has checked what this relies on (see `ir::Operation::pagination`); an IR that
/// says otherwise is a generator bug, reported as one.
fn page_numbered(op: &Operation) -> Result<TokenStream, String> {
    let Some(p) = &op.pagination else { return Ok(TokenStream::new()) };
    let bug = |what: &str| format!("`{}` is paginated but {what}", op.id);
    let Success::Page { item, meta } = &op.success else { return Err(bug("does not return a page")) };
    let Some((object, leaf)) = op.query_field(&p.number) else {
        return Err(bug("its page number is not a field of a query object"));
    };
    let QueryNode::Leaf { ty: TypeRef::Scalar(scalar @ (Scalar::I32 | Scalar::I64)), .. } = &leaf.node else {
        return Err(bug("its page number is not an integer leaf"));
    };
    let name = ident(&op.type_name);
    let object_id = ident(&object.rust_name);
    let leaf_id = ident(&leaf.rust_name);
    let (read, write) = match scalar {
        Scalar::I32 => (quote!(p.#leaf_id.map(i64::from)), quote!(Some(i32::try_from(number).unwrap_or(i32::MAX)))),
        _ => (quote!(p.#leaf_id), quote!(Some(number))),
    };
    let item = rust_type(item, Place::Elsewhere);
    let meta = rust_type(meta, Place::Elsewhere);
    Ok(quote! {
        impl crate::PageNumbered for #name {
            type Item = #item;
            type Meta = #meta;

            fn page_number(&self) -> Option<i64> {
                self.#object_id.as_ref().and_then(|p| #read)
            }

            fn set_page_number(&mut self, number: i64) {
                self.#object_id.get_or_insert_with(Default::default).#leaf_id = #write;
            }
        }
    })
}
