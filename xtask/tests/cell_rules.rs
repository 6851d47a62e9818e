//! The description-cell rules are one function for both page forms: the same
//! 数据校验规则 and value lists give the same limits in either.

use std::path::Path;

use xtask::page::{self, Field};

const RENDERED: &str = include_str!("fixtures/im-v1-chat-create.md");

fn raw(rel: &str) -> String {
    let docs = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../pages/im/v1"));
    std::fs::read_to_string(docs.join(rel)).unwrap()
}

fn field<'a>(fields: &'a [Field], name: &str) -> &'a Field {
    fields.iter().find(|f| f.name == name).unwrap()
}

#[test]
fn rules_beyond_length_in_the_rendered_form() {
    let text = RENDERED.replacen(
        "- 最大长度：`50` 字符",
        "- 最大长度：`50` 字符  \n- 最小长度：`8` 字符  \n- 正则校验：`^[a-z0-9-]+$`",
        1,
    );
    let page = page::parse("page.md", &text).unwrap();
    let uuid = &field(&page.query, "uuid").limits;
    assert_eq!((uuid.min_length, uuid.max_length), (Some(8), Some(50)));
    assert_eq!(uuid.pattern.as_deref(), Some("^[a-z0-9-]+$"));
}

#[test]
fn range_in_the_source_form() {
    let text = raw("chat/list.md").replacen("- 最大值：`100`", "- 取值范围：`1` ～ `100`", 1);
    let page = page::parse_any("list.md", &text).unwrap();
    let size = &field(&page.query, "page_size").limits;
    assert_eq!((size.minimum, size.maximum), (Some(1), Some(100)));
}

/// `长度范围` bounds a string's length and an array's item count, as the
/// corpus writes it (`` `1`~`10,000`字符 ``, `` `0` ～ `100` ``).
#[test]
fn length_range_for_strings_and_arrays() {
    let text = RENDERED
        .replacen("- 最大长度：`50` 字符", "- 长度范围：`1`~`10,000`字符", 1)
        .replacen("- 最大长度：`50`\n", "- 长度范围：`0` ～ `50`\n", 1);
    let page = page::parse("page.md", &text).unwrap();
    let uuid = &field(&page.query, "uuid").limits;
    assert_eq!((uuid.min_length, uuid.max_length), (Some(1), Some(10_000)));
    let users = &field(&page.body, "user_id_list").limits;
    assert_eq!((users.min_items, users.max_items), (Some(0), Some(50)));
}

/// The corpus's other spellings of a list and a number: `array&lt;T&gt;`,
/// `list<T>` and `number(float)`, read as `T[]` and `number`.
#[test]
fn generic_lists_and_narrowed_numbers() {
    use xtask::page::FieldType;
    let text = raw("chat/create.md")
        .replacen(
            r#"<md-text type="field-type" >string\[\]</md-text>"#,
            r#"<md-text type="field-type" >array&lt;string&gt;</md-text>"#,
            1,
        )
        .replacen(
            r#"<md-text type="field-type" >string\[\]</md-text>"#,
            r#"<md-text type="field-type" >List<array<string>></md-text>"#,
            1,
        );
    let page = page::parse_any("create.md", &text).unwrap();
    let list = |item| FieldType::Array(Box::new(item));
    assert_eq!(
        field(&page.body, "user_id_list").ty,
        list(FieldType::String)
    );
    assert_eq!(
        field(&page.body, "bot_id_list").ty,
        list(list(FieldType::String))
    );
    let text = raw("chat/list.md").replacen(
        r#"<md-text type="field-type" >int</md-text>"#,
        r#"<md-text type="field-type" >number(float)</md-text>"#,
        1,
    );
    let page = page::parse_any("list.md", &text).unwrap();
    assert_eq!(field(&page.query, "page_size").ty, FieldType::Number);
}

#[test]
fn unknown_rule_is_an_error_at_its_line() {
    let text = raw("chat/list.md");
    let line = text.lines().position(|l| l == "- 最大值：`100`").unwrap() + 1;
    let text = text.replacen("- 最大值：`100`", "- 步长：`5`", 1);
    let err = page::parse_any("list.md", &text).unwrap_err();
    assert_eq!(err.line, line, "{err}");
    assert!(err.message.contains("步长"), "{err}");
}

/// The corpus's odd bounds: a range under 最大值 (`1 ～ 100` with spaces
/// and full-width tilde), whole numbers written as decimals, a bound beyond
/// 64 bits (the page's "no bound"), and a rule in prose.
#[test]
fn odd_bounds_are_read_as_meant_and_doubtful_ones_said() {
    use xtask::page::Misfit;
    let read = |rule: &str| {
        let text = raw("chat/list.md").replacen("- 最大值：`100`", rule, 1);
        let page = page::parse_any("list.md", &text).unwrap();
        let size = field(&page.query, "page_size").clone();
        ((size.limits.minimum, size.limits.maximum), size.misfits)
    };
    assert_eq!(
        read("- 最大值：`1 ～ 100`"),
        (
            (Some(1), Some(100)),
            vec![Misfit {
                line: 240,
                message: "the rule `最大值：`1 ～ 100`` of `page_size` states a range: read as 取值范围 (both ends)".into()
            }]
        )
    );
    assert_eq!(
        read("- 取值范围：`0.0` ～ `360.0`"),
        ((Some(0), Some(360)), vec![])
    );
    assert_eq!(
        read("- 取值范围：`-10000000000000000000` ～ `100`"),
        (
            (None, Some(100)),
            vec![Misfit {
                line: 240,
                message: "the bound `-10000000000000000000` of `page_size` is beyond a 64-bit integer: left out".into()
            }]
        )
    );
    assert_eq!(
        read("- 单个值需为字符串类型且不能包含 \",\""),
        (
            (None, None),
            vec![Misfit {
                line: 240,
                message: "the rule `单个值需为字符串类型且不能包含 \",\"` of `page_size` is prose, not `规则：值`: left out; write it as a `rules` entry if it can be checked".into()
            }]
        )
    );
    // A decimal that is no whole number is still an error, naming it.
    let text = raw("chat/list.md").replacen("- 最大值：`100`", "- 最大值：`0.5`", 1);
    let err = page::parse_any("list.md", &text).unwrap_err();
    assert_eq!(
        err.to_string(),
        "list.md:240: the limit ``0.5`` is not a whole number"
    );
}

/// `map<string, T>` (brackets escaped or not, any spacing) is read as a
/// map of T, and `union` as any JSON value; a map keyed by anything but
/// strings, or of a list of page-named types, stays an unknown type, at
/// its line.
#[test]
fn maps_keyed_by_strings() {
    use xtask::page::FieldType;
    let cell = |ty: &str| {
        raw("chat/create.md").replacen(
            r#"<md-text type="field-type" >string\[\]</md-text>"#,
            &format!(r#"<md-text type="field-type" >{ty}</md-text>"#),
            1,
        )
    };
    let map = |value| FieldType::Map(Box::new(value));
    let read = |ty: &str| {
        let page = page::parse_any("create.md", &cell(ty)).unwrap();
        field(&page.body, "user_id_list").ty.clone()
    };
    assert_eq!(read("map&lt;string, string&gt;"), map(FieldType::String));
    assert_eq!(read("map<string,int>"), map(FieldType::Integer));
    assert_eq!(
        read("map&lt;string, string\\[\\]&gt;"),
        map(FieldType::Array(Box::new(FieldType::String)))
    );
    assert_eq!(
        read("map<string, map<string, boolean>>[]"),
        FieldType::Array(Box::new(map(map(FieldType::Boolean))))
    );
    assert_eq!(
        read("map<string, string>").to_string(),
        "map<string, string>"
    );
    assert_eq!(read("map&lt;string, union&gt;"), map(FieldType::Json));
    assert_eq!(read("union"), FieldType::Json);
    assert_eq!(read("map<string, union>").to_string(), "map<string, json>");
    assert_eq!(
        read("map&lt;string, abnormal_code&gt;"),
        map(FieldType::Object("abnormal_code".into()))
    );
    for unknown in ["map<int, string>", "map<string, a.b[]>"] {
        let text = cell(unknown);
        // The error names the line that opens the type cell, the one
        // before the cell's text.
        let line = text.lines().position(|l| l.contains(unknown)).unwrap();
        let err = page::parse_any("create.md", &text).unwrap_err();
        assert_eq!(err.line, line, "{err}");
        assert_eq!(
            err.message,
            format!("unknown type `{unknown}` for `user_id_list`"),
            "{err}"
        );
    }
}

/// `interface` (older sheets pages) and `Object` with no rows below hold any
/// value: a sheet's cells are text, numbers or links. With rows below,
/// `interface` is an object of them.
#[test]
fn interface_and_object_with_no_rows_are_any_value() {
    use xtask::page::FieldType;
    let pages = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../pages/sheets/v2"));
    let read = |rel: &str| page::read(&pages.join(rel)).unwrap();
    let grid = FieldType::Array(Box::new(FieldType::Array(Box::new(FieldType::Json))));
    let update = read("spreadsheet_value/update.md");
    assert_eq!(
        field(&field(&update.body, "valueRange").fields, "values").ty,
        grid
    );
    let get = read("spreadsheet_value/get.md");
    assert_eq!(
        field(&field(&get.response, "valueRange").fields, "values").ty,
        grid
    );
    let meta = read("spreadsheet_metainfo/get.md");
    let sheets = field(&meta.response, "sheets");
    assert_eq!(
        sheets.ty,
        FieldType::Array(Box::new(FieldType::Object("-".into())))
    );
    assert!(sheets.fields.iter().any(|f| f.name == "merges"));
}
