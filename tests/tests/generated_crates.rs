//! Every feature fixture (and the flat spelling of our spec) generates a crate that
//! compiles, passes `clippy -D warnings` and passes its own spec-example tests: the
//! generator works on documents it was not written around, not only on `spec/`. A fixture
//! with a file of the same name in `codegen/tests/fixtures/behaviour/` also gets that file as
//! an integration test of its crate (requests built, bodies decoded). A crate with resource
//! features is built with none (the default) and again with `full`.
//!
//! The crates are written to a temporary workspace and built with cargo into
//! `target/fixture-crates` (kept between runs so dependencies build once), using this
//! repository's `Cargo.lock` so no resolution is needed.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn every_fixture_generates_a_crate_that_builds_lints_clean_and_passes_its_tests() {
    let features = root().join("codegen/tests/fixtures/features");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&features)
        .expect("fixtures dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    specs.push(root().join("codegen/tests/fixtures/telnyx-flat.yaml"));
    assert!(specs.len() >= 10, "fixtures found: {specs:?}");

    let workspace = tempfile::tempdir().expect("temp dir");
    let mut members = Vec::new();
    let mut behaviours = 0;
    // Crates with resource features: built a second time with every resource (`full`).
    let mut featured = Vec::new();
    for spec in &specs {
        let stem = spec.file_stem().and_then(|s| s.to_str()).expect("utf-8 name").replace('_', "-");
        let name = format!("fixture-{stem}");
        let generated = codegen::generate(spec, &spec.display().to_string(), Some(&name))
            .unwrap_or_else(|d| panic!("{}:\n{d}", spec.display()));
        let dir = workspace.path().join(&name);
        codegen::write::sync(&dir, &generated.files, codegen::write::Mode::Write).expect("write crate");
        // Tests of the crate's behaviour written for this fixture, run as its integration tests.
        let behaviour = root().join("codegen/tests/fixtures/behaviour").join(format!("{}.rs", stem.replace('-', "_")));
        if behaviour.exists() {
            std::fs::create_dir_all(dir.join("tests")).expect("tests dir");
            std::fs::copy(&behaviour, dir.join("tests/behaviour.rs")).expect("copy behaviour tests");
            behaviours += 1;
        }
        if !generated.api.features.is_empty() {
            featured.push(name.clone());
        }
        members.push(format!("\"{name}\""));
    }
    assert!(behaviours >= 3, "behaviour tests found: {behaviours}");
    std::fs::write(
        workspace.path().join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")),
    )
    .expect("workspace manifest");
    std::fs::copy(root().join("Cargo.lock"), workspace.path().join("Cargo.lock")).expect("lockfile");

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = root().join("target/fixture-crates");
    let run = |args: &[&str]| {
        let output = Command::new(&cargo)
            .args(args)
            .current_dir(workspace.path())
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTFLAGS", "-D warnings")
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "`cargo {}` failed on the generated fixture crates:\n{}\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    };
    run(&["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"]);
    run(&["test", "--workspace", "--quiet"]);
    assert!(!featured.is_empty(), "no fixture has resource features");
    for name in &featured {
        let full = format!("{name}/full");
        run(&["clippy", "-p", name, "--features", &full, "--all-targets", "--quiet", "--", "-D", "warnings"]);
        run(&["test", "-p", name, "--features", &full, "--quiet"]);
    }
}
