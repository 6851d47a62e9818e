//! A page's text made into doc-comment markdown that reads the same and
//! that clippy's doc lints accept. Page text continues a list item on the
//! next line without indenting it, indents pasted examples inside one, and
//! has tabs; markdown joins such lines into the item's paragraph anyway
//! (lazy continuation), so indenting every such line to the item's text
//! column changes nothing rendered.

/// `text` with tabs as four spaces and each line that continues a list
/// item's paragraph indented to the item's text column. Lines in a code
/// fence are left alone.
pub fn tidy(text: &str) -> String {
    let mut out = Vec::new();
    // The text column of the list item whose paragraph is open.
    let mut item: Option<usize> = None;
    let mut fenced = false;
    for line in text.lines() {
        let line = line.replace('\t', "    ");
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with("```") {
            fenced = !fenced;
            item = None;
            out.push(line);
            continue;
        }
        if fenced {
            out.push(line);
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            item = None;
            out.push(line);
        } else if let Some(marker) = list_marker(trimmed) {
            item = Some(indent + marker);
            out.push(line);
        } else if let Some(column) = item {
            out.push(format!("{}{trimmed}", " ".repeat(column)));
        } else {
            out.push(line);
        }
    }
    out.join("\n")
}

/// The width of the list marker `line` starts with, space included:
/// `- `, `* `, `+ `, `1. ` or `1) `.
fn list_marker(line: &str) -> Option<usize> {
    if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) {
        return Some(2);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && (rest.starts_with(". ") || rest.starts_with(") "))).then_some(digits + 2)
}

#[cfg(test)]
mod tests {
    use super::tidy;

    #[test]
    fn a_line_that_continues_a_list_item_is_indented_to_its_text() {
        assert_eq!(
            tidy("- `open_id`: 标识一个用户\n具体操作参见文档。\n\n段落"),
            "- `open_id`: 标识一个用户\n  具体操作参见文档。\n\n段落"
        );
        assert_eq!(tidy("10. 十\n续"), "10. 十\n    续");
    }

    #[test]
    fn a_pasted_example_in_a_list_item_takes_the_item_column() {
        assert_eq!(
            tidy("- 响应体示例：\n{\n    \"code\": 0\n}"),
            "- 响应体示例：\n  {\n  \"code\": 0\n  }"
        );
    }

    #[test]
    fn tabs_become_spaces_and_fences_and_plain_paragraphs_stay() {
        assert_eq!(tidy("a\tb\nc"), "a    b\nc");
        assert_eq!(
            tidy("- item\n```json\n{\n    \"a\": 1\n}\n```\nafter"),
            "- item\n```json\n{\n    \"a\": 1\n}\n```\nafter"
        );
        assert_eq!(
            tidy("# Notes\n\n- one\n- two\n\ntext"),
            "# Notes\n\n- one\n- two\n\ntext"
        );
    }
}
