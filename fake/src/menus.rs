//! A chat's menu: up to 3 top-level menus of up to 5 second-level ones,
//! which menu tree create, sort, delete and get and menu item patch act on.

use serde_json::{Map, Value, json};

use super::answer::{Answer, Reply, bad_params, failure};
use super::state::{Call, ChatRecord, Chats, Need};

// Each page's documented codes; `Chats::open` picks among them.
const CREATE: &[i64] = &[232001, 232009, 232011, 232070, 232071];
const CHANGE: &[i64] = &[232001, 232009, 232011, 232072];
const GET: &[i64] = &[232001, 232011];

/// The create page's limits.
const MAX_TOP: usize = 3;
const MAX_SECOND: usize = 5;

const TOP_ID: &str = "chat_menu_top_level_id";
const SECOND_ID: &str = "chat_menu_second_level_id";

/// Every menu page answers the whole tree after the change.
fn tree(record: &ChatRecord) -> Reply {
    Ok(json!({ "menu_tree": { "chat_menu_top_levels": record.menus } }))
}

/// A menu item from the request: `action_type` and `name` are required.
fn read_item(item: Option<&Value>) -> Result<Value, Answer> {
    let Some(item) = item.and_then(Value::as_object) else {
        return Err(bad_params("chat_menu_item is required"));
    };
    let action = item.get("action_type").and_then(Value::as_str);
    if !matches!(action, Some("NONE" | "REDIRECT_LINK")) {
        return Err(bad_params("action_type must be NONE or REDIRECT_LINK"));
    }
    if item
        .get("name")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(bad_params("name is required"));
    }
    Ok(Value::Object(item.clone()))
}

fn id_of<'a>(menu: &'a Value, key: &str) -> &'a str {
    menu.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// Appends the request's top-level menus (the page: existing ones stay).
pub(super) fn create(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let body = call.json()?;
    let Some(tops) = body
        .get("menu_tree")
        .and_then(|tree| tree.get("chat_menu_top_levels"))
        .and_then(Value::as_array)
        .filter(|tops| !tops.is_empty())
    else {
        return Err(bad_params("menu_tree.chat_menu_top_levels is required"));
    };
    let record = chats.open(call, CREATE, Need::Member)?;
    if record.menus.len() + tops.len() > MAX_TOP {
        return Err(failure(
            232070,
            &format!("at most {MAX_TOP} top-level menus"),
        ));
    }
    let mut new = Vec::new();
    for top in tops {
        let children = top
            .get("children")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if children.len() > MAX_SECOND {
            return Err(failure(
                232071,
                &format!("at most {MAX_SECOND} second-level menus"),
            ));
        }
        let mut menu = Map::new();
        menu.insert(TOP_ID.to_owned(), json!(record.new_id()));
        menu.insert(
            "chat_menu_item".to_owned(),
            read_item(top.get("chat_menu_item"))?,
        );
        let mut seconds = Vec::new();
        for child in &children {
            let item = read_item(child.get("chat_menu_item"))?;
            seconds.push(json!({ SECOND_ID: record.new_id(), "chat_menu_item": item }));
        }
        menu.insert("children".to_owned(), Value::Array(seconds));
        new.push(Value::Object(menu));
    }
    record.menus.extend(new);
    tree(record)
}

pub(super) fn delete(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let ids = call.required_strings("chat_menu_top_level_ids")?;
    let record = chats.open(call, CHANGE, Need::Member)?;
    if let Some(id) = ids.iter().find(|id| {
        !record
            .menus
            .iter()
            .any(|menu| id_of(menu, TOP_ID) == id.as_str())
    }) {
        return Err(bad_params(&format!("no top-level menu {id}")));
    }
    record
        .menus
        .retain(|menu| !ids.iter().any(|id| id == id_of(menu, TOP_ID)));
    tree(record)
}

/// Orders the top-level menus; the ids must be exactly the chat's.
pub(super) fn sort(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let ids = call.required_strings("chat_menu_top_level_ids")?;
    let record = chats.open(call, CHANGE, Need::Member)?;
    let sorted: Vec<Value> = ids
        .iter()
        .filter_map(|id| {
            record
                .menus
                .iter()
                .find(|menu| id_of(menu, TOP_ID) == id)
                .cloned()
        })
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    if sorted.len() != record.menus.len() || unique.len() != ids.len() {
        return Err(failure(
            232072,
            "chat_menu_top_level_ids must list each top-level menu once",
        ));
    }
    record.menus = sorted;
    tree(record)
}

pub(super) fn get(chats: &mut Chats, call: &Call<'_>) -> Reply {
    tree(chats.open(call, GET, Need::Member)?)
}

/// Changes the fields `update_fields` names (ICON, NAME, I18N_NAME,
/// REDIRECT_LINK) of one top- or second-level menu item.
pub(super) fn patch_item(chats: &mut Chats, call: &Call<'_>) -> Reply {
    const FIELDS: &[(&str, &str)] = &[
        ("ICON", "image_key"),
        ("NAME", "name"),
        ("I18N_NAME", "i18n_names"),
        ("REDIRECT_LINK", "redirect_link"),
    ];
    let body = call.json()?;
    let fields = call.required_strings("update_fields")?;
    let mut keys = Vec::new();
    for field in &fields {
        match FIELDS.iter().find(|(name, _)| name == field) {
            Some((_, key)) => keys.push(*key),
            None => return Err(bad_params(&format!("update_fields has an unknown {field}"))),
        }
    }
    let Some(given) = body.get("chat_menu_item").and_then(Value::as_object) else {
        return Err(bad_params("chat_menu_item is required"));
    };
    let record = chats.open(call, CHANGE, Need::Member)?;
    let item_id = call.params.get(1).cloned().unwrap_or_default();
    let item = record.menus.iter_mut().find_map(|top| {
        if id_of(top, TOP_ID) == item_id {
            return top.get_mut("chat_menu_item");
        }
        top.get_mut("children")?
            .as_array_mut()?
            .iter_mut()
            .find(|child| id_of(child, SECOND_ID) == item_id)?
            .get_mut("chat_menu_item")
    });
    let Some(Value::Object(item)) = item else {
        return Err(bad_params(&format!("no menu item {item_id}")));
    };
    for key in keys {
        match given.get(key) {
            Some(value) => item.insert(key.to_owned(), value.clone()),
            None => return Err(bad_params(&format!("chat_menu_item.{key} is missing"))),
        };
    }
    Ok(json!({ "chat_menu_item": item }))
}
