//! `import-doc` over a folder on the page classes of the doc corpus that
//! once stopped it: each page is read as it means, or skipped or failed
//! with its reason.

use std::fs;
use std::path::{Path, PathBuf};

use xtask::batch::{self, Outcome};

/// `pages/<rel>` as text.
fn page_text(rel: &str) -> String {
    let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pages");
    fs::read_to_string(pages.join(rel)).unwrap()
}

/// `text` with `from` replaced by `to`, which must be there.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

/// A folder of pages (name, text) outside any `<project>/<version>`
/// folder, as in the corpus, imported into `drafts/`.
fn import(pages: &[(&str, String)]) -> (tempfile::TempDir, Vec<Outcome>) {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("corpus");
    fs::create_dir_all(&folder).unwrap();
    for (name, text) in pages {
        fs::write(folder.join(name), text).unwrap();
    }
    let outcomes = batch::import(&folder, &dir.path().join("drafts"), None, None, false).unwrap();
    (dir, outcomes)
}

fn drafts(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("drafts")
}

#[test]
fn a_page_without_an_explorer_link_goes_by_its_address_or_event_type() {
    let get = edit(
        &page_text("im/v1/chat/get.md"),
        "{尝试一下}(url=/api/tools/api_explore/api_explore_config?project=im&version=v1&resource=chat&method=get)",
        "",
    );
    let disbanded = edit(
        &page_text("im/v1/chat/events/disbanded.md"),
        "{使用示例}(url=/api/tools/api_explore/api_explore_config?project=im&version=v1&resource=chat&event=disbanded)",
        "",
    );
    let (dir, outcomes) = import(&[("a.md", get), ("b.md", disbanded)]);
    let out = drafts(&dir);
    assert_eq!(
        outcomes,
        [
            Outcome::Done(format!(
                "wrote {}",
                out.join("im/v1/chat/get.json").display()
            )),
            Outcome::Done(format!(
                "wrote {}",
                out.join("im/v1/chat/events/disbanded.json").display()
            )),
            // The two drafts declare `UserIdType` alike.
            Outcome::SharedTypes(format!(
                "wrote {} (1 type(s) several drafts of the version declare alike)",
                out.join("im/v1/types.json").display()
            )),
        ]
    );
}

#[test]
fn an_address_outside_open_apis_is_skipped_with_its_reason() {
    let text = edit(
        &page_text("im/v1/chat/get.md"),
        "https://open.feishu.cn/open-apis/im/v1/chats/:chat_id",
        "https://www.feishu.cn/approval/openapi/v2/file/upload",
    );
    let (dir, outcomes) = import(&[("upload.md", text)]);
    let file = dir.path().join("corpus/upload.md");
    assert_eq!(
        outcomes,
        [Outcome::Skipped(format!(
            "skipped {}:49: describes no endpoint the client can call: `https://www.feishu.cn/approval/openapi/v2/file/upload` is outside /open-apis/ (the client calls paths below /open-apis/ on its one host)",
            file.display()
        ))]
    );
    assert_eq!(batch::status(&outcomes), 0);
    assert!(!drafts(&dir).exists());
}

#[test]
fn a_1_0_event_page_without_a_link_goes_by_its_doc_address() {
    // The 1.0 event page of `pages/` sits below im/v1; in a flat folder its
    // type names no place, its doc address does.
    let text = page_text("im/v1/bot/events/p2p_chat_create.md");
    let (_, outcomes) = draft_of("bot-events.md", text.clone(), "");
    assert_eq!(
        outcomes,
        [Outcome::Done(
            "wrote <dir>/drafts/group/v1/chat_member/events/p2p_chat_create.json".into()
        )]
    );
    // An address with no folder names no place either.
    let text = edit(
        &text,
        "https://open.feishu.cn/document/server-docs/group/chat-member/event/bot-events",
        "https://open.feishu.cn/document/bot-events",
    );
    let (_, outcomes) = draft_of("bot-events.md", text, "");
    assert_eq!(
        outcomes,
        [Outcome::Failed(
            "error: <dir>/corpus/bot-events.md: no place for its schema: the page has no API explorer link, its event type `p2p_chat_create` names no project and version (a 1.0 type), nor does its doc address `https://open.feishu.cn/document/bot-events`, and it sits in no <project>/<version> folder: import it alone with --out, or put it below a <project>/<version>/<resource>/ folder".into()
        )]
    );
}

/// `text` with the code of its section `name`'s example replaced by `code`.
fn with_example(text: &str, name: &str, code: &str) -> String {
    let section = text.find(&format!("### {name}\n")).unwrap();
    let open =
        section + text[section..].find("<md-code-json>\n").unwrap() + "<md-code-json>\n".len();
    let close = open + text[open..].find("</md-code-json>").unwrap();
    format!("{}{code}{}", &text[..open], &text[close..])
}

/// The draft written for `rel` below `drafts/`.
fn draft(dir: &tempfile::TempDir, rel: &str) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(drafts(dir).join(rel)).unwrap()).unwrap()
}

const UPDATE: &str = "im/v1/chat/update.md";

#[test]
fn comments_and_trailing_commas_in_an_example_are_read_as_meant() {
    let page = page_text(UPDATE);
    let commented = edit(
        &edit(
            &page,
            "    \"name\": \"群聊\",\n",
            "    \"name\": \"群聊\", // 群名称\n",
        ),
        "    \"hide_member_count_setting\": \"all_members\"\n}",
        "    \"hide_member_count_setting\": \"all_members\",\n}",
    );
    let (dir, outcomes) = import(&[("plain.md", page)]);
    let (edited_dir, edited) = import(&[("plain.md", commented)]);
    assert_eq!(batch::status(&outcomes), 0);
    assert_eq!(edited.len(), 1);
    let written = |dir: &tempfile::TempDir| {
        fs::read_to_string(drafts(dir).join("im/v1/chat/update.json")).unwrap()
    };
    assert_eq!(written(&edited_dir), written(&dir));
}

#[test]
fn an_example_that_is_no_json_is_kept_as_written_in_a_note() {
    let multipart = "---7MA4YWxkTrZu0gW\nContent-Disposition: form-data; name=\"name\";\n\n群聊\n---7MA4YWxkTrZu0gW\n";
    let cut_off = "{\n    \"code\": 0,\n    \"data\": {\n";
    let page = with_example(&page_text(UPDATE), "请求体示例", multipart);
    let page = with_example(&page, "响应体示例", cut_off);
    let (dir, outcomes) = import(&[("update.md", page)]);
    let file = dir.path().join("corpus/update.md");
    let target = drafts(&dir).join("im/v1/chat/update.json");
    assert_eq!(
        outcomes,
        [Outcome::Done(format!(
            "wrote {} (1 open decision(s))\n  decide: {}:874: the 响应体示例 is not JSON, so the draft keeps it as the page wrote it in `notes`: write the JSON it means into `examples` to test it",
            target.display(),
            file.display()
        ))]
    );
    let draft = draft(&dir, "im/v1/chat/update.json");
    assert_eq!(draft.get("examples"), None);
    let notes = draft["notes"].as_array().unwrap();
    let n = notes.len();
    assert_eq!(
        notes[n - 3..],
        [
            "请求体示例（页面原文，multipart/form-data 请求体，不是 JSON）：\n---7MA4YWxkTrZu0gW\nContent-Disposition: form-data; name=\"name\";\n\n群聊\n---7MA4YWxkTrZu0gW",
            "响应体示例（页面原文，不能按 JSON 读取：EOF while parsing an object at line 4 column 0）：\n{\n    \"code\": 0,\n    \"data\": {",
            // The page's request headers come last, as always.
            "请求头 `Content-Type`（必填）：**固定值**：\"application/json; charset=utf-8\"",
        ]
    );
}

#[test]
fn several_examples_in_one_block_keep_the_first_and_say_so() {
    let two = "// 1. 改名\n{\n    \"name\": \"群聊\"\n}\n\n// 2. 改描述\n{\n    \"description\": \"测试群描述\"\n}\n";
    let page = with_example(&page_text(UPDATE), "请求体示例", two);
    let (dir, outcomes) = import(&[("update.md", page)]);
    assert_eq!(
        outcomes,
        [Outcome::Done(format!(
            "wrote {} (1 open decision(s))\n  decide: {}:798: the 请求体示例 shows 2 JSON examples: the draft keeps the first; pick the one the schema should test",
            drafts(&dir).join("im/v1/chat/update.json").display(),
            dir.path().join("corpus/update.md").display()
        ))]
    );
    assert_eq!(
        draft(&dir, "im/v1/chat/update.json")["examples"]["request_body"],
        serde_json::json!({"name": "群聊"})
    );
}

const LIST: &str = "im/v1/chat/list.md";

/// The text `import` wrote for `name` alone, and its outcomes.
fn draft_of(name: &str, text: String, rel: &str) -> (String, Vec<Outcome>) {
    let (dir, outcomes) = import(&[(name, text)]);
    let written = fs::read_to_string(drafts(&dir).join(rel)).unwrap_or_default();
    let outcomes = outcomes
        .into_iter()
        .map(|o| {
            let line = o.line().replace(&dir.path().display().to_string(), "<dir>");
            match o {
                Outcome::Done(_) => Outcome::Done(line),
                Outcome::Skipped(_) => Outcome::Skipped(line),
                _ => Outcome::Failed(line),
            }
        })
        .collect();
    (written, outcomes)
}

#[test]
fn a_row_or_cell_left_open_ends_where_the_next_one_does() {
    let page = page_text(LIST);
    let (plain, _) = draft_of("list.md", page.clone(), "im/v1/chat/list.json");
    // The first error row loses its `</md-tr>`, the last its message's `</md-td>`.
    let open_row = edit(
        &page,
        "参数是否填写有误。</md-td>\n</md-tr>",
        "参数是否填写有误。</md-td>\n",
    );
    let open_cell = edit(
        &page,
        "<md-td>The app is unavailable or inactivated by the tenant.</md-td>",
        "<md-td>The app is unavailable or inactivated by the tenant.",
    );
    for text in [open_row, open_cell] {
        let (draft, outcomes) = draft_of("list.md", text, "im/v1/chat/list.json");
        assert_eq!(
            outcomes,
            [Outcome::Done(
                "wrote <dir>/drafts/im/v1/chat/list.json".into()
            )]
        );
        assert_eq!(draft, plain);
    }
}

#[test]
fn an_error_table_without_statuses_says_400_and_asks() {
    let page = page_text(LIST);
    let (plain, _) = draft_of("list.md", page.clone(), "im/v1/chat/list.json");
    let three = edit(
        &page,
        "            <md-th style=\"width: 15%;\">HTTP状态码</md-th>\n",
        "",
    )
    .replace("  <md-td>400</md-td>\n", "");
    let (draft, outcomes) = draft_of("list.md", three, "im/v1/chat/list.json");
    // Every code of the page is answered with 400: the same draft.
    assert_eq!(draft, plain);
    assert_eq!(
        outcomes,
        [Outcome::Done(
            "wrote <dir>/drafts/im/v1/chat/list.json (1 open decision(s))\n  decide: <dir>/corpus/list.md:523: the 错误码 table states no HTTP status: the draft says 400 for each of its codes; set the status each is answered with".into()
        )]
    );
}

#[test]
fn an_error_section_in_prose_lists_no_codes() {
    let page = page_text(LIST);
    let start = page.find("### 错误码\n").unwrap() + "### 错误码\n".len();
    let end = start + page[start..].find(":::\n").unwrap() + ":::\n".len();
    let prose = format!("{}{}", &page[..start], &page[end..]);
    let (draft, outcomes) = draft_of("list.md", prose, "im/v1/chat/list.json");
    assert_eq!(
        outcomes,
        [Outcome::Done(
            "wrote <dir>/drafts/im/v1/chat/list.json".into()
        )]
    );
    let draft: serde_json::Value = serde_json::from_str(&draft).unwrap();
    assert_eq!(draft["errors"], serde_json::json!([]));
}

#[test]
fn an_overview_listing_events_in_prose_is_skipped() {
    let overview = "<!--\ntitle: 会议室概述\nsource: https://open.feishu.cn/document/server-docs/vc-v1/room/room-overview\n-->\n# 会议室概述\n\n## 事件\n\n**[创建会议室](/ssl:ttdoc/uAjLw4CM/ukTMukTMukTM/reference/vc-v1/room/events/created)**\n";
    let (_, outcomes) = draft_of("overview.md", overview.into(), "");
    assert_eq!(
        outcomes,
        [Outcome::Skipped(
            "skipped <dir>/corpus/overview.md:7: describes no endpoint: an overview (its `事件` section lists events, with no table)".into()
        )]
    );
}

#[test]
fn a_field_that_writes_no_type_is_what_its_rows_and_example_say() {
    let page = page_text(UPDATE);
    let (plain, _) = draft_of("update.md", page.clone(), "im/v1/chat/update.json");
    let untyped = edit(
        &page,
        "<md-text type=\"field-type\" >i18n_names</md-text>",
        "<md-text type=\"field-type\" >/</md-text>",
    );
    // The example shows an object: the unnamed object takes the field's
    // name, which is the page's type name here.
    let (draft, outcomes) = draft_of("update.md", untyped.clone(), "im/v1/chat/update.json");
    assert_eq!(draft, plain);
    assert_eq!(
        outcomes,
        [Outcome::Done(
            "wrote <dir>/drafts/im/v1/chat/update.json".into()
        )]
    );
    // Without an example it is read as one object, and a human is asked.
    let no_example = with_example(&untyped, "请求体示例", "");
    let (_, outcomes) = draft_of("update.md", no_example, "im/v1/chat/update.json");
    assert_eq!(
        outcomes,
        [Outcome::Done(
            "wrote <dir>/drafts/im/v1/chat/update.json (1 open decision(s))\n  decide: <dir>/corpus/update.md:302: `i18n_names` writes no type and no example shows it: read as one object of the rows below it; make it a list (`[]`) if the page means one".into()
        )]
    );
}

/// `text` with the section `heading` (up to the next `###` or `##`) replaced
/// by `with`.
fn with_section(text: &str, heading: &str, with: &str) -> String {
    let start = text.find(&format!("{heading}\n")).unwrap();
    let after = start + heading.len() + 1;
    let end = after
        + text[after..]
            .find("\n##")
            .map_or(text.len() - after, |e| e + 1);
    format!("{}{with}{}", &text[..start], &text[end..])
}

#[test]
fn an_older_page_with_pipe_tables_reads_as_the_html_form() {
    // list.md the way the older pages write it: 请求参数 for the query, a
    // response table without a type column, 响应示例 for the example.
    let page = page_text(LIST);
    let page = with_section(
        &page,
        "### 查询参数",
        "### 请求参数\n|参数|类型|必须|说明|\n|--|-----|--|----|\n|page_size|int|否|分页大小<br>**示例值**：10|\n|page_token|string|否|分页标记|\n\n",
    );
    let page = with_section(
        &page,
        "### 响应体",
        "### 响应体\n|参数|说明|\n|--|--|\n|code|错误码|\n|data|-|\n|&emsp;∟items|群列表|\n|&emsp;&emsp;∟chat_id|群 ID|\n|&emsp;&emsp;∟external|是否是外部群|\n|&emsp;∟has_more|是否还有更多项|\n|&emsp;∟owner|群主|\n\n",
    )
    .replacen("### 响应体示例\n", "### 响应示例\n", 1);
    let (draft, outcomes) = draft_of("list.md", page, "im/v1/chat/list.json");
    let draft: serde_json::Value = serde_json::from_str(&draft).unwrap();
    let fields = |at: &serde_json::Value| -> Vec<String> {
        at["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{} {}",
                    f["name"].as_str().unwrap(),
                    f["type"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        fields(&draft["query"]),
        ["page_size integer", "page_token string"]
    );
    assert_eq!(draft["query"]["fields"][0]["example"], 10);
    assert_eq!(
        fields(&draft["response"]),
        ["items Items[]", "has_more boolean", "owner string"]
    );
    assert_eq!(
        fields(&draft["types"]["Items"]),
        ["chat_id string", "external boolean"]
    );
    // The cut table leaves keys of the page's example no field describes:
    // left out of the draft's example, each named.
    let left_out = |at: &str, key: &str, value: &str| {
        format!(
            "\n  decide: examples.response.data.{at}{key}: the example has `{key}`, which no field of the page describes: left out of the example: \"{value}\"; describe the field, or confirm the example is wrong"
        )
    };
    let mut expected = "wrote <dir>/drafts/im/v1/chat/list.json (9 open decision(s))\n  decide: <dir>/corpus/list.md:154: `owner` writes no type and no example shows a value: read as a string".to_owned();
    for (key, value) in [
        (
            "avatar",
            "https://p3-lark-file.byteimg.com/img/lark-avatar-staging/default-avatar_44ae0ca3-e140-494b-956f-78091e348435~100x100.jpg",
        ),
        ("name", "测试群名称"),
        ("description", "测试群描述"),
        ("owner_id", "4d7a3c6g"),
        ("owner_id_type", "user_id"),
        ("tenant_key", "736588c9260f175e"),
        ("chat_status", "normal"),
    ] {
        expected.push_str(&left_out("items[0].", key, value));
    }
    expected.push_str(&left_out(
        "",
        "page_token",
        "dmJCRHhpd3JRbGV1VEVNRFFyTitRWDY5ZFkybmYrMEUwMUFYT0VMMWdENEtuYUhsNUxGMDIwemtvdE5ORjBNQQ==",
    ));
    assert_eq!(outcomes, [Outcome::Done(expected)]);
}

#[test]
fn a_section_that_says_none_has_no_fields() {
    let page = with_section(&page_text(LIST), "### 查询参数", "### 查询参数\n无\n\n");
    let (draft, outcomes) = draft_of("list.md", page, "im/v1/chat/list.json");
    assert_eq!(
        outcomes,
        [Outcome::Done(
            "wrote <dir>/drafts/im/v1/chat/list.json".into()
        )]
    );
    let draft: serde_json::Value = serde_json::from_str(&draft).unwrap();
    assert_eq!(draft.get("query"), None);
}

#[test]
fn an_address_without_a_version_is_placed_at_v1() {
    let text = edit(
        &edit(
            &page_text("im/v1/chat/get.md"),
            "{尝试一下}(url=/api/tools/api_explore/api_explore_config?project=im&version=v1&resource=chat&method=get)",
            "",
        ),
        "https://open.feishu.cn/open-apis/im/v1/chats/:chat_id",
        "https://open.feishu.cn/open-apis/meeting_room/summary/batch_get",
    );
    let (draft, outcomes) = draft_of("summary.md", text, "meeting_room/v1/summary/batch_get.json");
    assert_eq!(
        outcomes,
        [Outcome::Done(
            "wrote <dir>/drafts/meeting_room/v1/summary/batch_get.json".into()
        )]
    );
    let draft: serde_json::Value = serde_json::from_str(&draft).unwrap();
    assert_eq!(draft["path"], "/open-apis/meeting_room/summary/batch_get");
}
