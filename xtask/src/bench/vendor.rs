//! The full Telnyx API (`../shared/real-specs`, 803 operations) as users run it: generation
//! time and memory through this binary, and the `cargo check` cost of the crate with every
//! resource feature, with its largest resource alone, and with none.

use std::path::Path;
use std::time::Duration;

use super::compile::{self, BenchCrate};
use super::measure::{self, fmt_duration, fmt_mib};
use super::{Row, Section, row, secs};

/// Generation figures, and the crate it wrote.
pub fn section(
    root: &Path,
    xtask: &Path,
    work: &Path,
    cargo: &str,
    runs: usize,
    compile: bool,
) -> Result<Section, String> {
    let spec = root.join(crate::vendor::TELNYX_SPEC);
    if !spec.is_file() {
        return Err(format!("{} is missing (see README: the full Telnyx API)", spec.display()));
    }
    let spec_arg = spec.to_string_lossy().into_owned();
    let ours = root.join("spec/openapi.yaml").to_string_lossy().into_owned();
    let out = work.join("telnyx-full");
    let small = work.join("telnyx-video-spec");
    let out_arg = out.to_string_lossy().into_owned();
    let small_arg = small.to_string_lossy().into_owned();
    // A fresh output directory each run: the write of every file is part of the cost.
    let fresh = |dir: &Path| {
        let _ = std::fs::remove_dir_all(dir);
    };
    let full = measure::run_measured_median(
        xtask,
        &["codegen", "--spec", &spec_arg, "--out", &out_arg, "--skip-unsupported"],
        root,
        runs,
        || fresh(&out),
    )?;
    let base =
        measure::run_measured_median(xtask, &["codegen", "--spec", &ours, "--out", &small_arg], root, runs, || {
            fresh(&small)
        })?;
    let text = std::fs::read_to_string(&spec).map_err(|e| e.to_string())?;
    let generated = codegen::generate(&spec, crate::vendor::TELNYX_SPEC, None)
        .map_err(|d| format!("the full Telnyx API does not generate:\n{d}"))?;
    let ops: usize = generated.api.resources.iter().map(|r| r.operations.len()).sum();
    let our_ops = codegen::generate(&root.join("spec/openapi.yaml"), "spec/openapi.yaml", None)
        .map_err(|d| d.to_string())?
        .api
        .resources
        .iter()
        .map(|r| r.operations.len())
        .sum::<usize>();
    let lines: usize = generated.files.iter().map(|f| f.text.lines().filter(|l| !l.trim().is_empty()).count()).sum();
    let mut rows = vec![
        row(
            format!(
                "generate the full Telnyx API ({ops} operations, {} KiB of YAML; {lines} lines out)",
                text.len() / 1024
            ),
            format!("{} / {}", fmt_duration(full.wall), fmt_mib(full.peak_rss)),
            format!(
                "{} / {} (spec/openapi.yaml, {our_ops} operations)",
                fmt_duration(base.wall),
                fmt_mib(base.peak_rss)
            ),
        )
        .ratio(secs(full.wall), secs(base.wall)),
        row("peak memory, full Telnyx API vs. spec/openapi.yaml", fmt_mib(full.peak_rss), fmt_mib(base.peak_rss))
            .ratio(full.peak_rss as f64, base.peak_rss as f64),
    ];
    let mut notes = vec![format!(
        "Generation: `cargo xtask codegen --spec {} --out <fresh dir> --skip-unsupported` (this optimized \
         binary, not through cargo), median of {runs}, wall time / max RSS; the baseline is the same \
         command on our own spec. The run writes every file.",
        crate::vendor::TELNYX_SPEC
    )];
    if compile {
        let (check_rows, check_notes) = check_rows(cargo, &out, &generated.api, runs.min(3))?;
        rows.extend(check_rows);
        notes.extend(check_notes);
    }
    Ok(Section { title: format!("The full Telnyx API ({ops} operations), as users run it"), rows, notes })
}

/// `cargo check` of the crate alone (dependencies built): every resource (`full`), the
/// largest resource alone, none.
fn check_rows(cargo: &str, dir: &Path, api: &codegen::ir::Api, runs: usize) -> Result<(Vec<Row>, Vec<String>), String> {
    let Some((feature, operations)) = crate::vendor::largest_resource(api) else {
        return Ok((Vec::new(), vec!["The crate has no resource features: no per-feature rows.".into()]));
    };
    compile::standalone(dir, None)?;
    std::fs::copy(crate::project_root().join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let krate = BenchCrate { dir: dir.to_path_buf() };
    let sets: [&[&str]; 3] = [&["--features", "full"], &["--features", feature], &[]];
    let times: Vec<Duration> = compile::crate_only_features(cargo, &krate, "check", &sets, runs)?;
    let [full, one, none] = times[..] else { return Err("expected three timings".into()) };
    let rows = vec![
        row("cargo check, crate only: every resource (`--features full`)", fmt_duration(full), ""),
        row(
            format!(
                "cargo check, crate only: `{feature}` alone ({operations} operations, the largest resource) vs. `full`"
            ),
            fmt_duration(one),
            fmt_duration(full),
        )
        .ratio(secs(one), secs(full)),
        row("cargo check, crate only: no resource feature vs. `full`", fmt_duration(none), fmt_duration(full))
            .ratio(secs(none), secs(full)),
    ];
    let notes = vec![format!(
        "Check times: the generated crate in a workspace of its own, dependencies built once, then \
         `src/lib.rs` touched and `cargo check` run for each feature set in turn, median of {runs}. Without \
         any resource feature the client, errors and the {} models no single resource owns still compile.",
        api.types.iter().filter(|t| t.feature.is_none()).count()
    )];
    Ok((rows, notes))
}
