//! `cargo xtask openapi`: the document parses as OpenAPI 3.1, describes the
//! create-chat operation as the schema does, and the checked-in
//! `openapi.json` is up to date.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use xtask::codegen::Change;
use xtask::openapi;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

fn document() -> (String, Value) {
    let endpoints = feishu_codegen::load(&root()).unwrap();
    let text = openapi::render(&endpoints);
    let value = serde_json::from_str(&text).unwrap();
    (text, value)
}

#[test]
fn the_checked_in_openapi_json_is_up_to_date() {
    match openapi::run(&root(), true) {
        Ok(changes) => assert_eq!(changes, []),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_document_is_openapi_3_1_with_the_create_chat_operation() {
    let (text, _) = document();
    let spec = oas3::from_json(&text).unwrap();
    assert_eq!(spec.validate_version().unwrap().to_string(), "3.1.0");
    let op = spec.operation_by_id("im.v1.chat.create").unwrap();
    assert_eq!(op.summary.as_deref(), Some("创建群"));
    assert_eq!(spec.operations().count(), 1);
}

#[test]
fn the_create_chat_operation_in_detail() {
    let (_, doc) = document();
    let at = |pointer: &str| {
        doc.pointer(pointer)
            .unwrap_or_else(|| panic!("no {pointer}"))
            .clone()
    };
    let op = "/paths/~1open-apis~1im~1v1~1chats/post";
    assert_eq!(at(&format!("{op}/operationId")), json!("im.v1.chat.create"));
    assert_eq!(
        at(&format!("{op}/security")),
        json!([{ "tenant_access_token": [] }])
    );
    assert_eq!(
        at(&format!("{op}/x-ratelimit")),
        json!({ "per_minute": 1000, "per_second": 50 })
    );
    assert_eq!(at(&format!("{op}/x-feishu-idempotency-key")), json!("uuid"));
    assert_eq!(at(&format!("{op}/parameters/2/name")), json!("uuid"));
    assert_eq!(at(&format!("{op}/parameters/2/in")), json!("query"));
    assert_eq!(
        at(&format!("{op}/parameters/2/schema/maxLength")),
        json!(50)
    );
    assert_eq!(
        at(&format!(
            "{op}/requestBody/content/application~1json/schema"
        )),
        json!({ "$ref": "#/components/schemas/im.v1.chat.create.CreateChatBody" })
    );
    assert_eq!(
        at(&format!(
            "{op}/responses/200/content/application~1json/schema/properties/data"
        )),
        json!({ "$ref": "#/components/schemas/im.v1.chat.create.CreateChatResponse" })
    );
    assert_eq!(
        at(&format!("{op}/responses/400")),
        json!({ "$ref": "#/components/responses/im.v1.chat.create.CreateChatErrorCode" })
    );
    let codes = at(&format!("{op}/x-feishu-error-codes"));
    assert_eq!(codes.as_array().unwrap().len(), 22);
    assert_eq!(
        codes[2],
        json!({
            "code": 232019,
            "http_status": 400,
            "name": "RateLimited",
            "message": "The request has been rate limited.",
            "advice": "触发群限流，请控制请求的速度，详情参见[频控策略](https://open.feishu.cn/document/ukTMukTMukTM/uUzN04SN3QjL1cDN)。",
            "rate_limited": true
        })
    );

    let schemas = "/components/schemas";
    let body = format!("{schemas}/im.v1.chat.create.CreateChatBody/properties");
    assert_eq!(
        at(&format!("{body}/chat_type/$ref")),
        json!("#/components/schemas/im.v1.chat.create.ChatType")
    );
    assert_eq!(at(&format!("{body}/chat_type/default")), json!("private"));
    assert_eq!(
        at(&format!("{body}/user_id_list/items")),
        json!({ "type": "string" })
    );
    assert_eq!(at(&format!("{body}/user_id_list/maxItems")), json!(50));
    assert_eq!(
        at(&format!("{body}/name/x-recommended-max-length")),
        json!(60)
    );
    assert_eq!(
        at(&format!("{schemas}/im.v1.chat.create.ChatType/anyOf")),
        json!([
            { "type": "string", "enum": ["private", "public"] },
            { "type": "string", "description": "a value the documentation does not list yet" }
        ])
    );
    assert_eq!(
        at(&format!(
            "{schemas}/im.v1.chat.create.OwnerOrAllMembers/x-aliases/0/wire"
        )),
        json!("all members")
    );
    assert_eq!(
        at("/components/securitySchemes/tenant_access_token"),
        json!({ "type": "http", "scheme": "bearer", "description": "`Authorization: Bearer <tenant_access_token>`" })
    );
    // Every reference resolves.
    let text = doc.to_string();
    for piece in text.split("\"$ref\":\"#").skip(1) {
        let pointer = &piece[..piece.find('"').unwrap()];
        assert!(doc.pointer(pointer).is_some(), "dangling $ref {pointer}");
    }
}

#[test]
fn a_stale_document_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["schema/im/v1/chat", "generated"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
    }
    for file in ["schema/im/v1/chat/create.json", "generated/Cargo.toml"] {
        std::fs::copy(root().join(file), dir.path().join(file)).unwrap();
    }
    std::fs::write(dir.path().join("openapi.json"), "{}\n").unwrap();
    let err = openapi::run(dir.path(), true).unwrap_err();
    assert_eq!(
        err.to_string(),
        "stale: openapi.json\ngenerated code is out of date: run `cargo xtask codegen`"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("openapi.json")).unwrap(),
        "{}\n"
    );
    assert_eq!(
        openapi::run(dir.path(), false).unwrap(),
        [Change::Stale("openapi.json".into())]
    );
    assert_eq!(openapi::run(dir.path(), true).unwrap(), []);
}
