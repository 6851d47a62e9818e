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
    // The column of the `>` of the block quote whose paragraph is open.
    let mut quote: Option<usize> = None;
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
            quote = None;
            out.push(line);
        } else if let Some(marker) = list_marker(trimmed) {
            item = Some(indent + marker);
            quote = None;
            out.push(line);
        } else if trimmed.starts_with('>') {
            quote = Some(indent);
            out.push(line);
        } else if let Some(column) = quote {
            // A line after a quote continues the quote's paragraph: it
            // gets the quote's marker.
            out.push(format!("{}> {trimmed}", " ".repeat(column)));
        } else if let Some(column) = item {
            out.push(format!("{}{trimmed}", " ".repeat(column)));
        } else {
            out.push(line);
        }
    }
    out.join("\n")
}

/// The width of the list marker `line` starts with, the spaces after it
/// included (the item's text starts there): `- `, `* `, `+ `, `1. ` or
/// `1) `, then up to four spaces.
fn list_marker(line: &str) -> Option<usize> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let marker = match line.as_bytes()[digits..] {
        [b'-' | b'*' | b'+', b' ', ..] if digits == 0 => 1,
        [b'.' | b')', b' ', ..] if digits > 0 => digits + 1,
        _ => return None,
    };
    let spaces = line[marker..].bytes().take_while(|b| *b == b' ').count();
    Some(marker + spaces.min(4))
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
    fn an_item_whose_marker_has_two_spaces_continues_at_its_text() {
        assert_eq!(
            tidy("-  可通过接口获取\n  **字段权限要求**"),
            "-  可通过接口获取\n   **字段权限要求**"
        );
    }

    #[test]
    fn a_line_after_a_quote_continues_the_quote() {
        assert_eq!(
            tidy("- 请求头：标识。\n  > 建议使用唯一 ID\n  **示例值**：\"ou_5a\"\n- 下一项"),
            "- 请求头：标识。\n  > 建议使用唯一 ID\n  > **示例值**：\"ou_5a\"\n- 下一项"
        );
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
