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
pub mod runtime_api;
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
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let files = emit_and_format(&lowered.api, &config, threads).map_err(|message| {
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

/// Emits and formats every file of the crate on up to `threads` threads, and returns them
/// in the crate's file order: the output does not depend on the number of threads.
///
/// Emitting and formatting are most of the generator's time and each file's are
/// independent, so a file is emitted and formatted on the thread that picks it (token
/// streams cannot cross threads). The biggest files are picked first.
pub fn emit_and_format(api: &ir::Api, config: &CrateConfig, threads: usize) -> Result<Vec<FormattedFile>, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};

    let emitter = emit::Emitter::new(api, config);
    let parts = emitter.parts();
    let one = |part: emit::Part| emitter.emit(part).map(|f| format::format_file(f, &config.spec_label)).transpose();
    let threads = threads.clamp(1, parts.len().max(1));
    if threads == 1 {
        return parts.into_iter().filter_map(|p| one(p).transpose()).collect();
    }
    // Biggest first, so the threads run out of work at about the same time.
    let mut order: Vec<(usize, emit::Part)> = parts.iter().copied().enumerate().collect();
    order.sort_by_key(|(index, part)| (std::cmp::Reverse(emitter.estimated_size(*part)), *index));
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        while let Some(&(index, part)) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            done.push((index, one(part)));
        }
        done
    };
    let mut results: Vec<(usize, Result<Option<FormattedFile>, String>)> = std::thread::scope(|scope| {
        // This thread works too.
        let handles: Vec<_> = (1..threads).map(|_| scope.spawn(worker)).collect();
        let mine = worker();
        let mut all = handles
            .into_iter()
            .map(|h| h.join().map_err(|_| "internal error: an emitting thread panicked".to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        all.push(mine);
        Ok::<_, String>(all)
    })?
    .into_iter()
    .flatten()
    .collect();
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().filter_map(|(_, file)| file.transpose()).collect()
}
