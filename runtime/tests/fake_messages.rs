//! The fake keeps messages as the im pages describe them: sent, replied,
//! listed, recalled; a test plays the user, who sends a message and clicks
//! a card's button, and the bot's reply updates the card.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use feishu_openapi::events::card_action::{CardAction, CardReply, ToastKind};
use feishu_openapi::events::long_connection::ClientConfig;
use feishu_openapi::events::{Event, HandlerError, LongConnection};
use feishu_openapi::im::v1::message::get::GetMessageErrorCode;
use feishu_openapi::im::v1::message::reply::ReplyMessageErrorCode;
use feishu_openapi::message_content::send;
use feishu_openapi::testing::FakeFeishu;
use serde_json::json;

use crate::common::client_builder;

#[tokio::test]
async fn sent_messages_are_listed_and_a_recalled_one_answers_its_codes() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let messages = client.im().v1().message();
    let mut ids = Vec::new();
    for text in ["one", "two"] {
        let sent = messages
            .create()
            .receive_id_type("chat_id")
            .receive_id("oc_1");
        let sent = sent.message(send::Text::new(text)).send().await.unwrap();
        ids.push(sent.message_id.clone().unwrap());
    }
    let listed = messages
        .list()
        .container_id_type("chat")
        .container_id("oc_1")
        .send()
        .await
        .unwrap();
    let listed: Vec<_> = listed
        .items
        .clone()
        .unwrap()
        .into_iter()
        .map(|m| m.message_id.unwrap())
        .collect();
    assert_eq!(listed, ids);

    messages.delete(&ids[0]).send().await.unwrap();
    let error = messages.get(&ids[0]).send().await.unwrap_err();
    assert_eq!(
        error.documented(),
        Some(GetMessageErrorCode::ActionUnavailableAsMessageDeleted)
    );
    let error = messages
        .reply(&ids[0])
        .message(send::Text::new("late"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.documented(),
        Some(ReplyMessageErrorCode::MessageRecalled)
    );
    assert_eq!(fake.messages()[0]["deleted"], true);
}

#[tokio::test]
async fn a_user_s_message_and_click_reach_the_bot_and_the_reply_updates_the_card() {
    let fake = FakeFeishu::start().await.unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let config = ClientConfig {
        reconnect_count: -1,
        reconnect_interval: Duration::from_millis(20),
        reconnect_nonce: Duration::ZERO,
        ping_interval: Duration::from_millis(200),
    };
    let connection = LongConnection::new(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .client_config(config)
        .on_card_action(|action: CardAction| async move {
            let clicked =
                json!({"clicked": action.action.value, "chat": action.context.open_chat_id});
            Ok::<_, HandlerError>(CardReply::toast(ToastKind::Info, "ok").with_card(clicked))
        })
        .start(move |event: Event| {
            record.lock().unwrap().push(event);
            async { Ok::<(), HandlerError>(()) }
        });

    let envelope = fake.user_sends("oc_1", "ou_user", "text", r#"{"text":"hi"}"#);
    assert_eq!(
        fake.send_over_long_connection(envelope).await.unwrap().code,
        Some(200)
    );
    let event = seen.lock().unwrap().pop().unwrap();
    assert_eq!(event.event_type, "im.message.receive_v1");
    let message = &event.event().unwrap()["message"];
    assert_eq!(
        (message["chat_id"].as_str(), message["content"].as_str()),
        (Some("oc_1"), Some(r#"{"text":"hi"}"#))
    );
    let id = message["message_id"].as_str().unwrap().to_owned();

    let reply = fake.click(&id, "ou_user", json!({"k": "v"})).await.unwrap();
    assert_eq!(
        reply,
        json!({"toast": {"type": "info", "content": "ok"},
               "card": {"type": "raw", "data": {"clicked": {"k": "v"}, "chat": "oc_1"}}})
    );
    let message = fake
        .messages()
        .into_iter()
        .find(|m| m["message_id"] == id.as_str())
        .unwrap();
    assert_eq!(
        message["body"]["content"],
        r#"{"clicked":{"k":"v"},"chat":"oc_1"}"#
    );
    assert_eq!(message["updated"], true);
    connection.shutdown().await.unwrap();
}

#[tokio::test]
async fn forwards_read_receipts_and_reactions_are_kept() {
    use feishu_openapi::im::v1::message::read_users::ReadUsersMessageErrorCode;
    use feishu_openapi::im::v1::message_reaction::create::Emoji;
    use feishu_openapi::im::v1::message_reaction::delete::DeleteMessageReactionErrorCode;

    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let im = client.im().v1();
    let sent = im
        .message()
        .create()
        .receive_id_type("chat_id")
        .receive_id("oc_1");
    let id = sent
        .message(send::Text::new("news"))
        .send()
        .await
        .unwrap()
        .message_id
        .clone()
        .unwrap();

    // Forwarded into another chat: a copy of the same content.
    let copy = im
        .message()
        .forward(&id)
        .receive_id_type("chat_id")
        .receive_id("oc_2")
        .send()
        .await
        .unwrap();
    assert_eq!(copy.chat_id.as_deref(), Some("oc_2"));
    assert_eq!(
        copy.body.as_ref().unwrap().content.as_deref(),
        Some(r#"{"text":"news"}"#)
    );

    // Read receipts: the users the test says read it, to the sender only.
    fake.user_reads(&id, "ou_a");
    let readers = im
        .message()
        .read_users(&id)
        .user_id_type("open_id")
        .send()
        .await
        .unwrap();
    let readers: Vec<_> = readers
        .items
        .clone()
        .unwrap()
        .into_iter()
        .map(|r| r.user_id.unwrap())
        .collect();
    assert_eq!(readers, ["ou_a"]);
    let user_message = fake.user_sends("oc_1", "ou_b", "text", r#"{"text":"mine"}"#);
    let theirs = user_message["event"]["message"]["message_id"]
        .as_str()
        .unwrap();
    let error = im
        .message()
        .read_users(theirs)
        .user_id_type("open_id")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.documented(),
        Some(ReadUsersMessageErrorCode::BotNotSenderMessage)
    );

    // Reactions: the bot's and a user's, listed; only one's own is deleted.
    let emoji = Emoji {
        emoji_type: Some("SMILE".into()),
    };
    let mine = im
        .message_reaction()
        .create(&id)
        .reaction_type(emoji)
        .send()
        .await
        .unwrap();
    let user_reaction = fake.user_reacts(&id, "ou_a", "THUMBSUP");
    let listed = im.message_reaction().list(&id).send().await.unwrap();
    let kinds: Vec<_> = (listed.items.clone().unwrap().into_iter())
        .map(|r| r.reaction_type.unwrap().emoji_type.unwrap())
        .collect();
    assert_eq!(kinds, ["SMILE", "THUMBSUP"]);
    let theirs = user_reaction["reaction_id"].as_str().unwrap();
    let error = im
        .message_reaction()
        .delete(&id, theirs)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.documented(),
        Some(DeleteMessageReactionErrorCode::OperatorNoPermissionDeleteReaction)
    );
    im.message_reaction()
        .delete(&id, mine.reaction_id.clone().unwrap())
        .send()
        .await
        .unwrap();
    let listed = im.message_reaction().list(&id).send().await.unwrap();
    assert_eq!(listed.items.as_ref().unwrap().len(), 1);
}
