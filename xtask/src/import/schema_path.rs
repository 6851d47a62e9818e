//! Where a page's schema goes: the path rule for importing a whole folder.
//!
//! A page goes to `<project>/<version>/<resource>/<method>.json` (an event
//! to `<project>/<version>/<resource>/events/<name>.json`), named by the
//! first of: its API explorer link; its address (`/open-apis/<project>/
//! .../v<N>/...`, or with no `v<N>` segment as if `v1` followed the
//! project); a 2.0 event type (`<project>.<resource>.<name>_v<N>`); the
//! page file's own `<project>/<version>/` folders; for a 1.0 event type,
//! which names no project, its doc address (the `<project>-v<N>` folder,
//! else the first folder at `v1`) ([`place`]). Two pages of one run at one
//! place: the one placed by its explorer link, else the current one (not
//! below `historic-version/`), else the first by doc address keeps it; the
//! other goes beside, named after the last segment of its doc address,
//! else numbered ([`clash_place`]).

use std::path::{Path, PathBuf};

use feishu_codegen::spec::HttpMethod;
use heck::ToSnakeCase;

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
/// `schema/`, by the first of these that gives a place:
///
/// 1. its official name ([`schema_path`]), from the API explorer link;
/// 2. what the page states: an endpoint by its address
///    (`api_of_path`; an address without a `v<N>` segment reads as if
///    `v1` followed its project), an event by a 2.0 event type
///    (`api_of_event_type`);
/// 3. the page file's own place below its `<project>/<version>` folders,
///    folder names with `-` as `_` (`pages/im/v1/bot/events/p2p_chat_create.md`
///    -> `im/v1/bot/events/p2p_chat_create.json`);
/// 4. for an event, its doc address (`event_of_doc_address`): a 1.0
///    event type names no project, the address's folders do.
pub fn place(page: &AnyPage, file: &Path) -> Option<PathBuf> {
    let stated = || match page {
        AnyPage::Endpoint(page) => api_of_path(page.method, &page.path),
        AnyPage::Event(page) => api_of_event_type(&page.event_type),
    };
    if let Some(api) = page.api().cloned().or_else(stated) {
        return Some(schema_path(&api));
    }
    let by_folders = || {
        let names: Vec<&str> = file.iter().filter_map(|c| c.to_str()).collect();
        let version = names.iter().rposition(|n| is_version(n))?;
        let project = version.checked_sub(1)?;
        let (last, folders) = names[project..].split_last()?;
        let mut path: PathBuf = folders.iter().map(|f| f.replace('-', "_")).collect();
        path.push(Path::new(last).with_extension("json"));
        Some(path)
    };
    let by_address = || match page {
        AnyPage::Event(page) => {
            event_of_doc_address(&page.source_url, &page.event_type).map(|api| schema_path(&api))
        }
        AnyPage::Endpoint(_) => None,
    };
    by_folders().or_else(by_address)
}

/// The name of an event whose type names no project (a 1.0 type), from
/// its doc address `https://open.feishu.cn/document/[server-docs/]<folders>/<page>`:
/// the last folder named `<project>-v<N>` gives the project and version
/// (`approval-v4` -> `approval` `v4`), else the first folder is the
/// project, at `v1` (`group` -> `group` `v1`); the last folder other than
/// `event`, after that one, is the resource (none: the project's name);
/// the event type is the name. `-` reads as `_` throughout.
/// (`.../approval-v4/event/special-event/leave`, `leave_approval` ->
/// `approval/v4/special_event/events/leave_approval.json`.)
pub fn event_of_doc_address(url: &str, event_type: &str) -> Option<ApiName> {
    let (_, path) = url.split_once("/document/")?;
    let mut folders: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    folders.pop()?;
    if folders.first() == Some(&"server-docs") {
        folders.remove(0);
    }
    let versioned = folders.iter().rposition(|f| {
        f.rsplit_once("-v")
            .is_some_and(|(p, v)| !p.is_empty() && is_version(&format!("v{v}")))
    });
    let (at, project, version) = match versioned {
        Some(at) => {
            let (project, number) = folders[at].rsplit_once("-v")?;
            (at, project, format!("v{number}"))
        }
        None => (0, *folders.first()?, "v1".to_owned()),
    };
    let resource = folders[at + 1..]
        .iter()
        .rev()
        .find(|f| **f != "event")
        .copied()
        .unwrap_or(project);
    let snake = |s: &str| s.replace('-', "_");
    if event_type.is_empty() || event_type.contains(['/', '.']) {
        return None;
    }
    Some(ApiName {
        project: snake(project),
        version,
        resource: snake(resource),
        method: event_type.to_owned(),
        event: true,
    })
}

/// Where a page goes whose place `rel` another page of the same run
/// keeps: the same folder, the file named after
/// the last segment of the page's doc address `url` in snake_case
/// (`.../refresh-user-access-token` -> `refresh_user_access_token.json`),
/// else, when that is taken too or the address has no such segment, the
/// place's own name with the first free number (`token_2.json`). `taken`
/// says whether a place is taken.
pub fn clash_place(rel: &Path, url: &str, taken: impl Fn(&Path) -> bool) -> PathBuf {
    let folder = rel.parent().unwrap_or(Path::new(""));
    let last = url.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let named = last.replace('-', "_").to_snake_case();
    let good = !named.is_empty() && !url.ends_with("/document") && !named.contains('.');
    if good {
        let path = folder.join(format!("{named}.json"));
        if !taken(&path) {
            return path;
        }
    }
    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or("page");
    (2..)
        .map(|n| folder.join(format!("{stem}_{n}.json")))
        .find(|path| !taken(path))
        .unwrap_or_else(|| rel.to_owned())
}

/// The name an endpoint's address gives it, for a page without an explorer
/// link: `/open-apis/<project>/.../<version>/...`, the rest read as the official
/// names read it; an address without a version segment reads as if `v1`
/// followed the project (`/open-apis/jssdk/ticket/get` -> `jssdk` `v1`
/// `ticket` `get`). The literal segments, each in snake_case and made
/// singular, are the resource's words (`chats/:chat_id/members` ->
/// `chat.member`), except a last segment that is an action: one after
/// another literal (`departments/search`), or a singular one after a
/// parameter in a POST or PATCH (`meetings/:meeting_id/set_host`). Without
/// an action the HTTP method names the call: `get` or `list` (one item, or
/// a plural collection), `create`, `update` (PUT), `patch`, `delete`. The
/// official names agree on 689 of the corpus's 792 endpoints that have
/// both; they differ where a singular segment is a sub-resource
/// (`chats/:chat_id/announcement` PATCH is officially `chat.announcement`
/// `patch`) or a plural one an action (`tasks/:task_guid/add_members`).
pub fn api_of_path(method: HttpMethod, path: &str) -> Option<ApiName> {
    let is_param = |s: &str| s.starts_with(':');
    let mut segments = path.strip_prefix("/open-apis/")?.split('/');
    let project = segments.next()?.to_snake_case();
    // The version is the first `v<N>` segment; one before it is a resource
    // word (`drive/explorer/v2/folder/...`).
    let mut rest: Vec<&str> = segments.filter(|s| !s.is_empty()).collect();
    let version = match rest.iter().position(|s| is_version(s)) {
        Some(at) => rest.remove(at),
        None => "v1",
    };
    let mut words: Vec<&str> = rest.iter().copied().filter(|s| !is_param(s)).collect();
    let last = *rest.last()?;
    // A singular segment after a parameter acts on the item when the call
    // changes it by POST or PATCH; with GET, PUT or DELETE it is a part of
    // the item those act on (`sheets/v2` writes one address with four
    // methods: `spreadsheets/:token/dataValidation`).
    let acts = matches!(method, HttpMethod::Post | HttpMethod::Patch);
    let action = match rest.len().checked_sub(2).map(|i| rest[i]) {
        Some(before) => !is_param(last) && (!is_param(before) || (!is_plural(last) && acts)),
        None => false,
    };
    let method = if action {
        words.pop()?.to_snake_case()
    } else {
        let one = is_param(last) || !is_plural(last);
        match method {
            HttpMethod::Get if one => "get",
            HttpMethod::Get => "list",
            HttpMethod::Post => "create",
            HttpMethod::Put => "update",
            HttpMethod::Patch => "patch",
            HttpMethod::Delete => "delete",
        }
        .to_owned()
    };
    if project.is_empty() {
        return None;
    }
    // An address whose only literal after the version is its action
    // (`doc/v2/:docToken/batch_update`) acts on the project's own item.
    if words.is_empty() && action {
        words.push(&project);
    }
    if words.is_empty() {
        return None;
    }
    let resource: Vec<String> = words.iter().map(|w| singular(&w.to_snake_case())).collect();
    Some(ApiName {
        project,
        version: version.to_owned(),
        resource: resource.join("."),
        method,
        event: false,
    })
}

/// `v1`, `v2`, ...: a version folder's name.
fn is_version(name: &str) -> bool {
    name.strip_prefix('v')
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// The name a 2.0 event type gives its event, for a page without an
/// explorer link: `<project>.<resource...>.<name>_v<N>`
/// (`drive.file.permission_member_added_v1` -> `drive` `v1` `file`
/// `permission_member_added`). The explorer links of the corpus's 87
/// linked events all agree. A 1.0 type (`approval_cc`) names no project.
pub fn api_of_event_type(event_type: &str) -> Option<ApiName> {
    let (head, number) = event_type.rsplit_once("_v")?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let parts: Vec<&str> = head.split('.').collect();
    let [project, resource @ .., name] = &parts[..] else {
        return None;
    };
    if resource.is_empty() || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    Some(ApiName {
        project: (*project).to_owned(),
        version: format!("v{number}"),
        resource: resource.join("."),
        method: (*name).to_owned(),
        event: true,
    })
}

/// Whether an address segment is an English plural (`chats`, `aliases`;
/// not `address`).
fn is_plural(word: &str) -> bool {
    word.ends_with('s') && !word.ends_with("ss")
}

/// An address segment made singular the plain English way: `-ies` -> `-y`,
/// `-sses` / `-xes` / `-ches` / `-shes` / `-iases` / `-uses` lose `-es`
/// (`aliases`, `system_statuses`; `releases` keeps its `e`), other plurals
/// `-s`.
fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for ending in ["sses", "xes", "ches", "shes", "iases", "uses"] {
        if word.ends_with(ending) {
            return word[..word.len() - 2].to_owned();
        }
    }
    match word.strip_suffix('s') {
        Some(stem) if is_plural(word) => stem.to_owned(),
        _ => word.to_owned(),
    }
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

    /// Where an endpoint without an explorer link goes, by its address.
    fn by_address(method: HttpMethod, path: &str) -> Option<PathBuf> {
        api_of_path(method, path).map(|api| schema_path(&api))
    }

    #[test]
    fn an_address_names_the_endpoint_the_way_the_official_names_do() {
        use HttpMethod::*;
        let cases = [
            (
                Post,
                "/open-apis/helpdesk/v1/ticket_customized_fields",
                "helpdesk/v1/ticket_customized_field/create.json",
            ),
            (
                Get,
                "/open-apis/helpdesk/v1/ticket_customized_fields",
                "helpdesk/v1/ticket_customized_field/list.json",
            ),
            (
                Get,
                "/open-apis/helpdesk/v1/ticket_customized_fields/:ticket_customized_field_id",
                "helpdesk/v1/ticket_customized_field/get.json",
            ),
            (
                Patch,
                "/open-apis/helpdesk/v1/ticket_customized_fields/:ticket_customized_field_id",
                "helpdesk/v1/ticket_customized_field/patch.json",
            ),
            (
                Put,
                "/open-apis/im/v1/chats/:chat_id",
                "im/v1/chat/update.json",
            ),
            // Only an action after the version: the project's own item.
            (
                Post,
                "/open-apis/doc/v2/:docToken/batch_update",
                "doc/v2/doc/batch_update.json",
            ),
            (
                Delete,
                "/open-apis/im/v1/chats/:chat_id/members",
                "im/v1/chat_member/delete.json",
            ),
            // A last literal after another is an action on the collection.
            (
                Post,
                "/open-apis/approval/v4/instances/preview",
                "approval/v4/instance/preview.json",
            ),
            (
                Post,
                "/open-apis/search/v2/data_sources/:data_source_id/items/batch_create",
                "search/v2/data_source_item/batch_create.json",
            ),
            // A singular one after a parameter: an action on the item in a
            // POST or PATCH, else a part of the item; camelCase as snake_case.
            (
                Patch,
                "/open-apis/vc/v1/meetings/:meeting_id/set_host",
                "vc/v1/meeting/set_host.json",
            ),
            (
                Post,
                "/open-apis/sheets/v2/spreadsheets/:spreadsheetToken/dataValidation",
                "sheets/v2/spreadsheet/data_validation.json",
            ),
            (
                Put,
                "/open-apis/sheets/v2/spreadsheets/:spreadsheetToken/dataValidation",
                "sheets/v2/spreadsheet_data_validation/update.json",
            ),
            (
                Get,
                "/open-apis/vc/v1/meetings/:meeting_id/recording",
                "vc/v1/meeting_recording/get.json",
            ),
            // A lone singular segment is one thing.
            (
                Get,
                "/open-apis/authen/v1/authorize",
                "authen/v1/authorize/get.json",
            ),
            (
                Get,
                "/open-apis/contact/v3/job_families",
                "contact/v3/job_family/list.json",
            ),
            (
                Post,
                "/open-apis/mail/v1/mailgroups/:mailgroup_id/aliases",
                "mail/v1/mailgroup_alias/create.json",
            ),
            (
                Get,
                "/open-apis/corehr/v2/basic_info/bank_branchs/search",
                "corehr/v2/basic_info_bank_branch/search.json",
            ),
        ];
        for (method, path, place) in cases {
            assert_eq!(
                by_address(method, path),
                Some(PathBuf::from(place)),
                "{path}"
            );
        }
        assert_eq!(
            by_address(Get, "/open-apis/drive/explorer/v2/folder/:folderToken/meta"),
            Some(PathBuf::from("drive/v2/explorer_folder_meta/get.json"))
        );
        assert_eq!(
            by_address(Post, "/open-apis/suite/docs-api/v1/search/object"),
            Some(PathBuf::from("suite/v1/docs_api_search/object.json"))
        );
        // An address without a version reads as if `v1` followed the
        // project.
        assert_eq!(
            by_address(Post, "/open-apis/meeting_room/summary/batch_get"),
            Some(PathBuf::from("meeting_room/v1/summary/batch_get.json"))
        );
        assert_eq!(
            by_address(Get, "/open-apis/jssdk/ticket/get"),
            Some(PathBuf::from("jssdk/v1/ticket/get.json"))
        );
        assert_eq!(
            by_address(Post, "/open-apis/suite/docs-api/search/object"),
            Some(PathBuf::from("suite/v1/docs_api_search/object.json"))
        );
        assert_eq!(by_address(Get, "/open-apis/im/v1"), None);
        assert_eq!(by_address(Get, "/open-apis/im/v1/:chat_id"), None);
        assert_eq!(by_address(Get, "/approval/openapi/v2/id/get"), None);
    }

    #[test]
    fn a_2_0_event_type_names_the_event() {
        let place = |t: &str| api_of_event_type(t).map(|api| schema_path(&api));
        assert_eq!(
            place("drive.file.permission_member_added_v1"),
            Some(PathBuf::from(
                "drive/v1/file/events/permission_member_added.json"
            ))
        );
        assert_eq!(
            place("application.application.visibility.added_v6"),
            Some(PathBuf::from(
                "application/v6/application_visibility/events/added.json"
            ))
        );
        assert_eq!(
            place("im.chat.member.user.added_v1"),
            Some(PathBuf::from("im/v1/chat_member_user/events/added.json"))
        );
        for one_oh in [
            "approval_cc",
            "p2p_chat_create",
            "im.disbanded_v1",
            "a.b.c_v",
            "a..c_v1",
        ] {
            assert_eq!(place(one_oh), None, "{one_oh}");
        }
    }

    #[test]
    fn a_1_0_event_goes_by_its_doc_address() {
        let place = |url: &str, t: &str| event_of_doc_address(url, t).map(|api| schema_path(&api));
        let doc = "https://open.feishu.cn/document/server-docs/";
        let cases = [
            (
                "approval-v4/event/special-event/leave",
                "leave_approval",
                "approval/v4/special_event/events/leave_approval.json",
            ),
            (
                "approval-v4/event/common-event/approval-cc-event",
                "approval_cc",
                "approval/v4/common_event/events/approval_cc.json",
            ),
            (
                "calendar-v4/meeting-room-event/event/third-room-event-changes",
                "third_party_meeting_room_event_created",
                "calendar/v4/meeting_room_event/events/third_party_meeting_room_event_created.json",
            ),
            // No `<project>-v<N>` folder: the first folder, at `v1`.
            (
                "group/chat-member/event/bot-events",
                "p2p_chat_create",
                "group/v1/chat_member/events/p2p_chat_create.json",
            ),
            // No folder after the project's: the project is the resource.
            (
                "approval-v4/event/x",
                "x_y",
                "approval/v4/approval/events/x_y.json",
            ),
        ];
        for (address, event_type, path) in cases {
            assert_eq!(
                place(&format!("{doc}{address}"), event_type),
                Some(PathBuf::from(path)),
                "{address}"
            );
        }
        assert_eq!(
            place("https://open.feishu.cn/document/leave", "leave"),
            None
        );
        assert_eq!(place("https://example.com/leave", "leave"), None);
        assert_eq!(place(&format!("{doc}approval-v4/event/leave"), ""), None);
    }

    #[test]
    fn a_page_that_lost_its_place_goes_by_its_doc_address() {
        let rel = Path::new("authen/v2/oauth/token.json");
        let doc = "https://open.feishu.cn/document/authentication-management/access-token/";
        let url = format!("{doc}refresh-user-access-token");
        let taken = [PathBuf::from("authen/v2/oauth/token.json")];
        assert_eq!(
            clash_place(rel, &url, |p| taken.iter().any(|t| t == p)),
            PathBuf::from("authen/v2/oauth/refresh_user_access_token.json")
        );
        // Its address's name taken too: the place's name and a number.
        let taken = [
            PathBuf::from("authen/v2/oauth/token.json"),
            PathBuf::from("authen/v2/oauth/refresh_user_access_token.json"),
            PathBuf::from("authen/v2/oauth/token_2.json"),
        ];
        assert_eq!(
            clash_place(rel, &url, |p| taken.iter().any(|t| t == p)),
            PathBuf::from("authen/v2/oauth/token_3.json")
        );
        assert_eq!(
            clash_place(rel, "", |p| p == rel),
            PathBuf::from("authen/v2/oauth/token_2.json")
        );
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
