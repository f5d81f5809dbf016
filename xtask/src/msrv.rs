//! The MSRV step of `cargo xtask test`.

use std::path::Path;

use crate::cargo_output;

/// No crate the generated crate depends on (as resolved in Cargo.lock) needs a newer Rust
/// than the crate's `rust-version`. Together with clippy's `incompatible_msrv` lint (which
/// reads `rust-version` and flags newer standard-library APIs in the crate's own code), this
/// checks the MSRV without installing that toolchain, which this machine cannot fetch.
pub fn check(root: &Path, cargo: &str) -> Result<(), String> {
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
