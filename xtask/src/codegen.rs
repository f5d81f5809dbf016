//! `cargo xtask codegen`: regenerates `generated/` from the spec (or checks it is fresh), or
//! writes a crate for another spec.

use std::path::PathBuf;
use std::process::ExitCode;

use ::codegen::write::{Mode, sync};

use crate::{OUT, SPEC, project_root};

/// Parses the command's flags and runs it.
pub fn cmd(parser: &mut lexopt::Parser) -> Result<ExitCode, String> {
    use lexopt::prelude::*;
    let mut opts = CodegenOpts::default();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("check") => opts.check = true,
            Long("deny-warnings") => opts.deny_warnings = true,
            Long("skip-unsupported") => opts.skip_unsupported = true,
            Long("spec") => opts.spec = Some(parser.value().map_err(|e| e.to_string())?.into()),
            Long("out") => opts.out = Some(parser.value().map_err(|e| e.to_string())?.into()),
            Long("crate-name") => {
                let name = parser.value().map_err(|e| e.to_string())?.string().map_err(|e| e.to_string())?;
                if let Some(problem) = ::codegen::names::package_name_problem(&name) {
                    return Err(format!("--crate-name: the crate name {problem}"));
                }
                opts.crate_name = Some(name);
            }
            other => return Err(other.unexpected().to_string()),
        }
    }
    codegen_cmd(opts)
}

#[derive(Default)]
struct CodegenOpts {
    check: bool,
    deny_warnings: bool,
    skip_unsupported: bool,
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
    let render = |d: &[::codegen::diag::Diagnostic]| ::codegen::diag::render(d, source.as_deref(), color);
    let options = ::codegen::Options { skip_unsupported: opts.skip_unsupported };
    let generated = match ::codegen::generate_with(&spec_path, &spec_label, opts.crate_name.as_deref(), options) {
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
    eprintln!("{}", generated.coverage);
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
