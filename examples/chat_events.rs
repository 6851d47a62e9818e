//! A bot's webhook for chat events: serves `/webhook/event`, checks every
//! request as Feishu's event guide says (signature, decryption, the
//! verification token, the URL challenge) and prints one JSON line per
//! event, once however often Feishu delivers it.
//!
//! ```text
//! FEISHU_VERIFICATION_TOKEN=... FEISHU_ENCRYPT_KEY=... \
//!     cargo run -p feishu-openapi --example chat_events -- --listen 127.0.0.1:8080
//! ```
//!
//! Prints `listening PORT` once ready. Without `FEISHU_ENCRYPT_KEY` the
//! bodies are expected in plain JSON, unsigned; without
//! `FEISHU_VERIFICATION_TOKEN` any token is accepted.

use feishu_openapi::events::{EventReceiver, Webhook};
use serde_json::json;

type Failure = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let mut args = std::env::args().skip(1);
    let mut listen = "127.0.0.1:0".to_owned();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => listen = args.next().ok_or("--listen needs ADDRESS:PORT")?,
            "--long-connection" => {
                return Err(
                    "the long connection is not built yet; serve the webhook instead".into(),
                );
            }
            other => return Err(format!("unknown argument {other:?}").into()),
        }
    }
    let mut webhook = Webhook::new();
    if let Ok(token) = std::env::var("FEISHU_VERIFICATION_TOKEN") {
        webhook = webhook.verification_token(token);
    }
    if let Ok(key) = std::env::var("FEISHU_ENCRYPT_KEY") {
        webhook = webhook.encrypt_key(key);
    }
    let receiver = EventReceiver::new(webhook, |event| async move {
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
    });
    let app = axum::Router::new().route_service("/webhook/event", receiver);
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    println!("listening {}", listener.local_addr()?.port());
    axum::serve(listener, app).await?;
    Ok(())
}
