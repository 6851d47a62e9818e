//! `import-doc` for an event page: a draft event schema (event type,
//! envelope, scopes, the `event` object's fields and their types, the
//! example delivery), named and worded like an endpoint's response.

use std::collections::BTreeMap;

use feishu_codegen::spec::{EnvelopeVersion, EventSpec, ObjectSpec, Source, TypeSpec};

use super::types::{Importer, Place};
use crate::page::EventPage;

/// A draft event schema and the decisions left to the human.
#[derive(Debug)]
pub struct EventDraft {
    /// The schema, ready to write.
    pub spec: EventSpec,
    /// One line per open decision, in page order.
    pub open: Vec<String>,
}

/// Builds the draft for `page`, keeping the names and wording of
/// `decisions` (an existing schema) where the page agrees, and naming the
/// version's `shared` types instead of declaring them again.
pub fn import_event(
    page: &EventPage,
    decisions: Option<&EventSpec>,
    shared: &BTreeMap<String, TypeSpec>,
) -> EventDraft {
    let no_types = BTreeMap::new();
    let name = decisions
        .and_then(|d| d.type_name.clone())
        .unwrap_or_else(|| default_name(page));
    let mut importer = Importer {
        decided: decisions.map_or(&no_types, |d| &d.types),
        shared,
        reserved: super::names::reserved(&name)
            .into_iter()
            .chain([name.clone()])
            .collect(),
        types: BTreeMap::new(),
        open: Vec::new(),
    };
    let place = Place {
        at: "event".into(),
        response: true,
        owner: name,
        enforce: false,
    };
    let empty = ObjectSpec::default();
    let event = importer.object(&place, &page.fields, decisions.map_or(&empty, |d| &d.event));
    let mut types = importer.types;
    types.retain(|name, _| !shared.contains_key(name));
    let mut spec = EventSpec {
        meta_schema: Some(
            decisions
                .and_then(|d| d.meta_schema.clone())
                .unwrap_or_else(|| "../../../../event.schema.json".into()),
        ),
        source: Source {
            title: page.title.clone(),
            url: page.source_url.clone(),
            last_remote_update: page.last_remote_update.clone(),
            updated_at: page.updated_at,
        },
        event_type: page.event_type.clone(),
        envelope: page.envelope,
        type_name: decisions.and_then(|d| d.type_name.clone()),
        summary: decisions.map_or_else(|| page.summary.clone(), |d| d.summary.clone()),
        notes: decisions.map_or_else(|| page.notes.clone(), |d| d.notes.clone()),
        app_types: page.app_types.clone(),
        scopes: page.scopes.clone(),
        field_scopes: page.field_scopes.clone(),
        event,
        types,
        example: page.example.clone(),
        own_words: Vec::new(),
    };
    // As an endpoint's: the page keeps its own words where a shared type
    // holds another page's.
    if !shared.is_empty() {
        let own = import_event(page, None, &BTreeMap::new()).spec;
        spec.own_words = crate::drift::event_own_words(page, &spec, &own, shared);
    }
    let mut open = importer.open;
    // A page of several event types may show another one's delivery last.
    if let Some(example) = &spec.example {
        let pointer = match spec.envelope {
            EnvelopeVersion::V2 => "/header/event_type",
            EnvelopeVersion::V1 => "/event/type",
        };
        let named = example.pointer(pointer).and_then(serde_json::Value::as_str);
        if named != Some(spec.event_type.as_str()) {
            open.push(format!(
                "example: the page's example is a delivery of {}, not of `{}`: left out; copy the page's example of `{}` into `example`",
                named.map_or_else(|| "no event type".to_owned(), |t| format!("`{t}`")),
                spec.event_type,
                spec.event_type,
            ));
            spec.example = None;
        }
    }
    open.extend(super::fit::event(&mut spec, shared));
    EventDraft { spec, open }
}

/// The name the generator gives the event by default.
fn default_name(page: &EventPage) -> String {
    let group = page.api.as_ref().map_or("", |a| a.project.as_str());
    feishu_codegen::ir::default_event_name(group, &page.event_type)
}
