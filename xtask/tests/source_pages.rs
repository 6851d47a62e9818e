//! The doc-source reader against the real pages in the repository's `pages/`.

use std::path::{Path, PathBuf};

use xtask::page::{self, Field, FieldType, Page};

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../pages")
}

/// Every page of `pages/`, sorted.
/// The pages of `im`, whose schemas were reviewed field by field.
fn raw_pages() -> Vec<PathBuf> {
    xtask::batch::page_files(&docs().join("im")).unwrap()
}

fn is_event(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == "events")
}

fn raw(rel: &str) -> Page {
    page::read(&docs().join("im/v1").join(rel)).unwrap()
}

fn field<'a>(fields: &'a [Field], name: &str) -> &'a Field {
    fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no field `{name}`"))
}

fn names(fields: &[Field]) -> Vec<&str> {
    fields.iter().map(|f| f.name.as_str()).collect()
}

/// The one real page whose example does not fit its field: its `page_size`
/// (int) and `page_token` (string) examples are swapped.
const SWAPPED_EXAMPLES: &str = "chat-moderation/get.md";

#[test]
fn every_endpoint_page_reads() {
    let endpoints: Vec<_> = raw_pages().into_iter().filter(|p| !is_event(p)).collect();
    assert_eq!(endpoints.len(), 72);
    let mut failures = Vec::new();
    for path in &endpoints {
        match page::read(path) {
            Ok(page) => {
                assert!(page.path.starts_with("/open-apis/im/"), "{path:?}");
                assert!(page.api.is_some(), "{path:?}");
                // The group-chat pages, read and reviewed first, state
                // errors and examples, all of which fit their types.
                if page.path.starts_with("/open-apis/im/v1/chats") {
                    assert!(!page.errors.is_empty(), "{path:?}");
                    assert!(page.response_example.is_some(), "{path:?}");
                    let misfits = page.misfits("page.md");
                    if path.ends_with(SWAPPED_EXAMPLES) {
                        assert_eq!(misfits.len(), 2, "{misfits:#?}");
                    } else {
                        assert_eq!(misfits, Vec::<String>::new(), "{path:?}");
                    }
                }
            }
            Err(e) => failures.push(e.to_string()),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn example_that_does_not_fit_its_type_is_left_out_and_named_with_its_line() {
    let page = raw(SWAPPED_EXAMPLES);
    assert_eq!(
        page.misfits("get.md"),
        [
            "get.md:222: the example `dmJCRHhpd3JRbGV1VEVNRFFyTitRWDY5ZFkybmYrMEUwMUFYT0VMMWdENEtuYUhsNUxGMDIwemtvdE5ORjBNQQ==` of `page_size` does not fit its type integer: left out",
            "get.md:244: the rule `最大值：`100`` of `page_token` cannot apply to its type string: left out",
        ]
    );
    assert_eq!(field(&page.query, "page_size").example, None);
    // A boolean example for an int field, in a field of another page.
    let text = std::fs::read_to_string(docs().join("im/v1/chat-members/create.md")).unwrap();
    let text = text.replacen("**示例值**：0", "**示例值**：true", 1);
    let page = page::parse_any("create.md", &text).unwrap();
    assert_eq!(
        page.misfits("create.md"),
        [
            "create.md:241: the example `true` of `succeed_type` does not fit its type integer: left out"
        ]
    );
}

/// chat-moderation/get.md with its swapped examples put back.
fn moderation_get() -> Page {
    let path = docs().join("im/v1").join(SWAPPED_EXAMPLES);
    let text = std::fs::read_to_string(&path).unwrap();
    let fixed: Vec<&str> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == 222 {
                "**示例值**：10"
            } else {
                l
            }
        })
        .collect();
    page::parse_any("get.md", &fixed.join("\n")).unwrap()
}

#[test]
fn body_nests_by_level() {
    let page = raw("chat-tab/create.md");
    assert_eq!(names(&page.body), ["chat_tabs"]);
    let tabs = field(&page.body, "chat_tabs");
    assert!(tabs.required);
    assert_eq!(
        tabs.ty,
        FieldType::Array(Box::new(FieldType::Object("chat.tab".into())))
    );
    assert_eq!(
        names(&tabs.fields),
        ["tab_name", "tab_type", "tab_content", "tab_config"]
    );
    let content = field(&tabs.fields, "tab_content");
    assert_eq!(content.ty, FieldType::Object("chat_tab_content".into()));
    assert_eq!(
        names(&content.fields),
        ["url", "doc", "meeting_minute", "task"]
    );
    let config = field(&tabs.fields, "tab_config");
    assert_eq!(names(&config.fields), ["icon_key", "is_built_in"]);
    assert_eq!(
        field(&config.fields, "is_built_in").example,
        Some(false.into())
    );
    let tab_type = field(&tabs.fields, "tab_type");
    assert_eq!(tab_type.values.len(), 11);
    assert_eq!(tab_type.values[2], ("doc".into(), "文档".into()));
    // The response nests the same way, one level down under `data`.
    let tabs = field(&page.response, "chat_tabs");
    assert_eq!(names(&field(&tabs.fields, "tab_content").fields).len(), 4);
}

#[test]
fn either_token_page_and_its_headers() {
    let page = raw("chat-tab/create.md");
    use feishu_codegen::spec::AccessToken;
    assert_eq!(page.access_tokens, [AccessToken::Tenant, AccessToken::User]);
    assert_eq!(page.headers.len(), 1);
    let header = &page.headers[0];
    assert_eq!(header.name, "Content-Type");
    assert!(header.required);
    assert_eq!(
        header.description,
        "**固定值**：\"application/json; charset=utf-8\""
    );
    assert_eq!(page.path_params.len(), 1);
    assert_eq!(
        page.path_params[0].example,
        Some("oc_a0553eda9014c201e6969b478895c230".into())
    );
}

#[test]
fn maximum_limit() {
    let page = raw("chat/list.md");
    let size = field(&page.query, "page_size");
    assert_eq!(size.ty, FieldType::Integer);
    assert_eq!(size.limits.maximum, Some(100));
    assert_eq!(size.limits.minimum, None);
}

#[test]
fn int_enum_values() {
    let page = raw("chat-members/create.md");
    let succeed = field(&page.query, "succeed_type");
    assert_eq!(succeed.ty, FieldType::Integer);
    assert_eq!(succeed.default, Some(0.into()));
    assert_eq!(succeed.example, Some(0.into()));
    let keys: Vec<&str> = succeed.values.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["0", "1", "2"]);
    assert_eq!(succeed.description, "出现不可用ID后的处理方式 0/1/2");
}

#[test]
fn prose_value_list() {
    let page = moderation_get();
    let mode = field(&page.response, "moderation_setting");
    assert_eq!(mode.description, "群发言模式");
    assert_eq!(
        mode.values,
        [
            ("all_members".into(), "所有群成员可发言".into()),
            ("only_owner".into(), "仅群主或管理员可发言".into()),
            ("moderator_list".into(), "指定群成员可发言".into()),
        ]
    );
}

#[test]
fn empty_data() {
    let page = raw("chat/delete.md");
    assert!(page.response.is_empty());
    assert!(page.body.is_empty());
    assert_eq!(page.path, "/open-apis/im/v1/chats/:chat_id");
}

#[test]
fn error_row() {
    let page = raw("chat-tab/create.md");
    let row = &page.errors[0];
    assert_eq!((row.http_status, row.code), (400, 232001));
    assert_eq!(
        row.message,
        "Your request contains an invalid request parameter."
    );
    assert_eq!(
        row.advice,
        "参数错误，参考接口文档提供的参数描述，检查输入参数是否有误。"
    );
    assert_eq!(page.errors.len(), 16);
}

#[test]
fn front_matter_and_request_table() {
    let page = raw("chat/create.md");
    assert_eq!(page.title, "创建群");
    assert_eq!(page.updated_at, Some(1_732_502_476_000));
    assert_eq!(page.last_remote_update, "2024-11-25");
    assert_eq!(
        page.source_url,
        "https://open.feishu.cn/document/server-docs/group/chat/create"
    );
    // 1754898941000 is 2025-08-11 07:55 UTC, 15:55 in China.
    assert_eq!(raw("chat-tab/create.md").last_remote_update, "2025-08-11");
}

#[test]
fn pages_that_describe_no_endpoint() {
    let others: Vec<_> = raw_pages().into_iter().filter(|p| is_event(p)).collect();
    // Fourteen event pages.
    assert_eq!(others.len(), 14);
    for path in &others {
        let err = page::read(path).unwrap_err();
        assert!(err.describes_no_endpoint(), "{err}");
        assert!(!err.message.contains('\n'), "{err}");
    }
    let err = page::read(&docs().join("im/v1/chat/events/disbanded.md")).unwrap_err();
    assert_eq!(
        err.message,
        "describes an event (im.chat.disbanded_v1), not an endpoint"
    );
    let err = page::read(&docs().join("INDEX.md")).unwrap_err();
    assert!(err.message.starts_with("not a Feishu doc page: "), "{err}");
    let err =
        page::parse_any("guide.md", "<!--\ntitle: x\nsource: y\n-->\n# x\n\ntext\n").unwrap_err();
    assert!(err.describes_no_endpoint(), "{err}");
}

#[test]
fn alert_text_is_a_note() {
    let text = std::fs::read_to_string(docs().join("im/v1/chat/delete.md")).unwrap();
    // Every real page carries empty alert blocks; give one some text.
    let text = text.replacen(
        "<md-alert type=\"warn\">\n\n</md-alert>",
        "<md-alert type=\"warn\">\n解散后不可恢复。\n</md-alert>",
        1,
    );
    let page = page::parse_any("delete.md", &text).unwrap();
    assert_eq!(
        page.notes.last().map(String::as_str),
        Some("解散后不可恢复。")
    );
    let plain = raw("chat/delete.md");
    assert_eq!(page.notes.len(), plain.notes.len() + 1);
}

#[test]
fn value_items_read_with_either_colon() {
    // chat/get.md writes `group`：群组 and `topic`: 话题 in one list.
    let page = raw("chat/get.md");
    let mode = field(&page.response, "chat_mode");
    assert_eq!(
        mode.values,
        [
            ("group".to_owned(), "群组".to_owned()),
            ("topic".to_owned(), "话题".to_owned()),
            ("p2p".to_owned(), "单聊".to_owned()),
        ]
    );
}

#[test]
fn a_page_that_answers_the_file_s_bytes_says_so_in_either_form() {
    for (rel, binary) in [
        ("im/v1/image/get.md", true),
        ("im/v1/message_resource/get.md", true),
        ("drive/v1/file/download.md", true),
        // The rendered form.
        ("baike/v1/file_download/get.md", true),
        ("im/v1/image/create.md", false),
        ("baike/v1/file/upload.md", false),
    ] {
        let page = page::read(&docs().join(rel)).unwrap();
        assert_eq!(page.binary_response, binary, "{rel}");
    }
}

#[test]
fn a_body_field_typed_file_is_the_upload_with_the_size_its_words_state() {
    let file = |rel: &str, name: &str| {
        let page = page::read(&docs().join(rel)).unwrap();
        page.body.into_iter().find(|f| f.name == name).unwrap()
    };
    let image = file("im/v1/image/create.md", "image");
    assert_eq!(image.ty, FieldType::File);
    assert_eq!(image.example, None, "二进制文件 is words, not a value");
    assert_eq!(
        (image.limits.min_bytes, image.limits.max_bytes),
        (Some(1), Some(10 << 20))
    );
    // The rendered form, with a range.
    let baike = file("baike/v1/file/upload.md", "file");
    assert_eq!(baike.ty, FieldType::File);
    assert_eq!(
        (baike.limits.min_bytes, baike.limits.max_bytes),
        (Some(3 << 10), Some(10 << 20))
    );
    let part = file("drive/v1/file/upload_part.md", "file");
    assert_eq!((part.ty, part.limits.max_bytes), (FieldType::File, None));
    // A response's `file` with rows below it stays an object.
    let list = page::read(&docs().join("drive/v1/file/list.md")).unwrap();
    let files = list.response.iter().find(|f| f.name == "files").unwrap();
    assert!(matches!(&files.ty, FieldType::Array(item) if matches!(**item, FieldType::Object(_))));
}
