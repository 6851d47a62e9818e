//! The authorization page's URL (获取授权码): where the app sends the user
//! to grant it access, and from which the browser returns to `redirect_uri`
//! with `code` and `state`.

use std::fmt;

/// The authorization page on Feishu, as the page gives it.
pub const FEISHU_AUTHORIZE_URL: &str = "https://accounts.feishu.cn/open-apis/authen/v1/authorize";

/// The authorization page on Lark: Feishu's counterpart on Lark's accounts
/// host (the Feishu pages document only Feishu's).
pub const LARK_AUTHORIZE_URL: &str = "https://accounts.larksuite.com/open-apis/authen/v1/authorize";

/// The authorization page's path, below a base URL that serves it (a fake
/// Feishu, a proxy).
pub(crate) const AUTHORIZE_PATH: &str = "/open-apis/authen/v1/authorize";

/// How a PKCE `code_challenge` was made from the `code_verifier`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeChallengeMethod {
    /// `S256` (recommended): the Base64URL-encoded SHA-256 of the verifier.
    S256,
    /// `plain` (Feishu's default): the verifier itself.
    Plain,
}

impl CodeChallengeMethod {
    /// The value of `code_challenge_method`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::S256 => "S256",
            Self::Plain => "plain",
        }
    }
}

/// The URL of the authorization page for one sign-in; `to_string()` gives
/// it, parameters percent-encoded, in the page's order: `client_id`,
/// `response_type=code`, `redirect_uri`, `scope`, `state`,
/// `code_challenge`, `code_challenge_method`.
///
/// ```
/// use feishu_runtime::user_auth::AuthorizationUrl;
///
/// let url = AuthorizationUrl::new("cli_a5d611352af9d00b", "https://example.com/api/oauth/callback")
///     .scope("bitable:app:readonly")
///     .scope("contact:contact")
///     .state("RANDOMSTRING");
/// // The page's own example, byte for byte.
/// assert_eq!(
///     url.to_string(),
///     "https://accounts.feishu.cn/open-apis/authen/v1/authorize?client_id=cli_a5d611352af9d00b\
///      &response_type=code&redirect_uri=https%3A%2F%2Fexample.com%2Fapi%2Foauth%2Fcallback\
///      &scope=bitable:app:readonly%20contact:contact&state=RANDOMSTRING",
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorizationUrl {
    endpoint: String,
    client_id: String,
    redirect_uri: String,
    scopes: Vec<String>,
    state: Option<String>,
    code_challenge: Option<(String, CodeChallengeMethod)>,
}

impl AuthorizationUrl {
    /// The page on Feishu for the app `client_id` (its App ID), returning
    /// the user to `redirect_uri`, which must be among the redirect URLs in
    /// the app's security settings.
    pub fn new(client_id: impl Into<String>, redirect_uri: impl Into<String>) -> Self {
        Self {
            endpoint: FEISHU_AUTHORIZE_URL.to_owned(),
            client_id: client_id.into(),
            redirect_uri: redirect_uri.into(),
            scopes: Vec::new(),
            state: None,
            code_challenge: None,
        }
    }

    /// Uses this authorization page instead of Feishu's, e.g.
    /// [`LARK_AUTHORIZE_URL`] (no query string).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into();
        self
    }

    /// Asks the user for `scope` (one, or several separated by spaces);
    /// each call adds to the list, at most 50 scopes in all. Grants
    /// accumulate: a token carries every scope the user ever granted the
    /// app. Include `offline_access` to get a refresh token; without it the
    /// user must authorize again when the access token expires.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.push(scope.into());
        self
    }

    /// A value returned unchanged with the redirect: check it there
    /// against the one you sent, against CSRF.
    pub fn state(mut self, state: impl Into<String>) -> Self {
        self.state = Some(state.into());
        self
    }

    /// A PKCE `code_challenge` and how it was made; the exchange then needs
    /// the verifier ([`CodeExchange::code_verifier`](super::CodeExchange::code_verifier)).
    pub fn code_challenge(
        mut self,
        code_challenge: impl Into<String>,
        method: CodeChallengeMethod,
    ) -> Self {
        self.code_challenge = Some((code_challenge.into(), method));
        self
    }

    /// The `redirect_uri` the URL carries, which the code exchange must
    /// repeat exactly.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }
}

impl fmt::Display for AuthorizationUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}?client_id=", self.endpoint)?;
        encode(f, &self.client_id, "")?;
        f.write_str("&response_type=code&redirect_uri=")?;
        encode(f, &self.redirect_uri, "")?;
        let scopes: Vec<&str> = self
            .scopes
            .iter()
            .flat_map(|scope| scope.split_whitespace())
            .collect();
        if !scopes.is_empty() {
            f.write_str("&scope=")?;
            // Scope keys keep their colons, as in the page's example.
            encode(f, &scopes.join(" "), ":")?;
        }
        if let Some(state) = &self.state {
            f.write_str("&state=")?;
            encode(f, state, "")?;
        }
        if let Some((challenge, method)) = &self.code_challenge {
            f.write_str("&code_challenge=")?;
            encode(f, challenge, "")?;
            write!(f, "&code_challenge_method={}", method.as_str())?;
        }
        Ok(())
    }
}

/// Percent-encodes `value` as a query value: RFC 3986 unreserved
/// characters and those in `keep` stay, every other byte becomes `%XX`
/// (a space `%20`, not `+`).
fn encode(f: &mut fmt::Formatter<'_>, value: &str, keep: &str) -> fmt::Result {
    for byte in value.bytes() {
        let unreserved = byte.is_ascii_alphanumeric() || b"-._~".contains(&byte);
        if unreserved || keep.as_bytes().contains(&byte) {
            write!(f, "{}", byte as char)?;
        } else {
            write!(f, "%{byte:02X}")?;
        }
    }
    Ok(())
}
