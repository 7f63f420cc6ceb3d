//! Mainland China mobile numbers: validation, normalisation and masking.
//!
//! A phone number is personal data: every screen whose viewer has no need for the
//! whole number shows [`mask`]ed digits (138****1234).

use crate::validate::ValidationError;

/// A validated 11-digit mainland mobile number, without country code or separators.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts what people type: spaces, hyphens, and a `+86`/`86`/`0086` prefix.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let digits: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}' | '(' | ')'))
            .collect();
        let digits = digits
            .strip_prefix("+86")
            .or_else(|| digits.strip_prefix("0086"))
            .or_else(|| {
                (digits.len() == 13)
                    .then(|| digits.strip_prefix("86"))
                    .flatten()
            })
            .unwrap_or(&digits);
        let bytes = digits.as_bytes();
        let well_formed = bytes.len() == 11
            && bytes.iter().all(u8::is_ascii_digit)
            && bytes[0] == b'1'
            && (b'3'..=b'9').contains(&bytes[1]);
        if well_formed {
            Ok(Self(digits.to_owned()))
        } else {
            Err(ValidationError::PhoneInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form shown to anyone but the owner and administrators.
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(value: PhoneNumber) -> Self {
        value.0
    }
}

/// Masks the middle of a stored number: `13812341234` → `138****1234`.
///
/// Anything that is not 11 characters long is masked whole, so a malformed value
/// in old data can never leak through this function.
pub fn mask(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() == 11 {
        let head: String = chars[..3].iter().collect();
        let tail: String = chars[7..].iter().collect();
        format!("{head}****{tail}")
    } else {
        "*".repeat(chars.len().clamp(4, 11))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_common_spellings() {
        for input in [
            "13812341234",
            "138 1234 1234",
            "138-1234-1234",
            "+8613812341234",
            "8613812341234",
            "008613812341234",
        ] {
            assert_eq!(
                PhoneNumber::parse(input).map(|p| p.0),
                Ok("13812341234".to_owned()),
                "{input}"
            );
        }
    }

    #[test]
    fn refuses_non_mobile_numbers() {
        for input in [
            "",
            "1381234123",
            "138123412345",
            "12812341234",
            "23812341234",
            "1381234123a",
            "０１３８",
        ] {
            assert_eq!(
                PhoneNumber::parse(input),
                Err(ValidationError::PhoneInvalid),
                "{input}"
            );
        }
    }

    #[test]
    fn masks_the_middle_four_digits() {
        assert_eq!(mask("13812341234"), "138****1234");
        assert_eq!(mask("123"), "****");
    }

    proptest! {
        #[test]
        fn mask_never_reveals_the_middle(middle in "[0-9]{4}", head in "1[3-9][0-9]", tail in "[0-9]{4}") {
            let number = format!("{head}{middle}{tail}");
            let masked = PhoneNumber::parse(&number).unwrap().masked();
            prop_assert_eq!(masked, format!("{head}****{tail}"));
        }

        #[test]
        fn parsing_is_idempotent(n in "1[3-9][0-9]{9}") {
            let once = PhoneNumber::parse(&n).unwrap();
            let twice = PhoneNumber::parse(once.as_str()).unwrap();
            prop_assert_eq!(once, twice);
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,20}") {
            let _ = PhoneNumber::parse(&s);
            let _ = mask(&s);
        }
    }
}
