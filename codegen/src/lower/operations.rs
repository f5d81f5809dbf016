//! Operations: grouping into resources, method names, bodies, responses, envelopes,
//! pagination and auth.
//!
//! Method names come from the path's shape, so they read like Rust whatever the
//! operationIds say: `GET /rooms` → `list`, `POST /rooms` → `create`, `GET /rooms/{id}` →
//! `retrieve`, `PATCH` → `update`, `DELETE /rooms/{id}` → `delete`, `DELETE /rooms` →
//! `delete_many`, `GET /rooms/{id}/sessions` → `list_sessions`, `POST
//! /sessions/{id}/actions/end` → `end`. Operations whose shape gives no name, or whose names
//! collide inside a resource, use their operationId in snake_case.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{MediaType, Operation as OaOperation, Parameter, PathItem, ReferenceOr, SecurityScheme, StatusCode};

use super::Lowerer;
use super::examples::Target;
use super::media;
use super::params::{Declared, ParamNaming};
use crate::diag::push_pointer;
use crate::ir::{
    Auth, AuthKind, AuthScheme, BodyContent, Docs, Envelope, HttpMethod, Operation, Pagination, Part, PartKind,
    PathPart, PathSegment, QueryNode, QueryParam, RawMedia, RequestBody, Resource, Response, Scalar, StatusSpec,
    StatusVariant, Success, TypeKind, TypeRef,
};
use crate::names::{self, Ident, Scope};
use crate::runtime_api;

/// The text of a literal path segment as written in a path template (RFC 3986 `pchar`s:
/// unreserved, sub-delims, `:`, `@` and `%XX` escapes), decoded, since the client encodes
/// segments when it sends them. Anything else (`?`, `#`, spaces, `.` or `..` alone) would
/// change the URL's meaning or the route.
fn literal_segment(seg: &str) -> Result<String, String> {
    if seg == "." || seg == ".." {
        return Err("is a dot segment, which URLs remove".to_string());
    }
    literal_text(seg)
}

/// The text of a path template's literal part: as [`literal_segment`], but a `.` or `..`
/// beside a parameter (`{name}.{ext}`) is text like any other.
fn literal_text(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                Some(v) => out.push(v),
                None => return Err("has a `%` that does not start a `%XX` escape".to_string()),
            }
            i += 3;
            continue;
        }
        let pchar = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b);
        if !pchar {
            let c = text.get(i..).and_then(|rest| rest.chars().next()).unwrap_or('?');
            return Err(format!(
                "has `{}`, which has another meaning in a URL or must be percent-encoded",
                c.escape_default()
            ));
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8(out).map_err(|_| "decodes to text that is not UTF-8".to_string())
}

/// A part of one segment of a path template.
#[derive(Debug, PartialEq)]
enum TemplatePart<'p> {
    /// Literal text, decoded.
    Text(String),
    /// A parameter, by the name between its braces.
    Param(&'p str),
}

/// One segment of a path template (the text between two `/`) as its literal text and its
/// `{name}` expressions, in order: `{sid}.json` → `sid`, `.json`; `{name}.{ext}` → `name`,
/// `.`, `ext`. A brace without its partner, braces inside braces and a parameter without a
/// name make no template.
fn template_parts(seg: &str) -> Result<Vec<TemplatePart<'_>>, String> {
    let mut parts = Vec::new();
    let mut rest = seg;
    while !rest.is_empty() {
        let (open, close) = (rest.find('{'), rest.find('}'));
        let Some(open) = open else {
            if close.is_some() {
                return Err("has a `}` without a `{` before it".to_string());
            }
            parts.push(TemplatePart::Text(literal_text(rest)?));
            break;
        };
        if close.is_some_and(|close| close < open) {
            return Err("has a `}` without a `{` before it".to_string());
        }
        let (text, expression) = rest.split_at_checked(open).unwrap_or((rest, ""));
        let Some((name, tail)) = expression.strip_prefix('{').and_then(|e| e.split_once('}')) else {
            return Err("has a `{` without its `}`".to_string());
        };
        if name.contains('{') {
            return Err("has a `{` inside a parameter's braces".to_string());
        }
        if name.is_empty() {
            return Err("has `{}`, a parameter without a name".to_string());
        }
        if !text.is_empty() {
            parts.push(TemplatePart::Text(literal_text(text)?));
        }
        parts.push(TemplatePart::Param(name));
        rest = tail;
    }
    Ok(parts)
}

/// The names of the parameters a path template names, in order, each once (segments that
/// are no template are left to [`Lowerer::path_segments`] to report).
/// A body of `content` as `body` describes it, without examples and with its media type's
/// own `Content-Type` (raw, text and multipart bodies carry theirs in `content`).
fn plain_body(content: BodyContent, body: &openapiv3::RequestBody) -> RequestBody {
    RequestBody {
        content,
        required: body.required,
        docs: super::prose(body.description.as_ref()),
        examples: Vec::new(),
        content_type: None,
    }
}

fn template_params(path: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for parts in path.split('/').filter_map(|seg| template_parts(seg).ok()) {
        for part in parts {
            if let TemplatePart::Param(name) = part
                && !out.contains(&name)
            {
                out.push(name);
            }
        }
    }
    out
}

/// The id of an operation the document gives none of its own: the method, then the path's
/// words, each parameter as `by` and its name, in lowerCamelCase (`GET /invoices/{id}` →
/// `getInvoicesById`, `GET /files/{name}.{ext}` → `getFilesByNameByExt`).
fn derived_id(method: HttpMethod, path: &str) -> String {
    let mut words: Vec<String> = vec![method.as_str().to_ascii_lowercase()];
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        match template_parts(seg) {
            Ok(parts) => {
                for part in parts {
                    match part {
                        TemplatePart::Text(text) => words.push(text),
                        TemplatePart::Param(name) => words.extend(["by".to_string(), name.to_string()]),
                    }
                }
            }
            Err(_) => words.push(seg.to_string()),
        }
    }
    names::operation_id(&words)
}

/// `id`, or, when the document or an earlier derived id has it, `id` with the smallest
/// number from 2 that makes it free (`getInvoices2`); recorded in `taken`.
fn unique_id(id: String, taken: &mut BTreeSet<String>) -> String {
    let mut candidate = id.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{id}{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// The resource an untagged operation belongs to: the first path segment's literal text
/// before any parameter (`/invoices/{id}` → `invoices`, `/thumbnail.{ext}` → `thumbnail`),
/// `default` when no segment starts with text.
fn path_resource(path: &str) -> String {
    path.split('/')
        .map(|seg| match seg.split_once('{') {
            Some((text, _)) => text.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()),
            None => seg,
        })
        .find(|text| !text.is_empty())
        .map_or_else(|| "default".to_string(), str::to_string)
}

/// The path parameter assumed for a name a path template has and no parameter list
/// declares: required, a string (as any template's text is), without docs.
fn assumed_path_param(name: &str) -> Parameter {
    use openapiv3::{ParameterData, ParameterSchemaOrContent, PathStyle, Schema, SchemaData, SchemaKind, Type};
    let schema =
        Schema { schema_data: SchemaData::default(), schema_kind: SchemaKind::Type(Type::String(Default::default())) };
    Parameter::Path {
        parameter_data: ParameterData {
            name: name.to_string(),
            description: None,
            required: true,
            deprecated: None,
            format: ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)),
            example: None,
            examples: Default::default(),
            explode: None,
            extensions: Default::default(),
        },
        style: PathStyle::Simple,
    }
}

/// The reason phrase of a success status, which names its variant when an operation's
/// success statuses have different bodies (RFC 9110's phrases; `Status207` beyond them).
fn status_reason(status: StatusSpec) -> &'static str {
    match status {
        StatusSpec::Code(200) => "ok",
        StatusSpec::Code(201) => "created",
        StatusSpec::Code(202) => "accepted",
        StatusSpec::Code(203) => "non authoritative information",
        StatusSpec::Code(204) => "no content",
        StatusSpec::Code(205) => "reset content",
        StatusSpec::Code(206) => "partial content",
        StatusSpec::Code(207) => "multi status",
        StatusSpec::Code(208) => "already reported",
        StatusSpec::Code(226) => "im used",
        StatusSpec::Range(_) => "other success",
        StatusSpec::Code(_) | StatusSpec::Default => "status",
    }
}

/// One operation as found in `paths`, before lowering.
struct Found<'a> {
    path: &'a str,
    method: HttpMethod,
    op: &'a OaOperation,
    item: &'a PathItem,
    /// The `operationId`, or the id made for an operation without one of its own.
    id: String,
    pointer: String,
    /// Pointer of the path item (`#/paths/~1rooms`).
    item_pointer: String,
    resource: String,
}

impl<'a> Lowerer<'a> {
    /// The bearer schemes declared in `components.securitySchemes`.
    pub(super) fn auth_schemes(&mut self) -> Vec<AuthScheme> {
        let mut out = Vec::new();
        let Some(components) = self.spec.doc.components.as_ref() else { return out };
        // Variable names (after the crate's prefix): bearer schemes share `API_KEY`; the
        // others are named after the scheme, never after another variable of the client.
        let mut taken: BTreeSet<String> = ["API_KEY", "BASE_URL"].into_iter().map(String::from).collect();
        for (name, scheme) in &components.security_schemes {
            // Unsupported schemes are reported where an operation uses them; unused ones
            // are harmless.
            let ReferenceOr::Item(scheme) = scheme else { continue };
            let Some(kind) = scheme_kind(scheme) else { continue };
            let description = match scheme {
                SecurityScheme::APIKey { description, .. }
                | SecurityScheme::HTTP { description, .. }
                | SecurityScheme::OAuth2 { description, .. }
                | SecurityScheme::OpenIDConnect { description, .. } => description,
            };
            let env = if kind == AuthKind::Bearer {
                "API_KEY".to_string()
            } else {
                let base = names::env_prefix(name);
                let base = if base.is_empty() { "CREDENTIAL".to_string() } else { base };
                let mut env = base.clone();
                let mut n = 2;
                while taken.contains(&env) {
                    env = format!("{base}_{n}");
                    n += 1;
                }
                taken.insert(env.clone());
                env
            };
            out.push(AuthScheme { name: name.clone(), kind, env, docs: super::prose(description.as_ref()) });
        }
        out
    }

    pub(super) fn lower_operations(&mut self) -> Vec<Resource> {
        let before = self.diagnostics.len();
        let found = self.find_operations();
        // An operation that cannot be told apart (no or a duplicate `operationId`) is left
        // out by `find_operations`; with `skip_unsupported` that is a warning.
        if self.skip_unsupported {
            super::skip::demote_since(&mut self.diagnostics, before);
        }
        // Group by resource in order of first appearance.
        let mut order: Vec<String> = Vec::new();
        let mut groups: BTreeMap<String, Vec<Found<'a>>> = BTreeMap::new();
        for f in found {
            if !groups.contains_key(&f.resource) {
                order.push(f.resource.clone());
            }
            groups.entry(f.resource.clone()).or_default().push(f);
        }
        // Resource accessors are methods of the runtime's `Client` (which also derives `Clone`).
        let mut client_scope = Scope::with_reserved(runtime_api::CLIENT_METHODS);
        client_scope.reserve("clone");
        // `resources/mod.rs` is the module index: no resource's file may take its name.
        let mut module_names = Scope::with_reserved(&["mod", "r#mod"]);
        // Resource handles and operation types: unique in the crate, so docs and imports
        // never need the module to tell them apart.
        let mut type_scope = Scope::with_reserved(names::PRELUDE);
        let mut resources = Vec::new();
        for label in order {
            let Some(ops) = groups.remove(&label) else { continue };
            let module_base = names::value_name(&label, "resource");
            let module = module_names.unique(client_scope.unique(module_base.clone()));
            if module != module_base
                && let Some(first) = ops.first()
            {
                let at = match first.op.tags.first() {
                    Some(_) => push_pointer(&first.pointer, "tags"),
                    None => first.item_pointer.clone(),
                };
                self.warning(
                    &at,
                    format!(
                        "resource `{label}` is `client.{}()` in Rust: `{}` is taken by the client's own methods or another resource",
                        module.bare(),
                        module_base.bare()
                    ),
                    Some("rename the tag (or the path segment) so the name is chosen, not numbered".into()),
                );
            }
            let type_name = type_scope.unique(names::type_name(&label, "Resource"));
            let method_names = self.method_names(&ops);
            let mut operations = Vec::new();
            for (f, method_name) in ops.iter().zip(method_names) {
                let before = self.diagnostics.len();
                let op = self.lower_operation(f, method_name, &mut type_scope);
                if self.skip_unsupported && super::skip::demote_since(&mut self.diagnostics, before) {
                    let id = &f.id;
                    self.warning(
                        &f.pointer,
                        format!("left out operation `{id}` ({} {}): see the problems above", f.method.as_str(), f.path),
                        None,
                    );
                    continue;
                }
                operations.extend(op);
            }
            let docs =
                self.spec.doc.tags.iter().find(|t| t.name == label).and_then(|t| super::prose(t.description.as_ref()));
            resources.push(Resource { module, type_name, label, docs, operations, feature: None });
        }
        resources
    }

    /// How many operations the document's path items hold.
    pub(super) fn count_operations(&self) -> usize {
        self.spec
            .doc
            .paths
            .paths
            .values()
            .filter_map(|item| match item {
                ReferenceOr::Item(item) => Some(item.iter().count()),
                ReferenceOr::Reference { .. } => None,
            })
            .sum()
    }

    /// Every operation of the document, with its id: its `operationId`, or, for one without
    /// (legal) or with another's (a mistake), an id made from its method and path
    /// ([`derived_id`]) that no operation of the document has.
    fn find_operations(&mut self) -> Vec<Found<'a>> {
        let mut found = Vec::new();
        // Every id the document gives, so a derived id takes none of them.
        let mut taken: BTreeSet<String> = BTreeSet::new();
        for item in self.spec.doc.paths.paths.values() {
            if let ReferenceOr::Item(item) = item {
                taken.extend(item.iter().filter_map(|(_, op)| op.operation_id.clone()));
            }
        }
        // The operation that first used each id: where the mistake of a duplicate points.
        let mut first_use: BTreeMap<String, (String, String)> = BTreeMap::new();
        for (path, item) in &self.spec.doc.paths.paths {
            let at = push_pointer("#/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.unsupported(
                        &push_pointer(&at, "$ref"),
                        "path items given by `$ref`",
                        Some("write the path item inline"),
                    );
                    continue;
                }
            };
            let methods = [
                (HttpMethod::Get, &item.get, "get"),
                (HttpMethod::Put, &item.put, "put"),
                (HttpMethod::Post, &item.post, "post"),
                (HttpMethod::Delete, &item.delete, "delete"),
                (HttpMethod::Options, &item.options, "options"),
                (HttpMethod::Head, &item.head, "head"),
                (HttpMethod::Patch, &item.patch, "patch"),
                (HttpMethod::Trace, &item.trace, "trace"),
            ];
            for (method, op, key) in methods {
                let Some(op) = op else { continue };
                let pointer = push_pointer(&at, key);
                let route = format!("{} {path}", method.as_str());
                let id = match &op.operation_id {
                    Some(id) if !first_use.contains_key(id) => {
                        first_use.insert(id.clone(), (route, pointer.clone()));
                        id.clone()
                    }
                    given => {
                        let id = unique_id(derived_id(method, path), &mut taken);
                        let hint = Some(
                            "an id made from the method and the path is the method, then the path's words with each parameter as `by` and its name, in lowerCamelCase, numbered from 2 when another operation has it; \
                             an `operationId` of the operation's own names its parameters type (and its method, where the path's shape gives none)"
                                .to_string(),
                        );
                        match given.as_ref().and_then(|given| first_use.get(given).map(|first| (given, first))) {
                            Some((given, (first_route, first_at))) => self.mistake(
                                &push_pointer(&pointer, "operationId"),
                                &format!(
                                    "operationId `{given}` of {route} is already that of {first_route} (at {first_at})"
                                ),
                                &format!("`{id}`, made from the method and the path"),
                                hint,
                            ),
                            None => self.warning(
                                &pointer,
                                format!("{route} has no operationId; it is `{id}`, made from the method and the path"),
                                hint,
                            ),
                        }
                        id
                    }
                };
                let resource = op.tags.first().cloned().unwrap_or_else(|| path_resource(path));
                found.push(Found { path, method, op, item, id, pointer, item_pointer: at.clone(), resource });
            }
        }
        found
    }

    /// Method names for one resource's operations, in order.
    fn method_names(&mut self, ops: &[Found<'a>]) -> Vec<Ident> {
        let shaped: Vec<Option<String>> = ops.iter().map(|f| shape_name(f.method, f.path)).collect();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for n in shaped.iter().flatten() {
            *counts.entry(n.as_str()).or_default() += 1;
        }
        let mut scope = Scope::default();
        let mut out = Vec::new();
        for (f, shaped) in ops.iter().zip(&shaped) {
            let id = f.id.clone();
            let chosen = self.chosen_name(&f.op.extensions, &f.pointer, names::NameKind::Value);
            let base = match shaped {
                _ if chosen.is_some() => chosen.clone().unwrap_or_else(|| names::value_name(&id, "call")),
                Some(n) if counts.get(n.as_str()).copied() == Some(1) && !contradicts(n, &id) => {
                    names::value_name(n, "call")
                }
                _ => names::value_name(&id, "call"),
            };
            let name = scope.unique(base.clone());
            if name != base {
                self.warning(
                    &push_pointer(&f.pointer, "operationId"),
                    format!("method name `{base}` is taken in this resource; using `{name}`"),
                    Some("rename the operationId".into()),
                );
            }
            out.push(name);
        }
        out
    }

    fn lower_operation(&mut self, f: &Found<'a>, method_name: Ident, type_scope: &mut Scope) -> Option<Operation> {
        let id = f.id.clone();
        let op_pascal = names::type_name(&id, "Operation");
        // A model of the same name (a schema `ListResponses` beside `listResponses`) would
        // make docs and imports ambiguous: the operation's type says it is the request.
        let base = if self.type_scope.contains(op_pascal.as_str()) {
            names::type_name_after(&op_pascal, "request")
        } else {
            op_pascal.clone()
        };
        let type_name = type_scope.unique(base);

        // Merge path-level parameters with the operation's (the operation's win).
        let mut params: Vec<Declared<'a>> = Vec::new();
        let mut ok = true;
        let component = |p: &ReferenceOr<Parameter>, resolved: &str| match p {
            ReferenceOr::Reference { .. } => {
                resolved.strip_prefix("#/components/parameters/").map(crate::diag::unescape_pointer)
            }
            ReferenceOr::Item(_) => None,
        };
        for (i, p) in f.op.parameters.iter().enumerate() {
            let at = push_pointer(&push_pointer(&f.pointer, "parameters"), &i.to_string());
            match self.resolve_param(p, &at) {
                Some((param, resolved)) => {
                    params.push(Declared { param, component: component(p, &resolved), at, pointer: resolved })
                }
                None => ok = false,
            }
        }
        for (i, p) in f.item.parameters.iter().enumerate() {
            let at = push_pointer(&push_pointer(&f.item_pointer, "parameters"), &i.to_string());
            match self.resolve_param(p, &at) {
                Some((param, resolved)) => {
                    let key = |x: &Parameter| (x.parameter_data_ref().name.clone(), std::mem::discriminant(x));
                    if !params.iter().any(|q| key(q.param) == key(param)) {
                        params.push(Declared { param, component: component(p, &resolved), at, pointer: resolved });
                    }
                }
                None => ok = false,
            }
        }
        // A parameter the template names that no list declares (a mistake): a required
        // string, as the template's text is. Not when some declared parameter could not be
        // read: it may be that one, and its problem is reported.
        if ok {
            let declared: Vec<&str> = params
                .iter()
                .filter(|d| matches!(d.param, Parameter::Path { .. }))
                .map(|d| d.param.parameter_data_ref().name.as_str())
                .collect();
            let missing: Vec<&str> =
                template_params(f.path).into_iter().filter(|name| !declared.contains(name)).collect();
            for name in missing {
                self.mistake(
                    &f.item_pointer,
                    &format!(
                        "the path template names `{{{name}}}` but {} {} declares no path parameter `{name}`",
                        f.method.as_str(),
                        f.path
                    ),
                    &format!("a required string path parameter `{name}`"),
                    Some(format!("declare it: `name: {name}, in: path, required: true` and its `schema`")),
                );
                let param = self.parameters.alloc(assumed_path_param(name));
                let at = f.item_pointer.clone();
                params.push(Declared { param, component: None, pointer: at.clone(), at });
            }
        }
        // Where each path parameter was declared, for pointing at one the path lacks.
        let params_at: Vec<(String, String)> = params
            .iter()
            .filter(|d| matches!(d.param, Parameter::Path { .. }))
            .map(|d| (d.param.parameter_data_ref().name.clone(), d.at.clone()))
            .collect();
        // Setters are methods of the runtime's `RequestBuilder` (which also derives `Clone`).
        let mut builder_scope = Scope::with_reserved(runtime_api::BUILDER_METHODS);
        builder_scope.reserve("clone");
        // The request body's setter is `body()`; a parameter named `body` gives way.
        if f.op.request_body.is_some() {
            builder_scope.reserve("body");
        }
        let mut naming = ParamNaming { op_id: id.clone(), builder_scope: &mut builder_scope };
        let (params, params_ok) = self.lower_params(&params, &mut naming);
        let mut params = params;
        let segments = self.path_segments(f, &params.path, &params_at).map(|(segments, used)| {
            // A declared path parameter the template does not name is not sent: it is no
            // parameter of the method either, and the segments' indices skip it.
            let mut kept = Vec::new();
            let mut index = Vec::new();
            for (p, used) in std::mem::take(&mut params.path).into_iter().zip(used) {
                index.push(used.then_some(kept.len()));
                if used {
                    kept.push(p);
                }
            }
            params.path = kept;
            let at = |i: usize| index.get(i).copied().flatten().unwrap_or(i);
            segments
                .into_iter()
                .map(|s| match s {
                    PathSegment::Param(i) => PathSegment::Param(at(i)),
                    PathSegment::Mixed(parts) => PathSegment::Mixed(
                        parts
                            .into_iter()
                            .map(|p| match p {
                                PathPart::Param(i) => PathPart::Param(at(i)),
                                literal => literal,
                            })
                            .collect(),
                    ),
                    literal => literal,
                })
                .collect::<Vec<_>>()
        });
        let body = self.request_body(f, &op_pascal, &mut builder_scope);
        let responses = self.responses(f, &op_pascal);
        let auth = self.operation_auth(f);
        let (Some(segments), Some(body), Some((responses, accept)), Some(auth)) = (segments, body, responses, auth)
        else {
            return None;
        };
        if !ok || !params_ok {
            return None;
        }
        let success = self.success(f, &responses, &type_name, type_scope)?;
        let pagination = match self.pagination(&success, &params.query) {
            Ok(p) => Some(p),
            Err(None) => None,
            Err(Some(why)) => {
                // The missing streams should not be a surprise.
                self.warning(
                    &push_pointer(&f.pointer, "parameters"),
                    format!("`{id}` returns pages of a listing but gets no `pages()`/`items()` streams: {why}"),
                    Some("make the page object and its fields optional, with integer page numbers, for the client to walk the listing".into()),
                );
                None
            }
        };
        Some(Operation {
            id,
            method_name,
            type_name,
            method: f.method,
            path: f.path.to_string(),
            segments,
            docs: Docs {
                summary: super::prose(f.op.summary.as_ref()),
                description: super::prose(f.op.description.as_ref()),
            },
            deprecated: f.op.deprecated,
            path_params: params.path,
            query: params.query,
            headers: params.headers,
            body,
            responses,
            success,
            accept,
            auth,
            pagination,
            pointer: f.pointer.clone(),
        })
    }

    /// Splits the path template and checks it against the declared path parameters; also
    /// says which of those the template names.
    fn path_segments(
        &mut self,
        f: &Found<'a>,
        declared: &[crate::ir::Param],
        declared_at: &[(String, String)],
    ) -> Option<(Vec<PathSegment>, Vec<bool>)> {
        let path_at = &f.item_pointer;
        let mut segments = Vec::new();
        let mut used = vec![false; declared.len()];
        let mut ok = true;
        if !f.path.starts_with('/') {
            self.error(path_at, format!("path `{}` does not start with `/`", f.path), None);
            ok = false;
        }
        for seg in f.path.split('/').filter(|s| !s.is_empty()) {
            let parts = match template_parts(seg) {
                Ok(parts) => parts,
                Err(why) => {
                    self.error(
                        path_at,
                        format!("path `{}`: segment `{seg}` {why}", f.path),
                        Some("a path key is a path template only: `{name}` for each parameter, no query string, fragment or spaces; percent-encode other characters".into()),
                    );
                    ok = false;
                    // Its parameters are there, just not in a template: not missing too.
                    for (p, u) in declared.iter().zip(used.iter_mut()) {
                        *u |= seg.contains(p.wire_name.as_str());
                    }
                    continue;
                }
            };
            // The index of each parameter the segment names; `None` for one not lowered.
            let mut param = |name: &str| match declared.iter().position(|p| p.wire_name == name) {
                Some(i) => {
                    if let Some(u) = used.get_mut(i) {
                        *u = true;
                    }
                    Some(i)
                }
                // Declared, but its own problem is reported: no second error here.
                None if declared_at.iter().any(|(declared, _)| declared == name) => None,
                None => {
                    self.error(
                        path_at,
                        format!(
                            "path template names `{{{name}}}` but {} {} declares no path parameter `{name}`",
                            f.method.as_str(),
                            f.path
                        ),
                        Some(format!("add a parameter with `name: {name}, in: path, required: true`")),
                    );
                    None
                }
            };
            let segment = match parts.as_slice() {
                [TemplatePart::Param(name)] => param(name).map(PathSegment::Param),
                [TemplatePart::Text(_)] => match literal_segment(seg) {
                    Ok(text) => Some(PathSegment::Literal(text)),
                    Err(why) => {
                        self.error(
                            path_at,
                            format!("path `{}`: segment `{seg}` {why}", f.path),
                            Some("a path key is a path template only: no query string, fragment or spaces; percent-encode other characters".into()),
                        );
                        None
                    }
                },
                _ => parts
                    .iter()
                    .map(|part| match part {
                        TemplatePart::Text(text) => Some(PathPart::Literal(text.clone())),
                        TemplatePart::Param(name) => param(name).map(PathPart::Param),
                    })
                    // Every part is looked at, so each missing parameter is reported.
                    .collect::<Vec<_>>()
                    .into_iter()
                    .collect::<Option<Vec<_>>>()
                    .map(PathSegment::Mixed),
            };
            match segment {
                Some(segment) => segments.push(segment),
                None => ok = false,
            }
        }
        for (p, used) in declared.iter().zip(&used) {
            if !used {
                let at = declared_at.iter().find(|(name, _)| *name == p.wire_name).map(|(_, at)| at.clone());
                self.mistake(
                    &at.unwrap_or_else(|| push_pointer(&f.pointer, "parameters")),
                    &format!("path parameter `{}` is declared but the path `{}` does not name it", p.wire_name, f.path),
                    "it is not sent, and the method does not take it",
                    Some("remove the parameter or add it to the path template".into()),
                );
            }
        }
        ok.then_some((segments, used))
    }

    /// `Some(None)`: no body; `None`: an error was recorded.
    fn request_body(
        &mut self,
        f: &Found<'a>,
        op_pascal: &str,
        builder_scope: &mut Scope,
    ) -> Option<Option<RequestBody>> {
        let Some(body) = &f.op.request_body else { return Some(None) };
        let at = push_pointer(&f.pointer, "requestBody");
        let (body, body_at) = self.resolve_body(body, &at)?;
        let content_at = push_pointer(&body_at, "content");
        let (media_key, media, kind) = match self.choose_media(&body.content, &content_at, true) {
            Chosen::Model(key, media, kind) => (key, media, kind),
            Chosen::Raw { text, media } => {
                let concrete = media.iter().copied().find(|m| !media::is_range(m));
                let fallback = if text { "text/plain" } else { "application/octet-stream" };
                let choice = media.len() > 1 || media.iter().any(|m| media::is_range(m));
                let raw = RawMedia {
                    media_type: concrete.map_or_else(|| fallback.to_string(), media::header_form),
                    content_type_setter: choice
                        .then(|| builder_scope.unique(names::value_name("content_type", "content_type"))),
                    accepted: if choice { media.iter().map(|m| media::header_form(m)).collect() } else { Vec::new() },
                };
                builder_scope.reserve("body");
                let content = if text { BodyContent::Text(raw) } else { BodyContent::Bytes(raw) };
                return Some(Some(plain_body(content, body)));
            }
            Chosen::Unsupported(what) => {
                let hint = "JSON, form, multipart/form-data, text and raw request bodies are generated";
                self.unsupported(&content_at, &format!("request bodies of type {what}"), Some(hint));
                return None;
            }
        };
        let media_at = push_pointer(&content_at, media_key);
        if kind == media::Kind::Multipart {
            let parts = self.multipart(media, &media_at, op_pascal, builder_scope)?;
            return Some(Some(plain_body(BodyContent::Multipart(parts), body)));
        }
        let Some(schema) = &media.schema else {
            self.error(&media_at, "request body has no schema", None);
            return None;
        };
        let schema_at = push_pointer(&media_at, "schema");
        let ty = self.type_ref(schema, &schema_at, &format!("{op_pascal} body"))?;
        let mut content_type = None;
        let content = if kind == media::Kind::Form {
            self.check_form(&ty, &schema_at)?;
            BodyContent::Form(ty.clone())
        } else {
            // The document's own JSON media type goes on the wire (servers that take
            // `application/merge-patch+json` refuse `application/json`); a range is JSON.
            let header = media::header_form(media_key);
            if !media::is_range(media_key) && !header.eq_ignore_ascii_case("application/json") {
                content_type = Some(header);
            }
            BodyContent::Json(ty.clone())
        };
        builder_scope.reserve("body");
        let examples = examples_of(media);
        for (suffix, ex) in &examples {
            let target = Target::Value { ty: ty.clone(), nullable: false };
            self.examples.push((format!("{media_at}/{suffix}"), ex.clone(), target));
        }
        let examples = examples.into_iter().map(|(_, v)| v).collect();
        Some(Some(RequestBody {
            content,
            required: body.required,
            docs: super::prose(body.description.as_ref()),
            examples,
            content_type,
        }))
    }

    /// The parts of a `multipart/form-data` body: a part per property of its object schema,
    /// named in the operation's builder scope.
    fn multipart(
        &mut self,
        media: &'a MediaType,
        media_at: &str,
        op_pascal: &str,
        builder_scope: &mut Scope,
    ) -> Option<Vec<Part>> {
        use openapiv3::{SchemaKind, Type};
        let Some(schema) = &media.schema else {
            self.error(media_at, "request body has no schema", None);
            return None;
        };
        let schema_at = push_pointer(media_at, "schema");
        let object = self.peek(schema).and_then(|s| match &s.schema_kind {
            SchemaKind::Type(Type::Object(o)) => Some((&o.properties, &o.required)),
            SchemaKind::Any(a) if a.all_of.is_empty() && a.one_of.is_empty() && a.any_of.is_empty() => {
                Some((&a.properties, &a.required))
            }
            _ => None,
        });
        let Some((properties, required)) = object.filter(|(p, _)| !p.is_empty()) else {
            self.unsupported(
                &schema_at,
                "multipart bodies whose schema is not an object with properties",
                Some("describe the parts as the properties of one object schema"),
            );
            return None;
        };
        let props_at = match schema {
            ReferenceOr::Reference { reference } => format!("{reference}/properties"),
            ReferenceOr::Item(_) => push_pointer(&schema_at, "properties"),
        };
        let mut parts = Vec::new();
        let mut ok = true;
        for (name, prop) in properties {
            let at = push_pointer(&props_at, name);
            let peeked = self.peek(prop);
            // `encoding.<part>.contentType` may list several: the first is the default.
            let content_type = media
                .encoding
                .get(name)
                .and_then(|e| e.content_type.as_deref())
                .and_then(|c| c.split(',').map(str::trim).find(|c| !c.is_empty() && !media::is_range(c)))
                .unwrap_or("application/octet-stream")
                .to_string();
            let items_binary = peeked.is_some_and(|s| match &s.schema_kind {
                SchemaKind::Type(Type::Array(a)) => {
                    a.items.as_ref().and_then(|i| self.peek(i)).is_some_and(is_binary_string)
                }
                _ => false,
            });
            let kind = if peeked.is_some_and(is_binary_string) {
                PartKind::File { content_type }
            } else if items_binary {
                PartKind::Files { content_type }
            } else {
                let Some(ty) = self.type_ref(prop, &at, &format!("{op_pascal} {name}")) else {
                    ok = false;
                    continue;
                };
                if self.form_value(&ty, true) {
                    PartKind::Text(self.array_behind_alias(ty))
                } else {
                    PartKind::Json(ty)
                }
            };
            let constraints = match (&kind, peeked) {
                (PartKind::Text(_), Some(s)) => super::schemas::constraints_of(s),
                _ => Default::default(),
            };
            parts.push(Part {
                rust_name: builder_scope.unique(names::value_name(name, "part")),
                wire_name: name.clone(),
                kind,
                required: required.contains(name),
                docs: peeked.and_then(|s| super::prose(s.schema_data.description.as_ref())),
                constraints,
            });
        }
        ok.then_some(parts)
    }

    /// Which of a content map's media types a body is read as: JSON first, then (for a
    /// `request` body) a form, then multipart, then the raw ones (text when all of them are
    /// text, else bytes). A response offering only a form or multipart gets it, to be refused.
    fn choose_media(
        &mut self,
        content: &'a indexmap::IndexMap<String, MediaType>,
        content_at: &str,
        request: bool,
    ) -> Chosen<'a> {
        let mut kinds = Vec::new();
        for (key, m) in content {
            if media::essence(key) == "*" {
                self.mistake(
                    &push_pointer(content_at, key),
                    "`*` is not a media type",
                    "`*/*`, any media type",
                    Some("write `*/*`".into()),
                );
            }
            let binary = m.schema.as_ref().and_then(|s| self.peek(s)).is_some_and(is_binary_string);
            kinds.push((key, m, media::kind(key, binary)));
        }
        let model = |wanted: &[media::Kind]| {
            wanted
                .iter()
                .find_map(|w| kinds.iter().find(|(_, _, k)| k == w))
                .map(|(key, m, k)| Chosen::Model(key, m, *k))
        };
        let preferred: &[media::Kind] = if request {
            &[media::Kind::Json, media::Kind::Form, media::Kind::Multipart]
        } else {
            &[media::Kind::Json]
        };
        if let Some(chosen) = model(preferred) {
            return chosen;
        }
        let raw: Vec<(&str, media::Kind)> = kinds
            .iter()
            .filter(|(_, _, k)| matches!(k, media::Kind::Text | media::Kind::Bytes))
            .map(|(key, _, k)| (key.as_str(), *k))
            .collect();
        if raw.is_empty()
            && let Some(chosen) = model(&[media::Kind::Form, media::Kind::Multipart])
        {
            return chosen;
        }
        if raw.is_empty() {
            let keys: Vec<&str> = content.keys().map(String::as_str).collect();
            return Chosen::Unsupported(if keys.is_empty() {
                "none (no `content`)".to_string()
            } else {
                keys.join(", ")
            });
        }
        Chosen::Raw {
            text: raw.iter().all(|(_, k)| *k == media::Kind::Text),
            media: raw.into_iter().map(|(m, _)| m).collect(),
        }
    }

    /// A form body's type: a struct whose fields are scalars, enums or arrays of them (a
    /// form has no place for an object), or an error at the first field that is not.
    fn check_form(&mut self, ty: &TypeRef, at: &str) -> Option<()> {
        let TypeRef::Named(name) = ty else {
            self.unsupported(at, "form bodies that are not objects", Some("a form body is an object of scalar fields"));
            return None;
        };
        // Left out with its own problem reported (`--skip-unsupported`): nothing to check.
        let Some(def) = self.types.iter().find(|t| &t.name == name) else { return Some(()) };
        let TypeKind::Struct { fields, additional, .. } = &def.kind else {
            let at = def.pointer.clone();
            self.unsupported(
                &at,
                "form bodies that are not objects",
                Some("a form body is an object of scalar fields"),
            );
            return None;
        };
        let pointer = def.pointer.clone();
        let bad = fields
            .iter()
            .find(|f| !self.form_value(&f.ty, true))
            .map(|f| (push_pointer(&push_pointer(&pointer, "properties"), &f.wire_name), f.wire_name.clone()));
        let bad = bad.or_else(|| {
            additional
                .as_ref()
                .filter(|t| !self.form_value(t, true))
                .map(|_| (push_pointer(&pointer, "additionalProperties"), "additionalProperties".to_string()))
        });
        match bad {
            None => Some(()),
            Some((at, wire)) => {
                self.unsupported(
                    &at,
                    &format!(
                        "form body field `{wire}` that holds objects (a form carries scalars and arrays of scalars)"
                    ),
                    Some("send the body as JSON, or flatten the object into scalar fields"),
                );
                None
            }
        }
    }

    /// `ty`, or the array type an alias of it names (so that emission knows an array of
    /// text parts by its type).
    fn array_behind_alias(&self, ty: TypeRef) -> TypeRef {
        let mut current = &ty;
        // Aliases name other aliases a few times at most; the bound keeps a cycle finite.
        for _ in 0..8 {
            let TypeRef::Named(name) = current else { break };
            match self.types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
                Some(TypeKind::Alias { target }) => current = target,
                _ => break,
            }
        }
        match current {
            TypeRef::Array(_) => current.clone(),
            _ => ty,
        }
    }

    /// Whether a form can carry values of `ty`: a scalar, a string enum, or (at the top,
    /// `array_ok`) an array of them.
    fn form_value(&self, ty: &TypeRef, array_ok: bool) -> bool {
        match ty {
            TypeRef::Scalar(_) => true,
            TypeRef::Array(item) => array_ok && self.form_value(item, false),
            TypeRef::Map(_) | TypeRef::Any => false,
            TypeRef::Named(name) => match self.types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
                Some(TypeKind::Enum { .. }) => true,
                Some(TypeKind::Alias { target }) => self.form_value(target, array_ok),
                Some(TypeKind::Struct { .. } | TypeKind::OneOf { .. }) => false,
                // Left out with its own problem reported.
                None => true,
            },
        }
    }

    /// The documented responses, and the `Accept` header the operation sends (see
    /// [`Operation::accept`]).
    fn responses(&mut self, f: &Found<'a>, op_pascal: &str) -> Option<(Vec<Response>, Option<String>)> {
        let at = push_pointer(&f.pointer, "responses");
        let mut out = Vec::new();
        let mut ok = true;
        // Each success response's body and the media types it may come as.
        let mut accepted: Vec<(Envelope, Vec<String>)> = Vec::new();
        let entries = f.op.responses.responses.iter().map(|(code, r)| {
            let (status, key) = match code {
                StatusCode::Code(c) => (StatusSpec::Code(*c), c.to_string()),
                StatusCode::Range(d) => (StatusSpec::Range(u8::try_from(*d).unwrap_or(0)), format!("{d}XX")),
            };
            (status, key, r)
        });
        let default = f.op.responses.default.iter().map(|r| (StatusSpec::Default, "default".to_string(), r));
        for (status, key, r) in entries.chain(default).collect::<Vec<_>>() {
            let r_at = push_pointer(&at, &key);
            let Some((resp, resp_at)) = self.resolve_response(r, &r_at) else {
                ok = false;
                continue;
            };
            let content_at = push_pointer(&resp_at, "content");
            let mut examples = Vec::new();
            let (envelope, media) = if resp.content.is_empty() {
                (Envelope::Empty, Vec::new())
            } else {
                match self.choose_media(&resp.content, &content_at, false) {
                    Chosen::Model(media_key, media, media::Kind::Json) => {
                        let media_at = push_pointer(&content_at, media_key);
                        let envelope = match &media.schema {
                            None => Envelope::Empty,
                            Some(schema) => {
                                match self.envelope(schema, &push_pointer(&media_at, "schema"), op_pascal) {
                                    Some(e) => e,
                                    None => {
                                        ok = false;
                                        continue;
                                    }
                                }
                            }
                        };
                        for (suffix, ex) in examples_of(media) {
                            self.examples.push((
                                format!("{media_at}/{suffix}"),
                                ex.clone(),
                                Target::Body(envelope.clone()),
                            ));
                            examples.push(ex);
                        }
                        (envelope, vec![media_key.as_str()])
                    }
                    Chosen::Raw { text, media } => (if text { Envelope::Text } else { Envelope::Bytes }, media),
                    // An error's body is kept as it came (`ApiError`), whatever it is.
                    _ if !status.is_success() => (Envelope::Bytes, Vec::new()),
                    Chosen::Model(media_key, _, _) => {
                        self.unsupported(
                            &push_pointer(&content_at, media_key),
                            &format!("responses of type {media_key}"),
                            Some("JSON, text and binary responses are decoded"),
                        );
                        ok = false;
                        continue;
                    }
                    Chosen::Unsupported(what) => {
                        let hint = if what.contains("event-stream") {
                            "server-sent events are not generated yet"
                        } else {
                            "JSON, text and binary responses are decoded"
                        };
                        // One media type: at it; several: at the `content` holding them.
                        let at = match resp.content.contains_key(&what) {
                            true => push_pointer(&content_at, &what),
                            false => content_at.clone(),
                        };
                        self.unsupported(&at, &format!("responses of type {what}"), Some(hint));
                        ok = false;
                        continue;
                    }
                }
            };
            if status.is_success() {
                accepted.push((envelope.clone(), media.into_iter().map(media::header_form).collect::<Vec<_>>()));
            }
            let error_variant = match status {
                StatusSpec::Code(c) if !status.is_success() => Some(runtime_api::error_variant(c).to_string()),
                _ => None,
            };
            out.push(Response {
                status,
                docs: super::prose(Some(&resp.description)),
                error_variant,
                envelope,
                examples,
            });
        }
        let raw = accepted.iter().any(|(e, _)| matches!(e, Envelope::Bytes | Envelope::Text));
        let mut accept: Vec<String> = Vec::new();
        for media in accepted.into_iter().flat_map(|(_, m)| m) {
            if !accept.contains(&media) {
                accept.push(media);
            }
        }
        // The client asks for `application/json` unless told otherwise: a download, a text
        // response or another JSON media type (`application/vnd.api+json`) says what to ask.
        let other_json = accept.iter().any(|m| !m.eq_ignore_ascii_case("application/json") && !media::is_range(m));
        ok.then(|| (out, ((raw || other_json) && !accept.is_empty()).then(|| accept.join(", "))))
    }

    /// Recognises `{data: T}` and `{data: [T], meta: M}`.
    fn envelope(&mut self, schema: &'a ReferenceOr<openapiv3::Schema>, at: &str, op_pascal: &str) -> Option<Envelope> {
        use openapiv3::{SchemaKind, Type};
        let props = self.peek(schema).and_then(|s| match &s.schema_kind {
            SchemaKind::Type(Type::Object(o)) if o.additional_properties.is_none() => Some(&o.properties),
            SchemaKind::Any(a) if a.typ.is_none() && a.additional_properties.is_none() && a.one_of.is_empty() => {
                Some(&a.properties)
            }
            _ => None,
        });
        // Pointer to the envelope's own properties (through a `$ref` when there is one).
        let props_at = match schema {
            ReferenceOr::Reference { reference } => format!("{}/properties", reference),
            ReferenceOr::Item(_) => push_pointer(at, "properties"),
        };
        if let Some(props) = props {
            let keys: Vec<&str> = props.keys().map(String::as_str).collect();
            if keys == ["data"] {
                let data = props.get("data")?;
                let inner = self.type_ref(data, &push_pointer(&props_at, "data"), &format!("{op_pascal} data"))?;
                if let ReferenceOr::Reference { .. } = schema {
                    self.type_ref(schema, at, "")?;
                }
                return Some(Envelope::Data { inner });
            }
            if keys == ["data", "meta"] || keys == ["meta", "data"] {
                let (data, meta) = (props.get("data")?, props.get("meta")?);
                if let Some(TypeRef::Array(item)) =
                    self.type_ref(data, &push_pointer(&props_at, "data"), &format!("{op_pascal} item"))
                {
                    let meta = self.type_ref(meta, &push_pointer(&props_at, "meta"), &format!("{op_pascal} meta"))?;
                    return Some(Envelope::Page { item: *item, meta });
                }
            }
        }
        self.type_ref(schema, at, &format!("{op_pascal} response")).map(Envelope::Plain)
    }

    fn success(
        &mut self,
        f: &Found<'a>,
        responses: &[Response],
        op_type: &Ident,
        type_scope: &mut Scope,
    ) -> Option<Success> {
        let mut ok: Vec<&Response> = responses.iter().filter(|r| r.status.is_success()).collect();
        ok.sort_by_key(|r| r.status);
        if ok.is_empty() {
            self.warning(
                &push_pointer(&f.pointer, "responses"),
                format!("{} {} documents no success (2XX) response", f.method.as_str(), f.path),
                Some("the generated method returns `()` and ignores the body".into()),
            );
            return Some(Success::Empty);
        }
        let with_body: Vec<&Response> = ok.iter().copied().filter(|r| r.envelope != Envelope::Empty).collect();
        let Some(first) = with_body.first() else { return Some(Success::Empty) };
        // Different bodies, or a body on some statuses only: the caller must learn which
        // status came back to know what it holds.
        if ok.iter().any(|r| r.envelope != first.envelope) {
            let mut scope = Scope::default();
            let variants = ok
                .iter()
                .map(|r| StatusVariant {
                    status: r.status,
                    rust_name: scope.unique(names::type_name(status_reason(r.status), "Status")),
                    docs: r.docs.clone(),
                    envelope: r.envelope.clone(),
                })
                .collect();
            let type_name = type_scope.unique(names::type_name_after(op_type, "response"));
            return Some(Success::ByStatus { type_name, variants });
        }
        Some(match &first.envelope {
            Envelope::Empty => Success::Empty,
            Envelope::Bytes => Success::Bytes,
            Envelope::Text => Success::Text,
            Envelope::Plain(t) => Success::Plain(t.clone()),
            Envelope::Data { inner } => Success::Data(inner.clone()),
            Envelope::Page { item, meta } => Success::Page { item: item.clone(), meta: meta.clone() },
        })
    }

    /// Page-number pagination: a page envelope plus a query object with `number` and `size`
    /// leaves, which the client can rebuild for every page: the object and all its fields
    /// optional (so a request without them is valid and a default exists), the number an
    /// integer and the meta a struct. `Err(None)` for an operation that is not a page-number
    /// listing; `Err(Some(why))` for one whose page object rules out `pages()`.
    fn pagination(&self, success: &Success, query: &[QueryParam]) -> Result<Pagination, Option<String>> {
        let Success::Page { meta, .. } = success else { return Err(None) };
        let Some((page, fields)) = query.iter().find_map(|q| match &q.node {
            QueryNode::Object { fields, .. } if fields.iter().any(|f| f.wire_name == "number") => Some((q, fields)),
            _ => None,
        }) else {
            return Err(None);
        };
        let key = &page.wire_name;
        if page.required {
            return Err(Some(format!("`{key}` is required, so no request without it exists to start from")));
        }
        if let Some(field) = fields.iter().find(|f| f.required) {
            return Err(Some(format!("`{key}[{}]` is required", field.wire_name)));
        }
        let leaf = |wire: &str| fields.iter().find(|f| f.wire_name == wire);
        let integer =
            |f: &QueryParam| matches!(&f.node, QueryNode::Leaf { ty: TypeRef::Scalar(Scalar::I32 | Scalar::I64), .. });
        let path = |f: &QueryParam| vec![page.rust_name.clone(), f.rust_name.clone()];
        let number = leaf("number").filter(|f| integer(f)).map(path);
        let size = leaf("size").filter(|f| matches!(f.node, QueryNode::Leaf { .. })).map(path);
        let (Some(number), Some(size)) = (number, size) else {
            return Err(Some(format!("`{key}[number]` is not an integer or `{key}[size]` is missing")));
        };
        // The stream reads the meta through `PageMeta`, implemented for struct metas only.
        let meta_fields = match meta {
            TypeRef::Named(name) => self.types.iter().find(|t| &t.name == name).and_then(|t| match &t.kind {
                TypeKind::Struct { fields, .. } => Some(fields),
                _ => None,
            }),
            _ => None,
        };
        let Some(meta_fields) = meta_fields else {
            return Err(Some("the page's `meta` is not an object".to_string()));
        };
        let meta_field = |wire: &str| {
            meta_fields
                .iter()
                .find(|f| f.wire_name == wire && matches!(f.ty, TypeRef::Scalar(Scalar::I32 | Scalar::I64)))
                .map(|f| f.rust_name.clone())
        };
        Ok(Pagination {
            number,
            size,
            meta_page_number: meta_field("page_number"),
            meta_total_pages: meta_field("total_pages"),
        })
    }

    fn operation_auth(&mut self, f: &Found<'a>) -> Option<Auth> {
        let (requirements, at) = match &f.op.security {
            Some(s) => (s, push_pointer(&f.pointer, "security")),
            None => match &self.spec.doc.security {
                Some(s) => (s, "#/security".to_string()),
                None => return Some(Auth::None),
            },
        };
        // An empty requirement (`{}`) makes credentials optional: send none.
        if requirements.is_empty() || requirements.iter().any(|r| r.is_empty()) {
            return Some(Auth::None);
        }
        let components = self.spec.doc.components.as_ref();
        let mut unsupported_at = None;
        let mut alternatives = Vec::new();
        for (i, req) in requirements.iter().enumerate() {
            let mut supported = true;
            for name in req.keys() {
                let known = components.and_then(|c| c.security_schemes.get(name));
                match known {
                    None => {
                        self.error(
                            &push_pointer(&at, &i.to_string()),
                            format!("security scheme `{name}` is not defined in `components/securitySchemes`"),
                            None,
                        );
                        return None;
                    }
                    Some(ReferenceOr::Item(scheme)) if scheme_kind(scheme).is_some() => {}
                    Some(_) => {
                        supported = false;
                        if unsupported_at.is_none() {
                            unsupported_at = Some(push_pointer("#/components/securitySchemes", name));
                        }
                    }
                }
            }
            // An alternative the client cannot send is left out; the others remain.
            if supported {
                alternatives.push(req.keys().cloned().collect::<Vec<_>>());
            }
        }
        if !alternatives.is_empty() {
            if let Some(scheme) = unsupported_at {
                self.warning(
                    &at,
                    format!("left out the alternatives that need `{scheme}`: the client cannot send it"),
                    None,
                );
            }
            return Some(Auth::Schemes(alternatives));
        }
        // Reported at the scheme, once, however many operations use it.
        self.unsupported(
            &unsupported_at.unwrap_or(at),
            "security schemes other than HTTP bearer and basic, API keys, OAuth 2 and OpenID Connect",
            Some("use an `http` scheme `bearer` or `basic`, or an `apiKey` scheme"),
        );
        None
    }
}

/// How the client sends a scheme's credential; `None` when it cannot (an `http` scheme
/// other than `basic` and `bearer`).
fn scheme_kind(scheme: &SecurityScheme) -> Option<AuthKind> {
    Some(match scheme {
        SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => AuthKind::Bearer,
        SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => AuthKind::Basic,
        SecurityScheme::HTTP { .. } => return None,
        // Both end in a bearer access token the caller obtains.
        SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => AuthKind::Bearer,
        SecurityScheme::APIKey { location, name, .. } => match location {
            openapiv3::APIKeyLocation::Header => AuthKind::Header(name.clone()),
            openapiv3::APIKeyLocation::Query => AuthKind::Query(name.clone()),
            openapiv3::APIKeyLocation::Cookie => AuthKind::Cookie(name.clone()),
        },
    })
}

/// Whether a name from the path's shape says another kind of call than the operationId's
/// leading verb (`create` for a POST whose operationId is `listVolumeFiles`): then the
/// operationId names the method. Verbs outside these classes say nothing either way.
fn contradicts(shaped: &str, operation_id: &str) -> bool {
    fn class(verb: &str) -> Option<u8> {
        Some(match verb {
            "list" | "search" | "query" | "find" => 0,
            // `get` and `fetch` name lists as often as single items (`getUsers`): neutral.
            "retrieve" | "read" | "show" | "describe" => 1,
            "create" | "add" | "new" | "insert" | "post" => 2,
            "update" | "patch" | "modify" | "edit" | "replace" | "put" | "set" => 3,
            "delete" | "remove" | "destroy" | "purge" => 4,
            _ => return None,
        })
    }
    let id = names::value_name(operation_id, "call");
    let first = |name: &str| name.split('_').next().map(str::to_string).unwrap_or_default();
    match (class(&first(shaped)), class(&first(id.bare()))) {
        (Some(a), Some(b)) => a != b,
        _ => false,
    }
}

/// The name an operation's path shape gives it, if any.
fn shape_name(method: HttpMethod, path: &str) -> Option<String> {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    // A segment with a parameter in it (`{id}`, `{id}.json`) names one item.
    let is_param = |s: &str| s.contains('{');
    let verb = |collection: bool| -> Option<&'static str> {
        Some(match (method, collection) {
            (HttpMethod::Get, true) => "list",
            (HttpMethod::Post, true) => "create",
            (HttpMethod::Delete, true) => "delete_many",
            (HttpMethod::Get, false) => "retrieve",
            (HttpMethod::Patch, false) => "update",
            (HttpMethod::Put, false) => "replace",
            (HttpMethod::Delete, false) => "delete",
            _ => return None,
        })
    };
    match segs.as_slice() {
        [c] if !is_param(c) => verb(true).map(str::to_string),
        [c, p] if !is_param(c) && is_param(p) => verb(false).map(str::to_string),
        [.., "actions", action] if !is_param(action) => Some(names::value_name(action, "action").to_string()),
        [c, p, sub] if !is_param(c) && is_param(p) && !is_param(sub) => {
            let v = match method {
                HttpMethod::Get => "list",
                HttpMethod::Post => "create",
                HttpMethod::Delete => "delete",
                _ => return None,
            };
            Some(format!("{v}_{}", names::bare(&names::value_name(sub, "items"))))
        }
        _ => None,
    }
}

/// Whether a media type carries JSON (`application/json`, `*/*+json`, or `*/*`; parameters
/// such as `; charset=utf-8` and case aside).
pub(super) fn is_json(media: &str) -> bool {
    media::kind(media, false) == media::Kind::Json
}

/// What a body's content map is read as ([`Lowerer::choose_media`]).
enum Chosen<'a> {
    /// A media type read with the schema's types: JSON, a form or multipart.
    Model(&'a String, &'a MediaType, media::Kind),
    /// Raw content: text when every raw media type listed is text, else bytes; the media
    /// types, in spec order.
    Raw { text: bool, media: Vec<&'a str> },
    /// Nothing the generator reads; the media types, listed.
    Unsupported(String),
}

/// `type: string, format: binary`: a file's bytes.
fn is_binary_string(schema: &openapiv3::Schema) -> bool {
    use openapiv3::{SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => matches!(s.format, VariantOrUnknownOrEmpty::Item(StringFormat::Binary)),
        _ => false,
    }
}

/// A media type's examples with their pointers relative to it (`example`,
/// `examples/<name>/value`).
fn examples_of(media: &MediaType) -> Vec<(String, serde_json::Value)> {
    let mut out: Vec<(String, serde_json::Value)> =
        media.example.iter().map(|v| ("example".to_string(), v.clone())).collect();
    for (name, ex) in &media.examples {
        if let ReferenceOr::Item(e) = ex
            && let Some(v) = &e.value
        {
            out.push((format!("examples/{}/value", crate::diag::escape_token(name)), v.clone()));
        }
    }
    out
}

/// The schema all error responses share, when there is exactly one.
pub(super) fn common_error_body(resources: &[Resource]) -> Option<TypeRef> {
    let mut found: Option<&TypeRef> = None;
    for op in resources.iter().flat_map(|r| &r.operations) {
        for r in op.responses.iter().filter(|r| !r.status.is_success()) {
            if let Envelope::Plain(t) = &r.envelope {
                match found {
                    None => found = Some(t),
                    Some(f) if f == t => {}
                    Some(_) => return None,
                }
            }
        }
    }
    found.cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_names_give_way_to_an_operation_id_that_says_another_verb() {
        assert!(contradicts("create_files", "listVolumeFiles"));
        assert!(!contradicts("delete", "archiveOrRemove"));
        assert!(!contradicts("list", "listRooms"));
        assert!(!contradicts("retrieve", "getRoom"));
        assert!(!contradicts("list", "getUsers"));
        assert!(!contradicts("create", "bulkImport"));
        assert!(contradicts("retrieve", "deleteRoom"));
        assert!(!contradicts("end", "endSession"));
    }

    #[test]
    fn literal_segments_are_pchars_decoded() {
        assert_eq!(literal_segment("room_sessions").unwrap(), "room_sessions");
        assert_eq!(literal_segment("a%20b").unwrap(), "a b");
        assert_eq!(literal_segment("v1.2;x=y:z@w").unwrap(), "v1.2;x=y:z@w");
        for bad in ["a?b", "a#b", "a b", "%zz", "%2", "é", ".", ".."] {
            assert!(literal_segment(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn template_segments_are_text_and_parameters() {
        use TemplatePart::{Param, Text};
        let text = |t: &str| Text(t.to_string());
        assert_eq!(template_parts("rooms").unwrap(), [text("rooms")]);
        assert_eq!(template_parts("{id}").unwrap(), [Param("id")]);
        assert_eq!(template_parts("{sid}.json").unwrap(), [Param("sid"), text(".json")]);
        assert_eq!(template_parts("thumbnail.{extension}").unwrap(), [text("thumbnail."), Param("extension")]);
        assert_eq!(template_parts("{name}.{ext}").unwrap(), [Param("name"), text("."), Param("ext")]);
        assert_eq!(template_parts("{a}{b}").unwrap(), [Param("a"), Param("b")]);
        assert_eq!(template_parts("v%201.{x}").unwrap(), [text("v 1."), Param("x")]);
        for bad in ["{id", "id}", "}{id}", "{a{b}}", "{}", "{a}}", "a b{c}"] {
            assert!(template_parts(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ids_are_made_from_the_method_and_the_path() {
        use HttpMethod::*;
        assert_eq!(derived_id(Get, "/invoices"), "getInvoices");
        assert_eq!(derived_id(Get, "/invoices/{id}"), "getInvoicesById");
        assert_eq!(
            derived_id(Delete, "/access_ip_ranges/{access_ip_range_id}"),
            "deleteAccessIpRangesByAccessIpRangeId"
        );
        assert_eq!(derived_id(Put, "/a/{id}/{phone_number}"), "putAByIdByPhoneNumber");
        assert_eq!(derived_id(Get, "/files/{name}.{ext}"), "getFilesByNameByExt");
        assert_eq!(derived_id(Get, "/Recordings/{sid}.json"), "getRecordingsBySidJson");
        assert_eq!(derived_id(Get, "/"), "get");
        let mut taken: BTreeSet<String> = ["getInvoices".to_string(), "getInvoices2".to_string()].into();
        assert_eq!(unique_id("getInvoices".into(), &mut taken), "getInvoices3");
        assert_eq!(unique_id("getInvoices".into(), &mut taken), "getInvoices4");
        assert_eq!(unique_id("listRooms".into(), &mut taken), "listRooms");
    }

    #[test]
    fn untagged_operations_belong_to_the_first_text_of_the_path() {
        assert_eq!(path_resource("/invoices/{id}"), "invoices");
        assert_eq!(path_resource("/{account}/calls"), "calls");
        assert_eq!(path_resource("/thumbnail.{extension}"), "thumbnail");
        assert_eq!(path_resource("/{sid}.json"), "default");
        assert_eq!(path_resource("/"), "default");
    }

    #[test]
    fn shapes() {
        use HttpMethod::*;
        assert_eq!(shape_name(Get, "/rooms").as_deref(), Some("list"));
        assert_eq!(shape_name(Post, "/rooms").as_deref(), Some("create"));
        assert_eq!(shape_name(Delete, "/room_recordings").as_deref(), Some("delete_many"));
        assert_eq!(shape_name(Get, "/rooms/{room_id}").as_deref(), Some("retrieve"));
        assert_eq!(shape_name(Patch, "/rooms/{room_id}").as_deref(), Some("update"));
        assert_eq!(shape_name(Get, "/rooms/{room_id}/sessions").as_deref(), Some("list_sessions"));
        assert_eq!(shape_name(Post, "/s/{id}/actions/end").as_deref(), Some("end"));
        assert_eq!(
            shape_name(Post, "/r/{id}/actions/generate_join_client_token").as_deref(),
            Some("generate_join_client_token")
        );
        assert_eq!(shape_name(Get, "/a/{id}/b/{b_id}"), None);
        assert_eq!(shape_name(Get, "/files/{name}.{ext}").as_deref(), Some("retrieve"));
        assert_eq!(shape_name(Get, "/thumbnail.{extension}"), None);
        assert_eq!(shape_name(Put, "/rooms"), None);
    }
}
