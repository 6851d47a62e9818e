//! The client every generated endpoint method runs through.

use serde::{Serialize, de::DeserializeOwned};

use crate::endpoint::Endpoint;
use crate::error::{Error, ErrorCode};
use crate::query::QueryParams;
use crate::validate::Validate;

/// A Feishu Open API client. Cheap to clone; clones share connections and
/// the token cache.
#[derive(Clone, Debug, Default)]
pub struct Client {}

/// Options for one call.
#[derive(Clone, Debug, Default)]
pub struct RequestOptions {}

impl Client {
    /// Sends one call of `endpoint` and decodes its `data`.
    ///
    /// Validates `query` and `body` first; substitutes `:name` segments of the
    /// endpoint's path from `path_params`.
    pub(crate) async fn execute<Q, B, R, E>(
        &self,
        endpoint: &'static Endpoint,
        path_params: &[(&'static str, &str)],
        query: &Q,
        body: Option<&B>,
        options: &RequestOptions,
    ) -> Result<R, Error<E>>
    where
        Q: QueryParams + Validate,
        B: Serialize + Validate,
        R: DeserializeOwned,
        E: ErrorCode,
    {
        let _ = (endpoint, path_params, query, body, options);
        todo!("runtime")
    }
}
