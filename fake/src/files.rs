//! The answer of an endpoint whose page answers a file's bytes: a file
//! uploaded to the fake (see `uploads.rs`) when a path parameter names
//! it, else one made from the request's path; whole, or the part a
//! `Range: bytes=N-` (or `N-M`) header asks for.

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

/// The bytes the fake serves at `path`: its text, so a test can tell one
/// file from another.
pub fn served_file(path: &str) -> Vec<u8> {
    format!("the fake Feishu's file at {path}\n").into_bytes()
}

/// `file` named `name`, or the part `range` asks for (`206` with
/// `Content-Range`); a range starting past the end is `416`.
pub(crate) fn file_answer(
    name: &str,
    file: Vec<u8>,
    range: Option<&str>,
    log_id: &str,
    cut_short: bool,
) -> Response {
    let total = file.len();
    // `bytes=N-` or `bytes=N-M`, M inclusive and cut to the file; a range
    // that ends before it starts is no range (the whole file, as HTTP says).
    let asked = range
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.split_once('-'))
        .and_then(|(start, end)| {
            Some((
                start.trim().parse::<usize>().ok()?,
                end.trim().parse::<usize>().ok(),
            ))
        })
        .filter(|(start, end)| end.is_none_or(|end| end >= *start));
    let (status, body, content_range) = match asked {
        None => (StatusCode::OK, file, None),
        Some((start, end)) if start < total => {
            let last = end.map_or(total - 1, |e| e.min(total - 1));
            let part = file[start..=last].to_vec();
            let range = format!("bytes {start}-{last}/{total}");
            (StatusCode::PARTIAL_CONTENT, part, Some(range))
        }
        Some(_) => (
            StatusCode::RANGE_NOT_SATISFIABLE,
            Vec::new(),
            Some(format!("bytes */{total}")),
        ),
    };
    let length = body.len();
    // Cut short, the connection drops halfway through the stated length.
    let body = match cut_short {
        true => {
            let half = Bytes::from(body[..length / 2].to_vec());
            // The drop waits a moment, so the half goes out before it.
            let dropped = async {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                Err(std::io::Error::other("the fake dropped the connection"))
            };
            let first = futures_util::stream::iter([Ok(half)]);
            Body::from_stream(futures_util::StreamExt::chain(
                first,
                futures_util::stream::once(dropped),
            ))
        }
        false => Body::from(body),
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    // A name beyond ASCII goes in `filename*`, percent-encoded UTF-8.
    let disposition = match name.is_ascii() && !name.contains('"') {
        true => format!("attachment; filename=\"{name}\""),
        false => format!("attachment; filename*=UTF-8''{}", percent_encoded(name)),
    };
    for (name, value) in [
        (header::CONTENT_DISPOSITION, Some(disposition)),
        (header::CONTENT_RANGE, content_range),
        (
            header::HeaderName::from_static("x-tt-logid"),
            Some(log_id.to_owned()),
        ),
    ] {
        if let Some(value) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
            headers.insert(name, value);
        }
    }
    response
}

fn percent_encoded(text: &str) -> String {
    let unreserved = |b: u8| b.is_ascii_alphanumeric() || b"-._~".contains(&b);
    text.bytes()
        .map(|b| match unreserved(b) {
            true => (b as char).to_string(),
            false => format!("%{b:02X}"),
        })
        .collect()
}
