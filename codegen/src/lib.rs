//! OpenAPI 3.0 → Rust client generator.
//!
//! The pipeline is one straight line, one module a stage:
//! [`load`] (YAML → `openapiv3` + source map) → [`lower`] (→ [`ir::Api`]) → [`emit`]
//! (IR → token streams) → [`format`] (→ text with headers) → [`write`] (→ files).
//! [`generate`] runs everything but the write, in memory, so nothing touches the disk
//! unless the whole crate was produced.

#![warn(missing_docs)]
// Bad input must become a diagnostic, never a panic: library code may not unwrap, index or
// panic. (Tests may.)
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::todo,
        clippy::unimplemented,
        clippy::unreachable,
        clippy::indexing_slicing,
        clippy::string_slice
    )
)]

pub mod diag;
pub mod diff;
pub mod emit;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod names;
pub mod write;

use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::emit::CrateConfig;
use crate::format::FormattedFile;

/// A crate generated in memory.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The IR it was made from.
    pub api: ir::Api,
    /// Its files, formatted.
    pub files: Vec<FormattedFile>,
    /// Warnings about the spec.
    pub warnings: Vec<Diagnostic>,
}

/// Runs load → lower → emit → format on spec text. `spec_label` names the spec in
/// diagnostics and file headers; `crate_name` overrides `info.x-rust-crate.name`.
pub fn generate_str(spec_label: &str, text: &str, crate_name: Option<&str>) -> Result<Generated, Diagnostics> {
    let spec = load::load_str(spec_label, text)?;
    generate_spec(&spec, crate_name)
}

/// Runs load → lower → emit → format on a spec file.
pub fn generate(spec_path: &Path, spec_label: &str, crate_name: Option<&str>) -> Result<Generated, Diagnostics> {
    let spec = load::load_file(spec_path, spec_label)?;
    generate_spec(&spec, crate_name)
}

fn generate_spec(spec: &load::Spec, crate_name: Option<&str>) -> Result<Generated, Diagnostics> {
    let lowered = lower::lower(spec)?;
    let config = CrateConfig::resolve(&lowered.api, &spec.file, crate_name);
    let emitted = emit::emit(&lowered.api, &config);
    let files = format::format(emitted, &config.spec_label).map_err(|message| {
        Diagnostics(vec![Diagnostic {
            severity: Severity::Error,
            file: spec.file.clone(),
            position: None,
            pointer: "#".to_string(),
            message,
            hint: Some("this is a bug in the generator; please report it with the spec".into()),
        }])
    })?;
    Ok(Generated { api: lowered.api, files, warnings: lowered.warnings })
}
