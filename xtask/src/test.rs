//! `cargo xtask test`: every check and test CI runs, in order, stopping at the first failure.

use std::path::Path;
use std::process::ExitCode;

use crate::{msrv, package, project_root, semver};

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
    args: Vec<&'static str>,
    env: Vec<(&'static str, &'static str)>,
    check: Option<Check>,
}

/// A check `cargo xtask test` does itself: given the repository root and cargo's path.
type Check = fn(&Path, &str) -> Result<(), String>;

fn step(what: &'static str, program: &str, args: &[&'static str]) -> Step {
    Step { what, program: program.to_string(), args: args.to_vec(), env: Vec::new(), check: None }
}

fn check(what: &'static str, f: Check) -> Step {
    Step { check: Some(f), ..step(what, "", &[]) }
}

/// Every check CI runs, in order, stopping at the first failure.
fn test_cmd() -> Result<ExitCode, String> {
    let root = project_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let npm_env = vec![("REDOCLY_TELEMETRY", "off"), ("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")];
    let steps = vec![
        Step {
            env: npm_env.clone(),
            ..step("install the spec linter (npm ci)", "npm", &["ci", "--no-audit", "--no-fund"])
        },
        Step {
            env: npm_env,
            ..step(
                "lint the spec (Redocly, recommended-strict)",
                "npx",
                &["--no-install", "redocly", "lint", "spec/openapi.yaml", "codegen/tests/fixtures/telnyx-flat.yaml"],
            )
        },
        step("generated/ matches the spec", &cargo, &["xtask", "codegen", "--check", "--deny-warnings"]),
        step("rustfmt", &cargo, &["fmt", "-p", "codegen", "-p", "xtask", "-p", "e2e", "--check"]),
        // The runtime sources are copied into generated crates, not compiled here.
        step(
            "rustfmt of the runtime sources",
            "rustfmt",
            &[
                "--check",
                "--edition",
                "2021",
                "codegen/runtime/client.rs",
                "codegen/runtime/error.rs",
                "codegen/runtime/runtime.rs",
            ],
        ),
        step("clippy", &cargo, &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
        step(
            "clippy of the generated crate without default features (no TLS, no tracing)",
            &cargo,
            &["clippy", "-p", "telnyx-video", "--no-default-features", "--", "-D", "warnings"],
        ),
        step(
            "clippy of the generated crate with the opt-in http2 feature",
            &cargo,
            &["clippy", "-p", "telnyx-video", "--features", "http2", "--", "-D", "warnings"],
        ),
        Step {
            env: vec![("RUSTDOCFLAGS", "-D warnings")],
            ..step("rustdoc of the generated crate", &cargo, &["doc", "-p", "telnyx-video", "--no-deps"])
        },
        step("tests", &cargo, &["test", "--workspace"]),
        check("MSRV: no dependency needs a newer Rust than the generated crate declares", msrv::check),
        check("the generated crate's package holds what users need and nothing else", package::check),
        step(
            "cargo publish --dry-run of the generated crate (packages it and builds the package)",
            &cargo,
            &["publish", "--dry-run", "-p", "telnyx-video", "--allow-dirty"],
        ),
        check("cargo-semver-checks is installed", semver::installed),
        step(
            "diff verdicts agree with cargo-semver-checks on every change case",
            &cargo,
            &["test", "-p", "codegen", "--test", "diff", "--", "--ignored"],
        ),
        step("build the generated crate's examples", &cargo, &["build", "-p", "telnyx-video", "--examples"]),
        step("client benchmarks, each run once (criterion's test mode)", &cargo, &["test", "-p", "e2e", "--benches"]),
        step(
            "benchmark smoke run: the generator sections of `cargo xtask bench`, briefly (numbers not checked)",
            &cargo,
            &["xtask", "bench", "--quick", "--skip-compile", "--skip-client", "--skip-progenitor", "--scale", "1,2"],
        ),
        step(
            "contract tests and examples against Stoplight Prism (from npm ci)",
            &cargo,
            &["test", "-p", "e2e", "--test", "contract", "--", "--ignored"],
        ),
    ];
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
