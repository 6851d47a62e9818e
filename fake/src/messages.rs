//! Messages as the im pages describe them: send, reply, get, list, edit,
//! recall, forward, read users and reactions keep one record, so each sees
//! what the others did. A test plays the user: [`FakeFeishu::user_sends`]
//! stores a user's message and answers the `im.message.receive_v1`
//! delivery to push, [`FakeFeishu::user_reads`] marks a message read, and
//! [`FakeFeishu::click`] clicks a card's button over the long connection
//! or the webhook and applies the bot's reply to the card's message.

use base64::Engine;
use serde_json::{Map, Value, json};

use super::answer::{Reply, failure, page};
use super::state::{Call, Chats, Operator};
use super::{LongConnectionSendError, server::FakeFeishu};

/// The im pages' codes: an invalid parameter, a recalled message, an
/// action on a deleted one.
const INVALID: i64 = 230001;
const RECALLED: i64 = 230011;
const DELETED: i64 = 230110;
/// Read users: only the message's sender may ask.
const NOT_SENDER: i64 = 230012;
/// Reactions: no such message; someone else's reaction.
const NO_MESSAGE: i64 = 231003;
const NOT_OWN_REACTION: i64 = 231007;

/// List: 20 by default, at most 50, as the list page says.
const PAGE_DEFAULT: usize = 20;
const PAGE_MAX: usize = 50;

/// Every message, oldest first, as get answers it.
#[derive(Default)]
pub(super) struct Messages {
    pub records: Vec<Map<String, Value>>,
    /// Reactions by message id, as reactions create answers them.
    reactions: Vec<(String, Value)>,
    /// Who read which message, when (milliseconds).
    reads: Vec<(String, String, String)>,
    next_id: u64,
}

impl Messages {
    fn new_id(&mut self) -> String {
        self.next_id += 1;
        format!("om_fake{:016}", self.next_id)
    }

    /// Stores a message sent by `sender` into `chat_id`; answers it.
    fn store(
        &mut self,
        chat_id: &str,
        sender: &Operator,
        msg_type: &str,
        content: &str,
        parent: Option<&Map<String, Value>>,
    ) -> Map<String, Value> {
        let now = millis_now();
        let (id_type, sender_type) = match sender {
            Operator::Bot(_) => ("app_id", "app"),
            Operator::User(_) => ("open_id", "user"),
        };
        let mut message = json!({
            "message_id": self.new_id(),
            "msg_type": msg_type,
            "create_time": now,
            "update_time": now,
            "deleted": false,
            "updated": false,
            "chat_id": chat_id,
            "sender": {"id": sender.id(), "id_type": id_type, "sender_type": sender_type, "tenant_key": "fake_tenant"},
            "body": {"content": content},
        });
        if let Some(parent) = parent {
            let parent_id = parent["message_id"].clone();
            let root = parent
                .get("root_id")
                .cloned()
                .unwrap_or_else(|| parent_id.clone());
            message["parent_id"] = parent_id;
            message["root_id"] = root;
        }
        let Value::Object(message) = message else {
            unreachable!("a JSON object")
        };
        self.records.push(message.clone());
        message
    }

    fn find(&mut self, message_id: &str) -> Result<&mut Map<String, Value>, super::answer::Answer> {
        self.records
            .iter_mut()
            .find(|m| m["message_id"] == message_id)
            .ok_or_else(|| failure(INVALID, &format!("no message {message_id}")))
    }
}

fn millis_now() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    now.map(|d| d.as_millis()).unwrap_or(0).to_string()
}

/// `msg_type` and `content` of a send, reply or edit body.
fn message_of(call: &Call<'_>) -> Result<(String, String), super::answer::Answer> {
    let body = call.json()?;
    let text = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_owned);
    match (text("msg_type"), text("content")) {
        (Some(msg_type), Some(content)) => Ok((msg_type, content)),
        _ => Err(failure(INVALID, "msg_type and content are required")),
    }
}

/// The chat a send or forward goes to: the `receive_id` chat, or for a
/// user the one-to-one chat with them.
fn receiving_chat(call: &Call<'_>) -> Result<String, super::answer::Answer> {
    let body = call.json()?;
    let receiver = body
        .get("receive_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    Ok(match call.param("receive_id_type") {
        Some("chat_id") => receiver.to_owned(),
        _ => format!("oc_p2p_{receiver}"),
    })
}

pub(super) fn create(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let chat_id = receiving_chat(call)?;
    let (msg_type, content) = message_of(call)?;
    let message = chats
        .messages
        .store(&chat_id, &call.operator, &msg_type, &content, None);
    Ok(Value::Object(message))
}

pub(super) fn reply(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let (msg_type, content) = message_of(call)?;
    let parent = chats.messages.find(&call.params[0])?.clone();
    if parent["deleted"] == true {
        return Err(failure(RECALLED, "the message was recalled"));
    }
    let chat_id = parent["chat_id"].as_str().unwrap_or_default().to_owned();
    let message =
        chats
            .messages
            .store(&chat_id, &call.operator, &msg_type, &content, Some(&parent));
    Ok(Value::Object(message))
}

pub(super) fn get(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let message = chats.messages.find(&call.params[0])?;
    if message["deleted"] == true {
        return Err(failure(DELETED, "the message was recalled"));
    }
    Ok(json!({"items": [message.clone()]}))
}

pub(super) fn list(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let chat_id = call.param("container_id").unwrap_or_default();
    let items: Vec<Value> = (chats.messages.records.iter())
        .filter(|m| m["chat_id"] == chat_id)
        .map(|m| Value::Object(m.clone()))
        .collect();
    let answer = page(
        items,
        call.param("page_size"),
        call.param("page_token"),
        PAGE_DEFAULT,
        PAGE_MAX,
    )?;
    Ok(Value::Object(answer))
}

/// Edit: a message not recalled takes the new content (the fake does not
/// check who sent it or its type).
pub(super) fn update(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let (msg_type, content) = message_of(call)?;
    let message = chats.messages.find(&call.params[0])?;
    if message["deleted"] == true {
        return Err(failure(RECALLED, "the message was recalled"));
    }
    message.insert("msg_type".into(), json!(msg_type));
    message.insert("body".into(), json!({"content": content}));
    message.insert("updated".into(), json!(true));
    message.insert("update_time".into(), json!(millis_now()));
    Ok(Value::Object(message.clone()))
}

/// Recall: the message stays, `deleted`.
pub(super) fn delete(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let message = chats.messages.find(&call.params[0])?;
    message.insert("deleted".into(), json!(true));
    Ok(json!({}))
}

/// Forward: a copy into the chat `receive_id` names.
pub(super) fn forward(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let original = chats.messages.find(&call.params[0])?.clone();
    if original["deleted"] == true {
        return Err(failure(INVALID, "the message was recalled"));
    }
    let chat_id = receiving_chat(call)?;
    let msg_type = original["msg_type"].as_str().unwrap_or_default();
    let content = original["body"]["content"].as_str().unwrap_or_default();
    let copy = chats
        .messages
        .store(&chat_id, &call.operator, msg_type, content, None);
    Ok(Value::Object(copy))
}

/// Who read a message the caller sent.
pub(super) fn read_users(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let message = chats.messages.find(&call.params[0])?;
    if message["deleted"] == true {
        return Err(failure(DELETED, "the message was recalled"));
    }
    if message["sender"]["id"] != call.operator.id() {
        return Err(failure(NOT_SENDER, "only the sender may ask who read it"));
    }
    let id = &call.params[0];
    let items: Vec<Value> = (chats.messages.reads.iter())
        .filter(|(message, _, _)| message == id)
        .map(|(_, user, at)| json!({"user_id_type": "open_id", "user_id": user, "timestamp": at, "tenant_key": "fake_tenant"}))
        .collect();
    let answer = page(
        items,
        call.param("page_size"),
        call.param("page_token"),
        PAGE_DEFAULT,
        100,
    )?;
    Ok(Value::Object(answer))
}

/// The message a reaction endpoint names, not recalled.
fn reactable(chats: &mut Chats, message_id: &str) -> Result<(), super::answer::Answer> {
    let missing = |_| failure(NO_MESSAGE, &format!("no message {message_id}"));
    match chats.messages.find(message_id).map_err(missing)?["deleted"] == true {
        true => Err(failure(DELETED, "the message was recalled")),
        false => Ok(()),
    }
}

pub(super) fn react(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let message_id = &call.params[0];
    reactable(chats, message_id)?;
    let body = call.json()?;
    let emoji = body
        .get("reaction_type")
        .and_then(|r| r.get("emoji_type"))
        .and_then(Value::as_str);
    let Some(emoji) = emoji else {
        return Err(failure(231001, "reaction_type.emoji_type is required"));
    };
    Ok(chats
        .messages
        .add_reaction(message_id, &call.operator, emoji))
}

pub(super) fn reactions(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let message_id = &call.params[0];
    reactable(chats, message_id)?;
    let kind = call.param("reaction_type");
    let items: Vec<Value> = (chats.messages.reactions.iter())
        .filter(|(message, r)| {
            message == message_id && kind.is_none_or(|k| r["reaction_type"]["emoji_type"] == k)
        })
        .map(|(_, r)| r.clone())
        .collect();
    let answer = page(
        items,
        call.param("page_size"),
        call.param("page_token"),
        PAGE_DEFAULT,
        PAGE_MAX,
    )?;
    Ok(Value::Object(answer))
}

/// Removes the caller's own reaction.
pub(super) fn unreact(chats: &mut Chats, call: &Call<'_>) -> Reply {
    reactable(chats, &call.params[0])?;
    let reactions = &mut chats.messages.reactions;
    let at = reactions
        .iter()
        .position(|(message, r)| *message == call.params[0] && r["reaction_id"] == call.params[1]);
    let Some(at) = at else {
        return Err(failure(NO_MESSAGE, "no such reaction on the message"));
    };
    if reactions[at].1["operator"]["operator_id"] != call.operator.id() {
        return Err(failure(
            NOT_OWN_REACTION,
            "only its operator may delete a reaction",
        ));
    }
    Ok(reactions.remove(at).1)
}

impl Messages {
    fn add_reaction(&mut self, message_id: &str, who: &Operator, emoji: &str) -> Value {
        self.next_id += 1;
        let operator_type = match who {
            Operator::Bot(_) => "app",
            Operator::User(_) => "user",
        };
        let reaction = json!({
            "reaction_id": format!("ZC_fake{:012}", self.next_id),
            "operator": {"operator_id": who.id(), "operator_type": operator_type},
            "action_time": millis_now(),
            "reaction_type": {"emoji_type": emoji},
        });
        self.reactions
            .push((message_id.to_owned(), reaction.clone()));
        reaction
    }
}

/// A user's side of a chat with the bot, for tests.
impl FakeFeishu {
    /// Every message, oldest first, as get answers it (recalled ones with
    /// `deleted`).
    pub fn messages(&self) -> Vec<Value> {
        self.shared().with(|state| {
            let records = &state.chats.messages.records;
            records.iter().map(|m| Value::Object(m.clone())).collect()
        })
    }

    /// The user `open_id` reads `message_id`: read users lists them.
    pub fn user_reads(&self, message_id: &str, open_id: &str) {
        self.shared().with(|state| {
            let reads = &mut state.chats.messages.reads;
            reads.push((message_id.to_owned(), open_id.to_owned(), millis_now()));
        });
    }

    /// The user `open_id` reacts to `message_id` with `emoji_type`
    /// (`SMILE`, ...); answers the reaction as reactions list shows it.
    pub fn user_reacts(&self, message_id: &str, open_id: &str, emoji_type: &str) -> Value {
        let user = Operator::User(open_id.to_owned());
        self.shared().with(|state| {
            state
                .chats
                .messages
                .add_reaction(message_id, &user, emoji_type)
        })
    }

    /// Stores a message the user `open_id` sends into `chat_id` and answers
    /// the `im.message.receive_v1` envelope Feishu pushes for it, to send
    /// over the long connection or to the webhook.
    pub fn user_sends(&self, chat_id: &str, open_id: &str, msg_type: &str, content: &str) -> Value {
        let user = Operator::User(open_id.to_owned());
        let message = self.shared().with(|state| {
            state
                .chats
                .messages
                .store(chat_id, &user, msg_type, content, None)
        });
        let chat_type = if chat_id.starts_with("oc_p2p_") {
            "p2p"
        } else {
            "group"
        };
        let event = json!({
            "sender": {
                "sender_id": {"open_id": open_id},
                "sender_type": "user",
                "tenant_key": "fake_tenant",
            },
            "message": {
                "message_id": message["message_id"],
                "create_time": message["create_time"],
                "update_time": message["update_time"],
                "chat_id": chat_id,
                "chat_type": chat_type,
                "message_type": msg_type,
                "content": content,
            },
        });
        self.envelope("im.message.receive_v1", event)
    }

    /// The user `open_id` clicks a button whose `value` is this, on the
    /// card of `message_id`: the `card.action.trigger` callback goes over
    /// the long connection, and the bot's reply (its JSON, `{}` when it
    /// answered nothing) is answered back; a card JSON in the reply
    /// replaces the message's content, as Feishu updates the card (a
    /// template card is not rendered: the content stays).
    pub async fn click(
        &self,
        message_id: &str,
        open_id: &str,
        value: Value,
    ) -> Result<Value, LongConnectionSendError> {
        let callback = self.card_callback(message_id, open_id, value);
        let ack = self.send_over_long_connection(callback).await?;
        let reply = ack.payload["data"]
            .as_str()
            .and_then(|data| base64::engine::general_purpose::STANDARD.decode(data).ok())
            .and_then(|json| serde_json::from_slice(&json).ok())
            .unwrap_or_else(|| json!({}));
        self.apply_card_reply(message_id, &reply);
        Ok(reply)
    }

    /// [`click`](Self::click), the callback POSTed to the webhook.
    pub async fn click_over_webhook(
        &self,
        message_id: &str,
        open_id: &str,
        value: Value,
    ) -> Result<Value, super::DeliverError> {
        let callback = self.card_callback(message_id, open_id, value);
        let delivery = self.deliver(callback).await?;
        let answer = delivery.attempts.last().and_then(|a| a.answer.clone());
        let reply = answer
            .and_then(|json| serde_json::from_slice(&json).ok())
            .unwrap_or_else(|| json!({}));
        self.apply_card_reply(message_id, &reply);
        Ok(reply)
    }

    /// The callback of a click, as the card-callback page shows it.
    fn card_callback(&self, message_id: &str, open_id: &str, value: Value) -> Value {
        let chat_id = self.shared().with(|state| {
            let records = &state.chats.messages.records;
            let message = records.iter().find(|m| m["message_id"] == message_id);
            message.map(|m| m["chat_id"].clone()).unwrap_or(Value::Null)
        });
        let event = json!({
            "operator": {"tenant_key": "fake_tenant", "open_id": open_id},
            "token": format!("c-fake-update-token-{message_id}"),
            "action": {"value": value, "tag": "button"},
            "host": "im_message",
            "context": {"open_message_id": message_id, "open_chat_id": chat_id},
        });
        self.envelope("card.action.trigger", event)
    }

    fn apply_card_reply(&self, message_id: &str, reply: &Value) {
        let Some(card) = reply.get("card").filter(|c| c["type"] == "raw") else {
            return;
        };
        let content = card["data"].to_string();
        self.shared().with(|state| {
            if let Ok(message) = state.chats.messages.find(message_id) {
                message.insert("body".into(), json!({"content": content}));
                message.insert("updated".into(), json!(true));
            }
        });
    }
}
