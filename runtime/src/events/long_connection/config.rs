//! Endpoint discovery and the settings Feishu hands the client: a POST to
//! [`ENDPOINT_PATH`] with the app's id and secret answers the WebSocket
//! URL to dial and a [`ClientConfig`]; a pong may carry a new one.

use std::time::Duration;

use serde::Deserialize;
use serde_json::json;

use super::error::LongConnectionError;

/// Where the WebSocket URL is asked for, under the open platform's base URL.
pub const ENDPOINT_PATH: &str = "/callback/ws/endpoint";

/// Discovery codes the official SDKs retry on: the platform is busy, or
/// failed inside. Any other non-zero code (bad credentials, a banned app)
/// will not go away by retrying.
const SYSTEM_BUSY: i64 = 1;
const INTERNAL_ERROR: i64 = 1_000_040_343;

/// The connection's timing, as Feishu sends it (whole seconds on the wire)
/// and as the builder sets it before Feishu says otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientConfig {
    /// Reconnect attempts after a connection is lost; negative for no limit.
    pub reconnect_count: i64,
    /// The wait between two reconnect attempts.
    pub reconnect_interval: Duration,
    /// The first reconnect waits a random time below this, so a fleet of
    /// bots cut off at once does not come back at once.
    pub reconnect_nonce: Duration,
    /// How often a ping is sent.
    pub ping_interval: Duration,
}

impl Default for ClientConfig {
    /// The official SDKs' defaults: reconnect forever, every 2 minutes
    /// after a jitter below 30 s, ping every 2 minutes.
    fn default() -> Self {
        Self {
            reconnect_count: -1,
            reconnect_interval: Duration::from_secs(120),
            reconnect_nonce: Duration::from_secs(30),
            ping_interval: Duration::from_secs(120),
        }
    }
}

/// `ClientConfig` on the wire; a field Feishu leaves out (or sends as 0,
/// which Go's `omitempty` cannot tell apart) keeps the current value.
#[derive(Debug, Default, Deserialize)]
pub(super) struct WireConfig {
    #[serde(rename = "ReconnectCount", default)]
    reconnect_count: Option<i64>,
    #[serde(rename = "ReconnectInterval", default)]
    reconnect_interval: Option<u64>,
    #[serde(rename = "ReconnectNonce", default)]
    reconnect_nonce: Option<u64>,
    #[serde(rename = "PingInterval", default)]
    ping_interval: Option<u64>,
}

impl ClientConfig {
    /// This config with what `wire` sets.
    pub(super) fn updated(mut self, wire: &WireConfig) -> Self {
        if let Some(count) = wire.reconnect_count.filter(|count| *count != 0) {
            self.reconnect_count = count;
        }
        let seconds = |value: Option<u64>| value.filter(|s| *s > 0).map(Duration::from_secs);
        if let Some(interval) = seconds(wire.reconnect_interval) {
            self.reconnect_interval = interval;
        }
        if let Some(nonce) = seconds(wire.reconnect_nonce) {
            self.reconnect_nonce = nonce;
        }
        if let Some(interval) = seconds(wire.ping_interval) {
            self.ping_interval = interval;
        }
        self
    }
}

/// Where to connect, as discovery answered.
#[derive(Debug)]
pub(super) struct Endpoint {
    /// The `wss://` URL, with its `device_id` and `service_id`.
    pub url: String,
    /// `device_id` of the URL: the connection's id in logs.
    pub device_id: String,
    /// `service_id` of the URL, which every frame the client sends carries.
    pub service_id: i32,
    pub config: Option<WireConfig>,
}

#[derive(Deserialize)]
struct Answer {
    code: i64,
    #[serde(default)]
    msg: String,
    data: Option<AnswerData>,
}

#[derive(Deserialize)]
struct AnswerData {
    #[serde(rename = "URL", default)]
    url: String,
    #[serde(rename = "ClientConfig", default)]
    client_config: Option<WireConfig>,
}

/// Asks `base_url` where to connect.
pub(super) async fn discover(
    http: &reqwest::Client,
    base_url: &str,
    app_id: &str,
    app_secret: &str,
) -> Result<Endpoint, LongConnectionError> {
    let url = format!("{}{ENDPOINT_PATH}", base_url.trim_end_matches('/'));
    let response = http
        .post(url)
        .header("locale", "zh")
        .json(&json!({ "AppID": app_id, "AppSecret": app_secret }))
        .send()
        .await
        .map_err(|error| LongConnectionError::Discovery(error.without_url().to_string()))?;
    let status = response.status();
    let body = response
        .bytes()
        .await
        .map_err(|error| LongConnectionError::Discovery(error.without_url().to_string()))?;
    if !status.is_success() {
        return Err(LongConnectionError::Discovery(format!("HTTP {status}")));
    }
    let answer: Answer = serde_json::from_slice(&body)
        .map_err(|error| LongConnectionError::Discovery(format!("bad answer: {error}")))?;
    match answer.code {
        0 => endpoint(answer.data),
        SYSTEM_BUSY | INTERNAL_ERROR => Err(LongConnectionError::Discovery(format!(
            "code {}: {}",
            answer.code, answer.msg
        ))),
        code => Err(LongConnectionError::Refused {
            code,
            msg: answer.msg,
        }),
    }
}

fn endpoint(data: Option<AnswerData>) -> Result<Endpoint, LongConnectionError> {
    let data = data
        .filter(|data| !data.url.is_empty())
        .ok_or_else(|| LongConnectionError::Discovery("no URL in the answer".to_owned()))?;
    let parsed = reqwest::Url::parse(&data.url)
        .map_err(|error| LongConnectionError::Discovery(format!("bad URL: {error}")))?;
    let param = |name: &str| {
        parsed
            .query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    };
    let device_id = param("device_id").unwrap_or_default();
    // The SDKs read a missing or odd service_id as 0.
    let service_id = param("service_id")
        .and_then(|id| id.parse().ok())
        .unwrap_or(0);
    Ok(Endpoint {
        url: data.url,
        device_id,
        service_id,
        config: data.client_config,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wire_config_sets_only_what_it_names() {
        let wire: WireConfig =
            serde_json::from_str(r#"{"PingInterval": 5, "ReconnectCount": 3}"#).unwrap();
        let config = ClientConfig::default().updated(&wire);
        assert_eq!(
            config,
            ClientConfig {
                reconnect_count: 3,
                reconnect_interval: Duration::from_secs(120),
                reconnect_nonce: Duration::from_secs(30),
                ping_interval: Duration::from_secs(5),
            }
        );
    }

    #[test]
    fn the_endpoint_url_gives_device_and_service() {
        let data = AnswerData {
            url: "wss://msg-frontier.feishu.cn/ws/v2?fpid=493&device_id=7123&service_id=33554678"
                .to_owned(),
            client_config: None,
        };
        let endpoint = endpoint(Some(data)).unwrap();
        assert_eq!(endpoint.device_id, "7123");
        assert_eq!(endpoint.service_id, 33554678);
    }
}
