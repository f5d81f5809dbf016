//! OpenAPI 3.1 (and the part of 3.2 that 3.1 already has) → the 3.0 form `openapiv3` reads,
//! rewritten on the YAML value tree after merge keys and before the typed parse.
//!
//! `openapiv3` models 3.0 only, and lowering reads only `openapiv3`: rewriting a 3.1
//! document into the 3.0 document a person would have written for the same API keeps one
//! lowering, so equivalent documents give the same IR by construction. What moves is
//! recorded ([`Rewrites`]) so every diagnostic still points at the 3.1 document's own line
//! and pointer. What 3.0 cannot say is refused here, located (an OpenAPI 3.2 addition, a
//! schema dialect other than the default and JSON Schema 2020-12), or, for a schema
//! keyword, marked on the schema with [`UNSUPPORTED`] so that lowering reports it while
//! lowering that schema (and `--skip-unsupported` can leave the schema out).
//!
//! The rewrites, per construct:
//! - YAML's `null` in a type list → `"null"`, with a warning (a mistake of the document);
//! - `type: [T, "null"]` → `type: T, nullable: true`; `type: [A, B]` → `oneOf` of one
//!   schema per type, each with the keywords that apply to it;
//! - a `{type: "null"}` member of `oneOf`/`anyOf` → `nullable: true` on the union; a union
//!   left with one `$ref` member → `allOf: [{$ref}]` (3.0's nullable reference), with one
//!   inline member → that member's keywords;
//! - `const: null` or `enum: [null]` is `type: "null"` (alone, unsupported; a union member,
//!   dropped and the union nullable); `null` among other `enum` values → `nullable: true`
//!   and the other values;
//! - `const: v` → `enum: [v]`; a schema's `examples: [a, b, …]` → `example: a` and
//!   `x-codegen-examples: [b, …]`;
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` → the bound and `true`;
//! - a schema `$ref` with keywords beside it → `allOf: [{$ref}]` and the keywords;
//! - `contentEncoding: base64` → `format: byte`; a binary `contentMediaType` → `format: binary`;
//! - `unevaluatedProperties` on a schema without composition → `additionalProperties`;
//! - a path item `$ref` to `#/components/pathItems/<name>` → the path item, inline;
//! - no `paths` → `paths: {}`; `webhooks` are listed in a warning, not generated.

use std::collections::{BTreeSet, HashMap};

use yaml_serde::{Mapping, Value};

use crate::diag::{Severity, push_pointer};

/// The schema extension normalization leaves on a schema that uses a keyword 3.0 has no
/// form for: a list of `{keyword, message}`. Lowering reports each as "unsupported" at the
/// keyword while it lowers that schema.
pub const UNSUPPORTED: &str = "x-codegen-unsupported";

/// The schema dialect OpenAPI 3.1 documents use unless they say otherwise.
const DEFAULT_DIALECTS: [&str; 2] =
    ["https://spec.openapis.org/oas/3.1/dialect/base", "https://spec.openapis.org/oas/3.1/dialect/2024-11-10"];

/// JSON Schema 2020-12, which OpenAPI's default dialect only adds keywords to
/// (`discriminator`, `xml`, `externalDocs`, `example`): read the same.
const JSON_SCHEMA_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// Which version's document is being normalized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Version {
    /// 3.1.x.
    V31,
    /// 3.2.x: read like 3.1, and its additions refused.
    V32,
}

/// Where normalization moved nodes: a pointer prefix of the normalized document → the
/// pointer of the same node in the document as written. Pointers not under a moved node are
/// the same in both.
#[derive(Debug, Clone, Default)]
pub struct Rewrites(HashMap<String, String>);

impl Rewrites {
    /// The pointer, in the document as written, of the node at `pointer` in the normalized one.
    pub fn original(&self, pointer: &str) -> String {
        if self.0.is_empty() {
            return pointer.to_string();
        }
        let mut prefix = pointer;
        loop {
            if let Some(original) = self.0.get(prefix) {
                let rest = pointer.get(prefix.len()..).unwrap_or_default();
                return format!("{original}{rest}");
            }
            match prefix.rsplit_once('/') {
                Some((parent, _)) => prefix = parent,
                None => return pointer.to_string(),
            }
        }
    }

    /// Records that the node now at `normalized` was written at `original` (itself a
    /// normalized pointer, resolved through the rewrites recorded so far).
    fn moved(&mut self, normalized: String, original: &str) {
        let original = self.original(original);
        if normalized != original {
            self.0.insert(normalized, original);
        }
    }

    /// Whether nothing moved.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A problem found while normalizing, located in the document as written.
#[derive(Debug, Clone)]
pub(super) struct Problem {
    pub severity: Severity,
    /// The pointer as written: resolved through the rewrites recorded when the problem was
    /// found, since a later rewrite may give the same normalized pointer another meaning
    /// (`type: [string, null]`'s `type/1` is written at `type/1`, though the `type` made of
    /// it later is read at `type/0`).
    pub pointer: String,
    pub message: String,
    pub hint: Option<String>,
}

/// What normalizing a document produced besides the rewritten tree.
#[derive(Debug, Default)]
pub(super) struct Normalized {
    pub rewrites: Rewrites,
    /// The `$defs` subtrees, at their normalized places in an otherwise empty document;
    /// `None` when the document has none.
    pub defs: Option<serde_json::Value>,
    /// Errors (the document is refused) and warnings.
    pub problems: Vec<Problem>,
    /// The keywords marked [`UNSUPPORTED`]: pointer (normalized) and message.
    pub marked: Vec<(String, String)>,
    /// The schemas (normalized pointers) whose `allOf` was a `$ref` with keywords beside it.
    pub ref_siblings: BTreeSet<String>,
    /// The schemas (normalized pointers) whose `oneOf` was a `type` list of several types.
    pub type_lists: BTreeSet<String>,
}

/// Rewrites a 3.1 (or 3.2) document into the 3.0 form, in place.
/// The extension a schema's `examples` after the first are kept under (3.0 has one
/// `example`); lowering reads it after `example`.
pub const EXTRA_EXAMPLES: &str = "x-codegen-examples";

pub(super) fn normalize(doc: &mut Value, version: Version) -> Normalized {
    let mut n = Normalizer { version, out: Normalized::default(), defs_at: Vec::new() };
    n.document(doc);
    let defs = n.collect_defs(doc);
    let mut out = n.out;
    out.defs = defs;
    out
}

struct Normalizer {
    version: Version,
    out: Normalized,
    /// Normalized pointers of the schemas that hold `$defs` (and `#` for the document's own).
    defs_at: Vec<String>,
}

/// The text of a mapping key, when it is a string.
fn key_str(key: &Value) -> Option<&str> {
    key.as_str()
}

/// The mapping entries' keys, as owned strings (to iterate while mutating).
fn keys(map: &Mapping) -> Vec<String> {
    map.keys().filter_map(key_str).map(str::to_string).collect()
}

fn child<'v>(map: &'v mut Mapping, key: &str) -> Option<&'v mut Value> {
    map.get_mut(key)
}

impl Normalizer {
    fn problem(&mut self, severity: Severity, pointer: &str, message: String, hint: Option<&str>) {
        self.out.problems.push(Problem {
            severity,
            pointer: self.out.rewrites.original(pointer),
            message,
            hint: hint.map(str::to_string),
        });
    }

    /// A warning at a pointer of the document as written (not resolved through the rewrites:
    /// a field beside a path item `$ref` that the inlined component's shadows).
    fn warning_as_written(&mut self, pointer: &str, message: String, hint: Option<&str>) {
        self.out.problems.push(Problem {
            severity: Severity::Warning,
            pointer: pointer.to_string(),
            message,
            hint: hint.map(str::to_string),
        });
    }

    fn error(&mut self, pointer: &str, message: String, hint: Option<&str>) {
        self.problem(Severity::Error, pointer, message, hint);
    }

    fn warning(&mut self, pointer: &str, message: String, hint: Option<&str>) {
        self.problem(Severity::Warning, pointer, message, hint);
    }

    /// Refuses each of `keywords` present in `map` as a 3.2 addition (3.2 documents only).
    fn refuse_v32(&mut self, map: &Mapping, at: &str, keywords: &[&str]) {
        if self.version != Version::V32 {
            return;
        }
        for k in keywords {
            if map.contains_key(*k) {
                self.error(
                    &push_pointer(at, k),
                    format!("unsupported: OpenAPI 3.2's `{k}`"),
                    Some("this generator reads OpenAPI 3.2 documents as far as they use what 3.1 has"),
                );
            }
        }
    }

    fn document(&mut self, doc: &mut Value) {
        let Value::Mapping(root) = doc else { return };
        self.refuse_v32(root, "#", &["$self"]);
        if let Some(dialect) = root.get("jsonSchemaDialect") {
            match dialect.as_str() {
                Some(d) if DEFAULT_DIALECTS.contains(&d) || d.trim_end_matches('#') == JSON_SCHEMA_2020_12 => {}
                _ => self.error(
                    "#/jsonSchemaDialect",
                    format!(
                        "unsupported: the schema dialect {}; OpenAPI's default dialect and JSON Schema 2020-12 are read",
                        plain(dialect)
                    ),
                    Some("remove `jsonSchemaDialect` if the schemas are plain OpenAPI 3.1 schemas"),
                ),
            }
        }
        match root.get("webhooks") {
            None | Some(Value::Mapping(_)) => {}
            Some(_) => self.error(
                "#/webhooks",
                "`webhooks` must be a mapping of names to path items".to_string(),
                Some("write `webhooks:` with one path item under each name, or remove it"),
            ),
        }
        if let Some(Value::Mapping(webhooks)) = root.get("webhooks") {
            for name in keys(webhooks) {
                let at = push_pointer("#/webhooks", &name);
                self.warning(
                    &at,
                    format!("webhook `{name}` is not generated: webhooks are requests the API sends, not operations a client calls"),
                    Some("the component schemas it uses are generated as models; a schema written inline in the webhook is not"),
                );
            }
        }
        if !root.contains_key("paths") {
            root.insert(Value::from("paths"), Value::Mapping(Mapping::new()));
        }
        if let Some(Value::Sequence(tags)) = root.get("tags") {
            for (i, tag) in tags.iter().enumerate() {
                if let Value::Mapping(tag) = tag {
                    self.refuse_v32(tag, &format!("#/tags/{i}"), &["parent", "kind", "summary"]);
                }
            }
        }
        if let Some(Value::Sequence(servers)) = root.get("servers") {
            for (i, server) in servers.iter().enumerate() {
                if let Value::Mapping(server) = server {
                    self.refuse_v32(server, &format!("#/servers/{i}"), &["name"]);
                }
            }
        }
        let path_items = root
            .get("components")
            .and_then(|c| c.get("pathItems"))
            .and_then(Value::as_mapping)
            .cloned()
            .unwrap_or_default();
        if let Some(Value::Mapping(paths)) = root.get_mut("paths") {
            for path in keys(paths) {
                let at = push_pointer("#/paths", &path);
                if let Some(item) = child(paths, &path) {
                    self.inline_path_item(item, &at, &path_items);
                    self.path_item(item, &at);
                }
            }
        }
        if self.defs(root, "#")
            && let Some(Value::Mapping(defs)) = root.get_mut("$defs")
        {
            for name in keys(defs) {
                if let Some(s) = child(defs, &name) {
                    self.schema(s, &push_pointer("#/$defs", &name));
                }
            }
        }
        if let Some(Value::Mapping(components)) = root.get_mut("components") {
            self.components(components);
        }
    }

    /// A path item given by `$ref` (to `#/components/pathItems/<name>`, through chains of
    /// them) becomes that path item, inline; `summary` and `description` beside the `$ref`
    /// override the component's, as 3.1 says.
    fn inline_path_item(&mut self, item: &mut Value, at: &str, path_items: &Mapping) {
        let Value::Mapping(map) = item else { return };
        let Some(first) = map.get("$ref").and_then(Value::as_str).map(str::to_string) else { return };
        let mut reference = first;
        let mut ref_at = push_pointer(at, "$ref");
        let mut seen = Vec::new();
        let target = loop {
            let Some(name) =
                reference.strip_prefix("#/components/pathItems/").filter(|n| !n.is_empty() && !n.contains('/'))
            else {
                self.error(
                    &ref_at,
                    format!("unsupported: a path item `$ref` to `{reference}`"),
                    Some("point it at `#/components/pathItems/<name>`"),
                );
                return;
            };
            let name = crate::diag::unescape_pointer(name);
            if seen.contains(&name) {
                self.error(&ref_at, format!("`{reference}` refers to itself through a chain of references"), None);
                return;
            }
            seen.push(name.clone());
            let component_at = push_pointer("#/components/pathItems", &name);
            match path_items.get(name.as_str()) {
                Some(Value::Mapping(next)) => match next.get("$ref").and_then(Value::as_str) {
                    Some(r) => {
                        reference = r.to_string();
                        ref_at = push_pointer(&component_at, "$ref");
                    }
                    None => break (next.clone(), component_at),
                },
                _ => {
                    self.error(
                        &ref_at,
                        format!("unresolved reference `{reference}`"),
                        Some(&format!("define `{name}` under `components/pathItems`")),
                    );
                    return;
                }
            }
        };
        let (mut inline, component_at) = target;
        for k in keys(&inline) {
            self.out.rewrites.moved(push_pointer(at, &k), &push_pointer(&component_at, &k));
        }
        // Fields beside the `$ref`: `summary` and `description` override the component's;
        // others are kept where the component has none (3.1 leaves a field in both undefined:
        // the component's is read, with a warning).
        for (k, v) in map.iter() {
            let Some(k) = key_str(k).filter(|k| *k != "$ref") else { continue };
            let overrides = matches!(k, "summary" | "description");
            if inline.contains_key(k) && !overrides {
                self.warning_as_written(
                    &push_pointer(at, k),
                    format!("`{k}` is both beside the `$ref` and in `{reference}`; the referenced path item's is read"),
                    Some("keep one of the two"),
                );
                continue;
            }
            inline.insert(Value::from(k), v.clone());
            self.out.rewrites.0.remove(&push_pointer(at, k));
        }
        *map = inline;
    }

    fn path_item(&mut self, item: &mut Value, at: &str) {
        let Value::Mapping(map) = item else { return };
        self.refuse_v32(map, at, &["query", "additionalOperations"]);
        if let Some(Value::Sequence(params)) = map.get_mut("parameters") {
            for (i, p) in params.iter_mut().enumerate() {
                self.parameter(p, &push_pointer(&push_pointer(at, "parameters"), &i.to_string()));
            }
        }
        for method in ["get", "put", "post", "delete", "options", "head", "patch", "trace"] {
            if let Some(op) = child(map, method) {
                self.operation(op, &push_pointer(at, method));
            }
        }
    }

    fn operation(&mut self, op: &mut Value, at: &str) {
        let Value::Mapping(map) = op else { return };
        if let Some(Value::Sequence(params)) = map.get_mut("parameters") {
            for (i, p) in params.iter_mut().enumerate() {
                self.parameter(p, &push_pointer(&push_pointer(at, "parameters"), &i.to_string()));
            }
        }
        if let Some(Value::Mapping(body)) = map.get("requestBody") {
            self.ref_overrides(body, &push_pointer(at, "requestBody"));
        }
        if let Some(body) = child(map, "requestBody") {
            self.with_content(body, &push_pointer(at, "requestBody"));
        }
        if let Some(Value::Mapping(responses)) = map.get_mut("responses") {
            let at = push_pointer(at, "responses");
            for status in keys(responses) {
                if let Some(r) = child(responses, &status) {
                    self.response(r, &push_pointer(&at, &status));
                }
            }
        }
        if let Some(Value::Mapping(callbacks)) = map.get_mut("callbacks") {
            let at = push_pointer(at, "callbacks");
            for name in keys(callbacks) {
                if let Some(cb) = child(callbacks, &name) {
                    self.callback(cb, &push_pointer(&at, &name));
                }
            }
        }
    }

    fn callback(&mut self, cb: &mut Value, at: &str) {
        let Value::Mapping(map) = cb else { return };
        if map.contains_key("$ref") {
            return;
        }
        for expression in keys(map) {
            if let Some(item) = child(map, &expression) {
                self.path_item(item, &push_pointer(at, &expression));
            }
        }
    }

    /// A `summary` or `description` beside a non-schema `$ref` (3.1 lets them override the
    /// component's): not applied, with a warning, since the reference stays shared.
    fn ref_overrides(&mut self, map: &Mapping, at: &str) {
        if !map.contains_key("$ref") {
            return;
        }
        for key in ["summary", "description"] {
            if map.contains_key(key) {
                self.warning(
                    &push_pointer(at, key),
                    format!("the `{key}` beside this `$ref` is not used: the docs are the referenced component's"),
                    Some("move the text into the component, or inline the component here"),
                );
            }
        }
    }

    fn parameter(&mut self, p: &mut Value, at: &str) {
        let Value::Mapping(map) = p else { return };
        if map.contains_key("$ref") {
            self.ref_overrides(map, at);
            return;
        }
        if self.version == Version::V32 && map.get("in").and_then(Value::as_str) == Some("querystring") {
            self.error(
                &push_pointer(at, "in"),
                "unsupported: OpenAPI 3.2's `in: querystring`".to_string(),
                Some("this generator reads OpenAPI 3.2 documents as far as they use what 3.1 has"),
            );
        }
        self.schema_and_content(map, at);
    }

    fn response(&mut self, r: &mut Value, at: &str) {
        let Value::Mapping(map) = r else { return };
        if map.contains_key("$ref") {
            self.ref_overrides(map, at);
            return;
        }
        self.refuse_v32(map, at, &["summary"]);
        self.headers(map, at);
        self.with_content(r, at);
    }

    fn headers(&mut self, map: &mut Mapping, at: &str) {
        if let Some(Value::Mapping(headers)) = map.get_mut("headers") {
            let at = push_pointer(at, "headers");
            for name in keys(headers) {
                if let Some(Value::Mapping(h)) = child(headers, &name)
                    && !h.contains_key("$ref")
                {
                    self.schema_and_content(h, &push_pointer(&at, &name));
                }
            }
        }
    }

    /// A parameter's or header's `schema`, `content` and `examples`.
    fn schema_and_content(&mut self, map: &mut Mapping, at: &str) {
        if let Some(s) = child(map, "schema") {
            self.schema(s, &push_pointer(at, "schema"));
        }
        self.examples(map, at);
        self.content(map, at);
    }

    /// A request body's or response's `content` (a `$ref` is left for lowering).
    fn with_content(&mut self, v: &mut Value, at: &str) {
        let Value::Mapping(map) = v else { return };
        if map.contains_key("$ref") {
            return;
        }
        self.content(map, at);
    }

    fn content(&mut self, map: &mut Mapping, at: &str) {
        let Some(Value::Mapping(content)) = map.get_mut("content") else { return };
        let at = push_pointer(at, "content");
        for media in keys(content) {
            let media_at = push_pointer(&at, &media);
            let Some(Value::Mapping(m)) = child(content, &media) else { continue };
            self.refuse_v32(m, &media_at, &["itemSchema", "itemEncoding", "prefixEncoding"]);
            if let Some(s) = child(m, "schema") {
                self.schema(s, &push_pointer(&media_at, "schema"));
            }
            self.examples(m, &media_at);
            if let Some(Value::Mapping(encoding)) = m.get_mut("encoding") {
                let enc_at = push_pointer(&media_at, "encoding");
                for name in keys(encoding) {
                    if let Some(Value::Mapping(e)) = child(encoding, &name) {
                        self.headers(e, &push_pointer(&enc_at, &name));
                    }
                }
            }
        }
    }

    /// An `examples` map of Example objects (parameters, headers, media types): the same in
    /// 3.0 and 3.1; 3.2's `dataValue` and `serializedValue` are refused.
    fn examples(&mut self, map: &Mapping, at: &str) {
        if let Some(Value::Mapping(examples)) = map.get("examples") {
            let at = push_pointer(at, "examples");
            for (name, e) in examples {
                if let (Some(name), Value::Mapping(e)) = (key_str(name), e) {
                    self.refuse_v32(e, &push_pointer(&at, name), &["dataValue", "serializedValue"]);
                }
            }
        }
    }

    fn components(&mut self, components: &mut Mapping) {
        let at = "#/components";
        self.refuse_v32(components, at, &["mediaTypes"]);
        let each = |components: &mut Mapping, section: &str| -> Vec<String> {
            components.get(section).and_then(Value::as_mapping).map(keys).unwrap_or_default()
        };
        for name in each(components, "schemas") {
            let p = push_pointer(&push_pointer(at, "schemas"), &name);
            if let Some(s) = components.get_mut("schemas").and_then(|s| s.get_mut(name.as_str())) {
                self.schema(s, &p);
            }
        }
        for name in each(components, "parameters") {
            let p = push_pointer(&push_pointer(at, "parameters"), &name);
            if let Some(v) = components.get_mut("parameters").and_then(|s| s.get_mut(name.as_str())) {
                self.parameter(v, &p);
            }
        }
        for name in each(components, "responses") {
            let p = push_pointer(&push_pointer(at, "responses"), &name);
            if let Some(v) = components.get_mut("responses").and_then(|s| s.get_mut(name.as_str())) {
                self.response(v, &p);
            }
        }
        for name in each(components, "requestBodies") {
            let p = push_pointer(&push_pointer(at, "requestBodies"), &name);
            if let Some(v) = components.get_mut("requestBodies").and_then(|s| s.get_mut(name.as_str())) {
                self.with_content(v, &p);
            }
        }
        if components.contains_key("headers") {
            self.headers(components, at);
        }
        for name in each(components, "examples") {
            let p = push_pointer(&push_pointer(at, "examples"), &name);
            if let Some(Value::Mapping(e)) = components.get("examples").and_then(|s| s.get(name.as_str())) {
                self.refuse_v32(e, &p, &["dataValue", "serializedValue"]);
            }
        }
        for name in each(components, "callbacks") {
            let p = push_pointer(&push_pointer(at, "callbacks"), &name);
            if let Some(v) = components.get_mut("callbacks").and_then(|s| s.get_mut(name.as_str())) {
                self.callback(v, &p);
            }
        }
        for name in each(components, "securitySchemes") {
            let p = push_pointer(&push_pointer(at, "securitySchemes"), &name);
            let Some(Value::Mapping(scheme)) = components.get("securitySchemes").and_then(|s| s.get(name.as_str()))
            else {
                continue;
            };
            self.refuse_v32(scheme, &p, &["deprecated", "oauth2MetadataUrl"]);
            if let Some(Value::Mapping(flows)) = scheme.get("flows") {
                self.refuse_v32(flows, &push_pointer(&p, "flows"), &["deviceAuthorization"]);
            }
            if scheme.get("type").and_then(Value::as_str) == Some("mutualTLS") {
                self.error(
                    &push_pointer(&p, "type"),
                    "unsupported: `mutualTLS` security schemes".to_string(),
                    Some("the generated client configures no client certificates"),
                );
            }
        }
    }

    /// Rewrites one schema (and every schema inside it) into its 3.0 form.
    fn schema(&mut self, schema: &mut Value, at: &str) {
        let map = match schema {
            Value::Mapping(map) => map,
            // `true` is the schema every value fits: `{}`.
            Value::Bool(true) => {
                *schema = Value::Mapping(Mapping::new());
                return;
            }
            Value::Bool(false) => {
                let mut map = Mapping::new();
                mark(&mut map, None, "the schema `false`, which no value fits");
                self.out.marked.push((at.to_string(), "the schema `false`".to_string()));
                *schema = Value::Mapping(map);
                return;
            }
            _ => return,
        };
        self.ref_siblings(map, at);
        if map.contains_key("$ref") {
            return;
        }
        self.yaml_null_types(map, at);
        self.null_values(map, at);
        self.type_list(map, at);
        self.null_members(map, at);
        self.const_and_examples(map, at);
        self.exclusive_bounds(map, at);
        self.content_keywords(map, at);
        self.keywords(map, at);
        self.defs(map, at);
        self.children(map, at);
    }

    /// `$ref` with keywords beside it (3.1 allows them; 3.0 ignores them) → `allOf: [{$ref}]`
    /// and the keywords, 3.0's spelling of "this reference, with these docs".
    fn ref_siblings(&mut self, map: &mut Mapping, at: &str) {
        let siblings = map.keys().filter_map(key_str).any(|k| !matches!(k, "$ref" | "$comment"));
        if !map.contains_key("$ref") || !siblings {
            return;
        }
        let Some(reference) = map.remove("$ref") else { return };
        let mut member = Mapping::new();
        member.insert(Value::from("$ref"), reference);
        let all_of_at = push_pointer(at, "allOf");
        match map.get_mut("allOf") {
            Some(Value::Sequence(members)) => {
                // The members written after the `$ref` move one place down.
                let moved: Vec<(String, String)> = (0..members.len())
                    .map(|i| (push_pointer(&all_of_at, &(i + 1).to_string()), push_pointer(&all_of_at, &i.to_string())))
                    .collect();
                let resolved: Vec<(String, String)> =
                    moved.into_iter().map(|(to, from)| (to, self.out.rewrites.original(&from))).collect();
                for (to, from) in resolved {
                    self.out.rewrites.0.insert(to, from);
                }
                members.insert(0, Value::Mapping(member));
            }
            _ => {
                map.insert(Value::from("allOf"), Value::Sequence(vec![Value::Mapping(member)]));
                self.out.rewrites.moved(all_of_at.clone(), at);
                self.out.ref_siblings.insert(at.to_string());
            }
        }
        self.out.rewrites.moved(push_pointer(&all_of_at, "0"), at);
    }

    /// YAML's `null` (unquoted) in a type list, which hand-written documents often say for
    /// the string `"null"`: read as `"null"`, with a warning at the entry.
    fn yaml_null_types(&mut self, map: &mut Mapping, at: &str) {
        let Some(Value::Sequence(types)) = map.get_mut("type") else { return };
        let type_at = push_pointer(at, "type");
        let mut nulls = Vec::new();
        for (i, t) in types.iter_mut().enumerate() {
            if t.is_null() {
                *t = Value::from("null");
                nulls.push(push_pointer(&type_at, &i.to_string()));
            }
        }
        for entry_at in nulls {
            self.warning(
                &entry_at,
                format!("{}`null` in a type list must be the string \"null\"; assumed \"null\"", crate::diag::MISTAKE),
                Some("quote it: `\"null\"`"),
            );
        }
    }

    /// `type` as a list.
    fn type_list(&mut self, map: &mut Mapping, at: &str) {
        let Some(Value::Sequence(types)) = map.get("type") else {
            if map.get("type").and_then(Value::as_str) == Some("null") {
                self.only_null(map, at, "type");
            }
            return;
        };
        if types.is_empty() {
            mark(map, Some("type"), "an empty `type` list, which no value fits");
            self.out.marked.push((push_pointer(at, "type"), "an empty `type` list".to_string()));
            map.remove("type");
            return;
        }
        let names: Vec<String> = types.iter().filter_map(Value::as_str).map(str::to_string).collect();
        if names.len() != types.len() {
            return; // not a list of names: the typed parse reports it
        }
        let null = names.iter().any(|t| t == "null");
        let others: Vec<(usize, String)> = names.iter().cloned().enumerate().filter(|(_, t)| t != "null").collect();
        let type_at = push_pointer(at, "type");
        if null {
            map.insert(Value::from("nullable"), Value::Bool(true));
            self.out.rewrites.moved(push_pointer(at, "nullable"), &type_at);
        }
        match others.as_slice() {
            [] => {
                map.remove("type");
                self.only_null(map, at, "type");
            }
            [(i, one)] => {
                map.insert(Value::from("type"), Value::from(one.as_str()));
                self.out.rewrites.moved(type_at.clone(), &push_pointer(&type_at, &i.to_string()));
            }
            several => self.split_types(map, at, several),
        }
    }

    /// `type: [string, integer]` → `oneOf: [{type: string, …}, {type: integer, …}]`, each
    /// member taking the keywords of its type; annotations stay on the union.
    fn split_types(&mut self, map: &mut Mapping, at: &str, types: &[(usize, String)]) {
        let type_at = push_pointer(at, "type");
        map.remove("type");
        let one_of_at = push_pointer(at, "oneOf");
        if map.contains_key("oneOf") || map.contains_key("anyOf") {
            let keyword = if map.contains_key("oneOf") { "oneOf" } else { "anyOf" };
            mark(map, Some("type"), &format!("`type` listing several types beside `{keyword}`"));
            self.out.marked.push((type_at, "a `type` list beside a union".to_string()));
            return;
        }
        let mut members = Vec::new();
        for (j, (i, t)) in types.iter().enumerate() {
            let member_at = push_pointer(&one_of_at, &j.to_string());
            let mut member = Mapping::new();
            member.insert(Value::from("type"), Value::from(t.as_str()));
            // The member and its `type` are both the list's entry.
            let entry_at = push_pointer(&type_at, &i.to_string());
            self.out.rewrites.moved(member_at.clone(), &entry_at);
            self.out.rewrites.moved(push_pointer(&member_at, "type"), &entry_at);
            for k in keys(map) {
                if applies_to(&k, t, map.get(k.as_str())) {
                    let value = if k == "enum" {
                        let Some(Value::Sequence(values)) = map.get("enum") else { continue };
                        Value::Sequence(values.iter().filter(|v| value_is(v, t)).cloned().collect())
                    } else {
                        let Some(v) = map.get(k.as_str()) else { continue };
                        v.clone()
                    };
                    member.insert(Value::from(k.as_str()), value);
                    self.out.rewrites.moved(push_pointer(&member_at, &k), &push_pointer(at, &k));
                }
            }
            members.push(Value::Mapping(member));
        }
        for k in keys(map) {
            if types.iter().any(|(_, t)| applies_to(&k, t, map.get(k.as_str()))) {
                map.remove(k.as_str());
            }
        }
        map.insert(Value::from("oneOf"), Value::Sequence(members));
        self.out.rewrites.moved(one_of_at, &type_at);
        self.out.type_lists.insert(at.to_string());
    }

    /// A schema that allows only `null`: 3.0 has no such type. Marked once, at the first
    /// keyword that says so (`type: "null"` with `const: null` is one problem).
    fn only_null(&mut self, map: &mut Mapping, at: &str, keyword: &str) {
        const ONLY_NULL: &str = "a schema whose only value is `null`";
        let marked = matches!(map.get(UNSUPPORTED), Some(Value::Sequence(marks))
            if marks.iter().any(|m| m.get("message").and_then(Value::as_str) == Some(ONLY_NULL)));
        if marked {
            return;
        }
        mark(map, Some(keyword), ONLY_NULL);
        self.out.marked.push((push_pointer(at, keyword), ONLY_NULL.to_string()));
    }

    /// `null` among a schema's values: `const: null` allows only `null` (as `type: "null"`
    /// does); `enum: [a, b, null]` is 3.0's nullable enum, `nullable: true` with the other
    /// values. An enum that lists `null` beside a `type` without `"null"` cannot hold it by
    /// JSON Schema's rules; the author meant a nullable enum, read so with a warning.
    fn null_values(&mut self, map: &mut Mapping, at: &str) {
        if matches!(map.get("const"), Some(Value::Null)) {
            map.remove("const");
            self.only_null(map, at, "const");
        }
        let Some(Value::Sequence(values)) = map.get("enum") else { return };
        let Some(null_at) = values.iter().position(Value::is_null) else { return };
        let enum_at = push_pointer(at, "enum");
        let kept: Vec<(usize, Value)> = values.iter().cloned().enumerate().filter(|(_, v)| !v.is_null()).collect();
        if kept.is_empty() {
            map.remove("enum");
            self.only_null(map, at, "enum");
            return;
        }
        let null_type = match map.get("type") {
            None => true,
            Some(Value::String(t)) => t == "null",
            Some(Value::Sequence(ts)) => ts.iter().any(|t| t.as_str() == Some("null") || t.is_null()),
            Some(_) => true, // not a type: the typed parse reports it
        };
        let null_value_at = push_pointer(&enum_at, &null_at.to_string());
        if !null_type {
            let (typ, with_null) = match map.get("type") {
                Some(Value::String(t)) => (format!("`type: {t}`"), format!("`type: [{t}, \"null\"]`")),
                _ => ("`type`".to_string(), "`\"null\"` in `type`".to_string()),
            };
            self.warning(
                &null_value_at,
                format!(
                    "{}`enum` lists `null`, which {typ} does not allow; assumed the value may be null",
                    crate::diag::MISTAKE
                ),
                Some(&format!("say {with_null}, or remove `null` from `enum`")),
            );
        }
        for (j, (i, _)) in kept.iter().enumerate() {
            if j != *i {
                let original = self.out.rewrites.original(&push_pointer(&enum_at, &i.to_string()));
                self.out.rewrites.0.insert(push_pointer(&enum_at, &j.to_string()), original);
            }
        }
        map.insert(Value::from("enum"), Value::Sequence(kept.into_iter().map(|(_, v)| v).collect()));
        map.insert(Value::from("nullable"), Value::Bool(true));
        self.out.rewrites.moved(push_pointer(at, "nullable"), &null_value_at);
    }

    /// `{type: "null"}` members of `oneOf`/`anyOf` → `nullable: true` on the union.
    fn null_members(&mut self, map: &mut Mapping, at: &str) {
        for keyword in ["oneOf", "anyOf"] {
            let union_at = push_pointer(at, keyword);
            // A member's YAML `null` in its type list, read as "null" before the member is
            // judged (its own normalization comes later).
            if let Some(Value::Sequence(members)) = map.get_mut(keyword) {
                for (i, m) in members.iter_mut().enumerate() {
                    if let Value::Mapping(m) = m {
                        self.yaml_null_types(m, &push_pointer(&union_at, &i.to_string()));
                    }
                }
            }
            let Some(Value::Sequence(members)) = map.get(keyword) else { continue };
            let kept: Vec<(usize, Value)> =
                members.iter().cloned().enumerate().filter(|(_, m)| !is_null_schema(m)).collect();
            if kept.len() == members.len() {
                continue;
            }
            let null_at = members.iter().position(is_null_schema).unwrap_or_default();
            map.insert(Value::from("nullable"), Value::Bool(true));
            self.out.rewrites.moved(push_pointer(at, "nullable"), &push_pointer(&union_at, &null_at.to_string()));
            let sole_ref = match kept.as_slice() {
                [(_, Value::Mapping(m))] => m.len() == 1 && m.contains_key("$ref"),
                _ => false,
            };
            let inline_hoistable = match kept.as_slice() {
                [(_, Value::Mapping(m))] => {
                    !m.contains_key("$ref")
                        && m.keys().filter_map(key_str).all(|k| k == "nullable" || !map.contains_key(k))
                        && !map.contains_key("discriminator")
                }
                _ => false,
            };
            match kept.as_slice() {
                [] => {
                    map.remove(keyword);
                    self.only_null(map, at, keyword);
                }
                [(i, member)] if sole_ref && !map.contains_key("allOf") && !map.contains_key("discriminator") => {
                    map.remove(keyword);
                    let all_of_at = push_pointer(at, "allOf");
                    map.insert(Value::from("allOf"), Value::Sequence(vec![member.clone()]));
                    self.out.rewrites.moved(all_of_at.clone(), &union_at);
                    self.out.rewrites.moved(push_pointer(&all_of_at, "0"), &push_pointer(&union_at, &i.to_string()));
                }
                [(i, Value::Mapping(member))] if inline_hoistable => {
                    map.remove(keyword);
                    let member_at = push_pointer(&union_at, &i.to_string());
                    for (k, v) in member {
                        let Some(k) = key_str(k) else { continue };
                        if k == "nullable" {
                            continue;
                        }
                        map.insert(Value::from(k), v.clone());
                        self.out.rewrites.moved(push_pointer(at, k), &push_pointer(&member_at, k));
                    }
                }
                _ => {
                    for (j, (i, _)) in kept.iter().enumerate() {
                        if j != *i {
                            let original = self.out.rewrites.original(&push_pointer(&union_at, &i.to_string()));
                            self.out.rewrites.0.insert(push_pointer(&union_at, &j.to_string()), original);
                        }
                    }
                    map.insert(Value::from(keyword), Value::Sequence(kept.into_iter().map(|(_, m)| m).collect()));
                }
            }
        }
    }

    /// `const` → a one-value `enum`; a schema's `examples` list → its first as `example`, the
    /// others as [`EXTRA_EXAMPLES`].
    fn const_and_examples(&mut self, map: &mut Mapping, at: &str) {
        if let Some(value) = map.remove("const") {
            let const_at = push_pointer(at, "const");
            match map.get("enum") {
                Some(Value::Sequence(values)) if !values.contains(&value) => {
                    mark(map, Some("enum"), "`const` with a value `enum` does not list: no value fits");
                    self.out.marked.push((push_pointer(at, "enum"), "`const` outside `enum`".to_string()));
                }
                _ => {
                    map.insert(Value::from("enum"), Value::Sequence(vec![value]));
                    self.out.rewrites.moved(push_pointer(at, "enum"), &const_at);
                }
            }
        }
        let examples = match map.remove("examples") {
            Some(Value::Sequence(examples)) => Some(examples),
            Some(other) => {
                let what = match other {
                    Value::Mapping(_) => "a map (the form of a parameter's or media type's `examples`)",
                    Value::Null => "`null`",
                    _ => "a single value",
                };
                self.warning(
                    &push_pointer(at, "examples"),
                    format!("a schema's `examples` must be a list of values, not {what}; it is not used"),
                    Some("write the values as a list: `examples: [a, b]`"),
                );
                None
            }
            None => None,
        };
        if let Some(examples) = examples {
            // The first becomes `example` (unless the schema has one), the others
            // `x-codegen-examples`, which lowering reads after `example`: every example is
            // checked against its schema and tested in the generated crate.
            let examples_at = push_pointer(at, "examples");
            let mut rest = Vec::new();
            for (i, example) in examples.into_iter().enumerate() {
                let from = push_pointer(&examples_at, &i.to_string());
                if map.contains_key("example") {
                    let to = push_pointer(&push_pointer(at, EXTRA_EXAMPLES), &rest.len().to_string());
                    self.out.rewrites.moved(to, &from);
                    rest.push(example);
                } else {
                    map.insert(Value::from("example"), example);
                    self.out.rewrites.moved(push_pointer(at, "example"), &from);
                }
            }
            if !rest.is_empty() {
                map.insert(Value::from(EXTRA_EXAMPLES), Value::Sequence(rest));
            }
        }
    }

    /// Numeric `exclusiveMinimum: 5` → `minimum: 5, exclusiveMinimum: true` (the stricter
    /// of it and a `minimum` beside it); the same for maximums.
    fn exclusive_bounds(&mut self, map: &mut Mapping, at: &str) {
        for (exclusive, inclusive, stricter) in [
            ("exclusiveMinimum", "minimum", std::cmp::Ordering::Greater),
            ("exclusiveMaximum", "maximum", std::cmp::Ordering::Less),
        ] {
            let Some(bound) = map.get(exclusive).filter(|v| v.is_number()).cloned() else { continue };
            let (Some(b), other) = (bound.as_f64(), map.get(inclusive).and_then(Value::as_f64)) else { continue };
            let exclusive_wins = other.is_none_or(|o| b.partial_cmp(&o) != Some(stricter.reverse()));
            if exclusive_wins {
                map.insert(Value::from(inclusive), bound);
                map.insert(Value::from(exclusive), Value::Bool(true));
                self.out.rewrites.moved(push_pointer(at, inclusive), &push_pointer(at, exclusive));
            } else {
                map.remove(exclusive);
            }
        }
    }

    /// `contentEncoding` and `contentMediaType` on strings: base64 text is 3.0's
    /// `format: byte`, binary content without an encoding its `format: binary`.
    fn content_keywords(&mut self, map: &mut Mapping, at: &str) {
        let encoding = map.get("contentEncoding").and_then(Value::as_str).map(str::to_ascii_lowercase);
        let media = map.get("contentMediaType").and_then(Value::as_str).map(str::to_string);
        if encoding.is_none() && media.is_none() {
            return;
        }
        let typed_string = match map.get("type") {
            None => true,
            Some(t) => t.as_str() == Some("string"),
        };
        if !typed_string || map.contains_key("format") {
            return;
        }
        let (format, from) = match (&encoding, &media) {
            (Some(e), _) if e == "base64" || e == "base64url" => ("byte", "contentEncoding"),
            (Some(e), _) => {
                self.warning(
                    &push_pointer(at, "contentEncoding"),
                    format!("`contentEncoding: {e}` is not read; the value is a plain string"),
                    None,
                );
                return;
            }
            (None, Some(m)) if is_binary_media(m) => ("binary", "contentMediaType"),
            (None, Some(_)) => return, // text content: a string, as it stands
            (None, None) => return,
        };
        let from = push_pointer(at, from);
        if !map.contains_key("type") {
            map.insert(Value::from("type"), Value::from("string"));
            self.out.rewrites.moved(push_pointer(at, "type"), &from);
        }
        map.insert(Value::from("format"), Value::from(format));
        self.out.rewrites.moved(push_pointer(at, "format"), &from);
    }

    /// JSON Schema keywords 3.0 does not have: rewritten where the Rust shape is the same
    /// as a 3.0 keyword's, marked unsupported where it is not, and warned about where they
    /// only constrain values the client does not check.
    fn keywords(&mut self, map: &mut Mapping, at: &str) {
        if let Some(Value::Mapping(d)) = map.get("discriminator")
            && self.version == Version::V32
        {
            let d = d.clone();
            self.refuse_v32(&d, &push_pointer(at, "discriminator"), &["defaultMapping"]);
        }
        if let Some(Value::Mapping(xml)) = map.get("xml") {
            self.refuse_v32(xml, &push_pointer(at, "xml"), &["nodeType"]);
        }
        if let Some(u) = map.get("unevaluatedProperties").cloned() {
            let composed = ["allOf", "oneOf", "anyOf"].iter().any(|k| map.contains_key(*k));
            match u {
                Value::Bool(true) => {
                    map.remove("unevaluatedProperties");
                }
                _ if !composed && !map.contains_key("additionalProperties") => {
                    map.remove("unevaluatedProperties");
                    map.insert(Value::from("additionalProperties"), u);
                    self.out
                        .rewrites
                        .moved(push_pointer(at, "additionalProperties"), &push_pointer(at, "unevaluatedProperties"));
                }
                // An object closed by `allOf` members it merges: lowering makes one struct of
                // them, with the same fields either way.
                Value::Bool(false)
                    if map.contains_key("allOf") && !map.contains_key("oneOf") && !map.contains_key("anyOf") =>
                {
                    map.remove("unevaluatedProperties");
                }
                _ => {
                    mark(
                        map,
                        Some("unevaluatedProperties"),
                        "`unevaluatedProperties` beside a union or `additionalProperties`",
                    );
                    self.out.marked.push((push_pointer(at, "unevaluatedProperties"), "unevaluatedProperties".into()));
                }
            }
        }
        // `unevaluatedItems: false` beside `items` says nothing `items` does not.
        if matches!(map.get("unevaluatedItems"), Some(Value::Bool(false))) && map.contains_key("items")
            || matches!(map.get("unevaluatedItems"), Some(Value::Bool(true)))
        {
            map.remove("unevaluatedItems");
        }
        const UNSUPPORTED_KEYWORDS: [(&str, &str); 9] = [
            ("prefixItems", "`prefixItems` (tuples)"),
            ("if", "`if`/`then`/`else` (conditional schemas)"),
            ("then", "`if`/`then`/`else` (conditional schemas)"),
            ("else", "`if`/`then`/`else` (conditional schemas)"),
            ("dependentSchemas", "`dependentSchemas`"),
            ("patternProperties", "`patternProperties`"),
            ("unevaluatedItems", "`unevaluatedItems`"),
            ("$dynamicRef", "`$dynamicRef`"),
            ("$recursiveRef", "`$recursiveRef`"),
        ];
        for (keyword, what) in UNSUPPORTED_KEYWORDS {
            if map.contains_key(keyword) {
                mark(map, Some(keyword), what);
                self.out.marked.push((push_pointer(at, keyword), what.to_string()));
            }
        }
        if let Some(dialect) = map.get("$schema").cloned() {
            match dialect.as_str() {
                Some(d) if DEFAULT_DIALECTS.contains(&d) || d.starts_with("https://json-schema.org/draft/2020-12/") => {
                    map.remove("$schema");
                }
                _ => {
                    let what = format!("the schema dialect {}", plain(&dialect));
                    mark(map, Some("$schema"), &what);
                    self.out.marked.push((push_pointer(at, "$schema"), what));
                }
            }
        }
        const UNCHECKED: [(&str, &str); 6] = [
            ("dependentRequired", "which properties require which others"),
            ("contains", "what the list must contain"),
            ("minContains", "how many items must match `contains`"),
            ("maxContains", "how many items may match `contains`"),
            ("propertyNames", "what the object's keys must be"),
            ("contentSchema", "the schema of the string's decoded content"),
        ];
        for (keyword, what) in UNCHECKED {
            if map.contains_key(keyword) {
                self.warning(
                    &push_pointer(at, keyword),
                    format!("`{keyword}` ({what}) is not checked by the generated client"),
                    Some("the server's checks still apply; the Rust type is the same without it"),
                );
            }
        }
        for keyword in ["$id", "$anchor", "$dynamicAnchor"] {
            if map.contains_key(keyword) {
                self.warning(
                    &push_pointer(at, keyword),
                    format!("`{keyword}` is ignored: references are followed by JSON pointer only"),
                    Some("refer to this schema by its place in the document (`#/components/schemas/…`)"),
                );
            }
        }
    }

    /// Records where `$defs` are (lowering follows `$ref`s into them); refuses a `$defs` that
    /// is not a mapping of names to schemas. Whether there are any to read.
    fn defs(&mut self, map: &Mapping, at: &str) -> bool {
        match map.get("$defs") {
            None => false,
            Some(Value::Mapping(_)) => {
                self.defs_at.push(at.to_string());
                true
            }
            Some(_) => {
                self.error(
                    &push_pointer(at, "$defs"),
                    "`$defs` must be a mapping of names to schemas".to_string(),
                    Some("write `$defs:` with one schema under each name"),
                );
                false
            }
        }
    }

    fn children(&mut self, map: &mut Mapping, at: &str) {
        for keyword in ["properties", "$defs"] {
            if let Some(Value::Mapping(props)) = map.get_mut(keyword) {
                let base = push_pointer(at, keyword);
                for name in keys(props) {
                    if let Some(s) = child(props, &name) {
                        self.schema(s, &push_pointer(&base, &name));
                    }
                }
            }
        }
        for keyword in ["items", "not"] {
            if let Some(s) = child(map, keyword) {
                self.schema(s, &push_pointer(at, keyword));
            }
        }
        if let Some(s @ Value::Mapping(_)) = child(map, "additionalProperties") {
            self.schema(s, &push_pointer(at, "additionalProperties"));
        }
        for keyword in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Sequence(members)) = map.get_mut(keyword) {
                let base = push_pointer(at, keyword);
                for (i, m) in members.iter_mut().enumerate() {
                    self.schema(m, &push_pointer(&base, &i.to_string()));
                }
            }
        }
    }

    /// The `$defs` subtrees, normalized, placed at their pointers in an otherwise empty
    /// JSON document (lowering follows `$ref`s into them; the typed document has no place
    /// for them).
    fn collect_defs(&mut self, doc: &Value) -> Option<serde_json::Value> {
        if self.defs_at.is_empty() {
            return None;
        }
        let mut out = serde_json::Value::Object(serde_json::Map::new());
        for at in std::mem::take(&mut self.defs_at) {
            let tokens: Vec<String> = at.split('/').skip(1).map(crate::diag::unescape_pointer).collect();
            let mut source = doc;
            for t in &tokens {
                match source.get(t.as_str()) {
                    Some(next) => source = next,
                    None => break,
                }
            }
            let Some(defs) = source.get("$defs").and_then(|d| serde_json::to_value(d).ok()) else { continue };
            let mut target = &mut out;
            for t in &tokens {
                let serde_json::Value::Object(map) = target else { break };
                target = map.entry(t.clone()).or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
            }
            if let serde_json::Value::Object(map) = target {
                map.insert("$defs".to_string(), defs);
            }
        }
        Some(out)
    }
}

/// Leaves the [`UNSUPPORTED`] mark for `keyword` (or the schema itself) on a schema.
fn mark(map: &mut Mapping, keyword: Option<&str>, what: &str) {
    let mut entry = Mapping::new();
    entry.insert(Value::from("keyword"), keyword.map_or(Value::Null, Value::from));
    entry.insert(Value::from("message"), Value::from(what));
    match map.get_mut(UNSUPPORTED) {
        Some(Value::Sequence(list)) => list.push(Value::Mapping(entry)),
        _ => {
            map.insert(Value::from(UNSUPPORTED), Value::Sequence(vec![Value::Mapping(entry)]));
        }
    }
}

/// A value as a message quotes it.
fn plain(v: &Value) -> String {
    match v.as_str() {
        Some(s) => format!("`{s}`"),
        None => "that is not a string".to_string(),
    }
}

/// `{type: "null"}`, `{const: null}` or `{enum: [null]}` (with annotations at most): a union
/// member that only says "or null".
fn is_null_schema(member: &Value) -> bool {
    let Value::Mapping(m) = member else { return false };
    let null_type = match m.get("type") {
        None => true,
        Some(Value::String(t)) => t == "null",
        Some(Value::Sequence(ts)) => ts.len() == 1 && ts.first().and_then(Value::as_str) == Some("null"),
        _ => false,
    };
    let null_const = m.get("const").is_none_or(Value::is_null);
    let null_enum = match m.get("enum") {
        None => true,
        Some(Value::Sequence(values)) => !values.is_empty() && values.iter().all(Value::is_null),
        _ => false,
    };
    let says_null = ["type", "const", "enum"].iter().any(|k| m.contains_key(*k));
    says_null
        && null_type
        && null_const
        && null_enum
        && m.keys().filter_map(key_str).all(|k| {
            matches!(k, "type" | "const" | "enum" | "description" | "title" | "$comment" | "deprecated")
                || k.starts_with("x-")
        })
}

/// Whether `keyword` (with `value`) of a multi-type schema belongs to the member of type `t`.
fn applies_to(keyword: &str, t: &str, value: Option<&Value>) -> bool {
    match keyword {
        "minLength" | "maxLength" | "pattern" | "contentEncoding" | "contentMediaType" => t == "string",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => {
            t == "integer" || t == "number"
        }
        "items" | "minItems" | "maxItems" | "uniqueItems" => t == "array",
        "properties" | "required" | "additionalProperties" | "minProperties" | "maxProperties" => t == "object",
        "format" => match value.and_then(Value::as_str) {
            Some("int32" | "int64") => t == "integer",
            Some("float" | "double") => t == "number",
            Some(_) => t == "string",
            None => false,
        },
        "enum" => true,
        _ => false,
    }
}

/// Whether an enum value is of JSON type `t`.
fn value_is(v: &Value, t: &str) -> bool {
    match t {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_bool(),
        "array" => v.is_sequence(),
        "object" => v.is_mapping(),
        _ => false,
    }
}

/// Whether content of this media type is bytes rather than text (`image/png`,
/// `application/octet-stream`, `application/pdf`).
fn is_binary_media(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let (top, sub) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
    let text = top == "text"
        || sub == "json"
        || sub.ends_with("+json")
        || sub == "xml"
        || sub.ends_with("+xml")
        || matches!(sub, "yaml" | "x-yaml" | "javascript" | "x-www-form-urlencoded" | "csv");
    !text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(text: &str) -> (Value, Normalized) {
        let mut v: Value = yaml_serde::from_str(text).expect("yaml");
        let n = normalize(&mut v, Version::V31);
        (v, n)
    }

    #[test]
    fn rewrites_resolve_the_longest_moved_prefix() {
        let mut r = Rewrites::default();
        r.moved("#/a/allOf/0".into(), "#/a");
        assert_eq!(r.original("#/a/allOf/0/$ref"), "#/a/$ref");
        assert_eq!(r.original("#/a/allOf"), "#/a/allOf");
        assert_eq!(r.original("#/b"), "#/b");
        r.moved("#/x/oneOf/0".into(), "#/a/allOf/0/y");
        assert_eq!(r.original("#/x/oneOf/0/z"), "#/a/y/z");
    }

    #[test]
    fn path_item_refs_are_inlined_with_their_overrides_and_located_in_the_component() {
        let (v, n) = normalized(
            "paths:\n  /a:\n    $ref: '#/components/pathItems/A'\n    summary: Mine\n    post: {operationId: p}\n    get: {operationId: mine}\ncomponents:\n  pathItems:\n    A:\n      summary: Theirs\n      get: {operationId: g}\n",
        );
        let a = &v["paths"]["/a"];
        assert!(a.get("$ref").is_none());
        assert_eq!(a["summary"].as_str(), Some("Mine"));
        assert_eq!(a["get"]["operationId"].as_str(), Some("g"));
        assert_eq!(a["post"]["operationId"].as_str(), Some("p"));
        assert_eq!(n.rewrites.original("#/paths/~1a/get/responses"), "#/components/pathItems/A/get/responses");
        assert_eq!(n.rewrites.original("#/paths/~1a/post"), "#/paths/~1a/post");
        assert_eq!(n.rewrites.original("#/paths/~1a/summary"), "#/paths/~1a/summary");
        let warned: Vec<&str> = n.problems.iter().map(|p| p.pointer.as_str()).collect();
        assert_eq!(warned, ["#/paths/~1a/get"]);
    }

    #[test]
    fn type_lists_and_null_members() {
        let (v, n) = normalized(
            "components:\n  schemas:\n    A:\n      type: [string, 'null']\n    B:\n      oneOf:\n        - type: 'null'\n        - $ref: '#/components/schemas/A'\n",
        );
        let a = &v["components"]["schemas"]["A"];
        assert_eq!(a["type"].as_str(), Some("string"));
        assert_eq!(a["nullable"].as_bool(), Some(true));
        let b = &v["components"]["schemas"]["B"];
        assert!(b.get("oneOf").is_none());
        assert_eq!(b["allOf"][0]["$ref"].as_str(), Some("#/components/schemas/A"));
        assert_eq!(n.rewrites.original("#/components/schemas/B/allOf/0/$ref"), "#/components/schemas/B/oneOf/1/$ref");
    }

    #[test]
    fn a_split_type_list_member_and_its_type_are_the_list_entry() {
        let (v, n) = normalized("components:\n  schemas:\n    A:\n      type: [integer, string]\n      minimum: 1\n");
        let a = &v["components"]["schemas"]["A"];
        assert_eq!(a["oneOf"][1]["type"].as_str(), Some("string"));
        let at = "#/components/schemas/A";
        assert_eq!(n.rewrites.original(&format!("{at}/oneOf/1/type")), format!("{at}/type/1"));
        assert_eq!(n.rewrites.original(&format!("{at}/oneOf/1")), format!("{at}/type/1"));
        assert_eq!(n.rewrites.original(&format!("{at}/oneOf/0/minimum")), format!("{at}/minimum"));
    }
}
