//! Schema changes that must break no caller: a new optional body field
//! (at the top and in a nested type), a new optional query parameter, a new
//! response field, a newly documented enum value, and an optional field or
//! parameter becoming required.
//!
//! Two fixtures (`nested_body`, a body; `query_parameters`, a query and an
//! idempotency key) are generated into a scratch crate, with warnings
//! denied as CI denies them, and one caller is compiled against them:
//! builder setters, `.body(..)` and `.query(..)` with struct literals ending
//! in `..Default::default()`, a nested struct literal, a match on the data.
//! The fixtures are then changed, regenerated, and the same caller compiled
//! again. Both builds must succeed.
//!
//! The second build also runs the caller: a call that leaves out a field
//! the schema now requires still compiles, and is refused before anything
//! is sent with `ErrorKind::Validation` naming the field with
//! `Limit::Required`. (The checked-in crate has no endpoint with a field
//! that is always required, only create chat's `name` when the chat is
//! public, so this is where an always-required field is run.)
//!
//! A caller that writes a struct literal without `..Default::default()`
//! is not covered by this promise: the same build with that code turned on
//! must fail, which shows the builds above can fail at all.

use std::path::Path;

use crate::scratch::Scratch;
use serde_json::{Value, json};

const BODY_FIXTURE: &str = "nested_body/schema/fixture/v1/thing/create.json";
const QUERY_FIXTURE: &str = "query_parameters/schema/fixture/v1/thing/archive.json";

/// Schema paths as the generator sees them, relative to the workspace root.
const BODY_SCHEMA: &str = "schema/fixture/v1/thing/create.json";
const QUERY_SCHEMA: &str = "schema/fixture/v1/thing/archive.json";

/// The caller, the same file for both builds.
const CALLER: &str = r#"
use feishu_openapi::fixture::v1::thing::archive::{
    ArchiveThingData, ArchiveThingErrorCode, ArchiveThingQuery, ThingStatus, UserIdType,
};
use feishu_openapi::fixture::v1::thing::create::{
    CreateThingBody, CreateThingData, CreateThingErrorCode, Person, ThingKind,
};
use feishu_openapi::{Client, Error};

/// Setters only. Leaves `description` out.
pub async fn create_with_setters(
    client: &Client,
) -> Result<Option<String>, Error<CreateThingErrorCode>> {
    let created = client
        .fixture()
        .v1()
        .thing()
        .create()
        .name("样例")
        .kind(ThingKind::Box)
        .labels(["a", "b"])
        .members([Person {
            id: Some("ou_1".to_owned()),
            ..Default::default()
        }])
        .tenant_access_token("t-caller")
        .send()
        .await?;
    Ok(match created.into_inner() {
        CreateThingData {
            thing_id: Some(id), ..
        } => Some(id),
        CreateThingData { thing_id: None, .. } => None,
    })
}

/// The whole body as a struct literal.
pub async fn create_with_body(client: &Client) -> Result<usize, Error<CreateThingErrorCode>> {
    let body = CreateThingBody {
        name: Some("样例".to_owned()),
        kind: Some("bag".into()),
        description: Some("描述".to_owned()),
        members: Some(vec![]),
        ..Default::default()
    };
    let created = client.fixture().v1().thing().create().body(body).send().await?;
    Ok(created.grid.as_ref().map_or(0, Vec::len))
}

/// The query as a struct literal, a setter on top, and the key option.
/// Leaves `statuses` out.
pub async fn archive(client: &Client) -> Result<i64, Error<ArchiveThingErrorCode>> {
    let query = ArchiveThingQuery {
        thing_ids: Some(vec!["th_1".to_owned()]),
        user_id_type: Some(UserIdType::UnionId),
        ..Default::default()
    };
    let archived = client
        .fixture()
        .v1()
        .thing()
        .archive()
        .query(query)
        .dry_run(true)
        .idempotency_key("k-1")
        .tenant_access_token("t-caller")
        .send()
        .await?;
    Ok(match *archived {
        ArchiveThingData {
            archived_count: Some(count),
            ..
        } => count,
        _ => 0,
    })
}

/// A match over the kinds documented now: an open enum is
/// `#[non_exhaustive]`, so it has a `_` arm, and a kind documented later
/// breaks nothing.
pub fn kind_label(kind: &ThingKind) -> &'static str {
    match kind {
        ThingKind::Box => "box",
        ThingKind::Bag => "bag",
        ThingKind::Unknown(_) => "undocumented",
        _ => "documented later",
    }
}

/// A filter that names a status, so the status enum's variants are used.
pub fn only_active(statuses: &[ThingStatus]) -> bool {
    statuses.iter().all(|status| *status == ThingStatus::Active)
}

/// What the compatibility promise does not cover: every field named, no
/// `..Default::default()`. Turned on only to show a build can fail.
#[cfg(feature = "exhaustive")]
pub fn exhaustive() -> CreateThingBody {
    CreateThingBody {
        name: None,
        kind: None,
        description: None,
        type_: None,
        async_: None,
        display_name: None,
        x_trace_id: None,
        two_factor_code: None,
        priority: None,
        weight: None,
        labels: None,
        owner: None,
        members: None,
        address: None,
        grid: None,
    }
}
"#;

/// Runs the caller's calls against the changed schemas, where `description`
/// and `statuses` became required. Validation comes before any I/O, so the
/// first poll of each call must already be its error: a call that got as
/// far as sending would not be ready, or would panic for want of a Tokio
/// runtime.
const RUN_CHANGED: &str = r#"
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use feishu_openapi::validate::{Limit, Violation};
use feishu_openapi::{Client, ErrorCode, ErrorKind};

fn refused<T: std::fmt::Debug, E: ErrorCode>(
    call: impl Future<Output = Result<T, feishu_openapi::Error<E>>>,
) -> Vec<Violation> {
    let mut call = pin!(call);
    match call.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(Err(error)) => match error.into_kind() {
            ErrorKind::Validation(violations) => violations,
            other => panic!("expected a validation error, got {other:?}"),
        },
        Poll::Ready(Ok(value)) => panic!("expected a validation error, got {value:?}"),
        Poll::Pending => panic!("the call went on to send instead of being refused"),
    }
}

fn required(field: &str) -> Violation {
    Violation {
        field: field.to_owned(),
        limit: Limit::Required,
        when: None,
        code: None,
    }
}

fn main() {
    // Nothing listens on port 9 (discard); nothing may be sent anyway.
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    assert_eq!(
        refused(caller::create_with_setters(&client)),
        [required("body.description")]
    );
    assert_eq!(refused(caller::archive(&client)), [required("query.statuses")]);
    assert!(caller::only_active(&[]));
    // `crate` was documented after the caller was written.
    use feishu_openapi::fixture::v1::thing::create::ThingKind;
    assert_eq!(caller::kind_label(&ThingKind::from("crate")), "documented later");
    assert_eq!(caller::kind_label(&ThingKind::from("sack")), "undocumented");
    // A value built by hand compares by its spelling.
    assert_eq!(ThingKind::Unknown("box".to_owned()), ThingKind::Box);
}
"#;

/// The two fixtures as the test starts from them: `(path, schema)`.
fn fixtures() -> Vec<(&'static str, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let read = |file: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap()
    };
    vec![
        (BODY_SCHEMA, read(BODY_FIXTURE)),
        (QUERY_SCHEMA, read(QUERY_FIXTURE)),
    ]
}

/// The fixtures after the changes that must not break a caller.
fn changed() -> Vec<(&'static str, Value)> {
    let mut files = fixtures();
    let body = &mut files[0].1;
    let fields = body["body"]["fields"].as_array_mut().unwrap();
    fields.push(
        json!({ "name": "color", "type": "string", "description": "颜色（新增的可选字段）" }),
    );
    field(fields, "description")["required"] = json!(true);
    let person = body["types"]["Person"]["fields"].as_array_mut().unwrap();
    person.push(
        json!({ "name": "phone", "type": "string", "description": "电话（新增的可选字段）" }),
    );
    body["types"]["ThingKind"]["values"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "value": "crate", "description": "箱子（新增的值）" }));
    body["response"]["fields"].as_array_mut().unwrap().push(
        json!({ "name": "created_at", "type": "integer", "description": "创建时间（新增）" }),
    );

    let query = &mut files[1].1;
    let params = query["query"]["fields"].as_array_mut().unwrap();
    params.push(
        json!({ "name": "reason", "type": "string", "description": "归档原因（新增的可选参数）" }),
    );
    field(params, "statuses")["required"] = json!(true);
    files
}

fn field<'a>(fields: &'a mut [Value], name: &str) -> &'a mut Value {
    let found = fields.iter_mut().find(|f| f["name"] == name);
    found.unwrap_or_else(|| panic!("the fixture has no field {name}"))
}

#[test]
fn adding_optional_fields_and_requiring_optional_ones_breaks_no_caller() {
    let scratch = Scratch::new("compatible_changes", CALLER, RUN_CHANGED);

    scratch.generate(&fixtures());
    scratch.built("the caller against the fixtures", &["--lib"]);
    // The exhaustive literal matches the fixtures as they are.
    scratch.built(
        "the exhaustive literal against the fixtures",
        &["--lib", "--features", "exhaustive"],
    );

    scratch.generate(&changed());
    // The binary, which runs the caller's calls, only against these.
    scratch.built(
        "the same caller against the changed fixtures",
        &["--lib", "--bins"],
    );

    let run = scratch.run_caller();
    assert!(
        run.status.success(),
        "the caller against the changed fixtures ({}):\n{}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );

    // Not covered: a literal naming every field, without `..Default::default()`.
    let output = scratch.build(&["--lib", "--features", "exhaustive"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "the exhaustive literal still compiles"
    );
    assert!(
        stderr.contains("error[E0063]: missing field `color` in initializer of `CreateThingBody`"),
        "{stderr}"
    );
}
