//! `$ref` resolution for the component kinds lowering follows.

use openapiv3::{Parameter, ReferenceOr, RequestBody, Response};

use super::Lowerer;
use crate::diag::push_pointer;

/// What a `$ref` names.
pub(super) enum Target<'a> {
    /// `#/components/<section>/<name>`: the name.
    Component(&'a str),
    /// Anything else; the error has been recorded.
    Invalid,
}

impl Lowerer<'_> {
    /// Checks a `$ref` against the section it must point into and records a diagnostic when
    /// it cannot be followed.
    pub(super) fn ref_target<'r>(&mut self, reference: &'r str, section: &str, at: &str) -> Target<'r> {
        let at = push_pointer(at, "$ref");
        if !reference.starts_with('#') {
            self.error(
                &at,
                format!("unsupported: external reference `{reference}`"),
                Some("references must point into this document (`#/components/...`); bundle the spec first".into()),
            );
            return Target::Invalid;
        }
        let prefix = format!("#/components/{section}/");
        match reference.strip_prefix(&prefix) {
            Some(name) if !name.is_empty() && !name.contains('/') => Target::Component(name),
            _ => {
                self.error(&at, format!("`{reference}` must point to `{prefix}<name>` here"), None);
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
                            if seen.iter().any(|s| s == name) {
                                self.error(
                                    &push_pointer(&pointer, "$ref"),
                                    format!("`{reference}` refers to itself through a chain of references"),
                                    None,
                                );
                                return None;
                            }
                            seen.push(name.to_string());
                            let components = self.spec.doc.components.as_ref();
                            match components.and_then(|c| c.$field.get(name)) {
                                Some(next) => {
                                    pointer = push_pointer(&push_pointer("#/components", $section), name);
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
