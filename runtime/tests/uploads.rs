//! Endpoints whose body holds a file go out as `multipart/form-data`: the
//! parts as the page names them, the file's bytes streamed from where they
//! are; a retry reads the file again, a reader is sent once, a large file
//! goes up block by block, each block its own call.

use std::io::Write;

use feishu_openapi::ErrorKind;
use feishu_openapi::header::{HeaderValue, RANGE};
use feishu_openapi::im::v1::image::create::ImageType;
use feishu_openapi::testing::{FakeFeishu, Fault, RecordedRequest};
use feishu_openapi::upload::UploadFile;

use crate::common::client_builder;

/// The parts of a recorded multipart body: (name, file name, bytes).
fn parts(request: &RecordedRequest) -> Vec<(String, Option<String>, Vec<u8>)> {
    let content_type = request.header("content-type").unwrap();
    let boundary = content_type.split("boundary=").nth(1).unwrap();
    let delimiter = format!("--{boundary}");
    let body = &request.body;
    let mut out = Vec::new();
    let find = |from: usize, needle: &[u8]| {
        body[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    let mut at = find(0, delimiter.as_bytes()).unwrap() + delimiter.len();
    while !body[at..].starts_with(b"--") {
        let head_end = find(at, b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&body[at..head_end]).into_owned();
        let end = find(head_end, format!("\r\n{delimiter}").as_bytes()).unwrap();
        let disposition = head
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))
            .unwrap();
        let param = |key: &str| {
            disposition.split(';').find_map(|p| {
                let (k, v) = p.trim().split_once('=')?;
                (k == key).then(|| v.trim_matches('"').to_owned())
            })
        };
        out.push((
            param("name").unwrap(),
            param("filename"),
            body[head_end + 4..end].to_vec(),
        ));
        at = end + 2 + delimiter.len();
    }
    out
}

fn text(name: &str, value: &str) -> (String, Option<String>, Vec<u8>) {
    (name.to_owned(), None, value.as_bytes().to_vec())
}

#[tokio::test]
async fn an_image_goes_out_as_the_parts_the_page_names() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let png = b"\x89PNG\r\n\x1a\n not really".to_vec();
    let answer = client
        .im()
        .v1()
        .image()
        .create()
        .image_type(ImageType::Message)
        .image(UploadFile::from_bytes("a.png", png.clone()))
        .send()
        .await
        .unwrap();
    // The fake decoded the form, checked it, and kept the image: it comes
    // back from image get, byte for byte.
    let key = answer.image_key.clone().unwrap();
    let download = client.im().v1().image().get(&key).send().await.unwrap();
    assert_eq!(download.file_name(), Some("a.png"));
    let mut back = Vec::new();
    download.write_to(&mut back).await.unwrap();
    assert_eq!(back, png);
    let sent = fake.requests_to("/open-apis/im/v1/images").pop().unwrap();
    assert!(
        sent.header("content-type")
            .unwrap()
            .starts_with("multipart/form-data; boundary=")
    );
    assert_eq!(
        sent.header("content-length")
            .map(|l| l.parse::<usize>().unwrap()),
        Some(sent.body.len()),
        "the length is known before sending"
    );
    assert_eq!(
        parts(&sent),
        [
            text("image_type", "message"),
            ("image".into(), Some("a.png".into()), png)
        ]
    );
    let file_head = String::from_utf8_lossy(&sent.body);
    assert!(file_head.contains("Content-Type: application/octet-stream"));
}

#[tokio::test]
async fn a_file_left_out_is_refused_before_sending() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let error = client
        .im()
        .v1()
        .image()
        .create()
        .image_type(ImageType::Message)
        .send()
        .await
        .unwrap_err();
    let ErrorKind::Validation(violations) = error.kind() else {
        panic!("{error:?}")
    };
    assert_eq!(violations[0].field, "body.image");
    assert!(fake.requests_to("/open-apis/im/v1/images").is_empty());
}

#[tokio::test]
async fn a_retry_reads_a_file_on_disk_again_and_sends_it_whole() {
    let mut disk = tempfile::NamedTempFile::new().unwrap();
    let content: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
    disk.write_all(&content).unwrap();
    let fake = FakeFeishu::start().await.unwrap();
    fake.inject(Fault::RateLimited {
        reset_seconds: Some(0),
    });
    let client = client_builder(&fake).build().unwrap();
    let file = UploadFile::from_path(disk.path()).await.unwrap();
    assert_eq!(file.len(), content.len() as u64);
    client
        .im()
        .v1()
        .file()
        .create()
        .file_type("stream")
        .file_name("data.bin")
        .file(file.named("data.bin"))
        .send()
        .await
        .unwrap();
    let sent = fake.requests_to("/open-apis/im/v1/files");
    assert_eq!(sent.len(), 2, "the rate-limited attempt, then the retry");
    for attempt in &sent {
        let file_part = parts(attempt).into_iter().find(|p| p.0 == "file").unwrap();
        assert_eq!(file_part.1.as_deref(), Some("data.bin"));
        assert!(file_part.2 == content, "each attempt sends the whole file");
    }
}

#[tokio::test]
async fn a_reader_is_sent_once_and_a_retry_answers_the_error_before_it() {
    let fake = FakeFeishu::start().await.unwrap();
    fake.inject(Fault::RateLimited {
        reset_seconds: Some(0),
    });
    let client = client_builder(&fake).build().unwrap();
    let reader = UploadFile::from_reader("r.bin", 5, &b"hello"[..]);
    let error = client
        .im()
        .v1()
        .file()
        .create()
        .file_type("stream")
        .file_name("r.bin")
        .file(reader)
        .send()
        .await
        .unwrap_err();
    // The reader was read by the rate-limited attempt: no second attempt,
    // and the error is that attempt's, not "cannot read".
    assert_eq!(error.api().map(|api| api.code), Some(99991400), "{error:?}");
    assert_eq!(fake.requests_to("/open-apis/im/v1/files").len(), 1);
}

#[tokio::test]
async fn a_large_file_goes_up_block_by_block_each_block_its_own_call() {
    let mut disk = tempfile::NamedTempFile::new().unwrap();
    let content: Vec<u8> = (0..10 * 1024 * 1024u32 + 5)
        .map(|i| (i % 241) as u8)
        .collect();
    disk.write_all(&content).unwrap();
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let drive = client.drive().v1().file();
    let file = UploadFile::from_path(disk.path()).await.unwrap();
    let prepared = drive
        .upload_prepare()
        .file_name("big.bin")
        .parent_type("explorer")
        .parent_node("fldbc_1")
        .size(file.len() as i64)
        .send()
        .await
        .unwrap();
    let upload_id = prepared.upload_id.clone().unwrap();
    let block_size = 4 * 1024 * 1024;
    let blocks = file.blocks(block_size).unwrap();
    assert_eq!(
        blocks.iter().map(UploadFile::len).collect::<Vec<_>>(),
        [block_size, block_size, 2 * 1024 * 1024 + 5]
    );
    for (seq, block) in blocks.into_iter().enumerate() {
        drive
            .upload_part()
            .upload_id(&upload_id)
            .seq(seq as i64)
            .size(block.len() as i64)
            .file(block)
            .send()
            .await
            .unwrap();
    }
    let finished = drive.upload_finish().upload_id(&upload_id).block_num(3);
    let token = finished.send().await.unwrap().file_token.clone().unwrap();

    let sent = fake.requests_to("/open-apis/drive/v1/files/upload_part");
    let mut received = Vec::new();
    for (seq, request) in sent.iter().enumerate() {
        let parts = parts(request);
        let value = |name: &str| parts.iter().find(|p| p.0 == name).unwrap().2.clone();
        assert_eq!(value("seq"), seq.to_string().into_bytes());
        assert_eq!(value("size"), value("file").len().to_string().into_bytes());
        received.extend(value("file"));
    }
    assert!(received == content, "the blocks put together are the file");

    // The fake put the blocks together: the file downloads whole, and a part
    // of it with a Range.
    let download = drive.download(&token).send().await.unwrap();
    assert_eq!(
        (download.file_name(), download.content_length()),
        (Some("big.bin"), Some(content.len() as u64))
    );
    let mut back = Vec::new();
    download.write_to(&mut back).await.unwrap();
    assert!(back == content, "downloaded as uploaded");
    let part = drive
        .download(&token)
        .header(RANGE, HeaderValue::from_static("bytes=4194300-4194309"));
    let mut back = Vec::new();
    part.send()
        .await
        .unwrap()
        .write_to(&mut back)
        .await
        .unwrap();
    assert_eq!(back, content[4_194_300..=4_194_309]);
}

#[test]
fn an_upload_file_s_debug_shows_no_bytes() {
    let file = UploadFile::from_bytes("secret.txt", b"the secret".to_vec());
    let shown = format!("{file:?}");
    assert!(!shown.contains("the secret"), "{shown}");
    assert!(
        shown.contains("secret.txt") && shown.contains("length: 10"),
        "{shown}"
    );
}

#[tokio::test]
async fn the_documented_size_is_checked_before_sending() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    let send = |file: UploadFile| {
        let image = client
            .im()
            .v1()
            .image()
            .create()
            .image_type(ImageType::Message);
        image.image(file).send()
    };
    let empty = send(UploadFile::from_bytes("e.png", Vec::new()))
        .await
        .unwrap_err();
    let too_big = send(UploadFile::from_bytes(
        "b.png",
        vec![0u8; 10 * 1024 * 1024 + 1],
    ))
    .await
    .unwrap_err();
    let shown: Vec<String> = [empty, too_big]
        .iter()
        .map(|e| match e.kind() {
            ErrorKind::Validation(v) => v[0].to_string(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        shown,
        [
            "body.image must be at least 1 bytes (is 0)",
            "body.image must be at most 10485760 bytes (is 10485761)",
        ]
    );
    assert!(fake.requests_to("/open-apis/im/v1/images").is_empty());
}

#[tokio::test]
async fn the_fake_refuses_a_form_without_its_file() {
    let fake = FakeFeishu::start().await.unwrap();
    let client = client_builder(&fake).build().unwrap();
    client.im().v1().chat().list().send().await.unwrap();
    let token = fake.issued_tokens().pop().unwrap();
    let form = reqwest::multipart::Form::new().text("image_type", "message");
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/open-apis/im/v1/images", fake.url()))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        answer["error"]["field_violations"],
        serde_json::json!([{"field": "body.image", "description": "is required"}])
    );
}
