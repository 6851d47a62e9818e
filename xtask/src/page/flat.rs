//! Nesting a flat field table. The rendered form draws no nesting: an
//! object's rows follow its own row at the same level. The example JSON
//! tells which rows an object owns: the keys of its example value. A row
//! neither example knows (a field added without updating the example) goes
//! with the next row either example knows.

use serde_json::Value;

use super::html::Row;
use super::rows;
use super::{Field, FieldType, Misfit, PageError};

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
        out.push(owner(&flat, &mut at, &mut examples));
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
fn owner(rows: &[Field], at: &mut usize, examples: &mut Vec<&Value>) -> Field {
    let mut field = rows[*at].clone();
    *at += 1;
    let Some(type_name) = object_name(&field.ty).map(str::to_owned) else {
        return field;
    };
    let mut own_example = examples.last().and_then(|e| e.get(&field.name));
    while let Some(Value::Array(items)) = own_example {
        own_example = items.first();
    }
    // A name the type cell gives that the example contradicts with a plain
    // value is no type: a slip (`stirng`) or a type this reader lacks. The
    // example's type stands in, for a human to confirm.
    if let Some(plain) = own_example.and_then(plain_type)
        && !["-", super::cell::NO_TYPE].contains(&type_name.as_str())
    {
        field.ty = replaced(&field.ty, &plain);
        field.misfits.push(Misfit {
            line: field.line,
            message: format!(
                "unknown type `{type_name}` for `{}`: the example shows a {plain}, so the draft reads it as one; write the type the page means",
                field.name
            ),
        });
        return field;
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
            field.fields.push(owner(rows, at, examples));
        }
        examples.pop();
    }
    field
}

/// The type of a plain example value (text, number, boolean).
fn plain_type(value: &Value) -> Option<FieldType> {
    Some(match value {
        Value::String(_) => FieldType::String,
        Value::Bool(_) => FieldType::Boolean,
        Value::Number(n) if n.is_i64() || n.is_u64() => FieldType::Integer,
        Value::Number(_) => FieldType::Number,
        _ => return None,
    })
}

/// `ty` with its object type (the item of a list) as `plain`.
fn replaced(ty: &FieldType, plain: &FieldType) -> FieldType {
    match ty {
        FieldType::Array(item) => FieldType::Array(Box::new(replaced(item, plain))),
        _ => plain.clone(),
    }
}
