//! The long connection's wire frame: pbbp2 `Frame`, a protobuf (proto2)
//! message in every binary WebSocket message, both ways. A small codec of
//! its own: nine fields do not justify a code generator, and decoding
//! refuses bad bytes with a [`FrameError`] instead of trusting them.
//!
//! ```text
//! message Header { required string key = 1; required string value = 2; }
//! message Frame {
//!   required uint64 SeqID = 1;  required uint64 LogID = 2;
//!   required int32 service = 3; required int32 method = 4;
//!   repeated Header headers = 5;
//!   optional string payload_encoding = 6; optional string payload_type = 7;
//!   optional bytes payload = 8;  optional string LogIDNew = 9;
//! }
//! ```

/// `method` of a control frame: ping and pong.
pub const METHOD_CONTROL: i32 = 0;
/// `method` of a data frame: an event (or card) and its acknowledgement.
pub const METHOD_DATA: i32 = 1;

/// Header naming what a frame carries: `ping`, `pong`, `event` or `card`.
pub const HEADER_TYPE: &str = "type";
/// Header identifying a message; the parts of a split one share it.
pub const HEADER_MESSAGE_ID: &str = "message_id";
/// Header: how many parts the message was split into (1 when whole).
pub const HEADER_SUM: &str = "sum";
/// Header: which part this is, from 0.
pub const HEADER_SEQ: &str = "seq";
/// Header: the trace id, for Feishu's logs.
pub const HEADER_TRACE_ID: &str = "trace_id";
/// Header the acknowledgement adds: how long handling took, in ms.
pub const HEADER_BIZ_RT: &str = "biz_rt";

/// One key/value pair of a frame's headers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    /// The name, e.g. `type`.
    pub key: String,
    /// The value, always text (numbers in decimal).
    pub value: String,
}

/// One frame of the long connection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Frame {
    /// `SeqID` (field 1).
    pub seq_id: u64,
    /// `LogID` (field 2).
    pub log_id: u64,
    /// `service` (field 3): the `service_id` of the connection URL.
    pub service: i32,
    /// `method` (field 4): [`METHOD_CONTROL`] or [`METHOD_DATA`].
    pub method: i32,
    /// `headers` (field 5), in order.
    pub headers: Vec<Header>,
    /// `payload_encoding` (field 6).
    pub payload_encoding: String,
    /// `payload_type` (field 7).
    pub payload_type: String,
    /// `payload` (field 8): the event's JSON, a pong's client config, an
    /// acknowledgement's answer.
    pub payload: Vec<u8>,
    /// `LogIDNew` (field 9).
    pub log_id_new: String,
}

/// Bytes that are not a frame.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// The bytes end inside a field.
    #[error("frame: truncated")]
    Truncated,
    /// A varint longer than ten bytes.
    #[error("frame: varint too long")]
    VarintTooLong,
    /// A field with the wrong wire type, or a group.
    #[error("frame: field {field} has wire type {wire_type}")]
    WireType {
        /// The field number.
        field: u64,
        /// The wire type found.
        wire_type: u8,
    },
    /// A header key or value, or a string field, that is not UTF-8.
    #[error("frame: field {0} is not UTF-8")]
    NotUtf8(u64),
    /// A required field (SeqID, LogID, service, method; a header's key or
    /// value) is missing.
    #[error("frame: required field {0} is missing")]
    Missing(&'static str),
}

impl Frame {
    /// The value of the first header named `key`.
    pub fn header(&self, key: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|header| header.key == key)
            .map(|header| header.value.as_str())
    }

    /// Appends a header.
    pub fn push_header(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.headers.push(Header {
            key: key.into(),
            value: value.into(),
        });
    }

    /// The protobuf bytes, fields in number order. Required fields are
    /// always written, optional strings too (as the official SDKs do), the
    /// payload only when there is one.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(32 + self.payload.len());
        put_varint_field(&mut out, 1, self.seq_id);
        put_varint_field(&mut out, 2, self.log_id);
        // int32 is sign-extended to 64 bits on the wire.
        put_varint_field(&mut out, 3, i64::from(self.service) as u64);
        put_varint_field(&mut out, 4, i64::from(self.method) as u64);
        for header in &self.headers {
            let mut inner = Vec::with_capacity(4 + header.key.len() + header.value.len());
            put_bytes_field(&mut inner, 1, header.key.as_bytes());
            put_bytes_field(&mut inner, 2, header.value.as_bytes());
            put_bytes_field(&mut out, 5, &inner);
        }
        put_bytes_field(&mut out, 6, self.payload_encoding.as_bytes());
        put_bytes_field(&mut out, 7, self.payload_type.as_bytes());
        if !self.payload.is_empty() {
            put_bytes_field(&mut out, 8, &self.payload);
        }
        put_bytes_field(&mut out, 9, self.log_id_new.as_bytes());
        out
    }

    /// Reads a frame; unknown fields are skipped, as protobuf wants.
    pub fn decode(bytes: &[u8]) -> Result<Self, FrameError> {
        let mut frame = Frame::default();
        let mut seen = [false; 4];
        let mut reader = Reader(bytes);
        while let Some((field, value)) = reader.field()? {
            match (field, value) {
                (1..=4, Value::Varint(number)) => {
                    seen[field as usize - 1] = true;
                    match field {
                        1 => frame.seq_id = number,
                        2 => frame.log_id = number,
                        // Truncating to 32 bits is protobuf's int32 rule.
                        3 => frame.service = number as i32,
                        _ => frame.method = number as i32,
                    }
                }
                (5, Value::Bytes(inner)) => frame.headers.push(decode_header(inner)?),
                (6, Value::Bytes(text)) => frame.payload_encoding = utf8(6, text)?,
                (7, Value::Bytes(text)) => frame.payload_type = utf8(7, text)?,
                (8, Value::Bytes(data)) => frame.payload = data.to_vec(),
                (9, Value::Bytes(text)) => frame.log_id_new = utf8(9, text)?,
                (1..=9, value) => {
                    return Err(FrameError::WireType {
                        field,
                        wire_type: value.wire_type(),
                    });
                }
                _ => {}
            }
        }
        let names = ["SeqID", "LogID", "service", "method"];
        match seen.iter().position(|present| !present) {
            Some(missing) => Err(FrameError::Missing(names[missing])),
            None => Ok(frame),
        }
    }
}

fn decode_header(bytes: &[u8]) -> Result<Header, FrameError> {
    let mut reader = Reader(bytes);
    let (mut key, mut value) = (None, None);
    while let Some((field, found)) = reader.field()? {
        match (field, found) {
            (1, Value::Bytes(text)) => key = Some(utf8(5, text)?),
            (2, Value::Bytes(text)) => value = Some(utf8(5, text)?),
            (1 | 2, found) => {
                return Err(FrameError::WireType {
                    field: 5,
                    wire_type: found.wire_type(),
                });
            }
            _ => {}
        }
    }
    Ok(Header {
        key: key.ok_or(FrameError::Missing("header key"))?,
        value: value.ok_or(FrameError::Missing("header value"))?,
    })
}

fn utf8(field: u64, bytes: &[u8]) -> Result<String, FrameError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| FrameError::NotUtf8(field))
}

/// A field's value as the wire carries it.
enum Value<'a> {
    Varint(u64),
    Fixed64,
    Bytes(&'a [u8]),
    Fixed32,
}

impl Value<'_> {
    fn wire_type(&self) -> u8 {
        match self {
            Value::Varint(_) => 0,
            Value::Fixed64 => 1,
            Value::Bytes(_) => 2,
            Value::Fixed32 => 5,
        }
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    /// The next field number and value; `None` at the end.
    fn field(&mut self) -> Result<Option<(u64, Value<'a>)>, FrameError> {
        if self.0.is_empty() {
            return Ok(None);
        }
        let key = self.varint()?;
        let (field, wire_type) = (key >> 3, (key & 7) as u8);
        let value = match wire_type {
            0 => Value::Varint(self.varint()?),
            1 => {
                self.take(8)?;
                Value::Fixed64
            }
            2 => {
                let len = usize::try_from(self.varint()?).map_err(|_| FrameError::Truncated)?;
                Value::Bytes(self.take(len)?)
            }
            5 => {
                self.take(4)?;
                Value::Fixed32
            }
            // Groups (3, 4) and the unused 6 and 7 are not in pbbp2.
            _ => return Err(FrameError::WireType { field, wire_type }),
        };
        Ok(Some((field, value)))
    }

    fn varint(&mut self) -> Result<u64, FrameError> {
        let mut value = 0u64;
        for (index, byte) in self.0.iter().enumerate().take(10) {
            value |= u64::from(byte & 0x7f) << (7 * index);
            if byte & 0x80 == 0 {
                self.0 = &self.0[index + 1..];
                return Ok(value);
            }
        }
        if self.0.len() < 10 {
            Err(FrameError::Truncated)
        } else {
            Err(FrameError::VarintTooLong)
        }
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], FrameError> {
        if self.0.len() < len {
            return Err(FrameError::Truncated);
        }
        let (taken, rest) = self.0.split_at(len);
        self.0 = rest;
        Ok(taken)
    }
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn put_varint_field(out: &mut Vec<u8>, field: u64, value: u64) {
    put_varint(out, field << 3);
    put_varint(out, value);
}

fn put_bytes_field(out: &mut Vec<u8>, field: u64, bytes: &[u8]) {
    put_varint(out, (field << 3) | 2);
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ping_encodes_as_protobuf_does() {
        let mut ping = Frame {
            service: 7,
            method: METHOD_CONTROL,
            ..Frame::default()
        };
        ping.push_header(HEADER_TYPE, "ping");
        let bytes = ping.encode();
        assert_eq!(
            bytes,
            [
                0x08, 0, 0x10, 0, 0x18, 7, 0x20, 0, 0x2a, 12, 0x0a, 4, b't', b'y', b'p', b'e',
                0x12, 4, b'p', b'i', b'n', b'g', 0x32, 0, 0x3a, 0, 0x4a, 0
            ]
        );
        assert_eq!(Frame::decode(&bytes), Ok(ping));
    }

    #[test]
    fn a_negative_service_round_trips() {
        let frame = Frame {
            service: -2,
            method: METHOD_DATA,
            payload: b"{}".to_vec(),
            ..Frame::default()
        };
        assert_eq!(Frame::decode(&frame.encode()), Ok(frame));
    }

    #[test]
    fn missing_and_truncated_fields_are_errors() {
        assert_eq!(Frame::decode(&[]), Err(FrameError::Missing("SeqID")));
        assert_eq!(Frame::decode(&[0x08]), Err(FrameError::Truncated));
        assert_eq!(
            Frame::decode(&[0x08, 0, 0x10, 0, 0x18, 0]),
            Err(FrameError::Missing("method"))
        );
        assert_eq!(
            Frame::decode(&[0x0b]),
            Err(FrameError::WireType {
                field: 1,
                wire_type: 3
            })
        );
    }
}
