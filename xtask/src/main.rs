//! Maintenance commands for this repository. Run `cargo xtask help`.
//!
//! This binary only parses arguments and prints; the work is in the `codegen` library,
//! which the tests call directly. Each command is a module (`codegen`, `diff`, `test` and the
//! steps it runs itself: `msrv`, `package`, `semver`; `bench`, with `profile`); this file
//! dispatches, holds the help text and the helpers the commands share.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bench;
mod codegen;
mod diff;
mod msrv;
mod package;
mod semver;
mod test;
mod vendor;

const HELP: &str = "\
cargo xtask <command>

Commands:
  codegen            Regenerate generated/ from spec/openapi.yaml
    --check          Write nothing; fail naming every stale file
    --spec PATH      Generate from another OpenAPI 3.0 or 3.1 document (needs --out)
    --out DIR        Write the crate to DIR
    --crate-name N   Package name (default: info.x-rust-crate.name, else from info.title)
    --deny-warnings  Treat spec warnings as errors
    --skip-unsupported
                     Leave out (with a warning) each schema or operation the
                     generator cannot use, and what depends on it, instead of
                     failing; prints how many operations were generated
  diff [OLD.yaml NEW.yaml]
                     The API changes between two specs, classified for the generated
                     crate's users, with the version to publish
    --base REV       Compare spec/openapi.yaml at REV (default HEAD) with the working tree
    --head REV       ... or with spec/openapi.yaml at REV (e.g. two release tags)
    --changelog      Also prepend the report to generated/CHANGELOG.md as a section
    --format json    JSON instead of Markdown
    --deny-breaking  Exit non-zero when a change is breaking
  test               Run every check and test, as CI does: install the Node tools
                     (npm ci), lint the spec, check generated/ is fresh, rustfmt,
                     clippy, rustdoc, the whole test suite, and the contract tests
                     against Prism
  bench              Measure and print the performance table (BENCHMARKS.md): generator
                     stages vs. the floor, vs. progenitor (installed when absent),
                     scaling, compile cost of the generated crate, client overhead
    --quick          Short budgets, one run each, no cold builds (a smoke run)
    --skip-compile   Leave out the compile-cost section (the slowest)
    --no-cold        Compile costs without the cold builds
    --skip-client    Leave out the criterion client benches
    --skip-progenitor
                     Leave out everything that needs cargo-progenitor
    --scale N,N,...  Copies of the spec for the scaling curve (default 1,10,100)
  profile            Run one generation under valgrind's callgrind (instructions, not
                     seconds) and print the costliest functions
    --spec PATH      The spec to generate (default spec/openapi.yaml)
    --top N          How many functions to show (default 40)
  help               Show this text
";

/// The spec and the crate generated from it (whose name and description are in the spec's
/// `info.x-rust-crate`).
const SPEC: &str = "spec/openapi.yaml";
const OUT: &str = "generated";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(message) => {
            // Rendered diagnostics say their own level (`error: …` or `warning: …`).
            if message.starts_with("error:") || message.starts_with("warning:") {
                eprintln!("{message}");
            } else {
                eprintln!("error: {message}");
            }
            ExitCode::FAILURE
        }
    }
}

fn project_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

fn run() -> Result<ExitCode, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let command = match parser.next().map_err(|e| e.to_string())? {
        Some(Value(v)) => v.string().map_err(|e| e.to_string())?,
        Some(Long("help") | Short('h')) | None => {
            print!("{HELP}");
            return Ok(ExitCode::SUCCESS);
        }
        Some(other) => return Err(other.unexpected().to_string()),
    };
    match command.as_str() {
        "codegen" => codegen::cmd(&mut parser),
        "diff" => diff::cmd(&mut parser),
        "test" => test::cmd(&mut parser),
        "bench" => bench::cmd(&mut parser),
        "profile" => bench::profile::cmd(&mut parser),
        // Internal to `bench`: runs a program and prints its wall time and peak RSS.
        "__measure" => bench::measure_cmd(),
        // Internal to `bench`: only parses a YAML file, for the memory floor of reading a spec.
        "__parse-yaml" => bench::parse_yaml_cmd(),
        "help" => {
            print!("{HELP}");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown command `{other}`\n\n{HELP}")),
    }
}

/// Runs cargo and returns its standard output, or its error output as the error.
fn cargo_output(root: &Path, cargo: &str, args: &[&str]) -> Result<String, String> {
    let out = std::process::Command::new(cargo)
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
