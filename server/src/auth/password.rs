//! Password hashing with argon2id (the argon2 crate's default parameters: m=19 MiB, t=2, p=1) in PHC strings.
//!
//! Hashing and verifying are deliberately slow; async callers use the `*_in_background` versions, which run on
//! tokio's blocking pool so they never stall the request threads.

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

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

    #[test]
    fn a_malformed_stored_hash_never_matches() {
        assert!(!verify("", "not a phc string"));
    }
}
