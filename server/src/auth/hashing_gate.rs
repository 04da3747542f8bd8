//! [`HashingGate`]: argon2 verifications for logins, at most one per core at a time, on a fixed set of threads.
//!
//! Each argon2id verification takes 19 MiB. Without a bound, a flood of concurrent logins allocates 19 MiB per
//! request (the review measured 5.2 GB for 128 of them). The gate has as many slots as there are hashing threads;
//! a login waits for a slot at most `hashing_wait`, then is turned away (503), and waiting costs a small future.
//!
//! The threads are the gate's own rather than tokio's blocking pool, and each keeps its argon2 working memory from
//! one verification to the next. Allocating 19 MiB per verification let glibc's malloc keep freed blocks in one
//! arena per thread, several per arena: with the blocking pool (which starts threads as it pleases) a flood of 128
//! concurrent logins left about 470 MiB resident on two cores, with two fixed threads still about 220 MiB. Now
//! it is one block per hashing thread, allocated at its first login and kept.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

use argon2::Block;

use super::password::{PasswordError, verify_with_memory};

/// No hashing slot came free within the wait: the server is busy.
#[derive(Debug, thiserror::Error)]
#[error("every password hashing slot stayed busy for {0:?}")]
pub struct Busy(pub Duration);

/// A verification to run; it is given the thread's argon2 working memory.
type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

/// A semaphore in front of a fixed set of hashing threads.
#[derive(Debug)]
pub struct HashingGate {
    slots: Arc<Semaphore>,
    wait: Duration,
    /// Dropping the gate drops the sender, and the threads end.
    jobs: Sender<Job>,
}

/// A held hashing slot: one verification may run.
#[derive(Debug)]
pub struct HashingSlot {
    permit: OwnedSemaphorePermit,
    jobs: Sender<Job>,
}

impl HashingGate {
    /// Starts `threads` hashing threads (at least 1) and as many slots.
    pub fn new(threads: usize, wait: Duration) -> Result<HashingGate, PasswordError> {
        let threads = threads.max(1);
        let (jobs, receiver) = channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        for index in 0..threads {
            let receiver = Arc::clone(&receiver);
            std::thread::Builder::new()
                .name(format!("argon2-{index}"))
                .spawn(move || run_jobs(&receiver))
                .map_err(PasswordError::Thread)?;
        }
        Ok(HashingGate {
            slots: Arc::new(Semaphore::new(threads)),
            wait,
            jobs,
        })
    }

    /// Waits for a free slot, at most the gate's wait.
    pub async fn acquire(&self) -> Result<HashingSlot, Busy> {
        match tokio::time::timeout(self.wait, Arc::clone(&self.slots).acquire_owned()).await {
            Ok(Ok(permit)) => Ok(HashingSlot {
                permit,
                jobs: self.jobs.clone(),
            }),
            // Ok(Err(_)): the semaphore is never closed; treated like a timeout all the same.
            Ok(Err(_)) | Err(_) => Err(Busy(self.wait)),
        }
    }

    /// Slots free right now (for tests).
    pub fn free_slots(&self) -> usize {
        self.slots.available_permits()
    }
}

/// One hashing thread: runs jobs until the gate is dropped.
fn run_jobs(receiver: &Mutex<Receiver<Job>>) {
    let mut memory = Vec::new();
    loop {
        let job = receiver
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .recv();
        match job {
            // A panicking job (none is expected) must not take the thread with it.
            Ok(job) => {
                if catch_unwind(AssertUnwindSafe(|| job(&mut memory))).is_err() {
                    tracing::error!("a password hashing job panicked");
                }
            }
            Err(_) => return,
        }
    }
}

impl HashingSlot {
    /// [`verify`] on a hashing thread. The slot moves into the job, so it stays taken until the hash is done even
    /// if the request is abandoned meanwhile.
    pub async fn verify(self, password: String, phc: String) -> Result<bool, PasswordError> {
        let HashingSlot { permit, jobs } = self;
        let (answer, answered) = oneshot::channel();
        jobs.send(Box::new(move |memory: &mut Vec<Block>| {
            let matches = verify_with_memory(&password, &phc, memory);
            drop(permit);
            // The request may have gone; then nobody needs the answer.
            let _ = answer.send(matches);
        }))
        .map_err(|_| PasswordError::WorkersGone)?;
        answered.await.map_err(|_| PasswordError::WorkersGone)
    }
}

#[cfg(test)]
mod tests {
    use super::super::password::hash;
    use super::*;

    #[tokio::test]
    async fn a_busy_gate_turns_a_verification_away_after_its_wait() -> Result<(), PasswordError> {
        let phc = hash("zoufang2026")?;
        let gate = HashingGate::new(1, Duration::from_millis(50))?;
        let held = gate.acquire().await;
        assert!(held.is_ok());
        assert_eq!(gate.free_slots(), 0);
        assert!(gate.acquire().await.is_err(), "the only slot is held");
        drop(held);
        let slot = gate.acquire().await;
        assert!(slot.is_ok());
        if let Ok(slot) = slot {
            assert!(slot.verify("zoufang2026".into(), phc.clone()).await?);
        }
        assert_eq!(
            gate.free_slots(),
            1,
            "the slot is given back after the hash"
        );
        if let Ok(slot) = gate.acquire().await {
            assert!(!slot.verify("zoufang2025".into(), phc).await?);
        }
        Ok(())
    }

    #[tokio::test]
    async fn verifications_run_on_the_gates_own_threads() -> Result<(), PasswordError> {
        let phc = hash("zoufang2026")?;
        let gate = HashingGate::new(2, Duration::from_secs(5))?;
        let names = std::sync::Arc::new(Mutex::new(std::collections::BTreeSet::new()));
        for _ in 0..6 {
            let slot = gate.acquire().await;
            assert!(slot.is_ok());
            if let Ok(slot) = slot {
                let names = Arc::clone(&names);
                slot.jobs
                    .send(Box::new(move |_: &mut Vec<Block>| {
                        let name = std::thread::current().name().map(str::to_owned);
                        names
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .insert(name);
                    }))
                    .map_err(|_| PasswordError::WorkersGone)?;
                drop(slot.permit);
            }
        }
        assert!(gate.acquire().await.is_ok());
        if let Ok(slot) = gate.acquire().await {
            assert!(slot.verify("zoufang2026".into(), phc).await?);
        }
        let names = names.lock().unwrap_or_else(PoisonError::into_inner).clone();
        assert!(!names.is_empty() && names.len() <= 2, "{names:?}");
        assert!(
            names.iter().all(|name| name
                .as_deref()
                .is_some_and(|name| name.starts_with("argon2-"))),
            "{names:?}"
        );
        Ok(())
    }
}
