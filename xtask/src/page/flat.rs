//! Nesting a flat field table. The rendered form draws no nesting: an
//! object's rows follow its own row at the same level. What tells which
//! rows an object owns:
//! - the example JSON: the keys of the object's example value, every item
//!   of a list and every value of a map taken together. A key an object
//!   has taken tells no more, and an object has each field once;
//! - the fields the example shows for another field of the same type: a
//!   second pass gives them to the fields of that type the example leaves
//!   out;
//! - the repetition of a type's rows: they are written out again under
//!   each field of the type, so they end where the copies stop agreeing;
//! - the order of the rows: an object nothing else tells about owns the
//!   rows right after it that no example knows, and an object that owns a
//!   row its example knows also owns the unknown rows after it (fields the
//!   example leaves out); else an unknown row goes with the next row an
//!   example knows.
//!
//! Where these do not tell (an object with no rows of its own followed by
//! rows no example shows), the rendered form cannot say what its source
//! form's levels do; the README lists the page pairs that differ so.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

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
    let root: Vec<Map<String, Value>> = match example.map(shape) {
        Some(Value::Object(keys)) => vec![keys],
        _ => Vec::new(),
    };
    let mut table = Table {
        rows: &flat,
        bounds: repeated_runs(&flat),
        learned: Learned::new(),
    };
    let (fields, learned) = table.fields(root.clone());
    if learned.is_empty() {
        return Ok(fields);
    }
    table.learned = learned;
    Ok(table.fields(root).0)
}

/// The fields a type has where the example shows one of its fields, by
/// type name, as example keys.
type Learned = BTreeMap<String, Map<String, Value>>;

/// The rows of a flat table; for each object row the end of the run of
/// rows that follows each row of its type alike ([`repeated_runs`]); and
/// what a first pass learned of each type.
struct Table<'r> {
    rows: &'r [Field],
    bounds: Vec<Option<usize>>,
    learned: Learned,
}

/// The name of an object type that names one type (not `-`, `object` or
/// none), of a field's object, list of objects or map of objects.
fn one_type(ty: &FieldType) -> Option<&str> {
    object_name(ty).filter(|n| !["-", "object", super::cell::NO_TYPE, super::cell::ANY].contains(n))
}

/// For each object row whose type other rows also have, where its fields
/// end as the table's repetition shows: a type's rows are written out
/// again under each field of that type, so the rows after two such fields
/// agree as far as their fields go (one side may leave out a row here and
/// there). The shortest agreement with another row of the type bounds the
/// row's own.
fn repeated_runs(rows: &[Field]) -> Vec<Option<usize>> {
    let named = |i: usize| one_type(&rows[i].ty);
    (0..rows.len())
        .map(|i| {
            let name = named(i)?;
            (0..rows.len())
                .filter(|&j| j != i && named(j) == Some(name))
                .map(|j| {
                    let same = agreeing(&rows[i + 1..], &rows[j + 1..]);
                    // A run stops before the next row of the type.
                    let next = if j > i { j - i - 1 } else { usize::MAX };
                    i + 1 + same.min(next)
                })
                .min()
        })
        .collect()
}

/// How many of the rows `a` agree with `b` from the start, one row left
/// out on either side now and then.
fn agreeing(a: &[Field], b: &[Field]) -> usize {
    let alike = |x: Option<&Field>, y: Option<&Field>| {
        x.zip(y)
            .is_some_and(|(x, y)| x.name == y.name && x.ty == y.ty)
    };
    let (mut i, mut j) = (0, 0);
    loop {
        if alike(a.get(i), b.get(j)) {
            (i, j) = (i + 1, j + 1);
        } else if alike(a.get(i), b.get(j + 1)) {
            j += 1;
        } else if alike(a.get(i + 1), b.get(j)) {
            i += 1;
        } else {
            return i;
        }
    }
}

/// The object name of an object-typed field, of a list of objects or of a
/// map whose values are objects.
fn object_name(ty: &FieldType) -> Option<&str> {
    match ty {
        FieldType::Object(name) => Some(name),
        FieldType::Array(item) | FieldType::Map(item) => object_name(item),
        _ => None,
    }
}

/// An example value with every list as the union of its items, so a key
/// any item shows is known. A map's values stay under their keys: its
/// field row takes them together ([`values_of`]).
fn shape(value: &Value) -> Value {
    match value {
        Value::Array(items) => items.iter().map(shape).fold(Value::Null, merged),
        Value::Object(keys) => {
            Value::Object(keys.iter().map(|(k, v)| (k.clone(), shape(v))).collect())
        }
        other => other.clone(),
    }
}

/// Two shapes as one: the keys of both objects, the first plain value.
fn merged(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Object(mut x), Value::Object(y)) => {
            for (k, v) in y {
                let joined = match x.remove(&k) {
                    Some(old) => merged(old, v),
                    None => v,
                };
                x.insert(k, joined);
            }
            Value::Object(x)
        }
        (Value::Null, b) => b,
        (a, _) => a,
    }
}

/// The shape of a map's values taken together.
fn values_of(map: &Value) -> Value {
    match map {
        Value::Object(keys) => keys.values().cloned().fold(Value::Null, merged),
        _ => Value::Null,
    }
}

impl Table<'_> {
    /// The table's fields nested, with what this pass learned of each type.
    fn fields(&self, mut examples: Vec<Map<String, Value>>) -> (Vec<Field>, Learned) {
        let mut learned = Learned::new();
        let mut at = 0;
        let mut out = Vec::new();
        while at < self.rows.len() {
            let own = taken(&mut examples, &self.rows[at].name);
            out.push(self.owner(&mut at, self.rows.len(), own, &mut examples, &mut learned));
        }
        (out, learned)
    }

    /// The row at `at` with the rows it owns, none past `end`; `at` moves
    /// past them. `own` is the row's example shape; `examples` are the
    /// example shapes of the open objects, innermost last, less the keys
    /// their objects have taken.
    fn owner(
        &self,
        at: &mut usize,
        end: usize,
        mut own: Option<Value>,
        examples: &mut Vec<Map<String, Value>>,
        learned: &mut Learned,
    ) -> Field {
        let rows = self.rows;
        let bound = self.bounds[*at];
        let mut field = rows[*at].clone();
        *at += 1;
        let Some(type_name) = object_name(&field.ty).map(str::to_owned) else {
            return field;
        };
        if matches!(field.ty, FieldType::Map(_)) {
            own = own.as_ref().map(values_of);
        }
        // A name the type cell gives that the example contradicts with a
        // plain value is no type: a slip (`stirng`) or a type this reader
        // lacks. The example's type stands in, for a human to confirm.
        if let Some(plain) = own.as_ref().and_then(plain_type)
            && !["-", super::cell::NO_TYPE, super::cell::ANY].contains(&type_name.as_str())
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
        let one = one_type(&field.ty).map(str::to_owned);
        // Where the example shows none of the object's keys, what it
        // shows for another field of the type stands in.
        let (keys, from_example) = match own {
            Some(Value::Object(keys)) if !keys.is_empty() => (keys, true),
            _ => (
                one.as_ref()
                    .and_then(|t| self.learned.get(t))
                    .cloned()
                    .unwrap_or_default(),
                false,
            ),
        };
        let shown = !keys.is_empty();
        // The repetition of its type's rows, if any, bounds the object's,
        // unless the example shows the row there in this object alone:
        // another field of the type may document fewer of its rows.
        let (end, repeated) = match bound {
            Some(b) if b < end => {
                let name = &rows[b].name;
                let here_alone =
                    keys.contains_key(name) && !examples.iter().any(|e| e.contains_key(name));
                if here_alone { (end, false) } else { (b, true) }
            }
            _ => (end, false),
        };
        examples.push(keys);
        // An object has each field once: a row whose name it has taken
        // is an outer object's, and a key it has taken tells no more.
        // Where nothing but the repetition tells about the object, the
        // repeated rows are its own.
        let mut took_known = false;
        while *at < end
            && !field.fields.iter().any(|f| f.name == rows[*at].name)
            && (repeated && !shown
                || belongs(rows, *at, examples, shown && !(from_example && took_known)))
        {
            let own = taken(examples, &rows[*at].name);
            took_known |= own.is_some();
            field
                .fields
                .push(self.owner(at, end, own, examples, learned));
        }
        examples.pop();
        if let Some(one) = one
            && from_example
        {
            let known = learned.entry(one).or_default();
            for f in &field.fields {
                known.insert(f.name.clone(), Value::Null);
            }
        }
        field
    }
}

/// Whether the row at `at` belongs to the innermost open object, whose
/// example keys are the last of `examples`: a row it knows does, a row an
/// outer example knows does not. A row none knows does when the object's
/// example shows no keys (`shown` false); else the next row an example
/// knows decides.
fn belongs(rows: &[Field], at: usize, examples: &[Map<String, Value>], shown: bool) -> bool {
    let (own, outer) = examples.split_last().expect("the object's own is pushed");
    let knows = |name: &str| own.contains_key(name);
    let outer_knows = |name: &str| outer.iter().any(|e| e.contains_key(name));
    let name = rows[at].name.as_str();
    if knows(name) || outer_knows(name) {
        return knows(name);
    }
    if !shown {
        return true;
    }
    rows[at..]
        .iter()
        .map(|r| r.name.as_str())
        .find(|n| knows(n) || outer_knows(n))
        .is_none_or(knows)
}

/// The example shape of the innermost open object's field `name`, which
/// it takes: the key tells no more about the rows after it.
fn taken(examples: &mut [Map<String, Value>], name: &str) -> Option<Value> {
    examples.last_mut()?.remove(name)
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
        FieldType::Map(item) => FieldType::Map(Box::new(replaced(item, plain))),
        _ => plain.clone(),
    }
}
