//! Emit: [`crate::ir::Api`] → the files of a crate, as token streams and text.
//!
//! The emitter reads the IR and nothing else (never `openapiv3`), makes no names (they are
//! in the IR), and leaves formatting to `crate::format`. Its output order follows the IR's.

mod docs;
mod examples;
mod krate;
mod models;
mod params;
mod readme;
mod resources;
mod snippets;
mod surface;
mod validate;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, ResourceFeature, Scalar, TypeRef};
use crate::runtime_api::RUNTIME_FILES;

pub use crate::ir::CrateConfig;

/// One file of the generated crate, before formatting.
#[derive(Debug, Clone)]
pub struct EmittedFile {
    /// Path relative to the crate root, `/`-separated.
    pub path: String,
    /// Its content.
    pub content: Content,
}

/// What a file holds.
#[derive(Debug, Clone)]
pub enum Content {
    /// Rust to be formatted by prettyplease.
    Rust(TokenStream),
    /// A file of the hand-written runtime, shipped as is.
    RustVerbatim(&'static crate::runtime_api::RuntimeFile),
    /// A TOML file.
    Toml(String),
    /// A Markdown file (its header is an HTML comment).
    Markdown(String),
    /// Text that cannot carry a header (a licence); the manifest marks it as generated.
    Plain(String),
}

/// A Rust file emitted as a sequence of token streams, each made only when the sequence
/// is read ([`Emitter::emit_chunks`]): formatted one after another, a file of thousands of
/// models never holds all their tokens at once. Concatenated, the chunks are the file's
/// tokens as [`Emitter::emit`] gives them.
pub struct RustChunks<'e> {
    /// Path relative to the crate root, `/`-separated.
    pub path: String,
    /// The file's tokens in order: its inner attributes and first items, then one item (or a
    /// few) at a time.
    pub chunks: Box<dyn Iterator<Item = Result<TokenStream, String>> + 'e>,
}

/// Emits every file of the crate, in order, on this thread.
///
/// # Errors
///
/// An IR that breaks an invariant lowering guarantees (a generator bug), described.
pub fn emit(api: &Api, config: &CrateConfig) -> Result<Vec<EmittedFile>, String> {
    let emitter = Emitter::new(api, config);
    emitter.parts().into_iter().filter_map(|part| emitter.emit(part).transpose()).collect()
}

/// One file of the crate, named before it is made, so that files can be emitted (and
/// formatted) independently, on several threads: token streams cannot cross threads,
/// parts can.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// `Cargo.toml`.
    CargoToml,
    /// `src/lib.rs`.
    LibRs,
    /// `README.md`.
    Readme,
    /// `API.md`.
    ApiMd,
    /// The n-th licence text.
    Licence(usize),
    /// The n-th of [`RUNTIME_FILES`](crate::runtime_api::RUNTIME_FILES).
    Runtime(usize),
    /// `src/models.rs`, or `src/models/mod.rs` when the crate has resource features: the
    /// models every build has.
    Models,
    /// `src/models/<module>.rs`: the models only the n-th of [`Api::features`] compiles.
    ModelsShard(usize),
    /// `src/models/<letter module>.rs`: the always-compiled models whose names start with
    /// the n-th letter, when there are more than [`SPLIT_MODELS_ABOVE`] of them.
    ModelsLetter(usize),
    /// `src/params.rs`, or `src/params/mod.rs` when the crate has resource features.
    Params,
    /// `src/params/<module>.rs`: the query types only the n-th feature compiles.
    ParamsShard(usize),
    /// `src/resources/mod.rs`.
    ResourcesMod,
    /// `src/resources/<module>.rs` for the n-th resource of the IR.
    Resource(usize),
    /// `src/spec_examples.rs`.
    SpecExamples,
}

/// Emits the parts of one crate. Shareable between threads.
pub struct Emitter<'a> {
    api: &'a Api,
    config: &'a CrateConfig,
    licences: Vec<(&'static str, String)>,
    validated: std::collections::BTreeSet<crate::ir::Ident>,
    /// The initial letters the always-compiled models are split by, each with its file's
    /// module (`shared_a`); empty when they fit one file.
    letters: Vec<(char, String)>,
    /// The resource features some model compiles only with (read once: every part asks).
    model_features: std::collections::BTreeSet<&'a str>,
    /// The resource features some query type compiles only with.
    param_features: std::collections::BTreeSet<&'a str>,
}

/// How many always-compiled models one file may hold before they are written one file per
/// initial letter: a large API's models then format on several threads, and a change to one
/// shows in a file of reviewable size.
pub const SPLIT_MODELS_ABOVE: usize = 300;

/// The initial letters of `api`'s always-compiled models and their files' modules, when there
/// are more than [`SPLIT_MODELS_ABOVE`]; the module names avoid the resource features' own.
fn model_letters(api: &Api) -> Vec<(char, String)> {
    let shared: Vec<&crate::ir::TypeDef> = api.types.iter().filter(|t| t.feature.is_none()).collect();
    if shared.len() <= SPLIT_MODELS_ABOVE {
        return Vec::new();
    }
    let letters: std::collections::BTreeSet<char> = shared.iter().map(|t| models::letter_of(t)).collect();
    letters
        .into_iter()
        .map(|l| {
            let mut module = format!("shared_{}", if l.is_ascii_alphabetic() { l.to_string() } else { "other".into() });
            while api.features.iter().any(|f| f.module.bare() == module) {
                module.push_str("_models");
            }
            (l, module)
        })
        .collect()
}

impl<'a> Emitter<'a> {
    /// Prepares what several parts share.
    pub fn new(api: &'a Api, config: &'a CrateConfig) -> Emitter<'a> {
        Emitter {
            api,
            config,
            licences: krate::licence_files(config),
            validated: validate::validated_types(api),
            letters: model_letters(api),
            model_features: api.types.iter().filter_map(|t| t.feature.as_deref()).collect(),
            param_features: api.query_types.iter().filter_map(|t| t.feature.as_deref()).collect(),
        }
    }

    /// Every part of the crate, in the crate's file order.
    pub fn parts(&self) -> Vec<Part> {
        let mut parts = vec![Part::CargoToml, Part::LibRs, Part::Readme, Part::ApiMd];
        parts.extend((0..self.licences.len()).map(Part::Licence));
        parts.extend((0..RUNTIME_FILES.len()).map(Part::Runtime));
        parts.push(Part::Models);
        parts.extend((0..self.api.features.len()).filter(|&i| self.models_shard(i).is_some()).map(Part::ModelsShard));
        parts.extend((0..self.letters.len()).map(Part::ModelsLetter));
        parts.push(Part::Params);
        parts.extend((0..self.api.features.len()).filter(|&i| self.params_shard(i).is_some()).map(Part::ParamsShard));
        parts.push(Part::ResourcesMod);
        parts.extend((0..self.api.resources.len()).map(Part::Resource));
        parts.push(Part::SpecExamples);
        parts
    }

    /// Emits one part; `Ok(None)` for a part this crate does not have (an index out of
    /// range).
    ///
    /// # Errors
    ///
    /// An IR that breaks an invariant lowering guarantees (a generator bug), described.
    pub fn emit(&self, part: Part) -> Result<Option<EmittedFile>, String> {
        let (api, config) = (self.api, self.config);
        let file = |path: &str, content: Content| Ok(Some(EmittedFile { path: path.to_string(), content }));
        match part {
            Part::CargoToml => file("Cargo.toml", Content::Toml(krate::cargo_toml(api, config))),
            Part::LibRs => file("src/lib.rs", Content::Rust(krate::lib_rs(api, config))),
            Part::Readme => file("README.md", Content::Markdown(readme::readme(api, config))),
            Part::ApiMd => file("API.md", Content::Markdown(surface::api_md(api, config))),
            Part::Licence(i) => match self.licences.get(i) {
                Some((path, text)) => file(path, Content::Plain(text.clone())),
                None => Ok(None),
            },
            Part::Runtime(i) => match RUNTIME_FILES.get(i) {
                Some(runtime) => file(runtime.path, Content::RustVerbatim(runtime)),
                None => Ok(None),
            },
            Part::ResourcesMod => file("src/resources/mod.rs", Content::Rust(resources::mod_rs(api))),
            Part::Resource(i) => match api.resources.get(i) {
                Some(r) => file(
                    &format!("src/resources/{}.rs", r.module.bare()),
                    Content::Rust(resources::resource_rs(api, &config.lib_name(), r, &self.validated)?),
                ),
                None => Ok(None),
            },
            // Emitted in chunks: see `emit_chunks`.
            Part::Models
            | Part::ModelsShard(_)
            | Part::ModelsLetter(_)
            | Part::Params
            | Part::ParamsShard(_)
            | Part::SpecExamples => match self.emit_chunks(part) {
                Some(RustChunks { path, chunks }) => file(&path, Content::Rust(chunks.collect::<Result<_, _>>()?)),
                None => Ok(None),
            },
        }
    }
}

impl Emitter<'_> {
    /// The part as chunks made one at a time, for the parts whose files grow with the API
    /// (models, query types, the spec-example tests); `None` for every other part, and for
    /// a part this crate does not have. [`Emitter::emit`] gives the same tokens at once.
    pub fn emit_chunks(&self, part: Part) -> Option<RustChunks<'_>> {
        let (api, validated) = (self.api, &self.validated);
        let (path, chunks): (String, Box<dyn Iterator<Item = Result<TokenStream, String>> + '_>) = match part {
            Part::Models => {
                let path = if self.sharded(true) { "src/models/mod.rs" } else { "src/models.rs" };
                let shards = self.shards(true);
                let root = models::ModelsFile::Root { shards: &shards, letters: &self.letters };
                (path.to_string(), Box::new(models::models_chunks(api, root, validated)))
            }
            Part::ModelsShard(i) => {
                let f = self.models_shard(i)?;
                let file = models::ModelsFile::Shard(f);
                (format!("src/models/{}.rs", f.module.bare()), Box::new(models::models_chunks(api, file, validated)))
            }
            Part::ModelsLetter(i) => {
                let (letter, module) = self.letters.get(i)?;
                let file = models::ModelsFile::Letter(*letter);
                (format!("src/models/{module}.rs"), Box::new(models::models_chunks(api, file, validated)))
            }
            Part::Params => {
                let path = if self.sharded(false) { "src/params/mod.rs" } else { "src/params.rs" };
                (path.to_string(), Box::new(params::params_chunks(api, None, &self.shards(false)).map(Ok)))
            }
            Part::ParamsShard(i) => {
                let f = self.params_shard(i)?;
                (
                    format!("src/params/{}.rs", f.module.bare()),
                    Box::new(params::params_chunks(api, Some(f), &[]).map(Ok)),
                )
            }
            Part::SpecExamples => {
                ("src/spec_examples.rs".to_string(), Box::new(examples::spec_examples_chunks(api).map(Ok)))
            }
            _ => return None,
        };
        Some(RustChunks { path, chunks })
    }
}

impl Emitter<'_> {
    /// The n-th resource feature, when some model compiles only with it.
    fn models_shard(&self, i: usize) -> Option<&ResourceFeature> {
        let f = self.api.features.get(i)?;
        self.model_features.contains(f.name.as_str()).then_some(f)
    }

    /// The n-th resource feature, when some query type compiles only with it.
    fn params_shard(&self, i: usize) -> Option<&ResourceFeature> {
        let f = self.api.features.get(i)?;
        self.param_features.contains(f.name.as_str()).then_some(f)
    }

    /// The features with a submodule of `models` (`true`) or of `params`.
    fn shards(&self, models: bool) -> Vec<&ResourceFeature> {
        (0..self.api.features.len())
            .filter_map(|i| if models { self.models_shard(i) } else { self.params_shard(i) })
            .collect()
    }

    /// Whether `models` (`true`) or `params` is a directory of submodules.
    fn sharded(&self, models: bool) -> bool {
        if models {
            !self.model_features.is_empty() || !self.letters.is_empty()
        } else {
            !self.param_features.is_empty()
        }
    }
}

/// `#[cfg(feature = "…")] mod m; #[cfg(feature = "…")] pub use m::*;` for each shard: the
/// types of a submodule, reachable at the parent's path (`crate::models::X`) in every build
/// that compiles them. `self::` keeps a module named like a dependency (`tracing`) from
/// being ambiguous with it.
pub(crate) fn shard_modules(parent: &str, shards: &[&ResourceFeature]) -> TokenStream {
    let items = shards.iter().map(|f| {
        let m = ident(&f.module);
        let feature = &f.name;
        // A resource named `models` has its models in `models::models`.
        let inception = (f.module.bare() == parent).then(|| quote!(#[allow(clippy::module_inception)]));
        quote! {
            #[cfg(feature = #feature)]
            #inception
            mod #m;
            #[cfg(feature = #feature)]
            pub use self::#m::*;
        }
    });
    quote!(#(#items)*)
}

/// An identifier from an IR name (which `crate::names` made valid; `r#` prefixes become raw
/// identifiers).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) if is_ident(raw) => Ident::new_raw(raw, Span::call_site()),
        _ if is_ident(name) => Ident::new(name, Span::call_site()),
        // Unreachable for IR names; kept total so emission cannot panic.
        _ => Ident::new("invalid_identifier", Span::call_site()),
    }
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s != "_"
}

/// Where a type reference is written: inside `models.rs` named types need no path.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Models,
    Elsewhere,
}

/// The Rust type for a type reference. Prelude types are written by their plain names:
/// lowering never gives a generated type a name in `names::PRELUDE`, so nothing shadows
/// them.
pub(crate) fn rust_type(t: &TypeRef, place: Place) -> TokenStream {
    match t {
        TypeRef::Scalar(s) => scalar_type(*s),
        TypeRef::Named(n) => {
            let id = ident(n);
            match place {
                Place::Models => quote!(#id),
                Place::Elsewhere => quote!(crate::models::#id),
            }
        }
        TypeRef::Array(inner) => {
            let inner = rust_type(inner, place);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner, place);
            quote!(::std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Any => quote!(::serde_json::Value),
    }
}

fn scalar_type(s: Scalar) -> TokenStream {
    match s {
        Scalar::String | Scalar::Uri => quote!(String),
        Scalar::Uuid => quote!(::uuid::Uuid),
        Scalar::Date => quote!(::chrono::NaiveDate),
        Scalar::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        Scalar::Boolean => quote!(bool),
        Scalar::I32 => quote!(i32),
        Scalar::I64 => quote!(i64),
        Scalar::F64 => quote!(f64),
    }
}

/// "Allowed: 2..=50. Default: `10`." lines for docs.
pub(crate) fn constraint_docs(c: &crate::ir::Constraints, default: Option<&serde_json::Value>) -> Option<String> {
    let mut parts = Vec::new();
    let num = |v: f64| if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { v.to_string() };
    match (c.minimum, c.maximum) {
        (Some(lo), Some(hi)) => parts.push(format!(
            "Range: {} {} x {} {}.",
            num(lo),
            if c.exclusive_minimum { "<" } else { "≤" },
            if c.exclusive_maximum { "<" } else { "≤" },
            num(hi)
        )),
        (Some(lo), None) => {
            parts.push(format!("Minimum: {}{}.", num(lo), if c.exclusive_minimum { " (exclusive)" } else { "" }))
        }
        (None, Some(hi)) => {
            parts.push(format!("Maximum: {}{}.", num(hi), if c.exclusive_maximum { " (exclusive)" } else { "" }))
        }
        (None, None) => {}
    }
    match (c.min_length, c.max_length) {
        (Some(lo), Some(hi)) => parts.push(format!("Length: {lo} to {hi} characters.")),
        (Some(lo), None) => parts.push(format!("At least {lo} characters.")),
        (None, Some(hi)) => parts.push(format!("At most {hi} characters.")),
        (None, None) => {}
    }
    if let Some(p) = &c.pattern {
        parts.push(format!("Pattern: `{p}`."));
    }
    match (c.min_items, c.max_items) {
        (Some(lo), Some(hi)) => parts.push(format!("{lo} to {hi} items.")),
        (Some(lo), None) => parts.push(format!("At least {lo} items.")),
        (None, Some(hi)) => parts.push(format!("At most {hi} items.")),
        (None, None) => {}
    }
    if let Some(d) = default {
        parts.push(format!("Server default: `{d}` (not sent unless set)."));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}
