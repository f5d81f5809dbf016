//! Inputs kept from fuzzing (`codegen/fuzz`, see the README): every file in
//! `fixtures/fuzz/` goes through load → lower → emit → format and must come back as a result
//! (generated or diagnosed), never a panic. A crash the fuzzer finds is added here with the
//! fix, so it stays fixed on stable Rust without the fuzzer.

use std::path::Path;

#[test]
fn kept_fuzz_inputs_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/fuzz exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no kept fuzz inputs in {}", dir.display());
    for path in files {
        let bytes = std::fs::read(&path).expect("readable");
        let text = String::from_utf8_lossy(&bytes);
        let outcome = std::panic::catch_unwind(|| codegen::generate_str("fuzz.yaml", &text, None).map(|_| ()));
        assert!(outcome.is_ok(), "{} panicked", path.display());
    }
}
