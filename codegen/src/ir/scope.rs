//! The names one file can refer to: its own `types`, then its version's
//! shared types.

use std::collections::{BTreeMap, BTreeSet};

use super::names::nearest;
use super::{NamedType, SharedTypes, Sink, Type};
use crate::spec::{EnumRepr, TypeSpec};

/// The types every file can name, as the schema spells them.
const SCALARS: [&str; 5] = ["string", "boolean", "integer", "number", "json"];

/// What a type name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Object,
    Enum,
    IntEnum,
}

/// The shared types of a file's version.
#[derive(Clone, Copy)]
pub(super) enum Shared<'a> {
    /// The version has no types file.
    None,
    /// Its types file, checked.
    Loaded(&'a SharedTypes),
    /// Its types file did not load, so the names it declares are unknown.
    Unloaded,
}

/// The types a file can name, and those resolved so far.
pub(super) struct Scope<'a> {
    kinds: BTreeMap<&'a str, Kind>,
    pub shared: Option<&'a SharedTypes>,
    /// The version's types file did not load: an unknown name may be one
    /// of its types.
    unloaded: bool,
    /// The file's own types, as they are resolved.
    pub local: BTreeMap<String, NamedType>,
    /// The error codes a rule may name: the endpoint's documented ones;
    /// `None` in a shared-types file, which documents none.
    pub error_codes: Option<BTreeSet<i64>>,
}

impl<'a> Scope<'a> {
    /// The file's own types (by their spec) and the shared ones. A name in
    /// both stands for the file's own, so one mistake is reported once.
    pub fn new(own: &'a BTreeMap<String, TypeSpec>, shared: Shared<'a>) -> Self {
        let (shared, unloaded) = match shared {
            Shared::None => (None, false),
            Shared::Loaded(types) => (Some(types), false),
            Shared::Unloaded => (None, true),
        };
        let mut kinds = BTreeMap::new();
        for t in shared.iter().flat_map(|s| &s.types) {
            let kind = match t {
                NamedType::Object(_) => Kind::Object,
                NamedType::Enum(e) if e.integer => Kind::IntEnum,
                NamedType::Enum(_) => Kind::Enum,
            };
            kinds.insert(t.rust_name(), kind);
        }
        for (name, spec) in own {
            let kind = match spec {
                TypeSpec::Object(_) => Kind::Object,
                TypeSpec::Enum(e) if e.repr == EnumRepr::Integer => Kind::IntEnum,
                TypeSpec::Enum(_) => Kind::Enum,
            };
            kinds.insert(name.as_str(), kind);
        }
        Scope {
            kinds,
            shared,
            unloaded,
            local: BTreeMap::new(),
            error_codes: None,
        }
    }

    /// The shared type named `name`, if there is one.
    pub fn shared_type(&self, name: &str) -> Option<&'a NamedType> {
        self.shared?.types.iter().find(|t| t.rust_name() == name)
    }

    /// The type named `name`: the file's own, else a shared one.
    pub fn named(&self, name: &str) -> Option<&NamedType> {
        self.local.get(name).or_else(|| self.shared_type(name))
    }

    /// Resolves a type reference (`string`, `Name`, `Name[]`,
    /// `map<string, Name>`, ...); `Err` holds the unknown name, or the whole
    /// `map<..>` when the map itself is misspelled.
    pub fn parse(&self, text: &str) -> Result<Type, String> {
        if let Some(inner) = text.strip_suffix("[]") {
            return self.parse(inner).map(|t| Type::Array(Box::new(t)));
        }
        if let Some(args) = text.strip_prefix("map<").and_then(|t| t.strip_suffix('>')) {
            // Keys are always strings: they are JSON object keys on the
            // wire. Splitting at the first comma leaves a nested map whole.
            return match args.split_once(',') {
                Some((key, value)) if key.trim() == "string" => {
                    self.parse(value.trim()).map(|t| Type::Map(Box::new(t)))
                }
                _ => Err(text.to_owned()),
            };
        }
        match text {
            "string" => Ok(Type::String),
            "boolean" => Ok(Type::Boolean),
            "integer" => Ok(Type::Integer),
            "number" => Ok(Type::Number),
            "json" => Ok(Type::Json),
            "file" => Ok(Type::File),
            _ => match self.kinds.get(text) {
                Some(Kind::Object) => Ok(Type::Object(text.to_owned())),
                Some(Kind::Enum) => Ok(Type::Enum(text.to_owned())),
                Some(Kind::IntEnum) => Ok(Type::IntEnum(text.to_owned())),
                None => Err(text.to_owned()),
            },
        }
    }

    /// [`Self::parse`], reporting an unknown name with the closest known one.
    /// A name that may be one of the types that did not load leaves the
    /// file unchecked instead (see [`Sink::mute`]).
    pub fn type_ref(&self, sink: &mut Sink, path: &str, text: &str) -> Option<Type> {
        let unknown = match self.parse(text) {
            Ok(ty) => return Some(ty),
            Err(unknown) => unknown,
        };
        if is_map_spelling(&unknown) {
            sink.problem(
                path,
                format!("`{unknown}` is not a map type"),
                format!(
                    "write `map<string, T>`: the keys are strings (JSON object keys), and T is {}, a name from `types`, any of them followed by [], or another map",
                    SCALARS.join(", ")
                ),
            );
            return None;
        }
        if self.unloaded {
            sink.mute();
            return None;
        }
        let known: Vec<&str> = self.kinds.keys().copied().collect();
        let fix = match nearest(&unknown, SCALARS.into_iter().chain(known.iter().copied())) {
            Some(k) => format!("did you mean `{k}`?"),
            None => {
                let place = match self.shared {
                    Some(s) => format!("under `types` or in {}", s.source_file),
                    None => "under `types`".to_owned(),
                };
                format!(
                    "use {}, one of the names {place} ({}), any of them followed by [] or inside map<string, ..>, or add a type named `{unknown}` under `types`",
                    SCALARS.join(", "),
                    known.join(", ")
                )
            }
        };
        sink.problem(path, format!("unknown type `{unknown}`"), fix);
        None
    }
}

/// Whether an unknown type reads as an attempt at `map<string, T>` (any
/// case, any key, brackets unclosed), so its problem can show the spelling.
fn is_map_spelling(text: &str) -> bool {
    text.get(..4)
        .is_some_and(|head| head.eq_ignore_ascii_case("map<"))
}
