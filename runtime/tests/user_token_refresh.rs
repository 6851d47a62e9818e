//! Users' tokens over their life: refreshed once however many calls wait,
//! the rotated refresh token stored and the spent one refused by the fake
//! (20073); an expired refresh token (20037) means authorizing again; an
//! endpoint rejecting the token makes the client refresh and resend once.

use std::sync::Arc;
use std::time::Duration;

use crate::common::*;
use feishu_openapi::clock::ManualClock;
use feishu_openapi::testing::{FakeFeishu, Fault};
use feishu_openapi::user_auth::{
    CodeExchange, MemoryUserTokenStore, OAuthErrorCode, ReauthorizeReason, UserAuthError, UserToken,
};
use feishu_openapi::{Client, ErrorKind, RequestOptions, RetryPolicy};
use serde_json::{Value, json};

/// A fake and a client sharing a manual clock, with `OWNER` authorized.
async fn authorized(fake: feishu_openapi::testing::FakeFeishuBuilder) -> Setup {
    authorized_with(fake, fast_retries(3)).await
}

async fn authorized_with(
    fake: feishu_openapi::testing::FakeFeishuBuilder,
    retry: RetryPolicy,
) -> Setup {
    let clock = Arc::new(ManualClock::new());
    let fake = fake.clock(clock.clone()).start().await.unwrap();
    let client = client_builder(&fake)
        .clock(clock.clone())
        .retry(retry)
        .build()
        .unwrap();
    let code = fake.authorize(OWNER);
    let token = client
        .user_auth()
        .unwrap()
        .exchange_code_for_user(OWNER, &CodeExchange::new(code))
        .await
        .unwrap();
    Setup {
        fake,
        client,
        clock,
        token,
    }
}

struct Setup {
    fake: FakeFeishu,
    client: Client,
    clock: Arc<ManualClock>,
    token: UserToken,
}

impl Setup {
    async fn stored(&self) -> UserToken {
        let auth = self.client.user_auth().unwrap();
        auth.stored_token(OWNER).await.unwrap().unwrap()
    }
}

fn as_owner() -> RequestOptions {
    RequestOptions::new().as_user(OWNER)
}

async fn concurrent_calls(client: &Client, n: usize) -> Vec<ChatResult> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let client = client.clone();
        tasks.spawn(async move { create_chat_with(&client, &as_owner()).await });
    }
    tasks.join_all().await
}

/// The reason of an "authorize again" error, or a panic.
fn reauthorize_reason(error: ErrorKind<ChatCode>) -> ReauthorizeReason {
    match error {
        ErrorKind::UserAuth(UserAuthError::AuthorizationRequired { user_id, reason }) => {
            assert_eq!(user_id, OWNER);
            reason
        }
        other => panic!("expected AuthorizationRequired, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_calls_refresh_a_due_token_once_and_store_the_rotation() {
    let setup = authorized(FakeFeishu::builder()).await;
    let fake = &setup.fake;
    // Inside the 5-minute refresh margin, not yet expired.
    setup.clock.advance(Duration::from_secs(7200 - 120));

    let results = concurrent_calls(&setup.client, 20).await;

    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let refreshes = fake.refresh_requests();
    assert_eq!(refreshes.len(), 1);
    assert_eq!(
        refreshes[0].json().unwrap(),
        json!({
            "grant_type": "refresh_token",
            "client_id": "cli_fake_app",
            "client_secret": "fake-app-secret",
            "refresh_token": setup.token.refresh_token,
        })
    );
    // The new refresh token replaced the spent one in the store.
    let stored = setup.stored().await;
    let issued = fake.issued_user_tokens();
    assert_eq!(issued.len(), 4);
    assert_eq!(stored.access_token, issued[2]);
    assert_eq!(stored.refresh_token.as_deref(), Some(issued[3].as_str()));
    assert_ne!(stored.refresh_token, setup.token.refresh_token);
    // Every call went out with the new access token.
    let bearer = format!("Bearer {}", stored.access_token);
    let calls = fake.requests_to("/open-apis/im/v1/chats");
    assert_eq!(calls.len(), 20);
    assert!(
        calls
            .iter()
            .all(|call| call.header("authorization") == Some(bearer.as_str()))
    );
    // A fresh token is not refreshed again.
    create_chat_with(&setup.client, &as_owner()).await.unwrap();
    assert_eq!(fake.refresh_requests().len(), 1);
}

#[tokio::test]
async fn the_fake_refuses_a_spent_refresh_token_with_20073() {
    let setup = authorized(FakeFeishu::builder()).await;
    setup.clock.advance(Duration::from_secs(7200 - 120));
    create_chat_with(&setup.client, &as_owner()).await.unwrap();
    let spent = setup.token.refresh_token.clone().unwrap();

    // Straight to the endpoint, as any OAuth client would send it.
    let answer = reqwest::Client::new()
        .post(format!(
            "{}/open-apis/authen/v2/oauth/token",
            setup.fake.url()
        ))
        .json(&json!({
            "grant_type": "refresh_token",
            "client_id": setup.fake.app_id(),
            "client_secret": setup.fake.app_secret(),
            "refresh_token": spent,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(
        body,
        json!({
            "code": 20073,
            "error": "invalid_grant",
            "error_description": "The refresh token has been used. Please note that a refresh token can only be used once.",
        })
    );

    // A client still holding the spent token (its own store) is told to
    // send the user to authorize again, and does not ask twice.
    let stale = client_builder(&setup.fake)
        .clock(setup.clock.clone())
        .user_token_store(Arc::new(MemoryUserTokenStore::new()))
        .build()
        .unwrap();
    let auth = stale.user_auth().unwrap();
    auth.save_token(OWNER, setup.token.clone()).await.unwrap();
    let refreshes = setup.fake.refresh_requests().len();
    for _ in 0..2 {
        let error = create_chat_with(&stale, &as_owner()).await.unwrap_err();
        assert_eq!(
            reauthorize_reason(error),
            ReauthorizeReason::RefreshRefused(OAuthErrorCode::RefreshTokenUsed)
        );
    }
    assert_eq!(setup.fake.refresh_requests().len(), refreshes + 1);
}

#[tokio::test]
async fn an_expired_refresh_token_means_authorizing_again() {
    let setup = authorized(FakeFeishu::builder().user_token_expire(7200, 86_400)).await;
    setup.clock.advance(Duration::from_secs(2 * 86_400));

    let error = create_chat_with(&setup.client, &as_owner())
        .await
        .unwrap_err();
    let ErrorKind::UserAuth(user_error) = &error else {
        panic!("expected a user auth error, got {error:?}");
    };
    assert!(user_error.requires_authorization());
    assert!(!user_error.is_retryable());
    assert_eq!(
        reauthorize_reason(error),
        ReauthorizeReason::RefreshRefused(OAuthErrorCode::RefreshTokenExpired)
    );
    // The fake was asked once and said 20037; the call was not sent.
    assert_eq!(setup.fake.refresh_requests().len(), 1);
    assert!(setup.fake.requests_to("/open-apis/im/v1/chats").is_empty());

    // A new authorization brings the user back.
    let auth = setup.client.user_auth().unwrap();
    let code = setup.fake.authorize(OWNER);
    auth.exchange_code_for_user(OWNER, &CodeExchange::new(code))
        .await
        .unwrap();
    create_chat_with(&setup.client, &as_owner()).await.unwrap();
}

#[tokio::test]
async fn a_revoked_refresh_token_is_refused_with_20064() {
    let setup = authorized(FakeFeishu::builder()).await;
    setup.fake.revoke_user_tokens(OWNER);
    let error = create_chat_with(&setup.client, &as_owner())
        .await
        .unwrap_err();
    // The access token was rejected (99991663); the refresh that followed
    // was refused.
    assert_eq!(
        reauthorize_reason(error),
        ReauthorizeReason::RefreshRefused(OAuthErrorCode::RefreshTokenRevoked)
    );
    assert_eq!(setup.fake.requests_to("/open-apis/im/v1/chats").len(), 1);
}

#[tokio::test]
async fn a_rejected_user_token_is_refreshed_and_the_call_sent_once_more() {
    let setup = authorized(FakeFeishu::builder()).await;
    let fake = &setup.fake;
    fake.inject(Fault::InvalidToken);
    create_chat_with(&setup.client, &as_owner()).await.unwrap();

    assert_eq!(fake.refresh_requests().len(), 1);
    let calls = fake.requests_to("/open-apis/im/v1/chats");
    let sent: Vec<_> = calls
        .iter()
        .map(|call| call.header("authorization").unwrap().to_owned())
        .collect();
    let stored = setup.stored().await;
    assert_eq!(
        sent,
        [
            format!("Bearer {}", setup.token.access_token),
            format!("Bearer {}", stored.access_token),
        ]
    );

    // Rejected again after the refresh: the error, not a loop.
    fake.inject(Fault::InvalidToken);
    fake.inject(Fault::InvalidToken);
    let error = create_chat_with(&setup.client, &as_owner())
        .await
        .unwrap_err();
    assert_eq!(error.api().map(|api| api.code), Some(99991663));
    assert_eq!(fake.refresh_requests().len(), 2);
    assert_eq!(fake.requests_to("/open-apis/im/v1/chats").len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_waiting_on_a_failed_refresh_share_it_and_retry() {
    let setup = authorized(FakeFeishu::builder()).await;
    setup.clock.advance(Duration::from_secs(7200 - 120));
    // The refresh is the first request after this.
    setup
        .fake
        .inject_on_token(Fault::ServerError { status: 503 });

    let results = concurrent_calls(&setup.client, 10).await;

    // The failed refresh was shared; it is retryable and the calls were not
    // sent, so each retried, and one more refresh served them all.
    assert_eq!(setup.fake.refresh_requests().len(), 2);
    for result in results {
        result.unwrap();
    }
    assert_eq!(setup.fake.requests_to("/open-apis/im/v1/chats").len(), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_retries_a_failed_refresh_is_the_calls_typed_error() {
    let setup = authorized_with(FakeFeishu::builder(), RetryPolicy::none()).await;
    let client = &setup.client;
    setup.clock.advance(Duration::from_secs(7200 - 120));
    setup
        .fake
        .inject_on_token(Fault::ServerError { status: 503 });
    let error = create_chat_with(client, &as_owner()).await.unwrap_err();
    let ErrorKind::UserAuth(error) = error else {
        panic!("expected the refresh failure, got {error:?}");
    };
    assert!(error.is_retryable(), "{error:?}");
    assert!(matches!(
        error,
        UserAuthError::UnexpectedAnswer { status: 503, .. }
    ));
    assert!(setup.fake.requests_to("/open-apis/im/v1/chats").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_losing_the_refresh_race_takes_the_winners_token() {
    // Two instances share a store, as with Redis; each refreshes on its own.
    let setup = authorized(FakeFeishu::builder()).await;
    let store = Arc::new(MemoryUserTokenStore::new());
    let instance = || {
        client_builder(&setup.fake)
            .clock(setup.clock.clone())
            .user_token_store(store.clone())
            .build()
            .unwrap()
    };
    let (first, second) = (instance(), instance());
    let auth = first.user_auth().unwrap();
    auth.save_token(OWNER, setup.token.clone()).await.unwrap();
    setup.clock.advance(Duration::from_secs(7200 - 120));

    // The first refresh spends the token at once but answers late; the
    // second is refused (20073) meanwhile.
    setup
        .fake
        .inject_on_token(Fault::Slow(Duration::from_millis(400)));
    let winner = tokio::spawn({
        let first = first.clone();
        async move { create_chat_with(&first, &as_owner()).await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    create_chat_with(&second, &as_owner()).await.unwrap();
    winner.await.unwrap().unwrap();

    assert_eq!(setup.fake.refresh_requests().len(), 2);
    let stored = auth.stored_token(OWNER).await.unwrap().unwrap();
    let issued = setup.fake.issued_user_tokens();
    assert_eq!(stored.refresh_token.as_ref(), issued.last());
    let bearer = format!("Bearer {}", stored.access_token);
    let calls = setup.fake.requests_to("/open-apis/im/v1/chats");
    assert!(
        calls
            .iter()
            .all(|call| call.header("authorization") == Some(bearer.as_str()))
    );
}
