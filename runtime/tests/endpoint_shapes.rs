//! Shapes the group-chat pages need, over real HTTP against the fake: a
//! JSON body on DELETE (and every other method), answers without `data`
//! fields, integer enums on the wire, the tokens a user-only endpoint takes,
//! and integer bounds and patterns checked before sending.

use crate::common::client_builder;
use feishu_openapi::endpoint::{AccessTokenKind, EndpointInfo, Method};
use feishu_openapi::testing::{FakeFeishu, Fault};
use feishu_openapi::validate::{self, Limit, Validate, Violation};
use feishu_openapi::{Client, Error, ErrorKind, NoDocumentedCodes, RequestOptions, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// chat-members/delete: `DELETE` with a body, tenant or user tokens.
static REMOVE_MEMBERS: EndpointInfo = EndpointInfo {
    id: "im.v1.chat_members.delete",
    method: Method::Delete,
    path: "/open-apis/im/v1/chats/:chat_id/members",
    access_tokens: &[AccessTokenKind::Tenant, AccessTokenKind::User],
    idempotency_key: None,
    rate_limit: None,
    rate_limited_codes: &[],
};

/// An endpoint that takes only a user's token.
static USER_ONLY: EndpointInfo = EndpointInfo {
    id: "im.v1.chat.me_join",
    access_tokens: &[AccessTokenKind::User],
    ..REMOVE_MEMBERS
};

/// An endpoint that takes only the tenant's token (chat-menu_tree/delete).
static TENANT_ONLY: EndpointInfo = EndpointInfo {
    id: "im.v1.chat_menu_tree.delete",
    access_tokens: &[AccessTokenKind::Tenant],
    ..REMOVE_MEMBERS
};

/// An endpoint that takes no token, as the token endpoints do (the app's
/// credentials go in the body): `"access_tokens": ["none"]` in a schema.
static NO_TOKEN: EndpointInfo = EndpointInfo {
    id: "no_token",
    access_tokens: &[],
    ..REMOVE_MEMBERS
};

/// What the generator makes of `"kind": "enum", "repr": "integer"`.
#[derive(Clone, Copy, Debug)]
enum SucceedType {
    FailOnInvisible,
    AddAvailable,
    FailOnAny,
    Unknown(i64),
}

impl SucceedType {
    fn as_i64(&self) -> i64 {
        match self {
            Self::FailOnInvisible => 0,
            Self::AddAvailable => 1,
            Self::FailOnAny => 2,
            Self::Unknown(wire) => *wire,
        }
    }

    fn documented(wire: i64) -> Option<Self> {
        match wire {
            0 => Some(Self::FailOnInvisible),
            1 => Some(Self::AddAvailable),
            2 => Some(Self::FailOnAny),
            _ => None,
        }
    }
}

feishu_runtime::open_int_enum_impls!(SucceedType);

/// What the generator makes of a body with a bound, a pattern and an
/// integer enum.
#[derive(Debug, Default, Serialize)]
struct Body {
    #[serde(skip_serializing_if = "Option::is_none")]
    id_list: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page_size: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    chat_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    succeed_type: Option<SucceedType>,
}

impl Validate for Body {
    fn validate(&self, at: &str, out: &mut Vec<Violation>) {
        validate::range(at, "page_size", self.page_size, Some(1), Some(100), out);
        validate::pattern(
            at,
            "chat_id",
            self.chat_id.as_deref(),
            "^oc_[0-9a-f]+$",
            out,
        );
    }
}

/// An answer without data fields, as generated for `"response": {"fields": []}`.
#[derive(Debug, Default, PartialEq, Deserialize)]
struct NoData {}

/// Data holding an integer enum, to read one back.
#[derive(Debug, PartialEq, Deserialize)]
struct Outcome {
    succeed_type: Option<SucceedType>,
    tried: Option<Vec<SucceedType>>,
}

async fn call<R: serde::de::DeserializeOwned>(
    client: &Client,
    endpoint: &'static EndpointInfo,
    body: &Body,
    options: &RequestOptions,
) -> Result<Response<R>, Error<NoDocumentedCodes>> {
    client
        .call(endpoint, &[("chat_id", "oc_1")], &(), Some(body), options)
        .await
}

fn success(data: Option<Value>) -> Fault {
    let mut answer = json!({"code": 0, "msg": "success"});
    if let Some(data) = data {
        answer["data"] = data;
    }
    Fault::Raw {
        status: 200,
        body: answer.to_string(),
    }
}

fn members() -> Body {
    Body {
        id_list: Some(vec!["ou_1".into(), "ou_2".into()]),
        ..Body::default()
    }
}

#[tokio::test]
async fn every_method_sends_the_body_the_schema_gives_it() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let methods = [
        Method::Delete,
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
    ];
    for method in methods {
        let endpoint: &'static EndpointInfo = Box::leak(Box::new(EndpointInfo {
            method,
            ..REMOVE_MEMBERS
        }));
        fake.inject(success(Some(json!({}))));
        call::<NoData>(&client, endpoint, &members(), &RequestOptions::new())
            .await
            .unwrap();
    }
    let sent = fake.api_requests();
    let seen: Vec<&str> = sent.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(seen, ["DELETE", "GET", "POST", "PUT", "PATCH"]);
    for request in &sent {
        assert_eq!(request.path, "/open-apis/im/v1/chats/oc_1/members");
        assert_eq!(
            request.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        assert_eq!(request.json(), Some(json!({"id_list": ["ou_1", "ou_2"]})));
    }
}

#[tokio::test]
async fn an_answer_without_data_fields_decodes_however_data_is_left_out() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    for data in [Some(json!({})), None, Some(Value::Null)] {
        fake.inject(success(data.clone()));
        let response = call::<NoData>(&client, &REMOVE_MEMBERS, &members(), &RequestOptions::new())
            .await
            .unwrap_or_else(|error| panic!("data {data:?}: {error:?}"));
        assert_eq!(*response, NoData {});
        assert_eq!(response.status(), 200);
    }
}

#[tokio::test]
async fn integer_enums_go_out_and_come_back_as_numbers() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    fake.inject(success(Some(json!({"succeed_type": 1, "tried": [2, 7]}))));
    let body = Body {
        succeed_type: Some(SucceedType::FailOnAny),
        ..Body::default()
    };
    let outcome = call::<Outcome>(&client, &REMOVE_MEMBERS, &body, &RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(
        fake.api_requests()[0].json(),
        Some(json!({"succeed_type": 2}))
    );
    assert_eq!(
        outcome.into_inner(),
        Outcome {
            succeed_type: Some(SucceedType::AddAvailable),
            // A number the docs do not list is kept, and goes back as sent.
            tried: Some(vec![SucceedType::FailOnAny, SucceedType::Unknown(7)]),
        }
    );
    assert_eq!(
        serde_json::to_string(&SucceedType::Unknown(7)).unwrap(),
        "7"
    );
    assert_eq!(SucceedType::from(0), SucceedType::FailOnInvisible);
    assert_eq!(SucceedType::Unknown(-3).to_string(), "-3");
    // A string is not an integer enum's value.
    assert!(serde_json::from_str::<SucceedType>("\"1\"").is_err());
}

#[tokio::test]
async fn a_user_only_endpoint_never_sends_a_tenant_token() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();

    // The client has app credentials, but they only get a tenant token.
    let error = call::<NoData>(&client, &USER_ONLY, &members(), &RequestOptions::new())
        .await
        .unwrap_err();
    assert!(
        matches!(
            error.kind(),
            ErrorKind::MissingAccessToken {
                endpoint: "im.v1.chat.me_join"
            }
        ),
        "{error:?}"
    );
    // A tenant token given for the call is refused too.
    let options = RequestOptions::new().tenant_access_token("t-given");
    let error = call::<NoData>(&client, &USER_ONLY, &members(), &options)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error.kind(),
            ErrorKind::TokenNotAccepted {
                endpoint: "im.v1.chat.me_join",
                given: AccessTokenKind::Tenant,
                accepted: [AccessTokenKind::User],
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "im.v1.chat.me_join does not take a tenant_access_token (it takes user_access_token); nothing was sent"
    );
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());

    // A user's token goes out.
    fake.inject(success(Some(json!({}))));
    let options = RequestOptions::new().user_access_token("u-given");
    call::<NoData>(&client, &USER_ONLY, &members(), &options)
        .await
        .unwrap();
    let sent = fake.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].header("authorization"), Some("Bearer u-given"));
}

#[tokio::test]
async fn a_users_token_is_the_callers_choice_and_goes_out() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    // Where the page lists only the tenant's token, and where it lists both.
    for endpoint in [&TENANT_ONLY, &REMOVE_MEMBERS] {
        fake.inject(success(Some(json!({}))));
        let options = RequestOptions::new()
            .tenant_access_token("t-given")
            .user_access_token("u-given");
        call::<NoData>(&client, endpoint, &members(), &options)
            .await
            .unwrap();
    }
    let sent = fake.requests();
    assert_eq!(sent.len(), 2, "no tenant token was fetched: {sent:?}");
    for request in &sent {
        assert_eq!(request.header("authorization"), Some("Bearer u-given"));
    }
}

#[tokio::test]
async fn bounds_and_patterns_are_checked_before_sending() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let body = Body {
        page_size: Some(101),
        chat_id: Some("oc_NOT_HEX".into()),
        ..Body::default()
    };
    let error = call::<NoData>(&client, &REMOVE_MEMBERS, &body, &RequestOptions::new())
        .await
        .unwrap_err();
    let ErrorKind::Validation(violations) = error.kind() else {
        panic!("expected a validation error, got {error:?}");
    };
    let limits: Vec<(&str, &Limit)> = violations
        .iter()
        .map(|v| (v.field.as_str(), &v.limit))
        .collect();
    assert_eq!(
        limits,
        [
            (
                "body.page_size",
                &Limit::Maximum {
                    max: 100,
                    actual: 101
                }
            ),
            (
                "body.chat_id",
                &Limit::Pattern {
                    pattern: "^oc_[0-9a-f]+$"
                }
            ),
        ]
    );
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn an_app_token_goes_out_as_the_given_tenant_token() {
    static APP_ONLY: EndpointInfo = EndpointInfo {
        id: "im.v1.app_only",
        access_tokens: &[AccessTokenKind::App],
        ..REMOVE_MEMBERS
    };
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    fake.inject(success(Some(json!({}))));
    let options = RequestOptions::new().tenant_access_token("a-app");
    call::<NoData>(&client, &APP_ONLY, &members(), &options)
        .await
        .unwrap();
    let sent = fake.requests();
    assert_eq!(sent.len(), 1, "no tenant token was fetched: {sent:?}");
    assert_eq!(sent[0].header("authorization"), Some("Bearer a-app"));
}

#[tokio::test]
async fn an_endpoint_that_takes_no_token_sends_no_authorization_header() {
    let fake = FakeFeishu::start().await.unwrap();
    // The client has app credentials; the call fetches no token with them.
    let client = client_builder(&fake).build().unwrap();
    fake.inject(success(Some(json!({}))));
    call::<NoData>(&client, &NO_TOKEN, &members(), &RequestOptions::new())
        .await
        .unwrap();
    // A user's token named in the options does not go out either.
    fake.inject(success(Some(json!({}))));
    let options = RequestOptions::new().user_access_token("u-given");
    call::<NoData>(&client, &NO_TOKEN, &members(), &options)
        .await
        .unwrap();
    let sent = fake.requests();
    assert_eq!(sent.len(), 2, "{sent:?}");
    for request in &sent {
        assert_eq!(request.path, "/open-apis/im/v1/chats/oc_1/members");
        assert_eq!(request.header("authorization"), None);
        assert_eq!(
            request.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        assert_eq!(request.json(), Some(json!({"id_list": ["ou_1", "ou_2"]})));
    }
    // A tenant token given for it is refused before sending.
    let options = RequestOptions::new().tenant_access_token("t-given");
    let error = call::<NoData>(&client, &NO_TOKEN, &members(), &options)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error.kind(),
            ErrorKind::TokenNotAccepted {
                endpoint: "no_token",
                given: AccessTokenKind::Tenant,
                accepted: [],
            }
        ),
        "{error:?}"
    );
    assert_eq!(fake.requests().len(), 2);
}
