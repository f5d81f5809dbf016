//! `cargo xtask test`: every check and test CI runs, in order, stopping at the first failure.

use std::path::Path;
use std::process::ExitCode;

use crate::{msrv, package, project_root, semver, vendor};

/// Parses the command's flags (it has none) and runs it.
pub fn cmd(parser: &mut lexopt::Parser) -> Result<ExitCode, String> {
    if let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        return Err(arg.unexpected().to_string());
    }
    test_cmd()
}

/// One step of `cargo xtask test`: a program, its arguments and extra environment, or a
/// check done here.
struct Step {
    what: &'static str,
    program: String,
    args: Vec<String>,
    env: Vec<(&'static str, &'static str)>,
    check: Option<Check>,
}

/// A check `cargo xtask test` does itself: given the repository root and cargo's path.
type Check = fn(&Path, &str) -> Result<(), String>;

fn step(what: &'static str, program: &str, args: &[&str]) -> Step {
    let args = args.iter().map(|a| a.to_string()).collect();
    Step { what, program: program.to_string(), args, env: Vec::new(), check: None }
}

fn check(what: &'static str, f: Check) -> Step {
    Step { check: Some(f), ..step(what, "", &[]) }
}

/// Every check CI runs, in order, stopping at the first failure.
fn test_cmd() -> Result<ExitCode, String> {
    let root = project_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let steps = steps(&root, &cargo)?;
    let total = std::time::Instant::now();
    for s in &steps {
        let started = std::time::Instant::now();
        if let Some(f) = s.check {
            eprintln!("\n==> {}", s.what);
            if let Err(e) = f(&root, &cargo) {
                eprintln!("\nFAILED: {}: {e}", s.what);
                return Ok(ExitCode::FAILURE);
            }
            eprintln!("<== {} ok in {:.1}s", s.what, started.elapsed().as_secs_f64());
            continue;
        }
        eprintln!("\n==> {}: {} {}", s.what, s.program, s.args.join(" "));
        let status = std::process::Command::new(&s.program)
            .args(&s.args)
            .envs(s.env.iter().copied())
            .current_dir(&root)
            .status()
            .map_err(|e| format!("cannot run `{}`: {e}", s.program))?;
        if !status.success() {
            eprintln!("\nFAILED: {} ({status})", s.what);
            return Ok(ExitCode::FAILURE);
        }
        eprintln!("<== {} ok in {:.1}s", s.what, started.elapsed().as_secs_f64());
    }
    eprintln!("\nall {} steps passed in {:.1}s", steps.len(), total.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

/// The steps of `cargo xtask test`, in order; `cargo` is cargo's path.
fn steps(root: &Path, cargo: &str) -> Result<Vec<Step>, String> {
    let npm_env = vec![("REDOCLY_TELEMETRY", "off"), ("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")];
    Ok(vec![
        Step {
            env: npm_env.clone(),
            ..step("install the spec linter (npm ci)", "npm", &["ci", "--no-audit", "--no-fund"])
        },
        Step {
            env: npm_env,
            ..step(
                "lint the spec (Redocly, recommended-strict)",
                "npx",
                &[
                    "--no-install",
                    "redocly",
                    "lint",
                    "spec/openapi.yaml",
                    "codegen/tests/fixtures/telnyx-flat.yaml",
                    "codegen/tests/fixtures/v31/openapi.yaml",
                ],
            )
        },
        step("generated/ matches the spec", cargo, &["xtask", "codegen", "--check", "--deny-warnings"]),
        step("rustfmt", cargo, &["fmt", "-p", "codegen", "-p", "xtask", "-p", "e2e", "--check"]),
        // The runtime sources are copied into generated crates, not compiled here.
        Step { args: runtime_rustfmt_args(root)?, ..step("rustfmt of the runtime sources", "rustfmt", &[]) },
        step("clippy", cargo, &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
        step(
            "clippy of the generated crate without default features (no TLS, no tracing)",
            cargo,
            &["clippy", "-p", "telnyx-video", "--no-default-features", "--", "-D", "warnings"],
        ),
        step(
            "clippy of the generated crate with the opt-in http2 feature",
            cargo,
            &["clippy", "-p", "telnyx-video", "--features", "http2", "--", "-D", "warnings"],
        ),
        Step {
            env: vec![("RUSTDOCFLAGS", "-D warnings")],
            ..step("rustdoc of the generated crate", cargo, &["doc", "-p", "telnyx-video", "--no-deps"])
        },
        step("tests", cargo, &["test", "--workspace"]),
        check(
            "the full Telnyx API (../shared/real-specs) generates with --skip-unsupported; clippy with every resource feature, cargo check with none and with one",
            vendor::check,
        ),
        check("MSRV: no dependency needs a newer Rust than the generated crate declares", msrv::check),
        check("the generated crate's package holds what users need and nothing else", package::check),
        step(
            "cargo publish --dry-run of the generated crate (packages it and builds the package)",
            cargo,
            &["publish", "--dry-run", "-p", "telnyx-video", "--allow-dirty"],
        ),
        check("cargo-semver-checks is installed", semver::installed),
        step(
            "diff verdicts agree with cargo-semver-checks on every change case",
            cargo,
            &["test", "-p", "codegen", "--test", "diff", "--", "--ignored"],
        ),
        step("build the generated crate's examples", cargo, &["build", "-p", "telnyx-video", "--examples"]),
        step("client benchmarks, each run once (criterion's test mode)", cargo, &["test", "-p", "e2e", "--benches"]),
        step(
            "benchmark smoke run: the generator sections of `cargo xtask bench`, briefly (numbers not checked)",
            cargo,
            &["xtask", "bench", "--quick", "--skip-compile", "--skip-client", "--skip-progenitor", "--scale", "1,2"],
        ),
        step(
            "contract tests and examples against Stoplight Prism (from npm ci)",
            cargo,
            &["test", "-p", "e2e", "--test", "contract", "--", "--ignored"],
        ),
        step(
            "contract tests of the operation kinds spec/openapi.yaml lacks, against Prism mocking their fixtures",
            cargo,
            &["test", "-p", "e2e", "--test", "contract_kinds", "--", "--ignored"],
        ),
    ])
}

/// The hand-written runtime, relative to the repository root.
const RUNTIME_DIR: &str = "codegen/runtime";

/// rustfmt's arguments for the runtime sources: every `.rs` file in [`RUNTIME_DIR`], sorted,
/// found by listing the directory, so a new runtime file is checked without editing this.
fn runtime_rustfmt_args(root: &Path) -> Result<Vec<String>, String> {
    let dir = root.join(RUNTIME_DIR);
    let error = |e: std::io::Error| format!("cannot list {}: {e}", dir.display());
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).map_err(error)? {
        let path = entry.map_err(error)?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "rs") {
            let name = path.file_name().and_then(|n| n.to_str()).ok_or(format!("{}: not UTF-8", path.display()))?;
            files.push(format!("{RUNTIME_DIR}/{name}"));
        }
    }
    if files.is_empty() {
        return Err(format!("no .rs file in {}", dir.display()));
    }
    files.sort();
    Ok(["--check", "--edition", "2021"].into_iter().map(String::from).chain(files).collect())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    /// The `.rs` files the runtime rustfmt step of `cargo xtask test` checks.
    fn checked_by_the_step(root: &Path) -> BTreeSet<String> {
        let steps = steps(root, "cargo").expect("the step list");
        let rustfmt: Vec<&Step> = steps.iter().filter(|s| s.program == "rustfmt").collect();
        assert_eq!(rustfmt.len(), 1, "one rustfmt step for the runtime sources");
        rustfmt[0].args.iter().filter(|a| a.ends_with(".rs")).cloned().collect()
    }

    #[test]
    fn the_rustfmt_step_checks_every_runtime_source() {
        let root = crate::project_root();
        let checked = checked_by_the_step(&root);
        let listed: BTreeSet<String> = std::fs::read_dir(root.join(RUNTIME_DIR))
            .expect("codegen/runtime")
            .map(|e| e.expect("entry").file_name().into_string().expect("UTF-8"))
            .filter(|name| name.ends_with(".rs"))
            .map(|name| format!("codegen/runtime/{name}"))
            .collect();
        assert!(listed.len() >= 5, "the runtime sources are there: {listed:?}");
        assert_eq!(checked, listed, "rustfmt checks exactly the .rs files of codegen/runtime/");
        // Every file shipped into generated crates among them.
        for file in codegen::runtime_api::RUNTIME_FILES {
            assert!(checked.contains(&format!("codegen/runtime/{}", file.name)), "{} is not checked", file.name);
        }
    }

    #[test]
    fn a_new_runtime_file_is_checked_without_editing_the_step() {
        let root = tempfile::tempdir().expect("temp dir");
        let dir = root.path().join(RUNTIME_DIR);
        std::fs::create_dir_all(dir.join("nested.rs")).expect("mkdir");
        for file in ["zeta.rs", "alpha.rs", "notes.md"] {
            std::fs::write(dir.join(file), "").expect("write");
        }
        assert_eq!(
            runtime_rustfmt_args(root.path()).expect("args"),
            ["--check", "--edition", "2021", "codegen/runtime/alpha.rs", "codegen/runtime/zeta.rs"]
        );
        std::fs::remove_file(dir.join("alpha.rs")).expect("rm");
        std::fs::remove_file(dir.join("zeta.rs")).expect("rm");
        assert!(runtime_rustfmt_args(root.path()).is_err(), "no runtime source is an error, not an empty check");
    }
}
