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
