//! Message content typed both ways, held to Feishu's two content pages:
//! every example on them reads into its type and writes back as the same
//! JSON, every documented type is covered, and a typed message goes over
//! real HTTP to the fake Feishu as the `msg_type` and `content` string the
//! page shows.

use std::collections::BTreeSet;
use std::path::Path;

use feishu_openapi::message_content::{
    Content, ContentError, PostBody, PostElement, Received, Style, receive, send,
};
use feishu_openapi::testing::FakeFeishu;
use serde_json::{Value, json};

use crate::common::client_builder;

/// A content page, as copied into `pages/`.
fn page(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../pages/guides/im/v1/message_content")
        .join(format!("{name}.md"));
    std::fs::read_to_string(path).unwrap()
}

/// Each JSON code block of a page that parses, with the message type its
/// section's heading names in its last word (`### 文本 text`), if it does.
fn examples(page: &str) -> Vec<(Option<String>, Value)> {
    let mut out = Vec::new();
    let mut section = None;
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        if line.starts_with("##") {
            let last = line.split_whitespace().last().unwrap_or_default();
            let is_type = last.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            section = is_type.then(|| last.to_owned());
        }
        if line.trim().starts_with("```json") {
            let block: Vec<&str> = lines
                .by_ref()
                .take_while(|l| !l.trim().starts_with("```"))
                .collect();
            if let Ok(value) = serde_json::from_str(&block.join("\n")) {
                out.push((section.clone(), value));
            }
        }
    }
    out
}

/// The content an example shows: a request body's `content` under its
/// `msg_type`, else the example itself under its section's type.
fn content_of(section: Option<String>, example: &Value) -> Option<(String, String)> {
    match (example.get("msg_type"), example.get("content")) {
        (Some(Value::String(t)), Some(Value::String(c))) => Some((t.clone(), c.clone())),
        _ => section.map(|t| (t, example.to_string())),
    }
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn set(types: &[&str]) -> BTreeSet<String> {
    types.iter().map(|t| t.to_string()).collect()
}

#[test]
fn every_example_of_the_send_page_reads_and_writes_back_the_same() {
    let mut seen = BTreeSet::new();
    for (section, example) in examples(&page("create_json")) {
        let Some((msg_type, content)) = content_of(section, &example) else {
            continue;
        };
        let typed = Content::parse(&msg_type, &content)
            .unwrap_or_else(|e| panic!("{e}\nthe page's content: {content}"));
        assert_eq!(typed.msg_type(), msg_type);
        assert_eq!(json(&typed.to_json()), json(&content), "{msg_type}");
        seen.insert(msg_type);
    }
    let sendable = [
        "audio",
        "file",
        "image",
        "interactive",
        "media",
        "post",
        "share_chat",
        "share_user",
        "sticker",
        "system",
        "text",
    ];
    assert_eq!(seen, set(&sendable));
}

#[test]
fn every_example_of_the_receive_page_reads_and_writes_back_the_same() {
    let mut seen = BTreeSet::new();
    for (section, example) in examples(&page("message_content")) {
        let Some((msg_type, content)) = content_of(section, &example) else {
            continue;
        };
        let typed = Received::parse(&msg_type, &content)
            .unwrap_or_else(|e| panic!("{e}\nthe page's content: {content}"));
        assert!(
            !matches!(typed, Received::Other { .. }),
            "{msg_type} is documented"
        );
        assert_eq!(typed.msg_type(), msg_type);
        assert_eq!(json(&typed.to_json()), json(&content), "{msg_type}");
        seen.insert(msg_type);
    }
    let received = [
        "audio",
        "calendar",
        "file",
        "folder",
        "general_calendar",
        "hongbao",
        "image",
        "interactive",
        "location",
        "media",
        "merge_forward",
        "post",
        "share_calendar_event",
        "share_chat",
        "share_user",
        "sticker",
        "system",
        "text",
        "todo",
        "video_chat",
        "vote",
    ];
    assert_eq!(seen, set(&received));
}

#[test]
fn the_page_examples_read_into_the_fields_they_show() {
    let post = r#"{"zh_cn":{"title":"t","content":[[{"tag":"text","text":"a","style":["bold","blink"]},{"tag":"at","user_id":"all"},{"tag":"hr"},{"tag":"x_new","k":1}]]}}"#;
    let Content::Post(post) = Content::parse("post", post).unwrap() else {
        panic!("a post")
    };
    let body = &post.locales["zh_cn"];
    assert_eq!(body.title.as_deref(), Some("t"));
    let PostElement::Text(text) = &body.content[0][0] else {
        panic!("text first")
    };
    assert_eq!(
        text.style,
        Some(vec![Style::Bold, Style::Other("blink".into())])
    );
    assert_eq!(body.content[0][1], PostElement::at("all"));
    assert_eq!(body.content[0][2], PostElement::Rule);
    assert_eq!(
        body.content[0][3],
        PostElement::Other(json!({"tag": "x_new", "k": 1}))
    );

    let template = r#"{"type":"template","data":{"template_id":"AAq","template_variable":{"open_id":"ou_1"}}}"#;
    let Content::Card(send::Card::Template(t)) = Content::parse("interactive", template).unwrap()
    else {
        panic!("a template")
    };
    assert_eq!(t.template_id, "AAq");
    assert_eq!(t.template_version_name, None);
    let entity = r#"{"type":"card","data":{"card_id":"7371"}}"#;
    assert_eq!(
        Content::parse("interactive", entity).unwrap(),
        Content::Card(send::Card::entity("7371"))
    );
    let card = r#"{"schema":"2.0","body":{"elements":[]}}"#;
    assert_eq!(
        Content::parse("interactive", card).unwrap(),
        Content::Card(send::Card::Json(json(card)))
    );
}

#[test]
fn a_type_no_page_lists_is_kept_as_it_came_when_received_and_refused_when_sent() {
    let content = r#"{"new": [1, 2]}"#;
    assert_eq!(
        Received::parse("newly_added", content).unwrap(),
        Received::Other {
            msg_type: "newly_added".into(),
            content: content.into()
        }
    );
    let other = Received::parse("newly_added", content).unwrap();
    assert_eq!(
        (other.msg_type(), other.to_json().as_str()),
        ("newly_added", content)
    );

    let err = Content::parse("hongbao", r#"{"text":"[红包]"}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the content of a `hongbao` message is not as documented, at `.`: no such message type can be sent"
    );
}

#[test]
fn content_that_does_not_fit_its_type_names_the_place() {
    let err: ContentError = Received::parse(
        "todo",
        r#"{"task_id":"t","summary":{"content":[[{"tag":"text"}]]}}"#,
    )
    .unwrap_err();
    assert_eq!(err.msg_type, "todo");
    assert_eq!(err.path, "summary.content[0][0]");
    assert_eq!(err.reason, "missing field `text` at line 1 column 53");
    let err = Received::parse("image", r#"{"image_key": 5}"#).unwrap_err();
    assert_eq!(
        (err.path.as_str(), err.reason.as_str()),
        (
            "image_key",
            "invalid type: integer `5`, expected a string at line 1 column 15"
        )
    );
    let err = Received::parse("text", "not json").unwrap_err();
    assert_eq!(err.path, ".");
}

#[tokio::test]
async fn a_typed_message_goes_out_as_its_type_and_json_text() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let text = send::Text::new(format!("{} says \"hi\"", send::Text::at("ou_1", "Tom")));
    client
        .im()
        .v1()
        .message()
        .create()
        .receive_id_type("chat_id")
        .receive_id("oc_1")
        .message(text)
        .send()
        .await
        .unwrap();
    let sent = fake.requests_to("/open-apis/im/v1/messages").pop().unwrap();
    assert_eq!(
        String::from_utf8(sent.body).unwrap(),
        r#"{"receive_id":"oc_1","msg_type":"text","content":"{\"text\":\"<at user_id=\\\"ou_1\\\">Tom</at> says \\\"hi\\\"\"}"}"#
    );
}

#[tokio::test]
async fn every_sendable_example_of_the_page_goes_out_as_the_page_shows_it() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let mut sent = 0;
    for (section, example) in examples(&page("create_json")) {
        let Some((msg_type, content)) = content_of(section, &example) else {
            continue;
        };
        let typed = Content::parse(&msg_type, &content).unwrap();
        let create = client.im().v1().message().create();
        create
            .receive_id_type("open_id")
            .receive_id("ou_1")
            .message(typed)
            .send()
            .await
            .unwrap();
        let body = fake
            .requests_to("/open-apis/im/v1/messages")
            .pop()
            .unwrap()
            .json()
            .unwrap();
        assert_eq!(body["msg_type"], msg_type);
        assert_eq!(
            json(body["content"].as_str().unwrap()),
            json(&content),
            "{msg_type}"
        );
        sent += 1;
    }
    assert!(sent >= 11, "{sent} examples sent");
}

#[tokio::test]
async fn reply_and_edit_take_typed_content_too() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let post = send::Post::new(
        "en_us",
        PostBody::titled("Notes").paragraph([
            PostElement::text("see "),
            PostElement::link("docs", "https://open.feishu.cn"),
        ]),
    );
    let messages = client.im().v1().message();
    let first = messages
        .create()
        .receive_id_type("chat_id")
        .receive_id("oc_1");
    let first = first
        .message(send::Text::new("first"))
        .send()
        .await
        .unwrap();
    let id = first.message_id.clone().unwrap();
    let reply = messages.reply(&id).message(post).send().await.unwrap();
    messages
        .update(&id)
        .message(send::Text::new("edited"))
        .send()
        .await
        .unwrap();

    // What went out: the post's JSON text, the edit's text.
    let sent = fake.requests_to(&format!("/open-apis/im/v1/messages/{id}/reply"));
    let sent_post = sent[0].json().unwrap();
    assert_eq!(sent_post["msg_type"], "post");
    assert_eq!(
        sent_post["content"],
        r#"{"en_us":{"title":"Notes","content":[[{"tag":"text","text":"see "},{"tag":"a","text":"docs","href":"https://open.feishu.cn"}]]}}"#
    );
    let edits = fake.requests_to(&format!("/open-apis/im/v1/messages/{id}"));
    let edits: Vec<Value> = edits.iter().map(|r| r.json().unwrap()).collect();
    assert_eq!(
        edits,
        [json!({"msg_type": "text", "content": r#"{"text":"edited"}"#})]
    );

    // What the fake keeps, read back typed through get.
    assert_eq!(reply.parent_id.as_deref(), Some(id.as_str()));
    let got = messages.get(&id).send().await.unwrap();
    let item = &got.items.as_ref().unwrap()[0];
    let body = item.body.as_ref().unwrap().content.as_deref().unwrap();
    let received = Received::parse(item.msg_type.as_deref().unwrap(), body).unwrap();
    assert_eq!(received, Received::Text(receive::Text::new("edited")));
    assert_eq!(item.updated, Some(true));
}

#[test]
fn the_message_event_s_content_reads_typed() {
    let schema =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/im/v1/message/events/receive.json");
    let schema: Value = json(&std::fs::read_to_string(schema).unwrap());
    let message = &schema["example"]["event"]["message"];
    let received = Received::parse(
        message["message_type"].as_str().unwrap(),
        message["content"].as_str().unwrap(),
    )
    .unwrap();
    assert_eq!(
        received,
        Received::Text(receive::Text::new("@_user_1 hello"))
    );
}
