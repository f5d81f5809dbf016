//! `src/params.rs`: the structs of query-parameter objects, one per shape
//! ([`crate::ir::QueryType`]), shared by every operation that sends that shape.
//!
//! A struct does not know the key it is sent under (`filter[date_created_at]` for one
//! operation, `filter[date_ended_at]` for another): `write_query` and `validate` take it, and
//! each field's key is that key with `[field]` appended.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, inner_doc_attrs, own_doc, prose_or};
use super::resources::{QueryKey, leaf_sent_as, query_node_type, query_value_type, query_write};
use super::validate::{node_has_checks, query_has_checks, value_checks};
use super::{constraint_docs, ident};
use crate::ir::{
    Api, ArrayEncoding, QueryNode, QueryParam, QueryShape, QueryType, QueryVariant, ResourceFeature, TypeRef,
};

/// `params.rs` (`shard: None`), whose `shards` are declared as its submodules, or the
/// submodule of the query types only the feature `shard` compiles, as a sequence of token
/// streams: the header (made now), then each type, made when the sequence reaches it.
pub(super) fn params_chunks<'a>(
    api: &'a Api,
    shard: Option<&'a ResourceFeature>,
    shards: &[&ResourceFeature],
) -> impl Iterator<Item = TokenStream> + 'a {
    let feature = shard.map(|f| &f.name);
    let types = api.query_types.iter().filter(move |t| t.feature.as_ref() == feature).map(query_type);
    std::iter::once(params_header(api, shard, shards)).chain(types)
}

fn params_header(api: &Api, shard: Option<&ResourceFeature>, shards: &[&ResourceFeature]) -> TokenStream {
    if let Some(f) = shard {
        let text = format!(
            "The query-parameter types only the `{}` resource uses, compiled with its feature `{}`; all of \
             them are reachable as `crate::params::*`.",
            f.module.bare(),
            f.name
        );
        return inner_doc_attrs([text.as_str()]);
    }
    let submodules = super::shard_modules("params", shards);
    let unions = api.query_types.iter().any(|t| matches!(t.shape, QueryShape::Enum { .. }));
    let header = inner_doc_attrs([
        "Query-parameter objects (`style: deepObject`): each is sent as bracketed keys under \
         the parameter's name, `key[field]=value`, one level of brackets per nested object.\n\n\
         Objects of the same shape share one type wherever the spec uses them; each type's docs \
         list where. Build one with `new()` and its setters and pass it to the request \
         builder's setter of the same name.",
        if unions {
            "The enums hold a value of one of several shapes (a date, or a range of dates): pick \
             the variant, or give the setter the value itself, which it converts."
        } else {
            ""
        },
    ]);
    quote! {
        #header
        #submodules
    }
}

fn query_type(t: &QueryType) -> TokenStream {
    match &t.shape {
        QueryShape::Struct { fields } => query_struct(t, fields),
        QueryShape::Enum { variants } => query_enum(t, variants),
    }
}

/// A type's docs: its description (or `fallback` with the key it is first sent under) and
/// where it is sent.
fn type_docs(t: &QueryType, fallback: &str) -> TokenStream {
    let used_by: Vec<String> = t.used_by.iter().map(|u| format!("- `{}` by `{}`", u.key, u.operation)).collect();
    doc_attrs([
        prose_or(t.docs.as_ref(), || {
            let key = t.used_by.first().map_or("", |u| u.key.as_str());
            fallback.replace("{key}", key)
        }),
        format!("Sent as:\n\n{}", used_by.join("\n")),
    ])
}

/// The enum of a query union: the caller picks the variant, and each is written under the
/// key as its own node would be. A variant whose type no other variant has can be given as
/// that type (`From`).
fn query_enum(t: &QueryType, variants: &[QueryVariant]) -> TokenStream {
    let name = ident(&t.name);
    let docs = type_docs(t, "One of several values sent as `{key}`; pick the variant.");
    let types: Vec<String> = variants.iter().map(|v| query_node_type(&v.node).to_string()).collect();
    let decls = variants.iter().map(|v| {
        let n = ident(&v.rust_name);
        let ty = query_node_type(&v.node);
        let docs = doc_attrs(v.docs.iter().cloned().chain([variant_sent_as(&v.node)]));
        quote! { #docs #n(#ty), }
    });
    let froms =
        variants.iter().zip(&types).filter(|(_, ty)| types.iter().filter(|t| t == ty).count() == 1).map(|(v, _)| {
            let n = ident(&v.rust_name);
            let ty = query_node_type(&v.node);
            let doc = own_doc(&format!("The value as [`{}::{}`].", t.name, v.rust_name));
            quote! {
                impl From<#ty> for #name {
                    #doc
                    fn from(value: #ty) -> Self {
                        Self::#n(value)
                    }
                }
            }
        });
    let writes = variants.iter().map(|v| {
        let n = ident(&v.rust_name);
        let write = query_write(QueryKey::Expr(quote!(key)), &v.node, &quote!(query));
        quote! { Self::#n(value) => { #write } }
    });
    let validate = if variants.iter().any(|v| node_has_checks(&v.node)) {
        let checks = variants.iter().filter(|v| node_has_checks(&v.node)).map(|v| {
            let n = ident(&v.rust_name);
            let check = node_check(&quote!(key), &v.node);
            quote! { if let Self::#n(value) = self { #check } }
        });
        quote! {
            /// Checks the documented ranges of the value; `key` is the key it is sent under.
            pub(crate) fn validate(&self, key: &str) -> Result<(), crate::Error> {
                #(#checks)*
                Ok(())
            }
        }
    } else {
        TokenStream::new()
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#decls)*
        }

        #(#froms)*

        impl #name {
            /// Appends the value under `key`, as its variant is written.
            pub(crate) fn write_query(&self, key: &str, query: &mut crate::runtime::QueryWriter) {
                match self {
                    #(#writes)*
                }
            }

            #validate
        }
    }
}

/// How a union's variant goes on the wire, under the union's key `…`.
fn variant_sent_as(node: &QueryNode) -> String {
    match node {
        QueryNode::Leaf { ty, array, .. } => {
            leaf_sent_as("…", ty, *array).unwrap_or_else(|| "Sent as `…=value`.".into())
        }
        QueryNode::Object { .. } | QueryNode::OneOf { .. } => {
            "Sent as `…[field]=value`, a key per field that is set.".into()
        }
    }
}

/// Statements checking `value` (a node's value) sent under `key` (an expression of type
/// `&str`).
fn node_check(key: &TokenStream, node: &QueryNode) -> TokenStream {
    match node {
        QueryNode::Object { .. } | QueryNode::OneOf { .. } => quote!(value.validate(#key)?;),
        QueryNode::Leaf { ty, constraints, .. } => {
            value_checks(key, "", &quote!(value), ty, constraints, &Default::default())
        }
    }
}

fn query_struct(t: &QueryType, fields: &[QueryParam]) -> TokenStream {
    let name = ident(&t.name);
    let docs = type_docs(t, "Parameters sent as `{key}[…]`.");
    let decls = fields.iter().map(|f| {
        let n = ident(&f.rust_name);
        let ty = query_value_type(f);
        let docs = field_docs(f);
        if f.required {
            quote! { #docs pub #n: #ty, }
        } else {
            quote! { #docs pub #n: Option<#ty>, }
        }
    });
    let required: Vec<&QueryParam> = fields.iter().filter(|f| f.required).collect();
    let derives = if required.is_empty() {
        quote!(#[derive(Debug, Clone, Default, PartialEq)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    let new_args = required.iter().map(|f| {
        let n = ident(&f.rust_name);
        let ty = query_value_type(f);
        quote!(#n: impl Into<#ty>)
    });
    let inits = fields.iter().map(|f| {
        let n = ident(&f.rust_name);
        if f.required { quote!(#n: #n.into(),) } else { quote!(#n: None,) }
    });
    let new_doc = own_doc(if required.is_empty() {
        "Every parameter unset."
    } else {
        "The required parameters given here; the others unset."
    });
    let setters = fields.iter().filter(|f| !f.required).map(|f| {
        let n = ident(&f.rust_name);
        let setter = ident(&f.setter);
        let ty = query_value_type(f);
        let docs = field_docs(f);
        quote! {
            #docs
            pub fn #setter(mut self, value: impl Into<#ty>) -> Self {
                self.#n = Some(value.into());
                self
            }
        }
    });
    let writes = fields.iter().map(|f| {
        let n = ident(&f.rust_name);
        let wire = &f.wire_name;
        let write = query_write(QueryKey::Expr(quote!(&crate::runtime::sub_key(key, #wire))), &f.node, &quote!(query));
        if f.required {
            quote! { { let value = &self.#n; #write } }
        } else {
            quote! { if let Some(value) = &self.#n { #write } }
        }
    });
    let validate = validate_fn(fields);
    quote! {
        #docs
        #derives
        #[non_exhaustive]
        pub struct #name {
            #(#decls)*
        }

        impl #name {
            #new_doc
            pub fn new(#(#new_args),*) -> Self {
                Self { #(#inits)* }
            }

            #(#setters)*

            /// Appends the parameters that are set, each under `key[field]`.
            pub(crate) fn write_query(&self, key: &str, query: &mut crate::runtime::QueryWriter) {
                #(#writes)*
            }

            #validate
        }
    }
}

/// `validate` for a struct with documented ranges below it; values are named by their full
/// bracketed keys (`page[size]`).
fn validate_fn(fields: &[QueryParam]) -> TokenStream {
    if !fields.iter().any(query_has_checks) {
        return TokenStream::new();
    }
    let checks = fields.iter().filter(|f| query_has_checks(f)).map(|f| {
        let n = ident(&f.rust_name);
        let wire = &f.wire_name;
        let check = match &f.node {
            QueryNode::Object { .. } | QueryNode::OneOf { .. } => {
                quote!(value.validate(&crate::runtime::sub_key(key, #wire))?;)
            }
            QueryNode::Leaf { ty, constraints, .. } => {
                let key = value_checks(&quote!(&key), "", &quote!(value), ty, constraints, &Default::default());
                quote! { let key = crate::runtime::sub_key(key, #wire); #key }
            }
        };
        if f.required {
            quote! { { let value = &self.#n; #check } }
        } else {
            quote! { if let Some(value) = &self.#n { #check } }
        }
    });
    quote! {
        /// Checks the documented ranges of the parameters that are set; `key` is the key the
        /// object is sent under.
        pub(crate) fn validate(&self, key: &str) -> Result<(), crate::Error> {
            #(#checks)*
            Ok(())
        }
    }
}

/// Docs for a field and its setter: the spec's text (or, for an object, its fields'), the
/// documented range and default, and how its key is formed.
fn field_docs(f: &QueryParam) -> TokenStream {
    let mut paras: Vec<String> = f.docs.iter().cloned().collect();
    if let QueryNode::Leaf { constraints, default, .. } = &f.node {
        paras.extend(constraint_docs(constraints, default.as_ref()));
    }
    let wire = &f.wire_name;
    paras.push(match &f.node {
        QueryNode::Leaf { ty: ty @ (TypeRef::Array(_) | TypeRef::Map(_)), array, .. } => {
            leaf_sent_as(&format!("…[{wire}]"), ty, *array).unwrap_or_default()
        }
        QueryNode::Leaf { array: ArrayEncoding::Brackets, .. } => format!("Sent as `…[{wire}][]`."),
        QueryNode::Leaf { .. } => format!("Sent as `…[{wire}]`."),
        QueryNode::Object { .. } => format!("Sent as `…[{wire}][…]`."),
        QueryNode::OneOf { .. } => format!("Sent as `…[{wire}]` or `…[{wire}][…]`, as the variant says."),
    });
    doc_attrs(paras)
}
