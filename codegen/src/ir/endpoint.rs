//! One endpoint file: what it is called, where it is sent, what it takes
//! and answers, and how it fails.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;

use super::names::{is_type_ident, module_name, open_decision, suggest_type_name};
use super::scope::{Scope, Shared};
use super::{
    AccessToken, AppType, Endpoint, ErrorCase, ErrorCodes, Field, FieldScope, MessageSetter,
    Method, Object, PageExamples, Paging, RateLimit, Scope as ApiScope, Sink, Source, Type, graph,
    values,
};
use super::{tree, types};
use crate::problem::Problem;
use crate::spec::{self, EndpointSpec};

/// Checks one endpoint file and resolves it against its version's shared
/// types. `file` is the path relative to the workspace root
/// (`schema/im/v1/chat/create.json`); the module path comes from it.
pub(super) fn resolve(
    file: &str,
    spec: &EndpointSpec,
    shared: Shared<'_>,
) -> Result<Endpoint, Vec<Problem>> {
    let mut sink = Sink::new(file);
    let module_path = module_path(&mut sink, file);
    let prefix = type_prefix(&mut sink, spec, &module_path);
    let reserved: Vec<(String, &str)> = types::RESERVED_SUFFIXES
        .iter()
        .map(|s| (format!("{prefix}{s}"), *s))
        .collect();
    types::check_type_names(&mut sink, &spec.types, &reserved);
    check_path(&mut sink, &spec.path);
    let parts = [
        spec.query.as_ref().map(|q| ("query".to_owned(), q, false)),
        spec.body.as_ref().map(|b| ("body".to_owned(), b, true)),
        Some(("response".to_owned(), &spec.response, false)),
    ];
    types::check_files(&mut sink, parts.into_iter().flatten(), &spec.types);

    let mut scope = Scope::new(&spec.types, shared);
    types::check_not_shared(&mut sink, &scope, &spec.types);
    scope.error_codes = Some(spec.errors.iter().map(|e| e.code).collect());
    let mut examples = Vec::new();
    types::named_types(&mut sink, &mut scope, &spec.types, &mut examples);
    let path_params = types::fields(
        &mut sink,
        &scope,
        "path_params",
        &spec.path_params,
        true,
        &mut examples,
    );
    check_path_params(&mut sink, spec, &path_params);
    let title = &spec.source.title;
    let mut query = spec.query.as_ref().map(|q| {
        let description = format!("Query parameters of {title}.");
        types::object(
            &mut sink,
            &scope,
            "query",
            &format!("{prefix}Query"),
            &description,
            q,
            true,
            &mut examples,
        )
    });
    let mut body = spec.body.as_ref().map(|b| {
        let description = format!("Request body of {title}.");
        types::object(
            &mut sink,
            &scope,
            "body",
            &format!("{prefix}Body"),
            &description,
            b,
            true,
            &mut examples,
        )
    });
    // Many calls answer `"data": {}` or no `data` at all; both decode into
    // the empty struct, which says so.
    let description = if spec.response.fields.is_empty() {
        format!(
            "The `data` of a successful {title} response: none. Feishu answers `\"data\": {{}}` \
             or leaves `data` out; success is the `Ok` itself."
        )
    } else {
        format!("The `data` of a successful {title} response.")
    };
    let mut response = types::object(
        &mut sink,
        &scope,
        "response",
        &format!("{prefix}Data"),
        &description,
        &spec.response,
        false,
        &mut examples,
    );
    let extra: Vec<&mut Object> = query
        .iter_mut()
        .chain(body.iter_mut())
        .chain([&mut response])
        .collect();
    graph::settle(&mut sink, &mut scope, extra);
    let lenient = !sink.problems.is_empty();
    values::check_examples(&mut sink, &scope, &examples, lenient);
    if let Some(query) = &query {
        check_query_types(&mut sink, query);
    }
    if let Some(page) = &spec.examples {
        values::check_page_examples(&mut sink, &scope, page, body.as_ref(), &response, lenient);
    }
    let idempotency_key = idempotency_key(&mut sink, spec);
    let message_setter = message_setter(&mut sink, spec, query.as_ref(), body.as_ref());
    if spec.binary_response
        && (!spec.response.fields.is_empty()
            || spec.examples.as_ref().is_some_and(|e| e.response.is_some()))
    {
        sink.problem(
            "binary_response",
            "a file answer has no JSON `data`, but `response` lists fields or `examples` a response",
            "remove the response fields and example, or `binary_response` if the page answers JSON",
        );
    }
    let multipart = (body.iter().flat_map(|b| &b.fields)).any(|f| f.ty == Type::File);
    if spec.binary_response && multipart {
        sink.problem(
            "binary_response",
            "a call that both sends a file and answers one is not supported",
            "remove `binary_response`, or type the body's file field otherwise",
        );
    }
    let errors = errors(&mut sink, spec, &prefix);
    if spec.access_tokens.is_empty() {
        sink.problem(
            "access_tokens",
            "no access token type is listed",
            "list the token types the page's Authorization header accepts, e.g. [\"tenant\"], or [\"none\"] for a call that sends no token",
        );
    } else if spec.access_tokens.len() > 1
        && spec.access_tokens.contains(&spec::AccessToken::NoToken)
    {
        sink.problem(
            "access_tokens",
            "`none` is listed with token types",
            "list `none` alone (the call sends no token) or only the token types it accepts",
        );
    }
    let Some(module_path) = module_path else {
        return Err(sink.problems);
    };

    let objects = query.iter().chain(body.iter()).chain([&response]);
    let shared_use = tree::shared_use(scope.shared, &scope, objects, &path_params);
    let paging = paging(query.as_ref(), &response);
    let endpoint = Endpoint {
        source_file: file.to_owned(),
        request_name: format!("{prefix}Request"),
        module_path,
        source: source(&spec.source),
        summary: spec.summary.clone(),
        notes: spec.notes.clone(),
        method: method(spec.method),
        path: spec.path.clone(),
        path_params,
        access_tokens: spec
            .access_tokens
            .iter()
            .filter_map(|t| access_token(*t))
            .collect(),
        app_types: app_types(&spec.app_types),
        scopes: scopes(&spec.scopes),
        field_scopes: field_scopes(&spec.field_scopes),
        rate_limit: spec.rate_limit.map(|r| RateLimit {
            per_minute: r.per_minute,
            per_second: r.per_second,
        }),
        idempotency_key,
        message_setter,
        query,
        body,
        response,
        types: scope.local.into_values().collect(),
        shared: shared_use,
        errors,
        paging,
        page_examples: PageExamples {
            request_body: spec
                .examples
                .as_ref()
                .is_some_and(|e| e.request_body.is_some()),
            response: spec.examples.as_ref().is_some_and(|e| e.response.is_some()),
        },
        example_data: spec
            .examples
            .as_ref()
            .and_then(|e| e.response.as_ref()?.get("data"))
            .map(|data| data.to_string()),
        binary_response: spec.binary_response,
        multipart,
    };
    sink.finish(endpoint)
}

/// Whether the endpoint is a list endpoint, and where its items are: the
/// query takes `page_token` (string) and `page_size` (integer), and the
/// data answers `has_more` (boolean), `page_token` (string) and exactly one
/// array, the items. With two arrays which one is the list is a guess, so
/// such an endpoint is not paged.
pub(super) fn paging(query: Option<&Object>, response: &Object) -> Option<Paging> {
    let has = |object: &Object, wire: &str, ty: &Type| {
        object
            .fields
            .iter()
            .any(|f| f.wire_name == wire && f.rust_name == wire && f.ty == *ty)
    };
    let query = query?;
    if !(has(query, "page_token", &Type::String)
        && has(query, "page_size", &Type::Integer)
        && has(response, "has_more", &Type::Boolean)
        && has(response, "page_token", &Type::String))
    {
        return None;
    }
    let mut arrays = response.fields.iter().filter_map(|f| match &f.ty {
        Type::Array(item) => Some((f, item)),
        _ => None,
    });
    let (items, item_type) = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    Some(Paging {
        items_field: items.rust_name.clone(),
        items_wire: items.wire_name.clone(),
        item_type: (**item_type).clone(),
    })
}

pub(super) fn source(source: &spec::Source) -> Source {
    Source {
        title: source.title.clone(),
        url: source.url.clone(),
        last_remote_update: source.last_remote_update.clone(),
    }
}

pub(super) fn app_types(types: &[spec::AppType]) -> Vec<AppType> {
    types
        .iter()
        .map(|a| match a {
            spec::AppType::SelfBuilt => AppType::SelfBuilt,
            spec::AppType::Store => AppType::Store,
        })
        .collect()
}

pub(super) fn scopes(scopes: &[spec::Scope]) -> Vec<ApiScope> {
    scopes
        .iter()
        .map(|s| ApiScope {
            name: s.name.clone(),
            description: s.description.clone(),
        })
        .collect()
}

pub(super) fn field_scopes(scopes: &[spec::FieldScope]) -> Vec<FieldScope> {
    scopes
        .iter()
        .map(|s| FieldScope {
            name: s.name.clone(),
            description: s.description.clone(),
            when: s.when.clone(),
        })
        .collect()
}

fn method(method: spec::HttpMethod) -> Method {
    match method {
        spec::HttpMethod::Get => Method::Get,
        spec::HttpMethod::Post => Method::Post,
        spec::HttpMethod::Put => Method::Put,
        spec::HttpMethod::Patch => Method::Patch,
        spec::HttpMethod::Delete => Method::Delete,
    }
}

/// The IR's token type; `none` is no token, an empty list in the IR.
fn access_token(token: spec::AccessToken) -> Option<AccessToken> {
    match token {
        spec::AccessToken::Tenant => Some(AccessToken::Tenant),
        spec::AccessToken::User => Some(AccessToken::User),
        spec::AccessToken::App => Some(AccessToken::App),
        spec::AccessToken::NoToken => None,
    }
}

/// `schema/im/v1/chat/create.json` -> `["im", "v1", "chat", "create"]`.
pub(super) fn module_path(sink: &mut Sink, file: &str) -> Option<Vec<String>> {
    let rest = file.strip_prefix("schema/").unwrap_or(file);
    let Some(rest) = rest.strip_suffix(".json") else {
        sink.problem("", "a schema file must end in .json", "rename the file");
        return None;
    };
    let names: Vec<&str> = rest.split('/').collect();
    if names.len() < 2 {
        sink.problem(
            "",
            "a schema file must sit in a folder named for its API group",
            "move it to schema/<group>/<version>/<resource>/<method>.json, e.g. schema/im/v1/chat/create.json",
        );
        return None;
    }
    let bad: Vec<&&str> = names.iter().filter(|s| module_name(s).is_none()).collect();
    if !bad.is_empty() {
        let names = bad
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ");
        sink.problem(
            "",
            format!("folder and file names become Rust modules, and {names} cannot"),
            "use lower snake_case names, e.g. schema/im/v1/chat_member/create.json",
        );
        return None;
    }
    Some(names.iter().filter_map(|s| module_name(s)).collect())
}

fn type_prefix(sink: &mut Sink, spec: &EndpointSpec, module_path: &Option<Vec<String>>) -> String {
    if let Some(prefix) = &spec.type_prefix {
        if !open_decision(
            sink,
            "type_prefix",
            prefix,
            "prefix of the endpoint's type names",
        ) && !is_type_ident(prefix)
        {
            sink.problem(
                "type_prefix",
                format!("`{prefix}` is not an UpperCamelCase Rust type name"),
                format!("write it like `{}`", prefix.to_upper_camel_case()),
            );
        }
        return prefix.clone();
    }
    match module_path.as_deref() {
        Some([.., resource, method]) => format!("{method}_{resource}").to_upper_camel_case(),
        _ => "Endpoint".to_owned(),
    }
}

fn check_path(sink: &mut Sink, path: &str) {
    if !path.starts_with("/open-apis/") {
        sink.problem(
            "path",
            format!("`{path}` is not an Open API path"),
            "copy the path from the page's HTTP URL without the host, e.g. /open-apis/im/v1/chats",
        );
    }
}

fn check_path_params(sink: &mut Sink, spec: &EndpointSpec, params: &[Field]) {
    let in_path: Vec<&str> = spec
        .path
        .split('/')
        .filter_map(|s| s.strip_prefix(':'))
        .collect();
    let described: Vec<&str> = params.iter().map(|p| p.wire_name.as_str()).collect();
    if in_path != described {
        sink.problem(
            "path_params",
            format!(
                "the path names parameters {in_path:?} but `path_params` describes {described:?}"
            ),
            "describe each `:name` segment of `path` once, in path order",
        );
    }
    for (i, p) in params.iter().enumerate() {
        if p.ty != Type::String || !p.required {
            sink.problem(
                format!("path_params[{i}]"),
                "path parameters are required strings",
                "set \"type\": \"string\" and \"required\": true",
            );
        }
    }
}

/// Query parameters are text on the wire: scalars, enums, or arrays of them.
/// A map or an arbitrary JSON value has no spelling in a query string.
fn check_query_types(sink: &mut Sink, query: &Object) {
    for (i, field) in query.fields.iter().enumerate() {
        let item = match &field.ty {
            Type::Array(inner) => inner.as_ref(),
            other => other,
        };
        if matches!(
            item,
            Type::Object(_) | Type::Array(_) | Type::Map(_) | Type::Json | Type::File
        ) {
            sink.problem(
                format!("query.fields[{i}].type"),
                format!(
                    "query parameter `{}` cannot be an object, a map, json or a nested array",
                    field.wire_name
                ),
                "give it a string, boolean, integer, number or enum type (or an array of one)",
            );
        }
    }
}

/// The setter `message` writes: the body's field marked `message_content`
/// and its `msg_type` sibling.
fn message_setter(
    sink: &mut Sink,
    spec: &EndpointSpec,
    query: Option<&Object>,
    body: Option<&Object>,
) -> Option<MessageSetter> {
    let marked = |o: &spec::ObjectSpec| o.fields.iter().any(|f| f.message_content);
    if spec.query.iter().chain([&spec.response]).any(marked) {
        sink.problem(
            "",
            "message_content is only meaningful on a body field",
            "remove it from query and response fields",
        );
    }
    let marked: Vec<&str> = (spec.body.iter().flat_map(|b| &b.fields))
        .filter(|f| f.message_content)
        .map(|f| f.name.as_str())
        .collect();
    let wire = match marked[..] {
        [] => return None,
        [wire] => wire,
        _ => {
            sink.problem(
                "body",
                "more than one body field is marked message_content",
                "mark only the field that holds the message's JSON text",
            );
            return None;
        }
    };
    let body = body?;
    let content = body.fields.iter().find(|f| f.wire_name == wire)?;
    let msg_type = body.fields.iter().find(|f| f.wire_name == "msg_type");
    let Some(msg_type) = msg_type else {
        sink.problem(
            "body",
            format!(
                "`{}` is marked message_content but the body has no `msg_type`",
                content.wire_name
            ),
            "mark the content field of a body that names its message type in `msg_type`",
        );
        return None;
    };
    if content.ty != Type::String || !matches!(msg_type.ty, Type::String | Type::Enum(_)) {
        sink.problem(
            "body",
            format!(
                "`{}` is marked message_content but it or `msg_type` is not a string",
                content.wire_name
            ),
            "a message's content is JSON text in a string, its type a string or string enum",
        );
        return None;
    }
    let taken = query.into_iter().chain([body]).flat_map(|o| &o.fields);
    if taken.clone().any(|f| f.rust_name == "message") {
        sink.problem(
            "body",
            "the `message` setter would take a parameter's name",
            "give the parameter named `message` a rust_name",
        );
        return None;
    }
    Some(MessageSetter {
        content: content.rust_name.clone(),
        msg_type: msg_type.rust_name.clone(),
    })
}

fn idempotency_key(sink: &mut Sink, spec: &EndpointSpec) -> Option<String> {
    let mut keys = spec
        .query
        .iter()
        .flat_map(|q| q.fields.iter())
        .filter(|f| f.idempotency_key)
        .map(|f| f.name.clone());
    let key = keys.next();
    if keys.next().is_some() {
        sink.problem(
            "query",
            "more than one query parameter is marked idempotency_key",
            "mark only the one the server deduplicates on",
        );
    }
    let elsewhere = spec
        .body
        .iter()
        .chain([&spec.response])
        .any(|o| o.fields.iter().any(|f| f.idempotency_key));
    if elsewhere {
        sink.problem(
            "",
            "idempotency_key is only meaningful on a query parameter",
            "remove it from body and response fields",
        );
    }
    key
}

fn errors(sink: &mut Sink, spec: &EndpointSpec, prefix: &str) -> ErrorCodes {
    let mut codes = BTreeSet::new();
    let mut names = BTreeMap::new();
    let mut cases = Vec::new();
    for (i, e) in spec.errors.iter().enumerate() {
        let path = format!("errors[{i}]");
        if !codes.insert(e.code) {
            sink.problem(
                format!("{path}.code"),
                format!("code {} is listed twice", e.code),
                "remove the second entry",
            );
            continue;
        }
        if open_decision(
            sink,
            &format!("{path}.name"),
            &e.name,
            "Rust name of this error code",
        ) {
            continue;
        }
        if !is_type_ident(&e.name) || e.name == "Unknown" {
            sink.problem(
                format!("{path}.name"),
                format!("`{}` is not a usable Rust variant name", e.name),
                format!(
                    "write an UpperCamelCase name, e.g. `{}`",
                    suggest_type_name(&e.message)
                ),
            );
            continue;
        }
        if names.insert(e.name.as_str(), e.code).is_some() {
            sink.problem(
                format!("{path}.name"),
                format!("name `{}` is used twice", e.name),
                "give each code its own name",
            );
            continue;
        }
        cases.push(ErrorCase {
            http_status: e.http_status,
            code: e.code,
            name: e.name.clone(),
            message: e.message.clone(),
            advice: e.advice.clone(),
            rate_limited: e.rate_limited,
        });
    }
    ErrorCodes {
        rust_name: format!("{prefix}ErrorCode"),
        cases,
    }
}
