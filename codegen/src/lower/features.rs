//! One Cargo feature per resource, for APIs large enough that users should compile only
//! what they use (`info.x-rust-crate`: `resource-features`, `resource-features-threshold`).
//!
//! A resource's feature compiles its module and every model and query type that only it
//! uses. What two resources share, what no operation uses (a webhook payload, say), and
//! what the client itself names (the error body) always compiles, so enabling any set of
//! features gives a crate whose types are all defined: a type reached from one resource
//! only names types reached from that resource, which are either its own or shared.

use std::collections::{BTreeSet, HashMap};

use super::skip::named_in;
use crate::ir::{Api, ResourceFeature, TypeRef};

/// Operations an API may have before its resources get features, unless
/// `resource-features-threshold` says otherwise.
pub const DEFAULT_THRESHOLD: usize = 200;

/// crates.io refuses a crate with more than 300 features; the crate's own (`default`, TLS,
/// `tracing`, `http2`, `full`) take a few.
const MAX_RESOURCE_FEATURES: usize = 290;

/// The features the crate's `Cargo.toml` defines whatever the API: a resource feature must
/// not take their names.
pub const FIXED_FEATURES: &[&str] = &["default", "full", "rustls", "native-tls", "tracing", "http2"];

/// Decides whether `api` gets resource features and, if so, gates its resources and the
/// types only one resource uses. Returns a warning when features were asked for but
/// cannot be made.
pub(super) fn assign(api: &mut Api) -> Option<String> {
    let operations: usize = api.resources.iter().map(|r| r.operations.len()).sum();
    let threshold = api.rust_crate.resource_features_threshold.unwrap_or(DEFAULT_THRESHOLD);
    let wanted = api.rust_crate.resource_features.unwrap_or(operations > threshold);
    if !wanted || api.resources.is_empty() {
        return None;
    }
    if api.resources.len() > MAX_RESOURCE_FEATURES {
        return Some(format!(
            "no resource features: the API has {} resources, and crates.io allows a crate at most 300 features",
            api.resources.len()
        ));
    }
    let taken: BTreeSet<&str> = FIXED_FEATURES.iter().copied().collect();
    let mut names = BTreeSet::new();
    for r in &mut api.resources {
        // `self_` (a keyword escaped) is the feature `self`, not `self-`.
        let mut name = r.module.bare().trim_end_matches('_').replace('_', "-");
        while taken.contains(name.as_str()) || names.contains(&name) {
            name.push_str("-api");
        }
        names.insert(name.clone());
        r.feature = Some(name.clone());
        api.features.push(ResourceFeature { name, module: r.module.clone() });
    }

    // Which resources reach each model, through its operations and then through the
    // models those name.
    let index: HashMap<&str, usize> = api.types.iter().enumerate().map(|(i, t)| (t.name.as_str(), i)).collect();
    let names_of: Vec<Vec<usize>> = api
        .types
        .iter()
        .map(|t| named_in(&t.kind).iter().filter_map(|n| index.get(n.as_str()).copied()).collect())
        .collect();
    let reach = |roots: BTreeSet<String>| {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<usize> = roots.iter().filter_map(|n| index.get(n.as_str()).copied()).collect();
        while let Some(i) = stack.pop() {
            if seen.insert(i) {
                stack.extend(names_of.get(i).into_iter().flatten().copied());
            }
        }
        seen
    };
    let mut users: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); api.types.len()];
    for (r, resource) in api.resources.iter().enumerate() {
        for t in reach(named_in(&resource.operations)) {
            if let Some(users) = users.get_mut(t) {
                users.insert(r);
            }
        }
    }
    // Always compiled: what the crate root names (the error body, `ApiErrorBody`), what
    // several resources or none use, and everything those name.
    let mut always: BTreeSet<String> =
        api.types.iter().zip(&users).filter(|(_, users)| users.len() != 1).map(|(t, _)| t.name.to_string()).collect();
    if let Some(TypeRef::Named(n)) = &api.error_body {
        always.insert(n.to_string());
    }
    let always = reach(always);
    let feature_of = |users: &BTreeSet<usize>| match users.iter().collect::<Vec<_>>()[..] {
        [only] => api.resources.get(*only).and_then(|r| r.feature.clone()),
        _ => None,
    };
    let features: Vec<Option<String>> =
        users.iter().enumerate().map(|(i, u)| if always.contains(&i) { None } else { feature_of(u) }).collect();
    for (t, feature) in api.types.iter_mut().zip(features) {
        t.feature = feature;
    }

    // A query type is used where its uses say (nested objects list the operations that
    // send them too).
    let resource_of: HashMap<&str, usize> = api
        .resources
        .iter()
        .enumerate()
        .flat_map(|(r, resource)| resource.operations.iter().map(move |op| (op.id.as_str(), r)))
        .collect();
    let features: Vec<Option<String>> = api
        .query_types
        .iter()
        .map(|t| feature_of(&t.used_by.iter().filter_map(|u| resource_of.get(u.operation.as_str()).copied()).collect()))
        .collect();
    for (t, feature) in api.query_types.iter_mut().zip(features) {
        t.feature = feature;
    }
    None
}
