//! What the event guide asks of a receiver's cryptography: bodies
//! encrypted with AES-256-CBC under the SHA-256 of the encrypt key, the IV
//! in the first 16 bytes, PKCS#7 padding, base64 on the wire; signatures
//! the hex SHA-256 of timestamp + nonce + encrypt key + raw body.

use std::fmt;

use aes::Aes256;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The app's Encrypt Key (事件与回调 > 加密策略). Its `Debug` never shows it.
#[derive(Clone)]
pub struct EncryptKey {
    text: String,
    aes_key: [u8; 32],
}

impl fmt::Debug for EncryptKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EncryptKey(<redacted>)")
    }
}

/// An `encrypt` value that is no body this key encrypted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecryptError {
    /// Not base64.
    #[error("the encrypted body is not base64")]
    NotBase64,
    /// Shorter than an IV and one block, or not whole blocks.
    #[error("the encrypted body is not an IV and whole AES blocks")]
    BadLength,
    /// The padding does not check out: another key, or damaged bytes.
    #[error("the encrypted body does not decrypt with this key")]
    WrongKey,
}

impl EncryptKey {
    /// The key as the developer console shows it.
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        let aes_key = Sha256::digest(text.as_bytes()).into();
        Self { text, aes_key }
    }

    /// The plain bytes of an `encrypt` value.
    pub fn decrypt(&self, encrypted: &str) -> Result<Vec<u8>, DecryptError> {
        let bytes = STANDARD
            .decode(encrypted.trim())
            .map_err(|_| DecryptError::NotBase64)?;
        if bytes.len() < 32 || bytes.len() % 16 != 0 {
            return Err(DecryptError::BadLength);
        }
        let (iv, blocks) = bytes.split_at(16);
        let iv: [u8; 16] = iv.try_into().expect("split at 16");
        cbc::Decryptor::<Aes256>::new(&self.aes_key.into(), &iv.into())
            .decrypt_padded_vec_mut::<Pkcs7>(blocks)
            .map_err(|_| DecryptError::WrongKey)
    }

    /// `plain` encrypted as Feishu sends it, with the IV given: for the
    /// fake Feishu and for tests of receivers.
    pub fn encrypt(&self, plain: &[u8], iv: [u8; 16]) -> String {
        let mut bytes = iv.to_vec();
        bytes.extend(
            cbc::Encryptor::<Aes256>::new(&self.aes_key.into(), &iv.into())
                .encrypt_padded_vec_mut::<Pkcs7>(plain),
        );
        STANDARD.encode(bytes)
    }

    /// The `X-Lark-Signature` of a request: lowercase hex SHA-256 of
    /// timestamp, nonce, this key and the raw body.
    pub fn signature(&self, timestamp: &str, nonce: &str, body: &[u8]) -> String {
        let mut hash = Sha256::new();
        hash.update(timestamp.as_bytes());
        hash.update(nonce.as_bytes());
        hash.update(self.text.as_bytes());
        hash.update(body);
        hash.finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }

    /// Whether `signature` is the request's, compared in constant time so
    /// that the time taken tells an attacker nothing.
    pub fn signature_matches(
        &self,
        timestamp: &str,
        nonce: &str,
        body: &[u8],
        signature: &str,
    ) -> bool {
        let expected = self.signature(timestamp, nonce, body);
        expected
            .as_bytes()
            .ct_eq(signature.trim().to_ascii_lowercase().as_bytes())
            .into()
    }
}
