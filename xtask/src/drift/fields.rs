//! Path parameters, query, body and response fields, each at its exact
//! path: nested fields under their parent, named types followed through,
//! array items as `[]`.

use std::collections::BTreeSet;

use feishu_codegen::spec::{EndpointSpec, EnumRepr, EnumValueSpec, FieldSpec, TypeSpec};
use serde_json::Value;

use super::{Class, Report, wording};
use crate::page::{Field, FieldType, Page};

/// `imported` is the page as `import-doc` writes it without decisions.
pub(super) fn compare(
    page: &Page,
    imported: &EndpointSpec,
    schema: &EndpointSpec,
    out: &mut Report,
) {
    let mut walk = Walk {
        schema,
        imported,
        seen: BTreeSet::new(),
        out,
    };
    // Whether a path parameter is required is import's rule, not the row's.
    let path: Vec<Field> = (page.path_params.iter().zip(&imported.path_params))
        .map(|(f, i)| Field {
            required: i.required,
            ..f.clone()
        })
        .collect();
    let roots = ["path", "query", "body", "response"];
    let pages = [&path, &page.query, &page.body, &page.response];
    let (ours, theirs) = (roots_of(schema), roots_of(imported));
    for (i, at) in roots.into_iter().enumerate() {
        walk.fields(at, pages[i], (ours[i], theirs[i]), true);
    }
}

/// The path parameters, query, body and response fields of `spec`.
fn roots_of(spec: &EndpointSpec) -> [&[FieldSpec]; 4] {
    let query = spec.query.as_ref().map_or(&[][..], |o| &o.fields);
    let body = spec.body.as_ref().map_or(&[][..], |o| &o.fields);
    [&spec.path_params, query, body, &spec.response.fields]
}

/// A schema's fields and the same object's fields as `import-doc` writes
/// them for the page.
type Pair<'a> = (&'a [FieldSpec], &'a [FieldSpec]);

struct Walk<'a, 'r> {
    schema: &'a EndpointSpec,
    /// The page as `import-doc` writes it: each field's wording and values
    /// are compared as import would write them (values trimmed, bounds the
    /// format cannot hold yet in the description).
    imported: &'a EndpointSpec,
    /// Named object types already compared in full. A later use (the
    /// response repeating a body type) is compared for its fields' presence
    /// and type only: the schema, like `import-doc`, takes a type's
    /// defaults, examples and wording from its first use.
    seen: BTreeSet<String>,
    out: &'r mut Report,
}

impl<'a> Walk<'a, '_> {
    fn fields(&mut self, at: &str, page: &[Field], (schema, imported): Pair<'a>, full: bool) {
        for field in page {
            let path = format!("{at}.{}", field.name);
            let theirs = imported.iter().find(|f| f.name == field.name);
            match schema.iter().find(|f| f.name == field.name) {
                None => self
                    .out
                    .shape(format!("{path}: field added ({})", field.ty)),
                Some(ours) => self.field(&path, field, (ours, theirs), full),
            }
        }
        for ours in schema {
            if !page.iter().any(|f| f.name == ours.name) {
                self.out.shape(format!("{at}.{}: field removed", ours.name));
            }
        }
    }

    fn field(
        &mut self,
        at: &str,
        page: &Field,
        (ours, theirs): (&'a FieldSpec, Option<&'a FieldSpec>),
        full: bool,
    ) {
        let (shape, stated) = (self.shape(&ours.ty), page.ty.to_string());
        if shape != stated {
            self.out.shape(format!("{at}: type {shape} -> {stated}"));
            return;
        }
        let base = ours.ty.trim_end_matches("[]");
        let named = self.schema.types.get(base);
        if full {
            self.facts(at, page, ours);
            if let Some(theirs) = theirs {
                self.value_limits(at, ours, theirs);
            }
        }
        match named {
            Some(TypeSpec::Enum(_)) => self.values(at, page, (ours, theirs), full),
            // Import makes an enum of a string's listed values.
            None if let Some(stated) = theirs.and_then(|t| meanings(self.imported, t)) => {
                let values: Vec<String> = stated.iter().map(|(v, _)| format!("`{v}`")).collect();
                self.out.shape(format!(
                    "{at}: the page now lists values {} (schema: plain string)",
                    values.join(", ")
                ));
            }
            Some(TypeSpec::Object(object)) => {
                let full = full && self.seen.insert(base.to_owned());
                let at = if ours.ty.ends_with("[]") {
                    format!("{at}[]")
                } else {
                    at.to_owned()
                };
                let imported = theirs.and_then(|t| fields_of(self.imported, t));
                let pair = (&object.fields[..], imported.unwrap_or(&[]));
                self.fields(&at, &page.fields, pair, full);
            }
            _ => {}
        }
        if full {
            let description = theirs.map_or(&page.description, |t| &t.description);
            self.description(at, page, ours, description, named);
        }
    }

    /// What `import-doc` copies from the row as it stands: required,
    /// default, limits (shape) and the example.
    fn facts(&mut self, at: &str, page: &Field, ours: &FieldSpec) {
        if page.required != ours.required {
            self.out.shape(format!(
                "{at}: required {} -> {}",
                ours.required, page.required
            ));
        }
        if page.default != ours.default {
            self.out.shape(format!(
                "{at}: default {} -> {}",
                json(ours.default.as_ref()),
                json(page.default.as_ref())
            ));
        }
        let theirs = &page.limits;
        // One line per length limit; value limits are compared as import
        // writes them (`value_limits`).
        let limits = [
            limit("max_length", ours.max_length, theirs.max_length),
            limit("min_length", ours.min_length, theirs.min_length),
            limit("max_items", ours.max_items, theirs.max_items),
            limit("min_items", ours.min_items, theirs.min_items),
        ];
        for (name, ours, theirs) in limits.into_iter().flatten() {
            self.out.shape(format!("{at}: {name} {ours} -> {theirs}"));
        }
        if page.example != ours.example {
            self.out.push(
                Class::Example,
                format!(
                    "{at}: example {} -> {}",
                    json(ours.example.as_ref()),
                    json(page.example.as_ref())
                ),
            );
        }
    }

    /// Values added and removed (shape, at every use); on a full use, what
    /// each means.
    fn values(
        &mut self,
        at: &str,
        page: &Field,
        (ours, theirs): (&FieldSpec, Option<&FieldSpec>),
        full: bool,
    ) {
        let listed = meanings(self.schema, ours).unwrap_or_default();
        let stated = theirs
            .and_then(|t| meanings(self.imported, t))
            .unwrap_or_else(|| page.values.clone());
        if stated.is_empty() {
            return;
        }
        let values = |v: &[(String, String)]| v.iter().map(|(v, _)| v.clone()).collect::<Vec<_>>();
        super::head::added_removed(
            self.out,
            at,
            "enum value",
            &values(&listed),
            &values(&stated),
        );
        if !full {
            return;
        }
        for (value, meaning) in &stated {
            if let Some((_, ours)) = listed.iter().find(|(v, _)| v == value) {
                self.out
                    .wording(at, &format!("value `{value}`"), ours, meaning);
            }
        }
    }

    /// The field's description. Values a boolean or number lists have no
    /// enum to live in; the schema may fold them into the description, so
    /// there it need only begin with the page's description.
    fn description(
        &mut self,
        at: &str,
        page: &Field,
        ours: &FieldSpec,
        theirs: &str,
        named: Option<&TypeSpec>,
    ) {
        let folded = !page.values.is_empty()
            && !matches!(named, Some(TypeSpec::Enum(_)))
            && item(&page.ty) != &FieldType::String;
        if folded && wording::words(&ours.description).starts_with(&wording::words(theirs)) {
            return;
        }
        self.out
            .wording(at, "description", &ours.description, theirs);
    }

    /// The page's view of a schema type: enums are strings or integers as
    /// they go on the wire, named objects are objects.
    fn shape(&self, ty: &str) -> String {
        if let Some(item) = ty.strip_suffix("[]") {
            return format!("{}[]", self.shape(item));
        }
        match ty {
            "string" | "boolean" | "integer" | "number" => ty.to_owned(),
            _ => match self.schema.types.get(ty) {
                Some(TypeSpec::Enum(e)) => match e.repr {
                    EnumRepr::String => "string".to_owned(),
                    EnumRepr::Integer => "integer".to_owned(),
                },
                Some(TypeSpec::Object(_)) => "object".to_owned(),
                None => format!("unknown type `{ty}`"),
            },
        }
    }
}

impl Walk<'_, '_> {
    /// `minimum`, `maximum` and `pattern` as import writes them: a bound
    /// on a response field, or a pattern the runtime cannot match, goes
    /// into the description instead, so the page's row alone cannot say.
    fn value_limits(&mut self, at: &str, ours: &FieldSpec, theirs: &FieldSpec) {
        let limits = [
            limit("minimum", ours.minimum, theirs.minimum),
            limit("maximum", ours.maximum, theirs.maximum),
            limit("pattern", ours.pattern.as_ref(), theirs.pattern.as_ref()),
        ];
        for (name, ours, theirs) in limits.into_iter().flatten() {
            self.out.shape(format!("{at}: {name} {ours} -> {theirs}"));
        }
    }
}

/// `(name, ours, theirs)` when a limit differs.
fn limit<T: PartialEq + ToString>(
    name: &'static str,
    ours: Option<T>,
    theirs: Option<T>,
) -> Option<(&'static str, String, String)> {
    let show = |v: Option<T>| v.map_or_else(|| "none".to_owned(), |v| v.to_string());
    (ours != theirs).then(|| (name, show(ours), show(theirs)))
}

fn json(v: Option<&Value>) -> String {
    v.map_or_else(|| "none".to_owned(), Value::to_string)
}

/// What each value of an enum field means in `spec`: the field's own
/// `value_descriptions` entry, else the enum's. `None` when not an enum.
fn meanings(spec: &EndpointSpec, field: &FieldSpec) -> Option<Vec<(String, String)>> {
    let Some(TypeSpec::Enum(e)) = spec.types.get(field.ty.trim_end_matches("[]")) else {
        return None;
    };
    let meaning = |v: &EnumValueSpec| {
        let own = field.value_descriptions.get(&v.value);
        (v.value.clone(), own.unwrap_or(&v.description).clone())
    };
    Some(e.values.iter().map(meaning).collect())
}

/// The fields of an object field's named type in `spec`.
fn fields_of<'a>(spec: &'a EndpointSpec, field: &FieldSpec) -> Option<&'a [FieldSpec]> {
    match spec.types.get(field.ty.trim_end_matches("[]")) {
        Some(TypeSpec::Object(o)) => Some(&o.fields),
        _ => None,
    }
}

/// The type of an array's items, or the type itself.
fn item(ty: &FieldType) -> &FieldType {
    match ty {
        FieldType::Array(inner) => item(inner),
        _ => ty,
    }
}
