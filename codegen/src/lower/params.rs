//! Parameters: path and header parameters as flat lists, query parameters as a tree.
//!
//! Two spellings of one request lower to the same tree: a `filter` parameter with
//! `style: deepObject` and a nested object schema, and separate parameters literally named
//! `filter[date_created_at][gte]`. Object nodes get their type names later, once every
//! operation is lowered and objects of the same shape can share one (`query_types`); enums
//! at the leaves are named from the operation id and the key path.

use openapiv3::{Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, Schema, SchemaKind, Type};

use super::Lowerer;
use super::schemas::{Properties, constraints_of, items_of};
use crate::diag::push_pointer;
use crate::ir::{ArrayEncoding, Param, QueryNode, QueryParam, QueryVariant, Scalar, TypeRef, bracketed_key};
use crate::names::{self, Ident, Scope};

/// Lowered parameters of one operation.
#[derive(Default)]
pub(super) struct Params {
    pub path: Vec<Param>,
    pub query: Vec<QueryParam>,
    pub headers: Vec<Param>,
    /// The bracketed keys of the object parameters declared so far (`filter`), to tell one
    /// declared twice from one a flat `filter[a]` parameter made.
    objects: Vec<String>,
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
            if let Parameter::Path { parameter_data, style } = p {
                if !matches!(style, openapiv3::PathStyle::Simple) {
                    let style = if matches!(style, openapiv3::PathStyle::Label) { "label" } else { "matrix" };
                    self.unsupported(
                        &push_pointer(at, "style"),
                        &format!("`style: {style}` on path parameter `{}`", parameter_data.name),
                        Some("use `style: simple` (the default): the value is the whole segment"),
                    );
                    ok = false;
                    continue;
                }
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
                    if !self.query_param(parameter_data, style, at, component.as_deref(), naming, &mut out) {
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

    /// A path or header parameter: a scalar (or enum) value, or a list of them, which
    /// `style: simple` (the only style of a header, the default of a path parameter) writes
    /// as one comma-separated value whatever `explode` says.
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
        let union = self.peek_at(schema, &schema_at).and_then(|(s, s_at)| union_members(s, &s_at).map(|u| (s, u)));
        let ty = match union.and_then(|(s, (members, list_at))| self.string_union(s, members, &list_at, &hint)) {
            Some(ty) => ty,
            None => self.type_ref(schema, &schema_at, &hint)?,
        };
        let value = match &ty {
            TypeRef::Array(item) => item,
            _ => &ty,
        };
        if !self.is_scalar_like(value) {
            let kind = if path { "path" } else { "header" };
            self.unsupported(
                &schema_at,
                &format!("a {kind} parameter that is not a scalar or a list of scalars"),
                Some("an object in a path segment or header (`style: simple`, `a,1,b,2`) is not supported; declare its fields as parameters of their own"),
            );
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
        out: &mut Params,
    ) -> bool {
        let Some(schema) = self.param_schema(data, at) else { return false };
        let schema_at = push_pointer(at, "schema");
        let is_object = self.peek(schema).is_some_and(is_object_schema);
        let is_map = self.peek(schema).is_some_and(is_map_schema);
        let (keys, brackets) = match split_brackets(&data.name) {
            Ok(split) => split,
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
            QueryStyle::DeepObject if !is_object && !is_map => {
                self.error(
                    &schema_at,
                    format!("`{}` has `style: deepObject` but its schema is not an object", data.name),
                    Some("give it an object schema, or use `style: form`".into()),
                );
                return false;
            }
            QueryStyle::Form if (is_object || is_map) && (data.explode == Some(false) || is_map || brackets) => {
                let what = if is_map { "map" } else { "object" };
                self.unsupported(
                    &push_pointer(at, "style"),
                    &format!("{what} query parameter `{}` with `style: form`", data.name),
                    Some(if is_map {
                        "use `style: deepObject` for `key[name]=value` encoding"
                    } else {
                        "explode it (`a=1&b=2`, the default for `style: form`), or use `style: deepObject, explode: true` for `key[field]=value` encoding"
                    }),
                );
                return false;
            }
            // OpenAPI writes an exploded form object as its properties, `a=1&b=2`: each is
            // a parameter of its own.
            QueryStyle::Form if is_object => return self.form_object(data, schema, &schema_at, naming, out),
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
        let mut array = match (style, data.explode) {
            (QueryStyle::Form | QueryStyle::DeepObject, None | Some(true)) => ArrayEncoding::Repeated,
            (QueryStyle::Form, Some(false)) => ArrayEncoding::CommaJoined,
            (QueryStyle::SpaceDelimited, Some(false) | None) => ArrayEncoding::SpaceJoined,
            (QueryStyle::PipeDelimited, Some(false) | None) => ArrayEncoding::PipeJoined,
            (QueryStyle::SpaceDelimited | QueryStyle::PipeDelimited, Some(true)) => ArrayEncoding::Repeated,
            (QueryStyle::DeepObject, Some(false)) => ArrayEncoding::Repeated,
        };
        if brackets {
            // `include[]`: the name says the key repeats once per item.
            if is_object || array != ArrayEncoding::Repeated {
                self.unsupported(
                    &push_pointer(at, "name"),
                    &format!("query parameter `{}`: a `[]` name on an object or a value that is not exploded", data.name),
                    Some("a name ending in `[]` is written once per item (`key[]=a&key[]=b`); use it with `style: form` (exploded) on a scalar or an array"),
                );
                return false;
            }
            array = ArrayEncoding::Brackets;
        }
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
            // A deepObject map's entries are its fields: `key[name]=value`.
            let place = if is_map { Place::DEEP } else { Place { array, objects: false } };
            match self.query_value(schema, &schema_at, &keys, naming, place, data.description.as_deref()) {
                Some(node) => node,
                None => return false,
            }
        };
        let docs = super::prose(data.description.as_ref())
            .or_else(|| self.peek(schema).and_then(|s| super::prose(s.schema_data.description.as_ref())));
        let component = (keys.len() == 1).then(|| component.map(str::to_string)).flatten();
        let key = bracketed_key(&keys);
        let twice = is_object && out.objects.contains(&key);
        if is_object {
            out.objects.push(key);
        }
        let node = Node { node, required: data.required, docs, component, twice };
        self.insert(&mut out.query, &keys, 0, node, naming, at)
    }

    /// An exploded `style: form` object parameter: each property is a parameter of its own
    /// (`a=1&b=2`, as OpenAPI writes it), required when the parameter and the property are.
    fn form_object(
        &mut self,
        data: &'a openapiv3::ParameterData,
        schema: &'a ReferenceOr<Schema>,
        schema_at: &str,
        naming: &mut ParamNaming<'_>,
        out: &mut Params,
    ) -> bool {
        let Some((s, s_at)) = self.peek_at(schema, schema_at) else { return false };
        let (props, required): (Properties<'a>, &'a [String]) = match &s.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (o.properties.iter().collect(), &o.required),
            SchemaKind::Any(a) => (a.properties.iter().collect(), &a.required),
            _ => return false,
        };
        let props_at = push_pointer(&s_at, "properties");
        let mut ok = true;
        for (wire, prop) in props {
            let p_at = push_pointer(&props_at, wire);
            if self.peek(prop).is_some_and(|p| is_object_schema(p) || is_map_schema(p)) {
                self.unsupported(
                    &p_at,
                    &format!("an object in `{}`, an object parameter with `style: form`", data.name),
                    Some("`style: form` writes an object's properties as `name=value`; make this one a scalar or a list, or use `style: deepObject`"),
                );
                ok = false;
                continue;
            }
            let keys = vec![wire.clone()];
            let place = Place { array: ArrayEncoding::Repeated, objects: false };
            let Some(node) = self.query_value(prop, &p_at, &keys, naming, place, None) else {
                ok = false;
                continue;
            };
            let docs = self.peek(prop).and_then(|p| super::prose(p.schema_data.description.as_ref()));
            let required = data.required && required.contains(wire);
            let node = Node { node, required, docs, component: None, twice: false };
            ok &= self.insert(&mut out.query, &keys, 0, node, naming, &p_at);
        }
        ok
    }

    /// Lowers a query value that is not an object with properties: a scalar or enum, an
    /// array of them (written as `place` says), or a `oneOf`/`anyOf` of those (and, where
    /// `place` allows, of objects). `docs` document an inline enum its schema leaves
    /// undocumented.
    fn query_value<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &'a ReferenceOr<S>,
        at: &str,
        keys: &[String],
        naming: &mut ParamNaming<'_>,
        place: Place,
        docs: Option<&str>,
    ) -> Option<QueryNode> {
        if let Some((s, s_at)) = self.peek_at(schema, at)
            && let Some((members, list_at)) = union_members(s, &s_at)
        {
            return self.query_union(s, members, &list_at, keys, naming, place);
        }
        let hint = format!("{} {}", naming.op_id, keys.join(" "));
        let ty = self.type_ref(schema, at, &hint)?;
        // An inline enum at a leaf is documented by its parameter when its schema says
        // nothing, as the deepObject spelling documents it by its property.
        self.document_new_type(&ty, docs);
        self.leaf(ty, self.peek(schema), at, keys, place)
    }

    /// A leaf of type `ty`, if a query value can be of that type.
    fn leaf(
        &mut self,
        ty: TypeRef,
        schema: Option<&Schema>,
        at: &str,
        keys: &[String],
        place: Place,
    ) -> Option<QueryNode> {
        let array = match &ty {
            TypeRef::Array(item) if self.is_scalar_like(item) => place.array,
            // Entries of a map under a deepObject parameter, `key[name]=value`.
            TypeRef::Map(value) if place.objects && self.is_scalar_like(value) => ArrayEncoding::Repeated,
            _ if self.is_scalar_like(&ty) => {
                if place.array == ArrayEncoding::Brackets {
                    ArrayEncoding::Brackets
                } else {
                    ArrayEncoding::Repeated
                }
            }
            _ => {
                self.unsupported(
                    at,
                    &format!("query value `{}` of this type", bracketed_key(keys)),
                    Some("query values must be scalars, enums, arrays of them, objects of them under `style: deepObject`, or a `oneOf` of those"),
                );
                return None;
            }
        };
        Some(QueryNode::Leaf {
            ty,
            array,
            constraints: schema.map(constraints_of).unwrap_or_default(),
            default: schema.and_then(|s| s.schema_data.default.clone()),
        })
    }

    /// A `oneOf`/`anyOf` query value (`members`, listed at `list_at`). Members that are all
    /// strings are one string value (an enum of every value when each member is an enum); a
    /// value and a list of that value are the list (a list of one is written as the value
    /// alone, in every array encoding); other members become a union the caller picks a
    /// variant of ([`QueryNode::OneOf`]).
    fn query_union(
        &mut self,
        union: &'a Schema,
        members: &'a [ReferenceOr<Schema>],
        list_at: &str,
        keys: &[String],
        naming: &mut ParamNaming<'_>,
        place: Place,
    ) -> Option<QueryNode> {
        let member_at = |i: usize| push_pointer(list_at, &i.to_string());
        if let [only] = members {
            return self.query_value(only, &member_at(0), keys, naming, place, None);
        }
        let hint = format!("{} {}", naming.op_id, keys.join(" "));
        if let Some(ty) = self.string_union(union, members, list_at, &hint) {
            return self.leaf(ty, None, list_at, keys, place);
        }
        if let [a, b] = members
            && let Some(list) = self.value_and_list(a, b).or_else(|| self.value_and_list(b, a))
        {
            let i = if std::ptr::eq(list, a) { 0 } else { 1 };
            return self.query_value(list, &member_at(i), keys, naming, place, None);
        }
        let mut variants: Vec<(Option<String>, Option<String>, QueryNode)> = Vec::new();
        let mut ok = true;
        for (i, member) in members.iter().enumerate() {
            let at = member_at(i);
            let Some((s, s_at)) = self.peek_at(member, &at) else {
                ok = false;
                continue;
            };
            let node = if is_object_schema(s) {
                if !place.objects {
                    self.unsupported(
                        &at,
                        &format!(
                            "an object member of `{}`, which is not under a `style: deepObject` parameter",
                            bracketed_key(keys)
                        ),
                        Some(
                            "an object value is written as `key[field]=value`, which only `style: deepObject` defines",
                        ),
                    );
                    ok = false;
                    continue;
                }
                self.deep_object(s, &s_at, keys, naming)
            } else if union_members(s, &s_at).is_some() {
                self.unsupported(
                    &at,
                    "a `oneOf` or `anyOf` member of a query value's `oneOf`",
                    Some("list the members in one `oneOf`"),
                );
                None
            } else {
                self.query_value(member, &at, keys, naming, place, None)
            };
            let Some(node) = node else {
                ok = false;
                continue;
            };
            let title = super::prose(s.schema_data.title.as_ref());
            variants.push((title, super::prose(s.schema_data.description.as_ref()), node));
        }
        if !ok {
            return None;
        }
        let leaves = variants.iter().filter(|(_, _, n)| matches!(n, QueryNode::Leaf { .. })).count();
        let objects = variants.len() - leaves;
        let mut scope = Scope::default();
        let variants = variants
            .into_iter()
            .map(|(title, docs, node)| {
                let label = match &node {
                    QueryNode::Leaf { .. } if leaves == 1 && objects > 0 => "Value".to_string(),
                    QueryNode::Leaf { ty, .. } => title.unwrap_or_else(|| type_label(ty)),
                    _ if objects == 1 && super::query_types::range_of(&node).is_some() => "Range".to_string(),
                    _ if objects == 1 => "Operators".to_string(),
                    _ => title.unwrap_or_else(|| "Operators".to_string()),
                };
                QueryVariant { rust_name: scope.unique(names::type_name(&label, "Variant")), docs, node }
            })
            .collect();
        // Provisional: named with the other query types once every operation is lowered.
        Some(QueryNode::OneOf { type_name: names::type_name(&keys.join(" "), "Query"), variants })
    }

    /// The type of a `oneOf`/`anyOf` (`members`, listed at `list_at`) whose members are all
    /// strings, as a parameter takes it: an enum of every member's values (named from
    /// `hint`) when each member is a string enum, else one string (a uuid or a name is
    /// either, as text). `None` when a member is not a string.
    fn string_union(
        &mut self,
        union: &'a Schema,
        members: &'a [ReferenceOr<Schema>],
        list_at: &str,
        hint: &str,
    ) -> Option<TypeRef> {
        let strings: Vec<Vec<String>> =
            members.iter().map(|m| self.peek(m).and_then(string_values)).collect::<Option<_>>()?;
        if !strings.iter().all(|s| !s.is_empty()) {
            return Some(TypeRef::Scalar(Scalar::String));
        }
        let mut values: Vec<&String> = Vec::new();
        for v in strings.iter().flatten() {
            if !values.contains(&v) {
                values.push(v);
            }
        }
        let docs = super::prose(union.schema_data.description.as_ref());
        Some(self.string_enum(values, list_at, hint, docs))
    }

    /// `list` when it is an array of `value`'s schema (the same `$ref`, or the same schema
    /// but for its description, title and examples).
    fn value_and_list(
        &self,
        value: &'a ReferenceOr<Schema>,
        list: &'a ReferenceOr<Schema>,
    ) -> Option<&'a ReferenceOr<Schema>> {
        let items = self.peek(list).and_then(items_of)?;
        let same = match (value, items) {
            (ReferenceOr::Reference { reference: a }, ReferenceOr::Reference { reference: b }) => a == b,
            (ReferenceOr::Item(a), ReferenceOr::Item(b)) => a.schema_kind == b.schema_kind,
            _ => false,
        };
        same.then_some(list)
    }

    /// A schema and its pointer, through `$ref`s.
    fn peek_at<S: std::borrow::Borrow<Schema>>(
        &self,
        schema: &'a ReferenceOr<S>,
        at: &str,
    ) -> Option<(&'a Schema, String)> {
        match schema {
            ReferenceOr::Item(s) => Some((s.borrow(), at.to_string())),
            ReferenceOr::Reference { reference } => self.follow_schema(reference).ok().map(|f| (f.schema, f.pointer)),
        }
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
            if let Some(i) = existing {
                let key = bracketed_key(keys);
                let Node { node, required, docs, twice, .. } = node;
                if let Some(q) = level.get_mut(i)
                    && merge_objects(q, node, required, docs)
                {
                    // An object a flat `filter[a]` made is filled in without a word.
                    if twice {
                        self.mistake(
                            at,
                            &format!("query parameter `{key}` is declared twice, as two objects"),
                            &format!("one `{key}` object with the fields of both"),
                            Some("declare the parameter once, with every field".into()),
                        );
                    }
                    return true;
                }
                let hint = twice.then(|| {
                    "two object parameters of one name are read as one only when they share no field; \
                     declare it once"
                        .to_string()
                });
                self.error(at, format!("query parameter `{key}` is declared twice"), hint);
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
                match self.query_value(prop, &p_at, &child_keys, naming, Place::DEEP, None) {
                    Some(n) => n,
                    None => {
                        ok = false;
                        continue;
                    }
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
    /// An object parameter whose key an object parameter declared before.
    twice: bool,
}

/// Merges the object `node` into the object node `q` when they share no field (two
/// `style: deepObject` parameters of one name: on the wire they are one object). Returns
/// whether it did.
fn merge_objects(q: &mut QueryParam, node: QueryNode, required: bool, docs: Option<String>) -> bool {
    let (QueryNode::Object { fields, .. }, QueryNode::Object { fields: more, .. }) = (&mut q.node, node) else {
        return false;
    };
    if more.iter().any(|m| fields.iter().any(|f| f.wire_name == m.wire_name)) {
        return false;
    }
    let taken: Vec<String> = fields.iter().map(|f| f.rust_name.to_string()).collect();
    let mut scope = Scope::with_reserved(&taken.iter().map(String::as_str).collect::<Vec<_>>());
    for mut m in more {
        m.rust_name = scope.unique(m.rust_name);
        m.setter = m.rust_name.clone();
        fields.push(m);
    }
    q.required |= required;
    q.component = None;
    q.docs = match (q.docs.take(), docs) {
        (Some(a), Some(b)) => Some(format!("{a}\n\n{b}")),
        (a, b) => a.or(b),
    };
    true
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

/// An object without properties whose `additionalProperties` has a schema: a map.
fn is_map_schema(s: &Schema) -> bool {
    use openapiv3::AdditionalProperties;
    let (properties, additional) = match &s.schema_kind {
        SchemaKind::Type(Type::Object(o)) => (&o.properties, o.additional_properties.as_ref()),
        SchemaKind::Any(a) if super::typing::plain(a) => (&a.properties, a.additional_properties.as_ref()),
        _ => return false,
    };
    properties.is_empty() && matches!(additional, Some(AdditionalProperties::Schema(_)))
}

fn is_object_schema(s: &Schema) -> bool {
    match &s.schema_kind {
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        // Properties under `type: string` (say) are ignored: the schema is read as its type.
        SchemaKind::Any(a) => !a.properties.is_empty() && super::typing::read_any(a).is_none(),
        _ => false,
    }
}

/// Where a query value sits, which decides how an array in it is written and whether a
/// union's member may be an object.
#[derive(Clone, Copy)]
struct Place {
    array: ArrayEncoding,
    objects: bool,
}

impl Place {
    /// Under a `style: deepObject` parameter. OpenAPI leaves arrays there undefined; they are
    /// written as one comma-joined value (`filter[status]=a,b`): Telnyx's own SDKs write them
    /// so, its document describes such values as "separated by commas", and a list of one is
    /// then written exactly as the single value a `oneOf` of value and list allows.
    const DEEP: Place = Place { array: ArrayEncoding::CommaJoined, objects: true };
}

/// The members of a `oneOf` or `anyOf` schema, and the pointer of their list.
fn union_members<'s>(s: &'s Schema, at: &str) -> Option<(&'s [ReferenceOr<Schema>], String)> {
    match &s.schema_kind {
        SchemaKind::OneOf { one_of } => Some((one_of.as_slice(), push_pointer(at, "oneOf"))),
        SchemaKind::AnyOf { any_of } => Some((any_of.as_slice(), push_pointer(at, "anyOf"))),
        SchemaKind::Any(a) if !a.one_of.is_empty() && a.all_of.is_empty() => {
            Some((a.one_of.as_slice(), push_pointer(at, "oneOf")))
        }
        _ => None,
    }
}

/// A string schema's enum values (none for a plain string); `None` for other schemas.
fn string_values(s: &Schema) -> Option<Vec<String>> {
    match super::typing::typed(s)?.as_ref() {
        Type::String(st) => Some(st.enumeration.iter().flatten().cloned().collect()),
        _ => None,
    }
}

/// A union variant's name from its type: `String`, `Integer`, `Uuid`, an enum's name,
/// `StringList`.
fn type_label(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Scalar(s) => s.name_word().to_string(),
        TypeRef::Named(n) => n.to_string(),
        TypeRef::Array(item) => format!("{}List", type_label(item)),
        TypeRef::Map(_) | TypeRef::Any => "Value".to_string(),
    }
}

/// Splits `filter[date_created_at][gte]` into its keys, and says whether the name ends in
/// `[]` (`include[]`, `filter[ids][]`: an array written once per item under that name).
fn split_brackets(name: &str) -> Result<(Vec<String>, bool), &'static str> {
    if let Some(base) = name.strip_suffix("[]") {
        if base.is_empty() {
            return Err("nothing before `[`");
        }
        let (keys, inner) = split_brackets(base)?;
        if inner {
            return Err("`[]` twice");
        }
        return Ok((keys, true));
    }
    split_keys(name).map(|keys| (keys, false))
}

fn split_keys(name: &str) -> Result<Vec<String>, &'static str> {
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
            return Err("`[]` before the end of the name");
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
        let keys = |name: &str| split_brackets(name).unwrap();
        assert_eq!(keys("page"), (vec!["page".to_string()], false));
        assert_eq!(keys("filter[a][gte]").0, ["filter", "a", "gte"]);
        assert_eq!(keys("ids[]"), (vec!["ids".to_string()], true));
        assert_eq!(keys("filter[ids][]"), (vec!["filter".to_string(), "ids".to_string()], true));
        assert!(split_brackets("filter[a").is_err());
        assert!(split_brackets("ids[][]").is_err());
        assert!(split_brackets("a[][b]").is_err());
        assert!(split_brackets("[]").is_err());
        assert!(split_brackets("[a]").is_err());
        assert!(split_brackets("a]").is_err());
        assert!(split_brackets("a[b]c").is_err());
    }
}
