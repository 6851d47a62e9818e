//! Who is in a chat and who manages it: members create, me_join, delete,
//! get and is_in_chat, and managers add and delete.

use serde_json::{Value, json};

use super::answer::{Answer, Reply, bad_params, failure, page};
use super::events;
use super::state::{Call, ChatRecord, Chats, Need, Operator};

// Each page's documented codes; `Chats::open` picks among them.
const CREATE: &[i64] = &[232001, 232006, 232009, 232010, 232011, 232017, 232043];
const DELETE: &[i64] = &[232001, 232006, 232009, 232011, 232014, 232027, 232076];
const GET: &[i64] = &[232001, 232006, 232009, 232010, 232011];
const IS_IN_CHAT: &[i64] = &[232006, 232010];
const ME_JOIN: &[i64] = &[232006, 232008, 232009, 232075];
const MANAGERS: &[i64] = &[232001, 232009, 232011, 232027, 232038, 232040];

/// Members get: at most 100 a page, 20 by default.
const PAGE_DEFAULT: usize = 20;
const PAGE_MAX: usize = 100;
/// Feishu's limits on managers: 10 users and 5 bots.
const MAX_USER_MANAGERS: usize = 10;
const MAX_BOT_MANAGERS: usize = 5;

/// `member_id_type`: whether ids are app ids (bots) or some user id type.
fn id_type<'a>(call: &'a Call<'_>) -> Result<&'a str, Answer> {
    let id_type = call.param("member_id_type").unwrap_or("open_id");
    if ["open_id", "union_id", "user_id", "app_id"].contains(&id_type) {
        Ok(id_type)
    } else {
        Err(bad_params(
            "member_id_type must be open_id, union_id, user_id or app_id",
        ))
    }
}

pub(super) fn create(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let id_type = id_type(call)?;
    let ids = call.strings("id_list")?;
    let succeed_type = call.param("succeed_type").unwrap_or("0");
    if !["0", "1", "2"].contains(&succeed_type) {
        return Err(bad_params("succeed_type must be 0, 1 or 2"));
    }
    let record = chats.open(call, CREATE, Need::Member)?;
    if record.text("add_member_permission") == "only_owner" && !record.is_admin(&call.operator) {
        return Err(failure(232017, "add_member_permission is only_owner"));
    }
    let known = if id_type == "app_id" {
        &call.config.bots
    } else {
        &call.config.users
    };
    let (valid, unknown): (Vec<String>, Vec<String>) =
        ids.into_iter().partition(|id| known.contains(id));
    // succeed_type 0 refuses the whole call on an unknown id; 1 and 2 add
    // the known ones and list the rest.
    if !unknown.is_empty() && succeed_type == "0" {
        return Err(failure(232043, &unknown.join(", ")));
    }
    let bots = id_type == "app_id";
    let list = if bots {
        &mut record.bots
    } else {
        &mut record.users
    };
    let mut added = Vec::new();
    for id in valid {
        if !list.contains(&id) {
            list.push(id.clone());
            added.push(id);
        }
    }
    let notice = members_changed(record, call, &added, bots, true);
    chats.outbox.extend(notice);
    Ok(json!({
        "invalid_id_list": [],
        "not_existed_id_list": unknown,
        "pending_approval_id_list": [],
    }))
}

pub(super) fn delete(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let id_type = id_type(call)?;
    let ids = call.strings("id_list")?;
    let record = chats.open(call, DELETE, Need::Member)?;
    // Anyone may leave; only the owner, managers or the creating bot
    // remove others.
    let only_self = ids.iter().all(|id| id == call.operator.id());
    if !only_self && !record.is_admin(&call.operator) {
        return Err(failure(232014, "only the owner or managers remove others"));
    }
    let owner = record.owner();
    if ids.contains(&owner) {
        return Err(failure(232076, &owner));
    }
    let bots = id_type == "app_id";
    let (present, invalid): (Vec<String>, Vec<String>) = ids.into_iter().partition(|id| {
        if bots {
            record.bots.contains(id)
        } else {
            record.users.contains(id)
        }
    });
    if present.is_empty() && !invalid.is_empty() {
        return Err(failure(232027, &invalid.join(", ")));
    }
    // The removed get the event while still in the chat, as the bot
    // deleted page says the removed bot does.
    let notice = members_changed(record, call, &present, bots, false);
    remove_all(record, &present, bots);
    chats.outbox.extend(notice);
    Ok(json!({ "invalid_id_list": invalid }))
}

/// The event of `ids` (bots or users) joining or leaving.
fn members_changed(
    record: &ChatRecord,
    call: &Call<'_>,
    ids: &[String],
    bots: bool,
    added: bool,
) -> Option<events::Notice> {
    if bots {
        events::bots_changed(record, call, ids, added)
    } else {
        events::users_changed(record, call, ids, added)
    }
}

/// Takes `ids` out of the members and managers.
fn remove_all(record: &mut ChatRecord, ids: &[String], bots: bool) {
    let (members, managers) = if bots {
        (&mut record.bots, &mut record.bot_managers)
    } else {
        (&mut record.users, &mut record.user_managers)
    };
    members.retain(|id| !ids.contains(id));
    managers.retain(|id| !ids.contains(id));
    record.moderators.retain(|id| !ids.contains(id));
}

/// The user members, oldest first; the page says bots are left out.
pub(super) fn get(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let id_type = id_type(call)?;
    if id_type == "app_id" {
        return Err(bad_params(
            "member_id_type must be open_id, union_id or user_id",
        ));
    }
    let record = chats.open(call, GET, Need::Member)?;
    let tenant = record.text("tenant_key").to_owned();
    let items: Vec<Value> = record
        .users
        .iter()
        .map(|id| {
            json!({"member_id_type": id_type, "member_id": id, "name": id, "tenant_key": tenant})
        })
        .collect();
    let total = items.len();
    let mut answer = page(
        items,
        call.param("page_size"),
        call.param("page_token"),
        PAGE_DEFAULT,
        PAGE_MAX,
    )?;
    answer.insert("member_total".to_owned(), json!(total));
    Ok(Value::Object(answer))
}

pub(super) fn is_in_chat(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let record = chats.open(call, IS_IN_CHAT, Need::Anyone)?;
    Ok(json!({"is_in_chat": record.is_member(&call.operator)}))
}

/// The operator joins a public chat that needs no approval.
pub(super) fn me_join(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let record = chats.open(call, ME_JOIN, Need::Anyone)?;
    if record.text("chat_type") != "public" {
        return Err(failure(232008, "only public chats can be joined"));
    }
    if record.text("membership_approval") == "approval_required" {
        return Err(failure(232075, "the chat needs approval to join"));
    }
    if !record.is_member(&call.operator) {
        let (id, bots) = match &call.operator {
            Operator::Bot(id) => (id.clone(), true),
            Operator::User(id) => (id.clone(), false),
        };
        if bots {
            record.bots.push(id.clone());
        } else {
            record.users.push(id.clone());
        }
        let notice = members_changed(record, call, &[id], bots, true);
        chats.outbox.extend(notice);
    }
    Ok(json!({}))
}

pub(super) fn add_managers(chats: &mut Chats, call: &Call<'_>) -> Reply {
    change_managers(chats, call, true)
}

pub(super) fn delete_managers(chats: &mut Chats, call: &Call<'_>) -> Reply {
    change_managers(chats, call, false)
}

/// Both managers pages: owner only, ids must be members, answers the
/// manager lists after the change.
fn change_managers(chats: &mut Chats, call: &Call<'_>, add: bool) -> Reply {
    let id_type = id_type(call)?;
    let ids = call.required_strings("manager_ids")?;
    let record = chats.open(call, MANAGERS, Need::Member)?;
    if !record.is_owner(&call.operator) {
        return Err(failure(232038, "only the owner changes managers"));
    }
    let bots = id_type == "app_id";
    let (members, managers, max) = if bots {
        (&record.bots, &mut record.bot_managers, MAX_BOT_MANAGERS)
    } else {
        (&record.users, &mut record.user_managers, MAX_USER_MANAGERS)
    };
    let valid: Vec<String> = ids.into_iter().filter(|id| members.contains(id)).collect();
    if valid.is_empty() {
        return Err(failure(232027, "none of manager_ids is in the chat"));
    }
    if add {
        let new: Vec<String> = valid
            .into_iter()
            .filter(|id| !managers.contains(id))
            .collect();
        if managers.len() + new.len() > max {
            return Err(failure(232040, &format!("at most {max} managers")));
        }
        managers.extend(new);
    } else {
        managers.retain(|id| !valid.contains(id));
    }
    Ok(json!({
        "chat_managers": record.user_managers,
        "chat_bot_managers": record.bot_managers,
    }))
}
