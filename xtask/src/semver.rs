//! The step of `cargo xtask test` that installs the pinned cargo-semver-checks, which the
//! diff verdicts are cross-checked against.

use std::path::Path;

use crate::cargo_output;

/// The cargo-semver-checks release the cross-check is pinned to.
const SEMVER_CHECKS: &str = "0.51.0";

/// Installs cargo-semver-checks from crates.io when this machine lacks that release.
pub fn installed(root: &Path, cargo: &str) -> Result<(), String> {
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
