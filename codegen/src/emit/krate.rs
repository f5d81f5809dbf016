//! `Cargo.toml` and `src/lib.rs`: the crate's identity, its dependencies and its root.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::own_doc;
use super::{Place, ident, rust_type};
use crate::ir::{Api, AuthKind, CrateConfig};
use crate::lower::krate::DUAL_LICENSE;

/// The licence files, when the crate uses the licence the generator has the texts of.
pub(super) fn licence_files(config: &CrateConfig) -> Vec<(&'static str, String)> {
    if config.license != DUAL_LICENSE {
        return Vec::new();
    }
    let mit = format!(
        "MIT License\n\nCopyright (c) The {} authors\n\n{}",
        config.name,
        include_str!("../../licenses/LICENSE-MIT")
    );
    vec![("LICENSE-APACHE", include_str!("../../licenses/LICENSE-APACHE").to_string()), ("LICENSE-MIT", mit)]
}

/// The dependencies every generated crate has, and why:
/// reqwest (HTTP, rustls by default), serde and serde_json (bodies), serde_path_to_error
/// (decode errors that name the failing field), uuid and chrono (typed ids and dates),
/// url and percent-encoding (URLs and query encoding, already in reqwest's tree), bytes
/// (response bodies, likewise), tokio (`time`, for retry delays, and `fs`, for file parts read
/// from a path; reqwest runs on tokio),
/// futures-core (the `Stream` trait of the pagination streams, in reqwest's tree), and
/// tracing behind a default feature.
pub(super) fn cargo_toml(api: &Api, config: &CrateConfig) -> String {
    let string = |s: &str| toml_escape(s);
    let list = |items: &[String]| format!("[{}]", items.iter().map(|i| toml_escape(i)).collect::<Vec<_>>().join(", "));
    let mut package = vec![
        format!("name = {}", string(&config.name)),
        format!("version = {}", string(&config.version)),
        format!("description = {}", string(&config.description)),
        format!("license = {}", string(&config.license)),
    ];
    if let Some(repo) = &config.repository {
        package.push(format!("repository = {}", string(repo)));
    }
    package.push("readme = \"README.md\"".to_string());
    if !config.keywords.is_empty() {
        package.push(format!("keywords = {}", list(&config.keywords)));
    }
    if !config.categories.is_empty() {
        package.push(format!("categories = {}", list(&config.categories)));
    }
    package.push("edition = \"2024\"".to_string());
    package.push(format!("rust-version = {}", string(&config.rust_version)));
    package.push(
        "# What users download: the code, its docs and examples, the licences; no generator state.\n\
         include = [\"/Cargo.toml\", \"/README.md\", \"/CHANGELOG.md\", \"/LICENSE-*\", \"/src/**/*.rs\", \"/examples/*.rs\"]"
            .to_string(),
    );
    // One feature per resource (empty when the API is small): `full` enables them all, and
    // docs.rs documents them all.
    let mut resources = String::new();
    let mut docs_rs = String::new();
    if !api.features.is_empty() {
        // Feature names are kebab-case module names: bare TOML keys.
        let listed: Vec<String> = api.features.iter().map(|f| format!("    {},\n", toml_escape(&f.name))).collect();
        resources.push_str(&format!(
            "# Every resource. Each resource below is a feature of its own, off by default: the\n\
             # client, errors and the models several resources share compile without any.\n\
             full = [\n{}]\n",
            listed.concat()
        ));
        for f in &api.features {
            let label = api.resources.iter().find(|r| r.module == f.module).map_or("", |r| r.label.as_str());
            resources.push_str(&format!("# {}\n{} = []\n", comment_line(label), f.name));
        }
        docs_rs.push_str("\n[package.metadata.docs.rs]\nfeatures = [\"full\"]\n");
    }
    format!(
        r#"[package]
{package}
{docs_rs}
[features]
default = ["rustls", "tracing"]
# TLS through rustls (the default).
rustls = ["reqwest/rustls"]
# TLS through the platform's native library (OpenSSL, Secure Transport, SChannel).
native-tls = ["reqwest/native-tls"]
# A `tracing` span per call (operation, method, path template, attempt, status) and a
# debug event per retry. Never records the API key.
tracing = ["dep:tracing"]
# HTTP/2 when the server offers it (ALPN over TLS), for many concurrent calls on one
# connection. Off by default: HTTP/1.1 with pooled keep-alive connections serves a REST
# API well, and HTTP/2 adds `h2` and four more crates to the build.
http2 = ["reqwest/http2"]
{resources}
[dependencies]
bytes = "1"
chrono = {{ version = "0.4.38", default-features = false, features = ["serde", "std"] }}
futures-core = "0.3.30"
percent-encoding = "2.3"
reqwest = {{ version = "0.13", default-features = false, features = ["json"] }}
serde = {{ version = "1.0.200", features = ["derive"] }}
serde_json = "1.0.100"
serde_path_to_error = "0.1.16"
tokio = {{ version = "1.38", default-features = false, features = ["fs", "time"] }}
tracing = {{ version = "0.1.40", default-features = false, features = ["std"], optional = true }}
url = "2.5"
uuid = {{ version = "1.8", features = ["serde"] }}

[dev-dependencies]
# For the examples and the doc examples.
futures-util = {{ version = "0.3.30", default-features = false }}
tokio = {{ version = "1.38", features = ["macros", "rt-multi-thread"] }}
"#,
        package = package.join("\n"),
    )
}

/// A resource's label as one TOML comment line.
fn comment_line(label: &str) -> String {
    label.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

fn toml_escape(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(super) fn lib_rs(api: &Api, config: &CrateConfig) -> TokenStream {
    let error_body = match &api.error_body {
        Some(t) => rust_type(t, Place::Elsewhere),
        None => quote!(::serde_json::Value),
    };
    let base_url = match &api.base_url {
        Some(u) => quote!(Some(#u)),
        None => quote!(None),
    };
    let needs_auth = api.any_operation_authenticates();
    // The schemes other than bearer (which is the API key), for the runtime.
    let schemes = api.auth.iter().filter_map(|scheme| {
        let name = &scheme.name;
        let env = format!("{}_{}", config.env_prefix, scheme.env);
        let kind = match &scheme.kind {
            AuthKind::Bearer => return None,
            AuthKind::Basic => quote!(Basic),
            AuthKind::Header(n) => quote!(Header(#n)),
            AuthKind::Query(n) => quote!(Query(#n)),
            AuthKind::Cookie(n) => quote!(Cookie(#n)),
        };
        Some(quote!(client::Scheme { name: #name, env: #env, kind: client::SchemeKind::#kind }))
    });
    let setters = credential_setters(api);
    let has_bearer = api.auth.iter().any(|s| s.kind == AuthKind::Bearer);
    let key_env = format!("{}_API_KEY", config.env_prefix);
    let url_env = format!("{}_BASE_URL", config.env_prefix);
    let key_doc = own_doc(&if needs_auth {
        format!(
            "The environment variable the API key is read from (`{key_env}`) when none is set in code; see \
             [`Client::builder`]."
        )
    } else {
        format!(
            "The environment variable an API key would be read from (`{key_env}`); no operation of this API \
             sends credentials, so a client never needs one."
        )
    });
    let url_doc = own_doc(&format!(
        "The environment variable a base URL is read from (`{url_env}`) when none is set in code; see \
         [`Client::builder`]."
    ));
    // The runtime's modules are private (the crate re-exports what users need); with the
    // generated `models` and `resources`, in alphabetical order.
    let mut modules: Vec<(&str, bool)> =
        crate::runtime_api::RUNTIME_FILES.iter().map(|f| (f.module(), false)).collect();
    modules.extend([("models", true), ("params", true), ("resources", true)]);
    modules.sort_unstable();
    let modules = modules.into_iter().map(|(raw, public)| {
        let name = ident(raw);
        match (public, raw == "models") {
            // A union holds its members as the spec's types, unboxed, however their sizes
            // differ (clippy's `large_enum_variant`): boxing one would change its API.
            (true, true) => quote!(#[allow(clippy::large_enum_variant)] pub mod #name;),
            (true, false) => quote!(pub mod #name;),
            (false, _) => quote!(mod #name;),
        }
    });
    // With resource features, the README's quick start calls one resource: its doctest
    // compiles only with that resource's feature, so the README is the crate's docs in the
    // builds that have it (docs.rs builds `full`) and a pointer to it in the others.
    let crate_docs = match super::snippets::quick_start_feature(api).and_then(|r| r.feature.as_ref()) {
        None => quote!(#![doc = include_str!("../README.md")]),
        Some(feature) => {
            let short = format!(
                "{} (see README.md; this page shows it in builds with the `{feature}` feature, as docs.rs \
                 builds it with `full`).",
                config.description
            );
            quote! {
                #![cfg_attr(feature = #feature, doc = include_str!("../README.md"))]
                #![cfg_attr(not(feature = #feature), doc = #short)]
                // A build without every resource leaves runtime helpers only those resources
                // call unused.
                #![cfg_attr(not(feature = "full"), allow(dead_code, unused_imports))]
            }
        }
    };
    quote! {
        #crate_docs
        #![deny(missing_docs)]

        #(#modules)*
        #[cfg(test)]
        mod spec_examples;

        pub use client::{ApiResponse, ByteStream, Client, ClientBuilder};
        pub use error::{ApiError, DecodeError, Error, InvalidRequest};
        pub use multipart::FilePart;
        pub use pagination::{Items, PageMeta, Pages};
        pub use request::{Download, Operation, PageNumbered, RequestBuilder};
        pub use retry::{RequestOptions, RetryPolicy};
        pub use runtime::Page;

        /// The `chrono` crate, whose types dates and times use.
        pub use chrono;
        /// The `uuid` crate, whose `Uuid` identifiers use.
        pub use uuid;
        /// The `bytes` crate, whose `Bytes` raw bodies and downloads use.
        pub use bytes;
        /// The `reqwest` crate, whose types `build_request()`, [`ApiResponse`], [`ApiError`] and
        /// [`ClientBuilder::http_client`] use, so callers need not depend on the same version.
        pub use reqwest;

        /// The body of an error response, as the spec documents it.
        pub type ApiErrorBody = #error_body;

        /// The base URL from the spec's `servers`, used unless another is configured.
        pub const DEFAULT_BASE_URL: Option<&str> = #base_url;

        #key_doc
        pub const API_KEY_ENV: &str = #key_env;

        #url_doc
        pub const BASE_URL_ENV: &str = #url_env;

        /// Whether any operation sends credentials; if none does, a client needs no API key.
        const ANY_OPERATION_NEEDS_AUTH: bool = #needs_auth;

        /// The security schemes other than bearer, whose credentials are set on the
        /// builder or read from their environment variables.
        const SCHEMES: &[client::Scheme] = &[#(#schemes),*];

        /// Whether the API has a bearer scheme, the one the API key is sent by.
        const HAS_BEARER_SCHEME: bool = #has_bearer;

        #setters

        /// `User-Agent` of every request: crate name and version.
        const USER_AGENT: &str = ::std::concat!(::std::env!("CARGO_PKG_NAME"), "/", ::std::env!("CARGO_PKG_VERSION"));
    }
}

/// The builder's setters for the credentials of the schemes other than bearer, only when the
/// API has such schemes: `credential` for API keys, `basic_auth` for HTTP basic.
fn credential_setters(api: &Api) -> TokenStream {
    let has = |basic: bool| {
        api.auth.iter().any(|s| match s.kind {
            AuthKind::Basic => basic,
            AuthKind::Header(_) | AuthKind::Query(_) | AuthKind::Cookie(_) => !basic,
            AuthKind::Bearer => false,
        })
    };
    let credential = has(false).then(|| {
        quote! {
            /// The key of the API-key scheme `scheme` (its name in the spec's
            /// `components.securitySchemes`), sent where the scheme says: a header, a query
            /// parameter or a cookie. Takes precedence over the scheme's environment variable
            /// (the crate's README lists them); [`build`](Self::build) refuses a scheme the
            /// API does not have.
            pub fn credential(self, scheme: impl Into<String>, key: impl Into<String>) -> Self {
                self.with_credential(scheme.into(), client::Secret::Key(key.into()))
            }
        }
    });
    let basic = has(true).then(|| {
        quote! {
            /// The username and password of the HTTP basic scheme `scheme` (its name in the
            /// spec's `components.securitySchemes`), sent as `Authorization: Basic ..`. Takes
            /// precedence over the scheme's `_USERNAME` and `_PASSWORD` environment variables.
            pub fn basic_auth(
                self,
                scheme: impl Into<String>,
                username: impl Into<String>,
                password: impl Into<String>,
            ) -> Self {
                self.with_credential(scheme.into(), client::Secret::Basic(username.into(), password.into()))
            }
        }
    });
    if credential.is_none() && basic.is_none() {
        return TokenStream::new();
    }
    quote! {
        impl ClientBuilder {
            #credential
            #basic
        }
    }
}
