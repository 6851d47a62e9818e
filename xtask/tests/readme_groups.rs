//! The README's table of API groups says, per group, how many endpoints and
//! events it has and whether it is on by default: the table must be what
//! `schema/` and `feishu-openapi`'s manifest say, or users read wrong counts.

use std::collections::BTreeMap;
use std::fs;

use crate::common::root;

/// `(endpoints, events, default)` per group, as the README's table rows
/// (`| `im` | 55 | 14 | yes |`) give them.
fn readme_table() -> BTreeMap<String, (usize, usize, bool)> {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("| feature (API group) | endpoints | events | default |")
        .expect("the README has the table of API groups");
    readme[start..]
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let count = |i: usize| cells[i].parse::<usize>().unwrap();
            (
                cells[0].trim_matches('`').to_owned(),
                (count(1), count(2), cells[3] == "yes"),
            )
        })
        .collect()
}

#[test]
fn the_readme_table_of_api_groups_is_what_the_schemas_say() {
    let api = feishu_codegen::load(&root()).unwrap();
    let manifest: toml::Table =
        fs::read_to_string(root().join(feishu_codegen::FACADE_MANIFEST_PATH))
            .unwrap()
            .parse()
            .unwrap();
    let defaults: Vec<&str> = manifest["features"]["default"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    let mut want: BTreeMap<String, (usize, usize, bool)> = BTreeMap::new();
    for endpoint in &api.endpoints {
        want.entry(endpoint.module_path[0].clone()).or_default().0 += 1;
    }
    for event in &api.events {
        want.entry(event.module_path[0].clone()).or_default().1 += 1;
    }
    for (group, row) in &mut want {
        row.2 = defaults.contains(&group.as_str());
    }
    assert_eq!(readme_table(), want);
}
