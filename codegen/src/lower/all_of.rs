//! `allOf`: the members of an `allOf`, and the keywords written beside it, merged into one
//! shape.
//!
//! The rules, in order:
//! - Members that only annotate (`description`, `nullable`, `example`, `readOnly`, …) and
//!   keywords beside `allOf` that only restate a type (`type: string` next to a `$ref` to a
//!   string enum) say nothing about the shape. A restated type that disagrees with the
//!   members is the document's mistake: a warning, and the members' type is assumed.
//! - One member that gives the shape (`allOf: [$ref: X]`, with annotations) is that member:
//!   the reference stays a reference to `X`.
//! - Otherwise every member is followed through `$ref`s and nested `allOf`s (multi-level
//!   inheritance) into its parts. Object parts merge: properties in the order first met,
//!   `required` lists joined. A property several parts define is merged by the same rules
//!   (an object that redefines `record_type` as an enum, or repeats `limit: integer`, narrows
//!   it). Parts that are not objects must agree on one type (an integer narrows a number);
//!   the most specific wins (an enum over a format over a plain type; a named type over an
//!   inline one; a later part over an earlier one). An object merged with another type, or
//!   two different types, is an error naming both places.

use std::borrow::Borrow;

use openapiv3::{AdditionalProperties, AnySchema, ReferenceOr, Schema, SchemaKind, Type};

use super::Lowerer;
use super::schemas::{Naming, ObjectDef, PropertyDef, Shape};
use crate::diag::push_pointer;

/// A schema position taking part in a merge: a `$ref` or an inline schema.
#[derive(Clone, Copy)]
pub(super) enum Member<'a> {
    /// `$ref: <reference>`.
    Ref(&'a str),
    /// An inline schema.
    Inline(&'a Schema),
}

impl<'a> Member<'a> {
    /// The member a schema position is.
    pub(super) fn of<S: Borrow<Schema>>(item: &'a ReferenceOr<S>) -> Self {
        match item {
            ReferenceOr::Reference { reference } => Member::Ref(reference),
            ReferenceOr::Item(s) => Member::Inline(s.borrow()),
        }
    }
}

/// One schema of a merge after following references and nested `allOf`s.
struct Part<'a> {
    /// The schema (a reference's target).
    schema: &'a Schema,
    /// Its JSON pointer (a reference's target's).
    at: String,
    /// The `$ref` it was reached through, and where that `$ref` is written.
    reference: Option<(&'a str, String)>,
    /// What its values are.
    class: Class,
}

/// What a schema's values are, for telling whether `allOf` members agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    /// Says nothing about the values (`description`, `nullable`, … only).
    Annotation,
    Object,
    String,
    Integer,
    Number,
    Boolean,
    Array,
    /// `oneOf` / `anyOf`.
    Union,
    /// `not`, or a `type` OpenAPI does not define.
    Other,
}

impl Class {
    fn label(self) -> &'static str {
        match self {
            Class::Annotation => "an annotation",
            Class::Object => "an object",
            Class::String => "a string",
            Class::Integer => "an integer",
            Class::Number => "a number",
            Class::Boolean => "a boolean",
            Class::Array => "an array",
            Class::Union => "a `oneOf`/`anyOf`",
            Class::Other => "a schema of another kind",
        }
    }
}

/// The class of an `AnySchema`'s own keywords (its `allOf`, `oneOf` and `anyOf` aside).
fn own_class(a: &AnySchema) -> Class {
    if !a.properties.is_empty() || !a.required.is_empty() || a.additional_properties.is_some() {
        return Class::Object;
    }
    match a.typ.as_deref() {
        Some("object") => Class::Object,
        Some("string") => Class::String,
        Some("integer") => Class::Integer,
        Some("number") => Class::Number,
        Some("boolean") => Class::Boolean,
        Some("array") => Class::Array,
        Some(_) => Class::Other,
        None if a.items.is_some() => Class::Array,
        None => match a.enumeration.iter().find(|v| !v.is_null()) {
            Some(serde_json::Value::String(_)) => Class::String,
            Some(v) if v.is_i64() || v.is_u64() => Class::Integer,
            Some(serde_json::Value::Number(_)) => Class::Number,
            Some(serde_json::Value::Bool(_)) => Class::Boolean,
            Some(_) => Class::Other,
            None => Class::Annotation,
        },
    }
}

/// Whether an `AnySchema`'s own keywords name a type and nothing more that shapes values
/// (`type: string` beside an `allOf`).
fn restates_type(a: &AnySchema) -> bool {
    a.typ.is_some()
        && a.properties.is_empty()
        && a.required.is_empty()
        && a.additional_properties.is_none()
        && a.items.is_none()
        && a.enumeration.is_empty()
        && a.one_of.is_empty()
        && a.any_of.is_empty()
        && a.not.is_none()
}

/// The members of a schema that is an `allOf`, if it is one.
fn all_of_members(schema: &Schema) -> Option<&[ReferenceOr<Schema>]> {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => Some(all_of),
        SchemaKind::Any(a) if !a.all_of.is_empty() => Some(&a.all_of),
        _ => None,
    }
}

/// How specific a part is among parts of one type: an enum, then a format, then a plain
/// type.
fn specificity(schema: &Schema) -> u8 {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => 2,
        SchemaKind::Type(Type::Integer(i)) if !i.enumeration.is_empty() => 2,
        SchemaKind::Type(Type::Number(n)) if !n.enumeration.is_empty() => 2,
        SchemaKind::Type(Type::Boolean(b)) if !b.enumeration.is_empty() => 2,
        SchemaKind::Any(a) if !a.enumeration.is_empty() => 2,
        SchemaKind::Type(Type::String(s)) if !matches!(s.format, openapiv3::VariantOrUnknownOrEmpty::Empty) => 1,
        SchemaKind::Type(Type::Integer(i)) if !matches!(i.format, openapiv3::VariantOrUnknownOrEmpty::Empty) => 1,
        SchemaKind::Any(a) if a.format.is_some() => 1,
        _ => 0,
    }
}

/// How deep `allOf`s and references may nest before the merge gives up (a cycle).
const MAX_DEPTH: usize = 32;

impl<'a> Lowerer<'a> {
    /// What a schema's values are; an `allOf` is what its first member that says is.
    pub(super) fn class_of(&self, schema: &'a Schema) -> Class {
        self.class_at_depth(schema, 0)
    }

    fn class_at_depth(&self, schema: &'a Schema, depth: usize) -> Class {
        if depth > MAX_DEPTH {
            return Class::Other;
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(_)) => Class::String,
            SchemaKind::Type(Type::Integer(_)) => Class::Integer,
            SchemaKind::Type(Type::Number(_)) => Class::Number,
            SchemaKind::Type(Type::Boolean(_)) => Class::Boolean,
            SchemaKind::Type(Type::Array(_)) => Class::Array,
            SchemaKind::Type(Type::Object(_)) => Class::Object,
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => Class::Union,
            SchemaKind::Not { .. } => Class::Other,
            SchemaKind::AllOf { all_of } => self.members_class(all_of, depth),
            SchemaKind::Any(a) => {
                if !a.one_of.is_empty() || !a.any_of.is_empty() {
                    return Class::Union;
                }
                if a.not.is_some() {
                    return Class::Other;
                }
                match own_class(a) {
                    Class::Annotation => self.members_class(&a.all_of, depth),
                    own => own,
                }
            }
        }
    }

    fn members_class(&self, members: &'a [ReferenceOr<Schema>], depth: usize) -> Class {
        members
            .iter()
            .filter_map(|m| self.peek(m))
            .map(|s| self.class_at_depth(s, depth + 1))
            .find(|c| *c != Class::Annotation)
            .unwrap_or(Class::Annotation)
    }

    /// The keywords written beside an `allOf` (`type`, `properties`, `required`, `enum`, …) as
    /// a schema of their own, without the `allOf`; `None` when they only annotate.
    fn beside_all_of(&self, schema: &'a Schema) -> Option<&'a Schema> {
        let SchemaKind::Any(a) = &schema.schema_kind else { return None };
        if own_class(a) == Class::Annotation {
            return None;
        }
        self.without_all_of(schema)
    }

    /// `schema` with its `allOf` emptied, kept in the arena for as long as the document.
    fn without_all_of(&self, schema: &'a Schema) -> Option<&'a Schema> {
        let mut own = schema.clone();
        if let SchemaKind::Any(a) = &mut own.schema_kind {
            a.all_of.clear();
        }
        match self.arena.alloc(ReferenceOr::Item(Box::new(own))) {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// The shape of a schema with `allOf` (`schema`; `at` is its pointer).
    pub(super) fn all_of_shape(
        &mut self,
        schema: &'a Schema,
        at: &str,
        naming: &Naming,
        origin: &str,
    ) -> Option<Shape> {
        let members: &'a [ReferenceOr<Schema>] = all_of_members(schema).unwrap_or_default();
        let all_at = push_pointer(at, "allOf");
        let members: Vec<(Member<'a>, String)> =
            members.iter().enumerate().map(|(i, m)| (Member::of(m), push_pointer(&all_at, &i.to_string()))).collect();
        self.merge(&members, Some(schema), at, naming, origin)
    }

    /// Merges `members` (each with its pointer), and the keywords of `outer` beside its
    /// `allOf` if given, into one shape named by `naming`.
    pub(super) fn merge(
        &mut self,
        members: &[(Member<'a>, String)],
        outer: Option<&'a Schema>,
        at: &str,
        naming: &Naming,
        origin: &str,
    ) -> Option<Shape> {
        let mut typed: Vec<(Member<'a>, String, Class)> = Vec::new();
        for (member, m_at) in members {
            let schema = match member {
                Member::Inline(s) => *s,
                Member::Ref(reference) => match self.follow_schema(reference) {
                    Ok(f) => f.schema,
                    Err(why) => {
                        self.unfollowed(reference, &push_pointer(m_at, "$ref"), why);
                        return None;
                    }
                },
            };
            let class = self.class_of(schema);
            if class != Class::Annotation {
                typed.push((*member, m_at.clone(), class));
            }
        }
        // A 3.1 `$ref` with keywords beside it, read as `allOf: [$ref]` and the keywords:
        // messages speak of the `$ref` written, not of an `allOf` the user never wrote.
        let from_ref = outer.is_some() && self.spec.ref_siblings.contains(at);
        // Keywords beside `allOf` that say more than a type take part as one more member.
        let beside = outer.and_then(|o| self.beside_all_of(o));
        let restated = match outer.map(|o| &o.schema_kind) {
            Some(SchemaKind::Any(a)) if restates_type(a) => Some(own_class(a)),
            _ => None,
        };
        let beside = beside.filter(|_| restated.is_none());
        if beside.is_none() {
            let members_class = typed.first().map(|(_, _, c)| *c);
            if let (Some(said), Some(is), Some(outer)) = (restated, members_class, outer)
                && said != is
                && typed.iter().all(|(_, _, c)| *c == is)
            {
                let typ = match &outer.schema_kind {
                    SchemaKind::Any(a) => a.typ.clone().unwrap_or_default(),
                    _ => String::new(),
                };
                let (wrong, hint) = if from_ref {
                    (
                        format!("`type: {typ}` beside `$ref`, which refers to {}", is.label()),
                        "remove the `type` beside `$ref`, or make it agree with the referenced schema",
                    )
                } else {
                    (
                        format!("`type: {typ}` beside `allOf`, whose members are {}", is.label()),
                        "remove the `type` beside `allOf`, or make it agree with the members",
                    )
                };
                self.mistake(&push_pointer(at, "type"), &wrong, is.label(), Some(hint.into()));
            }
            let same_ref = match typed.first() {
                Some((Member::Ref(first), first_at, _)) => typed
                    .iter()
                    .all(|(m, _, _)| matches!(m, Member::Ref(r) if r == first))
                    .then(|| (*first, first_at.clone())),
                _ => None,
            };
            if let Some((reference, ref_at)) = same_ref {
                return self.named_ref(reference, &ref_at).map(Shape::Ref);
            }
            match typed.as_slice() {
                [(Member::Inline(s), s_at, _)] => return self.member_shape(s, s_at, naming, origin),
                [] => {
                    return match outer {
                        // Only annotations and perhaps a type: the type alone.
                        // `allOf: []` and nothing else: any value.
                        Some(o) if matches!(o.schema_kind, SchemaKind::AllOf { .. }) => {
                            Some(Shape::Ref(crate::ir::TypeRef::Any))
                        }
                        Some(o) => {
                            let own = self.without_all_of(o)?;
                            self.shape(own, at, naming, origin)
                        }
                        None => Some(Shape::Ref(crate::ir::TypeRef::Any)),
                    };
                }
                _ => {}
            }
        }
        let mut parts = Vec::new();
        let mut open = Vec::new();
        for (member, m_at, _) in &typed {
            if !self.expand(*member, m_at, &mut parts, &mut open) {
                return None;
            }
        }
        if let Some(beside) = beside
            && !self.expand(Member::Inline(beside), at, &mut parts, &mut open)
        {
            return None;
        }
        self.merge_parts(parts, naming, origin, from_ref)
    }

    /// Follows a member through `$ref`s and nested `allOf`s, appending the schemas that give
    /// it a shape to `out`. `open` holds the references being expanded (a cycle is an error).
    fn expand(&mut self, member: Member<'a>, at: &str, out: &mut Vec<Part<'a>>, open: &mut Vec<String>) -> bool {
        let (schema, schema_at, reference) = match member {
            Member::Inline(s) => (s, at.to_string(), None),
            Member::Ref(reference) => match self.follow_schema(reference) {
                Ok(f) => (f.schema, f.pointer, Some((reference, push_pointer(at, "$ref")))),
                Err(why) => {
                    self.unfollowed(reference, &push_pointer(at, "$ref"), why);
                    return false;
                }
            },
        };
        let Some(members) = all_of_members(schema) else {
            let class = self.class_of(schema);
            if class != Class::Annotation {
                out.push(Part { schema, at: schema_at, reference, class });
            }
            return true;
        };
        if open.contains(&schema_at) || open.len() > MAX_DEPTH {
            self.error(
                &push_pointer(at, "$ref"),
                format!("`allOf` includes itself through `{schema_at}`"),
                Some("a schema cannot extend itself; break the cycle".into()),
            );
            return false;
        }
        open.push(schema_at.clone());
        let all_at = push_pointer(&schema_at, "allOf");
        for (i, m) in members.iter().enumerate() {
            if !self.expand(Member::of(m), &push_pointer(&all_at, &i.to_string()), out, open) {
                open.pop();
                return false;
            }
        }
        if let Some(beside) = self.beside_all_of(schema)
            && !self.expand(Member::Inline(beside), &schema_at, out, open)
        {
            open.pop();
            return false;
        }
        open.pop();
        true
    }

    /// Merges the parts of an `allOf` (see the module docs); `from_ref` when the `allOf` is
    /// a 3.1 `$ref` with keywords beside it.
    fn merge_parts(&mut self, parts: Vec<Part<'a>>, naming: &Naming, origin: &str, from_ref: bool) -> Option<Shape> {
        let (disagree, agree) = if from_ref {
            (
                "the `$ref` and the keywords beside it disagree",
                "make the keywords beside `$ref` agree with what it refers to",
            )
        } else {
            ("`allOf` members disagree", "make the members agree")
        };
        let (objects, others): (Vec<&Part<'a>>, Vec<&Part<'a>>) = parts.iter().partition(|p| p.class == Class::Object);
        if others.is_empty() {
            return self.merge_objects(&objects, naming);
        }
        if let Some(object) =
            objects.iter().find(|p| object_keywords(p.schema).is_some_and(|(props, _, _)| !props.is_empty()))
            && let Some(other) = others.first()
        {
            self.error(
                &other.at,
                format!(
                    "{disagree}: {} is an object and {} is {}",
                    self.place(&object.at),
                    self.place(&other.at),
                    other.class.label()
                ),
                Some(format!("values cannot be both; {agree}")),
            );
            return None;
        }
        // Parts of one type: the most specific.
        let class = |c: Class| if c == Class::Number { Class::Integer } else { c };
        let integer = others.iter().any(|p| p.class == Class::Integer);
        for pair in others.windows(2) {
            if let [a, b] = pair
                && class(a.class) != class(b.class)
            {
                self.error(
                    &b.at,
                    format!(
                        "{disagree}: {} is {} and {} is {}",
                        self.place(&a.at),
                        a.class.label(),
                        self.place(&b.at),
                        b.class.label()
                    ),
                    Some(format!("a value cannot be both; {agree}")),
                );
                return None;
            }
        }
        let winner = others
            .iter()
            .enumerate()
            .max_by_key(|(i, p)| {
                let narrows = u8::from(!integer || p.class == Class::Integer);
                (narrows, specificity(p.schema), p.reference.is_some(), *i)
            })
            .map(|(_, p)| *p)?;
        match &winner.reference {
            Some((reference, ref_at)) => {
                let ref_at = ref_at.strip_suffix("/$ref").unwrap_or(ref_at).to_string();
                self.named_ref(reference, &ref_at).map(Shape::Ref)
            }
            None => self.member_shape(winner.schema, &winner.at, naming, origin),
        }
    }

    /// The shape of an inline member that gives the merge its shape. A component is shaped
    /// under its own name; an inline position keeps the one type it lowers to, so two merges
    /// that inherit it (`Document.kind` in `Invoice`) share that type.
    fn member_shape(&mut self, schema: &'a Schema, at: &str, naming: &Naming, origin: &str) -> Option<Shape> {
        match naming {
            Naming::Fixed(_) => self.shape(schema, at, naming, origin),
            Naming::Hint(hint) => self.inline_type(schema, at, hint).map(Shape::Ref),
        }
    }

    /// Merges object parts: properties in the order first met (a property several parts
    /// define keeps every definition, merged when lowered), `required` lists joined, the last
    /// `additionalProperties` that allows any.
    fn merge_objects(&mut self, objects: &[&Part<'a>], naming: &Naming) -> Option<Shape> {
        let mut def = ObjectDef::default();
        for part in objects {
            let Some((properties, required, additional)) = object_keywords(part.schema) else { continue };
            let props_at = push_pointer(&part.at, "properties");
            for (name, schema) in properties {
                let d_at = push_pointer(&props_at, name);
                match def.properties.iter_mut().find(|p| p.name == name) {
                    Some(p) => p.defs.push((schema, d_at)),
                    None => def.properties.push(PropertyDef { name, defs: vec![(schema, d_at)] }),
                }
            }
            let req_at = push_pointer(&part.at, "required");
            def.required.extend(required.iter().map(|r| (r.clone(), req_at.clone())));
            if let Some(a) = additional.filter(|a| !matches!(a, AdditionalProperties::Any(false))) {
                def.additional = Some((a, push_pointer(&part.at, "additionalProperties")));
            }
        }
        self.object_shape(def, &super::schemas::naming_base(naming))
    }
}

/// Whether a schema only annotates (`description`, `nullable`, `example`, … and nothing
/// that shapes values).
pub(super) fn annotates_only(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Any(a)
        if own_class(a) == Class::Annotation && a.all_of.is_empty() && a.one_of.is_empty() && a.any_of.is_empty() && a.not.is_none())
}

/// An object schema's `properties`, `required` and `additionalProperties`.
pub(super) type ObjectKeywords<'a> =
    (&'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>, &'a [String], Option<&'a AdditionalProperties>);

/// The object keywords of a schema, when it is an object.
pub(super) fn object_keywords(schema: &Schema) -> Option<ObjectKeywords<'_>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some((&o.properties, &o.required, o.additional_properties.as_ref())),
        SchemaKind::Any(a) if own_class(a) == Class::Object => {
            Some((&a.properties, &a.required, a.additional_properties.as_ref()))
        }
        _ => None,
    }
}

/// The docs an `allOf` member gives a schema that has none of its own (`allOf: [$ref: X,
/// {nullable: true, description: …}]`): the first inline member's.
pub(super) fn member_docs(schema: &Schema) -> Option<String> {
    all_of_members(schema)?.iter().find_map(|m| match m {
        ReferenceOr::Item(s) => s.schema_data.description.clone().filter(|d| !d.trim().is_empty()),
        ReferenceOr::Reference { .. } => None,
    })
}

/// The bounds of a schema, or, when it has none of its own, of its first inline `allOf`
/// member that has some (`allOf: [{type: integer, minimum: 1}]`).
pub(super) fn constraints_with_members(schema: &Schema) -> crate::ir::Constraints {
    let own = super::schemas::constraints_of(schema);
    if own != crate::ir::Constraints::default() {
        return own;
    }
    all_of_members(schema)
        .unwrap_or_default()
        .iter()
        .filter_map(|m| match m {
            ReferenceOr::Item(s) => Some(super::schemas::constraints_of(s)),
            ReferenceOr::Reference { .. } => None,
        })
        .find(|c| *c != crate::ir::Constraints::default())
        .unwrap_or_default()
}
