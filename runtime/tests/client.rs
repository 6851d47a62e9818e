//! The client runtime against the fake Feishu, over real HTTP on loopback.

use std::sync::Arc;
use std::time::Duration;

use crate::common::*;
use feishu_openapi::header::{HeaderName, HeaderValue};
use feishu_openapi::testing::{FakeFeishu, Fault, ManualClock};
use feishu_openapi::validate::Limit;
use feishu_openapi::{
    Client, Error, ErrorKind, LARK_BASE_URL, NoDocumentedCodes, RequestOptions, Response,
    RetryPolicy,
};
use serde_json::{Value, json};

#[tokio::test]
async fn sends_the_documented_request_and_decodes_data() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let query = Query {
        user_id_type: Some("open_id"),
        uuid: Some("b13g2t38-1jd2-458b-8djf-dtbca5104204".to_owned()),
    };
    let body = Body(
        json!({"name": "测试群名称", "chat_type": "public", "owner_id": OWNER, "user_id_list": [OWNER], "bot_id_list": ["cli_a10fbf7e94b8d01d"]}),
    );

    let chat = create(&client, &CREATE_CHAT, &query, &body, &RequestOptions::new())
        .await
        .unwrap();

    let tokens = fake.token_requests();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].method, "POST");
    assert_eq!(
        tokens[0].header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(
        tokens[0].json(),
        Some(json!({"app_id": "cli_fake_app", "app_secret": "fake-app-secret"}))
    );

    let calls = fake.api_requests();
    assert_eq!(calls.len(), 1);
    let call = &calls[0];
    assert_eq!(call.method, "POST");
    assert_eq!(call.path, "/open-apis/im/v1/chats");
    assert_eq!(
        call.query.as_deref(),
        Some("user_id_type=open_id&uuid=b13g2t38-1jd2-458b-8djf-dtbca5104204")
    );
    let token = &fake.issued_tokens()[0];
    assert_eq!(
        call.header("authorization"),
        Some(format!("Bearer {token}").as_str())
    );
    assert_eq!(
        call.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(call.body, serde_json::to_vec(&body.0).unwrap());

    let created = fake.chats();
    assert_eq!(created.len(), 1);
    assert_eq!(Some(chat.chat_id.as_str()), created[0]["chat_id"].as_str());
    assert!(chat.chat_id.starts_with("oc_"));
    assert_eq!(chat.name.as_deref(), Some("测试群名称"));
    assert_eq!(chat.chat_type.as_deref(), Some("public"));
    assert_eq!(created[0]["owner_id_type"], "open_id");
}

#[tokio::test]
async fn builder_knows_feishu_and_lark() {
    let feishu = Client::builder().build().unwrap();
    assert_eq!(feishu.base_url(), "https://open.feishu.cn/");
    let lark = Client::builder().lark().build().unwrap();
    assert_eq!(lark.base_url(), format!("{LARK_BASE_URL}/"));
    assert!(
        Client::builder()
            .base_url("ftp://example.com")
            .build()
            .is_err()
    );
    assert!(Client::builder().base_url("not a url").build().is_err());
}

#[tokio::test]
async fn reuses_the_cached_token() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    for _ in 0..3 {
        create_chat(&client, private_chat()).await.unwrap();
    }
    assert_eq!(fake.token_requests().len(), 1);
    let token = format!("Bearer {}", fake.issued_tokens()[0]);
    assert!(
        fake.api_requests()
            .iter()
            .all(|call| call.header("authorization") == Some(token.as_str()))
    );
}

#[tokio::test]
async fn refreshes_the_token_shortly_before_it_expires() {
    let fake = FakeFeishu::builder()
        .token_expire(7200)
        .start()
        .await
        .unwrap();
    let clock = Arc::new(ManualClock::new());
    let client = client_builder(&fake)
        .clock(clock.clone())
        .refresh_margin(Duration::from_secs(300))
        .build()
        .unwrap();

    create_chat(&client, private_chat()).await.unwrap();
    clock.advance(Duration::from_secs(7200 - 300 - 1));
    create_chat(&client, private_chat()).await.unwrap();
    assert_eq!(fake.token_requests().len(), 1);

    clock.advance(Duration::from_secs(2));
    create_chat(&client, private_chat()).await.unwrap();
    assert_eq!(fake.token_requests().len(), 2);
    let issued = fake.issued_tokens();
    let last = fake.api_requests().pop().unwrap();
    assert_eq!(
        last.header("authorization"),
        Some(format!("Bearer {}", issued[1]).as_str())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_fetch_one_token() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..1000 {
        let client = client.clone();
        calls.spawn(async move { create_chat(&client, private_chat()).await });
    }
    let mut succeeded = 0;
    while let Some(result) = calls.join_next().await {
        result.unwrap().unwrap();
        succeeded += 1;
    }
    assert_eq!(succeeded, 1000);
    assert_eq!(fake.token_requests().len(), 1);
    assert_eq!(fake.chats().len(), 1000);
}

#[tokio::test]
async fn a_rejected_token_is_dropped_and_fetched_again_once() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    create_chat(&client, private_chat()).await.unwrap();
    fake.revoke_tokens();

    create_chat(&client, private_chat()).await.unwrap();
    assert_eq!(fake.token_requests().len(), 2);
    let calls = fake.api_requests();
    assert_eq!(calls.len(), 3);
    let issued = fake.issued_tokens();
    assert_eq!(
        calls[1].header("authorization"),
        Some(format!("Bearer {}", issued[0]).as_str())
    );
    assert_eq!(
        calls[2].header("authorization"),
        Some(format!("Bearer {}", issued[1]).as_str())
    );

    // Rejected again right after the refresh: no endless loop, the error shows.
    fake.inject(Fault::InvalidToken);
    fake.inject(Fault::InvalidToken);
    let error = create_chat(&client, private_chat()).await.unwrap_err();
    let api = error.api().expect("a Feishu error");
    assert_eq!(
        (api.code, api.http_status, api.documented),
        (99991663, 400, None)
    );
    assert_eq!(fake.token_requests().len(), 3);
    assert_eq!(fake.api_requests().len(), 5);
}

#[tokio::test]
async fn documented_codes_come_with_their_variant_and_advice() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let cases = [
        (
            json!({"chat_type": "public", "name": "x"}),
            232020,
            ChatCode::NameTooShort,
        ),
        (json!({"chat_type": "public"}), 232042, ChatCode::NameEmpty),
        (
            json!({"user_id_list": ["ou_nobody"]}),
            232043,
            ChatCode::UnavailableIds,
        ),
        (
            json!({"bot_id_list": ["cli_unknown"]}),
            232043,
            ChatCode::UnavailableIds,
        ),
        (json!({"name": 7}), 232001, ChatCode::InvalidParams),
    ];
    for (body, code, variant) in cases {
        let error = create_chat(&client, Body(body)).await.unwrap_err();
        let ErrorKind::Api(api) = &error else {
            panic!("expected a Feishu error, got {error:?}");
        };
        assert_eq!(api.code, code);
        assert_eq!(api.http_status, 400);
        assert_eq!(api.documented, Some(variant));
        assert_eq!(error.documented(), Some(variant));
        assert!(
            api.log_id
                .as_deref()
                .is_some_and(|id| id.starts_with("fake"))
        );
    }
    let error = create_chat(&client, Body(json!({"chat_type": "public", "name": "x"})))
        .await
        .unwrap_err();
    assert_eq!(
        error.api().and_then(|api| api.advice()),
        Some("use a name of at least 2 characters")
    );
    assert_eq!(
        error.api().map(|api| api.msg.as_str()),
        Some("Name can NOT be less than two characters for public chats.")
    );
    assert!(fake.chats().is_empty());
}

#[tokio::test]
async fn validation_fails_before_any_byte_is_sent() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let query = Query {
        user_id_type: None,
        uuid: Some("u".repeat(51)),
    };
    let result: ChatResult = client
        .call(
            &CREATE_CHAT,
            &[],
            &query,
            Some(&InvalidBody),
            &RequestOptions::new(),
        )
        .await
        .map(Response::into_inner)
        .map_err(Error::into_kind);
    let Err(ErrorKind::Validation(violations)) = result else {
        panic!("expected a validation error, got {result:?}");
    };
    let fields: Vec<_> = violations
        .iter()
        .map(|violation| violation.field.as_str())
        .collect();
    assert_eq!(fields, ["query.uuid", "body.name"]);
    assert_eq!(
        violations[0].limit,
        Limit::MaxChars {
            max: 50,
            actual: 51
        }
    );
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn path_parameters_are_encoded_and_required() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let result: Result<Value, ErrorKind> = client
        .call(
            &GET_CHAT,
            &[("chat_id", "oc_a/b c")],
            &(),
            None::<&()>,
            &RequestOptions::new(),
        )
        .await
        .map(Response::into_inner)
        .map_err(Error::into_kind);
    // The fake has no such route: a plain-text 404 page.
    let Err(ErrorKind::HttpStatus {
        status,
        body,
        log_id,
    }) = result
    else {
        panic!("expected an HTTP status error, got {result:?}");
    };
    assert_eq!((status, body.as_str()), (404, "404 page not found"));
    assert!(log_id.is_some());
    let call = fake.api_requests().pop().unwrap();
    assert_eq!(
        (call.method.as_str(), call.path.as_str()),
        ("GET", "/open-apis/im/v1/chats/oc_a%2Fb%20c")
    );
    assert_eq!(call.query, None);

    let result: Result<Value, ErrorKind> = client
        .call(&GET_CHAT, &[], &(), None::<&()>, &RequestOptions::new())
        .await
        .map(Response::into_inner)
        .map_err(Error::into_kind);
    let Err(ErrorKind::Validation(violations)) = result else {
        panic!("expected a validation error, got {result:?}");
    };
    assert_eq!(violations[0].field, "path.chat_id");
    assert_eq!(violations[0].limit, Limit::Required);
}

#[tokio::test]
async fn server_errors_with_a_non_json_body() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    fake.inject(Fault::ServerError { status: 502 });
    let error = create_chat(&client, private_chat()).await.unwrap_err();
    let ErrorKind::HttpStatus { status, body, .. } = &error else {
        panic!("expected an HTTP status error, got {error:?}");
    };
    assert_eq!(*status, 502);
    assert!(body.contains("upstream"));
}

#[tokio::test]
async fn malformed_json_keeps_the_raw_body_and_is_not_repeated_without_a_key() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    fake.inject(Fault::MalformedJson);
    let error = create(
        &client,
        &CREATE_CHAT_WITHOUT_KEY,
        &Query::default(),
        &private_chat(),
        &RequestOptions::new(),
    )
    .await
    .unwrap_err();
    let ErrorKind::Decode {
        status, body, path, ..
    } = &error
    else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(*status, 200);
    assert_eq!(body, r#"{"code":0,"msg":"success","data":{"chat_id":"oc_"#);
    assert_eq!(*path, None);
    // Not retried: the answer says success, and without a key a repeat
    // could create a second chat.
    assert_eq!(fake.api_requests().len(), 1);
}

#[tokio::test]
async fn a_success_cut_short_is_repeated_with_its_key_and_makes_one_chat() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    fake.inject(Fault::CutShortAfterActing);
    let response = client
        .call::<_, _, Chat, ChatCode>(
            &CREATE_CHAT,
            &[],
            &Query::default(),
            Some(&private_chat()),
            &RequestOptions::new(),
        )
        .await
        .unwrap();
    let calls = fake.api_requests();
    assert_eq!(calls.len(), 2);
    let key = calls[0].query_param("uuid").expect("a generated key");
    assert_eq!(calls[1].query_param("uuid").as_deref(), Some(key.as_str()));
    assert_eq!(response.idempotency_key(), Some(key.as_str()));
    // The server acted on the first attempt; the second got its chat back.
    let chats = fake.chats();
    assert_eq!(chats.len(), 1);
    assert_eq!(
        Some(response.chat_id.as_str()),
        chats[0]["chat_id"].as_str()
    );
}

#[tokio::test]
async fn unexpected_data_shape_names_the_field() {
    #[derive(Debug, serde::Deserialize)]
    struct WrongChat {
        #[allow(dead_code)]
        chat_id: u64,
    }
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let result: Result<WrongChat, ErrorKind<ChatCode>> = client
        .call(
            &CREATE_CHAT,
            &[],
            &Query::default(),
            Some(&private_chat()),
            &RequestOptions::new(),
        )
        .await
        .map(Response::into_inner)
        .map_err(Error::into_kind);
    let Err(ErrorKind::Decode { path, body, .. }) = result else {
        panic!("expected a decode error, got {result:?}");
    };
    assert_eq!(path.as_deref(), Some("data.chat_id"));
    assert!(body.contains("\"chat_id\":\"oc_"));
}

#[tokio::test]
async fn unreachable_server_is_a_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .app("cli_x", "secret")
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let options = RequestOptions::new().tenant_access_token("t-explicit");
    let result = create_chat_with(&client, &options).await;
    let Err(ErrorKind::Transport(error)) = result else {
        panic!("expected a transport error, got {result:?}");
    };
    assert!(error.is_connect());

    // Without an explicit token the token fetch fails first.
    let result = create_chat(&client, private_chat()).await;
    let Err(ErrorKind::Auth(inner)) = result else {
        panic!("expected an auth error, got {result:?}");
    };
    assert!(matches!(*inner, ErrorKind::Transport(_)));
}

#[tokio::test]
async fn wrong_app_secret_is_an_auth_error() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake)
        .app(fake.app_id(), "wrong")
        .build()
        .unwrap();
    let result = create_chat(&client, private_chat()).await;
    let Err(ErrorKind::Auth(inner)) = result else {
        panic!("expected an auth error, got {result:?}");
    };
    let ErrorKind::<NoDocumentedCodes>::Api(api) = *inner else {
        panic!("expected a Feishu error from the token endpoint");
    };
    assert_eq!((api.code, api.msg.as_str()), (10014, "app secret invalid"));
    assert!(fake.api_requests().is_empty());
}

#[tokio::test]
async fn without_credentials_a_token_must_be_given() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = Client::builder().base_url(fake.url()).build().unwrap();
    let result = create_chat(&client, private_chat()).await;
    assert!(
        matches!(
            result,
            Err(ErrorKind::MissingAccessToken {
                endpoint: "im.v1.chat.create"
            })
        ),
        "{result:?}"
    );
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn request_options_set_token_headers_and_request_id() {
    let fake = FakeFeishu::start().await.unwrap();
    // A store app gets its token elsewhere; here, from the fake via another client.
    create_chat(&client_builder(&fake).build().unwrap(), private_chat())
        .await
        .unwrap();
    let token = fake.issued_tokens()[0].clone();
    let client = Client::builder().base_url(fake.url()).build().unwrap();

    let options = RequestOptions::new()
        .tenant_access_token(token.clone())
        .request_id("req-42")
        .header(
            HeaderName::from_static("x-bot-name"),
            HeaderValue::from_static("demo"),
        )
        .header(
            HeaderName::from_static("authorization"),
            HeaderValue::from_static("Bearer ignored"),
        );
    create_chat_with(&client, &options).await.unwrap();
    let call = fake.api_requests().pop().unwrap();
    assert_eq!(
        call.header("authorization"),
        Some(format!("Bearer {token}").as_str())
    );
    assert_eq!(
        call.headers
            .iter()
            .filter(|(name, _)| name == "authorization")
            .count(),
        1
    );
    assert_eq!(call.header("x-request-id"), Some("req-42"));
    assert_eq!(call.header("x-bot-name"), Some("demo"));
    assert_eq!(fake.token_requests().len(), 1);

    // A user token wins over a tenant token; the fake does not know it.
    let options = RequestOptions::new()
        .tenant_access_token(token)
        .user_access_token("u-user");
    let error = create_chat_with(&client, &options).await.unwrap_err();
    assert_eq!(error.api().map(|api| api.code), Some(99991663));
    assert_eq!(
        fake.api_requests().pop().unwrap().header("authorization"),
        Some("Bearer u-user")
    );
    // An explicit token the server rejects is not replaced by the client.
    assert_eq!(fake.token_requests().len(), 1);
}

#[tokio::test]
async fn any_answer_becomes_a_typed_error() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    create_chat(&client, private_chat()).await.unwrap();
    let decode = |path: Option<&str>| format!("decode at {path:?}");
    let cases = [
        (200, "", decode(None)),
        (200, "[]", decode(None)),
        (200, "null", decode(None)),
        (200, r#"{"msg":"ok"}"#, decode(Some("code"))),
        (200, r#"{"code":"0"}"#, decode(Some("code"))),
        (200, r#"{"code":0,"msg":"success"}"#, decode(Some("data"))),
        (200, r#"{"code":0,"data":null}"#, decode(Some("data"))),
        (
            200,
            r#"{"code":0,"data":{"chat_id":7}}"#,
            decode(Some("data.chat_id")),
        ),
        (400, r#"{"code":0}"#, "http 400".to_owned()),
        (502, "[1,2", "http 502".to_owned()),
        (
            500,
            r#"{"code":1234,"msg":"boom"}"#,
            "api 1234 500".to_owned(),
        ),
        (200, r#"{"code":-1}"#, "api -1 200".to_owned()),
    ];
    for (status, body, expected) in cases {
        fake.inject(Fault::Raw {
            status,
            body: body.to_owned(),
        });
        let error = create_chat(&client, private_chat()).await.unwrap_err();
        let seen = match &error {
            ErrorKind::Decode {
                path,
                body: raw,
                status: 200,
                log_id: Some(_),
                ..
            } => {
                assert_eq!(raw, body);
                decode(path.as_deref())
            }
            ErrorKind::HttpStatus {
                status,
                body: raw,
                log_id: Some(_),
            } => {
                assert_eq!(raw, body);
                format!("http {status}")
            }
            ErrorKind::Api(api) => format!("api {} {}", api.code, api.http_status),
            other => format!("unexpected {other:?}"),
        };
        assert_eq!(seen, expected, "for {status} {body:?}");
    }
}
