//! The events the group-chat endpoints cause, shaped as the event pages'
//! 事件体 tables and examples (`pages/im/v1/chat/events/*.md`,
//! `chat-member-user/events/*.md`, `chat-member-bot/events/*.md`), and sent
//! only to whom the pages' usage limits say: chat events to the app whose
//! bot is in the chat, bot events to the bot added or removed.
//!
//! The fake knows one id per user; `operator_id` and `users[].user_id`
//! carry it under its kind (`ou_` an open_id, `on_` a union_id, else a
//! user_id). A call with a tenant token is the app's bot, whose open_id is
//! [`BOT_OPEN_ID`](super::BOT_OPEN_ID). The fake has one tenant.

use serde_json::{Map, Value, json};

use super::{BOT_OPEN_ID, TENANT_KEY};
use crate::state::{Call, ChatRecord, Operator};

/// An event an API call caused, for the app's webhook.
pub(crate) struct Notice {
    pub event_type: &'static str,
    pub event: Value,
}

/// The fields `im.chat.updated_v1` reports in `before_change` and
/// `after_change`, in the page's order.
const UPDATED_FIELDS: &[&str] = &[
    "avatar",
    "name",
    "description",
    "i18n_names",
    "add_member_permission",
    "share_card_permission",
    "at_all_permission",
    "edit_permission",
    "membership_approval",
    "join_message_visibility",
    "leave_message_visibility",
    "moderation_permission",
    "owner_id",
    "restricted_mode_setting",
    "group_message_type",
];

/// A user id object holding the one id the fake knows.
fn user_id(id: &str) -> Value {
    let kind = if id.starts_with("ou_") {
        "open_id"
    } else if id.starts_with("on_") {
        "union_id"
    } else {
        "user_id"
    };
    json!({ kind: id })
}

fn operator_id(operator: &Operator) -> Value {
    match operator {
        Operator::Bot(_) => json!({ "open_id": BOT_OPEN_ID }),
        Operator::User(id) => user_id(id),
    }
}

/// Whether the app's bot is in the chat, and so gets its events.
fn app_in_chat(record: &ChatRecord, call: &Call<'_>) -> bool {
    record.bots.contains(&call.config.app_id)
}

/// The fields every chat event starts with: `chat_id`, `operator_id`,
/// `external`, `operator_tenant_key`.
fn base(record: &ChatRecord, call: &Call<'_>) -> Map<String, Value> {
    let mut event = Map::new();
    event.insert("chat_id".to_owned(), json!(record.id()));
    event.insert("operator_id".to_owned(), operator_id(&call.operator));
    event.insert(
        "external".to_owned(),
        record
            .data
            .get("external")
            .cloned()
            .unwrap_or(Value::Bool(false)),
    );
    event.insert("operator_tenant_key".to_owned(), json!(TENANT_KEY));
    event
}

/// `base` plus the chat's `name` and `i18n_names`.
fn named(record: &ChatRecord, call: &Call<'_>) -> Map<String, Value> {
    let mut event = base(record, call);
    for field in ["name", "i18n_names"] {
        if let Some(value) = record.data.get(field) {
            event.insert(field.to_owned(), value.clone());
        }
    }
    event
}

fn notice(event_type: &'static str, event: Map<String, Value>) -> Notice {
    Notice {
        event_type,
        event: Value::Object(event),
    }
}

/// `im.chat.disbanded_v1`.
pub(crate) fn disbanded(record: &ChatRecord, call: &Call<'_>) -> Option<Notice> {
    app_in_chat(record, call).then(|| notice("im.chat.disbanded_v1", named(record, call)))
}

/// `im.chat.member.user.added_v1` (`added`) or `.deleted_v1` for `users`.
pub(crate) fn users_changed(
    record: &ChatRecord,
    call: &Call<'_>,
    users: &[String],
    added: bool,
) -> Option<Notice> {
    if users.is_empty() || !app_in_chat(record, call) {
        return None;
    }
    // Names as members get answers them: the id.
    let users: Vec<Value> = users
        .iter()
        .map(|id| json!({"name": id, "tenant_key": TENANT_KEY, "user_id": user_id(id)}))
        .collect();
    let mut event = named(record, call);
    event.insert("users".to_owned(), Value::Array(users));
    let event_type = if added {
        "im.chat.member.user.added_v1"
    } else {
        "im.chat.member.user.deleted_v1"
    };
    Some(notice(event_type, event))
}

/// `im.chat.member.bot.added_v1` (`added`) or `.deleted_v1`, when the
/// app's own bot is among `bots`: the pages send them to that bot.
pub(crate) fn bots_changed(
    record: &ChatRecord,
    call: &Call<'_>,
    bots: &[String],
    added: bool,
) -> Option<Notice> {
    if !bots.contains(&call.config.app_id) {
        return None;
    }
    let event_type = if added {
        "im.chat.member.bot.added_v1"
    } else {
        "im.chat.member.bot.deleted_v1"
    };
    Some(notice(event_type, named(record, call)))
}

/// `im.chat.updated_v1`: the fields that changed from `before` to the
/// chat's data now; nothing when none did.
pub(crate) fn updated(
    before: &Map<String, Value>,
    record: &ChatRecord,
    call: &Call<'_>,
) -> Option<Notice> {
    if !app_in_chat(record, call) {
        return None;
    }
    let mut before_change = Map::new();
    let mut after_change = Map::new();
    for field in UPDATED_FIELDS {
        let (old, new) = (before.get(*field), record.data.get(*field));
        if old == new {
            continue;
        }
        for (change, value) in [(&mut before_change, old), (&mut after_change, new)] {
            if let Some(value) = value {
                change.insert((*field).to_owned(), event_value(field, value));
            }
        }
    }
    if after_change.is_empty() && before_change.is_empty() {
        return None;
    }
    let mut event = base(record, call);
    event.insert("after_change".to_owned(), Value::Object(after_change));
    event.insert("before_change".to_owned(), Value::Object(before_change));
    Some(notice("im.chat.updated_v1", event))
}

/// A chat field as the updated event writes it: the owner as a user id
/// object, the avatar as its image key.
fn event_value(field: &str, value: &Value) -> Value {
    match (field, value.as_str()) {
        ("owner_id", Some(id)) => user_id(id),
        ("avatar", Some(avatar)) => json!(avatar_key(avatar)),
        _ => value.clone(),
    }
}

/// The image key of an avatar URL create answered
/// (`https://.../{key}~100x100.jpg`); a key stays as it is.
fn avatar_key(avatar: &str) -> &str {
    let name = avatar.rsplit('/').next().unwrap_or(avatar);
    name.split('~').next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_go_under_their_kind() {
        assert_eq!(user_id("ou_1"), json!({"open_id": "ou_1"}));
        assert_eq!(user_id("on_1"), json!({"union_id": "on_1"}));
        assert_eq!(user_id("e33ggbyz"), json!({"user_id": "e33ggbyz"}));
    }

    #[test]
    fn avatars_become_keys() {
        assert_eq!(
            avatar_key(
                "https://p3-lark-file.byteimg.com/img/lark-avatar-staging/default-avatar_44ae0ca3~100x100.jpg"
            ),
            "default-avatar_44ae0ca3"
        );
        assert_eq!(avatar_key("default-avatar_1"), "default-avatar_1");
    }
}
