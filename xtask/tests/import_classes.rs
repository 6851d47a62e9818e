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
fn a_1_0_event_page_without_a_link_names_what_is_missing() {
    // The 1.0 event page of `pages/` sits below im/v1; in a flat folder its
    // type names no place.
    let text = page_text("im/v1/bot/events/p2p_chat_create.md");
    let (dir, outcomes) = import(&[("bot-events.md", text)]);
    assert_eq!(
        outcomes,
        [Outcome::Failed(format!(
            "error: {}: no place for its schema: the page has no API explorer link, its event type `p2p_chat_create` names no project and version (a 1.0 type), and it sits in no <project>/<version> folder: import it alone with --out, or put it below a <project>/<version>/<resource>/ folder",
            dir.path().join("corpus/bot-events.md").display()
        ))]
    );
    assert_eq!(batch::status(&outcomes), 2);
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
