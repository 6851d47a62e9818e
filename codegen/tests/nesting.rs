//! The `deep_nesting` fixture (tests/common/deep_nesting.rs): objects
//! nested inline 30 levels deep are accepted and settled right, and past
//! the 32 levels generated Rust supports they are refused. Too large to
//! snapshot; benches/check.rs times the checker on it.

use crate::deep_nesting::{FILE, deep_nesting, level};
use feishu_codegen::ir::{Api, NamedType, Object};
use feishu_codegen::{Problem, check_sources, generate};

fn accepted(levels: usize) -> Api {
    let text = deep_nesting(levels);
    check_sources(&[(FILE, &text)]).unwrap_or_else(|problems| panic!("{problems}"))
}

fn named_object<'a>(api: &'a Api, name: &str) -> &'a Object {
    api.endpoints[0]
        .types
        .iter()
        .find_map(|t| match t {
            NamedType::Object(o) if o.rust_name == name => Some(o),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no object {name}"))
}

#[test]
fn thirty_levels_are_accepted() {
    let api = accepted(30);
    assert_eq!(named_object(&api, "Level01").nesting, 30);
    for n in 1..=30 {
        let o = named_object(&api, &level(n));
        assert_eq!(o.nesting, 31 - n, "{}", o.rust_name);
        assert!(!o.validates, "{}", o.rust_name);
    }
    let body = api.endpoints[0].body.as_ref().unwrap();
    assert_eq!(body.rust_name, "CreateDeepBody");
    assert!(!body.validates);

    let files = generate(&api);
    let code = &files["generated/groups/fixture/src/v1/deep/create.rs"];
    assert!(code.contains("#[derive(Clone, Debug, Default)]\npub struct CreateDeepBody {"));
    assert!(code.contains("pub struct Level30 {"));
}

#[test]
fn thirty_two_levels_are_the_most_accepted() {
    assert_eq!(named_object(&accepted(32), "Level01").nesting, 32);
}

#[test]
fn thirty_three_levels_are_refused() {
    let text = deep_nesting(33);
    let problems = check_sources(&[(FILE, &text)]).unwrap_err().0;
    assert_eq!(
        problems,
        [Problem {
            file: FILE.into(),
            path: "types.Level01".into(),
            message: "`Level01` nests objects 33 levels deep; generated Rust supports 32".into(),
            fix: "flatten the nesting, or make a level an array".into(),
        }]
    );
    assert!(problems[0].to_string().contains(
        "types.Level01: `Level01` nests objects 33 levels deep; generated Rust supports 32"
    ));
}
