//! Short bilingual strings written where they are used: `tr.t("登录", "Sign in")`
//! picks by the current locale (reactively, inside a closure). Longer shared
//! texts live in the locale files.

use crate::i18n::*;
use leptos_i18n::I18nContext;

#[derive(Clone, Copy)]
pub struct Tr(I18nContext<Locale>);

impl Tr {
    pub fn t(self, zh: &'static str, en: &'static str) -> &'static str {
        match self.0.get_locale() {
            Locale::en => en,
            Locale::zh_CN => zh,
        }
    }

    /// A state's, kind's or role's label in the current language.
    pub fn label(self, value: impl academy_shared::code::Labelled) -> &'static str {
        self.t(value.label_zh(), value.label_en())
    }

    pub fn is_en(self) -> bool {
        self.0.get_locale() == Locale::en
    }

    /// A study duration in the current language ("12分30秒" / "12 min 30 s").
    pub fn duration(self, ms: i64) -> String {
        if self.is_en() {
            academy_shared::study::format_study_duration_en(ms)
        } else {
            academy_shared::study::format_study_duration(ms)
        }
    }
}

pub fn use_tr() -> Tr {
    Tr(use_i18n())
}
