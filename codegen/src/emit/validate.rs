//! Checks of documented ranges, emitted into the crate and run before a request is sent:
//! numeric `minimum`/`maximum`, string `minLength`/`maxLength` and array
//! `minItems`/`maxItems`. (`pattern` is documented, not checked: it would need a regex
//! engine in every user's build.) Required fields need no check: they are not optional in
//! the generated types.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::{Api, Constraints, QueryNode, QueryParam, Scalar, TypeKind, TypeRef};

/// The named types whose values need checking: types a request body can hold that have a
/// checked field, directly or through a field whose type needs checking.
pub(crate) fn validated_types(api: &Api) -> BTreeSet<crate::ir::Ident> {
    let sent: BTreeSet<&crate::ir::Ident> = api.types.iter().filter(|t| t.sent).map(|t| &t.name).collect();
    needs_checks(api).into_iter().filter(|t| sent.contains(t)).collect()
}

fn needs_checks(api: &Api) -> BTreeSet<crate::ir::Ident> {
    let mut set = BTreeSet::new();
    loop {
        let before = set.len();
        for t in &api.types {
            let needs = match &t.kind {
                TypeKind::Struct { fields, additional, .. } => {
                    fields.iter().any(|f| has_checks(&f.constraints, &f.ty) || refers(&f.ty, &set))
                        || additional.as_ref().is_some_and(|a| refers(a, &set))
                }
                TypeKind::Alias { target } => refers(target, &set),
                TypeKind::OneOf { variants, .. } => variants.iter().any(|v| match &v.shape {
                    crate::ir::UnionShape::Value(ty) => refers(ty, &set),
                    crate::ir::UnionShape::Const(_) => false,
                }),
                TypeKind::Enum { .. } => false,
            };
            if needs {
                set.insert(t.name.clone());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

/// Whether a type reaches a validated named type (through arrays and maps).
pub(crate) fn refers(ty: &TypeRef, set: &BTreeSet<crate::ir::Ident>) -> bool {
    match ty {
        TypeRef::Named(n) => set.contains(n),
        TypeRef::Array(inner) | TypeRef::Map(inner) => refers(inner, set),
        TypeRef::Scalar(_) | TypeRef::Any => false,
    }
}

/// Whether these constraints produce a check for a value of this type.
pub(crate) fn has_checks(c: &Constraints, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Scalar(Scalar::I32 | Scalar::I64 | Scalar::F64) => c.minimum.is_some() || c.maximum.is_some(),
        TypeRef::Scalar(Scalar::String | Scalar::Uri) => c.min_length.is_some() || c.max_length.is_some(),
        TypeRef::Array(_) => c.min_items.is_some() || c.max_items.is_some(),
        _ => false,
    }
}

/// Whether a query node (or anything under it) has a check.
pub(crate) fn query_has_checks(q: &QueryParam) -> bool {
    node_has_checks(&q.node)
}

/// Whether a query node's value (or anything in it) has a check.
pub(crate) fn node_has_checks(node: &QueryNode) -> bool {
    match node {
        QueryNode::Leaf { ty, constraints, .. } => has_checks(constraints, ty),
        QueryNode::Object { fields, .. } => fields.iter().any(query_has_checks),
        QueryNode::OneOf { variants, .. } => variants.iter().any(|v| node_has_checks(&v.node)),
    }
}

fn opt_f64(v: Option<f64>) -> TokenStream {
    match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

fn opt_usize(v: Option<usize>) -> TokenStream {
    opt_f64(v.map(|v| v as f64))
}

fn bounds(min: TokenStream, max: TokenStream, exclusive_min: bool, exclusive_max: bool) -> TokenStream {
    quote!(crate::runtime::Bounds { min: #min, max: #max, exclusive_min: #exclusive_min, exclusive_max: #exclusive_max })
}

/// Statements checking `value` (an expression of type `&T`), reported under `parent`
/// (an expression of type `&str`) and `label`.
pub(crate) fn value_checks(
    parent: &TokenStream,
    label: &str,
    value: &TokenStream,
    ty: &TypeRef,
    c: &Constraints,
    set: &BTreeSet<crate::ir::Ident>,
) -> TokenStream {
    let mut out = TokenStream::new();
    if has_checks(c, ty) {
        out.extend(match ty {
            TypeRef::Scalar(Scalar::String | Scalar::Uri) => {
                let b = bounds(opt_usize(c.min_length), opt_usize(c.max_length), false, false);
                quote!(crate::runtime::check_count(#parent, #label, #value.chars().count(), #b, "characters")?;)
            }
            TypeRef::Array(_) => {
                let b = bounds(opt_usize(c.min_items), opt_usize(c.max_items), false, false);
                quote!(crate::runtime::check_count(#parent, #label, #value.len(), #b, "items")?;)
            }
            // Already an `f64`: no cast (clippy's `unnecessary_cast`).
            TypeRef::Scalar(Scalar::F64) => {
                let b = bounds(opt_f64(c.minimum), opt_f64(c.maximum), c.exclusive_minimum, c.exclusive_maximum);
                quote!(crate::runtime::check_range(#parent, #label, *#value, #b)?;)
            }
            _ => {
                let b = bounds(opt_f64(c.minimum), opt_f64(c.maximum), c.exclusive_minimum, c.exclusive_maximum);
                let number = match ty {
                    TypeRef::Scalar(Scalar::F64) => quote!(*#value),
                    _ => quote!(*#value as f64),
                };
                quote!(crate::runtime::check_range(#parent, #label, #number, #b)?;)
            }
        });
    }
    if refers(ty, set) {
        out.extend(nested_checks(parent, label, value, ty));
    }
    out
}

/// Statements validating the named values inside `value`.
fn nested_checks(parent: &TokenStream, label: &str, value: &TokenStream, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(_) => quote!(#value.validate(&crate::runtime::nested(#parent, #label))?;),
        TypeRef::Array(inner) => {
            let item = ident("item");
            let check = nested_checks(&quote!(&path), "", &quote!(#item), inner);
            quote! {
                for (i, #item) in #value.iter().enumerate() {
                    let path = ::std::format!("{}[{i}]", crate::runtime::nested(#parent, #label));
                    #check
                }
            }
        }
        TypeRef::Map(inner) => {
            let item = ident("item");
            let check = nested_checks(&quote!(&path), "", &quote!(#item), inner);
            quote! {
                for (key, #item) in #value {
                    let path = crate::runtime::nested(&crate::runtime::nested(#parent, #label), key);
                    #check
                }
            }
        }
        TypeRef::Scalar(_) | TypeRef::Any => TokenStream::new(),
    }
}
