//! Create chat as the doc describes it, on raw JSON: the documented
//! validation errors, deduplication by `uuid` + `owner_id`, and the answer's
//! shape from the doc's example.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use super::answer::{Answer, Reply, bad_params, failure};
use super::state::{Call, ChatRecord, Chats, Operator, strings};

/// Requests with the same `uuid` + `owner_id` within this window create one chat.
const DEDUP_WINDOW: Duration = Duration::from_secs(10 * 60 * 60);

pub(super) fn create(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(call.body) else {
        return Err(bad_params("the body must be a JSON object"));
    };
    let user_id_type = call.param("user_id_type").unwrap_or("open_id");
    if !["open_id", "union_id", "user_id"].contains(&user_id_type) {
        return Err(bad_params(
            "user_id_type must be open_id, union_id or user_id",
        ));
    }
    let set_bot_manager = call.param("set_bot_manager");
    if set_bot_manager.is_some_and(|value| !["true", "false"].contains(&value)) {
        return Err(bad_params("set_bot_manager must be true or false"));
    }
    let uuid = call.param("uuid");
    if uuid.is_some_and(|uuid| uuid.chars().count() > 50) {
        return Err(bad_params("uuid is longer than 50 characters"));
    }
    let fields = Fields::read(&body)?;
    if let Some(rejection) = fields.check(&call.config.users, &call.config.bots) {
        return Err(rejection);
    }

    let owner = fields.owner_id.clone().unwrap_or_default();
    let now = Instant::now();
    if let Some(uuid) = uuid {
        let key = (uuid.to_owned(), owner.clone());
        if let Some((at, chat_id)) = chats.by_uuid.get(&key)
            && now.duration_since(*at) < DEDUP_WINDOW
            && let Some(record) = chats.by_id(chat_id)
        {
            return Ok(Value::Object(record.data.clone()));
        }
    }
    let chat = fields.chat(&body, user_id_type);
    let mut bots = Vec::new();
    if let Operator::Bot(app) = &call.operator {
        bots.push(app.clone());
    }
    for bot in &fields.bot_id_list {
        if !bots.contains(bot) {
            bots.push(bot.clone());
        }
    }
    let mut record = ChatRecord::new(chat.clone(), call.operator.clone(), bots);
    let mut users = fields.user_id_list.clone();
    if let Operator::User(user) = &call.operator {
        users.insert(0, user.clone());
    }
    for user in users {
        if !record.users.contains(&user) {
            record.users.push(user);
        }
    }
    if set_bot_manager == Some("true")
        && let Operator::Bot(app) = &call.operator
    {
        record.bot_managers.push(app.clone());
    }
    let chat_id = record.id().to_owned();
    // The app's bot is in the new chat: it hears that it was added, as
    // when anyone adds it to a chat.
    let notice = super::events::bots_changed(&record, call, &record.bots, true);
    chats.outbox.extend(notice);
    chats.records.push(record);
    if let Some(uuid) = uuid {
        chats
            .by_uuid
            .insert((uuid.to_owned(), owner), (now, chat_id));
    }
    Ok(Value::Object(chat))
}

/// The request fields the fake acts on, type-checked.
struct Fields {
    name: Option<String>,
    chat_type: String,
    owner_id: Option<String>,
    user_id_list: Vec<String>,
    bot_id_list: Vec<String>,
    restricted: Option<Map<String, Value>>,
}

impl Fields {
    fn read(body: &Map<String, Value>) -> Result<Self, Answer> {
        for name in [
            "avatar",
            "name",
            "description",
            "owner_id",
            "group_message_type",
            "chat_mode",
            "chat_type",
            "join_message_visibility",
            "leave_message_visibility",
            "membership_approval",
            "urgent_setting",
            "video_conference_setting",
            "edit_permission",
            "hide_member_count_setting",
        ] {
            if body.get(name).is_some_and(|value| !value.is_string()) {
                return Err(bad_params(&format!("{name} must be a string")));
            }
        }
        let text = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_owned);
        let chat_type = text("chat_type").unwrap_or_else(|| "private".to_owned());
        if !["private", "public"].contains(&chat_type.as_str()) {
            return Err(bad_params("chat_type must be private or public"));
        }
        let restricted = match body.get("restricted_mode_setting") {
            None => None,
            Some(Value::Object(setting)) => Some(setting.clone()),
            Some(_) => return Err(bad_params("restricted_mode_setting must be an object")),
        };
        Ok(Self {
            name: text("name"),
            chat_type,
            owner_id: text("owner_id"),
            user_id_list: strings(body, "user_id_list")?,
            bot_id_list: strings(body, "bot_id_list")?,
            restricted,
        })
    }

    /// The documented rejections, in the order Feishu applies them.
    fn check(&self, users: &HashSet<String>, bots: &HashSet<String>) -> Option<Answer> {
        if self.user_id_list.len() > 50 {
            return Some(bad_params("user_id_list has more than 50 ids"));
        }
        if self.bot_id_list.len() > 5 {
            return Some(bad_params("bot_id_list has more than 5 ids"));
        }
        if let Some(setting) = &self.restricted {
            let permissions = [
                "screenshot_has_permission_setting",
                "download_has_permission_setting",
                "message_has_permission_setting",
            ]
            .map(|name| {
                setting
                    .get(name)
                    .and_then(Value::as_str)
                    .unwrap_or("all_members")
            });
            let on = setting
                .get("status")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if on && permissions.iter().all(|value| *value == "all_members") {
                return Some(bad_params(
                    "restricted mode on needs a permission that is not all_members",
                ));
            }
            if !on && permissions.contains(&"not_anyone") {
                return Some(bad_params(
                    "restricted mode off allows no not_anyone permission",
                ));
            }
        }
        if self.chat_type == "public" {
            match self.name.as_deref() {
                None | Some("") => {
                    return Some(failure(232042, "name"));
                }
                Some(name) if name.chars().count() < 2 => {
                    return Some(failure(232020, "name"));
                }
                Some(_) => {}
            }
        }
        let unknown_user = self
            .owner_id
            .iter()
            .chain(&self.user_id_list)
            .any(|id| !users.contains(id));
        let unknown_bot = self.bot_id_list.iter().any(|id| !bots.contains(id));
        if unknown_user || unknown_bot {
            return Some(failure(232043, "user_id_list, bot_id_list"));
        }
        None
    }

    /// The new chat's `data`, echoing the request with documented defaults.
    fn chat(&self, body: &Map<String, Value>, user_id_type: &str) -> Map<String, Value> {
        let text = |name: &str, default: &str| {
            Value::String(
                body.get(name)
                    .and_then(Value::as_str)
                    .unwrap_or(default)
                    .to_owned(),
            )
        };
        let default_name = if self.chat_type == "private" {
            "(无主题)"
        } else {
            ""
        };
        let mut restricted = Map::new();
        let given = self.restricted.clone().unwrap_or_default();
        restricted.insert(
            "status".to_owned(),
            given.get("status").cloned().unwrap_or(Value::Bool(false)),
        );
        for name in [
            "screenshot_has_permission_setting",
            "download_has_permission_setting",
            "message_has_permission_setting",
        ] {
            restricted.insert(
                name.to_owned(),
                given
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| json!("all_members")),
            );
        }
        let avatar_key = body
            .get("avatar")
            .and_then(Value::as_str)
            .unwrap_or("default-avatar_44ae0ca3-e140-494b-956f-78091e348435");
        let mut chat = Map::new();
        chat.insert(
            "chat_id".to_owned(),
            json!(format!("oc_{}", uuid::Uuid::new_v4().simple())),
        );
        chat.insert(
            "avatar".to_owned(),
            json!(format!(
                "https://p3-lark-file.byteimg.com/img/lark-avatar-staging/{avatar_key}~100x100.jpg"
            )),
        );
        chat.insert("name".to_owned(), text("name", default_name));
        chat.insert("description".to_owned(), text("description", ""));
        chat.insert(
            "i18n_names".to_owned(),
            body.get("i18n_names").cloned().unwrap_or_else(|| json!({})),
        );
        // The doc: owner fields are left out when the bot owns the chat.
        if let Some(owner) = &self.owner_id {
            chat.insert("owner_id".to_owned(), json!(owner));
            chat.insert("owner_id_type".to_owned(), json!(user_id_type));
        }
        chat.insert(
            "urgent_setting".to_owned(),
            text("urgent_setting", "all_members"),
        );
        chat.insert(
            "video_conference_setting".to_owned(),
            text("video_conference_setting", "all_members"),
        );
        chat.insert("add_member_permission".to_owned(), json!("all_members"));
        chat.insert("share_card_permission".to_owned(), json!("allowed"));
        chat.insert("at_all_permission".to_owned(), json!("all_members"));
        chat.insert(
            "edit_permission".to_owned(),
            text("edit_permission", "all_members"),
        );
        chat.insert(
            "group_message_type".to_owned(),
            text("group_message_type", "chat"),
        );
        chat.insert("chat_mode".to_owned(), text("chat_mode", "group"));
        chat.insert("chat_type".to_owned(), json!(self.chat_type));
        chat.insert("chat_tag".to_owned(), json!("inner"));
        chat.insert("external".to_owned(), json!(false));
        chat.insert("tenant_key".to_owned(), json!(super::events::TENANT_KEY));
        chat.insert(
            "join_message_visibility".to_owned(),
            text("join_message_visibility", "all_members"),
        );
        chat.insert(
            "leave_message_visibility".to_owned(),
            text("leave_message_visibility", "all_members"),
        );
        chat.insert(
            "membership_approval".to_owned(),
            text("membership_approval", "no_approval_required"),
        );
        chat.insert("moderation_permission".to_owned(), json!("all_members"));
        chat.insert(
            "restricted_mode_setting".to_owned(),
            Value::Object(restricted),
        );
        chat.insert(
            "hide_member_count_setting".to_owned(),
            text("hide_member_count_setting", "all_members"),
        );
        chat
    }
}
