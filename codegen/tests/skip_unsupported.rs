//! `--skip-unsupported`: what the generator cannot use is left out with a warning, what
//! depends on it too, and the rest is generated; without the option the same document fails.

use std::path::Path;

fn fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/skip/partly_supported.yaml")
}

#[test]
fn without_the_option_unsupported_input_is_an_error() {
    let err = codegen::generate(&fixture(), "partly_supported.yaml", None).expect_err("fails");
    let messages: Vec<&str> = err.0.iter().map(|d| d.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("`not` schemas")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("multipart/mixed")), "{messages:?}");
}

#[test]
fn with_the_option_everything_else_is_generated_and_each_omission_warned() {
    let options = codegen::Options { skip_unsupported: true };
    let generated =
        codegen::generate_with(&fixture(), "partly_supported.yaml", None, options).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(generated.coverage.to_string(), "generated 1 of 4 operations; 3 skipped");
    let ops: Vec<&str> = generated.api.resources.iter().flat_map(|r| &r.operations).map(|o| o.id.as_str()).collect();
    assert_eq!(ops, ["listThings"]);
    let types: Vec<&str> = generated.api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(types, ["Thing"], "Broken, and Holder which holds it, are left out");
    let said = |pointer: &str, part: &str| {
        generated.warnings.iter().any(|w| w.pointer == pointer && w.message.contains(part) && w.position.is_some())
    };
    assert!(said("#/components/schemas/Broken/not", "unsupported: `not` schemas"));
    assert!(said("#/components/schemas/Broken", "left out schema `Broken`"));
    assert!(said("#/components/schemas/Holder", "left out `Holder`: it holds `Broken`"));
    assert!(said("#/paths/~1holders~1{holder_id}/get", "left out operation `getHolder`: it uses `Holder`"));
    assert!(said("#/paths/~1things/post", "left out operation `uploadThing` (POST /things)"));
    assert!(said("#/paths/~1parts~1{part_id}/get", "left out operation `getPart`"));
    assert!(generated.files.iter().any(|f| f.path == "src/models.rs"));
}

/// A 3.1 schema keyword with no 3.0 form (`prefixItems`) is reported while lowering that
/// schema, so `--skip-unsupported` leaves the schema out like any other unsupported schema.
#[test]
fn an_unsupported_openapi_3_1_keyword_skips_its_schema() {
    let text = "openapi: 3.1.0
info:
  title: T
  version: '1'
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Thing'
components:
  schemas:
    Thing:
      type: object
      properties:
        name:
          type: [string, 'null']
    Point:
      type: array
      prefixItems:
        - type: number
        - type: number
";
    let spec = codegen::load::load_str("t.yaml", text).unwrap_or_else(|d| panic!("{d}"));
    let err = codegen::lower::lower(&spec).expect_err("fails without the option");
    assert!(err.0.iter().any(|d| d.pointer == "#/components/schemas/Point/prefixItems"), "{err}");
    let lowered = codegen::lower::lower_with(&spec, true).unwrap_or_else(|d| panic!("{d}"));
    let types: Vec<&str> = lowered.api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(types, ["Thing"]);
    let at = |pointer: &str| lowered.warnings.iter().any(|w| w.pointer == pointer && w.position.is_some());
    assert!(at("#/components/schemas/Point/prefixItems"), "{:?}", lowered.warnings);
    assert!(at("#/components/schemas/Point"), "{:?}", lowered.warnings);
}
