//! The type a schema says it has when openapiv3 could not type it.
//!
//! openapiv3 types a schema (`SchemaKind::Type`) only when every keyword in it fits its
//! `type` and, for an integer, the bounds and enum values are written as integers; anything
//! else stays untyped (`SchemaKind::Any`). Real documents write `maximum: 3600.0` on an
//! integer, `minimum` on a string, or a bound beyond 64 bits. [`read_any`] reads such a
//! schema as the type its `type` names, keeping the keywords that fit that type and saying
//! what it had to assume; lowering reports that as a mistake of the document and lowers the
//! reading exactly as it lowers a schema openapiv3 typed.

use std::borrow::Cow;

use openapiv3::{AnySchema, ArrayType, BooleanType, IntegerType, NumberType, Schema, SchemaKind, StringType, Type};

/// An untyped schema read as the type its `type` names.
pub(super) struct Reading {
    /// The type, with the keywords that fit it. An array's `items` are left out: they stay
    /// in the document, where lowering borrows them.
    pub(super) ty: Type,
    /// What does not fit the type, as written (`` `minimum` ``, `` `format: int32` ``,
    /// `` `enum` value `7` ``), in the order of the schema's keywords.
    pub(super) ignored: Vec<String>,
    /// Integer bounds that could not be read as written.
    pub(super) bounds: Vec<BoundNote>,
}

/// An integer bound read otherwise than written.
pub(super) struct BoundNote {
    /// The keyword (`minimum` or `maximum`), the pointer token of the bound.
    pub(super) keyword: &'static str,
    /// What is wrong with it.
    pub(super) wrong: String,
    /// What was assumed instead.
    pub(super) assumed: String,
    /// What to do about it.
    pub(super) hint: &'static str,
}

/// The type of `schema`: openapiv3's typing, or the reading of an untyped schema whose
/// `type` is a string, integer, number, boolean or array. `None` for objects, unions,
/// `allOf`, schemas without a `type` and unknown types.
pub(super) fn typed(schema: &Schema) -> Option<Cow<'_, Type>> {
    match &schema.schema_kind {
        SchemaKind::Type(t) => Some(Cow::Borrowed(t)),
        SchemaKind::Any(any) if plain(any) => read_any(any).map(|r| Cow::Owned(r.ty)),
        _ => None,
    }
}

/// Whether an untyped schema is a single schema, not a union or composition.
pub(super) fn plain(any: &AnySchema) -> bool {
    any.one_of.is_empty() && any.all_of.is_empty() && any.any_of.is_empty() && any.not.is_none()
}

/// Which type a keyword belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Of {
    String,
    Numeric,
    Object,
    Array,
}

/// Reads an untyped schema whose `type` is `string`, `integer`, `number`, `boolean` or
/// `array` as that type; `None` for any other `type` (or none).
pub(super) fn read_any(any: &AnySchema) -> Option<Reading> {
    let typ = any.typ.as_deref()?;
    let fits: &[Of] = match typ {
        "string" => &[Of::String],
        "integer" | "number" => &[Of::Numeric],
        "boolean" => &[],
        "array" => &[Of::Array],
        _ => return None,
    };
    let mut ignored: Vec<String> = keywords(any)
        .into_iter()
        .filter(|(of, _)| !fits.contains(of))
        .map(|(_, keyword)| format!("`{keyword}`"))
        .collect();
    // A format of another type (`format: int32` on a string) does not fit either; formats
    // the OpenAPI specification does not define are annotations, and are kept.
    let format = any.format.clone();
    if let Some(f) = format.as_deref().filter(|f| format_of(f).is_some_and(|of| !format_fits(of, typ))) {
        ignored.push(format!("`format: {f}`"));
    }
    let mut bounds = Vec::new();
    let ty = match typ {
        "string" => Type::String(StringType {
            format: format.into(),
            pattern: any.pattern.clone(),
            enumeration: enum_values(any, &mut ignored, |v| v.as_str().map(str::to_string)),
            min_length: any.min_length,
            max_length: any.max_length,
        }),
        "integer" => {
            let (minimum, exclusive_minimum) =
                integer_bound("minimum", any.minimum, any.exclusive_minimum.unwrap_or(false), &mut bounds);
            let (maximum, exclusive_maximum) =
                integer_bound("maximum", any.maximum, any.exclusive_maximum.unwrap_or(false), &mut bounds);
            Type::Integer(IntegerType {
                format: format.into(),
                // Lowering does not read `multipleOf`, and a fraction is no mistake (every
                // integer is a multiple of 0.5), so it is dropped without a word.
                multiple_of: any.multiple_of.and_then(whole),
                exclusive_minimum,
                exclusive_maximum,
                minimum,
                maximum,
                enumeration: enum_values(any, &mut ignored, |v| v.as_i64().or_else(|| v.as_f64().and_then(whole))),
            })
        }
        "number" => Type::Number(NumberType {
            format: format.into(),
            multiple_of: any.multiple_of,
            exclusive_minimum: any.exclusive_minimum.unwrap_or(false),
            exclusive_maximum: any.exclusive_maximum.unwrap_or(false),
            minimum: any.minimum,
            maximum: any.maximum,
            enumeration: enum_values(any, &mut ignored, serde_json::Value::as_f64),
        }),
        "boolean" => {
            Type::Boolean(BooleanType { enumeration: enum_values(any, &mut ignored, serde_json::Value::as_bool) })
        }
        _ => {
            if !any.enumeration.is_empty() {
                ignored.push("`enum`".to_string());
            }
            Type::Array(ArrayType {
                items: None,
                min_items: any.min_items,
                max_items: any.max_items,
                unique_items: any.unique_items.unwrap_or(false),
            })
        }
    };
    Some(Reading { ty, ignored, bounds })
}

/// The keywords present in an untyped schema that belong to one type, in the order the
/// OpenAPI specification lists them (`format` and `enum` fit several types; see
/// [`read_any`]).
fn keywords(any: &AnySchema) -> Vec<(Of, &'static str)> {
    let present = [
        (any.multiple_of.is_some(), Of::Numeric, "multipleOf"),
        (any.maximum.is_some(), Of::Numeric, "maximum"),
        (any.exclusive_maximum.is_some(), Of::Numeric, "exclusiveMaximum"),
        (any.minimum.is_some(), Of::Numeric, "minimum"),
        (any.exclusive_minimum.is_some(), Of::Numeric, "exclusiveMinimum"),
        (any.max_length.is_some(), Of::String, "maxLength"),
        (any.min_length.is_some(), Of::String, "minLength"),
        (any.pattern.is_some(), Of::String, "pattern"),
        (any.items.is_some(), Of::Array, "items"),
        (any.max_items.is_some(), Of::Array, "maxItems"),
        (any.min_items.is_some(), Of::Array, "minItems"),
        (any.unique_items.is_some(), Of::Array, "uniqueItems"),
        (any.max_properties.is_some(), Of::Object, "maxProperties"),
        (any.min_properties.is_some(), Of::Object, "minProperties"),
        (!any.required.is_empty(), Of::Object, "required"),
        (!any.properties.is_empty(), Of::Object, "properties"),
        (any.additional_properties.is_some(), Of::Object, "additionalProperties"),
    ];
    present.into_iter().filter(|(here, _, _)| *here).map(|(_, of, keyword)| (of, keyword)).collect()
}

/// The type a format the OpenAPI specification defines is for.
fn format_of(format: &str) -> Option<&'static str> {
    match format {
        "int32" | "int64" => Some("integer"),
        "float" | "double" => Some("number"),
        "byte" | "binary" | "date" | "date-time" | "password" => Some("string"),
        _ => None,
    }
}

/// Whether a format defined for `of` fits `typ` (an integer format fits a number).
fn format_fits(of: &str, typ: &str) -> bool {
    of == typ || (of == "integer" && typ == "number")
}

/// The enum values that are of the type (`read` gives the value as the type, or `None`);
/// `null` is kept as openapiv3 keeps it (a nullable enum), and the others are listed in
/// `ignored`.
fn enum_values<T>(
    any: &AnySchema,
    ignored: &mut Vec<String>,
    read: impl Fn(&serde_json::Value) -> Option<T>,
) -> Vec<Option<T>> {
    let mut out = Vec::new();
    for v in &any.enumeration {
        if v.is_null() {
            out.push(None);
        } else if let Some(value) = read(v) {
            out.push(Some(value));
        } else {
            ignored.push(format!("`enum` value `{v}`"));
        }
    }
    out
}

/// The smallest and largest floats that are 64-bit integers' bounds: −2⁶³ is `i64::MIN`;
/// 2⁶³ is one more than `i64::MAX` (which a float cannot hold).
const I64_LOW: f64 = -9_223_372_036_854_775_808.0;
const I64_HIGH: f64 = 9_223_372_036_854_775_808.0;

/// A float that is a 64-bit integer, as that integer.
fn whole(v: f64) -> Option<i64> {
    // In range and without a fraction, the cast is exact.
    (v.fract() == 0.0 && (I64_LOW..I64_HIGH).contains(&v)).then_some(v as i64)
}

/// An integer's bound as a 64-bit integer, and whether it is exclusive. A bound written as
/// a whole float (`3600.0`) is that integer. A fraction is rounded inwards, which allows
/// the same integers (`minimum: 1.5` and `exclusiveMinimum: true, minimum: 1.5` both allow
/// 2 and up); a bound at or beyond the 64-bit limits (JSON tools print `i64::MIN` as
/// `-9223372036854776000`) is dropped: every 64-bit integer meets it, or none could.
fn integer_bound(
    keyword: &'static str,
    bound: Option<f64>,
    exclusive: bool,
    notes: &mut Vec<BoundNote>,
) -> (Option<i64>, bool) {
    let Some(v) = bound else { return (None, exclusive) };
    if !(I64_LOW < v && v < I64_HIGH) {
        notes.push(BoundNote {
            keyword,
            wrong: format!("`{keyword}: {v}` of an integer is outside the 64-bit integers"),
            assumed: format!("no {keyword}"),
            hint: "remove the bound, or write one within the 64-bit integers",
        });
        return (None, false);
    }
    if let Some(i) = whole(v) {
        return (Some(i), exclusive);
    }
    let rounded = if keyword == "minimum" { v.ceil() } else { v.floor() };
    let inclusive = if exclusive { " (inclusive)" } else { "" };
    notes.push(BoundNote {
        keyword,
        wrong: format!("`{keyword}: {v}` of an integer is not a whole number"),
        assumed: format!("`{keyword}: {rounded}`{inclusive}, which allows the same integers"),
        hint: "write an integer's bounds as whole numbers",
    });
    (whole(rounded), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any(yaml: &str) -> AnySchema {
        let schema: Schema = yaml_serde::from_str(yaml).expect("schema");
        match schema.schema_kind {
            SchemaKind::Any(a) => a,
            other => panic!("openapiv3 typed it: {other:?}"),
        }
    }

    #[test]
    fn whole_float_bounds_are_integer_bounds_without_a_note() {
        let r = read_any(&any("{type: integer, minimum: 1.0, maximum: 3600.0}")).expect("read");
        let Type::Integer(i) = r.ty else { panic!("an integer") };
        assert_eq!((i.minimum, i.maximum), (Some(1), Some(3600)));
        assert!(r.ignored.is_empty() && r.bounds.is_empty());
    }

    #[test]
    fn fractions_round_inwards_and_become_inclusive() {
        let r = read_any(&any("{type: integer, minimum: 1.5, maximum: 9.5, exclusiveMaximum: true}")).expect("read");
        let Type::Integer(i) = r.ty else { panic!("an integer") };
        assert_eq!((i.minimum, i.maximum, i.exclusive_maximum), (Some(2), Some(9), false));
        let assumed: Vec<&str> = r.bounds.iter().map(|b| b.assumed.as_str()).collect();
        assert_eq!(
            assumed,
            [
                "`minimum: 2`, which allows the same integers",
                "`maximum: 9` (inclusive), which allows the same integers"
            ]
        );
    }

    #[test]
    fn bounds_beyond_64_bits_are_dropped() {
        // -9223372036854776000 is i64::MIN as a float prints it: at the limit, so dropped.
        let r = read_any(&any("{type: integer, minimum: -9223372036854776000.0, maximum: 1e19}")).expect("read");
        let Type::Integer(i) = r.ty else { panic!("an integer") };
        assert_eq!((i.minimum, i.maximum), (None, None));
        let wrong: Vec<&str> = r.bounds.iter().map(|b| b.wrong.as_str()).collect();
        assert_eq!(
            wrong,
            [
                "`minimum: -9223372036854776000` of an integer is outside the 64-bit integers",
                "`maximum: 10000000000000000000` of an integer is outside the 64-bit integers"
            ]
        );
        assert_eq!(whole(9_223_372_036_854_776_000.0), None);
    }

    #[test]
    fn keywords_of_other_types_are_listed_in_order() {
        let r =
            read_any(&any("{type: string, format: int32, minimum: 1, minItems: 2, enum: [a, 7, null]}")).expect("read");
        assert_eq!(r.ignored, ["`minimum`", "`minItems`", "`format: int32`", "`enum` value `7`"]);
        let Type::String(s) = r.ty else { panic!("a string") };
        assert_eq!(s.enumeration, [Some("a".to_string()), None]);
    }

    #[test]
    fn unknown_formats_and_objects_are_not_read() {
        let r = read_any(&any("{type: boolean, format: flag}")).expect("read");
        assert!(r.ignored.is_empty());
        assert!(read_any(&any("{type: object, minimum: 1}")).is_none());
        assert!(read_any(&any("{type: strng, minimum: 1}")).is_none());
    }
}
