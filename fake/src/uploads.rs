//! Files uploaded to the fake, kept to be downloaded again: im's images and
//! files (`image_key`, `file_key`), and drive's files and media, whole
//! (`upload_all`) or block by block (`upload_prepare`, `upload_part`,
//! `upload_finish`). A download whose path names a kept file serves its
//! bytes (see `files.rs`).

use std::collections::{BTreeMap, HashMap};

use feishu_runtime::upload::{ReceivedPart, form_parts};
use serde_json::{Value, json};

use super::answer::{Reply, failure};
use super::state::{Call, Chats};

/// Drive's "params error"; im's image and file pages document 234001.
const DRIVE_PARAMS: i64 = 1061002;
const IM_PARAMS: i64 = 234001;
/// The block size drive's upload_prepare answers: 4 MiB, as its page says.
const BLOCK_SIZE: u64 = 4 * 1024 * 1024;

/// One kept file.
#[derive(Clone)]
pub(super) struct Kept {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// An upload in blocks, before `upload_finish`.
struct InBlocks {
    name: String,
    size: u64,
    blocks: BTreeMap<u64, Vec<u8>>,
}

#[derive(Default)]
pub(super) struct Uploads {
    kept: HashMap<String, Kept>,
    in_blocks: HashMap<String, InBlocks>,
    next: u64,
}

impl Uploads {
    fn keep(&mut self, prefix: &str, name: String, bytes: Vec<u8>) -> String {
        self.next += 1;
        let key = format!("{prefix}{:012}", self.next);
        self.kept.insert(key.clone(), Kept { name, bytes });
        key
    }

    /// The kept file a path parameter names, the last one first (a message
    /// resource's `file_key` comes after its `message_id`).
    pub fn named_by(&self, params: &[String]) -> Option<Kept> {
        params.iter().rev().find_map(|p| self.kept.get(p)).cloned()
    }
}

/// The handler of an upload endpoint, by id: drive's are named by id so
/// that the fake does not compile the drive group for every test.
pub(super) fn handler(endpoint_id: &str) -> Option<super::server::Handler> {
    Some(match endpoint_id {
        "im.v1.image.create" => image_create,
        "im.v1.file.create" => file_create,
        "drive.v1.file.upload_all" | "drive.v1.media.upload_all" => upload_all,
        "drive.v1.file.upload_prepare" | "drive.v1.media.upload_prepare" => upload_prepare,
        "drive.v1.file.upload_part" | "drive.v1.media.upload_part" => upload_part,
        "drive.v1.file.upload_finish" | "drive.v1.media.upload_finish" => upload_finish,
        _ => return None,
    })
}

/// A multipart body's parts by name.
struct Form(Vec<ReceivedPart>);

impl Form {
    fn read(call: &Call<'_>, code: i64) -> Result<Self, super::answer::Answer> {
        form_parts(call.body)
            .map(Form)
            .map_err(|e| failure(code, &e))
    }

    fn part(&self, name: &str) -> Option<&ReceivedPart> {
        self.0.iter().find(|p| p.name == name)
    }

    fn text(&self, name: &str) -> Option<String> {
        self.part(name)
            .map(|p| String::from_utf8_lossy(&p.bytes).into_owned())
    }

    /// The file part: its name and bytes.
    fn file(&self, name: &str, code: i64) -> Result<(String, Vec<u8>), super::answer::Answer> {
        let part = self
            .part(name)
            .ok_or_else(|| failure(code, &format!("{name} is required")))?;
        Ok((
            part.file_name.clone().unwrap_or_default(),
            part.bytes.to_vec(),
        ))
    }
}

fn image_create(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let (name, bytes) = Form::read(call, IM_PARAMS)?.file("image", IM_PARAMS)?;
    Ok(json!({"image_key": chats.uploads.keep("img_v3_fake", name, bytes)}))
}

fn file_create(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let form = Form::read(call, IM_PARAMS)?;
    let (part_name, bytes) = form.file("file", IM_PARAMS)?;
    let name = form.text("file_name").unwrap_or(part_name);
    Ok(json!({"file_key": chats.uploads.keep("file_v3_fake", name, bytes)}))
}

/// The stated `size` must be the bytes sent, as drive checks.
fn sized(form: &Form, bytes: &[u8]) -> Result<(), super::answer::Answer> {
    match form.text("size").map(|s| s.parse::<usize>()) {
        Some(Ok(size)) if size == bytes.len() => Ok(()),
        _ => Err(failure(
            DRIVE_PARAMS,
            &format!("size is not the {} bytes sent", bytes.len()),
        )),
    }
}

fn upload_all(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let form = Form::read(call, DRIVE_PARAMS)?;
    let (part_name, bytes) = form.file("file", DRIVE_PARAMS)?;
    sized(&form, &bytes)?;
    let name = form.text("file_name").unwrap_or(part_name);
    Ok(json!({"file_token": chats.uploads.keep("boxcn_fake", name, bytes)}))
}

fn upload_prepare(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let body = call.json()?;
    let name = body
        .get("file_name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let size = body.get("size").and_then(Value::as_u64).unwrap_or(0);
    let uploads = &mut chats.uploads;
    uploads.next += 1;
    let id = format!("upload_fake{:012}", uploads.next);
    uploads.in_blocks.insert(
        id.clone(),
        InBlocks {
            name,
            size,
            blocks: BTreeMap::new(),
        },
    );
    Ok(json!({"upload_id": id, "block_size": BLOCK_SIZE, "block_num": size.div_ceil(BLOCK_SIZE)}))
}

fn upload_part(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let form = Form::read(call, DRIVE_PARAMS)?;
    let (_, bytes) = form.file("file", DRIVE_PARAMS)?;
    sized(&form, &bytes)?;
    let id = form.text("upload_id").unwrap_or_default();
    let seq = form.text("seq").and_then(|s| s.parse().ok());
    let upload = chats.uploads.in_blocks.get_mut(&id);
    let (Some(upload), Some(seq)) = (upload, seq) else {
        return Err(failure(DRIVE_PARAMS, &format!("no upload {id}, or no seq")));
    };
    // A block sent again replaces itself: a retried part is harmless.
    upload.blocks.insert(seq, bytes);
    Ok(json!({}))
}

fn upload_finish(chats: &mut Chats, call: &Call<'_>) -> Reply {
    let body = call.json()?;
    let id = body
        .get("upload_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let block_num = body.get("block_num").and_then(Value::as_u64).unwrap_or(0);
    let Some(upload) = chats.uploads.in_blocks.get(id) else {
        return Err(failure(DRIVE_PARAMS, &format!("no upload {id}")));
    };
    // A finish that fails leaves the upload open, to send the missing
    // blocks and finish again.
    let complete = upload.blocks.keys().copied().eq(0..block_num);
    let size: u64 = upload.blocks.values().map(|b| b.len() as u64).sum();
    if !complete || size != upload.size {
        return Err(failure(
            DRIVE_PARAMS,
            "blocks missing, or not the size prepared",
        ));
    }
    let upload = chats.uploads.in_blocks.remove(id).expect("found above");
    let bytes: Vec<u8> = upload.blocks.into_values().flatten().collect();
    Ok(json!({"file_token": chats.uploads.keep("boxcn_fake", upload.name, bytes)}))
}
