//! The package-contents step of `cargo xtask test`.

use std::path::Path;

use crate::cargo_output;

/// The packaged generated crate holds what users need (manifest, README, licences, sources,
/// examples) and nothing else (no generator manifest, no test fixtures).
pub fn check(root: &Path, cargo: &str) -> Result<(), String> {
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
