//! Contract tests of the operation kinds `spec/openapi.yaml` does not have, against Stoplight
//! Prism: form, multipart, raw and text bodies; binary, text and CSV responses; HTTP basic
//! and API keys in a header, a query parameter and a cookie; lists and unions in query,
//! path and header parameters; path segments that mix text and parameters; responses that
//! differ by status.
//!
//! Each `codegen/tests/fixtures/contract/<fixture>.rs` is the contract test of the feature
//! fixture of the same name: the fixture's crate is generated into a temporary workspace
//! with that file as its integration test, Prism mocks the fixture with `--errors`, and the
//! test runs with `PRISM_URL` set to it. Prism rejects a request that breaks the document
//! (a missing credential, a form field of the wrong type, a query value outside its enum)
//! with an error status, and a response example that breaks it with a 500, so a passing call
//! shows the client sent what the document describes and decoded what it returns.
//!
//! Ignored by default (Prism comes from `npm ci`); `cargo xtask test` runs it, or:
//!
//! ```text
//! cargo test -p e2e --test contract_kinds -- --ignored --nocapture
//! ```

mod common;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::prism::{Prism, repo_root};

/// How long one fixture's test run may take once its crate is built.
const RUN_BUDGET: Duration = Duration::from_secs(120);

#[test]
#[ignore = "needs Prism from `npm ci`; run by `cargo xtask test`"]
fn each_operation_kind_is_accepted_by_prism() {
    let root = repo_root();
    let contracts = root.join("codegen/tests/fixtures/contract");
    let mut tests: Vec<PathBuf> = std::fs::read_dir(&contracts)
        .expect("contract dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    tests.sort();
    assert!(tests.len() >= 4, "contract tests found: {tests:?}");

    let workspace = tempfile::tempdir().expect("temp dir");
    let mut crates = Vec::new();
    for test in &tests {
        let stem = test.file_stem().and_then(|s| s.to_str()).expect("utf-8 name").to_string();
        let spec = format!("codegen/tests/fixtures/features/{stem}.yaml");
        let name = format!("fixture-{}", stem.replace('_', "-"));
        let generated = codegen::generate(&root.join(&spec), &spec, Some(&name))
            .unwrap_or_else(|d| panic!("{spec} (the fixture of {}):\n{d}", test.display()));
        let dir = workspace.path().join(&name);
        codegen::write::sync(&dir, &generated.files, codegen::write::Mode::Write).expect("write crate");
        std::fs::create_dir_all(dir.join("tests")).expect("tests dir");
        std::fs::copy(test, dir.join("tests/contract.rs")).expect("copy the contract test");
        crates.push((name, spec));
    }
    let members: Vec<String> = crates.iter().map(|(name, _)| format!("\"{name}\"")).collect();
    std::fs::write(
        workspace.path().join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")),
    )
    .expect("workspace manifest");
    std::fs::copy(root.join("Cargo.lock"), workspace.path().join("Cargo.lock")).expect("lockfile");

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = root.join("target/fixture-crates");
    let cargo_test = |name: &str, url: Option<&str>| {
        let mut command = Command::new(&cargo);
        command
            .args(["test", "-p", name, "--test", "contract", "--quiet"])
            .current_dir(workspace.path())
            .env("CARGO_TARGET_DIR", &target)
            .stdin(Stdio::null());
        match url {
            Some(url) => command.env("PRISM_URL", url).arg("--").arg("--nocapture"),
            None => command.arg("--no-run"),
        };
        command
    };
    // Build every crate's test first (no server running), then run each against its Prism.
    for (name, _) in &crates {
        let status = cargo_test(name, None).status().expect("cargo runs");
        assert!(status.success(), "building the contract test of {name} failed");
    }
    for (name, spec) in &crates {
        let prism = Prism::start(spec);
        let url = format!("http://127.0.0.1:{}", prism.port);
        let mut child = cargo_test(name, Some(&url)).spawn().expect("cargo runs");
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("poll cargo") {
                break status;
            }
            if started.elapsed() > RUN_BUDGET {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the contract test of {name} took longer than {RUN_BUDGET:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "the contract test of {name} against Prism mocking {spec} failed");
        drop(prism);
    }
}
