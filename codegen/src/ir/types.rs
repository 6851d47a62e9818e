//! Named types, objects and their fields.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::Value;

use super::names::{
    is_keyword, is_plain_ident, is_snake_ident, is_type_ident, open_decision, snake_case,
    suggest_type_name,
};
use super::scope::{Scope, Shared};
use super::{
    Alias, Enum, Field, Limits, NamedType, Object, SharedTypes, Sink, Type, Variant, graph, rules,
    values,
};
use crate::problem::Problem;
use crate::spec::{self, EnumRepr, EnumSpec, ObjectSpec, TypeSpec, TypesSpec};

/// Suffixes of the type names the generator gives the endpoint's own types.
pub(super) const RESERVED_SUFFIXES: [&str; 5] = ["Query", "Body", "Data", "Request", "ErrorCode"];

/// Type names an endpoint whose type prefix is `prefix` cannot give a type
/// of its own: those the generator gives the endpoint's types, and the std
/// and serde names generated code uses unqualified. The checker refuses
/// them; `import-doc` steers clear of them.
pub fn taken_type_names(prefix: &str) -> Vec<String> {
    RESERVED_SUFFIXES
        .iter()
        .map(|s| format!("{prefix}{s}"))
        .chain(PRELUDE_NAMES.iter().map(|s| (*s).to_owned()))
        .collect()
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

/// A field's example, checked once every type it may name is resolved.
pub(super) struct Example {
    pub path: String,
    pub value: Value,
    pub ty: Type,
}

/// Checks and resolves a version's shared types file. What resolved is
/// returned even beside problems, so that endpoints naming the types are
/// checked too and report only their own mistakes.
pub(super) fn shared(file: &str, spec: &TypesSpec) -> (Option<SharedTypes>, Vec<Problem>) {
    let mut sink = Sink::new(file);
    let module_path = shared_module_path(&mut sink, file);
    check_type_names(&mut sink, &spec.types, &[]);
    check_files(&mut sink, [], &spec.types);
    let mut scope = Scope::new(&spec.types, Shared::None);
    let mut examples = Vec::new();
    named_types(&mut sink, &mut scope, &spec.types, &mut examples);
    graph::settle(&mut sink, &mut scope, Vec::new());
    let lenient = !sink.problems.is_empty();
    values::check_examples(&mut sink, &scope, &examples, lenient);
    let Some(module_path) = module_path else {
        return (None, sink.problems);
    };
    let description = spec.description.clone().unwrap_or_else(|| {
        format!(
            "Types that the endpoints under `{}/{}` share.",
            module_path[0], module_path[1]
        )
    });
    let shared = SharedTypes {
        source_file: file.to_owned(),
        module_path,
        description,
        types: scope.local.into_values().collect(),
    };
    (Some(shared), sink.problems)
}

/// `schema/im/v1/types.json` -> `["im", "v1", "types"]`.
fn shared_module_path(sink: &mut Sink, file: &str) -> Option<Vec<String>> {
    let rest = file.strip_prefix("schema/").unwrap_or(file);
    let segments: Vec<&str> = rest.split('/').collect();
    match segments[..] {
        [group, version, _] if is_snake_ident(group) && is_snake_ident(version) => Some(vec![
            group.to_owned(),
            version.to_owned(),
            "types".to_owned(),
        ]),
        _ => {
            sink.problem(
                "",
                "shared types belong to one API version",
                "move the file to schema/<group>/<version>/types.json, e.g. schema/im/v1/types.json",
            );
            None
        }
    }
}

/// Type names must be Rust type names that shadow nothing the generated
/// code uses. `reserved` holds the names generated for the file's own
/// types, with what each is for.
pub(super) fn check_type_names(
    sink: &mut Sink,
    types: &BTreeMap<String, TypeSpec>,
    reserved: &[(String, &str)],
) {
    for name in types.keys() {
        let path = format!("types.{name}");
        if open_decision(sink, &path, name, "name of this type") {
            continue;
        }
        if !is_type_ident(name) {
            sink.problem(
                path,
                format!("type name `{name}` is not an UpperCamelCase Rust type name"),
                format!("rename it, e.g. `{}`", suggest_type_name(name)),
            );
        } else if PRELUDE_NAMES.contains(&name.as_str()) {
            sink.problem(
                path,
                format!("`{name}` is a name generated code uses from std or serde"),
                format!("rename the type, e.g. `{name}Value`"),
            );
        } else if let Some((_, what)) = reserved.iter().find(|(r, _)| r == name) {
            sink.problem(
                path,
                format!("`{name}` is the name generated for the endpoint's {what} type"),
                "rename the type, or set `type_prefix` to something else",
            );
        }
    }
}

/// A file's own type may not take the name of a shared type it could use.
/// A file is a part of a multipart request body, so only a body's own
/// field can be one: `file`, not in a list, a map, a response, an event or
/// a named type. `objects` are (JSON path, object, whether it is a body).
pub(super) fn check_files<'a>(
    sink: &mut Sink,
    objects: impl IntoIterator<Item = (String, &'a spec::ObjectSpec, bool)>,
    types: &'a BTreeMap<String, TypeSpec>,
) {
    let named = types.iter().filter_map(|(name, t)| match t {
        TypeSpec::Object(o) => Some((format!("types.{name}"), o, false)),
        TypeSpec::Enum(_) => None,
    });
    for (path, object, body) in objects.into_iter().chain(named) {
        for (i, f) in object.fields.iter().enumerate() {
            let mut words =
                f.ty.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
            if words.any(|w| w == "file") && !(body && f.ty == "file") {
                sink.problem(
                    format!("{path}.fields[{i}].type"),
                    format!("`{}` is a file, which only a request body's own field can be", f.name),
                    "type it `file` as a field of `body`; a file in a list, a map, a response or a named type has no spelling on the wire",
                );
            }
        }
    }
}

pub(super) fn check_not_shared(sink: &mut Sink, scope: &Scope, types: &BTreeMap<String, TypeSpec>) {
    let Some(shared) = scope.shared else { return };
    for name in types.keys() {
        if scope.shared_type(name).is_some() {
            sink.problem(
                format!("types.{name}"),
                format!(
                    "`{name}` is also a shared type in {}, so the name is ambiguous",
                    shared.source_file
                ),
                "remove this copy and use the shared type, or give this one another name",
            );
        }
    }
}

/// Resolves the file's own named types into `scope.local`: enums first,
/// since object fields' defaults name their values.
pub(super) fn named_types(
    sink: &mut Sink,
    scope: &mut Scope,
    specs: &BTreeMap<String, TypeSpec>,
    examples: &mut Vec<Example>,
) {
    for (name, spec) in specs {
        if let TypeSpec::Enum(e) = spec {
            let resolved = enumeration(sink, name, e);
            scope.local.insert(name.clone(), NamedType::Enum(resolved));
        }
    }
    for (name, spec) in specs {
        if let TypeSpec::Object(o) = spec {
            let resolved = object(
                sink,
                scope,
                &format!("types.{name}"),
                name,
                name,
                o,
                true,
                examples,
            );
            scope
                .local
                .insert(name.clone(), NamedType::Object(resolved));
        }
    }
}

fn enumeration(sink: &mut Sink, name: &str, spec: &EnumSpec) -> Enum {
    let path = format!("types.{name}");
    if spec.values.is_empty() {
        sink.problem(
            format!("{path}.values"),
            "an enum needs at least one documented value",
            "list the page's 可选值有 entries, or make the field a plain string",
        );
    }
    let mut by_rust: BTreeMap<String, &str> = BTreeMap::new();
    let mut wires = BTreeSet::new();
    let mut variants = Vec::new();
    let integer = spec.repr == EnumRepr::Integer;
    for (i, value) in spec.values.iter().enumerate() {
        let vpath = format!("{path}.values[{i}]");
        // The decimal text of an integer, as the checker reads it back.
        let number = value.value.parse::<i64>().ok();
        if integer && number.is_none_or(|n| n.to_string() != value.value) {
            sink.problem(
                format!("{vpath}.value"),
                format!(
                    "`{}` is not an integer, but the enum's repr is integer",
                    value.value
                ),
                "write the value as a JSON integer, e.g. 0, or remove \"repr\"",
            );
            continue;
        }
        if !wires.insert(value.value.as_str()) {
            sink.problem(
                format!("{vpath}.value"),
                format!("value `{}` is listed twice", value.value),
                "remove the second entry",
            );
            continue;
        }
        let rust_name = match &value.rust_name {
            Some(n) if open_decision(sink, &format!("{vpath}.rust_name"), n, "variant name") => {
                continue;
            }
            Some(n) if is_type_ident(n) => n.clone(),
            Some(n) => {
                sink.problem(
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
                    sink.problem(
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
            sink.problem(
                format!("{vpath}.value"),
                "`Unknown` is the variant that keeps values the docs do not list",
                "add a different \"rust_name\" to this value",
            );
            continue;
        }
        if let Some(other) = by_rust.insert(rust_name.clone(), &value.value) {
            sink.problem(
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
            number: number.filter(|_| integer),
            rust_name,
            description: value.description.clone(),
        });
    }
    let mut aliases = Vec::new();
    if integer && !spec.aliases.is_empty() {
        sink.problem(
            format!("{path}.aliases"),
            "aliases are other spellings of string values; this enum's values are integers",
            "remove `aliases`",
        );
    }
    for (i, alias) in spec.aliases.iter().enumerate().filter(|_| !integer) {
        let apath = format!("{path}.aliases[{i}]");
        if !wires.insert(alias.wire.as_str()) {
            sink.problem(
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
            None => sink.problem(
                format!("{apath}.means"),
                format!("`{}` is not a value of {name}", alias.means),
                format!("use one of: {}", values::list_wires(&variants)),
            ),
        }
    }
    Enum {
        rust_name: name.to_owned(),
        integer,
        description: spec.description.clone(),
        variants,
        aliases,
    }
}

/// An object: the query, the body, the response data or a named type.
/// `request` objects may carry limits, which are checked before sending.
#[allow(clippy::too_many_arguments)]
pub(super) fn object(
    sink: &mut Sink,
    scope: &Scope,
    path: &str,
    rust_name: &str,
    default_description: &str,
    spec: &ObjectSpec,
    request: bool,
    examples: &mut Vec<Example>,
) -> Object {
    let fields = fields(sink, scope, path, &spec.fields, request, examples);
    let rules = spec
        .rules
        .iter()
        .enumerate()
        .filter_map(|(i, r)| rules::resolve(sink, scope, &format!("{path}.rules[{i}]"), r, &fields))
        .collect();
    Object {
        rust_name: rust_name.to_owned(),
        description: spec
            .description
            .clone()
            .unwrap_or_else(|| default_description.to_owned()),
        fields,
        rules,
        // Settled by `graph::settle` once every type is resolved.
        validates: false,
        nesting: 0,
    }
}

/// The fields of an object, or the path parameters (`path` is
/// `path_params`, whose entries sit directly under it).
pub(super) fn fields(
    sink: &mut Sink,
    scope: &Scope,
    path: &str,
    specs: &[spec::FieldSpec],
    request: bool,
    examples: &mut Vec<Example>,
) -> Vec<Field> {
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
            sink.problem(
                format!("{fpath}.name"),
                format!("field `{}` is described twice", f.name),
                "merge the two entries into one",
            );
            continue;
        }
        let Some(rust_name) = field_rust_name(sink, &fpath, f) else {
            continue;
        };
        if let Some(other) = rust_names.insert(rust_name.clone(), f.name.clone()) {
            sink.problem(
                format!("{fpath}.name"),
                format!(
                    "fields `{other}` and `{}` both become the Rust field `{rust_name}`",
                    f.name
                ),
                "add a distinct \"rust_name\" to one of them",
            );
            continue;
        }
        let Some(ty) = scope.type_ref(sink, &format!("{fpath}.type"), &f.ty) else {
            continue;
        };
        let default = f
            .default
            .as_ref()
            .and_then(|d| values::scalar(sink, scope, &format!("{fpath}.default"), d, &ty));
        if let Some(example) = &f.example {
            examples.push(Example {
                path: format!("{fpath}.example"),
                value: example.clone(),
                ty: ty.clone(),
            });
        }
        let field = Field {
            wire_name: f.name.clone(),
            rust_name,
            value_descriptions: value_descriptions(sink, scope, &fpath, f, &ty),
            default,
            ty,
            required: f.required,
            description: f.description.clone(),
            example: f.example.clone(),
            limits: Limits {
                min_length: f.min_length,
                max_length: f.max_length,
                min_items: f.min_items,
                max_items: f.max_items,
                minimum: f.minimum,
                maximum: f.maximum,
                pattern: f.pattern.clone(),
                min_bytes: f.min_bytes,
                max_bytes: f.max_bytes,
            },
            recommended_max_length: f.recommended_max_length,
            validates_inside: false,
        };
        check_limits(sink, &fpath, &field, request);
        fields.push(field);
    }
    fields
}

fn field_rust_name(sink: &mut Sink, fpath: &str, f: &spec::FieldSpec) -> Option<String> {
    if let Some(name) = &f.rust_name {
        if open_decision(sink, &format!("{fpath}.rust_name"), name, "Rust field name") {
            return None;
        }
        if is_snake_ident(name) || is_keyword(name.trim_end_matches('_')) && name.ends_with('_') {
            return Some(name.clone());
        }
        sink.problem(
            format!("{fpath}.rust_name"),
            format!("`{name}` is not a snake_case Rust field name"),
            format!("write it like `{}`", name.to_snake_case()),
        );
        return None;
    }
    let derived = snake_case(&f.name);
    if !is_plain_ident(&derived) {
        sink.problem(
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

fn value_descriptions(
    sink: &mut Sink,
    scope: &Scope,
    fpath: &str,
    f: &spec::FieldSpec,
    ty: &Type,
) -> Vec<(String, String)> {
    if f.value_descriptions.is_empty() {
        return Vec::new();
    }
    // A list of an enum takes them too: each item is one of its values.
    let mut item = ty;
    while let Type::Array(inner) = item {
        item = inner;
    }
    let Some(e) = values::enum_of(scope, item) else {
        sink.problem(
            format!("{fpath}.value_descriptions"),
            "only enum fields (or lists of an enum) have value descriptions",
            "remove `value_descriptions`, or give the field an enum type",
        );
        return Vec::new();
    };
    for key in f.value_descriptions.keys() {
        if !e.variants.iter().any(|v| v.wire == *key) {
            sink.problem(
                format!("{fpath}.value_descriptions.{key}"),
                format!("`{key}` is not a value of the field's enum"),
                format!("use one of: {}", values::list_wires(&e.variants)),
            );
        }
    }
    e.variants
        .iter()
        .filter_map(|v| {
            f.value_descriptions
                .get(&v.wire)
                .map(|d| (v.wire.clone(), d.clone()))
        })
        .collect()
}

fn check_limits(sink: &mut Sink, fpath: &str, field: &Field, request: bool) {
    let Limits {
        min_length,
        max_length,
        min_items,
        max_items,
        minimum,
        maximum,
        ref pattern,
        min_bytes,
        max_bytes,
    } = field.limits;
    let is_string = field.ty == Type::String;
    let is_array = matches!(field.ty, Type::Array(_));
    if (min_length.is_some() || max_length.is_some()) && !is_string {
        sink.problem(
            fpath,
            "min_length/max_length count characters of a string, but this field is not a string",
            "use min_items/max_items for arrays, or remove the limit",
        );
    }
    if (min_items.is_some() || max_items.is_some()) && !is_array {
        sink.problem(
            fpath,
            "min_items/max_items count items of an array, but this field is not an array",
            "use min_length/max_length for strings, or remove the limit",
        );
    }
    if (minimum.is_some() || maximum.is_some()) && field.ty != Type::Integer {
        sink.problem(
            fpath,
            format!(
                "minimum/maximum bound an integer, but this field is {}",
                field.ty.describe()
            ),
            "use min_length/max_length for strings or min_items/max_items for arrays, or remove the bound",
        );
    }
    if let (Some(min), Some(max)) = (minimum, maximum)
        && min > max
    {
        sink.problem(
            fpath,
            format!("minimum {min} is greater than maximum {max}"),
            "swap or correct the bounds",
        );
    }
    if let Some(pattern) = pattern {
        check_pattern(sink, fpath, pattern, is_string);
    }
    if (min_bytes.is_some() || max_bytes.is_some()) && field.ty != Type::File {
        sink.problem(
            fpath,
            "min_bytes/max_bytes bound the size of a file, but this field is not a `file`",
            "use min_length/max_length for strings, or remove the bound",
        );
    }
    if let (Some(min), Some(max)) = (min_bytes, max_bytes)
        && min > max
    {
        sink.problem(
            fpath,
            format!("min_bytes {min} is greater than max_bytes {max}"),
            "swap or correct the bounds",
        );
    }
    for (min, max, what) in [
        (min_length, max_length, "length"),
        (min_items, max_items, "items"),
    ] {
        if let (Some(min), Some(max)) = (min, max)
            && min > max
        {
            sink.problem(
                fpath,
                format!("min_{what} {min} is greater than max_{what} {max}"),
                "swap or correct the bounds",
            );
        }
    }
    if field.limits.any() && !request {
        sink.problem(
            fpath,
            "limits are enforced on requests only, but this field is in the response",
            "move the limit into the field's description",
        );
    }
}

/// A pattern belongs on a string and must compile with the crate the
/// runtime matches with, so every accepted pattern is enforced as written.
fn check_pattern(sink: &mut Sink, fpath: &str, pattern: &str, is_string: bool) {
    if !is_string {
        sink.problem(
            format!("{fpath}.pattern"),
            "a pattern is matched against a string, but this field is not a string",
            "remove the pattern, or put it on a string field",
        );
    }
    if let Err(error) = regex_lite::Regex::new(pattern) {
        let reason = error.to_string();
        let reason = reason.lines().last().unwrap_or_default().trim();
        sink.problem(
            format!("{fpath}.pattern"),
            format!("`{pattern}` is not a regular expression the runtime can match: {reason}"),
            "fix the expression (regex-lite syntax: no Unicode classes such as \\p{..}), or describe the format in the field's description",
        );
    }
}
