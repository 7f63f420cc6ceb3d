//! Training certificates (培训证书): the verification code printed on each
//! certificate, its serial number, the masked name the public verification
//! page shows, and the study time as printed.

use rand::Rng;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Crockford's base32: digits and upper-case letters without I, L, O and U,
/// so nothing on a printed certificate can be misread as something else.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a verification code: 26 × 5 = 130 bits hold the 128.
pub const CODE_LEN: usize = 26;

/// The code that proves a certificate genuine: whoever holds it can look the
/// certificate up on the public verification page.
///
/// It carries 128 bits from the caller's random number generator (the server
/// passes a cryptographically secure one), so guessing any valid code among
/// even millions issued takes about 2^108 tries: the public lookup needs no
/// more than ordinary rate limiting. Written as 26 Crockford base32
/// characters; the first is always 0–7 (the two spare bits are zero).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VerificationCode(u128);

/// Why a typed verification code was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum CodeError {
    #[error("a verification code has 26 characters, not {found}")]
    WrongLength { found: usize },
    #[error("'{found}' cannot appear in a verification code")]
    BadCharacter { found: char },
    /// 26 valid characters that spell more than 128 bits (first character 8–Z).
    #[error("this is not a valid verification code")]
    OutOfRange,
}

impl CodeError {
    pub fn message_zh(&self) -> String {
        match self {
            CodeError::WrongLength { found } => {
                format!("验证码应为 {CODE_LEN} 位，目前 {found} 位")
            }
            CodeError::BadCharacter { found } => format!("验证码中不能有“{found}”"),
            CodeError::OutOfRange => "验证码无效".to_owned(),
        }
    }
}

/// The value of a code character as people may type it: either case, and
/// the look-alikes Crockford maps (I, L → 1; O → 0).
fn digit_value(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'I' | 'L' => '1',
        'O' => '0',
        other => other,
    };
    let position = CROCKFORD.iter().position(|&b| char::from(b) == c)?;
    u8::try_from(position).ok()
}

impl VerificationCode {
    /// A fresh code: 128 bits from `rng`.
    pub fn generate(rng: &mut impl Rng) -> Self {
        let mut bytes = [0u8; 16];
        rng.fill_bytes(&mut bytes);
        VerificationCode(u128::from_be_bytes(bytes))
    }

    pub const fn from_u128(bits: u128) -> Self {
        VerificationCode(bits)
    }

    pub const fn as_u128(self) -> u128 {
        self.0
    }

    /// Reads a code as people type or paste it: lower case is accepted,
    /// hyphens and spaces (also full-width ones) are ignored, and I/L read as
    /// 1 and O as 0. Anything else, or a wrong number of characters, is refused.
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let mut digits = Vec::with_capacity(CODE_LEN);
        for c in input.chars() {
            if c == '-' || c == '－' || c.is_whitespace() {
                continue;
            }
            let value = digit_value(c).ok_or(CodeError::BadCharacter { found: c })?;
            digits.push(value);
        }
        if digits.len() != CODE_LEN {
            return Err(CodeError::WrongLength {
                found: digits.len(),
            });
        }
        // 26 digits are 130 bits: the first may use only its low three.
        if digits.first().is_some_and(|&first| first > 7) {
            return Err(CodeError::OutOfRange);
        }
        let bits = digits
            .into_iter()
            .fold(0u128, |acc, digit| (acc << 5) | u128::from(digit));
        Ok(VerificationCode(bits))
    }
}

impl fmt::Display for VerificationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text: String = (0..CODE_LEN)
            .map(|i| {
                let shift = 5 * (CODE_LEN - 1 - i);
                let index = usize::try_from((self.0 >> shift) & 31).unwrap_or(0);
                CROCKFORD.get(index).map_or('0', |&b| char::from(b))
            })
            .collect();
        f.write_str(&text)
    }
}

impl FromStr for VerificationCode {
    type Err = CodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        VerificationCode::parse(s)
    }
}

impl TryFrom<String> for VerificationCode {
    type Error = CodeError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        VerificationCode::parse(&value)
    }
}

impl From<VerificationCode> for String {
    fn from(code: VerificationCode) -> Self {
        code.to_string()
    }
}

/// A certificate's serial number: the year it was issued, the class and the
/// learner's place in the class's issue order, e.g. `2026-0007-00042`. The
/// class id and sequence are zero-padded to 4 and 5 digits and widen beyond.
/// Years are 0–9999 and class ids non-negative, as issued.
pub fn serial(year: i32, class_id: i64, sequence: u32) -> String {
    format!("{year:04}-{class_id:04}-{sequence:05}")
}

/// The parts of a serial number written by [`serial`]; surrounding blanks are
/// ignored. Only the exact form [`serial`] writes is accepted (no extra zeros,
/// no signs), so each certificate has one serial.
pub fn parse_serial(input: &str) -> Option<(i32, i64, u32)> {
    let input = input.trim();
    let mut parts = input.split('-');
    let (year, class_id, sequence) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(year) && digits(class_id) && digits(sequence)) {
        return None;
    }
    let parsed = (
        year.parse().ok()?,
        class_id.parse().ok()?,
        sequence.parse().ok()?,
    );
    (serial(parsed.0, parsed.1, parsed.2) == input).then_some(parsed)
}

fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{20000}'..='\u{2ebef}'
        | '\u{30000}'..='\u{3134f}')
}

/// Separators in transliterated names such as 阿卜杜·热合曼.
const NAME_DOTS: [char; 4] = ['·', '•', '・', '.'];

/// A name as the public verification page shows it: enough to match a
/// certificate to its holder, not enough to learn who holds it.
///
/// Chinese names keep the surname: the first character of a two- or
/// three-character name (张三 → 张*, 王小明 → 王**), the first two of a name of
/// four or more, which is most often a compound surname (欧阳娜娜 → 欧阳**).
/// Transliterated names with a middle dot keep their first character and the
/// dots (阿卜杜·热合曼 → 阿**·***). Other names keep the initial of each word
/// (John Smith → J*** S****). Blanks around the name are dropped; an empty
/// name stays empty.
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    if name.chars().any(is_han) {
        let chars: Vec<char> = name.chars().filter(|c| !c.is_whitespace()).collect();
        let dotted = chars.iter().any(|c| NAME_DOTS.contains(c));
        let keep = if dotted || chars.len() < 4 { 1 } else { 2 };
        chars
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                if i < keep || (dotted && NAME_DOTS.contains(&c)) {
                    c
                } else {
                    '*'
                }
            })
            .collect()
    } else {
        name.split_whitespace()
            .map(|word| {
                word.chars()
                    .enumerate()
                    .map(|(i, c)| if i == 0 { c } else { '*' })
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Credited study time in tenths of an hour, rounded half up; negative
/// (impossible) amounts count as 0.
pub fn hours_tenths(credited_ms: i64) -> i64 {
    credited_ms.max(0).saturating_add(180_000) / 360_000
}

/// Study time as a certificate prints it, in hours of 60 minutes with one
/// decimal: "12.5 小时", "3.0 小时". Not 学时: a class hour (学时) is 45 minutes
/// in some schemes and 60 in others, while 小时 is unambiguous.
pub fn hours_label(credited_ms: i64) -> String {
    format!("{} 小时", hours_text(credited_ms))
}

/// Credited study time in hours, to a tenth ("12.5"): how every page, report
/// and workbook writes it.
pub fn hours_text(credited_ms: i64) -> String {
    let tenths = hours_tenths(credited_ms);
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// Credited study time in hours, to a tenth, as a number (for workbooks).
pub fn hours(credited_ms: i64) -> f64 {
    // Tenths of an hour stay far below 2^53: the conversion is exact.
    hours_tenths(credited_ms) as f64 / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn codes_are_26_crockford_characters() {
        let mut rng = StdRng::seed_from_u64(7);
        let code = VerificationCode::generate(&mut rng);
        let text = code.to_string();
        assert_eq!(text.len(), CODE_LEN);
        assert!(text.bytes().all(|b| CROCKFORD.contains(&b)));
        assert!(!text.contains(['I', 'L', 'O', 'U']));
        assert_ne!(VerificationCode::generate(&mut rng), code);

        assert_eq!(VerificationCode::from_u128(0).to_string(), "0".repeat(26));
        let max = VerificationCode::from_u128(u128::MAX).to_string();
        assert_eq!(max, format!("7{}", "Z".repeat(25)));
        assert_eq!(
            VerificationCode::parse(&max),
            Ok(VerificationCode::from_u128(u128::MAX))
        );
    }

    #[test]
    fn typed_codes_are_forgiven_case_separators_and_look_alikes() {
        let code = VerificationCode::from_u128(0x0123_4567_89ab_cdef_0011_2233_4455_6677);
        let text = code.to_string();
        let typed = format!(" {}－{} {} ", &text[..8], &text[8..16], &text[16..]).to_lowercase();
        assert_eq!(VerificationCode::parse(&typed), Ok(code));
        let ones = VerificationCode::from_u128(1).to_string();
        assert_eq!(ones, "00000000000000000000000001");
        assert_eq!(
            VerificationCode::parse("oOoOoOoOoOoOoOoOoOoOoOoOoi"),
            Ok(VerificationCode::from_u128(1))
        );
        assert_eq!(
            VerificationCode::parse("0000000000000000000000000L"),
            Ok(VerificationCode::from_u128(1))
        );
        assert_eq!(
            "0000000000000000000000000l".parse(),
            Ok(VerificationCode::from_u128(1))
        );
    }

    #[test]
    fn bad_codes_are_refused() {
        assert_eq!(
            VerificationCode::parse("0000"),
            Err(CodeError::WrongLength { found: 4 })
        );
        assert_eq!(
            VerificationCode::parse(&"0".repeat(27)),
            Err(CodeError::WrongLength { found: 27 })
        );
        assert_eq!(
            VerificationCode::parse(&format!("U{}", "0".repeat(25))),
            Err(CodeError::BadCharacter { found: 'U' })
        );
        assert_eq!(
            VerificationCode::parse(&format!("证{}", "0".repeat(25))),
            Err(CodeError::BadCharacter { found: '证' })
        );
        assert_eq!(
            VerificationCode::parse(&format!("8{}", "0".repeat(25))),
            Err(CodeError::OutOfRange)
        );
        for error in [
            CodeError::WrongLength { found: 3 },
            CodeError::BadCharacter { found: 'U' },
            CodeError::OutOfRange,
        ] {
            assert!(error.message_zh().contains("验证码"));
            assert!(!error.to_string().is_empty());
        }
    }

    #[test]
    fn codes_serialize_as_text() {
        let code = VerificationCode::from_u128(42);
        let text: String = code.into();
        assert_eq!(VerificationCode::try_from(text), Ok(code));
        assert!(VerificationCode::try_from("nope".to_owned()).is_err());
    }

    #[test]
    fn serials() {
        assert_eq!(serial(2026, 7, 42), "2026-0007-00042");
        assert_eq!(serial(2026, 12345, 123_456), "2026-12345-123456");
        assert_eq!(parse_serial(" 2026-0007-00042 "), Some((2026, 7, 42)));
        assert_eq!(
            parse_serial("2026-12345-123456"),
            Some((2026, 12345, 123_456))
        );
        for bad in [
            "",
            "2026-7-42",
            "2026-00007-00042",
            "2026-0007-00042-1",
            "2026-0007",
            "2026-+007-00042",
            "2026-０００７-00042",
            "2026 0007 00042",
        ] {
            assert_eq!(parse_serial(bad), None, "{bad}");
        }
    }

    #[test]
    fn names_are_masked_but_recognisable() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("王小明"), "王**");
        assert_eq!(mask_name("欧阳娜娜"), "欧阳**");
        assert_eq!(mask_name("司马相如"), "司马**");
        assert_eq!(mask_name(" 李 四 "), "李*");
        assert_eq!(mask_name("阿卜杜·热合曼"), "阿**·***");
        assert_eq!(mask_name("张"), "张");
        assert_eq!(mask_name("John Smith"), "J*** S****");
        assert_eq!(mask_name("  Ann   Lee "), "A** L**");
        assert_eq!(mask_name(""), "");
        assert_eq!(mask_name("   "), "");
    }

    #[test]
    fn hours_are_rounded_to_a_tenth() {
        const MIN: i64 = 60_000;
        assert_eq!(hours_label(0), "0.0 小时");
        assert_eq!(hours_label(750 * MIN), "12.5 小时");
        assert_eq!(hours_label(3 * 60 * MIN), "3.0 小时");
        // 2 min 59.999 s rounds down, 3 min (half of 0.1 hour) up.
        assert_eq!(hours_label(3 * MIN - 1), "0.0 小时");
        assert_eq!(hours_label(3 * MIN), "0.1 小时");
        assert_eq!(hours_label(-5 * MIN), "0.0 小时");
        assert_eq!(hours_tenths(i64::MAX), i64::MAX / 360_000);
    }

    proptest! {
        #[test]
        fn codes_round_trip(bits in any::<u128>(), hyphen_every in 1usize..8, lower in any::<bool>()) {
            let code = VerificationCode::from_u128(bits);
            let text = code.to_string();
            prop_assert_eq!(text.len(), CODE_LEN);
            prop_assert_eq!(VerificationCode::parse(&text), Ok(code));
            let mut typed = String::new();
            for (i, c) in text.chars().enumerate() {
                if i > 0 && i % hyphen_every == 0 {
                    typed.push('-');
                }
                typed.push(if lower { c.to_ascii_lowercase() } else { c });
            }
            prop_assert_eq!(VerificationCode::parse(&typed), Ok(code));
        }

        #[test]
        fn serials_round_trip(year in 0i32..=9999, class_id in 0i64..=i64::MAX, sequence in any::<u32>()) {
            prop_assert_eq!(parse_serial(&serial(year, class_id, sequence)), Some((year, class_id, sequence)));
        }

        #[test]
        fn masked_names_keep_length_and_hide_most(name in "[\\p{Han}]{2,6}|[A-Za-z]{1,8}( [A-Za-z]{1,8}){0,2}") {
            let masked = mask_name(&name);
            prop_assert_eq!(masked.chars().count(), name.chars().count());
            prop_assert_eq!(masked.chars().next(), name.chars().next());
            prop_assert!(masked.contains('*') || name.split(' ').all(|w| w.chars().count() == 1));
        }
    }
}
