//! Reading a `multipart/form-data` body back into its parts, for a server
//! that plays Feishu (feature `routes`). The boundary is the body's first
//! line, so the request's headers are not needed.

use bytes::Bytes;

use super::ReceivedPart;

/// The parts of `body`, or why it is no multipart body.
pub(crate) fn parts(body: &[u8]) -> Result<Vec<ReceivedPart>, String> {
    let first_line = body
        .windows(2)
        .position(|w| w == b"\r\n")
        .ok_or("no multipart boundary line")?;
    let boundary = &body[..first_line];
    if !boundary.starts_with(b"--") || boundary.len() < 3 {
        return Err("the body does not start with a multipart boundary".into());
    }
    let delimiter = [b"\r\n", boundary].concat();
    let mut rest = &body[first_line + 2..];
    let mut parts = Vec::new();
    loop {
        let end = find(rest, &delimiter).ok_or("a part without its closing boundary")?;
        parts.push(part(&rest[..end])?);
        rest = &rest[end + delimiter.len()..];
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .ok_or("a boundary not followed by a line end")?;
    }
}

/// One part: its headers, a blank line, its bytes.
fn part(raw: &[u8]) -> Result<ReceivedPart, String> {
    let split = find(raw, b"\r\n\r\n").ok_or("a part without a blank line after its headers")?;
    let headers = String::from_utf8_lossy(&raw[..split]);
    let disposition = headers
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-disposition")
                .then_some(value)
        })
        .ok_or("a part without Content-Disposition")?;
    let parameter = |key: &str| {
        disposition.split(';').find_map(|p| {
            let (k, v) = p.trim().split_once('=')?;
            (k.trim() == key).then(|| v.trim().trim_matches('"').to_owned())
        })
    };
    Ok(ReceivedPart {
        name: parameter("name").ok_or("a part without a name")?,
        file_name: parameter("filename"),
        bytes: Bytes::copy_from_slice(&raw[split + 4..]),
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_file_parts_read_back() {
        let body =
            b"--XYZ\r\nContent-Disposition: form-data; name=\"image_type\"\r\n\r\nmessage\r\n\
--XYZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\
Content-Type: application/octet-stream\r\n\r\n\x89PNG\r\n\r\n--XYZ--\r\n";
        let parts = parts(body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(
            (parts[0].name.as_str(), &parts[0].bytes[..]),
            ("image_type", &b"message"[..])
        );
        assert_eq!(parts[0].file_name, None);
        assert_eq!(parts[1].file_name.as_deref(), Some("a.png"));
        assert_eq!(&parts[1].bytes[..], b"\x89PNG\r\n");
        assert!(super::parts(b"{\"json\": 1}").is_err());
    }
}
