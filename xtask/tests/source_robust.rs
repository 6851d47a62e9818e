//! The doc-source reader on broken and mutated pages: broken tables and
//! blocks are errors at their line, and no input makes it panic.

use std::path::Path;

use proptest::prelude::*;
use xtask::page;

fn text(rel: &str) -> String {
    let docs = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../pages/im/v1"));
    std::fs::read_to_string(docs.join(rel)).unwrap()
}

/// The page with line `n` (1-based) replaced by `with` (`None` deletes it).
fn edit(text: &str, n: usize, with: Option<&str>) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    match with {
        Some(l) => lines[n - 1] = l,
        None => {
            lines.remove(n - 1);
        }
    }
    lines.join("\n")
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn an_unclosed_html_block_ends_where_the_next_opens_or_the_page_does() {
    let page = text("chat/delete.md");
    let draft = |text: &str| {
        let page = page::parse_any("delete.md", text).unwrap();
        xtask::import::draft_text(&xtask::import::import(&page, None).spec)
    };
    let lines: Vec<&str> = page.lines().collect();
    let closers: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].trim() == ":::")
        .collect();
    // The page's last block (the error codes), then its first, left open.
    for at in [closers[closers.len() - 1], closers[0]] {
        assert_eq!(
            draft(&edit(&page, at + 1, None)),
            draft(&page),
            "line {}",
            at + 1
        );
    }
}

#[test]
fn row_missing_a_cell_names_its_line() {
    let page = text("chat-tab/create.md");
    // The 必填 cell of `tab_name`: three lines after its type cell closes.
    let name = line_of(&page, "field-name\" >tab_name<");
    let row = name - 2;
    assert!(page.lines().nth(row - 1).unwrap().contains("<md-dt-tr"));
    let mut broken = page.clone();
    for _ in 0..3 {
        broken = edit(&broken, name + 5, None);
    }
    let err = page::parse_any("create.md", &broken).unwrap_err();
    assert_eq!(err.line, row, "{err}");
    assert!(
        err.message.contains("3 cells, the table has 4 columns"),
        "{err}"
    );
}

#[test]
fn level_jumping_by_two_names_its_line() {
    let page = text("chat-tab/create.md");
    let name = line_of(&page, "field-name\" >tab_name<");
    let row = name - 2;
    let err = page::parse_any(
        "create.md",
        &edit(&page, row, Some("<md-dt-tr level=\"2\">")),
    )
    .unwrap_err();
    assert_eq!(err.line, row, "{err}");
    assert!(err.message.contains("level 2"), "{err}");
}

#[test]
fn byte_order_mark_is_no_part_of_the_page() {
    let page = format!("\u{feff}{}", text("chat/delete.md"));
    assert_eq!(page::parse_any("delete.md", &page).unwrap().title, "解散群");
}

#[test]
fn file_without_front_matter_describes_no_endpoint() {
    for text in ["", "# notes\n", "random\n<!--\n-->", "<!--\ntitle: x\n"] {
        let err = page::parse_any("x.md", text).unwrap_err();
        assert!(err.describes_no_endpoint(), "{err}");
    }
}

/// Pages the mutations start from: an ordinary one, a deeply nested one, an
/// event page, and the rendered form (which `parse_any` also serves).
const PAGES: [&str; 4] = [
    "chat/create.md",
    "chat-tab/create.md",
    "chat/events/updated.md",
    "../../../xtask/tests/fixtures/im-v1-chat-create.md",
];

/// A mutation of a page's text.
#[derive(Clone, Debug)]
enum Mutation {
    DeleteLines(usize, usize),
    Truncate(usize),
    Insert(usize, Vec<u8>),
    Overwrite(usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..20usize).prop_map(|(at, n)| Mutation::DeleteLines(at, n)),
        any::<usize>().prop_map(Mutation::Truncate),
        (
            any::<usize>(),
            proptest::collection::vec(any::<u8>(), 1..16)
        )
            .prop_map(|(at, b)| Mutation::Insert(at, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Overwrite(at, b)),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    if text.is_empty() {
        return String::new();
    }
    let mut bytes = text.as_bytes().to_vec();
    match m {
        Mutation::DeleteLines(at, n) => {
            let mut lines: Vec<&str> = text.lines().collect();
            let at = at % lines.len();
            let end = (at + n).min(lines.len());
            lines.drain(at..end);
            return lines.join("\n");
        }
        Mutation::Truncate(at) => bytes.truncate(at % (bytes.len() + 1)),
        Mutation::Insert(at, b) => {
            let at = at % (bytes.len() + 1);
            bytes.splice(at..at, b.iter().copied());
        }
        Mutation::Overwrite(at, b) => {
            let at = at % bytes.len();
            bytes[at] = *b;
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn mutated_pages_never_panic(
        page in 0..PAGES.len(),
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let mut text = text(PAGES[page]);
        for m in &mutations {
            text = apply(&text, m);
        }
        // Ok or Err, but an answer.
        let _ = page::parse_any("mutated.md", &text);
    }
}
