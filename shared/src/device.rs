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

/// What a device key is asked to prove: signing in, or starting an exam.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofPurpose {
    SignIn,
    /// Opening a study stream: only the bound phone earns study credit.
    Study,
    ExamStart,
}

impl ProofPurpose {
    pub const fn as_str(self) -> &'static str {
        match self {
            ProofPurpose::SignIn => "sign-in",
            ProofPurpose::Study => "study",
            ProofPurpose::ExamStart => "exam-start",
        }
    }
}

/// The bytes a device key signs: the purpose and the server's one-time
/// challenge, so a signature made for one purpose or one challenge proves
/// nothing else.
pub fn proof_message(purpose: ProofPurpose, nonce: &str) -> String {
    format!("academy-device-proof:{}:{nonce}", purpose.as_str())
}

/// A device's proof as it travels: the challenge, the public key (the
/// uncompressed P-256 point, 65 bytes) and the signature (r ‖ s, 64 bytes),
/// hex-encoded and joined with dots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceProof {
    pub nonce: String,
    pub public_key: String,
    pub signature: String,
}

impl DeviceProof {
    pub fn encode(&self) -> String {
        format!("{}.{}.{}", self.nonce, self.public_key, self.signature)
    }

    /// Reads [`DeviceProof::encode`]'s form; `None` for anything else (wrong
    /// parts, not hex, wrong lengths).
    pub fn decode(text: &str) -> Option<DeviceProof> {
        let mut parts = text.trim().split('.');
        let (nonce, public_key, signature) = (parts.next()?, parts.next()?, parts.next()?);
        let hex = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit());
        (parts.next().is_none()
            && hex(nonce, 64)
            && hex(public_key, 130)
            && public_key.starts_with("04")
            && hex(signature, 128))
        .then(|| DeviceProof {
            nonce: nonce.to_ascii_lowercase(),
            public_key: public_key.to_ascii_lowercase(),
            signature: signature.to_ascii_lowercase(),
        })
    }
}

/// Lower-case hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of lower- or upper-case hex; `None` if it is not hex.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proofs_travel_as_three_hex_parts() {
        let proof = DeviceProof {
            nonce: "a".repeat(64),
            public_key: format!("04{}", "b".repeat(128)),
            signature: "c".repeat(128),
        };
        assert_eq!(DeviceProof::decode(&proof.encode()), Some(proof.clone()));
        assert_eq!(
            DeviceProof::decode(&proof.encode().to_uppercase()),
            Some(proof)
        );
        for bad in [
            "",
            "a.b.c",
            "x".repeat(324).as_str(),
            &format!("{}..", "a".repeat(64)),
        ] {
            assert_eq!(DeviceProof::decode(bad), None, "{bad}");
        }
        assert_eq!(from_hex(&to_hex(&[0, 255, 16])), Some(vec![0, 255, 16]));
        assert_eq!(from_hex("zz"), None);
        assert_ne!(
            proof_message(ProofPurpose::SignIn, "n"),
            proof_message(ProofPurpose::ExamStart, "n")
        );
    }
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
