//! The site header: name, navigation for the viewer's roles, language switch.

use crate::components::language_switch::LanguageSwitch;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a>
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"学"</span>
                <span class="brand-name">{t!(i18n, site_name)}</span>
            </a>
            <nav class="site-nav" aria-label=move || t_string!(i18n, nav_label).to_string()>
                <A href="/">{t!(i18n, nav_home)}</A>
            </nav>
            <LanguageSwitch />
        </header>
    }
}
