//! Chats themselves: get, update, disband (delete), list, search and the
//! share link, on the shared [`Chats`] record.

use serde_json::{Map, Value, json};

use super::answer::{Reply, bad_params, failure, page};
use super::events;
use super::state::{Call, ChatRecord, Chats, Need, Operator, unix_now};

// Each page's documented codes; `Chats::open` picks among them.
const GET: &[i64] = &[232004, 232006, 232010, 232011, 232025, 232033, 232034];
const UPDATE: &[i64] = &[
    232001, 232002, 232004, 232006, 232008, 232009, 232010, 232011, 232012, 232016,
];
const DELETE: &[i64] = &[232004, 232006, 232008, 232009, 232010, 232011, 232017];
const LINK: &[i64] = &[232001, 232006, 232009, 232010, 232011, 232064];

/// List and search: at most 100 a page, 20 by default.
const PAGE_DEFAULT: usize = 20;
const PAGE_MAX: usize = 100;

/// What get answers a non-member, as the page's usage limits list it.
const OUTSIDER_FIELDS: &[&str] = &["name", "avatar", "user_count", "bot_count", "chat_status"];

/// Fields anyone in the chat may edit when `edit_permission` allows it.
const MEMBER_EDITABLE: &[&str] = &["avatar", "name", "description", "i18n_names"];

pub(super) fn get(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let record = chats.open(call, GET, Need::Anyone)?;
    let mut data = record.data.clone();
    data.remove("chat_id");
    data.insert(
        "user_manager_id_list".to_owned(),
        json!(record.user_managers),
    );
    data.insert("bot_manager_id_list".to_owned(), json!(record.bot_managers));
    data.insert(
        "user_count".to_owned(),
        json!(record.users.len().to_string()),
    );
    data.insert("bot_count".to_owned(), json!(record.bots.len().to_string()));
    data.insert("chat_status".to_owned(), json!("normal"));
    if !record.is_member(&call.operator) {
        data.retain(|name, _| OUTSIDER_FIELDS.contains(&name.as_str()));
    }
    Ok(Value::Object(data))
}

pub(super) fn update(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let body = call.json()?;
    let record = chats.open(call, UPDATE, Need::Member)?;
    if !record.is_admin(&call.operator) {
        if record.text("edit_permission") == "only_owner" {
            return Err(failure(232002, "edit_permission is only_owner"));
        }
        if let Some(name) = body
            .keys()
            .find(|name| !MEMBER_EDITABLE.contains(&name.as_str()))
        {
            return Err(failure(
                232016,
                &format!("{name} is for the owner and managers"),
            ));
        }
    }
    if let Some(owner) = body.get("owner_id") {
        let Some(owner) = owner.as_str() else {
            return Err(bad_params("owner_id must be a string"));
        };
        if !record.users.iter().any(|user| user == owner) {
            return Err(failure(232012, owner));
        }
        let id_type = call.param("user_id_type").unwrap_or("open_id");
        record
            .data
            .insert("owner_id_type".to_owned(), json!(id_type));
    }
    let before = record.data.clone();
    for (name, value) in body {
        let known = record.data.contains_key(&name) || name == "owner_id";
        if !known {
            return Err(bad_params(&format!("{name} is no field of a chat")));
        }
        record.data.insert(name, value);
    }
    let notice = events::updated(&before, record, call);
    chats.outbox.extend(notice);
    Ok(json!({}))
}

pub(super) fn delete(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let record = chats.open(call, DELETE, Need::Member)?;
    if !record.is_owner(&call.operator) {
        return Err(failure(
            232017,
            "only the owner or the creating bot disbands a chat",
        ));
    }
    record.disbanded = true;
    let notice = events::disbanded(record, call);
    chats.outbox.extend(notice);
    Ok(json!({}))
}

/// The chats the operator is in, oldest first (`ByCreateTimeAsc`, the
/// default sort).
pub(super) fn list(chats: &mut Chats, call: &Call<'_>) -> Reply {
    if call
        .param("sort_type")
        .is_some_and(|sort| !["ByCreateTimeAsc", "ByActiveTimeDesc"].contains(&sort))
    {
        return Err(bad_params(
            "sort_type must be ByCreateTimeAsc or ByActiveTimeDesc",
        ));
    }
    let items = summaries(chats, |record| record.is_member(&call.operator));
    listing(items, call)
}

/// The chats the operator is in or may see (public ones) whose name holds
/// `query`; no query finds them all.
pub(super) fn search(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let query = call.param("query").unwrap_or_default().to_lowercase();
    let items = summaries(chats, |record| {
        let visible = record.is_member(&call.operator) || record.text("chat_type") == "public";
        visible && record.text("name").to_lowercase().contains(&query)
    });
    listing(items, call)
}

fn listing(items: Vec<Value>, call: &Call<'_>) -> Reply {
    let answer = page(
        items,
        call.param("page_size"),
        call.param("page_token"),
        PAGE_DEFAULT,
        PAGE_MAX,
    )?;
    Ok(Value::Object(answer))
}

/// The list items of the chats `keep` keeps: the fields of list's example.
fn summaries(chats: &Chats, keep: impl Fn(&ChatRecord) -> bool) -> Vec<Value> {
    chats
        .records
        .iter()
        .filter(|record| !record.disbanded && keep(record))
        .map(|record| {
            let mut item = Map::new();
            for name in [
                "chat_id",
                "avatar",
                "name",
                "description",
                "owner_id",
                "owner_id_type",
                "external",
                "tenant_key",
            ] {
                if let Some(value) = record.data.get(name) {
                    item.insert(name.to_owned(), value.clone());
                }
            }
            item.insert("chat_status".to_owned(), json!("normal"));
            Value::Object(item)
        })
        .collect()
}

pub(super) fn link(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let body = call.json()?;
    let period = body
        .get("validity_period")
        .and_then(Value::as_str)
        .unwrap_or("week");
    let seconds: u64 = match period {
        "week" => 7 * 24 * 60 * 60,
        "year" => 365 * 24 * 60 * 60,
        "permanently" => 0,
        _ => {
            return Err(bad_params(
                "validity_period must be week, year or permanently",
            ));
        }
    };
    let record = chats.open(call, LINK, Need::Member)?;
    if record.text("share_card_permission") == "not_allowed" && !record.is_admin(&call.operator) {
        return Err(failure(232064, "sharing is for the owner and managers"));
    }
    let now: u64 = unix_now().parse().unwrap_or(0);
    let expire = if seconds == 0 { 0 } else { now + seconds };
    let who = match &call.operator {
        Operator::Bot(id) | Operator::User(id) => id,
    };
    Ok(json!({
        "share_link": format!(
            "https://applink.feishu.cn/client/chat/chatter/add_by_link?link_token={}-{who}",
            record.id()
        ),
        "expire_time": expire.to_string(),
        "is_permanent": seconds == 0,
    }))
}
