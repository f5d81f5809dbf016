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
    ("operation_removed", "no_content.yaml", &[("  /ping:", "  /x-ping-removed:")], Some(Impact::Breaking)),
    ("auth_added", "security.yaml", &[("      security: []\n", "")], Some(Impact::Breaking)),
    (
        "nullable_field",
        "nullable.yaml",
        &[("        name: {type: string}\n", "        name: {type: string, nullable: true}\n")],
        Some(Impact::Breaking),
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
    ("field_removed", "all_of.yaml", &[("            tag: {type: string}\n", "")], Some(Impact::Breaking)),
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
