//! Generator speed: each stage on its own, end to end, the floor, and scaling.

use std::path::Path;
use std::time::Duration;

use codegen::emit::{Content, CrateConfig};

use super::measure::{ProcessCost, median_time, run_measured_median};
use super::synth;

const LABEL: &str = "spec/openapi.yaml";

/// Median times of the stages on one spec.
pub struct Stages {
    pub load: Duration,
    pub lower: Duration,
    pub emit: Duration,
    pub format: Duration,
    pub end_to_end: Duration,
    /// The same on one thread.
    pub end_to_end_one_thread: Duration,
    /// Parsing the YAML into a generic value plus pretty-printing the final Rust: the work
    /// any generator of this output must do.
    pub floor: Duration,
    pub floor_parse: Duration,
    pub floor_print: Duration,
    pub operations: usize,
    pub output_bytes: usize,
}

fn fail(d: codegen::diag::Diagnostics) -> String {
    d.0.iter().map(|d| d.message.clone()).collect::<Vec<_>>().join("; ")
}

/// Times each stage on `text`.
pub fn stages(text: &str, budget: Duration) -> Result<Stages, String> {
    let spec = codegen::load::load_str(LABEL, text).map_err(fail)?;
    let lowered = codegen::lower::lower(&spec).map_err(fail)?;
    let config = CrateConfig::resolve(&lowered.api, LABEL, None);
    let emitted = codegen::emit::emit(&lowered.api, &config);
    let generated = codegen::generate_str(LABEL, text, None).map_err(fail)?;
    // The floor prints the same syntax trees the generator prints.
    let trees: Vec<syn::File> = emitted
        .iter()
        .filter_map(|f| match &f.content {
            Content::Rust(tokens) => Some(syn::parse2(tokens.clone()).map_err(|e| e.to_string())),
            _ => None,
        })
        .collect::<Result<_, _>>()?;

    let load = median_time(budget, 5, 200, || codegen::load::load_str(LABEL, text).map(|s| s.doc.paths.paths.len()));
    let lower = median_time(budget, 5, 200, || codegen::lower::lower(&spec).map(|l| l.api.types.len()));
    let emit = median_time(budget, 5, 200, || codegen::emit::emit(&lowered.api, &config).len());
    let format = median_time(budget, 5, 200, || codegen::format::format(emitted.clone(), LABEL).map(|f| f.len()));
    let end_to_end = median_time(budget, 5, 200, || codegen::generate_str(LABEL, text, None).map(|g| g.files.len()));
    let end_to_end_one_thread = median_time(budget, 5, 200, || {
        let spec = codegen::load::load_str(LABEL, text).map_err(fail)?;
        let lowered = codegen::lower::lower(&spec).map_err(fail)?;
        let config = CrateConfig::resolve(&lowered.api, LABEL, None);
        codegen::emit_and_format(&lowered.api, &config, 1).map(|f| f.len())
    });
    let floor_parse =
        median_time(budget, 5, 200, || yaml_serde::from_str::<yaml_serde::Value>(text).map(|v| v.is_mapping()));
    let floor_print =
        median_time(budget, 5, 200, || trees.iter().map(|t| prettyplease::unparse(t).len()).sum::<usize>());
    let floor = median_time(budget, 5, 200, || {
        let value = yaml_serde::from_str::<yaml_serde::Value>(text).map(|v| v.is_mapping());
        (value, trees.iter().map(|t| prettyplease::unparse(t).len()).sum::<usize>())
    });
    Ok(Stages {
        load,
        lower,
        emit,
        format,
        end_to_end,
        end_to_end_one_thread,
        floor,
        floor_parse,
        floor_print,
        operations: operations(&generated),
        output_bytes: generated.files.iter().map(|f| f.text.len()).sum(),
    })
}

pub fn operations(g: &codegen::Generated) -> usize {
    g.api.resources.iter().map(|r| r.operations.len()).sum()
}

/// One point of the scaling curve.
pub struct ScalePoint {
    pub copies: usize,
    pub operations: usize,
    pub spec_bytes: usize,
    /// In-process `generate` (load → format), median.
    pub generate: Duration,
    /// `cargo xtask codegen --spec … --out …` as a process: wall time and peak RSS.
    pub process: ProcessCost,
    /// The floor at this size: parse the YAML, pretty-print the output.
    pub floor: Duration,
}

/// The floor for `text`: parsing it into a generic YAML value plus printing the syntax
/// trees of the crate generated from it (the trees are built beforehand, untimed).
pub fn floor(text: &str, budget: Duration) -> Result<Duration, String> {
    let spec = codegen::load::load_str(LABEL, text).map_err(fail)?;
    let lowered = codegen::lower::lower(&spec).map_err(fail)?;
    let config = CrateConfig::resolve(&lowered.api, LABEL, None);
    let trees: Vec<syn::File> = codegen::emit::emit(&lowered.api, &config)
        .into_iter()
        .filter_map(|f| match f.content {
            Content::Rust(tokens) => Some(syn::parse2(tokens).map_err(|e| e.to_string())),
            _ => None,
        })
        .collect::<Result<_, _>>()?;
    Ok(median_time(budget, 3, 200, || {
        let value = yaml_serde::from_str::<yaml_serde::Value>(text).map(|v| v.is_mapping());
        (value, trees.iter().map(|t| prettyplease::unparse(t).len()).sum::<usize>())
    }))
}

/// Generates the N-fold synthetic spec for each N, in process and as a process.
pub fn scaling(
    spec_text: &str,
    copies: &[usize],
    work: &Path,
    xtask: &Path,
    budget: Duration,
    runs: usize,
) -> Result<Vec<ScalePoint>, String> {
    let mut points = Vec::new();
    for &n in copies {
        let text = synth::replicate(spec_text, n)?;
        let spec_path = work.join(format!("synthetic-{n}.yaml"));
        std::fs::write(&spec_path, &text).map_err(|e| format!("cannot write {}: {e}", spec_path.display()))?;
        let generated = codegen::generate_str("synthetic.yaml", &text, None).map_err(fail)?;
        let generate = median_time(budget, 3, 50, || codegen::generate_str("synthetic.yaml", &text, None).is_ok());
        let out = work.join(format!("synthetic-{n}-crate"));
        let spec_arg = spec_path.display().to_string();
        let out_arg = out.display().to_string();
        // Each run writes into a fresh directory, like a first generation.
        let process =
            run_measured_median(xtask, &["codegen", "--spec", &spec_arg, "--out", &out_arg], work, runs, || {
                let _ = std::fs::remove_dir_all(&out);
            })?;
        let floor = floor(&text, budget)?;
        points.push(ScalePoint {
            copies: n,
            operations: operations(&generated),
            spec_bytes: text.len(),
            generate,
            process,
            floor,
        });
    }
    Ok(points)
}
