//! Schemas → named types ([`TypeDef`]) and type references ([`TypeRef`]).
//!
//! Component schemas keep their names; an inline object, enum or union gets its parent's
//! name followed by the field's (`RoomComposition` + `video_layout` → `RoomCompositionVideoLayout`).

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

use super::Lowerer;
use super::examples::Target;
use super::refs::Target as RefTarget;
use crate::diag::push_pointer;
use crate::ir::{Constraints, EnumVariant, Field, Scalar, TypeDef, TypeKind, TypeRef, UnionShape, UnionVariant};
use crate::names::{self, Ident, Scope};

/// An object's properties, borrowed from the document, in spec order.
pub(super) type Properties<'a> = Vec<(&'a String, &'a ReferenceOr<Box<Schema>>)>;

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
                            });
                        }
                    }
                }
                ReferenceOr::Item(schema) => {
                    self.lower_schema(schema, &at, Naming::Fixed(name), key);
                }
            }
            self.lowering_components.pop();
        }
    }

    /// Whether following component references from `reference` comes back to `key` without
    /// passing through anything but references.
    fn ref_loops_to(&self, reference: &str, key: &str) -> bool {
        let Some(components) = self.spec.doc.components.as_ref() else { return false };
        let mut current = reference;
        let mut seen = BTreeSet::new();
        while let Some(name) = current.strip_prefix("#/components/schemas/") {
            if name == key {
                return true;
            }
            if !seen.insert(name) {
                return false;
            }
            match components.schemas.get(name) {
                Some(ReferenceOr::Reference { reference }) => current = reference,
                _ => return false,
            }
        }
        false
    }

    /// The type a `$ref` to a component schema stands for.
    fn named_ref(&mut self, reference: &str, at: &str) -> Option<TypeRef> {
        let RefTarget::Component(key) = self.ref_target(reference, "schemas", at) else { return None };
        match self.component_names.get(key) {
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

    /// Lowers a schema position (reference or inline) to a type reference.
    pub(super) fn type_ref<S: Borrow<Schema>>(
        &mut self,
        schema: &'a ReferenceOr<S>,
        at: &str,
        hint: &str,
    ) -> Option<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.named_ref(reference, at),
            ReferenceOr::Item(s) => self.lower_schema(s.borrow(), at, Naming::Hint(hint.to_string()), hint),
        }
    }

    /// Looks through references to the schema itself (for envelope and parameter checks).
    pub(super) fn peek<S: Borrow<Schema>>(&self, schema: &'a ReferenceOr<S>) -> Option<&'a Schema> {
        let mut reference = match schema {
            ReferenceOr::Item(s) => return Some(s.borrow()),
            ReferenceOr::Reference { reference } => reference.as_str(),
        };
        let components = self.spec.doc.components.as_ref()?;
        for _ in 0..32 {
            let key = reference.strip_prefix("#/components/schemas/")?;
            match components.schemas.get(key)? {
                ReferenceOr::Item(s) => return Some(s),
                ReferenceOr::Reference { reference: next } => reference = next,
            }
        }
        None
    }

    /// Gives an inline type defined just now (the last one pushed) these docs if it has none.
    pub(super) fn document_new_type(&mut self, ty: &TypeRef, docs: Option<&str>) {
        let (TypeRef::Named(name), Some(docs)) = (ty, docs) else { return };
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
        for ex in &def.examples {
            let target = Target::Value { ty: TypeRef::Named(def.name.clone()), nullable: false };
            self.examples.push((push_pointer(&def.pointer, "example"), ex.clone(), target));
        }
        self.types.push(def);
    }

    fn claim(&mut self, naming: &Naming) -> Ident {
        match naming {
            Naming::Fixed(name) => name.clone(),
            Naming::Hint(hint) => self.type_scope.unique(names::model_name_or(hint, "Type")),
        }
    }

    /// Defines a named type with the given kind and returns a reference to it.
    fn define(&mut self, naming: &Naming, origin: &str, schema: &Schema, at: &str, kind: TypeKind) -> TypeRef {
        let name = self.claim(naming);
        self.push_type(TypeDef {
            value_name: names::value_name(&name, "value"),
            name: name.clone(),
            origin: origin.to_string(),
            docs: docs_of(schema),
            kind,
            examples: schema.schema_data.example.iter().cloned().collect(),
            sent: false,
            pointer: at.to_string(),
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
                    examples: schema.schema_data.example.iter().cloned().collect(),
                    sent: false,
                    pointer: at.to_string(),
                });
                TypeRef::Named(name)
            }
            (Shape::Ref(target), Naming::Hint(_)) => target,
            (Shape::Kind(kind), _) => self.define(&naming, origin, schema, at, kind),
        })
    }

    fn shape(&mut self, schema: &'a Schema, at: &str, naming: &Naming, origin: &str) -> Option<Shape> {
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
            SchemaKind::Type(Type::String(s)) => {
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
            SchemaKind::Type(Type::Integer(i)) => {
                let int32 = matches!(&i.format, VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32));
                Some(Shape::Ref(TypeRef::Scalar(if int32 { Scalar::I32 } else { Scalar::I64 })))
            }
            // Every JSON number is a double; `format: float` as `f32` would change values
            // on a round trip (5.6 → 5.599999904632568), so all numbers are `f64`.
            SchemaKind::Type(Type::Number(_)) => Some(Shape::Ref(TypeRef::Scalar(Scalar::F64))),
            SchemaKind::Type(Type::Boolean(_)) => Some(Shape::Ref(TypeRef::Scalar(Scalar::Boolean))),
            SchemaKind::Type(Type::Array(a)) => {
                let item = match &a.items {
                    Some(items) => self.type_ref(items, &push_pointer(at, "items"), &format!("{base} item"))?,
                    None => TypeRef::Any,
                };
                Some(Shape::Ref(TypeRef::Array(Box::new(item))))
            }
            SchemaKind::Type(Type::Object(o)) => self.object_shape(
                o.properties.iter().collect(),
                &o.required,
                o.additional_properties.as_ref(),
                at,
                &base,
            ),
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
            SchemaKind::AllOf { all_of } => self.all_of_shape(all_of, at, naming, origin),
            SchemaKind::Not { .. } => {
                self.unsupported(&push_pointer(at, "not"), "`not` schemas", Some("describe the allowed shape instead"));
                None
            }
            SchemaKind::Any(any) => {
                if !any.one_of.is_empty() {
                    return self.union_shape(&any.one_of, schema, &push_pointer(at, "oneOf"), &base);
                }
                // `type: object, nullable: true, allOf: [$ref]`: the spelling OpenAPI 3.0.3
                // strictly needs (`nullable` counts only beside `type`); `type: object` says
                // nothing the members do not.
                let only_all_of = openapiv3::AnySchema { typ: None, all_of: Vec::new(), ..any.clone() }
                    == openapiv3::AnySchema::default();
                if !any.all_of.is_empty() && matches!(any.typ.as_deref(), None | Some("object")) && only_all_of {
                    return self.all_of_shape(&any.all_of, at, naming, origin);
                }
                if !any.all_of.is_empty() || !any.any_of.is_empty() || any.not.is_some() {
                    self.unsupported(at, "a schema that mixes `type` keywords with `allOf`/`anyOf`/`not`", None);
                    return None;
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
                        any.properties.iter().collect(),
                        &any.required,
                        any.additional_properties.as_ref(),
                        at,
                        &base,
                    );
                }
                if let Some(items) = &any.items {
                    let item = self.type_ref(items, &push_pointer(at, "items"), &format!("{base} item"))?;
                    return Some(Shape::Ref(TypeRef::Array(Box::new(item))));
                }
                if let Some(typ) = &any.typ {
                    self.error(&push_pointer(at, "type"), format!("unknown or conflicting schema type `{typ}`"), None);
                    return None;
                }
                Some(Shape::Ref(TypeRef::Any))
            }
        }
    }

    fn object_shape(
        &mut self,
        properties: Properties<'a>,
        required: &[String],
        additional: Option<&'a AdditionalProperties>,
        at: &str,
        base: &str,
    ) -> Option<Shape> {
        let closed = matches!(additional, Some(AdditionalProperties::Any(false)));
        let additional = match additional {
            None | Some(AdditionalProperties::Any(false)) => None,
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Any),
            Some(AdditionalProperties::Schema(s)) => {
                Some(self.type_ref(s.as_ref(), &push_pointer(at, "additionalProperties"), &format!("{base} value"))?)
            }
        };
        if properties.is_empty() {
            return Some(Shape::Ref(TypeRef::Map(Box::new(additional.unwrap_or(TypeRef::Any)))));
        }
        for r in required {
            if !properties.iter().any(|(k, _)| *k == r) {
                self.error(&push_pointer(at, "required"), format!("`{r}` is required but is not a property"), None);
            }
        }
        let props = push_pointer(at, "properties");
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        let mut ok = true;
        let mut first_with: BTreeMap<Ident, &String> = BTreeMap::new();
        for (wire, prop) in properties {
            let field_at = push_pointer(&props, wire);
            let chosen = match prop {
                ReferenceOr::Item(s) => self.chosen_name(&s.schema_data.extensions, &field_at, names::NameKind::Value),
                ReferenceOr::Reference { .. } => None,
            };
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
            let Some(ty) = self.type_ref(prop, &field_at, &hint) else {
                ok = false;
                continue;
            };
            let data = match prop {
                ReferenceOr::Item(s) => Some(&s.schema_data),
                ReferenceOr::Reference { .. } => None,
            };
            let inline = match prop {
                ReferenceOr::Item(s) => Some(s.as_ref()),
                ReferenceOr::Reference { .. } => None,
            };
            let constraints = inline.map(constraints_of).unwrap_or_default();
            let default = data.and_then(|d| d.default.clone());
            if let Some(d) = default.as_ref().and_then(serde_json::Value::as_f64) {
                let below = constraints.minimum.is_some_and(|m| d < m || (constraints.exclusive_minimum && d <= m));
                let above = constraints.maximum.is_some_and(|m| d > m || (constraints.exclusive_maximum && d >= m));
                if below || above {
                    let bound = |v: Option<f64>| v.map_or_else(|| "…".to_string(), |v| v.to_string());
                    let range = format!("{} to {}", bound(constraints.minimum), bound(constraints.maximum));
                    self.warning(
                        &push_pointer(&field_at, "default"),
                        format!("the default {d} of `{wire}` is outside its documented range ({range})"),
                        None,
                    );
                }
            }
            let nullable = inline.is_some_and(nullable_of);
            if let Some(ex) = data.and_then(|d| d.example.clone()) {
                let target = Target::Value { ty: ty.clone(), nullable };
                self.examples.push((push_pointer(&field_at, "example"), ex, target));
            }
            fields.push(Field {
                rust_name,
                wire_name: wire.clone(),
                ty,
                required: required.contains(wire),
                nullable,
                absent_or_null: false,
                setter: None,
                clear_setter: None,
                read_only: data.is_some_and(|d| d.read_only),
                write_only: data.is_some_and(|d| d.write_only),
                boxed: false,
                default,
                constraints,
                docs: data.and_then(|d| d.description.clone().or_else(|| d.title.clone())),
                example: data.and_then(|d| d.example.clone()),
            });
        }
        let additional_field = additional.as_ref().map(|_| {
            let taken: Vec<&str> = fields.iter().map(|f| f.rust_name.as_str()).collect();
            Scope::with_reserved(&taken).unique(names::value_name("additional_properties", "extra"))
        });
        ok.then_some(Shape::Kind(TypeKind::Struct { fields, additional, additional_field, closed }))
    }

    fn union_shape(
        &mut self,
        variants: &'a [ReferenceOr<Schema>],
        schema: &'a Schema,
        at: &str,
        base: &str,
    ) -> Option<Shape> {
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
                    let label = match &target {
                        TypeRef::Named(n) => n.to_string(),
                        _ => format!("Variant{i}"),
                    };
                    (label, UnionShape::Value(target), None)
                }
                ReferenceOr::Item(s) => {
                    let single = single_value(s);
                    let label = s
                        .schema_data
                        .title
                        .clone()
                        .or_else(|| single.as_ref().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)))
                        .unwrap_or_else(|| kind_label(s).to_string());
                    let shape = match single {
                        Some(value) => UnionShape::Const(value),
                        None => {
                            let hint = format!("{base} {label}");
                            let Some(t) = self.type_ref(v, &v_at, &hint) else {
                                ok = false;
                                continue;
                            };
                            UnionShape::Value(t)
                        }
                    };
                    (label, shape, s.schema_data.description.clone())
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

    fn all_of_shape(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        at: &str,
        naming: &Naming,
        origin: &str,
    ) -> Option<Shape> {
        let all_at = push_pointer(at, "allOf");
        // `{nullable: true}` members say the value may be null (read by `nullable_of`), not
        // what it holds.
        let members: Vec<(usize, &'a ReferenceOr<Schema>)> =
            members.iter().enumerate().filter(|(_, m)| !is_nullable_marker(m)).collect();
        if let [(i, only)] = members.as_slice() {
            // `allOf: [$ref]` is the 3.0 idiom for a reference with a description or
            // `nullable` beside it.
            let inner_at = push_pointer(&all_at, &i.to_string());
            return match only {
                ReferenceOr::Reference { reference } => self.named_ref(reference, &inner_at).map(Shape::Ref),
                ReferenceOr::Item(s) => self.shape(s, &inner_at, naming, origin),
            };
        }
        // Merge objects: every member must be (or refer to) an object schema.
        let mut properties: Properties<'a> = Vec::new();
        let mut required = Vec::new();
        for (i, m) in members {
            let m_at = push_pointer(&all_at, &i.to_string());
            let Some(s) = self.peek(m) else {
                if let ReferenceOr::Reference { reference } = m {
                    self.named_ref(reference, &m_at);
                }
                return None;
            };
            let (props, req) = match &s.schema_kind {
                SchemaKind::Type(Type::Object(o)) if o.additional_properties.is_none() => (&o.properties, &o.required),
                SchemaKind::Any(a)
                    if a.typ.is_none() && a.one_of.is_empty() && a.all_of.is_empty() && a.items.is_none() =>
                {
                    (&a.properties, &a.required)
                }
                _ => {
                    self.unsupported(
                        &m_at,
                        "an `allOf` member that is not a plain object; only objects can be merged",
                        Some("inline the fields, or use a single `$ref`"),
                    );
                    return None;
                }
            };
            for (k, v) in props {
                if properties.iter().any(|(seen, _)| *seen == k) {
                    self.unsupported(&m_at, &format!("`allOf` members that both define `{k}`"), None);
                    return None;
                }
                properties.push((k, v));
            }
            required.extend(req.iter().cloned());
        }
        self.object_shape(properties, &required, None, at, &naming_base(naming))
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
    vec![reference.rsplit('/').next().unwrap_or(reference).to_string()]
}

/// Whether a `$ref` and a mapping target (a `$ref` or a bare schema name) name one schema.
fn same_schema(reference: &str, target: &str) -> bool {
    reference == target || reference.strip_prefix("#/components/schemas/") == Some(target)
}

/// The one value a single-value enum allows (`type: string, enum: [circle]`, `type: integer,
/// enum: [0]`, `type: boolean, enum: [true]`), for a union member matched by value.
fn single_value(s: &Schema) -> Option<serde_json::Value> {
    let one = |mut values: Vec<serde_json::Value>| (values.len() == 1).then(|| values.pop()).flatten();
    match &s.schema_kind {
        SchemaKind::Type(Type::String(st)) => {
            one(st.enumeration.iter().flatten().map(|v| serde_json::Value::String(v.clone())).collect())
        }
        SchemaKind::Type(Type::Integer(i)) => {
            one(i.enumeration.iter().flatten().map(|v| serde_json::Value::from(*v)).collect())
        }
        SchemaKind::Type(Type::Number(n)) => {
            one(n.enumeration.iter().flatten().map(|v| serde_json::Value::from(*v)).collect())
        }
        SchemaKind::Type(Type::Boolean(b)) => {
            one(b.enumeration.iter().flatten().map(|v| serde_json::Value::Bool(*v)).collect())
        }
        _ => None,
    }
}

/// Whether a value of this (inline) schema may be `null`: `nullable: true` on it, or, in
/// the `allOf: [$ref, {nullable: true}]` spelling, on a member that says nothing else.
fn nullable_of(schema: &Schema) -> bool {
    schema.schema_data.nullable
        || match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of.iter().any(is_nullable_marker),
            SchemaKind::Any(any) => any.all_of.iter().any(is_nullable_marker),
            _ => false,
        }
}

/// `{nullable: true}` and nothing else: an `allOf` member that only makes the value nullable.
fn is_nullable_marker(member: &ReferenceOr<Schema>) -> bool {
    match member {
        ReferenceOr::Item(s) => {
            s.schema_data.nullable
                && matches!(&s.schema_kind, SchemaKind::Any(a) if *a == openapiv3::AnySchema::default())
        }
        ReferenceOr::Reference { .. } => false,
    }
}

impl<'a> Lowerer<'a> {
    /// Warns about enum values that differ only in case or punctuation (`mW`, `MW`, `m_w`):
    /// their Rust names differ only in case or by a number given in spec order, so which
    /// name means which value is easy to get wrong; the spec should choose the names.
    fn warn_numbered_variants(&mut self, variants: &[EnumVariant], at: &str) {
        let mut groups: BTreeMap<String, Vec<&EnumVariant>> = BTreeMap::new();
        for (i, v) in variants.iter().enumerate() {
            let base = names::type_name(&v.wire_value, &format!("Value{i}"));
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
enum Shape {
    /// Needs a named type of this kind.
    Kind(TypeKind),
    /// Is this reference (scalar, array, map, or another named type).
    Ref(TypeRef),
}

fn naming_base(naming: &Naming) -> String {
    match naming {
        Naming::Fixed(n) => n.to_string(),
        Naming::Hint(n) => n.clone(),
    }
}

fn docs_of(schema: &Schema) -> Option<String> {
    schema.schema_data.description.clone().or_else(|| schema.schema_data.title.clone())
}

fn kind_label(s: &Schema) -> &'static str {
    match &s.schema_kind {
        SchemaKind::Type(Type::String(_)) => "String",
        SchemaKind::Type(Type::Integer(_)) => "Integer",
        SchemaKind::Type(Type::Number(_)) => "Number",
        SchemaKind::Type(Type::Boolean(_)) => "Boolean",
        SchemaKind::Type(Type::Array(_)) => "Array",
        SchemaKind::Type(Type::Object(_)) => "Object",
        _ => "Value",
    }
}

/// Variant names for an enum's values: the spec's (`x-enum-varnames`) if given; otherwise
/// UpperCamelCase, except for values that would blur together in it (`mW`, `MW`, `m_w` are
/// all `MW`), which are named verbatim (`mW`, `MW`, `m_w`), so each name says its value.
fn enum_variants(values: Vec<&String>, chosen: Option<Vec<Ident>>) -> Vec<EnumVariant> {
    // `Unknown` carries values the spec does not list, so no listed value may take it.
    let mut scope = Scope::with_reserved(&["Unknown"]);
    let camel: Vec<Ident> = values.iter().enumerate().map(|(i, v)| names::type_name(v, &format!("Value{i}"))).collect();
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
                None if blurred(i) => names::verbatim_name(v, &format!("Value{i}")),
                None => names::type_name(v, &format!("Value{i}")),
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

/// The documented bounds of an inline schema.
pub(super) fn constraints_of(schema: &Schema) -> Constraints {
    let mut c = Constraints::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(i)) => {
            c.minimum = i.minimum.map(|v| v as f64);
            c.maximum = i.maximum.map(|v| v as f64);
            c.exclusive_minimum = i.exclusive_minimum;
            c.exclusive_maximum = i.exclusive_maximum;
        }
        SchemaKind::Type(Type::Number(n)) => {
            c.minimum = n.minimum;
            c.maximum = n.maximum;
            c.exclusive_minimum = n.exclusive_minimum;
            c.exclusive_maximum = n.exclusive_maximum;
        }
        SchemaKind::Type(Type::String(s)) => {
            c.min_length = s.min_length;
            c.max_length = s.max_length;
            c.pattern = s.pattern.clone();
        }
        SchemaKind::Type(Type::Array(a)) => {
            c.min_items = a.min_items;
            c.max_items = a.max_items;
        }
        _ => {}
    }
    c
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
