//! A bot that answers each text message with a reply, sends a card with a
//! button, and updates the card when the button is clicked, printing one
//! JSON line per step.
//!
//! ```text
//! FEISHU_APP_ID=cli_... FEISHU_APP_SECRET=... \
//!     cargo run -p feishu-openapi --example echo_bot
//! ```
//!
//! runs it on Feishu over the long connection, until stopped. Without the
//! credentials it runs on an embedded fake Feishu and plays the user too:
//! the user says hello, the bot replies and sends its card, the user
//! clicks the button, the bot's reply updates the card; then it exits.
//! `--webhook` takes the callbacks over a webhook on loopback instead.

use feishu_openapi::Client;
use feishu_openapi::events::card_action::{CardAction, CardReply, ToastKind};
use feishu_openapi::events::{
    Event, EventReceiver, HandlerError, LongConnection, TypedEvent, Webhook,
};
use feishu_openapi::im::v1::message::events::receive::MessageReceiveV1;
use feishu_openapi::message_content::{Received, send};
use feishu_openapi::testing::FakeFeishu;
use serde_json::{Value, json};

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// The button's card: JSON 2.0, one button whose value names the click.
fn card(clicked: bool) -> Value {
    let text = if clicked {
        "Clicked, thank you."
    } else {
        "Click the button."
    };
    json!({
        "schema": "2.0",
        "body": {"elements": [
            {"tag": "markdown", "content": text},
            {"tag": "button", "text": {"tag": "plain_text", "content": "Done"},
             "behaviors": [{"type": "callback", "value": {"action": "done"}}]}
        ]}
    })
}

fn step(line: Value) {
    println!("{line}");
}

/// A text message: reply with its text, then send the card into its chat.
async fn on_event(client: Client, event: Event) -> Result<(), HandlerError> {
    if event.event_type != MessageReceiveV1::EVENT_TYPE {
        return Ok(());
    }
    let message = MessageReceiveV1::from_event(&event)?
        .message
        .unwrap_or_default();
    let (kind, content) = (
        message.message_type.unwrap_or_default(),
        message.content.unwrap_or_default(),
    );
    let Received::Text(text) = Received::parse(&kind, &content)? else {
        return Ok(());
    };
    step(json!({"step": "received", "text": text.text}));
    let messages = client.im().v1().message();
    let id = message.message_id.unwrap_or_default();
    let reply = messages
        .reply(&id)
        .message(send::Text::new(format!("echo: {}", text.text)));
    let reply = reply.send().await?;
    step(json!({"step": "replied", "message_id": reply.message_id}));
    let chat = message.chat_id.unwrap_or_default();
    let sent = messages
        .create()
        .receive_id_type("chat_id")
        .receive_id(chat);
    let sent = sent.message(send::Card::Json(card(false))).send().await?;
    step(json!({"step": "card_sent", "message_id": sent.message_id}));
    Ok(())
}

/// The button: a toast and the card as clicked.
async fn on_click(action: CardAction) -> Result<CardReply, HandlerError> {
    step(json!({"step": "clicked", "value": action.action.value, "by": action.operator.open_id}));
    Ok(CardReply::toast(ToastKind::Success, "Done").with_card(card(true)))
}

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let webhook = std::env::args().any(|a| a == "--webhook");
    if let (Ok(id), Ok(secret)) = (
        std::env::var("FEISHU_APP_ID"),
        std::env::var("FEISHU_APP_SECRET"),
    ) {
        let client = Client::new(id.clone(), secret.clone())?;
        let connection = LongConnection::new(id, secret).on_card_action(on_click);
        step(json!({"step": "listening", "on": "long-connection"}));
        connection
            .run(move |event| on_event(client.clone(), event))
            .await?;
        return Ok(());
    }
    on_the_fake(webhook).await
}

/// The whole exchange on an embedded fake, the user played here.
async fn on_the_fake(webhook: bool) -> Result<(), Failure> {
    let fake = FakeFeishu::start().await?;
    let client = Client::builder()
        .app(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .build()?;
    let bot = client.clone();
    let handler = move |event| on_event(bot.clone(), event);
    let (user, chat) = ("ou_echo_user", "oc_p2p_ou_echo_user");
    let hello = fake.user_sends(chat, user, "text", r#"{"text":"hello"}"#);
    let connection = if webhook {
        let receiver = EventReceiver::new(Webhook::new(), handler).on_card_action(on_click);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/webhook/event", listener.local_addr()?);
        let app = axum::Router::new().route_service("/webhook/event", receiver);
        tokio::spawn(async move { axum::serve(listener, app).await });
        fake.subscribe_webhook(url);
        step(json!({"step": "listening", "on": "webhook"}));
        fake.deliver(hello).await?;
        None
    } else {
        let connection = LongConnection::new(fake.app_id(), fake.app_secret())
            .base_url(fake.url())
            .on_card_action(on_click)
            .start(handler);
        connection
            .wait_connected(1)
            .await
            .ok_or("the long connection did not open")?;
        step(json!({"step": "listening", "on": "long-connection"}));
        fake.send_over_long_connection(hello).await?;
        Some(connection)
    };
    // The delivery is acknowledged once the handler is done (it takes far
    // less than the 2.5 s acknowledgement time here), so the card it sent
    // is the last message.
    let messages = fake.messages();
    let card_message = messages
        .last()
        .filter(|m| m["msg_type"] == "interactive")
        .ok_or("no card was sent")?;
    let card_id = card_message["message_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let value = json!({"action": "done"});
    let reply = match webhook {
        true => fake.click_over_webhook(&card_id, user, value).await?,
        false => fake.click(&card_id, user, value).await?,
    };
    let updated = fake
        .messages()
        .into_iter()
        .find(|m| m["message_id"] == card_id.as_str());
    let content = updated.and_then(|m| m["body"]["content"].as_str().map(str::to_owned));
    let shown: Value = serde_json::from_str(&content.unwrap_or_default())?;
    step(
        json!({"step": "card_updated", "toast": reply["toast"]["content"], "card": shown["body"]["elements"][0]["content"]}),
    );
    if let Some(connection) = connection {
        connection.shutdown().await?;
    }
    Ok(())
}
