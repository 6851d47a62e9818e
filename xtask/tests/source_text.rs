//! Text the doc-source form writes in its own way, read as the rendered
//! form writes it, so both forms of a page import alike: links in full,
//! bold as `**`, no colour tags, enum items that run over lines. Each case
//! is a real page of `pages/`.

use std::path::Path;

use xtask::page::{self, Field, Page};

fn page(rel: &str) -> Page {
    let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pages");
    page::read(&pages.join(rel)).unwrap()
}

/// The field at `path` (names from the top), below `fields`.
fn at<'a>(fields: &'a [Field], path: &[&str]) -> &'a Field {
    let (first, rest) = path.split_first().unwrap();
    let field = fields
        .iter()
        .find(|f| f.name == *first)
        .unwrap_or_else(|| panic!("no field `{first}`"));
    match rest {
        [] => field,
        _ => at(&field.fields, rest),
    }
}

#[test]
fn a_link_whose_target_starts_after_a_tab_is_written_in_full() {
    let file_key = &page("im/v1/file/get.md").path_params[0];
    assert!(
        file_key
            .description
            .contains("[上传文件](\thttps://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/file/create)"),
        "{}",
        file_key.description
    );
}

#[test]
fn a_link_with_no_scheme_is_written_with_https() {
    let errors = page("drive/v1/file/get_subscribe.md").errors;
    let advice: Vec<&str> = errors.iter().map(|e| e.advice.as_str()).collect();
    assert!(
        advice.iter().any(|a| a.contains(
            "![](https://sf3-cn.feishucdn.com/obj/open-platform-opendoc/22c027f63c540592d3ca8f41d48bb107_CSas7OYJBR.png"
        )),
        "{advice:?}"
    );
    assert!(!advice.iter().any(|a| a.contains("](//")), "{advice:?}");
}

#[test]
fn a_link_whose_target_starts_on_the_next_line_is_written_in_full() {
    let errors = page("wiki/v2/task/get.md").errors;
    assert!(
        errors.iter().any(|e| e
            .advice
            .contains("](\nhttps://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/drive-v1/faq#b02e5bfb)")),
        "{:?}",
        errors.iter().map(|e| &e.advice).collect::<Vec<_>>()
    );
}

#[test]
fn colour_tags_are_dropped_and_bold_is_written_with_stars() {
    let notes = page("docx/v1/chat_announcement_block/get.md").notes;
    assert!(
        notes
            .iter()
            .any(|n| n.contains("HTTP 状态码 400 及错误码 99991400")),
        "{notes:?}"
    );
    assert!(!notes.iter().any(|n| n.contains("<font")), "{notes:?}");
    let notes = page("corehr/v1/job_data/patch.md").notes;
    assert!(
        notes.iter().any(|n| n.contains("已于 **2024.10.18** 日")),
        "{notes:?}"
    );
}

#[test]
fn an_enum_item_that_runs_over_lines_is_a_value() {
    let get = page("wiki/v2/space/get.md");
    let space_type = at(&get.response, &["space", "space_type"]);
    let values: Vec<&str> = space_type.values.iter().map(|(v, _)| v.as_str()).collect();
    assert_eq!(values, ["team", "person", "my_library"]);
    assert_eq!(
        space_type.values[1].1,
        "个人空间（旧版，已下线），归个人管理。一人仅可拥有一个，无法添加其他管理员"
    );
}

#[test]
fn a_no_break_space_entity_in_a_cell_is_a_space() {
    let create = page("helpdesk/v1/ticket_message/create.md");
    let content = at(&create.body, &["content"]);
    assert!(
        content.description.contains("\"text\": \"第一行 :\""),
        "{}",
        content.description
    );
    assert!(!content.description.contains("&nbsp;"));
}
