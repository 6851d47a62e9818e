//! Nesting a flat field table. The rendered form draws no nesting: an
//! object's rows follow its own row at the same level. The example JSON
//! tells which rows an object owns: the keys of its example value. A row
//! neither example knows (a field added without updating the example) goes
//! with the next row either example knows.

use serde_json::Value;

use super::html::Row;
use super::rows;
use super::{Field, FieldType, PageError};

/// The fields of a flat table's `rows`, nested under object-typed rows by
/// `example`, the value they are the fields of.
pub(super) fn nest(
    file: &str,
    rows: &[Row],
    example: Option<&Value>,
) -> Result<Vec<Field>, PageError> {
    let flat = rows
        .iter()
        .map(|row| rows::field(file, row))
        .collect::<Result<Vec<_>, _>>()?;
    let mut at = 0;
    let mut out = Vec::new();
    let mut examples: Vec<&Value> = example.into_iter().collect();
    while at < flat.len() {
        out.push(owner(file, &flat, &mut at, &mut examples)?);
    }
    Ok(out)
}

/// The object name of an object-typed field, or of a list of objects.
fn object_name(ty: &FieldType) -> Option<&str> {
    match ty {
        FieldType::Object(name) => Some(name),
        FieldType::Array(item) => object_name(item),
        _ => None,
    }
}

/// The row at `at` with the rows it owns; `at` moves past them.
/// `examples` are the example values of the open objects, innermost last:
/// a row any of them knows closes the objects that do not.
fn owner(
    file: &str,
    rows: &[Field],
    at: &mut usize,
    examples: &mut Vec<&Value>,
) -> Result<Field, PageError> {
    let mut field = rows[*at].clone();
    *at += 1;
    let Some(type_name) = object_name(&field.ty).map(str::to_owned) else {
        return Ok(field);
    };
    let mut own_example = examples.last().and_then(|e| e.get(&field.name));
    while let Some(Value::Array(items)) = own_example {
        own_example = items.first();
    }
    // A name the type cell gives that the example contradicts with a plain
    // value is no type: a slip (`strnig`) or a type this reader lacks.
    let plain = own_example.is_some_and(|v| !v.is_object() && !v.is_null());
    if plain && !["-", super::cell::NO_TYPE].contains(&type_name.as_str()) {
        return Err(PageError::broken(
            file,
            field.line,
            format!(
                "unknown type `{type_name}` for `{}`: expected string, boolean, int, float, `T[]`, or an object type whose rows follow it (and whose keys the example JSON shows)",
                field.name
            ),
        ));
    }
    if let Some(own @ Value::Object(keys)) = own_example {
        examples.push(own);
        let belongs = |i: usize, examples: &[&Value]| {
            // The first row at or after `i` that an example knows decides.
            let known = rows[i..]
                .iter()
                .map(|r| r.name.as_str())
                .find(|n| keys.contains_key(*n) || examples.iter().any(|e| e.get(n).is_some()));
            known.is_none_or(|n| keys.contains_key(n))
        };
        while *at < rows.len() && belongs(*at, examples) {
            field.fields.push(owner(file, rows, at, examples)?);
        }
        examples.pop();
    }
    Ok(field)
}
