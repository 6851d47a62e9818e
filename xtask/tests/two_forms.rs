//! The create-chat page exists in both forms; read, they must give the same
//! page apart from the differences listed (and explained) below.
//!
//! None is listed: where the forms differ only in spelling, the source reader
//! writes the rendered spelling. Its links `](/ssl:ttdoc/…)` become
//! `](https://open.feishu.cn/document/…)`, its `{尝试一下}(url=…)` explorer link
//! after the summary is dropped, enum items become `- key：meaning` lines and
//! permissions `title(scope:key)`. What the source form has and the rendered
//! lacks (front matter `id` and `fullPath`) has no place in `Page`.

use std::path::Path;

use xtask::page::{self, Field, Page};

fn docs() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../pages"))
}

/// Field-by-field differences of two field lists, as `path: what` lines.
fn field_diffs(path: &str, a: &[Field], b: &[Field], out: &mut Vec<String>) {
    let names = |fs: &[Field]| fs.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
    if names(a) != names(b) {
        out.push(format!("{path}: fields {:?} / {:?}", names(a), names(b)));
        return;
    }
    for (x, y) in a.iter().zip(b) {
        let at = format!("{path}.{}", x.name);
        let mut check = |what: &str, same: bool, shown: String| {
            if !same {
                out.push(format!("{at}: {what} {shown}"));
            }
        };
        check("type", x.ty == y.ty, format!("{:?} / {:?}", x.ty, y.ty));
        check("required", x.required == y.required, String::new());
        check(
            "description",
            x.description == y.description,
            format!("{:?} / {:?}", x.description, y.description),
        );
        check(
            "default",
            x.default == y.default,
            format!("{:?} / {:?}", x.default, y.default),
        );
        check(
            "example",
            x.example == y.example,
            format!("{:?} / {:?}", x.example, y.example),
        );
        check(
            "limits",
            x.limits == y.limits,
            format!("{:?} / {:?}", x.limits, y.limits),
        );
        check(
            "values",
            x.values == y.values,
            format!("{:?} / {:?}", x.values, y.values),
        );
        field_diffs(&at, &x.fields, &y.fields, out);
    }
}

/// The spec types have no `PartialEq`; their debug text stands in.
fn diffs(a: &Page, b: &Page) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |what: &str, same: bool, shown: String| {
        if !same {
            out.push(format!("{what}: {shown}"));
        }
    };
    check(
        "title",
        a.title == b.title,
        format!("{:?} / {:?}", a.title, b.title),
    );
    check(
        "source_url",
        a.source_url == b.source_url,
        format!("{:?} / {:?}", a.source_url, b.source_url),
    );
    check(
        "last_remote_update",
        a.last_remote_update == b.last_remote_update,
        format!("{:?} / {:?}", a.last_remote_update, b.last_remote_update),
    );
    check(
        "updated_at",
        a.updated_at == b.updated_at,
        format!("{:?} / {:?}", a.updated_at, b.updated_at),
    );
    check(
        "summary",
        a.summary == b.summary,
        format!("{:?} / {:?}", a.summary, b.summary),
    );
    check(
        "notes",
        a.notes == b.notes,
        format!("{:#?} / {:#?}", a.notes, b.notes),
    );
    check(
        "method",
        a.method == b.method,
        format!("{:?} / {:?}", a.method, b.method),
    );
    check(
        "path",
        a.path == b.path,
        format!("{:?} / {:?}", a.path, b.path),
    );
    check(
        "rate_limit",
        format!("{:?}", a.rate_limit) == format!("{:?}", b.rate_limit),
        format!("{:?} / {:?}", a.rate_limit, b.rate_limit),
    );
    check(
        "access_tokens",
        a.access_tokens == b.access_tokens,
        format!("{:?} / {:?}", a.access_tokens, b.access_tokens),
    );
    check(
        "app_types",
        a.app_types == b.app_types,
        format!("{:?} / {:?}", a.app_types, b.app_types),
    );
    check(
        "scopes",
        format!("{:?}", a.scopes) == format!("{:?}", b.scopes),
        format!("{:?} / {:?}", a.scopes, b.scopes),
    );
    check(
        "field_scopes",
        format!("{:?}", a.field_scopes) == format!("{:?}", b.field_scopes),
        format!("{:?} / {:?}", a.field_scopes, b.field_scopes),
    );
    check(
        "request_example",
        a.request_example == b.request_example,
        String::new(),
    );
    check(
        "response_example",
        a.response_example == b.response_example,
        String::new(),
    );
    let headers = |p: &Page| {
        p.headers
            .iter()
            .map(|h| (h.name.clone(), h.required, h.description.clone()))
            .collect::<Vec<_>>()
    };
    check(
        "headers",
        headers(a) == headers(b),
        format!("{:?} / {:?}", headers(a), headers(b)),
    );
    let errors = |p: &Page| {
        p.errors
            .iter()
            .map(|e| (e.http_status, e.code, e.message.clone(), e.advice.clone()))
            .collect::<Vec<_>>()
    };
    for (x, y) in errors(a).iter().zip(errors(b).iter()) {
        check("error", x == y, format!("{x:?} / {y:?}"));
    }
    check(
        "errors",
        a.errors.len() == b.errors.len(),
        format!("{} / {}", a.errors.len(), b.errors.len()),
    );
    field_diffs("path_params", &a.path_params, &b.path_params, &mut out);
    field_diffs("query", &a.query, &b.query, &mut out);
    field_diffs("body", &a.body, &b.body, &mut out);
    field_diffs("response", &a.response, &b.response, &mut out);
    out
}

#[test]
fn both_forms_of_the_create_page_agree() {
    let rendered = page::read(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/im-v1-chat-create.md"
    )))
    .unwrap();
    let source = page::read(&docs().join("im/v1/chat/create.md")).unwrap();
    // Guard against comparing two empty pages.
    assert_eq!(source.body.len(), 18);
    assert_eq!(source.query.len(), 3);
    assert!(source.response.len() > 10);
    assert!(source.errors.len() > 10);
    assert_eq!(source.notes.len(), 5);
    assert_eq!(source.field_scopes.len(), 1);
    let found = diffs(&rendered, &source);
    let accepted: Vec<String> = vec![];
    assert_eq!(found, accepted, "{found:#?}");
}
