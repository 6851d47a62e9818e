//! [`LongConnection`], the builder, and the loop that keeps a connection
//! up: discover, connect, serve, and on loss reconnect as Feishu's client
//! config says.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite;

use super::config::{ClientConfig, Endpoint, discover};
use super::connection::{End, Session, Socket, stopped};
use super::error::LongConnectionError;
use crate::client::FEISHU_BASE_URL;
use crate::events::card_action::{CardAction, CardReply};
use crate::events::dedup::{DEFAULT_REMEMBER, Dedup, MemoryDedup};
use crate::events::dispatch::{self, CardHandler, DEFAULT_ACK_WITHIN, Dispatcher, HandlerError};
use crate::events::envelope::Event;

/// How long after a ping the client waits for anything (a pong, an event)
/// before it takes the connection as dead and connects again.
pub const DEFAULT_PONG_WITHIN: Duration = Duration::from_secs(30);

/// Receives events over Feishu's long connection (WebSocket event mode), for
/// bots without a public URL: the same handler type, dedup and
/// acknowledgement deadline as [`EventReceiver`](crate::events::EventReceiver).
///
/// ```no_run
/// use feishu_runtime::events::LongConnection;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let connection = LongConnection::new("cli_a1b2", std::env::var("FEISHU_APP_SECRET")?)
///     .start(|event| async move {
///         println!("{} {}", event.event_type, event.id);
///         Ok(())
///     });
/// connection.connected().await;
/// // ... until the bot stops:
/// connection.shutdown().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct LongConnection {
    app_id: String,
    app_secret: String,
    base_url: String,
    config: ClientConfig,
    pong_within: Duration,
    dedup: Arc<dyn Dedup>,
    remember: Duration,
    ack_within: Duration,
    http: Option<reqwest::Client>,
    card: Option<CardHandler>,
}

impl fmt::Debug for LongConnection {
    // The app secret stays out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LongConnection")
            .field("app_id", &self.app_id)
            .field("base_url", &self.base_url)
            .field("config", &self.config)
            .field("pong_within", &self.pong_within)
            .field("dedup", &self.dedup)
            .field("remember", &self.remember)
            .field("ack_within", &self.ack_within)
            .finish_non_exhaustive()
    }
}

impl LongConnection {
    /// A connection for this app to Feishu (`https://open.feishu.cn`), with
    /// the official SDKs' timing until Feishu sends its own, ids remembered
    /// in memory.
    pub fn new(app_id: impl Into<String>, app_secret: impl Into<String>) -> Self {
        Self {
            app_id: app_id.into(),
            app_secret: app_secret.into(),
            base_url: FEISHU_BASE_URL.to_owned(),
            config: ClientConfig::default(),
            pong_within: DEFAULT_PONG_WITHIN,
            dedup: Arc::new(MemoryDedup::new()),
            remember: DEFAULT_REMEMBER,
            ack_within: DEFAULT_ACK_WITHIN,
            http: None,
            card: None,
        }
    }

    /// Answers card callbacks (`card.action.trigger`) with `handler`'s
    /// reply, as [`EventReceiver::on_card_action`](crate::events::EventReceiver::on_card_action).
    pub fn on_card_action<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(CardAction) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<CardReply, HandlerError>> + Send + 'static,
    {
        self.card = Some(dispatch::card_handler(handler));
        self
    }

    /// Where discovery is asked (e.g. `https://open.larksuite.com`, or a
    /// fake Feishu's URL).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Where delivered ids are remembered, and for how long, as
    /// [`EventReceiver::dedup`](crate::events::EventReceiver::dedup).
    pub fn dedup(mut self, store: Arc<dyn Dedup>, remember: Duration) -> Self {
        self.dedup = store;
        self.remember = remember;
        self
    }

    /// How long the handler may take before the event is acknowledged
    /// anyway ([`DEFAULT_ACK_WITHIN`]).
    pub fn ack_within(mut self, within: Duration) -> Self {
        self.ack_within = within;
        self
    }

    /// The timing to start with; a config Feishu sends (at discovery or in
    /// a pong) replaces what it names.
    pub fn client_config(mut self, config: ClientConfig) -> Self {
        self.config = config;
        self
    }

    /// How long after a ping to wait for anything before reconnecting
    /// ([`DEFAULT_PONG_WITHIN`]).
    pub fn pong_within(mut self, within: Duration) -> Self {
        self.pong_within = within;
        self
    }

    /// The HTTP client discovery uses (a default one otherwise).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Connects in a background task and returns at once; events go to
    /// `handler`, once per id. Needs a Tokio runtime.
    pub fn start<F, Fut>(self, handler: F) -> LongConnectionHandle
    where
        F: Fn(Event) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        let (shutdown, stop) = watch::channel(false);
        let (state_tx, state) = watch::channel(ConnectionState::Connecting);
        let (config_tx, config) = watch::channel(self.config);
        let mut dispatcher = Dispatcher::new(dispatch::handler(handler));
        dispatcher.dedup = Arc::clone(&self.dedup);
        dispatcher.remember = self.remember;
        dispatcher.ack_within = self.ack_within;
        dispatcher.card = self.card.clone();
        let runner = Runner {
            http: self.http.clone().unwrap_or_default(),
            settings: self,
            dispatcher,
            config: config_tx,
            state: state_tx,
            stop,
        };
        let task = tokio::spawn(runner.run());
        LongConnectionHandle {
            shutdown,
            state,
            config,
            task,
        }
    }

    /// Connects and serves until the app is refused or reconnecting gives
    /// up (never, with the default unlimited count).
    pub async fn run<F, Fut>(self, handler: F) -> Result<(), LongConnectionError>
    where
        F: Fn(Event) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        self.start(handler).join().await
    }
}

/// Where a started [`LongConnection`] is.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectionState {
    /// Discovering or dialing (at first, or after a loss).
    Connecting,
    /// Open and receiving.
    Connected(Connected),
    /// Shut down, refused, or given up.
    Stopped,
}

/// An open connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connected {
    /// The `device_id` of the URL discovery answered.
    pub device_id: String,
    /// The `service_id` of that URL, which the client's frames carry.
    pub service_id: i32,
    /// Which connection this is since the start, from 1.
    pub number: u64,
}

/// A running [`LongConnection`]: its state, and the way to stop it.
/// Dropping it stops the connection too.
#[derive(Debug)]
pub struct LongConnectionHandle {
    shutdown: watch::Sender<bool>,
    state: watch::Receiver<ConnectionState>,
    config: watch::Receiver<ClientConfig>,
    task: JoinHandle<Result<(), LongConnectionError>>,
}

impl LongConnectionHandle {
    /// Where the connection is now.
    pub fn state(&self) -> ConnectionState {
        self.state.borrow().clone()
    }

    /// The timing in force: the builder's, updated by what Feishu sent.
    pub fn config(&self) -> ClientConfig {
        *self.config.borrow()
    }

    /// Waits until a connection is open; `None` if the client stopped.
    pub async fn connected(&self) -> Option<Connected> {
        self.wait_connected(1).await
    }

    /// Waits until connection `number` (counting from 1) or a later one is
    /// open, e.g. `2` for the first reconnect; `None` if the client stopped.
    pub async fn wait_connected(&self, number: u64) -> Option<Connected> {
        let mut state = self.state.clone();
        let reached = state
            .wait_for(|state| match state {
                ConnectionState::Connected(connected) => connected.number >= number,
                ConnectionState::Stopped => true,
                ConnectionState::Connecting => false,
            })
            .await
            .ok()?;
        match &*reached {
            ConnectionState::Connected(connected) => Some(connected.clone()),
            _ => None,
        }
    }

    /// Closes the connection and waits for the task; the error is why it
    /// had stopped already, if it had.
    pub async fn shutdown(self) -> Result<(), LongConnectionError> {
        let _ = self.shutdown.send(true);
        self.join().await
    }

    /// Waits until the client stops on its own (refused, or given up).
    pub async fn join(self) -> Result<(), LongConnectionError> {
        // Held while waiting: dropping it is what stops the task.
        let Self { shutdown, task, .. } = self;
        let ended = task.await;
        drop(shutdown);
        match ended {
            Ok(result) => result,
            Err(error) => Err(LongConnectionError::WebSocket(format!(
                "the connection task ended: {error}"
            ))),
        }
    }
}

/// The background task's state.
struct Runner {
    settings: LongConnection,
    http: reqwest::Client,
    dispatcher: Dispatcher,
    config: watch::Sender<ClientConfig>,
    state: watch::Sender<ConnectionState>,
    stop: watch::Receiver<bool>,
}

impl Runner {
    async fn run(mut self) -> Result<(), LongConnectionError> {
        let result = self.keep_connected().await;
        if let Err(error) = &result {
            tracing::error!(%error, "long connection stopped");
        }
        self.state.send_replace(ConnectionState::Stopped);
        result
    }

    async fn keep_connected(&mut self) -> Result<(), LongConnectionError> {
        let mut connections = 0;
        let mut opened = match self.connect().await {
            Ok(opened) => Some(opened),
            Err(error @ LongConnectionError::Refused { .. }) => return Err(error),
            Err(error) => {
                tracing::warn!(%error, "long connection: connecting failed");
                None
            }
        };
        loop {
            let (socket, endpoint) = match opened.take() {
                Some(opened) => opened,
                None => match self.reconnect().await? {
                    Some(opened) => opened,
                    None => return Ok(()),
                },
            };
            connections += 1;
            tracing::info!(device_id = %endpoint.device_id, "long connection open");
            self.state
                .send_replace(ConnectionState::Connected(Connected {
                    device_id: endpoint.device_id.clone(),
                    service_id: endpoint.service_id,
                    number: connections,
                }));
            let session = Session {
                dispatcher: &self.dispatcher,
                config: &self.config,
                pong_within: self.settings.pong_within,
                service_id: endpoint.service_id,
                shutdown: self.stop.clone(),
            };
            match session.serve(socket).await {
                End::Shutdown => return Ok(()),
                End::Lost(error) => {
                    tracing::warn!(%error, device_id = %endpoint.device_id, "long connection lost");
                    self.state.send_replace(ConnectionState::Connecting);
                }
            }
        }
    }

    /// Reconnects as the config says: a random wait below the nonce, then
    /// attempts the interval apart. `None` when shut down meanwhile.
    async fn reconnect(&mut self) -> Result<Option<(Socket, Endpoint)>, LongConnectionError> {
        let config = *self.config.borrow();
        if !self.pause(jitter(config.reconnect_nonce)).await {
            return Ok(None);
        }
        let mut attempts: u64 = 0;
        loop {
            let limit = u64::try_from(config.reconnect_count).ok();
            if limit.is_some_and(|limit| attempts >= limit) {
                return Err(LongConnectionError::GaveUp { attempts });
            }
            attempts += 1;
            match self.connect().await {
                Ok(opened) => return Ok(Some(opened)),
                Err(error @ LongConnectionError::Refused { .. }) => return Err(error),
                Err(error) => tracing::warn!(%error, attempts, "long connection: reconnect failed"),
            }
            if !self.pause(config.reconnect_interval).await {
                return Ok(None);
            }
        }
    }

    /// Waits `delay`; `false` when shut down first.
    async fn pause(&mut self, delay: Duration) -> bool {
        tokio::select! {
            () = stopped(&mut self.stop) => false,
            () = tokio::time::sleep(delay) => true,
        }
    }

    /// Discovery, then the WebSocket handshake.
    async fn connect(&mut self) -> Result<(Socket, Endpoint), LongConnectionError> {
        let settings = &self.settings;
        let endpoint = discover(
            &self.http,
            &settings.base_url,
            &settings.app_id,
            &settings.app_secret,
        )
        .await?;
        if let Some(wire) = &endpoint.config {
            self.config
                .send_modify(|config| *config = config.updated(wire));
        }
        match tokio_tungstenite::connect_async(endpoint.url.as_str()).await {
            Ok((socket, _)) => Ok((socket, endpoint)),
            Err(tungstenite::Error::Http(response)) => Err(handshake_refusal(response.headers())),
            Err(error) => Err(LongConnectionError::WebSocket(error.to_string())),
        }
    }
}

/// A refused handshake, read as the official SDKs do: Feishu's status in
/// `Handshake-Status`; 403 (banned) and 514 with auth code 1000040350 (too
/// many connections) are not worth retrying.
fn handshake_refusal(headers: &tungstenite::http::HeaderMap) -> LongConnectionError {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let code: i64 = header("Handshake-Status").parse().unwrap_or(0);
    let msg = header("Handshake-Msg");
    let auth_code = header("Handshake-Autherrcode");
    if code == 403 || (code == 514 && auth_code == "1000040350") {
        LongConnectionError::Refused { code, msg }
    } else {
        LongConnectionError::WebSocket(format!("handshake refused: {code} {msg}"))
    }
}

/// A random duration below `nonce`, so clients cut off together do not
/// come back together.
fn jitter(nonce: Duration) -> Duration {
    let millis = u64::try_from(nonce.as_millis()).unwrap_or(u64::MAX);
    if millis == 0 {
        return Duration::ZERO;
    }
    // uuid's v4 is the random source the crate already has.
    let random = uuid::Uuid::new_v4().as_u128() as u64;
    Duration::from_millis(random % millis)
}
