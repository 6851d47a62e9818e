//! A schema the fake Feishu has never seen, generated into a scratch crate
//! whose routes the real fake serves: a call through the client answers
//! the page's response example with the path parameter put back in; a
//! request that breaks the page's limit (sent raw, past the client's own
//! check) gets Feishu's 99992402 naming the field; no hand-written code
//! stands between the schema and the fake. And the route table of a group
//! with events only.

use serde_json::json;

use crate::scratch::Scratch;

const RUN: &str = r##"
use feishu_openapi::Client;
use feishu_openapi::fixture::v1::widget::rename::ENDPOINT;
use feishu_fake::FakeFeishu;

/// A body the client does not check, so it reaches the fake as sent.
#[derive(serde::Serialize)]
struct Unchecked {
    name: String,
}

impl feishu_openapi::validate::Validate for Unchecked {
    fn validate(&self, _at: &str, _out: &mut Vec<feishu_openapi::validate::Violation>) {}
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let fake = FakeFeishu::builder()
        .routes(feishu_openapi::routes())
        .start()
        .await
        .unwrap();
    let client = Client::builder()
        .app(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .build()
        .unwrap();

    let widget = client
        .fixture()
        .v1()
        .widget()
        .rename("w_42")
        .name("新名字")
        .send()
        .await
        .unwrap();
    println!("{:?} {:?}", widget.widget_id, widget.name);

    let body = Unchecked { name: "一二三四五六七八九十十一".into() };
    let options = feishu_openapi::RequestOptions::default();
    let refused = client
        .call::<(), Unchecked, serde_json::Value, feishu_openapi::NoDocumentedCodes>(
            &ENDPOINT,
            &[("widget_id", "w_42")],
            &(),
            Some(&body),
            &options,
        )
        .await
        .unwrap_err();
    let api = refused.api().unwrap();
    println!("{} {}", api.http_status, api.code);
    let sent = fake.requests_to("/open-apis/fixture/v1/widgets/w_42/name");
    println!("{}", sent.len());
}
"##;

fn schema() -> serde_json::Value {
    json!({
        "source": {
            "title": "重命名部件",
            "url": "https://open.feishu.cn/document/fixture/widget/rename",
            "last_remote_update": "2025-01-10"
        },
        "summary": "重命名一个部件。",
        "method": "PUT",
        "path": "/open-apis/fixture/v1/widgets/:widget_id/name",
        "access_tokens": ["tenant"],
        "path_params": [
            { "name": "widget_id", "type": "string", "required": true, "description": "部件 ID", "example": "w_1" }
        ],
        "body": {
            "fields": [
                { "name": "name", "type": "string", "required": true, "description": "新名字", "example": "新名字", "max_length": 10 }
            ]
        },
        "response": {
            "fields": [
                { "name": "widget_id", "type": "string", "description": "部件 ID" },
                { "name": "name", "type": "string", "description": "名字" }
            ]
        },
        "examples": {
            "response": {
                "code": 0,
                "msg": "success",
                "data": { "widget_id": "w_1", "name": "新名字" }
            }
        }
    })
}

#[test]
fn a_schema_the_fake_never_saw_is_served_from_its_generated_route() {
    let scratch = Scratch::new("fake_routes", "", RUN);
    scratch.generate(&[("schema/fixture/v1/widget/rename.json", schema())]);
    scratch.built("the caller on the fake", &["--bins", "--features", "fake"]);
    let run = scratch.run_caller();
    assert!(
        run.status.success(),
        "the caller ({}):\n{}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        String::from_utf8(run.stdout).unwrap(),
        "Some(\"w_42\") Some(\"新名字\")\n400 99992402\n2\n"
    );
}

/// A group with events only (Feishu's `meeting_room`) has no routes: its
/// crate's list is empty (`Vec::new()`, not `Vec::from([])`), and the API
/// crate adds it like any other group's.
#[test]
fn a_group_with_events_only_adds_no_routes() {
    let event = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/events/schema/fixture/v1/bot/events/entered.json"
    ))
    .unwrap();
    let api =
        feishu_codegen::check_sources(&[("schema/fixture/v1/bot/events/entered.json", &event)])
            .unwrap_or_else(|problems| panic!("{problems}"));
    let files = feishu_codegen::generate(&api);
    let group = &files["generated/groups/fixture/src/lib.rs"];
    assert!(
        group.contains("pub fn routes() -> Vec<&'static route::Route> {\n    Vec::new()\n}"),
        "{group}"
    );
    let root = &files["generated/feishu-api/src/lib.rs"];
    assert!(root.contains("routes.extend(fixture::routes());"), "{root}");
}
