//! Text compared for its words only: the reviewed schemas rewrite the
//! page's markdown (line breaks, `**注意**`, full stops, `==x==`) into their
//! own layout, which is not a change of wording.

/// The words of `text`: every run of characters that are neither letters
/// nor digits becomes one space.
pub fn words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            out.push(c);
            gap = false;
        } else {
            gap = true;
        }
    }
    out
}

/// Whether `ours` words `theirs` the same.
pub fn same(ours: &str, theirs: &str) -> bool {
    words(ours) == words(theirs)
}

/// `"old" -> "new"` showing only what differs between the words of the
/// two texts, with a little of what comes before, so a long description
/// gives a short line.
pub fn change(ours: &str, theirs: &str) -> String {
    let (ours, theirs) = (words(ours), words(theirs));
    let (a, b): (Vec<char>, Vec<char>) = (ours.chars().collect(), theirs.chars().collect());
    // A change inside a Latin word shows the whole word.
    let mut prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    while inside(&a, prefix) || inside(&b, prefix) {
        prefix -= 1;
    }
    let mut suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    while inside(&a, a.len() - suffix) || inside(&b, b.len() - suffix) {
        suffix -= 1;
    }
    let show = |text: &[char]| {
        let middle: String = text[prefix..text.len() - suffix].iter().collect();
        // Context of about CONTEXT characters each side, in whole words.
        let mut start = prefix.saturating_sub(CONTEXT);
        while inside(text, start) {
            start -= 1;
        }
        let mut end = (text.len() - suffix + CONTEXT).min(text.len());
        while inside(text, end) {
            end += 1;
        }
        let lead: String = text[start..prefix].iter().collect();
        let lead = if start > 0 { lead.trim_start() } else { &lead };
        let trail: String = text[text.len() - suffix..end].iter().collect();
        let trail = if end < text.len() {
            trail.trim_end()
        } else {
            &trail
        };
        let before = if start > 0 { "…" } else { "" };
        let after = if end < text.len() { "…" } else { "" };
        let shown = format!("{before}{}{}{}{after}", lead, cut(&middle), trail);
        format!("{shown:?}")
    };
    format!("{} -> {}", show(&a), show(&b))
}

/// Whether `at` falls between two characters of one Latin word.
fn inside(text: &[char], at: usize) -> bool {
    at > 0 && at < text.len() && latin(text[at - 1]) && latin(text[at])
}

/// Characters of the common beginning and end shown around a change.
const CONTEXT: usize = 6;
/// Characters of a change shown at most.
const LONGEST: usize = 80;

fn latin(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn cut(text: &str) -> String {
    if text.chars().count() <= LONGEST {
        return text.to_owned();
    }
    let head: String = text.chars().take(LONGEST).collect();
    format!("{head}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_not_wording() {
        assert!(same(
            "群名称。\n\n注意：\n- 建议不超过 60 字符",
            "群名称  \n **注意：**   \n- 建议不超过 60 字符"
        ));
        assert!(same("上传图片的 `image_type`", "上传图片的 ==image_type=="));
        assert!(!same("建议不超过 60 字符", "最多 50 个字符"));
    }

    #[test]
    fn a_change_shows_what_differs() {
        assert_eq!(
            change(
                "群名称。注意：建议群名称不超过 60 字符",
                "群名称。注意：最多 50 个字符"
            ),
            r#""…名称 注意 建议群名称不超过 60 字符" -> "…名称 注意 最多 50 个字符""#
        );
        assert_eq!(change("a b", "a b c"), r#""a b" -> "a b c""#);
        assert_eq!(
            change("the chat id is invalid", "the chat id is valid"),
            r#""…id is invalid" -> "…id is valid""#
        );
        assert_eq!(
            change("x a b c d e", "y a b c d e"),
            r#""x a b c…" -> "y a b c…""#
        );
    }
}
