//! The 中文 / English switch. The choice is kept in a cookie by leptos_i18n, so
//! the next page is rendered on the server in the chosen language.

use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let toggle = move |_| {
        let next = match i18n.get_locale() {
            Locale::zh_CN => Locale::en,
            Locale::en => Locale::zh_CN,
        };
        i18n.set_locale(next);
    };
    view! {
        <button
            type="button"
            class="language-switch"
            data-testid="language-switch"
            aria-label=move || t_string!(i18n, switch_language_label).to_string()
            on:click=toggle
        >
            {t!(i18n, switch_language)}
        </button>
    }
}
