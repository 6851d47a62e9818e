//! Create chat as the doc describes it, on the generated request types: a
//! query or body that does not decode is the page's 232001, and the
//! limits the schema states (lengths, counts, the public-chat name rules
//! with their codes) were already checked from the generated route before
//! this runs. What is left here is what needs the fake's state or the
//! page's prose: unknown ids, restricted mode, deduplication by `uuid` +
//! `owner_id`, and the answer's shape from the doc's example.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use feishu_api::im::v1::chat::create::{
    ChatType, CreateChatBody, CreateChatQuery, RestrictedModePermission, RestrictedModeSetting,
    UserIdType,
};
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::answer::{Answer, Reply, bad_params, failure};
use super::state::{Call, ChatRecord, Chats, Operator};

/// Requests with the same `uuid` + `owner_id` within this window create one chat.
const DEDUP_WINDOW: Duration = Duration::from_secs(10 * 60 * 60);

pub(super) fn create(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let query: CreateChatQuery = call.query_as()?;
    let body: CreateChatBody = call.body_as()?;
    // Open enums take any value; the page lists the ones it accepts.
    let user_id_type = query.user_id_type.unwrap_or(UserIdType::OpenId);
    if matches!(user_id_type, UserIdType::Unknown(_)) {
        return Err(bad_params(
            "user_id_type must be open_id, union_id or user_id",
        ));
    }
    let fields = Fields::read(&body)?;
    if let Some(rejection) = fields.check(&call.config.users, &call.config.bots) {
        return Err(rejection);
    }

    let owner = fields.owner_id.clone().unwrap_or_default();
    let now = Instant::now();
    let uuid = query.uuid.as_deref();
    if let Some(uuid) = uuid {
        let key = (uuid.to_owned(), owner.clone());
        if let Some((at, chat_id)) = chats.by_uuid.get(&key)
            && now.duration_since(*at) < DEDUP_WINDOW
            && let Some(record) = chats.by_id(chat_id)
        {
            return Ok(Value::Object(record.data.clone()));
        }
    }
    let chat = fields.chat(&body, user_id_type.as_str());
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
    if query.set_bot_manager == Some(true)
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

/// The request fields the fake acts on, from the generated body.
struct Fields {
    chat_type: ChatType,
    owner_id: Option<String>,
    user_id_list: Vec<String>,
    bot_id_list: Vec<String>,
    restricted: RestrictedModeSetting,
}

impl Fields {
    fn read(body: &CreateChatBody) -> Result<Self, Answer> {
        let chat_type = body.chat_type.clone().unwrap_or(ChatType::Private);
        if matches!(chat_type, ChatType::Unknown(_)) {
            return Err(bad_params("chat_type must be private or public"));
        }
        Ok(Self {
            chat_type,
            owner_id: body.owner_id.clone(),
            user_id_list: body.user_id_list.clone().unwrap_or_default(),
            bot_id_list: body.bot_id_list.clone().unwrap_or_default(),
            restricted: body.restricted_mode_setting.clone().unwrap_or_default(),
        })
    }

    /// The rejections that need the page's prose or the fake's state, in
    /// the order Feishu applies them.
    fn check(&self, users: &HashSet<String>, bots: &HashSet<String>) -> Option<Answer> {
        let restricted = &self.restricted;
        let permissions = [
            &restricted.screenshot_has_permission_setting,
            &restricted.download_has_permission_setting,
            &restricted.message_has_permission_setting,
        ]
        .map(|permission| {
            permission
                .clone()
                .unwrap_or(RestrictedModePermission::AllMembers)
        });
        let on = restricted.status.unwrap_or(false);
        if on
            && permissions
                .iter()
                .all(|value| *value == RestrictedModePermission::AllMembers)
        {
            return Some(bad_params(
                "restricted mode on needs a permission that is not all_members",
            ));
        }
        if !on && permissions.contains(&RestrictedModePermission::NotAnyone) {
            return Some(bad_params(
                "restricted mode off allows no not_anyone permission",
            ));
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
    fn chat(&self, body: &CreateChatBody, user_id_type: &str) -> Map<String, Value> {
        // A field of the request as it goes on the wire, else the default.
        fn wire<T: Serialize>(value: &Option<T>, default: impl Into<Value>) -> Value {
            value
                .as_ref()
                .and_then(|value| serde_json::to_value(value).ok())
                .unwrap_or_else(|| default.into())
        }
        let default_name = if self.chat_type == ChatType::Private {
            "(无主题)"
        } else {
            ""
        };
        let restricted = &self.restricted;
        let restricted = json!({
            "status": restricted.status.unwrap_or(false),
            "screenshot_has_permission_setting":
                wire(&restricted.screenshot_has_permission_setting, "all_members"),
            "download_has_permission_setting":
                wire(&restricted.download_has_permission_setting, "all_members"),
            "message_has_permission_setting":
                wire(&restricted.message_has_permission_setting, "all_members"),
        });
        let avatar_key = body
            .avatar
            .as_deref()
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
        chat.insert(
            "name".to_owned(),
            json!(body.name.as_deref().unwrap_or(default_name)),
        );
        chat.insert(
            "description".to_owned(),
            json!(body.description.as_deref().unwrap_or_default()),
        );
        chat.insert("i18n_names".to_owned(), wire(&body.i18n_names, json!({})));
        // The doc: owner fields are left out when the bot owns the chat.
        if let Some(owner) = &self.owner_id {
            chat.insert("owner_id".to_owned(), json!(owner));
            chat.insert("owner_id_type".to_owned(), json!(user_id_type));
        }
        let settings = [
            ("urgent_setting", wire(&body.urgent_setting, "all_members")),
            (
                "video_conference_setting",
                wire(&body.video_conference_setting, "all_members"),
            ),
            ("add_member_permission", json!("all_members")),
            ("share_card_permission", json!("allowed")),
            ("at_all_permission", json!("all_members")),
            (
                "edit_permission",
                wire(&body.edit_permission, "all_members"),
            ),
            ("group_message_type", wire(&body.group_message_type, "chat")),
            ("chat_mode", wire(&body.chat_mode, "group")),
            ("chat_type", json!(self.chat_type.as_str())),
            ("chat_tag", json!("inner")),
            ("external", json!(false)),
            ("tenant_key", json!(super::events::TENANT_KEY)),
            (
                "join_message_visibility",
                wire(&body.join_message_visibility, "all_members"),
            ),
            (
                "leave_message_visibility",
                wire(&body.leave_message_visibility, "all_members"),
            ),
            (
                "membership_approval",
                wire(&body.membership_approval, "no_approval_required"),
            ),
            ("moderation_permission", json!("all_members")),
            ("restricted_mode_setting", restricted),
            (
                "hide_member_count_setting",
                wire(&body.hide_member_count_setting, "all_members"),
            ),
        ];
        chat.extend(settings.map(|(name, value)| (name.to_owned(), value)));
        chat
    }
}
