//! A synthetic spec for the scaling benchmark: the real spec's resources copied N times
//! under new names, so a document with N × 25 operations has the same shape, density and
//! features (deepObject filters, envelopes, pagination, shared components) as the real one.
//!
//! Copy 1 is the spec itself; copy k > 1 renames, consistently:
//! path prefixes (`/rooms/{room_id}` → `/rooms_c2/{room_id}`), operationIds (`listRooms` →
//! `listRoomsC2`), tags (`Rooms` → `Rooms C2`) and every component but the security schemes
//! (`Room` → `RoomC2`, with each `$ref` to it).

use yaml_serde::{Mapping, Value};

/// Builds the N-fold document from the spec's text.
pub fn replicate(spec_text: &str, copies: usize) -> Result<String, String> {
    let doc: Value = yaml_serde::from_str(spec_text).map_err(|e| format!("the spec is not YAML: {e}"))?;
    let Value::Mapping(root) = doc else { return Err("the spec is not a mapping".into()) };
    let mut out = root.clone();
    for copy in 2..=copies {
        let suffix = format!("C{copy}");
        let renamed = rename(&Value::Mapping(root.clone()), &suffix);
        let Value::Mapping(renamed) = renamed else { continue };
        merge_section(&mut out, &renamed, "paths", |path| rename_path(path, copy))?;
        let Some(Value::Mapping(components)) = renamed.get("components") else { continue };
        for (section, entries) in components {
            let Some(section) = section.as_str() else { continue };
            if section == "securitySchemes" {
                continue;
            }
            let Value::Mapping(entries) = entries else { continue };
            let target = out
                .entry("components".into())
                .or_insert_with(|| Value::Mapping(Mapping::new()))
                .as_mapping_mut()
                .ok_or("`components` is not a mapping")?
                .entry(section.into())
                .or_insert_with(|| Value::Mapping(Mapping::new()))
                .as_mapping_mut()
                .ok_or("a components section is not a mapping")?;
            for (name, entry) in entries {
                let name = name.as_str().ok_or("a component name is not a string")?;
                target.insert(format!("{name}{suffix}").into(), entry.clone());
            }
        }
        if let (Some(Value::Sequence(tags)), Some(Value::Sequence(new_tags))) =
            (out.get("tags").cloned(), renamed.get("tags"))
        {
            let mut tags = tags;
            tags.extend(new_tags.iter().cloned());
            out.insert("tags".into(), Value::Sequence(tags));
        }
    }
    yaml_serde::to_string(&Value::Mapping(out)).map_err(|e| e.to_string())
}

/// `/rooms/{room_id}/actions/end` → `/rooms_c2/{room_id}/actions/end`.
fn rename_path(path: &str, copy: usize) -> String {
    let rest = path.trim_start_matches('/');
    match rest.split_once('/') {
        Some((first, tail)) => format!("/{first}_c{copy}/{tail}"),
        None => format!("/{rest}_c{copy}"),
    }
}

/// Adds `from`'s `section` entries to `into`'s, renaming each key.
fn merge_section(
    into: &mut Mapping,
    from: &Mapping,
    section: &str,
    rename_key: impl Fn(&str) -> String,
) -> Result<(), String> {
    let Some(Value::Mapping(entries)) = from.get(section) else { return Ok(()) };
    let target = into
        .entry(section.into())
        .or_insert_with(|| Value::Mapping(Mapping::new()))
        .as_mapping_mut()
        .ok_or_else(|| format!("`{section}` is not a mapping"))?;
    for (key, value) in entries {
        let key = key.as_str().ok_or_else(|| format!("a key of `{section}` is not a string"))?;
        target.insert(rename_key(key).into(), value.clone());
    }
    Ok(())
}

/// The whole document with operationIds, tags and component references renamed.
fn rename(value: &Value, suffix: &str) -> Value {
    match value {
        Value::Mapping(map) => {
            let mut out = Mapping::new();
            for (key, v) in map {
                let new = match (key.as_str(), v) {
                    (Some("$ref"), Value::String(r)) => Value::String(rename_ref(r, suffix)),
                    (Some("operationId"), Value::String(id)) => Value::String(format!("{id}{suffix}")),
                    (Some("tags"), Value::Sequence(tags)) => Value::Sequence(
                        tags.iter()
                            .map(|t| match t {
                                // Operation tags are strings; the top-level list holds objects.
                                Value::String(name) => Value::String(format!("{name} {suffix}")),
                                Value::Mapping(tag) => {
                                    let mut tag = tag.clone();
                                    if let Some(Value::String(name)) = tag.get("name").cloned() {
                                        tag.insert("name".into(), Value::String(format!("{name} {suffix}")));
                                    }
                                    Value::Mapping(tag)
                                }
                                other => other.clone(),
                            })
                            .collect(),
                    ),
                    _ => rename(v, suffix),
                };
                out.insert(key.clone(), new);
            }
            Value::Mapping(out)
        }
        Value::Sequence(items) => Value::Sequence(items.iter().map(|v| rename(v, suffix)).collect()),
        other => other.clone(),
    }
}

/// `#/components/schemas/Room` → `#/components/schemas/RoomC2`; other references unchanged.
fn rename_ref(reference: &str, suffix: &str) -> String {
    let Some(rest) = reference.strip_prefix("#/components/") else { return reference.to_string() };
    match rest.split_once('/') {
        Some((section, name)) if section != "securitySchemes" && !name.contains('/') => {
            format!("#/components/{section}/{name}{suffix}")
        }
        _ => reference.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_generate_cleanly_with_n_times_the_operations() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let text = std::fs::read_to_string(root.join("spec/openapi.yaml")).unwrap();
        let one = codegen::generate_str("spec.yaml", &text, None).unwrap();
        let synthetic = replicate(&text, 3).unwrap();
        let three = codegen::generate_str("synthetic.yaml", &synthetic, None)
            .unwrap_or_else(|d| panic!("{}", codegen::diag::render(&d.0, Some(&synthetic), false)));
        let ops = |g: &codegen::Generated| g.api.resources.iter().map(|r| r.operations.len()).sum::<usize>();
        assert_eq!(ops(&three), 3 * ops(&one));
        assert_eq!(three.api.resources.len(), 3 * one.api.resources.len());
        assert!(three.warnings.is_empty(), "{:?}", three.warnings);
        assert!(three.files.iter().any(|f| f.path == "src/resources/rooms_c3.rs"));
    }

    #[test]
    fn renames_references_but_not_security_schemes() {
        assert_eq!(rename_ref("#/components/schemas/Room", "C2"), "#/components/schemas/RoomC2");
        assert_eq!(rename_ref("#/components/securitySchemes/bearer", "C2"), "#/components/securitySchemes/bearer");
        assert_eq!(rename_path("/rooms/{room_id}", 4), "/rooms_c4/{room_id}");
        assert_eq!(rename_path("/rooms", 4), "/rooms_c4");
    }
}
