//! What the shipped runtime offers that lowering and emission must agree with.
//!
//! The runtime (`codegen/runtime/*.rs`) is hand-written Rust copied verbatim into every
//! generated crate; lowering and emission never read it, yet they depend on facts about it:
//! which files it has, which names its `Client` already uses (generated resource accessors
//! are methods of the same type), and which `Error` variant each HTTP status becomes (the
//! generated `# Errors` docs name it). Those facts live here, once, and the tests below (and
//! `tests/tests/runtime.rs` for the statuses, against a real generated client) fail when the
//! runtime and these tables disagree.

use std::ops::RangeInclusive;

/// One file of the runtime, shipped unchanged as `src/<name>` of every generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuntimeFile {
    /// The file name, the same in `codegen/runtime/` and in the generated crate's `src/`
    /// (`client.rs`).
    pub name: &'static str,
    /// The path in the generated crate (`src/client.rs`).
    pub path: &'static str,
    /// The source, as in `codegen/runtime/<name>`.
    pub source: &'static str,
}

impl RuntimeFile {
    /// The module the generated `lib.rs` declares for this file (`client`).
    pub fn module(&self) -> &'static str {
        self.name.strip_suffix(".rs").unwrap_or(self.name)
    }
}

/// A [`RuntimeFile`] from its name in `codegen/runtime/`.
macro_rules! runtime_file {
    ($name:literal) => {
        RuntimeFile { name: $name, path: concat!("src/", $name), source: include_str!(concat!("../runtime/", $name)) }
    };
}

/// The runtime files, in the order they are emitted. Adding a file to `codegen/runtime/` is
/// one line here (the generated `lib.rs` declares a private module for each); a test fails
/// when this list and the directory differ.
pub const RUNTIME_FILES: &[RuntimeFile] = &[
    runtime_file!("client.rs"),
    runtime_file!("error.rs"),
    runtime_file!("multipart.rs"),
    runtime_file!("pagination.rs"),
    runtime_file!("request.rs"),
    runtime_file!("retry.rs"),
    runtime_file!("runtime.rs"),
];

/// Every method name defined in an inherent `impl Client` block of the runtime, public or
/// not, sorted. Resource accessors are methods of `Client` too, so none may take one of
/// these names (the generated crate would not compile). Methods of traits `Client`
/// implements (`clone`, `fmt`) are not inherent and not listed.
pub const CLIENT_METHODS: &[&str] = &[
    "base_url",
    "builder",
    "execute_request",
    "execute_request_streamed",
    "execute_request_taking",
    "execute_request_with_retries",
    "from_env",
    "new",
    "prepare_request",
];

/// Every method name of the inherent `impl … RequestBuilder<…>` blocks of the runtime
/// (`codegen/runtime/request.rs`), sorted. Generated setters are inherent methods of the
/// same type, so none may take one of these names.
pub const BUILDER_METHODS: &[&str] =
    &["build_request", "items", "new", "pages", "request_options", "send", "send_stream", "send_with_response"];

/// Which `Error` variant a non-success HTTP status becomes (`Error::from_api` in
/// `codegen/runtime/error.rs`): inclusive status ranges, a single status being a range of
/// one. The ranges do not overlap; a status in none of them is [`OTHER_STATUS_VARIANT`].
pub const STATUS_VARIANTS: &[(RangeInclusive<u16>, &str)] = &[
    (400..=400, "BadRequest"),
    (401..=401, "Unauthorized"),
    (403..=403, "Forbidden"),
    (404..=404, "NotFound"),
    (409..=409, "Conflict"),
    (422..=422, "UnprocessableEntity"),
    (429..=429, "RateLimited"),
    (500..=599, "Server"),
];

/// The `Error` variant of every non-success status [`STATUS_VARIANTS`] does not list.
pub const OTHER_STATUS_VARIANT: &str = "Status";

/// The name of the `Error` variant the runtime returns for a response with this
/// (non-success) status: `error_variant(404)` is `"NotFound"`, `error_variant(503)` is
/// `"Server"`, `error_variant(418)` is `"Status"`.
pub fn error_variant(status: u16) -> &'static str {
    STATUS_VARIANTS.iter().find(|(statuses, _)| statuses.contains(&status)).map_or(OTHER_STATUS_VARIANT, |(_, v)| v)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    /// Method names of inherent impl blocks of the type named `ty` among `items`, nested
    /// modules included.
    fn methods_of(ty: &str, items: &[syn::Item], out: &mut BTreeSet<String>) {
        for item in items {
            match item {
                syn::Item::Impl(block) if block.trait_.is_none() && is_type(&block.self_ty, ty) => {
                    out.extend(block.items.iter().filter_map(|i| match i {
                        syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                        _ => None,
                    }));
                }
                syn::Item::Mod(module) => {
                    if let Some((_, inner)) = &module.content {
                        methods_of(ty, inner, out);
                    }
                }
                _ => {}
            }
        }
    }

    /// `Client`, `crate::Client`, `self::Client`, `RequestBuilder<O>`: the last path segment
    /// is `name`, whatever its generic arguments.
    fn is_type(ty: &syn::Type, name: &str) -> bool {
        matches!(ty, syn::Type::Path(p) if p.qself.is_none()
            && p.path.segments.last().is_some_and(|s| s.ident == name))
    }

    fn runtime_methods_of(ty: &str) -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        for file in RUNTIME_FILES {
            let parsed = syn::parse_file(file.source).unwrap_or_else(|e| panic!("{}: {e}", file.name));
            methods_of(ty, &parsed.items, &mut found);
        }
        found
    }

    #[test]
    fn client_methods_are_the_methods_of_the_runtime_client() {
        let listed: BTreeSet<String> = CLIENT_METHODS.iter().map(|m| m.to_string()).collect();
        assert_eq!(
            runtime_methods_of("Client"),
            listed,
            "CLIENT_METHODS must list exactly the methods of `impl Client` in codegen/runtime/"
        );
        assert!(CLIENT_METHODS.is_sorted(), "keep CLIENT_METHODS sorted");
    }

    #[test]
    fn builder_methods_are_the_methods_of_the_runtime_request_builder() {
        let listed: BTreeSet<String> = BUILDER_METHODS.iter().map(|m| m.to_string()).collect();
        assert_eq!(
            runtime_methods_of("RequestBuilder"),
            listed,
            "BUILDER_METHODS must list exactly the methods of `impl RequestBuilder` in codegen/runtime/"
        );
        assert!(BUILDER_METHODS.is_sorted(), "keep BUILDER_METHODS sorted");
    }

    #[test]
    fn runtime_files_are_the_files_of_the_runtime_directory() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime");
        let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.expect("directory entry").file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".rs"))
            .collect();
        let listed: Vec<&str> = RUNTIME_FILES.iter().map(|f| f.name).collect();
        let listed_set: BTreeSet<String> = listed.iter().map(|n| n.to_string()).collect();
        assert_eq!(listed.len(), listed_set.len(), "a runtime file is listed twice: {listed:?}");
        assert_eq!(listed_set, on_disk, "RUNTIME_FILES must list exactly the *.rs files of codegen/runtime/");
        for file in RUNTIME_FILES {
            assert_eq!(file.path, format!("src/{}", file.name));
            assert_eq!(file.module(), file.name.trim_end_matches(".rs"));
        }
    }

    #[test]
    fn status_ranges_are_error_statuses_and_do_not_overlap() {
        for (i, (a, name)) in STATUS_VARIANTS.iter().enumerate() {
            assert!(a.start() <= a.end() && *a.start() >= 400 && *a.end() <= 599, "{a:?} {name}");
            for (b, other) in STATUS_VARIANTS.iter().skip(i + 1) {
                assert!(a.end() < b.start() || b.end() < a.start(), "{a:?} {name} overlaps {b:?} {other}");
            }
        }
    }

    #[test]
    fn error_variant_reads_the_table() {
        let cases = [(400, "BadRequest"), (404, "NotFound"), (429, "RateLimited"), (500, "Server"), (599, "Server")];
        for (status, variant) in cases {
            assert_eq!(error_variant(status), variant, "{status}");
        }
        for status in [402, 405, 418, 499, 600, 302] {
            assert_eq!(error_variant(status), OTHER_STATUS_VARIANT, "{status}");
        }
    }
}
