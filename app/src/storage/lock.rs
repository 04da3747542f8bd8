//! The app lock: the user's data key, wrapped by a key derived from a 6-digit PIN, and the throttle on wrong PINs.
//!
//! What is kept in plaintext, in the `meta` store under phone-wide keys (never a name or an ID number):
//! - `phone/keyring/<user id>` — [`Keyring`]: the PBKDF2 salt and iteration count and the wrapped data key;
//! - `phone/pin_failures/<user id>` — [`PinFailures`]: wrong PINs in a row and until when the next try waits, so a
//!   reload does not reset the wait;
//! - `phone/lock_after_minutes` — how long the app may sit unused before the PIN is asked again;
//! - `phone/sealed_at_rest/<user id>` — present once [`SEAL_VALUES_AT_REST`] has run for the user, so later
//!   unlocks do not read every stored value again.
//!
//! The server keeps a copy of the data key wrapped by a key derived from the account password ([`escrow`],
//! `PUT /api/me/data-key`), released only to a password login of the last few minutes: forgetting the PIN means
//! logging in again online, which gets the data key back, and then setting a new PIN — nothing on the phone is lost.

use super::account::{PHONE_WIDE_PREFIX, USER_STORES, blob_keys_of};
use super::blobs::BlobValue;
use super::crypto::{self, DataKey, PIN_ITERATIONS, SALT_BYTES};
use super::schema::PHOTO_BLOBS_STORE;
use super::scoped::{Envelope, is_sealed_blob};
use super::{AppStore, Backend, BlobStore, Store, StoreError};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zoufang_domain::protocol::WrappedDataKey;

/// Wrong PINs allowed in a row before each further try waits.
pub const FREE_ATTEMPTS: u32 = 5;
/// The wait after the [`FREE_ATTEMPTS`]th wrong PIN; it doubles with every further wrong PIN.
pub const FIRST_WAIT_MS: f64 = 30_000.0;
/// The longest wait between two tries.
pub const LONGEST_WAIT_MS: f64 = 60.0 * 60_000.0;
/// How long the app may sit unused (or hidden) before the PIN is asked again, unless chosen otherwise in 我的.
pub const DEFAULT_LOCK_AFTER_MINUTES: u32 = 5;
/// The choices offered in 我的.
pub const LOCK_AFTER_CHOICES: [u32; 4] = [1, 5, 15, 30];

/// The named migration that seals, at a user's first unlock, every value the app stored in plaintext before
/// encryption at rest (schema version 3 and the owner envelopes written before the PIN existed).
pub const SEAL_VALUES_AT_REST: &str = "seal_values_at_rest";

fn keyring_key(user: Uuid) -> String {
    format!("{PHONE_WIDE_PREFIX}keyring/{user}")
}

fn sealed_at_rest_key(user: Uuid) -> String {
    format!("{PHONE_WIDE_PREFIX}sealed_at_rest/{user}")
}

fn failures_key(user: Uuid) -> String {
    format!("{PHONE_WIDE_PREFIX}pin_failures/{user}")
}

/// `meta` key of the idle time before the lock.
pub const LOCK_AFTER_KEY: &str = "phone/lock_after_minutes";

/// A user's data key as the phone keeps it: wrapped by the key derived from their PIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyring {
    pub user: Uuid,
    /// Base64 of the PBKDF2 salt.
    pub salt: String,
    pub iterations: u32,
    /// Base64 of `iv ‖ wrapped key ‖ tag`.
    pub wrapped: String,
}

/// Wrong PINs in a row, and until when (milliseconds since the epoch) the next try must wait.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct PinFailures {
    pub count: u32,
    pub wait_until_ms: f64,
}

/// How long the next try waits after `count` wrong PINs in a row: nothing for the first [`FREE_ATTEMPTS`], then
/// [`FIRST_WAIT_MS`] doubling up to [`LONGEST_WAIT_MS`].
pub fn wait_after(count: u32) -> f64 {
    if count < FREE_ATTEMPTS {
        return 0.0;
    }
    let doublings = (count - FREE_ATTEMPTS).min(16);
    (FIRST_WAIT_MS * f64::from(1_u32 << doublings)).min(LONGEST_WAIT_MS)
}

/// A PIN is exactly six ASCII digits.
pub fn is_valid_pin(pin: &str) -> bool {
    pin.len() == 6 && pin.bytes().all(|byte| byte.is_ascii_digit())
}

/// The user's keyring on this phone, if they set a PIN here.
pub async fn keyring(backend: &Backend, user: Uuid) -> Result<Option<Keyring>, StoreError> {
    backend.get_meta(&keyring_key(user)).await
}

/// Removes the user's keyring and PIN failures (their data is gone from the phone).
pub async fn forget_keyring(backend: &Backend, user: Uuid) -> Result<(), StoreError> {
    backend.delete_meta(&keyring_key(user)).await?;
    backend.delete_meta(&failures_key(user)).await
}

/// The wrong PINs so far.
pub async fn failures(backend: &Backend, user: Uuid) -> Result<PinFailures, StoreError> {
    Ok(backend
        .get_meta(&failures_key(user))
        .await?
        .unwrap_or_default())
}

/// Wraps `key` with a new PIN (fresh salt) and keeps it, forgetting earlier wrong PINs.
pub async fn set_pin(
    backend: &Backend,
    user: Uuid,
    key: &DataKey,
    pin: &str,
) -> Result<(), StoreError> {
    let salt = crypto::random_bytes(SALT_BYTES)?;
    let wrapping = crypto::derive_wrapping_key(pin, &salt, PIN_ITERATIONS).await?;
    let wrapped = crypto::wrap_data_key(key, &wrapping).await?;
    let keyring = Keyring {
        user,
        salt: BASE64.encode(salt),
        iterations: PIN_ITERATIONS,
        wrapped: BASE64.encode(wrapped),
    };
    backend.put_meta(&keyring_key(user), &keyring).await?;
    backend.delete_meta(&failures_key(user)).await
}

/// What a PIN did.
#[derive(Debug, Clone)]
pub enum Unlock {
    Opened(DataKey),
    /// Wrong; `failures` in a row now, and the next try waits until `wait_until_ms` (0: no wait).
    Wrong {
        failures: u32,
        wait_until_ms: f64,
    },
    /// Too early: wrong PINs before ask to wait until then. The PIN was not tried.
    Waiting {
        wait_until_ms: f64,
    },
    /// No PIN was set for this user on this phone.
    NoKeyring,
}

/// Tries a PIN at `now_ms`. A wrong one is counted (and stored) before this returns.
pub async fn unlock(
    backend: &Backend,
    user: Uuid,
    pin: &str,
    now_ms: f64,
) -> Result<Unlock, StoreError> {
    let before = failures(backend, user).await?;
    if before.wait_until_ms > now_ms {
        return Ok(Unlock::Waiting {
            wait_until_ms: before.wait_until_ms,
        });
    }
    let Some(keyring) = keyring(backend, user).await? else {
        return Ok(Unlock::NoKeyring);
    };
    let salt = decode_b64(&keyring.salt)?;
    let wrapped = decode_b64(&keyring.wrapped)?;
    let wrapping = crypto::derive_wrapping_key(pin, &salt, keyring.iterations).await?;
    match crypto::unwrap_data_key(&wrapped, &wrapping).await? {
        Some(key) => {
            if before != PinFailures::default() {
                backend.delete_meta(&failures_key(user)).await?;
            }
            Ok(Unlock::Opened(key))
        }
        None => {
            let count = before.count.saturating_add(1);
            let wait = wait_after(count);
            let after = PinFailures {
                count,
                wait_until_ms: if wait > 0.0 { now_ms + wait } else { 0.0 },
            };
            backend.put_meta(&failures_key(user), &after).await?;
            Ok(Unlock::Wrong {
                failures: count,
                wait_until_ms: after.wait_until_ms,
            })
        }
    }
}

fn decode_b64(text: &str) -> Result<Vec<u8>, StoreError> {
    BASE64
        .decode(text)
        .map_err(|error| StoreError::Corrupt(format!("keyring: {error}")))
}

/// The server's copy of `key`: wrapped by a key derived from the account password, with a fresh salt.
pub async fn escrow(key: &DataKey, password: &str) -> Result<WrappedDataKey, StoreError> {
    let salt = crypto::random_bytes(SALT_BYTES)?;
    let wrapping = crypto::derive_wrapping_key(password, &salt, PIN_ITERATIONS).await?;
    let wrapped = crypto::wrap_data_key(key, &wrapping).await?;
    Ok(WrappedDataKey {
        wrapped: BASE64.encode(wrapped),
        salt: BASE64.encode(salt),
        iterations: PIN_ITERATIONS,
    })
}

/// The data key from the server's copy; `Ok(None)` when `password` is not the one it was wrapped with (the
/// password was changed since).
pub async fn open_escrow(
    copy: &WrappedDataKey,
    password: &str,
) -> Result<Option<DataKey>, StoreError> {
    let salt = decode_b64(&copy.salt)?;
    let wrapped = decode_b64(&copy.wrapped)?;
    let wrapping = crypto::derive_wrapping_key(password, &salt, copy.iterations).await?;
    crypto::unwrap_data_key(&wrapped, &wrapping).await
}

/// [`SEAL_VALUES_AT_REST`]: every value of `owner` still stored in plaintext (and every photo's bytes) is written
/// again sealed with `key`, its text unchanged. Returns how many values it sealed. It runs once per user: this
/// app writes every value sealed, so after a complete pass (recorded in `phone/sealed_at_rest/<user id>`) later
/// unlocks skip reading every stored value.
pub async fn seal_values_at_rest(
    backend: &Backend,
    owner: Uuid,
    key: &DataKey,
) -> Result<usize, StoreError> {
    let done_key = sealed_at_rest_key(owner);
    if backend.get_meta::<bool>(&done_key).await?.is_some() {
        return Ok(0);
    }
    let sealed = AppStore::sealed(backend.clone(), owner, key.clone());
    let mut count = 0;
    for &store in USER_STORES {
        for (name, json) in backend.get_all_raw(store).await? {
            let Some(Envelope {
                owner: value_owner,
                plain: Some(text),
                sealed: None,
            }) = Envelope::read(&json)
            else {
                continue;
            };
            if value_owner != owner {
                continue;
            }
            let blob_keys = blob_keys_of(store, &name);
            if blob_keys.is_empty() {
                sealed.put_text(store, &name, text).await?;
            } else {
                seal_with_blobs(backend, &sealed, store, &name, text, blob_keys).await?;
            }
            count += 1;
        }
    }
    backend.put_meta(&done_key, &true).await?;
    Ok(count)
}

/// A record and its blobs (a photo's JPEG and thumbnail, a downloaded photo's bytes), sealed in one transaction.
/// Blobs already sealed or missing are left alone.
async fn seal_with_blobs(
    backend: &Backend,
    sealed: &AppStore,
    store: &str,
    name: &str,
    text: String,
    keys: Vec<String>,
) -> Result<(), StoreError> {
    let mut blobs: Vec<(String, Vec<u8>)> = Vec::new();
    for blob_key in keys {
        if let Some(bytes) = backend.get_blob(PHOTO_BLOBS_STORE, &blob_key).await?
            && !is_sealed_blob(&bytes)
        {
            blobs.push((blob_key, bytes));
        }
    }
    let values: Vec<BlobValue<'_>> = blobs
        .iter()
        .map(|(key, bytes)| BlobValue {
            key,
            bytes,
            mime_type: "image/jpeg",
        })
        .collect();
    sealed
        .put_text_with_blobs(store, name, text, PHOTO_BLOBS_STORE, &values)
        .await
}

#[cfg(test)]
#[path = "lock_tests.rs"]
mod tests;
