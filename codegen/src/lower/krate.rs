//! The generated crate's identity: `info.x-rust-crate` with every default filled in.

use crate::ir::{Api, CrateConfig};

/// The lowest Rust version the generated crate builds with: its own code uses edition 2024
/// (1.85), and its dependency tree as resolved today needs 1.88 (the `icu` crates under `url`).
pub const RUST_VERSION_FLOOR: &str = "1.88";

impl CrateConfig {
    /// The configuration for `api`: `name_override` (from the command line) first, then the
    /// spec's `info.x-rust-crate`, then defaults derived from `info.title`. Decided here, in
    /// lowering, so emission only prints it.
    pub fn resolve(api: &Api, spec_label: &str, name_override: Option<&str>) -> CrateConfig {
        let c = &api.rust_crate;
        let name = name_override
            .map(str::to_string)
            .or_else(|| c.name.clone())
            .unwrap_or_else(|| crate::names::package_name(&api.title));
        let rust_version = match &c.rust_version {
            Some(v) if version_key(v) > version_key(RUST_VERSION_FLOOR) => v.clone(),
            _ => RUST_VERSION_FLOOR.to_string(),
        };
        CrateConfig {
            env_prefix: c.env_prefix.clone().unwrap_or_else(|| crate::names::env_prefix(&name)),
            version: c.version.clone().unwrap_or_else(|| "0.1.0".to_string()),
            description: c.description.clone().unwrap_or_else(|| format!("Rust client for the {}", api.title)),
            license: c.license.clone().unwrap_or_else(|| DUAL_LICENSE.to_string()),
            repository: c.repository.clone(),
            keywords: c.keywords.clone().unwrap_or_default(),
            categories: c.categories.clone().unwrap_or_default(),
            rust_version,
            spec_label: spec_label.to_string(),
            name,
        }
    }
}

/// The licence whose texts the generator ships with the crate.
pub(crate) const DUAL_LICENSE: &str = "MIT OR Apache-2.0";

/// `1.88` → `(1, 88, 0)`, for comparing versions.
fn version_key(v: &str) -> Vec<u64> {
    v.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}
