//! Which network addresses `carta check --external` may connect to: the public internet only.
//!
//! A charter is written by many hands and checked in CI, often inside a network with services
//! that answer only from within it. A link to `http://10.0.0.5/admin` or to a name that resolves
//! to the machine itself would make the check a way to reach them (server-side request forgery),
//! so every address a host name resolves to is held against the special-purpose ranges of the
//! IANA registries (RFC 6890 and its updates) before anything is sent.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why an address is not on the public internet, in words for the report; `None` for a public one.
pub(crate) fn special_purpose(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => special_v4(v4),
        IpAddr::V6(v6) => special_v6(v6),
    }
}

fn special_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    let reason = match (a, b, c) {
        (0, _, _) => "non specificato (0.0.0.0/8)",
        (127, _, _) => "di loopback (questa stessa macchina)",
        (10, _, _) => "di una rete privata (10.0.0.0/8)",
        (172, 16..=31, _) => "di una rete privata (172.16.0.0/12)",
        (192, 168, _) => "di una rete privata (192.168.0.0/16)",
        (169, 254, _) => "link-local (169.254.0.0/16)",
        (100, 64..=127, _) => "della rete condivisa di un operatore (CGNAT, 100.64.0.0/10)",
        (192, 0, 0) => "riservato ai protocolli IETF (192.0.0.0/24)",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "riservato alla documentazione",
        (198, 18..=19, _) => "riservato alle prove di rete (198.18.0.0/15)",
        (224..=239, _, _) => "multicast",
        (255, 255, 255) if ip.is_broadcast() => "di broadcast",
        (240..=255, _, _) => "riservato (240.0.0.0/4)",
        _ => return None,
    };
    Some(reason)
}

fn special_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let segments = ip.segments();
    if ip.is_unspecified() {
        return Some("non specificato (::)");
    }
    if ip.is_loopback() {
        return Some("di loopback (questa stessa macchina)");
    }
    // An IPv6 address that carries an IPv4 one reaches that IPv4 host: refused whatever it holds,
    // since the embedded address is the one the network uses.
    if ip.to_ipv4_mapped().is_some() {
        return Some("IPv4 in forma IPv6 (::ffff:0:0/96)");
    }
    let reason = match segments[0] {
        0 if segments[1..6] == [0; 5] => "IPv4 compatibile (::/96, deprecato)",
        0x64 if segments[1] == 0xff9b => "di traduzione NAT64 (64:ff9b::/96)",
        0x100 if segments[1..4] == [0; 3] => "da scartare (100::/64)",
        0x2001 if segments[1] == 0x0db8 => "riservato alla documentazione (2001:db8::/32)",
        0x2001 if segments[1] < 0x200 => "riservato ai protocolli IETF (2001::/23)",
        0x2002 => "di un tunnel 6to4 (2002::/16)",
        first if first & 0xfe00 == 0xfc00 => "di una rete privata (unique local, fc00::/7)",
        first if first & 0xffc0 == 0xfe80 => "link-local (fe80::/10)",
        first if first & 0xffc0 == 0xfec0 => "site-local (fec0::/10, deprecato)",
        first if first & 0xff00 == 0xff00 => "multicast",
        _ => return None,
    };
    Some(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_purpose_ranges_are_named_and_public_addresses_pass() {
        for refused in [
            "0.0.0.0",
            "127.0.0.1",
            "127.255.0.9",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "198.18.0.1",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:8.8.8.8",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "2001:db8::1",
            "2002:a00:1::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
        ] {
            let ip: IpAddr = refused.parse().unwrap();
            assert!(special_purpose(ip).is_some(), "{refused} is refused");
        }
        for public in [
            "8.8.8.8",
            "151.101.1.1",
            "172.15.255.255",
            "172.32.0.1",
            "100.63.255.255",
            "100.128.0.1",
            "192.169.0.1",
            "2a00:1450:4002::1",
            "2001:4860::8888",
        ] {
            let ip: IpAddr = public.parse().unwrap();
            assert_eq!(special_purpose(ip), None, "{public} is public");
        }
    }
}
