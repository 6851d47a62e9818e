//! A bot receiving chat events, by webhook or over the long connection,
//! printing one JSON line per event, once however often Feishu delivers it.
//!
//! The webhook serves `/webhook/event` and checks every request as
//! Feishu's event guide says (signature, decryption, the verification
//! token, the URL challenge):
//!
//! ```text
//! FEISHU_VERIFICATION_TOKEN=... FEISHU_ENCRYPT_KEY=... \
//!     cargo run -p feishu-openapi --example chat_events -- --listen 127.0.0.1:8080
//! ```
//!
//! Prints `listening PORT` once ready. Without `FEISHU_ENCRYPT_KEY` the
//! bodies are expected in plain JSON, unsigned; without
//! `FEISHU_VERIFICATION_TOKEN` any token is accepted.
//!
//! The long connection needs no public URL:
//!
//! ```text
//! FEISHU_APP_ID=cli_... FEISHU_APP_SECRET=... \
//!     cargo run -p feishu-openapi --example chat_events -- --long-connection
//! ```
//!
//! connects to Feishu (or `FEISHU_BASE_URL`) and prints `listening
//! long-connection` once connected. Without the credentials it starts an
//! embedded fake Feishu, connects to it, creates a chat there and
//! disbands it, and prints the `im.chat.disbanded_v1` the fake sends.

use feishu_openapi::events::{Event, EventReceiver, HandlerError, LongConnection, Webhook};
use feishu_openapi::testing::FakeFeishu;
use serde_json::json;

type Failure = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let mut args = std::env::args().skip(1);
    let mut listen = "127.0.0.1:0".to_owned();
    let mut long_connection = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => listen = args.next().ok_or("--listen needs ADDRESS:PORT")?,
            "--long-connection" => long_connection = true,
            other => return Err(format!("unknown argument {other:?}").into()),
        }
    }
    if long_connection {
        return over_long_connection().await;
    }
    let mut webhook = Webhook::new();
    if let Ok(token) = std::env::var("FEISHU_VERIFICATION_TOKEN") {
        webhook = webhook.verification_token(token);
    }
    if let Ok(key) = std::env::var("FEISHU_ENCRYPT_KEY") {
        webhook = webhook.encrypt_key(key);
    }
    let receiver = EventReceiver::new(webhook, print_event);
    let app = axum::Router::new().route_service("/webhook/event", receiver);
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    println!("listening {}", listener.local_addr()?.port());
    axum::serve(listener, app).await?;
    Ok(())
}

/// The handler both modes share: one JSON line per event.
async fn print_event(event: Event) -> Result<(), HandlerError> {
    let chat_id = event
        .event()
        .and_then(|event| event.get("chat_id"))
        .cloned()
        .unwrap_or_default();
    let line = json!({
        "event_type": event.event_type,
        "event_id": event.id,
        "chat_id": chat_id,
    });
    println!("{line}");
    Ok(())
}

async fn over_long_connection() -> Result<(), Failure> {
    let credentials = (
        std::env::var("FEISHU_APP_ID"),
        std::env::var("FEISHU_APP_SECRET"),
    );
    // The fake must outlive the connection to it.
    let mut fake = None;
    let connection = match credentials {
        (Ok(app_id), Ok(app_secret)) => {
            let connection = LongConnection::new(app_id, app_secret);
            match std::env::var("FEISHU_BASE_URL") {
                Ok(url) => connection.base_url(url),
                Err(_) => connection,
            }
        }
        _ => {
            let started = FakeFeishu::start().await?;
            let connection =
                LongConnection::new(started.app_id(), started.app_secret()).base_url(started.url());
            fake = Some(started);
            connection
        }
    };
    let handle = connection.start(print_event);
    if handle.connected().await.is_none() {
        // Stopped before connecting: the error says why.
        return handle.join().await.map_err(Into::into);
    }
    println!("listening long-connection");
    if let Some(fake) = &fake {
        // A chat created and disbanded through the fake's API: the fake
        // sends the events Feishu would, as it would.
        let client = feishu_openapi::Client::builder()
            .app(fake.app_id(), fake.app_secret())
            .base_url(fake.url())
            .build()?;
        let chat = client.im().v1().chat();
        let created = chat.create().name("chat_events sample").send().await?;
        let chat_id = created
            .chat_id
            .clone()
            .ok_or("the fake answered no chat_id")?;
        chat.delete(&chat_id).send().await?;
    }
    handle.join().await?;
    Ok(())
}
