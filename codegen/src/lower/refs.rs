//! `$ref` resolution for the component kinds lowering follows.

use openapiv3::{Parameter, ReferenceOr, RequestBody, Response, Schema};

use super::Lowerer;
use crate::diag::push_pointer;

/// What a `$ref` names.
pub(super) enum Target {
    /// `#/components/<section>/<name>`: the name, decoded.
    Component(String),
    /// Anything else; the error has been recorded.
    Invalid,
}

/// The component a `$ref` names, `#/components/<section>/<name>`: the name, decoded (a
/// `$ref` is a URI fragment, so `%54` is `T`; then a JSON pointer, so `~1` is `/`); `None`
/// for a reference to anything else.
pub(super) fn component_name(reference: &str, section: &str) -> Option<String> {
    component_token(&percent_encoding::percent_decode_str(reference).decode_utf8_lossy(), section)
}

/// [`component_name`] of a reference already percent-decoded.
fn component_token(decoded: &str, section: &str) -> Option<String> {
    let token = decoded.strip_prefix("#/components/")?.strip_prefix(section)?.strip_prefix('/')?;
    (!token.is_empty() && !token.contains('/')).then(|| crate::diag::unescape_pointer(token))
}

impl Lowerer<'_> {
    /// Checks a `$ref` against the section it must point into and records a diagnostic when
    /// it cannot be followed.
    pub(super) fn ref_target(&mut self, reference: &str, section: &str, at: &str) -> Target {
        let at = push_pointer(at, "$ref");
        if !reference.starts_with('#') {
            self.error(
                &at,
                format!("unsupported: external reference `{reference}`"),
                Some("references must point into this document (`#/components/...`); bundle the spec first".into()),
            );
            return Target::Invalid;
        }
        match component_name(reference, section) {
            Some(name) => Target::Component(name),
            None => {
                self.error(&at, format!("`{reference}` must point to `#/components/{section}/<name>` here"), None);
                Target::Invalid
            }
        }
    }
}

/// Generates a resolver for one component section.
macro_rules! resolver {
    ($fn_name:ident, $ty:ty, $section:literal, $field:ident) => {
        impl<'a> Lowerer<'a> {
            /// Follows a reference (and chains of them) into its component section, returning
            /// the target and its JSON pointer; records a diagnostic and returns `None` when
            /// it cannot be followed.
            pub(super) fn $fn_name(&mut self, item: &'a ReferenceOr<$ty>, at: &str) -> Option<(&'a $ty, String)> {
                let mut current = item;
                let mut pointer = at.to_string();
                let mut seen: Vec<String> = Vec::new();
                loop {
                    match current {
                        ReferenceOr::Item(value) => return Some((value, pointer)),
                        ReferenceOr::Reference { reference } => {
                            let Target::Component(name) = self.ref_target(reference, $section, &pointer) else {
                                return None;
                            };
                            if seen.contains(&name) {
                                self.error(
                                    &push_pointer(&pointer, "$ref"),
                                    format!("`{reference}` refers to itself through a chain of references"),
                                    None,
                                );
                                return None;
                            }
                            seen.push(name.clone());
                            let components = self.spec.doc.components.as_ref();
                            match components.and_then(|c| c.$field.get(name.as_str())) {
                                Some(next) => {
                                    pointer = push_pointer(&push_pointer("#/components", $section), &name);
                                    current = next;
                                }
                                None => {
                                    self.error(
                                        &push_pointer(&pointer, "$ref"),
                                        format!("unresolved reference `{reference}`"),
                                        Some(format!("define `{name}` under `components/{}`", $section)),
                                    );
                                    return None;
                                }
                            }
                        }
                    }
                }
            }
        }
    };
}

resolver!(resolve_param, Parameter, "parameters", parameters);
resolver!(resolve_response, Response, "responses", responses);
resolver!(resolve_body, RequestBody, "requestBodies", request_bodies);

/// Where a schema `$ref` leads.
pub(super) struct Followed<'a> {
    /// The schema at the end of the chain.
    pub schema: &'a Schema,
    /// Its JSON pointer.
    pub pointer: String,
    /// The component schema it is, when it is one (`#/components/schemas/<name>`).
    pub component: Option<&'a str>,
    /// Set when a reference named a response or request body where a schema belongs: the
    /// reference and the media type whose schema was taken.
    pub through_content: Option<(String, String)>,
}

/// Why a schema `$ref` cannot be followed.
#[derive(Debug, Clone, Copy)]
pub(super) enum Unfollowed {
    /// Not a pointer into this document.
    External,
    /// The pointer names nothing.
    Missing,
    /// The pointer names something that is not a schema (nor a response or request body
    /// with a JSON schema).
    NotASchema,
    /// The chain comes back to where it started.
    Loop,
}

/// What the node at a JSON pointer is, by where it sits in an OpenAPI document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    /// A schema: a component schema, a property, `items`, `additionalProperties`, `not`, a
    /// member of `allOf`/`oneOf`/`anyOf`, or a parameter's or media type's `schema`.
    Schema,
    /// A response or request body, whose media types hold schemas.
    Content,
    /// Anything else (an operation, a parameter, a path item, …).
    Other,
}

impl Position {
    fn of(pointer: &str) -> Self {
        let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
        let last = tokens.last().copied().unwrap_or_default();
        let parent = tokens.len().checked_sub(2).and_then(|i| tokens.get(i)).copied().unwrap_or_default();
        let in_components = tokens.first() == Some(&"components") && tokens.len() == 3;
        match (parent, last) {
            (_, "schema" | "items" | "additionalProperties" | "not") => Position::Schema,
            ("schemas" | "properties" | "$defs" | "definitions" | "allOf" | "oneOf" | "anyOf", _) => Position::Schema,
            ("requestBodies", _) if in_components => Position::Content,
            (_, "requestBody") => Position::Content,
            // A response component, or `#/paths/<path>/<method>/responses/<status>`.
            ("responses", _) => Position::Content,
            _ => Position::Other,
        }
    }
}

/// The JSON pointer inside the document that a local `$ref` names (`#/a/b` → `/a/b`).
fn json_pointer(reference: &str) -> Option<&str> {
    reference.strip_prefix('#').filter(|p| p.is_empty() || p.starts_with('/'))
}

impl<'a> Lowerer<'a> {
    /// Follows a schema `$ref`, and chains of them, to the schema it names: a component
    /// schema (`#/components/schemas/<name>`), or any schema of the document by JSON pointer
    /// (a property, an `items`, a union member, a parameter's or a media type's schema). A
    /// response or request body where a schema belongs is followed to the schema of its
    /// JSON media type (the caller warns). Reports nothing.
    pub(super) fn follow_schema(&self, reference: &str) -> Result<Followed<'a>, Unfollowed> {
        let mut current = reference.to_string();
        let mut seen: Vec<String> = Vec::new();
        let mut through_content = None;
        loop {
            if seen.contains(&current) {
                return Err(Unfollowed::Loop);
            }
            seen.push(current.clone());
            // A `$ref` is a URI fragment: `%7B` is `{`.
            current = percent_encoding::percent_decode_str(&current).decode_utf8_lossy().into_owned();
            let pointer = json_pointer(&current).ok_or(Unfollowed::External)?;
            let component = component_token(&current, "schemas")
                .and_then(|name| self.spec.doc.components.as_ref()?.schemas.get_key_value(name.as_str()));
            let item: &'a ReferenceOr<Box<Schema>> = match component {
                Some((name, ReferenceOr::Item(schema))) => {
                    return Ok(Followed {
                        schema,
                        pointer: current.clone(),
                        component: Some(name.as_str()),
                        through_content,
                    });
                }
                Some((_, ReferenceOr::Reference { reference })) => {
                    current = reference.clone();
                    continue;
                }
                None => {
                    let (item, media) = self.schema_at(pointer)?;
                    if let Some(media) = media {
                        through_content = Some((current.clone(), media));
                    }
                    item
                }
            };
            match item {
                ReferenceOr::Item(schema) => {
                    let pointer = match &through_content {
                        Some((_, media)) => format!("{current}/content/{}/schema", crate::diag::escape_token(media)),
                        None => current.clone(),
                    };
                    return Ok(Followed { schema, pointer, component: None, through_content });
                }
                ReferenceOr::Reference { reference } => current = reference.clone(),
            }
        }
    }

    /// The schema at a JSON pointer of the document, read from its JSON form (made on first
    /// use) and kept in the arena so it lives as long as the document. For a response or
    /// request body, the schema of its JSON media type, and that media type.
    fn schema_at(&self, pointer: &str) -> Result<(&'a ReferenceOr<Box<Schema>>, Option<String>), Unfollowed> {
        if let Some(found) = self.pointer_schemas.borrow().get(pointer) {
            return found.clone();
        }
        let doc = self.doc_json.get_or_init(|| serde_json::to_value(&self.spec.doc).ok());
        let position = Position::of(pointer);
        // `$defs` have no place in the typed document; loading kept them apart.
        let defs = || self.spec.defs.as_ref()?.pointer(pointer);
        let found = match doc.as_ref().and_then(|d| d.pointer(pointer)).or_else(defs) {
            None => Err(Unfollowed::Missing),
            Some(_) if position == Position::Other => Err(Unfollowed::NotASchema),
            Some(v) => match v.get("content").and_then(serde_json::Value::as_object) {
                Some(content) if position == Position::Content => content
                    .iter()
                    .find_map(|(media, m)| {
                        Some((media, m.get("schema")?)).filter(|_| super::operations::is_json(media))
                    })
                    .and_then(|(media, schema)| {
                        Some((serde_json::from_value(schema.clone()).ok()?, Some(media.clone())))
                    })
                    .ok_or(Unfollowed::NotASchema),
                _ => serde_json::from_value(v.clone()).map(|s| (s, None)).map_err(|_| Unfollowed::NotASchema),
            },
        };
        let found =
            found.map(|(item, media): (ReferenceOr<Box<Schema>>, Option<String>)| (&*self.arena.alloc(item), media));
        self.pointer_schemas.borrow_mut().insert(pointer.to_string(), found.clone());
        found
    }
}
