//! JSON Schemas under `components/schemas`: objects, open enums, and the
//! schema of each field.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::json;

use super::ordered::Ordered;
use super::{Names, Reference};
use crate::ir::{self, Field, NamedType, Scalar, Type};

/// A schema under `components/schemas`.
pub enum Schema<'a> {
    /// What Feishu answers when a call fails.
    FeishuError,
    Object(&'a Names<'a>, &'a ir::Object),
    Enum(&'a ir::Enum),
    /// What every event delivery in the envelope carries besides `event`.
    EventEnvelope(ir::Envelope),
}

/// Adds the schemas of `types`, named as `names` says.
pub fn named_types<'a>(
    names: &'a Names<'a>,
    types: &'a [NamedType],
    schemas: &mut Ordered<String, Schema<'a>>,
) {
    for ty in types {
        let (rust, schema) = match ty {
            NamedType::Object(o) => (&o.rust_name, Schema::Object(names, o)),
            NamedType::Enum(e) => (&e.rust_name, Schema::Enum(e)),
        };
        schemas.insert(names.component(rust), schema);
    }
}

impl Serialize for Schema<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Schema::FeishuError => json!({
                "type": "object",
                "description": "What Feishu answers when a call fails: a non-zero `code` and its `msg`.",
                "required": ["code", "msg"],
                "properties": {
                    "code": { "type": "integer", "description": "错误码，非 0 表示失败" },
                    "msg": { "type": "string", "description": "错误描述" }
                }
            })
            .serialize(serializer),
            Schema::Object(names, o) => object(serializer, names, o),
            Schema::Enum(e) => enumeration(serializer, e),
            Schema::EventEnvelope(envelope) => super::webhook::envelope_schema(serializer, envelope),
        }
    }
}

fn object<S: Serializer>(serializer: S, names: &Names, o: &ir::Object) -> Result<S::Ok, S::Error> {
    struct Properties<'a>(&'a Names<'a>, &'a [Field]);
    impl Serialize for Properties<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let Properties(names, fields) = *self;
            serializer.collect_map(
                fields
                    .iter()
                    .map(|field| (&field.wire_name, FieldSchema { names, field })),
            )
        }
    }
    let mut map = serializer.serialize_map(None)?;
    map.serialize_entry("type", "object")?;
    map.serialize_entry("properties", &Properties(names, &o.fields))?;
    if !o.description.is_empty() {
        map.serialize_entry("description", &o.description)?;
    }
    let required: Vec<&str> = o
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.wire_name.as_str())
        .collect();
    if !required.is_empty() {
        map.serialize_entry("required", &required)?;
    }
    if !o.rules.is_empty() {
        let rules: Vec<&str> = o.rules.iter().map(|r| r.description.as_str()).collect();
        map.serialize_entry("x-feishu-rules", &rules)?;
    }
    map.end()
}

fn enumeration<S: Serializer>(serializer: S, e: &ir::Enum) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Documented<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        #[serde(rename = "enum")]
        values: Vec<WireView<'a>>,
    }
    /// A value as it is on the wire: a string, or an integer enum's integer.
    #[derive(Serialize)]
    #[serde(untagged)]
    enum WireView<'a> {
        Str(&'a str),
        Int(i64),
    }
    #[derive(Serialize)]
    struct Other {
        #[serde(rename = "type")]
        kind: &'static str,
        description: &'static str,
    }
    #[derive(Serialize)]
    struct Alias<'a> {
        wire: &'a str,
        means: &'a str,
        reason: &'a str,
    }
    let kind = if e.integer { "integer" } else { "string" };
    let mut map = serializer.serialize_map(None)?;
    map.serialize_entry("description", &e.description)?;
    map.serialize_entry(
        "anyOf",
        &(
            Documented {
                kind,
                values: e
                    .variants
                    .iter()
                    .map(|v| match v.number {
                        Some(n) => WireView::Int(n),
                        None => WireView::Str(&v.wire),
                    })
                    .collect(),
            },
            Other {
                kind,
                description: "a value the documentation does not list yet",
            },
        ),
    )?;
    let descriptions: Vec<(&str, &str)> = e
        .variants
        .iter()
        .map(|v| (v.wire.as_str(), v.description.as_str()))
        .collect();
    map.serialize_entry("x-enum-descriptions", &Pairs(&descriptions))?;
    if !e.aliases.is_empty() {
        let aliases: Vec<Alias> = e
            .aliases
            .iter()
            .map(|a| Alias {
                wire: &a.wire,
                means: &a.variant,
                reason: &a.reason,
            })
            .collect();
        map.serialize_entry("x-aliases", &aliases)?;
    }
    map.end()
}

/// Key-value pairs as an object; the checker has made the keys unique.
struct Pairs<'a, V>(&'a [(&'a str, V)]);

impl<V: Serialize> Serialize for Pairs<'_, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// A field's schema: its type's, then its limits, description, default,
/// example and value wording.
pub struct FieldSchema<'a> {
    pub names: &'a Names<'a>,
    pub field: &'a Field,
}

impl Serialize for FieldSchema<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let f = self.field;
        let mut map = serializer.serialize_map(None)?;
        type_entries(&mut map, self.names, &f.ty)?;
        let limits = [
            ("maxLength", f.limits.max_length),
            ("minLength", f.limits.min_length),
            ("maxItems", f.limits.max_items),
            ("minItems", f.limits.min_items),
            ("x-recommended-max-length", f.recommended_max_length),
        ];
        for (key, value) in limits {
            if let Some(value) = value {
                map.serialize_entry(key, &value)?;
            }
        }
        for (key, value) in [("minimum", f.limits.minimum), ("maximum", f.limits.maximum)] {
            if let Some(value) = value {
                map.serialize_entry(key, &value)?;
            }
        }
        // A file's size: no JSON Schema keyword bounds a part's bytes.
        for (key, value) in [
            ("x-min-bytes", f.limits.min_bytes),
            ("x-max-bytes", f.limits.max_bytes),
        ] {
            if let Some(value) = value {
                map.serialize_entry(key, &value)?;
            }
        }
        if let Some(pattern) = &f.limits.pattern {
            map.serialize_entry("pattern", pattern)?;
        }
        if !f.description.is_empty() {
            map.serialize_entry("description", &f.description)?;
        }
        if let Some(default) = &f.default {
            map.serialize_entry("default", &ScalarView(default))?;
        }
        if let Some(example) = &f.example {
            map.serialize_entry("examples", &[example])?;
        }
        if !f.value_descriptions.is_empty() {
            let pairs: Vec<(&str, &str)> = f
                .value_descriptions
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            map.serialize_entry("x-enum-descriptions", &Pairs(&pairs))?;
        }
        map.end()
    }
}

/// The entries of a type's schema, into an object being written.
fn type_entries<M: SerializeMap>(map: &mut M, names: &Names, ty: &Type) -> Result<(), M::Error> {
    match ty {
        Type::String => map.serialize_entry("type", "string"),
        Type::Boolean => map.serialize_entry("type", "boolean"),
        Type::Integer => {
            map.serialize_entry("type", "integer")?;
            map.serialize_entry("format", "int64")
        }
        Type::Number => map.serialize_entry("type", "number"),
        Type::Enum(name) | Type::IntEnum(name) | Type::Object(name) => {
            map.serialize_entry("$ref", &Reference::schema(&names.component(name)).target)
        }
        Type::Array(item) => {
            map.serialize_entry("type", "array")?;
            map.serialize_entry("items", &TypeSchema { names, ty: item })
        }
        Type::Map(value) => {
            map.serialize_entry("type", "object")?;
            map.serialize_entry("additionalProperties", &TypeSchema { names, ty: value })
        }
        // No entries: the empty schema, which any JSON value matches.
        Type::Json => Ok(()),
        // A part of a multipart body: any bytes.
        Type::File => {
            map.serialize_entry("type", "string")?;
            map.serialize_entry("contentMediaType", "application/octet-stream")
        }
    }
}

struct TypeSchema<'a> {
    names: &'a Names<'a>,
    ty: &'a Type,
}

impl Serialize for TypeSchema<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        type_entries(&mut map, self.names, self.ty)?;
        map.end()
    }
}

struct ScalarView<'a>(&'a Scalar);

impl Serialize for ScalarView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Scalar::Bool(b) => b.serialize(serializer),
            Scalar::Str(s) => s.serialize(serializer),
            Scalar::Int(i) => i.serialize(serializer),
            Scalar::Number(n) => n.serialize(serializer),
        }
    }
}
