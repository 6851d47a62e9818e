//! Fuzzes the answer decoder every call runs (`decode_answer`, the same
//! code as the client's), with create chat's response type: any status,
//! headers and body end in a value or a typed error, never a panic, and
//! the error is the one documented for the answer's shape.

use feishu_openapi::ErrorKind;
use feishu_openapi::header::{HeaderMap, HeaderName, HeaderValue};
use feishu_openapi::im::v1::chat::create::{CreateChatData, CreateChatErrorCode};
use feishu_runtime::decode_answer;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

type Decoded = Result<CreateChatData, ErrorKind<CreateChatErrorCode>>;

fn decode(status: u16, headers: HeaderMap, body: Vec<u8>) -> Decoded {
    decode_answer(status, headers, body)
}

/// Keys the decoder and the response type care about, plus noise.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "code", "msg", "data", "chat_id", "name", "avatar", "description",
            "i18n_names", "zh_cn", "owner_id", "owner_id_type", "chat_mode",
            "chat_type", "chat_tag", "external", "tenant_key", "urgent_setting",
            "restricted_mode_setting", "status", "labels",
        ])
        .prop_map(str::to_owned),
        1 => "\\PC{0,8}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop_oneof![
            Just(0i64),
            Just(99991400),
            Just(99991663),
            Just(232019),
            Just(232043)
        ]
        .prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "\\PC{0,16}".prop_map(Value::String),
        prop::sample::select(vec![
            "oc_a",
            "p2p",
            "group",
            "public",
            "all_members",
            "only_owner"
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..8)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Bodies shaped like Feishu answers, with fields of any type.
fn feishu_like_body() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::option::of(json_value()),
        prop::option::of(json_value()),
        prop::option::of(json_value()),
        prop::collection::vec((key(), json_value()), 0..4),
    )
        .prop_map(|(code, msg, data, extra)| {
            let mut object = Map::new();
            for (name, value) in [("code", code), ("msg", msg), ("data", data)] {
                if let Some(value) = value {
                    object.insert(name.to_owned(), value);
                }
            }
            object.extend(extra);
            Value::Object(object).to_string().into_bytes()
        })
}

/// A valid answer cut short, or with bytes flipped.
fn damaged_body() -> impl Strategy<Value = Vec<u8>> {
    (
        feishu_like_body(),
        any::<prop::sample::Index>(),
        any::<u8>(),
        any::<bool>(),
    )
        .prop_map(|(mut body, at, byte, cut)| {
            if body.is_empty() {
                return body;
            }
            let at = at.index(body.len());
            if cut {
                body.truncate(at);
            } else {
                body[at] = byte;
            }
            body
        })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => feishu_like_body(),
        2 => damaged_body(),
        1 => prop::collection::vec(any::<u8>(), 0..256),
        1 => json_value().prop_map(|value| value.to_string().into_bytes()),
    ]
}

fn headers() -> impl Strategy<Value = HeaderMap> {
    prop::collection::vec(
        (
            prop::sample::select(vec![
                "x-tt-logid",
                "x-ogw-ratelimit-reset",
                "retry-after",
                "content-type",
                "x-other",
            ]),
            prop::collection::vec(any::<u8>(), 0..24),
        ),
        0..5,
    )
    .prop_map(|pairs| {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            if let Ok(value) = HeaderValue::from_bytes(&value) {
                headers.append(HeaderName::from_static(name), value);
            }
        }
        headers
    })
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => Just(200u16),
        1 => prop::sample::select(vec![201u16, 204, 400, 401, 403, 404, 429, 500, 502, 503, 504]),
        1 => 100u16..1000,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    /// Nothing panics, and every outcome is one of the documented ones for
    /// the answer it came from.
    #[test]
    fn any_answer_decodes_to_a_value_or_a_documented_error(
        status in status(),
        headers in headers(),
        body in body(),
    ) {
        let log_id = headers
            .get("x-tt-logid")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        // Read leniently: serde_json does not check the UTF-8 of a string
        // it skips, so an answer whose only bad bytes sit in a field the
        // types do not know decodes (as it did with serde's derive).
        let parsed: Option<Value> = serde_json::from_str(&String::from_utf8_lossy(&body)).ok();
        let code = parsed.as_ref().and_then(|value| value.get("code")).and_then(Value::as_i64);
        let success = (200..300).contains(&status);
        match decode(status, headers, body.clone()) {
            Ok(_) => {
                prop_assert!(success);
                prop_assert_eq!(code, Some(0));
            }
            Err(ErrorKind::Api(api)) => {
                prop_assert_eq!(Some(api.code), code);
                prop_assert_ne!(api.code, 0);
                prop_assert_eq!(api.http_status, status);
                prop_assert_eq!(api.log_id, log_id);
                prop_assert_eq!(
                    api.documented.map(feishu_openapi::ErrorCode::code),
                    api.documented.map(|_| api.code)
                );
            }
            Err(ErrorKind::HttpStatus { status: got, body: text, log_id: got_log }) => {
                prop_assert!(!success || code == Some(0));
                prop_assert_eq!(got, status);
                prop_assert_eq!(text, String::from_utf8_lossy(&body).into_owned());
                prop_assert_eq!(got_log, log_id);
            }
            Err(ErrorKind::Decode { status: got, body: text, .. }) => {
                prop_assert!(success);
                prop_assert_eq!(got, status);
                prop_assert_eq!(text, String::from_utf8_lossy(&body).into_owned());
            }
            Err(other) => prop_assert!(false, "undocumented outcome {:?}", other),
        }
    }

    /// A well-formed success always decodes, whatever unknown fields and
    /// enum values it carries.
    #[test]
    fn a_plain_success_with_any_extra_fields_decodes(
        extra in prop::collection::vec(("[a-z_]{1,12}", json_value()), 0..6),
        chat_type in "\\PC{0,12}",
    ) {
        let mut data = Map::new();
        data.insert("chat_id".to_owned(), json!("oc_x"));
        data.insert("chat_type".to_owned(), json!(chat_type));
        for (name, value) in extra {
            // Keep the known fields' documented types.
            if !matches!(name.as_str(), "chat_id" | "chat_type") && !is_known_field(&name) {
                data.insert(name, value);
            }
        }
        let body = json!({"code": 0, "msg": "success", "data": data}).to_string();
        let chat = decode(200, HeaderMap::new(), body.into_bytes());
        prop_assert!(chat.is_ok(), "{:?}", chat);
        let chat = chat.unwrap();
        prop_assert_eq!(chat.chat_id.as_deref(), Some("oc_x"));
    }
}

fn is_known_field(name: &str) -> bool {
    let probe = json!({"code": 0, "data": {name: {"__probe__": []}}}).to_string();
    // A field the type knows rejects an object of the wrong shape.
    decode(200, HeaderMap::new(), probe.into_bytes()).is_err()
}

#[test]
fn duplicate_keys_take_the_last_value() {
    // Documented in the decoder: as in serde_json's `Value`, the last of
    // repeated keys wins, at every level, on both decoding paths.
    let chat = decode(
        200,
        HeaderMap::new(),
        br#"{"code":0,"data":{"chat_id":"oc_first"},"data":{"chat_id":"oc_last"}}"#.to_vec(),
    )
    .unwrap();
    assert_eq!(chat.chat_id.as_deref(), Some("oc_last"));
    let chat = decode(
        200,
        HeaderMap::new(),
        br#"{"code":0,"data":{"chat_id":"oc_first","chat_id":"oc_last"}}"#.to_vec(),
    )
    .unwrap();
    assert_eq!(chat.chat_id.as_deref(), Some("oc_last"));
    let error = decode(
        200,
        HeaderMap::new(),
        br#"{"code":0,"code":232019,"msg":"limited","data":{}}"#.to_vec(),
    )
    .unwrap_err();
    assert_eq!(error.api().map(|api| api.code), Some(232019));
}

#[test]
fn an_array_shaped_like_a_success_is_not_one() {
    // Found by the fuzz test above: derived structs take `[code, data]`.
    let error = decode(200, HeaderMap::new(), b" [0,{}]".to_vec()).unwrap_err();
    assert!(
        matches!(&error, ErrorKind::Decode { status: 200, path: None, message, .. }
            if message == "the answer is not a JSON object"),
        "{error:?}"
    );
}

/// The case a fuzz run found: bad UTF-8 in a field the types skip decodes;
/// in a field they read, it is a decode error naming the answer.
#[test]
fn bad_utf8_fails_only_where_the_types_read_it() {
    let skipped = b"{\"code\":0,\"msg\":\"\",\"data\":{\"noise\":\"\x80c_a\"}}".to_vec();
    assert!(decode(200, HeaderMap::new(), skipped).is_ok());
    let read = b"{\"code\":0,\"msg\":\"\",\"data\":{\"chat_id\":\"\x80c_a\"}}".to_vec();
    match decode(200, HeaderMap::new(), read.clone()) {
        Err(ErrorKind::Decode { status, body, .. }) => {
            assert_eq!(status, 200);
            assert_eq!(body, String::from_utf8_lossy(&read));
        }
        other => panic!("{other:?}"),
    }
}
