//! The vendor-document step of `cargo xtask test`: Telnyx's complete published API, generated
//! with `--skip-unsupported` into a crate that must pass clippy with every resource feature,
//! and compile with none and with its largest resource alone.
//!
//! The document is not committed (the vendor gives no licence). It is Telnyx's OpenAPI 3.0
//! document, `openapi/spec3.yml` of <https://github.com/team-telnyx/openapi> at commit
//! e93b2547cc8f6aae2c953b09eee7b8e1b2342f50, expected at `../shared/real-specs/` beside the
//! repository; the step fails when it is missing.

use std::path::{Path, PathBuf};

/// Where the document is expected, relative to the repository root.
pub const TELNYX_SPEC: &str = "../shared/real-specs/telnyx-openapi-3.0.yml";

/// How many of its operations may be left out: none. Every operation of the document
/// generates; one left out is a regression.
const MAX_SKIPPED: usize = 0;

/// The full Telnyx API generates (leaving out at most [`MAX_SKIPPED`] operations, each with a
/// warning) into a crate that passes `cargo clippy --all-targets -- -D warnings`.
pub fn check(root: &Path, cargo: &str) -> Result<(), String> {
    let spec = root.join(TELNYX_SPEC);
    if !spec.is_file() {
        return Err(format!(
            "{} is missing: it is Telnyx's OpenAPI 3.0 document (team-telnyx/openapi at commit \
             e93b2547cc8f6aae2c953b09eee7b8e1b2342f50, openapi/spec3.yml), which this repository \
             does not commit; put it there",
            spec.display()
        ));
    }
    let options = codegen::Options { skip_unsupported: true };
    let started = std::time::Instant::now();
    let generated = codegen::generate_with(&spec, TELNYX_SPEC, Some("telnyx"), options)
        .map_err(|d| format!("the full Telnyx API does not generate:\n{}", codegen::diag::render(&d.0, None, false)))?;
    eprintln!(
        "{} in {:.1}s, with {} warnings",
        generated.coverage,
        started.elapsed().as_secs_f64(),
        generated.warnings.len()
    );
    if generated.coverage.skipped > MAX_SKIPPED {
        let left_out: Vec<String> = generated
            .warnings
            .iter()
            .filter(|w| w.message.starts_with("left out"))
            .map(|w| format!("  {} at {}", w.message, w.pointer))
            .collect();
        return Err(format!(
            "{} operations were left out, more than the {MAX_SKIPPED} expected:\n{}",
            generated.coverage.skipped,
            left_out.join("\n")
        ));
    }
    let target = root.join("target/vendor-crates");
    let dir: PathBuf = target.join("telnyx");
    codegen::write::sync(&dir, &generated.files, codegen::write::Mode::Write).map_err(|e| e.to_string())?;
    // A workspace of its own, resolved from this repository's lockfile, so the step builds
    // what the committed crate builds and does not join this workspace.
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    if !text.contains("\n[workspace]") {
        std::fs::write(&manifest, format!("{text}\n[workspace]\n")).map_err(|e| e.to_string())?;
    }
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let run = |what: &str, args: &[&str]| -> Result<(), String> {
        let started = std::time::Instant::now();
        let status = std::process::Command::new(cargo)
            .args(args)
            .env("CARGO_TARGET_DIR", target.join("target"))
            .current_dir(&dir)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!("{what} of the generated Telnyx crate in {} failed ({status})", dir.display()));
        }
        eprintln!("{what}: ok in {:.1}s", started.elapsed().as_secs_f64());
        Ok(())
    };
    let Some((feature, operations)) = largest_resource(&generated.api) else {
        // A crate without resource features is one build.
        return run("clippy", &["clippy", "--all-targets", "--", "-D", "warnings"]);
    };
    // Every resource at once, lint-clean; then the builds users make, each of which must
    // compile on its own: no resource feature (the client, errors and shared models), and
    // the largest resource alone.
    run(
        "clippy with every resource (`full`)",
        &["clippy", "--all-targets", "--features", "full", "--", "-D", "warnings"],
    )?;
    run("cargo check without resource features", &["check", "--all-targets"])?;
    run(
        &format!("cargo check with `{feature}` alone ({operations} operations)"),
        &["check", "--all-targets", "--features", feature],
    )
}

/// The feature of the resource with the most operations, when the crate has resource
/// features, and its operation count.
pub fn largest_resource(api: &codegen::ir::Api) -> Option<(&str, usize)> {
    api.resources
        .iter()
        .filter_map(|r| Some((r.feature.as_deref()?, r.operations.len())))
        .max_by_key(|&(name, n)| (n, std::cmp::Reverse(name)))
}
