//! The comparison with progenitor: the same input for both generators, ours and its output.

use std::path::{Path, PathBuf};

use yaml_serde::Value;

use super::measure::{ProcessCost, run_measured_median};

/// The cargo-progenitor release compared against.
pub const PROGENITOR: &str = "0.15.1";

/// The flat-parameter spelling of our spec (`filter[date_created_at][gte]`), which
/// progenitor can read, unlike `style: deepObject`.
pub const FLAT_SPEC: &str = "codegen/tests/fixtures/telnyx-flat.yaml";

/// cargo-progenitor's path, installing it from crates.io when it is absent.
pub fn installed(cargo: &str) -> Result<PathBuf, String> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .ok_or("neither CARGO_HOME nor HOME is set")?;
    let bin = home.join("bin/cargo-progenitor");
    // cargo-progenitor has no --version; cargo's list of installed packages says.
    let listed = std::process::Command::new(cargo).args(["install", "--list"]).output();
    if bin.exists()
        && listed
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(&format!("cargo-progenitor v{PROGENITOR}:")))
    {
        return Ok(bin);
    }
    eprintln!("installing cargo-progenitor {PROGENITOR} from crates.io (a few minutes, once)");
    let status = std::process::Command::new(cargo)
        .args(["install", "cargo-progenitor", "--locked", "--version", PROGENITOR])
        .status()
        .map_err(|e| format!("cannot run cargo install: {e}"))?;
    if !status.success() {
        return Err("cargo install cargo-progenitor failed".into());
    }
    Ok(bin)
}

/// The flat spec as both generators read it. progenitor 0.15 asserts that an operation's
/// success-or-default responses share one type, so a `default` error response next to a
/// typed success makes it panic (`response_types.len() <= 1`); the documented 4xx
/// responses say the same (the `Errors` body), so the `default` entries are dropped.
pub fn comparison_input(root: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(root.join(FLAT_SPEC)).map_err(|e| format!("cannot read {FLAT_SPEC}: {e}"))?;
    let mut doc: Value = yaml_serde::from_str(&text).map_err(|e| e.to_string())?;
    let paths = doc.get_mut("paths").and_then(Value::as_mapping_mut).ok_or("the flat spec has no paths")?;
    for (_, item) in paths.iter_mut() {
        let Some(item) = item.as_mapping_mut() else { continue };
        for (_, op) in item.iter_mut() {
            if let Some(responses) = op.get_mut("responses").and_then(Value::as_mapping_mut) {
                responses.remove("default");
            }
        }
    }
    yaml_serde::to_string(&doc).map_err(|e| e.to_string())
}

/// cargo-progenitor's arguments: generate a builder-style crate from `input` into `out`.
pub fn arguments(input: &str, out: &str) -> Vec<String> {
    ["progenitor", "-i", input, "-o", out, "-n", "telnyx-video-progenitor", "-v", "0.1.0", "--interface", "builder"]
        .iter()
        .map(|a| a.to_string())
        .collect()
}

/// Wall time and peak memory of both generators on the same file, each writing a fresh crate.
pub struct GeneratorRace {
    pub ours: ProcessCost,
    pub progenitor: ProcessCost,
}

pub fn race(xtask: &Path, progenitor: &Path, input: &Path, work: &Path, runs: usize) -> Result<GeneratorRace, String> {
    let input = input.display().to_string();
    let ours_out = work.join("race-ours");
    let prog_out = work.join("race-progenitor");
    let ours_arg = ours_out.display().to_string();
    let prog_arg = prog_out.display().to_string();
    let ours = run_measured_median(xtask, &["codegen", "--spec", &input, "--out", &ours_arg], work, runs, || {
        let _ = std::fs::remove_dir_all(&ours_out);
    })?;
    let args = arguments(&input, &prog_arg);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let progenitor = run_measured_median(progenitor, &args, work, runs, || {
        let _ = std::fs::remove_dir_all(&prog_out);
    })?;
    Ok(GeneratorRace { ours, progenitor })
}
