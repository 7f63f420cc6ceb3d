//! Device binding: the short codes a second device shows for approval, and a
//! human description of a browser from its User-Agent, so the learner approving
//! on their phone can tell which device is asking.

use rand::Rng;

/// Letters and digits that cannot be mistaken for each other when read aloud or
/// typed from a screen (no 0/O, 1/I/L).
const SHORT_CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const SHORT_CODE_LEN: usize = 8;

/// A fresh approval code such as `K7QM-3XPA` (40 bits). It is only useful to
/// someone already signed in on the bound phone, and it expires in minutes.
pub fn short_code(rng: &mut impl Rng) -> String {
    let mut code = String::with_capacity(SHORT_CODE_LEN + 1);
    for i in 0..SHORT_CODE_LEN {
        if i == SHORT_CODE_LEN / 2 {
            code.push('-');
        }
        let index = rng.random_range(0..SHORT_CODE_ALPHABET.len());
        code.push(char::from(SHORT_CODE_ALPHABET[index]));
    }
    code
}

/// A one-time activation code handed over by an administrator: 12 characters
/// of the same alphabet (~60 bits), with guessing throttled like passwords.
pub fn activation_code(rng: &mut impl Rng) -> String {
    (0..12)
        .map(|_| char::from(SHORT_CODE_ALPHABET[rng.random_range(0..SHORT_CODE_ALPHABET.len())]))
        .collect()
}

/// The canonical form of a typed code: upper case, separators and spaces
/// dropped, look-alikes mapped (O→0 is not in the alphabet, so O→Q is not
/// guessed; only case and separators are forgiven). `None` if it cannot be one.
pub fn normalize_short_code(input: &str) -> Option<String> {
    let compact: String = input
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '－' | '\u{3000}'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let valid = compact.len() == SHORT_CODE_LEN
        && compact.bytes().all(|b| SHORT_CODE_ALPHABET.contains(&b));
    valid.then(|| format!("{}-{}", &compact[..4], &compact[4..]))
}

/// A six-digit SMS verification code.
pub fn sms_code(rng: &mut impl Rng) -> String {
    format!("{:06}", rng.random_range(0..1_000_000u32))
}

/// "微信 · Android" and the like, from a User-Agent header, in Chinese.
pub fn describe_user_agent(user_agent: &str) -> String {
    let ua = user_agent.to_ascii_lowercase();
    let app = if ua.contains("micromessenger") {
        "微信"
    } else if ua.contains("edg/") {
        "Edge"
    } else if ua.contains("firefox/") {
        "Firefox"
    } else if ua.contains("chrome/") || ua.contains("chromium/") {
        "Chrome"
    } else if ua.contains("safari/") {
        "Safari"
    } else {
        "浏览器"
    };
    let system = if ua.contains("iphone") {
        "iPhone"
    } else if ua.contains("ipad") {
        "iPad"
    } else if ua.contains("android") {
        if ua.contains("mobile") {
            "Android 手机"
        } else {
            "Android 平板"
        }
    } else if ua.contains("windows") {
        "Windows 电脑"
    } else if ua.contains("mac os x") || ua.contains("macintosh") {
        "Mac 电脑"
    } else if ua.contains("linux") {
        "Linux 电脑"
    } else {
        "未知设备"
    };
    format!("{app} · {system}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn codes_are_readable_and_normalize_back() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..200 {
            let code = short_code(&mut rng);
            assert_eq!(code.len(), SHORT_CODE_LEN + 1);
            assert_eq!(normalize_short_code(&code).as_deref(), Some(code.as_str()));
            let typed = code.replace('-', " ").to_lowercase();
            assert_eq!(normalize_short_code(&typed).as_deref(), Some(code.as_str()));
        }
        assert_eq!(
            normalize_short_code("O0O0-1111"),
            None,
            "look-alikes are not in the alphabet"
        );
        assert_eq!(normalize_short_code("ABCD"), None);
    }

    #[test]
    fn activation_codes_are_twelve_readable_characters() {
        let mut rng = StdRng::seed_from_u64(3);
        let code = activation_code(&mut rng);
        assert_eq!(code.len(), 12);
        assert!(code.bytes().all(|b| SHORT_CODE_ALPHABET.contains(&b)));
        assert_ne!(code, activation_code(&mut rng));
    }

    #[test]
    fn sms_codes_are_six_digits() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..100 {
            let code = sms_code(&mut rng);
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn user_agents_are_described() {
        let wechat = "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47";
        assert_eq!(describe_user_agent(wechat), "微信 · Android 手机");
        let pc = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
        assert_eq!(describe_user_agent(pc), "Chrome · Windows 电脑");
        assert_eq!(describe_user_agent(""), "浏览器 · 未知设备");
    }

    proptest! {
        #[test]
        fn normalizing_never_panics_and_is_idempotent(input in ".{0,20}") {
            if let Some(code) = normalize_short_code(&input) {
                prop_assert_eq!(normalize_short_code(&code), Some(code.clone()));
            }
        }
    }
}
