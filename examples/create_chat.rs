//! Creates a chat: on real Feishu when `FEISHU_APP_ID` and
//! `FEISHU_APP_SECRET` are set (and `FEISHU_BASE_URL`, for Lark or a proxy,
//! optionally), otherwise on the embedded fake Feishu.
//!
//! ```text
//! cargo run -p feishu-openapi --example create_chat
//! ```

use feishu_openapi::Client;
use feishu_openapi::im::v1::chat::create::{ChatType, UserIdType};
use feishu_openapi::testing::FakeFeishu;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let credentials = (
        std::env::var("FEISHU_APP_ID"),
        std::env::var("FEISHU_APP_SECRET"),
    );
    // Kept alive until the end: dropping the fake stops it.
    let mut fake = None;
    let client = match credentials {
        (Ok(app_id), Ok(app_secret)) => {
            let base_url = std::env::var("FEISHU_BASE_URL")
                .unwrap_or_else(|_| feishu_openapi::FEISHU_BASE_URL.to_owned());
            println!("Using Feishu at {base_url} as app {app_id}");
            Client::builder()
                .app(app_id, app_secret)
                .base_url(base_url)
                .build()?
        }
        _ => {
            let started = FakeFeishu::start().await?;
            println!(
                "FEISHU_APP_ID / FEISHU_APP_SECRET not set: using the embedded fake Feishu at {}",
                started.url()
            );
            let client = Client::builder()
                .app(started.app_id(), started.app_secret())
                .base_url(started.url())
                .build()?;
            fake = Some(started);
            client
        }
    };

    let created = client
        .im()
        .v1()
        .chat()
        .create()
        .user_id_type(UserIdType::OpenId)
        .name("feishu-openapi example")
        .description("Created by the create_chat example")
        .chat_type(ChatType::Private)
        .send()
        .await;
    match created {
        Ok(chat) => {
            println!(
                "Created chat {} named {:?} (log id {})",
                chat.chat_id.as_deref().unwrap_or("(no id)"),
                chat.name.as_deref().unwrap_or_default(),
                chat.log_id().unwrap_or("none")
            );
        }
        Err(error) => {
            eprintln!("Creating the chat failed: {error}");
            if let Some(advice) = error.api().and_then(|api| api.advice()) {
                eprintln!("Advice from the doc: {advice}");
            }
            std::process::exit(1);
        }
    }

    if let Some(fake) = &fake {
        println!("The fake received:");
        for request in fake.requests() {
            let query = request
                .query
                .map(|query| format!("?{query}"))
                .unwrap_or_default();
            println!("  {} {}{}", request.method, request.path, query);
        }
    }
    Ok(())
}
