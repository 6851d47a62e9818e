//! A folder import's shared types (`import::promote`): which types go to a
//! version's `types.json`. (`many_pages` shows the drafts naming them.)

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use xtask::import::promote::promote;

fn object(field_type: &str, words: &str) -> Value {
    json!({"kind": "object", "description": words, "fields": [{"name": "f", "type": field_type, "description": words}]})
}

fn drafts(types: Vec<(&str, Value)>) -> Vec<(PathBuf, Value)> {
    types
        .into_iter()
        .map(|(place, types)| {
            (
                PathBuf::from(place),
                json!({"source": {"title": "t"}, "types": types}),
            )
        })
        .collect()
}

#[test]
fn the_definition_most_drafts_give_is_shared_with_every_type_it_names() {
    let (c1, c2) = (object("string", "one"), object("integer", "two"));
    let t = object("C", "t");
    let drafts = drafts(vec![
        ("g/v1/a/get.json", json!({"T": t, "C": c1, "Once": c2})),
        ("g/v1/b/get.json", json!({"T": t, "C": c1})),
        // The same `T` text, but its `C` is another type: not counted
        // with the two above.
        ("g/v1/c/get.json", json!({"T": t, "C": c2})),
        // Another version shares nothing with this one.
        ("g/v2/a/get.json", json!({"C": c2})),
        // A draft in no version folder counts for none.
        ("get.json", json!({"C": c1})),
    ]);
    let (files, refused) = promote(&drafts, |_| true);
    assert!(refused.is_empty());
    assert_eq!(files.len(), 1);
    let (place, contents) = &files[0];
    assert_eq!(place, Path::new("g/v1/types.json"));
    assert_eq!(contents["$schema"], "../../types.schema.json");
    assert_eq!(contents["types"], json!({"C": c1, "T": t}));
    assert_eq!(
        contents["types"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["C", "T"],
        "in name order"
    );
}

#[test]
fn a_type_whose_named_type_is_shared_otherwise_is_not_shared() {
    let (c1, c2) = (object("string", "one"), object("integer", "two"));
    let t = object("C[]", "t");
    let drafts = drafts(vec![
        ("g/v1/r0/get.json", json!({"T": t, "C": c1})),
        ("g/v1/r1/get.json", json!({"T": t, "C": c1})),
        ("g/v1/r2/get.json", json!({"C": c2})),
        ("g/v1/r3/get.json", json!({"C": c2})),
        ("g/v1/r4/get.json", json!({"C": c2})),
    ]);
    let (files, _) = promote(&drafts, |_| true);
    // `C` is shared as three drafts give it; `T` names the other `C`.
    assert_eq!(files[0].1["types"], json!({"C": c2}));
}

#[test]
fn a_type_one_draft_declares_or_that_names_itself_is_not_shared() {
    let looped = object("Loop", "l");
    let drafts = drafts(vec![
        (
            "g/v1/a/get.json",
            json!({"Loop": looped, "Once": object("string", "o")}),
        ),
        ("g/v1/b/get.json", json!({"Loop": looped})),
    ]);
    let (files, refused) = promote(&drafts, |_| true);
    assert!(files.is_empty() && refused.is_empty());
}

#[test]
fn a_types_file_that_may_not_be_written_is_named_and_not_returned() {
    let c = object("string", "one");
    let drafts = drafts(vec![
        ("g/v1/a/get.json", json!({"C": c})),
        ("g/v1/b/get.json", json!({"C": c})),
    ]);
    let (files, refused) = promote(&drafts, |_| false);
    assert!(files.is_empty());
    assert_eq!(refused, [PathBuf::from("g/v1/types.json")]);
}
