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
