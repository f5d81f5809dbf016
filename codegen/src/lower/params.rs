//! Parameters: path and header parameters as flat lists, query parameters as a tree.
//!
//! Two spellings of one request lower to the same tree: a `filter` parameter with
//! `style: deepObject` and a nested object schema, and separate parameters literally named
//! `filter[date_created_at][gte]`. Object nodes get their type names later, once every
//! operation is lowered and objects of the same shape can share one (`query_types`); enums
//! at the leaves are named from the operation id and the key path.

use openapiv3::{Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, Schema, SchemaKind, Type};

use super::Lowerer;
use super::schemas::{Properties, constraints_of};
use crate::diag::push_pointer;
use crate::ir::{ArrayEncoding, Param, QueryNode, QueryParam, TypeRef, bracketed_key};
use crate::names::{self, Ident, Scope};

/// Lowered parameters of one operation.
#[derive(Default)]
pub(super) struct Params {
    pub path: Vec<Param>,
    pub query: Vec<QueryParam>,
    pub headers: Vec<Param>,
}

/// Names shared while lowering one operation's parameters.
pub(super) struct ParamNaming<'s> {
    /// Hint prefix for named leaf types (the operation id).
    pub op_id: String,
    /// Names of the request builder's fields and setters.
    pub builder_scope: &'s mut Scope,
}

/// A parameter of an operation as declared: where it is used (`at`), where it is written
/// (`pointer`: its `components/parameters` entry when given by `$ref`, else `at`), and the
/// name of that entry. Problems with the parameter itself are reported at `pointer`, so a
/// shared parameter's problem is reported once, not once per operation.
pub(super) struct Declared<'a> {
    pub param: &'a Parameter,
    pub at: String,
    pub pointer: String,
    pub component: Option<String>,
}

impl<'a> Lowerer<'a> {
    /// Lowers an operation's parameters (already merged with the path item's). Returns what
    /// could be lowered, and whether everything could, so later checks (the path template)
    /// still run and report their own problems.
    pub(super) fn lower_params(&mut self, params: &[Declared<'a>], naming: &mut ParamNaming<'_>) -> (Params, bool) {
        let mut out = Params::default();
        let mut ok = true;
        // Path parameters first so positional arguments claim their names first.
        for Declared { param: p, pointer: at, .. } in params {
            if let Parameter::Path { parameter_data, .. } = p {
                match self.simple_param(parameter_data, at, naming, true) {
                    Some(param) => out.path.push(param),
                    None => ok = false,
                }
            }
        }
        for Declared { param: p, pointer: at, component, .. } in params {
            match p {
                Parameter::Path { .. } => {}
                Parameter::Query { parameter_data, style, allow_reserved, .. } => {
                    if *allow_reserved {
                        self.unsupported(
                            &push_pointer(at, "allowReserved"),
                            &format!("`allowReserved: true` on query parameter `{}`", parameter_data.name),
                            Some("remove `allowReserved`: the client percent-encodes reserved characters (`/`, `?`, `&`, …) in query values"),
                        );
                        ok = false;
                        continue;
                    }
                    if !self.query_param(parameter_data, style, at, component.as_deref(), naming, &mut out.query) {
                        ok = false;
                    }
                }
                Parameter::Header { parameter_data, .. } => {
                    let lower = parameter_data.name.to_ascii_lowercase();
                    if ["accept", "content-type", "authorization"].contains(&lower.as_str()) {
                        self.warning(
                            at,
                            format!("header parameter `{}` is ignored", parameter_data.name),
                            Some("OpenAPI 3.0 says Accept, Content-Type and Authorization parameters are ignored; the client sets them".into()),
                        );
                        continue;
                    }
                    match self.simple_param(parameter_data, at, naming, false) {
                        Some(param) => out.headers.push(param),
                        None => ok = false,
                    }
                }
                Parameter::Cookie { .. } => {
                    self.unsupported(
                        at,
                        "cookie parameters",
                        Some("send the cookie as a header or drop the parameter"),
                    );
                    ok = false;
                }
            }
        }
        (out, ok)
    }

    fn param_schema(&mut self, data: &'a openapiv3::ParameterData, at: &str) -> Option<&'a ReferenceOr<Schema>> {
        match &data.format {
            ParameterSchemaOrContent::Schema(s) => Some(s),
            ParameterSchemaOrContent::Content(_) => {
                self.unsupported(
                    &push_pointer(at, "content"),
                    "parameters described with `content`",
                    Some("describe the parameter with `schema`"),
                );
                None
            }
        }
    }

    /// A path or header parameter: a scalar (or enum) value.
    fn simple_param(
        &mut self,
        data: &'a openapiv3::ParameterData,
        at: &str,
        naming: &mut ParamNaming<'_>,
        path: bool,
    ) -> Option<Param> {
        let schema = self.param_schema(data, at)?;
        let schema_at = push_pointer(at, "schema");
        let hint = format!("{} {}", naming.op_id, data.name);
        let ty = self.type_ref(schema, &schema_at, &hint)?;
        if !self.is_scalar_like(&ty) {
            let kind = if path { "path" } else { "header" };
            self.unsupported(&schema_at, &format!("a {kind} parameter that is not a scalar"), None);
            return None;
        }
        Some(Param {
            rust_name: naming.builder_scope.unique(names::value_name(&data.name, "param")),
            wire_name: data.name.clone(),
            ty,
            required: data.required || path,
            docs: super::prose(data.description.as_ref()),
            constraints: self.peek(schema).map(constraints_of).unwrap_or_default(),
        })
    }

    /// Whether a type can be written as one query, path or header value.
    fn is_scalar_like(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Scalar(_) => true,
            TypeRef::Named(name) => self.types.iter().any(|t| {
                &t.name == name
                    && match &t.kind {
                        crate::ir::TypeKind::Enum { .. } => true,
                        crate::ir::TypeKind::Alias { target } => matches!(target, TypeRef::Scalar(_)),
                        _ => false,
                    }
            }),
            _ => false,
        }
    }

    fn query_param(
        &mut self,
        data: &'a openapiv3::ParameterData,
        style: &QueryStyle,
        at: &str,
        component: Option<&str>,
        naming: &mut ParamNaming<'_>,
        tree: &mut Vec<QueryParam>,
    ) -> bool {
        let Some(schema) = self.param_schema(data, at) else { return false };
        let schema_at = push_pointer(at, "schema");
        let is_object = self.peek(schema).is_some_and(is_object_schema);
        let keys = match split_brackets(&data.name) {
            Ok(keys) => keys,
            Err(why) => {
                self.unsupported(
                    &push_pointer(at, "name"),
                    &format!("query parameter name `{}`: {why}", data.name),
                    None,
                );
                return false;
            }
        };
        match style {
            QueryStyle::DeepObject if !is_object => {
                self.error(
                    &schema_at,
                    format!("`{}` has `style: deepObject` but its schema is not an object", data.name),
                    Some("give it an object schema, or use `style: form`".into()),
                );
                return false;
            }
            QueryStyle::Form if is_object => {
                self.unsupported(
                    &push_pointer(at, "style"),
                    &format!("object query parameter `{}` with `style: form`", data.name),
                    Some("use `style: deepObject, explode: true` for `key[field]=value` encoding"),
                );
                return false;
            }
            QueryStyle::DeepObject if data.explode == Some(false) => {
                self.unsupported(
                    &push_pointer(at, "explode"),
                    &format!("`style: deepObject` with `explode: false` on `{}`", data.name),
                    Some("OpenAPI defines deepObject with `explode: true` only"),
                );
                return false;
            }
            _ => {}
        }
        // How an array is written: OpenAPI 3.0's `style` and `explode` (form explodes by
        // default; spaceDelimited and pipeDelimited are defined for arrays not exploded).
        let array = match (style, data.explode) {
            (QueryStyle::Form | QueryStyle::DeepObject, None | Some(true)) => ArrayEncoding::Repeated,
            (QueryStyle::Form, Some(false)) => ArrayEncoding::CommaJoined,
            (QueryStyle::SpaceDelimited, Some(false) | None) => ArrayEncoding::SpaceJoined,
            (QueryStyle::PipeDelimited, Some(false) | None) => ArrayEncoding::PipeJoined,
            (QueryStyle::SpaceDelimited | QueryStyle::PipeDelimited, Some(true)) => ArrayEncoding::Repeated,
            (QueryStyle::DeepObject, Some(false)) => ArrayEncoding::Repeated,
        };
        let is_array = self.peek(schema).and_then(super::typing::typed).is_some_and(|t| matches!(*t, Type::Array(_)));
        if matches!(style, QueryStyle::SpaceDelimited | QueryStyle::PipeDelimited) && !is_array {
            self.unsupported(
                &push_pointer(at, "style"),
                &format!("`spaceDelimited` or `pipeDelimited` on `{}`, which is not an array", data.name),
                Some("OpenAPI defines these styles for arrays; use `style: form`"),
            );
            return false;
        }
        let node = if is_object {
            match self.deep_node(schema, &schema_at, &keys, naming) {
                Some(node) => node,
                None => return false,
            }
        } else {
            let hint = format!("{} {}", naming.op_id, keys.join(" "));
            let Some(ty) = self.type_ref(schema, &schema_at, &hint) else { return false };
            // An inline enum at a leaf is documented by its parameter when its schema says
            // nothing, as the deepObject spelling documents it by its property.
            self.document_new_type(&ty, data.description.as_deref());
            let leaf_ok = self.is_scalar_like(&ty)
                || (keys.len() == 1 && matches!(&ty, TypeRef::Array(item) if self.is_scalar_like(item)));
            if !leaf_ok {
                self.unsupported(
                    &schema_at,
                    &format!("query parameter `{}` of this type", data.name),
                    Some("query values must be scalars, enums, or (top level only) arrays of them"),
                );
                return false;
            }
            let peeked = self.peek(schema);
            QueryNode::Leaf {
                array: if matches!(ty, TypeRef::Array(_)) { array } else { ArrayEncoding::Repeated },
                ty,
                constraints: peeked.map(constraints_of).unwrap_or_default(),
                default: peeked.and_then(|s| s.schema_data.default.clone()),
            }
        };
        let docs = super::prose(data.description.as_ref())
            .or_else(|| self.peek(schema).and_then(|s| super::prose(s.schema_data.description.as_ref())));
        let component = (keys.len() == 1).then(|| component.map(str::to_string)).flatten();
        let node = Node { node, required: data.required, docs, component };
        self.insert(tree, &keys, 0, node, naming, at)
    }

    /// Inserts a node at `keys[depth..]`, creating the object nodes on the way.
    fn insert(
        &mut self,
        level: &mut Vec<QueryParam>,
        keys: &[String],
        depth: usize,
        node: Node,
        naming: &mut ParamNaming<'_>,
        at: &str,
    ) -> bool {
        let Some(key) = keys.get(depth) else { return false };
        let existing = level.iter().position(|q| &q.wire_name == key);
        if depth + 1 == keys.len() {
            if existing.is_some() {
                self.error(at, format!("query parameter `{}` is declared twice", bracketed_key(keys)), None);
                return false;
            }
            let rust_name = child_name(level, key, depth, naming);
            level.push(QueryParam {
                setter: rust_name.clone(),
                rust_name,
                component: node.component,
                wire_name: key.clone(),
                required: node.required,
                docs: node.docs,
                node: node.node,
            });
            return true;
        }
        let index = match existing {
            Some(i) => i,
            None => {
                let rust_name = child_name(level, key, depth, naming);
                level.push(QueryParam {
                    setter: rust_name.clone(),
                    rust_name,
                    component: None,
                    wire_name: key.clone(),
                    required: false,
                    docs: None,
                    // Provisional: `query_types` names it with the other objects of its shape.
                    node: QueryNode::Object {
                        type_name: names::type_name(&keys.get(..=depth).unwrap_or(keys).join(" "), "Query"),
                        fields: Vec::new(),
                    },
                });
                level.len() - 1
            }
        };
        let Some(parent) = level.get_mut(index) else { return false };
        let QueryNode::Object { fields, .. } = &mut parent.node else {
            self.error(
                at,
                format!(
                    "query parameter `{}` is both a value and an object",
                    bracketed_key(keys.get(..=depth).unwrap_or(keys))
                ),
                None,
            );
            return false;
        };
        let mut children = std::mem::take(fields);
        let ok = self.insert(&mut children, keys, depth + 1, node, naming, at);
        if let QueryNode::Object { fields, .. } = &mut parent.node {
            *fields = children;
        }
        ok
    }

    /// Lowers a deepObject schema into an object node, recursively.
    fn deep_node(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        at: &str,
        keys: &[String],
        naming: &mut ParamNaming<'_>,
    ) -> Option<QueryNode> {
        let s = self.peek(schema)?;
        self.deep_object(s, at, keys, naming)
    }

    fn deep_object(
        &mut self,
        s: &'a Schema,
        at: &str,
        keys: &[String],
        naming: &mut ParamNaming<'_>,
    ) -> Option<QueryNode> {
        let (props, required): (Properties<'a>, &'a [String]) = match &s.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (o.properties.iter().collect(), &o.required),
            SchemaKind::Any(a) => (a.properties.iter().collect(), &a.required),
            _ => return None,
        };
        let mut fields: Vec<QueryParam> = Vec::new();
        let mut scope = Scope::default();
        let props_at = push_pointer(at, "properties");
        let mut ok = true;
        for (wire, prop) in props {
            let p_at = push_pointer(&props_at, wire);
            let mut child_keys = keys.to_vec();
            child_keys.push(wire.clone());
            let peeked = self.peek(prop);
            let node = if peeked.is_some_and(is_object_schema) {
                let Some(inner) = peeked else { continue };
                match self.deep_object(inner, &p_at, &child_keys, naming) {
                    Some(n) => n,
                    None => {
                        ok = false;
                        continue;
                    }
                }
            } else {
                let hint = format!("{} {}", naming.op_id, child_keys.join(" "));
                let Some(ty) = self.type_ref(prop, &p_at, &hint) else {
                    ok = false;
                    continue;
                };
                if !self.is_scalar_like(&ty) {
                    self.unsupported(&p_at, "a deepObject field that is not a scalar, enum or object", None);
                    ok = false;
                    continue;
                }
                QueryNode::Leaf {
                    ty,
                    array: ArrayEncoding::Repeated,
                    constraints: peeked.map(constraints_of).unwrap_or_default(),
                    default: peeked.and_then(|p| p.schema_data.default.clone()),
                }
            };
            let rust_name = scope.unique(names::value_name(wire, "field"));
            fields.push(QueryParam {
                setter: rust_name.clone(),
                rust_name,
                component: None,
                wire_name: wire.clone(),
                required: required.contains(wire),
                docs: peeked.and_then(|p| super::prose(p.schema_data.description.as_ref())),
                node,
            });
        }
        // Provisional: named with the other query objects once every operation is lowered.
        ok.then_some(QueryNode::Object { type_name: names::type_name(&keys.join(" "), "Query"), fields })
    }
}

/// A query node to insert, with what its parameter says about it.
struct Node {
    node: QueryNode,
    required: bool,
    docs: Option<String>,
    component: Option<String>,
}

/// Name of a new child of `level`: top-level names are setters and builder fields, so they
/// share the builder's scope; deeper names need only differ from their siblings.
fn child_name(level: &[QueryParam], wire: &str, depth: usize, naming: &mut ParamNaming<'_>) -> Ident {
    let base = names::value_name(wire, "param");
    if depth == 0 {
        return naming.builder_scope.unique(base);
    }
    let siblings: Vec<&str> = level.iter().map(|q| q.rust_name.as_str()).collect();
    Scope::with_reserved(&siblings).unique(base)
}

fn is_object_schema(s: &Schema) -> bool {
    match &s.schema_kind {
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        // Properties under `type: string` (say) are ignored: the schema is read as its type.
        SchemaKind::Any(a) => !a.properties.is_empty() && super::typing::read_any(a).is_none(),
        _ => false,
    }
}

/// Splits `filter[date_created_at][gte]` into its keys.
fn split_brackets(name: &str) -> Result<Vec<String>, &'static str> {
    let Some(open) = name.find('[') else {
        if name.contains(']') {
            return Err("unbalanced `]`");
        }
        return Ok(vec![name.to_string()]);
    };
    let (base, mut rest) = name.split_at(open);
    if base.is_empty() {
        return Err("nothing before `[`");
    }
    let mut keys = vec![base.to_string()];
    while !rest.is_empty() {
        let Some(inner) = rest.strip_prefix('[') else { return Err("text after `]`") };
        let Some((key, after)) = inner.split_once(']') else { return Err("unbalanced `[`") };
        if key.is_empty() {
            return Err("`[]` array keys are not supported");
        }
        if key.contains('[') {
            return Err("nested `[`");
        }
        keys.push(key.to_string());
        rest = after;
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::split_brackets;

    #[test]
    fn brackets() {
        assert_eq!(split_brackets("page").unwrap(), ["page"]);
        assert_eq!(split_brackets("filter[a][gte]").unwrap(), ["filter", "a", "gte"]);
        assert!(split_brackets("filter[a").is_err());
        assert!(split_brackets("ids[]").is_err());
        assert!(split_brackets("[a]").is_err());
        assert!(split_brackets("a]").is_err());
        assert!(split_brackets("a[b]c").is_err());
    }
}
