//! The values a page writes down (defaults, 示例值, the request and
//! response examples) against the draft's types, as `cargo xtask codegen`
//! checks them: a value that does not fit is left out of the draft, never
//! silently: each one is an open decision naming it and what the page
//! wrote, so the draft stays one codegen accepts.

use std::collections::BTreeMap;

use feishu_codegen::spec::{EndpointSpec, EnumRepr, EventSpec, FieldSpec, TypeSpec};
use serde_json::{Map, Value};

/// The draft's own types, then the version's shared ones.
struct Types<'a> {
    own: &'a BTreeMap<String, TypeSpec>,
    shared: &'a BTreeMap<String, TypeSpec>,
}

impl Types<'_> {
    fn get(&self, name: &str) -> Option<&TypeSpec> {
        self.own.get(name).or_else(|| self.shared.get(name))
    }
}

/// The path parameters as the address names them, in its order: one the
/// page does not describe as such is added, a required string described
/// as the page's body field of its name if it has one; one the page types
/// otherwise is a string, since an address segment is text. Returns an open
/// decision per parameter so made.
fn path_params(spec: &mut EndpointSpec) -> Vec<String> {
    let mut open = Vec::new();
    let named: Vec<String> = spec
        .path
        .split('/')
        .filter_map(|s| s.strip_prefix(':'))
        .map(str::to_owned)
        .collect();
    for (i, name) in named.iter().enumerate() {
        if spec.path_params.iter().any(|p| &p.name == name) {
            continue;
        }
        let body = spec
            .body
            .as_ref()
            .and_then(|b| b.fields.iter().find(|f| &f.name == name));
        let description = body.map_or("", |f| f.description.as_str());
        let param: FieldSpec = serde_json::from_value(serde_json::json!({
            "name": name, "type": "string", "required": true, "description": description,
        }))
        .expect("a plain field");
        let at = i.min(spec.path_params.len());
        spec.path_params.insert(at, param);
        open.push(format!(
            "path_params: the address names `:{name}`, which the page does not describe as a path parameter: added as a required string{}; describe it",
            if body.is_some() { ", in the words of the body field of its name" } else { "" }
        ));
    }
    for (i, p) in spec.path_params.iter_mut().enumerate() {
        if p.ty == "string" {
            continue;
        }
        open.push(format!(
            "path_params[{i}]: the page types `{}` as `{}`, but an address segment is text: typed as a string; confirm",
            p.name, p.ty
        ));
        p.ty = "string".into();
        p.minimum = None;
        p.maximum = None;
        for value in [&mut p.example, &mut p.default].into_iter().flatten() {
            if !value.is_string() {
                *value = Value::String(value.to_string());
            }
        }
    }
    open
}

/// Leaves out of `spec` every value its types do not hold; returns one
/// open decision per value left out.
pub(super) fn endpoint(
    spec: &mut EndpointSpec,
    shared: &BTreeMap<String, TypeSpec>,
) -> Vec<String> {
    let mut open = path_params(spec);
    let own = spec.types.clone();
    let types = Types { own: &own, shared };
    let mut objects: Vec<(String, &mut Vec<FieldSpec>)> =
        vec![("path".into(), &mut spec.path_params)];
    if let Some(query) = spec.query.as_mut() {
        objects.push(("query".into(), &mut query.fields));
    }
    if let Some(body) = spec.body.as_mut() {
        objects.push(("body".into(), &mut body.fields));
    }
    objects.push(("response".into(), &mut spec.response.fields));
    for (name, t) in spec.types.iter_mut() {
        if let TypeSpec::Object(o) = t {
            objects.push((format!("types.{name}"), &mut o.fields));
        }
    }
    for (at, fields) in objects {
        field_values(&types, &at, fields, &mut open);
    }
    if let Some(examples) = spec.examples.as_mut() {
        if let Some(example) = examples.request_body.as_mut() {
            match &spec.body {
                Some(body) => {
                    let at = "examples.request_body";
                    fit_object(&types, at, example, &body.fields, &mut open);
                }
                None => {
                    open.push(
                        "examples.request_body: the page gives a request body example but no body fields: kept in `notes`; describe the body".into(),
                    );
                    spec.notes
                        .push(format!("请求体示例：`{}`", compact(example)));
                    examples.request_body = None;
                }
            }
        }
        if let Some(example) = examples.response.as_mut() {
            // The client reads `code` as an integer before anything else
            // (`"code": "0"` on a search page).
            if !example.get("code").is_some_and(Value::is_i64) {
                open.push(
                    "examples.response: the page's response example has no integer `code`: kept in `notes`; write the code as a number".into(),
                );
                spec.notes
                    .push(format!("响应体示例：`{}`", compact(example)));
                examples.response = None;
            }
        }
        if let Some(example) = examples.response.as_mut() {
            match example.get_mut("data") {
                Some(data @ Value::Object(_)) => {
                    let at = "examples.response.data";
                    fit_object(&types, at, data, &spec.response.fields, &mut open);
                }
                _ => {
                    open.push(
                        "examples.response: the page's response example has no `data` object: kept in `notes`; say what `data` is".into(),
                    );
                    spec.notes
                        .push(format!("响应体示例：`{}`", compact(example)));
                    examples.response = None;
                }
            }
        }
        if examples.request_body.is_none() && examples.response.is_none() {
            spec.examples = None;
        }
    }
    open
}

/// As [`endpoint`], for an event: its fields, its types and the `event`
/// object of its example delivery.
pub(super) fn event(spec: &mut EventSpec, shared: &BTreeMap<String, TypeSpec>) -> Vec<String> {
    let mut open = Vec::new();
    let own = spec.types.clone();
    let types = Types { own: &own, shared };
    field_values(&types, "event", &mut spec.event.fields, &mut open);
    for (name, t) in spec.types.iter_mut() {
        if let TypeSpec::Object(o) = t {
            field_values(&types, &format!("types.{name}"), &mut o.fields, &mut open);
        }
    }
    if let Some(event) = spec.example.as_mut().and_then(|e| e.get_mut("event"))
        && event.is_object()
    {
        fit_object(
            &types,
            "example.event",
            event,
            &spec.event.fields,
            &mut open,
        );
    }
    open
}

/// Each field's default and example against the field's type.
fn field_values(types: &Types, at: &str, fields: &mut [FieldSpec], open: &mut Vec<String>) {
    for f in fields {
        let path = format!("{at}.{}", f.name);
        // A table cell is text: `10`, `true` or `{"zh_cn": ..}` written in
        // one is the typed value the page means, when it reads as one.
        for value in [&mut f.default, &mut f.example].into_iter().flatten() {
            if let Some(typed) = typed_text(types, &f.ty, value) {
                *value = typed;
            }
        }
        if let Some(default) = &f.default
            && let Some(why) = misfit_scalar(types, &f.ty, default)
        {
            open.push(format!(
                "{path}.default: the page gives {}, {why}: left out; say what the default is",
                compact(default)
            ));
            f.default = None;
        }
        if let Some(example) = f.example.as_mut() {
            let mut inner = Vec::new();
            if fit(
                types,
                &format!("{path}.example"),
                example,
                &f.ty,
                &mut inner,
            ) {
                open.extend(inner);
            } else {
                open.push(format!(
                    "{path}.example: the page gives {}, {}: left out; fix the example or the type",
                    compact(example),
                    why_not(types, &f.ty, example)
                ));
                f.example = None;
            }
        }
    }
}

/// The value the text `value` spells, when it is text, `ty` is not, and
/// the text reads as JSON that fits `ty` whole.
fn typed_text(types: &Types, ty: &str, value: &Value) -> Option<Value> {
    let Value::String(text) = value else {
        return None;
    };
    let object = matches!(types.get(ty), Some(TypeSpec::Object(_)));
    if !object && !ty.ends_with("[]") && misfit(types, ty, value, true).is_none() {
        return None;
    }
    let mut typed: Value = serde_json::from_str(text.trim()).ok()?;
    let mut inner = Vec::new();
    (!typed.is_string() && fit(types, "", &mut typed, ty, &mut inner) && inner.is_empty())
        .then_some(typed)
}

/// Fits `value` to the schema type `ty` in place, leaving out what does
/// not fit inside it; false when the value itself does not fit.
fn fit(types: &Types, path: &str, value: &mut Value, ty: &str, open: &mut Vec<String>) -> bool {
    if let Some(item) = ty.strip_suffix("[]") {
        let Value::Array(items) = value else {
            return false;
        };
        let mut i = 0;
        items.retain_mut(|v| {
            let at = format!("{path}[{i}]");
            i += 1;
            let fits = fit(types, &at, v, item, open);
            if !fits {
                open.push(misfit_line(types, &at, v, item));
            }
            fits
        });
        return true;
    }
    if let Some(item) = map_value(ty) {
        let Value::Object(entries) = value else {
            return false;
        };
        // Each entry is a value of `item`; one that does not fit is left
        // out, the others keep their order.
        let mut kept = Map::new();
        for (key, mut v) in std::mem::take(entries) {
            let at = format!("{path}.{key}");
            if fit(types, &at, &mut v, item, open) {
                kept.insert(key, v);
            } else {
                open.push(misfit_line(types, &at, &v, item));
            }
        }
        *entries = kept;
        return true;
    }
    match (types.get(ty), &mut *value) {
        (Some(TypeSpec::Object(o)), Value::Object(_)) => {
            fit_object(types, path, value, &o.fields, open);
            true
        }
        (Some(TypeSpec::Object(_)), _) => false,
        _ => misfit(types, ty, value, true).is_none(),
    }
}

/// `T` of `map<string, T>`.
fn map_value(ty: &str) -> Option<&str> {
    let args = ty.strip_prefix("map<")?.strip_suffix('>')?;
    let (key, value) = args.split_once(',')?;
    (key.trim() == "string").then(|| value.trim())
}

/// Fits an example object to `fields`: a key no field describes and a
/// value that does not fit its field are left out, each with a line.
fn fit_object(
    types: &Types,
    path: &str,
    value: &mut Value,
    fields: &[FieldSpec],
    open: &mut Vec<String>,
) {
    let Value::Object(map) = value else {
        return;
    };
    let keys: Vec<String> = map.keys().cloned().collect();
    let mut kept = Map::new();
    for key in keys {
        let mut v = map.remove(&key).unwrap_or(Value::Null);
        let at = format!("{path}.{key}");
        match fields.iter().find(|f| f.name == key) {
            None => open.push(format!(
                "{at}: the example has `{key}`, which no field of the page describes: left out of the example: {}; describe the field, or confirm the example is wrong",
                compact(&v)
            )),
            Some(f) => {
                if fit(types, &at, &mut v, &f.ty, open) {
                    kept.insert(key, v);
                } else {
                    open.push(misfit_line(types, &at, &v, &f.ty));
                }
            }
        }
    }
    *map = kept;
}

/// Why an example value does not fit `ty`, which [`fit`] found.
fn why_not(types: &Types, ty: &str, value: &Value) -> String {
    misfit(types, ty, value, true).unwrap_or_else(|| match ty.strip_suffix("[]") {
        Some(item) => format!("which is not a list of `{item}`"),
        None => format!("which is not a `{ty}` object"),
    })
}

fn misfit_line(types: &Types, at: &str, value: &Value, ty: &str) -> String {
    let why = why_not(types, ty, value);
    format!(
        "{at}: the example writes {}, {why}: left out of the example; fix the example or the type",
        compact(value)
    )
}

/// Why a default does not fit `ty` (codegen takes no alias, array or
/// object as a default), or `None` when it fits.
fn misfit_scalar(types: &Types, ty: &str, value: &Value) -> Option<String> {
    if ty.ends_with("[]") || matches!(types.get(ty), Some(TypeSpec::Object(_))) {
        return Some(format!("which cannot be the default of a {ty} field"));
    }
    misfit(types, ty, value, false)
}

/// Why the scalar `value` does not fit `ty`, or `None` when it fits;
/// `aliases` when an enum's aliases count (in examples, not defaults).
fn misfit(types: &Types, ty: &str, value: &Value, aliases: bool) -> Option<String> {
    let fits = match (ty, value) {
        ("boolean", Value::Bool(_)) | ("string", Value::String(_)) => true,
        ("integer", Value::Number(n)) => n.as_i64().is_some(),
        ("number", Value::Number(n)) => n.as_f64().is_some(),
        ("boolean" | "string" | "integer" | "number", _) => false,
        _ => match types.get(ty) {
            Some(TypeSpec::Enum(e)) => {
                let wire = match (e.repr, value) {
                    (EnumRepr::String, Value::String(s)) => s.clone(),
                    (EnumRepr::Integer, Value::Number(n)) => n.to_string(),
                    _ => return Some(format!("which is not a value of `{ty}`")),
                };
                let listed = e.values.iter().any(|v| v.value == wire)
                    || (aliases && e.aliases.iter().any(|a| a.wire == wire));
                if listed {
                    return None;
                }
                return Some(format!(
                    "which `{ty}` does not list (add a value or an alias to `{ty}`)"
                ));
            }
            // An object is fitted field by field; an unknown name is
            // codegen's to report where the field names it.
            _ => true,
        },
    };
    (!fits).then(|| format!("which is not {}", a_type(ty)))
}

fn a_type(ty: &str) -> String {
    match ty {
        "integer" => "an integer".into(),
        other => format!("a {other}"),
    }
}

/// A value on one line, whole: the line is all that keeps it.
fn compact(value: &Value) -> String {
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A draft whose response has a `map<string, string>` and a map of an
    /// integer enum, with an example that breaks both.
    fn draft() -> EndpointSpec {
        let spec = json!({
            "source": {"title": "t", "url": "https://x/y", "last_remote_update": "2025-01-01"},
            "summary": "s",
            "method": "GET",
            "path": "/open-apis/x/v1/ys",
            "access_tokens": ["tenant"],
            "response": {"fields": [
                {"name": "detail", "type": "map<string, string>", "description": "d"},
                {"name": "errors", "type": "map<string, FieldErrors>", "description": "e"}
            ]},
            "types": {"FieldErrors": {"kind": "enum", "description": "f", "repr": "integer", "values": [
                {"value": "1000", "rust_name": "Invalid", "description": "i"}
            ]}},
            "errors": [],
            "examples": {"response": {"code": 0, "data": {
                "detail": {"language_code": 2052, "text": "t"},
                "errors": {"name": "1000", "mobile": 1000, "id": 1001}
            }}}
        });
        feishu_codegen::parse_endpoint("x.json", &spec.to_string()).unwrap()
    }

    #[test]
    fn a_map_entry_that_does_not_fit_the_map_s_values_is_left_out() {
        let mut spec = draft();
        let open = endpoint(&mut spec, &BTreeMap::new());
        assert_eq!(
            open,
            [
                "examples.response.data.detail.language_code: the example writes 2052, which is not a string: left out of the example; fix the example or the type",
                "examples.response.data.errors.name: the example writes \"1000\", which is not a value of `FieldErrors`: left out of the example; fix the example or the type",
                "examples.response.data.errors.id: the example writes 1001, which `FieldErrors` does not list (add a value or an alias to `FieldErrors`): left out of the example; fix the example or the type",
            ]
        );
        let data = &spec.examples.unwrap().response.unwrap()["data"];
        assert_eq!(
            *data,
            json!({"detail": {"text": "t"}, "errors": {"mobile": 1000}})
        );
    }

    /// The old doc pages describe `:docToken` as a body field and type a
    /// sheet's `:dataValidationId` as an integer.
    #[test]
    fn path_parameters_are_the_address_s_strings() {
        let spec = json!({
            "source": {"title": "t", "url": "https://x/y", "last_remote_update": "2025-01-01"},
            "summary": "s",
            "method": "POST",
            "path": "/open-apis/x/v1/:docToken/ys/:id",
            "access_tokens": ["tenant"],
            "path_params": [
                {"name": "id", "type": "integer", "required": true, "description": "i", "example": 1, "maximum": 9}
            ],
            "body": {"fields": [{"name": "docToken", "type": "string", "required": true, "description": "文件的 token"}]},
            "response": {"fields": []},
            "errors": []
        });
        let mut spec = feishu_codegen::parse_endpoint("x.json", &spec.to_string()).unwrap();
        let open = path_params(&mut spec);
        assert_eq!(
            open,
            [
                "path_params: the address names `:docToken`, which the page does not describe as a path parameter: added as a required string, in the words of the body field of its name; describe it",
                "path_params[1]: the page types `id` as `integer`, but an address segment is text: typed as a string; confirm",
            ]
        );
        let params = serde_json::to_value(&spec.path_params).unwrap();
        assert_eq!(
            params,
            json!([
                {"name": "docToken", "type": "string", "required": true, "description": "文件的 token"},
                {"name": "id", "type": "string", "required": true, "description": "i", "example": "1"}
            ])
        );
    }
}
