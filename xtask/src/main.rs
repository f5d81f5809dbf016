//! Maintenance commands for this repository. Run `cargo xtask help`.
//!
//! This binary only parses arguments and prints; the work is in the `codegen` library,
//! which the tests call directly.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::write::{Mode, sync};

const HELP: &str = "\
cargo xtask <command>

Commands:
  codegen            Regenerate generated/ from spec/openapi.yaml
    --check          Write nothing; fail naming every stale file
    --spec PATH      Generate from another OpenAPI 3.0 document (needs --out)
    --out DIR        Write the crate to DIR
    --crate-name N   Package name (default: info.x-rust-crate.name, else from info.title)
    --deny-warnings  Treat spec warnings as errors
  test               Run every check and test, as CI does: install the Node tools
                     (npm ci), lint the spec, check generated/ is fresh, rustfmt,
                     clippy, rustdoc, the whole test suite, and the contract tests
                     against Prism
  help               Show this text
";

/// The spec and the crate generated from it (whose name and description are in the spec's
/// `info.x-rust-crate`).
const SPEC: &str = "spec/openapi.yaml";
const OUT: &str = "generated";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn project_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

fn run() -> Result<ExitCode, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let command = match parser.next().map_err(|e| e.to_string())? {
        Some(Value(v)) => v.string().map_err(|e| e.to_string())?,
        Some(Long("help") | Short('h')) | None => {
            print!("{HELP}");
            return Ok(ExitCode::SUCCESS);
        }
        Some(other) => return Err(other.unexpected().to_string()),
    };
    match command.as_str() {
        "codegen" => {
            let mut opts = CodegenOpts::default();
            while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
                match arg {
                    Long("check") => opts.check = true,
                    Long("deny-warnings") => opts.deny_warnings = true,
                    Long("spec") => opts.spec = Some(parser.value().map_err(|e| e.to_string())?.into()),
                    Long("out") => opts.out = Some(parser.value().map_err(|e| e.to_string())?.into()),
                    Long("crate-name") => {
                        opts.crate_name =
                            Some(parser.value().map_err(|e| e.to_string())?.string().map_err(|e| e.to_string())?)
                    }
                    other => return Err(other.unexpected().to_string()),
                }
            }
            codegen_cmd(opts)
        }
        "test" => {
            if let Some(arg) = parser.next().map_err(|e| e.to_string())? {
                return Err(arg.unexpected().to_string());
            }
            test_cmd()
        }
        "help" => {
            print!("{HELP}");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown command `{other}`\n\n{HELP}")),
    }
}

#[derive(Default)]
struct CodegenOpts {
    check: bool,
    deny_warnings: bool,
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    crate_name: Option<String>,
}

fn codegen_cmd(opts: CodegenOpts) -> Result<ExitCode, String> {
    let root = project_root();
    let (spec_path, spec_label, out) = match &opts.spec {
        None => {
            if opts.out.is_some() {
                return Err("--out goes with --spec".into());
            }
            (root.join(SPEC), SPEC.to_string(), root.join(OUT))
        }
        Some(spec) => {
            let out = opts.out.clone().ok_or("--spec needs --out DIR")?;
            (spec.clone(), spec.display().to_string(), out)
        }
    };
    // The text the diagnostics point into, for the underlined source lines.
    let source = std::fs::read_to_string(&spec_path).ok();
    let color = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let render = |d: &[codegen::diag::Diagnostic]| codegen::diag::render(d, source.as_deref(), color);
    let generated = match codegen::generate(&spec_path, &spec_label, opts.crate_name.as_deref()) {
        Ok(g) => g,
        Err(diagnostics) => {
            eprintln!("{}", render(&diagnostics.0));
            eprintln!("\ncodegen failed: {} problem(s); {} was left unchanged", diagnostics.0.len(), out.display());
            return Ok(ExitCode::FAILURE);
        }
    };
    if !generated.warnings.is_empty() {
        eprintln!("{}\n", render(&generated.warnings));
    }
    if opts.deny_warnings && !generated.warnings.is_empty() {
        eprintln!(
            "\ncodegen failed: {} warning(s) with --deny-warnings; {} was left unchanged",
            generated.warnings.len(),
            out.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    let mode = if opts.check { Mode::Check } else { Mode::Write };
    let report = sync(&out, &generated.files, mode).map_err(|e| e.to_string())?;
    let shown = |p: &str| out.join(p).display().to_string();
    if opts.check {
        if report.is_clean() {
            println!("{} is up to date ({} files)", out.display(), report.unchanged);
            return Ok(ExitCode::SUCCESS);
        }
        for p in &report.changed {
            eprintln!("stale: {}", shown(p));
        }
        for p in &report.removed {
            eprintln!("no longer generated: {}", shown(p));
        }
        eprintln!(
            "\n{} is out of date with {}; run `cargo xtask codegen` and commit the result",
            out.display(),
            spec_label
        );
        return Ok(ExitCode::FAILURE);
    }
    for p in &report.changed {
        println!("wrote {}", shown(p));
    }
    for p in &report.removed {
        println!("removed {}", shown(p));
    }
    println!(
        "{}: {} changed, {} removed, {} unchanged",
        out.display(),
        report.changed.len(),
        report.removed.len(),
        report.unchanged
    );
    Ok(ExitCode::SUCCESS)
}

/// One step of `cargo xtask test`: a program, its arguments and extra environment.
struct Step {
    what: &'static str,
    program: String,
    args: Vec<&'static str>,
    env: Vec<(&'static str, &'static str)>,
}

fn step(what: &'static str, program: &str, args: &[&'static str]) -> Step {
    Step { what, program: program.to_string(), args: args.to_vec(), env: Vec::new() }
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
        Step {
            env: vec![("RUSTDOCFLAGS", "-D warnings")],
            ..step("rustdoc of the generated crate", &cargo, &["doc", "-p", "telnyx-video", "--no-deps"])
        },
        step("tests", &cargo, &["test", "--workspace"]),
        step(
            "contract tests against Stoplight Prism (from npm ci)",
            &cargo,
            &["test", "-p", "e2e", "--test", "contract", "--", "--ignored"],
        ),
    ];
    let total = std::time::Instant::now();
    for s in &steps {
        eprintln!("\n==> {}: {} {}", s.what, s.program, s.args.join(" "));
        let started = std::time::Instant::now();
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
