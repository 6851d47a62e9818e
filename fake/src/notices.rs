//! What a chat tells its members: the announcement, the top notice and
//! who may speak (moderation).

use serde_json::{Value, json};

use super::answer::{Reply, bad_params, failure, page};
use super::state::{Call, Chats, Need, Operator, unix_now};

// Each page's documented codes; `Chats::open` picks among them.
const ANNOUNCEMENT_GET: &[i64] = &[232001, 232003, 232010, 232011];
const ANNOUNCEMENT_PATCH: &[i64] = &[232001, 232002, 232003, 232009, 232011, 232018];
const TOP_NOTICE: &[i64] = &[232001, 232009, 232010, 232011];
const MODERATION_GET: &[i64] = &[232001, 232006, 232009, 232010, 232011];
const MODERATION_UPDATE: &[i64] = &[232001, 232006, 232009, 232010, 232011, 232017];

/// Moderation get: at most 100 a page; the page names no default, so the
/// list pages' 20.
const PAGE_DEFAULT: usize = 20;
const PAGE_MAX: usize = 100;

fn id_type_of(operator: &Operator) -> &'static str {
    match operator {
        Operator::Bot(_) => "app_id",
        Operator::User(_) => "open_id",
    }
}

pub(super) fn announcement_get(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let record = chats.open(call, ANNOUNCEMENT_GET, Need::Member)?;
    let owner = record.owner();
    let owner_type = record
        .data
        .get("owner_id_type")
        .and_then(Value::as_str)
        .unwrap_or("app_id")
        .to_owned();
    let notice = &record.announcement;
    let (modifier, modifier_type) = notice.modifier.as_ref().map_or_else(
        || (owner.clone(), owner_type.clone()),
        |who| (who.id().to_owned(), id_type_of(who).to_owned()),
    );
    Ok(json!({
        "content": notice.content,
        "revision": notice.revision.to_string(),
        "create_time": notice.create_time,
        "update_time": notice.update_time,
        "owner_id_type": owner_type,
        "owner_id": owner,
        "modifier_id_type": modifier_type,
        "modifier_id": modifier,
    }))
}

/// Applies `requests` (the old-doc change requests, kept as text: the
/// fake does not render documents) on top of `revision`, which must be the
/// current one.
pub(super) fn announcement_patch(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let body = call.json()?;
    let Some(revision) = body.get("revision").and_then(Value::as_str) else {
        return Err(bad_params("revision is required"));
    };
    let Ok(revision) = revision.parse::<u64>() else {
        return Err(bad_params("revision must be a number"));
    };
    let requests = call.strings("requests")?;
    let record = chats.open(call, ANNOUNCEMENT_PATCH, Need::Member)?;
    if record.text("edit_permission") == "only_owner" && !record.is_admin(&call.operator) {
        return Err(failure(232002, "edit_permission is only_owner"));
    }
    let notice = &mut record.announcement;
    if revision != notice.revision {
        return Err(failure(
            232018,
            &format!("revision {revision} is not the current {}", notice.revision),
        ));
    }
    notice.content = requests.concat();
    notice.revision += 1;
    notice.update_time = unix_now();
    notice.modifier = Some(call.operator.clone());
    Ok(json!({}))
}

/// Pins a message (`action_type` 1, with `message_id`) or the announcement
/// (2) on top of the chat.
pub(super) fn top_notice_put(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let body = call.json()?;
    let notice = match body.get("chat_top_notice").and_then(Value::as_array) {
        Some(list) if list.len() == 1 => list[0].clone(),
        _ => return Err(bad_params("chat_top_notice must hold one notice")),
    };
    let action = notice.get("action_type").and_then(Value::as_str);
    let message = notice.get("message_id").and_then(Value::as_str);
    match (action, message) {
        (Some("1"), Some(id)) if !id.is_empty() => {}
        (Some("1"), _) => return Err(bad_params("action_type 1 needs message_id")),
        (Some("2"), _) => {}
        _ => return Err(bad_params("action_type must be 1 or 2")),
    }
    let record = chats.open(call, TOP_NOTICE, Need::Member)?;
    record.top_notice = Some(notice);
    Ok(json!({}))
}

pub(super) fn top_notice_delete(chats: &mut Chats, call: &Call<'_>) -> Reply {
    chats.open(call, TOP_NOTICE, Need::Member)?.top_notice = None;
    Ok(json!({}))
}

/// The moderation setting and, for `moderator_list`, who may speak.
pub(super) fn moderation_get(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let id_type = call.param("user_id_type").unwrap_or("open_id").to_owned();
    let record = chats.open(call, MODERATION_GET, Need::Member)?;
    let tenant = record.text("tenant_key").to_owned();
    let items: Vec<Value> = record
        .moderators
        .iter()
        .map(|id| json!({"user_id_type": id_type, "user_id": id, "tenant_key": tenant}))
        .collect();
    let setting = record.text("moderation_permission").to_owned();
    let mut answer = page(
        items,
        call.param("page_size"),
        call.param("page_token"),
        PAGE_DEFAULT,
        PAGE_MAX,
    )?;
    answer.insert("moderation_setting".to_owned(), json!(setting));
    Ok(Value::Object(answer))
}

pub(super) fn moderation_update(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let body = call.json()?;
    let setting = match body.get("moderation_setting") {
        None => None,
        Some(Value::String(setting))
            if ["all_members", "only_owner", "moderator_list"].contains(&setting.as_str()) =>
        {
            Some(setting.clone())
        }
        Some(_) => {
            return Err(bad_params(
                "moderation_setting must be all_members, only_owner or moderator_list",
            ));
        }
    };
    let (added, removed) = call
        .strings("moderator_added_list")
        .and_then(|added| Ok((added, call.strings("moderator_removed_list")?)))?;
    let record = chats.open(call, MODERATION_UPDATE, Need::Member)?;
    if !record.is_owner(&call.operator) {
        return Err(failure(
            232017,
            "only the owner or the creating bot sets moderation",
        ));
    }
    if let Some(outsider) = added.iter().find(|id| !record.users.contains(id)) {
        return Err(bad_params(&format!("{outsider} is not in the chat")));
    }
    if let Some(setting) = setting {
        record
            .data
            .insert("moderation_permission".to_owned(), json!(setting));
    }
    for id in added {
        if !record.moderators.contains(&id) {
            record.moderators.push(id);
        }
    }
    record.moderators.retain(|id| !removed.contains(id));
    Ok(json!({}))
}
