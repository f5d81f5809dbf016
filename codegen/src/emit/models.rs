//! `src/models.rs`: one Rust type for every named type in the IR.
//!
//! Structs are `#[non_exhaustive]` (a new field is not a breaking change) and are built with
//! `new(required…)` plus one setter per optional field. String enums are
//! `#[non_exhaustive]` with an `Unknown(String)` variant that round-trips values this
//! version does not know. Untagged unions decode by trying their variants in the order lowering
//! decided (`TypeKind::OneOf::decode`); tagged ones by their tag.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, inner_doc_attrs, own_doc, prose_or};
use std::collections::BTreeSet;

use super::validate::value_checks;
use super::{Place, constraint_docs, ident, rust_type};
use crate::ir::{
    Api, Constraints, DecodeStep, DecodeTest, EnumVariant, Field, ResourceFeature, Scalar, Success, TypeDef, TypeKind,
    TypeRef, UnionShape, UnionVariant,
};
use crate::names::bare;

/// Which models a file of the `models` module holds.
#[derive(Clone, Copy)]
pub(super) enum ModelsFile<'e> {
    /// `models.rs` (or `models/mod.rs`): the always-compiled models, unless `letters` holds
    /// them; it declares the `shards` and `letters` submodules.
    Root { shards: &'e [&'e ResourceFeature], letters: &'e [(char, String)] },
    /// The models only a resource's feature compiles.
    Shard(&'e ResourceFeature),
    /// The always-compiled models whose names start with this letter (a large API's).
    Letter(char),
}

/// The first letter of a type's name, lowercase: which `Letter` file holds it.
pub(super) fn letter_of(t: &TypeDef) -> char {
    t.name.bare().chars().next().map_or('_', |c| c.to_ascii_lowercase())
}

/// One file of the `models` module as a sequence of token streams, made one at a time as
/// the sequence is read: its header (inner docs, imports, submodules), each type, then the
/// page metas' impls. Formatted in turn, only one type's tokens and syntax tree exist at
/// once. `validated`: the types with range checks (`validate::validated_types`), computed
/// once for the crate (a fixed point over every type: too costly to repeat per file).
pub(super) fn models_chunks<'a>(
    api: &'a Api,
    file: ModelsFile<'_>,
    validated: &'a BTreeSet<crate::ir::Ident>,
) -> impl Iterator<Item = Result<TokenStream, String>> + 'a {
    let (feature, letter, split) = match file {
        ModelsFile::Root { letters, .. } => (None, None, !letters.is_empty()),
        ModelsFile::Shard(f) => (Some(f.name.clone()), None, false),
        ModelsFile::Letter(l) => (None, Some(l), false),
    };
    let holds = move |t: &TypeDef| {
        t.feature == feature
            && match letter {
                Some(l) => letter_of(t) == l,
                None => !split,
            }
    };
    let holds_too = holds.clone();
    std::iter::once(Ok(models_header(api, file, split)))
        .chain(api.types.iter().filter(move |t| holds(t)).map(move |t| type_def(t, validated)))
        .chain(std::iter::once_with(move || page_meta_impls(api, &holds_too)))
}

/// A models file's inner docs, imports and submodule declarations.
fn models_header(api: &Api, file: ModelsFile<'_>, split: bool) -> TokenStream {
    let general = [
        "Every schema of the API as a Rust type, in alphabetical order.",
        "A type whose name joins a parent and a field (`ParentField`) comes from a schema written inline in the parent.",
    ];
    let header = match file {
        ModelsFile::Root { .. } if api.features.is_empty() && !split => inner_doc_attrs(general),
        ModelsFile::Root { .. } => {
            let mut paragraphs = general.map(str::to_string).to_vec();
            if !api.features.is_empty() {
                paragraphs.push(
                    "A type only one resource uses compiles with that resource's Cargo feature; types several \
                     resources share, and types no operation uses, always compile."
                        .into(),
                );
            }
            if split {
                paragraphs.push(
                    "The types that always compile are written in one file per initial letter; all of them are \
                     reachable as `crate::models::*`."
                        .into(),
                );
            }
            inner_doc_attrs(paragraphs)
        }
        ModelsFile::Shard(f) => {
            let text = format!(
                "The models only the `{}` resource uses, compiled with its feature `{}`; all of them are \
                 reachable as `crate::models::*`.",
                f.module.bare(),
                f.name
            );
            inner_doc_attrs([text.as_str()])
        }
        ModelsFile::Letter(l) => {
            let text = format!(
                "The models that always compile whose names start with `{}`; all of them are reachable as \
                 `crate::models::*`.",
                l.to_ascii_uppercase()
            );
            inner_doc_attrs([text.as_str()])
        }
    };
    // A submodule's types name the others by their plain names, as `models.rs`'s do.
    let imports = (!matches!(file, ModelsFile::Root { .. })).then(|| {
        quote!(
            #[allow(unused_imports)]
            use super::*;
        )
    });
    let submodules = match file {
        ModelsFile::Root { shards, letters } => {
            let mut out = super::shard_modules("models", shards);
            for (_, module) in letters {
                let m = ident(module);
                out.extend(quote! {
                    mod #m;
                    pub use self::#m::*;
                });
            }
            out
        }
        _ => TokenStream::new(),
    };
    quote! {
        #header
        #imports
        #submodules
    }
}

fn type_docs(t: &TypeDef) -> TokenStream {
    let docs = t.docs.as_deref().filter(|d| !d.trim().is_empty());
    let mut out = match docs {
        Some(docs) => doc_attrs([docs]),
        None if t.origin == t.name || !t.pointer.starts_with("#/paths") => {
            own_doc(&format!("The `{}` schema.", t.origin))
        }
        None => own_doc(&format!("A schema written inline in the spec, at `{}`.", t.pointer)),
    };
    // A component renamed in Rust (`Error` → `ErrorModel`) says what the spec calls it.
    if let Some(component) = t.pointer.strip_prefix("#/components/schemas/")
        && !component.contains('/')
        && docs.is_some()
        && t.name.as_str() != component
    {
        out.extend(own_doc("\n"));
        out.extend(own_doc(&format!("`{}` in the spec (`{}`).", crate::diag::unescape_pointer(component), t.pointer)));
    }
    out
}

fn type_def(t: &TypeDef, validated: &BTreeSet<crate::ir::Ident>) -> Result<TokenStream, String> {
    Ok(match &t.kind {
        TypeKind::Struct { fields, additional, additional_field, .. } => {
            let extra = additional.as_ref().zip(additional_field.as_deref());
            let mut out = struct_def(t, fields, extra);
            if validated.contains(&t.name) {
                out.extend(validate_fn(t, fields, extra, validated));
            }
            out
        }
        TypeKind::Enum { variants } => enum_def(t, variants),
        TypeKind::OneOf { variants, discriminator, decode } => {
            let mut out = match discriminator {
                None => union_def(t, variants, decode)?,
                Some(property) => tagged_union_def(t, variants, property),
            };
            if validated.contains(&t.name) {
                out.extend(union_validate_fn(t, variants, validated));
            }
            out
        }
        TypeKind::Alias { target } => {
            let docs = type_docs(t);
            let name = ident(&t.name);
            let target = rust_type(target, Place::Models);
            quote! {
                #docs
                pub type #name = #target;
            }
        }
    })
}

/// The field's declared type, with `Option` layers for optional and nullable fields.
fn field_type(f: &Field) -> TokenStream {
    let mut ty = rust_type(&f.ty, Place::Models);
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    if f.absent_or_null {
        quote!(Option<Option<#ty>>)
    } else if f.required && !f.nullable {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

fn field_docs(f: &Field) -> TokenStream {
    let mut paras: Vec<String> = Vec::new();
    paras.push(prose_or(f.docs.as_ref(), || format!("The `{}` property.", f.wire_name)));
    if let Some(c) = constraint_docs(&f.constraints, f.default.as_ref()) {
        paras.push(c);
    }
    let mut notes = Vec::new();
    if f.read_only {
        notes.push("Read-only: set by the server.");
    }
    if f.write_only {
        notes.push("Write-only: never returned by the server.");
    }
    if f.absent_or_null {
        notes.push("`None`: not sent (absent); `Some(None)`: sent as `null`; `Some(Some(v))`: a value.");
    } else if !f.required && f.nullable {
        notes.push("`None` when absent or `null`.");
    }
    if !notes.is_empty() {
        paras.push(notes.join(" "));
    }
    doc_attrs(paras)
}

/// A struct; `additional` is the type of unlisted properties and the field holding them.
fn struct_def(t: &TypeDef, fields: &[Field], additional: Option<(&TypeRef, &str)>) -> TokenStream {
    let docs = type_docs(t);
    let name = ident(&t.name);
    let extra_name = additional.map(|(_, field)| ident(field));
    let additional = additional.map(|(ty, _)| ty);
    let decls = fields.iter().map(|f| {
        let docs = field_docs(f);
        let id = ident(&f.rust_name);
        let ty = field_type(f);
        let wire = &f.wire_name;
        let rename = (bare(&f.rust_name) != wire).then(|| quote!(rename = #wire,));
        let attrs = match (f.required, f.nullable, f.absent_or_null) {
            (true, false, _) => quote!(#rename),
            // No `default`: a missing key is an error naming the field, `null` is `None`.
            (true, true, _) => quote!(#rename deserialize_with = "crate::runtime::required_nullable",),
            (false, _, false) => quote!(#rename default, skip_serializing_if = "Option::is_none",),
            (false, _, true) => quote!(
                #rename default,
                skip_serializing_if = "Option::is_none",
                with = "crate::runtime::double_option",
            ),
        };
        let serde = if attrs.is_empty() { quote!() } else { quote!(#[serde(#attrs)]) };
        quote! {
            #docs
            #serde
            pub #id: #ty,
        }
    });
    let extra_decl = match (additional, &extra_name) {
        (Some(t), Some(n)) => {
            let ty = rust_type(t, Place::Models);
            quote! {
                /// Properties the schema does not list.
                #[serde(flatten)]
                pub #n: ::std::collections::BTreeMap<String, #ty>,
            }
        }
        _ => quote!(),
    };
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let derive_default = required.is_empty();
    let derives = if derive_default {
        quote!(#[derive(Debug, Clone, PartialEq, Default, ::serde::Serialize, ::serde::Deserialize)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)])
    };

    // Constructor: required fields as arguments, everything else unset.
    // A required nullable field is an argument that can say null: `None`, or the value.
    let new_args = required.iter().map(|f| {
        let id = ident(&f.rust_name);
        let ty = inner_type(f);
        if f.nullable { quote!(#id: impl Into<Option<#ty>>) } else { quote!(#id: impl Into<#ty>) }
    });
    let inits = fields.iter().map(|f| match (f.required, f.nullable, f.boxed) {
        (false, _, _) => {
            let id = ident(&f.rust_name);
            quote!(#id: None,)
        }
        (true, false, boxed) => {
            let id = ident(&f.rust_name);
            if boxed { quote!(#id: Box::new(#id.into()),) } else { quote!(#id: #id.into(),) }
        }
        (true, true, boxed) => {
            let id = ident(&f.rust_name);
            if boxed { quote!(#id: #id.into().map(Box::new),) } else { quote!(#id: #id.into(),) }
        }
    });
    let extra_init = extra_name.as_ref().map(|n| quote!(#n: ::std::collections::BTreeMap::new(),));
    let new_doc = if required.is_empty() {
        "Every field unset.".to_string()
    } else {
        let list: Vec<String> = required.iter().map(|f| format!("`{}`", f.wire_name)).collect();
        format!("From the required fields ({}); the others start unset.", list.join(", "))
    };
    let new_doc = own_doc(&new_doc);
    let setters: Vec<TokenStream> = fields.iter().filter_map(setter).collect();
    // One argument per required field, as many as the schema requires.
    let many_args = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #docs
        #derives
        #[non_exhaustive]
        pub struct #name {
            #(#decls)*
            #extra_decl
        }

        impl #name {
            #new_doc
            #many_args
            pub fn new(#(#new_args),*) -> Self {
                Self {
                    #(#inits)*
                    #extra_init
                }
            }

            #(#setters)*
        }
    }
}

/// The type a setter or constructor accepts for a field (without `Option` layers).
fn inner_type(f: &Field) -> TokenStream {
    rust_type(&f.ty, Place::Models)
}

/// The setter (and `clear_*`) of an optional field, named by lowering.
fn setter(f: &Field) -> Option<TokenStream> {
    let field = ident(&f.rust_name);
    let method = ident(f.setter.as_ref()?);
    let ty = inner_type(f);
    let value = if f.boxed { quote!(Box::new(value.into())) } else { quote!(value.into()) };
    let set_doc = own_doc(&format!("Sets `{}`.", f.wire_name));
    let assign =
        if f.absent_or_null { quote!(self.#field = Some(Some(#value));) } else { quote!(self.#field = Some(#value);) };
    let clear = f.clear_setter.as_ref().map(|clear| {
        let clear = ident(clear);
        let doc = own_doc(&format!("Sends `{}` as `null`, clearing it.", f.wire_name));
        quote! {
            #doc
            pub fn #clear(mut self) -> Self {
                self.#field = Some(None);
                self
            }
        }
    });
    Some(quote! {
        #set_doc
        pub fn #method(mut self, value: impl Into<#ty>) -> Self {
            #assign
            self
        }
        #clear
    })
}

fn enum_def(t: &TypeDef, variants: &[EnumVariant]) -> TokenStream {
    let docs = type_docs(t);
    let name = ident(&t.name);
    let decls = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let doc = if v.wire_value.is_empty() {
            own_doc("The empty string.")
        } else {
            own_doc(&format!("`{}`", v.wire_value))
        };
        quote! {
            #doc
            #id,
        }
    });
    let as_str = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let wire = &v.wire_value;
        quote!(Self::#id => #wire,)
    });
    let from = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let wire = &v.wire_value;
        quote!(#wire => Self::#id,)
    });
    // Variants named as their values are written (`mW`, `m_w`) are not UpperCamelCase.
    let verbatim = variants.iter().any(|v| {
        let name = v.rust_name.bare().trim_end_matches('_');
        name.contains('_') || name.starts_with(|c: char| c.is_ascii_lowercase())
    });
    let allow = verbatim.then(|| quote!(#[allow(non_camel_case_types)]));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        #allow
        pub enum #name {
            #(#decls)*
            /// A value this version of the crate does not know; it is kept as sent.
            Unknown(String),
        }

        impl #name {
            /// The value as it goes on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::Unknown(other) => other,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from)*
                    other => Self::Unknown(other.to_string()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }

        impl crate::runtime::ParamValue for #name {
            fn param_value(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
        }
    }
}

fn union_def(t: &TypeDef, variants: &[UnionVariant], decode: &[DecodeStep]) -> Result<TokenStream, String> {
    let docs = type_docs(t);
    let name = ident(&t.name);
    let decls = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        match &v.shape {
            UnionShape::Const(value) => {
                let doc = prose_or(v.docs.as_ref(), || match value.as_str() {
                    Some(text) => format!("The string `{text}`."),
                    None => format!("The value `{value}`."),
                });
                let docs = doc_attrs([doc]);
                quote! { #docs #id, }
            }
            UnionShape::Value(ty) => {
                let doc = prose_or(v.docs.as_ref(), || format!("The `{}` form.", v.rust_name));
                let docs = doc_attrs([doc]);
                let ty = rust_type(ty, Place::Models);
                quote! { #docs #id(#ty), }
            }
        }
    });
    let ser = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        match &v.shape {
            UnionShape::Const(value) => {
                let write = const_serialize(value);
                quote!(Self::#id => #write,)
            }
            UnionShape::Value(_) => quote!(Self::#id(value) => ::serde::Serialize::serialize(value, serializer),),
        }
    });
    // In the order lowering decided: narrower members before the members that accept
    // their values too.
    let de = decode.iter().map(|step| decode_step(t, variants, step)).collect::<Result<Vec<_>, _>>()?;
    let mut names: Vec<&str> = Vec::new();
    for step in decode {
        if !names.contains(&step.variant.as_str()) {
            names.push(step.variant.as_str());
        }
    }
    let no_match = format!("the value matches no variant of `{}` (tried {})", t.name, names.join(", "));
    let value = format_ident!("value");
    Ok(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#decls)*
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#ser)*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                let #value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #(#de)*
                Err(<__D::Error as ::serde::de::Error>::custom(#no_match))
            }
        }
    })
}

/// One step of an untagged union's decoder: returns the variant when the value passes.
fn decode_step(t: &TypeDef, variants: &[UnionVariant], step: &DecodeStep) -> Result<TokenStream, String> {
    let Some(v) = variants.iter().find(|v| v.rust_name == step.variant) else {
        return Err(format!("union `{}` decodes as `{}`, which is not one of its variants", t.name, step.variant));
    };
    let id = ident(&v.rust_name);
    let ty = match (&step.test, &v.shape) {
        (DecodeTest::Exact, UnionShape::Const(value)) => {
            let test = const_test(value);
            return Ok(quote! {
                if #test {
                    return Ok(Self::#id);
                }
            });
        }
        (DecodeTest::Exact, UnionShape::Value(_)) | (_, UnionShape::Const(_)) => {
            return Err(format!("union `{}`: a decode step does not fit its variant `{}`", t.name, v.rust_name));
        }
        (_, UnionShape::Value(ty)) => rust_type(ty, Place::Models),
    };
    let decode = quote! {
        if let Ok(v) = <#ty as ::serde::Deserialize>::deserialize(&value) {
            return Ok(Self::#id(v));
        }
    };
    let test = match &step.test {
        DecodeTest::Object => quote!(value.is_object()),
        DecodeTest::ObjectOnly(listed) if listed.is_empty() => quote!(value.as_object().is_some_and(|o| o.is_empty())),
        DecodeTest::ObjectOnly(listed) => {
            quote!(value.as_object().is_some_and(|o| o.keys().all(|k| matches!(k.as_str(), #(#listed)|*))))
        }
        DecodeTest::Named(values) if values.is_empty() => quote!(false),
        DecodeTest::Named(values) => quote!(matches!(value.as_str(), Some(#(#values)|*))),
        DecodeTest::Canonical => {
            return Ok(quote! {
                if let Some(text) = value.as_str()
                    && let Ok(v) = <#ty as ::serde::Deserialize>::deserialize(&value)
                    && ::serde_json::to_value(v).is_ok_and(|back| back.as_str() == Some(text))
                {
                    return Ok(Self::#id(v));
                }
            });
        }
        DecodeTest::Tagged(tags) => {
            let checks = tags.iter().map(|(property, values)| {
                quote!(matches!(value.get(#property).and_then(::serde_json::Value::as_str), Some(#(#values)|*)))
            });
            quote!(value.is_object() #(&& #checks)*)
        }
        DecodeTest::Decodes | DecodeTest::Exact => return Ok(decode),
    };
    Ok(quote! {
        if #test && let Ok(v) = <#ty as ::serde::Deserialize>::deserialize(&value) {
            return Ok(Self::#id(v));
        }
    })
}

/// `validate`, checking the documented ranges of every field that has one (recursively).
fn validate_fn(
    t: &TypeDef,
    fields: &[Field],
    additional: Option<(&TypeRef, &str)>,
    set: &BTreeSet<crate::ir::Ident>,
) -> TokenStream {
    let name = ident(&t.name);
    let at = quote!(at);
    let checks = fields.iter().map(|f| {
        let id = ident(&f.rust_name);
        let value = quote!(value);
        let body = value_checks(&at, &f.wire_name, &value, &f.ty, &f.constraints, set);
        if body.is_empty() {
            return TokenStream::new();
        }
        if f.absent_or_null {
            quote! { if let Some(Some(value)) = &self.#id { #body } }
        } else if f.required && !f.nullable {
            quote! { { let value = &self.#id; #body } }
        } else {
            quote! { if let Some(value) = &self.#id { #body } }
        }
    });
    let extra = additional.map(|(ty, field)| {
        let extra = ident(field);
        let value = quote!(value);
        let body = value_checks(&quote!(at), "", &value, ty, &Constraints::default(), set);
        quote! {
            for (key, value) in &self.#extra {
                let at = &crate::runtime::nested(at, key);
                #body
            }
        }
    });
    quote! {
        impl #name {
            /// Checks the documented ranges of every field set, `at` naming this value.
            pub(crate) fn validate(&self, at: &str) -> Result<(), crate::Error> {
                #(#checks)*
                #extra
                Ok(())
            }
        }
    }
}

/// `validate` for a union: the checks of the member the value holds.
fn union_validate_fn(t: &TypeDef, variants: &[UnionVariant], set: &BTreeSet<crate::ir::Ident>) -> TokenStream {
    let name = ident(&t.name);
    let arms: Vec<(TokenStream, TokenStream)> = variants
        .iter()
        .filter_map(|v| {
            let UnionShape::Value(ty) = &v.shape else { return None };
            let body = value_checks(&quote!(at), "", &quote!(value), ty, &Constraints::default(), set);
            if body.is_empty() {
                return None;
            }
            let variant = ident(&v.rust_name);
            Some((quote!(Self::#variant(value)), body))
        })
        .collect();
    // Members without checks (and the tagged union's `Unknown`) need no arm of their own.
    let partial = arms.len() < variants.len() || matches!(t.kind, TypeKind::OneOf { discriminator: Some(_), .. });
    let body = match arms.as_slice() {
        [(pattern, checks)] if partial => quote!(if let #pattern = self { #checks }),
        _ => {
            let arms = arms.iter().map(|(pattern, checks)| quote!(#pattern => { #checks }));
            let rest = partial.then(|| quote!(_ => {}));
            quote!(match self { #(#arms)* #rest })
        }
    };
    quote! {
        impl #name {
            /// Checks the documented ranges of the member this value holds, `at` naming it.
            pub(crate) fn validate(&self, at: &str) -> Result<(), crate::Error> {
                #body
                Ok(())
            }
        }
    }
}

/// `PageMeta` for every type a paginated operation uses as its page meta. Lowering only
/// paginates with a struct meta whose page fields are integers; anything else is a bug.
/// The `PageMeta` impls of the page metas the file that `holds` them.
fn page_meta_impls(api: &Api, holds: &dyn Fn(&TypeDef) -> bool) -> Result<TokenStream, String> {
    let mut done = BTreeSet::new();
    let mut out = TokenStream::new();
    for op in api.resources.iter().flat_map(|r| &r.operations) {
        let Some(p) = &op.pagination else { continue };
        let Success::Page { meta: TypeRef::Named(meta), .. } = &op.success else {
            return Err(format!("`{}` is paginated but its page meta is not a named type", op.id));
        };
        if !done.insert(meta.clone()) {
            continue;
        }
        let Some(def) = api.types.iter().find(|t| &t.name == meta) else {
            return Err(format!("`{}` is paginated but its page meta `{meta}` is not defined", op.id));
        };
        if !holds(def) {
            continue;
        }
        let TypeKind::Struct { fields, .. } = &def.kind else {
            return Err(format!("`{}` is paginated but its page meta `{meta}` is not a struct", op.id));
        };
        let read = |name: &Option<crate::ir::Ident>| {
            let Some(name) = name else { return Ok(quote!(None)) };
            match fields.iter().find(|f| &f.rust_name == name) {
                Some(f) if matches!(f.ty, TypeRef::Scalar(Scalar::I64 | Scalar::I32)) => {
                    let id = ident(&f.rust_name);
                    let widen = if f.ty == TypeRef::Scalar(Scalar::I32) { quote!(.map(i64::from)) } else { quote!() };
                    Ok(if f.absent_or_null {
                        quote!(self.#id.flatten() #widen)
                    } else if f.required && !f.nullable {
                        quote!(Some(self.#id) #widen)
                    } else {
                        quote!(self.#id #widen)
                    })
                }
                _ => Err(format!("page meta `{meta}` has no integer field `{name}`")),
            }
        };
        let number = read(&p.meta_page_number)?;
        let total = read(&p.meta_total_pages)?;
        let name = ident(meta);
        out.extend(quote! {
            impl crate::PageMeta for #name {
                fn meta_page_number(&self) -> Option<i64> {
                    #number
                }
                fn meta_total_pages(&self) -> Option<i64> {
                    #total
                }
            }
        });
    }
    Ok(out)
}

/// A union with a `discriminator`: the tag property's value selects the variant, a value whose
/// tag no variant has is kept as `Unknown`, and encoding writes the variant's tag when the
/// member does not carry it itself.
fn tagged_union_def(t: &TypeDef, variants: &[UnionVariant], property: &str) -> TokenStream {
    let docs = type_docs(t);
    let name = ident(&t.name);
    let decls = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let tags: Vec<String> = v.tags.iter().map(|t| format!("`{t}`")).collect();
        let doc = prose_or(v.docs.as_ref(), || format!("The `{}` form.", v.rust_name));
        let docs = doc_attrs([doc, format!("Selected by `{property}`: {}.", tags.join(", "))]);
        match &v.shape {
            UnionShape::Value(ty) => {
                let ty = rust_type(ty, Place::Models);
                quote! { #docs #id(#ty), }
            }
            // Lowering gives discriminated unions `$ref` members only.
            UnionShape::Const(_) => quote! { #docs #id(::serde_json::Value), },
        }
    });
    let unknown_doc = own_doc(&format!(
        "A value whose `{property}` no variant has (a kind added to the API after this crate was \
         generated), or that has no `{property}`: kept whole, so it encodes back unchanged."
    ));
    let ser = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let tag = v.tags.first().cloned().unwrap_or_default();
        quote! {
            Self::#id(value) => {
                let mut value = ::serde_json::to_value(value).map_err(<S::Error as ::serde::ser::Error>::custom)?;
                if let ::serde_json::Value::Object(map) = &mut value {
                    map.entry(#property).or_insert_with(|| ::serde_json::Value::String(#tag.to_string()));
                }
                ::serde::Serialize::serialize(&value, serializer)
            }
        }
    });
    let de = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let tags = &v.tags;
        let member = match &v.shape {
            UnionShape::Value(ty) => rust_type(ty, Place::Models),
            UnionShape::Const(_) => quote!(::serde_json::Value),
        };
        let what = format!("`{}` of `{}`", v.rust_name, t.name);
        quote! {
            #(Some(#tags))|* => <#member as ::serde::Deserialize>::deserialize(value)
                .map(Self::#id)
                .map_err(|e| <__D::Error as ::serde::de::Error>::custom(::std::format!("as {}: {e}", #what))),
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#decls)*
            #unknown_doc
            Unknown(::serde_json::Value),
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#ser)*
                    Self::Unknown(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(::serde_json::Value::as_str).map(str::to_string);
                match tag.as_deref() {
                    #(#de)*
                    _ => Ok(Self::Unknown(value)),
                }
            }
        }
    }
}

/// Writes a union member's one value with the serializer.
fn const_serialize(value: &serde_json::Value) -> TokenStream {
    match value {
        serde_json::Value::Bool(b) => quote!(serializer.serialize_bool(#b)),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => quote!(serializer.serialize_i64(#i)),
            (None, Some(u), _) => quote!(serializer.serialize_u64(#u)),
            (_, _, Some(f)) => quote!(serializer.serialize_f64(#f)),
            _ => quote!(serializer.serialize_unit()),
        },
        serde_json::Value::String(s) => quote!(serializer.serialize_str(#s)),
        _ => quote!(serializer.serialize_unit()),
    }
}

/// Whether the decoded JSON `value` is exactly a union member's one value (`1` and `1.0` are
/// the same number).
fn const_test(value: &serde_json::Value) -> TokenStream {
    match value {
        serde_json::Value::Bool(b) => quote!(value.as_bool() == Some(#b)),
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(f) => quote!(value.as_f64() == Some(#f)),
            None => quote!(false),
        },
        serde_json::Value::String(s) => quote!(value.as_str() == Some(#s)),
        _ => quote!(value.is_null()),
    }
}
