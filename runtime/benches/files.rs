//! Files through the client against plain reqwest on the same loopback
//! server: a 200 MiB upload through drive's chunked upload (4 MiB blocks
//! read from disk), and a 200 MiB download, once whole and once cut at
//! 100 MiB and resumed with `Range`. The bytes that arrive are hashed and
//! compared with what was sent. Each scenario runs in a process of its
//! own, so its peak memory (`VmHWM`) is its own: the figure printed is the
//! peak's growth over the memory the process held once the server and the
//! client were up.
//!
//! `cargo bench -p feishu-runtime --bench files`

use std::io::Write;
use std::net::SocketAddr;
use std::process::Command;
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Path};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use feishu_openapi::Client;
use feishu_openapi::upload::UploadFile;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncSeekExt};

const SIZE: u64 = 200 * 1024 * 1024;
const BLOCK: u64 = 4 * 1024 * 1024;
/// Where the first download answer stops.
const CUT: u64 = 100 * 1024 * 1024;
const RUNS: usize = 3;
const SCENARIOS: [&str; 5] = [
    "upload, feishu-openapi",
    "upload, plain reqwest",
    "download, feishu-openapi",
    "download, plain reqwest",
    "download cut at 100 MiB and resumed, feishu-openapi",
];

/// The byte at `at` of the served and uploaded file.
fn byte(at: u64) -> u8 {
    (at % 251) as u8
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--scenario") {
        let scenario: usize = args[at + 1].parse().unwrap();
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(run(scenario));
        return;
    }
    // `cargo bench` passes `--bench`; `cargo test --benches` too, with no
    // wish to spend a minute here.
    if args.iter().any(|a| a == "--test") || !args.iter().any(|a| a == "--bench") {
        return;
    }
    println!("| scenario | MiB/s (median of {RUNS}) | peak memory growth |");
    println!("| --- | --- | --- |");
    for (i, name) in SCENARIOS.iter().enumerate() {
        let out = Command::new(std::env::current_exe().unwrap())
            .args(["--scenario", &i.to_string()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let line = String::from_utf8(out.stdout).unwrap();
        let (rate, growth) = line.trim().split_once(' ').unwrap();
        println!("| {name} | {rate} | {growth} MiB |");
    }
}

async fn run(scenario: usize) {
    let url = serve().await;
    let disk = (scenario < 2).then(file_on_disk);
    let client = Client::builder()
        .app("cli_bench", "secret")
        .base_url(&url)
        .build()
        .unwrap();
    let plain = reqwest::Client::new();
    let before = memory("VmRSS");
    let mut rates = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let hash = match scenario {
            0 => upload_ours(&client, disk.as_ref().unwrap().path()).await,
            1 => upload_plain(&plain, &url, disk.as_ref().unwrap().path()).await,
            2 => download_ours(&client, "whole").await,
            3 => download_plain(&plain, &url).await,
            _ => download_ours(&client, "cut").await,
        };
        let seconds = start.elapsed().as_secs_f64();
        assert_eq!(hash, expected_hash(), "the bytes differ");
        rates.push(SIZE as f64 / (1024.0 * 1024.0) / seconds);
    }
    rates.sort_by(f64::total_cmp);
    let growth = (memory("VmHWM") - before) as f64 / 1024.0;
    println!("{:.0} {growth:.1}", rates[RUNS / 2]);
}

/// A line of `/proc/self/status`, in KiB.
fn memory(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with(key)).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn expected_hash() -> Vec<u8> {
    let mut hash = Sha256::new();
    let mut chunk = vec![0u8; 1 << 20];
    for start in (0..SIZE).step_by(chunk.len()) {
        for (i, b) in chunk.iter_mut().enumerate() {
            *b = byte(start + i as u64);
        }
        hash.update(&chunk);
    }
    hash.finalize().to_vec()
}

fn file_on_disk() -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    let mut chunk = vec![0u8; 1 << 20];
    for start in (0..SIZE).step_by(chunk.len()) {
        for (i, b) in chunk.iter_mut().enumerate() {
            *b = byte(start + i as u64);
        }
        file.write_all(&chunk).unwrap();
    }
    file.flush().unwrap();
    file
}

async fn upload_ours(client: &Client, path: &std::path::Path) -> Vec<u8> {
    let files = client.drive().v1().file();
    let file = UploadFile::from_path(path).await.unwrap();
    let prepared = files
        .upload_prepare()
        .file_name("big.bin")
        .parent_type("explorer")
        .parent_node("fld")
        .size(file.len() as i64)
        .tenant_access_token("t")
        .send()
        .await
        .unwrap();
    let id = prepared.upload_id.clone().unwrap();
    let blocks = file.blocks(prepared.block_size.unwrap() as u64).unwrap();
    for (seq, block) in blocks.iter().enumerate() {
        let part = files.upload_part().upload_id(&id).seq(seq as i64);
        let part = part.size(block.len() as i64).file(block.clone());
        part.tenant_access_token("t").send().await.unwrap();
    }
    let finish = files
        .upload_finish()
        .upload_id(&id)
        .block_num(blocks.len() as i64);
    let token = finish
        .tenant_access_token("t")
        .send()
        .await
        .unwrap()
        .file_token
        .clone();
    hex_decode(&token.unwrap())
}

async fn upload_plain(http: &reqwest::Client, url: &str, path: &std::path::Path) -> Vec<u8> {
    let post = |path: &str| {
        http.post(format!("{url}/open-apis/drive/v1/files/{path}"))
            .bearer_auth("t")
    };
    let answer: serde_json::Value = post("upload_prepare")
        .json(&serde_json::json!({"file_name": "big.bin", "parent_type": "explorer", "parent_node": "fld", "size": SIZE}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = answer["data"]["upload_id"].as_str().unwrap().to_owned();
    let blocks = SIZE.div_ceil(BLOCK);
    for seq in 0..blocks {
        let length = BLOCK.min(SIZE - seq * BLOCK);
        let mut file = tokio::fs::File::open(path).await.unwrap();
        file.seek(std::io::SeekFrom::Start(seq * BLOCK))
            .await
            .unwrap();
        let chunks = futures_util::stream::try_unfold(file.take(length), |mut reader| async move {
            let mut chunk = bytes::BytesMut::with_capacity(64 * 1024);
            match reader.read_buf(&mut chunk).await? {
                0 => Ok::<_, std::io::Error>(None),
                _ => Ok(Some((chunk.freeze(), reader))),
            }
        });
        let part = reqwest::multipart::Part::stream_with_length(
            reqwest::Body::wrap_stream(chunks),
            length,
        )
        .file_name("big.bin");
        let form = reqwest::multipart::Form::new()
            .text("upload_id", id.clone())
            .text("seq", seq.to_string())
            .text("size", length.to_string())
            .part("file", part);
        post("upload_part")
            .multipart(form)
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap();
    }
    let answer: serde_json::Value = post("upload_finish")
        .json(&serde_json::json!({"upload_id": id, "block_num": blocks}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    hex_decode(answer["data"]["file_token"].as_str().unwrap())
}

async fn download_ours(client: &Client, token: &str) -> Vec<u8> {
    let download = client
        .drive()
        .v1()
        .file()
        .download(token)
        .tenant_access_token("t");
    let mut download = download.send().await.unwrap();
    let mut hash = Sha256::new();
    while let Some(chunk) = download.next().await {
        hash.update(chunk.unwrap());
    }
    hash.finalize().to_vec()
}

async fn download_plain(http: &reqwest::Client, url: &str) -> Vec<u8> {
    let answer = http
        .get(format!("{url}/open-apis/drive/v1/files/whole/download"))
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    let mut stream = answer.bytes_stream();
    let mut hash = Sha256::new();
    while let Some(chunk) = stream.next().await {
        hash.update(chunk.unwrap());
    }
    hash.finalize().to_vec()
}

fn hex_decode(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// The loopback server both sides call: drive's chunked upload, which
/// hashes the file parts in order (one part held at a time), and the
/// download, which generates the file as it sends it.
async fn serve() -> String {
    let uploaded = std::sync::Arc::new(std::sync::Mutex::new(Sha256::new()));
    let hashing = uploaded.clone();
    let finished = uploaded.clone();
    let json = |data: serde_json::Value| {
        let body = serde_json::json!({"code": 0, "msg": "success", "data": data}).to_string();
        Response::builder()
            .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
            .body(Body::from(body))
            .unwrap()
    };
    let router = Router::new()
        .route(
            "/open-apis/drive/v1/files/upload_prepare",
            post(move || async move {
                json(serde_json::json!({"upload_id": "u1", "block_size": BLOCK, "block_num": SIZE.div_ceil(BLOCK)}))
            }),
        )
        .route(
            "/open-apis/drive/v1/files/upload_part",
            post(move |body: Bytes| async move {
                hashing.lock().unwrap().update(file_part(&body));
                json(serde_json::json!({}))
            }),
        )
        .route(
            "/open-apis/drive/v1/files/upload_finish",
            post(move || async move {
                let hash = std::mem::replace(&mut *finished.lock().unwrap(), Sha256::new()).finalize();
                let token: String = hash.iter().map(|b| format!("{b:02x}")).collect();
                json(serde_json::json!({"file_token": token}))
            }),
        )
        .route("/open-apis/drive/v1/files/{token}/download", get(download))
        .layer(DefaultBodyLimit::max(2 * BLOCK as usize));
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    url
}

/// The bytes of the part that holds the file: after its headers, up to the
/// closing boundary.
fn file_part(body: &[u8]) -> &[u8] {
    let find = |from: usize, needle: &[u8]| {
        body[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .unwrap()
            + from
    };
    let boundary_end = find(0, b"\r\n");
    let closing = [b"\r\n", &body[..boundary_end], b"--"].concat();
    let name = find(0, b"name=\"file\"");
    let start = find(name, b"\r\n\r\n") + 4;
    let end = find(start, &closing);
    &body[start..end]
}

/// The file, from the `Range` start if one is asked for; `cut` stops the
/// first answer at 100 MiB, as a dropped connection does.
async fn download(Path(token): Path<String>, headers: HeaderMap) -> Response {
    let from: u64 = headers
        .get(header::RANGE)
        .and_then(|v| {
            v.to_str()
                .ok()?
                .strip_prefix("bytes=")?
                .split_once('-')?
                .0
                .parse()
                .ok()
        })
        .unwrap_or(0);
    let stop = if token == "cut" && from == 0 {
        CUT
    } else {
        SIZE
    };
    // Every chunk is a slice of one pattern, so serving costs no copying.
    const CHUNK: u64 = 64 * 1024;
    let pattern = Bytes::from((0..CHUNK + 251).map(byte).collect::<Vec<u8>>());
    let chunks =
        futures_util::stream::iter((from..SIZE).step_by(CHUNK as usize)).map(move |start| {
            if start >= stop {
                return Err(std::io::Error::other("the connection dropped"));
            }
            let length = CHUNK.min(SIZE - start);
            let at = (start % 251) as usize;
            Ok(pattern.slice(at..at + length as usize))
        });
    let mut response = Response::new(Body::from_stream(chunks));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        "application/octet-stream".parse().unwrap(),
    );
    headers.insert(
        header::CONTENT_LENGTH,
        (SIZE - from).to_string().parse().unwrap(),
    );
    if from > 0 {
        let range = format!("bytes {from}-{}/{SIZE}", SIZE - 1);
        headers.insert(header::CONTENT_RANGE, range.parse().unwrap());
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
    }
    response
}
