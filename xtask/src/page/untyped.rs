//! Fields whose type cell writes no type (`/`, `/-`, nothing; older sheets
//! pages), a list of no item type (`list`), or `interface`: the rows below
//! them are what they hold, and an `interface` or `object` with none below
//! is any JSON value. The page's example says whether that is one object
//! or a list of them, and, without rows, what a value or an item is; where
//! no example shows it, a human is asked.

use serde_json::Value;

use super::cell::{ANY, NO_TYPE};
use super::{Field, FieldType, Misfit};

/// Settles every field of `fields` (nested ones too) that writes no type,
/// by `example`, the value they are the fields of.
pub(super) fn settle(fields: &mut [Field], example: Option<&Value>) {
    for field in fields {
        let value = example.and_then(|e| e.get(&field.name));
        // `interface` or `object` with no rows below: the page states no
        // fields, so any value it holds is kept as it comes.
        let item = innermost(&mut field.ty);
        if let FieldType::Object(name) = item
            && (name == ANY || name.eq_ignore_ascii_case("object"))
        {
            if field.fields.is_empty() {
                *item = FieldType::Json;
            } else if name == ANY {
                *item = FieldType::Object("-".into());
            }
        }
        if field.ty == FieldType::Object(NO_TYPE.into()) {
            field.ty = if field.fields.is_empty() {
                leaf(field, value)
            } else {
                let object = FieldType::Object("-".into());
                match value {
                    Some(Value::Array(_)) => FieldType::Array(Box::new(object)),
                    Some(_) => object,
                    None => {
                        field.misfits.push(Misfit {
                            line: field.line,
                            message: format!(
                                "`{}` writes no type and no example shows it: read as one object of the rows below it; make it a list (`[]`) if the page means one",
                                field.name
                            ),
                        });
                        object
                    }
                }
            };
        }
        let untyped_items = FieldType::Array(Box::new(FieldType::Object(NO_TYPE.into())));
        if field.ty == untyped_items {
            field.ty = FieldType::Array(Box::new(if field.fields.is_empty() {
                let item = match value {
                    Some(Value::Array(items)) => items.first(),
                    _ => None,
                };
                leaf(field, item)
            } else {
                FieldType::Object("-".into())
            }));
        }
        // A list's rows are those of its items.
        let inner = match value {
            Some(Value::Array(items)) => items.first(),
            other => other,
        };
        settle(&mut field.fields, inner);
    }
}

/// The item type of a list (of lists), or the type itself.
fn innermost(ty: &mut FieldType) -> &mut FieldType {
    match ty {
        FieldType::Array(item) => innermost(item),
        other => other,
    }
}

/// The type of a field with no type and no rows below it (the older
/// pages' two-column response tables): its example value's; a string,
/// asked about, when no example shows one.
fn leaf(field: &mut Field, value: Option<&Value>) -> FieldType {
    match value.and_then(value_type) {
        Some(ty) => ty,
        None => {
            field.misfits.push(Misfit {
                line: field.line,
                message: format!(
                    "`{}` writes no type and no example shows a value: read as a string",
                    field.name
                ),
            });
            FieldType::String
        }
    }
}

/// The type a JSON value is of; `None` for `null` or an empty list.
fn value_type(value: &Value) -> Option<FieldType> {
    Some(match value {
        Value::Null => return None,
        Value::Bool(_) => FieldType::Boolean,
        Value::Number(n) if n.is_i64() || n.is_u64() => FieldType::Integer,
        Value::Number(_) => FieldType::Number,
        Value::String(_) => FieldType::String,
        Value::Array(items) => FieldType::Array(Box::new(value_type(items.first()?)?)),
        Value::Object(_) => FieldType::Object("-".into()),
    })
}

/// A request body's own field typed `file` is the file to upload (a
/// multipart body, whose parts are flat): its page example is words
/// (二进制文件), not a value, and its description states its size limits
/// in words. Rows a flat table put under it are the body's own, after it.
/// A `file` deeper down stays an object of that name.
pub(super) fn files(body: &mut Vec<Field>) {
    let mut at = 0;
    while at < body.len() {
        let field = &mut body[at];
        let named_file =
            matches!(&field.ty, FieldType::Object(name) if name.eq_ignore_ascii_case("file"));
        if named_file {
            field.ty = FieldType::File;
            field.example = None;
            field.default = None;
            (field.limits.min_bytes, field.limits.max_bytes) = sizes(&field.description);
            let rows = std::mem::take(&mut field.fields);
            body.splice(at + 1..at + 1, rows);
        }
        at += 1;
    }
}

/// The size bounds a file's description writes: `不能超过 10 MB` (also
/// 不得超过, 不超过, 最大), a range `大小在 3KB-10MB`, and "not empty"
/// (不允许上传空文件, 不能上传大小为 0) as at least 1 byte. A unit counts
/// 1024 of the one below, as Feishu's upload limits do.
fn sizes(description: &str) -> (Option<u64>, Option<u64>) {
    let size = r"(\d+(?:\.\d+)?)\s*(KB|MB|GB|K|M|G)\b";
    let range =
        regex_lite::Regex::new(&format!("{size}\\s*[-~～至]\\s*{size}")).expect("a valid pattern");
    if let Some(c) = range.captures(description) {
        return (bytes(&c[1], &c[2]), bytes(&c[3], &c[4]));
    }
    let most = regex_lite::Regex::new(&format!("(?:不能超过|不得超过|不超过|最大)\\s*{size}"))
        .expect("a valid pattern");
    let max = most.captures(description).and_then(|c| bytes(&c[1], &c[2]));
    let not_empty = ["空文件", "大小为 0", "大小为0"]
        .iter()
        .any(|w| description.contains(w));
    (not_empty.then_some(1), max)
}

fn bytes(number: &str, unit: &str) -> Option<u64> {
    let power = match unit {
        "KB" | "K" => 1,
        "MB" | "M" => 2,
        _ => 3,
    };
    let value: f64 = number.parse().ok()?;
    Some((value * 1024f64.powi(power)) as u64)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::page::Limits;

    fn field(name: &str, ty: FieldType, fields: Vec<Field>) -> Field {
        Field {
            line: 7,
            name: name.into(),
            ty,
            required: false,
            description: String::new(),
            default: None,
            example: None,
            limits: Limits::default(),
            values: Vec::new(),
            fields,
            misfits: Vec::new(),
        }
    }

    #[test]
    fn a_field_without_rows_takes_its_example_values_type() {
        let untyped = || field("x", FieldType::Object(NO_TYPE.into()), Vec::new());
        let read = |example: Value| {
            let mut fields = vec![untyped()];
            settle(&mut fields, Some(&example));
            (fields[0].ty.clone(), fields[0].misfits.len())
        };
        assert_eq!(read(json!({"x": false})), (FieldType::Boolean, 0));
        assert_eq!(read(json!({"x": 7})), (FieldType::Integer, 0));
        assert_eq!(read(json!({"x": 0.5})), (FieldType::Number, 0));
        assert_eq!(
            read(json!({"x": ["a"]})),
            (FieldType::Array(Box::new(FieldType::String)), 0)
        );
        assert_eq!(read(json!({"x": {}})), (FieldType::Object("-".into()), 0));
        let mut fields = vec![untyped()];
        settle(&mut fields, None);
        assert_eq!(fields[0].ty, FieldType::String);
        assert_eq!(
            fields[0].misfits[0].message,
            "`x` writes no type and no example shows a value: read as a string"
        );
    }

    #[test]
    fn a_list_of_no_item_type_takes_its_rows_or_its_example_items() {
        let list = || FieldType::Array(Box::new(FieldType::Object(NO_TYPE.into())));
        let id = field("id", FieldType::String, Vec::new());
        let mut fields = vec![
            field("ids", list(), Vec::new()),
            field("users", list(), vec![id]),
            field("none", list(), Vec::new()),
        ];
        settle(&mut fields, Some(&json!({"ids": ["od_1"], "none": []})));
        let list_of = |ty: FieldType| FieldType::Array(Box::new(ty));
        assert_eq!(fields[0].ty, list_of(FieldType::String));
        assert_eq!(fields[1].ty, list_of(FieldType::Object("-".into())));
        assert_eq!(fields[2].ty, list_of(FieldType::String));
        assert_eq!(
            fields[2].misfits[0].message,
            "`none` writes no type and no example shows a value: read as a string"
        );
    }

    #[test]
    fn the_example_says_object_or_list() {
        let untyped = || FieldType::Object(NO_TYPE.into());
        let object = FieldType::Object("-".into());
        let range = field("range", FieldType::String, Vec::new());
        let mut fields = vec![
            field(
                "requests",
                untyped(),
                vec![field("dimension", untyped(), vec![range.clone()])],
            ),
            field("valueRange", untyped(), vec![range.clone()]),
            field("protect", untyped(), vec![range.clone()]),
        ];
        let example = json!({
            "requests": [{"dimension": {"range": "A1"}}],
            "valueRange": {"range": "A1"}
        });
        settle(&mut fields, Some(&example));
        assert_eq!(fields[0].ty, FieldType::Array(Box::new(object.clone())));
        assert_eq!(fields[0].fields[0].ty, object);
        assert_eq!(fields[1].ty, object);
        assert_eq!(fields[2].ty, object);
        assert!(fields[..2].iter().all(|f| f.misfits.is_empty()));
        assert_eq!(fields[2].fields[0].ty, FieldType::String);
        assert_eq!(
            fields[2].misfits,
            [Misfit {
                line: 7,
                message: "`protect` writes no type and no example shows it: read as one object of the rows below it; make it a list (`[]`) if the page means one".into()
            }]
        );
    }
}
