//! How a page shows what it loads, in one place: nothing (or "loading…")
//! while it comes, then the data; otherwise the error's safe message, or for a
//! visitor who is not signed in the "please sign in" card with a way back to
//! this page. And the route's `:id`, parsed once.
//!
//! ```ignore
//! let id = use_id_param::<ExamId>();
//! let analysis = Resource::new(move || id.get(), |id| async move { item_analysis(found(id)?).await });
//! view! {
//!     <Loaded resource=analysis let:a>
//!         <AnalysisView a />
//!     </Loaded>
//! }
//! ```

use crate::components::browser::encode;
use crate::components::error_message::ErrorMessage;
use crate::components::text::use_tr;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};
use std::sync::Arc;

/// Shows `children` with the loaded data (`let:data`) once `resource` has
/// it, and the error otherwise. `resource` is a `Resource`, a
/// `LocalResource` or a `Signal` of `Option<Result<T, AppError>>` (`None`
/// while loading).
#[component]
pub fn Loaded<R, T, C, V>(
    resource: R,
    /// The view of the loaded data.
    children: C,
    /// What to say while loading (Chinese, English); nothing by default.
    #[prop(optional)]
    loading: Option<(&'static str, &'static str)>,
    /// A visitor who is not signed in gets the sign-in card instead of the
    /// error message.
    #[prop(optional)]
    sign_in: bool,
    /// Keep showing what was loaded while it reloads (`<Transition>`)
    /// instead of falling back (`<Suspense>`).
    #[prop(optional)]
    transition: bool,
    /// Shown above the error message (a way back).
    #[prop(optional, into)]
    before_error: Option<ViewFn>,
) -> impl IntoView
where
    R: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    T: 'static,
    C: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    // Only this closure depends on the page's types; the frame around it is
    // compiled once, not once per page (48 pages use the loader).
    let content: Arc<dyn Fn() -> Option<AnyView> + Send + Sync> = Arc::new(move || {
        resource.get().map(|result| match result {
            Ok(data) => children(data).into_any(),
            Err(error) => error_view(error, sign_in, before_error.clone()),
        })
    });
    frame(content, loading, transition)
}

/// What a page shows instead of its data: the sign-in card for a visitor (when
/// the page asks for it), else the error's safe message.
fn error_view(error: AppError, sign_in: bool, before_error: Option<ViewFn>) -> AnyView {
    match error {
        AppError::Unauthenticated if sign_in => view! { <SignInCard /> }.into_any(),
        error => {
            let message =
                view! { <ErrorMessage error=Signal::derive(move || Some(error.clone())) /> };
            match before_error {
                Some(before) => view! {
                    {before.run()}
                    {message}
                }
                .into_any(),
                None => message.into_any(),
            }
        }
    }
}

/// The Suspense (or Transition) around a page's content, with its fallback.
fn frame(
    content: Arc<dyn Fn() -> Option<AnyView> + Send + Sync>,
    loading: Option<(&'static str, &'static str)>,
    transition: bool,
) -> AnyView {
    let tr = use_tr();
    let fallback = move || match loading {
        Some((zh, en)) => view! { <p>{move || tr.t(zh, en)}</p> }.into_any(),
        None => ().into_any(),
    };
    let content = move || content();
    if transition {
        view! { <Transition fallback>{content}</Transition> }.into_any()
    } else {
        view! { <Suspense fallback>{content}</Suspense> }.into_any()
    }
}

#[component]
pub fn SignInCard() -> impl IntoView {
    let tr = use_tr();
    let here = use_location().pathname.get_untracked();
    let login = format!("/login?next={}", encode(&here));
    view! {
        <p class="card">
            {move || tr.t("请先登录。", "Please sign in.")}" "
            <a href=login>{move || tr.t("登录", "Sign in")}</a>
        </p>
    }
}

/// The route's `:id`: an `i64` or an id newtype of `academy_shared::ids`.
/// `None` when it is missing or not a number; [`found`] makes that the
/// loader's "not found".
pub fn use_id_param<T>() -> Memo<Option<T>>
where
    T: From<i64> + PartialEq + Send + Sync + 'static,
{
    use_id_param_named("id")
}

/// The route parameter `name` (as in `/learn/:class/:courseware`), like
/// [`use_id_param`].
pub fn use_id_param_named<T>(name: &'static str) -> Memo<Option<T>>
where
    T: From<i64> + PartialEq + Send + Sync + 'static,
{
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get(name)?.parse::<i64>().ok().map(T::from)))
}

/// For a resource's loader: the id, or [`AppError::NotFound`] without asking
/// the server when the route's id was missing or not a number.
pub fn found<T>(id: Option<T>) -> Result<T, AppError> {
    id.ok_or(AppError::NotFound)
}
