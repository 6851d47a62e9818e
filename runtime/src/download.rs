//! Files in answers. An endpoint whose page answers a file's bytes
//! (返回文件二进制流: image, file and message resource downloads, drive's
//! downloads) is called through [`Client::download`], and its builder's
//! `send` answers a [`Download`]: the bytes as they arrive, a `Stream`,
//! never held whole, with the name, type and length the headers give. A
//! connection that drops mid-file is picked up with `Range` from the first
//! byte not yet received; a JSON answer is the endpoint's typed error.

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use reqwest::StatusCode;
use reqwest::header::{
    CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, ETAG, HeaderMap, HeaderValue,
    IF_RANGE, LAST_MODIFIED, RANGE,
};
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tracing::Instrument;

use crate::client::{Client, Failure, Outcome, Prepared, read_answer, transport_error};
use crate::endpoint::EndpointInfo;
use crate::error::{Error, ErrorCode, ErrorKind};
use crate::options::RequestOptions;
use crate::query::QueryParams;
use crate::response::log_id;
use crate::validate::Validate;

impl Client {
    /// Calls an endpoint whose answer is a file's bytes; the generated
    /// builders' `send` calls it for such endpoints. Checks, tokens and
    /// retries are those of [`call`](Self::call), up to the first byte,
    /// which comes within the call's timeout; the [`Download`] reads the
    /// rest, each chunk within that time, however long the whole takes.
    pub async fn download<Q, B, E>(
        &self,
        endpoint: &'static EndpointInfo,
        path_params: &[(&'static str, &str)],
        query: &Q,
        body: Option<&B>,
        options: &RequestOptions,
    ) -> Result<Download<E>, Error<E>>
    where
        Q: QueryParams + Validate,
        B: serde::Serialize + Validate,
        E: ErrorCode,
    {
        let origin = Origin {
            client: self.clone(),
            endpoint,
            prepared: self.prepare_json(endpoint, path_params, query, body, options)?,
            options: options.clone(),
            idle: self.attempt_limit(options),
            validator: None,
            total: None,
        };
        let span = tracing::debug_span!("feishu_download", endpoint = endpoint.id);
        let response = origin.start(&origin.options).instrument(span).await?;
        Ok(Download::new(response, origin, self.max_retries()))
    }
}

/// A file an endpoint answers, read as it arrives: a [`Stream`] of its
/// bytes in order, or [`write_to`](Self::write_to) a writer. Memory holds
/// one chunk at a time whatever the file's size.
///
/// When the connection drops before the end, the next read asks for the
/// rest (`Range: bytes=N-`, as the drive download pages document) and
/// goes on, up to the client's `max_retries` times; a server that does not
/// answer with exactly the rest (`206` from byte `N`) ends the stream with
/// [`ErrorKind::ResumeRefused`]. A part asked for with a `Range` header
/// resumes within that part.
pub struct Download<E: ErrorCode> {
    file_name: Option<String>,
    content_type: Option<String>,
    content_length: Option<u64>,
    log_id: Option<String>,
    chunks: Pin<Box<dyn Stream<Item = Result<Bytes, Error<E>>> + Send>>,
}

impl<E: ErrorCode> Download<E> {
    fn new(response: reqwest::Response, mut origin: Origin, resumes: u32) -> Self {
        let headers = response.headers();
        let text = |name| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let file_name = headers.get(CONTENT_DISPOSITION).and_then(file_name);
        let content_type = text(CONTENT_TYPE);
        let content_length = whole_length(headers);
        let log_id = log_id(headers);
        // A resume must continue this version of the file: with `If-Range`
        // and its validator, a file changed since comes whole (refused).
        origin.validator = headers
            .get(ETAG)
            .or_else(|| headers.get(LAST_MODIFIED))
            .cloned();
        origin.total = content_length;
        // A part the caller asked for (`Range`) resumes within that part.
        let (position, end) = match content_range(headers) {
            Some(range) => (range.start, range.end),
            None => (0, None),
        };
        let body = Body {
            response,
            position,
            end,
            resumes_left: resumes,
            origin,
            codes: PhantomData,
        };
        Self {
            file_name,
            content_type,
            content_length,
            log_id,
            chunks: Box::pin(futures_util::stream::try_unfold(body, Body::next_chunk)),
        }
    }

    /// The file's name, from `Content-Disposition` (`filename*` in UTF-8
    /// before `filename`).
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The file's type, from `Content-Type`.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The whole file's length in bytes, when the server states it.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// The answer's `X-Tt-Logid`, for Feishu's support.
    pub fn log_id(&self) -> Option<&str> {
        self.log_id.as_deref()
    }

    /// Writes the whole file to `out`, chunk by chunk, and flushes it;
    /// answers the number of bytes written.
    pub async fn write_to<W>(mut self, out: &mut W) -> Result<u64, Error<E>>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let mut written = 0;
        while let Some(chunk) = futures_util::StreamExt::next(&mut self).await {
            let chunk = chunk?;
            out.write_all(&chunk).await.map_err(ErrorKind::Write)?;
            written += chunk.len() as u64;
        }
        out.flush().await.map_err(ErrorKind::Write)?;
        Ok(written)
    }
}

impl<E: ErrorCode> Stream for Download<E> {
    type Item = Result<Bytes, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

impl<E: ErrorCode> fmt::Debug for Download<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("content_length", &self.content_length)
            .field("log_id", &self.log_id)
            .finish_non_exhaustive()
    }
}

/// The request a download came from, to ask again for the rest.
struct Origin {
    client: Client,
    endpoint: &'static EndpointInfo,
    prepared: Prepared<'static>,
    options: RequestOptions,
    /// How long a chunk may take to come.
    idle: Option<Duration>,
    /// The first answer's `ETag` (else `Last-Modified`), for `If-Range`.
    validator: Option<HeaderValue>,
    /// The whole file's length, which every part must state too.
    total: Option<u64>,
}

impl Origin {
    /// Sends the request with `options`, with the call's token, quota and
    /// retries, up to its answer's headers.
    async fn start<E: ErrorCode>(
        &self,
        options: &RequestOptions,
    ) -> Result<reqwest::Response, Error<E>> {
        let sent = self.prepared.sent(self.endpoint, options);
        let started = self.client.send_with_retries::<Started, E>(sent).await;
        started
            .map(|Started(response)| response)
            .map_err(|kind| Error::new(kind, None))
    }

    /// The file from byte `from` on (to byte `end`, when a part was asked
    /// for); anything but exactly that part of the same file is refused.
    async fn rest<E: ErrorCode>(
        &self,
        from: u64,
        end: Option<u64>,
    ) -> Result<reqwest::Response, Error<E>> {
        let mut options = self.options.clone();
        let end = end.map(|e| e.to_string()).unwrap_or_default();
        let range = format!("bytes={from}-{end}")
            .parse()
            .expect("a header value");
        options.headers.insert(RANGE, range);
        if let Some(validator) = &self.validator {
            options.headers.insert(IF_RANGE, validator.clone());
        }
        let response = self.start::<E>(&options).await?;
        let range = content_range(response.headers());
        let same_file =
            |r: &ContentRange| r.start == from && (self.total.is_none() || r.total == self.total);
        if response.status() != StatusCode::PARTIAL_CONTENT
            || !range.as_ref().is_some_and(same_file)
        {
            return Err(ErrorKind::ResumeRefused {
                received: from,
                status: response.status().as_u16(),
                log_id: log_id(response.headers()),
            }
            .into());
        }
        Ok(response)
    }
}

/// The body being read: where it stands and how to ask for the rest.
struct Body<E> {
    response: reqwest::Response,
    /// The place in the file of the next byte to come.
    position: u64,
    /// The last byte of the part asked for, if one was.
    end: Option<u64>,
    resumes_left: u32,
    origin: Origin,
    codes: PhantomData<fn() -> E>,
}

impl<E: ErrorCode> Body<E> {
    /// The next chunk, asking for the rest of the file when the
    /// connection drops.
    async fn next_chunk(mut self) -> Result<Option<(Bytes, Self)>, Error<E>> {
        loop {
            // A chunk that does not come within the attempt's time counts
            // as a dropped connection.
            let read = match self.origin.idle {
                Some(idle) => tokio::time::timeout(idle, self.response.chunk()).await.ok(),
                None => Some(self.response.chunk().await),
            };
            let failure = match read {
                Some(Ok(Some(chunk))) => {
                    self.position += chunk.len() as u64;
                    return Ok(Some((chunk, self)));
                }
                Some(Ok(None)) => return Ok(None),
                Some(Err(error)) => transport_error::<E>(error),
                None => ErrorKind::Timeout,
            };
            // All that was asked for came: there is no rest to ask for.
            let last = self
                .end
                .or(self.origin.total.and_then(|t| t.checked_sub(1)));
            if last.is_some_and(|last| self.position > last) {
                return Ok(None);
            }
            if self.resumes_left == 0 {
                return Err(failure.into());
            }
            self.resumes_left -= 1;
            tracing::warn!(
                position = self.position,
                error = %failure,
                "a download's connection dropped; asking for the rest"
            );
            self.response = self.origin.rest(self.position, self.end).await?;
        }
    }
}

/// An answer whose body is still to be read: a file, when the server
/// answers one.
pub(crate) struct Started(reqwest::Response);

impl<E: ErrorCode> Outcome<E> for Started {
    const STREAMS: bool = true;

    async fn read(response: reqwest::Response, max_bytes: usize) -> Result<Self, Failure<E>> {
        let json = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.trim_start().starts_with("application/json"));
        if response.status().is_success() && !json {
            return Ok(Started(response));
        }
        // Feishu answers an error as JSON, on a file endpoint too.
        let answer = read_answer(response, max_bytes).await?;
        let error = match answer.result::<serde::de::IgnoredAny, E>() {
            Err(error) => error,
            Ok(_) => {
                answer.decode_error(None, "a JSON answer where the page documents a file".into())
            }
        };
        Err(Failure::of_answer(error, &answer.headers))
    }
}

/// A `Content-Range: bytes START-END/TOTAL` (TOTAL may be `*`).
#[derive(Debug, PartialEq)]
struct ContentRange {
    start: u64,
    end: Option<u64>,
    total: Option<u64>,
}

fn content_range(headers: &HeaderMap) -> Option<ContentRange> {
    let value = headers.get(CONTENT_RANGE)?.to_str().ok()?;
    let (range, total) = value.strip_prefix("bytes ")?.split_once('/')?;
    let (start, end) = range.split_once('-')?;
    Some(ContentRange {
        start: start.trim().parse().ok()?,
        end: end.trim().parse().ok(),
        total: total.trim().parse().ok(),
    })
}

/// The whole file's length: a partial answer's total, else the body's.
fn whole_length(headers: &HeaderMap) -> Option<u64> {
    if let Some(range) = content_range(headers) {
        return range.total;
    }
    headers.get(CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

/// The file name of a `Content-Disposition`: `filename*=UTF-8''…`
/// (percent-encoded) first, else `filename="…"`.
fn file_name(value: &reqwest::header::HeaderValue) -> Option<String> {
    let text = String::from_utf8_lossy(value.as_bytes());
    let params = text
        .split(';')
        .map(str::trim)
        .filter_map(|p| p.split_once('='));
    let mut plain = None;
    for (name, value) in params {
        match name.trim().to_ascii_lowercase().as_str() {
            "filename*" => {
                let (charset, rest) = value.split_once('\'')?;
                let (_, encoded) = rest.split_once('\'')?;
                if charset.eq_ignore_ascii_case("utf-8") {
                    return percent_decoded(encoded);
                }
            }
            "filename" => plain = Some(value.trim_matches('"').to_owned()),
            _ => {}
        }
    }
    plain
}

fn percent_decoded(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn the_name_is_read_as_either_parameter_writes_it() {
        let name = |v: &str| file_name(&HeaderValue::from_str(v).unwrap());
        assert_eq!(
            name(r#"attachment; filename="a b.pdf""#).as_deref(),
            Some("a b.pdf")
        );
        assert_eq!(
            name("attachment; filename=\"x.txt\"; filename*=UTF-8''%E5%91%A8%E4%BC%9A.txt")
                .as_deref(),
            Some("周会.txt")
        );
        assert_eq!(name("inline").as_deref(), None);
    }

    #[test]
    fn a_partial_answer_states_the_whole_length() {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_LENGTH, HeaderValue::from_static("10"));
        assert_eq!(whole_length(&headers), Some(10));
        headers.insert(CONTENT_RANGE, HeaderValue::from_static("bytes 90-99/100"));
        assert_eq!(whole_length(&headers), Some(100));
        let range = ContentRange {
            start: 90,
            end: Some(99),
            total: Some(100),
        };
        assert_eq!(content_range(&headers), Some(range));
    }
}
