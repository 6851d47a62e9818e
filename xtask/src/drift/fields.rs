//! Path parameters, query, body and response fields, each at its exact
//! path: nested fields under their parent, named types followed through,
//! array items as `[]`. Also the `own_words` `import-doc` writes, decided
//! by the same comparisons, so the two cannot disagree.

use std::collections::{BTreeMap, BTreeSet};

use feishu_codegen::spec::{
    EndpointSpec, EnumRepr, EnumSpec, EnumValueSpec, EventSpec, FieldSpec, OwnWords, TypeSpec,
};
use serde_json::Value;

use super::{Class, Report, wording};
use crate::page::{EventPage, Field, FieldType, Page};

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
        own_used: BTreeSet::new(),
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
    // Own words nothing was compared with are what a re-import drops.
    for own in &schema.own_words {
        if !walk.own_used.contains(&own.path) {
            walk.out.push(
                Class::Wording,
                format!(
                    "{}: own words no field of the page uses (a re-import drops them)",
                    own.path
                ),
            );
        }
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
    /// The paths whose `own_words` were compared.
    own_used: BTreeSet<String>,
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
        (ours, theirs): (&FieldSpec, Option<&'a FieldSpec>),
        full: bool,
    ) {
        let worded = full.then(|| self.own_words(at, ours)).flatten();
        let ours = worded.as_ref().unwrap_or(ours);
        let (shape, stated) = (self.shape(&ours.ty), stated_type(page));
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
            None if let Some(stated) = theirs.and_then(|t| meanings(&self.imported.types, t)) => {
                let values: Vec<String> = stated.iter().map(|(v, _)| format!("`{v}`")).collect();
                self.out.shape(format!(
                    "{at}: the page now lists values {} (schema: plain string)",
                    values.join(", ")
                ));
            }
            Some(TypeSpec::Object(object)) => {
                let full = full && self.seen.insert(base.to_owned());
                let at = inside(at, &ours.ty);
                let imported = theirs.and_then(|t| fields_of(&self.imported.types, t));
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

    /// `ours` in the page's own words where the schema keeps them for the
    /// field at `at` (one of a shared type, which holds another page's).
    fn own_words(&mut self, at: &str, ours: &FieldSpec) -> Option<FieldSpec> {
        let own = self.schema.own_words.iter().find(|w| w.path == at)?;
        self.own_used.insert(at.to_owned());
        Some(FieldSpec {
            description: own.description.clone(),
            example: own.example.clone(),
            value_descriptions: own.value_descriptions.clone(),
            ..ours.clone()
        })
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
        let sizes = [
            limit("max_bytes", ours.max_bytes, theirs.max_bytes),
            limit("min_bytes", ours.min_bytes, theirs.min_bytes),
        ];
        for (name, ours, theirs) in sizes.into_iter().flatten() {
            self.out.shape(format!("{at}: {name} {ours} -> {theirs}"));
        }
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
        let listed = meanings(&self.schema.types, ours).unwrap_or_default();
        let stated = stated_meanings(&self.imported.types, page, theirs);
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
        for (value, ours, meaning) in reworded(&listed, &stated) {
            self.out
                .wording(at, &format!("value `{value}`"), ours, meaning);
        }
    }

    /// The field's description.
    fn description(
        &mut self,
        at: &str,
        page: &Field,
        ours: &FieldSpec,
        theirs: &str,
        named: Option<&TypeSpec>,
    ) {
        if !same_description(page, &ours.description, theirs, named) {
            self.out
                .wording(at, "description", &ours.description, theirs);
        }
    }

    /// The page's view of a schema type: enums are strings or integers as
    /// they go on the wire, named objects are objects.
    fn shape(&self, ty: &str) -> String {
        if let Some(item) = ty.strip_suffix("[]") {
            return format!("{}[]", self.shape(item));
        }
        if let Some(value) = ty
            .strip_prefix("map<string,")
            .and_then(|rest| rest.strip_suffix('>'))
        {
            return format!("map<string, {}>", self.shape(value.trim()));
        }
        match ty {
            "string" | "boolean" | "integer" | "number" | "json" => ty.to_owned(),
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

/// What `import-doc` writes as the schema's `own_words`: for each field
/// the page reaches through one of the version's `shared` types, at that
/// type's first use on the page (as [`compare`] compares it), the page's
/// own words where drift would find the shared type's different. `schema`
/// is the draft, `imported` the page imported without decisions or shared
/// types, so in the page's own words throughout.
pub(crate) fn own_words(
    page: &Page,
    schema: &EndpointSpec,
    imported: &EndpointSpec,
    shared: &BTreeMap<String, TypeSpec>,
) -> Vec<OwnWords> {
    let pages = [&page.path_params, &page.query, &page.body, &page.response];
    let (ours, theirs) = (roots_of(schema), roots_of(imported));
    let roots = ["path", "query", "body", "response"]
        .into_iter()
        .enumerate()
        .map(|(i, at)| (at, &pages[i][..], (ours[i], theirs[i])));
    own_words_below(roots, (&schema.types, &imported.types), shared)
}

/// [`own_words`] of an event page: its `event` object's fields.
pub(crate) fn event_own_words(
    page: &EventPage,
    schema: &EventSpec,
    imported: &EventSpec,
    shared: &BTreeMap<String, TypeSpec>,
) -> Vec<OwnWords> {
    let pair = (&schema.event.fields[..], &imported.event.fields[..]);
    let roots = [("event", &page.fields[..], pair)];
    own_words_below(roots, (&schema.types, &imported.types), shared)
}

/// The own words below `roots` (each a path, the page's fields there, the
/// draft's and the imported ones), whose types are `types`.
fn own_words_below<'a>(
    roots: impl IntoIterator<Item = (&'a str, &'a [Field], Pair<'a>)>,
    (types, imported): (&'a Types, &'a Types),
    shared: &'a Types,
) -> Vec<OwnWords> {
    let mut walk = OwnWalk {
        types,
        imported,
        shared,
        seen: BTreeSet::new(),
        out: Vec::new(),
    };
    for (at, page, pair) in roots {
        walk.fields(at, page, pair, false);
    }
    walk.out
}

/// Named types by name.
type Types = BTreeMap<String, TypeSpec>;

/// The walk of [`own_words`], as [`compare`] walks: the page's fields with
/// the draft's and the imported ones of the same name, each object type
/// followed at its first use only.
struct OwnWalk<'a> {
    /// The draft's types; a shared type is taken from `shared`, since a
    /// draft's copy of one holds the decisions' words, not the type's.
    types: &'a Types,
    /// The types of the page imported in its own words.
    imported: &'a Types,
    shared: &'a Types,
    seen: BTreeSet<String>,
    out: Vec<OwnWords>,
}

impl<'a> OwnWalk<'a> {
    fn fields(&mut self, at: &str, page: &[Field], (ours, theirs): Pair<'a>, shared: bool) {
        for field in page {
            let find = |fields: &'a [FieldSpec]| fields.iter().find(|f| f.name == field.name);
            let (Some(ours), Some(theirs)) = (find(ours), find(theirs)) else {
                continue;
            };
            let path = format!("{at}.{}", field.name);
            let base = ours.ty.trim_end_matches("[]");
            let named = self.shared.get(base).or_else(|| self.types.get(base));
            if shared {
                self.compare(&path, field, (ours, theirs), named);
            }
            if let Some(TypeSpec::Object(object)) = named
                && self.seen.insert(base.to_owned())
            {
                let imported = fields_of(self.imported, theirs).unwrap_or(&[]);
                let pair = (&object.fields[..], imported);
                let shared = self.shared.contains_key(base);
                self.fields(&inside(&path, &ours.ty), &field.fields, pair, shared);
            }
        }
    }

    /// Keeps the page's words for the field at `path` where drift would
    /// report the shared type's (`ours`, of type `named`): its example, a
    /// value's meaning or its description.
    fn compare(
        &mut self,
        path: &str,
        page: &Field,
        (ours, theirs): (&FieldSpec, &FieldSpec),
        named: Option<&TypeSpec>,
    ) {
        let enumerated = match named {
            Some(TypeSpec::Enum(e)) => Some(e),
            _ => None,
        };
        let listed =
            enumerated.map_or_else(Vec::new, |e| enum_meanings(e, &ours.value_descriptions));
        let stated = stated_meanings(self.imported, page, Some(theirs));
        if page.example == ours.example
            && reworded(&listed, &stated).next().is_none()
            && same_description(page, &ours.description, &theirs.description, named)
        {
            return;
        }
        // Only the meanings the enum itself words otherwise, as a field's
        // `value_descriptions` hold them.
        let enums = enumerated.map_or_else(Vec::new, |e| enum_meanings(e, &BTreeMap::new()));
        let value_descriptions = reworded(&enums, &stated)
            .map(|(value, _, meaning)| (value.to_owned(), meaning.to_owned()))
            .collect();
        self.out.push(OwnWords {
            path: path.to_owned(),
            description: theirs.description.clone(),
            example: page.example.clone(),
            value_descriptions,
        });
    }
}

/// The path of an object field's own fields: an array's items as `[]`.
fn inside(at: &str, ty: &str) -> String {
    if ty.ends_with("[]") {
        format!("{at}[]")
    } else {
        at.to_owned()
    }
}

/// What each value means as the page states it: as import writes the
/// field `theirs`, else as the page's row lists it.
fn stated_meanings(
    imported: &Types,
    page: &Field,
    theirs: Option<&FieldSpec>,
) -> Vec<(String, String)> {
    theirs
        .and_then(|t| meanings(imported, t))
        .unwrap_or_else(|| page.values.clone())
}

/// `(value, ours, theirs)` for each value both list whose meaning `stated`
/// words otherwise than `listed`.
fn reworded<'m>(
    listed: &'m [(String, String)],
    stated: &'m [(String, String)],
) -> impl Iterator<Item = (&'m str, &'m str, &'m str)> {
    stated.iter().filter_map(|(value, meaning)| {
        let (_, ours) = listed.iter().find(|(v, _)| v == value)?;
        (!wording::same(ours, meaning)).then_some((value.as_str(), ours.as_str(), meaning.as_str()))
    })
}

/// Whether the schema's description `ours` words the page's `theirs` (as
/// import writes it) the same. Values a boolean or number lists have no
/// enum to live in (`named` is the field's schema type); the schema may
/// fold them into the description, so there it need only begin with the
/// page's description.
fn same_description(page: &Field, ours: &str, theirs: &str, named: Option<&TypeSpec>) -> bool {
    let folded = !page.values.is_empty()
        && !matches!(named, Some(TypeSpec::Enum(_)))
        && item(&page.ty) != &FieldType::String;
    wording::same(ours, theirs)
        || (folded && wording::words(ours).starts_with(&wording::words(theirs)))
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

/// What each value of an enum field means with these `types`: the field's
/// own `value_descriptions` entry, else the enum's. `None` when not an
/// enum.
fn meanings(types: &Types, field: &FieldSpec) -> Option<Vec<(String, String)>> {
    match types.get(field.ty.trim_end_matches("[]")) {
        Some(TypeSpec::Enum(e)) => Some(enum_meanings(e, &field.value_descriptions)),
        _ => None,
    }
}

/// What each value of `e` means for a field with these
/// `value_descriptions`.
fn enum_meanings(e: &EnumSpec, own: &BTreeMap<String, String>) -> Vec<(String, String)> {
    let meaning = |v: &EnumValueSpec| {
        let own = own.get(&v.value);
        (v.value.clone(), own.unwrap_or(&v.description).clone())
    };
    e.values.iter().map(meaning).collect()
}

/// The fields of an object field's named type among `types`.
fn fields_of<'a>(types: &'a Types, field: &FieldSpec) -> Option<&'a [FieldSpec]> {
    match types.get(field.ty.trim_end_matches("[]")) {
        Some(TypeSpec::Object(o)) => Some(&o.fields),
        _ => None,
    }
}

/// The page's type as import reads it: a map over the rows `key` and
/// `value` is a map of the value row's type.
fn stated_type(page: &Field) -> String {
    match (&page.ty, &page.fields[..]) {
        (FieldType::Map(value), [key, row])
            if matches!(**value, FieldType::Object(_))
                && key.name == "key"
                && row.name == "value" =>
        {
            format!("map<string, {}>", row.ty)
        }
        (ty, _) => ty.to_string(),
    }
}

/// The type of an array's items, or the type itself.
fn item(ty: &FieldType) -> &FieldType {
    match ty {
        FieldType::Array(inner) => item(inner),
        _ => ty,
    }
}
