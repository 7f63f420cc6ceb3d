//! One convention for the enums the academy stores as text: a short stable
//! code (kept in the database, in addresses and in exports) and, where people
//! read it, a label in Chinese and in English.
//!
//! Every such enum is declared with [`stored_code!`](crate::stored_code), which
//! writes `ALL`, `code()`, `from_code()` (and `label_zh()`/`label_en()` when
//! labels are given) the same way each time, and implements [`StoredCode`] so
//! the store can decode any of them with one generic function.

/// An enum kept as a stable text code.
pub trait StoredCode: Copy + Sized + 'static {
    /// Every value, in the order lists and menus show them.
    fn all() -> &'static [Self];
    /// The stable code kept in the database.
    fn code(self) -> &'static str;
    /// The value whose code is exactly `code`.
    fn from_code(code: &str) -> Option<Self> {
        Self::all()
            .iter()
            .copied()
            .find(|value| value.code() == code)
    }
}

/// A value with a label in each UI language (states, kinds, roles…): the
/// pages show it with `tr.label(value)`.
pub trait Labelled: Copy {
    fn label_zh(self) -> &'static str;
    fn label_en(self) -> &'static str;
}

/// Declares the codes (and optionally the bilingual labels) of an enum:
///
/// ```
/// #[derive(Clone, Copy, Debug, PartialEq, Eq)]
/// pub enum Light { Red, Green }
/// academy_shared::stored_code!(Light {
///     Red => "red", "红灯", "Red";
///     Green => "green", "绿灯", "Green";
/// });
/// assert_eq!(Light::from_code("green"), Some(Light::Green));
/// assert_eq!(Light::Red.label_zh(), "红灯");
/// ```
#[macro_export]
macro_rules! stored_code {
    ($name:ident { $($variant:ident => $code:literal, $zh:literal, $en:literal);+ $(;)? }) => {
        $crate::stored_code!($name { $($variant => $code),+ });

        impl $name {
            /// The label shown to Chinese readers.
            pub const fn label_zh(self) -> &'static str {
                match self {
                    $($name::$variant => $zh,)+
                }
            }

            /// The label shown to English readers.
            pub const fn label_en(self) -> &'static str {
                match self {
                    $($name::$variant => $en,)+
                }
            }
        }

        impl $crate::code::Labelled for $name {
            fn label_zh(self) -> &'static str {
                $name::label_zh(self)
            }

            fn label_en(self) -> &'static str {
                $name::label_en(self)
            }
        }
    };
    ($name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $name {
            /// Every value, in the order lists and menus show them.
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            /// The stable code kept in the database.
            pub const fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// The value whose code is exactly `code`.
            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|value| value.code() == code)
            }
        }

        impl $crate::code::StoredCode for $name {
            fn all() -> &'static [Self] {
                &Self::ALL
            }

            fn code(self) -> &'static str {
                $name::code(self)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::StoredCode;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Light {
        Red,
        Green,
    }
    crate::stored_code!(Light {
        Red => "red", "红灯", "Red";
        Green => "green", "绿灯", "Green";
    });

    #[test]
    fn codes_round_trip_and_unknown_codes_are_none() {
        for light in Light::ALL {
            assert_eq!(Light::from_code(light.code()), Some(light));
            assert_eq!(<Light as StoredCode>::from_code(light.code()), Some(light));
        }
        assert_eq!(Light::from_code("Red"), None);
        assert_eq!(Light::from_code(" red"), None);
        assert_eq!(Light::Green.label_en(), "Green");
        assert_eq!(Light::Red.label_zh(), "红灯");
    }

    /// Every stored enum of the crate: codes are unique, lower-case ASCII and
    /// read back to the same value.
    #[test]
    fn every_stored_enum_has_unique_round_tripping_codes() {
        fn check<T: StoredCode + PartialEq + std::fmt::Debug>() {
            let all = T::all();
            for (i, value) in all.iter().enumerate() {
                let code = value.code();
                assert!(!code.is_empty());
                assert!(
                    code.bytes().all(|b| b.is_ascii_lowercase()
                        || b.is_ascii_digit()
                        || b == b'_'
                        || b == b'-'),
                    "{code:?}"
                );
                assert_eq!(T::from_code(code), Some(*value));
                assert!(all[..i].iter().all(|earlier| earlier.code() != code));
            }
        }
        check::<crate::class::ClassState>();
        check::<crate::courseware::ReviewState>();
        check::<crate::groups::SummaryState>();
        check::<crate::support::QuestionState>();
        check::<crate::media::MediaKind>();
        check::<crate::region::RegionLevel>();
        check::<crate::exam::QuestionKind>();
        check::<crate::exam::ExamState>();
        check::<crate::journey::Step>();
        check::<crate::exam::interchange::Format>();
        check::<crate::exam::MultiplePolicy>();
        check::<crate::courseware::ReviewAction>();
        check::<crate::role::Role>();
        check::<crate::class::ClassTest>();
        check::<crate::profile::Gender>();
        check::<crate::profile::Education>();
        check::<crate::profile::Employment>();
    }
}
