//! The proof that drafts need no hand edit: every endpoint and event page
//! of the repository's `pages/` is imported with no decisions into a
//! scratch copy of `schema/`, at the path rule's place, and the generator
//! accepts the whole tree. The raw create-chat page replaces the hand-written
//! schema at the same place: the proof is about drafts, and two files
//! cannot describe one endpoint.
//!
//! Over every page (about 1,050) the import takes minutes, so the default
//! run takes `im`'s pages, whose schemas were reviewed by hand; CI runs the
//! ignored tests too (`cargo test -p xtask --test integration --
//! --ignored import_all::`): every page's draft is accepted, and outside
//! `im` is its schema byte for byte, so the workspace's own build compiles
//! it; `generated_crate_compiles` compiles the groups whose drafts differ
//! from their schemas in a scratch workspace.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use xtask::{import, page};

// The generator tests' scratch workspace: one way to compile generated
// code in a test, and one target folder for all of them.
use crate::scratch::Scratch;

use crate::common::{copy_dir, root as workspace};

/// Pages that do not import into an accepted schema yet, and why. The test
/// fails when one of them starts to pass, so the list stays true.
const KNOWN_FAILURES: &[(&str, &str)] = &[];

fn pages_dir() -> PathBuf {
    workspace().join("pages")
}

/// The API groups whose drafts may differ from their schemas: `im`'s were
/// reviewed by hand.
const REVIEWED_GROUPS: &[&str] = &["im"];

/// A scratch checkout: the workspace's `schema/` and the manifest whose
/// features the generator reads, with every endpoint and event page below
/// `pages/<below>` imported into it. Returns the checkout and, per page
/// (relative to `pages/`), the schema it was written to or why it was not.
fn import_all(below: &str) -> Imported {
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();
    copy_dir(&workspace().join("schema"), &root.join("schema"));
    let manifest = feishu_codegen::FACADE_MANIFEST_PATH;
    fs::create_dir_all(root.join(manifest).parent().unwrap()).unwrap();
    fs::copy(workspace().join(manifest), root.join(manifest)).unwrap();
    let raw = pages_dir();
    let mut outcome = BTreeMap::new();
    for path in xtask::batch::page_files(&raw.join(below)).unwrap() {
        let rel = path
            .strip_prefix(&raw)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let page = match page::read_any(&path) {
            Ok(page) => page,
            Err(e) if e.describes_no_endpoint() => continue,
            Err(e) => {
                outcome.insert(rel, Err(format!("the page does not read: {e}")));
                continue;
            }
        };
        let Some(place) = import::place(&page, &path) else {
            outcome.insert(rel, Err("the page's schema has no place".into()));
            continue;
        };
        let schema = Path::new("schema").join(place);
        let out = root.join(&schema);
        fs::create_dir_all(out.parent().unwrap()).unwrap();
        let result = import::run(&path, &out, None, None, true)
            .map(|_| schema.to_string_lossy().replace('\\', "/"));
        outcome.insert(rel, result);
    }
    (scratch, outcome)
}

/// Per page, what keeps it from passing; empty when every page passes.
fn failures(
    root: &Path,
    outcome: &BTreeMap<String, Result<String, String>>,
) -> BTreeMap<String, String> {
    let problems = match feishu_codegen::load(root) {
        Ok(api) => {
            // Generation cannot fail once the check passed; run it anyway.
            assert!(!feishu_codegen::generate(&api).is_empty());
            Vec::new()
        }
        Err(problems) => problems.0,
    };
    let mut failed = BTreeMap::new();
    for (page, result) in outcome {
        let reason = match result {
            Err(e) => e.clone(),
            Ok(schema) => problems
                .iter()
                .filter(|p| p.file == *schema)
                .map(|p| format!("{}: {} ({})", p.path, p.message, p.fix))
                .collect::<Vec<_>>()
                .join("\n"),
        };
        if !reason.is_empty() {
            failed.insert(page.clone(), reason);
        }
    }
    let elsewhere: Vec<String> = problems
        .iter()
        .filter(|p| {
            !outcome
                .values()
                .any(|r| r.as_ref().is_ok_and(|s| *s == p.file))
        })
        .map(|p| p.to_string())
        .collect();
    if !elsewhere.is_empty() {
        failed.insert("(other files)".into(), elsewhere.join("\n"));
    }
    failed
}

/// No unexpected failure, and no known one that passes now.
fn assert_known(failed: &BTreeMap<String, String>) {
    let known: BTreeMap<&str, &str> = KNOWN_FAILURES.iter().copied().collect();
    let unexpected: Vec<String> = failed
        .iter()
        .filter(|(page, _)| !known.contains_key(page.as_str()))
        .map(|(page, reason)| format!("{page}:\n{reason}"))
        .collect();
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n\n"));
    let fixed: Vec<&&str> = known
        .keys()
        .filter(|page| !failed.contains_key(**page))
        .collect();
    assert!(
        fixed.is_empty(),
        "{fixed:?} pass now: take them off KNOWN_FAILURES"
    );
}

/// The groups any of whose drafts differ from the workspace's schema at
/// the same place; fails naming each differing draft outside
/// [`REVIEWED_GROUPS`].
fn differing_groups(
    root: &Path,
    outcome: &BTreeMap<String, Result<String, String>>,
) -> Vec<String> {
    let mut groups = Vec::new();
    let mut edited = Vec::new();
    for schema in outcome.values().flatten() {
        let draft = fs::read_to_string(root.join(schema)).unwrap();
        let kept = fs::read_to_string(workspace().join(schema)).unwrap_or_default();
        if draft == kept {
            continue;
        }
        let group = schema.split('/').nth(1).unwrap().to_owned();
        if !REVIEWED_GROUPS.contains(&group.as_str()) {
            edited.push(schema.clone());
        }
        if !groups.contains(&group) {
            groups.push(group);
        }
    }
    assert!(
        edited.is_empty(),
        "schemas outside the reviewed groups that differ from their page's draft \
         (import the page again, or review the group): {edited:#?}"
    );
    groups
}

#[test]
fn the_im_pages_import_into_schemas_codegen_accepts() {
    let (scratch, outcome) = import_all("im");
    assert_eq!(
        outcome.len(),
        86,
        "the 72 endpoint and 14 event pages of im in pages/INDEX.md"
    );
    assert_eq!(
        outcome["im/v1/bot/events/p2p_chat_create.md"],
        Ok("schema/im/v1/bot/events/p2p_chat_create.json".to_owned()),
        "a page without an explorer link goes by its own place"
    );
    assert_known(&failures(scratch.path(), &outcome));
}

/// A scratch checkout with pages imported into it, and per page its schema
/// or why it has none.
type Imported = (tempfile::TempDir, BTreeMap<String, Result<String, String>>);

/// Every page imported once for the ignored tests, which run at once.
fn every_page() -> &'static Imported {
    static ALL: std::sync::OnceLock<Imported> = std::sync::OnceLock::new();
    ALL.get_or_init(|| import_all(""))
}

#[test]
#[ignore = "imports every page: minutes; run with --ignored"]
fn every_page_imports_into_its_schema_with_no_hand_edit() {
    let (scratch, outcome) = every_page();
    assert_eq!(
        outcome.len(),
        1730,
        "the endpoint and event pages of pages/INDEX.md"
    );
    assert_known(&failures(scratch.path(), outcome));
    assert_eq!(differing_groups(scratch.path(), outcome), REVIEWED_GROUPS);
}

/// The generated crates of the groups whose drafts differ from their
/// schemas compile, warnings denied as CI denies them, in the generator
/// tests' scratch workspace on the real runtime crate (whose dependencies
/// it builds once for all such tests). The other groups' drafts are their
/// schemas, which the workspace's own build compiles.
#[test]
#[ignore = "compiles generated crates: minutes; run with --ignored"]
fn generated_crate_compiles() {
    let (scratch, outcome) = every_page();
    let groups = differing_groups(scratch.path(), outcome);
    // Only those groups, and the manifest whose features codegen reads.
    let only = tempfile::tempdir().unwrap();
    for group in &groups {
        copy_dir(
            &scratch.path().join("schema").join(group),
            &only.path().join("schema").join(group),
        );
    }
    let manifest = feishu_codegen::FACADE_MANIFEST_PATH;
    fs::create_dir_all(only.path().join(manifest).parent().unwrap()).unwrap();
    fs::copy(workspace().join(manifest), only.path().join(manifest)).unwrap();
    let api = feishu_codegen::load(only.path()).unwrap();
    let generated = Scratch::new("import_all", "", "fn main() {}");
    generated.write_generated(&api);
    let output = generated.cargo(&["check", "-p", generated.api()], &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
