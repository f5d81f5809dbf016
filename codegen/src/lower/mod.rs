//! Lower: `openapiv3` document → [`crate::ir::Api`].
//!
//! Lowering resolves references, decides every name (through `crate::names`), recognises
//! envelopes and pagination, and turns query parameters into a tree. It refuses what it does
//! not model with an "unsupported" diagnostic pointing at the node, rather than dropping it,
//! and it keeps going after an error so one run reports every independent problem.

mod all_of;
mod examples;
mod features;
pub mod krate;
mod media;
mod operations;
mod params;
mod query_types;
mod refs;
mod schemas;
pub mod skip;
mod typing;
mod unions;

use std::collections::HashMap;

use crate::diag::{Diagnostic, Diagnostics, Severity, push_pointer};
use crate::ir::{Api, TypeDef};
use crate::load::Spec;
use crate::names::{Ident, Scope};

/// The result of a successful lowering: the IR and any warnings.
#[derive(Debug, Clone)]
pub struct Lowered {
    /// The IR.
    pub api: Api,
    /// Suspicious but legal input.
    pub warnings: Vec<Diagnostic>,
    /// How many of the document's operations the IR has.
    pub coverage: skip::Coverage,
}

/// Lowers a loaded spec, reporting every error found (not only the first).
pub fn lower(spec: &Spec) -> Result<Lowered, Diagnostics> {
    lower_with(spec, false)
}

/// Lowers a loaded spec; with `skip_unsupported` (or `skip-unsupported: true` in
/// `info.x-rust-crate`), each schema or operation with a problem is left out with a warning
/// instead of failing the run (see [`skip`]).
pub fn lower_with(spec: &Spec, skip_unsupported: bool) -> Result<Lowered, Diagnostics> {
    let arena = typed_arena::Arena::new();
    let parameters = typed_arena::Arena::new();
    let mut l = Lowerer {
        skip_unsupported,
        spec,
        arena: &arena,
        parameters: &parameters,
        doc_json: std::cell::OnceCell::new(),
        pointer_schemas: std::cell::RefCell::new(HashMap::new()),
        by_pointer: HashMap::new(),
        pointer_refs_open: Vec::new(),
        diagnostics: spec.warnings.clone(),
        types: Vec::new(),
        type_scope: Scope::with_reserved(crate::names::PRELUDE),
        component_names: HashMap::new(),
        lowering_components: Vec::new(),
        examples: Vec::new(),
        union_lists: HashMap::new(),
    };
    let rust_crate = l.rust_crate();
    l.skip_unsupported |= rust_crate.skip_unsupported == Some(true);
    l.register_components();
    l.lower_components();
    let auth = l.auth_schemes();
    let base_url = l.base_url();
    let mut resources = l.lower_operations();
    let operations = l.count_operations();
    if l.skip_unsupported {
        for (pointer, message) in skip::prune(&mut l.types, &mut resources) {
            l.warning(&pointer, message, None);
        }
    }
    // A resource whose every operation was left out has nothing to offer.
    resources.retain(|r| !r.operations.is_empty());
    let generated: usize = resources.iter().map(|r| r.operations.len()).sum();
    let coverage = skip::Coverage { operations, skipped: operations.saturating_sub(generated) };
    let (query_types, renamed) = query_types::share(&mut resources);
    for (pointer, message) in renamed {
        l.warning(
            &pointer,
            message,
            Some("rename the parameter's property so the setter is named, not numbered".into()),
        );
    }
    let error_body = operations::common_error_body(&resources);
    l.check_examples();
    l.order_unions();
    l.report_unmet_marks();
    let mut types = std::mem::take(&mut l.types);
    for (pointer, message) in schemas::unrepresentable(&types) {
        l.error(
            &pointer,
            message,
            Some("give the schema properties, or make the recursion go through an object".into()),
        );
    }
    schemas::mark_boxed(&mut types);
    let bodies: Vec<&crate::ir::TypeRef> = resources
        .iter()
        .flat_map(|r| &r.operations)
        .filter_map(|op| op.body.as_ref())
        .flat_map(|b| b.sent_types())
        .collect();
    for (pointer, message) in schemas::finish_types(&mut types, &bodies) {
        l.warning(&pointer, message, Some("rename the property so the setter is named, not numbered".into()));
    }
    types.sort_by(|a, b| a.name.cmp(&b.name));
    // A problem in a shared component is met once per use; report it once (in the order
    // first met), saying how many places met it.
    let mut met: indexmap::IndexMap<(String, String), (Diagnostic, usize)> = indexmap::IndexMap::new();
    for d in l.diagnostics {
        met.entry((d.pointer.clone(), d.message.clone())).or_insert((d, 0)).1 += 1;
    }
    let unique = met.into_values().map(|(mut d, n)| {
        if n > 1 && d.pointer.starts_with("#/components/") {
            d.message.push_str(&format!(" (met in {n} places that use it)"));
        }
        d
    });
    let (errors, mut warnings): (Vec<_>, Vec<_>) = unique.partition(|d| d.severity == Severity::Error);
    if !errors.is_empty() {
        let mut all = errors;
        all.extend(warnings);
        spec.locate_all(&mut all);
        return Err(Diagnostics(all));
    }
    let info = &spec.doc.info;
    let mut api = Api {
        title: info.title.clone(),
        version: info.version.clone(),
        docs: prose(info.description.as_ref()),
        base_url,
        auth,
        resources,
        types,
        query_types,
        error_body,
        rust_crate,
        features: Vec::new(),
    };
    if let Some(message) = features::assign(&mut api) {
        warnings.push(spec.unlocated(Severity::Warning, "#/info/x-rust-crate", message, None));
    }
    // Every diagnostic located in one pass of the text.
    spec.locate_all(&mut warnings);
    Ok(Lowered { api, warnings, coverage })
}

/// A schema read by JSON pointer, with the media type it was taken from when the pointer
/// named a response or request body.
type PointerSchema<'a> = Result<(&'a openapiv3::ReferenceOr<Box<openapiv3::Schema>>, Option<String>), refs::Unfollowed>;
/// Spec prose (a description, summary or title) as docs. Blank text (`description: ''`)
/// is no text: the item gets the generated crate's fallback docs, not empty ones.
fn prose(text: Option<&String>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty()).cloned()
}

/// Lowering state shared by the submodules.
pub(crate) struct Lowerer<'a> {
    /// Leave out what has a problem, with a warning, instead of failing (see [`skip`]).
    skip_unsupported: bool,
    spec: &'a Spec,
    /// Schemas lowering reads that are not in the typed document as such: schemas named by
    /// a JSON-pointer `$ref`, and definitions merged from `allOf` members.
    arena: &'a typed_arena::Arena<openapiv3::ReferenceOr<Box<openapiv3::Schema>>>,
    /// Parameters lowering assumes that the document does not declare: a path parameter its
    /// template names and no parameter list declares.
    parameters: &'a typed_arena::Arena<openapiv3::Parameter>,
    /// The document as JSON, made when a `$ref` first points inside a component.
    doc_json: std::cell::OnceCell<Option<serde_json::Value>>,
    /// Schemas read by JSON pointer (see `refs::Lowerer::follow_schema`), by pointer.
    pointer_schemas: std::cell::RefCell<HashMap<String, PointerSchema<'a>>>,
    /// The type of each inline component schema position lowered so far, and of each
    /// position a JSON-pointer `$ref` named: a position lowers to one type however it is
    /// reached.
    by_pointer: HashMap<String, crate::ir::TypeRef>,
    /// Positions a JSON-pointer `$ref` is being lowered for (to refuse a `$ref` into itself).
    pointer_refs_open: Vec<String>,
    diagnostics: Vec<Diagnostic>,
    /// Named types in the order they were defined.
    types: Vec<TypeDef>,
    /// Names of every type in the models module.
    type_scope: Scope,
    /// Component schema name → Rust type name.
    component_names: HashMap<String, Ident>,
    /// Component schemas being lowered, to catch schemas that are only references to
    /// themselves.
    lowering_components: Vec<String>,
    /// Examples to check against their types once all types are known: pointer, value, type.
    examples: Vec<(String, serde_json::Value, examples::Target)>,
    /// Untagged unions: the schema's pointer → its `oneOf`/`anyOf` list's, where the
    /// warnings about its decode order point.
    union_lists: HashMap<String, String>,
}

impl Lowerer<'_> {
    // Diagnostics are located all at once when lowering ends (`Spec::locate_all`).
    fn error(&mut self, pointer: &str, message: impl Into<String>, hint: Option<String>) {
        let d = self.spec.unlocated(Severity::Error, pointer, message, hint);
        self.diagnostics.push(d);
    }

    fn warning(&mut self, pointer: &str, message: impl Into<String>, hint: Option<String>) {
        let d = self.spec.unlocated(Severity::Warning, pointer, message, hint);
        self.diagnostics.push(d);
    }

    /// Reports a mistake of the document that lowering reads past (a warning of the
    /// [`crate::diag::MISTAKE`] class): `wrong` says what the document got wrong, `assumed`
    /// what the generator read it as instead.
    /// A pointer as a message names a second place: `` `#/a/b` (line 12) ``.
    fn place(&self, pointer: &str) -> String {
        let original = self.spec.rewrites.original(pointer);
        match self.spec.source_map.locate(&original) {
            Some(p) => format!("`{original}` (line {})", p.line),
            None => format!("`{original}`"),
        }
    }

    fn mistake(&mut self, pointer: &str, wrong: &str, assumed: &str, hint: Option<String>) {
        self.warning(pointer, format!("{}{wrong}; assumed {assumed}", crate::diag::MISTAKE), hint);
    }

    /// The name `x-rust-name` sets among `extensions` (of the object at `at`), checked; an
    /// unusable one is reported and ignored.
    fn chosen_name(
        &mut self,
        extensions: &indexmap::IndexMap<String, serde_json::Value>,
        at: &str,
        kind: crate::names::NameKind,
    ) -> Option<Ident> {
        let value = extensions.get("x-rust-name")?;
        let at = crate::diag::push_pointer(at, "x-rust-name");
        let Some(raw) = value.as_str() else {
            self.error(&at, "`x-rust-name` must be a string", None);
            return None;
        };
        match crate::names::chosen(raw, kind) {
            Ok(name) => Some(name),
            Err(why) => {
                self.error(&at, format!("`x-rust-name`: {why}"), None);
                None
            }
        }
    }

    /// The first `servers[].url`, without a trailing slash, its `{variables}` replaced by
    /// their `default`s (as OpenAPI says a client does when the user chooses none). A URL
    /// naming a variable its server does not define has no usable default: a warning, and
    /// no default base URL.
    fn base_url(&mut self) -> Option<String> {
        let server = self.spec.doc.servers.first()?;
        let mut url = String::new();
        let mut rest = server.url.as_str();
        while let Some(open) = rest.find('{') {
            let (before, after) = rest.split_at(open);
            url.push_str(before);
            let Some(close) = after.find('}') else {
                self.mistake(
                    "#/servers/0/url",
                    "the server URL opens a `{` it never closes",
                    "no default base URL (the client needs one set, or read from the environment)",
                    None,
                );
                return None;
            };
            let name = after.get(1..close).unwrap_or_default();
            match server.variables.as_ref().and_then(|v| v.get(name)) {
                Some(variable) => {
                    if !variable.enumeration.is_empty() && !variable.enumeration.contains(&variable.default) {
                        self.mistake(
                            &push_pointer(&push_pointer("#/servers/0/variables", name), "default"),
                            &format!("the default of server variable `{name}` is not one of its `enum` values"),
                            "the default",
                            None,
                        );
                    }
                    url.push_str(&variable.default)
                }
                None => {
                    self.mistake(
                        "#/servers/0/url",
                        &format!("the server URL names `{{{name}}}`, which its `variables` do not define"),
                        "no default base URL (the client needs one set, or read from the environment)",
                        Some(format!("define `{name}` under `servers[0].variables` with a `default`")),
                    );
                    return None;
                }
            }
            rest = after.get(close + 1..).unwrap_or_default();
        }
        url.push_str(rest);
        // A relative URL is relative to where the document is served, which a client
        // generated from a file does not know.
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            self.mistake(
                "#/servers/0/url",
                &format!("the server URL `{}` is not an absolute http(s) URL", server.url),
                "no default base URL (the client needs one set, or read from the environment)",
                Some("write the API's full URL, such as `https://api.example.com/v1`".into()),
            );
            return None;
        }
        Some(url.trim_end_matches('/').to_string())
    }

    /// Reads `info.x-rust-crate`.
    fn rust_crate(&mut self) -> crate::ir::RustCrate {
        let Some(value) = self.spec.doc.info.extensions.get("x-rust-crate") else {
            return crate::ir::RustCrate::default();
        };
        match serde_json::from_value::<crate::ir::RustCrate>(value.clone()) {
            Ok(mut c) => {
                let problem = c.name.as_deref().and_then(crate::names::package_name_problem);
                // A warning, not an error: `--crate-name` names the crate over a vendor's
                // document that cannot be fixed.
                if let Some(problem) = problem {
                    self.mistake(
                        "#/info/x-rust-crate/name",
                        &format!("the crate name {problem}"),
                        "no name: the crate is named from `info.title`, or by `--crate-name`",
                        Some("name the package as crates.io takes it, such as `acme-api`".into()),
                    );
                    c.name = None;
                }
                c
            }
            Err(e) => {
                self.error(
                    "#/info/x-rust-crate",
                    format!("invalid `x-rust-crate`: {e}"),
                    Some(
                        "allowed keys: name, version, description, env-prefix, license, repository, rust-version \
                         (strings), keywords, categories (lists of strings), skip-unsupported, resource-features \
                         (booleans), resource-features-threshold (a whole number)"
                            .into(),
                    ),
                );
                crate::ir::RustCrate::default()
            }
        }
    }

    /// Reports each keyword loading marked unsupported on a schema that lowering never
    /// lowered as a schema of its own (an `allOf` member merged into its parent, say): marks
    /// are never dropped silently. A mark inside a schema or operation `--skip-unsupported`
    /// left out is left out with it.
    fn report_unmet_marks(&mut self) {
        for (pointer, what) in &self.spec.marked {
            let original = self.spec.rewrites.original(pointer);
            let left_out = |d: &Diagnostic| {
                d.severity == Severity::Warning
                    && d.message.starts_with("left out ")
                    && original.starts_with(&format!("{}/", d.pointer))
            };
            if !self.diagnostics.iter().any(|d| d.pointer == original || left_out(d)) {
                self.error(pointer, format!("unsupported: {what}"), None);
            }
        }
    }

    fn unsupported(&mut self, pointer: &str, what: &str, hint: Option<&str>) {
        self.error(pointer, format!("unsupported: {what}"), hint.map(str::to_string));
    }
}
