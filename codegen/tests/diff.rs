//! `codegen::diff` on pairs of specs: a feature fixture and the same fixture with one edit.
//! Each pair asserts its verdict and pins the Markdown report (review it like code).

use std::path::Path;

use codegen::diff::{Impact, compare};

fn lower(label: &str, text: &str) -> codegen::ir::Api {
    let spec = codegen::load::load_str(label, text).unwrap_or_else(|d| panic!("{label}: {d}"));
    codegen::lower::lower(&spec).unwrap_or_else(|d| panic!("{label}: {d}")).api
}

/// (name, fixture, [(from, to)], expected verdict)
type Case = (&'static str, &'static str, &'static [(&'static str, &'static str)], Option<Impact>);

const CASES: &[Case] = &[
    ("unchanged", "deep_object.yaml", &[], None),
    (
        "docs_only",
        "deep_object.yaml",
        &[("Only widgets of this kind.", "Only widgets of this kind (size).")],
        Some(Impact::Patch),
    ),
    ("enum_value_added", "enums.yaml", &[("[opus, h264, vp8]", "[opus, h264, vp8, av1]")], Some(Impact::Minor)),
    ("enum_value_removed", "enums.yaml", &[("[opus, h264, vp8]", "[opus, h264]")], Some(Impact::Breaking)),
    ("range_widened", "deep_object.yaml", &[("maximum: 100", "maximum: 250")], Some(Impact::Minor)),
    ("range_narrowed", "deep_object.yaml", &[("maximum: 100", "maximum: 50")], Some(Impact::Breaking)),
    (
        "optional_field_added",
        "one_of.yaml",
        &[("        radius: {type: number}\n", "        radius: {type: number}\n        label: {type: string}\n")],
        Some(Impact::Minor),
    ),
    ("operation_moved", "no_content.yaml", &[("  /ping:", "  /pings:")], Some(Impact::Patch)),
    (
        "operation_removed",
        "no_content.yaml",
        &[(
            "  /ping:\n    get:\n      tags: [Things]\n      operationId: ping\n      summary: Ping the service\n      responses:\n        default:\n          description: Unexpected error.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Errors'\n",
            "",
        )],
        Some(Impact::Breaking),
    ),
    ("auth_added", "security.yaml", &[("      security: []\n", "")], Some(Impact::Breaking)),
    (
        "nullable_field",
        "nullable.yaml",
        &[(
            "description: Optional, not nullable.\n          type: string\n",
            "description: Optional, not nullable.\n          type: string\n          nullable: true\n",
        )],
        Some(Impact::Breaking),
    ),
    // A new property takes the Rust name an existing one had: `created_at` now means
    // `createdAt` (an integer) and the old field becomes `created_at2`.
    (
        "rust_name_moves",
        "nullable.yaml",
        &[(
            "        created_at:\n          type: string\n",
            "        createdAt: {type: integer}\n        created_at:\n          type: string\n",
        )],
        Some(Impact::Breaking),
    ),
    // A name the spec chooses is a rename like any other.
    (
        "x_rust_name_renames_a_field",
        "nullable.yaml",
        &[("        name: {type: string}\n", "        name: {type: string, x-rust-name: display_name}\n")],
        Some(Impact::Breaking),
    ),
    // In a type only received, absent and `null` are both `None`: the Rust type stays.
    (
        "nullable_response_field",
        "nullable.yaml",
        &[("        name: {type: string}\n", "        name: {type: string, nullable: true}\n")],
        None,
    ),
    (
        "header_becomes_required",
        "security.yaml",
        &[(
            "          required: false\n          description: Correlation id",
            "          required: true\n          description: Correlation id",
        )],
        Some(Impact::Breaking),
    ),
    (
        "operation_renamed",
        "security.yaml",
        &[("operationId: getSecure", "operationId: fetchSecure")],
        Some(Impact::Breaking),
    ),
    (
        "field_becomes_required",
        "nullable.yaml",
        &[("required: [display_name, motto]", "required: [display_name, motto, name]")],
        Some(Impact::Breaking),
    ),
    (
        "optional_query_param_removed",
        "deep_object.yaml",
        &[(
            "        - name: include_parts\n          in: query\n          description: Include the parts of each widget.\n          required: false\n          schema: {type: boolean}\n",
            "",
        )],
        Some(Impact::Breaking),
    ),
    (
        "union_variant_added",
        "one_of.yaml",
        &[(
            "        - $ref: '#/components/schemas/Square'\n",
            "        - $ref: '#/components/schemas/Square'\n        - {type: string, title: Label}\n",
        )],
        Some(Impact::Breaking),
    ),
    (
        "param_type_changed",
        "deep_object.yaml",
        &[(
            "                type: string\n                format: uuid\n                description: Only widgets owned by this user.",
            "                type: string\n                description: Only widgets owned by this user.",
        )],
        Some(Impact::Breaking),
    ),
    (
        "error_status_added",
        "no_content.yaml",
        &[(
            "      responses:\n        '202':\n",
            "      responses:\n        '404':\n          description: No such thing.\n        '202':\n",
        )],
        Some(Impact::Patch),
    ),
    (
        "return_type_changed",
        "envelopes.yaml",
        &[(
            "                    items:\n                      $ref: '#/components/schemas/Gadget'\n",
            "                    items:\n                      $ref: '#/components/schemas/Meta'\n",
        )],
        Some(Impact::Breaking),
    ),
    ("success_status_changed", "no_content.yaml", &[("        '202':\n", "        '200':\n")], Some(Impact::Patch)),
    ("field_removed", "all_of.yaml", &[("            tag: {type: string}\n", "")], Some(Impact::Breaking)),
    // The text of a segment that mixes text and parameters: the route, not the Rust API.
    (
        "mixed_segment_text_changed",
        "vendor_operations.yaml",
        &[("  /recordings/{recording_sid}.json:", "  /recordings/{recording_sid}.xml:")],
        Some(Impact::Patch),
    ),
    // An operation named from its method and path gets an operationId: its parameters type
    // is renamed from the made id's to the chosen one's.
    (
        "operation_id_given",
        "vendor_operations.yaml",
        &[(
            "    get:\n      summary: Get an invoice\n",
            "    get:\n      operationId: getInvoice\n      summary: Get an invoice\n",
        )],
        Some(Impact::Breaking),
    ),
    (
        "model_added",
        "one_of.yaml",
        &[(
            "        side: {type: number}\n",
            "        side: {type: number}\n    Extra:\n      type: object\n      properties:\n        x: {type: string}\n",
        )],
        Some(Impact::Minor),
    ),
];

#[test]
fn diff_pairs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/features");
    for (name, fixture, edits, verdict) in CASES {
        let old_text = std::fs::read_to_string(dir.join(fixture)).expect("fixture");
        let mut new_text = old_text.clone();
        for (from, to) in *edits {
            assert!(new_text.contains(from), "{name}: `{from}` not in {fixture}");
            new_text = new_text.replacen(from, to, 1);
        }
        let report = compare(&lower("old", &old_text), &lower("new", &new_text));
        assert_eq!(report.verdict, *verdict, "{name}: {:#?}", report.changes);
        insta::assert_snapshot!(format!("diff_{name}"), report.markdown("0.3.1"));
    }
}

#[test]
fn next_versions_follow_semver() {
    let report = |verdict| codegen::diff::Report { changes: Vec::new(), verdict };
    assert_eq!(report(Some(Impact::Breaking)).next_version("0.3.1"), "0.4.0");
    assert_eq!(report(Some(Impact::Minor)).next_version("0.3.1"), "0.3.2");
    assert_eq!(report(Some(Impact::Breaking)).next_version("1.2.3"), "2.0.0");
    assert_eq!(report(Some(Impact::Minor)).next_version("1.2.3"), "1.3.0");
    assert_eq!(report(Some(Impact::Patch)).next_version("1.2.3"), "1.2.4");
    assert_eq!(report(None).next_version("1.2.3"), "1.2.3");
}

/// Cases where cargo-semver-checks and this diff disagree, and why this diff is right. Any
/// other disagreement fails the cross-check.
const KNOWN_DISAGREEMENTS: &[(&str, &str)] = &[
    (
        "rust_name_moves",
        "the public field `created_at` keeps its name but now holds `createdAt` (an integer, not a date-time), so code reading it stops compiling or reads another value; semver-checks has no lint for a field's type",
    ),
    (
        "range_narrowed",
        "a narrower documented range is checked before sending, so a call that worked now fails; the Rust API is unchanged, which is all semver-checks sees",
    ),
    ("auth_added", "the operation now needs a key, so a keyless client that called it fails; no signature changes"),
    (
        "nullable_field",
        "a public field's type changes (`Option<String>` → `Option<Option<String>>`), so code reading it stops compiling; semver-checks has no lint for a field's type",
    ),
    (
        "param_type_changed",
        "a setter's argument changes from `impl Into<Uuid>` to `impl Into<String>`, so a call passing a `Uuid` stops compiling; semver-checks does not compare argument types",
    ),
    (
        "return_type_changed",
        "`send()` returns another type, so code using the result stops compiling; semver-checks does not compare return types",
    ),
];

/// Generates the crate for `text` into `dir`.
fn crate_at(dir: &Path, text: &str) {
    let generated = codegen::generate_str("spec.yaml", text, Some("diff-case")).unwrap_or_else(|d| panic!("{d}"));
    codegen::write::sync(dir, &generated.files, codegen::write::Mode::Write).expect("write");
    std::fs::write(
        dir.join("Cargo.toml"),
        std::fs::read_to_string(dir.join("Cargo.toml")).expect("manifest") + "\n[workspace]\n",
    )
    .expect("standalone manifest");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock"), dir.join("Cargo.lock"))
        .expect("lockfile");
}

/// Every case's verdict checked against cargo-semver-checks on the generated crates: a
/// breaking verdict here must be a failing `check-release --release-type patch` there, and
/// anything else a passing one, except the disagreements recorded above.
#[test]
#[ignore = "needs cargo-semver-checks (installed by `cargo xtask test`) and builds 40 crates' rustdoc"]
fn verdicts_agree_with_cargo_semver_checks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/features");
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/semver-checks");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut disagreements = Vec::new();
    for (name, fixture, edits, verdict) in CASES {
        let old_text = std::fs::read_to_string(dir.join(fixture)).expect("fixture");
        let mut new_text = old_text.clone();
        for (from, to) in *edits {
            new_text = new_text.replacen(from, to, 1);
        }
        let work = tempfile::tempdir().expect("temp dir");
        let (old_dir, new_dir) = (work.path().join("old"), work.path().join("new"));
        crate_at(&old_dir, &old_text);
        crate_at(&new_dir, &new_text);
        let out = std::process::Command::new(&cargo)
            .args(["semver-checks", "check-release", "--color", "never", "--release-type", "patch", "--baseline-root"])
            .arg(&old_dir)
            .arg("--manifest-path")
            .arg(new_dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .expect("cargo semver-checks runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() || stderr.contains("semver requires new"),
            "{name}: cargo semver-checks did not run:\n{stderr}"
        );
        let theirs_breaking = !out.status.success();
        let ours_breaking = *verdict == Some(Impact::Breaking);
        let known = KNOWN_DISAGREEMENTS.iter().any(|(n, _)| n == name);
        eprintln!(
            "{name}: ours breaking={ours_breaking}, semver-checks breaking={theirs_breaking}{}",
            if known { " (known)" } else { "" }
        );
        if (ours_breaking != theirs_breaking) != known {
            disagreements.push(format!(
                "{name}: ours breaking={ours_breaking}, semver-checks breaking={theirs_breaking}\n{stderr}"
            ));
        }
    }
    assert!(disagreements.is_empty(), "unrecorded disagreements:\n{}", disagreements.join("\n"));
}
