//! Facts about the current request that server functions need.

use std::net::IpAddr;

/// Whether to believe `X-Forwarded-For`: only when the academy runs behind a
/// reverse proxy that sets it. Otherwise anyone could claim any address.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProxyPolicy {
    pub trust_forwarded_for: bool,
}

/// The client's address: the connection's peer, or behind a trusted proxy the
/// address that proxy appended (the right-most entry of `X-Forwarded-For`;
/// entries to its left were written by the client and prove nothing).
pub fn client_address() -> String {
    use leptos::prelude::use_context;
    let Some(parts) = use_context::<http::request::Parts>() else {
        return "unknown".to_owned();
    };
    let trusted = use_context::<ProxyPolicy>()
        .unwrap_or_default()
        .trust_forwarded_for;
    let forwarded = trusted
        .then(|| parts.headers.get("x-forwarded-for")?.to_str().ok())
        .flatten()
        .and_then(proxy_appended_address);
    let peer = || {
        parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip())
    };
    forwarded
        .or_else(peer)
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// Whether this is a page being rendered for a GET (server functions called
/// while rendering run inside it). Such a request must change nothing: link
/// previews, prefetchers and crawlers fetch pages too. What a page's visit
/// should write is sent by the page itself, by POST, once it runs.
pub fn is_page_get() -> bool {
    leptos::prelude::use_context::<http::request::Parts>()
        .is_some_and(|parts| parts.method == http::Method::GET)
}

/// The right-most valid address of an `X-Forwarded-For` header.
pub fn proxy_appended_address(header: &str) -> Option<IpAddr> {
    header
        .rsplit(',')
        .next()
        .and_then(|last| last.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proxys_own_entry_wins_over_what_the_client_wrote() {
        assert_eq!(
            proxy_appended_address("1.2.3.4, 203.0.113.7"),
            Some("203.0.113.7".parse().unwrap())
        );
        assert_eq!(
            proxy_appended_address("2001:db8::1"),
            Some("2001:db8::1".parse().unwrap())
        );
        assert_eq!(proxy_appended_address("1.2.3.4, not-an-ip"), None);
        assert_eq!(proxy_appended_address(""), None);
    }
}
