//! The intermediate representation: what Rust will be made, as plain data.
//!
//! Lowering (`crate::lower`) builds it from an OpenAPI document; emission (`crate::emit`)
//! reads it and nothing else. It never holds `openapiv3` types, every Rust name in it is an
//! [`Ident`], which only `crate::names` can make, and every list in it is in a documented,
//! deterministic order:
//!
//! * [`Api::resources`] in order of first appearance of their tag (or first path segment) in
//!   the spec's `paths`; operations inside a resource in spec order (paths, then methods in
//!   the order GET, PUT, POST, DELETE, OPTIONS, HEAD, PATCH, TRACE);
//! * [`Api::types`] sorted by Rust name;
//! * fields, variants and query parameters in spec order.
//!
//! The IR is `Serialize` so snapshot tests can pin it and tools can inspect it.

use serde::Serialize;

pub use crate::names::Ident;

/// A whole lowered API.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// The first `servers[].url`, without a trailing slash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// The named security schemes the operations may use: bearer (also OAuth 2 and OpenID
    /// Connect), HTTP basic and API keys.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub auth: Vec<AuthScheme>,
    /// Operations grouped by resource.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Resource>,
    /// Every named type: component schemas and the inline objects, enums and unions nested
    /// in them, sorted by Rust name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<TypeDef>,
    /// The structs of query-parameter objects (the crate's `params` module), one per shape:
    /// query objects with the same keys, types and bounds share one, wherever they are
    /// used. Sorted by Rust name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub query_types: Vec<QueryType>,
    /// The schema every error response shares, when they all share one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_body: Option<TypeRef>,
    /// What `info.x-rust-crate` says about the generated crate.
    #[serde(skip_serializing_if = "RustCrate::is_empty")]
    pub rust_crate: RustCrate,
    /// The Cargo features that gate resources, one per resource, in resource order; empty
    /// when every resource always compiles (an API at or below
    /// `resource-features-threshold` operations, or `resource-features: false`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<ResourceFeature>,
}

/// A Cargo feature that compiles one resource: its module, its operations, and the models
/// and query types no other resource uses. The client, errors, and every type two
/// resources share (or none uses) compile without it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceFeature {
    /// The feature's name in `Cargo.toml` (`room-sessions`): the resource's module in
    /// kebab-case, with `-api` appended where that is a feature the crate already has
    /// (`tracing`, `full`, …).
    pub name: String,
    /// The resource's module (`room_sessions`), which also names the `models` and `params`
    /// submodules holding the types only it uses.
    pub module: Ident,
}

impl Api {
    /// Whether any operation sends credentials; when none does, a client needs no API key
    /// and the docs must not ask for one.
    pub fn any_operation_authenticates(&self) -> bool {
        self.resources.iter().flat_map(|r| &r.operations).any(|op| op.auth != Auth::None)
    }
}

impl RustCrate {
    /// Whether the spec says nothing about the crate.
    pub fn is_empty(&self) -> bool {
        *self == RustCrate::default()
    }
}

/// For `skip_serializing_if`: IR snapshots leave out flags that are off.
fn is_false(b: &bool) -> bool {
    !*b
}

/// The `x-rust-crate` extension of `info`: the generated crate's identity, kept in the spec
/// so it is reviewed with it. Every field is optional; the generator fills in defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RustCrate {
    /// Package name (default: from `info.title`).
    pub name: Option<String>,
    /// Package version (default: 0.1.0).
    pub version: Option<String>,
    /// crates.io description (default: from `info.title`).
    pub description: Option<String>,
    /// Prefix of the client's environment variables (`TELNYX` → `TELNYX_API_KEY`;
    /// default: the package name in SCREAMING_SNAKE_CASE).
    pub env_prefix: Option<String>,
    /// SPDX licence expression of the generated code (default: `MIT OR Apache-2.0`, for
    /// which the licence files are written too).
    pub license: Option<String>,
    /// Source repository URL.
    pub repository: Option<String>,
    /// crates.io keywords (at most five).
    pub keywords: Option<Vec<String>>,
    /// crates.io category slugs.
    pub categories: Option<Vec<String>>,
    /// Minimum supported Rust version, if higher than the generator's floor.
    pub rust_version: Option<String>,
    /// Generate everything the document allows, leaving out (with a warning) each schema or
    /// operation the generator cannot use; as `cargo xtask codegen --skip-unsupported`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_unsupported: Option<bool>,
    /// One Cargo feature per resource (`true`), or none (`false`); unset: features when the
    /// API has more operations than `resource-features-threshold`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_features: Option<bool>,
    /// How many operations an API may have before its resources get features of their own
    /// (when `resource-features` is unset); default 200.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_features_threshold: Option<usize>,
}

/// What the generated crate is called and how it presents itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrateConfig {
    /// Package name (`telnyx-video`).
    pub name: String,
    /// Package version.
    pub version: String,
    /// One-line description for crates.io.
    pub description: String,
    /// SPDX licence expression.
    pub license: String,
    /// Source repository URL.
    pub repository: Option<String>,
    /// crates.io keywords.
    pub keywords: Vec<String>,
    /// crates.io category slugs.
    pub categories: Vec<String>,
    /// Minimum supported Rust version.
    pub rust_version: String,
    /// Prefix of the environment variables the client reads (`TELNYX` →
    /// `TELNYX_API_KEY`, `TELNYX_BASE_URL`).
    pub env_prefix: String,
    /// The spec path named in file headers (`spec/openapi.yaml`).
    pub spec_label: String,
}

impl CrateConfig {
    /// The library's name in Rust (`telnyx_video`): the package name with `-` as `_`, as
    /// cargo makes it.
    pub fn lib_name(&self) -> String {
        self.name.replace('-', "_")
    }
}

/// A security scheme the client can send credentials for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthScheme {
    /// The key in `components.securitySchemes`.
    pub name: String,
    /// How the credential is sent.
    pub kind: AuthKind,
    /// What the scheme's environment variable is called after the crate's prefix and `_`
    /// (`SESSION_COOKIE`); a basic scheme reads `{env}_USERNAME` and `{env}_PASSWORD`.
    /// Bearer schemes share the API key (`API_KEY`).
    pub env: String,
    /// Its description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
}

/// A group of operations, emitted as one module and one accessor on the client.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resource {
    /// snake_case module and accessor name (`room_sessions`).
    pub module: Ident,
    /// UpperCamelCase handle type name (`RoomSessions`).
    pub type_name: Ident,
    /// The tag (or path segment) it was grouped by.
    pub label: String,
    /// The tag's description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// Operations in spec order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<Operation>,
    /// The Cargo feature that compiles it (one of [`Api::features`]); `None`: always.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    /// `operationId`.
    pub id: String,
    /// snake_case method on the resource handle (`list`, `retrieve`, `list_sessions`).
    pub method_name: Ident,
    /// UpperCamelCase name of the operation's parameters type in its resource module,
    /// unique in the crate (`ListRooms`, from the operationId); the method returns a
    /// `RequestBuilder` of it.
    pub type_name: Ident,
    /// HTTP method.
    pub method: HttpMethod,
    /// The path template as written (`/rooms/{room_id}`).
    pub path: String,
    /// The template split into literal and parameter segments.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<PathSegment>,
    /// `summary` and `description`.
    #[serde(skip_serializing_if = "Docs::is_empty")]
    pub docs: Docs,
    /// Whether the operation is deprecated.
    #[serde(skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// Path parameters in the order they are declared (the operation's, then the path
    /// item's), then any the template names but the document does not declare.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub path_params: Vec<Param>,
    /// Query parameters as a tree, in spec order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub query: Vec<QueryParam>,
    /// Header parameters in spec order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<Param>,
    /// The request body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<RequestBody>,
    /// Every documented response, by status, in spec order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub responses: Vec<Response>,
    /// What the generated method returns on success.
    pub success: Success,
    /// The `Accept` header sent, when a success body is not JSON: the media types the
    /// success responses document, in spec order (`application/pdf`, `text/csv,
    /// application/json`). `None` sends the client's default, `application/json`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept: Option<String>,
    /// How the request authenticates.
    pub auth: Auth,
    /// Page-number pagination, when the operation returns a page and takes page-number
    /// parameters a request can be rebuilt with: `Some` exactly when the builder gets
    /// `pages()` and `items()`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// JSON pointer of the operation object in the spec.
    pub pointer: String,
}

impl Operation {
    /// The query object and its field that a `[object, field]` path of Rust names (as in
    /// [`Pagination`]) names.
    pub fn query_field(&self, path: &[Ident]) -> Option<(&QueryParam, &QueryParam)> {
        let [object, field] = path else { return None };
        let param = self.query.iter().find(|q| &q.rust_name == object)?;
        let QueryNode::Object { fields, .. } = &param.node else { return None };
        Some((param, fields.iter().find(|f| &f.rust_name == field)?))
    }
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
#[allow(missing_docs)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// The method as it goes on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PathSegment {
    /// A literal segment, sent as is (percent-encoded).
    Literal(String),
    /// A parameter; the index is into [`Operation::path_params`].
    Param(usize),
    /// A segment that mixes text and parameters (`{sid}.json`, `{name}.{ext}`): its parts in
    /// template order, each parameter's value encoded as a [`PathSegment::Param`]'s is, and
    /// joined into one segment.
    Mixed(Vec<PathPart>),
}

/// A part of a [`PathSegment::Mixed`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PathPart {
    /// Literal text (decoded; percent-encoded with the segment when sent).
    Literal(String),
    /// A parameter; the index is into [`Operation::path_params`].
    Param(usize),
}

/// Summary and description text, straight from the spec.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Docs {
    /// One-line summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Longer description (CommonMark).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Docs {
    /// Whether there is no text.
    pub fn is_empty(&self) -> bool {
        self.summary.is_none() && self.description.is_none()
    }
}

/// A path or header parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    /// snake_case Rust name.
    pub rust_name: Ident,
    /// Name on the wire.
    pub wire_name: String,
    /// Its type (a scalar).
    pub ty: TypeRef,
    /// Whether it must be given.
    pub required: bool,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// Documented bounds.
    #[serde(skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
}

/// A node of the query-parameter tree.
///
/// A top-level `filter` parameter with `style: deepObject` and an object schema, and the
/// flat spelling `filter[date_created_at][gte]`, both lower to a `filter` node holding a
/// `date_created_at` node holding a `gte` leaf.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryParam {
    /// snake_case Rust name of the field.
    pub rust_name: Ident,
    /// snake_case name of its setter (on the request builder for a top-level parameter, on
    /// the query struct for a field); differs from `rust_name` only where that is taken by
    /// another method (`new`, `send`).
    pub setter: Ident,
    /// The `components/parameters` entry a top-level parameter was declared by, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// This node's key on the wire (`filter`, `date_created_at`, `gte`).
    pub wire_name: String,
    /// Whether it must be given.
    pub required: bool,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// A leaf value or a nested object.
    pub node: QueryNode,
}

/// The wire key of a query-tree node from its keys: `["filter", "a", "gte"]` →
/// `filter[a][gte]`.
pub fn bracketed_key(keys: &[String]) -> String {
    let mut out = String::new();
    for (i, k) in keys.iter().enumerate() {
        if i == 0 {
            out.push_str(k);
        } else {
            out.push('[');
            out.push_str(k);
            out.push(']');
        }
    }
    out
}

/// The two shapes of a query-tree node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum QueryNode {
    /// A scalar (or array of scalars) sent as `key=value`.
    Leaf {
        /// Its type.
        ty: TypeRef,
        /// How an array value is written (`style` and `explode`); `Repeated` for scalars.
        #[serde(skip_serializing_if = "ArrayEncoding::is_repeated")]
        array: ArrayEncoding,
        /// Documented bounds.
        #[serde(skip_serializing_if = "Constraints::is_empty")]
        constraints: Constraints,
        /// Documented default (never sent implicitly).
        #[serde(skip_serializing_if = "Option::is_none")]
        default: Option<serde_json::Value>,
    },
    /// An object whose fields are sent as `key[field]=value`.
    Object {
        /// UpperCamelCase name of its struct in [`Api::query_types`] (shared by every
        /// object of the same shape).
        type_name: Ident,
        /// Its fields in spec order, with the docs this use of it gives them.
        fields: Vec<QueryParam>,
    },
    /// A value of one of several shapes, which the caller picks: a `oneOf` of a scalar and an
    /// object of operators (`filter[created_at]=T` or `filter[created_at][gte]=T`), or of
    /// scalars of different types. Each variant is written under this node's key as its own
    /// node would be: a leaf as `key=value`, an object as `key[field]=value`.
    OneOf {
        /// UpperCamelCase name of its enum in [`Api::query_types`] (shared by every union of
        /// the same shape).
        type_name: Ident,
        /// Its members in spec order.
        variants: Vec<QueryVariant>,
    },
}

/// One member of a [`QueryNode::OneOf`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryVariant {
    /// UpperCamelCase variant name: `Value` for the one leaf member beside objects; `Range`
    /// for the one object member when it is comparisons on one type (`gte`, `lte`, …),
    /// `Operators` for another; otherwise a member's `title`, else its type (`String`,
    /// `Integer`, `Uuid`, an enum's name, `StringList`) or `Operators`.
    pub rust_name: Ident,
    /// The member's description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// How the value is written: a leaf or an object, never another union.
    pub node: QueryNode,
}

/// The struct of a query-parameter object (or the enum of a query union), emitted once in the
/// `params` module and used by every node of its shape (same keys, Rust names, types, bounds
/// and required-ness).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryType {
    /// UpperCamelCase name, unique in the `params` module: `{Component}Params` for an object
    /// declared once in `components/parameters` (`PageParams`); `{Type}Range` for objects of
    /// comparison operators on one type (`eq`, `gte`, `lte`, …: `DateRange`); the resource
    /// and key for a shape used several times in one resource (`RoomRecordingsFilter`), the
    /// key and `Params` for one used in several; otherwise the operation and key path
    /// (`ListRoomsFilter`). A union of one value and a range of its type is `{Type}Filter`
    /// (`DateTimeFilter`: a date-time or a `DateTimeRange`); other unions follow the rules
    /// after the range rule.
    pub name: Ident,
    /// The node's description, when every use gives the same one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// A struct's fields or an enum's variants.
    #[serde(flatten)]
    pub shape: QueryShape,
    /// Where it is used, in spec order.
    pub used_by: Vec<QueryUse>,
    /// The Cargo feature of the one resource that uses it (one of [`Api::features`]);
    /// `None`: it always compiles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
}

impl QueryType {
    /// A struct's fields; none for an enum.
    pub fn fields(&self) -> &[QueryParam] {
        match &self.shape {
            QueryShape::Struct { fields } => fields,
            QueryShape::Enum { .. } => &[],
        }
    }
}

/// What a [`QueryType`] is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum QueryShape {
    /// A struct of an object node ([`QueryNode::Object`]).
    Struct {
        /// Its fields in spec order. A field's docs are kept when every use agrees on them;
        /// an object field without docs of its own is documented by its fields' docs.
        fields: Vec<QueryParam>,
    },
    /// An enum of a union node ([`QueryNode::OneOf`]).
    Enum {
        /// Its variants in spec order; a variant keeps its docs when every use agrees on them.
        variants: Vec<QueryVariant>,
    },
}

/// One place a [`QueryType`] is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryUse {
    /// The operation's `operationId` (`listRooms`).
    pub operation: String,
    /// The bracketed key it is sent under (`filter[date_created_at]`).
    pub key: String,
}

/// How an array query value goes on the wire, from the parameter's `style` and `explode`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum ArrayEncoding {
    /// `key=a&key=b` (`style: form`, `explode: true`, the default).
    #[default]
    Repeated,
    /// `key=a,b` (`style: form`, `explode: false`).
    CommaJoined,
    /// `key=a%20b` (`style: spaceDelimited`, `explode: false`).
    SpaceJoined,
    /// `key=a|b` (`style: pipeDelimited`, `explode: false`).
    PipeJoined,
    /// `key[]=a&key[]=b`: a parameter whose name ends in `[]` (`include[]`,
    /// `filter[ids][]`), the convention of Rails, PHP and the `qs` library. The key is
    /// written with its `[]`; a scalar under such a name is `key[]=value`.
    Brackets,
}

impl ArrayEncoding {
    /// For `skip_serializing_if`.
    pub fn is_repeated(&self) -> bool {
        *self == ArrayEncoding::Repeated
    }

    /// The separator between items, as written into the query (already encoded), or `None`
    /// for a repeated key (`Repeated`, `Brackets`).
    pub fn separator(self) -> Option<&'static str> {
        match self {
            ArrayEncoding::Repeated | ArrayEncoding::Brackets => None,
            ArrayEncoding::CommaJoined => Some(","),
            ArrayEncoding::SpaceJoined => Some("%20"),
            ArrayEncoding::PipeJoined => Some("|"),
        }
    }
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestBody {
    /// What the caller gives and how it goes on the wire.
    pub content: BodyContent,
    /// Whether the spec requires a body.
    pub required: bool,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// Example bodies from the spec, to be checked against the generated type.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<serde_json::Value>,
    /// The `Content-Type` of a JSON body whose media type is another JSON one
    /// (`application/merge-patch+json`, `application/vnd.api+json`); `None`:
    /// `application/json`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
}

impl RequestBody {
    /// The model a JSON or form body is a value of; `None` for raw bodies, which are the
    /// caller's bytes or text.
    pub fn model(&self) -> Option<&TypeRef> {
        match &self.content {
            BodyContent::Json(t) | BodyContent::Form(t) => Some(t),
            BodyContent::Multipart(_) | BodyContent::Bytes(_) | BodyContent::Text(_) => None,
        }
    }

    /// Every type whose values the body sends: the model, or the types of a multipart
    /// body's text and JSON parts.
    pub fn sent_types(&self) -> Vec<&TypeRef> {
        match &self.content {
            BodyContent::Multipart(parts) => parts
                .iter()
                .filter_map(|p| match &p.kind {
                    PartKind::Text(t) | PartKind::Json(t) => Some(t),
                    PartKind::File { .. } | PartKind::Files { .. } => None,
                })
                .collect(),
            _ => self.model().into_iter().collect(),
        }
    }
}

/// What a request body is made of, from its media type (JSON first when the document
/// offers several; then a form; then raw content).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum BodyContent {
    /// A value of this type, sent as JSON (`Content-Type: application/json`).
    Json(TypeRef),
    /// A struct sent as `application/x-www-form-urlencoded`: each field set, in spec order,
    /// as `key=value` (strings as they are, numbers and booleans as JSON writes them, `null`
    /// as an empty value), an array as one pair per item (`key=a&key=b`, the `form` style's
    /// default); unset fields are left out. Lowering refuses fields whose values are objects,
    /// which a form cannot carry.
    Form(TypeRef),
    /// `multipart/form-data`: a part per property of the body's object schema, in spec order,
    /// each a field of the operation's parameters type (the required parts of a required body
    /// are arguments of the resource method, the others setters).
    Multipart(Vec<Part>),
    /// The caller's bytes (`bytes::Bytes`), sent as they are.
    Bytes(RawMedia),
    /// The caller's text (`String`), sent as UTF-8. XML is text too: no XML model is made.
    Text(RawMedia),
}

impl BodyContent {
    /// The type the caller gives, as a reader writes it (`CallUpdate`, `Bytes`, `String`).
    pub fn rust_display(&self) -> String {
        match self {
            BodyContent::Json(t) | BodyContent::Form(t) => t.rust_display(),
            BodyContent::Multipart(parts) => {
                let parts: Vec<String> = parts.iter().map(Part::rust_display).collect();
                format!("parts {{ {} }}", parts.join(", "))
            }
            BodyContent::Bytes(_) => "Bytes".to_string(),
            BodyContent::Text(_) => "String".to_string(),
        }
    }

    /// How it goes on the wire, in a word, for listings and reports.
    pub fn wire_display(&self) -> String {
        match self {
            BodyContent::Json(_) => "JSON".to_string(),
            BodyContent::Form(_) => "form".to_string(),
            BodyContent::Multipart(_) => "multipart".to_string(),
            BodyContent::Bytes(m) | BodyContent::Text(m) => match &m.content_type_setter {
                None => format!("`{}`", m.media_type),
                Some(_) => format!("`{}` unless set", m.media_type),
            },
        }
    }
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    /// snake_case name of its field, argument or setter, unique among the operation's.
    pub rust_name: Ident,
    /// The part's name on the wire (`Content-Disposition: form-data; name="…"`).
    pub wire_name: String,
    /// What it holds.
    pub kind: PartKind,
    /// In the schema's `required` list (an argument when the body is required too).
    pub required: bool,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// Documented bounds of a text part, checked before sending.
    #[serde(skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
}

impl Part {
    /// `name: Type`, as a reader writes it.
    pub fn rust_display(&self) -> String {
        let ty = match &self.kind {
            PartKind::File { .. } => "FilePart".to_string(),
            PartKind::Files { .. } => "Vec<FilePart>".to_string(),
            PartKind::Text(t) | PartKind::Json(t) => t.rust_display(),
        };
        let ty = if self.required { ty } else { format!("Option<{ty}>") };
        format!("{}: {ty}", self.rust_name.bare())
    }
}

/// What a multipart part holds and how it is written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum PartKind {
    /// A file (`type: string, format: binary`): the caller's bytes, file name and media type
    /// (`FilePart`); this media type when the caller gives none (`encoding.<part>.contentType`,
    /// else `application/octet-stream`).
    File {
        /// The default `Content-Type` of the part.
        content_type: String,
    },
    /// An array of files: one part per file, all with the part's name.
    Files {
        /// The default `Content-Type` of each part.
        content_type: String,
    },
    /// A scalar or string enum, written as text; an array of them (the type is then an
    /// `Array`, aliases seen through) is one part per item.
    Text(TypeRef),
    /// Anything else (an object, a union, a map): one part of JSON (`application/json`).
    Json(TypeRef),
}

/// The media type of a raw body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RawMedia {
    /// The `Content-Type` sent: the document's media type; where it allows several or a
    /// range (`image/*`, `*/*`), the first one it names, or `application/octet-stream`
    /// (`text/plain` for text) when it names only ranges.
    pub media_type: String,
    /// Where the document allows several media types or a range: the snake_case name of
    /// the builder's setter that sends another `Content-Type` (`content_type`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type_setter: Option<Ident>,
    /// With a setter: the media types the document lists, in spec order, for its docs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accepted: Vec<String>,
}

/// One documented response.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    /// The status it answers.
    pub status: StatusSpec,
    /// Its description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// For an error status, the `Error` variant the runtime returns for it (`NotFound` for
    /// 404; the status class's variant for `4XX` and `default`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_variant: Option<String>,
    /// The body and how it is wrapped.
    pub envelope: Envelope,
    /// Example bodies from the spec (whole, envelope included).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<serde_json::Value>,
}

/// Which statuses a response documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum StatusSpec {
    /// One status code.
    Code(u16),
    /// A class such as `4XX` (the digit).
    Range(u8),
    /// `default`.
    Default,
}

impl StatusSpec {
    /// Whether this covers success statuses (2xx).
    pub fn is_success(self) -> bool {
        match self {
            StatusSpec::Code(c) => (200..300).contains(&c),
            StatusSpec::Range(d) => d == 2,
            StatusSpec::Default => false,
        }
    }
}

/// How a response body is wrapped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Envelope {
    /// No body.
    Empty,
    /// A body that is not JSON nor text (`application/octet-stream`, `application/pdf`,
    /// `image/*`, `audio/*`, `*/*` with a binary schema): its bytes, as they came.
    Bytes,
    /// A text body (`text/*`, `application/xml`, `*+xml`, YAML): a `String`, decoded as
    /// UTF-8. No XML model is made.
    Text,
    /// A body used as is.
    Plain(TypeRef),
    /// `{"data": T}`: the operation returns `T`.
    Data {
        /// The unwrapped type.
        inner: TypeRef,
    },
    /// `{"data": [T], "meta": M}`: a page of items.
    Page {
        /// The item type.
        item: TypeRef,
        /// The meta type.
        meta: TypeRef,
    },
}

/// What a generated method returns on success.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Success {
    /// Nothing (e.g. `204 No Content`).
    Empty,
    /// The body's bytes (`bytes::Bytes`), as they came; also offered as a stream
    /// (`send_stream`).
    Bytes,
    /// The body as text (`String`); also offered as a stream of bytes (`send_stream`).
    Text,
    /// The body, decoded as `T`.
    Plain(TypeRef),
    /// The `data` member of the body, decoded as `T`.
    Data(TypeRef),
    /// A page: `data` items and `meta`.
    Page {
        /// The item type.
        item: TypeRef,
        /// The meta type.
        meta: TypeRef,
    },
    /// Success statuses with different bodies (200 with the resource, 202 with a job, 204 with
    /// none): an enum in the resource module with a variant per status.
    ByStatus {
        /// UpperCamelCase name of the enum, unique in the crate (`GetCharacterResponse`).
        type_name: Ident,
        /// A variant per documented success status, in status order.
        variants: Vec<StatusVariant>,
    },
}

impl Success {
    /// The return type as a reader writes it (`Page<Room, PaginationMeta>`), for docs,
    /// listings and reports.
    pub fn rust_display(&self) -> String {
        match self {
            Success::Empty => "()".into(),
            Success::Bytes => "Bytes".into(),
            Success::Text => "String".into(),
            Success::Plain(t) | Success::Data(t) => t.rust_display(),
            Success::Page { item, meta } => format!("Page<{}, {}>", item.rust_display(), meta.rust_display()),
            Success::ByStatus { type_name, .. } => type_name.to_string(),
        }
    }
}

/// One success status of a [`Success::ByStatus`] operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusVariant {
    /// The status (a code, or `2XX`).
    pub status: StatusSpec,
    /// UpperCamelCase variant name, from the status's reason phrase (`Accepted` for 202).
    pub rust_name: Ident,
    /// The response's description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// Its body and how it is wrapped; `Empty` makes a variant without a value.
    pub envelope: Envelope,
}

/// How a security scheme's credential is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AuthKind {
    /// `Authorization: Bearer <API key>` (HTTP bearer, OAuth 2, OpenID Connect).
    Bearer,
    /// `Authorization: Basic <base64 of username:password>`.
    Basic,
    /// An API key in the named header.
    Header(String),
    /// An API key in the named query parameter.
    Query(String),
    /// An API key in the named cookie.
    Cookie(String),
}

/// How an operation authenticates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Auth {
    /// No credentials (`security: []`).
    None,
    /// Alternatives, in the spec's order: the client sends the first whose credentials it
    /// has, each alternative being the names of schemes sent together.
    Schemes(Vec<Vec<String>>),
}

/// Page-number pagination: the query leaves that select a page and the meta fields that
/// say where the listing ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pagination {
    /// Rust names of the path through the query tree to the page-number leaf
    /// (`["page", "number"]`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub number: Vec<Ident>,
    /// Path to the page-size leaf.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub size: Vec<Ident>,
    /// Rust name of the meta field with the current page number, if the meta has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta_page_number: Option<Ident>,
    /// Rust name of the meta field with the page count, if the meta has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta_total_pages: Option<Ident>,
}

/// A reference to a type, as a field, parameter or body uses it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TypeRef {
    /// A built-in scalar.
    Scalar(Scalar),
    /// A named type in [`Api::types`], by Rust name.
    Named(Ident),
    /// A list.
    Array(Box<TypeRef>),
    /// A string-keyed map (`additionalProperties`).
    Map(Box<TypeRef>),
    /// Any JSON value (a schema with no type).
    Any,
}

impl Scalar {
    /// The scalar's kind in a generated name (`String`, `Uuid`, `Integer`, `Number`): how a
    /// union variant or a range type built on it is named.
    pub fn name_word(self) -> &'static str {
        match self {
            Scalar::String | Scalar::Uri => "String",
            Scalar::Uuid => "Uuid",
            Scalar::Date => "Date",
            Scalar::DateTime => "DateTime",
            Scalar::Boolean => "Boolean",
            Scalar::I32 | Scalar::I64 => "Integer",
            Scalar::F64 => "Number",
        }
    }
}

impl TypeRef {
    /// The Rust type as a reader writes it (`Vec<Uuid>`, `DateTime<Utc>`), for listings and
    /// reports.
    pub fn rust_display(&self) -> String {
        match self {
            TypeRef::Scalar(s) => match s {
                Scalar::String | Scalar::Uri => "String",
                Scalar::Uuid => "Uuid",
                Scalar::Date => "NaiveDate",
                Scalar::DateTime => "DateTime<Utc>",
                Scalar::Boolean => "bool",
                Scalar::I32 => "i32",
                Scalar::I64 => "i64",
                Scalar::F64 => "f64",
            }
            .to_string(),
            TypeRef::Named(n) => n.to_string(),
            TypeRef::Array(inner) => format!("Vec<{}>", inner.rust_display()),
            TypeRef::Map(inner) => format!("BTreeMap<String, {}>", inner.rust_display()),
            TypeRef::Any => "serde_json::Value".to_string(),
        }
    }
}

/// Scalars with a fixed Rust mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub enum Scalar {
    String,
    /// `format: uuid`.
    Uuid,
    /// `format: date`.
    Date,
    /// `format: date-time`.
    DateTime,
    /// `format: uri` or `url`: kept as a string, so the value round-trips untouched.
    Uri,
    Boolean,
    /// `integer` with `format: int32`.
    I32,
    /// `integer` otherwise.
    I64,
    /// `number`, whatever its format: JSON numbers are doubles.
    F64,
}

/// Documented bounds on a value.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Constraints {
    /// `minimum` (inclusive unless `exclusive_minimum`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    /// `maximum` (inclusive unless `exclusive_maximum`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
    /// `exclusiveMinimum`.
    #[serde(skip_serializing_if = "is_false")]
    pub exclusive_minimum: bool,
    /// `exclusiveMaximum`.
    #[serde(skip_serializing_if = "is_false")]
    pub exclusive_maximum: bool,
    /// `minLength`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    /// `maxLength`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    /// `pattern`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// `minItems`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_items: Option<usize>,
    /// `maxItems`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<usize>,
}

impl Constraints {
    /// Whether nothing is constrained.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// A named type to emit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeDef {
    /// UpperCamelCase Rust name, unique in the crate.
    pub name: Ident,
    /// snake_case form of the name, for values of the type in examples and tests (`room`
    /// for `Room`).
    pub value_name: Ident,
    /// Where it came from: the component name, or the parent's name and field for an inline
    /// schema.
    pub origin: String,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// Its shape.
    pub kind: TypeKind,
    /// Example values from the spec, to be checked against the generated type.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<serde_json::Value>,
    /// Whether values of it are sent: reachable from a request body. Such types get
    /// `clear_*` setters for nullable fields and their ranges checked before sending.
    #[serde(skip_serializing_if = "is_false")]
    pub sent: bool,
    /// JSON pointer of the schema.
    pub pointer: String,
    /// The Cargo feature of the one resource that uses it (one of [`Api::features`]);
    /// `None`: it always compiles (shared by several resources, or used by none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
}

/// The shapes a named type can have.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct {
        /// Fields in spec order.
        fields: Vec<Field>,
        /// The type of unlisted properties when `additionalProperties` is a schema or `true`.
        #[serde(skip_serializing_if = "Option::is_none")]
        additional: Option<TypeRef>,
        /// The Rust field holding them: `additional_properties`, unless a listed property
        /// took that name.
        #[serde(skip_serializing_if = "Option::is_none")]
        additional_field: Option<Ident>,
        /// `additionalProperties: false`: the schema allows no property it does not list.
        /// Decoding the struct ignores unlisted properties all the same; only an untagged
        /// union asks for it, to tell its members apart ([`DecodeTest::ObjectOnly`]).
        #[serde(skip_serializing_if = "is_false")]
        closed: bool,
    },
    /// A string enum; unknown values are kept, not rejected.
    Enum {
        /// Variants in spec order.
        variants: Vec<EnumVariant>,
    },
    /// A `oneOf` (or `anyOf`) union. With a `discriminator`, the tag property selects the
    /// variant and a tag no variant has decodes as `Unknown`; without one, the variants are
    /// tried in `decode` order.
    OneOf {
        /// Variants in spec order (the Rust enum's, and what encoding writes).
        variants: Vec<UnionVariant>,
        /// `discriminator.propertyName`: the property whose value says which variant a value is.
        #[serde(skip_serializing_if = "Option::is_none")]
        discriminator: Option<String>,
        /// Without a discriminator, how a value is decoded: the steps tried in order, the
        /// first that takes the value deciding its variant. Narrower members come before the
        /// members that also accept all their values (`lower::unions`); a string enum's
        /// variant may have two steps (its named values early, any other string last).
        /// Empty with a discriminator.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        decode: Vec<DecodeStep>,
    },
    /// Another name for a type (a component that is an array, map or scalar).
    Alias {
        /// The aliased type.
        target: TypeRef,
    },
}

/// A struct field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// snake_case Rust name.
    pub rust_name: Ident,
    /// JSON property name.
    pub wire_name: String,
    /// Its type, without optionality.
    pub ty: TypeRef,
    /// In the schema's `required` list.
    pub required: bool,
    /// `nullable: true`.
    #[serde(skip_serializing_if = "is_false")]
    pub nullable: bool,
    /// Whether the Rust type tells "absent" from `null` (`Option<Option<T>>`): optional
    /// nullable fields of types sent in requests, where leaving a field out and setting it
    /// to `null` mean different things. In response-only types both are `None`.
    #[serde(skip_serializing_if = "is_false")]
    pub absent_or_null: bool,
    /// snake_case name of its setter on the struct (the field name unless that is taken,
    /// e.g. by `new`); `None` for required and read-only fields, which have none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub setter: Option<Ident>,
    /// The setter that sends `null`, for nullable fields of request types (`clear_{field}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clear_setter: Option<Ident>,
    /// `readOnly: true`: sent by the server only.
    #[serde(skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// `writeOnly: true`: sent by the client only.
    #[serde(skip_serializing_if = "is_false")]
    pub write_only: bool,
    /// Needs a `Box` to break a reference cycle.
    #[serde(skip_serializing_if = "is_false")]
    pub boxed: bool,
    /// Documented default (documented, never sent implicitly).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    /// Documented bounds.
    #[serde(skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// An example value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<serde_json::Value>,
}

impl Field {
    /// The field's Rust type as a reader writes it, with its `Box` and `Option` layers:
    /// required → `T`, optional or nullable → `Option<T>`, optional and nullable in a
    /// request type → `Option<Option<T>>`.
    pub fn rust_display(&self) -> String {
        let mut t = self.ty.rust_display();
        if self.boxed {
            t = format!("Box<{t}>");
        }
        if self.absent_or_null {
            format!("Option<Option<{t}>>")
        } else if self.required && !self.nullable {
            t
        } else {
            format!("Option<{t}>")
        }
    }
}

/// A string enum variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnumVariant {
    /// UpperCamelCase Rust name.
    pub rust_name: Ident,
    /// The string on the wire.
    pub wire_value: String,
}

/// A `oneOf` variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnionVariant {
    /// UpperCamelCase Rust name.
    pub rust_name: Ident,
    /// The discriminator values that select it (from `discriminator.mapping`, else the
    /// referenced schema's name), in mapping order; the first is written when encoding a value
    /// that lacks the tag. Empty without a discriminator.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// What it holds.
    pub shape: UnionShape,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
}

/// One step of an untagged union's decoder: a value that passes `test` is `variant`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecodeStep {
    /// The variant's `rust_name`.
    pub variant: Ident,
    /// What the value must be.
    pub test: DecodeTest,
}

/// What a [`DecodeStep`] asks of a value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum DecodeTest {
    /// Equal to the variant's one value ([`UnionShape::Const`]).
    Exact,
    /// Decodes as the variant's type.
    Decodes,
    /// A JSON object (a derived struct would read a list too, field by field) that decodes
    /// as the variant's struct.
    Object,
    /// A JSON object with no property but these (the member's `additionalProperties:
    /// false`, asked where it tells the member from another), that decodes as its struct.
    ObjectOnly(Vec<String>),
    /// One of these strings (the named values of the variant's string enum), decoded as the
    /// enum.
    Named(Vec<String>),
    /// A string that decodes as the variant's scalar (a uuid, a date: `Copy` types) and is
    /// written back exactly as it came (`7b61621f-62e0-…`, `2024-01-05`; not
    /// `7B61621F62E0…`, `2024-1-5`), so a string member listed beside it keeps the other
    /// spellings.
    Canonical,
    /// A JSON object whose properties hold these values (required properties of the
    /// variant's struct typed as string enums: `type: card` against `type: bank`), decoded as
    /// the struct. Tried before the other steps, which still follow for values with a tag the
    /// spec does not list.
    Tagged(Vec<(String, Vec<String>)>),
}

/// What a `oneOf` variant holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum UnionShape {
    /// One fixed JSON value (a single-value enum: a string, number or boolean), carried by
    /// the variant itself and matched exactly when decoding, before any member whose type
    /// accepts it.
    Const(serde_json::Value),
    /// A value of this type.
    Value(TypeRef),
}
