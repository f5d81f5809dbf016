//! The YAML value tree, read as `yaml_serde::Value`'s own `Deserialize` reads it except for
//! one thing: an integer beyond 64 bits (`-9223372036854776000`, `i64::MIN` as JavaScript
//! prints it) becomes the nearest float, where `yaml_serde::Value` refuses the whole
//! document. JSON numbers have no size limit, and a JSON document (read by `serde_json`)
//! already gets the same float; lowering says what it assumed of such a bound.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use yaml_serde::value::{Tag, TaggedValue};
use yaml_serde::{Mapping, Value};

/// A YAML value whose integers beyond 64 bits are floats.
pub(super) struct Lenient(pub(super) Value);

impl<'de> Deserialize<'de> for Lenient {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor).map(Lenient)
    }
}

struct LenientVisitor;

impl<'de> Visitor<'de> for LenientVisitor {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Number(i.into()))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        Ok(Value::Number(u.into()))
    }

    // The difference from `yaml_serde::Value`: integers beyond 64 bits.
    fn visit_i128<E: de::Error>(self, i: i128) -> Result<Value, E> {
        Ok(Value::Number((i as f64).into()))
    }

    fn visit_u128<E: de::Error>(self, u: u128) -> Result<Value, E> {
        Ok(Value::Number((u as f64).into()))
    }

    // `.nan` and `.inf` are YAML numbers but not JSON ones: an OpenAPI document is JSON's
    // data model, and openapiv3 cannot read them.
    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        if !f.is_finite() {
            return Err(E::custom(format!(
                "`{f}` is not a number JSON can hold (OpenAPI documents are JSON's data model); write a finite number"
            )));
        }
        Ok(Value::Number(f.into()))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Lenient::deserialize(deserializer).map(|l| l.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Lenient(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Sequence(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut mapping = Mapping::new();
        while let Some(Lenient(key)) = map.next_key()? {
            if mapping.contains_key(&key) {
                // `yaml_serde`'s own words, which the loader recognises.
                return Err(de::Error::custom(duplicate(&key)));
            }
            let Lenient(value) = map.next_value()?;
            mapping.insert(key, value);
        }
        Ok(Value::Mapping(mapping))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, contents): (String, _) = data.variant()?;
        if tag.is_empty() {
            return Err(de::Error::custom("empty YAML tag is not allowed"));
        }
        let Lenient(value) = contents.newtype_variant()?;
        Ok(Value::Tagged(Box::new(TaggedValue { tag: Tag::new(tag), value })))
    }
}

/// `yaml_serde`'s message for a key met twice in one mapping.
fn duplicate(key: &Value) -> String {
    match key {
        Value::Null => "duplicate entry with null key".to_string(),
        Value::Bool(b) => format!("duplicate entry with key `{b}`"),
        Value::Number(n) => format!("duplicate entry with key {n}"),
        Value::String(s) => format!("duplicate entry with key {s:?}"),
        Value::Sequence(_) | Value::Mapping(_) | Value::Tagged(_) => "duplicate entry in YAML map".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Value {
        yaml_serde::from_str::<Lenient>(text).expect("reads").0
    }

    #[test]
    fn reads_what_yaml_serde_reads() {
        let text = "a: [1, -2, 2.5, true, null, ~, x]\nb: !tag {c: d}\n'3': 18446744073709551615\n";
        assert_eq!(read(text), yaml_serde::from_str::<Value>(text).expect("reads"));
    }

    #[test]
    fn integers_beyond_64_bits_are_floats() {
        let value = read("low: -9223372036854776000\nhigh: 100000000000000000000\n");
        assert_eq!(value.get("low").and_then(Value::as_f64), Some(-9_223_372_036_854_776_000.0));
        assert_eq!(value.get("high").and_then(Value::as_f64), Some(1e20));
        assert!(yaml_serde::from_str::<Value>("low: -9223372036854776000").is_err(), "yaml_serde now reads it");
    }

    #[test]
    fn duplicate_keys_are_refused_in_yaml_serde_words() {
        let text = "a: 1\nb:\n  c: 1\n  c: 2\n";
        let ours = yaml_serde::from_str::<Lenient>(text).err().map(|e| e.to_string());
        let theirs = yaml_serde::from_str::<Value>(text).err().map(|e| e.to_string());
        assert_eq!(ours, theirs);
        assert!(ours.is_some_and(|e| e.contains("duplicate entry with key \"c\"")));
    }
}
