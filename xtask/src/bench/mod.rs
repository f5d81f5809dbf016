//! `cargo xtask bench`: every performance figure of the issue, each next to its baseline
//! measured in the same run, printed as one Markdown table (and written to
//! `target/bench/report.md`). Numbers are reported, never asserted.

mod client;
mod compile;
mod generator;
mod measure;
pub mod profile;
mod progenitor;
mod synth;
mod vendor;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use measure::{fmt_duration, fmt_mib, measure_child};

/// What `cargo xtask bench` measures.
#[derive(Default)]
pub struct BenchOpts {
    /// Shorter budgets, fewer runs, no cold builds: a smoke run.
    pub quick: bool,
    pub skip_compile: bool,
    /// Compile section without the cold builds.
    pub no_cold: bool,
    pub skip_client: bool,
    pub skip_progenitor: bool,
    /// Copies of the spec for the scaling curve (default 1, 10, 100).
    pub scale: Option<Vec<usize>>,
}

/// A table row: what, ours, the baseline, ours ÷ baseline, the target.
struct Row {
    what: String,
    ours: String,
    baseline: String,
    ratio: Option<f64>,
    target: String,
    met: Option<bool>,
}

fn row(what: impl Into<String>, ours: impl Into<String>, baseline: impl Into<String>) -> Row {
    Row {
        what: what.into(),
        ours: ours.into(),
        baseline: baseline.into(),
        ratio: None,
        target: String::new(),
        met: None,
    }
}

impl Row {
    fn ratio(mut self, ours: f64, baseline: f64) -> Self {
        if baseline > 0.0 {
            self.ratio = Some(ours / baseline);
        }
        self
    }
    /// A target on the ratio: met when ratio ≤ `max`.
    fn target_ratio(mut self, max: f64) -> Self {
        self.target = format!("≤ {max}×");
        self.met = self.ratio.map(|r| r <= max);
        self
    }
    fn target(mut self, text: impl Into<String>, met: bool) -> Self {
        self.target = text.into();
        self.met = Some(met);
        self
    }
}

struct Section {
    title: String,
    rows: Vec<Row>,
    notes: Vec<String>,
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// Parses `cargo xtask bench`'s flags and runs it.
pub fn cmd(parser: &mut lexopt::Parser) -> Result<ExitCode, String> {
    use lexopt::prelude::*;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut opts = BenchOpts::default();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("quick") => opts.quick = true,
            Long("skip-compile") => opts.skip_compile = true,
            Long("no-cold") => opts.no_cold = true,
            Long("skip-client") => opts.skip_client = true,
            Long("skip-progenitor") => opts.skip_progenitor = true,
            Long("scale") => {
                let v = parser.value().map_err(|e| e.to_string())?.string().map_err(|e| e.to_string())?;
                let copies = v
                    .split(',')
                    .map(|n| n.trim().parse::<usize>().map_err(|e| format!("--scale {v}: {e}")))
                    .collect::<Result<Vec<_>, _>>()?;
                if copies.is_empty() || copies.contains(&0) {
                    return Err("--scale needs positive numbers".into());
                }
                opts.scale = Some(copies);
            }
            other => return Err(other.unexpected().to_string()),
        }
    }
    run(&crate::project_root(), &args, opts)
}

/// `cargo xtask __parse-yaml FILE`: parses the file into a `yaml_serde::Value`, as the
/// generator's load stage does first, and nothing else (the memory floor of reading it).
pub fn parse_yaml_cmd() -> Result<ExitCode, String> {
    let path = std::env::args().nth(2).ok_or("__parse-yaml needs a file")?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let value: yaml_serde::Value = yaml_serde::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    std::hint::black_box(&value);
    Ok(ExitCode::SUCCESS)
}

/// `cargo xtask __measure PROGRAM ARGS...`, which the benchmarks run: see [`measure_child`].
pub fn measure_cmd() -> Result<ExitCode, String> {
    let mut rest = std::env::args().skip(2);
    let program = rest.next().ok_or("__measure needs a program")?;
    let args: Vec<String> = rest.collect();
    measure_child(&program, &args).map(|()| ExitCode::SUCCESS)
}

/// Runs the benchmarks. In a debug build of xtask it first rebuilds itself with
/// optimizations and runs that, since timings of unoptimized code mean nothing.
pub fn run(root: &Path, args: &[String], opts: BenchOpts) -> Result<ExitCode, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    if cfg!(debug_assertions) {
        eprintln!("building xtask with optimizations for the benchmark (cargo run --release -p xtask)");
        let status = std::process::Command::new(&cargo)
            .args(["run", "--quiet", "--release", "-p", "xtask", "--"])
            .args(args)
            .current_dir(root)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        return Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE });
    }
    let xtask = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let work = target_dir(root).join("bench");
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let budget = if opts.quick { Duration::from_millis(300) } else { Duration::from_secs(3) };
    let runs = if opts.quick { 1 } else { 5 };

    let mut sections = Vec::new();
    let spec_text = std::fs::read_to_string(root.join("spec/openapi.yaml")).map_err(|e| e.to_string())?;

    eprintln!("[1/6] generator stages on spec/openapi.yaml");
    sections.push(stages_section(&spec_text, budget)?);

    let progenitor_bin = if opts.skip_progenitor { None } else { Some(progenitor::installed(&cargo)?) };
    let input = work.join("telnyx-flat-no-default.yaml");
    std::fs::write(&input, progenitor::comparison_input(root)?).map_err(|e| e.to_string())?;
    if let Some(bin) = &progenitor_bin {
        eprintln!("[2/6] ours vs. progenitor {} on {}", progenitor::PROGENITOR, progenitor::FLAT_SPEC);
        sections.push(race_section(&xtask, bin, &input, &work, if opts.quick { 1 } else { 7 })?);
    }

    if progenitor_bin.is_some() {
        eprintln!("[2/6] as users run them: `cargo xtask codegen` against `cargo progenitor`, 700 operations");
        sections.push(as_users_section(root, &cargo, &input, &work, if opts.quick { 1 } else { 5 })?);
        if !opts.skip_compile {
            eprintln!("[2/6] compile cost at 700 operations: crate-only `cargo check`, ours and progenitor's");
            sections.push(compile_at_scale_section(&cargo, &work, runs.min(3))?);
        }
    }

    eprintln!("[3/6] scaling");
    let copies = opts.scale.clone().unwrap_or_else(|| vec![1, 10, 100]);
    sections.push(scaling_section(&spec_text, &copies, &work, &xtask, budget, runs.min(3))?);

    eprintln!(
        "[4/6] the full Telnyx API: generation{}",
        if opts.skip_compile { "" } else { " and cargo check per feature" }
    );
    sections.push(vendor::section(root, &xtask, &work, &cargo, runs.min(3), !opts.skip_compile)?);

    if !opts.skip_compile {
        eprintln!("[5/6] compile cost of the generated crate (cargo check/build; cold builds take minutes)");
        sections.push(compile_section(&cargo, &xtask, progenitor_bin.as_deref(), &input, &work, &opts, runs)?);
    }
    if !opts.skip_client {
        eprintln!("[6/6] client overhead (criterion: cargo bench -p e2e --bench client)");
        sections.push(client::section(root, &cargo, opts.quick)?);
    }

    let report = render(&machine(&cargo, progenitor_bin.as_deref()), &sections);
    println!("{report}");
    let path = work.join("report.md");
    std::fs::write(&path, &report).map_err(|e| e.to_string())?;
    eprintln!("written to {}", path.display());
    Ok(ExitCode::SUCCESS)
}

fn stages_section(spec_text: &str, budget: Duration) -> Result<Section, String> {
    let s = generator::stages(spec_text, budget)?;
    let e2e = secs(s.end_to_end);
    let share = |d: Duration| format!("{:.0}% of end to end", 100.0 * secs(d) / e2e);
    let rows = vec![
        row("load (YAML → typed OpenAPI + source map)", fmt_duration(s.load), share(s.load)),
        row("lower (→ IR)", fmt_duration(s.lower), share(s.lower)),
        row("emit (IR → token streams)", fmt_duration(s.emit), share(s.emit)),
        row("format (syn + prettyplease)", fmt_duration(s.format), share(s.format)),
        row("floor: parse the YAML", fmt_duration(s.floor_parse), ""),
        row("floor: pretty-print the output", fmt_duration(s.floor_print), ""),
        row(
            "end to end vs. floor (parse YAML + pretty-print output)",
            fmt_duration(s.end_to_end),
            fmt_duration(s.floor),
        )
        .ratio(e2e, secs(s.floor))
        .target_ratio(2.0),
        row("end to end on one thread vs. floor", fmt_duration(s.end_to_end_one_thread), fmt_duration(s.floor))
            .ratio(secs(s.end_to_end_one_thread), secs(s.floor)),
        row(
            "end to end on one thread vs. the floor of a token-stream generator (+ parsing the emitted tokens into trees)",
            fmt_duration(s.end_to_end_one_thread),
            fmt_duration(s.floor_parse + s.format_paired),
        )
        .ratio(secs(s.end_to_end_one_thread), secs(s.floor_parse + s.format_paired)),
    ];
    Ok(Section {
        title: format!(
            "Generator speed (spec/openapi.yaml: {} operations, {} KiB of output; median, in process)",
            s.operations,
            s.output_bytes / 1024
        ),
        rows,
        notes: vec![
            "The floor is the work no generator of this crate can avoid: parsing the YAML into a \
             generic value (`yaml_serde::Value`) and printing the final syntax trees with prettyplease. \
             A generator that emits token streams (quote) and formats them with prettyplease must also \
             parse the tokens back into syntax trees (the format stage: syn::parse2 then print); the \
             last row compares with that floor."
                .into(),
        ],
    })
}

fn race_section(xtask: &Path, bin: &Path, input: &Path, work: &Path, runs: usize) -> Result<Section, String> {
    let r = progenitor::race(xtask, bin, input, work, runs)?;
    let empty = measure::run_measured_median(Path::new("true"), &[], work, runs, || ())?;
    let rows = vec![
        row("an empty process (`true`): the measuring floor", fmt_duration(empty.wall), fmt_mib(empty.peak_rss)),
        row("wall time (process, writes the crate)", fmt_duration(r.ours.wall), fmt_duration(r.progenitor.wall))
            .ratio(secs(r.ours.wall), secs(r.progenitor.wall))
            .target_ratio(1.0),
        row("peak memory (max RSS)", fmt_mib(r.ours.peak_rss), fmt_mib(r.progenitor.peak_rss))
            .ratio(r.ours.peak_rss as f64, r.progenitor.peak_rss as f64)
            .target_ratio(1.0),
    ];
    Ok(Section {
        title: format!("Against progenitor {} (baseline), same input, median of {runs} runs", progenitor::PROGENITOR),
        rows,
        notes: vec![format!(
            "Input: {} with the operations' `default` responses removed (progenitor 0.15 panics on a \
             `default` next to a typed success: `assertion failed: response_types.len() <= 1`). It rejects \
             the deepObject spelling of spec/openapi.yaml outright.",
            progenitor::FLAT_SPEC
        )],
    })
}

/// Both generators as their users start them, through cargo: ours as `cargo xtask codegen`
/// (cargo builds the xtask in the dev profile, whose generator crates are optimized; see
/// the workspace `Cargo.toml`), progenitor as `cargo progenitor` (cargo finds the installed
/// `cargo-progenitor` in its own `bin`). The input is the
/// comparison file replicated to 700 operations; the runs take turns.
fn as_users_section(root: &Path, cargo: &str, input: &Path, work: &Path, runs: usize) -> Result<Section, String> {
    let text = std::fs::read_to_string(input).map_err(|e| e.to_string())?;
    let per_copy = text.matches("operationId:").count().max(1);
    let copies = 700usize.div_ceil(per_copy);
    let big = work.join("as-users-700.yaml");
    std::fs::write(&big, synth::replicate(&text, copies)?).map_err(|e| e.to_string())?;
    let big_arg = big.display().to_string();
    let ours_out = work.join("as-users-ours");
    let prog_out = work.join("as-users-progenitor");
    let ours_arg = ours_out.display().to_string();
    let prog_arg = prog_out.display().to_string();
    let cargo_path = Path::new(cargo);
    let prog_args = progenitor::arguments(&big_arg, &prog_arg);
    let prog_args: Vec<&str> = prog_args.iter().map(String::as_str).collect();
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    // Turns: one warm-up each (cargo's fingerprints, the page cache), then alternate.
    for round in 0..=runs {
        let _ = std::fs::remove_dir_all(&ours_out);
        let o = measure::run_measured(cargo_path, &["xtask", "codegen", "--spec", &big_arg, "--out", &ours_arg], root)?;
        let _ = std::fs::remove_dir_all(&prog_out);
        let p = measure::run_measured(cargo_path, &prog_args, work)?;
        if round > 0 {
            ours.push(o);
            theirs.push(p);
        }
    }
    let measure::ProcessCost { wall: ours_wall, peak_rss: ours_rss } = measure::median_cost(&ours);
    let measure::ProcessCost { wall: prog_wall, peak_rss: prog_rss } = measure::median_cost(&theirs);
    let operations = per_copy * copies;

    // The full Telnyx API through cargo, against the issue's absolute targets.
    let telnyx = root.join(crate::vendor::TELNYX_SPEC).display().to_string();
    let telnyx_out = work.join("as-users-telnyx");
    let telnyx_arg = telnyx_out.display().to_string();
    let full = measure::run_measured_median(
        cargo_path,
        &["xtask", "codegen", "--spec", &telnyx, "--out", &telnyx_arg],
        root,
        runs,
        || {
            let _ = std::fs::remove_dir_all(&telnyx_out);
        },
    )?;
    let rows = vec![
        row(
            format!("`cargo xtask codegen` vs `cargo progenitor`, {operations} operations: wall time"),
            fmt_duration(ours_wall),
            fmt_duration(prog_wall),
        )
        .ratio(secs(ours_wall), secs(prog_wall))
        .target_ratio(0.5),
        row(
            format!("`cargo xtask codegen` vs `cargo progenitor`, {operations} operations: peak RSS"),
            fmt_mib(ours_rss),
            fmt_mib(prog_rss),
        )
        .ratio(ours_rss as f64, prog_rss as f64)
        .target_ratio(1.0),
        row("`cargo xtask codegen` on the full Telnyx API: wall time", fmt_duration(full.wall), "1.5 s")
            .ratio(secs(full.wall), 1.5)
            .target_ratio(1.0),
        row("`cargo xtask codegen` on the full Telnyx API: peak RSS", fmt_mib(full.peak_rss), "150 MiB")
            .ratio(full.peak_rss as f64, 150.0 * 1024.0 * 1024.0)
            .target_ratio(1.0),
    ];
    Ok(Section {
        title: format!("As users run them: through cargo, median of {runs} turns"),
        rows,
        notes: vec![format!(
            "Input: the comparison file ({per_copy} operations) copied {copies} times under new names. Ours: \
             `cargo xtask codegen --spec … --out <fresh dir>` from the repository root (cargo checks the \
             dev-profile build, then runs it); progenitor: `cargo progenitor -i … -o <fresh dir>`. Wall time \
             and peak RSS of the whole command, cargo included."
        )],
    })
}

/// What compiling costs users at 700 operations: the crates `as_users_section` generated
/// (ours from `cargo xtask codegen`, progenitor's from `cargo progenitor`, same input),
/// each copied to a directory of its own under `compile-700/`, crate-only `cargo check` in
/// turns. Our crate has resource features at that size, so it is checked with `--features
/// full` (every resource: what progenitor's crate always compiles); with no resource and
/// with one for comparison. Progenitor's crate gets reqwest's rustls, as ours has by default.
fn compile_at_scale_section(cargo: &str, work: &Path, runs: usize) -> Result<Section, String> {
    let base = work.join("compile-700");
    let ours = compile::BenchCrate { dir: base.join("ours") };
    let theirs = compile::BenchCrate { dir: base.join("progenitor") };
    compile::copy_crate(&work.join("as-users-ours"), &ours.dir)?;
    compile::copy_crate(&work.join("as-users-progenitor"), &theirs.dir)?;
    compile::standalone(&ours.dir, None)?;
    compile::standalone(
        &theirs.dir,
        Some((r#"features = ["json", "query", "stream"]"#, r#"features = ["json", "query", "stream", "rustls"]"#)),
    )?;
    let input = std::fs::read_to_string(work.join("as-users-700.yaml")).map_err(|e| e.to_string())?;
    let operations = input.matches("operationId:").count().max(1);
    let manifest = std::fs::read_to_string(ours.dir.join("Cargo.toml")).map_err(|e| e.to_string())?;
    if !manifest.contains("\nfull = [") {
        return Err(format!(
            "the {operations}-operation crate has no `full` feature: resource features are expected at this size"
        ));
    }
    // One resource alone: the first in the generated `full` list.
    let one = manifest
        .split("\nfull = [")
        .nth(1)
        .and_then(|rest| rest.split('"').nth(1))
        .ok_or("cannot read the `full` feature's list")?
        .to_string();
    let builds: Vec<(&compile::BenchCrate, Vec<&str>)> = vec![
        (&ours, vec!["check", "--quiet", "--features", "full"]),
        (&theirs, vec!["check", "--quiet"]),
        (&ours, vec!["check", "--quiet"]),
        (&ours, vec!["check", "--quiet", "--features", one.as_str()]),
    ];
    let times = compile::in_turns(cargo, &builds, runs)?;
    let at = |i: usize| times.get(i).copied().unwrap_or_default();
    let runtime: Vec<&str> =
        codegen::runtime_api::RUNTIME_FILES.iter().map(|r| r.name).chain(["spec_examples.rs"]).collect();
    let (_, ours_lines) = compile::rust_lines(&ours.dir.join("src"), &runtime)?;
    let (theirs_lines, _) = compile::rust_lines(&theirs.dir.join("src"), &[])?;
    let per_op = |lines: usize| lines as f64 / operations as f64;
    let rows = vec![
        row("`cargo check`, crate only, every resource (`--features full`)", fmt_duration(at(0)), fmt_duration(at(1)))
            .ratio(secs(at(0)), secs(at(1)))
            .target_ratio(1.0),
        row("`cargo check`, crate only, no resource feature", fmt_duration(at(2)), fmt_duration(at(1)))
            .ratio(secs(at(2)), secs(at(1))),
        row(format!("`cargo check`, crate only, one resource (`{one}`)"), fmt_duration(at(3)), fmt_duration(at(1)))
            .ratio(secs(at(3)), secs(at(1))),
        row(
            "non-blank lines of Rust per operation (ours: from the spec, no runtime, no example tests)",
            format!("{:.0} ({ours_lines})", per_op(ours_lines)),
            format!("{:.0} ({theirs_lines})", per_op(theirs_lines)),
        )
        .ratio(per_op(ours_lines), per_op(theirs_lines))
        .target_ratio(1.0),
    ];
    Ok(Section {
        title: format!(
            "Compile cost at {operations} operations (baseline: progenitor's crate for the same input, with reqwest's rustls; median of {runs} turns)"
        ),
        rows,
        notes: vec![
            "The crates of the as-users section, each built alone with its own target dir; \"crate only\" rewrites \
             src/lib.rs and checks again, the four builds taking turns. Progenitor's lines are all of its src/ \
             (it has no runtime files: its runtime is the progenitor-client crate)."
                .into(),
        ],
    })
}

fn scaling_section(
    spec_text: &str,
    copies: &[usize],
    work: &Path,
    xtask: &Path,
    budget: Duration,
    runs: usize,
) -> Result<Section, String> {
    let points = generator::scaling(spec_text, copies, work, xtask, budget, runs)?;
    let mut rows = Vec::new();
    let mut previous: Option<&generator::ScalePoint> = None;
    for p in &points {
        let mut r = row(
            format!("N = {} ({} operations, {} KiB of YAML)", p.copies, p.operations, p.spec_bytes / 1024),
            format!(
                "{} in process (floor {}); {} / {} as a process",
                fmt_duration(p.generate),
                fmt_duration(p.floor),
                fmt_duration(p.process.wall),
                fmt_mib(p.process.peak_rss)
            ),
            previous
                .map(|q| {
                    format!(
                        "N = {}: {} (the floor grew {:.2}×)",
                        q.copies,
                        fmt_duration(q.generate),
                        secs(p.floor) / secs(q.floor)
                    )
                })
                .unwrap_or_default(),
        );
        if let Some(q) = previous {
            let ops_growth = p.operations as f64 / q.operations as f64;
            r = r.ratio(secs(p.generate), secs(q.generate));
            let growth = secs(p.generate) / secs(q.generate);
            // Linear: time grows no faster than operations, with 10% slack.
            r = r.target(
                format!("≤ {:.1}× (operations grew {ops_growth:.0}×)", 1.1 * ops_growth),
                growth <= 1.1 * ops_growth,
            );
        }
        if p.operations >= 2_000 {
            rows.push(r);
            rows.push(
                row(
                    format!("{} operations end to end, as a process", p.operations),
                    fmt_duration(p.process.wall),
                    "1 s",
                )
                .ratio(secs(p.process.wall), 1.0)
                .target_ratio(1.0),
            );
            rows.push(
                row(
                    format!("{} operations in process vs. the floor at that size", p.operations),
                    fmt_duration(p.generate),
                    fmt_duration(p.floor),
                )
                .ratio(secs(p.generate), secs(p.floor)),
            );
            if let Some((ours, floor)) = p.one_thread {
                rows.push(
                    row(
                        format!(
                            "{} operations on one thread vs. the floor of a token-stream generator on one thread (parse the YAML + syn-parse the emitted tokens + print)",
                            p.operations
                        ),
                        fmt_duration(ours),
                        fmt_duration(floor),
                    )
                    .ratio(secs(ours), secs(floor)),
                );
            }
        } else {
            rows.push(r);
        }
        previous = Some(p);
    }
    // Peak memory per operation between the smallest point of at least 100 operations and
    // the largest, against the issue's "a tenth of today's" (0.4 MiB per operation when it
    // was filed) and against reading the document alone (yaml_serde, the load stage's first
    // step) over the same sizes.
    if let (Some(small), Some(large)) = (points.iter().find(|p| p.operations >= 100), points.last())
        && large.operations >= 2_000
        && large.operations > small.operations
    {
        let ops = (large.operations - small.operations) as f64;
        let per_op = |a: u64, b: u64| (b as f64 - a as f64) / ops;
        let ours = per_op(small.process.peak_rss, large.process.peak_rss);
        let floor = per_op(small.parse_peak_rss, large.parse_peak_rss);
        let kib = |b: f64| format!("{:.1} KiB/op", b / 1024.0);
        let mib = 1024.0 * 1024.0;
        rows.push(
            row(
                format!(
                    "peak RSS growth per operation, {} → {} operations, as a process",
                    small.operations, large.operations
                ),
                kib(ours),
                "0.04 MiB/op (a tenth of 0.4)",
            )
            .ratio(ours, 0.04 * mib)
            .target_ratio(1.0),
        );
        rows.push(
            row(
                "… against parsing the YAML alone (yaml_serde → Value, a process doing nothing else)",
                kib(ours),
                format!("{} ({} at {} operations)", kib(floor), fmt_mib(large.parse_peak_rss), large.operations),
            )
            .ratio(ours, floor),
        );
    }
    Ok(Section {
        title: "Scaling: the spec's resources copied N times under new names (median)".into(),
        rows,
        notes: vec![
            "Ratio: generation time at this N ÷ at the previous N (\"growth per 10× operations\"); the \
                     floor's own growth beside it shows what the machine adds at this size (caches, page faults). \
                     Process figures: `cargo xtask codegen --spec … --out <fresh dir>`, wall time and max RSS."
                .into(),
        ],
    })
}

fn compile_section(
    cargo: &str,
    xtask: &Path,
    progenitor_bin: Option<&Path>,
    input: &Path,
    work: &Path,
    opts: &BenchOpts,
    runs: usize,
) -> Result<Section, String> {
    let base = work.join("compile");
    std::fs::create_dir_all(&base).map_err(|e| e.to_string())?;
    let input_arg = input.display().to_string();
    let ours_dir = base.join("ours");
    let out_arg = ours_dir.display().to_string();
    measure::run_measured(xtask, &["codegen", "--spec", &input_arg, "--out", &out_arg], work)?;
    compile::standalone(&ours_dir, None)?;
    let operations = {
        let text = std::fs::read_to_string(input).map_err(|e| e.to_string())?;
        codegen::generate_str("input", &text, None).map(|g| generator::operations(&g)).map_err(|_| "input failed")?
    };
    let ours = compile::BenchCrate { dir: ours_dir };
    let runtime: Vec<&str> =
        codegen::runtime_api::RUNTIME_FILES.iter().map(|r| r.name).chain(["spec_examples.rs"]).collect();
    let cold = !opts.quick && !opts.no_cold;
    let mut ours_cost = compile::measure(
        cargo,
        &ours,
        &[
            ("default features (rustls, tracing)", &[]),
            ("rustls, no tracing", &["--no-default-features", "--features", "rustls"]),
            ("native-tls, no tracing", &["--no-default-features", "--features", "native-tls"]),
            ("no TLS, no tracing", &["--no-default-features"]),
        ],
        &runtime,
        cold,
    )?;
    let prog = match progenitor_bin {
        Some(bin) => {
            let dir = base.join("progenitor");
            let _ = std::fs::remove_dir_all(&dir);
            let dir_arg = dir.display().to_string();
            let args = progenitor::arguments(&input_arg, &dir_arg);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            measure::run_measured(bin, &args, work)?;
            // Its crate has no TLS backend; give it the one ours has by default.
            compile::standalone(
                &dir,
                Some((
                    r#"features = ["json", "query", "stream"]"#,
                    r#"features = ["json", "query", "stream", "rustls"]"#,
                )),
            )?;
            let krate = compile::BenchCrate { dir };
            let cost = compile::measure(cargo, &krate, &[("with rustls", &[])], &[], cold)?;
            Some((krate, cost))
        }
        None => None,
    };
    // Crate-only times, the two crates taking turns.
    let mut crates = vec![&ours];
    if let Some((krate, _)) = &prog {
        crates.push(krate);
    }
    let checks = compile::crate_only(cargo, &crates, "check", runs)?;
    let builds = compile::crate_only(cargo, &crates, "build", runs)?;
    ours_cost.check_crate = checks.first().copied().unwrap_or_default();
    ours_cost.build_crate = builds.first().copied().unwrap_or_default();
    let prog_cost = prog.map(|(_, mut cost)| {
        cost.check_crate = checks.get(1).copied().unwrap_or_default();
        cost.build_crate = builds.get(1).copied().unwrap_or_default();
        cost
    });
    let mut rows = Vec::new();
    let pair = |what: &str, o: Duration, p: Option<Duration>| match p {
        Some(p) => row(what, fmt_duration(o), fmt_duration(p)).ratio(secs(o), secs(p)),
        None => row(what, fmt_duration(o), "—"),
    };
    let pc = prog_cost.as_ref();
    rows.push(
        pair("`cargo check`, crate only (dependencies built)", ours_cost.check_crate, pc.map(|c| c.check_crate))
            .target_ratio(1.0),
    );
    rows.push(pair("`cargo build`, crate only (dependencies built)", ours_cost.build_crate, pc.map(|c| c.build_crate)));
    if let (Some(o), p) = (ours_cost.check_cold, pc.and_then(|c| c.check_cold)) {
        rows.push(pair("`cargo check`, cold (all dependencies)", o, p));
    }
    if let (Some(o), p) = (ours_cost.build_cold, pc.and_then(|c| c.build_cold)) {
        rows.push(pair("`cargo build`, cold (all dependencies)", o, p));
    }
    let prog_deps = pc.and_then(|c| c.deps.first().map(|d| d.1));
    for (i, (label, n)) in ours_cost.deps.iter().enumerate() {
        let mut r = row(
            format!("crates in the dependency tree: {label}"),
            n.to_string(),
            prog_deps.map(|p| p.to_string()).unwrap_or_default(),
        );
        if let Some(p) = prog_deps {
            r = r.ratio(*n as f64, p as f64);
            if i < 3 {
                r = r.target("≤ progenitor + TLS", *n <= p);
            }
        }
        rows.push(r);
    }
    let per_op = |lines: usize| format!("{} ({:.0}/op)", lines, lines as f64 / operations.max(1) as f64);
    rows.push(
        row(
            "lines of Rust in src/ (non-blank), all",
            per_op(ours_cost.lines),
            pc.map(|c| per_op(c.lines)).unwrap_or_default(),
        )
        .ratio(ours_cost.lines as f64, pc.map(|c| c.lines as f64).unwrap_or(0.0)),
    );
    rows.push(row(
        "… of which from the spec (no runtime, no example tests)",
        per_op(ours_cost.lines_per_spec),
        pc.map(|c| per_op(c.lines_per_spec)).unwrap_or_default(),
    ));
    Ok(Section {
        title: format!(
            "Compile cost of the generated crate ({operations} operations; baseline: progenitor's crate for the same input, with reqwest's rustls)"
        ),
        rows,
        notes: vec![
            "Each crate is built alone in target/bench/compile/<crate> with its own target dir; \"crate only\" \
             rewrites src/lib.rs and rebuilds (median of five, the two crates taking turns). Dependency counts: `cargo tree -e normal`, unique \
             packages, the crate itself excluded."
                .into(),
        ],
    })
}

fn machine(cargo: &str, progenitor: Option<&Path>) -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines().next().map(|l| l.split_whitespace().nth(1).and_then(|k| k.parse::<u64>().ok()).unwrap_or(0))
        })
        .map(|kib| format!("{:.0} GiB", kib as f64 / 1024.0 / 1024.0))
        .unwrap_or_default();
    let version = |program: &Path, args: &[&str]| {
        std::process::Command::new(program)
            .args(args)
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default()
    };
    let rustc = version(Path::new("rustc"), &["--version"]);
    let cargo_v = version(Path::new(cargo), &["--version"]);
    let os = version(Path::new("uname"), &["-sr"]);
    let prog =
        progenitor.map(|_| format!("cargo-progenitor {}", progenitor::PROGENITOR)).unwrap_or_else(|| "not run".into());
    format!(
        "Machine: {cpu}, {cores} cores, {mem} RAM, {os}. Toolchain: {rustc}; {cargo_v}. Baseline generator: {prog}."
    )
}

fn render(machine: &str, sections: &[Section]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# cargo xtask bench\n\n{machine}\n");
    for s in sections {
        let _ = writeln!(out, "## {}\n", s.title);
        let _ = writeln!(out, "| Measure | Ours | Baseline | Ours ÷ baseline | Target | Met |");
        let _ = writeln!(out, "|---|---|---|---|---|---|");
        for r in &s.rows {
            let ratio = r.ratio.map(|x| format!("{x:.2}")).unwrap_or_default();
            let met = match r.met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "",
            };
            let _ = writeln!(out, "| {} | {} | {} | {} | {} | {} |", r.what, r.ours, r.baseline, ratio, r.target, met);
        }
        for n in &s.notes {
            let _ = writeln!(out, "\n{n}");
        }
        let _ = writeln!(out);
    }
    out
}

/// The repository root's `target/` (honouring CARGO_TARGET_DIR).
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"))
}
