//! `cargo xtask codegen` as a maintainer runs it: a spec that fails leaves the output exactly
//! as it was, with a non-zero exit; warnings are shown, and fatal with `--deny-warnings`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn codegen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).arg("codegen").args(args).output().expect("xtask runs")
}

fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).expect("read")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_broken_spec_leaves_the_output_byte_for_byte_as_it_was() {
    let work = tempfile::tempdir().expect("temp dir");
    let spec = work.path().join("openapi.yaml");
    let out = work.path().join("crate");
    let good = std::fs::read_to_string(root().join("spec/openapi.yaml")).expect("spec");
    std::fs::write(&spec, &good).expect("write spec");
    let spec_arg = spec.to_str().expect("utf-8 path");
    let out_arg = out.to_str().expect("utf-8 path");
    assert!(codegen(&["--spec", spec_arg, "--out", out_arg]).status.success());
    std::fs::create_dir_all(out.join("examples")).expect("mkdir");
    std::fs::write(out.join("examples/mine.rs"), "fn main() {}\n").expect("a user's file");
    let before = tree(&out);

    for broken in [
        good.replacen("'#/components/schemas/Room'", "'#/components/schemas/Rooom'", 1),
        good.replacen("openapi: 3.0.3", "openapi: 4.0.0", 1),
        good.replacen("paths:", "paths: [", 1),
    ] {
        assert_ne!(broken, good);
        std::fs::write(&spec, &broken).expect("corrupt the spec");
        let run = codegen(&["--spec", spec_arg, "--out", out_arg]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "{stderr}");
        assert!(stderr.contains("error: ") && stderr.contains("was left unchanged"), "{stderr}");
        assert!(stderr.contains("openapi.yaml:"), "the error names the file and line: {stderr}");
        assert_eq!(tree(&out), before, "the output changed");
    }
}

#[test]
fn warnings_are_shown_and_fatal_with_deny_warnings() {
    let out = tempfile::tempdir().expect("temp dir");
    let spec = root().join("codegen/tests/fixtures/bad/43_default_out_of_range.yaml");
    let (spec, dir) = (spec.to_str().expect("utf-8"), out.path().join("c"));
    let dir = dir.to_str().expect("utf-8");
    let run = codegen(&["--spec", spec, "--out", dir]);
    assert!(run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("warning: the default 100"));

    let denied = tempfile::tempdir().expect("temp dir");
    let dir = denied.path().join("c");
    let run = codegen(&["--spec", spec, "--out", dir.to_str().expect("utf-8"), "--deny-warnings"]);
    assert!(!run.status.success());
    assert!(!dir.exists(), "nothing is written when warnings are denied");
}
