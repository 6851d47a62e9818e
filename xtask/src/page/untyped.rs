//! Fields whose type cell writes no type (`/`, `/-`, nothing; older sheets
//! pages): the rows below them are what they hold. The page's example says
//! whether that is one object or a list of them; without an example the
//! field is read as one object, and a human is asked.

use serde_json::Value;

use super::cell::NO_TYPE;
use super::{Field, FieldType, Misfit};

/// Settles every field of `fields` (nested ones too) that writes no type,
/// by `example`, the value they are the fields of.
pub(super) fn settle(fields: &mut [Field], example: Option<&Value>) {
    for field in fields {
        let value = example.and_then(|e| e.get(&field.name));
        if field.ty == FieldType::Object(NO_TYPE.into()) {
            let object = FieldType::Object("-".into());
            field.ty = match value {
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
            };
        }
        // A list's rows are those of its items.
        let inner = match value {
            Some(Value::Array(items)) => items.first(),
            other => other,
        };
        settle(&mut field.fields, inner);
    }
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
            field("protect", untyped(), Vec::new()),
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
        assert_eq!(
            fields[2].misfits,
            [Misfit {
                line: 7,
                message: "`protect` writes no type and no example shows it: read as one object of the rows below it; make it a list (`[]`) if the page means one".into()
            }]
        );
    }
}
