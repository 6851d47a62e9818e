//! Endpoints that answer a file: the bytes arrive as a stream with the
//! name, type and length of the headers; a connection that drops mid-file
//! is picked up with `Range` and the bytes come out whole; a server that
//! will not resume, or answers JSON, is the typed error.

use std::sync::{Arc, Mutex};

use feishu_openapi::header::{HeaderValue, RANGE};
use feishu_openapi::im::v1::image::get::GetImageErrorCode;
use feishu_openapi::testing::{FakeFeishu, Fault, served_file};
use feishu_openapi::{Client, ErrorKind};
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::common::{client_builder, fast_retries};

#[tokio::test]
async fn the_fake_serves_a_file_endpoint_as_a_stream_with_its_headers() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let download = client.im().v1().image().get("img_1").send().await.unwrap();
    assert_eq!(download.file_name(), Some("img_1"));
    assert_eq!(download.content_type(), Some("application/octet-stream"));
    let file = served_file("/open-apis/im/v1/images/img_1");
    assert_eq!(download.content_length(), Some(file.len() as u64));
    assert!(download.log_id().is_some());
    let mut written = Vec::new();
    assert_eq!(
        download.write_to(&mut written).await.unwrap(),
        file.len() as u64
    );
    assert_eq!(written, file);

    // A part, asked for with a Range header, states the whole length.
    let part = client
        .im()
        .v1()
        .image()
        .get("img_1")
        .header(RANGE, HeaderValue::from_static("bytes=4-9"));
    let part = part.send().await.unwrap();
    assert_eq!(part.content_length(), Some(file.len() as u64));
    let mut written = Vec::new();
    part.write_to(&mut written).await.unwrap();
    assert_eq!(written, file[4..=9]);
}

/// One answer of the test server: its head, its body, and after how many
/// body bytes the connection is dropped.
struct Script {
    head: String,
    body: Vec<u8>,
    cut_after: Option<usize>,
    /// After `cut_after` bytes, hold the connection open, silent, rather
    /// than close it.
    stall: bool,
}

impl Script {
    fn whole(head: String, body: Vec<u8>) -> Self {
        Self {
            head,
            body,
            cut_after: None,
            stall: false,
        }
    }
}

/// A loopback HTTP/1.1 server answering the n-th request with
/// `answer(n, request head)`, one connection per request, each on a task
/// of its own; it keeps each request's head.
async fn server(
    answer: impl Fn(usize, &str) -> Script + Send + Sync + 'static,
) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = heads.clone();
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let (answer, seen) = (answer.clone(), seen.clone());
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if socket.read(&mut byte).await.unwrap() == 0 {
                        break;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8(head).unwrap();
                let script = {
                    let mut seen = seen.lock().unwrap();
                    seen.push(head.clone());
                    answer(seen.len() - 1, &head)
                };
                socket.write_all(script.head.as_bytes()).await.unwrap();
                let end = script.cut_after.unwrap_or(script.body.len());
                // Written in pieces, as a network delivers it.
                for piece in script.body[..end].chunks(64 * 1024) {
                    if socket.write_all(piece).await.is_err() {
                        break;
                    }
                }
                if script.stall {
                    tokio::time::sleep(std::time::Duration::from_secs(10)).await;
                }
                let _ = socket.shutdown().await;
            });
        }
    });
    (url, heads)
}

fn file_head(status: &str, length: usize, extra: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/pdf\r\ncontent-length: {length}\r\n\
         content-disposition: attachment; filename*=UTF-8''%E5%91%A8%E4%BC%9A.pdf\r\n\
         x-tt-logid: log-1\r\nconnection: close\r\n{extra}\r\n"
    )
}

fn client(url: &str) -> Client {
    Client::builder()
        .app("cli_test", "secret")
        .base_url(url)
        .retry(fast_retries(3))
        .build()
        .unwrap()
}

/// 8 MiB, every byte telling its place.
fn big_file() -> Vec<u8> {
    (0..8 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect()
}

#[tokio::test]
async fn a_dropped_connection_is_resumed_from_the_first_missing_byte() {
    let file = big_file();
    let cut = 3 * 1024 * 1024 + 17;
    let served = file.clone();
    let (url, heads) = server(move |n, head| {
        let total = served.len();
        match n {
            0 => Script {
                head: file_head("200 OK", total, "accept-ranges: bytes\r\netag: \"v1\"\r\n"),
                body: served.clone(),
                cut_after: Some(cut),
                stall: false,
            },
            _ => {
                assert!(
                    head.to_lowercase()
                        .contains(&format!("range: bytes={cut}-")),
                    "{head}"
                );
                let rest = served[cut..].to_vec();
                let range = format!("content-range: bytes {cut}-{}/{total}\r\n", total - 1);
                Script::whole(file_head("206 Partial Content", rest.len(), &range), rest)
            }
        }
    })
    .await;
    let client = client(&url);
    let download = client
        .im()
        .v1()
        .file()
        .get("file_1")
        .tenant_access_token("t-1")
        .send()
        .await
        .unwrap();
    assert_eq!(download.file_name(), Some("周会.pdf"));
    assert_eq!(download.content_type(), Some("application/pdf"));
    assert_eq!(download.content_length(), Some(file.len() as u64));
    assert_eq!(download.log_id(), Some("log-1"));
    let mut received = Vec::with_capacity(file.len());
    let mut chunks = download;
    while let Some(chunk) = chunks.next().await {
        received.extend_from_slice(&chunk.unwrap());
    }
    assert!(received == file, "the bytes differ after the resume");
    let heads = heads.lock().unwrap();
    assert_eq!(heads.len(), 2);
    assert!(heads[0].starts_with("GET /open-apis/im/v1/files/file_1 HTTP/1.1"));
    assert!(!heads[0].to_lowercase().contains("range:"));
    assert!(
        heads[1]
            .to_lowercase()
            .contains("authorization: bearer t-1")
    );
    let resumed = heads[1].to_lowercase();
    assert!(
        resumed.contains("if-range: \"v1\""),
        "the same version only: {resumed}"
    );
}

/// A server whose first answer is `first`, and every later one the rest of
/// a file `total` long from the byte asked for (the first MiB of
/// `big_file`).
fn resumed(first: Script, total: usize) -> impl Fn(usize, &str) -> Script + Send + Sync + 'static {
    let file = big_file()[..1024 * 1024].to_vec();
    let first = Mutex::new(Some(first));
    move |n, head| match n {
        0 => first.lock().unwrap().take().unwrap(),
        _ => {
            let asked = head
                .split("bytes=")
                .nth(1)
                .unwrap()
                .split('-')
                .next()
                .unwrap();
            let from: usize = asked.parse().unwrap();
            let rest = file[from..].to_vec();
            let range = format!("content-range: bytes {from}-{}/{total}\r\n", total - 1);
            Script::whole(file_head("206 Partial Content", rest.len(), &range), rest)
        }
    }
}

#[tokio::test]
async fn a_connection_that_stalls_is_left_and_the_rest_asked_for() {
    let file = big_file()[..1024 * 1024].to_vec();
    let first = Script {
        head: file_head("200 OK", file.len(), ""),
        body: file.clone(),
        cut_after: Some(300_000),
        stall: true,
    };
    let (url, heads) = server(resumed(first, file.len())).await;
    // A 300 ms timeout bounds each chunk's wait, not the whole download.
    let client = Client::builder()
        .app("cli_test", "secret")
        .base_url(&url)
        .timeout(std::time::Duration::from_millis(300))
        .retry(fast_retries(3))
        .build()
        .unwrap();
    let download = client
        .im()
        .v1()
        .file()
        .get("file_1")
        .tenant_access_token("t-1");
    let mut received = Vec::new();
    download
        .send()
        .await
        .unwrap()
        .write_to(&mut received)
        .await
        .unwrap();
    assert!(received == file, "the bytes differ after the stall");
    assert_eq!(heads.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_file_that_changed_length_is_not_spliced() {
    let file = big_file()[..1024 * 1024].to_vec();
    let first = Script {
        head: file_head("200 OK", file.len(), ""),
        body: file.clone(),
        cut_after: Some(1000),
        stall: false,
    };
    // The rest says the file is now one byte longer.
    let (url, _) = server(resumed(first, file.len() + 1)).await;
    let client = client(&url);
    let download = client
        .im()
        .v1()
        .file()
        .get("file_1")
        .tenant_access_token("t-1");
    let mut received = Vec::new();
    let download = download.send().await.unwrap();
    let error = download.write_to(&mut received).await.unwrap_err();
    let refused = matches!(
        error.kind(),
        ErrorKind::ResumeRefused {
            received: 1000,
            status: 206,
            ..
        }
    );
    assert!(refused, "{error:?}");
}

#[tokio::test]
async fn the_fake_s_dropped_download_is_resumed_into_the_uploaded_bytes() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let png: Vec<u8> = (0..100_000u32).map(|i| (i % 256) as u8).collect();
    let image = feishu_openapi::upload::UploadFile::from_bytes("p.png", png.clone());
    let created = client
        .im()
        .v1()
        .image()
        .create()
        .image_type("message")
        .image(image);
    let key = created.send().await.unwrap().image_key.clone().unwrap();
    fake.inject(Fault::CutShortAfterActing);
    let mut back = Vec::new();
    let download = client.im().v1().image().get(&key).send().await.unwrap();
    download.write_to(&mut back).await.unwrap();
    assert!(back == png, "resumed into the same bytes");
    let asked = fake.requests_to(&format!("/open-apis/im/v1/images/{key}"));
    let ranges: Vec<_> = asked
        .iter()
        .map(|r| r.header("range").map(str::to_owned))
        .collect();
    assert_eq!(ranges, [None, Some("bytes=50000-".to_owned())]);
}

#[tokio::test]
async fn a_server_that_answers_a_resume_with_the_whole_file_is_refused() {
    let file = big_file();
    let (url, _) = server(move |_, _| Script {
        head: file_head("200 OK", file.len(), ""),
        body: file.clone(),
        cut_after: Some(1000),
        stall: false,
    })
    .await;
    let client = client(&url);
    let mut download = client
        .im()
        .v1()
        .file()
        .get("file_1")
        .tenant_access_token("t-1")
        .send()
        .await
        .unwrap();
    let mut received = 0;
    let error = loop {
        match download.next().await {
            Some(Ok(chunk)) => received += chunk.len(),
            Some(Err(error)) => break error,
            None => panic!("the stream ended without the missing bytes"),
        }
    };
    assert_eq!(received, 1000);
    match error.into_kind() {
        ErrorKind::ResumeRefused {
            received,
            status,
            log_id,
        } => {
            assert_eq!(
                (received, status, log_id.as_deref()),
                (1000, 200, Some("log-1"))
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        download.next().await.is_none(),
        "the stream ends after its error"
    );
}

#[tokio::test]
async fn a_json_answer_on_a_file_endpoint_is_its_documented_error() {
    let body = r#"{"code":234005,"msg":"Image has been deleted."}"#;
    let (url, _) = server(move |_, _| Script {
        head: format!(
            "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\n\
             content-length: {}\r\nx-tt-logid: log-2\r\nconnection: close\r\n\r\n",
            body.len()
        ),
        body: body.as_bytes().to_vec(),
        cut_after: None,
        stall: false,
    })
    .await;
    let error = client(&url)
        .im()
        .v1()
        .image()
        .get("img_1")
        .tenant_access_token("t-1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.documented(), Some(GetImageErrorCode::ImageDeleted));
    assert_eq!(error.log_id(), Some("log-2"));
}
