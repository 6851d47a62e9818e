//! A chat's tabs: the fixed message tab first, then doc and url tabs that
//! create, update, sort and delete_tabs change and list_tabs shows.

use serde_json::{Map, Value, json};

use super::answer::{Answer, Reply, bad_params, failure};
use super::state::{Call, ChatRecord, Chats, Need};

// Each page's documented codes; `Chats::open` picks among them.
const CREATE: &[i64] = &[232001, 232006, 232009, 232011, 232046, 232047, 232048];
const CHANGE: &[i64] = &[232001, 232006, 232009, 232011, 232047, 232048];
const LIST: &[i64] = &[232001, 232006, 232011];

/// The create page: at most 20 custom tabs, names of at most 60 characters.
const MAX_TABS: usize = 20;
const MAX_NAME: usize = 60;

/// Every tab page answers the chat's tabs after the change.
fn tabs(record: &ChatRecord) -> Reply {
    Ok(json!({ "chat_tabs": record.tabs }))
}

/// A doc or url tab from the request, checked as the pages say; `id` is
/// the id it gets or keeps.
fn read_tab(tab: &Value, id: String) -> Result<Value, Answer> {
    let Some(tab) = tab.as_object() else {
        return Err(bad_params("a chat tab must be an object"));
    };
    let kind = tab
        .get("tab_type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !["doc", "url"].contains(&kind) {
        return Err(bad_params("tab_type must be doc or url"));
    }
    let name = tab
        .get("tab_name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if name.chars().count() > MAX_NAME {
        return Err(failure(
            232047,
            &format!("tab_name over {MAX_NAME} characters"),
        ));
    }
    let content = tab
        .get("tab_content")
        .and_then(|content| content.get(kind))
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !content.starts_with("http") {
        return Err(failure(
            232048,
            &format!("tab_content.{kind} must be a link"),
        ));
    }
    let mut answer = Map::new();
    answer.insert("tab_id".to_owned(), json!(id));
    answer.insert("tab_name".to_owned(), json!(name));
    answer.insert("tab_type".to_owned(), json!(kind));
    answer.insert("tab_content".to_owned(), json!({ kind: content }));
    if let Some(config) = tab.get("tab_config") {
        answer.insert("tab_config".to_owned(), config.clone());
    }
    Ok(Value::Object(answer))
}

fn requested(call: &Call<'_>) -> Result<Vec<Value>, Answer> {
    match call.json()?.remove("chat_tabs") {
        Some(Value::Array(list)) if !list.is_empty() => Ok(list),
        _ => Err(bad_params("chat_tabs must be a non-empty array")),
    }
}

fn tab_id(tab: &Value) -> &str {
    tab.get("tab_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

pub(super) fn create(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let list = requested(call)?;
    let record = chats.open(call, CREATE, Need::Member)?;
    // The message tab is not one of the 20.
    if record.tabs.len() - 1 + list.len() > MAX_TABS {
        return Err(failure(232046, &format!("at most {MAX_TABS} tabs")));
    }
    let mut new = Vec::new();
    for tab in &list {
        let id = record.new_id();
        new.push(read_tab(tab, id)?);
    }
    record.tabs.extend(new);
    tabs(record)
}

pub(super) fn update(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let list = requested(call)?;
    let record = chats.open(call, CHANGE, Need::Member)?;
    let mut changed = record.tabs.clone();
    for tab in &list {
        let id = tab_id(tab).to_owned();
        let Some(slot) = changed.iter_mut().find(|old| tab_id(old) == id) else {
            return Err(bad_params(&format!("no tab {id}")));
        };
        *slot = read_tab(tab, id)?;
    }
    record.tabs = changed;
    tabs(record)
}

/// Deletes doc and url tabs; the message tab stays.
pub(super) fn delete(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let ids = call.required_strings("tab_ids")?;
    let record = chats.open(call, CHANGE, Need::Member)?;
    for id in &ids {
        let deletable = record
            .tabs
            .iter()
            .any(|tab| tab_id(tab) == id && tab["tab_type"] != "message");
        if !deletable {
            return Err(bad_params(&format!("no doc or url tab {id}")));
        }
    }
    record
        .tabs
        .retain(|tab| !ids.iter().any(|id| id == tab_id(tab)));
    tabs(record)
}

/// Orders the tabs as `tab_ids` lists them; the message tab stays first and
/// must be listed, as the page says.
pub(super) fn sort(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let ids = call.strings("tab_ids")?;
    let record = chats.open(call, CHANGE, Need::Member)?;
    let message = tab_id(&record.tabs[0]).to_owned();
    if !ids.contains(&message) {
        return Err(bad_params("tab_ids must hold the message tab"));
    }
    let mut sorted = vec![record.tabs[0].clone()];
    for id in ids.iter().filter(|id| **id != message) {
        match record.tabs.iter().find(|tab| tab_id(tab) == id) {
            Some(tab) if !sorted.contains(tab) => sorted.push(tab.clone()),
            _ => return Err(bad_params(&format!("no tab {id}, or listed twice"))),
        }
    }
    // Tabs the request left out keep their order after the listed ones.
    for tab in &record.tabs {
        if !sorted.contains(tab) {
            sorted.push(tab.clone());
        }
    }
    record.tabs = sorted;
    tabs(record)
}

pub(super) fn list(chats: &mut Chats, call: &Call<'_>) -> Reply {
    tabs(chats.open(call, LIST, Need::Member)?)
}
