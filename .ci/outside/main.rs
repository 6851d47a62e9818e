//! A bot crate outside the workspace, built by CI from the README's
//! dependency line: the first call, against the fake Feishu.

use feishu_openapi::Client;
use feishu_openapi::testing::FakeFeishu;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fake = FakeFeishu::start().await?;
    let client = Client::builder()
        .app(fake.app_id(), fake.app_secret())
        .base_url(fake.url())
        .build()?;
    let chat = client.im().v1().chat().create().name("outside").send().await?;
    assert_eq!(fake.chats().len(), 1);
    println!("created {:?}", chat.chat_id);
    Ok(())
}
