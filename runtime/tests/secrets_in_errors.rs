//! Secrets never appear in errors or logs: a run that fails in every way a
//! token or the app secret is involved in (auth failure, a token answer that
//! does not decode, rejected and unusable tokens, a shared failed fetch) is
//! captured at TRACE level, and every error is formatted with `{:?}`, `{}`
//! and its whole `source()` chain; none of it holds the secret or a token.

#![cfg(feature = "testing")]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use feishu_openapi::testing::{FakeFeishu, Fault};
use feishu_openapi::{Client, RequestOptions, RetryPolicy};

const SECRET: &str = "s3cr3t-app-secret-in-errors";
const WRONG_SECRET: &str = "wr0ng-app-secret-in-errors";
const ODD_TOKEN: &str = "t-0dd-token-value";
const NUMERIC_TOKEN: &str = "918273645546372819";
const CALLER_TOKEN: &str = "u-caller-token-value";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `{:?}`, `{}` and every source of `error`.
fn all_forms(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = format!("{error:?}\n{error}\n");
    let mut source = error.source();
    while let Some(inner) = source {
        text.push_str(&format!("{inner:?}\n{inner}\n"));
        source = inner.source();
    }
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_or_token_in_any_error_or_trace_output() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    // Global: the fake's and the client's spawned tasks log too.
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let fake = FakeFeishu::builder()
        .app("cli_secret_errors", SECRET)
        .start()
        .await
        .unwrap();
    let mut errors: Vec<String> = Vec::new();
    let quick = RetryPolicy {
        max_retries: 1,
        base_delay: Duration::ZERO,
        max_delay: Duration::ZERO,
    };

    // 1. Auth failure: a wrong app secret.
    let wrong = Client::builder()
        .app(fake.app_id(), WRONG_SECRET)
        .base_url(fake.url())
        .retry(quick)
        .build()
        .unwrap();
    let error = create_chat(&wrong, private_chat()).await.unwrap_err();
    errors.push(all_forms(&error));
    errors.push(format!("{wrong:?}"));

    let client = client_builder(&fake).retry(quick).build().unwrap();
    // 2. A token answer that does not decode: the token where a number goes,
    //    and a token of the wrong type.
    fake.inject_on_token(Fault::Raw {
        status: 200,
        body: format!(r#"{{"code":0,"tenant_access_token":"{ODD_TOKEN}","expire":"{ODD_TOKEN}"}}"#),
    });
    let error = create_chat(&client, private_chat()).await.unwrap_err();
    errors.push(all_forms(&error));
    fake.inject_on_token(Fault::Raw {
        status: 200,
        body: format!(r#"{{"code":0,"tenant_access_token":{NUMERIC_TOKEN},"expire":7200}}"#),
    });
    let error = create_chat(&client, private_chat()).await.unwrap_err();
    errors.push(all_forms(&error));

    // 3. A token that cannot be a header, from the server and from the caller.
    fake.inject_on_token(Fault::Raw {
        status: 200,
        body: format!(r#"{{"code":0,"tenant_access_token":"{ODD_TOKEN}\n","expire":7200}}"#),
    });
    let error = create_chat(&client, private_chat()).await.unwrap_err();
    errors.push(all_forms(&error));
    let options = RequestOptions::new().user_access_token(format!("{CALLER_TOKEN}\r\n"));
    let error = create_chat_with(&client, &options).await.unwrap_err();
    errors.push(all_forms(&error));
    errors.push(format!("{options:?}"));

    // 4. A good token, revoked (99991663), refreshed; a rejected caller token.
    create_chat(&client, private_chat()).await.unwrap();
    fake.revoke_tokens();
    create_chat(&client, private_chat()).await.unwrap();
    let options = RequestOptions::new().tenant_access_token(CALLER_TOKEN);
    let error = create_chat_with(&client, &options).await.unwrap_err();
    errors.push(all_forms(&error));

    // 5. A decode failure of a call, and a shared failed token fetch.
    // Without an idempotency key, so it is not repeated.
    fake.inject(Fault::MalformedJson);
    let error = create(
        &client,
        &CREATE_CHAT_WITHOUT_KEY,
        &Query::default(),
        &private_chat(),
        &RequestOptions::new(),
    )
    .await
    .unwrap_err();
    errors.push(all_forms(&error));
    let sharing = client_builder(&fake)
        .timeout(Duration::from_millis(500))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    fake.inject_on_token(Fault::Slow(Duration::from_secs(3)));
    let (first, second) = tokio::join!(
        create_chat(&sharing, private_chat()),
        create_chat(&sharing, private_chat())
    );
    errors.push(all_forms(&first.unwrap_err()));
    errors.push(all_forms(&second.unwrap_err()));
    errors.push(format!(
        "{client:?}\n{sharing:?}\n{fake:?}\n{:?}",
        fake.requests()
    ));

    let logs = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    assert!(logs.contains("fetched tenant_access_token"), "{logs}");
    assert!(logs.contains("token rejected"), "{logs}");
    assert!(logs.contains("TRACE") || logs.contains("DEBUG"), "{logs}");
    let all = errors.join("\n");
    assert!(
        all.contains("10014"),
        "the auth failure was not seen: {all}"
    );
    assert!(all.contains("shared token fetch"), "{all}");

    let mut secrets = vec![
        SECRET.to_owned(),
        WRONG_SECRET.to_owned(),
        ODD_TOKEN.to_owned(),
        NUMERIC_TOKEN.to_owned(),
        CALLER_TOKEN.to_owned(),
    ];
    secrets.extend(fake.issued_tokens());
    assert!(secrets.len() >= 7);
    for text in errors.iter().chain([&logs]) {
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "{secret} leaked in: {text}"
            );
        }
    }
}
