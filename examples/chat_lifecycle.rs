//! A chat's life as a bot lives it: create a chat, add a member and make
//! them a manager, set the announcement and pin it as the top notice, add
//! a tab, find the chat again by walking every chat the bot is in, and
//! disband it. Each step prints its log id, which Feishu support asks for.
//!
//! Runs on real Feishu when `FEISHU_APP_ID` and `FEISHU_APP_SECRET` are set
//! (`FEISHU_MEMBER_ID`, an open_id in the app's range, is the member it
//! adds); otherwise on the embedded fake Feishu.
//!
//! ```text
//! cargo run -p feishu-openapi --example chat_lifecycle
//! ```

use feishu_openapi::im::v1::chat::create::{ChatType, UserIdType};
use feishu_openapi::im::v1::chat_members::create::MemberIdType;
use feishu_openapi::im::v1::chat_tab::create::{ChatTabContent, NewChatTab, TabType};
use feishu_openapi::im::v1::chat_top_notice::put_top_notice::{ChatTopNotice, TopNoticeActionType};
use feishu_openapi::testing::FakeFeishu;
use feishu_openapi::{Client, Response};

type Failure = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let credentials = (
        std::env::var("FEISHU_APP_ID"),
        std::env::var("FEISHU_APP_SECRET"),
    );
    // Kept alive until the end: dropping the fake stops it.
    let mut fake = None;
    let (client, member) = match credentials {
        (Ok(app_id), Ok(app_secret)) => {
            let base_url = std::env::var("FEISHU_BASE_URL")
                .unwrap_or_else(|_| feishu_openapi::FEISHU_BASE_URL.to_owned());
            println!("using Feishu at {base_url} as app {app_id}");
            let client = Client::builder()
                .app(app_id, app_secret)
                .base_url(base_url)
                .build()?;
            (client, std::env::var("FEISHU_MEMBER_ID").ok())
        }
        _ => {
            let member = "ou_chat_lifecycle_member";
            let started = FakeFeishu::builder().user(member).start().await?;
            println!(
                "FEISHU_APP_ID / FEISHU_APP_SECRET not set: using the embedded fake Feishu at {}",
                started.url()
            );
            let client = Client::builder()
                .app(started.app_id(), started.app_secret())
                .base_url(started.url())
                .build()?;
            fake = Some(started);
            (client, Some(member.to_owned()))
        }
    };
    let chats = client.im().v1();

    let created = chats
        .chat()
        .create()
        .user_id_type(UserIdType::OpenId)
        .name("feishu-openapi lifecycle")
        .description("Created by the chat_lifecycle example")
        .chat_type(ChatType::Private)
        .send()
        .await?;
    let chat_id = created
        .chat_id
        .clone()
        .ok_or("create chat answered no chat_id")?;
    step("created chat", &chat_id, &created);

    if let Some(member) = &member {
        let added = chats
            .chat_members()
            .create(&chat_id)
            .member_id_type(MemberIdType::OpenId)
            .id_list([member.as_str()])
            .send()
            .await?;
        step("added member", member, &added);
        let managed = chats
            .chat_managers()
            .add_managers(&chat_id)
            .member_id_type(MemberIdType::OpenId)
            .manager_ids([member.as_str()])
            .send()
            .await?;
        step("made manager", member, &managed);
    }

    let announcement = chats.chat_announcement().get(&chat_id).send().await?;
    let revision = announcement.revision.clone().unwrap_or_else(|| "0".into());
    step("read announcement at revision", &revision, &announcement);
    let patched = chats
        .chat_announcement()
        .patch(&chat_id)
        .revision(revision)
        .requests([r#"{"requestType":"InsertBlocksRequestType","insertBlocksRequest":{"payload":"{\"blocks\":[{\"type\":\"paragraph\",\"paragraph\":{\"elements\":[{\"type\":\"textRun\",\"textRun\":{\"text\":\"Welcome\"}}]}}]}","location":{"zoneId":"0","index":0,"endOfZone":true}}}"#])
        .send()
        .await?;
    step("set announcement", "Welcome", &patched);

    let pinned = chats
        .chat_top_notice()
        .put_top_notice(&chat_id)
        .chat_top_notice([ChatTopNotice {
            action_type: Some(TopNoticeActionType::Announcement),
            ..Default::default()
        }])
        .send()
        .await?;
    step("pinned the announcement as top notice", &chat_id, &pinned);

    let tabs = chats
        .chat_tab()
        .create(&chat_id)
        .chat_tabs([NewChatTab {
            tab_name: Some("Docs".into()),
            tab_type: Some(TabType::Url),
            tab_content: Some(ChatTabContent {
                url: Some("https://open.feishu.cn/".into()),
                ..Default::default()
            }),
            ..Default::default()
        }])
        .send()
        .await?;
    step("added tab", "Docs", &tabs);

    // Every chat the bot is in, a page at a time, asked for only as needed.
    let mut listed = chats.chat().list().page_size(20).items();
    let mut seen = 0;
    let mut found = false;
    while let Some(chat) = listed.next().await {
        let chat = chat?;
        seen += 1;
        found |= chat.chat_id.as_deref() == Some(chat_id.as_str());
    }
    println!("listed {seen} chat(s); ours among them: {found}");
    if !found {
        return Err("the new chat is not in the bot's chat list".into());
    }

    let disbanded = chats.chat().delete(&chat_id).send().await?;
    step("disbanded chat", &chat_id, &disbanded);
    drop(fake);
    Ok(())
}

fn step<T>(what: &str, detail: &str, response: &Response<T>) {
    println!(
        "{what} {detail} (log id {})",
        response.log_id().unwrap_or("none")
    );
}
