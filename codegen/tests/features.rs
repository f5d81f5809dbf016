//! Snapshot tests: every fixture in `fixtures/features/` (one feature each) pins its IR, its
//! warnings and the Rust emitted for it. Review every snapshot change like code.

mod common;

use std::path::Path;

fn label(path: &Path) -> String {
    format!("features/{}", path.file_name().and_then(|n| n.to_str()).unwrap_or("?"))
}

#[test]
fn feature_fixtures() {
    insta::glob!("fixtures/features/*.yaml", |path| {
        let text = std::fs::read_to_string(path).expect("fixture is readable");
        let label = label(path);
        let generated = codegen::generate_str(&label, &text, None).unwrap_or_else(|d| panic!("{label}:\n{d}"));
        insta::assert_yaml_snapshot!("ir", generated.api);
        let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
        insta::assert_snapshot!("warnings", warnings.join("\n\n"));
        // The emitted Rust, less the runtime files that are copied verbatim.
        let code: String = generated
            .files
            .iter()
            .filter(|f| f.path.ends_with(".rs") || f.path == "README.md" || f.path == "API.md")
            .filter(|f| !codegen::runtime_api::RUNTIME_FILES.iter().any(|r| r.path == f.path))
            .map(|f| format!("==> {} <==\n{}\n", f.path, f.text))
            .collect();
        insta::assert_snapshot!("code", code);
    });
}

#[test]
fn feature_flat_brackets_lower_like_deep_object() {
    let lower = |name: &str| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/features").join(name);
        common::without_spelling_differences(common::lower_file(&path, "fixture"))
    };
    pretty_assertions::assert_eq!(lower("deep_object.yaml"), lower("flat_brackets.yaml"));
}

/// Each `v31_*` feature fixture (an OpenAPI 3.1 document) lowers to the same IR as its 3.0
/// spelling in `fixtures/v31/as_3_0/`, and generates the same files.
#[test]
fn openapi_3_1_features_lower_like_their_3_0_spelling() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut compared = 0;
    for entry in std::fs::read_dir(dir.join("v31/as_3_0")).expect("fixtures") {
        let v30 = entry.expect("entry").path();
        let name = v30.file_name().and_then(|n| n.to_str()).expect("name").to_string();
        let v31 = dir.join("features").join(format!("v31_{name}"));
        let generate = |path: &Path| {
            let text = std::fs::read_to_string(path).expect("fixture");
            codegen::generate_str("fixture.yaml", &text, None).unwrap_or_else(|d| panic!("{}:\n{d}", path.display()))
        };
        let (a, b) = (generate(&v30), generate(&v31));
        let json = |api: &codegen::ir::Api| serde_json::to_string_pretty(api).expect("IR serializes");
        pretty_assertions::assert_str_eq!(json(&a.api), json(&b.api), "{name}");
        for (x, y) in a.files.iter().zip(&b.files) {
            pretty_assertions::assert_str_eq!(x.text, y.text, "{name}: {}", x.path);
        }
        compared += 1;
    }
    assert!(compared >= 3, "{compared}");
}

#[test]
fn names_taken_by_the_runtime_or_the_constructor_are_avoided_and_no_stream_is_promised() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/features/reserved_names.yaml");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let generated = codegen::generate_str("reserved_names.yaml", &text, None).unwrap_or_else(|d| panic!("{d}"));
    let api = &generated.api;
    // Resource accessors are methods of `Client`: `builder` is taken, `execute` is free (the
    // client's internal methods have names no resource is likely to want).
    let modules: Vec<&str> = api.resources.iter().map(|r| r.module.as_str()).collect();
    assert_eq!(modules, ["execute", "builder2"]);
    // The listing's `page` object is required: the client cannot rebuild it page by page.
    let list = &api.resources[0].operations[0];
    assert_eq!(list.id, "listJobs");
    assert!(list.pagination.is_none(), "{:?}", list.pagination);
    let file = |name: &str| &generated.files.iter().find(|f| f.path == name).expect(name).text;
    for name in ["README.md", "API.md", "src/resources/execute.rs"] {
        assert!(!file(name).contains("items()"), "{name} promises items()");
    }
    // A field named `new` gets the setter `new2`, in query objects and models alike.
    let filter = api.query_types.iter().find(|t| t.name == "ListJobsFilter").expect("filter type");
    let setters: Vec<&str> = filter.fields().iter().map(|f| f.setter.as_str()).collect();
    assert_eq!(setters, ["new2", "validate2"]);
    let model = api.types.iter().find(|t| t.name == "ErrorModel").expect("Error is ErrorModel");
    let codegen::ir::TypeKind::Struct { fields, .. } = &model.kind else { panic!("a struct") };
    let setters: Vec<(Option<&str>, Option<&str>)> =
        fields.iter().map(|f| (f.setter.as_deref(), f.clear_setter.as_deref())).collect();
    assert_eq!(setters, [(Some("new2"), None), (Some("clear_new"), None), (Some("message"), Some("clear_message"))]);
}

/// A README asks for an API key only when some operation sends one (field report kind 10).
#[test]
fn readmes_ask_for_a_key_only_when_an_operation_needs_one() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/features");
    let mut keyless = 0;
    for entry in std::fs::read_dir(&dir).expect("fixtures") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("fixture");
        let generated = codegen::generate_str(&label(&path), &text, None).unwrap_or_else(|d| panic!("{d}"));
        let readme = &generated.files.iter().find(|f| f.path == "README.md").expect("README").text;
        let asks = readme.contains("_API_KEY");
        assert_eq!(asks, generated.api.any_operation_authenticates(), "{}", path.display());
        keyless += usize::from(!asks);
    }
    assert!(keyless > 0, "some fixture runs without credentials");
}
