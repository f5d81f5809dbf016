//! `README.md` of the generated crate, which is also its crate-level documentation (so the
//! quick start is compiled as a doctest).

use crate::ir::{Api, BodyContent, Envelope, Success};
use crate::names::bare;

use super::CrateConfig;
use super::snippets::{quick_start, quick_start_feature};

pub(super) fn readme(api: &Api, config: &CrateConfig) -> String {
    let lib = config.lib_name();
    let name = &config.name;
    let env = &config.env_prefix;
    let major_minor = config.version.split('.').take(2).collect::<Vec<_>>().join(".");
    let mut out = format!("# {name}\n\n{}\n\n", config.description);
    out.push_str(&format!(
        "A typed, async client for the {} (API version {}), generated from its OpenAPI 3.0 or 3.1 \
         description by `cargo xtask codegen`.\n\n",
        api.title, api.version
    ));
    // The listings whose builders have `pages()`/`items()`.
    let streamed: Vec<String> = api
        .resources
        .iter()
        .flat_map(|r| r.operations.iter().filter(|op| op.pagination.is_some()).map(move |op| (r, op)))
        .map(|(r, op)| format!("`{}().{}()`", r.module.bare(), op.method_name.bare()))
        .collect();
    let futures = if !streamed.is_empty() { "futures-util = \"0.3\" # to read pagination streams\n" } else { "" };
    let dependency = match quick_start_feature(api).and_then(|r| r.feature.as_ref()) {
        Some(feature) => format!("{{ version = \"{major_minor}\", features = [\"{feature}\"] }}"),
        None => format!("\"{major_minor}\""),
    };
    out.push_str(&format!(
        "## Install\n\n```toml\n[dependencies]\n{name} = {dependency}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n{futures}```\n\n"
    ));
    out.push_str(&resource_features(api));
    out.push_str("## Quick start\n\n");
    out.push_str(&quick_start(api, &lib, env));
    out.push_str("\n\n");

    out.push_str("## What it covers\n\n| Resource | Method | HTTP |\n|---|---|---|\n");
    for r in &api.resources {
        for op in &r.operations {
            out.push_str(&format!(
                "| `{}()` | `{}` | `{} {}` |\n",
                bare(&r.module),
                bare(&op.method_name),
                op.method.as_str(),
                op.path
            ));
        }
    }
    out.push('\n');

    let needs_auth = api.any_operation_authenticates();
    let has_bearer = api.auth.iter().any(|s| s.kind == crate::ir::AuthKind::Bearer);
    if needs_auth && !has_bearer {
        out.push_str(
            "## Authentication\n\n\
             Requests carry the credentials listed below. Operations the API runs without credentials \
             send none. A client without any credential is a configuration error when it is built, unless \
             you ask for one with `ClientBuilder::without_api_key()` (which also stops the variables below \
             being read): then only the unauthenticated operations work, and the others fail with \
             `Error::Config` before anything is sent.\n\n",
        );
    } else if needs_auth {
        out.push_str(&format!(
            "## Authentication\n\n\
             Requests carry `Authorization: Bearer <key>`. The key comes from \
             `Client::builder().api_key(..)` when set in code, and otherwise from `{env}_API_KEY` \
             (`Client::from_env()` and `Client::builder().build()` both read it; \
             `ClientBuilder::ignore_env()` stops the builder reading the environment). The key is marked \
             sensitive and never appears in `Debug` output, errors or traces. Operations the API runs \
             without credentials send none. A client without a key is a configuration error when it \
             is built, unless you ask for one with `ClientBuilder::without_api_key()`: then only the \
             unauthenticated operations work, and the others fail with `Error::Config` before \
             anything is sent.\n\n"
        ));
    }
    if needs_auth {
        let others: Vec<&crate::ir::AuthScheme> =
            api.auth.iter().filter(|s| s.kind != crate::ir::AuthKind::Bearer).collect();
        if !others.is_empty() {
            out.push_str(&format!(
                "{} credentials, by the scheme's name in the spec, each set on the builder or read from its \
                 environment variables (marked sensitive and kept out of `Debug` output and errors, like the \
                 key):\n\n",
                if has_bearer { "Other" } else { "The" }
            ));
            for scheme in others {
                let env = format!("{}_{}", config.env_prefix, scheme.env);
                let (how, sent) = match &scheme.kind {
                    crate::ir::AuthKind::Basic => (
                        format!(
                            "`basic_auth(\"{}\", username, password)` or `{env}_USERNAME` and `{env}_PASSWORD`",
                            scheme.name
                        ),
                        "`Authorization: Basic ..`".to_string(),
                    ),
                    crate::ir::AuthKind::Header(n) => {
                        (format!("`credential(\"{}\", key)` or `{env}`", scheme.name), format!("header `{n}`"))
                    }
                    crate::ir::AuthKind::Query(n) => {
                        (format!("`credential(\"{}\", key)` or `{env}`", scheme.name), format!("query parameter `{n}`"))
                    }
                    crate::ir::AuthKind::Cookie(n) => {
                        (format!("`credential(\"{}\", key)` or `{env}`", scheme.name), format!("cookie `{n}`"))
                    }
                    crate::ir::AuthKind::Bearer => continue,
                };
                out.push_str(&format!("- `{}`: {how}; sent as {sent}.\n", scheme.name));
            }
            out.push_str(
                "\nWhere an operation accepts several schemes, the client sends the first alternative the spec \
                 lists whose credentials it has (an alternative may need several schemes together), and fails \
                 with `Error::Config` naming them when it has none.\n\n",
            );
        }
    } else {
        out.push_str("## Authentication\n\nThe API describes no credentials; a client needs no API key.\n\n");
    }
    let base = match &api.base_url {
        Some(url) => format!("and failing that `{url}`"),
        None => "one of which is needed: the API documents no default".to_string(),
    };
    out.push_str(&format!(
        "## Configuration\n\n\
         `Client::builder()` sets the API key, the base URL (a trailing slash is fine; when not set \
         in code, `{env}_BASE_URL`, {base}), the per-attempt timeout (60 s) and connect timeout \
         (5 s), the retry policy, default headers, a user-agent suffix, or your own `reqwest::Client`. \
         `.request_options(RequestOptions::new()...)` overrides the timeout and retries of one \
         request. Every builder method that sends takes the required parameters as arguments and \
         the optional ones as setters, then `.send().await`; `.send_with_response()` also returns \
         the status, headers and request id.\n\n"
    ));
    if !streamed.is_empty() {
        out.push_str(&format!(
            "## Pagination\n\n\
             Listings return a `Page {{ items, meta }}`. The builders of {} also have `.pages()` \
             and `.items()`: lazy streams that ask for the next page (same filters and page size) \
             until a page is empty or the last page is reached, holding one page in memory, and \
             that stop with `Error::UnexpectedResponse` if the server serves a page twice. \
             Filters, page parameters and other query objects are in the `params` module.\n\n",
            streamed.join(", ")
        ));
    }
    out.push_str(&bodies_section(api));
    out.push_str(
        "## Errors\n\n\
         Every call returns `Result<T, Error>`. `Error` has a variant per status class \
         (`BadRequest`, `Unauthorized`, `Forbidden`, `NotFound`, `Conflict`, \
         `UnprocessableEntity`, `RateLimited`, `Server`, `Status`), each with the status, headers, \
         request id and the parsed error body (`Error::api()`), and the API's own code, title and \
         detail of the first error (`Error::code()`, `title()`, `detail()`, read from JSON:API \
         `errors` or RFC 7807 problem details), plus `Timeout`, `Connection`, \
         `Decode` (naming the JSON path that failed, with the body), `InvalidRequest` (a value \
         outside its documented range, caught before sending), `UnexpectedResponse` and `Config`.\n\n\
         ## Retries and timeouts\n\n\
         Two retries by default, 0.5 s doubling to 8 s with jitter, honouring `Retry-After` and \
         `retry-after-ms` up to 60 s. Connection failures, 429, and 503 with `Retry-After` are \
         retried for every method; GET, PUT and DELETE are also retried after timeouts, 408, 409 \
         and 5xx. A POST or PATCH that may have reached the server is not repeated unless you opt \
         in with `RequestOptions::retry_non_idempotent(true)`. `max_retries(0)` disables retries.\n\n\
         ## Feature flags\n\n\
         | Feature | Default | What it does |\n|---|---|---|\n\
         | `rustls` | yes | TLS through rustls |\n\
         | `native-tls` | no | TLS through the platform's library instead |\n\
         | `tracing` | yes | a span per call (operation, method, path template, attempt, status) and a debug event per retry |\n\
         | `http2` | no | HTTP/2 when the server offers it, for many concurrent calls on one connection (adds `h2` to the build) |\n\n\
         With `default-features = false` and no TLS feature the client speaks plain HTTP only.\n\n",
    );
    out.push_str(&format!(
        "## Minimum supported Rust version\n\n\
         Rust {rv}. Raising it is a minor version change.\n\n\
         ## Versioning\n\n\
         This crate follows semantic versioning for its Rust API: a change to the API description \
         that breaks code using the crate is a major version (a minor one before 1.0), anything \
         else a minor or patch version. The API version it was generated from is {api_version}.\n\n\
         ## License\n\n{license}.\n",
        rv = config.rust_version,
        api_version = api.version,
        license = config.license,
    ));
    out
}

/// What the crate does with bodies that are not JSON, for the APIs that have them.
fn bodies_section(api: &Api) -> String {
    let ops: Vec<&crate::ir::Operation> = api.resources.iter().flat_map(|r| &r.operations).collect();
    let content = |f: fn(&BodyContent) -> bool| ops.iter().any(|op| op.body.as_ref().is_some_and(|b| f(&b.content)));
    let form = content(|c| matches!(c, BodyContent::Form(_)));
    let raw = content(|c| matches!(c, BodyContent::Bytes(_) | BodyContent::Text(_)));
    let multipart = content(|c| matches!(c, BodyContent::Multipart(_)));
    let download = ops.iter().any(|op| match &op.success {
        Success::Bytes | Success::Text => true,
        Success::ByStatus { variants, .. } => {
            variants.iter().any(|v| matches!(v.envelope, Envelope::Bytes | Envelope::Text))
        }
        _ => false,
    });
    if !(form || raw || multipart || download) {
        return String::new();
    }
    let mut items = Vec::new();
    if form {
        items.push(
            "Form bodies (`application/x-www-form-urlencoded`) are model structs like JSON bodies, sent as \
             `key=value` pairs in field order: strings as they are, numbers and booleans as JSON writes \
             them, an array as one pair per item, unset fields left out. A form cannot carry objects; the \
             generator refuses form fields that are objects.",
        );
    }
    if multipart {
        items.push(
            "Multipart uploads (`multipart/form-data`) take each part as an argument (the required ones) \
             or a setter: a file as its bytes or a `FilePart` (bytes, file name and media type; by \
             default the part's name and the media type the API documents), a text field as its value, \
             anything else as a part of JSON. The body is written whole before it is sent, so a retried \
             request sends the same bytes.",
        );
    }
    if raw {
        items.push(
            "Raw uploads take your bytes (`impl Into<bytes::Bytes>`: a `Vec<u8>`, a `&'static [u8]`, \
             `Bytes`) or text (`impl Into<String>`) and send them as they are, with the media type the \
             API documents as `Content-Type` (`.content_type(..)` sends another where the API accepts \
             several). XML bodies are text you write: the crate has no XML model.",
        );
    }
    if download {
        items.push(
            "Responses that are not JSON are not decoded: files (`application/octet-stream`, PDF, \
             images, audio) come back as `bytes::Bytes`, text (plain, CSV, HTML, XML) as a UTF-8 \
             `String`. `.send_stream()` returns the body as it arrives instead, a `ByteStream` of \
             chunks with the status and headers, for downloads too large to hold in memory; the \
             timeout covers the whole download, so give a large one a longer \
             `RequestOptions::timeout`.",
        );
    }
    let items: Vec<String> = items.into_iter().map(|i| format!("- {i}")).collect();
    format!("## Bodies that are not JSON\n\n{}\n\n", items.join("\n"))
}

/// The section on resource features, when the crate has them: what compiles without any,
/// and each resource's feature.
fn resource_features(api: &Api) -> String {
    if api.features.is_empty() {
        return String::new();
    }
    let operations: usize = api.resources.iter().map(|r| r.operations.len()).sum();
    let mut out = format!(
        "## Resource features\n\n\
         The API has {operations} operations in {} resources, so each resource is a Cargo feature, off by \
         default: enable the ones you call (as above), or `full` for all of them. Without any, the client, \
         its errors and the models several resources share (or no operation uses) still compile; a \
         resource's feature adds its accessor on `Client`, its operations, and the models and query types \
         only it uses.\n\n| Resource | Feature | Operations |\n|---|---|---|\n",
        api.resources.len()
    );
    for r in &api.resources {
        if let Some(feature) = &r.feature {
            out.push_str(&format!("| `{}()` | `{feature}` | {} |\n", r.module.bare(), r.operations.len()));
        }
    }
    out.push('\n');
    out
}
