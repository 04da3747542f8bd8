//! Login throttling by client address, in memory (the per-phone counters live in the database:
//! `store::login_failures`), and [`ClientAddress`], the extractor that says who the client is.
//!
//! An attempt is counted as a failure when it is claimed, before the password is checked, and forgiven when it
//! succeeds: so a burst of concurrent guesses cannot all slip in before the first failure is recorded.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use sha2::{Digest, Sha256};

use super::LoginSettings;
use crate::AppState;

/// The client's address as far as throttling is concerned: the TCP peer, or with `trust_forwarded_for` the last
/// `X-Forwarded-For` entry. IPv6 addresses are cut to their /64 (one household or phone gets a whole /64).
/// `None` when the server has no peer address (in-process tests); such requests are throttled per phone only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub Option<IpAddr>);

impl ClientAddress {
    fn from_parts(parts: &Parts, trust_forwarded_for: bool) -> ClientAddress {
        let forwarded = trust_forwarded_for
            .then(|| last_forwarded_for(parts))
            .flatten();
        let peer = || {
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(address)| address.ip())
        };
        ClientAddress(forwarded.or_else(peer).map(throttling_key))
    }
}

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress::from_parts(
            parts,
            state.settings.login.trust_forwarded_for,
        ))
    }
}

impl std::fmt::Display for ClientAddress {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(address) => address.fmt(formatter),
            None => formatter.write_str("unknown"),
        }
    }
}

/// The entry a reverse proxy appended: the last address of the last `X-Forwarded-For` header. Earlier entries were
/// written by the client and prove nothing.
fn last_forwarded_for(parts: &Parts) -> Option<IpAddr> {
    let header = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .next_back()?;
    let last = header.to_str().ok()?.rsplit(',').next()?.trim();
    last.parse::<IpAddr>()
        .ok()
        .or_else(|| last.parse::<SocketAddr>().ok().map(|address| address.ip()))
}

/// IPv4 as is (IPv4-mapped IPv6 too); IPv6 cut to its /64 prefix.
fn throttling_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let segments = v6.segments();
                IpAddr::V6(Ipv6Addr::new(
                    segments[0],
                    segments[1],
                    segments[2],
                    segments[3],
                    0,
                    0,
                    0,
                    0,
                ))
            }
        },
    }
}

/// The key of a phone number's failure counter (`login_failures.phone_hash`): hex SHA-256 of the number, so
/// numbers typed by strangers are not stored in clear.
pub fn phone_key(phone: &str) -> String {
    Sha256::digest(format!("zoufang-login:{}", phone.trim()).as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// How a phone number appears in the logs: the first 16 hex digits of [`phone_key`]. Enough to see that the same
/// number is being tried again; not the number. (Eleven digits can be found again by hashing every number, so this
/// keeps numbers out of plain sight, it does not make the logs anonymous.)
pub fn phone_pseudonym(phone: &str) -> String {
    let mut key = phone_key(phone);
    key.truncate(16);
    key
}

#[derive(Debug, Clone, Copy)]
struct Counter {
    failures: u32,
    last_failure: Instant,
    locked_until: Instant,
}

/// Failure counters per client address, at most `max_tracked_clients` of them.
#[derive(Debug, Default)]
pub struct ClientThrottle {
    counters: Mutex<HashMap<IpAddr, Counter>>,
}

impl ClientThrottle {
    /// How long the client must still wait, if it is locked. Changes nothing.
    pub fn locked_for(
        &self,
        client: ClientAddress,
        now: Instant,
        settings: &LoginSettings,
    ) -> Option<Duration> {
        let address = client.0?;
        let counters = self.counters.lock().unwrap_or_else(PoisonError::into_inner);
        let counter = counters.get(&address)?;
        if now.saturating_duration_since(counter.last_failure) >= settings.failure_memory {
            return None;
        }
        Some(counter.locked_until.saturating_duration_since(now)).filter(|wait| !wait.is_zero())
    }

    /// Counts an attempt as a failure (until [`ClientThrottle::forgive`]) unless the client is locked, in which case
    /// it returns how long to wait.
    pub fn claim(
        &self,
        client: ClientAddress,
        now: Instant,
        settings: &LoginSettings,
    ) -> Result<(), Duration> {
        let Some(address) = client.0 else {
            return Ok(());
        };
        let mut counters = self.counters.lock().unwrap_or_else(PoisonError::into_inner);
        if !counters.contains_key(&address) && counters.len() >= settings.max_tracked_clients {
            make_room(&mut counters, now, settings);
        }
        let counter = counters.entry(address).or_insert(Counter {
            failures: 0,
            last_failure: now,
            locked_until: now,
        });
        if now.saturating_duration_since(counter.last_failure) >= settings.failure_memory {
            counter.failures = 0;
        }
        let wait = counter.locked_until.saturating_duration_since(now);
        if !wait.is_zero() {
            return Err(wait);
        }
        counter.failures = counter.failures.saturating_add(1);
        counter.last_failure = now;
        counter.locked_until = later(now, settings.client_lockout(counter.failures));
        Ok(())
    }

    /// Takes back a claimed attempt that turned out not to be a failed guess.
    pub fn forgive(&self, client: ClientAddress, settings: &LoginSettings) {
        let Some(address) = client.0 else {
            return;
        };
        let mut counters = self.counters.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(counter) = counters.get_mut(&address) {
            counter.failures = counter.failures.saturating_sub(1);
            counter.locked_until = later(
                counter.last_failure,
                settings.client_lockout(counter.failures),
            );
        }
    }

    /// How many addresses are tracked (for tests of the cap).
    pub fn tracked(&self) -> usize {
        self.counters
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

/// `instant + wait`, or `instant` in the (theoretical) case the clock cannot represent it.
fn later(instant: Instant, wait: Duration) -> Instant {
    instant.checked_add(wait).unwrap_or(instant)
}

/// Drops the counters that have forgotten their failures; if all are still live, the one idle longest.
fn make_room(counters: &mut HashMap<IpAddr, Counter>, now: Instant, settings: &LoginSettings) {
    counters.retain(|_, counter| {
        now.saturating_duration_since(counter.last_failure) < settings.failure_memory
            || counter.locked_until > now
    });
    if counters.len() >= settings.max_tracked_clients
        && let Some(oldest) = counters
            .iter()
            .min_by_key(|(_, counter)| counter.last_failure)
            .map(|(address, _)| *address)
    {
        counters.remove(&oldest);
    }
}

#[cfg(test)]
mod tests {
    use axum::http::Request;

    use super::*;

    fn client(text: &str) -> ClientAddress {
        ClientAddress(Some(throttling_key(
            text.parse().unwrap_or_else(|e| panic!("{text}: {e}")),
        )))
    }

    fn parts(forwarded: &[&str], peer: Option<&str>) -> Parts {
        let mut builder = Request::get("/api/login");
        for value in forwarded {
            builder = builder.header("x-forwarded-for", *value);
        }
        let (mut parts, ()) = builder
            .body(())
            .unwrap_or_else(|e| panic!("{e}"))
            .into_parts();
        if let Some(peer) = peer {
            let address: SocketAddr = peer.parse().unwrap_or_else(|e| panic!("{e}"));
            parts.extensions.insert(ConnectInfo(address));
        }
        parts
    }

    #[test]
    fn twenty_free_failures_then_the_address_is_locked_and_a_success_is_forgiven() {
        let settings = LoginSettings::default();
        let throttle = ClientThrottle::default();
        let start = Instant::now();
        let address = client("203.0.113.7");
        for _ in 0..19 {
            assert_eq!(throttle.claim(address, start, &settings), Ok(()));
        }
        assert_eq!(throttle.locked_for(address, start, &settings), None);
        // The 20th attempt is a success: forgiven, so the address is still free.
        assert_eq!(throttle.claim(address, start, &settings), Ok(()));
        throttle.forgive(address, &settings);
        assert_eq!(throttle.locked_for(address, start, &settings), None);
        // The 20th failure locks it for a second; other addresses are unaffected.
        assert_eq!(throttle.claim(address, start, &settings), Ok(()));
        assert_eq!(
            throttle.claim(address, start, &settings),
            Err(Duration::from_secs(1))
        );
        assert_eq!(
            throttle.locked_for(address, start, &settings),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            throttle.claim(client("203.0.113.8"), start, &settings),
            Ok(())
        );
        // A second later it may try once more; that failure locks it for two seconds.
        let later = start + Duration::from_secs(1);
        assert_eq!(throttle.claim(address, later, &settings), Ok(()));
        assert_eq!(
            throttle.claim(address, later, &settings),
            Err(Duration::from_secs(2))
        );
        // A day without failures and it starts from zero.
        let next_day = later + settings.failure_memory;
        assert_eq!(throttle.locked_for(address, next_day, &settings), None);
        assert_eq!(throttle.claim(address, next_day, &settings), Ok(()));
        assert_eq!(throttle.claim(address, next_day, &settings), Ok(()));
    }

    #[test]
    fn the_number_of_tracked_addresses_is_capped() {
        let settings = LoginSettings {
            max_tracked_clients: 100,
            ..LoginSettings::default()
        };
        let throttle = ClientThrottle::default();
        let now = Instant::now();
        for n in 0..1000_u32 {
            let address = ClientAddress(Some(IpAddr::from(n.to_be_bytes())));
            assert_eq!(throttle.claim(address, now, &settings), Ok(()));
        }
        assert_eq!(throttle.tracked(), 100);
    }

    #[test]
    fn without_a_peer_address_nothing_is_counted() {
        let settings = LoginSettings::default();
        let throttle = ClientThrottle::default();
        let now = Instant::now();
        for _ in 0..100 {
            assert_eq!(throttle.claim(ClientAddress(None), now, &settings), Ok(()));
        }
        assert_eq!(throttle.tracked(), 0);
    }

    #[test]
    fn the_phone_key_is_a_hash_and_the_pseudonym_its_prefix() {
        let key = phone_key(" 13800000001 ");
        assert_eq!(key, phone_key("13800000001"));
        assert_eq!(key.len(), 64);
        assert!(!key.contains("13800000001"));
        assert_ne!(key, phone_key("13800000002"));
        assert_eq!(phone_pseudonym("13800000001"), key[..16]);
    }

    #[test]
    fn ipv6_clients_are_counted_per_64_prefix() {
        assert_eq!(
            client("2001:db8:1:2:aaaa::1"),
            client("2001:db8:1:2:bbbb::2")
        );
        assert_ne!(client("2001:db8:1:2::1"), client("2001:db8:1:3::1"));
        assert_eq!(client("::ffff:203.0.113.7"), client("203.0.113.7"));
    }

    #[test]
    fn forwarded_for_is_read_only_when_trusted_and_only_its_last_entry() {
        let request = parts(&["198.51.100.1, 203.0.113.9"], Some("127.0.0.1:5000"));
        assert_eq!(
            ClientAddress::from_parts(&request, false),
            client("127.0.0.1")
        );
        assert_eq!(
            ClientAddress::from_parts(&request, true),
            client("203.0.113.9")
        );
        let two_headers = parts(&["198.51.100.1", "203.0.113.10"], None);
        assert_eq!(
            ClientAddress::from_parts(&two_headers, true),
            client("203.0.113.10")
        );
        let garbage = parts(&["not an address"], Some("192.0.2.4:80"));
        assert_eq!(
            ClientAddress::from_parts(&garbage, true),
            client("192.0.2.4")
        );
        assert_eq!(ClientAddress::from_parts(&parts(&[], None), true).0, None);
    }
}
