//! The fake Feishu keeps one state for the group-chat family: raw HTTP
//! calls on loopback, checked against the codes and fields of the pages.

use feishu_openapi::testing::FakeFeishu;
use serde_json::{Value, json};

const USER: &str = "ou_7d8a6e6df7621556ce0d21922b676706ccs";
const OTHER: &str = "ou_9204a37300b3700d61effaa439f34295";
const BOT: &str = "cli_a10fbf7e94b8d01d";

/// A fake, a tenant token fetched from it, and raw calls with it.
struct Bot {
    fake: FakeFeishu,
    http: reqwest::Client,
    token: String,
}

impl Bot {
    async fn start() -> Self {
        Self::with(FakeFeishu::builder().user(OTHER)).await
    }

    async fn with(builder: feishu_openapi::testing::FakeFeishuBuilder) -> Self {
        let fake = builder.start().await.unwrap();
        let http = reqwest::Client::new();
        let answer: Value = http
            .post(format!(
                "{}/open-apis/auth/v3/tenant_access_token/internal",
                fake.url()
            ))
            .json(&json!({"app_id": fake.app_id(), "app_secret": fake.app_secret()}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = answer["tenant_access_token"].as_str().unwrap().to_owned();
        Self { fake, http, token }
    }

    /// Sends `method path` with `body` (JSON, if any); answers status and body.
    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        self.call_as(&self.token.clone(), method, path, body).await
    }

    async fn call_as(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self
            .http
            .request(
                method,
                format!("{}/open-apis/im/v1/{path}", self.fake.url()),
            )
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    /// Calls and expects code 0; answers `data`.
    async fn ok(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let (status, answer) = self.call(method, path, body).await;
        assert_eq!((status, &answer["code"]), (200, &json!(0)), "{answer}");
        answer["data"].clone()
    }

    /// Calls and expects HTTP 400 with `code`, which must be in the error
    /// table of the endpoint's page.
    async fn fails(&self, method: &str, path: &str, body: Option<Value>, code: i64) -> Value {
        let (status, answer) = self.call(method, path, body).await;
        assert_eq!((status, &answer["code"]), (400, &json!(code)), "{answer}");
        let msg = answer["msg"].as_str().unwrap_or_default();
        assert_documented(method, path, code, msg);
        answer
    }

    /// A user access token for `user`, through the fake's OAuth exchange.
    async fn user_token(&self, user: &str) -> String {
        let code = self.fake.authorize(user);
        let answer: Value = self
            .http
            .post(format!(
                "{}/open-apis/authen/v2/oauth/token",
                self.fake.url()
            ))
            .json(&json!({
                "grant_type": "authorization_code",
                "client_id": self.fake.app_id(),
                "client_secret": self.fake.app_secret(),
                "code": code,
            }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        answer["access_token"].as_str().unwrap().to_owned()
    }

    async fn create(&self, body: Value) -> String {
        let data = self.ok("POST", "chats", Some(body)).await;
        data["chat_id"].as_str().unwrap().to_owned()
    }
}

#[tokio::test]
async fn a_chat_lives_from_create_to_disband() {
    let bot = Bot::start().await;
    let chat = bot
        .create(json!({"name": "release-42", "owner_id": USER, "chat_type": "public"}))
        .await;

    let got = bot.ok("GET", &format!("chats/{chat}"), None).await;
    assert_eq!(got["name"], "release-42");
    assert_eq!(got["owner_id"], USER);
    assert_eq!(got["chat_status"], "normal");
    assert_eq!(got["user_count"], "1");
    assert_eq!(got["bot_count"], "1");
    assert_eq!(got["user_manager_id_list"], json!([]));
    assert!(got.get("chat_id").is_none(), "get's example has no chat_id");

    let updated = bot
        .ok(
            "PUT",
            &format!("chats/{chat}"),
            Some(json!({"name": "release-43", "description": "ship it"})),
        )
        .await;
    assert_eq!(updated, json!({}));
    let got = bot.ok("GET", &format!("chats/{chat}"), None).await;
    assert_eq!(
        (&got["name"], &got["description"]),
        (&json!("release-43"), &json!("ship it"))
    );

    // Members: add one, page them, ask who is in.
    let added = bot
        .ok(
            "POST",
            &format!("chats/{chat}/members"),
            Some(json!({"id_list": [OTHER]})),
        )
        .await;
    assert_eq!(added["not_existed_id_list"], json!([]));
    assert_eq!(bot.fake.members(&chat).unwrap(), vec![USER, OTHER]);
    let members = bot
        .ok("GET", &format!("chats/{chat}/members?page_size=1"), None)
        .await;
    assert_eq!(members["items"][0]["member_id"], USER);
    assert_eq!(members["member_total"], 2);
    assert_eq!(members["has_more"], true);
    let token = members["page_token"].as_str().unwrap();
    let rest = bot
        .ok(
            "GET",
            &format!("chats/{chat}/members?page_size=1&page_token={token}"),
            None,
        )
        .await;
    assert_eq!(rest["items"][0]["member_id"], OTHER);
    assert_eq!(
        (&rest["has_more"], &rest["page_token"]),
        (&json!(false), &json!(""))
    );
    let inside = bot
        .ok("GET", &format!("chats/{chat}/members/is_in_chat"), None)
        .await;
    assert_eq!(inside, json!({"is_in_chat": true}));

    // Managers: the creating bot acts as owner.
    let managers = bot
        .ok(
            "POST",
            &format!("chats/{chat}/managers/add_managers"),
            Some(json!({"manager_ids": [OTHER]})),
        )
        .await;
    assert_eq!(
        managers,
        json!({"chat_managers": [OTHER], "chat_bot_managers": []})
    );
    let got = bot.ok("GET", &format!("chats/{chat}"), None).await;
    assert_eq!(got["user_manager_id_list"], json!([OTHER]));
    bot.ok(
        "POST",
        &format!("chats/{chat}/managers/delete_managers"),
        Some(json!({"manager_ids": [OTHER]})),
    )
    .await;
    let got = bot.ok("GET", &format!("chats/{chat}"), None).await;
    assert_eq!(got["user_manager_id_list"], json!([]));

    // Announcement: patch on the current revision, then get shows it.
    let notice = bot
        .ok("GET", &format!("chats/{chat}/announcement"), None)
        .await;
    assert_eq!(
        (&notice["content"], &notice["revision"]),
        (&json!(""), &json!("0"))
    );
    bot.ok(
        "PATCH",
        &format!("chats/{chat}/announcement"),
        Some(json!({"revision": "0", "requests": ["hello"]})),
    )
    .await;
    let notice = bot
        .ok("GET", &format!("chats/{chat}/announcement"), None)
        .await;
    assert_eq!(
        (&notice["content"], &notice["revision"]),
        (&json!("hello"), &json!("1"))
    );
    assert_eq!(notice["modifier_id"], BOT_APP);
    bot.fails(
        "PATCH",
        &format!("chats/{chat}/announcement"),
        Some(json!({"revision": "0", "requests": ["stale"]})),
        232018,
    )
    .await;

    // Top notice.
    bot.ok(
        "POST",
        &format!("chats/{chat}/top_notice/put_top_notice"),
        Some(json!({"chat_top_notice": [{"action_type": "2"}]})),
    )
    .await;
    assert_eq!(
        bot.fake.top_notice(&chat),
        Some(json!({"action_type": "2"}))
    );
    bot.ok(
        "POST",
        &format!("chats/{chat}/top_notice/delete_top_notice"),
        None,
    )
    .await;
    assert_eq!(bot.fake.top_notice(&chat), None);

    // Moderation.
    bot.ok(
        "PUT",
        &format!("chats/{chat}/moderation"),
        Some(json!({"moderation_setting": "moderator_list", "moderator_added_list": [OTHER]})),
    )
    .await;
    let moderation = bot
        .ok("GET", &format!("chats/{chat}/moderation"), None)
        .await;
    assert_eq!(moderation["moderation_setting"], "moderator_list");
    assert_eq!(moderation["items"][0]["user_id"], OTHER);
    assert_eq!(moderation["has_more"], false);
    let got = bot.ok("GET", &format!("chats/{chat}"), None).await;
    assert_eq!(got["moderation_permission"], "moderator_list");

    // Link.
    let link = bot
        .ok(
            "POST",
            &format!("chats/{chat}/link"),
            Some(json!({"validity_period": "permanently"})),
        )
        .await;
    assert_eq!(
        (&link["is_permanent"], &link["expire_time"]),
        (&json!(true), &json!("0"))
    );

    // Disband: get and members get answer the documented codes.
    assert_eq!(
        bot.ok("DELETE", &format!("chats/{chat}"), None).await,
        json!({})
    );
    assert_eq!(bot.fake.is_disbanded(&chat), Some(true));
    let gone = bot
        .fails("GET", &format!("chats/{chat}"), None, 232006)
        .await;
    assert_eq!(
        gone["msg"],
        "Your request specifies a chat_id which is invalid."
    );
    let gone = bot
        .fails("GET", &format!("chats/{chat}/members"), None, 232009)
        .await;
    assert_eq!(
        gone["msg"],
        "Your request specifies a chat which has already been dissolved."
    );
    bot.fails("DELETE", &format!("chats/{chat}"), None, 232009)
        .await;
    let list = bot.ok("GET", "chats", None).await;
    assert_eq!(list["items"], json!([]));
}

const BOT_APP: &str = "cli_fake_app";

#[tokio::test]
async fn tabs_are_created_listed_updated_sorted_and_deleted() {
    let bot = Bot::start().await;
    let chat = bot.create(json!({"name": "tabs"})).await;
    let listed = bot
        .ok("GET", &format!("chats/{chat}/chat_tabs/list_tabs"), None)
        .await;
    let tabs = listed["chat_tabs"].as_array().unwrap().clone();
    assert_eq!(tabs.len(), 1);
    assert_eq!(tabs[0]["tab_type"], "message");
    let message = tabs[0]["tab_id"].as_str().unwrap().to_owned();

    let created = bot
        .ok(
            "POST",
            &format!("chats/{chat}/chat_tabs"),
            Some(json!({"chat_tabs": [
                {"tab_name": "doc", "tab_type": "doc", "tab_content": {"doc": "https://example.feishu.cn/wiki/x"}},
                {"tab_name": "site", "tab_type": "url", "tab_content": {"url": "https://www.feishu.cn/"}},
            ]})),
        )
        .await;
    let ids: Vec<String> = created["chat_tabs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tab| tab["tab_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 3);
    assert_eq!(
        created["chat_tabs"][2]["tab_content"],
        json!({"url": "https://www.feishu.cn/"})
    );

    let updated = bot
        .ok(
            "POST",
            &format!("chats/{chat}/chat_tabs/update_tabs"),
            Some(json!({"chat_tabs": [
                {"tab_id": ids[1], "tab_name": "renamed", "tab_type": "doc", "tab_content": {"doc": "https://example.feishu.cn/docx/y"}},
            ]})),
        )
        .await;
    assert_eq!(updated["chat_tabs"][1]["tab_name"], "renamed");

    let sorted = bot
        .ok(
            "POST",
            &format!("chats/{chat}/chat_tabs/sort_tabs"),
            Some(json!({"tab_ids": [message, ids[2], ids[1]]})),
        )
        .await;
    let order: Vec<&str> = sorted["chat_tabs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tab| tab["tab_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        vec![message.as_str(), ids[2].as_str(), ids[1].as_str()]
    );

    let left = bot
        .ok(
            "DELETE",
            &format!("chats/{chat}/chat_tabs/delete_tabs"),
            Some(json!({"tab_ids": [ids[2]]})),
        )
        .await;
    assert_eq!(left["chat_tabs"].as_array().unwrap().len(), 2);
    assert_eq!(bot.fake.tabs(&chat).unwrap().len(), 2);

    // A name over the page's 60 characters: 232047.
    let long = "x".repeat(61);
    bot.fails(
        "POST",
        &format!("chats/{chat}/chat_tabs"),
        Some(json!({"chat_tabs": [{"tab_name": long, "tab_type": "url", "tab_content": {"url": "https://www.feishu.cn/"}}]})),
        232047,
    )
    .await;
    // A tab whose content is no link: the page's 232048.
    bot.fails(
        "POST",
        &format!("chats/{chat}/chat_tabs"),
        Some(json!({"chat_tabs": [{"tab_name": "x", "tab_type": "url", "tab_content": {"url": "nope"}}]})),
        232048,
    )
    .await;
}

#[tokio::test]
async fn menus_are_created_sorted_patched_and_deleted() {
    let bot = Bot::start().await;
    let chat = bot.create(json!({"name": "menus"})).await;
    let item = |name: &str| json!({"action_type": "NONE", "name": name});
    let created = bot
        .ok(
            "POST",
            &format!("chats/{chat}/menu_tree"),
            Some(json!({"menu_tree": {"chat_menu_top_levels": [
                {"chat_menu_item": item("a"), "children": [{"chat_menu_item": item("a1")}]},
                {"chat_menu_item": item("b")},
            ]}})),
        )
        .await;
    let tops = created["menu_tree"]["chat_menu_top_levels"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(tops.len(), 2);
    let a = tops[0]["chat_menu_top_level_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let b = tops[1]["chat_menu_top_level_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let a1 = tops[0]["children"][0]["chat_menu_second_level_id"]
        .as_str()
        .unwrap()
        .to_owned();

    let sorted = bot
        .ok(
            "POST",
            &format!("chats/{chat}/menu_tree/sort"),
            Some(json!({"chat_menu_top_level_ids": [b, a]})),
        )
        .await;
    assert_eq!(
        sorted["menu_tree"]["chat_menu_top_levels"][0]["chat_menu_top_level_id"],
        b
    );
    bot.fails(
        "POST",
        &format!("chats/{chat}/menu_tree/sort"),
        Some(json!({"chat_menu_top_level_ids": [a]})),
        232072,
    )
    .await;

    let patched = bot
        .ok(
            "PATCH",
            &format!("chats/{chat}/menu_items/{a1}"),
            Some(json!({"update_fields": ["NAME"], "chat_menu_item": {"name": "renamed"}})),
        )
        .await;
    assert_eq!(patched["chat_menu_item"]["name"], "renamed");
    let got = bot
        .ok("GET", &format!("chats/{chat}/menu_tree"), None)
        .await;
    assert_eq!(
        got["menu_tree"]["chat_menu_top_levels"][1]["children"][0]["chat_menu_item"]["name"],
        "renamed"
    );

    let left = bot
        .ok(
            "DELETE",
            &format!("chats/{chat}/menu_tree"),
            Some(json!({"chat_menu_top_level_ids": [b]})),
        )
        .await;
    assert_eq!(
        left["menu_tree"]["chat_menu_top_levels"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Four top-level menus are one more than the page allows.
    let four: Vec<Value> = (0..3)
        .map(|n| json!({"chat_menu_item": item(&n.to_string())}))
        .collect();
    bot.fails(
        "POST",
        &format!("chats/{chat}/menu_tree"),
        Some(json!({"menu_tree": {"chat_menu_top_levels": four}})),
        232070,
    )
    .await;
}

#[tokio::test]
async fn list_pages_over_no_one_and_many_pages() {
    let bot = Bot::start().await;
    let empty = bot.ok("GET", "chats", None).await;
    assert_eq!(
        empty,
        json!({"items": [], "page_token": "", "has_more": false})
    );

    let first = bot.create(json!({"name": "chat-0"})).await;
    let one = bot.ok("GET", "chats", None).await;
    assert_eq!(one["items"].as_array().unwrap().len(), 1);
    assert_eq!(one["items"][0]["chat_id"], first);
    assert_eq!(one["items"][0]["chat_status"], "normal");
    assert_eq!(one["has_more"], false);

    for n in 1..45 {
        bot.create(json!({"name": format!("chat-{n}")})).await;
    }
    // Default page size 20: 20 + 20 + 5.
    let mut names = Vec::new();
    let mut sizes = Vec::new();
    let mut token = String::new();
    loop {
        let path = if token.is_empty() {
            "chats".to_owned()
        } else {
            format!("chats?page_token={token}")
        };
        let page = bot.ok("GET", &path, None).await;
        let items = page["items"].as_array().unwrap();
        sizes.push(items.len());
        names.extend(
            items
                .iter()
                .map(|item| item["name"].as_str().unwrap().to_owned()),
        );
        if page["has_more"] == false {
            assert_eq!(page["page_token"], "");
            break;
        }
        token = page["page_token"].as_str().unwrap().to_owned();
    }
    assert_eq!(sizes, vec![20, 20, 5]);
    let expected: Vec<String> = (0..45).map(|n| format!("chat-{n}")).collect();
    assert_eq!(names, expected);

    let all = bot.ok("GET", "chats?page_size=100", None).await;
    assert_eq!(all["items"].as_array().unwrap().len(), 45);
    let found = bot.ok("GET", "chats/search?query=chat-4", None).await;
    assert_eq!(
        found["items"].as_array().unwrap().len(),
        6,
        "chat-4 and chat-40..44"
    );
}

#[tokio::test]
async fn page_size_over_the_limit_and_unknown_tokens_are_invalid_parameters() {
    let bot = Bot::start().await;
    let chat = bot.create(json!({"name": "limits"})).await;
    // The pages' limits, checked by the generated query types as the
    // client checks them: Feishu's field validation answer.
    for path in [
        "chats?page_size=101".to_owned(),
        "chats/search?page_size=101".to_owned(),
        format!("chats/{chat}/members?page_size=101"),
    ] {
        let (status, answer) = bot.call("GET", &path, None).await;
        assert_eq!(status, 400, "{path}");
        assert_eq!(
            answer,
            json!({
                "code": 99992402,
                "msg": "field validation failed",
                "error": {"field_violations": [{
                    "field": "query.page_size",
                    "description": "must be at most 100 (is 101)",
                }]},
            }),
            "{path}"
        );
    }
    // The moderation page puts its 最大值 100 on `page_token` (the doc site
    // swapped two cells), so the schema has no limit there: the fake's
    // paging refuses it as the other endpoints' invalid parameter.
    for path in [
        format!("chats/{chat}/moderation?page_size=101"),
        "chats?page_size=0".to_owned(),
        "chats?page_token=made-up".to_owned(),
    ] {
        let answer = bot.fails("GET", &path, None, 232001).await;
        assert_eq!(
            answer["msg"],
            "Your request contains an invalid request parameter."
        );
    }
}

#[tokio::test]
async fn unknown_chats_answer_each_pages_code() {
    let bot = Bot::start().await;
    let missing = "oc_00000000000000000000000000000000";
    for (method, path, code) in [
        ("GET", format!("chats/{missing}"), 232006),
        ("PUT", format!("chats/{missing}"), 232006),
        ("DELETE", format!("chats/{missing}"), 232006),
        ("GET", format!("chats/{missing}/members"), 232006),
        ("GET", format!("chats/{missing}/members/is_in_chat"), 232006),
        (
            "GET",
            format!("chats/{missing}/chat_tabs/list_tabs"),
            232006,
        ),
        // These pages document no code for an unknown chat: 232001.
        ("GET", format!("chats/{missing}/announcement"), 232001),
        ("GET", format!("chats/{missing}/menu_tree"), 232001),
        (
            "POST",
            format!("chats/{missing}/top_notice/delete_top_notice"),
            232001,
        ),
    ] {
        bot.fails(method, &path, None, code).await;
    }
}

#[tokio::test]
async fn outsiders_and_non_owners_get_the_documented_codes() {
    let bot = Bot::start().await;
    // A chat the bot is not in: created by a user, without the bot.
    let user_token = bot.user_token(OTHER).await;
    let (_, created) = bot
        .call_as(
            &user_token,
            "POST",
            "chats",
            Some(json!({"name": "theirs", "chat_type": "public"})),
        )
        .await;
    let chat = created["data"]["chat_id"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_owned();

    bot.fails("GET", &format!("chats/{chat}/members"), None, 232011)
        .await;
    bot.fails(
        "GET",
        &format!("chats/{chat}/chat_tabs/list_tabs"),
        None,
        232011,
    )
    .await;
    bot.fails("DELETE", &format!("chats/{chat}"), None, 232011)
        .await;
    let inside = bot
        .ok("GET", &format!("chats/{chat}/members/is_in_chat"), None)
        .await;
    assert_eq!(inside["is_in_chat"], false);
    // Get answers an outsider only the public fields.
    let seen = bot.ok("GET", &format!("chats/{chat}"), None).await;
    assert_eq!(seen["name"], "theirs");
    assert!(seen.get("owner_id").is_none());

    // The bot joins the public chat, then is a member but not the owner.
    assert_eq!(
        bot.ok("PATCH", &format!("chats/{chat}/members/me_join"), None)
            .await,
        json!({})
    );
    assert_eq!(bot.fake.bot_members(&chat).unwrap(), vec![BOT_APP]);
    bot.fails("DELETE", &format!("chats/{chat}"), None, 232017)
        .await;
    bot.fails(
        "POST",
        &format!("chats/{chat}/managers/add_managers"),
        Some(json!({"manager_ids": [OTHER]})),
        232038,
    )
    .await;
    bot.fails(
        "PUT",
        &format!("chats/{chat}"),
        Some(json!({"chat_type": "private"})),
        232016,
    )
    .await;
    bot.fails(
        "DELETE",
        &format!("chats/{chat}/members"),
        Some(json!({"id_list": [OTHER]})),
        232014,
    )
    .await;

    // A private chat cannot be joined.
    let private = bot.create(json!({"name": "closed"})).await;
    let (_, joined) = bot
        .call_as(
            &user_token,
            "PATCH",
            &format!("chats/{private}/members/me_join"),
            None,
        )
        .await;
    assert_eq!(joined["code"], 232008);
}

#[tokio::test]
async fn every_endpoint_checks_the_token() {
    let bot = Bot::start().await;
    let chat = bot.create(json!({"name": "tokens"})).await;
    for (method, path) in [
        ("GET", format!("chats/{chat}")),
        ("GET", "chats".to_owned()),
        ("GET", format!("chats/{chat}/members")),
        ("GET", format!("chats/{chat}/menu_tree")),
    ] {
        let (status, answer) = bot.call_as("t-not-issued", method, &path, None).await;
        assert_eq!((status, &answer["code"]), (400, &json!(99991663)));
    }
    assert_eq!(BOT, "cli_a10fbf7e94b8d01d");
}

/// Fails unless `code` is in the error table of the page of `method path`
/// (read from `pages/im/v1`) with `msg` as its description, so the fake
/// cannot drift to codes or words the pages do not document.
fn assert_documented(method: &str, path: &str, code: i64, msg: &str) {
    let path = format!("/open-apis/im/v1/{}", path.split('?').next().unwrap());
    let mut pages = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../pages/im/v1");
    for folder in std::fs::read_dir(root).unwrap() {
        for page in std::fs::read_dir(folder.unwrap().path()).unwrap() {
            let page = page.unwrap().path();
            if page.extension().is_some_and(|ext| ext == "md") {
                pages.push(std::fs::read_to_string(page).unwrap());
            }
        }
    }
    let cell = |text: &str, header: &str| -> Option<String> {
        let after = &text[text.find(header)? + header.len()..];
        let start = after.find("<md-td>")? + "<md-td>".len();
        let end = after[start..].find("</md-td>")?;
        Some(after[start..start + end].trim().to_owned())
    };
    // The page whose pattern matches with the fewest `:params` wins, so
    // `chats/search` is not taken for `chats/:chat_id`.
    let page = pages
        .iter()
        .filter(|page| cell(page, "HTTP Method</md-th>").as_deref() == Some(method))
        .filter_map(|page| {
            let url = cell(page, "HTTP URL</md-th>")?;
            let pattern = url.strip_prefix("https://open.feishu.cn")?.to_owned();
            let parts: Vec<&str> = pattern.split('/').collect();
            let segments: Vec<&str> = path.split('/').collect();
            let fits = parts.len() == segments.len()
                && parts
                    .iter()
                    .zip(&segments)
                    .all(|(part, segment)| part.starts_with(':') || part == segment);
            fits.then(|| (pattern.matches(':').count(), page))
        })
        .min_by_key(|(params, _)| *params)
        .map(|(_, page)| page)
        .unwrap_or_else(|| panic!("no page for {method} {path}"));
    let table = &page[page.find("### 错误码").unwrap()..];
    let rows = regex_lite::Regex::new(
        r"<md-td>\d{3}</md-td>\s*<md-td>(\d+)</md-td>\s*<md-td>([^<]*)</md-td>",
    )
    .unwrap();
    let descriptions: Vec<String> = rows
        .captures_iter(table)
        .filter(|row| row[1] == code.to_string())
        .map(|row| row[2].trim().to_owned())
        .collect();
    assert!(
        !descriptions.is_empty(),
        "{code} is not in the error table of {method} {path}"
    );
    assert!(
        descriptions.iter().any(|description| description == msg),
        "{code} answers {msg:?}, the page says {descriptions:?}"
    );
}

/// The check above has teeth: get's page lists no 232009, which is why a
/// disbanded chat's get answers 232006.
#[test]
#[should_panic(expected = "232009 is not in the error table")]
fn a_code_the_page_lacks_fails_the_check() {
    assert_documented(
        "GET",
        "chats/oc_a0553eda9014c201e6969b478895c230",
        232009,
        "Your request specifies a chat which has already been dissolved.",
    );
}

#[tokio::test]
async fn members_page_and_member_errors_answer_the_pages_codes() {
    let users: Vec<String> = (0..45).map(|n| format!("ou_member_{n:02}")).collect();
    let builder = users
        .iter()
        .fold(FakeFeishu::builder().user(OTHER), |builder, user| {
            builder.user(user)
        });
    let bot = Bot::with(builder).await;
    let chat = bot.create(json!({"name": "crowd", "owner_id": USER})).await;

    // Unknown ids: the whole call is refused (succeed_type 0), or the
    // known ones are added and the rest listed (succeed_type 1).
    bot.fails(
        "POST",
        &format!("chats/{chat}/members"),
        Some(json!({"id_list": ["ou_nobody"]})),
        232043,
    )
    .await;
    let added = bot
        .ok(
            "POST",
            &format!("chats/{chat}/members?succeed_type=1"),
            Some(json!({"id_list": [users[0], "ou_nobody"]})),
        )
        .await;
    assert_eq!(added["not_existed_id_list"], json!(["ou_nobody"]));
    bot.ok(
        "POST",
        &format!("chats/{chat}/members"),
        Some(json!({"id_list": users[1..]})),
    )
    .await;

    // 46 members in pages of 20: 20 + 20 + 6, owner first.
    let mut seen = Vec::new();
    let mut token = String::new();
    loop {
        let page = bot
            .ok(
                "GET",
                &format!("chats/{chat}/members?page_token={token}"),
                None,
            )
            .await;
        assert_eq!(page["member_total"], 46);
        let items = page["items"].as_array().unwrap();
        seen.extend(
            items
                .iter()
                .map(|item| item["member_id"].as_str().unwrap().to_owned()),
        );
        if page["has_more"] == false {
            break;
        }
        token = page["page_token"].as_str().unwrap().to_owned();
    }
    let mut expected = vec![USER.to_owned()];
    expected.extend(users.iter().cloned());
    assert_eq!(seen, expected);

    // Managers must be members; the owner cannot be removed.
    bot.fails(
        "POST",
        &format!("chats/{chat}/managers/add_managers"),
        Some(json!({"manager_ids": [OTHER]})),
        232027,
    )
    .await;
    bot.fails(
        "DELETE",
        &format!("chats/{chat}/members"),
        Some(json!({"id_list": [USER]})),
        232076,
    )
    .await;
    let removed = bot
        .ok(
            "DELETE",
            &format!("chats/{chat}/members"),
            Some(json!({"id_list": [users[0], OTHER]})),
        )
        .await;
    assert_eq!(removed["invalid_id_list"], json!([OTHER]));
    assert_eq!(bot.fake.members(&chat).unwrap().len(), 45);

    // The bot leaves; from then on it is outside the chat.
    bot.ok(
        "DELETE",
        &format!("chats/{chat}/members?member_id_type=app_id"),
        Some(json!({"id_list": [BOT_APP]})),
    )
    .await;
    bot.fails("GET", &format!("chats/{chat}/members"), None, 232011)
        .await;
    bot.fails(
        "POST",
        &format!("chats/{chat}/top_notice/put_top_notice"),
        Some(json!({"chat_top_notice": [{"action_type": "2"}]})),
        232011,
    )
    .await;
    let inside = bot
        .ok("GET", &format!("chats/{chat}/members/is_in_chat"), None)
        .await;
    assert_eq!(inside["is_in_chat"], false);
}
