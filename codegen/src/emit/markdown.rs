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
            // A fence with no language would be a Rust doctest: page
            // examples are not Rust.
            let opens_bare = !fenced && trimmed.trim_end() == "```";
            fenced = !fenced;
            item = None;
            out.push(if opens_bare {
                format!("{}```text", &line[..indent])
            } else {
                line
            });
            continue;
        }
        if fenced {
            out.push(line);
            continue;
        }
        let line = inline(&line);
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            item = None;
            quote = None;
            out.push(line);
        } else if let Some(marker) = list_marker(trimmed) {
            // An item may open with another (`- - text`): the text column
            // is the innermost one's.
            let mut column = indent + marker;
            while let Some(inner) = list_marker(&line[column..]) {
                column += inner;
            }
            item = Some(column);
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
    balanced_html(&out.join("\n"))
}

/// `line` with what rustdoc would misread in page text made plain: a
/// bracketed text that is no link (`设置 fields 为 [1]`) escaped, so that
/// rustdoc does not look for an item `1`, and a bare URL made an autolink
/// (`<https://…>`). Code spans, links (`[text](url)`) and the generator's
/// own intra-doc links (`` [`Name`] ``) stay as they are.
fn inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut code = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let before = i.checked_sub(1).map(|j| chars[j]);
        if c == '`' {
            code = !code;
        } else if !code && c == '[' && before != Some('\\') {
            let Some(close) = closing_bracket(&chars, i) else {
                // Closed on a later line: a link's text that runs on (kept),
                // or pasted JSON (`"data":[{`), which rustdoc would read as
                // a link across the lines.
                let json = matches!(chars.get(i + 1), None | Some('{' | '"' | '[' | ' '));
                out.push_str(if json { "\\[" } else { "[" });
                i += 1;
                continue;
            };
            {
                let inner: String = chars[i + 1..close].iter().collect();
                let after = chars.get(close + 1);
                // The generator's own links name an item: `` [`Name`] ``,
                // `` [`crate::ErrorKind::Api`] ``.
                let item = inner.len() > 2
                    && inner.starts_with('`')
                    && inner.ends_with('`')
                    && inner[1..inner.len() - 1]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
                // Page text defines no references: `[a][b]` is two texts.
                let link = after == Some(&'(') || item;
                if !link {
                    out.push_str("\\[");
                    out.push_str(&inline(&inner));
                    out.push_str("\\]");
                    i = close + 1;
                    continue;
                }
            }
        } else if !code
            && (line_at(&chars, i, "https://") || line_at(&chars, i, "http://"))
            && (!matches!(before, Some('(' | '<' | '[' | '=')) || target_of_a_line_above(&chars, i))
        {
            let end = (i..chars.len())
                .find(|&j| {
                    !chars[j].is_ascii_graphic() || matches!(chars[j], '<' | '>' | '"' | '\'' | ')')
                })
                .unwrap_or(chars.len());
            let mut end = end;
            while end > i && matches!(chars[end - 1], '.' | ',' | ';' | ':' | '!' | '?') {
                end -= 1;
            }
            out.push('<');
            out.extend(&chars[i..end]);
            out.push('>');
            i = end;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Whether the URL at `at` follows `](` whose `[` is not on this line: a
/// link whose text began on a line above, or a stray `](` a page left. As
/// `<url>` it is the destination of the one and a link in the other.
fn target_of_a_line_above(chars: &[char], at: usize) -> bool {
    at >= 2
        && chars[at - 2] == ']'
        && chars[at - 1] == '('
        && !(0..at - 2).any(|j| chars[j] == '[' && (j == 0 || chars[j - 1] != '\\'))
}

/// `text` with every HTML tag rustdoc would find unclosed or unopened, and
/// an HTML comment never closed, written as text (`&lt;strong>`). Page text
/// opens `<strong>` and never closes it; void tags (`<br>`) need no close.
fn balanced_html(text: &str) -> String {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut fenced = false;
    let mut open: Vec<String> = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        let mut code = false;
        for (k, c) in line.char_indices() {
            let i = at + k;
            if c == '`' {
                code = !code;
            }
            if c != '<' || code || fenced {
                out.push(c);
                continue;
            }
            let rest = &lower[i + 1..];
            let closing = rest.starts_with('/');
            let name: String = rest[usize::from(closing)..]
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            let after = rest[usize::from(closing) + name.len()..].chars().next();
            let is_tag = name.starts_with(|c: char| c.is_ascii_alphabetic())
                && after.is_some_and(|a| a == '>' || a == '/' || a.is_whitespace());
            let self_closed = rest.find('>').is_some_and(|end| rest[..end].ends_with('/'));
            let text_here = if rest.starts_with("!--") {
                !rest.contains("-->")
            } else if !is_tag || self_closed || VOID.contains(&name.as_str()) {
                false
            } else if closing {
                match open.iter().rposition(|o| *o == name) {
                    Some(p) => {
                        open.truncate(p);
                        false
                    }
                    None => true,
                }
            } else if rest.contains(&format!("</{name}")) {
                open.push(name);
                false
            } else {
                true
            };
            out.push_str(if text_here { "&lt;" } else { "<" });
        }
        at += line.len();
    }
    out
}

/// The `]` that closes the `[` at `open`, on the same line, outside code.
fn closing_bracket(chars: &[char], open: usize) -> Option<usize> {
    let mut code = false;
    for (j, &c) in chars.iter().enumerate().skip(open + 1) {
        match c {
            '`' => code = !code,
            ']' if !code => return Some(j),
            '[' if !code => return None,
            _ => {}
        }
    }
    None
}

/// Whether `chars` spell `word` from `at` on.
fn line_at(chars: &[char], at: usize, word: &str) -> bool {
    word.chars()
        .enumerate()
        .all(|(k, w)| chars.get(at + k) == Some(&w))
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
    fn a_line_that_continues_an_item_of_an_item_is_indented_to_the_inner_text() {
        assert_eq!(
            tidy("- - [查询\n】](https://x) 延迟"),
            "- - [查询\n    】](<https://x>) 延迟"
        );
    }

    #[test]
    fn a_line_that_continues_a_list_item_is_indented_to_its_text() {
        assert_eq!(
            tidy("- `open_id`: 标识一个用户\n具体操作参见文档。\n\n段落"),
            "- `open_id`: 标识一个用户\n  具体操作参见文档。\n\n段落"
        );
        assert_eq!(tidy("10. 十\n续"), "10. 十\n    续");
    }

    #[test]
    fn brackets_that_are_no_link_are_escaped_and_links_stay() {
        assert_eq!(tidy("设置 fields 为 [1]。"), "设置 fields 为 \\[1\\]。");
        assert_eq!(
            tidy("见[文档](https://open.feishu.cn/a)"),
            "见[文档](https://open.feishu.cn/a)"
        );
        assert_eq!(tidy("See [`ErrorKind::Api`]."), "See [`ErrorKind::Api`].");
        assert_eq!(tidy("`a[1]` 与 [x]"), "`a[1]` 与 \\[x\\]");
    }

    #[test]
    fn a_fence_without_a_language_is_text_and_code_in_brackets_is_no_link() {
        assert_eq!(tidy("```\n{ \"a\"，1 }\n```"), "```text\n{ \"a\"，1 }\n```");
        assert_eq!(tidy("```json\n{}\n```"), "```json\n{}\n```");
        assert_eq!(tidy("如 [`{\"a\": 1}`]"), "如 \\[`{\"a\": 1}`\\]");
    }

    #[test]
    fn a_bare_url_becomes_an_autolink() {
        assert_eq!(
            tidy("contact support at https://applink.feishu.cn/open?id=66."),
            "contact support at <https://applink.feishu.cn/open?id=66>."
        );
        assert_eq!(tidy("Source: <https://a.cn/x>"), "Source: <https://a.cn/x>");
        assert_eq!(
            tidy("地址：https://a.cn/x，然后"),
            "地址：<https://a.cn/x>，然后"
        );
        assert_eq!(tidy("`https://a.cn` 不变"), "`https://a.cn` 不变");
        assert_eq!(
            tidy("\"url\":\"https://a.cn/x\","),
            "\"url\":\"<https://a.cn/x>\","
        );
    }

    #[test]
    fn a_link_whose_text_runs_on_stays_a_link() {
        assert_eq!(
            tidy("参考[错误码\n](https://a.cn/x)文档"),
            "参考[错误码\n](<https://a.cn/x>)文档"
        );
    }

    #[test]
    fn a_stray_link_target_is_an_autolink() {
        assert_eq!(
            tidy("可使用[获取 ID](https://a.cn/x)\n](https://a.cn/y)"),
            "可使用[获取 ID](https://a.cn/x)\n](<https://a.cn/y>)"
        );
    }

    #[test]
    fn html_tags_never_closed_or_opened_are_text() {
        assert_eq!(tidy("<strong>注意：\n- 必填"), "&lt;strong>注意：\n- 必填");
        assert_eq!(tidy("<b>粗</b>与 </i>"), "<b>粗</b>与 &lt;/i>");
        assert_eq!(tidy("换行<br>与 <!-- 注释"), "换行<br>与 &lt;!-- 注释");
        assert_eq!(
            tidy("<svg><circle r=\"4\" /></svg>"),
            "<svg><circle r=\"4\" /></svg>"
        );
        assert_eq!(
            tidy("`<strong>` 与 <https://a.cn>"),
            "`<strong>` 与 <https://a.cn>"
        );
        assert_eq!(tidy("```html\n<div>\n```"), "```html\n<div>\n```");
    }

    #[test]
    fn brackets_side_by_side_are_two_texts() {
        assert_eq!(
            tidy("[国际冠字]-[电话区号][电话号码]"),
            "\\[国际冠字\\]-\\[电话区号\\]\\[电话号码\\]"
        );
    }

    #[test]
    fn brackets_between_escaped_ones_and_across_lines_are_escaped() {
        assert_eq!(
            tidy("格式为：\\[国际冠字\\]-[电话区号]\\[电话号码\\]"),
            "格式为：\\[国际冠字\\]-\\[电话区号\\]\\[电话号码\\]"
        );
        assert_eq!(
            tidy("\"data\":[{\n\"a\": 1\n}]"),
            "\"data\":\\[{\n\"a\": 1\n}]"
        );
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
