//! Who a login comes from: [`ClientAddress`], the extractor that says which address is throttled, and the keys of
//! the failure counters (`store::login_failures`, in the database so that every instance shares them).

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use sha2::{Digest, Sha256};

use crate::AppState;

/// The client's address as far as throttling is concerned: the TCP peer, or with `trust_forwarded_for` the last
/// `X-Forwarded-For` entry. IPv6 addresses are cut to their /64 (one household or phone gets a whole /64).
/// `None` when the server has no peer address (in-process tests); such requests are throttled per phone only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub Option<IpAddr>);

impl ClientAddress {
    /// The key of the address's failure counter (`login_client_failures.client_key`); `None` without an address.
    pub fn key(self) -> Option<String> {
        self.0.map(|address| address.to_string())
    }

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
    fn a_counter_key_is_the_throttled_address_and_none_without_one() {
        assert_eq!(ClientAddress(None).key(), None);
        assert_eq!(client("203.0.113.7").key().as_deref(), Some("203.0.113.7"));
        assert_eq!(
            client("2001:db8:1:2:aaaa::1").key().as_deref(),
            Some("2001:db8:1:2::")
        );
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
