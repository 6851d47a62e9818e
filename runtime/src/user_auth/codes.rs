//! The error codes of the OAuth token endpoint
//! (`POST /open-apis/authen/v2/oauth/token`), as its two pages (获取
//! user_access_token, 刷新 user_access_token) list them.

use crate::error::{ErrorCode, ErrorInfo};

/// A documented error code of the OAuth token endpoint, for code exchange
/// and refresh alike. The message is the page's; the advice, in Chinese as
/// on the page, says what to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OAuthErrorCode {
    /// `20001` (HTTP 400): a required parameter is missing.
    MissingParameter,
    /// `20002` (HTTP 400): `client_id` / `client_secret` do not match.
    InvalidClientSecret,
    /// `20003` (HTTP 400): the authorization code is unknown, or was used
    /// (a code can be used only once).
    CodeNotFound,
    /// `20004` (HTTP 400): the authorization code expired (it lasts 5
    /// minutes).
    CodeExpired,
    /// `20008` (HTTP 400): the user does not exist.
    UserNotFound,
    /// `20009` (HTTP 400): the tenant has not installed the app.
    AppNotInstalled,
    /// `20010` (HTTP 400): the user may not use the app.
    UserNotPermitted,
    /// `20024` (HTTP 400): the code or refresh token belongs to another app.
    ClientMismatch,
    /// `20026` (HTTP 400): the refresh token is not valid (only tokens from
    /// the v2 endpoint are accepted).
    InvalidRefreshToken,
    /// `20036` (HTTP 400): the `grant_type` is not supported.
    UnsupportedGrantType,
    /// `20037` (HTTP 400): the refresh token expired; the user must
    /// authorize again.
    RefreshTokenExpired,
    /// `20048` (HTTP 400): the app does not exist.
    AppNotFound,
    /// `20049` (HTTP 400): the PKCE `code_verifier` is missing or wrong.
    PkceFailed,
    /// `20050` (HTTP 500): an internal error; retry later.
    ServerError,
    /// `20063` (HTTP 400): the request body lacks a required field.
    MalformedRequest,
    /// `20064` (HTTP 400): the refresh token was revoked; the user must
    /// authorize again.
    RefreshTokenRevoked,
    /// `20065` (HTTP 400): the authorization code was used already.
    CodeUsed,
    /// `20066` (HTTP 400): the user's status is invalid.
    InvalidUserStatus,
    /// `20067` (HTTP 400): `scope` lists a scope twice.
    DuplicateScope,
    /// `20068` (HTTP 400): `scope` names a scope the user did not grant.
    ScopeNotPermitted,
    /// `20069` (HTTP 400): the app is not enabled.
    AppNotEnabled,
    /// `20070` (HTTP 400): both Basic authentication and `client_secret`
    /// were sent.
    MultipleAuthenticationMethods,
    /// `20071` (HTTP 400): `redirect_uri` differs from the one used to
    /// obtain the code.
    RedirectUriMismatch,
    /// `20072` (HTTP 503): the service is temporarily unavailable; retry.
    TemporarilyUnavailable,
    /// `20073` (HTTP 400): the refresh token was used already (a refresh
    /// token can be used only once); the user must authorize again.
    RefreshTokenUsed,
    /// `20074` (HTTP 400): the app has not enabled refreshing
    /// `user_access_token` in its security settings.
    RefreshNotAllowed,
}

const fn info(
    code: i64,
    http_status: u16,
    message: &'static str,
    advice: &'static str,
) -> ErrorInfo {
    ErrorInfo {
        code,
        http_status,
        message,
        advice,
    }
}

/// Advice shared by the codes after which only a new authorization helps.
const AUTHORIZE_AGAIN: &str = "请重新发起授权流程以获取新的 `refresh_token`";

impl ErrorCode for OAuthErrorCode {
    fn from_code(code: i64) -> Option<Self> {
        use OAuthErrorCode::*;
        Some(match code {
            20001 => MissingParameter,
            20002 => InvalidClientSecret,
            20003 => CodeNotFound,
            20004 => CodeExpired,
            20008 => UserNotFound,
            20009 => AppNotInstalled,
            20010 => UserNotPermitted,
            20024 => ClientMismatch,
            20026 => InvalidRefreshToken,
            20036 => UnsupportedGrantType,
            20037 => RefreshTokenExpired,
            20048 => AppNotFound,
            20049 => PkceFailed,
            20050 => ServerError,
            20063 => MalformedRequest,
            20064 => RefreshTokenRevoked,
            20065 => CodeUsed,
            20066 => InvalidUserStatus,
            20067 => DuplicateScope,
            20068 => ScopeNotPermitted,
            20069 => AppNotEnabled,
            20070 => MultipleAuthenticationMethods,
            20071 => RedirectUriMismatch,
            20072 => TemporarilyUnavailable,
            20073 => RefreshTokenUsed,
            20074 => RefreshNotAllowed,
            _ => return None,
        })
    }

    fn info(self) -> &'static ErrorInfo {
        use OAuthErrorCode::*;
        match self {
            MissingParameter => {
                &const {
                    info(
                        20001,
                        400,
                        "The request is missing a required parameter.",
                        "必要参数缺失，请检查请求时传入的参数是否有误",
                    )
                }
            }
            InvalidClientSecret => {
                &const {
                    info(
                        20002,
                        400,
                        "The client secret is invalid.",
                        "应用认证失败，请检查提供的 `client_id` 与 `client_secret` 是否正确",
                    )
                }
            }
            CodeNotFound => {
                &const {
                    info(
                        20003,
                        400,
                        "The authorization code is not found. Please note that an authorization code can only be used once.",
                        "无效的授权码，请检查授权码是否有效，注意授权码仅能使用一次",
                    )
                }
            }
            CodeExpired => {
                &const {
                    info(
                        20004,
                        400,
                        "The authorization code has expired.",
                        "授权码已经过期，请在授权码生成后的 5 分钟内使用",
                    )
                }
            }
            UserNotFound => {
                &const {
                    info(
                        20008,
                        400,
                        "The user does not exist.",
                        "用户不存在，请检查发起授权的用户的当前状态",
                    )
                }
            }
            AppNotInstalled => {
                &const {
                    info(
                        20009,
                        400,
                        "The specified app is not installed.",
                        "租户未安装应用，请检查应用状态",
                    )
                }
            }
            UserNotPermitted => {
                &const {
                    info(
                        20010,
                        400,
                        "The user does not have permission to use this app.",
                        "用户无应用使用权限，请检查发起授权的用户是否仍具有应用使用权限",
                    )
                }
            }
            ClientMismatch => {
                &const {
                    info(
                        20024,
                        400,
                        "The provided authorization code or refresh token does not match the provided client ID.",
                        "提供的授权码或 `refresh_token` 与 `client_id` 不匹配，请勿混用不同应用的凭证",
                    )
                }
            }
            InvalidRefreshToken => {
                &const {
                    info(
                        20026,
                        400,
                        "The refresh token passed is invalid. Please check the value.",
                        "请检查请求体中 `refresh_token` 字段的取值。请注意本接口仅支持 v2 版本接口下发的 `refresh_token`",
                    )
                }
            }
            UnsupportedGrantType => {
                &const {
                    info(
                        20036,
                        400,
                        "The specified grant_type is not supported.",
                        "无效的 `grant_type`，请检查请求体中 `grant_type` 字段的取值",
                    )
                }
            }
            RefreshTokenExpired => {
                &const {
                    info(
                        20037,
                        400,
                        "The refresh token passed has expired. Please generate a new one.",
                        AUTHORIZE_AGAIN,
                    )
                }
            }
            AppNotFound => {
                &const {
                    info(
                        20048,
                        400,
                        "The specified app does not exist.",
                        "应用不存在，请检查应用状态",
                    )
                }
            }
            PkceFailed => {
                &const {
                    info(
                        20049,
                        400,
                        "PKCE code challenge failed.",
                        "PKCE 校验失败，请检查请求体中 `code_verifier` 字段是否存在且有效",
                    )
                }
            }
            ServerError => {
                &const {
                    info(
                        20050,
                        500,
                        "An unexpected server error occurred. Please retry your request.",
                        "内部服务错误，请稍后重试",
                    )
                }
            }
            MalformedRequest => {
                &const {
                    info(
                        20063,
                        400,
                        "The request is malformed. Please check your request.",
                        "请求体中缺少必要字段，请根据具体的错误信息补齐字段",
                    )
                }
            }
            RefreshTokenRevoked => {
                &const {
                    info(
                        20064,
                        400,
                        "The refresh token has been revoked. Please note that a refresh token can only be used once.",
                        AUTHORIZE_AGAIN,
                    )
                }
            }
            CodeUsed => {
                &const {
                    info(
                        20065,
                        400,
                        "The authorization code has been used. Please note that an authorization code can only be used once.",
                        "授权码已被使用，授权码仅能使用一次，请检查是否有被重复使用",
                    )
                }
            }
            InvalidUserStatus => {
                &const {
                    info(
                        20066,
                        400,
                        "The user status is invalid.",
                        "用户状态非法，请检查发起授权的用户的当前状态",
                    )
                }
            }
            DuplicateScope => {
                &const {
                    info(
                        20067,
                        400,
                        "The provided scope list contains duplicate scopes. Please ensure all scopes are unique.",
                        "无效的 `scope` 列表，其中存在重复项，请确保传入的 `scope` 列表中没有重复项",
                    )
                }
            }
            ScopeNotPermitted => {
                &const {
                    info(
                        20068,
                        400,
                        "The provided scope list contains scopes that are not permitted. Please ensure all scopes are allowed.",
                        "无效的 `scope` 列表，其中存在用户未授权的权限。`scope` 参数传入的权限必须是获取授权码时 `scope` 参数值的子集",
                    )
                }
            }
            AppNotEnabled => {
                &const {
                    info(
                        20069,
                        400,
                        "The specified app is not enabled.",
                        "应用未启用，请检查应用状态",
                    )
                }
            }
            MultipleAuthenticationMethods => {
                &const {
                    info(
                        20070,
                        400,
                        "Multiple authentication methods were provided. Please only use one to proceed.",
                        "请求时同时使用了 `Basic Authentication` 和 `client_secret` 两种身份验证方式。请仅使用 `client_id`、`client_secret` 身份验证方式调用本接口",
                    )
                }
            }
            RedirectUriMismatch => {
                &const {
                    info(
                        20071,
                        400,
                        "The provided redirect URI does not match the one used during authorization.",
                        "无效的 `redirect_uri`，请确保 `redirect_uri` 与获取授权码时传入的 `redirect_uri` 保持一致",
                    )
                }
            }
            TemporarilyUnavailable => {
                &const {
                    info(
                        20072,
                        503,
                        "The server is temporarily unavailable. Please retry your request.",
                        "服务暂不可用，请稍后重试",
                    )
                }
            }
            RefreshTokenUsed => {
                &const {
                    info(
                        20073,
                        400,
                        "The refresh token has been used. Please note that a refresh token can only be used once.",
                        AUTHORIZE_AGAIN,
                    )
                }
            }
            RefreshNotAllowed => {
                &const {
                    info(
                        20074,
                        400,
                        "The specified app is not allowed to refresh token.",
                        "请在应用管理后台检查是否开启了刷新 `user_access_token` 开关，注意发版后生效",
                    )
                }
            }
        }
    }
}
