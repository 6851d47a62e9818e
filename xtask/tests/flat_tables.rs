//! The rendered form's field tables are flat: which rows an object owns is
//! read from the example and from the order of the rows. Each case is the
//! create-chat page with its request body table and example replaced.

use xtask::page::{self, Field, FieldType};

const RENDERED: &str = include_str!("fixtures/im-v1-chat-create.md");

/// The create-chat page with `rows` as its request body table and
/// `example` as its request body example.
fn body(rows: &str, example: &str) -> Vec<Field> {
    let start = RENDERED.find("### 请求体\n").unwrap();
    let end = RENDERED.find("## 响应\n").unwrap();
    let text = format!(
        "{}### 请求体\n\n名称 | 类型 | 必填 | 描述\n--- | --- | --- | ---\n{rows}\n\n### 请求体示例\n```json\n{example}\n```\n\n{}",
        &RENDERED[..start],
        &RENDERED[end..]
    );
    page::parse("page.md", &text).unwrap().body
}

/// Each field as `name(children)`, to compare a tree at a glance.
fn tree(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|f| match f.fields.is_empty() {
            true => f.name.clone(),
            false => format!("{}({})", f.name, tree(&f.fields)),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_item_of_a_list_tells_the_keys() {
    // Only the second tab shows `tab_content`, only the third `url` in it.
    let rows = "tabs | tab\\[\\] | 否 | 标签页\n\
                tab_id | string | 否 | ID\n\
                tab_content | tab_content | 否 | 内容\n\
                url | string | 否 | URL\n\
                doc | string | 否 | 文档\n\
                tab_name | string | 否 | 名称";
    let example = r#"{"tabs": [{"tab_id": "1"},
        {"tab_id": "2", "tab_content": {"doc": "d"}, "tab_name": "n"},
        {"tab_content": {"url": "u"}}]}"#;
    assert_eq!(
        tree(&body(rows, example)),
        "tabs(tab_id tab_content(url doc) tab_name)"
    );
}

#[test]
fn rows_no_example_shows_stay_with_the_object_they_follow() {
    // `meeting_minute` follows the content's last known row; `icon` opens an
    // object the example leaves out, and owns the unknown rows after it.
    let rows = "tab | tab | 否 | 标签页\n\
                content | tab_content | 否 | 内容\n\
                url | string | 否 | URL\n\
                meeting_minute | string | 否 | 纪要\n\
                config | tab_config | 否 | 配置\n\
                icon | icon | 否 | 图标\n\
                key | string | 否 | 键\n\
                size | int | 否 | 大小";
    let example = r#"{"tab": {"content": {"url": "u"}, "config": {}}}"#;
    assert_eq!(
        tree(&body(rows, example)),
        "tab(content(url meeting_minute) config(icon(key size)))"
    );
}

#[test]
fn an_object_whose_example_shows_none_of_its_rows_leaves_the_rest_to_its_parent() {
    // The example shows `leaders` with keys the table does not have, so
    // `employee_types`, which no example shows either, is the department's.
    let rows = "department | department | 否 | 部门\n\
                name | string | 否 | 名称\n\
                leaders | leader\\[\\] | 否 | 负责人\n\
                employee_types | int\\[\\] | 否 | 人员类型\n\
                hrbps | string\\[\\] | 否 | HRBP";
    let example =
        r#"{"department": {"name": "n", "leaders": [{"leaderID": "x"}], "hrbps": ["h"]}}"#;
    assert_eq!(
        tree(&body(rows, example)),
        "department(name leaders employee_types hrbps)"
    );
}

#[test]
fn a_type_written_out_under_several_fields_ends_where_its_rows_do() {
    // Three fields of type `text`, each followed by the same rows; the
    // example shows only the second.
    let text_rows = "style | text_style | 否 | 样式\n\
                     align | int | 否 | 对齐\n\
                     folded | boolean | 否 | 折叠\n\
                     elements | element\\[\\] | 否 | 元素\n\
                     content | string | 否 | 内容";
    let rows = format!(
        "block | block | 否 | 块\n\
         block_id | string | 否 | ID\n\
         page | text | 否 | 页面\n{text_rows}\n\
         heading1 | text | 否 | 标题\n{text_rows}\n\
         bullet | text | 否 | 列表\n{text_rows}\n\
         parent_id | string | 否 | 父块"
    );
    let example = r#"{"block": {"block_id": "b", "heading1": {"elements": [{"content": "c"}], "style": {"align": 1}}, "parent_id": "p"}}"#;
    let one = "style(align folded) elements(content)";
    assert_eq!(
        tree(&body(&rows, example)),
        format!("block(block_id page({one}) heading1({one}) bullet({one}) parent_id)")
    );
}

#[test]
fn a_map_of_objects_is_nested_by_its_values() {
    let rows = "errors | map&lt;string, field_error&gt; | 否 | 错误\n\
                code | int | 否 | 错误码\n\
                message | string | 否 | 说明\n\
                total | int | 否 | 总数";
    let example = r#"{"errors": {"a": {"code": 1}, "b": {"message": "m"}}, "total": 2}"#;
    let fields = body(rows, example);
    assert_eq!(tree(&fields), "errors(code message) total");
    assert_eq!(
        fields[0].ty,
        FieldType::Map(Box::new(FieldType::Object("field_error".into())))
    );
}

#[test]
fn a_text_broken_over_lines_in_the_example_is_read_as_meant() {
    // The page breaks a string value over lines; the example still reads,
    // so the rows nest by it.
    let rows = "name | i18n_text | 否 | 名称\n\
                default_value | string | 否 | 默认值\n\
                order | int | 否 | 排序";
    let example = "{\"name\": {\"default_value\": \"张三\n\n长度范围：1-64 字符\"}, \"order\": 1}";
    assert_eq!(tree(&body(rows, example)), "name(default_value) order");
}

#[test]
fn a_pipe_with_no_space_beside_it_in_a_row_with_too_many_cells_is_text() {
    let rows = "id | string | 否 | 部门 ID，正则校验：^0|[^od][A-Za-z0-9]* 之一";
    let fields = body(rows, r#"{"id": "x"}"#);
    assert_eq!(
        fields[0].description,
        "部门 ID，正则校验：^0|[^od][A-Za-z0-9]* 之一"
    );
}

#[test]
fn a_pipe_in_a_link_target_is_part_of_the_address() {
    let rows = "email | string | 否 | 邮箱，参考[设置邮箱](https://www.feishu.cn/hc/zh-CN/articles/1#tabs0|lineguid-bkqnq)";
    let fields = body(rows, r#"{"email": "x"}"#);
    assert_eq!(
        fields[0].description,
        "邮箱，参考[设置邮箱](https://www.feishu.cn/hc/zh-CN/articles/1#tabs0|lineguid-bkqnq)"
    );
}

#[test]
fn a_name_an_object_has_taken_is_an_outer_field() {
    // Each user has a `name`; the second `name` is the event's, as the
    // example shows both.
    let rows = "chat_id | string | 否 | 群\n\
                users | user\\[\\] | 否 | 用户\n\
                name | string | 否 | 用户名\n\
                user_id | user_id | 否 | ID\n\
                open_id | string | 否 | Open ID\n\
                name | string | 否 | 群名";
    let example =
        r#"{"chat_id": "c", "users": [{"name": "u", "user_id": {"open_id": "o"}}], "name": "g"}"#;
    assert_eq!(
        tree(&body(rows, example)),
        "chat_id users(name user_id(open_id)) name"
    );
}

#[test]
fn a_key_an_object_has_taken_says_nothing_of_the_rows_after_it() {
    // The category's `helpdesk_id` is not the FAQ's second one: the FAQ
    // took its own at the top.
    let rows = "items | faq\\[\\] | 否 | 问题\n\
                helpdesk_id | string | 否 | 服务台\n\
                categories | category\\[\\] | 否 | 分类\n\
                category_id | string | 否 | 分类 ID\n\
                helpdesk_id | string | 否 | 服务台\n\
                tags | string\\[\\] | 否 | 标签";
    let example = r#"{"items": [{"helpdesk_id": "h", "tags": ["t"]}]}"#;
    assert_eq!(
        tree(&body(rows, example)),
        "items(helpdesk_id categories(category_id helpdesk_id) tags)"
    );
}

#[test]
fn rows_repeated_under_each_field_of_a_type_are_its_own_though_an_outer_example_names_them() {
    // The record's example has an `id`; the rows after each `person` are
    // still the person's, as the two copies show.
    let rows = "record | record | 否 | 记录\n\
                created_by | person | 否 | 创建人\n\
                id | string | 否 | 用户 ID\n\
                name | string | 否 | 用户名\n\
                created_time | int | 否 | 创建时间\n\
                modified_by | person | 否 | 修改人\n\
                id | string | 否 | 用户 ID\n\
                name | string | 否 | 用户名\n\
                id | string | 否 | 记录 ID";
    let example = r#"{"record": {"created_time": 1, "id": "r"}}"#;
    assert_eq!(
        tree(&body(rows, example)),
        "record(created_by(id name) created_time modified_by(id name) id)"
    );
}
