//! A file to upload: where its bytes are, its name and its length.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bytes::{Bytes, BytesMut};
use reqwest::multipart::Part;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncSeekExt};

/// How much of a file is read at once while it is sent.
const CHUNK: usize = 64 * 1024;

/// A file to upload, set on a request builder's `file` field
/// (`.image(UploadFile::from_path("a.png").await?)`). It knows its name and
/// length before anything is sent; its bytes are read while the request
/// goes out, a chunk at a time.
///
/// From bytes or a path it can be sent again (a retry reads it afresh);
/// from a reader, once: a second attempt fails with
/// [`ErrorKind::Read`](crate::ErrorKind::Read) rather than send a part of it.
#[derive(Clone)]
pub struct UploadFile {
    name: String,
    length: u64,
    content_type: Option<String>,
    source: Source,
}

type SharedReader = Arc<Mutex<Option<Box<dyn AsyncRead + Send + Unpin>>>>;

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    /// `length` bytes of the file at `path` from `offset`.
    Path {
        path: PathBuf,
        offset: u64,
    },
    Reader(SharedReader),
}

impl UploadFile {
    /// A file held in memory.
    pub fn from_bytes(name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        Self {
            name: name.into(),
            length: bytes.len() as u64,
            content_type: None,
            source: Source::Bytes(bytes),
        }
    }

    /// The file at `path`, named by its file name; its length is read now,
    /// its bytes when the request is sent.
    pub async fn from_path(path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref().to_path_buf();
        let length = tokio::fs::metadata(&path).await?.len();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(Self {
            name,
            length,
            content_type: None,
            source: Source::Path { path, offset: 0 },
        })
    }

    /// `length` bytes from `reader`, sent once.
    pub fn from_reader(
        name: impl Into<String>,
        length: u64,
        reader: impl AsyncRead + Send + Unpin + 'static,
    ) -> Self {
        Self {
            name: name.into(),
            length,
            content_type: None,
            source: Source::Reader(Arc::new(Mutex::new(Some(Box::new(reader))))),
        }
    }

    /// The same file under another name.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// The part's `Content-Type`; `application/octet-stream` when unset.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file name sent with the bytes.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The length in bytes.
    pub fn len(&self) -> u64 {
        self.length
    }

    /// Whether the file is empty (Feishu refuses empty files).
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// The file cut into blocks of `block_size` bytes (the last one
    /// shorter), each an `UploadFile` of its own for one call of a chunked
    /// upload (drive's `upload_part`): a block of a path is read from the
    /// file when it is sent. A reader cannot be cut (its bytes come once);
    /// that, or a block size of 0, is an error.
    pub fn blocks(&self, block_size: u64) -> io::Result<Vec<UploadFile>> {
        if block_size == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a block size of 0",
            ));
        }
        let starts = (0..self.length.max(1)).step_by(block_size as usize);
        starts
            .map(|start| {
                let length = block_size.min(self.length - start);
                let source = match &self.source {
                    Source::Bytes(b) => {
                        Source::Bytes(b.slice(start as usize..(start + length) as usize))
                    }
                    Source::Path { path, offset } => Source::Path {
                        path: path.clone(),
                        offset: offset + start,
                    },
                    Source::Reader(_) => {
                        return Err(io::Error::new(
                            io::ErrorKind::Unsupported,
                            "a file from a reader cannot be cut into blocks: give a path or bytes",
                        ));
                    }
                };
                Ok(UploadFile {
                    name: self.name.clone(),
                    length,
                    content_type: self.content_type.clone(),
                    source,
                })
            })
            .collect()
    }

    /// The bytes of a block or file held in memory, for a test.
    #[doc(hidden)]
    pub fn bytes(&self) -> Option<&Bytes> {
        match &self.source {
            Source::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The multipart part of one attempt: the bytes as a stream of stated
    /// length, read as it is sent.
    pub(crate) async fn part(&self) -> io::Result<Part> {
        let body = match &self.source {
            Source::Bytes(bytes) => reqwest::Body::from(bytes.clone()),
            Source::Path { path, offset } => {
                let mut file = tokio::fs::File::open(path).await?;
                file.seek(io::SeekFrom::Start(*offset)).await?;
                stream_body(file.take(self.length))
            }
            Source::Reader(shared) => {
                let taken = shared
                    .lock()
                    .map_err(|_| io::Error::other("poisoned"))?
                    .take();
                let Some(reader) = taken else {
                    return Err(io::Error::other(
                        "the file came from a reader, which an earlier attempt read: it cannot be sent again",
                    ));
                };
                stream_body(reader.take(self.length))
            }
        };
        let content_type = self
            .content_type
            .as_deref()
            .unwrap_or("application/octet-stream");
        Part::stream_with_length(body, self.length)
            .file_name(self.name.clone())
            .mime_str(content_type)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
    }
}

/// A body that reads `reader` a chunk at a time while it is sent.
fn stream_body(reader: impl AsyncRead + Send + Unpin + 'static) -> reqwest::Body {
    let chunks = futures_util::stream::try_unfold(reader, |mut reader| async move {
        let mut chunk = BytesMut::with_capacity(CHUNK);
        match reader.read_buf(&mut chunk).await? {
            0 => Ok::<_, io::Error>(None),
            _ => Ok(Some((chunk.freeze(), reader))),
        }
    });
    reqwest::Body::wrap_stream(chunks)
}

impl fmt::Debug for UploadFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let from = match &self.source {
            Source::Bytes(_) => "bytes",
            Source::Path { .. } => "path",
            Source::Reader(_) => "reader",
        };
        f.debug_struct("UploadFile")
            .field("name", &self.name)
            .field("length", &self.length)
            .field("from", &from)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_cover_the_file_once_in_order() {
        let file = UploadFile::from_bytes("f", (0..10u8).collect::<Vec<_>>());
        let blocks = file.blocks(4).unwrap();
        let parts: Vec<&[u8]> = blocks.iter().map(|b| b.bytes().unwrap().as_ref()).collect();
        assert_eq!(parts, [&[0, 1, 2, 3][..], &[4, 5, 6, 7], &[8, 9]]);
        assert_eq!(
            blocks.iter().map(UploadFile::len).collect::<Vec<_>>(),
            [4, 4, 2]
        );
        let reader = UploadFile::from_reader("r", 3, &b"abc"[..]);
        assert_eq!(
            reader.blocks(2).unwrap_err().kind(),
            io::ErrorKind::Unsupported
        );
    }
}
