//! Every mistake a human can make in a schema file is caught with the file,
//! the JSON path and the fix. Each test breaks a copy of the real
//! create-chat schema in one way.

use feishu_codegen::{Problem, check_sources};
use serde_json::{Value, json};

const FILE: &str = "schema/im/v1/chat/create.json";
/// The create-chat schema standing alone (the shared types it names made
/// its own), so each test checks one file.
fn schema() -> Value {
    crate::common::self_contained_create()
}

/// Problems found in the schema after `edit`.
fn problems(edit: impl FnOnce(&mut Value)) -> Vec<Problem> {
    let mut value = schema();
    edit(&mut value);
    problems_in(&serde_json::to_string_pretty(&value).unwrap())
}

fn problems_in(text: &str) -> Vec<Problem> {
    match check_sources(&[(FILE, text)]) {
        Ok(_) => Vec::new(),
        Err(problems) => problems.0,
    }
}

fn problem(path: &str, message: &str, fix: &str) -> Problem {
    Problem {
        file: FILE.into(),
        path: path.into(),
        message: message.into(),
        fix: fix.into(),
    }
}

#[test]
fn the_real_schema_has_no_problems() {
    assert_eq!(problems(|_| {}), []);
}

#[test]
fn bad_json_names_line_and_column() {
    let broken = crate::common::CREATE.replacen("\"method\": \"POST\",", "\"method\": \"POST\"", 1);
    let found = problems_in(&broken);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].file, FILE);
    assert_eq!(found[0].path, "");
    assert_eq!(found[0].message, "expected `,` or `}` at line 19 column 3");
    assert_eq!(found[0].fix, "fix the JSON syntax at line 19, column 3");
}

#[test]
fn text_after_the_document_is_rejected() {
    let found = problems_in(&format!("{}\n}}", crate::common::CREATE.trim_end()));
    let lines = crate::common::CREATE.trim_end().lines().count() + 1;
    assert_eq!(
        found,
        [problem(
            "",
            &format!("trailing characters at line {lines} column 1"),
            &format!("fix the JSON syntax at line {lines}, column 1"),
        )]
    );
}

#[test]
fn misspelled_key_is_rejected_with_its_path_and_the_key_meant() {
    assert_eq!(
        problems(|s| s["body"]["fields"][1]["requird"] = json!(true)),
        [problem(
            "body.fields[1].requird",
            "unknown field `requird`, expected one of `name`, `type`, `required`, `description`, `default`, `example`, `max_length`, `min_length`, `max_items`, `min_items`, `minimum`, `maximum`, `pattern`, `recommended_max_length`, `value_descriptions`, `idempotency_key`, `message_content`, `min_bytes`, `max_bytes`, `rust_name` at line 88 column 17",
            "did you mean `required`?",
        )]
    );
}

fn rename_key(object: &mut Value, from: &str, to: &str) {
    let object = object.as_object_mut().unwrap();
    let value = object.remove(from).unwrap();
    object.insert(to.into(), value);
}

#[test]
fn misspelled_tag_is_named_where_it_is_written() {
    // serde looks for `kind` before it looks at other keys, so it finds
    // `kind` missing rather than `knd` unknown.
    assert_eq!(
        problems(|s| rename_key(&mut s["types"]["UserIdType"], "kind", "knd")),
        [problem(
            "types.UserIdType.knd",
            "missing field `kind` at line 616 column 5",
            "did you mean `kind`?",
        )]
    );
    assert_eq!(
        problems(|s| s["types"]["UserIdType"]["kind"] = json!("enm")),
        [problem(
            "types.UserIdType.kind",
            "unknown variant `enm`, expected `object` or `enum` at line 600 column 19",
            "did you mean `enum`?",
        )]
    );
}

#[test]
fn a_missing_key_is_not_blamed_on_a_valid_one_near_it() {
    // `when` is one edit from the missing `then`, but a key of its own.
    assert_eq!(
        problems(|s| {
            s["body"]["rules"][0]
                .as_object_mut()
                .unwrap()
                .remove("then");
        }),
        [problem(
            "body.rules[0]",
            "missing field `then` at line 213 column 7",
            "make the value match the endpoint format (schema/endpoint.schema.json describes it; editors check it through \"$schema\")",
        )]
    );
}

#[test]
fn wrong_value_type_is_rejected_with_its_path() {
    let found = problems(|s| s["body"]["fields"][5]["max_items"] = json!("fifty"));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].path, "body.fields[5].max_items");
    assert_eq!(
        found[0].message,
        "invalid type: string \"fifty\", expected usize at line 114 column 28"
    );
}

#[test]
fn unknown_type_reference_suggests_the_near_name() {
    assert_eq!(
        problems(|s| s["body"]["fields"][3]["type"] = json!("I18nName")),
        [problem(
            "body.fields[3].type",
            "unknown type `I18nName`",
            "did you mean `I18nNames`?"
        )]
    );
}

#[test]
fn misspelled_scalar_type_suggests_the_scalar() {
    assert_eq!(
        problems(|s| {
            s["query"]["fields"][2]["type"] = json!("strin");
            s["body"]["fields"][5]["type"] = json!("Integr[]");
        }),
        [
            problem(
                "query.fields[2].type",
                "unknown type `strin`",
                "did you mean `string`?"
            ),
            problem(
                "body.fields[5].type",
                "unknown type `Integr`",
                "did you mean `integer`?"
            ),
        ]
    );
}

#[test]
fn unknown_type_reference_suggests_the_nearest_name_not_the_first_near_one() {
    // `ChatTab` and `ChatTag` come first, two edits away; `ChatType` is one.
    assert_eq!(
        problems(|s| s["response"]["fields"][15]["type"] = json!("ChatTpe")),
        [problem(
            "response.fields[15].type",
            "unknown type `ChatTpe`",
            "did you mean `ChatType`?"
        )]
    );
}

#[test]
fn unknown_type_reference_lists_what_exists() {
    let found = problems(|s| s["query"]["fields"][1]["type"] = json!("Flag"));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].path, "query.fields[1].type");
    assert_eq!(found[0].message, "unknown type `Flag`");
    assert!(found[0].fix.starts_with("use string, boolean, integer, number, json, one of the names under `types` (ChatMemberUser, ChatMenuActionType,"), "{}", found[0].fix);
}

#[test]
fn duplicate_field() {
    assert_eq!(
        problems(|s| {
            let name = s["body"]["fields"][1].clone();
            s["body"]["fields"].as_array_mut().unwrap().push(name);
        }),
        [problem(
            "body.fields[18].name",
            "field `name` is described twice",
            "merge the two entries into one"
        )]
    );
}

#[test]
fn fields_that_collide_after_case_conversion() {
    assert_eq!(
        problems(|s| {
            s["body"]["fields"]
                .as_array_mut()
                .unwrap()
                .push(json!({ "name": "ownerId", "type": "string", "description": "x" }));
        }),
        [problem(
            "body.fields[18].name",
            "fields `owner_id` and `ownerId` both become the Rust field `owner_id`",
            "add a distinct \"rust_name\" to one of them",
        )]
    );
}

#[test]
fn enum_values_that_map_to_the_same_rust_name() {
    assert_eq!(
        problems(|s| {
            s["types"]["ChatType"]["values"]
                .as_array_mut()
                .unwrap()
                .push(json!({ "value": "PUBLIC", "description": "x" }));
        }),
        [problem(
            "types.ChatType.values[2].value",
            "values `public` and `PUBLIC` both become the Rust variant `Public`",
            "add a distinct \"rust_name\" to one of them",
        )]
    );
}

#[test]
fn enum_value_named_unknown_is_reserved() {
    assert_eq!(
        problems(|s| {
            s["types"]["ChatTag"]["values"]
                .as_array_mut()
                .unwrap()
                .push(json!({ "value": "unknown", "description": "x" }));
        }),
        [problem(
            "types.ChatTag.values[6].value",
            "`Unknown` is the variant that keeps values the docs do not list",
            "add a different \"rust_name\" to this value",
        )]
    );
}

#[test]
fn invalid_identifiers() {
    assert_eq!(
        problems(|s| {
            s["body"]["fields"]
                .as_array_mut()
                .unwrap()
                .push(json!({ "name": "2fa", "type": "string", "description": "x" }));
            // Letters beyond ASCII pass a first-character check but make no
            // plain Rust identifier.
            s["body"]["fields"]
                .as_array_mut()
                .unwrap()
                .push(json!({ "name": "x²", "type": "string", "description": "x" }));
            let t = s["types"]["ChatMode"].clone();
            s["types"]["chat mode"] = t;
            s["types"]["ChatTag"]["values"][0]["rust_name"] = json!("inner tag");
        }),
        [
            problem(
                "types.chat mode",
                "type name `chat mode` is not an UpperCamelCase Rust type name",
                "rename it, e.g. `ChatMode`"
            ),
            problem(
                "types.ChatTag.values[0].rust_name",
                "`inner tag` is not an UpperCamelCase Rust variant name",
                "write it like `InnerTag`"
            ),
            problem(
                "body.fields[18].name",
                "`2fa` does not make a Rust field name",
                "add \"rust_name\": \"some_name\" to this field"
            ),
            problem(
                "body.fields[19].name",
                "`x²` does not make a Rust field name",
                "add \"rust_name\": \"some_name\" to this field"
            ),
        ]
    );
}

#[test]
fn default_that_is_not_a_documented_value() {
    assert_eq!(
        problems(|s| s["body"]["fields"][9]["default"] = json!("secret")),
        [problem(
            "body.fields[9].default",
            "`secret` is not a documented value of this field's enum",
            "use one of: private, public",
        )]
    );
}

#[test]
fn example_spelling_without_an_alias_is_caught() {
    let found = problems(|s| s["types"]["OwnerOrAllMembers"]["aliases"] = json!([]));
    let paths: Vec<&str> = found.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "examples.response.data.add_member_permission",
            "examples.response.data.at_all_permission",
            "examples.response.data.edit_permission",
        ]
    );
    assert_eq!(
        found[0].message,
        "`all members` is neither a documented value nor an alias of OwnerOrAllMembers"
    );
}

#[test]
fn limit_on_the_wrong_kind_of_field() {
    assert_eq!(
        problems(|s| s["body"]["fields"][5]["max_length"] = json!(3)),
        [problem(
            "body.fields[5]",
            "min_length/max_length count characters of a string, but this field is not a string",
            "use min_items/max_items for arrays, or remove the limit",
        )]
    );
}

#[test]
fn rule_naming_a_missing_field() {
    assert_eq!(
        problems(|s| s["body"]["rules"][0]["when"]["field"] = json!("chat_kind")),
        [problem(
            "body.rules[0].when.field",
            "no field `chat_kind` in this object",
            "name one of: avatar, name, description, i18n_names, owner_id, user_id_list, bot_id_list, group_message_type, chat_mode, chat_type, join_message_visibility, leave_message_visibility, membership_approval, restricted_mode_setting, urgent_setting, video_conference_setting, edit_permission, hide_member_count_setting",
        )]
    );
}

#[test]
fn rule_with_an_undocumented_error_code() {
    assert_eq!(
        problems(|s| s["body"]["rules"][1]["error_code"] = json!(999)),
        [problem(
            "body.rules[1].error_code",
            "999 is not one of the endpoint's documented error codes",
            "use a code from `errors`, or add it there",
        )]
    );
}

#[test]
fn duplicate_error_code() {
    assert_eq!(
        problems(|s| s["errors"][1]["code"] = json!(232001)),
        [problem(
            "errors[1].code",
            "code 232001 is listed twice",
            "remove the second entry"
        )]
    );
}

#[test]
fn type_named_like_a_generated_one() {
    assert_eq!(
        problems(|s| {
            let t = s["types"]["I18nNames"].clone();
            s["types"]["CreateChatBody"] = t;
        }),
        [problem(
            "types.CreateChatBody",
            "`CreateChatBody` is the name generated for the endpoint's Body type",
            "rename the type, or set `type_prefix` to something else",
        )]
    );
}

#[test]
fn all_problems_are_reported_at_once() {
    let found = problems(|s| {
        s["body"]["fields"][3]["type"] = json!("I18nName");
        s["errors"][1]["code"] = json!(232001);
    });
    assert_eq!(found.len(), 2);
}

#[test]
fn keywords_and_odd_wire_names_become_identifiers() {
    let mut value = schema();
    let fields = value["response"]["fields"].as_array_mut().unwrap();
    fields.push(json!({ "name": "type", "type": "string", "description": "x" }));
    fields.push(json!({ "name": "self", "type": "string", "description": "x" }));
    fields.push(json!({ "name": "i18n-key", "type": "string", "description": "x" }));
    fields.push(
        json!({ "name": "2fa", "type": "string", "description": "x", "rust_name": "two_factor" }),
    );
    let api = check_sources(&[(FILE, &value.to_string())]).unwrap();
    let endpoint = &api.endpoints[0];
    let names: Vec<(&str, &str)> = endpoint.response.fields[25..]
        .iter()
        .map(|f| (f.wire_name.as_str(), f.rust_name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("type", "type_"),
            ("self", "self_"),
            ("i18n-key", "i18n_key"),
            ("2fa", "two_factor")
        ]
    );
    let files = feishu_codegen::generate(&api);
    let code = &files["generated/groups/im/src/v1/chat/create.rs"];
    for (wire, rust) in names {
        assert!(
            code.contains(&format!("    pub {rust}: Option<String>,")),
            "{rust}"
        );
        // The serde impls' field list, however prettyplease wraps it.
        let flat = code.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains(&format!(" {rust} = \"{wire}\"")),
            "{wire} -> {rust}"
        );
    }
}

#[test]
fn problems_display_file_path_and_fix() {
    let found = problems(|s| s["body"]["fields"][3]["type"] = json!("I18nName"));
    assert_eq!(
        feishu_codegen::Problems(found).to_string(),
        "error: schema/im/v1/chat/create.json: body.fields[3].type: unknown type `I18nName`\n  fix: did you mean `I18nNames`?"
    );
}

#[test]
fn object_typed_query_parameter() {
    assert_eq!(
        problems(|s| s["query"]["fields"][0]["type"] = json!("I18nNames")),
        [
            problem(
                "query.fields[0].default",
                "\"open_id\" does not fit the field's type",
                "write a value of type I18nNames",
            ),
            problem(
                "query.fields[0].example",
                "\"open_id\" does not fit the field's type",
                "write a value of type I18nNames",
            ),
            problem(
                "query.fields[0].type",
                "query parameter `user_id_type` cannot be an object, a map, json or a nested array",
                "give it a string, boolean, integer, number or enum type (or an array of one)",
            ),
        ]
    );
}

#[test]
fn a_type_that_contains_itself() {
    let cyclic = |child_type: &str| {
        problems(|s| {
            s["types"]["Node"] = json!({
                "kind": "object",
                "fields": [{ "name": "child", "type": child_type, "description": "x" }]
            });
            s["response"]["fields"]
                .as_array_mut()
                .unwrap()
                .push(json!({ "name": "tree", "type": "Node", "description": "x" }));
        })
    };
    assert_eq!(
        cyclic("Node"),
        [problem(
            "types.Node",
            "`Node` contains itself, which no Rust struct can",
            "make one field on the cycle an array of the type (e.g. \"Node[]\"), as the API sends it",
        )]
    );
    // Through an array the cycle is fine: Vec has a size of its own.
    assert_eq!(cyclic("Node[]"), []);
}

#[test]
fn a_type_named_like_a_std_or_serde_name() {
    assert_eq!(
        problems(|s| {
            let t = s["types"]["I18nNames"].clone();
            s["types"]["String"] = t;
        }),
        [problem(
            "types.String",
            "`String` is a name generated code uses from std or serde",
            "rename the type, e.g. `StringValue`",
        )]
    );
}

#[test]
fn nesting_deeper_than_rust_handles() {
    let found = problems(|s| {
        for depth in 0..33 {
            let next = if depth == 32 {
                "string".to_owned()
            } else {
                format!("Level{}", depth + 1)
            };
            s["types"][format!("Level{depth}")] = json!({ "kind": "object", "fields": [{ "name": "next", "type": next, "description": "x" }] });
        }
    });
    assert_eq!(
        found,
        [problem(
            "types.Level0",
            "`Level0` nests objects 33 levels deep; generated Rust supports 32",
            "flatten the nesting, or make a level an array",
        )]
    );
}

#[test]
fn api_group_named_like_a_runtime_module() {
    let text = serde_json::to_string_pretty(&schema()).unwrap();
    let file = "schema/cache/v1/chat/create.json";
    let found = match check_sources(&[(file, &text)]) {
        Ok(_) => Vec::new(),
        Err(problems) => problems.0,
    };
    assert_eq!(
        found,
        [Problem {
            file: file.into(),
            path: String::new(),
            message: "the API group `cache` (schema/cache/) takes a name the crate root already uses for the runtime".into(),
            fix: "rename the folder schema/cache/".into(),
        }]
    );
}

#[test]
fn integer_bound_on_a_field_that_is_not_an_integer() {
    assert_eq!(
        problems(|s| {
            s["body"]["fields"][1]["maximum"] = json!(100);
            s["query"]["fields"].as_array_mut().unwrap().push(
                json!({ "name": "page_size", "type": "integer", "description": "分页大小", "minimum": 50, "maximum": 20 }),
            );
        }),
        [
            problem(
                "query.fields[3]",
                "minimum 50 is greater than maximum 20",
                "swap or correct the bounds",
            ),
            problem(
                "body.fields[1]",
                "minimum/maximum bound an integer, but this field is string",
                "use min_length/max_length for strings or min_items/max_items for arrays, or remove the bound",
            ),
        ]
    );
}

#[test]
fn pattern_that_does_not_compile_or_is_not_on_a_string() {
    let found = problems(|s| {
        s["body"]["fields"][4]["pattern"] = json!("^ou_[0-9a-f+$");
        s["body"]["fields"][5]["pattern"] = json!("^ou_");
        s["body"]["fields"][2]["pattern"] = json!("^\\p{Han}+$");
    });
    let paths: Vec<(&str, &str)> = found
        .iter()
        .map(|p| (p.path.as_str(), p.message.split(':').next().unwrap()))
        .collect();
    assert_eq!(
        paths,
        [
            (
                "body.fields[2].pattern",
                "`^\\p{Han}+$` is not a regular expression the runtime can match"
            ),
            (
                "body.fields[4].pattern",
                "`^ou_[0-9a-f+$` is not a regular expression the runtime can match"
            ),
            (
                "body.fields[5].pattern",
                "a pattern is matched against a string, but this field is not a string"
            ),
        ]
    );
    assert!(
        found[0].fix.contains("regex-lite syntax"),
        "{}",
        found[0].fix
    );
}

#[test]
fn bounds_and_patterns_belong_to_requests() {
    let found = problems(|s| {
        s["response"]["fields"].as_array_mut().unwrap().push(
            json!({ "name": "user_count", "type": "integer", "description": "x", "maximum": 5 }),
        );
    });
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].message,
        "limits are enforced on requests only, but this field is in the response"
    );
}

/// `succeed_type` of chat-members/create: 0, 1 or 2 on the wire.
fn integer_enum() -> Value {
    json!({
        "kind": "enum",
        "repr": "integer",
        "description": "出现不可用ID后的处理方式",
        "values": [
            { "value": 0, "rust_name": "FailOnInvisible", "description": "a" },
            { "value": 1, "rust_name": "AddAvailable", "description": "b" },
            { "value": 2, "rust_name": "FailOnAny", "description": "c" }
        ]
    })
}

#[test]
fn integer_enums_take_integers_named_by_hand() {
    let with_field = |s: &mut Value, default: Value| {
        s["types"]["SucceedType"] = integer_enum();
        s["query"]["fields"].as_array_mut().unwrap().push(json!({
            "name": "succeed_type", "type": "SucceedType", "description": "x", "default": default
        }));
    };
    assert_eq!(problems(|s| with_field(s, json!(1))), []);
    assert_eq!(
        problems(|s| with_field(s, json!(5))),
        [problem(
            "query.fields[3].default",
            "`5` is not a documented value of this field's enum",
            "use one of: 0, 1, 2",
        )]
    );
    assert_eq!(
        problems(|s| with_field(s, json!("1"))),
        [problem(
            "query.fields[3].default",
            "\"1\" does not fit the field's type",
            "write a value of type SucceedType",
        )]
    );
    assert_eq!(
        problems(|s| {
            with_field(s, json!(0));
            s["types"]["SucceedType"]["values"][1]["value"] = json!("one");
            s["types"]["SucceedType"]["values"][2]
                .as_object_mut()
                .unwrap()
                .remove("rust_name");
        }),
        [
            problem(
                "types.SucceedType.values[1].value",
                "`one` is not an integer, but the enum's repr is integer",
                "write the value as a JSON integer, e.g. 0, or remove \"repr\"",
            ),
            problem(
                "types.SucceedType.values[2].value",
                "value `2` does not make a Rust variant name",
                "add \"rust_name\": \"SomeName\" to this value",
            ),
        ]
    );
}

#[test]
fn keyword_file_and_folder_names_become_modules_with_an_underscore() {
    let text = serde_json::to_string(&schema()).unwrap();
    let api = check_sources(&[("schema/im/v1/match/move.json", text.as_str())]).unwrap();
    assert_eq!(
        api.endpoints[0].module_path,
        ["im", "v1", "match_", "move_"]
    );
    assert_eq!(api.endpoints[0].id(), "im.v1.match.move");
    // A name that is no keyword and no snake_case name is still refused.
    let refused = check_sources(&[("schema/im/v1/Match/move.json", text.as_str())]).unwrap_err();
    assert_eq!(
        refused.0[0].message,
        "folder and file names become Rust modules, and `Match` cannot"
    );
}

/// A small 2.0 event schema of `event_type`, its struct named `type_name`
/// when given.
fn event(event_type: &str, type_name: Option<&str>) -> String {
    let mut value = json!({
        "source": {
            "title": "标签创建",
            "url": "https://open.feishu.cn/document/fixture/label/events/created",
            "last_remote_update": "2025-01-01"
        },
        "event_type": event_type,
        "envelope": "2.0",
        "summary": "A label was created.",
        "event": { "fields": [{ "name": "label_id", "type": "string", "description": "标签 ID" }] }
    });
    if let Some(name) = type_name {
        value["type_name"] = name.into();
    }
    serde_json::to_string_pretty(&value).unwrap()
}

fn event_problems(files: &[(&str, String)]) -> Vec<Problem> {
    let sources: Vec<(&str, &str)> = files.iter().map(|(f, t)| (*f, t.as_str())).collect();
    match check_sources(&sources) {
        Ok(_) => Vec::new(),
        Err(problems) => problems.0,
    }
}

#[test]
fn one_event_type_in_two_files_is_refused_even_across_versions() {
    // A delivery names its event type but no API version, so the receiver
    // could not tell the two apart.
    let files = [
        (
            "schema/fixture/v1/label/events/created.json",
            event("fixture.label.created_v1", None),
        ),
        (
            "schema/fixture/v2/label/events/created.json",
            event("fixture.label.created_v1", Some("LabelCreatedAgain")),
        ),
    ];
    assert_eq!(
        event_problems(&files),
        [Problem {
            file: "schema/fixture/v2/label/events/created.json".into(),
            path: String::new(),
            message: "schema/fixture/v1/label/events/created.json has the same event type `fixture.label.created_v1`".into(),
            fix: "remove one of the two files".into(),
        }]
    );
}

#[test]
fn one_rust_name_for_two_events_is_refused_within_a_version_only() {
    let clash = [
        (
            "schema/fixture/v1/label/events/created.json",
            event("fixture.label.created_v1", Some("LabelEvent")),
        ),
        (
            "schema/fixture/v1/tag/events/created.json",
            event("fixture.tag.created_v1", Some("LabelEvent")),
        ),
    ];
    assert_eq!(
        event_problems(&clash),
        [Problem {
            file: "schema/fixture/v1/tag/events/created.json".into(),
            path: String::new(),
            message:
                "schema/fixture/v1/label/events/created.json has the same Rust name `LabelEvent`"
                    .into(),
            fix: "set `type_name` to another name".into(),
        }]
    );
    // Each version has an event enum of its own.
    let apart = [
        clash[0].clone(),
        (
            "schema/fixture/v2/tag/events/created.json",
            event("fixture.tag.created_v1", Some("LabelEvent")),
        ),
    ];
    assert_eq!(event_problems(&apart), []);
}

const TYPES_FILE: &str = "schema/im/v1/types.json";

/// The real shared types after `edit`, as text.
fn shared_types(edit: impl FnOnce(&mut Value)) -> String {
    let mut types: Value = serde_json::from_str(crate::common::SHARED_TYPES).unwrap();
    edit(&mut types);
    serde_json::to_string_pretty(&types).unwrap()
}

#[test]
fn each_kind_of_file_is_pointed_to_its_own_meta_schema() {
    let meta = |format: &str, path: &str| {
        format!(
            "make the value match the {format} format ({path} describes it; editors check it through \"$schema\")"
        )
    };
    let file = "schema/fixture/v1/label/events/created.json";
    let text = event("fixture.label.created_v1", None).replace("\"A label was created.\"", "5");
    assert_eq!(
        event_problems(&[(file, text)]),
        [Problem {
            file: file.into(),
            path: "summary".into(),
            message: "invalid type: integer `5`, expected a string at line 9 column 14".into(),
            fix: meta("event", "schema/event.schema.json"),
        }]
    );
    assert_eq!(
        event_problems(&[(TYPES_FILE, shared_types(|t| t["description"] = json!(5)))]),
        [Problem {
            file: TYPES_FILE.into(),
            path: "description".into(),
            message: "invalid type: integer `5`, expected a string at line 3 column 18".into(),
            fix: meta("shared-types", "schema/types.schema.json"),
        }]
    );
    assert_eq!(
        problems(|s| s["summary"] = json!(5)),
        [problem(
            "summary",
            "invalid type: integer `5`, expected a string at line 9 column 14",
            &meta("endpoint", "schema/endpoint.schema.json"),
        )]
    );
}

#[test]
fn a_shared_types_file_that_does_not_load_is_reported_alone() {
    // Create chat names a dozen of the shared types: each would be
    // unknown, but only because their file did not load. An event of the
    // same version that names none of them is still checked.
    let types = shared_types(|t| rename_key(&mut t["types"]["UserIdType"], "kind", "knd"));
    let label = "schema/im/v1/label/events/created.json";
    assert_eq!(
        event_problems(&[
            (TYPES_FILE, types),
            (FILE, crate::common::CREATE.to_owned()),
            (label, event("Im.Label.Created", None)),
        ]),
        [
            Problem {
                file: TYPES_FILE.into(),
                path: "types.UserIdType.knd".into(),
                message: "missing field `kind` at line 22 column 5".into(),
                fix: "did you mean `kind`?".into(),
            },
            Problem {
                file: label.into(),
                path: "event_type".into(),
                message: "`Im.Label.Created` is not an event type".into(),
                fix: "copy the page's 事件类型, e.g. im.chat.disbanded_v1".into(),
            },
        ]
    );
}

/// The body field `name` of the create-chat schema.
fn body_field<'v>(schema: &'v mut Value, name: &str) -> &'v mut Value {
    let fields = schema["body"]["fields"].as_array_mut().unwrap();
    fields.iter_mut().find(|f| f["name"] == name).unwrap()
}

#[test]
fn value_descriptions_need_an_enum_or_a_list_of_one() {
    let described = json!({"thread": "话题消息"});
    let as_list = problems(|schema| {
        let field = body_field(schema, "group_message_type");
        field["type"] = json!("GroupMessageType[]");
        field.as_object_mut().unwrap().remove("default");
        field["example"] = json!(["chat", "thread"]);
        field["value_descriptions"] = described.clone();
        schema["examples"]["request_body"]["group_message_type"] = json!(["chat"]);
    });
    assert_eq!(as_list, []);
    let on_a_string = problems(|schema| {
        body_field(schema, "description")["value_descriptions"] = described.clone();
    });
    assert_eq!(
        on_a_string,
        [problem(
            "body.fields[2].value_descriptions",
            "only enum fields (or lists of an enum) have value descriptions",
            "remove `value_descriptions`, or give the field an enum type",
        )]
    );
}

/// The JSON path of the body field `map_field` adds, under it.
fn map_field_path(under: &str) -> String {
    let index = schema()["body"]["fields"].as_array().unwrap().len();
    format!("body.fields[{index}].{under}")
}

/// Adds a body field `attrs` of type `ty`, with `example` when given.
fn map_field(ty: &str, example: Option<Value>) -> Vec<Problem> {
    problems(|s| {
        let mut field = json!({ "name": "attrs", "type": ty, "description": "x" });
        if let Some(example) = example {
            field["example"] = example;
        }
        s["body"]["fields"].as_array_mut().unwrap().push(field);
    })
}

#[test]
fn a_map_whose_keys_are_not_strings() {
    let fix = "write `map<string, T>`: the keys are strings (JSON object keys), and T is string, boolean, integer, number, json, a name from `types`, any of them followed by [], or another map";
    for wrong in [
        "map<integer, string>",
        "map<string>",
        "Map<string, string>",
        "map<string, string",
    ] {
        assert_eq!(
            map_field(wrong, None),
            [problem(
                &map_field_path("type"),
                &format!("`{wrong}` is not a map type"),
                fix
            )]
        );
    }
}

#[test]
fn a_map_of_an_unknown_type_names_the_value_type() {
    assert_eq!(
        map_field("map<string, I18nName>", None),
        [problem(
            &map_field_path("type"),
            "unknown type `I18nName`",
            "did you mean `I18nNames`?"
        )]
    );
}

#[test]
fn a_map_example_is_checked_per_value() {
    assert_eq!(
        map_field("map<string, integer>", Some(json!({ "a": 1, "b": "two" }))),
        [problem(
            &map_field_path("example.b"),
            "\"two\" does not fit the field's type",
            "write a value of type integer"
        )]
    );
    assert_eq!(
        map_field("map<string, string>", Some(json!(["a"]))),
        [problem(
            &map_field_path("example"),
            "[\"a\"] does not fit the field's type",
            "write a value of type map<string, string>"
        )]
    );
}

#[test]
fn a_map_in_the_query_is_refused() {
    let found = problems(|s| s["query"]["fields"][0]["type"] = json!("map<string, string>"));
    assert!(
        found.contains(&problem(
            "query.fields[0].type",
            "query parameter `user_id_type` cannot be an object, a map, json or a nested array",
            "give it a string, boolean, integer, number or enum type (or an array of one)",
        )),
        "{found:?}"
    );
}

#[test]
fn an_empty_token_list_is_refused_and_none_must_stand_alone() {
    assert_eq!(
        problems(|s| s["access_tokens"] = json!([])),
        [problem(
            "access_tokens",
            "no access token type is listed",
            "list the token types the page's Authorization header accepts, e.g. [\"tenant\"], or [\"none\"] for a call that sends no token",
        )]
    );
    assert_eq!(
        problems(|s| s["access_tokens"] = json!(["none", "tenant"])),
        [problem(
            "access_tokens",
            "`none` is listed with token types",
            "list `none` alone (the call sends no token) or only the token types it accepts",
        )]
    );
}

/// `["none"]`: the call sends no token; the runtime reads that from an
/// empty `access_tokens`, and the method's doc says so.
#[test]
fn a_call_that_sends_no_token_gets_an_empty_token_list() {
    let mut value = schema();
    value["access_tokens"] = json!(["none"]);
    let text = serde_json::to_string_pretty(&value).unwrap();
    let api = check_sources(&[(FILE, &text)]).unwrap_or_else(|p| panic!("{p}"));
    let files = feishu_codegen::generate(&api);
    let module = &files["generated/groups/im/src/v1/chat/create.rs"];
    assert!(module.contains("access_tokens: &[],"), "{module}");
    let client = files
        .values()
        .find(|f| f.contains("Token: none: the call sends no `Authorization` header"));
    assert!(
        client.is_some(),
        "no method doc says the call sends no token"
    );
}

#[test]
fn message_content_needs_a_body_string_beside_msg_type() {
    assert_eq!(
        problems(|s| s["body"]["fields"][1]["message_content"] = json!(true)),
        [problem(
            "body",
            "`name` is marked message_content but the body has no `msg_type`",
            "mark the content field of a body that names its message type in `msg_type`",
        )]
    );
    assert_eq!(
        problems(|s| s["query"]["fields"][2]["message_content"] = json!(true)),
        [problem(
            "",
            "message_content is only meaningful on a body field",
            "remove it from query and response fields",
        )]
    );
    let with_msg_type = |s: &mut Value| {
        let fields = s["body"]["fields"].as_array_mut().unwrap();
        fields.push(json!({"name": "msg_type", "type": "string", "description": "消息类型"}));
        fields[1]["message_content"] = json!(true);
    };
    assert_eq!(problems(with_msg_type), []);
    assert_eq!(
        problems(|s| {
            with_msg_type(s);
            s["body"]["fields"][2]["message_content"] = json!(true);
        }),
        [problem(
            "body",
            "more than one body field is marked message_content",
            "mark only the field that holds the message's JSON text",
        )]
    );
}

#[test]
fn a_call_that_sends_and_answers_a_file_is_refused() {
    let found = problems(|s| {
        s["response"]["fields"] = json!([]);
        s["examples"] = json!(null);
        s["binary_response"] = json!(true);
        s["body"]["fields"][0]["type"] = json!("file");
        s["body"]["fields"][0]
            .as_object_mut()
            .unwrap()
            .remove("example");
    });
    assert!(
        found.contains(&problem(
            "binary_response",
            "a call that both sends a file and answers one is not supported",
            "remove `binary_response`, or type the body's file field otherwise",
        )),
        "{found:#?}"
    );
}

#[test]
fn a_file_answer_has_no_data_fields() {
    assert_eq!(
        problems(|s| s["binary_response"] = json!(true)),
        [problem(
            "binary_response",
            "a file answer has no JSON `data`, but `response` lists fields or `examples` a response",
            "remove the response fields and example, or `binary_response` if the page answers JSON",
        )]
    );
}

#[test]
fn a_file_is_only_a_body_s_own_field_and_bytes_bound_only_a_file() {
    assert_eq!(
        problems(|s| s["response"]["fields"][0]["type"] = json!("file")),
        [
            problem(
                "response.fields[0].type",
                "`chat_id` is a file, which only a request body's own field can be",
                "type it `file` as a field of `body`; a file in a list, a map, a response or a named type has no spelling on the wire",
            ),
            problem(
                "examples.response.data.chat_id",
                "a file has no example value",
                "remove the example: a file's bytes are not JSON",
            )
        ]
    );
    assert_eq!(
        problems(|s| s["body"]["fields"][1]["max_bytes"] = json!(10)),
        [problem(
            "body.fields[1]",
            "min_bytes/max_bytes bound the size of a file, but this field is not a `file`",
            "use min_length/max_length for strings, or remove the bound",
        )]
    );
}
