//! The fake's one record of the group-chat family: every chat with its
//! members, managers, announcement, top notice, moderation, tabs and menus,
//! so each endpoint sees what the others did.

use std::collections::HashMap;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use super::answer::{Answer, INVALID_PARAM, failure};
use super::server::{FakeFeishu, FakeFeishuBuilder};

/// Who calls: the app's bot (tenant token) or a user (user token).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Operator {
    Bot(String),
    User(String),
}

impl Operator {
    pub fn id(&self) -> &str {
        match self {
            Self::Bot(id) | Self::User(id) => id,
        }
    }
}

/// One API call as the handlers see it.
pub(super) struct Call<'a> {
    pub operator: Operator,
    /// Path parameters, in the order of the route's pattern.
    pub params: Vec<String>,
    pub query: Vec<(String, String)>,
    /// The query string as sent, without `?`.
    pub raw_query: Option<&'a str>,
    pub body: &'a [u8],
    pub config: &'a FakeFeishuBuilder,
}

impl Call<'_> {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The query decoded into the endpoint's generated query type; one that
    /// does not decode is the page's 232001.
    pub fn query_as<Q: DeserializeOwned>(&self) -> Result<Q, Answer> {
        serde_urlencoded::from_str(self.raw_query.unwrap_or_default())
            .map_err(|error| failure(INVALID_PARAM, &format!("query: {error}")))
    }

    /// The body decoded into the endpoint's generated body type (an empty
    /// body as `{}`); one that does not decode is the page's 232001.
    pub fn body_as<B: DeserializeOwned>(&self) -> Result<B, Answer> {
        let body = if self.body.is_empty() {
            b"{}".as_slice()
        } else {
            self.body
        };
        serde_json::from_slice(body)
            .map_err(|error| failure(INVALID_PARAM, &format!("body: {error}")))
    }

    /// The body as a JSON object; an empty body reads as `{}`.
    pub fn json(&self) -> Result<Map<String, Value>, Answer> {
        if self.body.is_empty() {
            return Ok(Map::new());
        }
        match serde_json::from_slice(self.body) {
            Ok(Value::Object(body)) => Ok(body),
            _ => Err(failure(INVALID_PARAM, "the body must be a JSON object")),
        }
    }

    /// The string array `name` of the body (absent reads as empty).
    pub fn strings(&self, name: &str) -> Result<Vec<String>, Answer> {
        let body = self.json()?;
        strings(&body, name)
    }

    /// The string array `name` of the body, which the page requires.
    pub fn required_strings(&self, name: &str) -> Result<Vec<String>, Answer> {
        let list = self.strings(name)?;
        if list.is_empty() {
            return Err(failure(INVALID_PARAM, &format!("{name} is required")));
        }
        Ok(list)
    }
}

/// The string array `name` of `object` (absent reads as empty).
pub(super) fn strings(object: &Map<String, Value>, name: &str) -> Result<Vec<String>, Answer> {
    match object.get(name) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| failure(INVALID_PARAM, &format!("{name} must hold strings")))
            })
            .collect(),
        Some(_) => Err(failure(
            INVALID_PARAM,
            &format!("{name} must be an array of strings"),
        )),
    }
}

/// Seconds since the epoch as the pages write times: a decimal string.
pub(super) fn unix_now() -> String {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|since| since.as_secs())
        .unwrap_or(0)
        .to_string()
}

/// A chat and everything hanging off it.
pub(super) struct ChatRecord {
    /// The fields get answers, starting as create's answer.
    pub data: Map<String, Value>,
    /// The app that created the chat; it may act as owner (the pages'
    /// "creator with im:chat:operate_as_owner").
    pub creator: Operator,
    pub disbanded: bool,
    /// User members, oldest first (the owner among them).
    pub users: Vec<String>,
    /// Bot members (app ids), oldest first.
    pub bots: Vec<String>,
    pub user_managers: Vec<String>,
    pub bot_managers: Vec<String>,
    pub announcement: Announcement,
    pub top_notice: Option<Value>,
    pub moderators: Vec<String>,
    pub tabs: Vec<Value>,
    pub menus: Vec<Value>,
    /// Source of tab and menu ids, which the pages show as digit strings.
    pub next_id: u64,
}

/// The announcement as announcement get answers it.
pub(super) struct Announcement {
    pub content: String,
    pub revision: u64,
    pub create_time: String,
    pub update_time: String,
    pub modifier: Option<Operator>,
}

impl ChatRecord {
    pub fn new(data: Map<String, Value>, creator: Operator, bots: Vec<String>) -> Self {
        let users: Vec<String> = data
            .get("owner_id")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .into_iter()
            .collect();
        let now = unix_now();
        let mut record = Self {
            data,
            creator,
            disbanded: false,
            users,
            bots,
            user_managers: Vec::new(),
            bot_managers: Vec::new(),
            announcement: Announcement {
                content: String::new(),
                revision: 0,
                create_time: now.clone(),
                update_time: now,
                modifier: None,
            },
            top_notice: None,
            moderators: Vec::new(),
            tabs: Vec::new(),
            menus: Vec::new(),
            next_id: 7_101_214_603_622_940_000,
        };
        // Every chat has its message tab first, as list_tabs' example shows.
        let id = record.new_id();
        record
            .tabs
            .push(json!({"tab_id": id, "tab_type": "message"}));
        record
    }

    pub fn id(&self) -> &str {
        self.data
            .get("chat_id")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    pub fn new_id(&mut self) -> String {
        self.next_id += 1;
        self.next_id.to_string()
    }

    /// The owner's id; without `owner_id` the creating bot owns the chat.
    pub fn owner(&self) -> String {
        self.data
            .get("owner_id")
            .and_then(Value::as_str)
            .map_or_else(|| self.creator.id().to_owned(), str::to_owned)
    }

    pub fn is_member(&self, who: &Operator) -> bool {
        match who {
            Operator::Bot(id) => self.bots.contains(id),
            Operator::User(id) => self.users.contains(id),
        }
    }

    pub fn is_owner(&self, who: &Operator) -> bool {
        who.id() == self.owner() || (*who == self.creator && self.is_member(who))
    }

    pub fn is_admin(&self, who: &Operator) -> bool {
        self.is_owner(who)
            || self.user_managers.iter().any(|id| id == who.id())
            || self.bot_managers.iter().any(|id| id == who.id())
    }

    pub fn text(&self, name: &str) -> &str {
        self.data
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

/// Whether an endpoint needs the operator inside the chat.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Need {
    Member,
    Anyone,
}

/// All chats, in creation order, and create's dedup record.
#[derive(Default)]
pub(super) struct Chats {
    pub records: Vec<ChatRecord>,
    pub by_uuid: HashMap<(String, String), (Instant, String)>,
    /// Events the last call caused, for the server to send.
    pub outbox: Vec<super::events::Notice>,
    /// Every message sent, replied, edited or recalled.
    pub messages: super::messages::Messages,
    /// Files uploaded, to download again.
    pub uploads: super::uploads::Uploads,
}

impl Chats {
    /// Every chat as create answered it, updated since.
    pub fn all(&self) -> Vec<Value> {
        self.records
            .iter()
            .map(|record| Value::Object(record.data.clone()))
            .collect()
    }

    pub fn by_id(&self, chat_id: &str) -> Option<&ChatRecord> {
        self.records.iter().find(|record| record.id() == chat_id)
    }

    /// The chat of the call's first path parameter, or the error the
    /// endpoint's page documents: `documented` is that page's code list,
    /// and the closest documented code is picked for an unknown chat (232006),
    /// a disbanded one (232009, else 232006) and an operator outside it
    /// (232011); 232001 where a page documents none of them.
    pub fn open(
        &mut self,
        call: &Call<'_>,
        documented: &[i64],
        need: Need,
    ) -> Result<&mut ChatRecord, Answer> {
        let chat_id = call.params.first().map(String::as_str).unwrap_or_default();
        let pick = |codes: &[i64]| {
            codes
                .iter()
                .copied()
                .find(|code| documented.contains(code))
                .unwrap_or(INVALID_PARAM)
        };
        let Some(record) = self
            .records
            .iter_mut()
            .find(|record| record.id() == chat_id)
        else {
            return Err(failure(pick(&[232006]), &format!("no chat {chat_id}")));
        };
        if record.disbanded {
            return Err(failure(
                pick(&[232009, 232006]),
                &format!("chat {chat_id} was disbanded"),
            ));
        }
        if need == Need::Member && !record.is_member(&call.operator) {
            return Err(failure(
                pick(&[232011]),
                &format!("{} is not in chat {chat_id}", call.operator.id()),
            ));
        }
        Ok(record)
    }
}

/// Read access to the chat state, for tests to check what calls did.
impl FakeFeishu {
    fn chat<T>(&self, chat_id: &str, read: impl FnOnce(&ChatRecord) -> T) -> Option<T> {
        self.shared()
            .with(|state| state.chats.by_id(chat_id).map(read))
    }

    /// The user members of `chat_id`, oldest first (`None`: no such chat).
    pub fn members(&self, chat_id: &str) -> Option<Vec<String>> {
        self.chat(chat_id, |record| record.users.clone())
    }

    /// The bot members (app ids) of `chat_id`, oldest first.
    pub fn bot_members(&self, chat_id: &str) -> Option<Vec<String>> {
        self.chat(chat_id, |record| record.bots.clone())
    }

    /// The user and bot managers of `chat_id`, as managers add answers them.
    pub fn managers(&self, chat_id: &str) -> Option<(Vec<String>, Vec<String>)> {
        self.chat(chat_id, |record| {
            (record.user_managers.clone(), record.bot_managers.clone())
        })
    }

    /// The notice put on top of `chat_id` (put_top_notice's
    /// `chat_top_notice` item), if any; get does not answer it.
    pub fn top_notice(&self, chat_id: &str) -> Option<Value> {
        self.chat(chat_id, |record| record.top_notice.clone())
            .flatten()
    }

    /// The tabs of `chat_id`, as list_tabs answers them.
    pub fn tabs(&self, chat_id: &str) -> Option<Vec<Value>> {
        self.chat(chat_id, |record| record.tabs.clone())
    }

    /// Whether `chat_id` was disbanded (`None`: no such chat).
    pub fn is_disbanded(&self, chat_id: &str) -> Option<bool> {
        self.chat(chat_id, |record| record.disbanded)
    }
}
