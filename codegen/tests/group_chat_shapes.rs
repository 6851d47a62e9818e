//! The `group_chat_shapes` fixture (a DELETE with a body on a user-only
//! endpoint in `match/move.json`, integer bounds, a pattern, an integer
//! enum, no response fields) and the list endpoint in `match/list.json`
//! (page streams) generated into a scratch crate: it builds with
//! warnings denied, passes clippy and rustdoc with warnings denied, and a
//! caller runs against it. The same shapes go over HTTP in the runtime's
//! tests/endpoint_shapes.rs.

use std::path::Path;

use crate::scratch::Scratch;
use serde_json::Value;

const FIXTURE: &str = "group_chat_shapes";
const SCHEMAS: [&str; 2] = [
    "schema/fixture/v1/match/move.json",
    "schema/fixture/v1/match/list.json",
];

/// Names the generated items, so the build proves they exist as named.
const CALLER: &str = r#"
pub use feishu_openapi::fixture::v1::match_::move_::{
    MoveMatchBody, MoveMatchData, MoveMatchErrorCode, MoveMatchQuery, MoveMatchRequest,
    SucceedType,
};

pub use feishu_openapi::fixture::v1::match_::list::{ListMatchData, ListMatchRequest, MatchMember};
pub use feishu_openapi::paging::{Items, Paged, Pages};

pub fn start<'c>(client: &'c feishu_openapi::Client) -> MoveMatchRequest<'c> {
    client.fixture().v1().match_().move_("m1")
}

pub fn list<'c>(client: &'c feishu_openapi::Client) -> ListMatchRequest<'c> {
    client.fixture().v1().match_().list("m1")
}
"#;

/// Validation and the token check come before any I/O, so the first poll
/// of each call is already its error.
const RUN: &str = r##"
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use caller::*;
use feishu_openapi::endpoint::AccessTokenKind;
use feishu_openapi::query::QueryParams;
use feishu_openapi::validate::Limit;
use feishu_openapi::{Client, ErrorCode, ErrorKind, RequestOptions};

fn refused<T: std::fmt::Debug, E: ErrorCode>(
    call: impl Future<Output = Result<T, feishu_openapi::Error<E>>>,
) -> ErrorKind<E> {
    let mut call = pin!(call);
    match call.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(Err(error)) => error.into_kind(),
        Poll::Ready(Ok(value)) => panic!("expected an error, got {value:?}"),
        Poll::Pending => panic!("the call went on to send instead of being refused"),
    }
}

fn main() {
    // The integer enum: numbers on the wire, unknown ones kept.
    let values: Vec<SucceedType> = serde_json::from_str("[0, 1, 2, 7]").unwrap();
    assert_eq!(
        values,
        [
            SucceedType::FailOnInvisible,
            SucceedType::AddAvailable,
            SucceedType::FailOnAny,
            SucceedType::Unknown(7),
        ]
    );
    assert_eq!(serde_json::to_string(&values).unwrap(), "[0,1,2,7]");
    assert_eq!(SucceedType::from(1), SucceedType::AddAvailable);
    let body = MoveMatchBody {
        fallbacks: Some(vec![SucceedType::FailOnAny]),
        ..Default::default()
    };
    assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"fallbacks":[2]}"#);

    // As a query parameter: its number.
    let query = MoveMatchQuery {
        page_size: Some(10),
        succeed_type: Some(SucceedType::AddAvailable),
    };
    let mut pairs = Vec::new();
    query.append_to(&mut pairs);
    assert_eq!(pairs, [("page_size", "10".to_owned()), ("succeed_type", "1".to_owned())]);

    // No response fields: `{}` decodes, and so does the runtime's missing data.
    let MoveMatchData {} = serde_json::from_str::<MoveMatchData>("{}").unwrap();
    assert_eq!(serde_json::to_string(&MoveMatchData {}).unwrap(), "{}");

    // Nothing listens on port 9 (discard); nothing may be sent anyway.
    let client = Client::builder().base_url("http://127.0.0.1:9").build().unwrap();
    let call = start(&client)
        .page_size(0)
        .chat_id("oc_NOT_HEX")
        .offset(-6)
        .user_access_token("u-1")
        .send();
    let ErrorKind::Validation(violations) = refused(call) else {
        panic!("expected a validation error");
    };
    let found: Vec<(&str, &Limit)> = violations.iter().map(|v| (v.field.as_str(), &v.limit)).collect();
    assert_eq!(
        found,
        [
            ("query.page_size", &Limit::Minimum { min: 1, actual: 0 }),
            ("body.chat_id", &Limit::Pattern { pattern: "^oc_[0-9a-f]+$" }),
            ("body.offset", &Limit::Minimum { min: -5, actual: -6 }),
        ]
    );

    // The list endpoint's data is a page: its items, `has_more` and token.
    let page: ListMatchData = serde_json::from_str(
        r#"{"items": [{"member_id": "ou_1"}, {"member_id": "ou_2"}], "has_more": true, "page_token": "p2"}"#,
    )
    .unwrap();
    assert!(page.has_more());
    assert_eq!(page.next_page_token(), Some("p2"));
    let ids: Vec<Option<String>> = page.into_items().into_iter().map(|m| m.member_id).collect();
    assert_eq!(ids, [Some("ou_1".to_owned()), Some("ou_2".to_owned())]);
    let last: ListMatchData = serde_json::from_str("{}").unwrap();
    assert!(!last.has_more());
    assert_eq!(last.next_page_token(), None);
    assert!(last.into_items().is_empty());

    // Its item stream sends nothing until polled; a request refused before
    // sending is the stream's one error, then its end.
    let mut items: Items<'_, ListMatchData, _> = list(&client).page_size(0).tenant_access_token("t-1").items();
    let ErrorKind::Validation(violations) = refused(async { items.next().await.expect("an error first") }) else {
        panic!("expected a validation error");
    };
    assert_eq!(violations[0].field, "query.page_size");
    let mut end = pin!(items.next());
    match end.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(None) => {}
        other => panic!("expected the end after the error, got {:?}", other.map(|o| o.is_some())),
    }
    let _pages: Pages<'_, ListMatchData, _> = list(&client).page_token("p2").pages();

    // A user-only endpoint's builder has no `tenant_access_token`; one set
    // through the options is refused.
    let options = RequestOptions::new().tenant_access_token("t-1");
    let call = start(&client).chat_id("oc_a0").options(options).send();
    let kind = refused(call);
    assert!(
        matches!(kind, ErrorKind::TokenNotAccepted { given: AccessTokenKind::Tenant, .. }),
        "{kind:?}"
    );
}
"##;

fn fixture() -> Vec<(&'static str, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(FIXTURE);
    SCHEMAS
        .iter()
        .map(|schema| {
            let text = std::fs::read_to_string(root.join(schema)).unwrap();
            (*schema, serde_json::from_str(&text).unwrap())
        })
        .collect()
}

#[test]
fn the_group_chat_shapes_compile_clean_and_behave() {
    let scratch = Scratch::new("group_chat_shapes", CALLER, RUN);
    scratch.generate(&fixture());
    scratch.built("the caller against the fixture", &["--bins"]);
    let run = scratch.run_caller();
    assert!(
        run.status.success(),
        "the caller ({}):\n{}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
    let clippy = ["clippy", "-p", scratch.api(), "--", "-D", "warnings"];
    let doc = ["doc", "-p", scratch.api(), "--no-deps"];
    for (args, env) in [
        (&clippy[..], None),
        (&doc[..], Some(("RUSTDOCFLAGS", "-Dwarnings"))),
    ] {
        let output = scratch.cargo(args, env.as_slice());
        assert!(
            output.status.success(),
            "cargo {}:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
