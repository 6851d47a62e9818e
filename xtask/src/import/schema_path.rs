//! Where a page's schema goes: the path rule for importing a whole folder.

use std::path::{Path, PathBuf};

use crate::page::{AnyPage, ApiName};

/// The schema file for the API `api`, relative to `schema/`:
/// `<project>/<version>/<resource>/<method>.json`, with the resource's `.`
/// as `_`, the way the official SDKs name it (`chat.tab` `create` ->
/// `im/v1/chat_tab/create.json`, the SDKs' `ChatTab.Create`); an event's in
/// the resource's `events/` folder (`chat` `disbanded` ->
/// `im/v1/chat/events/disbanded.json`).
pub fn schema_path(api: &ApiName) -> PathBuf {
    let resource = api.resource.replace('.', "_");
    let file = format!("{}.json", api.method);
    let mut path: PathBuf = [api.project.as_str(), api.version.as_str(), &resource]
        .iter()
        .collect();
    if api.event {
        path.push(feishu_codegen::spec::EVENTS_FOLDER);
    }
    path.join(file)
}

/// Where the schema of `page` (read from `file`) goes, relative to
/// `schema/`: by its official name ([`schema_path`]), else, for a page
/// without an explorer link (the 1.0 event pages have none), by the page
/// file's own place below its `<project>/<version>` folders, folder names
/// with `-` as `_` (`pages/im/v1/bot/events/p2p_chat_create.md` ->
/// `im/v1/bot/events/p2p_chat_create.json`).
pub fn place(page: &AnyPage, file: &Path) -> Option<PathBuf> {
    if let Some(api) = page.api() {
        return Some(schema_path(api));
    }
    let names: Vec<&str> = file.iter().filter_map(|c| c.to_str()).collect();
    let version = names.iter().rposition(|n| {
        n.strip_prefix('v')
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    })?;
    let project = version.checked_sub(1)?;
    let (last, folders) = names[project..].split_last()?;
    let mut path: PathBuf = folders.iter().map(|f| f.replace('-', "_")).collect();
    path.push(Path::new(last).with_extension("json"));
    Some(path)
}

/// The type prefix the generator gives the endpoint at `resource`/`method`
/// (`chat_tab`, `create` -> `CreateChatTab`).
pub(super) fn type_prefix(resource: &str, method: &str) -> String {
    super::names::camel(&format!("{method}_{}", resource.replace('.', "_")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(resource: &str, method: &str) -> ApiName {
        ApiName {
            project: "im".into(),
            version: "v1".into(),
            resource: resource.into(),
            method: method.into(),
            event: false,
        }
    }

    #[test]
    fn the_path_follows_the_official_name() {
        let path = schema_path(&api("chat.tab", "create"));
        assert_eq!(path, PathBuf::from("im/v1/chat_tab/create.json"));
        let path = schema_path(&api("chat.menu_tree", "get"));
        assert_eq!(path, PathBuf::from("im/v1/chat_menu_tree/get.json"));
        assert_eq!(
            schema_path(&api("chat", "list")),
            PathBuf::from("im/v1/chat/list.json")
        );
        assert_eq!(type_prefix("chat.tab", "create"), "CreateChatTab");
        let event = ApiName {
            event: true,
            ..api("chat.member.user", "added")
        };
        assert_eq!(
            schema_path(&event),
            PathBuf::from("im/v1/chat_member_user/events/added.json")
        );
    }
}
