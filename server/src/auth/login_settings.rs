//! [`LoginSettings`]: every tunable number of logging in (throttling, the hashing gate, sessions) in one place,
//! with production defaults.

use std::time::Duration;

/// How logins are throttled and hashed, and how many sessions an account keeps.
///
/// Throttling: each phone number, and each client address, has a failure counter. The first
/// `free_failures_*` failures cost nothing; from then on every failure locks the number (or the address) for
/// `first_lockout`, doubling with each further failure up to `max_lockout`. A locked login is answered 429 with
/// `Retry-After` and no password is checked. A successful login resets the phone's counter. A counter with no
/// failure for `failure_memory` starts again from zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginSettings {
    /// Failed logins for one phone number before it is locked.
    pub free_failures_per_phone: u32,
    /// Failed logins from one client address (all phone numbers together) before the address is locked. Higher than
    /// per phone: a village office may put several helpers behind one address.
    pub free_failures_per_client: u32,
    /// The first lockout; each further failure doubles it.
    pub first_lockout: Duration,
    /// The longest lockout.
    pub max_lockout: Duration,
    /// How long a counter remembers failures; after this long without one it starts from zero and may be dropped.
    pub failure_memory: Duration,
    /// The most phone numbers whose failures are kept in the database; the oldest are forgotten first.
    pub max_tracked_phones: u32,
    /// The most client addresses whose failures are kept in the database; the oldest are forgotten first.
    pub max_tracked_clients: usize,
    /// How many password hashes run at once. argon2id takes 19 MiB and one core for tens of milliseconds, so more
    /// than the number of cores only adds memory.
    pub hashing_concurrency: usize,
    /// How long a login waits for a hashing slot before it is answered 503 with `Retry-After`.
    pub hashing_wait: Duration,
    /// Sessions kept per account; a login beyond this drops the account's oldest session.
    pub max_sessions_per_user: u32,
    /// Take the client address from the last `X-Forwarded-For` entry instead of the TCP peer. Only behind a reverse
    /// proxy that appends the address it saw: otherwise clients choose their own address and escape the throttle.
    pub trust_forwarded_for: bool,
}

impl Default for LoginSettings {
    fn default() -> Self {
        LoginSettings {
            free_failures_per_phone: 5,
            free_failures_per_client: 20,
            first_lockout: Duration::from_secs(1),
            max_lockout: Duration::from_secs(15 * 60),
            failure_memory: Duration::from_secs(24 * 60 * 60),
            max_tracked_phones: 100_000,
            max_tracked_clients: 10_000,
            hashing_concurrency: std::thread::available_parallelism().map_or(1, usize::from),
            hashing_wait: Duration::from_secs(2),
            max_sessions_per_user: 5,
            trust_forwarded_for: false,
        }
    }
}

impl LoginSettings {
    /// How long a phone number is locked after its `failures`-th failure in a row.
    pub fn phone_lockout(&self, failures: u32) -> Duration {
        self.lockout(failures, self.free_failures_per_phone)
    }

    /// How long a client address is locked after its `failures`-th failure in a row.
    pub fn client_lockout(&self, failures: u32) -> Duration {
        self.lockout(failures, self.free_failures_per_client)
    }

    /// Nothing before `free` failures; then `first_lockout` at the `free`-th, doubling each time, at most
    /// `max_lockout`.
    fn lockout(&self, failures: u32, free: u32) -> Duration {
        if failures < free {
            return Duration::ZERO;
        }
        let doublings = failures - free;
        let factor = 1_u32.checked_shl(doublings).unwrap_or(u32::MAX);
        self.first_lockout
            .checked_mul(factor)
            .unwrap_or(self.max_lockout)
            .min(self.max_lockout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_are_free_then_the_lockout_doubles_from_one_second_to_fifteen_minutes() {
        let settings = LoginSettings::default();
        let lockouts: Vec<u64> = (1..=17)
            .map(|failures| settings.phone_lockout(failures).as_secs())
            .collect();
        assert_eq!(
            lockouts,
            [
                0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900
            ]
        );
        assert_eq!(settings.phone_lockout(u32::MAX).as_secs(), 900);
    }

    #[test]
    fn a_client_address_gets_twenty_free_failures() {
        let settings = LoginSettings::default();
        assert_eq!(settings.client_lockout(19), Duration::ZERO);
        assert_eq!(settings.client_lockout(20), Duration::from_secs(1));
        assert_eq!(settings.client_lockout(21), Duration::from_secs(2));
    }

    #[test]
    fn hashing_runs_on_at_least_one_core() {
        assert!(LoginSettings::default().hashing_concurrency >= 1);
    }
}
