//! `/login`: sign in with username and password.

use crate::auth::api::Login;
use crate::components::error_message::ErrorMessage;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let login = expect_context::<ServerAction<Login>>();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = login.value().get() {
            navigate("/", Default::default());
        }
    });
    let error = move || login.value().get().and_then(Result::err);
    view! {
        <section class="card auth-card">
            <h1>{t!(i18n, login_title)}</h1>
            <ActionForm action=login attr:class="form" attr:data-testid="login-form">
                <label for="login-username">{t!(i18n, login_username)}</label>
                <input
                    id="login-username"
                    name="username"
                    type="text"
                    autocomplete="username"
                    autocapitalize="none"
                    spellcheck="false"
                    required
                />
                <label for="login-password">{t!(i18n, login_password)}</label>
                <input
                    id="login-password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                />
                <ErrorMessage error=Signal::derive(error) />
                <button type="submit" class="primary" disabled=move || login.pending().get()>
                    {t!(i18n, login_submit)}
                </button>
            </ActionForm>
        </section>
    }
}
