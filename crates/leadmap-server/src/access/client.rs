//! The client's address: the TCP peer, or, when the peer is a trusted proxy, the address that
//! proxy reports in `X-Forwarded-For` (the right-most entry that is not itself a trusted proxy).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use super::state::AppState;
use crate::web::error::AppError;

/// The address a request comes from, for the sign-in throttle and the logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    pub fn resolve(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> ClientAddr {
        if !trusted.contains(&peer) {
            return ClientAddr(peer);
        }
        let hops = forwarded_for
            .unwrap_or_default()
            .split(',')
            .rev()
            .filter_map(|h| h.trim().parse::<IpAddr>().ok());
        for hop in hops {
            if !trusted.contains(&hop) {
                return ClientAddr(hop);
            }
        }
        ClientAddr(peer)
    }
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        let xff = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        Ok(ClientAddr::resolve(
            peer,
            Some(&xff),
            &state.config().trusted_proxies,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let client: IpAddr = "203.0.113.9".parse().unwrap();
        let forged = Some("198.51.100.7, 203.0.113.9");
        // No trusted proxy: the peer, whatever the header says.
        assert_eq!(ClientAddr::resolve(client, forged, &[]).0, client);
        // The trusted proxy appended the client it saw: the right-most hop.
        assert_eq!(ClientAddr::resolve(proxy, forged, &[proxy]).0, client);
        // A peer that is not the trusted proxy cannot pick its address.
        assert_eq!(
            ClientAddr::resolve(client, Some("192.0.2.1"), &[proxy]).0,
            client
        );
        assert_eq!(ClientAddr::resolve(proxy, None, &[proxy]).0, proxy);
    }
}
