//! Rules that span the fields of one object.

use serde_json::Value;

use super::scope::Scope;
use super::{Check, Condition, CrossFieldRule, Field, Sink, Type, values};
use crate::spec::{CheckSpec, RuleSpec};

/// Resolves one rule against the object's fields, or reports why not.
pub(super) fn resolve(
    sink: &mut Sink,
    scope: &Scope,
    path: &str,
    spec: &RuleSpec,
    fields: &[Field],
) -> Option<CrossFieldRule> {
    let find = |sink: &mut Sink, at: String, name: &str| -> Option<Field> {
        let found = fields.iter().find(|f| f.wire_name == name).cloned();
        if found.is_none() {
            let names = fields
                .iter()
                .map(|f| f.wire_name.as_str())
                .collect::<Vec<_>>();
            sink.problem(
                at,
                format!("no field `{name}` in this object"),
                format!("name one of: {}", names.join(", ")),
            );
        }
        found
    };
    let when = match &spec.when {
        None => None,
        Some(c) => {
            let field = find(sink, format!("{path}.when.field"), &c.field)?;
            if !matches!(field.ty, Type::Boolean | Type::String | Type::Enum(_)) {
                sink.problem(
                    format!("{path}.when.field"),
                    "conditions compare booleans, strings or enums",
                    "name a field of one of those types",
                );
                return None;
            }
            let equals = values::scalar(
                sink,
                scope,
                &format!("{path}.when.equals"),
                &c.equals,
                &field.ty,
            )?;
            Some(Condition { field, equals })
        }
    };
    let check = match &spec.then {
        CheckSpec::Required { field } => {
            Check::Required(find(sink, format!("{path}.then.field"), field)?)
        }
        CheckSpec::MinLength { field, min } => {
            let f = find(sink, format!("{path}.then.field"), field)?;
            if f.ty != Type::String {
                sink.problem(
                    format!("{path}.then.field"),
                    "min_length applies to strings",
                    "name a string field",
                );
                return None;
            }
            Check::MinLength(f, *min)
        }
        CheckSpec::NotAllEqual {
            fields: names,
            value,
        }
        | CheckSpec::NoneEqual {
            fields: names,
            value,
        } => {
            let mut resolved = Vec::new();
            for (i, name) in names.iter().enumerate() {
                let f = find(sink, format!("{path}.then.fields[{i}]"), name)?;
                if !matches!(f.ty, Type::String | Type::Enum(_)) {
                    sink.problem(
                        format!("{path}.then.fields[{i}]"),
                        "value comparisons apply to strings and enums",
                        "name a string or enum field",
                    );
                    return None;
                }
                values::scalar(
                    sink,
                    scope,
                    &format!("{path}.then.value"),
                    &Value::String(value.clone()),
                    &f.ty,
                )?;
                resolved.push(f);
            }
            if resolved.is_empty() {
                sink.problem(
                    format!("{path}.then.fields"),
                    "no fields to compare",
                    "name at least one field",
                );
                return None;
            }
            match &spec.then {
                CheckSpec::NotAllEqual { .. } => Check::NotAllEqual(resolved, value.clone()),
                _ => Check::NoneEqual(resolved, value.clone()),
            }
        }
    };
    if let (Some(code), Some(documented)) = (spec.error_code, &scope.error_codes)
        && !documented.contains(&code)
    {
        sink.problem(
            format!("{path}.error_code"),
            format!("{code} is not one of the endpoint's documented error codes"),
            "use a code from `errors`, or add it there",
        );
    }
    Some(CrossFieldRule {
        description: spec.description.clone(),
        when,
        check,
        error_code: spec.error_code,
    })
}
