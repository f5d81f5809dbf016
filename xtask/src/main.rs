//! Maintenance commands for this repository. Run `cargo xtask help`.
//!
//! This binary only parses arguments and prints; the work is in the `codegen` library,
//! which the tests call directly.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::write::{Mode, sync};

mod bench;

const HELP: &str = "\
cargo xtask <command>

Commands:
  codegen            Regenerate generated/ from spec/openapi.yaml
    --check          Write nothing; fail naming every stale file
    --spec PATH      Generate from another OpenAPI 3.0 document (needs --out)
    --out DIR        Write the crate to DIR
    --crate-name N   Package name (default: info.x-rust-crate.name, else from info.title)
    --deny-warnings  Treat spec warnings as errors
  diff [OLD.yaml NEW.yaml]
                     The API changes between two specs, classified for the generated
                     crate's users, with the version to publish
    --base REV       Compare spec/openapi.yaml at REV (default HEAD) with the working tree
    --head REV       ... or with spec/openapi.yaml at REV (e.g. two release tags)
    --changelog      Also prepend the report to generated/CHANGELOG.md as a section
    --format json    JSON instead of Markdown
    --deny-breaking  Exit non-zero when a change is breaking
  test               Run every check and test, as CI does: install the Node tools
                     (npm ci), lint the spec, check generated/ is fresh, rustfmt,
                     clippy, rustdoc, the whole test suite, and the contract tests
                     against Prism
  bench              Measure and print the performance table (BENCHMARKS.md): generator
                     stages vs. the floor, vs. progenitor (installed when absent),
                     scaling, compile cost of the generated crate, client overhead
    --quick          Short budgets, one run each, no cold builds (a smoke run)
    --skip-compile   Leave out the compile-cost section (the slowest)
    --no-cold        Compile costs without the cold builds
    --skip-client    Leave out the criterion client benches
    --skip-progenitor
                     Leave out everything that needs cargo-progenitor
    --scale N,N,...  Copies of the spec for the scaling curve (default 1,10,100)
  profile            Run one generation under valgrind's callgrind (instructions, not
                     seconds) and print the costliest functions
    --spec PATH      The spec to generate (default spec/openapi.yaml)
    --top N          How many functions to show (default 40)
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
        "diff" => {
            let mut opts = DiffOpts::default();
            while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
                match arg {
                    Long("base") => {
                        opts.base =
                            Some(parser.value().map_err(|e| e.to_string())?.string().map_err(|e| e.to_string())?)
                    }
                    Long("format") => {
                        opts.json =
                            parser.value().map_err(|e| e.to_string())?.string().map_err(|e| e.to_string())? == "json"
                    }
                    Long("deny-breaking") => opts.deny_breaking = true,
                    Long("changelog") => opts.changelog = true,
                    Long("head") => {
                        opts.head =
                            Some(parser.value().map_err(|e| e.to_string())?.string().map_err(|e| e.to_string())?)
                    }
                    Value(v) => opts.files.push(v.into()),
                    other => return Err(other.unexpected().to_string()),
                }
            }
            diff_cmd(opts)
        }
        "test" => {
            if let Some(arg) = parser.next().map_err(|e| e.to_string())? {
                return Err(arg.unexpected().to_string());
            }
            test_cmd()
        }
        "bench" => {
            let args: Vec<String> = std::env::args().skip(1).collect();
            let mut opts = bench::BenchOpts::default();
            while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
                match arg {
                    Long("quick") => opts.quick = true,
                    Long("skip-compile") => opts.skip_compile = true,
                    Long("no-cold") => opts.no_cold = true,
                    Long("skip-client") => opts.skip_client = true,
                    Long("skip-progenitor") => opts.skip_progenitor = true,
                    Long("scale") => {
                        let v = parser.value().map_err(|e| e.to_string())?.string().map_err(|e| e.to_string())?;
                        let copies = v
                            .split(',')
                            .map(|n| n.trim().parse::<usize>().map_err(|e| format!("--scale {v}: {e}")))
                            .collect::<Result<Vec<_>, _>>()?;
                        if copies.is_empty() || copies.contains(&0) {
                            return Err("--scale needs positive numbers".into());
                        }
                        opts.scale = Some(copies);
                    }
                    other => return Err(other.unexpected().to_string()),
                }
            }
            bench::run(&project_root(), &args, opts)
        }
        "profile" => {
            let mut spec = project_root().join(SPEC);
            let mut top = 40;
            while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
                match arg {
                    Long("spec") => spec = parser.value().map_err(|e| e.to_string())?.into(),
                    Long("top") => {
                        top = parser.value().map_err(|e| e.to_string())?.parse().map_err(|e| format!("--top: {e}"))?
                    }
                    other => return Err(other.unexpected().to_string()),
                }
            }
            bench::profile::run(&project_root(), &spec, top)
        }
        // Internal to `bench`: runs a program and prints its wall time and peak RSS.
        "__measure" => {
            let mut rest = std::env::args().skip(2);
            let program = rest.next().ok_or("__measure needs a program")?;
            let args: Vec<String> = rest.collect();
            bench::measure_child(&program, &args).map(|()| ExitCode::SUCCESS)
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

/// The cargo-semver-checks release the cross-check is pinned to.
const SEMVER_CHECKS: &str = "0.51.0";

/// Installs cargo-semver-checks from crates.io when this machine lacks that release.
fn semver_checks_installed(root: &Path, cargo: &str) -> Result<(), String> {
    let have = cargo_output(root, cargo, &["semver-checks", "--version"]).unwrap_or_default();
    if have.contains(SEMVER_CHECKS) {
        eprintln!("{}", have.trim());
        return Ok(());
    }
    eprintln!("installing cargo-semver-checks {SEMVER_CHECKS} (takes several minutes once)");
    let status = std::process::Command::new(cargo)
        .args(["install", "cargo-semver-checks", "--locked", "--version", SEMVER_CHECKS])
        .status()
        .map_err(|e| format!("cannot run cargo install: {e}"))?;
    if status.success() { Ok(()) } else { Err("cargo install cargo-semver-checks failed".into()) }
}

/// Runs cargo and returns its standard output, or its error output as the error.
fn cargo_output(root: &Path, cargo: &str, args: &[&str]) -> Result<String, String> {
    let out = std::process::Command::new(cargo)
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The packaged generated crate holds what users need (manifest, README, licences, sources,
/// examples) and nothing else (no generator manifest, no test fixtures).
fn package_contents(root: &Path, cargo: &str) -> Result<(), String> {
    let list = cargo_output(root, cargo, &["package", "-p", "telnyx-video", "--list", "--allow-dirty"])?;
    let files: Vec<&str> = list.lines().collect();
    let allowed = |f: &str| {
        matches!(
            f,
            "Cargo.toml"
                | "Cargo.toml.orig"
                | "Cargo.lock"
                | ".cargo_vcs_info.json"
                | "README.md"
                | "CHANGELOG.md"
                | "LICENSE-MIT"
                | "LICENSE-APACHE"
        ) || f.starts_with("src/") && f.ends_with(".rs")
            || f.starts_with("examples/") && f.ends_with(".rs")
    };
    let unexpected: Vec<&&str> = files.iter().filter(|f| !allowed(f)).collect();
    if !unexpected.is_empty() {
        return Err(format!("the package holds files it should not: {unexpected:?}"));
    }
    for needed in ["Cargo.toml", "README.md", "LICENSE-MIT", "LICENSE-APACHE", "src/lib.rs", "examples/errors.rs"] {
        if !files.contains(&needed) {
            return Err(format!("the package lacks {needed}"));
        }
    }
    eprintln!("{} files: {}", files.len(), files.join(" "));
    Ok(())
}

/// No crate the generated crate depends on (as resolved in Cargo.lock) needs a newer Rust
/// than the crate's `rust-version`. Together with clippy's `incompatible_msrv` lint (which
/// reads `rust-version` and flags newer standard-library APIs in the crate's own code), this
/// checks the MSRV without installing that toolchain, which this machine cannot fetch.
fn msrv(root: &Path, cargo: &str) -> Result<(), String> {
    let text = cargo_output(root, cargo, &["metadata", "--format-version", "1", "--locked"])?;
    let meta: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let packages = meta["packages"].as_array().ok_or("no packages in cargo metadata")?;
    let key = |v: &str| v.split('.').map(|p| p.parse::<u64>().unwrap_or(0)).collect::<Vec<_>>();
    let by_id = |id: &str| packages.iter().find(|p| p["id"] == id);
    let root_pkg = packages.iter().find(|p| p["name"] == "telnyx-video").ok_or("telnyx-video not found")?;
    let declared = root_pkg["rust_version"].as_str().ok_or("telnyx-video declares no rust-version")?;
    let nodes = meta["resolve"]["nodes"].as_array().ok_or("no resolve graph")?;
    let mut stack = vec![root_pkg["id"].as_str().unwrap_or_default().to_string()];
    let mut seen = std::collections::BTreeSet::new();
    let mut too_new = Vec::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        if let Some(v) = by_id(&id).and_then(|p| p["rust_version"].as_str())
            && key(v) > key(declared)
        {
            too_new.push(format!("{} needs {v}", by_id(&id).map(|p| p["name"].to_string()).unwrap_or_default()));
        }
        let node = nodes.iter().find(|n| n["id"] == id.as_str());
        for dep in node.and_then(|n| n["deps"].as_array()).into_iter().flatten() {
            let normal = dep["dep_kinds"].as_array().into_iter().flatten().any(|k| k["kind"].is_null());
            if normal && let Some(pkg) = dep["pkg"].as_str() {
                stack.push(pkg.to_string());
            }
        }
    }
    if !too_new.is_empty() {
        return Err(format!("telnyx-video declares rust-version {declared}, but {}", too_new.join(", ")));
    }
    eprintln!("rust-version {declared} covers all {} crates of the dependency tree", seen.len());
    Ok(())
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
        check("MSRV: no dependency needs a newer Rust than the generated crate declares", msrv),
        check("the generated crate's package holds what users need and nothing else", package_contents),
        step(
            "cargo publish --dry-run of the generated crate (packages it and builds the package)",
            &cargo,
            &["publish", "--dry-run", "-p", "telnyx-video", "--allow-dirty"],
        ),
        check("cargo-semver-checks is installed", semver_checks_installed),
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

#[derive(Default)]
struct DiffOpts {
    base: Option<String>,
    files: Vec<PathBuf>,
    json: bool,
    deny_breaking: bool,
    changelog: bool,
    head: Option<String>,
}

/// spec/openapi.yaml as it was at a git revision.
fn spec_at(root: &Path, rev: &str) -> Result<String, String> {
    let out = std::process::Command::new("git")
        .args(["show", &format!("{rev}:{SPEC}")])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!("git show {rev}:{SPEC}: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Loads and lowers a spec, printing its diagnostics on failure.
fn lower_text(label: &str, text: &str) -> Result<codegen::ir::Api, String> {
    let spec = codegen::load::load_str(label, text).map_err(|d| codegen::diag::render(&d.0, Some(text), false))?;
    let lowered = codegen::lower::lower(&spec).map_err(|d| codegen::diag::render(&d.0, Some(text), false))?;
    Ok(lowered.api)
}

fn diff_cmd(opts: DiffOpts) -> Result<ExitCode, String> {
    let root = project_root();
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
    let ((old_label, old_text), (new_label, new_text)) = match opts.files.as_slice() {
        [old, new] => ((old.display().to_string(), read(old)?), (new.display().to_string(), read(new)?)),
        [] => {
            let rev = opts.base.clone().unwrap_or_else(|| "HEAD".to_string());
            let old = (format!("{SPEC}@{rev}"), spec_at(&root, &rev)?);
            let new = match &opts.head {
                Some(head) => (format!("{SPEC}@{head}"), spec_at(&root, head)?),
                None => (SPEC.to_string(), read(&root.join(SPEC))?),
            };
            (old, new)
        }
        _ => return Err("give two spec files, or none to compare spec/ with a git revision".into()),
    };
    let old = lower_text(&old_label, &old_text)?;
    let new = lower_text(&new_label, &new_text)?;
    let report = codegen::diff::compare(&old, &new);
    let version = old.rust_crate.version.clone().unwrap_or_else(|| "0.1.0".to_string());
    if opts.json {
        let mut value = serde_json::to_value(&report).map_err(|e| e.to_string())?;
        value["current_version"] = serde_json::Value::String(version.clone());
        value["next_version"] = serde_json::Value::String(report.next_version(&version));
        println!("{}", serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?);
    } else {
        print!("{}", report.markdown(&version));
    }
    if opts.changelog {
        // CHANGELOG.md is the maintainers' file (no generator header): sections are prepended
        // under its title, and the generator never rewrites or removes it.
        let path = root.join(OUT).join("CHANGELOG.md");
        let existing = std::fs::read_to_string(&path).unwrap_or_default();
        let body = existing.strip_prefix("# Changelog\n").unwrap_or(&existing).trim_start();
        let changes = report.markdown(&version).replacen("## API changes\n", "", 1);
        let section =
            format!("## {} (API version {})\n{}", report.next_version(&version), new.version, changes.trim_end());
        let text = format!("# Changelog\n\n{section}\n\n{body}");
        std::fs::write(&path, text.trim_end().to_string() + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("prepended a section to {}", path.display());
    }
    let breaking = report.verdict == Some(codegen::diff::Impact::Breaking);
    Ok(if opts.deny_breaking && breaking { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
