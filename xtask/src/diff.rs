//! `cargo xtask diff`: the API changes between two specs, classified for the generated
//! crate's users, with the version to publish; optionally prepended to the changelog.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::{OUT, SPEC, project_root};

/// Parses the command's flags and runs it.
pub fn cmd(parser: &mut lexopt::Parser) -> Result<ExitCode, String> {
    use lexopt::prelude::*;
    let mut opts = DiffOpts::default();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("base") => {
                opts.base = Some(parser.value().map_err(|e| e.to_string())?.string().map_err(|e| e.to_string())?)
            }
            Long("format") => {
                opts.json = parser.value().map_err(|e| e.to_string())?.string().map_err(|e| e.to_string())? == "json"
            }
            Long("deny-breaking") => opts.deny_breaking = true,
            Long("changelog") => opts.changelog = true,
            Long("head") => {
                opts.head = Some(parser.value().map_err(|e| e.to_string())?.string().map_err(|e| e.to_string())?)
            }
            Value(v) => opts.files.push(v.into()),
            other => return Err(other.unexpected().to_string()),
        }
    }
    diff_cmd(opts)
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
