//! Helpers shared by the integration tests.

use codegen::ir::{Api, QueryNode, QueryParam, QueryShape};

/// Clears what differs by construction between the deepObject and the flat `filter[a][b]`
/// spelling of one API: the docs of query *object* nodes (the flat spelling has no
/// parameter to carry the text the deepObject spelling puts on `filter` and `page`) and the
/// types' source pointers (they are places in two different documents).
pub fn without_spelling_differences(mut api: Api) -> Api {
    fn strip(params: &mut [QueryParam]) {
        for p in params {
            // Only the deepObject spelling can `$ref` one component for the whole object.
            p.component = None;
            if let QueryNode::Object { fields, .. } = &mut p.node {
                p.docs = None;
                strip(fields);
            }
        }
    }
    for t in &mut api.types {
        t.pointer.clear();
    }
    // An object's own description exists only in the deepObject spelling.
    for t in &mut api.query_types {
        t.docs = None;
        if let QueryShape::Struct { fields } = &mut t.shape {
            strip(fields);
        }
    }
    for r in &mut api.resources {
        for op in &mut r.operations {
            strip(&mut op.query);
        }
    }
    api
}

/// Loads and lowers a spec file, panicking with the diagnostics if it fails.
pub fn lower_file(path: &std::path::Path, label: &str) -> Api {
    let spec = codegen::load::load_file(path, label).unwrap_or_else(|d| panic!("{d}"));
    codegen::lower::lower(&spec).unwrap_or_else(|d| panic!("{d}")).api
}
