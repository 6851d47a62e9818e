//! A page's example block as the page means it. The examples are written by
//! hand: `//` and `/* */` comments, a trailing comma, a full-width `，`, a
//! comma missing at a line's end and `\d` in a pattern are read as meant.
//! A block that is no JSON at all (a multipart body, a stream of `data:`
//! lines, an object cut off, placeholders where values go) is kept as the
//! page wrote it, in a note: never a reason to refuse the page.

use serde_json::Value;

use super::Misfit;

/// What an example block holds.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Example {
    /// Only comments and blank lines (`// 无请求体参数`).
    Empty,
    /// JSON. `more` counts the values the block shows after the first
    /// (one example per case, each under its comment).
    Json { value: Value, more: usize },
    /// Not JSON: why, in the words of the note that keeps it.
    Raw { why: String },
}

/// Reads the text of an example block.
pub(super) fn read(text: &str) -> Example {
    let repaired = repaired(text);
    let mut values = serde_json::Deserializer::from_str(&repaired).into_iter::<Value>();
    match values.next() {
        None => Example::Empty,
        Some(Ok(value)) => {
            // A value that does not read after the first counts as one more.
            let mut more = 0;
            for next in values {
                more += 1;
                if next.is_err() {
                    break;
                }
            }
            Example::Json { value, more }
        }
        Some(Err(e)) => Example::Raw {
            why: why_raw(text, &e),
        },
    }
}

/// A section's example: its value, and the note and the open decision it
/// leaves.
#[derive(Debug, Default)]
pub(super) struct Read {
    pub value: Option<Value>,
    pub note: Option<String>,
    pub misfit: Option<Misfit>,
}

/// Reads the example of the section `name` whose block's first line is
/// line `first` of the page.
pub(super) fn read_section(name: &str, first: usize, text: &str) -> Read {
    match read(text) {
        Example::Empty => Read::default(),
        Example::Json { value, more: 0 } => Read {
            value: Some(value),
            ..Read::default()
        },
        Example::Json { value, more } => Read {
            value: Some(value),
            note: None,
            misfit: Some(Misfit {
                line: first,
                message: format!(
                    "the {name} shows {} JSON examples: the draft keeps the first; pick the one the schema should test",
                    more + 1
                ),
            }),
        },
        Example::Raw { why } => {
            let misfit = why.starts_with(NOT_JSON).then(|| Misfit {
                line: first,
                message: format!(
                    "the {name} is not JSON, so the draft keeps it as the page wrote it in `notes`: write the JSON it means into `examples` to test it"
                ),
            });
            Read {
                value: None,
                note: Some(format!("{name}（页面原文，{why}）：\n{}", kept(text))),
                misfit,
            }
        }
    }
}

/// The text of a block kept as the page wrote it, a run of blank lines as
/// one: the rendered form keeps one where the doc source has several.
fn kept(text: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in text.trim_end().lines() {
        if !(line.trim().is_empty() && out.last().is_some_and(|l| l.trim().is_empty())) {
            out.push(line);
        }
    }
    out.join("\n")
}

/// How the reason starts for a block meant as JSON that does not read as
/// JSON (the others are not JSON by design).
const NOT_JSON: &str = "不能按 JSON 读取";

fn why_raw(text: &str, e: &serde_json::Error) -> String {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty());
    if text.contains("Content-Disposition:") {
        "multipart/form-data 请求体，不是 JSON".into()
    } else if first.is_some_and(|l| l.starts_with("data:")) {
        "SSE 事件流（`data:` 行），不是 JSON".into()
    } else {
        format!("{NOT_JSON}：{e}")
    }
}

/// `text` with what the page means spelled as JSON: comments dropped, a
/// comma before `}` or `]` dropped, `，` as `,`, a comma added where a line
/// ends a value and the next starts a key, and a backslash that starts no
/// JSON escape (`\d`) kept as a backslash, a line break or tab inside a
/// text escaped. Other line breaks stay where they were, so a parse error's
/// line is the block's up to a text broken over lines.
fn repaired(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '\\' => match chars.next() {
                    Some(e @ ('"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't' | 'u')) => {
                        out.push('\\');
                        out.push(e);
                    }
                    Some(other) => {
                        out.push_str("\\\\");
                        out.push(other);
                    }
                    None => out.push_str("\\\\"),
                },
                '"' => {
                    in_string = false;
                    out.push(c);
                }
                // A text the page breaks over lines means the break.
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                _ => out.push(c),
            }
            continue;
        }
        match c {
            '/' if chars.peek() == Some(&'/') => while chars.next_if(|&n| n != '\n').is_some() {},
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push('\n');
                    }
                    if last == '*' && n == '/' {
                        break;
                    }
                    last = n;
                }
            }
            '，' => out.push(','),
            '}' | ']' => {
                let kept = out.trim_end().len();
                if out[..kept].ends_with(',') {
                    out.remove(kept - 1);
                }
                out.push(c);
            }
            '"' => {
                let before = out.trim_end();
                let ends_value = before.chars().last().is_some_and(|l| {
                    matches!(l, '"' | '}' | ']' | 'e' | 'l') || l.is_ascii_digit()
                });
                if ends_value && out[before.len()..].contains('\n') {
                    out.insert(before.len(), ',');
                }
                in_string = true;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn json(value: Value) -> Example {
        Example::Json { value, more: 0 }
    }

    #[test]
    fn what_the_page_means_is_read() {
        let text = "{  // type 为 card_json 时\n  \"type\": \"card_json\", /* 卡片 */\n  \"url\": \"https://a.b/c\",\n}\n";
        assert_eq!(
            read(text),
            json(json!({"type": "card_json", "url": "https://a.b/c"}))
        );
        // A comma missing at a line's end, a full-width one, a trailing one.
        let text = "{\n \"a\": \"x\"\n \"b\": 1，\n \"c\": [true,],\n}";
        assert_eq!(read(text), json(json!({"a": "x", "b": 1, "c": [true]})));
        assert_eq!(
            read("{\"rule\": \"^\\d{9}$\"}"),
            json(json!({"rule": "^\\d{9}$"}))
        );
        // Escapes JSON has stay what they are.
        assert_eq!(
            read("{\"a\": \"\\\"\\n\\u0041\"}"),
            json(json!({"a": "\"\nA"}))
        );
        // A comma inside a string is the string's.
        assert_eq!(read("{\"a\": \"x,]\"}"), json(json!({"a": "x,]"})));
    }

    #[test]
    fn comments_alone_are_no_example_and_several_examples_are_counted() {
        assert_eq!(
            read("// 无请求体参数，需传入请求头与路径参数。\n"),
            Example::Empty
        );
        assert_eq!(
            read("// 1. 按实例\n{\"a\": 1}\n\n// 2. 按用户\n{\"b\": 2}\n"),
            Example::Json {
                value: json!({"a": 1}),
                more: 1
            }
        );
    }

    #[test]
    fn what_is_no_json_says_why() {
        let multipart = "---7MA4YWxkTrZu0gW\nContent-Disposition: form-data; name=\"file\";\n";
        assert_eq!(
            read(multipart),
            Example::Raw {
                why: "multipart/form-data 请求体，不是 JSON".into()
            }
        );
        assert_eq!(
            read("data: {\"status\":\"processing\"}\n\ndata: {}\n"),
            Example::Raw {
                why: "SSE 事件流（`data:` 行），不是 JSON".into()
            }
        );
        assert_eq!(
            read("{\n  \"data\": {\n    \"id\": 1\n  }\n"),
            Example::Raw {
                why: "不能按 JSON 读取：EOF while parsing an object at line 5 column 0".into()
            }
        );
        assert_eq!(
            read("{\n  \"created_at\": 备注时间\n}"),
            Example::Raw {
                why: "不能按 JSON 读取：expected value at line 2 column 17".into()
            }
        );
    }
}
