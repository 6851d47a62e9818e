//! Feishu splits a large message into `sum` frames sharing a
//! `message_id`, numbered by `seq` from 0; the payload is their
//! concatenation. Parts are held a while (the official SDKs: 5 s) and
//! dropped if the rest never comes.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::error::LongConnectionError;

/// How long the first parts of a message wait for the rest.
const HOLD: Duration = Duration::from_secs(5);

/// More parts than this is a broken header, not a real message: it would
/// only make us allocate.
const MAX_PARTS: usize = 1024;

#[derive(Debug, Default)]
pub(super) struct Parts {
    pending: HashMap<String, Pending>,
}

#[derive(Debug)]
struct Pending {
    parts: Vec<Option<Vec<u8>>>,
    until: Instant,
}

impl Parts {
    /// Adds part `seq` of `sum`; the whole payload once every part is in.
    pub(super) fn add(
        &mut self,
        message_id: &str,
        sum: usize,
        seq: usize,
        payload: Vec<u8>,
        now: Instant,
    ) -> Result<Option<Vec<u8>>, LongConnectionError> {
        if sum <= 1 {
            return Ok(Some(payload));
        }
        if sum > MAX_PARTS || seq >= sum {
            return Err(LongConnectionError::Message(format!(
                "part {seq} of {sum} of message {message_id:?}"
            )));
        }
        self.pending.retain(|_, pending| pending.until > now);
        let pending = self
            .pending
            .entry(message_id.to_owned())
            .or_insert_with(|| Pending {
                parts: vec![None; sum],
                until: now + HOLD,
            });
        if pending.parts.len() != sum {
            return Err(LongConnectionError::Message(format!(
                "message {message_id:?} changed its number of parts"
            )));
        }
        pending.parts[seq] = Some(payload);
        if pending.parts.iter().any(Option::is_none) {
            return Ok(None);
        }
        let parts = self
            .pending
            .remove(message_id)
            .map(|pending| pending.parts)
            .unwrap_or_default();
        Ok(Some(parts.into_iter().flatten().flatten().collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_in_any_order_make_the_whole() {
        let mut parts = Parts::default();
        let now = Instant::now();
        assert_eq!(parts.add("m", 3, 2, b"c".to_vec(), now).unwrap(), None);
        assert_eq!(parts.add("m", 3, 0, b"a".to_vec(), now).unwrap(), None);
        let whole = parts.add("m", 3, 1, b"b".to_vec(), now).unwrap();
        assert_eq!(whole.as_deref(), Some(&b"abc"[..]));
        assert!(parts.pending.is_empty());
    }

    #[test]
    fn stale_parts_are_dropped_and_bad_numbers_refused() {
        let mut parts = Parts::default();
        let now = Instant::now();
        assert_eq!(parts.add("m", 2, 0, b"a".to_vec(), now).unwrap(), None);
        let later = now + HOLD + Duration::from_millis(1);
        assert_eq!(parts.add("m", 2, 1, b"b".to_vec(), later).unwrap(), None);
        assert!(parts.add("m", 2, 2, Vec::new(), later).is_err());
        assert!(parts.add("m", 5000, 0, Vec::new(), later).is_err());
    }
}
