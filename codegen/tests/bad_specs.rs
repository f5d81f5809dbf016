//! Every fixture in `fixtures/bad/` is broken in a known way (its first line says how:
//! `# expect: <problem> at <pointer>`, `# expect: warning: …` or `# expect: ok …`). The
//! generator must answer each with the expected outcome at the expected pointer, never a
//! panic, and the rendered diagnostics are pinned as snapshots. Review them like code.

use std::path::Path;

use codegen::diag::{Diagnostic, render};

/// What a fixture's first line promises.
struct Expectation {
    outcome: Outcome,
    /// Pointers the diagnostics must name.
    pointers: Vec<String>,
    /// Any one of `pointers` is enough (the fixture says "also acceptable").
    any: bool,
    /// For YAML syntax errors, which have no pointer: the line.
    line: Option<usize>,
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Fails,
    Warns,
    Generates,
}

fn expectation(text: &str) -> Expectation {
    let first = text.lines().next().unwrap_or("");
    let body = first.strip_prefix("# expect: ").unwrap_or_else(|| panic!("no `# expect:` line: {first}"));
    let outcome = if body.starts_with("warning") {
        Outcome::Warns
    } else if body.starts_with("ok") {
        Outcome::Generates
    } else {
        Outcome::Fails
    };
    let pointers = body
        .split(|c: char| c.is_whitespace() || c == ';' || c == '(' || c == ')' || c == ',')
        .filter(|t| t.starts_with("#/") || *t == "#")
        .map(|t| t.trim_end_matches(['.', ':']).to_string())
        .collect();
    // Syntax errors have no pointer; their comment names the line (`… line 34, col 17)`).
    let line = body.rsplit("line ").next().filter(|_| body.contains("invalid YAML")).and_then(|rest| {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    });
    Expectation { outcome, pointers, any: body.contains("also acceptable"), line }
}

fn check(name: &str, e: &Expectation, diagnostics: &[Diagnostic]) {
    let found: Vec<&str> = diagnostics.iter().map(|d| d.pointer.as_str()).collect();
    if let Some(line) = e.line {
        let lines: Vec<usize> = diagnostics.iter().filter_map(|d| d.position.map(|p| p.line)).collect();
        assert!(lines.contains(&line), "{name}: expected a diagnostic on line {line}, got {lines:?}");
        return;
    }
    let hits = e.pointers.iter().filter(|p| found.contains(&p.as_str())).count();
    let ok = if e.any { hits > 0 } else { hits == e.pointers.len() };
    assert!(ok, "{name}: expected {:?}, got {found:?}", e.pointers);
    assert!(diagnostics.iter().all(|d| d.position.is_some()), "{name}: a diagnostic without a position");
}

#[test]
fn bad_specs() {
    insta::glob!("fixtures/bad/*.yaml", |path: &Path| {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_string();
        let text = std::fs::read_to_string(path).expect("fixture is readable");
        let e = expectation(&text);
        let label = format!("bad/{name}");
        let outcome = std::panic::catch_unwind(|| codegen::generate_str(&label, &text, None));
        let result = outcome.unwrap_or_else(|_| panic!("{name}: the generator panicked"));
        let rendered = match (&e.outcome, result) {
            (Outcome::Fails, Err(d)) => {
                check(&name, &e, &d.0);
                render(&d.0, Some(&text), false)
            }
            (Outcome::Warns, Ok(g)) => {
                assert!(!g.warnings.is_empty(), "{name}: expected a warning");
                check(&name, &e, &g.warnings);
                render(&g.warnings, Some(&text), false)
            }
            (Outcome::Generates, Ok(g)) => {
                assert!(g.warnings.is_empty(), "{name}: unexpected warnings: {:?}", g.warnings);
                "(generates without diagnostics)".to_string()
            }
            (expected, Err(d)) => panic!("{name}: expected {expected:?}, but generation failed:\n{d}"),
            (expected, Ok(g)) => {
                panic!("{name}: expected {expected:?}, but it generated ({} warnings)", g.warnings.len())
            }
        };
        insta::assert_snapshot!(rendered);
    });
}

#[test]
fn there_are_at_least_thirty_bad_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad");
    let count = std::fs::read_dir(dir).expect("fixtures").filter(|e| e.is_ok()).count();
    assert!(count >= 30, "{count}");
}
