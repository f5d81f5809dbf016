//! Structure rules checked on the source text (in the spirit of rust-analyzer's tidy
//! tests): emission prints what the IR says and decides nothing the IR does not record.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Lines of `source` (outside comments) that mention one of `forbidden` as a word.
fn offending(source: &str, forbidden: &[&str]) -> Vec<String> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    source
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .filter(|(_, line)| {
            forbidden.iter().any(|word| {
                line.match_indices(word).any(|(at, _)| {
                    let before = line[..at].chars().next_back();
                    let after = line[at + word.len()..].chars().next();
                    !before.is_some_and(is_word) && !after.is_some_and(is_word)
                })
            })
        })
        .map(|(i, line)| format!("{}: {}", i + 1, line.trim()))
        .collect()
}

/// The emitter reads the IR only: no `openapiv3` types, no casing by `heck`, no naming scope
/// and none of `names`' constructors (a name made while printing is a name the IR,
/// `cargo xtask diff` and API.md do not know).
#[test]
fn emit_neither_reads_the_document_nor_makes_names() {
    let forbidden = ["openapiv3", "heck", "Scope"];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/emit");
    let files = rust_files(&dir);
    assert!(files.len() >= 10, "the emitter's files are there: {files:?}");
    let mut found = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).expect("readable");
        for line in offending(&source, &forbidden) {
            found.push(format!("{}:{line}", file.display()));
        }
    }
    assert!(found.is_empty(), "emit/ must not use {forbidden:?}:\n{}", found.join("\n"));
}

/// Of `names`, emission may use only what reads a name (`bare`, `Ident`, `PRELUDE`), never
/// what makes one (`type_name`, `value_name`, `model_name`, …).
#[test]
fn emit_uses_no_name_constructor() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/emit");
    let mut found = Vec::new();
    for file in rust_files(&dir) {
        let source = std::fs::read_to_string(&file).expect("readable");
        for (i, line) in source.lines().enumerate().filter(|(_, l)| !l.trim_start().starts_with("//")) {
            for (at, _) in line.match_indices("names::") {
                let rest = &line[at + "names::".len()..];
                let items: Vec<&str> = match rest.strip_prefix('{') {
                    Some(list) => list.split('}').next().unwrap_or("").split(',').map(str::trim).collect(),
                    None => vec![rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("")],
                };
                if items.iter().any(|item| !["bare", "Ident", "PRELUDE", ""].contains(item)) {
                    found.push(format!("{}:{}: {}", file.display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "emit/ must not make names:\n{}", found.join("\n"));
}

#[test]
fn the_check_finds_what_it_looks_for() {
    let source = "use crate::names::Scope;\n// Scope in a comment\nlet scoped = 1;\nuse heck::ToSnakeCase;\n";
    assert_eq!(offending(source, &["Scope", "heck"]), ["1: use crate::names::Scope;", "4: use heck::ToSnakeCase;"]);
}
