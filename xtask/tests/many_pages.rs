//! `drift` and `import-doc` over a folder: one outcome per page, a tally,
//! and the worst page's exit status.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::batch::{self, Outcome};
use xtask::{import, page};

fn pages() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../pages")
}

/// A folder with three pages of `pages/` (two endpoints, one event) and a
/// schema folder holding drafts of all three, laid out by the path rule;
/// the second draft's `page_size` example is edited.
fn scratch() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let page_dir = dir.path().join("pages");
    let schema_dir = dir.path().join("schema");
    for rel in [
        "im/v1/chat/get.md",
        "im/v1/chat/list.md",
        "im/v1/chat/events/disbanded.md",
    ] {
        let to = page_dir.join(rel);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(pages().join(rel), &to).unwrap();
    }
    for rel in ["im/v1/chat/get.md", "im/v1/chat/list.md"] {
        let page = page::read(&pages().join(rel)).unwrap();
        let mut spec = import::import(&page, None).spec;
        if rel.ends_with("list.md") {
            let query = spec.query.as_mut().unwrap();
            let size = query
                .fields
                .iter_mut()
                .find(|f| f.name == "page_size")
                .unwrap();
            size.example = Some(50.into());
        }
        let to = schema_dir.join(import::schema_path(page.api.as_ref().unwrap()));
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::write(&to, import::draft_text(&spec)).unwrap();
    }
    let event = page::read_event(&pages().join("im/v1/chat/events/disbanded.md")).unwrap();
    let to = schema_dir.join(import::schema_path(event.api.as_ref().unwrap()));
    fs::create_dir_all(to.parent().unwrap()).unwrap();
    let spec = import::import_event(&event, None, &Default::default()).spec;
    fs::write(&to, import::draft_text(&spec)).unwrap();
    (dir, page_dir, schema_dir)
}

/// The draft at `file` is `alone` (its page imported alone) less the
/// types its version's `types.json` holds as `alone` declares them.
fn assert_alone_less_shared(file: &Path, alone: &str) {
    let read = |text: &str| -> serde_json::Value { serde_json::from_str(text).unwrap() };
    let mut draft = read(&fs::read_to_string(file).unwrap());
    let mut alone = read(alone);
    // `<version>/<resource>/<method>.json`, an event one folder deeper.
    let version = file
        .ancestors()
        .find(|a| a.join("types.json").is_file())
        .unwrap();
    let shared = read(&fs::read_to_string(version.join("types.json")).unwrap());
    let own = alone["types"].as_object_mut().unwrap();
    for (name, ty) in shared["types"].as_object().unwrap() {
        if own.get(name) == Some(ty) {
            own.shift_remove(name);
        }
    }
    assert_eq!(
        draft["types"].take(),
        alone["types"].take(),
        "{}",
        file.display()
    );
    assert_eq!(draft, alone, "{}", file.display());
}

#[test]
fn drift_over_a_folder_reports_each_page_and_fails_on_the_one_that_drifted() {
    let (_dir, page_dir, schema_dir) = scratch();
    let no_root = || -> Result<PathBuf, String> { panic!("the schema folder is given") };
    let outcomes = batch::drift(&page_dir, Some(&schema_dir), &[], no_root).unwrap();
    let get = schema_dir.join("im/v1/chat/get.json");
    let list = schema_dir.join("im/v1/chat/list.json");
    let shown = |rel: &str| page_dir.join(rel).display().to_string();
    assert_eq!(
        outcomes,
        [
            Outcome::Done(format!(
                "no drift: {} matches {}",
                schema_dir
                    .join("im/v1/chat/events/disbanded.json")
                    .display(),
                shown("im/v1/chat/events/disbanded.md")
            )),
            Outcome::Done(format!(
                "no drift: {} matches {}",
                get.display(),
                shown("im/v1/chat/get.md")
            )),
            Outcome::Attention(format!(
                "{} against {}:\n  example: query.page_size: example 50 -> 10",
                shown("im/v1/chat/list.md"),
                list.display()
            )),
        ]
    );
    assert_eq!(batch::status(&outcomes), 1);
    assert_eq!(
        batch::tally(&outcomes),
        "3 pages: 2 done, 1 need a look, 0 skipped, 0 failed"
    );

    // Ignoring the class keeps the line, marked, and the page passes.
    let outcomes = batch::drift(
        &page_dir,
        Some(&schema_dir),
        &[xtask::drift::Class::Example],
        no_root,
    )
    .unwrap();
    assert_eq!(
        outcomes[2],
        Outcome::Done(format!(
            "{} against {}:\n  (ignored) example: query.page_size: example 50 -> 10",
            shown("im/v1/chat/list.md"),
            list.display()
        ))
    );
    assert_eq!(batch::status(&outcomes), 0);
}

#[test]
fn drift_command_over_a_folder_exits_with_the_worst_status() {
    let (_dir, page_dir, schema_dir) = scratch();
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("drift")
            .arg(&page_dir)
            .arg(&schema_dir)
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.ends_with("3 pages: 2 done, 1 need a look, 0 skipped, 0 failed\n"),
        "{stdout}"
    );
    assert_eq!(run(&["--ignore", "example"]).status.code(), Some(0));

    // A page that breaks fails the run.
    let broken = page_dir.join("im/v1/chat/get.md");
    let text = fs::read_to_string(&broken).unwrap();
    fs::write(
        &broken,
        text.replacen("<md-dt-tr level=\"0\">", "<md-dt-tr level=\"2\">", 1),
    )
    .unwrap();
    let out = run(&[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("1 failed"), "{stdout}");
}

#[test]
fn import_over_a_folder_writes_each_page_at_its_place() {
    let (dir, page_dir, _) = scratch();
    let out = dir.path().join("drafts");
    let outcomes = batch::import(&page_dir, &out, None, None, false).unwrap();
    let shown = |rel: &str| page_dir.join(rel).display().to_string();
    assert_eq!(
        outcomes,
        [
            // An event page goes to its resource's events/ folder.
            Outcome::Done(format!(
                "wrote {}",
                out.join("im/v1/chat/events/disbanded.json").display()
            )),
            Outcome::Done(format!(
                "wrote {}",
                out.join("im/v1/chat/get.json").display()
            )),
            Outcome::Done(format!(
                "wrote {}",
                out.join("im/v1/chat/list.json").display()
            )),
            Outcome::SharedTypes(format!(
                "wrote {} (3 type(s) several drafts of the version declare alike)",
                out.join("im/v1/types.json").display()
            )),
        ]
    );
    assert_eq!(batch::status(&outcomes), 0);
    // Each draft is what importing its page alone gives, less the types
    // the version's drafts share, which `types.json` holds as they were.
    let shared: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("im/v1/types.json")).unwrap()).unwrap();
    assert_eq!(
        shared["types"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["ChatStatus", "I18nNames", "UserIdType"]
    );
    let page = page::read(&page_dir.join("im/v1/chat/list.md")).unwrap();
    let alone = import::draft_text(&import::import(&page, None).spec);
    assert_alone_less_shared(&out.join("im/v1/chat/list.json"), &alone);
    let written = fs::read_to_string(out.join("im/v1/chat/list.json")).unwrap();

    let shown_event = shown("im/v1/chat/events/disbanded.md");
    let event = page::read_event(Path::new(&shown_event)).unwrap();
    assert_alone_less_shared(
        &out.join("im/v1/chat/events/disbanded.json"),
        &import::draft_text(&import::import_event(&event, None, &Default::default()).spec),
    );

    // Again without --force: each page whose draft exists refuses and
    // writes nothing; the one whose draft was removed is written again.
    fs::remove_file(out.join("im/v1/chat/get.json")).unwrap();
    let outcomes = batch::import(&page_dir, &out, None, None, false).unwrap();
    let exists = |rel: &str| {
        Outcome::Failed(format!(
            "error: {} exists: pass --force to replace it",
            out.join(rel).display()
        ))
    };
    assert_eq!(
        outcomes,
        [
            exists("im/v1/chat/events/disbanded.json"),
            Outcome::Done(format!(
                "wrote {}",
                out.join("im/v1/chat/get.json").display()
            )),
            exists("im/v1/chat/list.json"),
        ]
    );
    assert_eq!(batch::status(&outcomes), 2);
    assert_eq!(
        batch::tally(&outcomes),
        "3 pages: 1 done, 0 need a look, 0 skipped, 2 failed"
    );
    // With --force, and the drafts as decisions, the same drafts again.
    let outcomes = batch::import(&page_dir, &out, Some(&out), None, true).unwrap();
    assert_eq!(batch::status(&outcomes), 0);
    assert_eq!(
        fs::read_to_string(out.join("im/v1/chat/list.json")).unwrap(),
        written
    );
}

#[test]
fn import_over_a_folder_writes_the_pages_that_import_and_names_the_rest() {
    let (dir, page_dir, _) = scratch();
    let shown = |rel: &str| page_dir.join(rel).display().to_string();
    // A nested row two levels below its parent: the page cannot be read.
    let broken = page_dir.join("im/v1/chat/get.md");
    let text = fs::read_to_string(&broken).unwrap();
    fs::write(
        &broken,
        text.replacen("<md-dt-tr level=\"0\">", "<md-dt-tr level=\"2\">", 1),
    )
    .unwrap();
    // A second copy of the list page, without its explorer link, claims
    // the first one's place; it comes first in file order, yet the page
    // placed by its link keeps the place.
    let twin = page_dir.join("im/v1/chat/first_list.md");
    let text = fs::read_to_string(page_dir.join("im/v1/chat/list.md")).unwrap();
    let link = "{尝试一下}(url=/api/tools/api_explore/api_explore_config?project=im&version=v1&resource=chat&method=list)";
    assert!(text.contains(link));
    fs::write(&twin, text.replace(link, "")).unwrap();
    let out = dir.path().join("drafts");
    let outcomes = batch::import(&page_dir, &out, None, None, false).unwrap();
    let list = out.join("im/v1/chat/list.json");
    assert_eq!(
        outcomes,
        [
            Outcome::Done(format!(
                "wrote {}",
                out.join("im/v1/chat/events/disbanded.json").display()
            )),
            // The page that lost the place goes beside it: its doc
            // address ends in `list` too, so the place's name and a number.
            Outcome::Done(format!(
                "wrote {} (its place {} is {}'s)",
                out.join("im/v1/chat/list_2.json").display(),
                list.display(),
                shown("im/v1/chat/list.md"),
            )),
            Outcome::Failed(format!(
                "error: {}:142: the row's level 2 jumps past level 0: a row may go one level below the row above",
                shown("im/v1/chat/get.md")
            )),
            Outcome::Done(format!("wrote {}", list.display())),
            // The twins declare their four types alike.
            Outcome::SharedTypes(format!(
                "wrote {} (4 type(s) several drafts of the version declare alike)",
                out.join("im/v1/types.json").display()
            )),
        ]
    );
    assert!(!out.join("im/v1/chat/get.json").exists());
    let page = page::read(&page_dir.join("im/v1/chat/list.md")).unwrap();
    assert_alone_less_shared(
        &list,
        &import::draft_text(&import::import(&page, None).spec),
    );

    // The command prints one line per page and the tally, and exits 2.
    let again = dir.path().join("drafts_again");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("import-doc")
        .arg(&page_dir)
        .arg("--out")
        .arg(&again)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let lines: Vec<String> = outcomes
        .iter()
        .map(|o| {
            o.line()
                .replace(&*out.to_string_lossy(), &again.to_string_lossy())
        })
        .collect();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        format!(
            "{}\n4 pages: 3 done, 0 need a look, 0 skipped, 1 failed\n",
            lines.join("\n")
        )
    );
    assert!(again.join("im/v1/chat/list.json").is_file());
    assert!(again.join("im/v1/chat/list_2.json").is_file());
}
