//! `cargo xtask openapi [--check]`: every schema as one OpenAPI 3.1 document,
//! `openapi.json` at the workspace root, built from the resolved IR so it
//! says what the generated client does.
//!
//! Mapping:
//! - named types, bodies and response data go under `components/schemas`,
//!   named `<endpoint id>.<Rust name>` (e.g. `im.v1.chat.create.ChatType`)
//!   so two endpoints' types never collide;
//! - enums are open (the server adds values before the docs do), so an enum
//!   is `anyOf` the documented values and any string; `x-enum-descriptions`
//!   and `x-aliases` carry what JSON Schema cannot;
//! - a success is the `{code, msg, data}` envelope with the endpoint's data;
//!   documented errors are one `400` response (Feishu answers `{code, msg}`)
//!   listing its codes in `x-feishu-error-codes`;
//! - tokens are bearer security schemes; quota, scopes and app types are
//!   `x-ratelimit`, `x-feishu-scopes` and `x-feishu-app-types`.

use serde_json::{Map, Value, json};

use crate::ir::{self, AccessToken, Api, AppType, Endpoint, Field, NamedType, Scalar, Type};

/// Where the document is written, relative to the workspace root.
pub const OPENAPI_PATH: &str = "openapi.json";

/// The document as pretty JSON with a final newline; same input, same bytes.
pub fn render(api: &Api) -> String {
    crate::render::json(document(api), "x-generated", "schema/**/*.json")
}

/// Component names for the types one file can name: its own under its
/// id, shared ones under the shared module's.
struct Names<'a> {
    id: String,
    shared: Option<&'a ir::SharedUse>,
}

impl Names<'_> {
    fn component(&self, rust: &str) -> String {
        match self.shared {
            Some(shared) if shared.names.iter().any(|n| n == rust) => {
                format!("{}.{rust}", shared.module_path.join("."))
            }
            _ => format!("{}.{rust}", self.id),
        }
    }
}

/// The OpenAPI 3.1 document for `endpoints`.
pub fn document(api: &Api) -> Value {
    let endpoints = &api.endpoints;
    let mut paths = Map::new();
    let mut schemas = Map::new();
    let mut responses = Map::new();
    schemas.insert(
        "FeishuError".into(),
        json!({
            "type": "object",
            "description": "What Feishu answers when a call fails: a non-zero `code` and its `msg`.",
            "required": ["code", "msg"],
            "properties": {
                "code": { "type": "integer", "description": "错误码，非 0 表示失败" },
                "msg": { "type": "string", "description": "错误描述" }
            }
        }),
    );
    for shared in &api.shared {
        let names = Names {
            id: shared.module_path.join("."),
            shared: None,
        };
        named_types(&names, &shared.types, &mut schemas);
    }
    let mut sorted: Vec<&Endpoint> = endpoints.iter().collect();
    sorted.sort_by_key(|e| e.id());
    for e in sorted {
        let id = e.id();
        let names = Names {
            id: id.clone(),
            shared: e.shared.as_ref(),
        };
        let name = |rust: &str| names.component(rust);
        named_types(&names, &e.types, &mut schemas);
        if let Some(body) = &e.body {
            schemas.insert(name(&body.rust_name), object(&names, body));
        }
        schemas.insert(name(&e.response.rust_name), object(&names, &e.response));
        let codes: Vec<Value> = e
            .errors
            .cases
            .iter()
            .map(|c| {
                json!({
                    "code": c.code,
                    "http_status": c.http_status,
                    "name": c.name,
                    "message": c.message,
                    "advice": c.advice,
                    "rate_limited": c.rate_limited,
                })
            })
            .collect();
        let error_name = name(&e.errors.rust_name);
        let mut statuses: Vec<u16> = e.errors.cases.iter().map(|c| c.http_status).collect();
        statuses.sort_unstable();
        statuses.dedup();
        responses.insert(
            error_name.clone(),
            json!({
                "description": "A documented error: the body's `code` is one of `x-feishu-error-codes`.",
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/FeishuError" } } },
                "x-feishu-error-codes": codes,
            }),
        );

        let mut operation = Map::new();
        operation.insert("operationId".into(), json!(id));
        operation.insert("summary".into(), json!(e.source.title));
        let mut description = e.summary.clone();
        for note in &e.notes {
            description.push_str("\n\n- ");
            description.push_str(note);
        }
        operation.insert("description".into(), json!(description));
        operation.insert("tags".into(), json!([e.module_path[0]]));
        operation.insert(
            "externalDocs".into(),
            json!({ "url": e.source.url, "description": format!("last updated {}", e.source.last_remote_update) }),
        );
        let mut parameters: Vec<Value> = e
            .path_params
            .iter()
            .map(|f| parameter(&names, f, "path"))
            .collect();
        if let Some(query) = &e.query {
            parameters.extend(query.fields.iter().map(|f| parameter(&names, f, "query")));
        }
        if !parameters.is_empty() {
            operation.insert("parameters".into(), json!(parameters));
        }
        if let Some(body) = &e.body {
            operation.insert(
                "requestBody".into(),
                json!({
                    "required": true,
                    "content": { "application/json": { "schema": reference(&name(&body.rust_name)) } }
                }),
            );
        }
        let mut answers = Map::new();
        answers.insert(
            "200".into(),
            json!({
                "description": "Success: `code` is 0 and `data` holds the result.",
                "content": { "application/json": { "schema": {
                    "type": "object",
                    "required": ["code", "msg", "data"],
                    "properties": {
                        "code": { "const": 0 },
                        "msg": { "type": "string" },
                        "data": reference(&name(&e.response.rust_name))
                    }
                } } }
            }),
        );
        for status in statuses {
            answers.insert(
                status.to_string(),
                json!({ "$ref": format!("#/components/responses/{error_name}") }),
            );
        }
        operation.insert("responses".into(), Value::Object(answers));
        let security: Vec<Value> = e
            .access_tokens
            .iter()
            .map(|t| json!({ token_scheme(*t): [] }))
            .collect();
        operation.insert("security".into(), json!(security));
        if let Some(limit) = e.rate_limit {
            let mut l = Map::new();
            if let Some(m) = limit.per_minute {
                l.insert("per_minute".into(), json!(m));
            }
            if let Some(s) = limit.per_second {
                l.insert("per_second".into(), json!(s));
            }
            operation.insert("x-ratelimit".into(), Value::Object(l));
        }
        let scopes: Vec<Value> = e
            .scopes
            .iter()
            .map(|s| json!({ "name": s.name, "description": s.description }))
            .collect();
        operation.insert("x-feishu-scopes".into(), json!(scopes));
        if !e.field_scopes.is_empty() {
            let scopes: Vec<Value> = e
                .field_scopes
                .iter()
                .map(|s| {
                    let mut scope = json!({ "name": s.name, "description": s.description });
                    if let Some(when) = &s.when {
                        scope["when"] = json!(when);
                    }
                    scope
                })
                .collect();
            operation.insert("x-feishu-field-scopes".into(), json!(scopes));
        }
        let app_types: Vec<&str> = e
            .app_types
            .iter()
            .map(|a| match a {
                AppType::SelfBuilt => "self_built",
                AppType::Store => "store",
            })
            .collect();
        operation.insert("x-feishu-app-types".into(), json!(app_types));
        operation.insert("x-feishu-error-codes".into(), json!(codes));
        if let Some(key) = &e.idempotency_key {
            operation.insert("x-feishu-idempotency-key".into(), json!(key));
        }
        let path = openapi_path(&e.path);
        let item = paths
            .entry(path)
            .or_insert_with(|| Value::Object(Map::new()));
        item[e.method.as_str().to_lowercase()] = Value::Object(operation);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Feishu Open API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The endpoints described under schema/ in feishu-openapi, from Feishu's documentation pages."
        },
        "servers": [
            { "url": "https://open.feishu.cn", "description": "Feishu" },
            { "url": "https://open.larksuite.com", "description": "Lark" }
        ],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": responses,
            "securitySchemes": {
                "tenant_access_token": { "type": "http", "scheme": "bearer", "description": "`Authorization: Bearer <tenant_access_token>`" },
                "user_access_token": { "type": "http", "scheme": "bearer", "description": "`Authorization: Bearer <user_access_token>`" },
                "app_access_token": { "type": "http", "scheme": "bearer", "description": "`Authorization: Bearer <app_access_token>`" }
            }
        }
    })
}

fn token_scheme(token: AccessToken) -> &'static str {
    token.wire_name()
}

fn named_types(names: &Names, types: &[NamedType], schemas: &mut Map<String, Value>) {
    for ty in types {
        let (rust, schema) = match ty {
            NamedType::Object(o) => (&o.rust_name, object(names, o)),
            NamedType::Enum(en) => (&en.rust_name, enumeration(en)),
        };
        schemas.insert(names.component(rust), schema);
    }
}

/// `/chats/:chat_id` is `/chats/{chat_id}`.
fn openapi_path(path: &str) -> String {
    path.split('/')
        .map(|s| match s.strip_prefix(':') {
            Some(name) => format!("{{{name}}}"),
            None => s.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn reference(component: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{component}") })
}

fn parameter(names: &Names, f: &Field, location: &str) -> Value {
    let mut p = json!({
        "name": f.wire_name,
        "in": location,
        "required": f.required || location == "path",
        "description": f.description,
        "schema": field_schema(names, f),
    });
    if let Some(example) = &f.example {
        p["example"] = example.clone();
    }
    p
}

fn object(names: &Names, o: &ir::Object) -> Value {
    let mut properties = Map::new();
    for f in &o.fields {
        properties.insert(f.wire_name.clone(), field_schema(names, f));
    }
    let required: Vec<&str> = o
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.wire_name.as_str())
        .collect();
    let mut schema = json!({ "type": "object", "properties": properties });
    if !o.description.is_empty() {
        schema["description"] = json!(o.description);
    }
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    if !o.rules.is_empty() {
        let rules: Vec<&str> = o.rules.iter().map(|r| r.description.as_str()).collect();
        schema["x-feishu-rules"] = json!(rules);
    }
    schema
}

fn enumeration(e: &ir::Enum) -> Value {
    let values: Vec<&str> = e.variants.iter().map(|v| v.wire.as_str()).collect();
    let descriptions: Map<String, Value> = e
        .variants
        .iter()
        .map(|v| (v.wire.clone(), json!(v.description)))
        .collect();
    let mut schema = json!({
        "description": e.description,
        "anyOf": [
            { "type": "string", "enum": values },
            { "type": "string", "description": "a value the documentation does not list yet" }
        ],
        "x-enum-descriptions": descriptions,
    });
    if !e.aliases.is_empty() {
        let aliases: Vec<Value> = e
            .aliases
            .iter()
            .map(|a| json!({ "wire": a.wire, "means": a.variant, "reason": a.reason }))
            .collect();
        schema["x-aliases"] = json!(aliases);
    }
    schema
}

fn type_schema(names: &Names, ty: &Type) -> Value {
    match ty {
        Type::String => json!({ "type": "string" }),
        Type::Boolean => json!({ "type": "boolean" }),
        Type::Integer => json!({ "type": "integer", "format": "int64" }),
        Type::Number => json!({ "type": "number" }),
        Type::Enum(name) | Type::Object(name) => reference(&names.component(name)),
        Type::Array(item) => json!({ "type": "array", "items": type_schema(names, item) }),
    }
}

fn field_schema(names: &Names, f: &Field) -> Value {
    let mut schema = type_schema(names, &f.ty);
    let set = |schema: &mut Value, key: &str, value: Option<usize>| {
        if let Some(v) = value {
            schema[key] = json!(v);
        }
    };
    set(&mut schema, "maxLength", f.limits.max_length);
    set(&mut schema, "minLength", f.limits.min_length);
    set(&mut schema, "maxItems", f.limits.max_items);
    set(&mut schema, "minItems", f.limits.min_items);
    set(
        &mut schema,
        "x-recommended-max-length",
        f.recommended_max_length,
    );
    if !f.description.is_empty() {
        schema["description"] = json!(f.description);
    }
    if let Some(default) = &f.default {
        schema["default"] = scalar(default);
    }
    if let Some(example) = &f.example {
        schema["examples"] = json!([example]);
    }
    if !f.value_descriptions.is_empty() {
        let map: Map<String, Value> = f
            .value_descriptions
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        schema["x-enum-descriptions"] = Value::Object(map);
    }
    schema
}

fn scalar(value: &Scalar) -> Value {
    match value {
        Scalar::Bool(b) => json!(b),
        Scalar::Str(s) => json!(s),
        Scalar::Int(i) => json!(i),
        Scalar::Number(n) => json!(n),
    }
}
