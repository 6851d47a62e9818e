//! The resolved model: every name chosen, every reference resolved, every
//! limit typed. Built by [`resolve`], which is the one place that checks what
//! a human can get wrong in a schema file; emitting from an [`Endpoint`]
//! cannot fail.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::Value;

use crate::problem::Problem;
use crate::spec::{
    self, AccessToken, AppType, CheckSpec, EndpointSpec, FieldScope, HttpMethod, ObjectSpec,
    RateLimitSpec, Scope, TypeSpec,
};

/// One endpoint, ready to emit.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// The schema file, relative to the workspace root, with `/` separators.
    pub source_file: String,
    /// Module path below the crate root: `["im", "v1", "chat", "create"]`.
    /// The last segment is also the client method's name.
    pub module_path: Vec<String>,
    /// The page this was written against.
    pub source: spec::Source,
    /// The page's summary.
    pub summary: String,
    /// The page's notes.
    pub notes: Vec<String>,
    /// HTTP method.
    pub method: HttpMethod,
    /// Path template.
    pub path: String,
    /// Path parameters, in path order.
    pub path_params: Vec<Field>,
    /// Accepted tokens.
    pub access_tokens: Vec<AccessToken>,
    /// Allowed app types.
    pub app_types: Vec<AppType>,
    /// Scopes, any one of which allows the call.
    pub scopes: Vec<Scope>,
    /// Scopes that unlock fields.
    pub field_scopes: Vec<FieldScope>,
    /// Documented quota.
    pub rate_limit: Option<RateLimitSpec>,
    /// Wire name of the query parameter the server deduplicates on.
    pub idempotency_key: Option<String>,
    /// Query parameters, as an object named `{prefix}Query`.
    pub query: Option<Object>,
    /// Request body, named `{prefix}Body`.
    pub body: Option<Object>,
    /// Response data, named `{prefix}Response`.
    pub response: Object,
    /// Named types, in name order.
    pub types: Vec<NamedType>,
    /// Documented error codes, named `{prefix}ErrorCode`.
    pub errors: ErrorCodes,
}

impl Endpoint {
    /// Dotted id, e.g. `im.v1.chat.create`.
    pub fn id(&self) -> String {
        self.module_path.join(".")
    }

    /// The client method name (the file name).
    pub fn method_name(&self) -> &str {
        self.module_path.last().expect("module path is never empty")
    }
}

/// A named type.
#[derive(Clone, Debug)]
pub enum NamedType {
    /// A struct.
    Object(Object),
    /// An open string enum.
    Enum(Enum),
}

/// A struct.
#[derive(Clone, Debug)]
pub struct Object {
    /// Rust type name.
    pub rust_name: String,
    /// What it is.
    pub description: String,
    /// Fields in doc order.
    pub fields: Vec<Field>,
    /// Cross-field rules.
    pub rules: Vec<Rule>,
}

/// A field.
#[derive(Clone, Debug)]
pub struct Field {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust field name (may carry a trailing `_` for keywords).
    pub rust_name: String,
    /// Resolved type.
    pub ty: Type,
    /// Must be set.
    pub required: bool,
    /// The doc's description.
    pub description: String,
    /// Documented default.
    pub default: Option<Literal>,
    /// Documented example.
    pub example: Option<Value>,
    /// Enforced bounds.
    pub limits: Limits,
    /// A recommended, unenforced length.
    pub recommended_max_length: Option<usize>,
    /// Field-specific wording of enum values, in value order.
    pub value_descriptions: Vec<(String, String)>,
}

/// Enforced bounds of a field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// Fewest characters.
    pub min_length: Option<usize>,
    /// Most characters.
    pub max_length: Option<usize>,
    /// Fewest items.
    pub min_items: Option<usize>,
    /// Most items.
    pub max_items: Option<usize>,
}

/// A resolved type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    /// `String`
    String,
    /// `bool`
    Boolean,
    /// `i64`
    Integer,
    /// `f64`
    Number,
    /// A named enum.
    Enum(String),
    /// A named struct.
    Object(String),
    /// `Vec<T>`
    Array(Box<Type>),
}

/// A scalar value from the schema, typed against its field.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// A boolean.
    Bool(bool),
    /// A string or enum value (the wire text).
    Str(String),
    /// An integer.
    Int(i64),
    /// A number.
    Number(f64),
}

impl Literal {
    /// The value as JSON text, for doc comments and messages.
    pub fn to_json(&self) -> String {
        match self {
            Literal::Bool(b) => b.to_string(),
            Literal::Str(s) => format!("{s:?}"),
            Literal::Int(i) => i.to_string(),
            Literal::Number(n) => n.to_string(),
        }
    }
}

/// An open string enum.
#[derive(Clone, Debug)]
pub struct Enum {
    /// Rust type name.
    pub rust_name: String,
    /// What it chooses.
    pub description: String,
    /// Documented values.
    pub variants: Vec<Variant>,
    /// Other spellings.
    pub aliases: Vec<Alias>,
}

/// A documented enum value.
#[derive(Clone, Debug)]
pub struct Variant {
    /// Wire text.
    pub wire: String,
    /// Rust variant name.
    pub rust_name: String,
    /// Meaning.
    pub description: String,
}

/// Another spelling of a documented value.
#[derive(Clone, Debug)]
pub struct Alias {
    /// The spelling seen.
    pub wire: String,
    /// The variant it decodes to.
    pub variant: String,
    /// Why it exists.
    pub reason: String,
}

/// A rule that spans fields.
#[derive(Clone, Debug)]
pub struct Rule {
    /// The doc's wording.
    pub description: String,
    /// When it applies.
    pub when: Option<Condition>,
    /// What must hold.
    pub check: Check,
    /// The server's code for breaking it.
    pub error_code: Option<i64>,
}

/// `field == value`, with the field's default standing in when absent.
#[derive(Clone, Debug)]
pub struct Condition {
    /// The field.
    pub field: Field,
    /// The value.
    pub equals: Literal,
}

/// What a rule requires.
#[derive(Clone, Debug)]
pub enum Check {
    /// The field must be set.
    Required(Field),
    /// The string field has at least `min` characters.
    MinLength(Field, usize),
    /// The fields are not all `value`.
    NotAllEqual(Vec<Field>, String),
    /// No field is `value`.
    NoneEqual(Vec<Field>, String),
}

/// The endpoint's documented error codes.
#[derive(Clone, Debug)]
pub struct ErrorCodes {
    /// Rust enum name.
    pub rust_name: String,
    /// In doc order.
    pub cases: Vec<spec::ErrorSpec>,
}

/// Names generated code uses unqualified; a type of the same name would
/// shadow them.
const PRELUDE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Vec",
    "String",
    "Result",
    "Ok",
    "Err",
    "Box",
    "Serialize",
    "Deserialize",
];

/// Suffixes of the type names the generator gives the endpoint's own types.
const RESERVED_SUFFIXES: [&str; 4] = ["Query", "Body", "Response", "ErrorCode"];

/// Checks one loaded spec and resolves it. `source_file` is the path relative
/// to the workspace root (`schema/im/v1/chat/create.json`); `module_path`
/// comes from it.
pub fn resolve(source_file: &str, spec: &EndpointSpec) -> Result<Endpoint, Vec<Problem>> {
    let mut cx = Resolver {
        file: source_file,
        spec,
        problems: Vec::new(),
    };
    let endpoint = cx.endpoint();
    if cx.problems.is_empty() {
        Ok(endpoint.expect("no problems means a resolved endpoint"))
    } else {
        Err(cx.problems)
    }
}

struct Resolver<'a> {
    file: &'a str,
    spec: &'a EndpointSpec,
    problems: Vec<Problem>,
}

impl Resolver<'_> {
    fn problem(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) {
        self.problems.push(Problem {
            file: self.file.to_owned(),
            path: path.into(),
            message: message.into(),
            fix: fix.into(),
        });
    }

    fn endpoint(&mut self) -> Option<Endpoint> {
        let spec = self.spec;
        let module_path = self.module_path();
        let prefix = self.type_prefix(&module_path);
        self.check_type_names(&prefix);
        self.check_path(&spec.path);

        let types = self.named_types();
        self.check_recursion(&types);
        let path_params = self.fields("path_params", &spec.path_params, true);
        self.check_path_params(&path_params);
        let query = spec
            .query
            .as_ref()
            .map(|q| self.object("query", &format!("{prefix}Query"), q, true));
        if let Some(query) = &query {
            self.check_query_types(query);
        }
        let body = spec
            .body
            .as_ref()
            .map(|b| self.object("body", &format!("{prefix}Body"), b, true));
        let response = self.object(
            "response",
            &format!("{prefix}Response"),
            &spec.response,
            false,
        );
        let idempotency_key = self.idempotency_key();
        let errors = self.errors(&prefix);
        if spec.access_tokens.is_empty() {
            self.problem(
                "access_tokens",
                "no access token type is listed",
                "list the token types the page's Authorization header accepts, e.g. [\"tenant\"]",
            );
        }
        if let Some(examples) = &spec.examples {
            self.check_examples(examples);
        }

        Some(Endpoint {
            source_file: self.file.to_owned(),
            module_path: module_path?,
            source: spec.source.clone(),
            summary: spec.summary.clone(),
            notes: spec.notes.clone(),
            method: spec.method,
            path: spec.path.clone(),
            path_params,
            access_tokens: spec.access_tokens.clone(),
            app_types: spec.app_types.clone(),
            scopes: spec.scopes.clone(),
            field_scopes: spec.field_scopes.clone(),
            rate_limit: spec.rate_limit,
            idempotency_key,
            query,
            body,
            response,
            types,
            errors,
        })
    }

    /// `schema/im/v1/chat/create.json` -> `["im", "v1", "chat", "create"]`.
    fn module_path(&mut self) -> Option<Vec<String>> {
        let rest = self.file.strip_prefix("schema/").unwrap_or(self.file);
        let Some(rest) = rest.strip_suffix(".json") else {
            self.problem("", "a schema file must end in .json", "rename the file");
            return None;
        };
        let segments: Vec<String> = rest.split('/').map(str::to_owned).collect();
        if segments.len() < 2 {
            self.problem(
                "",
                "a schema file must sit in a folder named for its API group",
                "move it to schema/<group>/<version>/<resource>/<method>.json, e.g. schema/im/v1/chat/create.json",
            );
            return None;
        }
        let bad: Vec<&String> = segments.iter().filter(|s| !is_snake_ident(s)).collect();
        if !bad.is_empty() {
            let names = bad
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ");
            self.problem(
                "",
                format!("folder and file names become Rust modules, and {names} cannot"),
                "use lower snake_case names that are not Rust keywords, e.g. schema/im/v1/chat_member/create.json",
            );
            return None;
        }
        Some(segments)
    }

    fn type_prefix(&mut self, module_path: &Option<Vec<String>>) -> String {
        if let Some(prefix) = &self.spec.type_prefix {
            if !is_type_ident(prefix) {
                self.problem(
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

    fn check_type_names(&mut self, prefix: &str) {
        let spec = self.spec;
        for name in spec.types.keys() {
            let path = format!("types.{name}");
            if !is_type_ident(name) {
                self.problem(
                    path,
                    format!("type name `{name}` is not an UpperCamelCase Rust type name"),
                    format!("rename it, e.g. `{}`", suggest_type_name(name)),
                );
            } else if PRELUDE_NAMES.contains(&name.as_str()) {
                self.problem(
                    path,
                    format!("`{name}` is a name generated code uses from std or serde"),
                    format!("rename the type, e.g. `{name}Value`"),
                );
            } else if let Some(suffix) = RESERVED_SUFFIXES
                .into_iter()
                .find(|s| *name == format!("{prefix}{s}"))
            {
                self.problem(
                    path,
                    format!("`{name}` is the name generated for the endpoint's {suffix} type"),
                    "rename the type, or set `type_prefix` to something else",
                );
            }
        }
    }

    fn check_path(&mut self, path: &str) {
        if !path.starts_with("/open-apis/") {
            self.problem(
                "path",
                format!("`{path}` is not an Open API path"),
                "copy the path from the page's HTTP URL without the host, e.g. /open-apis/im/v1/chats",
            );
        }
    }

    fn check_path_params(&mut self, params: &[Field]) {
        let in_path: Vec<&str> = self
            .spec
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix(':'))
            .collect();
        let described: Vec<&str> = params.iter().map(|p| p.wire_name.as_str()).collect();
        if in_path != described {
            self.problem(
                "path_params",
                format!("the path names parameters {in_path:?} but `path_params` describes {described:?}"),
                "describe each `:name` segment of `path` once, in path order",
            );
        }
        for (i, p) in params.iter().enumerate() {
            if p.ty != Type::String || !p.required {
                self.problem(
                    format!("path_params[{i}]"),
                    "path parameters are required strings",
                    "set \"type\": \"string\" and \"required\": true",
                );
            }
        }
    }

    /// Query parameters are text on the wire: scalars, enums, or arrays of them.
    fn check_query_types(&mut self, query: &Object) {
        for (i, field) in query.fields.iter().enumerate() {
            let item = match &field.ty {
                Type::Array(inner) => inner.as_ref(),
                other => other,
            };
            if matches!(item, Type::Object(_) | Type::Array(_)) {
                self.problem(
                    format!("query.fields[{i}].type"),
                    format!(
                        "query parameter `{}` cannot be an object or a nested array",
                        field.wire_name
                    ),
                    "give it a string, boolean, integer, number or enum type (or an array of one)",
                );
            }
        }
    }

    /// A struct that holds itself other than through an array would have
    /// infinite size; an array (`Vec`) breaks the cycle. Deep inline
    /// nesting is refused too: rustc's trait solver gives up somewhere past
    /// 60 levels of `Option<Struct>`.
    fn check_recursion(&mut self, types: &[NamedType]) {
        let objects: BTreeMap<&str, &Object> = types
            .iter()
            .filter_map(|t| match t {
                NamedType::Object(o) => Some((o.rust_name.as_str(), o)),
                NamedType::Enum(_) => None,
            })
            .collect();
        let mut cyclic = false;
        for (name, object) in &objects {
            let mut stack: Vec<&str> = object
                .fields
                .iter()
                .filter_map(|f| direct_object(&f.ty))
                .collect();
            let mut seen = BTreeSet::new();
            while let Some(next) = stack.pop() {
                if next == *name {
                    cyclic = true;
                    self.problem(
                        format!("types.{name}"),
                        format!("`{name}` contains itself, which no Rust struct can"),
                        "make one field on the cycle an array of the type (e.g. \"Node[]\"), as the API sends it",
                    );
                    break;
                }
                if seen.insert(next)
                    && let Some(inner) = objects.get(next)
                {
                    stack.extend(inner.fields.iter().filter_map(|f| direct_object(&f.ty)));
                }
            }
        }
        if cyclic {
            return;
        }
        for (name, object) in &objects {
            let depth = inline_depth(object, &objects);
            if depth > MAX_INLINE_DEPTH {
                self.problem(
                    format!("types.{name}"),
                    format!("`{name}` nests objects {depth} levels deep; generated Rust supports {MAX_INLINE_DEPTH}"),
                    "flatten the nesting, or make a level an array",
                );
            }
        }
    }

    fn named_types(&mut self) -> Vec<NamedType> {
        let spec = self.spec;
        spec.types
            .iter()
            .map(|(name, ty)| match ty {
                TypeSpec::Object(object) => {
                    NamedType::Object(self.object(&format!("types.{name}"), name, object, true))
                }
                TypeSpec::Enum(e) => NamedType::Enum(self.enumeration(name, e)),
            })
            .collect()
    }

    fn enumeration(&mut self, name: &str, spec: &spec::EnumSpec) -> Enum {
        let path = format!("types.{name}");
        if spec.values.is_empty() {
            self.problem(
                format!("{path}.values"),
                "an enum needs at least one documented value",
                "list the page's 可选值有 entries, or make the field a plain string",
            );
        }
        let mut by_rust: BTreeMap<String, &str> = BTreeMap::new();
        let mut wires = BTreeSet::new();
        let mut variants = Vec::new();
        for (i, value) in spec.values.iter().enumerate() {
            let vpath = format!("{path}.values[{i}]");
            if !wires.insert(value.value.as_str()) {
                self.problem(
                    format!("{vpath}.value"),
                    format!("value `{}` is listed twice", value.value),
                    "remove the second entry",
                );
                continue;
            }
            let rust_name = match &value.rust_name {
                Some(n) if is_type_ident(n) => n.clone(),
                Some(n) => {
                    self.problem(
                        format!("{vpath}.rust_name"),
                        format!("`{n}` is not an UpperCamelCase Rust variant name"),
                        format!("write it like `{}`", suggest_type_name(n)),
                    );
                    continue;
                }
                None => {
                    // Twice: `a b` gives `AB` first, which reads as an acronym.
                    let derived = value.value.to_upper_camel_case().to_upper_camel_case();
                    if !is_type_ident(&derived) {
                        self.problem(
                            format!("{vpath}.value"),
                            format!("value `{}` does not make a Rust variant name", value.value),
                            "add \"rust_name\": \"SomeName\" to this value",
                        );
                        continue;
                    }
                    derived
                }
            };
            if rust_name == "Unknown" {
                self.problem(
                    format!("{vpath}.value"),
                    "`Unknown` is the variant that keeps values the docs do not list",
                    "add a different \"rust_name\" to this value",
                );
                continue;
            }
            if let Some(other) = by_rust.insert(rust_name.clone(), &value.value) {
                self.problem(
                    format!("{vpath}.value"),
                    format!(
                        "values `{other}` and `{}` both become the Rust variant `{rust_name}`",
                        value.value
                    ),
                    "add a distinct \"rust_name\" to one of them",
                );
                continue;
            }
            variants.push(Variant {
                wire: value.value.clone(),
                rust_name,
                description: value.description.clone(),
            });
        }
        let mut aliases = Vec::new();
        for (i, alias) in spec.aliases.iter().enumerate() {
            let apath = format!("{path}.aliases[{i}]");
            if !wires.insert(alias.wire.as_str()) {
                self.problem(
                    format!("{apath}.wire"),
                    format!("`{}` is already a value or alias of this enum", alias.wire),
                    "remove the alias",
                );
            }
            match variants.iter().find(|v| v.wire == alias.means) {
                Some(v) => aliases.push(Alias {
                    wire: alias.wire.clone(),
                    variant: v.rust_name.clone(),
                    reason: alias.reason.clone(),
                }),
                None => self.problem(
                    format!("{apath}.means"),
                    format!("`{}` is not a value of {name}", alias.means),
                    format!("use one of: {}", list_wires(&variants)),
                ),
            }
        }
        Enum {
            rust_name: name.to_owned(),
            description: spec.description.clone(),
            variants,
            aliases,
        }
    }

    fn object(&mut self, path: &str, rust_name: &str, spec: &ObjectSpec, request: bool) -> Object {
        let fields = self.fields(path, &spec.fields, request);
        let rules = spec
            .rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| self.rule(&format!("{path}.rules[{i}]"), r, &fields))
            .collect();
        let description = spec.description.clone().unwrap_or_else(|| match path {
            "query" => format!("Query parameters of {}.", self.spec.source.title),
            "body" => format!("Request body of {}.", self.spec.source.title),
            "response" => format!(
                "The `data` of a successful {} response.",
                self.spec.source.title
            ),
            _ => rust_name.to_owned(),
        });
        Object {
            rust_name: rust_name.to_owned(),
            description,
            fields,
            rules,
        }
    }

    fn fields(&mut self, path: &str, specs: &[spec::FieldSpec], request: bool) -> Vec<Field> {
        let mut wires = BTreeSet::new();
        let mut rust_names: BTreeMap<String, String> = BTreeMap::new();
        let mut fields = Vec::new();
        let list = if path == "path_params" {
            path.to_owned()
        } else {
            format!("{path}.fields")
        };
        for (i, f) in specs.iter().enumerate() {
            let fpath = format!("{list}[{i}]");
            if !wires.insert(f.name.as_str()) {
                self.problem(
                    format!("{fpath}.name"),
                    format!("field `{}` is described twice", f.name),
                    "merge the two entries into one",
                );
                continue;
            }
            let Some(rust_name) = self.field_rust_name(&fpath, f) else {
                continue;
            };
            if let Some(other) = rust_names.insert(rust_name.clone(), f.name.clone()) {
                self.problem(
                    format!("{fpath}.name"),
                    format!(
                        "fields `{other}` and `{}` both become the Rust field `{rust_name}`",
                        f.name
                    ),
                    "add a distinct \"rust_name\" to one of them",
                );
                continue;
            }
            let Some(ty) = self.type_ref(&format!("{fpath}.type"), &f.ty) else {
                continue;
            };
            let field = Field {
                wire_name: f.name.clone(),
                rust_name,
                default: f
                    .default
                    .as_ref()
                    .and_then(|d| self.literal(&format!("{fpath}.default"), d, &ty)),
                ty,
                required: f.required,
                description: f.description.clone(),
                example: f.example.clone(),
                limits: Limits {
                    min_length: f.min_length,
                    max_length: f.max_length,
                    min_items: f.min_items,
                    max_items: f.max_items,
                },
                recommended_max_length: f.recommended_max_length,
                value_descriptions: Vec::new(),
            };
            if let Some(example) = &f.example {
                self.check_value(&format!("{fpath}.example"), example, &field.ty);
            }
            let field = Field {
                value_descriptions: self.value_descriptions(&fpath, f, &field.ty),
                ..field
            };
            self.check_limits(&fpath, &field, request);
            fields.push(field);
        }
        fields
    }

    fn field_rust_name(&mut self, fpath: &str, f: &spec::FieldSpec) -> Option<String> {
        if let Some(name) = &f.rust_name {
            if is_snake_ident(name) || is_keyword(name.trim_end_matches('_')) && name.ends_with('_')
            {
                return Some(name.clone());
            }
            self.problem(
                format!("{fpath}.rust_name"),
                format!("`{name}` is not a snake_case Rust field name"),
                format!("write it like `{}`", name.to_snake_case()),
            );
            return None;
        }
        let derived = f.name.to_snake_case();
        if !is_plain_ident(&derived) {
            self.problem(
                format!("{fpath}.name"),
                format!("`{}` does not make a Rust field name", f.name),
                "add \"rust_name\": \"some_name\" to this field",
            );
            return None;
        }
        Some(if is_keyword(&derived) {
            format!("{derived}_")
        } else {
            derived
        })
    }

    fn type_ref(&mut self, path: &str, text: &str) -> Option<Type> {
        match parse_type(self.spec, text) {
            Ok(ty) => Some(ty),
            Err(unknown) => {
                let known: Vec<&str> = self.spec.types.keys().map(String::as_str).collect();
                let fix = match known
                    .iter()
                    .find(|k| edit_distance(&k.to_lowercase(), &unknown.to_lowercase()) <= 2)
                {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => format!(
                        "use string, boolean, integer, number, one of the names under `types` ({}), any of them followed by [], or add a type named `{unknown}` under `types`",
                        known.join(", ")
                    ),
                };
                self.problem(path, format!("unknown type `{unknown}`"), fix);
                None
            }
        }
    }

    fn enum_of(&self, ty: &Type) -> Option<&spec::EnumSpec> {
        match ty {
            Type::Enum(name) => match self.spec.types.get(name) {
                Some(TypeSpec::Enum(e)) => Some(e),
                _ => None,
            },
            _ => None,
        }
    }

    /// Types a scalar from the schema against a field's type.
    fn literal(&mut self, path: &str, value: &Value, ty: &Type) -> Option<Literal> {
        let literal = match (ty, value) {
            (Type::Boolean, Value::Bool(b)) => Some(Literal::Bool(*b)),
            (Type::String, Value::String(s)) => Some(Literal::Str(s.clone())),
            (Type::Integer, Value::Number(n)) => n.as_i64().map(Literal::Int),
            (Type::Number, Value::Number(n)) => n.as_f64().map(Literal::Number),
            (Type::Enum(_), Value::String(s)) => {
                let e = self.enum_of(ty).expect("resolved enum");
                if e.values.iter().any(|v| v.value == *s) {
                    Some(Literal::Str(s.clone()))
                } else {
                    let values = e
                        .values
                        .iter()
                        .map(|v| v.value.as_str())
                        .collect::<Vec<_>>();
                    self.problem(
                        path,
                        format!("`{s}` is not a documented value of this field's enum"),
                        format!("use one of: {}", values.join(", ")),
                    );
                    return None;
                }
            }
            _ => None,
        };
        if literal.is_none() {
            self.problem(
                path,
                format!("{value} does not fit the field's type"),
                format!("write a value of type {}", describe(ty)),
            );
        }
        literal
    }

    /// Checks an example (which may be an array or object) against a type.
    fn check_value(&mut self, path: &str, value: &Value, ty: &Type) {
        match (ty, value) {
            (Type::Array(inner), Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.check_value(&format!("{path}[{i}]"), item, inner);
                }
            }
            (Type::Object(name), Value::Object(map)) => {
                if let Some(TypeSpec::Object(o)) = self.spec.types.get(name) {
                    self.check_object_value(path, map, &o.fields);
                }
            }
            (Type::Enum(_), Value::String(s)) => {
                let e = self.enum_of(ty).expect("resolved enum");
                if !e.values.iter().any(|v| v.value == *s)
                    && !e.aliases.iter().any(|a| a.wire == *s)
                {
                    self.problem(
                        path,
                        format!("`{s}` is neither a documented value nor an alias of {}", describe(ty)),
                        "fix the example, or add an alias to the enum that says what the spelling means",
                    );
                }
            }
            _ => {
                self.literal(path, value, ty);
            }
        }
    }

    fn check_object_value(
        &mut self,
        path: &str,
        map: &serde_json::Map<String, Value>,
        fields: &[spec::FieldSpec],
    ) {
        for (key, value) in map {
            match fields.iter().find(|f| f.name == *key) {
                // A field with an unknown type is reported where it is declared.
                Some(f) => {
                    if let Ok(ty) = parse_type(self.spec, &f.ty) {
                        self.check_value(&format!("{path}.{key}"), value, &ty);
                    }
                }
                None => self.problem(
                    format!("{path}.{key}"),
                    format!("the example has `{key}`, which no field describes"),
                    "describe the field, or fix the example",
                ),
            }
        }
    }

    fn check_examples(&mut self, examples: &spec::Examples) {
        let spec = self.spec;
        if let Some(Value::Object(map)) = &examples.request_body {
            match &spec.body {
                Some(body) => self.check_object_value("examples.request_body", map, &body.fields),
                None => self.problem(
                    "examples.request_body",
                    "there is a request body example but no `body`",
                    "describe the body, or remove the example",
                ),
            }
        }
        if let Some(response) = &examples.response {
            match response.get("data") {
                Some(Value::Object(data)) => {
                    self.check_object_value("examples.response.data", data, &spec.response.fields);
                }
                _ => self.problem(
                    "examples.response",
                    "the response example has no `data` object",
                    "copy the page's whole 响应体示例, with `code`, `msg` and `data`",
                ),
            }
        }
    }

    fn value_descriptions(
        &mut self,
        fpath: &str,
        f: &spec::FieldSpec,
        ty: &Type,
    ) -> Vec<(String, String)> {
        if f.value_descriptions.is_empty() {
            return Vec::new();
        }
        let Some(e) = self.enum_of(ty).cloned() else {
            self.problem(
                format!("{fpath}.value_descriptions"),
                "only enum fields have value descriptions",
                "remove `value_descriptions`, or give the field an enum type",
            );
            return Vec::new();
        };
        for key in f.value_descriptions.keys() {
            if !e.values.iter().any(|v| v.value == *key) {
                self.problem(
                    format!("{fpath}.value_descriptions.{key}"),
                    format!("`{key}` is not a value of the field's enum"),
                    format!(
                        "use one of: {}",
                        e.values
                            .iter()
                            .map(|v| v.value.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
        e.values
            .iter()
            .filter_map(|v| {
                f.value_descriptions
                    .get(&v.value)
                    .map(|d| (v.value.clone(), d.clone()))
            })
            .collect()
    }

    fn check_limits(&mut self, fpath: &str, field: &Field, request: bool) {
        let Limits {
            min_length,
            max_length,
            min_items,
            max_items,
        } = field.limits;
        let is_string = field.ty == Type::String;
        let is_array = matches!(field.ty, Type::Array(_));
        if (min_length.is_some() || max_length.is_some()) && !is_string {
            self.problem(
                fpath,
                "min_length/max_length count characters of a string, but this field is not a string",
                "use min_items/max_items for arrays, or remove the limit",
            );
        }
        if (min_items.is_some() || max_items.is_some()) && !is_array {
            self.problem(
                fpath,
                "min_items/max_items count items of an array, but this field is not an array",
                "use min_length/max_length for strings, or remove the limit",
            );
        }
        for (min, max, what) in [
            (min_length, max_length, "length"),
            (min_items, max_items, "items"),
        ] {
            if let (Some(min), Some(max)) = (min, max)
                && min > max
            {
                self.problem(
                    fpath,
                    format!("min_{what} {min} is greater than max_{what} {max}"),
                    "swap or correct the bounds",
                );
            }
        }
        let limited = [min_length, max_length, min_items, max_items]
            .iter()
            .any(Option::is_some);
        if limited && !request {
            self.problem(
                fpath,
                "limits are enforced on requests only, but this field is in the response",
                "move the limit into the field's description",
            );
        }
    }

    fn rule(&mut self, path: &str, spec: &spec::RuleSpec, fields: &[Field]) -> Option<Rule> {
        let find = |cx: &mut Self, at: String, name: &str| -> Option<Field> {
            let found = fields.iter().find(|f| f.wire_name == name).cloned();
            if found.is_none() {
                let names = fields
                    .iter()
                    .map(|f| f.wire_name.as_str())
                    .collect::<Vec<_>>();
                cx.problem(
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
                let field = find(self, format!("{path}.when.field"), &c.field)?;
                if !matches!(field.ty, Type::Boolean | Type::String | Type::Enum(_)) {
                    self.problem(
                        format!("{path}.when.field"),
                        "conditions compare booleans, strings or enums",
                        "name a field of one of those types",
                    );
                    return None;
                }
                let equals = self.literal(&format!("{path}.when.equals"), &c.equals, &field.ty)?;
                Some(Condition { field, equals })
            }
        };
        let check = match &spec.then {
            CheckSpec::Required { field } => {
                Check::Required(find(self, format!("{path}.then.field"), field)?)
            }
            CheckSpec::MinLength { field, min } => {
                let f = find(self, format!("{path}.then.field"), field)?;
                if f.ty != Type::String {
                    self.problem(
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
                    let f = find(self, format!("{path}.then.fields[{i}]"), name)?;
                    if !matches!(f.ty, Type::String | Type::Enum(_)) {
                        self.problem(
                            format!("{path}.then.fields[{i}]"),
                            "value comparisons apply to strings and enums",
                            "name a string or enum field",
                        );
                        return None;
                    }
                    self.literal(
                        &format!("{path}.then.value"),
                        &Value::String(value.clone()),
                        &f.ty,
                    )?;
                    resolved.push(f);
                }
                if resolved.is_empty() {
                    self.problem(
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
        if let Some(code) = spec.error_code
            && !self.spec.errors.iter().any(|e| e.code == code)
        {
            self.problem(
                format!("{path}.error_code"),
                format!("{code} is not one of the endpoint's documented error codes"),
                "use a code from `errors`, or add it there",
            );
        }
        Some(Rule {
            description: spec.description.clone(),
            when,
            check,
            error_code: spec.error_code,
        })
    }

    fn idempotency_key(&mut self) -> Option<String> {
        let mut keys = self
            .spec
            .query
            .iter()
            .flat_map(|q| q.fields.iter())
            .filter(|f| f.idempotency_key)
            .map(|f| f.name.clone());
        let key = keys.next();
        if keys.next().is_some() {
            self.problem(
                "query",
                "more than one query parameter is marked idempotency_key",
                "mark only the one the server deduplicates on",
            );
        }
        let elsewhere = [&self.spec.body, &Some(self.spec.response.clone())]
            .into_iter()
            .flatten()
            .any(|o| o.fields.iter().any(|f| f.idempotency_key));
        if elsewhere {
            self.problem(
                "",
                "idempotency_key is only meaningful on a query parameter",
                "remove it from body and response fields",
            );
        }
        key
    }

    fn errors(&mut self, prefix: &str) -> ErrorCodes {
        let mut codes = BTreeSet::new();
        let mut names = BTreeSet::new();
        let mut cases = Vec::new();
        for (i, e) in self.spec.errors.iter().enumerate() {
            let path = format!("errors[{i}]");
            if !codes.insert(e.code) {
                self.problem(
                    format!("{path}.code"),
                    format!("code {} is listed twice", e.code),
                    "remove the second entry",
                );
                continue;
            }
            if !is_type_ident(&e.name) || e.name == "Unknown" {
                self.problem(
                    format!("{path}.name"),
                    format!("`{}` is not a usable Rust variant name", e.name),
                    format!(
                        "write an UpperCamelCase name, e.g. `{}`",
                        suggest_type_name(&e.message)
                    ),
                );
                continue;
            }
            if !names.insert(e.name.as_str()) {
                self.problem(
                    format!("{path}.name"),
                    format!("name `{}` is used twice", e.name),
                    "give each code its own name",
                );
                continue;
            }
            cases.push(e.clone());
        }
        ErrorCodes {
            rust_name: format!("{prefix}ErrorCode"),
            cases,
        }
    }
}

/// Deepest inline nesting of objects rustc handles comfortably.
const MAX_INLINE_DEPTH: usize = 32;

/// How many objects deep `object` nests inline (itself counting one).
/// Called only once inline cycles are ruled out.
fn inline_depth(object: &Object, objects: &BTreeMap<&str, &Object>) -> usize {
    1 + object
        .fields
        .iter()
        .filter_map(|f| direct_object(&f.ty).and_then(|n| objects.get(n)))
        .map(|inner| inline_depth(inner, objects))
        .max()
        .unwrap_or(0)
}

/// The object a field holds inline (not through an array), if any.
fn direct_object(ty: &Type) -> Option<&str> {
    match ty {
        Type::Object(name) => Some(name),
        _ => None,
    }
}

/// Resolves a type reference; `Err` holds the unknown name.
fn parse_type(spec: &EndpointSpec, text: &str) -> Result<Type, String> {
    if let Some(inner) = text.strip_suffix("[]") {
        return parse_type(spec, inner).map(|t| Type::Array(Box::new(t)));
    }
    match text {
        "string" => Ok(Type::String),
        "boolean" => Ok(Type::Boolean),
        "integer" => Ok(Type::Integer),
        "number" => Ok(Type::Number),
        _ => match spec.types.get(text) {
            Some(TypeSpec::Object(_)) => Ok(Type::Object(text.to_owned())),
            Some(TypeSpec::Enum(_)) => Ok(Type::Enum(text.to_owned())),
            None => Err(text.to_owned()),
        },
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

fn describe(ty: &Type) -> String {
    match ty {
        Type::String => "string".into(),
        Type::Boolean => "boolean".into(),
        Type::Integer => "integer".into(),
        Type::Number => "number".into(),
        Type::Enum(n) | Type::Object(n) => n.clone(),
        Type::Array(inner) => format!("{}[]", describe(inner)),
    }
}

fn list_wires(variants: &[Variant]) -> String {
    variants
        .iter()
        .map(|v| v.wire.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn suggest_type_name(text: &str) -> String {
    let words: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let name = words
        .split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ")
        .to_upper_camel_case();
    if is_type_ident(&name) {
        name
    } else {
        "SomeName".into()
    }
}

fn is_ident_start(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
}

fn is_plain_ident(s: &str) -> bool {
    is_ident_start(s) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A lower snake_case identifier usable as a field or module name as is.
pub(crate) fn is_snake_ident(s: &str) -> bool {
    is_plain_ident(s) && s == s.to_snake_case() && !is_keyword(s)
}

/// An UpperCamelCase identifier usable as a type or variant name as is.
pub(crate) fn is_type_ident(s: &str) -> bool {
    is_plain_ident(s)
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s == s.to_upper_camel_case()
        && !is_keyword(s)
}

/// Rust keywords, strict and reserved, in every edition up to 2024.
pub(crate) fn is_keyword(s: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
        "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod",
        "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
        "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box",
        "do", "final", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
        "union",
    ];
    KEYWORDS.contains(&s)
}
