//! An error from a server function, in the reader's language. Only the safe
//! message of [`AppError`] is ever shown.

use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn ErrorMessage(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|error| {
            let text = match i18n.get_locale() {
                Locale::en => error.message_en(),
                Locale::zh_CN => error.message_zh(),
            };
            view! {
                <p class="error-message" role="alert" data-testid="error-message">
                    {text}
                </p>
            }
        })
    }
}
