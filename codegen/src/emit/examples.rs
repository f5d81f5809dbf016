//! `src/spec_examples.rs`: a test for every example in the spec. Each example must decode
//! into the generated type and encode back to the same JSON, so an example with a field
//! the schema lacks, or a value of the wrong type, fails the generated crate's tests.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::inner_doc_attrs;
use super::{Place, rust_type};
use crate::ir::{Api, Envelope, StatusSpec, TypeRef};
use crate::names::bare;

/// `spec_examples.rs` as a sequence of token streams: the header and helpers, then the
/// tests of one schema or one operation at a time, made when the sequence reaches them.
pub(super) fn spec_examples_chunks(api: &Api) -> impl Iterator<Item = TokenStream> + '_ {
    let header =
        inner_doc_attrs(["Every example in the spec decodes into the generated types and encodes back unchanged."]);
    let schema_tests = api.types.iter().map(|t| {
        let tests = t.examples.iter().enumerate().map(|(i, ex)| {
            let name = format!("schema_{}_{i}", t.value_name.bare());
            round_trip(&name, &TypeRef::Named(t.name.clone()), ex)
        });
        gated(t.feature.as_ref(), tests)
    });
    let operation_tests = api.resources.iter().flat_map(|r| {
        r.operations.iter().map(move |op| {
            // `self_` and `list` give `self_list`, not `self__list` (not snake case).
            let base = format!("{}_{}", bare(&r.module).trim_end_matches('_'), bare(&op.method_name));
            let mut tests = Vec::new();
            if let Some((body, ty)) = op.body.as_ref().and_then(|b| Some((b, b.model()?))) {
                for (i, ex) in body.examples.iter().enumerate() {
                    tests.push(round_trip(&format!("{base}_request_{i}"), ty, ex));
                }
            }
            for resp in &op.responses {
                let status = match resp.status {
                    StatusSpec::Code(c) => c.to_string(),
                    StatusSpec::Range(d) => format!("{d}xx"),
                    StatusSpec::Default => "default".to_string(),
                };
                for (i, ex) in resp.examples.iter().enumerate() {
                    let name = format!("{base}_response_{status}_{i}");
                    tests.extend(response_test(&name, &resp.envelope, ex));
                }
            }
            gated(r.feature.as_ref(), tests)
        })
    });
    let mut tests = schema_tests.chain(operation_tests).filter(|t| !t.is_empty()).peekable();
    let uses_data = api
        .resources
        .iter()
        .flat_map(|r| &r.operations)
        .flat_map(|op| &op.responses)
        .any(|r| matches!(r.envelope, Envelope::Data { .. }) && !r.examples.is_empty());
    let helpers = tests.peek().is_some().then(round_trip_helpers);
    let data_helper = uses_data.then(|| {
        quote! {
            /// The `data` member of an envelope example.
            fn data(json: &str) -> String {
                let value: ::serde_json::Value = ::serde_json::from_str(json).expect("the example is JSON");
                value.get("data").expect("the envelope has `data`").to_string()
            }
        }
    });
    std::iter::once(quote! {
        #header
        #helpers
        #data_helper
    })
    .chain(tests)
}

/// Tests, each behind the Cargo feature of the resource its type or operation belongs
/// to: a test of a type or an operation only a resource feature compiles has that feature.
fn gated(feature: Option<&String>, tests: impl IntoIterator<Item = TokenStream>) -> TokenStream {
    tests
        .into_iter()
        .map(|test| match feature {
            Some(f) => quote!(#[cfg(feature = #f)] #test),
            None => test,
        })
        .collect()
}

fn round_trip_helpers() -> TokenStream {
    quote! {
        /// Decodes `json` as `T`, encodes it again and checks that nothing was lost or changed:
        /// the same keys everywhere, equal scalars, and date-times equal as instants
        /// (`10:30:00Z` and `10:30:00.000000Z` are one time).
        fn round_trip<T: ::serde::de::DeserializeOwned + ::serde::Serialize>(json: &str) {
            let expected: ::serde_json::Value = ::serde_json::from_str(json).expect("the example is JSON");
            let decoded: T = crate::runtime::decode(::reqwest::StatusCode::OK, json.as_bytes())
                .unwrap_or_else(|e| panic!("{e}"));
            let encoded = ::serde_json::to_value(&decoded).expect("the decoded value encodes");
            same(&expected, &encoded, "$");
        }

        fn same(expected: &::serde_json::Value, actual: &::serde_json::Value, path: &str) {
            use ::serde_json::Value;
            match (expected, actual) {
                (Value::Object(e), Value::Object(a)) => {
                    // An optional nullable field set to `null` is written back as absent
                    // (`None`): the same value for the API, unless the field tells them apart.
                    let keys = |m: &::serde_json::Map<String, Value>, other: &::serde_json::Map<String, Value>| {
                        m.iter()
                            .filter(|(k, v)| !v.is_null() || other.contains_key(*k))
                            .map(|(k, _)| k.clone())
                            .collect::<::std::collections::BTreeSet<_>>()
                    };
                    assert_eq!(keys(e, a), keys(a, e), "keys differ at {path}");
                    for (k, v) in e {
                        if let Some(actual) = a.get(k) {
                            same(v, actual, &format!("{path}.{k}"));
                        }
                    }
                }
                (Value::Array(e), Value::Array(a)) => {
                    assert_eq!(e.len(), a.len(), "lengths differ at {path}");
                    for (i, (x, y)) in e.iter().zip(a).enumerate() {
                        same(x, y, &format!("{path}[{i}]"));
                    }
                }
                (Value::String(e), Value::String(a)) if e != a => {
                    let instant = |s: &str| ::chrono::DateTime::parse_from_rfc3339(s).ok();
                    assert!(instant(e).is_some() && instant(e) == instant(a), "{path}: {e:?} became {a:?}");
                }
                (Value::Number(e), Value::Number(a)) => assert_eq!(e.as_f64(), a.as_f64(), "{path}"),
                (e, a) => assert_eq!(e, a, "{path}"),
            }
        }
    }
}

fn json_literal(value: &serde_json::Value) -> String {
    // Values came from parsing, so they always encode.
    serde_json::to_string(value).unwrap_or_default()
}

fn round_trip(name: &str, ty: &TypeRef, ex: &serde_json::Value) -> TokenStream {
    let test = format_ident!("{}", name);
    let ty = rust_type(ty, Place::Elsewhere);
    let json = json_literal(ex);
    quote! {
        #[test]
        fn #test() {
            round_trip::<#ty>(#json);
        }
    }
}

fn response_test(name: &str, envelope: &Envelope, ex: &serde_json::Value) -> Option<TokenStream> {
    let test = format_ident!("{}", name);
    let json = json_literal(ex);
    Some(match envelope {
        Envelope::Empty | Envelope::Bytes | Envelope::Text => return None,
        Envelope::Plain(t) => return Some(round_trip(name, t, ex)),
        Envelope::Data { inner } => {
            let ty = rust_type(inner, Place::Elsewhere);
            quote! {
                #[test]
                fn #test() {
                    round_trip::<#ty>(&data(#json));
                }
            }
        }
        Envelope::Page { item, meta } => {
            let item = rust_type(item, Place::Elsewhere);
            let meta = rust_type(meta, Place::Elsewhere);
            quote! {
                #[test]
                fn #test() {
                    round_trip::<crate::Page<#item, #meta>>(#json);
                }
            }
        }
    })
}
