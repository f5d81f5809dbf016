//! End-to-end properties of the pipeline on the real spec: the two query spellings lower
//! to one IR, the committed crate is fresh, output is deterministic, and a failing spec
//! writes nothing.

use std::path::{Path, PathBuf};

mod common;

use codegen::ir::{Api, QueryNode};
use codegen::write::{Mode, sync};
use common::{lower_file, without_spelling_differences};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn flat_bracket_spelling_lowers_to_the_same_ir_as_deep_object() {
    let deep = lower_file(&root().join("spec/openapi.yaml"), "spec/openapi.yaml");
    let flat = lower_file(&root().join("codegen/tests/fixtures/telnyx-flat.yaml"), "spec/openapi.yaml");
    // The comparison must not pass vacuously: the filter trees are there, and nested.
    let list = &deep.resources[0].operations[0];
    assert_eq!(list.id, "listRooms");
    let filter = list.query.iter().find(|q| q.wire_name == "filter").expect("listRooms has a filter");
    let QueryNode::Object { type_name, fields } = &filter.node else { panic!("filter is an object") };
    assert_eq!(type_name, "ListRoomsFilter");
    assert!(matches!(&fields[0].node, QueryNode::Object { fields, .. } if fields.len() == 3));
    let json = |api: Api| serde_json::to_string_pretty(&without_spelling_differences(api)).expect("IR serializes");
    pretty_assertions::assert_str_eq!(json(deep), json(flat));
}

/// The OpenAPI 3.1 twin of the spec (type lists with "null", `const`, schema `examples`,
/// `$ref` with siblings) is the same API: one IR, one crate, no change for `cargo xtask diff`.
#[test]
fn the_openapi_3_1_twin_gives_the_same_ir_and_crate() {
    let spec = root().join("spec/openapi.yaml");
    let twin_path = root().join("codegen/tests/fixtures/v31/openapi.yaml");
    let twin_text = std::fs::read_to_string(&twin_path).expect("twin");
    assert!(twin_text.starts_with("openapi: 3.1.0"), "the twin is a 3.1 document");
    // Both under one label: the label is written into file headers.
    let v30 = codegen::generate(&spec, "spec/openapi.yaml", None).unwrap_or_else(|d| panic!("{d}"));
    let v31 = codegen::generate(&twin_path, "spec/openapi.yaml", None).unwrap_or_else(|d| panic!("{d}"));
    assert!(v31.warnings.is_empty(), "{:?}", v31.warnings);
    let json = |api: &Api| serde_json::to_string_pretty(api).expect("IR serializes");
    pretty_assertions::assert_str_eq!(json(&v30.api), json(&v31.api));
    assert_eq!(v30.files.len(), v31.files.len());
    for (a, b) in v30.files.iter().zip(&v31.files) {
        pretty_assertions::assert_str_eq!(a.text, b.text, "{}", a.path);
    }
    let report = codegen::diff::compare(&v30.api, &v31.api);
    assert!(report.changes.is_empty() && report.verdict.is_none(), "{}", report.markdown("0.2.0"));
}

#[test]
fn query_objects_of_one_shape_share_one_type() {
    use codegen::ir::{Scalar, TypeRef};
    let api = lower_file(&root().join("spec/openapi.yaml"), "spec/openapi.yaml");
    let mut page_types = std::collections::BTreeSet::new();
    for op in api.resources.iter().flat_map(|r| &r.operations) {
        for q in op.query.iter().filter(|q| q.wire_name == "page") {
            let QueryNode::Object { type_name, .. } = &q.node else { panic!("{}: page is an object", op.id) };
            page_types.insert(type_name.clone());
        }
    }
    // `#/components/parameters/Page`, used by every listing: one type.
    assert_eq!(page_types.into_iter().collect::<Vec<_>>(), ["PageParams"]);
    let date_ranges: Vec<&str> = api
        .query_types
        .iter()
        .filter(|t| {
            t.fields().iter().all(|f| matches!(&f.node, QueryNode::Leaf { ty: TypeRef::Scalar(Scalar::Date), .. }))
        })
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(date_ranges, ["DateRange"]);
    let range = api.query_types.iter().find(|t| t.name == "DateRange").expect("DateRange");
    assert_eq!(range.used_by.len(), 19, "{:#?}", range.used_by);
}

#[test]
fn generated_crate_is_up_to_date() {
    let generated = codegen::generate(&root().join("spec/openapi.yaml"), "spec/openapi.yaml", None)
        .unwrap_or_else(|d| panic!("{d}"));
    let report = sync(&root().join("generated"), &generated.files, Mode::Check).expect("generated/ is readable");
    assert!(
        report.is_clean(),
        "generated/ is stale: changed {:?}, no longer generated {:?}; run `cargo xtask codegen`",
        report.changed,
        report.removed
    );
}

#[test]
fn generation_is_deterministic() {
    let spec = root().join("spec/openapi.yaml");
    let a = codegen::generate(&spec, "spec/openapi.yaml", None).unwrap_or_else(|d| panic!("{d}"));
    let b = codegen::generate(&spec, "spec/openapi.yaml", None).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(a.files, b.files);
    // Types are listed by name, resources in spec order.
    let names: Vec<&str> = a.api.types.iter().map(|t| t.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
    let modules: Vec<&str> = a.api.resources.iter().map(|r| r.module.as_str()).collect();
    assert_eq!(modules, ["rooms", "room_sessions", "room_participants", "room_recordings", "room_compositions"]);
}

#[test]
fn output_does_not_depend_on_the_number_of_threads() {
    let spec = root().join("spec/openapi.yaml");
    let generated = codegen::generate(&spec, "spec/openapi.yaml", None).unwrap_or_else(|d| panic!("{d}"));
    let config = codegen::emit::CrateConfig::resolve(&generated.api, "spec/openapi.yaml", None);
    let sequential: Vec<_> = codegen::emit::emit(&generated.api, &config)
        .expect("emits")
        .into_iter()
        .map(|f| codegen::format::format_file(f, "spec/openapi.yaml").unwrap())
        .collect();
    assert!(sequential.len() > 15, "every file is there: {}", sequential.len());
    for threads in [1, 2, 3, 64] {
        let files = codegen::emit_and_format(&generated.api, &config, threads).unwrap();
        assert_eq!(files, sequential, "{threads} threads");
    }
    assert_eq!(generated.files, sequential);
}

#[test]
fn a_failing_spec_leaves_the_output_untouched_and_user_files_survive() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec_text = std::fs::read_to_string(root().join("spec/openapi.yaml")).expect("spec");
    let good = codegen::generate_str("spec/openapi.yaml", &spec_text, None).unwrap_or_else(|d| panic!("{d}"));
    sync(dir.path(), &good.files, Mode::Write).expect("first write");
    std::fs::create_dir_all(dir.path().join("examples")).expect("mkdir");
    std::fs::write(dir.path().join("examples/mine.rs"), "fn main() {}\n").expect("user file");
    let before = snapshot(dir.path());

    // A reference to a schema that does not exist: lowering fails, nothing is written.
    let broken = spec_text.replacen("#/components/schemas/Room'", "#/components/schemas/Rooom'", 1);
    assert_ne!(broken, spec_text, "the corruption applied");
    let err = codegen::generate_str("spec/openapi.yaml", &broken, None).expect_err("the broken spec fails");
    assert!(err.to_string().contains("unresolved reference `#/components/schemas/Rooom`"), "{err}");
    assert_eq!(snapshot(dir.path()), before);

    // Regenerating a smaller crate removes generated files but never the user's.
    let mut fewer = good.files.clone();
    fewer.retain(|f| f.path != "src/spec_examples.rs");
    let report = sync(dir.path(), &fewer, Mode::Write).expect("second write");
    assert_eq!(report.removed, ["src/spec_examples.rs"]);
    assert!(dir.path().join("examples/mine.rs").exists());
}

#[test]
fn runtime_files_are_owned_by_their_header_without_a_manifest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec_text = std::fs::read_to_string(root().join("spec/openapi.yaml")).expect("spec");
    let good = codegen::generate_str("spec/openapi.yaml", &spec_text, None).unwrap_or_else(|d| panic!("{d}"));
    sync(dir.path(), &good.files, Mode::Write).expect("first write");
    let client = good.files.iter().find(|f| f.path == "src/client.rs").expect("the runtime's client.rs");
    assert!(client.text.starts_with(&codegen::format::runtime_header("client.rs")), "{}", client.text);

    // Without the manifest, only headers say which files are the generator's: a runtime file
    // edited below its header, and one still carrying the header runtime files had before
    // they named their source, are both replaced; a stale one is removed.
    std::fs::remove_file(dir.path().join(codegen::write::MANIFEST)).expect("manifest");
    let edited = client.text.replace("pub struct Client", "pub struct ClientEditedByHand");
    std::fs::write(dir.path().join("src/client.rs"), edited).expect("edit");
    let old_header = codegen::format::header("//", "spec/openapi.yaml");
    std::fs::write(dir.path().join("src/error.rs"), format!("{old_header}\n// old\n")).expect("old header");
    let mut fewer = good.files.clone();
    fewer.retain(|f| f.path != "src/retry.rs");
    let report = sync(dir.path(), &fewer, Mode::Write).expect("second write");
    assert_eq!(report.changed, ["src/client.rs", "src/error.rs", ".codegen-manifest"]);
    assert_eq!(report.removed, ["src/retry.rs"]);
    assert_eq!(std::fs::read_to_string(dir.path().join("src/client.rs")).expect("read"), client.text);
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).expect("read")));
            }
        }
    }
    out.sort();
    out
}
