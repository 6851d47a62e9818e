//! The one way the fake answers: success bodies, documented error bodies
//! and pages of a list, so every endpoint answers alike.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

/// A status and a JSON body, ready to send.
pub(super) type Answer = (StatusCode, Value);

/// What a handler gives back: the `data` of a success, or an error answer
/// (so handlers can use `?`).
pub(super) type Reply = Result<Value, Answer>;

/// `{"code": 0, "msg": "success", "data": data}`, as every page's example.
pub(super) fn success(data: Value) -> Answer {
    (
        StatusCode::OK,
        json!({"code": 0, "msg": "success", "data": data}),
    )
}

/// A documented error: HTTP 400 (as every page's error table says), the
/// code, the table's description as `msg`, and a detail for whoever reads a
/// failing test.
pub(super) fn failure(code: i64, detail: &str) -> Answer {
    (
        StatusCode::BAD_REQUEST,
        json!({"code": code, "msg": message(code), "error": {"message": detail}}),
    )
}

/// Code 232001, which every page with parameters documents.
pub(super) fn bad_params(detail: &str) -> Answer {
    failure(INVALID_PARAM, detail)
}

pub(super) const INVALID_PARAM: i64 = 232001;

/// The descriptions in the pages' error tables, word for word.
fn message(code: i64) -> &'static str {
    match code {
        232001 => "Your request contains an invalid request parameter.",
        232002 => {
            "No Permission: Only chat owner or admin can edit chat information in the current situation."
        }
        232003 => "Chat announcement can NOT be found in chat information.",
        232006 => "Your request specifies a chat_id which is invalid.",
        232008 => "Your request specifies a chat whose type is NOT supported currently.",
        232009 => "Your request specifies a chat which has already been dissolved.",
        232011 => "Operator can NOT be out of the chat.",
        232012 => "New chat owner can NOT be out of the chat.",
        232014 => {
            "The token used in the request does NOT have the permissions necessary to complete the request."
        }
        232016 => "Non-chat-owner or Non-chat-admin can only edit certain parts.",
        232017 => {
            "No Permission: If the operator is NOT owner or creator with the scope, the operator can NOT complete the request."
        }
        232018 => "Updating announcement failed.",
        232020 => "Name can NOT be less than two characters for public chats.",
        232027 => "There are no valid members in the ID list specified in your request.",
        232038 => "The operator is not chat owner, no permission to complete the request.",
        232040 => "The chat managers has reached the limit of maximum number.",
        232042 => "Public group chat's name should not be empty.",
        232043 => "Your request contains unavailable ids.",
        232046 => "The number of chat tabs has reached the limit.",
        232047 => "The length of the tab name reaches the limit.",
        232048 => "The chat tab content is illegal.",
        232064 => {
            "The operator is not a group owner or administrator, no permission to share chat link."
        }
        232070 => "The number of chat_menu_top_level has reached the limit.",
        232071 => "The number of chat_menu_second_level has reached the limit.",
        232072 => "Sort chat_menu_top_level's param is invalid.",
        232075 => {
            "The public group needs to apply to join, and users or bots are not allowed to actively join the group."
        }
        232076 => "Can't kick chat owner.",
        _ => "unknown error",
    }
}

/// One page of `items` as the list pages describe it: `page_size` (default
/// `default`, at most `max`, else 232001) and the opaque `page_token` of the
/// previous answer. Answers `items`, `page_token` and `has_more`; callers
/// add their own fields (e.g. `member_total`).
pub(super) fn page(
    items: Vec<Value>,
    page_size: Option<&str>,
    page_token: Option<&str>,
    default: usize,
    max: usize,
) -> Result<Map<String, Value>, Answer> {
    let size = match page_size {
        None => default,
        Some(text) => match text.parse::<usize>() {
            Ok(size) if (1..=max).contains(&size) => size,
            _ => return Err(bad_params(&format!("page_size must be 1 to {max}"))),
        },
    };
    // Tokens name the offset of the next page; anything else is a token
    // this fake never gave out.
    let start = match page_token {
        None | Some("") => 0,
        Some(token) => match token
            .strip_prefix(TOKEN_PREFIX)
            .and_then(|offset| offset.parse::<usize>().ok())
        {
            Some(offset) if offset <= items.len() => offset,
            _ => return Err(bad_params("page_token was not given out by this fake")),
        },
    };
    let end = (start + size).min(items.len());
    let has_more = end < items.len();
    let mut answer = Map::new();
    answer.insert("items".to_owned(), Value::Array(items[start..end].to_vec()));
    // The examples always carry page_token; it is empty on the last page.
    let next = if has_more {
        format!("{TOKEN_PREFIX}{end}")
    } else {
        String::new()
    };
    answer.insert("page_token".to_owned(), json!(next));
    answer.insert("has_more".to_owned(), json!(has_more));
    Ok(answer)
}

const TOKEN_PREFIX: &str = "fakepage_";
