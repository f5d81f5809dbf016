//! The decode order of untagged unions.
//!
//! Without a discriminator, a union's decoder tries its members one after another and the
//! first that takes the value decides its variant. Tried in spec order, a member that takes
//! every value another member takes, and more, would take that member's values too: a plain
//! string before a uuid or a string enum, `number` before `integer`, an object with fewer
//! required properties before one with more. So the order is decided here, once every type
//! is known, from what each member's Rust type accepts:
//!
//! - A member is *narrower* than another when every value it accepts, written with only the
//!   properties it lists, the other accepts too. One value is narrower than a type that
//!   accepts it; a string enum's named values than `string`; a uuid, date or date-time than
//!   `string`; `integer` than `number`; an object than one whose required properties are
//!   among its own (with its listed properties' types fitting the other's).
//! - A member strictly narrower than another (narrower, and not the other way round) is
//!   tried before it; otherwise spec order holds. A member moves only to just before the
//!   first member it has to precede.
//! - A string enum is tried for its named values in its place, and for any other string
//!   (its `Unknown`) last, unless a member that takes every string comes before.
//! - An object member asks for its struct's JSON object (not a list, which a derived struct
//!   reads field by field), and, where the spec says `additionalProperties: false` and the
//!   member would otherwise share values with another, for no property it does not list.
//!
//! Members that still share values after ordering, neither strictly narrower, are warned
//! about, naming both, a value both take, and the member that wins it: under `anyOf` every
//! such pair; under `oneOf`, where a value two members take is not valid anyway, a pair only
//! when the later member gets none of its own values.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use super::Lowerer;
use super::examples::scalar_mismatch;
use crate::ir::{DecodeStep, DecodeTest, Field, Scalar, TypeDef, TypeKind, TypeRef, UnionShape, UnionVariant};

/// How deep the relations look into nested types; below, values are assumed to fit.
const DEPTH: usize = 8;

/// What a slot that takes anything holds.
static ANY: TypeRef = TypeRef::Any;

/// The values a type accepts, one level deep (nested types stay references).
#[derive(Clone)]
enum Accepts<'a> {
    /// Every value.
    Any,
    /// This value only.
    Exact(&'a Value),
    /// One of these strings.
    Named(Vec<&'a str>),
    /// A value of this scalar.
    Scalar(Scalar),
    /// A list of these.
    List(&'a TypeRef),
    /// An object.
    Object(Object<'a>),
    /// A value one of these accepts.
    Union(Vec<Accepts<'a>>),
}

/// An object's properties, as decoding reads them.
#[derive(Clone)]
struct Object<'a> {
    /// Listed properties by wire name.
    fields: BTreeMap<&'a str, Slot<'a>>,
    /// What becomes of a property it does not list.
    rest: Rest<'a>,
}

#[derive(Clone, Copy)]
struct Slot<'a> {
    ty: &'a TypeRef,
    required: bool,
    /// `null` is accepted.
    null: bool,
}

#[derive(Clone, Copy)]
enum Rest<'a> {
    /// Dropped: any value goes.
    Ignored,
    /// Kept as a value of this type (a map, or `additionalProperties` with a schema).
    Kept(&'a TypeRef),
    /// Refused (`additionalProperties: false`, asked for).
    Refused,
}

impl<'a> Object<'a> {
    fn of(fields: &'a [Field], additional: Option<&'a TypeRef>, closed: bool) -> Self {
        let slot = |f: &'a Field| Slot {
            ty: &f.ty,
            required: f.required,
            null: !f.required || f.nullable || f.ty == TypeRef::Any,
        };
        Object {
            fields: fields.iter().map(|f| (f.wire_name.as_str(), slot(f))).collect(),
            rest: match (additional, closed) {
                (Some(t), _) => Rest::Kept(t),
                (None, true) => Rest::Refused,
                (None, false) => Rest::Ignored,
            },
        }
    }

    /// How the property `key` is read: its slot, or the rest's; `None` when refused.
    fn slot(&self, key: &str) -> Option<Slot<'a>> {
        if let Some(s) = self.fields.get(key) {
            return Some(*s);
        }
        match self.rest {
            Rest::Ignored => Some(Slot { ty: &ANY, required: false, null: true }),
            Rest::Kept(ty) => Some(Slot { ty, required: false, null: *ty == TypeRef::Any }),
            Rest::Refused => None,
        }
    }

    fn required(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.fields.iter().filter(|(_, s)| s.required).map(|(k, _)| *k)
    }
}

/// One member of a union being ordered.
struct Member<'a> {
    variant: &'a UnionVariant,
    accepts: Accepts<'a>,
    test: DecodeTest,
    /// A string enum: it also takes any other string, tried last.
    fallback: bool,
    /// A struct with `additionalProperties: false`: what it accepts when that is asked, and
    /// the properties it lists.
    closed: Option<(Accepts<'a>, Vec<String>)>,
}

/// A warning about two members that share values: message and hint.
type Ambiguity = (String, String);

/// The relations between types, over the lowered types.
struct Types<'a> {
    by_name: HashMap<&'a str, &'a TypeDef>,
    /// Comparisons left for the union being ordered; once spent, nested values are assumed
    /// to fit (as below `DEPTH`), so a document of huge nested types cannot stall lowering.
    budget: Cell<u32>,
}

/// Comparisons allowed per union.
const BUDGET: u32 = 100_000;

impl<'a> Types<'a> {
    /// `ty` with aliases followed.
    fn target(&self, mut ty: &'a TypeRef) -> &'a TypeRef {
        for _ in 0..DEPTH {
            let TypeRef::Named(n) = ty else { break };
            match self.by_name.get(n.as_str()).map(|t| &t.kind) {
                Some(TypeKind::Alias { target }) => ty = target,
                _ => break,
            }
        }
        ty
    }

    fn kind(&self, ty: &'a TypeRef) -> Option<&'a TypeKind> {
        match self.target(ty) {
            TypeRef::Named(n) => self.by_name.get(n.as_str()).map(|t| &t.kind),
            _ => None,
        }
    }

    /// What decoding a value of `ty` accepts, nested in another value.
    fn view(&self, ty: &'a TypeRef, depth: usize) -> Accepts<'a> {
        if depth > DEPTH {
            return Accepts::Any;
        }
        match self.target(ty) {
            TypeRef::Any => Accepts::Any,
            TypeRef::Scalar(s) => Accepts::Scalar(*s),
            TypeRef::Array(item) => Accepts::List(item),
            TypeRef::Map(value) => Accepts::Object(Object { fields: BTreeMap::new(), rest: Rest::Kept(value) }),
            TypeRef::Named(n) => match self.by_name.get(n.as_str()).map(|t| &t.kind) {
                // Unknown values are kept: any string.
                Some(TypeKind::Enum { .. }) => Accepts::Scalar(Scalar::String),
                Some(TypeKind::Struct { fields, additional, .. }) => {
                    Accepts::Object(Object::of(fields, additional.as_ref(), false))
                }
                Some(TypeKind::OneOf { variants, discriminator: None, .. }) => Accepts::Union(
                    variants
                        .iter()
                        .map(|v| match &v.shape {
                            UnionShape::Const(c) => Accepts::Exact(c),
                            UnionShape::Value(t) => self.view(t, depth + 1),
                        })
                        .collect(),
                ),
                // A tagged union keeps a value without a known tag as `Unknown`; an alias
                // chain too long to follow is assumed to take anything.
                Some(TypeKind::OneOf { .. } | TypeKind::Alias { .. }) | None => Accepts::Any,
            },
        }
    }

    /// The member as its own decode step sees it.
    fn member(&self, variant: &'a UnionVariant) -> Member<'a> {
        let mut m = Member { variant, accepts: Accepts::Any, test: DecodeTest::Decodes, fallback: false, closed: None };
        match &variant.shape {
            UnionShape::Const(c) => {
                m.accepts = Accepts::Exact(c);
                m.test = DecodeTest::Exact;
            }
            UnionShape::Value(ty) => match self.kind(ty) {
                Some(TypeKind::Enum { variants }) => {
                    m.accepts = Accepts::Named(variants.iter().map(|v| v.wire_value.as_str()).collect());
                    m.test = DecodeTest::Named(variants.iter().map(|v| v.wire_value.clone()).collect());
                    m.fallback = true;
                }
                Some(TypeKind::Struct { fields, additional, closed, .. }) => {
                    m.accepts = Accepts::Object(Object::of(fields, additional.as_ref(), false));
                    m.test = DecodeTest::Object;
                    if *closed {
                        let listed = fields.iter().map(|f| f.wire_name.clone()).collect();
                        m.closed = Some((Accepts::Object(Object::of(fields, None, true)), listed));
                    }
                }
                _ => {
                    m.accepts = self.view(ty, 0);
                    // A uuid or a date decodes from other spellings too (no hyphens, `urn:`,
                    // `2024-1-5`); as a member it takes only the text it writes back.
                    if matches!(ty, TypeRef::Scalar(Scalar::Uuid | Scalar::Date)) {
                        m.test = DecodeTest::Canonical;
                    }
                }
            },
        }
        m
    }

    /// Whether nested comparisons stop here (too deep, or the budget spent); the members
    /// themselves (depth 0) are always compared.
    fn spent(&self, depth: usize) -> bool {
        let left = self.budget.get();
        self.budget.set(left.saturating_sub(1));
        depth > DEPTH || (depth > 0 && left == 0)
    }

    /// [`Self::narrower`] for nested types; a type is as narrow as itself.
    fn narrower_ty(&self, a: &'a TypeRef, b: &'a TypeRef, depth: usize) -> bool {
        a == b || self.narrower(&self.view(a, depth), &self.view(b, depth), depth)
    }

    /// [`Self::overlap`] for nested types; a type shares values with itself.
    fn overlap_ty(&self, a: &'a TypeRef, b: &'a TypeRef, depth: usize) -> bool {
        a == b || self.overlap(&self.view(a, depth), &self.view(b, depth), depth)
    }

    /// Whether `a` accepts `value`.
    fn accepts(&self, a: &Accepts<'a>, value: &Value, depth: usize) -> bool {
        if self.spent(depth) {
            return true;
        }
        match a {
            Accepts::Any => true,
            Accepts::Exact(v) => same_value(v, value),
            Accepts::Named(values) => value.as_str().is_some_and(|s| values.contains(&s)),
            Accepts::Scalar(s) => scalar_mismatch(*s, value).is_none(),
            Accepts::List(item) => value.as_array().is_some_and(|items| {
                let item = self.view(item, depth + 1);
                items.iter().all(|v| self.accepts(&item, v, depth + 1))
            }),
            Accepts::Object(o) => value.as_object().is_some_and(|map| {
                o.required().all(|k| map.contains_key(k))
                    && map.iter().all(|(k, v)| {
                        o.slot(k).is_some_and(|s| {
                            (v.is_null() && s.null) || self.accepts(&self.view(s.ty, depth + 1), v, depth + 1)
                        })
                    })
            }),
            Accepts::Union(members) => members.iter().any(|m| self.accepts(m, value, depth)),
        }
    }

    /// Whether `a` is narrower than `b`: every value `a` accepts, written with only the
    /// properties it lists, `b` accepts too.
    fn narrower(&self, a: &Accepts<'a>, b: &Accepts<'a>, depth: usize) -> bool {
        if self.spent(depth) {
            return true;
        }
        match (a, b) {
            (_, Accepts::Any) => true,
            (Accepts::Exact(v), _) => self.accepts(b, v, depth),
            (Accepts::Named(values), _) => {
                values.iter().all(|s| self.accepts(b, &Value::String((*s).to_string()), depth))
            }
            (Accepts::Union(members), _) => members.iter().all(|m| self.narrower(m, b, depth)),
            (_, Accepts::Union(members)) => members.iter().any(|m| self.narrower(a, m, depth)),
            (Accepts::Scalar(s), Accepts::Scalar(t)) => scalar_within(*s, *t),
            (Accepts::List(x), Accepts::List(y)) => self.narrower_ty(x, y, depth + 1),
            (Accepts::Object(x), Accepts::Object(y)) => self.object_within(x, y, depth),
            _ => false,
        }
    }

    fn object_within(&self, x: &Object<'a>, y: &Object<'a>, depth: usize) -> bool {
        let requires_less = y.required().all(|k| x.fields.get(k).is_some_and(|s| s.required));
        let fields_fit = x.fields.iter().all(|(k, s)| match y.slot(k) {
            Some(t) => (!s.null || t.null) && self.narrower_ty(s.ty, t.ty, depth + 1),
            None => false,
        });
        let rest_fits = match (x.rest, y.rest) {
            (Rest::Kept(r), Rest::Kept(q)) => self.narrower_ty(r, q, depth + 1),
            (Rest::Kept(_), Rest::Refused) => false,
            _ => true,
        };
        requires_less && fields_fit && rest_fits
    }

    /// Whether some value is accepted by both (the empty list aside: it reads the same as
    /// a list of anything).
    fn overlap(&self, a: &Accepts<'a>, b: &Accepts<'a>, depth: usize) -> bool {
        if self.spent(depth) {
            return true;
        }
        match (a, b) {
            (Accepts::Any, _) | (_, Accepts::Any) => true,
            (Accepts::Exact(v), other) | (other, Accepts::Exact(v)) => self.accepts(other, v, depth),
            (Accepts::Named(values), other) | (other, Accepts::Named(values)) => {
                values.iter().any(|s| self.accepts(other, &Value::String((*s).to_string()), depth))
            }
            (Accepts::Union(members), other) | (other, Accepts::Union(members)) => {
                members.iter().any(|m| self.overlap(m, other, depth))
            }
            (Accepts::Scalar(s), Accepts::Scalar(t)) => {
                scalar_within(*s, *t) || scalar_within(*t, *s) || (is_number(*s) && is_number(*t))
            }
            (Accepts::List(x), Accepts::List(y)) => self.overlap_ty(x, y, depth + 1),
            (Accepts::Object(x), Accepts::Object(y)) => self.shared_keys(x, y, depth).is_some(),
            _ => false,
        }
    }

    /// The properties a value both objects accept must have (every property either
    /// requires), when there is such a value.
    fn shared_keys(&self, x: &Object<'a>, y: &Object<'a>, depth: usize) -> Option<BTreeSet<&'a str>> {
        let keys: BTreeSet<&'a str> = x.required().chain(y.required()).collect();
        let fits = keys.iter().all(|k| match (x.slot(k), y.slot(k)) {
            (Some(a), Some(b)) => (a.null && b.null) || self.overlap_ty(a.ty, b.ty, depth + 1),
            _ => false,
        });
        fits.then_some(keys)
    }

    /// A value both accept, in words, for a warning.
    fn witness(&self, a: &Accepts<'a>, b: &Accepts<'a>) -> String {
        match (a, b) {
            (Accepts::Any, Accepts::Any) => "any value".into(),
            (Accepts::Any, other) | (other, Accepts::Any) => describe(other),
            (Accepts::Exact(v), _) | (_, Accepts::Exact(v)) => format!("`{v}`"),
            (Accepts::Named(values), other) | (other, Accepts::Named(values)) => values
                .iter()
                .find(|s| self.accepts(other, &Value::String((**s).to_string()), 0))
                .map_or_else(|| "a string".into(), |s| format!("`\"{s}\"`")),
            (Accepts::Union(members), other) | (other, Accepts::Union(members)) => members
                .iter()
                .find(|m| self.overlap(m, other, 0))
                .map_or_else(|| describe(other), |m| self.witness(m, other)),
            (Accepts::Scalar(s), Accepts::Scalar(t)) => scalar_noun(if scalar_within(*s, *t) { *s } else { *t }).into(),
            (Accepts::Object(x), Accepts::Object(y)) => match self.shared_keys(x, y, 0) {
                Some(keys) if !keys.is_empty() => format!("an object with {}", listing(keys)),
                _ => "an object with no property either requires".into(),
            },
            _ => describe(a),
        }
    }

    /// The decode steps of an untagged union's variants, and the warnings about members
    /// that still share values: under `oneOf` a value two members accept is not valid, so
    /// only a member whose values all decode as another is warned about; under `anyOf`
    /// (`any_of`) such a value is valid, and every member that shares one is.
    fn decode_order(&self, variants: &'a [UnionVariant], any_of: bool) -> (Vec<DecodeStep>, Vec<Ambiguity>) {
        self.budget.set(BUDGET);
        let mut members: Vec<Member<'a>> = variants.iter().map(|v| self.member(v)).collect();
        // `additionalProperties: false` is asked only of a member that would otherwise share
        // values with another: elsewhere it would only turn away a property added later.
        let shares: Vec<bool> = members
            .iter()
            .enumerate()
            .map(|(i, m)| {
                m.closed.is_some()
                    && members.iter().enumerate().any(|(j, o)| j != i && self.overlap(&m.accepts, &o.accepts, 0))
            })
            .collect();
        for (m, shares) in members.iter_mut().zip(shares) {
            if let (true, Some((accepts, listed))) = (shares, m.closed.take()) {
                m.accepts = accepts;
                m.test = DecodeTest::ObjectOnly(listed);
            }
        }
        // before[i]: the members (in spec order) strictly narrower than member i.
        let strictly = |a: &Member<'a>, b: &Member<'a>| {
            self.narrower(&a.accepts, &b.accepts, 0) && !self.narrower(&b.accepts, &a.accepts, 0)
        };
        let before: Vec<Vec<usize>> = members
            .iter()
            .map(|m| members.iter().enumerate().filter(|(_, o)| strictly(o, m)).map(|(j, _)| j).collect())
            .collect();
        let mut state = vec![Visit::New; members.len()];
        let mut order = Vec::with_capacity(members.len());
        for i in 0..members.len() {
            visit(i, &before, &mut state, &mut order);
        }
        let ordered: Vec<(usize, &Member<'a>)> = order.iter().filter_map(|&i| members.get(i).map(|m| (i, m))).collect();

        // Object members told apart by a required string-enum property (`type: card` and
        // `type: bank`): tried by that property first.
        let tags: Vec<Vec<(String, Vec<String>)>> = variants.iter().map(|v| self.tags(v)).collect();
        let told_apart = |i: usize, j: usize| match (tags.get(i), tags.get(j)) {
            (Some(a), Some(b)) => a.iter().any(|(property, values)| {
                b.iter().any(|(other, others)| other == property && !values.iter().any(|v| others.contains(v)))
            }),
            _ => false,
        };
        let mut warnings = Vec::new();
        for (p, (i, a)) in ordered.iter().enumerate() {
            for (j, b) in ordered.iter().skip(p + 1) {
                let resolved = before.get(*j).is_some_and(|narrower| narrower.contains(i));
                if resolved || told_apart(*i, *j) || !self.overlap(&a.accepts, &b.accepts, 0) {
                    continue;
                }
                // Tried later, `b` gets none of its own values: they all decode as `a`.
                let covered = self.narrower(&b.accepts, &a.accepts, 0);
                if covered || any_of {
                    warnings.push(self.ambiguity(a, b, covered));
                }
            }
        }

        let mut steps: Vec<DecodeStep> = ordered
            .iter()
            .filter(|(i, _)| (0..members.len()).any(|j| j != *i && told_apart(*i, j)))
            .filter_map(|(i, m)| {
                let tags = tags.get(*i)?.clone();
                Some(DecodeStep { variant: m.variant.rust_name.clone(), test: DecodeTest::Tagged(tags) })
            })
            .collect();
        steps.extend(
            ordered.iter().map(|(_, m)| DecodeStep { variant: m.variant.rust_name.clone(), test: m.test.clone() }),
        );
        let any_string = Accepts::Scalar(Scalar::String);
        let mut strings_taken = ordered.iter().any(|(_, m)| self.narrower(&any_string, &m.accepts, 0));
        for m in members.iter().filter(|m| m.fallback) {
            if !strings_taken {
                steps.push(DecodeStep { variant: m.variant.rust_name.clone(), test: DecodeTest::Decodes });
                strings_taken = true;
            }
        }
        (steps, warnings)
    }

    /// The required properties of a member's struct that are string enums, with their
    /// values: what tells it from another member without a `discriminator`.
    fn tags(&self, v: &UnionVariant) -> Vec<(String, Vec<String>)> {
        let UnionShape::Value(TypeRef::Named(name)) = &v.shape else { return Vec::new() };
        let Some(TypeKind::Struct { fields, .. }) = self.by_name.get(name.as_str()).map(|t| &t.kind) else {
            return Vec::new();
        };
        fields
            .iter()
            .filter(|f| f.required && !f.nullable)
            .filter_map(|f| match &f.ty {
                TypeRef::Named(e) => match self.by_name.get(e.as_str()).map(|t| &t.kind) {
                    Some(TypeKind::Enum { variants }) => {
                        Some((f.wire_name.clone(), variants.iter().map(|x| x.wire_value.clone()).collect()))
                    }
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }

    /// The warning about `a`, tried first, and `b` sharing values (`covered`: all of `b`'s).
    fn ambiguity(&self, a: &Member<'a>, b: &Member<'a>, covered: bool) -> Ambiguity {
        let (an, bn) = (&a.variant.rust_name, &b.variant.rust_name);
        let witness = self.witness(&a.accepts, &b.accepts);
        let message = match (&a.variant.shape, &b.variant.shape) {
            (UnionShape::Value(ta), UnionShape::Value(tb)) if ta == tb => format!(
                "union members `{an}` and `{bn}` are both `{}`: every such value decodes as `{an}`",
                ta.rust_display()
            ),
            _ if covered => format!(
                "union members `{an}` and `{bn}` cannot be told apart ({witness} fits both): every such value decodes as `{an}`"
            ),
            _ => format!("union members `{an}` and `{bn}` both accept {witness}: such a value decodes as `{an}`"),
        };
        let objects = matches!((&a.accepts, &b.accepts), (Accepts::Object(_), Accepts::Object(_)));
        let hint = if objects {
            "tell them apart with a `discriminator`, `required` properties or `additionalProperties: false`"
        } else {
            "tell them apart with a `discriminator`, `enum` values or different types"
        };
        (message, hint.into())
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Visit {
    New,
    Open,
    Done,
}

/// Places member `i` after the members that must be tried before it (depth first, in spec
/// order); a cycle, which only approximations could make, is cut where it is met.
fn visit(i: usize, before: &[Vec<usize>], state: &mut [Visit], order: &mut Vec<usize>) {
    match state.get_mut(i) {
        Some(s) if *s == Visit::New => *s = Visit::Open,
        _ => return,
    }
    for &j in before.get(i).map(Vec::as_slice).unwrap_or_default() {
        visit(j, before, state, order);
    }
    if let Some(s) = state.get_mut(i) {
        *s = Visit::Done;
    }
    order.push(i);
}

/// Equal JSON values, `1` and `1.0` being one number (as the decoder compares them).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn is_text(s: Scalar) -> bool {
    matches!(s, Scalar::String | Scalar::Uri | Scalar::Uuid | Scalar::Date | Scalar::DateTime)
}

fn is_number(s: Scalar) -> bool {
    matches!(s, Scalar::I32 | Scalar::I64 | Scalar::F64)
}

/// Whether every value of `s` decodes as `t`.
fn scalar_within(s: Scalar, t: Scalar) -> bool {
    s == t
        || (matches!(t, Scalar::String | Scalar::Uri) && is_text(s))
        || (s == Scalar::I32 && matches!(t, Scalar::I64 | Scalar::F64))
        || (s == Scalar::I64 && t == Scalar::F64)
}

fn scalar_noun(s: Scalar) -> &'static str {
    match s {
        Scalar::String | Scalar::Uri => "a string",
        Scalar::Uuid => "a uuid",
        Scalar::Date => "a date",
        Scalar::DateTime => "a date-time",
        Scalar::Boolean => "a boolean",
        Scalar::I32 | Scalar::I64 => "an integer",
        Scalar::F64 => "a number",
    }
}

fn describe(a: &Accepts<'_>) -> String {
    match a {
        Accepts::Any => "any value".into(),
        Accepts::Exact(v) => format!("`{v}`"),
        Accepts::Named(values) => values.first().map_or_else(|| "a string".into(), |s| format!("`\"{s}\"`")),
        Accepts::Scalar(s) => scalar_noun(*s).into(),
        Accepts::List(_) => "a list".into(),
        Accepts::Object(o) => {
            let required: Vec<&str> = o.required().collect();
            if required.is_empty() { "an object".into() } else { format!("an object with {}", listing(required)) }
        }
        Accepts::Union(members) => members.first().map_or_else(|| "any value".into(), describe),
    }
}

/// `` `a` ``, `` `a` and `b` ``, `` `a`, `b` and `c` ``.
fn listing<'s>(keys: impl IntoIterator<Item = &'s str>) -> String {
    let keys: Vec<String> = keys.into_iter().map(|k| format!("`{k}`")).collect();
    match keys.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

impl Lowerer<'_> {
    /// Decides every untagged union's decode order (`TypeKind::OneOf::decode`) and warns
    /// about members that still share values.
    pub(super) fn order_unions(&mut self) {
        let mut decided = Vec::new();
        let mut warnings = Vec::new();
        {
            let types =
                Types { by_name: self.types.iter().map(|t| (t.name.as_str(), t)).collect(), budget: Cell::new(BUDGET) };
            for (i, t) in self.types.iter().enumerate() {
                let TypeKind::OneOf { variants, discriminator: None, .. } = &t.kind else { continue };
                let at = self.union_lists.get(&t.pointer).cloned().unwrap_or_else(|| t.pointer.clone());
                let any_of = at.ends_with("/anyOf");
                let (decode, ambiguities) = types.decode_order(variants, any_of);
                decided.push((i, decode));
                warnings.extend(ambiguities.into_iter().map(|(message, hint)| (at.clone(), message, hint)));
            }
        }
        for (i, steps) in decided {
            if let Some(TypeKind::OneOf { decode, .. }) = self.types.get_mut(i).map(|t| &mut t.kind) {
                *decode = steps;
            }
        }
        for (at, message, hint) in warnings {
            self.warning(&at, message, Some(hint));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(before: &[Vec<usize>]) -> Vec<usize> {
        let mut state = vec![Visit::New; before.len()];
        let mut order = Vec::new();
        for i in 0..before.len() {
            visit(i, before, &mut state, &mut order);
        }
        order
    }

    #[test]
    fn a_member_moves_only_to_just_before_the_first_wider_one() {
        // 2 is narrower than 0; 1 is unrelated and keeps its place after 0.
        assert_eq!(order(&[vec![2], vec![], vec![]]), vec![2, 0, 1]);
        // Chains: 2 narrower than 1, 1 narrower than 0.
        assert_eq!(order(&[vec![1, 2], vec![2], vec![]]), vec![2, 1, 0]);
        // A cycle (only approximations could make one) is cut, every member placed once.
        assert_eq!(order(&[vec![1], vec![0]]), vec![1, 0]);
    }

    #[test]
    fn scalars_nest_as_their_rust_types_decode() {
        assert!(scalar_within(Scalar::Uuid, Scalar::String));
        assert!(scalar_within(Scalar::I32, Scalar::F64));
        assert!(!scalar_within(Scalar::String, Scalar::Uuid));
        assert!(!scalar_within(Scalar::Date, Scalar::DateTime));
        assert!(scalar_within(Scalar::String, Scalar::Uri) && scalar_within(Scalar::Uri, Scalar::String));
    }

    #[test]
    fn listings() {
        assert_eq!(listing(["a"]), "`a`");
        assert_eq!(listing(["a", "b", "c"]), "`a`, `b` and `c`");
    }
}
