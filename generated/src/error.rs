//! The one error type every call returns.

use std::fmt;

use crate::validate::Violation;

/// An endpoint's documented error codes, as a generated enum.
pub trait ErrorCode: Copy + fmt::Debug + PartialEq + Send + Sync + 'static {
    /// The documented variant for a server `code`, if the doc lists it.
    fn from_code(code: i64) -> Option<Self>;
    /// The numeric code.
    fn code(self) -> i64;
    /// The HTTP status the doc pairs with the code.
    fn http_status(self) -> u16;
    /// The server's message, as documented.
    fn message(self) -> &'static str;
    /// What the doc advises to do about it.
    fn advice(self) -> &'static str;
}

/// For calls with no documented codes (the token endpoint, tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoDocumentedCodes {}

impl ErrorCode for NoDocumentedCodes {
    fn from_code(_code: i64) -> Option<Self> {
        None
    }
    fn code(self) -> i64 {
        match self {}
    }
    fn http_status(self) -> u16 {
        match self {}
    }
    fn message(self) -> &'static str {
        match self {}
    }
    fn advice(self) -> &'static str {
        match self {}
    }
}

/// A Feishu error answer: the body said `code != 0`.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError<E> {
    /// The server's `code`.
    pub code: i64,
    /// The server's `msg`.
    pub msg: String,
    /// HTTP status of the answer.
    pub http_status: u16,
    /// The `X-Tt-Logid` header, which Feishu support asks for.
    pub log_id: Option<String>,
    /// The endpoint's documented variant, with its advice, when the doc
    /// lists the code.
    pub documented: Option<E>,
}

/// Everything that can go wrong with a call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E: ErrorCode = NoDocumentedCodes> {
    /// Limits the doc states were broken; nothing was sent.
    #[error("request breaks documented limits: {}", join(.0))]
    Validation(Vec<Violation>),
    /// Feishu answered with `code != 0`.
    #[error("feishu error {}: {}", .0.code, .0.msg)]
    Api(ApiError<E>),
}

fn join(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
