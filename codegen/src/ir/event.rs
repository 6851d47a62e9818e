//! One event file: what the event is called, which envelope it comes in,
//! and the `event` object it carries.

use heck::ToUpperCamelCase;

use super::endpoint::{app_types, field_scopes, module_path, scopes, source};
use super::names::{is_type_ident, open_decision};
use super::scope::{Scope, Shared};
use super::{Envelope, EventType, Sink, graph, tree, types, values};
use crate::problem::Problem;
use crate::spec::{self, EVENTS_FOLDER, EventSpec};

/// Checks one event file and resolves it against its version's shared
/// types. `file` is the path relative to the workspace root
/// (`schema/im/v1/chat/events/disbanded.json`).
pub(super) fn resolve(
    file: &str,
    spec: &EventSpec,
    shared: Shared<'_>,
) -> Result<EventType, Vec<Problem>> {
    let mut sink = Sink::new(file);
    let module_path = module_path(&mut sink, file);
    if let Some(path) = &module_path
        && (path.len() < 4 || path[path.len() - 2] != EVENTS_FOLDER)
    {
        sink.problem(
            "",
            "an event file sits in the `events` folder of a resource",
            "move it to schema/<group>/<version>/<resource>/events/<name>.json",
        );
    }
    check_event_type(&mut sink, &spec.event_type);
    types::check_files(
        &mut sink,
        [("event".to_owned(), &spec.event, false)],
        &spec.types,
    );
    let rust_name = type_name(&mut sink, spec, module_path.as_deref());
    types::check_type_names(&mut sink, &spec.types, &[(rust_name.clone(), "event")]);
    let mut scope = Scope::new(&spec.types, shared);
    types::check_not_shared(&mut sink, &scope, &spec.types);
    let mut examples = Vec::new();
    types::named_types(&mut sink, &mut scope, &spec.types, &mut examples);
    let description = format!(
        "{}: the `event` object of `{}`.",
        spec.source.title, spec.event_type
    );
    let mut body = types::object(
        &mut sink,
        &scope,
        "event",
        &rust_name,
        &description,
        &spec.event,
        false,
        &mut examples,
    );
    graph::settle(&mut sink, &mut scope, vec![&mut body]);
    let lenient = !sink.problems.is_empty();
    values::check_examples(&mut sink, &scope, &examples, lenient);
    let envelope = match spec.envelope {
        spec::EnvelopeVersion::V2 => Envelope::V2,
        spec::EnvelopeVersion::V1 => Envelope::V1,
    };
    if let Some(example) = &spec.example {
        values::check_event_example(
            &mut sink,
            &scope,
            example,
            envelope,
            &spec.event_type,
            &body,
            lenient,
        );
    }
    let Some(module_path) = module_path else {
        return Err(sink.problems);
    };
    let shared = tree::shared_use(scope.shared, &scope, [&body].into_iter(), &[]);
    let event = EventType {
        source_file: file.to_owned(),
        module_path,
        source: source(&spec.source),
        summary: spec.summary.clone(),
        notes: spec.notes.clone(),
        wire: spec.event_type.clone(),
        envelope,
        app_types: app_types(&spec.app_types),
        scopes: scopes(&spec.scopes),
        field_scopes: field_scopes(&spec.field_scopes),
        body,
        types: scope.local.into_values().collect(),
        shared,
        example: spec.example.is_some(),
    };
    sink.finish(event)
}

/// Event types are lower-case words joined by `.` and `_`, e.g.
/// `im.chat.member.user.added_v1` or `p2p_chat_create`.
fn check_event_type(sink: &mut Sink, event_type: &str) {
    let fine = !event_type.is_empty()
        && event_type.split('.').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        });
    if !fine {
        sink.problem(
            "event_type",
            format!("`{event_type}` is not an event type"),
            "copy the page's 事件类型, e.g. im.chat.disbanded_v1",
        );
    }
}

/// `type_name`, or the event type without its API group:
/// `im.chat.disbanded_v1` in `im` gives `ChatDisbandedV1`.
fn type_name(sink: &mut Sink, spec: &EventSpec, module_path: Option<&[String]>) -> String {
    if let Some(name) = &spec.type_name {
        if !open_decision(sink, "type_name", name, "Rust name of the event") && !is_type_ident(name)
        {
            sink.problem(
                "type_name",
                format!("`{name}` is not an UpperCamelCase Rust type name"),
                format!("write it like `{}`", name.to_upper_camel_case()),
            );
        }
        return name.clone();
    }
    let group = module_path
        .and_then(|p| p.first())
        .map_or("", String::as_str);
    default_event_name(group, &spec.event_type)
}

/// The Rust name an event of the API group `group` gets unless its schema
/// sets `type_name`: its type without the group, in UpperCamelCase
/// (`im`, `im.chat.disbanded_v1` -> `ChatDisbandedV1`).
pub fn default_event_name(group: &str, event_type: &str) -> String {
    let local = event_type
        .strip_prefix(group)
        .and_then(|rest| rest.strip_prefix('.'))
        .unwrap_or(event_type);
    local.replace('.', "_").to_upper_camel_case()
}
