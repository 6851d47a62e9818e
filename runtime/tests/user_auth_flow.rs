//! User identity, first steps: the authorization URL is the page's, a code
//! exchange sends the documented body and stores what it gets, and a call
//! made `as_user` sends that user's token.

use std::time::{Duration, SystemTime};

use crate::common::*;
use feishu_openapi::testing::{DEFAULT_USER_SCOPE, FakeFeishu};
use feishu_openapi::user_auth::{
    AuthorizationUrl, CodeChallengeMethod, CodeExchange, FEISHU_AUTHORIZE_URL, LARK_AUTHORIZE_URL,
    OAuthErrorCode, ReauthorizeReason, UserAuthError,
};
use feishu_openapi::{Client, ErrorKind, RequestOptions};
use serde_json::json;

const SECOND_USER: &str = "ou_second_user";
const CALLBACK: &str = "https://example.com/api/oauth/callback";

#[test]
fn authorization_url_is_the_pages_example_byte_for_byte() {
    let url = AuthorizationUrl::new("cli_a5d611352af9d00b", CALLBACK)
        .scope("bitable:app:readonly contact:contact")
        .state("RANDOMSTRING");
    assert_eq!(
        url.to_string(),
        "https://accounts.feishu.cn/open-apis/authen/v1/authorize?client_id=cli_a5d611352af9d00b&response_type=code&redirect_uri=https%3A%2F%2Fexample.com%2Fapi%2Foauth%2Fcallback&scope=bitable:app:readonly%20contact:contact&state=RANDOMSTRING"
    );
    // The refresh page's example: no state.
    let url = AuthorizationUrl::new("cli_a5d611352af9d00b", CALLBACK)
        .scope("bitable:app:readonly")
        .scope("offline_access");
    assert_eq!(
        url.to_string(),
        "https://accounts.feishu.cn/open-apis/authen/v1/authorize?client_id=cli_a5d611352af9d00b&response_type=code&redirect_uri=https%3A%2F%2Fexample.com%2Fapi%2Foauth%2Fcallback&scope=bitable:app:readonly%20offline_access"
    );
}

#[test]
fn authorization_url_encodes_every_reserved_character_and_carries_pkce() {
    let url = AuthorizationUrl::new("cli_a", "https://example.com/api/oauth/callback/#/login")
        .state("a b&c=d/é+?")
        .code_challenge(
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            CodeChallengeMethod::S256,
        );
    assert_eq!(
        url.to_string(),
        "https://accounts.feishu.cn/open-apis/authen/v1/authorize?client_id=cli_a&response_type=code\
         &redirect_uri=https%3A%2F%2Fexample.com%2Fapi%2Foauth%2Fcallback%2F%23%2Flogin\
         &state=a%20b%26c%3Dd%2F%C3%A9%2B%3F\
         &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
    );
    // Decoding gives back exactly what went in.
    let parsed = reqwest::Url::parse(&url.to_string()).unwrap();
    let pairs: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
    assert_eq!(pairs[2].1, "https://example.com/api/oauth/callback/#/login");
    assert_eq!(pairs[3].1, "a b&c=d/é+?");
    assert_eq!(
        CodeChallengeMethod::Plain.as_str(),
        "plain",
        "the page's default method"
    );
}

#[tokio::test]
async fn the_clients_authorization_url_follows_its_base_url() {
    let feishu = Client::new("cli_a", "secret").unwrap();
    let url = feishu.user_auth().unwrap().authorization_url(CALLBACK);
    assert!(url.to_string().starts_with(&format!(
        "{FEISHU_AUTHORIZE_URL}?client_id=cli_a&response_type=code"
    )));
    let lark = Client::builder()
        .app("cli_a", "secret")
        .lark()
        .build()
        .unwrap();
    let url = lark.user_auth().unwrap().authorization_url(CALLBACK);
    assert!(url.to_string().starts_with(LARK_AUTHORIZE_URL));

    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let url = client.user_auth().unwrap().authorization_url(CALLBACK);
    assert_eq!(url.redirect_uri(), CALLBACK);
    assert!(url.to_string().starts_with(&format!(
        "{}/open-apis/authen/v1/authorize?client_id=cli_fake_app&",
        fake.url()
    )));

    // The token endpoint needs the app's secret.
    let no_app = Client::builder().build().unwrap();
    assert!(no_app.user_auth().is_none());
}

#[tokio::test]
async fn a_code_exchange_sends_the_documented_body_and_stores_the_token() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let auth = client.user_auth().unwrap();
    let code = fake.authorize(OWNER);
    let before = SystemTime::now();

    let exchange = CodeExchange::new(&code).redirect_uri(CALLBACK);
    let token = auth.exchange_code_for_user(OWNER, &exchange).await.unwrap();

    let requests = fake.oauth_token_requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].path, "/open-apis/authen/v2/oauth/token");
    assert_eq!(
        requests[0].header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(
        requests[0].json().unwrap(),
        json!({
            "grant_type": "authorization_code",
            "client_id": "cli_fake_app",
            "client_secret": "fake-app-secret",
            "code": code,
            "redirect_uri": CALLBACK,
        })
    );
    // What the fake issued, with the lifetimes it answered.
    let issued = fake.issued_user_tokens();
    assert_eq!(token.access_token, issued[0]);
    assert_eq!(token.refresh_token.as_deref(), Some(issued[1].as_str()));
    assert_eq!(token.scope, DEFAULT_USER_SCOPE);
    assert!(token.has_scope("offline_access"));
    let lifetime = |at: SystemTime| at.duration_since(before).unwrap().as_secs();
    assert!((7199..=7201).contains(&lifetime(token.expires_at)));
    assert!((604_799..=604_801).contains(&lifetime(token.refresh_expires_at.unwrap())));
    assert_eq!(fake.user_of(&token.access_token).as_deref(), Some(OWNER));

    assert_eq!(auth.stored_token(OWNER).await.unwrap(), Some(token));
    assert_eq!(auth.stored_token(SECOND_USER).await.unwrap(), None);
}

#[tokio::test]
async fn a_used_or_unknown_code_is_refused_with_the_pages_codes() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let auth = client.user_auth().unwrap();
    let code = fake.authorize(OWNER);
    auth.exchange_code(&CodeExchange::new(&code)).await.unwrap();

    let refused = |error: UserAuthError| match error {
        UserAuthError::OAuth(error) => error,
        other => panic!("expected an OAuth error, got {other:?}"),
    };
    let reused = refused(
        auth.exchange_code(&CodeExchange::new(&code))
            .await
            .unwrap_err(),
    );
    assert_eq!(reused.code, 20065);
    assert_eq!(reused.http_status, 400);
    assert_eq!(reused.error, "invalid_grant");
    assert_eq!(reused.documented, Some(OAuthErrorCode::CodeUsed));
    assert!(reused.advice().unwrap().contains("授权码仅能使用一次"));

    let unknown = refused(
        auth.exchange_code(&CodeExchange::new("no-such-code"))
            .await
            .unwrap_err(),
    );
    assert_eq!(unknown.documented, Some(OAuthErrorCode::CodeNotFound));

    // Narrowing to a scope the user never granted.
    let code = fake.authorize(OWNER);
    let narrowed = refused(
        auth.exchange_code(&CodeExchange::new(&code).scope("task:task:read"))
            .await
            .unwrap_err(),
    );
    assert_eq!(narrowed.code, 20068);
    // Nothing was stored by the bare exchange.
    assert_eq!(auth.stored_token(OWNER).await.unwrap(), None);
}

#[tokio::test]
async fn a_call_as_a_user_sends_that_users_token() {
    let fake = FakeFeishu::builder()
        .user(SECOND_USER)
        .start()
        .await
        .unwrap();
    let client = client_builder(&fake).build().unwrap();
    let auth = client.user_auth().unwrap();
    for user in [OWNER, SECOND_USER] {
        let code = fake.authorize(user);
        auth.exchange_code_for_user(user, &CodeExchange::new(code))
            .await
            .unwrap();
    }

    for user in [OWNER, SECOND_USER, OWNER] {
        create_chat_with(&client, &RequestOptions::new().as_user(user))
            .await
            .unwrap();
        let sent = fake.requests_to("/open-apis/im/v1/chats").pop().unwrap();
        let token = auth.stored_token(user).await.unwrap().unwrap().access_token;
        assert_eq!(
            sent.header("authorization"),
            Some(format!("Bearer {token}").as_str())
        );
        assert_eq!(fake.user_of(&token).as_deref(), Some(user));
    }
    // No tenant token was needed, and nothing was refreshed.
    assert!(fake.token_requests().is_empty());
    assert_eq!(fake.oauth_token_requests().len(), 2);

    // An explicit user token still wins over `as_user`.
    let options = RequestOptions::new()
        .as_user(OWNER)
        .user_access_token("u-explicit");
    let error = create_chat_with(&client, &options).await.unwrap_err();
    assert_eq!(error.api().map(|api| api.code), Some(99991663));
    let sent = fake.requests_to("/open-apis/im/v1/chats").pop().unwrap();
    assert_eq!(sent.header("authorization"), Some("Bearer u-explicit"));
}

#[tokio::test]
async fn a_user_who_never_authorized_must_authorize_and_nothing_is_sent() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let error = create_chat_with(&client, &RequestOptions::new().as_user(OWNER))
        .await
        .unwrap_err();
    let ErrorKind::UserAuth(error) = error else {
        panic!("expected a user auth error, got {error:?}");
    };
    assert!(error.requires_authorization());
    assert!(matches!(
        error,
        UserAuthError::AuthorizationRequired {
            ref user_id,
            reason: ReauthorizeReason::NotAuthorized,
        } if user_id == OWNER
    ));
    assert!(fake.requests().is_empty());

    // Signing out has the same effect.
    let auth = client.user_auth().unwrap();
    let code = fake.authorize(OWNER);
    auth.exchange_code_for_user(OWNER, &CodeExchange::new(code))
        .await
        .unwrap();
    create_chat_with(&client, &RequestOptions::new().as_user(OWNER))
        .await
        .unwrap();
    auth.remove_token(OWNER).await.unwrap();
    let error = create_chat_with(&client, &RequestOptions::new().as_user(OWNER))
        .await
        .unwrap_err();
    assert!(matches!(error, ErrorKind::UserAuth(ref e) if e.requires_authorization()));
}

#[tokio::test]
async fn without_app_credentials_as_user_is_a_typed_error() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = Client::builder()
        .base_url(fake.url())
        .retry(fast_retries(0))
        .build()
        .unwrap();
    let error = create_chat_with(&client, &RequestOptions::new().as_user(OWNER))
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        ErrorKind::UserAuth(UserAuthError::MissingAppCredentials)
    ));
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn a_token_without_offline_access_serves_until_it_expires() {
    let clock = std::sync::Arc::new(feishu_openapi::clock::ManualClock::new());
    let fake = FakeFeishu::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let client = client_builder(&fake).clock(clock.clone()).build().unwrap();
    let auth = client.user_auth().unwrap();
    let code = fake.authorize_with_scope(OWNER, "auth:user.id:read");
    let token = auth
        .exchange_code_for_user(OWNER, &CodeExchange::new(code))
        .await
        .unwrap();
    assert_eq!(token.refresh_token, None);
    assert_eq!(token.refresh_expires_at, None);

    // Inside the refresh margin there is nothing to refresh with: the
    // token is still sent while it lasts.
    clock.advance(Duration::from_secs(7200 - 60));
    let options = RequestOptions::new().as_user(OWNER);
    create_chat_with(&client, &options).await.unwrap();
    clock.advance(Duration::from_secs(61));
    let error = create_chat_with(&client, &options).await.unwrap_err();
    assert!(matches!(
        error,
        ErrorKind::UserAuth(UserAuthError::AuthorizationRequired {
            reason: ReauthorizeReason::NoRefreshToken,
            ..
        })
    ));
    assert_eq!(fake.oauth_token_requests().len(), 1);
    assert_eq!(fake.requests_to("/open-apis/im/v1/chats").len(), 1);
}
