//! What compiling a generated crate costs its users: `cargo check` and `cargo build` of the
//! crate alone (dependencies built) and from cold, its dependency tree, its lines of code.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::measure::median;

/// A generated crate set up to be measured on its own: its own workspace and target dir.
pub struct BenchCrate {
    pub dir: PathBuf,
}

/// Figures for one crate.
#[derive(Default)]
pub struct CompileCost {
    pub check_crate: Duration,
    pub build_crate: Duration,
    pub check_cold: Option<Duration>,
    pub build_cold: Option<Duration>,
    /// Crates in the normal dependency tree, the crate itself excluded, for each feature set.
    pub deps: Vec<(String, usize)>,
    /// Non-blank lines of Rust under `src/`, the hand-written runtime among them.
    pub lines: usize,
    /// The same without the runtime files and the spec-example tests (`cfg(test)` only).
    pub lines_per_spec: usize,
}

/// Makes `dir` (a generated crate) a workspace of its own, so it builds alone.
pub fn standalone(dir: &Path, extra_features: Option<(&str, &str)>) -> Result<(), String> {
    let manifest = dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    if let Some((from, to)) = extra_features {
        if !text.contains(from) {
            return Err(format!("{} does not contain `{from}`", manifest.display()));
        }
        text = text.replace(from, to);
    }
    if !text.contains("\n[workspace]") {
        text.push_str("\n[workspace]\n");
    }
    std::fs::write(&manifest, text).map_err(|e| format!("{}: {e}", manifest.display()))
}

/// Copies the generated crate at `from` to `to`, all but a `target` directory, replacing
/// what `to` held but keeping its `target`: a crate regenerated for each benchmark run is
/// measured in one place whose dependencies stay built.
pub fn copy_crate(from: &Path, to: &Path) -> Result<(), String> {
    let err = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    std::fs::create_dir_all(to).map_err(|e| err(to, e))?;
    for entry in std::fs::read_dir(to).map_err(|e| err(to, e))? {
        let path = entry.map_err(|e| err(to, e))?.path();
        if path.file_name().is_some_and(|n| n == "target") {
            continue;
        }
        if path.is_dir() {
            std::fs::remove_dir_all(&path).map_err(|e| err(&path, e))?;
        } else {
            std::fs::remove_file(&path).map_err(|e| err(&path, e))?;
        }
    }
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = from.join(&rel);
        for entry in std::fs::read_dir(&dir).map_err(|e| err(&dir, e))? {
            let entry = entry.map_err(|e| err(&dir, e))?;
            let rel = rel.join(entry.file_name());
            if rel == Path::new("target") {
                continue;
            }
            let source = from.join(&rel);
            if source.is_dir() {
                std::fs::create_dir_all(to.join(&rel)).map_err(|e| err(&to.join(&rel), e))?;
                stack.push(rel);
            } else {
                std::fs::copy(&source, to.join(&rel)).map_err(|e| err(&source, e))?;
            }
        }
    }
    Ok(())
}

fn cargo(cargo: &str, krate: &BenchCrate, args: &[&str]) -> Result<Duration, String> {
    let started = Instant::now();
    let out = Command::new(cargo)
        .args(args)
        .current_dir(&krate.dir)
        .env("CARGO_TARGET_DIR", krate.dir.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let took = started.elapsed();
    if !out.status.success() {
        return Err(format!(
            "`cargo {}` failed in {}:\n{}",
            args.join(" "),
            krate.dir.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(took)
}

/// Rewrites `src/lib.rs` (a new mtime) and runs cargo with `args`: the cost of the crate alone.
fn rebuild(cargo_bin: &str, krate: &BenchCrate, args: &[&str]) -> Result<Duration, String> {
    let lib = krate.dir.join("src/lib.rs");
    let text = std::fs::read(&lib).map_err(|e| e.to_string())?;
    std::fs::write(&lib, text).map_err(|e| e.to_string())?;
    cargo(cargo_bin, krate, args)
}

/// The crate-only cost of each build (a crate and cargo's arguments), median of `runs`, the
/// builds taking turns (A B, B A, …) so that the machine's noise falls on all alike. Each is
/// built once first, so the timings rebuild only the crate.
pub fn in_turns(cargo_bin: &str, builds: &[(&BenchCrate, Vec<&str>)], runs: usize) -> Result<Vec<Duration>, String> {
    for (krate, args) in builds {
        cargo(cargo_bin, krate, args)?;
    }
    let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); builds.len()];
    for round in 0..runs {
        for k in 0..builds.len() {
            let i = (round + k) % builds.len();
            if let (Some((krate, args)), Some(s)) = (builds.get(i), samples.get_mut(i)) {
                s.push(rebuild(cargo_bin, krate, args)?);
            }
        }
    }
    Ok(samples.iter_mut().map(|s| median(s)).collect())
}

/// The crate-only cost of each crate (`command` is `check` or `build`), in turns.
pub fn crate_only(
    cargo_bin: &str,
    crates: &[&BenchCrate],
    command: &str,
    runs: usize,
) -> Result<Vec<Duration>, String> {
    let builds: Vec<(&BenchCrate, Vec<&str>)> = crates.iter().map(|k| (*k, vec![command, "--quiet"])).collect();
    in_turns(cargo_bin, &builds, runs)
}

/// The crate-only cost of one crate under each feature selection (extra arguments to
/// `command`), in turns. Cargo keeps each selection's build apart.
pub fn crate_only_features(
    cargo_bin: &str,
    krate: &BenchCrate,
    command: &str,
    sets: &[&[&str]],
    runs: usize,
) -> Result<Vec<Duration>, String> {
    let builds: Vec<(&BenchCrate, Vec<&str>)> =
        sets.iter().map(|set| (krate, [command, "--quiet"].into_iter().chain(set.iter().copied()).collect())).collect();
    in_turns(cargo_bin, &builds, runs)
}

/// Crates in the normal (non-dev, non-build) dependency tree for a feature selection.
pub fn dependency_count(cargo_bin: &str, krate: &BenchCrate, features: &[&str]) -> Result<usize, String> {
    let mut args = vec!["tree", "-e", "normal", "--prefix", "none", "--format", "{p}"];
    args.extend_from_slice(features);
    let out = Command::new(cargo_bin)
        .args(&args)
        .current_dir(&krate.dir)
        .output()
        .map_err(|e| format!("cannot run cargo tree: {e}"))?;
    if !out.status.success() {
        return Err(format!("cargo tree failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let unique: std::collections::BTreeSet<&str> =
        text.lines().map(|l| l.trim_end_matches(" (*)").trim()).filter(|l| !l.is_empty()).collect();
    Ok(unique.len().saturating_sub(1))
}

/// Non-blank lines of the `.rs` files under `dir`, all of them and those not in `skip`.
pub fn rust_lines(dir: &Path, skip: &[&str]) -> Result<(usize, usize), String> {
    let mut all = 0;
    let mut kept = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
                let n = text.lines().filter(|l| !l.trim().is_empty()).count();
                all += n;
                let rel = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                if !skip.contains(&rel.as_str()) {
                    kept += n;
                }
            }
        }
    }
    Ok((all, kept))
}

/// Measures one crate's cold builds (when `cold`), dependency counts and lines; the
/// crate-only times come from [`crate_only`], with the crates compared taking turns.
pub fn measure(
    cargo_bin: &str,
    krate: &BenchCrate,
    feature_sets: &[(&str, &[&str])],
    skip: &[&str],
    cold: bool,
) -> Result<CompileCost, String> {
    let mut cost = CompileCost::default();
    if cold {
        cargo(cargo_bin, krate, &["clean", "--quiet"])?;
        cost.check_cold = Some(cargo(cargo_bin, krate, &["check", "--quiet"])?);
        cargo(cargo_bin, krate, &["clean", "--quiet"])?;
        cost.build_cold = Some(cargo(cargo_bin, krate, &["build", "--quiet"])?);
    }
    for (label, args) in feature_sets {
        cost.deps.push((label.to_string(), dependency_count(cargo_bin, krate, args)?));
    }
    let (all, kept) = rust_lines(&krate.dir.join("src"), skip)?;
    cost.lines = all;
    cost.lines_per_spec = kept;
    Ok(cost)
}
