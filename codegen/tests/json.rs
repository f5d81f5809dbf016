//! JSON documents are read with JSON's rules (field report kind 12): escapes such as
//! surrogate pairs and integers of any size load, and a syntax error is reported in JSON's
//! words at its line and column.

const DOC: &str = r#"{
  "openapi": "3.0.3",
  "info": {"title": "Smiles \ud83d\ude00", "version": "1"},
  "paths": {
    "/counts": {
      "get": {
        "operationId": "listCounts",
        "responses": {
          "200": {
            "description": "Counts.",
            "content": {"application/json": {"schema": {
              "type": "array",
              "items": {"type": "integer", "example": 18446744073709551616}
            }}}
          }
        }
      }
    }
  }
}
"#;

#[test]
fn a_json_document_loads_with_json_rules() {
    let generated = codegen::generate_str("spec.json", DOC, Some("smiles")).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(generated.api.title, "Smiles 😀");
    // Recognised by its first character too, whatever the file is called.
    let generated = codegen::generate_str("spec", DOC, Some("smiles")).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(generated.api.title, "Smiles 😀");
}

#[test]
fn a_json_syntax_error_is_reported_in_json_terms_at_its_place() {
    let broken = DOC.replace(r#""version": "1"}"#, r#""version": "1",}"#);
    let d = codegen::generate_str("spec.json", &broken, None).err().map(|d| d.0).unwrap_or_default();
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].message.starts_with("invalid JSON"), "{}", d[0]);
    let position = d[0].position.expect("a position");
    // At the `}` the trailing comma leaves without a member.
    assert_eq!((position.line, position.column), (3, 59), "{}", d[0]);
}

#[test]
fn problems_in_a_json_document_with_escapes_still_have_a_place() {
    let cookie = DOC.replace(
        r#""operationId": "listCounts","#,
        r#""operationId": "listCounts", "parameters": [{"name": "c", "in": "cookie", "schema": {"type": "string"}}],"#,
    );
    let d = codegen::generate_str("spec.json", &cookie, None).err().map(|d| d.0).unwrap_or_default();
    assert_eq!(d.len(), 1, "{d:?}");
    let position = d[0].position.expect("a position despite the surrogate-pair escape");
    assert_eq!(position.line, 7, "{}", d[0]);
}
