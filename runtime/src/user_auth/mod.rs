//! User identity: the OAuth flow that gets a `user_access_token`, and the
//! per-user store that calls made with
//! [`RequestOptions::as_user`](crate::RequestOptions::as_user) take it from.
//!
//! Some endpoints take only a `user_access_token`, many take either kind.
//! The flow, as Feishu's pages (获取授权码, 获取 / 刷新 user_access_token)
//! describe it:
//!
//! 1. Send the user to an [`AuthorizationUrl`]
//!    (`https://accounts.feishu.cn/open-apis/authen/v1/authorize`). Once they
//!    agree, the browser returns to your `redirect_uri` with `code` (valid 5
//!    minutes, once) and your `state`; if they refuse, with
//!    `error=access_denied`.
//! 2. Exchange the code ([`UserAuth::exchange_code_for_user`]) at
//!    `POST /open-apis/authen/v2/oauth/token`: you get a `user_access_token`
//!    (about two hours) and, if the user granted `offline_access`, a
//!    `refresh_token` (about seven days, at most 365 days after the user
//!    authorized). The token is stored under the user id you give.
//! 3. Call as the user: `RequestOptions::new().as_user(user_id)`. The client
//!    sends the stored token, refreshes it shortly before it expires (the
//!    builder's `refresh_margin`), once per user however many calls wait,
//!    and stores the new refresh token in place of the spent one (each
//!    works once). An endpoint rejecting the token as invalid makes the
//!    client refresh it and send the call once more.
//!
//! When refreshing is no longer possible the call fails with
//! [`UserAuthError::AuthorizationRequired`]: send the user through step 1
//! again.
//!
//! ```
//! use feishu_openapi::Client;
//! use feishu_openapi::testing::FakeFeishu;
//! use feishu_openapi::user_auth::CodeExchange;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let fake = FakeFeishu::start().await?;
//! let client = Client::builder()
//!     .app(fake.app_id(), fake.app_secret())
//!     .base_url(fake.url())
//!     .build()?;
//! let auth = client.user_auth().expect("the client has app credentials");
//! let url = auth
//!     .authorization_url("https://example.com/callback")
//!     .scope("offline_access")
//!     .state("xyz");
//! assert!(url.to_string().contains("client_id=cli_fake_app"));
//!
//! // The user signs in; the fake hands out the code the redirect would carry.
//! let user = "ou_7d8a6e6df7621556ce0d21922b676706ccs";
//! let code = fake.authorize(user);
//! let exchange = CodeExchange::new(code).redirect_uri(url.redirect_uri());
//! auth.exchange_code_for_user(user, &exchange).await?;
//!
//! client.im().v1().chat().create().name("as a user").as_user(user).send().await?;
//! # Ok(())
//! # }
//! ```

mod authorization_url;
mod codes;
mod error;
mod manager;
#[cfg(feature = "redis")]
mod redis_store;
mod store;
mod token;
pub(crate) mod token_endpoint;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

pub use authorization_url::{
    AuthorizationUrl, CodeChallengeMethod, FEISHU_AUTHORIZE_URL, LARK_AUTHORIZE_URL,
};
pub use codes::OAuthErrorCode;
pub use error::{OAuthError, ReauthorizeReason, UserAuthError};
#[cfg(feature = "redis")]
pub use redis_store::RedisUserTokenStore;
pub use store::{MemoryUserTokenStore, StoreError, UserTokenStore};
pub use token::{CodeExchange, UserToken};

pub(crate) use manager::UserTokens;
pub(crate) use token_endpoint::OAUTH_TOKEN_PATH;

use crate::auth::AppCredentials;
use crate::clock::Clock;

/// The app's side of user authorization: the authorization URL, the code
/// exchange, and the tokens stored per user. From
/// [`Client::user_auth`](crate::Client::user_auth).
pub struct UserAuth<'a> {
    http: &'a reqwest::Client,
    tokens: &'a UserTokens,
}

impl fmt::Debug for UserAuth<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserAuth")
            .field("tokens", self.tokens)
            .finish_non_exhaustive()
    }
}

impl<'a> UserAuth<'a> {
    pub(crate) fn new(http: &'a reqwest::Client, tokens: &'a UserTokens) -> Self {
        Self { http, tokens }
    }

    /// The authorization page for this app, returning the user to
    /// `redirect_uri`: Feishu's, Lark's, or the base URL's own for any
    /// other base URL (a fake Feishu, a proxy). Add scopes and a state.
    pub fn authorization_url(&self, redirect_uri: impl Into<String>) -> AuthorizationUrl {
        AuthorizationUrl::new(
            self.tokens.endpoint.credentials.app_id.clone(),
            redirect_uri,
        )
        .endpoint(self.tokens.authorize_url.clone())
    }

    /// Exchanges an authorization code for the user's tokens, storing
    /// nothing: for an app that learns who the user is from the token
    /// (then [`save_token`](Self::save_token)).
    pub async fn exchange_code(&self, exchange: &CodeExchange) -> Result<UserToken, UserAuthError> {
        let now = self.tokens.clock().now();
        self.tokens
            .endpoint
            .exchange(self.http, exchange, now)
            .await
    }

    /// Exchanges an authorization code and stores the tokens under
    /// `user_id`, so that calls `as_user(user_id)` use them.
    pub async fn exchange_code_for_user(
        &self,
        user_id: &str,
        exchange: &CodeExchange,
    ) -> Result<UserToken, UserAuthError> {
        self.tokens
            .exchange_for_user(self.http, user_id, exchange)
            .await
    }

    /// Stores `token` under `user_id`, replacing any previous one.
    pub async fn save_token(&self, user_id: &str, token: UserToken) -> Result<(), UserAuthError> {
        self.tokens.save(user_id, token, None).await
    }

    /// A `user_access_token` of `user_id` that the client would send now,
    /// refreshed first if due: for requests the client does not make.
    pub async fn access_token(&self, user_id: &str) -> Result<String, UserAuthError> {
        self.tokens.token(self.http, user_id).await
    }

    /// The tokens stored for `user_id`, if any, as they are (not
    /// refreshed).
    pub async fn stored_token(&self, user_id: &str) -> Result<Option<UserToken>, UserAuthError> {
        self.tokens.stored(user_id).await
    }

    /// Forgets `user_id`'s tokens (sign-out): later calls as them fail with
    /// [`UserAuthError::AuthorizationRequired`].
    pub async fn remove_token(&self, user_id: &str) -> Result<(), UserAuthError> {
        self.tokens.remove(user_id).await
    }
}

/// Builds the client's user-token machinery for the app, against
/// `base_url`.
pub(crate) fn user_tokens(
    credentials: AppCredentials,
    base_url: &reqwest::Url,
    store: Arc<dyn UserTokenStore>,
    clock: Arc<dyn Clock>,
    refresh_margin: Duration,
    max_response_bytes: usize,
) -> UserTokens {
    let authorize_url = match base_url.host_str() {
        Some("open.feishu.cn") => FEISHU_AUTHORIZE_URL.to_owned(),
        Some("open.larksuite.com") => LARK_AUTHORIZE_URL.to_owned(),
        _ => join(base_url, authorization_url::AUTHORIZE_PATH).to_string(),
    };
    let endpoint = token_endpoint::TokenEndpoint {
        url: join(base_url, OAUTH_TOKEN_PATH),
        credentials,
        max_response_bytes,
    };
    UserTokens::new(endpoint, authorize_url, store, clock, refresh_margin)
}

fn join(base_url: &reqwest::Url, path: &str) -> reqwest::Url {
    let mut url = base_url.clone();
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.pop_if_empty();
        segments.extend(path.split('/').filter(|segment| !segment.is_empty()));
    }
    url
}
