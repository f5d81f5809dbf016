//! Generator speed: each stage on its own, end to end, the floor, and scaling.

use std::path::Path;
use std::time::Duration;

use codegen::emit::{Content, CrateConfig};

use super::measure::{ProcessCost, median_time, median_times_interleaved, run_measured_median};
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
    /// The format stage, timed in turn with the floors (for the token-stream floor).
    pub format_paired: Duration,
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
    let emitted = codegen::emit::emit(&lowered.api, &config)?;
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
    let emit = median_time(budget, 5, 200, || codegen::emit::emit(&lowered.api, &config).map(|f| f.len()));
    let format = median_time(budget, 5, 200, || codegen::format::format(emitted.clone(), LABEL).map(|f| f.len()));
    // The end-to-end runs and the floors take turns, so their ratios hold on a busy machine.
    let mut e2e = || {
        std::hint::black_box(codegen::generate_str(LABEL, text, None).map(|g| g.files.len()).ok());
    };
    let mut e2e_one = || {
        let files = codegen::load::load_str(LABEL, text).ok().and_then(|spec| {
            let lowered = codegen::lower::lower(&spec).ok()?;
            let config = CrateConfig::resolve(&lowered.api, LABEL, None);
            codegen::emit_and_format(&lowered.api, &config, 1).ok().map(|f| f.len())
        });
        std::hint::black_box(files);
    };
    let mut floor = || {
        let value = yaml_serde::from_str::<yaml_serde::Value>(text).map(|v| v.is_mapping()).ok();
        std::hint::black_box((value, trees.iter().map(|t| prettyplease::unparse(t).len()).sum::<usize>()));
    };
    let mut floor_parse = || {
        std::hint::black_box(yaml_serde::from_str::<yaml_serde::Value>(text).map(|v| v.is_mapping()).ok());
    };
    let mut floor_print = || {
        std::hint::black_box(trees.iter().map(|t| prettyplease::unparse(t).len()).sum::<usize>());
    };
    let mut format_one = || {
        std::hint::black_box(codegen::format::format(emitted.clone(), LABEL).map(|f| f.len()).ok());
    };
    let medians = median_times_interleaved(
        budget * 3,
        5,
        &mut [&mut e2e, &mut e2e_one, &mut floor, &mut floor_parse, &mut floor_print, &mut format_one],
    );
    let at = |i: usize| medians.get(i).copied().unwrap_or_default();
    let (end_to_end, end_to_end_one_thread, floor, floor_parse, floor_print, format_paired) =
        (at(0), at(1), at(2), at(3), at(4), at(5));
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
        format_paired,
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
    /// At 2,000 operations or more: generation on one thread, and the floor of a generator
    /// that emits token streams and formats them with prettyplease, on one thread (parse the
    /// YAML, then this generator's own format stage: parse the emitted tokens, print them),
    /// medians taken in turns.
    pub one_thread: Option<(Duration, Duration)>,
    /// Peak RSS of a process that only parses the document into a `yaml_serde::Value`
    /// (`cargo xtask __parse-yaml`): the memory floor of reading the spec at this size.
    pub parse_peak_rss: u64,
}

/// Generation of `text` on one thread, and the floor of a token-stream generator on one
/// thread (parse the YAML into a value, then the format stage on the emitted files: what any
/// generator built on quote, syn and prettyplease does at least), medians taken in turns.
fn one_thread_against_floor(text: &str, budget: Duration) -> Result<(Duration, Duration), String> {
    let spec = codegen::load::load_str(LABEL, text).map_err(fail)?;
    let lowered = codegen::lower::lower(&spec).map_err(fail)?;
    drop(spec);
    let config = CrateConfig::resolve(&lowered.api, LABEL, None);
    let emitted = codegen::emit::emit(&lowered.api, &config)?;
    drop(lowered);
    let mut ours = || {
        let files = codegen::load::load_str(LABEL, text).ok().and_then(|spec| {
            let lowered = codegen::lower::lower(&spec).ok()?;
            drop(spec);
            let config = CrateConfig::resolve(&lowered.api, LABEL, None);
            codegen::emit_and_format(&lowered.api, &config, 1).ok().map(|f| f.len())
        });
        std::hint::black_box(files);
    };
    let mut floor = || {
        let value = yaml_serde::from_str::<yaml_serde::Value>(text).map(|v| v.is_mapping()).ok();
        std::hint::black_box(value);
        std::hint::black_box(codegen::format::format(emitted.clone(), LABEL).map(|f| f.len()).ok());
    };
    let medians = median_times_interleaved(budget, 3, &mut [&mut ours, &mut floor]);
    Ok((medians.first().copied().unwrap_or_default(), medians.get(1).copied().unwrap_or_default()))
}

/// The syntax trees of the crate generated from `text`, for the floor to print.
fn trees_of(text: &str) -> Result<Vec<syn::File>, String> {
    let spec = codegen::load::load_str(LABEL, text).map_err(fail)?;
    let lowered = codegen::lower::lower(&spec).map_err(fail)?;
    let config = CrateConfig::resolve(&lowered.api, LABEL, None);
    codegen::emit::emit(&lowered.api, &config)?
        .into_iter()
        .filter_map(|f| match f.content {
            Content::Rust(tokens) => Some(syn::parse2(tokens).map_err(|e| e.to_string())),
            _ => None,
        })
        .collect()
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
        let operations = operations(&generated);
        drop(generated);
        let trees = trees_of(&text)?;
        let mut generate = || {
            std::hint::black_box(codegen::generate_str("synthetic.yaml", &text, None).is_ok());
        };
        let mut floor = || {
            let value = yaml_serde::from_str::<yaml_serde::Value>(&text).map(|v| v.is_mapping()).ok();
            std::hint::black_box((value, trees.iter().map(|t| prettyplease::unparse(t).len()).sum::<usize>()));
        };
        let medians = median_times_interleaved(budget, 3, &mut [&mut generate, &mut floor]);
        let (generate, floor) =
            (medians.first().copied().unwrap_or_default(), medians.get(1).copied().unwrap_or_default());
        drop(trees);
        let one_thread = if operations >= 2_000 { Some(one_thread_against_floor(&text, budget)?) } else { None };
        let out = work.join(format!("synthetic-{n}-crate"));
        let spec_arg = spec_path.display().to_string();
        let out_arg = out.display().to_string();
        // Each run writes into a fresh directory, like a first generation.
        let process =
            run_measured_median(xtask, &["codegen", "--spec", &spec_arg, "--out", &out_arg], work, runs, || {
                let _ = std::fs::remove_dir_all(&out);
            })?;
        let parse_peak_rss = run_measured_median(xtask, &["__parse-yaml", &spec_arg], work, runs, || ())?.peak_rss;
        points.push(ScalePoint {
            copies: n,
            operations,
            spec_bytes: text.len(),
            generate,
            process,
            floor,
            one_thread,
            parse_peak_rss,
        });
    }
    Ok(points)
}
