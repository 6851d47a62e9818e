//! The page's fields as schema fields, and the object and enum types they
//! name: taken from the decisions file where the page agrees with it, else
//! an existing equal type, else a new one named by the rules in `names`.

use std::collections::{BTreeMap, BTreeSet};

use feishu_codegen::spec::{
    CheckSpec, EnumRepr, EnumSpec, EnumValueSpec, FieldSpec, ObjectSpec, TypeSpec,
};

use super::names;
use super::shape::{same_type, same_values, same_wording};
use crate::page::{Field, FieldType, Limits};

/// Builds the draft's fields and types.
pub(super) struct Importer<'a> {
    /// The decisions file's types, its version's shared ones among them.
    pub decided: &'a BTreeMap<String, TypeSpec>,
    /// The version's shared types.
    pub shared: &'a BTreeMap<String, TypeSpec>,
    /// Names no type of the draft may take.
    pub reserved: Vec<String>,
    /// The draft's types.
    pub types: BTreeMap<String, TypeSpec>,
    /// Open decisions, in page order.
    pub open: Vec<String>,
}

/// Where fields sit: their parent's path in messages (`body.chat_tabs`),
/// whether in the response, the name of the object holding them, and
/// whether their limits may be enforced (everywhere but the response's own
/// fields, which the client never checks: there they stay in words).
#[derive(Clone)]
pub(super) struct Place {
    pub at: String,
    pub response: bool,
    pub owner: String,
    pub enforce: bool,
}

impl Place {
    fn child(&self, field: &str) -> String {
        format!("{}.{field}", self.at)
    }
}

impl Importer<'_> {
    /// The fields of an object; `decided` gives the decisions file's
    /// wording and rules for it.
    pub fn object(&mut self, place: &Place, fields: &[Field], decided: &ObjectSpec) -> ObjectSpec {
        let fields: Vec<FieldSpec> = fields
            .iter()
            .map(|f| {
                let d = decided.fields.iter().find(|d| d.name == f.name);
                self.field(place, f, d)
            })
            .collect();
        ObjectSpec {
            description: decided.description.clone(),
            rules: kept_rules(decided, &fields),
            fields,
        }
    }

    fn field(&mut self, place: &Place, f: &Field, decided: Option<&FieldSpec>) -> FieldSpec {
        let at = place.child(&f.name);
        let decided_ty = decided.map(|d| d.ty.trim_end_matches("[]"));
        let ty = self.ty(place, &at, f, &f.ty, decided_ty);
        let is_string = ty == "string";
        let limits = Enforced::of(f, &ty, place.enforce);
        let description = match decided {
            Some(d) => d.description.clone(),
            None => described(f, &ty, &limits),
        };
        let recommended_max_length = match decided {
            Some(d) => d.recommended_max_length,
            None if is_string && f.limits.max_length.is_none() => {
                recommended_length(&f.description)
            }
            None => None,
        };
        let value_descriptions = match decided {
            Some(d) => d.value_descriptions.clone(),
            None => self.value_descriptions(&ty, f),
        };
        let l = limits.0;
        FieldSpec {
            name: f.name.clone(),
            ty,
            required: f.required,
            description,
            default: f.default.clone(),
            example: f.example.clone(),
            max_length: l.max_length,
            min_length: l.min_length,
            max_items: l.max_items,
            min_items: l.min_items,
            minimum: l.minimum,
            maximum: l.maximum,
            pattern: l.pattern,
            min_bytes: l.min_bytes,
            max_bytes: l.max_bytes,
            recommended_max_length,
            value_descriptions,
            idempotency_key: decided.is_some_and(|d| d.idempotency_key),
            message_content: decided.is_some_and(|d| d.message_content),
            rust_name: decided.and_then(|d| d.rust_name.clone()),
        }
    }

    /// The schema type of a page type; `decided` is the decisions file's
    /// type name for the field, without `[]`.
    fn ty(
        &mut self,
        place: &Place,
        at: &str,
        f: &Field,
        ty: &FieldType,
        decided: Option<&str>,
    ) -> String {
        match ty {
            FieldType::Array(item) => format!("{}[]", self.ty(place, at, f, item, decided)),
            FieldType::Map(value) => match map_value_row(f, value) {
                // The page's rows are the map's `key` and `value`: the
                // value row says what each value is, named for the map.
                Some(row) => format!(
                    "map<string, {}>",
                    self.ty(place, at, &row, &row.ty, decided)
                ),
                None => format!("map<string, {}>", self.ty(place, at, f, value, decided)),
            },
            FieldType::Boolean => "boolean".into(),
            FieldType::Integer if integer_values(f) => {
                self.enum_type(place, at, f, decided, EnumRepr::Integer)
            }
            FieldType::Integer => "integer".into(),
            FieldType::Number => "number".into(),
            FieldType::Json => "json".into(),
            FieldType::File => "file".into(),
            FieldType::String => self.enum_type(place, at, f, decided, EnumRepr::String),
            FieldType::Object(page_name) => self.object_type(place, at, f, page_name, decided),
        }
    }

    /// The enum of the field's values, or the plain type when it lists none.
    fn enum_type(
        &mut self,
        place: &Place,
        at: &str,
        f: &Field,
        decided: Option<&str>,
        repr: EnumRepr,
    ) -> String {
        let page_enum = page_enum(f, repr);
        if let Some(name) = decided
            && let Some(TypeSpec::Enum(e)) = self.decided.get(name)
        {
            if f.values.is_empty() || same_values(e, &page_enum) {
                return self.adopt(name);
            }
            self.open.push(format!(
                "{at}: the page's values differ from `{name}`'s: extend `{name}` in the decisions file, or name a new enum"
            ));
        }
        if f.values.is_empty() {
            return "string".into();
        }
        // Fields with the same values share one enum, whatever its name.
        let existing = [&self.types, self.shared, self.decided]
            .into_iter()
            .find_map(|types| {
                types.iter().find_map(|(name, t)| match t {
                    TypeSpec::Enum(e) if same_values(e, &page_enum) => Some(name.clone()),
                    _ => None,
                })
            });
        match existing {
            Some(name) => self.adopt(&name),
            None => self.declare(
                place,
                at,
                &names::enum_base(&f.name),
                TypeSpec::Enum(page_enum),
            ),
        }
    }

    fn object_type(
        &mut self,
        place: &Place,
        at: &str,
        f: &Field,
        page_name: &str,
        decided: Option<&str>,
    ) -> String {
        if let Some(name) = decided
            && let Some(TypeSpec::Object(o)) = self.decided.get(name)
        {
            // The first use (the request's, with defaults and examples)
            // defines a type the response shares.
            if !self.types.contains_key(name) {
                let inner = Place {
                    at: at.to_owned(),
                    response: place.response,
                    owner: name.to_owned(),
                    enforce: true,
                };
                let o = o.clone();
                let object = self.object(&inner, &f.fields, &o);
                self.types.insert(name.to_owned(), TypeSpec::Object(object));
            }
            return name.to_owned();
        }
        let base = names::object_base(page_name, &f.name);
        let inner = Place {
            at: at.to_owned(),
            response: place.response,
            owner: base.clone(),
            enforce: true,
        };
        let mut object = self.object(&inner, &f.fields, &ObjectSpec::default());
        let description = first_line(&f.description);
        object.description = (!description.is_empty()).then_some(description);
        self.declare(place, at, &base, TypeSpec::Object(object))
    }

    /// The first of `base`'s candidate names that is free or holds an equal
    /// type; a free one is declared as `spec`.
    fn declare(&mut self, place: &Place, at: &str, base: &str, spec: TypeSpec) -> String {
        for (name, numbered) in names::candidates(base, place.response, &place.owner) {
            if let Some(existing) = self.lookup(&name) {
                if same_type(existing, &spec) {
                    return self.adopt(&name);
                }
                continue;
            }
            if self.reserved.contains(&name) {
                continue;
            }
            if numbered {
                self.open.push(format!(
                    "{at}: `{base}` and its qualified names are taken, so the type is `{name}`: name it"
                ));
            }
            self.types.insert(name.clone(), spec);
            return name;
        }
        unreachable!("numbered candidates never run out")
    }

    fn lookup(&self, name: &str) -> Option<&TypeSpec> {
        [&self.types, self.shared, self.decided]
            .into_iter()
            .find_map(|types| types.get(name))
    }

    /// Uses the type `name`: a decided type becomes the draft's own unless
    /// it is shared, which the draft names without declaring.
    fn adopt(&mut self, name: &str) -> String {
        if !self.types.contains_key(name)
            && !self.shared.contains_key(name)
            && let Some(t) = self.decided.get(name)
        {
            self.types.insert(name.to_owned(), t.clone());
        }
        name.to_owned()
    }

    /// The page's wording of the field's values where the enum it uses
    /// words them differently.
    fn value_descriptions(&self, ty: &str, f: &Field) -> BTreeMap<String, String> {
        let Some(TypeSpec::Enum(e)) = self.lookup(ty.trim_end_matches("[]")) else {
            return BTreeMap::new();
        };
        f.values
            .iter()
            .filter(|(value, description)| {
                e.values
                    .iter()
                    .find(|v| v.value == value.trim())
                    .is_some_and(|v| !same_wording(&v.description, description))
            })
            .map(|(v, d)| (v.trim().to_owned(), d.clone()))
            .collect()
    }
}

/// The enum of a field's values, in page order, each value once, without
/// the stray spaces some pages leave inside the value's code span.
fn page_enum(f: &Field, repr: EnumRepr) -> EnumSpec {
    let mut seen = BTreeSet::new();
    let listed: Vec<(String, String)> = f
        .values
        .iter()
        .map(|(v, d)| (v.trim().to_owned(), d.clone()))
        .filter(|(v, _)| seen.insert(v.clone()))
        .collect();
    let wires: Vec<String> = listed.iter().map(|(v, _)| v.clone()).collect();
    let rust_names = names::variant_rust_names(&wires);
    EnumSpec {
        description: first_line(&f.description),
        repr,
        values: listed
            .into_iter()
            .zip(rust_names)
            .map(|((value, description), rust_name)| EnumValueSpec {
                value,
                description,
                rust_name,
            })
            .collect(),
        aliases: Vec::new(),
    }
}

/// The `value` row of a map whose value type the page names and whose
/// rows are exactly its `key` and `value` (`map<string, abnormal_code>`
/// over the rows `key` and `value`), as a field named for the map. Other
/// rows under a named value type are that type's fields.
fn map_value_row(map: &Field, value: &FieldType) -> Option<Field> {
    if !matches!(value, FieldType::Object(_)) {
        return None;
    }
    let [key, row] = &map.fields[..] else {
        return None;
    };
    (key.name == "key" && row.name == "value").then(|| Field {
        name: map.name.clone(),
        ..row.clone()
    })
}

/// An integer field whose listed values are all integers: an integer enum.
fn integer_values(f: &Field) -> bool {
    !f.values.is_empty()
        && f.values
            .iter()
            .all(|(v, _)| v.trim().parse::<i64>().is_ok())
}

fn is_integer(ty: &FieldType) -> bool {
    match ty {
        FieldType::Integer => true,
        FieldType::Array(item) => is_integer(item),
        _ => false,
    }
}

/// The limits of a field that can be enforced where it sits; the others
/// are kept in words.
struct Enforced(Limits);

impl Enforced {
    /// `ty` is the field's schema type: a limit bounds one kind of value
    /// (lengths a string, items an array, minimum and maximum an integer),
    /// and one the page puts on another kind stays in words.
    fn of(f: &Field, ty: &str, enforce: bool) -> Self {
        if !enforce {
            return Enforced(Limits::default());
        }
        let mut limits = f.limits.clone();
        let (string, array, integer) = (ty == "string", ty.ends_with("[]"), ty == "integer");
        if !string {
            (limits.min_length, limits.max_length) = (None, None);
        }
        if !array {
            (limits.min_items, limits.max_items) = (None, None);
        }
        if !integer {
            (limits.minimum, limits.maximum) = (None, None);
        }
        if ty != "file" {
            (limits.min_bytes, limits.max_bytes) = (None, None);
        }
        // The runtime matches with regex-lite; a pattern it cannot compile
        // would stop codegen, so it stays in words.
        limits.pattern = limits
            .pattern
            .filter(|p| string && regex_lite::Regex::new(p).is_ok());
        Enforced(limits)
    }
}

/// The field's description with what the schema cannot hold as a field
/// written out: the values of an integer field that did not become an
/// enum, and the limits that are not enforced where the field sits.
fn described(f: &Field, ty: &str, enforced: &Enforced) -> String {
    let mut text = f.description.clone();
    if is_integer(&f.ty) && ty.starts_with("integer") && !f.values.is_empty() {
        let list: Vec<String> = f
            .values
            .iter()
            .map(|(v, d)| format!("- `{v}`：{d}"))
            .collect();
        text.push_str(&format!("\n\n可选值有：\n{}", list.join("\n")));
    }
    let (page, kept) = (&f.limits, &enforced.0);
    let unkept = |page: Option<String>, kept: bool| page.filter(|_| !kept);
    let words: Vec<String> = [
        unkept(
            page.max_length.map(|v| format!("- 最大长度：`{v}` 字符")),
            kept.max_length.is_some(),
        ),
        unkept(
            page.min_length.map(|v| format!("- 最小长度：`{v}` 字符")),
            kept.min_length.is_some(),
        ),
        unkept(
            page.max_items.map(|v| format!("- 最多：`{v}` 项")),
            kept.max_items.is_some(),
        ),
        unkept(
            page.min_items.map(|v| format!("- 最少：`{v}` 项")),
            kept.min_items.is_some(),
        ),
        unkept(
            page.minimum.map(|v| format!("- 最小值：`{v}`")),
            kept.minimum.is_some(),
        ),
        unkept(
            page.maximum.map(|v| format!("- 最大值：`{v}`")),
            kept.maximum.is_some(),
        ),
        unkept(
            page.pattern.as_ref().map(|p| format!("- 正则：`{p}`")),
            kept.pattern.is_some(),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !words.is_empty() {
        text.push_str(&format!("\n\n数据校验规则：\n{}", words.join("\n")));
    }
    text
}

/// A decided rule is kept only while every field it names is still there.
fn kept_rules(decided: &ObjectSpec, fields: &[FieldSpec]) -> Vec<feishu_codegen::spec::RuleSpec> {
    let names: BTreeSet<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    decided
        .rules
        .iter()
        .filter(|r| {
            let mut used = r.when.iter().map(|w| w.field.as_str()).collect::<Vec<_>>();
            match &r.then {
                CheckSpec::Required { field } | CheckSpec::MinLength { field, .. } => {
                    used.push(field)
                }
                CheckSpec::NotAllEqual { fields, .. } | CheckSpec::NoneEqual { fields, .. } => {
                    used.extend(fields.iter().map(String::as_str))
                }
            }
            used.iter().all(|u| names.contains(u))
        })
        .cloned()
        .collect()
}

pub(super) fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").trim().to_owned()
}

/// `建议不超过 60 字符` and the like: prose, so documented, not enforced
/// (enforced limits are stated under 数据校验规则).
fn recommended_length(text: &str) -> Option<usize> {
    let rest = &text[text.find("不超过")? + "不超过".len()..];
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}
