//! Errors point at the line, column and JSON pointer of the node that caused them, and one
//! run reports every independent problem.

use codegen::diag::{Diagnostic, Position, Severity};

fn errors(spec: &str) -> Vec<Diagnostic> {
    match codegen::generate_str("bad.yaml", spec, None) {
        Ok(_) => panic!("the spec was accepted"),
        Err(d) => d.0,
    }
}

fn at(d: &Diagnostic) -> (usize, usize, &str) {
    let Position { line, column } = d.position.unwrap_or_else(|| panic!("no position: {d}"));
    (line, column, d.pointer.as_str())
}

const HEAD: &str = "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\n";

#[test]
fn yaml_syntax_errors_have_a_position() {
    let d = errors(&format!("{HEAD}paths:\n  /a: [unclosed\n"));
    assert_eq!(d.len(), 1);
    assert!(d[0].message.starts_with("invalid YAML"), "{}", d[0]);
    assert_eq!(d[0].file, "bad.yaml");
    assert!(d[0].position.is_some_and(|p| p.line >= 6), "{}", d[0]);
}

#[test]
fn a_value_of_the_wrong_type_points_at_its_node() {
    // `paths./a.get.responses` must be a map, not a string.
    let spec = format!("{HEAD}paths:\n  /a:\n    get:\n      operationId: a\n      responses: nope\n");
    let d = errors(&spec);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(at(&d[0]), (9, 7, "#/paths/~1a/get/responses"));
}

#[test]
fn openapi_4_is_reported_as_unsupported_and_3_1_is_read() {
    let d = errors("openapi: 4.0.0\ninfo:\n  title: T\n  version: '1'\npaths: {}\n");
    assert_eq!(at(&d[0]), (1, 1, "#/openapi"));
    assert!(d[0].message.starts_with("unsupported: OpenAPI 4.0.0"), "{}", d[0]);
    assert!(d[0].message.contains("3.0.x and 3.1.x are read, and 3.2.x as far as"), "{}", d[0]);
    assert!(codegen::generate_str("ok.yaml", "openapi: 3.1.0\ninfo:\n  title: T\n  version: '1'\n", None).is_ok());
}

#[test]
fn every_independent_problem_is_reported_with_its_location() {
    let spec = format!(
        "{HEAD}paths:
  /rooms/{{room_id}}:
    get:
      operationId: getRoom
      parameters:
        - name: session
          in: cookie
          schema: {{type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Missing'
  /other:
    get:
      responses:
        '204': {{description: gone}}
"
    );
    let d = errors(&spec);
    let found: Vec<(usize, usize, &str, &str)> = d
        .iter()
        .map(|d| {
            let (l, c, p) = at(d);
            (l, c, p, d.message.as_str())
        })
        .collect();
    assert!(
        found.contains(&(10, 11, "#/paths/~1rooms~1{room_id}/get/parameters/0", "unsupported: cookie parameters")),
        "{found:#?}"
    );
    assert!(
        found.contains(&(
            19,
            17,
            "#/paths/~1rooms~1{room_id}/get/responses/200/content/application~1json/schema/$ref",
            "unresolved reference `#/components/schemas/Missing`"
        )),
        "{found:#?}"
    );
    // Reported beside the errors, as warnings: an operation without an id gets one made
    // from its method and path, and a path parameter the template names but nobody declares
    // (the cookie was the only parameter) is assumed.
    let warned = |pointer: &str, part: &str| {
        d.iter().any(|d| d.severity == Severity::Warning && d.pointer == pointer && d.message.contains(part))
    };
    assert!(warned("#/paths/~1other/get", "GET /other has no operationId; it is `getOther`"), "{found:#?}");
    assert!(warned("#/paths/~1rooms~1{room_id}", "declares no path parameter `room_id`"), "{found:#?}");
    assert!(d.iter().all(|d| d.file == "bad.yaml"));
}

#[test]
fn diagnostics_render_like_a_compiler() {
    let d = errors(&format!("{HEAD}paths:\n  /a:\n    get:\n      operationId: a\n      responses: nope\n"));
    let text = d[0].to_string();
    assert!(text.starts_with("error: does not fit the OpenAPI 3.0 schema: "), "{text}");
    assert!(text.contains("--> bad.yaml:9:7 at #/paths/~1a/get/responses"), "{text}");
}

#[test]
fn a_problem_in_a_shared_component_is_reported_once() {
    let spec = format!(
        "{HEAD}paths:
  /a:
    get:
      operationId: a
      responses:
        '200':
          $ref: '#/components/responses/Shared'
  /b:
    get:
      operationId: b
      responses:
        '200':
          $ref: '#/components/responses/Shared'
components:
  responses:
    Shared:
      description: shared
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/Nowhere'
"
    );
    let d = errors(&spec);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(at(&d[0]), (25, 13, "#/components/responses/Shared/content/application~1json/schema/$ref"));
}

#[test]
fn an_empty_document_is_refused_at_line_1_column_1() {
    for text in ["", "\n", "   \n\t\n"] {
        let d = errors(text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(at(&d[0]), (1, 1, "#"), "{text:?}");
        assert!(d[0].message.contains("empty"), "{}", d[0]);
    }
}

#[test]
fn a_file_that_is_not_utf8_is_refused_at_its_first_invalid_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("latin1.yaml");
    std::fs::write(&path, b"openapi: 3.0.3\ninfo:\n  title: \"caf\xe9\"\n  version: '1'\n").expect("write");
    let Err(d) = codegen::load::load_file(&path, "latin1.yaml") else { panic!("a file that is not UTF-8 loaded") };
    let d = d.0;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(at(&d[0]), (3, 14, "#"));
    assert!(d[0].message.contains("0xE9"), "{}", d[0]);
    assert!(d[0].to_string().contains("latin1.yaml:3:14"), "{}", d[0]);
}

fn warnings(label: &str, spec: &str) -> Vec<Diagnostic> {
    match codegen::generate_str(label, spec, None) {
        Ok(g) => g.warnings,
        Err(d) => panic!("{label} was refused:\n{d}"),
    }
}

/// A spec whose integer bound is beyond 64 bits (`i64::MIN` as JavaScript prints it), with a
/// second mistake after it, in YAML and in JSON.
const BEYOND_64_BITS: [(&str, &str); 2] = [
    (
        "big.yaml",
        "openapi: 3.0.3
info:
  title: T
  version: '1'
paths: {}
components:
  schemas:
    Offset:
      type: integer
      minimum: -9223372036854776000
    Room:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
",
    ),
    (
        "big.json",
        r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {},
"components": {"schemas": {
  "Offset": {"type": "integer", "minimum": -9223372036854776000},
  "Room": {"type": "object", "required": ["id", "name"], "properties": {"id": {"type": "string"}}}}}}
"#,
    ),
];

#[test]
fn an_integer_beyond_64_bits_loads_and_is_a_mistake_the_generator_reads_past() {
    let expected = [
        [(10, 7, "#/components/schemas/Offset/minimum"), (13, 7, "#/components/schemas/Room/required")],
        [(3, 33, "#/components/schemas/Offset/minimum"), (4, 30, "#/components/schemas/Room/required")],
    ];
    for ((label, spec), expected) in BEYOND_64_BITS.iter().zip(expected) {
        let w = warnings(label, spec);
        let found: Vec<(usize, usize, &str)> = w.iter().map(at).collect();
        assert_eq!(found, expected, "{label}: {w:#?}");
        assert_eq!(
            w[0].message,
            "the document is wrong: `minimum: -9223372036854776000` of an integer is outside the 64-bit \
             integers; assumed no minimum",
            "{label}"
        );
        assert_eq!(
            w[1].message,
            "the document is wrong: `required` lists `name`, which is not a property; assumed `name` is not a \
             field and ignored it",
            "{label}"
        );
    }
}

#[test]
fn mistakes_of_the_document_share_one_form() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/features/document_mistakes.yaml");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let w = warnings("document_mistakes.yaml", &text);
    let mistakes: Vec<&Diagnostic> = w.iter().filter(|d| d.message.starts_with(codegen::diag::MISTAKE)).collect();
    assert!(mistakes.len() >= 10, "{w:#?}");
    for d in mistakes {
        assert!(d.message.contains("; assumed "), "{d}");
        assert!(d.position.is_some() && d.hint.is_some(), "{d}");
    }
}

/// A 3.1 document in JSON: a node normalization moved (a `$ref` with a sibling becomes an
/// `allOf` member) is reported at its own line, column and pointer.
#[test]
fn a_moved_node_of_a_json_3_1_document_points_at_its_own_line() {
    let spec = r##"{
  "openapi": "3.1.0",
  "info": {"title": "T", "version": "1"},
  "paths": {},
  "components": {"schemas": {"A": {"type": "object", "properties": {
    "b": {"description": "x",
          "$ref": "#/components/schemas/Missing"}}}}}
}
"##;
    let d = errors(spec);
    assert_eq!(at(&d[0]), (7, 11, "#/components/schemas/A/properties/b/$ref"), "{}", d[0]);
}

#[test]
fn a_problem_under_a_key_written_twice_points_at_it() {
    // `200` and `'200'` (YAML), or a name repeated (JSON, whose last value is read): the
    // problem is in the second, and is located there whatever else the run reports.
    let yaml = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        200:\n          \
         description: first\n        '200':\n          description: second\n          content:\n            \
         application/json:\n              schema: {{type: integer, minimum: 0.5}}\n"
    );
    let json = r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {"/a": {"get": {
"operationId": "a", "responses": {"200": {"description": "first"},
"200": {"description": "second", "content": {"application/json": {"schema": {"type": "integer", "minimum": 0.5}}}}}}}}}
"#;
    let pointer = "#/paths/~1a/get/responses/200/content/application~1json/schema/minimum";
    for (label, spec, expected) in [("twice.yaml", yaml.as_str(), (16, 39)), ("twice.json", json, (3, 97))] {
        let w = warnings(label, spec);
        let found: Vec<(usize, usize, &str)> = w.iter().map(at).collect();
        assert_eq!(found, [(expected.0, expected.1, pointer)], "{label}: {w:#?}");
    }
}

#[test]
fn a_problem_after_an_alias_as_a_key_points_at_it() {
    // `*t : integer` is `type: integer`; the entries after it are located as written.
    let spec = format!(
        "{HEAD}x-words: [&t type]\npaths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n        \
         - name: q\n          in: query\n          schema:\n            *t : integer\n            \
         x-note: minimum\n            minimum: 0.5\n      responses:\n        '204': {{description: ok}}\n"
    );
    let w = warnings("alias.yaml", &spec);
    let found: Vec<(usize, usize, &str)> = w.iter().map(at).collect();
    assert_eq!(found, [(16, 13, "#/paths/~1a/get/parameters/0/schema/minimum")], "{w:#?}");
}

#[test]
fn a_crate_name_its_own_examples_could_not_name_is_refused_and_no_title_gives_one() {
    // Cargo reads `name = "fn"` or `"std"` in a manifest, but `use fn::Client` does not
    // compile, and `std` is shadowed by Rust's own in the crate's doctests. The name is
    // refused with a warning (`--crate-name` can name the crate over a vendor's document),
    // and the crate is named from the title.
    for (name, what) in [
        ("fn", "a Rust keyword"),
        ("self", "a Rust keyword"),
        ("gen", "a Rust keyword"),
        ("std", "a crate of Rust's standard library"),
        ("proc-macro", "a crate of Rust's standard library"),
    ] {
        let spec = format!("{HEAD}  x-rust-crate:\n    name: {name}\npaths: {{}}\n");
        let g = codegen::generate_str("bad.yaml", &spec, None).expect("generates");
        let d = &g.warnings;
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(at(&d[0]), (6, 5, "#/info/x-rust-crate/name"), "{}", d[0]);
        assert!(d[0].message.contains(&format!("`{name}` is {what}")), "{}", d[0]);
        let manifest = g.files.iter().find(|f| f.path == "Cargo.toml").expect("a manifest");
        assert!(manifest.text.contains("\nname = \"t\"\n"), "{}", manifest.text);
        let named = codegen::generate_str("bad.yaml", &spec, Some("acme-api")).expect("generates");
        let manifest = named.files.iter().find(|f| f.path == "Cargo.toml").expect("a manifest");
        assert!(manifest.text.contains("\nname = \"acme-api\"\n"), "{}", manifest.text);
    }
    for (title, name) in [("Self", "self-api"), ("Core", "core-api"), ("Test", "test")] {
        let spec = format!("openapi: 3.0.3\ninfo:\n  title: {title}\n  version: '1'\npaths: {{}}\n");
        let g = codegen::generate_str("ok.yaml", &spec, None).expect("generates");
        let manifest = g.files.iter().find(|f| f.path == "Cargo.toml").expect("a manifest");
        assert!(manifest.text.contains(&format!("\nname = \"{name}\"\n")), "{}", manifest.text);
    }
}
