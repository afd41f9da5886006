//! `hexBinary` and `base64Binary`: lexical forms to octets.

/// Decodes `hexBinary`: an even number of hexadecimal digits, nothing else.
pub(crate) fn hex(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if b.len() % 2 != 0 {
        return None;
    }
    b.chunks(2)
        .map(|p| Some((hex_digit(p[0])? << 4) | hex_digit(p[1])?))
        .collect()
}

fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn b64_value(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Decodes `base64Binary` (XML Schema 1.0, 2nd edition, §3.2.16): groups of four base64
/// characters with single spaces allowed anywhere (the value is already whitespace-collapsed),
/// `=` padding only at the end, and the bits that padding discards equal to zero.
pub(crate) fn base64(s: &str) -> Option<Vec<u8>> {
    let chars: Vec<u8> = s.bytes().filter(|&b| b != b' ').collect();
    if chars.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(chars.len() / 4 * 3);
    let groups = chars.len() / 4;
    for (i, g) in chars.chunks(4).enumerate() {
        let last = i + 1 == groups;
        let pad = g.iter().rev().take_while(|&&b| b == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut v = [0u8; 4];
        for (j, &b) in g[..4 - pad].iter().enumerate() {
            v[j] = b64_value(b)?;
        }
        let n = (u32::from(v[0]) << 18)
            | (u32::from(v[1]) << 12)
            | (u32::from(v[2]) << 6)
            | u32::from(v[3]);
        match pad {
            0 => out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]),
            1 => {
                if v[2] & 0b11 != 0 {
                    return None;
                }
                out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8]);
            }
            _ => {
                if v[1] & 0b1111 != 0 {
                    return None;
                }
                out.push((n >> 16) as u8);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_cases() {
        assert_eq!(hex("0aFF"), Some(vec![0x0a, 0xff]));
        assert_eq!(hex(""), Some(vec![]));
        assert!(hex("0").is_none() && hex("0G").is_none() && hex("00 00").is_none());
    }

    #[test]
    fn base64_cases() {
        assert_eq!(base64("AAAA"), Some(vec![0, 0, 0]));
        assert_eq!(base64("BA=="), Some(vec![4]));
        assert_eq!(base64("AA= ="), Some(vec![0]));
        assert_eq!(base64(""), Some(vec![]));
        assert_eq!(base64("d e a d b eef"), base64("deadbeef"));
        for bad in [
            "====", "BB==", "BBB=", "B===", "B", "AA=", "AAAA====", "=AAA", "AA==AAAA", "AAAAA",
            "*AAA",
        ] {
            assert!(base64(bad).is_none(), "{bad}");
        }
    }
}
