//! Schemas → named types ([`TypeDef`]) and type references ([`TypeRef`]).
//!
//! Component schemas keep their names; an inline object, enum or union gets its parent's
//! name followed by the field's (`RoomComposition` + `video_layout` → `RoomCompositionVideoLayout`).

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

use super::all_of::Member;
use super::examples::Target;
use super::refs::{Target as RefTarget, Unfollowed};
use super::typing;
use super::{Lowerer, prose};
use crate::diag::push_pointer;
use crate::ir::{Constraints, EnumVariant, Field, Scalar, TypeDef, TypeKind, TypeRef, UnionShape, UnionVariant};
use crate::names::{self, Ident, Scope};

/// An object's properties, borrowed from the document, in spec order.
pub(super) type Properties<'a> = Vec<(&'a String, &'a ReferenceOr<Box<Schema>>)>;

/// One property of an object, with every definition of it: one, or several when `allOf`
/// members each define it.
pub(super) struct PropertyDef<'a> {
    /// The property's name on the wire.
    pub name: &'a String,
    /// Its definitions, each with its pointer, in the order met.
    pub defs: Vec<(&'a ReferenceOr<Box<Schema>>, String)>,
}

/// An object to lower: its properties, the names it requires (each with the pointer of the
/// `required` list that names it) and its `additionalProperties` (with its pointer).
#[derive(Default)]
pub(super) struct ObjectDef<'a> {
    pub properties: Vec<PropertyDef<'a>>,
    pub required: Vec<(String, String)>,
    pub additional: Option<(&'a AdditionalProperties, String)>,
}

/// How a schema that needs a named type gets its name.
#[derive(Clone)]
pub(super) enum Naming {
    /// A component: the name is already claimed.
    Fixed(Ident),
    /// Inline: claim a name from this hint if one is needed.
    Hint(String),
}

impl<'a> Lowerer<'a> {
    /// Claims a Rust name for every component schema, in spec order.
    pub(super) fn register_components(&mut self) {
        let Some(components) = self.spec.doc.components.as_ref() else { return };
        let mut first_with: BTreeMap<Ident, &String> = BTreeMap::new();
        for (key, schema) in &components.schemas {
            let at = push_pointer("#/components/schemas", key);
            let chosen = match schema {
                ReferenceOr::Item(s) => self.chosen_name(&s.schema_data.extensions, &at, names::NameKind::Type),
                ReferenceOr::Reference { .. } => None,
            };
            let base = chosen.unwrap_or_else(|| names::model_name(key));
            let name = self.type_scope.unique(base.clone());
            match first_with.get(&base) {
                Some(first) if name != base => {
                    let message =
                        format!("schemas `{first}` and `{key}` are both `{base}` in Rust; this one becomes `{name}`");
                    self.warning(
                        &push_pointer("#/components/schemas", key),
                        message,
                        Some("rename one of them so the Rust names are chosen, not numbered".into()),
                    );
                }
                _ => {
                    first_with.insert(base, key);
                }
            }
            self.component_names.insert(key.clone(), name);
        }
    }

    /// Lowers every component schema into a named type, in spec order.
    pub(super) fn lower_components(&mut self) {
        let Some(components) = self.spec.doc.components.as_ref() else { return };
        for (key, schema) in &components.schemas {
            let at = push_pointer("#/components/schemas", key);
            let Some(name) = self.component_names.get(key).cloned() else { continue };
            self.lowering_components.push(key.clone());
            let before = self.diagnostics.len();
            match schema {
                ReferenceOr::Reference { reference } => {
                    if let Some(target) = self.named_ref(reference, &at) {
                        if target == TypeRef::Named(name.clone()) || self.ref_loops_to(reference, key) {
                            let message = if target == TypeRef::Named(name.clone()) {
                                format!("schema `{key}` is only a reference to itself")
                            } else {
                                format!("schema `{key}` is only a chain of references that leads back to itself")
                            };
                            self.error(
                                &push_pointer(&at, "$ref"),
                                message,
                                Some("give one schema of the chain a type or properties".into()),
                            );
                        } else {
                            self.push_type(TypeDef {
                                value_name: names::value_name(&name, "value"),
                                name,
                                origin: key.clone(),
                                docs: None,
                                kind: TypeKind::Alias { target },
                                examples: Vec::new(),
                                sent: false,
                                pointer: at,
                                feature: None,
                            });
                        }
                    }
                }
                ReferenceOr::Item(schema) => {
                    self.lower_schema(schema, &at, Naming::Fixed(name), key);
                }
            }
            self.lowering_components.pop();
            if self.skip_unsupported && super::skip::demote_since(&mut self.diagnostics, before) {
                let at = push_pointer("#/components/schemas", key);
                if let Some(name) = self.component_names.get(key).cloned() {
                    self.types.retain(|t| t.name != name);
                }
                self.warning(&at, format!("left out schema `{key}`: see the problems above"), None);
            }
        }
    }

    /// Whether following component references from `reference` comes back to `key` without
    /// passing through anything but references.
    fn ref_loops_to(&self, reference: &str, key: &str) -> bool {
        let Some(components) = self.spec.doc.components.as_ref() else { return false };
        let mut current = reference;
        let mut seen = BTreeSet::new();
        while let Some(name) = super::refs::component_name(current, "schemas") {
            if name == key {
                return true;
            }
            let next = components.schemas.get(name.as_str());
            if !seen.insert(name) {
                return false;
            }
            match next {
                Some(ReferenceOr::Reference { reference }) => current = reference,
                _ => return false,
            }
        }
        false
    }

    /// The type a schema `$ref` stands for: a component schema's named type, or, for a
    /// `$ref` by JSON pointer to a schema inside the document, the type of that position
    /// (lowered once however often it is named).
    pub(super) fn named_ref(&mut self, reference: &str, at: &str) -> Option<TypeRef> {
        let component = super::refs::component_name(reference, "schemas");
        if component.is_some() || !reference.starts_with("#/") {
            return self.component_ref(reference, at);
        }
        let ref_at = push_pointer(at, "$ref");
        let followed = match self.follow_schema(reference) {
            Ok(f) => f,
            Err(why) => {
                self.unfollowed(reference, &ref_at, why);
                return None;
            }
        };
        if let Some((named, media)) = &followed.through_content {
            self.mistake(
                &ref_at,
                &format!("`{named}` is not a schema"),
                &format!("the schema of its `{media}` content"),
                Some(format!("point the `$ref` at the schema itself: `{}`", followed.pointer)),
            );
        }
        if let Some(name) = followed.component {
            return self.component_names.get(name).cloned().map(TypeRef::Named);
        }
        if let Some(ty) = self.by_pointer.get(&followed.pointer) {
            return Some(ty.clone());
        }
        if self.pointer_refs_open.contains(&followed.pointer) {
            self.unsupported(
                &ref_at,
                &format!("a `$ref` by pointer into the schema it is part of (`{reference}`)"),
                Some("make the schema a component and refer to it by name"),
            );
            return None;
        }
        self.pointer_refs_open.push(followed.pointer.clone());
        let hint = hint_from_pointer(&followed.pointer);
        let ty = self.lower_schema(followed.schema, &followed.pointer, Naming::Hint(hint.clone()), &hint);
        self.pointer_refs_open.pop();
        if let Some(ty @ TypeRef::Named(_)) = &ty {
            self.by_pointer.insert(followed.pointer, ty.clone());
        }
        ty
    }

    /// The type a `$ref` to a component schema (`#/components/schemas/<name>`) stands for.
    fn component_ref(&mut self, reference: &str, at: &str) -> Option<TypeRef> {
        let RefTarget::Component(key) = self.ref_target(reference, "schemas", at) else { return None };
        match self.component_names.get(key.as_str()) {
            Some(name) => Some(TypeRef::Named(name.clone())),
            None => {
                self.error(
                    &push_pointer(at, "$ref"),
                    format!("unresolved reference `{reference}`"),
                    Some(format!("define `{key}` under `components/schemas`")),
                );
                None
            }
        }
    }

    /// Reports a schema `$ref` that cannot be followed.
    pub(super) fn unfollowed(&mut self, reference: &str, ref_at: &str, why: Unfollowed) {
        let (message, hint) = match why {
            Unfollowed::External => (
                format!("unsupported: external reference `{reference}`"),
                "references must point into this document (`#/components/...`); bundle the spec first",
            ),
            Unfollowed::Missing => {
                (format!("unresolved reference `{reference}`"), "no node of the document is at this JSON pointer")
            }
            Unfollowed::NotASchema => (
                format!("`{reference}` does not name a schema"),
                "point the `$ref` at a schema (a component schema, or a schema inside one)",
            ),
            Unfollowed::Loop => (
                format!("`{reference}` refers to itself through a chain of references"),
                "give one schema of the chain a type or properties",
            ),
        };
        self.error(ref_at, message, Some(hint.into()));
    }

    /// Lowers a schema position (reference or inline) to a type reference.
    pub(super) fn type_ref<S: Borrow<Schema>>(
        &mut self,
        schema: &'a ReferenceOr<S>,
        at: &str,
        hint: &str,
    ) -> Option<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.named_ref(reference, at),
            ReferenceOr::Item(s) => self.inline_type(s.borrow(), at, hint),
        }
    }

    /// Lowers an inline schema at `at` to a type reference; a component schema's position
    /// lowers to one type however often it is reached (through `allOf` merges, JSON-pointer
    /// `$ref`s).
    pub(super) fn inline_type(&mut self, schema: &'a Schema, at: &str, hint: &str) -> Option<TypeRef> {
        if let Some(ty) = self.by_pointer.get(at) {
            return Some(ty.clone());
        }
        let ty = self.lower_schema(schema, at, Naming::Hint(hint.to_string()), hint);
        if let Some(ty @ TypeRef::Named(_)) = &ty
            && at.starts_with("#/components/schemas/")
        {
            self.by_pointer.insert(at.to_string(), ty.clone());
        }
        ty
    }

    /// Looks through references to the schema itself (for envelope and parameter checks).
    /// A warning when the schema of a list's items or a map's values allows `null`
    /// (`nullable: true`; in 3.1, `"null"` among the types): the Rust type holds values only,
    /// so such a `null` fails to decode, and the document should not be read as if it said
    /// nothing.
    fn warn_null_inside<S: Borrow<Schema>>(&mut self, schema: &'a ReferenceOr<S>, at: &str, what: &str) {
        if self.peek(schema).is_some_and(|s| s.schema_data.nullable) {
            // At the keyword when it is written here; at the `$ref` otherwise.
            let at = match schema {
                ReferenceOr::Item(_) => push_pointer(at, "nullable"),
                ReferenceOr::Reference { .. } => at.to_string(),
            };
            self.warning(
                &at,
                format!("`nullable` on {what} is not represented: such a `null` fails to decode"),
                Some("only properties, parameters and bodies can be null in the generated types".into()),
            );
        }
    }

    pub(super) fn peek<S: Borrow<Schema>>(&self, schema: &'a ReferenceOr<S>) -> Option<&'a Schema> {
        match schema {
            ReferenceOr::Item(s) => Some(s.borrow()),
            ReferenceOr::Reference { reference } => self.follow_schema(reference).ok().map(|f| f.schema),
        }
    }

    /// Gives an inline type defined just now (the last one pushed) these docs if it has none.
    pub(super) fn document_new_type(&mut self, ty: &TypeRef, docs: Option<&str>) {
        let (TypeRef::Named(name), Some(docs)) = (ty, docs.filter(|d| !d.trim().is_empty())) else { return };
        let is_component = self.component_names.values().any(|n| n == name);
        if let Some(last) = self.types.last_mut()
            && &last.name == name
            && last.docs.is_none()
            && !is_component
        {
            last.docs = Some(docs.to_string());
        }
    }

    fn push_type(&mut self, def: TypeDef) {
        for (i, ex) in def.examples.iter().enumerate() {
            let target = Target::Value { ty: TypeRef::Named(def.name.clone()), nullable: false };
            self.examples.push((example_pointer(&def.pointer, i), ex.clone(), target));
        }
        self.types.push(def);
    }

    fn claim(&mut self, naming: &Naming) -> Ident {
        match naming {
            Naming::Fixed(name) => name.clone(),
            Naming::Hint(hint) => self.type_scope.unique(names::model_name_or(hint, "Type")),
        }
    }

    /// Defines a string enum of `values` named from `hint` (a parameter whose `oneOf` members
    /// are string enums takes any of their values).
    pub(super) fn string_enum(&mut self, values: Vec<&String>, at: &str, hint: &str, docs: Option<String>) -> TypeRef {
        let variants = enum_variants(values, None);
        self.warn_numbered_variants(&variants, at);
        self.define_kind(&Naming::Hint(hint.to_string()), hint, docs, Vec::new(), at, TypeKind::Enum { variants })
    }

    /// Defines a named type with the given kind and returns a reference to it.
    fn define(&mut self, naming: &Naming, origin: &str, schema: &Schema, at: &str, kind: TypeKind) -> TypeRef {
        let examples = schema_examples(schema);
        let docs = docs_of(schema).or_else(|| super::all_of::member_docs(schema));
        self.define_kind(naming, origin, docs, examples, at, kind)
    }

    /// Defines a named type with the given kind, docs and examples.
    fn define_kind(
        &mut self,
        naming: &Naming,
        origin: &str,
        docs: Option<String>,
        examples: Vec<serde_json::Value>,
        at: &str,
        kind: TypeKind,
    ) -> TypeRef {
        let name = self.claim(naming);
        self.push_type(TypeDef {
            value_name: names::value_name(&name, "value"),
            name: name.clone(),
            origin: origin.to_string(),
            docs,
            kind,
            examples,
            sent: false,
            pointer: at.to_string(),
            feature: None,
        });
        TypeRef::Named(name)
    }

    /// Lowers an inline schema. Shapes that need a named type (objects with properties,
    /// string enums, unions) are defined under `naming`; other shapes are returned as
    /// references, and for a component (`Naming::Fixed`) wrapped in an alias.
    pub(super) fn lower_schema(
        &mut self,
        schema: &'a Schema,
        at: &str,
        naming: Naming,
        origin: &str,
    ) -> Option<TypeRef> {
        let shape = self.shape(schema, at, &naming, origin)?;
        Some(match (shape, &naming) {
            (Shape::Ref(target), Naming::Fixed(name)) => {
                let name = name.clone();
                self.push_type(TypeDef {
                    value_name: names::value_name(&name, "value"),
                    name: name.clone(),
                    origin: origin.to_string(),
                    docs: docs_of(schema),
                    kind: TypeKind::Alias { target },
                    examples: schema_examples(schema),
                    sent: false,
                    pointer: at.to_string(),
                    feature: None,
                });
                TypeRef::Named(name)
            }
            (Shape::Ref(target), Naming::Hint(_)) => target,
            (Shape::Kind(kind), _) => self.define(&naming, origin, schema, at, kind),
        })
    }

    pub(super) fn shape(&mut self, schema: &'a Schema, at: &str, naming: &Naming, origin: &str) -> Option<Shape> {
        if self.marked_unsupported(schema, at) {
            return None;
        }
        let base = naming_base(naming);
        let union = matches!(&schema.schema_kind, SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. })
            || matches!(&schema.schema_kind, SchemaKind::Any(a) if !a.one_of.is_empty());
        if schema.schema_data.discriminator.is_some() && !union {
            self.warning(
                &push_pointer(at, "discriminator"),
                "`discriminator` on a schema that is not a `oneOf` or `anyOf` is ignored",
                Some("put the discriminator on the `oneOf` that lists the members (a base schema's discriminator, inherited through `allOf`, is not read)".into()),
            );
        }
        match &schema.schema_kind {
            SchemaKind::Type(ty) => self.typed_shape(ty, schema, at, &base),
            // `oneOf: [$ref]` / `anyOf: [$ref]` (with `nullable` beside it, a 3.0 spelling of a
            // nullable reference) is the reference.
            SchemaKind::OneOf { one_of: only } | SchemaKind::AnyOf { any_of: only }
                if matches!(only.as_slice(), [ReferenceOr::Reference { .. }])
                    && schema.schema_data.discriminator.is_none() =>
            {
                let key = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) { "oneOf" } else { "anyOf" };
                let [ReferenceOr::Reference { reference }] = only.as_slice() else { return None };
                self.named_ref(reference, &push_pointer(&push_pointer(at, key), "0")).map(Shape::Ref)
            }
            SchemaKind::OneOf { one_of } => self.union_shape(one_of, schema, &push_pointer(at, "oneOf"), &base),
            SchemaKind::AnyOf { any_of } => self.union_shape(any_of, schema, &push_pointer(at, "anyOf"), &base),
            SchemaKind::AllOf { .. } => self.all_of_shape(schema, at, naming, origin),
            SchemaKind::Not { .. } => {
                self.unsupported(&push_pointer(at, "not"), "`not` schemas", Some("describe the allowed shape instead"));
                None
            }
            SchemaKind::Any(any) => {
                // `allOf` with keywords beside it (`type: object, nullable: true, allOf:
                // [$ref]`, `type: string, allOf: [$ref]`, `properties` extending a `$ref`).
                if !any.all_of.is_empty() {
                    return self.all_of_shape(schema, at, naming, origin);
                }
                if !any.one_of.is_empty() {
                    return self.union_shape(&any.one_of, schema, &push_pointer(at, "oneOf"), &base);
                }
                if !any.any_of.is_empty() || any.not.is_some() {
                    self.unsupported(at, "a schema that mixes `type` keywords with `anyOf`/`not`", None);
                    return None;
                }
                // `type: integer` with `maximum: 3600.0`, `type: string` with `minimum`: read as
                // the type it says, like a schema openapiv3 typed.
                if let Some(reading) = typing::read_any(any) {
                    self.report_reading(&reading, any.typ.as_deref().unwrap_or_default(), at);
                    return self.typed_shape(&reading.ty, schema, at, &base);
                }
                if !any.enumeration.is_empty() {
                    let strings: Option<Vec<&String>> = any
                        .enumeration
                        .iter()
                        .filter(|v| !v.is_null())
                        .map(|v| match v {
                            serde_json::Value::String(s) => Some(s),
                            _ => None,
                        })
                        .collect();
                    return match strings {
                        Some(values) if !values.is_empty() => {
                            let chosen = self.enum_varnames(schema, values.len(), at);
                            let named = chosen.is_some();
                            let variants = enum_variants(values, chosen);
                            if !named {
                                self.warn_numbered_variants(&variants, at);
                            }
                            Some(Shape::Kind(TypeKind::Enum { variants }))
                        }
                        _ if any.enumeration.iter().all(|v| v.is_i64() || v.is_null()) => {
                            Some(Shape::Ref(TypeRef::Scalar(Scalar::I64)))
                        }
                        _ => {
                            self.error(
                                &push_pointer(at, "enum"),
                                "enum values mix types",
                                Some("use values of one type, and give the schema a `type`".into()),
                            );
                            None
                        }
                    };
                }
                if !any.properties.is_empty()
                    || any.additional_properties.is_some()
                    || any.typ.as_deref() == Some("object")
                {
                    return self.object_shape(
                        Self::object_def((&any.properties, &any.required, any.additional_properties.as_ref()), at),
                        &base,
                    );
                }
                if let Some(items) = &any.items {
                    let item = self.type_ref(items, &push_pointer(at, "items"), &format!("{base} item"))?;
                    self.warn_null_inside(items, &push_pointer(at, "items"), "an item of the list");
                    return Some(Shape::Ref(TypeRef::Array(Box::new(item))));
                }
                if let Some(typ) = &any.typ {
                    self.error(
                        &push_pointer(at, "type"),
                        format!("unknown schema type `{typ}`"),
                        Some("the types are string, integer, number, boolean, array and object (and, since OpenAPI 3.1, \"null\")".into()),
                    );
                    return None;
                }
                Some(Shape::Ref(TypeRef::Any))
            }
        }
    }

    /// Lowers a schema of one type. `ty` is openapiv3's typing of `schema`, or the reading
    /// of a `type` it could not type ([`typing::read_any`]): both lower alike. What a type
    /// holds (an array's `items`, an object's properties) is borrowed from `schema` itself,
    /// since a type read from an untyped schema is built by lowering and cannot lend it.
    fn typed_shape(&mut self, ty: &Type, schema: &'a Schema, at: &str, base: &str) -> Option<Shape> {
        match ty {
            Type::String(s) => {
                let values: Vec<&String> = s.enumeration.iter().flatten().collect();
                if !values.is_empty() {
                    let chosen = self.enum_varnames(schema, values.len(), at);
                    let named = chosen.is_some();
                    let variants = enum_variants(values, chosen);
                    if !named {
                        self.warn_numbered_variants(&variants, at);
                    }
                    return Some(Shape::Kind(TypeKind::Enum { variants }));
                }
                Some(Shape::Ref(TypeRef::Scalar(string_scalar(&s.format))))
            }
            Type::Integer(i) => {
                let int32 = matches!(&i.format, VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32));
                Some(Shape::Ref(TypeRef::Scalar(if int32 { Scalar::I32 } else { Scalar::I64 })))
            }
            // Every JSON number is a double; `format: float` as `f32` would change values
            // on a round trip (5.6 → 5.599999904632568), so all numbers are `f64`.
            Type::Number(_) => Some(Shape::Ref(TypeRef::Scalar(Scalar::F64))),
            Type::Boolean(_) => Some(Shape::Ref(TypeRef::Scalar(Scalar::Boolean))),
            Type::Array(_) => {
                let item = match items_of(schema) {
                    Some(items) => {
                        let item = self.type_ref(items, &push_pointer(at, "items"), &format!("{base} item"))?;
                        self.warn_null_inside(items, &push_pointer(at, "items"), "an item of the list");
                        item
                    }
                    None => TypeRef::Any,
                };
                Some(Shape::Ref(TypeRef::Array(Box::new(item))))
            }
            Type::Object(_) => match super::all_of::object_keywords(schema) {
                Some(keywords) => self.object_shape(Self::object_def(keywords, at), base),
                None => Some(Shape::Ref(TypeRef::Map(Box::new(TypeRef::Any)))),
            },
        }
    }

    /// Reports what reading an untyped schema as its `type` assumed: the keywords that do
    /// not fit the type, and integer bounds read otherwise than written.
    fn report_reading(&mut self, reading: &typing::Reading, typ: &str, at: &str) {
        if !reading.ignored.is_empty() {
            let (verb, them) = if reading.ignored.len() == 1 { ("does", "it") } else { ("do", "them") };
            let article = if matches!(typ, "integer" | "array") { "an" } else { "a" };
            self.mistake(
                &push_pointer(at, "type"),
                &format!("{} {verb} not fit `type: {typ}`", and_list(&reading.ignored)),
                &format!("{article} {typ} and ignored {them}"),
                Some("remove what does not belong to the type, or correct `type`".into()),
            );
        }
        for bound in &reading.bounds {
            self.mistake(&push_pointer(at, bound.keyword), &bound.wrong, &bound.assumed, Some(bound.hint.into()));
        }
    }

    /// The object definition of one schema's `properties`, `required` and
    /// `additionalProperties` (`at` is the schema's pointer).
    pub(super) fn object_def(keywords: super::all_of::ObjectKeywords<'a>, at: &str) -> ObjectDef<'a> {
        let (properties, required, additional) = keywords;
        let props_at = push_pointer(at, "properties");
        let req_at = push_pointer(at, "required");
        ObjectDef {
            properties: properties
                .iter()
                .map(|(name, schema)| PropertyDef { name, defs: vec![(schema, push_pointer(&props_at, name))] })
                .collect(),
            required: required.iter().map(|r| (r.clone(), req_at.clone())).collect(),
            additional: additional.map(|a| (a, push_pointer(at, "additionalProperties"))),
        }
    }

    pub(super) fn object_shape(&mut self, def: ObjectDef<'a>, base: &str) -> Option<Shape> {
        let ObjectDef { properties, required, additional } = def;
        let closed = matches!(additional, Some((AdditionalProperties::Any(false), _)));
        let additional = match additional {
            None | Some((AdditionalProperties::Any(false), _)) => None,
            Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Any),
            Some((AdditionalProperties::Schema(s), a_at)) => {
                let value = self.type_ref(s.as_ref(), &a_at, &format!("{base} value"))?;
                self.warn_null_inside(s.as_ref(), &a_at, "a value of the map");
                Some(value)
            }
        };
        if properties.is_empty() {
            return Some(Shape::Ref(TypeRef::Map(Box::new(additional.unwrap_or(TypeRef::Any)))));
        }
        let mut reported = BTreeSet::new();
        for (r, r_at) in &required {
            if !properties.iter().any(|p| p.name == r) && reported.insert(r) {
                self.mistake(
                    r_at,
                    &format!("`required` lists `{r}`, which is not a property"),
                    &format!("`{r}` is not a field and ignored it"),
                    Some(format!("define `{r}` under `properties`, or remove it from `required`")),
                );
            }
        }
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        let mut ok = true;
        let mut first_with: BTreeMap<Ident, &String> = BTreeMap::new();
        for PropertyDef { name: wire, defs } in properties {
            let Some((_, field_at)) = defs.last() else { continue };
            let field_at = field_at.clone();
            // Inline definitions, in order: what annotates the field.
            let inline: Vec<(&'a Schema, &str)> = defs
                .iter()
                .filter_map(|(d, d_at)| match d {
                    ReferenceOr::Item(s) => Some((s.as_ref(), d_at.as_str())),
                    ReferenceOr::Reference { .. } => None,
                })
                .collect();
            let mut chosen = None;
            for (s, d_at) in &inline {
                if let Some(name) = self.chosen_name(&s.schema_data.extensions, d_at, names::NameKind::Value) {
                    chosen = Some(name);
                }
            }
            let snake = chosen.unwrap_or_else(|| names::value_name(wire, "field"));
            let rust_name = scope.unique(snake.clone());
            match first_with.get(&snake) {
                Some(first) if rust_name != snake => {
                    let message = format!(
                        "properties `{first}` and `{wire}` are both `{snake}` in Rust; this one becomes `{rust_name}`"
                    );
                    self.warning(&field_at, message, None);
                }
                _ => {
                    first_with.insert(snake, wire);
                }
            }
            let hint = format!("{base} {wire}");
            let ty = match defs.as_slice() {
                [(only, only_at)] => self.type_ref(*only, only_at, &hint),
                _ => self.merged_property(&defs, &field_at, &hint),
            };
            let Some(ty) = ty else {
                ok = false;
                continue;
            };
            // Annotations: the last definition that gives each wins; flags from any.
            let last =
                |get: &dyn Fn(&'a Schema) -> Option<serde_json::Value>| inline.iter().rev().find_map(|(s, _)| get(s));
            let constraints = inline
                .iter()
                .rev()
                .map(|(s, _)| super::all_of::constraints_with_members(s))
                .find(|c| *c != Constraints::default())
                .unwrap_or_default();
            let default = last(&|s| s.schema_data.default.clone());
            let default_at = inline.iter().rev().find(|(s, _)| s.schema_data.default.is_some()).map(|(_, a)| *a);
            if let (Some(d), Some(d_at)) = (default.as_ref().and_then(serde_json::Value::as_f64), default_at) {
                let below = constraints.minimum.is_some_and(|m| d < m || (constraints.exclusive_minimum && d <= m));
                let above = constraints.maximum.is_some_and(|m| d > m || (constraints.exclusive_maximum && d >= m));
                if below || above {
                    let bound = |v: Option<f64>| v.map_or_else(|| "…".to_string(), |v| v.to_string());
                    let range = format!("{} to {}", bound(constraints.minimum), bound(constraints.maximum));
                    self.warning(
                        &push_pointer(d_at, "default"),
                        format!("the default {d} of `{wire}` is outside its documented range ({range})"),
                        None,
                    );
                }
            }
            // `nullable` on the property, or on the component schema it refers to.
            let nullable = inline.iter().any(|(s, _)| nullable_of(s))
                || defs.iter().any(|(d, _)| {
                    matches!(d, ReferenceOr::Reference { .. }) && self.peek(*d).is_some_and(|s| s.schema_data.nullable)
                });
            let example = last(&|s| s.schema_data.example.clone());
            if let Some((examples, ex_at)) =
                inline.iter().rev().map(|(s, a)| (schema_examples(s), *a)).find(|(e, _)| !e.is_empty())
            {
                for (i, ex) in examples.into_iter().enumerate() {
                    let target = Target::Value { ty: ty.clone(), nullable };
                    self.examples.push((example_pointer(ex_at, i), ex, target));
                }
            }
            let docs = inline.iter().rev().find_map(|(s, _)| docs_of(s).or_else(|| super::all_of::member_docs(s)));
            fields.push(Field {
                rust_name,
                wire_name: wire.clone(),
                required: required.iter().any(|(r, _)| r == wire),
                ty,
                nullable,
                absent_or_null: false,
                setter: None,
                clear_setter: None,
                read_only: inline.iter().any(|(s, _)| s.schema_data.read_only),
                write_only: inline.iter().any(|(s, _)| s.schema_data.write_only),
                boxed: false,
                default,
                constraints,
                docs,
                example,
            });
        }
        let additional_field = additional.as_ref().map(|_| {
            let taken: Vec<&str> = fields.iter().map(|f| f.rust_name.as_str()).collect();
            Scope::with_reserved(&taken).unique(names::value_name("additional_properties", "extra"))
        });
        ok.then_some(Shape::Kind(TypeKind::Struct { fields, additional, additional_field, closed }))
    }

    /// The type of a property several `allOf` members define: their definitions merged as
    /// the members of an `allOf` are.
    fn merged_property(
        &mut self,
        defs: &[(&'a ReferenceOr<Box<Schema>>, String)],
        at: &str,
        hint: &str,
    ) -> Option<TypeRef> {
        let members: Vec<(Member<'a>, String)> = defs.iter().map(|(d, d_at)| (Member::of(*d), d_at.clone())).collect();
        let naming = Naming::Hint(hint.to_string());
        // Not recorded under `at`: that pointer names one definition, not the merge.
        Some(match self.merge(&members, None, at, &naming, hint)? {
            Shape::Ref(ty) => ty,
            Shape::Kind(kind) => self.define_kind(&naming, hint, None, Vec::new(), at, kind),
        })
    }

    fn union_shape(
        &mut self,
        variants: &'a [ReferenceOr<Schema>],
        schema: &'a Schema,
        at: &str,
        base: &str,
    ) -> Option<Shape> {
        if variants.is_empty() {
            self.error(
                at,
                "a union with no members: no value can match it",
                Some("list the members, or remove the keyword".into()),
            );
            return None;
        }
        let discriminator = schema.schema_data.discriminator.as_ref();
        // `at` is the `oneOf`/`anyOf` list; the discriminator sits beside it.
        let parent_at = at.rsplit_once('/').map_or(at, |(parent, _)| parent).to_string();
        // A variant named `Unknown` would take the name of the variant unknown tags decode as.
        let mut scope = if discriminator.is_some() { Scope::with_reserved(&["Unknown"]) } else { Scope::default() };
        let mut out = Vec::new();
        let mut ok = true;
        for (i, v) in variants.iter().enumerate() {
            let v_at = push_pointer(at, &i.to_string());
            let (label, shape, docs) = match v {
                ReferenceOr::Reference { reference } => {
                    let Some(target) = self.named_ref(reference, &v_at) else {
                        ok = false;
                        continue;
                    };
                    // A `$ref` by pointer to a scalar or a list is named by its kind.
                    let label = match &target {
                        TypeRef::Named(n) => n.to_string(),
                        _ => self.peek(v).map_or_else(|| format!("Variant{i}"), |s| kind_label(s).to_string()),
                    };
                    (label, UnionShape::Value(target), None)
                }
                ReferenceOr::Item(s) => {
                    let single = single_value(s);
                    let label = prose(s.schema_data.title.as_ref())
                        .or_else(|| single.as_ref().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)))
                        .unwrap_or_else(|| kind_label(s).to_string());
                    let shape = match single {
                        Some(value) => {
                            // Not lowered as a type: say here what reading it assumed.
                            if let SchemaKind::Any(any) = &s.schema_kind
                                && let Some(reading) = typing::read_any(any)
                            {
                                self.report_reading(&reading, any.typ.as_deref().unwrap_or_default(), &v_at);
                            }
                            UnionShape::Const(value)
                        }
                        None => {
                            let hint = format!("{base} {label}");
                            let Some(t) = self.type_ref(v, &v_at, &hint) else {
                                ok = false;
                                continue;
                            };
                            UnionShape::Value(t)
                        }
                    };
                    (label, shape, prose(s.schema_data.description.as_ref()))
                }
            };
            let rust_name = scope.unique(names::type_name(&label, &format!("Variant{i}")));
            let tags = match (discriminator, v) {
                (None, _) => Vec::new(),
                (Some(d), ReferenceOr::Reference { reference }) => discriminator_tags(d, reference),
                (Some(_), ReferenceOr::Item(_)) => {
                    self.unsupported(
                        &v_at,
                        "an inline member of a union with a `discriminator`",
                        Some("make the member a `$ref` to a component schema, which the discriminator can name"),
                    );
                    ok = false;
                    continue;
                }
            };
            out.push(UnionVariant { rust_name, tags, shape, docs });
        }
        if let Some(d) = discriminator {
            for (tag, target) in &d.mapping {
                let known = variants
                    .iter()
                    .any(|v| matches!(v, ReferenceOr::Reference { reference } if same_schema(reference, target)));
                if !known {
                    self.error(
                        &push_pointer(&push_pointer(&push_pointer(&parent_at, "discriminator"), "mapping"), tag),
                        format!("discriminator value `{tag}` maps to `{target}`, which is not a member of the union"),
                        None,
                    );
                    ok = false;
                }
            }
        }
        if discriminator.is_none() {
            // The decode order needs every member's type, so it is decided once all are
            // lowered (`order_unions`), and its warnings point at this list.
            self.union_lists.insert(parent_at, at.to_string());
        }
        let discriminator = discriminator.map(|d| d.property_name.clone());
        ok.then_some(Shape::Kind(TypeKind::OneOf { variants: out, discriminator, decode: Vec::new() }))
    }
}

/// The discriminator values that select the member `reference`: the `mapping` entries that
/// name it (as a `$ref` or a bare schema name), else its schema name, as OpenAPI 3.0 says.
fn discriminator_tags(d: &openapiv3::Discriminator, reference: &str) -> Vec<String> {
    let mapped: Vec<String> =
        d.mapping.iter().filter(|(_, target)| same_schema(reference, target)).map(|(tag, _)| tag.clone()).collect();
    if !mapped.is_empty() {
        return mapped;
    }
    vec![
        super::refs::component_name(reference, "schemas")
            .unwrap_or_else(|| reference.rsplit('/').next().unwrap_or(reference).to_string()),
    ]
}

/// Whether a `$ref` and a mapping target (a `$ref` or a bare schema name) name one schema.
fn same_schema(reference: &str, target: &str) -> bool {
    let name = |r: &str| super::refs::component_name(r, "schemas");
    reference == target || name(reference).is_some_and(|n| n == target || name(target).is_some_and(|t| t == n))
}

/// The one value a single-value enum allows (`type: string, enum: [circle]`, `type: integer,
/// enum: [0]`, `type: boolean, enum: [true]`), for a union member matched by value.
fn single_value(s: &Schema) -> Option<serde_json::Value> {
    let one = |mut values: Vec<serde_json::Value>| (values.len() == 1).then(|| values.pop()).flatten();
    match typing::typed(s)?.as_ref() {
        Type::String(st) => {
            one(st.enumeration.iter().flatten().map(|v| serde_json::Value::String(v.clone())).collect())
        }
        Type::Integer(i) => one(i.enumeration.iter().flatten().map(|v| serde_json::Value::from(*v)).collect()),
        Type::Number(n) => one(n.enumeration.iter().flatten().map(|v| serde_json::Value::from(*v)).collect()),
        Type::Boolean(b) => one(b.enumeration.iter().flatten().map(|v| serde_json::Value::Bool(*v)).collect()),
        Type::Object(_) | Type::Array(_) => None,
    }
}

/// Whether a value of this (inline) schema may be `null`: `nullable: true` on it, or, in
/// the `allOf: [$ref, {nullable: true}]` spelling, on a member that says nothing else.
///
/// A union with a nullable inline member (`oneOf: [{type: string, nullable: true}, {type:
/// integer}]`) may be `null` too: no member's Rust type holds it, so the field does.
fn nullable_of(schema: &Schema) -> bool {
    let nullable_member = |m: &ReferenceOr<Schema>| matches!(m, ReferenceOr::Item(s) if s.schema_data.nullable);
    schema.schema_data.nullable
        || match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of.iter().any(is_nullable_marker),
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                members.iter().any(nullable_member)
            }
            SchemaKind::Any(any) => {
                any.all_of.iter().any(is_nullable_marker)
                    || any.one_of.iter().any(nullable_member)
                    || any.any_of.iter().any(nullable_member)
            }
            _ => false,
        }
}

/// `{nullable: true}` and perhaps other annotations (`description`, `example`), nothing that
/// shapes values: an `allOf` member that makes the value nullable.
fn is_nullable_marker(member: &ReferenceOr<Schema>) -> bool {
    match member {
        ReferenceOr::Item(s) => s.schema_data.nullable && super::all_of::annotates_only(s),
        ReferenceOr::Reference { .. } => false,
    }
}

impl<'a> Lowerer<'a> {
    /// Reports the keywords loading marked [`crate::load::UNSUPPORTED`] on a schema (what a
    /// 3.1 schema says that has no 3.0 form), each at its keyword; whether there were any.
    fn marked_unsupported(&mut self, schema: &Schema, at: &str) -> bool {
        let Some(serde_json::Value::Array(marks)) = schema.schema_data.extensions.get(crate::load::UNSUPPORTED) else {
            return false;
        };
        for mark in marks {
            let what = mark.get("message").and_then(serde_json::Value::as_str).unwrap_or("a schema keyword");
            let pointer = match mark.get("keyword").and_then(serde_json::Value::as_str) {
                Some(keyword) => push_pointer(at, keyword),
                None => at.to_string(),
            };
            self.unsupported(&pointer, what, Some("describe the value with the keywords OpenAPI 3.0 also has"));
        }
        !marks.is_empty()
    }

    /// Warns about enum values that differ only in case or punctuation (`mW`, `MW`, `m_w`):
    /// their Rust names differ only in case or by a number given in spec order, so which
    /// name means which value is easy to get wrong; the spec should choose the names.
    fn warn_numbered_variants(&mut self, variants: &[EnumVariant], at: &str) {
        let mut groups: BTreeMap<String, Vec<&EnumVariant>> = BTreeMap::new();
        for (i, v) in variants.iter().enumerate() {
            let base = names::type_name(&v.wire_value, &names::symbol_value_name(&v.wire_value, i));
            groups.entry(base.to_lowercase()).or_default().push(v);
        }
        for group in groups.values().filter(|g| g.len() > 1) {
            let listed: Vec<String> =
                group.iter().map(|v| format!("`{}` is `{}`", v.wire_value, v.rust_name)).collect();
            self.warning(
                &push_pointer(at, "enum"),
                format!(
                    "enum values differ only in case or punctuation, so their variants are named as the values are written: {}",
                    listed.join(", ")
                ),
                Some("name the variants with `x-enum-varnames` (one UpperCamelCase name per value)".into()),
            );
        }
    }

    /// The variant names `x-enum-varnames` sets for an enum's values (the convention
    /// openapi-generator reads), checked: one UpperCamelCase name per value.
    fn enum_varnames(&mut self, schema: &Schema, count: usize, at: &str) -> Option<Vec<Ident>> {
        let value = schema.schema_data.extensions.get("x-enum-varnames")?;
        let at = push_pointer(at, "x-enum-varnames");
        let Some(list) = value.as_array().filter(|l| l.len() == count) else {
            self.error(&at, format!("`x-enum-varnames` must list one name per enum value ({count})"), None);
            return None;
        };
        let mut out = Vec::new();
        for (i, v) in list.iter().enumerate() {
            match v.as_str().map(|raw| names::chosen(raw, names::NameKind::Type)) {
                Some(Ok(name)) => out.push(name),
                Some(Err(why)) => {
                    self.error(&push_pointer(&at, &i.to_string()), format!("`x-enum-varnames`: {why}"), None);
                    return None;
                }
                None => {
                    self.error(&push_pointer(&at, &i.to_string()), "`x-enum-varnames` entries must be strings", None);
                    return None;
                }
            }
        }
        Some(out)
    }
}

/// What a schema lowers to before naming.
pub(super) enum Shape {
    /// Needs a named type of this kind.
    Kind(TypeKind),
    /// Is this reference (scalar, array, map, or another named type).
    Ref(TypeRef),
}

/// A name for the type of a schema named by JSON pointer, from the pointer's meaningful
/// tokens (`#/components/schemas/Room/properties/status` → `Room status`).
fn hint_from_pointer(pointer: &str) -> String {
    const STRUCTURE: &[&str] = &[
        "components",
        "schemas",
        "parameters",
        "responses",
        "requestBodies",
        "content",
        "schema",
        "properties",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "additionalProperties",
        "$defs",
        "definitions",
        "paths",
    ];
    let tokens: Vec<String> = pointer
        .trim_start_matches('#')
        .split('/')
        .map(crate::diag::unescape_pointer)
        .filter(|t| {
            !t.is_empty()
                && !STRUCTURE.contains(&t.as_str())
                && !t.contains('/')
                && !t.chars().all(|c| c.is_ascii_digit())
        })
        .collect();
    let start = tokens.len().saturating_sub(2);
    tokens.get(start..).unwrap_or_default().join(" ")
}

/// An array's `items` as the document holds them, typed by openapiv3 or not.
pub(super) fn items_of(schema: &Schema) -> Option<&ReferenceOr<Box<Schema>>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(a)) => a.items.as_ref(),
        SchemaKind::Any(a) => a.items.as_ref(),
        _ => None,
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

pub(super) fn naming_base(naming: &Naming) -> String {
    match naming {
        Naming::Fixed(n) => n.to_string(),
        Naming::Hint(n) => n.clone(),
    }
}

fn docs_of(schema: &Schema) -> Option<String> {
    prose(schema.schema_data.description.as_ref()).or_else(|| prose(schema.schema_data.title.as_ref()))
}

fn kind_label(s: &Schema) -> &'static str {
    match typing::typed(s).as_deref() {
        Some(Type::String(_)) => "String",
        Some(Type::Integer(_)) => "Integer",
        Some(Type::Number(_)) => "Number",
        Some(Type::Boolean(_)) => "Boolean",
        Some(Type::Array(_)) => "Array",
        Some(Type::Object(_)) => "Object",
        None => "Value",
    }
}

/// Variant names for an enum's values: the spec's (`x-enum-varnames`) if given; otherwise
/// UpperCamelCase, except for values that would blur together in it (`mW`, `MW`, `m_w` are
/// all `MW`), which are named verbatim (`mW`, `MW`, `m_w`), so each name says its value.
fn enum_variants(values: Vec<&String>, chosen: Option<Vec<Ident>>) -> Vec<EnumVariant> {
    // `Unknown` carries values the spec does not list, so no listed value may take it.
    let mut scope = Scope::with_reserved(&["Unknown"]);
    let camel: Vec<Ident> =
        values.iter().enumerate().map(|(i, v)| names::type_name(v, &names::symbol_value_name(v, i))).collect();
    let blurred = |i: usize| {
        let key = camel.get(i).map(|c| c.to_lowercase());
        camel.iter().enumerate().any(|(j, c)| j != i && Some(c.to_lowercase()) == key)
    };
    let mut chosen = chosen.map(Vec::into_iter);
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let base = match chosen.as_mut().and_then(Iterator::next) {
                Some(name) => name,
                None if blurred(i) => names::verbatim_name(v, &names::symbol_value_name(v, i)),
                None => names::type_name(v, &names::symbol_value_name(v, i)),
            };
            EnumVariant { rust_name: scope.unique(base), wire_value: v.clone() }
        })
        .collect()
}

fn string_scalar(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Scalar {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Scalar::Date,
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Scalar::DateTime,
        VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => Scalar::Uuid,
        VariantOrUnknownOrEmpty::Unknown(f) if f == "uri" || f == "url" => Scalar::Uri,
        _ => Scalar::String,
    }
}

/// The documented bounds of an inline schema (typed by openapiv3, or read from its `type`
/// by [`typing::typed`]).
pub(super) fn constraints_of(schema: &Schema) -> Constraints {
    let mut c = Constraints::default();
    let Some(ty) = typing::typed(schema) else { return c };
    match ty.as_ref() {
        Type::Integer(i) => {
            c.minimum = i.minimum.map(|v| v as f64);
            c.maximum = i.maximum.map(|v| v as f64);
            c.exclusive_minimum = i.exclusive_minimum;
            c.exclusive_maximum = i.exclusive_maximum;
        }
        Type::Number(n) => {
            c.minimum = n.minimum;
            c.maximum = n.maximum;
            c.exclusive_minimum = n.exclusive_minimum;
            c.exclusive_maximum = n.exclusive_maximum;
        }
        Type::String(s) => {
            c.min_length = s.min_length;
            c.max_length = s.max_length;
            c.pattern = s.pattern.clone();
        }
        Type::Array(a) => {
            c.min_items = a.min_items;
            c.max_items = a.max_items;
        }
        Type::Object(_) | Type::Boolean(_) => {}
    }
    c
}

/// Types Rust cannot hold: an alias that is, through aliases, lists and maps only, itself
/// (`Nested = Vec<Nested>`, `S = S`), and a union with a member that is, through aliases,
/// the union itself (a value of infinite size). Returns each one's pointer and a message.
pub(super) fn unrepresentable(types: &[TypeDef]) -> Vec<(String, String)> {
    let by_name: BTreeMap<&Ident, &TypeDef> = types.iter().map(|t| (&t.name, t)).collect();
    // Whether `ty` reaches `goal` through aliases, lists and maps alone.
    let reaches = |ty: &TypeRef, goal: &Ident, through_lists: bool| -> bool {
        let mut stack = vec![ty.clone()];
        let mut seen = BTreeSet::new();
        while let Some(t) = stack.pop() {
            match t {
                TypeRef::Array(inner) | TypeRef::Map(inner) if through_lists => stack.push(*inner),
                TypeRef::Named(n) => {
                    if &n == goal {
                        return true;
                    }
                    if let Some(TypeKind::Alias { target }) = by_name.get(&n).map(|d| &d.kind)
                        && seen.insert(n.clone())
                    {
                        stack.push(target.clone());
                    }
                }
                _ => {}
            }
        }
        false
    };
    let mut out = Vec::new();
    for t in types {
        match &t.kind {
            TypeKind::Alias { target } if reaches(target, &t.name, true) => out.push((
                t.pointer.clone(),
                format!(
                    "schema `{}` is only itself (through references, lists or maps): it has no values of its own",
                    t.origin
                ),
            )),
            TypeKind::OneOf { variants, .. } => {
                let member =
                    variants.iter().find(|v| matches!(&v.shape, UnionShape::Value(ty) if reaches(ty, &t.name, false)));
                if let Some(v) = member {
                    out.push((
                        t.pointer.clone(),
                        format!(
                            "union `{}` has itself as its member `{}`: a value would never end",
                            t.origin, v.rust_name
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

/// Marks the struct fields that need a `Box` because they close a cycle of direct
/// (not through `Vec` or map) containment.
pub(super) fn mark_boxed(types: &mut [TypeDef]) {
    let mut edges: BTreeMap<Ident, BTreeSet<Ident>> = BTreeMap::new();
    for t in types.iter() {
        let targets = edges.entry(t.name.clone()).or_default();
        match &t.kind {
            TypeKind::Struct { fields, .. } => {
                for f in fields {
                    if let TypeRef::Named(n) = &f.ty {
                        targets.insert(n.clone());
                    }
                }
            }
            TypeKind::OneOf { variants, .. } => {
                for v in variants {
                    if let UnionShape::Value(TypeRef::Named(n)) = &v.shape {
                        targets.insert(n.clone());
                    }
                }
            }
            TypeKind::Alias { target: TypeRef::Named(n) } => {
                targets.insert(n.clone());
            }
            _ => {}
        }
    }
    let reaches = |from: &Ident, to: &Ident| -> bool {
        let mut stack = vec![from.clone()];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if &n == to {
                return true;
            }
            if seen.insert(n.clone())
                && let Some(next) = edges.get(&n)
            {
                stack.extend(next.iter().cloned());
            }
        }
        false
    };
    for t in types.iter_mut() {
        let owner = t.name.clone();
        if let TypeKind::Struct { fields, .. } = &mut t.kind {
            for f in fields.iter_mut() {
                if let TypeRef::Named(n) = &f.ty {
                    f.boxed = reaches(n, &owner);
                }
            }
        }
    }
}

/// Decides, once every type and operation is known, what depends on how a type is used:
/// which types are sent (reachable from a request body), which of their optional nullable
/// fields tell "absent" from `null`, and the names of every struct's setters (the field
/// name, unless `new` or an earlier setter took it; `clear_{field}` for nullable fields of
/// sent types).
///
/// Returns a warning (pointer and message) for every setter that could not have its field's
/// name.
pub(super) fn finish_types(types: &mut [TypeDef], bodies: &[&TypeRef]) -> Vec<(String, String)> {
    let mut renamed = Vec::new();
    let index: BTreeMap<Ident, usize> = types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
    let mut stack: Vec<TypeRef> = bodies.iter().map(|t| (*t).clone()).collect();
    while let Some(ty) = stack.pop() {
        match ty {
            TypeRef::Array(inner) | TypeRef::Map(inner) => stack.push(*inner),
            TypeRef::Named(n) => {
                let Some(t) = index.get(&n).and_then(|&i| types.get_mut(i)) else { continue };
                if std::mem::replace(&mut t.sent, true) {
                    continue;
                }
                match &t.kind {
                    TypeKind::Struct { fields, additional, .. } => {
                        stack.extend(fields.iter().map(|f| f.ty.clone()));
                        stack.extend(additional.iter().cloned());
                    }
                    TypeKind::Alias { target } => stack.push(target.clone()),
                    TypeKind::OneOf { variants, .. } => stack.extend(variants.iter().filter_map(|v| match &v.shape {
                        crate::ir::UnionShape::Value(t) => Some(t.clone()),
                        crate::ir::UnionShape::Const(_) => None,
                    })),
                    TypeKind::Enum { .. } => {}
                }
            }
            _ => {}
        }
    }
    for t in types.iter_mut() {
        let sent = t.sent;
        let TypeKind::Struct { fields, .. } = &mut t.kind else { continue };
        let mut methods = Scope::with_reserved(crate::names::STRUCT_METHODS);
        for f in fields.iter_mut() {
            f.absent_or_null = sent && f.nullable && !f.required;
            if f.required || f.read_only {
                continue;
            }
            let setter = methods.unique(f.rust_name.clone());
            if setter != f.rust_name {
                renamed.push((
                    push_pointer(&push_pointer(&t.pointer, "properties"), &f.wire_name),
                    format!(
                        "the setter of `{}` is `{}()`: `{}` is taken by another method of `{}`",
                        f.wire_name,
                        setter.bare(),
                        f.rust_name.bare(),
                        t.name
                    ),
                ));
            }
            f.setter = Some(setter);
            if sent && f.nullable {
                f.clear_setter = Some(methods.unique(names::clear_setter(&f.rust_name)));
            }
        }
    }
    renamed
}

/// A schema's examples: its `example`, then the rest of a 3.1 `examples` list, which load
/// keeps under `x-codegen-examples`.
fn schema_examples(schema: &Schema) -> Vec<serde_json::Value> {
    let rest = match schema.schema_data.extensions.get(crate::load::EXTRA_EXAMPLES) {
        Some(serde_json::Value::Array(items)) => items.as_slice(),
        _ => &[],
    };
    schema.schema_data.example.iter().chain(rest).cloned().collect()
}

/// Where the `i`-th of [`schema_examples`] of the schema at `at` is written: `example`, then
/// the others a 3.1 `examples` list had.
fn example_pointer(at: &str, i: usize) -> String {
    match i.checked_sub(1) {
        None => push_pointer(at, "example"),
        Some(k) => push_pointer(&push_pointer(at, crate::load::EXTRA_EXAMPLES), &k.to_string()),
    }
}
