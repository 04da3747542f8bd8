//! Password hashing with argon2id (the argon2 crate's default parameters: m=19 MiB, t=2, p=1) in PHC strings.
//!
//! Hashing and verifying are deliberately slow; async callers use the `*_in_background` versions, which run on
//! tokio's blocking pool so they never stall the request threads. Logins verify through the
//! [`HashingGate`](super::hashing_gate::HashingGate) instead, which bounds how many run at once.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{
    self, Output, PasswordHash, PasswordHasher, PasswordVerifier, Salt, SaltString,
};
use argon2::{Algorithm, Argon2, Block, Params, Version};

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("argon2: {0}")]
    Hash(argon2::password_hash::Error),
    #[error("the hashing task stopped: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("could not start a password hashing thread: {0}")]
    Thread(std::io::Error),
    #[error("the password hashing threads have stopped")]
    WorkersGone,
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

/// [`verify`] with the caller's argon2 working memory, grown to the hash's size the first time and reused after:
/// a thread that verifies many passwords allocates its 19 MiB once instead of at every call (see
/// `hashing_gate`). The result is the same as [`verify`]'s.
pub fn verify_with_memory(password: &str, phc: &str, memory: &mut Vec<Block>) -> bool {
    match verify_reusing(password, phc, memory) {
        Ok(matches) => matches,
        Err(password_hash::Error::Password) => false,
        Err(error) => {
            tracing::error!(%error, "a stored password hash cannot be verified");
            false
        }
    }
}

/// What `PasswordVerifier::verify_password` does for argon2, with the memory given.
fn verify_reusing(
    password: &str,
    phc: &str,
    memory: &mut Vec<Block>,
) -> Result<bool, password_hash::Error> {
    let parsed = PasswordHash::new(phc)?;
    let expected = parsed.hash.ok_or(password_hash::Error::PhcStringField)?;
    let algorithm = Algorithm::try_from(parsed.algorithm)?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()?
        .unwrap_or_default();
    let params = Params::try_from(&parsed)?;
    let mut salt_bytes = [0_u8; Salt::MAX_LENGTH];
    let salt = parsed
        .salt
        .ok_or(password_hash::Error::PhcStringField)?
        .decode_b64(&mut salt_bytes)?;
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let mut output = [0_u8; Output::MAX_LENGTH];
    let output = output
        .get_mut(..expected.len())
        .ok_or(password_hash::Error::OutputSize {
            provided: std::cmp::Ordering::Greater,
            expected: Output::MAX_LENGTH,
        })?;
    Argon2::new(algorithm, version, params).hash_password_into_with_memory(
        password.as_bytes(),
        salt,
        output,
        &mut memory[..blocks],
    )?;
    // `Output`'s equality is constant-time.
    Ok(Output::new(output)? == expected)
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
    fn verifying_with_reused_memory_agrees_with_verify_and_allocates_once()
    -> Result<(), PasswordError> {
        let phc = hash("zoufang2026")?;
        let other = hash("另一个密码 2026")?;
        let mut memory = Vec::new();
        assert!(verify_with_memory("zoufang2026", &phc, &mut memory));
        let blocks = memory.len();
        assert_eq!(
            blocks,
            Params::DEFAULT_M_COST as usize,
            "19 MiB of 1 KiB blocks"
        );
        assert!(!verify_with_memory("zoufang2025", &phc, &mut memory));
        assert!(verify_with_memory("另一个密码 2026", &other, &mut memory));
        assert!(!verify_with_memory("zoufang2026", &other, &mut memory));
        assert!(!verify_with_memory("", "not a phc string", &mut memory));
        assert_eq!(memory.len(), blocks, "the same memory, reused");
        Ok(())
    }

    #[test]
    fn a_malformed_stored_hash_never_matches() {
        assert!(!verify("", "not a phc string"));
    }
}
