//! The request and response examples: what changed, by JSON path, and any
//! new value an enum field does not list (nor alias).

use feishu_codegen::spec::{EndpointSpec, FieldSpec, ObjectSpec, TypeSpec};
use serde_json::Value;

use super::{Class, Report};
use crate::page::Page;

pub(super) fn compare(page: &Page, schema: &EndpointSpec, out: &mut Report) {
    let ours = schema.examples.as_ref();
    let empty = ObjectSpec::default();
    let body = schema.body.as_ref().unwrap_or(&empty);
    let mut diff = Diff { schema, out };
    diff.value(
        "request_example",
        ours.and_then(|e| e.request_body.as_ref()),
        page.request_example.as_ref(),
        Pos::Fields(&body.fields),
    );
    diff.value(
        "response_example",
        ours.and_then(|e| e.response.as_ref()),
        page.response_example.as_ref(),
        Pos::Envelope(&schema.response.fields),
    );
}

/// Where in the schema a part of an example is.
#[derive(Clone, Copy)]
enum Pos<'a> {
    /// The members of an object with these fields.
    Fields(&'a [FieldSpec]),
    /// A value of this schema type.
    Type(&'a str),
    /// The response envelope, whose `data` has these fields.
    Envelope(&'a [FieldSpec]),
    /// Nothing the schema describes.
    Unknown,
}

struct Diff<'a, 'r> {
    schema: &'a EndpointSpec,
    out: &'r mut Report,
}

impl<'a> Diff<'a, '_> {
    fn value(&mut self, at: &str, ours: Option<&Value>, theirs: Option<&Value>, pos: Pos<'a>) {
        match (ours, theirs) {
            (Some(Value::Object(a)), Some(Value::Object(b))) => {
                for (key, value) in b {
                    let at = format!("{at}.{key}");
                    self.value(&at, a.get(key), Some(value), self.member(pos, key));
                }
                for key in a.keys().filter(|k| !b.contains_key(*k)) {
                    self.out
                        .push(Class::Example, format!("{at}.{key}: removed"));
                }
            }
            (Some(Value::Array(a)), Some(Value::Array(b))) => {
                for i in 0..a.len().max(b.len()) {
                    let at = format!("{at}[{i}]");
                    self.value(&at, a.get(i), b.get(i), self.item(pos));
                }
            }
            (a, b) if a == b => {}
            (_, None) => self.out.push(Class::Example, format!("{at}: removed")),
            (a, Some(b)) => {
                let change = match a {
                    None => format!("added {}", show(b)),
                    Some(a) => format!("{} -> {}", show(a), show(b)),
                };
                self.out.push(Class::Example, format!("{at}: {change}"));
                self.unlisted(at, b, pos);
            }
        }
    }

    /// Reports each string in `value` that an enum field does not list.
    fn unlisted(&mut self, at: &str, value: &Value, pos: Pos<'a>) {
        match value {
            Value::Object(members) => {
                for (key, value) in members {
                    self.unlisted(&format!("{at}.{key}"), value, self.member(pos, key));
                }
            }
            Value::Array(items) => {
                for (i, value) in items.iter().enumerate() {
                    self.unlisted(&format!("{at}[{i}]"), value, self.item(pos));
                }
            }
            Value::String(s) => {
                let Pos::Type(ty) = pos else { return };
                let Some(TypeSpec::Enum(e)) = self.schema.types.get(ty) else {
                    return;
                };
                let known = e.values.iter().any(|v| v.value == *s)
                    || e.aliases.iter().any(|a| a.wire == *s);
                if !known {
                    self.out.shape(format!(
                        "{at}: the example writes {value}, which `{ty}` does not list"
                    ));
                }
            }
            _ => {}
        }
    }

    fn member(&self, pos: Pos<'a>, key: &str) -> Pos<'a> {
        let fields = match pos {
            Pos::Envelope(fields) if key == "data" => return Pos::Fields(fields),
            Pos::Fields(fields) => fields,
            Pos::Type(ty) => match self.schema.types.get(ty) {
                Some(TypeSpec::Object(o)) => &o.fields,
                _ => return Pos::Unknown,
            },
            _ => return Pos::Unknown,
        };
        fields
            .iter()
            .find(|f| f.name == key)
            .map_or(Pos::Unknown, |f| Pos::Type(&f.ty))
    }

    fn item(&self, pos: Pos<'a>) -> Pos<'a> {
        match pos {
            Pos::Type(ty) => ty.strip_suffix("[]").map_or(Pos::Unknown, Pos::Type),
            _ => Pos::Unknown,
        }
    }
}

/// A value as JSON, cut short: a whole added object can be long.
fn show(value: &Value) -> String {
    const LONGEST: usize = 80;
    let text = value.to_string();
    if text.chars().count() <= LONGEST {
        return text;
    }
    let head: String = text.chars().take(LONGEST).collect();
    format!("{head}…")
}
