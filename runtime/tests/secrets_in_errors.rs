//! Secrets never appear in errors or logs: a run that fails in every way a
//! token or the app secret is involved in (auth failure, a token answer that
//! does not decode, rejected and unusable tokens, a shared failed fetch, and
//! the same for users' tokens: a reused code, an OAuth answer that does not
//! decode, an unusable user token, an expired refresh token) is captured at
//! TRACE level, and every error is formatted with `{:?}`, `{}`
//! and its whole `source()` chain; none of it holds the secret or a token.

use std::sync::Arc;
use std::time::Duration;

use crate::common::*;
use feishu_openapi::clock::ManualClock;
use feishu_openapi::testing::{FakeFeishu, Fault};
use feishu_openapi::user_auth::CodeExchange;
use feishu_openapi::{Client, RequestOptions, RetryPolicy};

const SECRET: &str = "s3cr3t-app-secret-in-errors";
const WRONG_SECRET: &str = "wr0ng-app-secret-in-errors";
const ODD_TOKEN: &str = "t-0dd-token-value";
const NUMERIC_TOKEN: &str = "918273645546372819";
const CALLER_TOKEN: &str = "u-caller-token-value";
const ODD_USER_TOKEN: &str = "u-0dd-user-token-value";
const VERIFIER: &str = "TxYmzM4PHLBlqm5NtnCmwxMH8mFlRWl_ipie3O0aVzo";

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
    let subscriber = captured.subscriber(tracing::Level::TRACE);
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

    // 6. Users' tokens: a reused code, a refresh answer that does not
    //    decode, a user token that cannot be a header, an expired refresh
    //    token.
    let clock = Arc::new(ManualClock::new());
    let users_fake = FakeFeishu::builder()
        .app("cli_secret_errors", SECRET)
        .clock(clock.clone())
        .user_token_expire(7200, 86_400)
        .start()
        .await
        .unwrap();
    let users = client_builder(&users_fake)
        .clock(clock.clone())
        .retry(quick)
        .build()
        .unwrap();
    let auth = users.user_auth().unwrap();
    let code = users_fake.authorize(OWNER);
    let exchange = CodeExchange::new(&code).code_verifier(VERIFIER);
    auth.exchange_code_for_user(OWNER, &exchange).await.unwrap();
    let error = auth.exchange_code(&exchange).await.unwrap_err();
    errors.push(all_forms(&error));
    errors.push(format!("{exchange:?}\n{auth:?}\n{users:?}"));
    let as_owner = RequestOptions::new().as_user(OWNER);
    clock.advance(Duration::from_secs(7200 - 120));
    users_fake.inject_on_token(Fault::Raw {
        status: 200,
        body: format!(
            r#"{{"code":0,"access_token":"{ODD_USER_TOKEN}","expires_in":"{ODD_USER_TOKEN}"}}"#
        ),
    });
    let error = create_chat_with(&users, &as_owner).await.unwrap_err();
    errors.push(all_forms(&error));
    users_fake.inject_on_token(Fault::Raw {
        status: 200,
        body: format!(
            r#"{{"code":0,"access_token":"{ODD_USER_TOKEN}\n","expires_in":7200,"refresh_token":"{ODD_USER_TOKEN}","refresh_token_expires_in":86400}}"#
        ),
    });
    let error = create_chat_with(&users, &as_owner).await.unwrap_err();
    errors.push(all_forms(&error));
    let token = auth.stored_token(OWNER).await.unwrap().unwrap();
    errors.push(format!("{token:?}"));
    // The injected answer stored a refresh token the fake never issued:
    // authorize again, then let the new refresh token expire.
    let second_code = users_fake.authorize(OWNER);
    auth.exchange_code_for_user(OWNER, &CodeExchange::new(&second_code))
        .await
        .unwrap();
    clock.advance(Duration::from_secs(2 * 86_400));
    let error = create_chat_with(&users, &as_owner).await.unwrap_err();
    assert!(error.to_string().contains("20037"), "{error}");
    errors.push(all_forms(&error));

    let logs = captured.text();
    assert!(logs.contains("fetched tenant_access_token"), "{logs}");
    assert!(logs.contains("obtained user_access_token"), "{logs}");
    assert!(logs.contains("refresh token refused"), "{logs}");
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
        ODD_USER_TOKEN.to_owned(),
        VERIFIER.to_owned(),
        code,
        second_code,
    ];
    secrets.extend(fake.issued_tokens());
    secrets.extend(users_fake.issued_user_tokens());
    assert!(secrets.len() >= 12);
    for text in errors.iter().chain([&logs]) {
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "{secret} leaked in: {text}"
            );
        }
    }
}
