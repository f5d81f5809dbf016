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
    /// How many of the document's operations the crate has.
    pub coverage: lower::skip::Coverage,
}

/// Choices for one run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Leave out each schema or operation with a problem (with a warning) instead of failing
    /// (see [`lower::skip`]); also set by `skip-unsupported: true` in `info.x-rust-crate`.
    pub skip_unsupported: bool,
}

/// Runs load → lower → emit → format on spec text. `spec_label` names the spec in
/// diagnostics and file headers; `crate_name` overrides `info.x-rust-crate.name`.
pub fn generate_str(spec_label: &str, text: &str, crate_name: Option<&str>) -> Result<Generated, Diagnostics> {
    let spec = load::load_str(spec_label, text)?;
    generate_spec(spec, crate_name, Options::default())
}

/// Runs load → lower → emit → format on a spec file.
pub fn generate(spec_path: &Path, spec_label: &str, crate_name: Option<&str>) -> Result<Generated, Diagnostics> {
    generate_with(spec_path, spec_label, crate_name, Options::default())
}

/// [`generate`] with [`Options`].
pub fn generate_with(
    spec_path: &Path,
    spec_label: &str,
    crate_name: Option<&str>,
    options: Options,
) -> Result<Generated, Diagnostics> {
    let spec = load::load_file(spec_path, spec_label)?;
    generate_spec(spec, crate_name, options)
}

fn generate_spec(spec: load::Spec, crate_name: Option<&str>, options: Options) -> Result<Generated, Diagnostics> {
    let lowered = lower::lower_with(&spec, options.skip_unsupported)?;
    // Past lowering only the file name is needed: the typed document, the source map and
    // its copy of the text go before emitting, which holds every file's text at its peak.
    let file = spec.file.clone();
    drop(spec);
    let config = CrateConfig::resolve(&lowered.api, &file, crate_name);
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let files = emit_and_format(&lowered.api, &config, threads).map_err(|message| {
        Diagnostics(vec![Diagnostic {
            severity: Severity::Error,
            file: file.clone(),
            position: None,
            pointer: "#".to_string(),
            message,
            hint: Some("this is a bug in the generator; please report it with the spec".into()),
        }])
    })?;
    Ok(Generated { api: lowered.api, files, warnings: lowered.warnings, coverage: lowered.coverage })
}

/// Emits and formats every file of the crate on up to `threads` threads, and returns them
/// in the crate's file order: the output does not depend on the number of threads.
///
/// Emitting and formatting are most of the generator's time and each file's are
/// independent, so the files are spread over a rayon pool of `threads` threads (built for
/// this call; one thread runs here, without a pool). Token streams cannot cross threads, so
/// a file's part is emitted and formatted in one closure, which returns only its text; an
/// indexed parallel iterator collects the texts in the parts' order.
pub fn emit_and_format(api: &ir::Api, config: &CrateConfig, threads: usize) -> Result<Vec<FormattedFile>, String> {
    use rayon::prelude::*;

    let emitter = emit::Emitter::new(api, config);
    let parts = emitter.parts();
    let one = |part: emit::Part| {
        if let Some(chunks) = emitter.emit_chunks(part) {
            return format::format_chunks(chunks, &config.spec_label).map(Some);
        }
        match emitter.emit(part)? {
            Some(file) => format::format_file(file, &config.spec_label).map(Some),
            None => Ok(None),
        }
    };
    let threads = threads.clamp(1, parts.len().max(1));
    // Every part's outcome, in order, so that a failure reported is the first in file
    // order whatever the number of threads.
    let files: Vec<Result<Option<FormattedFile>, String>> = if threads == 1 {
        parts.into_iter().map(one).collect()
    } else {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("codegen-emit-{i}"))
            .build()
            .map_err(|e| format!("internal error: cannot start {threads} emitting threads: {e}"))?;
        // One part a job: parts differ in cost by orders of magnitude (models.rs against a
        // licence text), so an idle thread may take any part still waiting, not only one
        // from a fixed share of the list.
        pool.install(|| parts.into_par_iter().with_max_len(1).map(one).collect())
    };
    files.into_iter().filter_map(Result::transpose).collect()
}
