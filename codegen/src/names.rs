//! Names: the one place Rust identifiers are made from spec names.
//!
//! Every identifier in the IR comes from [`type_name`], [`value_name`] or [`Scope::unique`].
//! The rules: anything that is not an ASCII letter or digit separates words; heck does the
//! casing; a name that starts with a digit gets a letter in front (`N` for types and
//! variants, `n_` for values); Rust keywords become raw identifiers (`r#type`) or, where a
//! raw identifier is not allowed (`self`, `crate`, `super`), get a trailing `_` (`Self` is
//! `SelfType`).
//! Emission never re-derives a name; the wire name travels beside it for serde.

use std::collections::BTreeSet;
use std::fmt;

use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Keywords of Rust 2021 and 2024 (strict, reserved and edition-reserved).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Methods every generated struct (model or query parameters) has besides its setters:
/// the constructor and the crate-internal checks and encoders.
pub const STRUCT_METHODS: &[&str] = &["new", "validate", "write_query"];

/// Names the generated code writes without a path (the prelude's types, traits and
/// variants, and `Error`, which users import from the crate root beside the models): no
/// generated type may take them, so they always mean what the code means.
pub const PRELUDE: &[&str] = &[
    "Box",
    "Clone",
    "Copy",
    "Default",
    "Drop",
    "Eq",
    "Err",
    "Error",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "Unpin",
    "Vec",
];

/// A Rust identifier, valid as written (`r#type`, `self_`, `n_2fa`), as the IR carries every
/// name. Only this module makes one ([`type_name`], [`value_name`], [`model_name`],
/// [`Scope::unique`]), so a name in the IR was made by the rules here and nowhere else.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Ident(String);

impl Ident {
    /// The identifier as written in Rust (`r#type`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Without the raw prefix (`type` for `r#type`), for prose and paths in docs.
    pub fn bare(&self) -> &str {
        bare(&self.0)
    }
}

impl std::ops::Deref for Ident {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Ident {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Ident {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for Ident {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Ident {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<Ident> for String {
    fn eq(&self, other: &Ident) -> bool {
        *self == other.0
    }
}

impl PartialEq<Ident> for str {
    fn eq(&self, other: &Ident) -> bool {
        self == other.0
    }
}

impl PartialEq<String> for Ident {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "crate", "super", "_"];

/// Replaces everything but ASCII letters and digits with spaces, splitting words.
fn words(raw: &str) -> String {
    raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect()
}

fn escape(name: String, digit_prefix: &str, fallback: &str) -> String {
    let name = if name.is_empty() { fallback.to_string() } else { name };
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) { format!("{digit_prefix}{name}") } else { name };
    if name == "Self" {
        // `Self_` would break the UpperCamelCase convention (a lint error under `-D warnings`).
        "SelfType".to_string()
    } else if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// UpperCamelCase name for a type or variant (`room_session` → `RoomSession`,
/// `1280x720` → `N1280x720`). `fallback` is used when nothing usable is left.
pub fn type_name(raw: &str, fallback: &str) -> Ident {
    Ident(escape(words(raw).to_upper_camel_case(), "N", fallback))
}

/// The name of an enum value with no letters or digits to name it by: its characters
/// spelled out (`""` → `Empty`, `"+"` → `Plus`, `"<="` → `LessThanEquals`, `"*"` →
/// `Asterisk`); `Value{index}` when a character has no spelling here.
pub fn symbol_value_name(raw: &str, index: usize) -> String {
    if raw.is_empty() {
        return "Empty".into();
    }
    let spelled: Option<String> = raw
        .chars()
        .map(|c| {
            Some(match c {
                '+' => "Plus",
                '-' => "Minus",
                '*' => "Asterisk",
                '/' => "Slash",
                '\\' => "Backslash",
                '.' => "Dot",
                ',' => "Comma",
                ':' => "Colon",
                ';' => "Semicolon",
                '_' => "Underscore",
                '<' => "LessThan",
                '>' => "GreaterThan",
                '=' => "Equals",
                '!' => "Bang",
                '?' => "Question",
                '#' => "Hash",
                '@' => "At",
                '&' => "Ampersand",
                '|' => "Pipe",
                '%' => "Percent",
                '$' => "Dollar",
                '^' => "Caret",
                '~' => "Tilde",
                ' ' => "Space",
                _ => return None,
            })
        })
        .collect();
    spelled.unwrap_or_else(|| format!("Value{index}"))
}

/// `prefix` (an UpperCamelCase name, kept as it is) followed by `raw` in UpperCamelCase:
/// `ListRooms` and `filter` → `ListRoomsFilter`.
pub fn type_name_after(prefix: &str, raw: &str) -> Ident {
    Ident(escape(format!("{}{}", bare(prefix), words(raw).to_upper_camel_case()), "N", "Type"))
}

/// UpperCamelCase name for a model (a type in `models`): as [`type_name`], with `Model`
/// appended to a name in [`PRELUDE`] (`Error` → `ErrorModel`), so a model never shadows
/// the standard type or the crate's `Error` it would be imported beside.
pub fn model_name(raw: &str) -> Ident {
    model_name_or(raw, "Schema")
}

/// [`model_name`] with another fallback for a name with nothing usable in it.
pub fn model_name_or(raw: &str, fallback: &str) -> Ident {
    let name = type_name(raw, fallback);
    if PRELUDE.contains(&name.as_str()) { Ident(format!("{name}Model")) } else { name }
}

/// snake_case name for a field, parameter, method or module (`dateCreatedAt` →
/// `date_created_at`, `type` → `r#type`).
pub fn value_name(raw: &str, fallback: &str) -> Ident {
    Ident(escape(words(raw).to_snake_case(), "n_", fallback))
}

/// A name a spec author chose (`x-rust-name`, `x-enum-varnames`), if it is already what the
/// rules here would make of it: a valid UpperCamelCase type name (`kind` [`NameKind::Type`])
/// or snake_case value name, not escaped and not in [`PRELUDE`]. `Err` says what it would
/// have to be instead.
pub fn chosen(raw: &str, kind: NameKind) -> Result<Ident, String> {
    let made = match kind {
        NameKind::Type => type_name(raw, ""),
        NameKind::Value => value_name(raw, ""),
    };
    if raw.is_empty() || made.0 != raw && made.0 != format!("r#{raw}") {
        let what = match kind {
            NameKind::Type => "an UpperCamelCase Rust type name",
            NameKind::Value => "a snake_case Rust name",
        };
        return Err(format!("`{raw}` is not {what} (the nearest is `{made}`)"));
    }
    if kind == NameKind::Type && PRELUDE.contains(&raw) {
        return Err(format!("`{raw}` would shadow the standard `{raw}` in the generated code"));
    }
    Ok(made)
}

/// What a chosen name names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// A type or enum variant.
    Type,
    /// A method, field or module.
    Value,
}

/// A variant name that is the value itself (`mW` → `mW`, `m_w` → `m_w`, `1h` → `N1h`): for
/// enum values that differ only in case or punctuation, where UpperCamelCase would blur
/// them. Characters that cannot be in a name become `_`; the result may not be
/// UpperCamelCase (the generated enum allows that).
pub fn verbatim_name(raw: &str, fallback: &str) -> Ident {
    let name: String = raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    let name = if name.chars().all(|c| c == '_') { String::new() } else { name };
    Ident(escape(name, "N", fallback))
}

/// An operationId made of `words` (not a Rust name: it names the operation in the IR,
/// errors and traces, and its Rust names are made from it like from any operationId), in
/// lowerCamelCase: `get`, `invoices`, `by`, `id` → `getInvoicesById`.
pub fn operation_id(words: &[String]) -> String {
    let text: Vec<String> = words.iter().map(|w| self::words(w)).collect();
    text.join(" ").to_lower_camel_case()
}

/// The setter that sends `null` for field `field` (`clear_nickname`).
pub fn clear_setter(field: &Ident) -> Ident {
    Ident(format!("clear_{}", field.bare()))
}

/// A package name from a title (`Pet Store API` → `pet-store-api`), the default of
/// `info.x-rust-crate.name`.
pub fn package_name(title: &str) -> String {
    let mut name = words(title).to_kebab_case();
    // crates.io takes at most 64 characters: keep the whole words that fit.
    while name.len() > 64 {
        match name.rfind('-') {
            Some(cut) => name.truncate(cut),
            None => name.truncate(64),
        }
    }
    match name.chars().next() {
        None => "api-client".to_string(),
        Some(c) if c.is_ascii_digit() => format!("api-{name}"),
        // `Self` or `Core`: a library named `self` or `core` cannot be used (see
        // `package_name_problem`).
        Some(_) if unusable_library_name(&name) => format!("{name}-api"),
        Some(_) => name,
    }
}

/// Crates of Rust's own distribution: a library named like one cannot be told apart from it
/// where both are in scope (the crate's doctests), and crates.io reserves the names.
const STANDARD_CRATES: &[&str] = &["std", "core", "alloc", "proc_macro"];

/// Whether a package of this name has a library no code can name: a Rust keyword (`use
/// fn::Client`, `extern crate self` do not compile; `cargo new` refuses them) or a crate of
/// Rust's own distribution.
fn unusable_library_name(package: &str) -> bool {
    let lib = package.replace('-', "_");
    KEYWORDS.contains(&lib.as_str()) || STANDARD_CRATES.contains(&lib.as_str())
}

/// Why `name` cannot be the generated crate's package name, if it cannot. The rules are
/// crates.io's, where a generated crate is meant to be published: ASCII letters, digits, `-`
/// and `_`, starting with a letter, at most 64 characters (Cargo alone also takes a leading
/// `_`, non-ASCII letters and longer names). A Rust keyword (`cargo new` refuses them) or
/// `std`, `core`, `alloc`, `proc_macro` would give a library its own doctests cannot name.
pub fn package_name_problem(name: &str) -> Option<String> {
    let first = name.chars().next();
    if first.is_none() {
        Some("is empty".to_string())
    } else if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        Some(format!("`{name}` has {c:?}: crates.io takes only ASCII letters, digits, `-` and `_`"))
    } else if !first.is_some_and(|c| c.is_ascii_alphabetic()) {
        Some(format!("`{name}` does not start with a letter, as crates.io requires"))
    } else if name.len() > 64 {
        Some(format!("`{name}` is {} characters long; crates.io takes at most 64", name.len()))
    } else if unusable_library_name(name) {
        let what = if KEYWORDS.contains(&name) { "a Rust keyword" } else { "a crate of Rust's standard library" };
        Some(format!("`{name}` is {what}, so the crate's own examples could not name its library"))
    } else {
        None
    }
}

/// The default prefix of the client's environment variables, from the package name
/// (`telnyx-video` → `TELNYX_VIDEO`).
pub fn env_prefix(package: &str) -> String {
    package.to_shouty_snake_case()
}

/// The identifier without a raw prefix, for composing longer names.
pub fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// A namespace in which names must be unique. A clash gets the smallest free numeric
/// suffix (`Room`, `Room2`, …), so results depend only on the order names are asked for,
/// which lowering keeps to spec order.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope in which `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Scope {
        Scope { taken: reserved.iter().map(|s| s.to_string()).collect() }
    }

    /// Claims `name`, or the first free `name2`, `name3`, … and returns what was claimed.
    pub fn unique(&mut self, name: Ident) -> Ident {
        if self.taken.insert(name.0.clone()) {
            return name;
        }
        let base = name.bare().to_string();
        let sep = if base.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        let mut n = 2usize;
        loop {
            let candidate = format!("{base}{sep}{n}");
            if self.taken.insert(candidate.clone()) {
                return Ident(candidate);
            }
            n += 1;
        }
    }

    /// Takes `name` (a name the runtime or the generated code uses) if it is free.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_string());
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_are_checked_as_crates_io_takes_them() {
        for ok in ["telnyx-video", "a_b1", "A"] {
            assert_eq!(package_name_problem(ok), None, "{ok}");
        }
        for bad in ["", "1abc", "-x", "a.b", "café", "a b", &"a".repeat(65)] {
            assert!(package_name_problem(bad).is_some(), "{bad:?}");
        }
        // Cargo takes these in a manifest, but the library cannot be named (`use fn::Client`,
        // `extern crate self`; `gen` is reserved in edition 2024) or is shadowed by Rust's own.
        for bad in
            ["self", "Self", "crate", "super", "fn", "async", "gen", "type", "std", "core", "alloc", "proc-macro"]
        {
            assert!(package_name_problem(bad).is_some(), "{bad:?}");
        }
        for ok in ["self-api", "fn_x", "std-api", "proc-macros", "test", "Std"] {
            assert_eq!(package_name_problem(ok), None, "{ok}");
        }
        // The name made from a title is always one crates.io takes, a long one cut at a word.
        let long = "Acme Corporation International Telecommunications Platform Public REST API v2";
        for title in [
            "Café Ünïcode API",
            "3D Printing",
            "",
            "!!!",
            "Telnyx Video Rooms",
            "Self",
            "Core",
            "Async",
            "Proc Macro",
            long,
            &"x".repeat(80),
        ] {
            assert_eq!(package_name_problem(&package_name(title)), None, "{title:?}");
        }
        assert_eq!(package_name("Self"), "self-api");
        assert_eq!(package_name("Proc Macro"), "proc-macro-api");
        assert_eq!(package_name(long), "acme-corporation-international-telecommunications-platform");
    }

    #[test]
    fn casing_and_escapes() {
        assert_eq!(type_name("room_session", "T"), "RoomSession");
        assert_eq!(type_name("1280x720", "T"), "N1280x720");
        assert_eq!(type_name("Self", "T"), "SelfType");
        assert_eq!(type_name("+-", "Value"), "Value");
        assert_eq!(value_name("dateCreatedAt", "f"), "date_created_at");
        assert_eq!(value_name("type", "f"), "r#type");
        assert_eq!(value_name("self", "f"), "self_");
        assert_eq!(value_name("2fa", "f"), "n_2fa");
        assert_eq!(value_name("filter[date_created_at]", "f"), "filter_date_created_at");
    }

    impl From<&str> for Ident {
        fn from(s: &str) -> Ident {
            Ident(s.to_string())
        }
    }

    #[test]
    fn scope_suffixes_in_request_order() {
        let mut s = Scope::with_reserved(&["send"]);
        assert_eq!(s.unique("send".into()), "send2");
        assert_eq!(s.unique("room".into()), "room");
        assert_eq!(s.unique("room".into()), "room2");
        assert_eq!(s.unique("r#type".into()), "r#type");
        assert_eq!(s.unique("r#type".into()), "type2");
        assert_eq!(s.unique("v1".into()), "v1");
        assert_eq!(s.unique("v1".into()), "v1_2");
    }
}
