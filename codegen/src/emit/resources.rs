//! `src/resources/*.rs`: one module per resource with its handle, one request builder per
//! operation, and the structs of its query-parameter trees.
//!
//! Required parameters (path parameters, required query and header parameters, a required
//! body) are positional arguments of the resource method; optional ones are builder
//! setters; `.send().await` sends. A query object's leaves are written with their full
//! bracketed keys (`filter[date_created_at][gte]`), known when the code is generated.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, inner_doc_attrs, own_doc};
use std::collections::BTreeSet;

use super::validate::{query_has_checks, refers, value_checks};
use super::{Place, constraint_docs, ident, rust_type};
use crate::ir::{
    Api, Auth, Operation, Param, PathSegment, QueryNode, QueryParam, Resource, Scalar, Success, TypeRef, bracketed_key,
};
use crate::names::bare;

pub(super) fn mod_rs(api: &Api) -> TokenStream {
    let header =
        inner_doc_attrs(["One module per resource. Reach each through its accessor on [`Client`](crate::Client)."]);
    let mods = api.resources.iter().map(|r| {
        let m = ident(&r.module);
        let t = ident(&r.type_name);
        let doc = own_doc(&format!("Operations on {}.", r.label));
        quote! {
            #doc
            pub mod #m;
            pub use #m::#t;
        }
    });
    quote! {
        #header
        #(#mods)*
    }
}

pub(super) fn resource_rs(api: &Api, lib: &str, r: &Resource, validated: &BTreeSet<String>) -> TokenStream {
    let module_docs = inner_doc_attrs([Some(format!("{}.", r.label)), r.docs.clone()].into_iter().flatten());
    let handle = ident(&r.type_name);
    let accessor = ident(&r.module);
    let handle_doc = format!(
        "Operations on {}. Get one from [`Client::{}`](crate::Client::{}).",
        r.label,
        bare(&r.module),
        bare(&r.module)
    );
    let handle_doc = own_doc(&handle_doc);
    let accessor_doc = doc_attrs([Some(format!("{}.", r.label)), r.docs.clone()].into_iter().flatten());
    let methods = r.operations.iter().map(|op| resource_method(api, lib, r, op));
    let builders = r.operations.iter().map(|op| builder(r, op, validated));
    let query_types = r.operations.iter().flat_map(|op| op.query.iter()).map(query_types);
    quote! {
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

        #(#builders)*
        #(#query_types)*
    }
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
        out.push(Positional { store: quote!(#name.into()), ty: quote!(impl ::std::convert::Into<#ty>), name });
    }
    for q in op.query.iter().filter(|q| q.required) {
        let name = ident(&q.rust_name);
        let ty = query_value_type(q);
        out.push(Positional { store: quote!(#name.into()), ty: quote!(impl ::std::convert::Into<#ty>), name });
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let ty = rust_type(&body.ty, Place::Elsewhere);
        out.push(Positional { name: ident("body"), ty, store: TokenStream::new() });
    }
    out
}

fn resource_method(api: &Api, lib: &str, r: &Resource, op: &Operation) -> TokenStream {
    let mut docs = doc_attrs(operation_docs(op));
    docs.extend(own_doc("\n"));
    docs.extend(own_doc(&super::snippets::operation_example(api, lib, r, op)));
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let args = positionals(op);
    let params = args.iter().map(|a| {
        let (n, t) = (&a.name, &a.ty);
        quote!(#n: #t)
    });
    let inits = builder_fields(op).into_iter().map(|f| {
        let n = &f.name;
        match args.iter().find(|a| a.name == f.name) {
            // An empty `store` means the argument is stored as is (field shorthand).
            Some(a) if a.store.is_empty() => quote!(#n,),
            Some(a) => {
                let store = &a.store;
                quote!(#n: #store,)
            }
            None => quote!(#n: ::std::option::Option::None,),
        }
    });
    quote! {
        #docs
        pub fn #method(&self, #(#params),*) -> #builder {
            #builder {
                client: self.client.clone(),
                #(#inits)*
                request_options: ::std::default::Default::default(),
            }
        }
    }
}

/// A field of a request builder.
struct BuilderField {
    name: proc_macro2::Ident,
    /// Declared type (with `Option` when optional).
    ty: TokenStream,
    /// The setter, for optional fields.
    setter: Option<TokenStream>,
}

fn setter_for(name: &proc_macro2::Ident, value_ty: &TokenStream, docs: TokenStream) -> TokenStream {
    quote! {
        #docs
        pub fn #name(mut self, value: impl ::std::convert::Into<#value_ty>) -> Self {
            self.#name = ::std::option::Option::Some(value.into());
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
    let mut paras = vec![docs.cloned().unwrap_or_else(|| format!("Sets `{wire}`."))];
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
            let setter = setter_for(&name, &ty, param_docs(p.docs.as_ref(), &p.wire_name, &p.constraints, None));
            out.push(BuilderField { name, ty: quote!(::std::option::Option<#ty>), setter: Some(setter) });
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
                QueryNode::Object { .. } => (Default::default(), None),
            };
            let setter = setter_for(&name, &ty, param_docs(q.docs.as_ref(), &q.wire_name, &c, d.as_ref()));
            out.push(BuilderField { name, ty: quote!(::std::option::Option<#ty>), setter: Some(setter) });
        }
    }
    for h in &op.headers {
        simple(h, &mut out);
    }
    if let Some(body) = &op.body {
        let name = ident("body");
        let ty = rust_type(&body.ty, Place::Elsewhere);
        if body.required {
            out.push(BuilderField { name, ty, setter: None });
        } else {
            let docs = doc_attrs([body.docs.clone().unwrap_or_else(|| "The request body.".into())]);
            let setter = setter_for(&name, &ty, docs);
            out.push(BuilderField { name, ty: quote!(::std::option::Option<#ty>), setter: Some(setter) });
        }
    }
    out
}

/// The Rust type of a top-level query parameter.
fn query_value_type(q: &QueryParam) -> TokenStream {
    match &q.node {
        QueryNode::Leaf { ty, .. } => rust_type(ty, Place::Elsewhere),
        QueryNode::Object { type_name, .. } => {
            let t = ident(type_name);
            quote!(#t)
        }
    }
}

fn success_type(s: &Success) -> TokenStream {
    match s {
        Success::Empty => quote!(()),
        Success::Plain(t) | Success::Data(t) => rust_type(t, Place::Elsewhere),
        Success::Page { item, meta } => {
            let item = rust_type(item, Place::Elsewhere);
            let meta = rust_type(meta, Place::Elsewhere);
            quote!(crate::Page<#item, #meta>)
        }
    }
}

fn builder(r: &Resource, op: &Operation, validated: &BTreeSet<String>) -> TokenStream {
    let name = ident(&op.builder_name);
    let fields = builder_fields(op);
    let decls = fields.iter().map(|f| {
        let (n, t) = (&f.name, &f.ty);
        quote!(#n: #t,)
    });
    let setters = fields.iter().filter_map(|f| f.setter.clone());
    let doc = format!(
        "Request builder for [`{}::{}`]: set optional parameters, then [`send`](Self::send) it.",
        r.type_name,
        bare(&op.method_name)
    );
    let send = send_fn(op, validated);
    let pages = pagination_fns(op);
    let doc = own_doc(&doc);
    quote! {
        #doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent with `.send().await`"]
        pub struct #name {
            client: crate::Client,
            #(#decls)*
            request_options: crate::RequestOptions,
        }

        impl #name {
            #(#setters)*

            /// Overrides the client's timeout and retry policy for this request.
            pub fn request_options(mut self, options: crate::RequestOptions) -> Self {
                self.request_options = options;
                self
            }

            #send
            #pages
        }
    }
}

fn send_fn(op: &Operation, validated: &BTreeSet<String>) -> TokenStream {
    let mut docs = format!("Sends the request: `{} {}`.", op.method.as_str(), op.path);
    let errors: Vec<String> = op
        .responses
        .iter()
        .filter(|r| !r.status.is_success())
        .map(|r| match r.status {
            crate::ir::StatusSpec::Code(c) => format!("- `{c}`: {}", error_variant(c)),
            crate::ir::StatusSpec::Range(d) => format!("- `{d}XX`: the variant of the status class"),
            crate::ir::StatusSpec::Default => "- any other status: the variant of its status class".to_string(),
        })
        .collect();
    if !errors.is_empty() {
        docs.push_str(&format!(
            "\n\n# Errors\n\nThe documented error responses:\n\n{}\n\nand \
             [`Error::Timeout`](crate::Error::Timeout), [`Error::Connection`](crate::Error::Connection), \
             [`Error::Decode`](crate::Error::Decode) or [`Error::InvalidRequest`](crate::Error::InvalidRequest) \
             when the call itself fails.",
            errors.join("\n")
        ));
    }
    let docs = own_doc(&docs);
    let ret = success_type(&op.success);
    let checks = request_checks(op, validated);

    // Path: literal segments as they are, parameters through `ParamValue`.
    let segments: Vec<TokenStream> = op
        .segments
        .iter()
        .map(|s| match s {
            PathSegment::Literal(text) => quote!(::std::borrow::Cow::Borrowed(#text)),
            PathSegment::Param(i) => {
                let p = op.path_params.get(*i).map(|p| ident(&p.rust_name)).unwrap_or_else(|| ident("missing"));
                quote!(crate::runtime::ParamValue::param_value(&self.#p))
            }
        })
        .collect();

    let query_writes = op.query.iter().map(|q| {
        let n = ident(&q.rust_name);
        let key = &q.wire_name;
        let write = match &q.node {
            QueryNode::Object { .. } => quote!(value.write_query(&mut query);),
            QueryNode::Leaf { ty: TypeRef::Array(_), .. } => quote!(query.push_each(#key, value);),
            QueryNode::Leaf { .. } => quote!(query.push(#key, value);),
        };
        if q.required {
            quote! { { let value = &self.#n; #write } }
        } else {
            quote! { if let ::std::option::Option::Some(value) = &self.#n { #write } }
        }
    });
    let header_writes = op.headers.iter().map(|h| {
        let n = ident(&h.rust_name);
        let key = &h.wire_name;
        let push = quote!(headers.push((#key, crate::runtime::ParamValue::param_value(value).into_owned())););
        if h.required {
            quote! { { let value = &self.#n; #push } }
        } else {
            quote! { if let ::std::option::Option::Some(value) = &self.#n { #push } }
        }
    });
    let query_mut = if op.query.is_empty() { quote!() } else { quote!(mut) };
    let headers_mut = if op.headers.is_empty() { quote!() } else { quote!(mut) };
    let body = match &op.body {
        None => quote!(::std::option::Option::None),
        Some(b) => {
            let serialize = quote! {
                ::serde_json::to_vec(value)
                    .map_err(|e| crate::Error::invalid("body", ::std::format!("cannot be serialized: {e}")))?
            };
            if b.required {
                quote!({ let value = &self.body; ::std::option::Option::Some(#serialize) })
            } else {
                quote!(match &self.body {
                    ::std::option::Option::Some(value) => ::std::option::Option::Some(#serialize),
                    ::std::option::Option::None => ::std::option::Option::None,
                })
            }
        }
    };
    let method = quote::format_ident!("{}", op.method.as_str());
    let operation = &op.id;
    let auth = op.auth != Auth::None;
    let decode = match &op.success {
        Success::Empty => quote!(()),
        Success::Plain(_) | Success::Page { .. } => quote!(crate::runtime::decode(response.status, &response.body)?),
        Success::Data(t) => {
            let t = rust_type(t, Place::Elsewhere);
            quote!(crate::runtime::decode::<crate::runtime::Data<#t>>(response.status, &response.body)?.data)
        }
    };
    let path_template = &op.path;
    let auth_error = if auth {
        " [`Error::Config`](crate::Error::Config) when the client was built without an API key;"
    } else {
        ""
    };
    let build_docs = own_doc(&format!(
        "The HTTP request [`send`](Self::send) makes first, without sending it: the URL with its \
         encoded path and query, the headers (the API key's marked sensitive) and the JSON body. \
         For logging, inspecting or signing a request; send it with your own `reqwest::Client` \
         if you like (without this client's retries).\n\n\
         # Errors\n\n\
         [`Error::InvalidRequest`](crate::Error::InvalidRequest) when a value is outside its \
         documented range or cannot be sent;{auth_error} nothing is sent in either case."
    ));
    quote! {
        #docs
        pub async fn send(self) -> ::std::result::Result<#ret, crate::Error> {
            self.send_with_response().await.map(crate::ApiResponse::into_value)
        }

        /// Sends the request like [`send`](Self::send), and returns the decoded value with
        /// the response's status, headers and request id.
        pub async fn send_with_response(self) -> ::std::result::Result<crate::ApiResponse<#ret>, crate::Error> {
            let response = self.client.execute(self.request_parts()?).await?;
            let value = #decode;
            ::std::result::Result::Ok(response.with(value))
        }

        #build_docs
        pub fn build_request(&self) -> ::std::result::Result<::reqwest::Request, crate::Error> {
            self.client.prepare(&self.request_parts()?)
        }

        /// Checks the values and collects what the request is made of.
        fn request_parts(&self) -> ::std::result::Result<crate::client::Request<'_>, crate::Error> {
            #checks
            let #query_mut query = crate::runtime::QueryWriter::new();
            #(#query_writes)*
            let #headers_mut headers: ::std::vec::Vec<(&'static str, ::std::string::String)> = ::std::vec::Vec::new();
            #(#header_writes)*
            ::std::result::Result::Ok(crate::client::Request {
                operation: #operation,
                method: ::reqwest::Method::#method,
                path_template: #path_template,
                path: ::std::vec::Vec::from([#(#segments),*]),
                query: query.finish(),
                auth: #auth,
                headers,
                body: #body,
                options: &self.request_options,
            })
        }
    }
}

/// The `Error` variant a status becomes, as a doc link.
fn error_variant(status: u16) -> String {
    let v = match status {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        422 => "UnprocessableEntity",
        429 => "RateLimited",
        500..=599 => "Server",
        _ => "Status",
    };
    format!("[`Error::{v}`](crate::Error::{v})")
}

/// Checks of the documented ranges of everything the request sends, run before sending.
fn request_checks(op: &Operation, validated: &BTreeSet<String>) -> TokenStream {
    let mut out = TokenStream::new();
    let empty = quote!("");
    for p in op.path_params.iter().chain(&op.headers) {
        let id = ident(&p.rust_name);
        let value = quote!(value);
        let check = value_checks(&empty, &p.wire_name, &value, &p.ty, &p.constraints, validated);
        if check.is_empty() {
            continue;
        }
        out.extend(if p.required {
            quote! { { let value = &self.#id; #check } }
        } else {
            quote! { if let ::std::option::Option::Some(value) = &self.#id { #check } }
        });
    }
    for q in op.query.iter().filter(|q| query_has_checks(q)) {
        let id = ident(&q.rust_name);
        let check = match &q.node {
            QueryNode::Object { .. } => quote!(value.validate()?;),
            QueryNode::Leaf { ty, constraints, .. } => {
                value_checks(&empty, &q.wire_name, &quote!(value), ty, constraints, validated)
            }
        };
        out.extend(if q.required {
            quote! { { let value = &self.#id; #check } }
        } else {
            quote! { if let ::std::option::Option::Some(value) = &self.#id { #check } }
        });
    }
    if let Some(body) = op.body.as_ref().filter(|b| refers(&b.ty, validated)) {
        let check = value_checks(&empty, "", &quote!(value), &body.ty, &Default::default(), validated);
        out.extend(if body.required {
            quote! { { let value = &self.body; #check } }
        } else {
            quote! { if let ::std::option::Option::Some(value) = &self.body { #check } }
        });
    }
    out
}

/// `pages` and `items` for a page-number paginated listing.
fn pagination_fns(op: &Operation) -> TokenStream {
    let (Some(p), Success::Page { item, meta }) = (&op.pagination, &op.success) else { return TokenStream::new() };
    let [object, leaf] = p.number.as_slice() else { return TokenStream::new() };
    let Some(param) = op.query.iter().find(|q| &q.rust_name == object) else { return TokenStream::new() };
    let QueryNode::Object { fields, .. } = &param.node else { return TokenStream::new() };
    let Some(number) = fields.iter().find(|f| &f.rust_name == leaf) else { return TokenStream::new() };
    // The page object is rebuilt for every page, so it must be optional with a default.
    if param.required || fields.iter().any(|f| f.required) {
        return TokenStream::new();
    }
    let QueryNode::Leaf { ty: TypeRef::Scalar(scalar), .. } = &number.node else { return TokenStream::new() };
    let object_id = ident(object);
    let leaf_id = ident(leaf);
    let (read, write) = match scalar {
        Scalar::I64 => (quote!(p.#leaf_id), quote!(::std::option::Option::Some(number))),
        Scalar::I32 => (
            quote!(p.#leaf_id.map(i64::from)),
            quote!(::std::option::Option::Some(i32::try_from(number).unwrap_or(i32::MAX))),
        ),
        _ => return TokenStream::new(),
    };
    let item = rust_type(item, Place::Elsewhere);
    let meta = rust_type(meta, Place::Elsewhere);
    let key = bracketed_key(&[param.wire_name.clone(), number.wire_name.clone()]);
    let pages_doc = own_doc(&format!(
        "Every page of the listing, fetched lazily from this request's page on (page 1 unless \
         `{key}` is set), keeping its filters and page size; see [`Pages`](crate::Pages) for when \
         it stops."
    ));
    quote! {
        #pages_doc
        pub fn pages(self) -> crate::Pages<#item, #meta> {
            let first = self.#object_id.as_ref().and_then(|p| #read).unwrap_or(1);
            crate::Pages::new(first, move |number| {
                let mut request = self.clone();
                let mut page = request.#object_id.take().unwrap_or_default();
                page.#leaf_id = #write;
                request.#object_id = ::std::option::Option::Some(page);
                request.send()
            })
        }

        /// Every item of the listing, page after page, fetched lazily (see [`pages`](Self::pages)).
        pub fn items(self) -> crate::Items<#item, #meta> {
            self.pages().items()
        }
    }
}

/// The structs of one top-level query parameter's tree (nothing for a leaf).
fn query_types(q: &QueryParam) -> TokenStream {
    let mut out = TokenStream::new();
    object_types(q, std::slice::from_ref(&q.wire_name), &mut out);
    out
}

fn object_types(q: &QueryParam, key_path: &[String], out: &mut TokenStream) {
    let QueryNode::Object { type_name, fields } = &q.node else { return };
    let name = ident(type_name);
    let docs =
        doc_attrs([q.docs.clone().unwrap_or_else(|| format!("The `{}` query parameters.", bracketed_key(key_path)))]);
    let decls = fields.iter().map(|f| {
        let n = ident(&f.rust_name);
        let ty = query_value_type(f);
        let docs = query_field_docs(f, key_path);
        if f.required {
            quote! { #docs pub #n: #ty, }
        } else {
            quote! { #docs pub #n: ::std::option::Option<#ty>, }
        }
    });
    let required: Vec<&QueryParam> = fields.iter().filter(|f| f.required).collect();
    let derive_default = required.is_empty();
    let derives = if derive_default {
        quote!(#[derive(Debug, Clone, Default, PartialEq)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    let new_args = required.iter().map(|f| {
        let n = ident(&f.rust_name);
        let ty = query_value_type(f);
        quote!(#n: impl ::std::convert::Into<#ty>)
    });
    let inits = fields.iter().map(|f| {
        let n = ident(&f.rust_name);
        if f.required { quote!(#n: #n.into(),) } else { quote!(#n: ::std::option::Option::None,) }
    });
    let new_doc = own_doc(if required.is_empty() {
        "Every parameter unset."
    } else {
        "The required parameters given here; the others unset."
    });
    let setters = fields.iter().filter(|f| !f.required && f.rust_name != "new").map(|f| {
        let n = ident(&f.rust_name);
        let ty = query_value_type(f);
        setter_for(&n, &ty, query_field_docs(f, key_path))
    });
    let validate = query_validate_fn(q, key_path);
    let writes = fields.iter().map(|f| {
        let n = ident(&f.rust_name);
        let key = bracketed_key(&child(key_path, f));
        let write = match &f.node {
            QueryNode::Object { .. } => quote!(value.write_query(query);),
            QueryNode::Leaf { .. } => quote!(query.push(#key, value);),
        };
        if f.required {
            quote! { { let value = &self.#n; #write } }
        } else {
            quote! { if let ::std::option::Option::Some(value) = &self.#n { #write } }
        }
    });
    out.extend(quote! {
        #docs
        #derives
        #[non_exhaustive]
        pub struct #name {
            #(#decls)*
        }

        impl #name {
            #new_doc
            pub fn new(#(#new_args),*) -> Self {
                Self { #(#inits)* }
            }

            #(#setters)*

            /// Appends the parameters that are set, with their bracketed keys.
            pub(crate) fn write_query(&self, query: &mut crate::runtime::QueryWriter) {
                #(#writes)*
            }

            #validate
        }
    });
    for f in fields {
        object_types(f, &child(key_path, f), out);
    }
}

/// `validate` for a query object with documented ranges below it; fields are named by their
/// bracketed keys (`page[size]`).
fn query_validate_fn(q: &QueryParam, key_path: &[String]) -> TokenStream {
    let QueryNode::Object { fields, .. } = &q.node else { return TokenStream::new() };
    if !query_has_checks(q) {
        return TokenStream::new();
    }
    let checks = fields.iter().filter(|f| query_has_checks(f)).map(|f| {
        let n = ident(&f.rust_name);
        let check = match &f.node {
            QueryNode::Object { .. } => quote!(value.validate()?;),
            QueryNode::Leaf { ty, constraints, .. } => {
                let key = bracketed_key(&child(key_path, f));
                value_checks(&quote!(""), &key, &quote!(value), ty, constraints, &BTreeSet::new())
            }
        };
        if f.required {
            quote! { { let value = &self.#n; #check } }
        } else {
            quote! { if let ::std::option::Option::Some(value) = &self.#n { #check } }
        }
    });
    quote! {
        /// Checks the documented ranges of the parameters that are set.
        pub(crate) fn validate(&self) -> ::std::result::Result<(), crate::Error> {
            #(#checks)*
            ::std::result::Result::Ok(())
        }
    }
}

/// Docs for a query object's field and its setter: the spec's text, the documented range
/// and default, and the key it is sent under.
fn query_field_docs(f: &QueryParam, key_path: &[String]) -> TokenStream {
    let mut paras: Vec<String> = f.docs.iter().cloned().collect();
    if let QueryNode::Leaf { constraints, default, .. } = &f.node {
        paras.extend(constraint_docs(constraints, default.as_ref()));
    }
    let key = bracketed_key(&child(key_path, f));
    let sent = match &f.node {
        QueryNode::Leaf { .. } => format!("Sent as `{key}`."),
        QueryNode::Object { .. } => format!("Sent as `{key}[...]`."),
    };
    let mut out = doc_attrs(paras.iter().map(String::as_str).chain([""]));
    if !paras.is_empty() {
        out.extend(own_doc("\n"));
    }
    out.extend(own_doc(&sent));
    out
}

fn child(path: &[String], f: &QueryParam) -> Vec<String> {
    let mut p = path.to_vec();
    p.push(f.wire_name.clone());
    p
}
