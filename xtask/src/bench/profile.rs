//! `cargo xtask profile`: one generation under callgrind, which counts instructions rather
//! than seconds (repeatable on a busy machine), and the functions that cost the most.

use std::path::Path;
use std::process::{Command, ExitCode};

/// Parses `cargo xtask profile`'s flags and runs it.
pub fn cmd(parser: &mut lexopt::Parser) -> Result<ExitCode, String> {
    use lexopt::prelude::*;
    let root = crate::project_root();
    let mut spec = root.join(crate::SPEC);
    let mut top = 40;
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("spec") => spec = parser.value().map_err(|e| e.to_string())?.into(),
            Long("top") => {
                top = parser.value().map_err(|e| e.to_string())?.parse().map_err(|e| format!("--top: {e}"))?
            }
            other => return Err(other.unexpected().to_string()),
        }
    }
    run(&root, &spec, top)
}

/// Runs `xtask codegen --spec SPEC --out <temp>` under `valgrind --tool=callgrind` and
/// prints the total and the `top` most expensive functions, inclusive of their callees.
pub fn run(root: &Path, spec: &Path, top: usize) -> Result<ExitCode, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    if cfg!(debug_assertions) {
        let mut args: Vec<String> = std::env::args().skip(1).collect();
        if !args.iter().any(|a| a == "--spec") {
            args.extend(["--spec".to_string(), spec.display().to_string()]);
        }
        let status = Command::new(&cargo)
            .args(["run", "--quiet", "--release", "-p", "xtask", "--"])
            .args(&args)
            .current_dir(root)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        return Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE });
    }
    let work = super::target_dir(root).join("bench/profile");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let out_file = work.join("callgrind.out");
    let status = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg(&me)
        .args(["codegen", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(work.join("crate"))
        .current_dir(root)
        .stdout(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("cannot run valgrind (install Debian's `valgrind`): {e}"))?;
    if !status.success() {
        return Err("the run under callgrind failed".into());
    }
    let report = Command::new("callgrind_annotate")
        .arg("--inclusive=yes")
        .arg(&out_file)
        .output()
        .map_err(|e| format!("cannot run callgrind_annotate: {e}"))?;
    let text = String::from_utf8_lossy(&report.stdout);
    // Keep the total and this program's own functions (not the loader's or libc's frames).
    let mut shown = 0;
    for line in text.lines() {
        if line.contains("PROGRAM TOTALS") {
            println!("{}", line.trim());
        } else if shown < top
            && line.contains("[")
            && line.contains("xtask")
            && !line.contains("(below main)")
            && !line.contains("lang_start")
            && !line.contains("rust_begin_short_backtrace")
        {
            println!("{}", line.trim().replace(&format!(" [{}]", me.display()), ""));
            shown += 1;
        }
    }
    println!("\nfull profile: {} (open with callgrind_annotate or kcachegrind)", out_file.display());
    Ok(ExitCode::SUCCESS)
}
