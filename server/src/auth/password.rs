//! Password hashing with argon2id (the argon2 crate's default parameters: m=19 MiB, t=2, p=1) in PHC strings.
//!
//! Hashing and verifying are deliberately slow; async callers use the `*_in_background` versions, which run on
//! tokio's blocking pool so they never stall the request threads. Logins go through a [`HashingGate`]: at most one
//! hash per core at a time, so a flood of logins waits (and is turned away after a short wait) instead of
//! allocating 19 MiB per request.

use std::sync::Arc;
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("argon2: {0}")]
    Hash(argon2::password_hash::Error),
    #[error("the hashing task stopped: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// Hashes a password into an argon2id PHC string (`$argon2id$v=19$...`) with a fresh random salt.
pub fn hash(password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(PasswordError::Hash)
}

/// Whether `password` matches the PHC string. A malformed stored hash counts as "does not match" (and is logged).
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(error) => {
            tracing::error!(%error, "a stored password hash is not a valid PHC string");
            false
        }
    }
}

/// [`hash`] on the blocking pool.
pub async fn hash_in_background(password: String) -> Result<String, PasswordError> {
    tokio::task::spawn_blocking(move || hash(&password)).await?
}

/// [`verify`] on the blocking pool.
pub async fn verify_in_background(password: String, phc: String) -> Result<bool, PasswordError> {
    Ok(tokio::task::spawn_blocking(move || verify(&password, &phc)).await?)
}

/// No hashing slot came free within the wait: the server is busy.
#[derive(Debug, thiserror::Error)]
#[error("every password hashing slot stayed busy for {0:?}")]
pub struct Busy(pub Duration);

/// A semaphore in front of argon2: at most `slots` verifications run at once, each on the blocking pool.
#[derive(Debug)]
pub struct HashingGate {
    slots: Arc<Semaphore>,
    wait: Duration,
}

/// A held hashing slot: one verification may run.
#[derive(Debug)]
pub struct HashingSlot(OwnedSemaphorePermit);

impl HashingGate {
    /// `slots` is raised to 1 if 0.
    pub fn new(slots: usize, wait: Duration) -> HashingGate {
        HashingGate {
            slots: Arc::new(Semaphore::new(slots.max(1))),
            wait,
        }
    }

    /// Waits for a free slot, at most the gate's wait. Waiting costs a small future, not 19 MiB.
    pub async fn acquire(&self) -> Result<HashingSlot, Busy> {
        match tokio::time::timeout(self.wait, Arc::clone(&self.slots).acquire_owned()).await {
            Ok(Ok(permit)) => Ok(HashingSlot(permit)),
            // Err(_) inside: the semaphore is never closed; treat it like a timeout anyway.
            Ok(Err(_)) | Err(_) => Err(Busy(self.wait)),
        }
    }

    /// Slots free right now (for tests).
    pub fn free_slots(&self) -> usize {
        self.slots.available_permits()
    }
}

impl HashingSlot {
    /// [`verify`] on the blocking pool. The slot moves into the blocking task, so it stays taken until the hash is
    /// done even if the request is abandoned meanwhile.
    pub async fn verify(self, password: String, phc: String) -> Result<bool, PasswordError> {
        let HashingSlot(permit) = self;
        Ok(tokio::task::spawn_blocking(move || {
            let matches = verify(&password, &phc);
            drop(permit);
            matches
        })
        .await?)
    }
}

/// The hash of a random password nobody knows, to verify against when the phone number is unknown.
pub fn dummy_hash() -> Result<String, PasswordError> {
    let mut secret = [0_u8; 32];
    OsRng.fill_bytes(&mut secret);
    let secret: String = secret.iter().map(|byte| format!("{byte:02x}")).collect();
    hash(&secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_own_password_and_no_other() -> Result<(), PasswordError> {
        let phc = hash("zoufang2026")?;
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify("zoufang2026", &phc));
        assert!(!verify("zoufang2025", &phc));
        Ok(())
    }

    #[tokio::test]
    async fn a_busy_gate_turns_a_verification_away_after_its_wait() -> Result<(), PasswordError> {
        let phc = hash("zoufang2026")?;
        let gate = HashingGate::new(1, Duration::from_millis(50));
        let held = gate.acquire().await;
        assert!(held.is_ok());
        assert_eq!(gate.free_slots(), 0);
        assert!(gate.acquire().await.is_err(), "the only slot is held");
        drop(held);
        let slot = gate.acquire().await;
        assert!(slot.is_ok());
        if let Ok(slot) = slot {
            assert!(slot.verify("zoufang2026".into(), phc).await?);
        }
        assert_eq!(
            gate.free_slots(),
            1,
            "the slot is given back after the hash"
        );
        Ok(())
    }

    #[test]
    fn a_malformed_stored_hash_never_matches() {
        assert!(!verify("", "not a phc string"));
    }
}
