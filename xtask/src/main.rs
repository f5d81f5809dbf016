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
                        opts.crate_name = Some(parser.value().map_err(|e| e.to_string())?.string().map_err(|e| e.to_string())?)
                    }
                    other => return Err(other.unexpected().to_string()),
                }
            }
            codegen_cmd(opts)
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
    let generated = match codegen::generate(&spec_path, &spec_label, opts.crate_name.as_deref()) {
        Ok(g) => g,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            eprintln!("\ncodegen failed: {} problem(s); {} was left unchanged", diagnostics.0.len(), out.display());
            return Ok(ExitCode::FAILURE);
        }
    };
    for w in &generated.warnings {
        eprintln!("{w}");
    }
    if opts.deny_warnings && !generated.warnings.is_empty() {
        eprintln!("\ncodegen failed: {} warning(s) with --deny-warnings; {} was left unchanged", generated.warnings.len(), out.display());
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
        eprintln!("\n{} is out of date with {}; run `cargo xtask codegen` and commit the result", out.display(), spec_label);
        return Ok(ExitCode::FAILURE);
    }
    for p in &report.changed {
        println!("wrote {}", shown(p));
    }
    for p in &report.removed {
        println!("removed {}", shown(p));
    }
    println!("{}: {} changed, {} removed, {} unchanged", out.display(), report.changed.len(), report.removed.len(), report.unchanged);
    Ok(ExitCode::SUCCESS)
}
