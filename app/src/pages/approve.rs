//! `/approve?code=…`: on the bound phone, see which device asks to be let in
//! and approve or refuse it.

use crate::auth::devices::{DecideApproval, approval_details};
use crate::components::browser::encode;
use crate::components::error_message::ErrorMessage;
use crate::components::text::use_tr;
use crate::error::AppError;
use academy_shared::time::format_china_time;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ApprovePage() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let code = Memo::new(move |_| query.read().get("code").unwrap_or_default());
    let decide = ServerAction::<DecideApproval>::new();
    let details = Resource::new(
        move || (code.get(), decide.version().get()),
        |(code, _)| async move {
            if code.is_empty() {
                Ok(None)
            } else {
                approval_details(code).await.map(Some)
            }
        },
    );
    view! {
        <section class="card auth-card">
            <h1>{move || tr.t("批准新设备登录", "Approve a device")}</h1>
            <form class="form" method="get" action="/approve">
                <label for="approve-code">
                    {move || {
                        tr.t(
                            "验证码（显示在要登录的设备上）",
                            "Code (shown on the device asking)",
                        )
                    }}
                </label>
                <input
                    id="approve-code"
                    name="code"
                    type="text"
                    autocomplete="one-time-code"
                    autocapitalize="characters"
                    prop:value=move || code.get()
                    required
                />
                <button type="submit">{move || tr.t("查询", "Look up")}</button>
            </form>
            <Suspense fallback=|| ()>
                {move || {
                    details
                        .get()
                        .map(|found| match found {
                            Ok(None) => ().into_any(),
                            Err(AppError::Unauthenticated) => {
                                let back = format!(
                                    "/login?next={}",
                                    encode(&format!("/approve?code={}", code.get_untracked())),
                                );
                                view! {
                                    <p class="notice-text">
                                        {move || {
                                            tr.t(
                                                "请先在这台已绑定的手机上登录。",
                                                "Please sign in on this bound phone first.",
                                            )
                                        }} " "<a href=back data-testid="approve-login">
                                            {move || tr.t("去登录", "Sign in")}
                                        </a>
                                    </p>
                                }
                                    .into_any()
                            }
                            Err(error) => {
                                view! {
                                    <ErrorMessage error=Signal::derive(move || Some(
                                        error.clone(),
                                    )) />
                                }
                                    .into_any()
                            }
                            Ok(Some(request)) => {
                                let decided = request.decided;
                                view! {
                                    <dl class="facts" data-testid="approval-details">
                                        <dt>{move || tr.t("设备", "Device")}</dt>
                                        <dd>{request.label.clone()}</dd>
                                        <dt>{move || tr.t("网络地址", "Address")}</dt>
                                        <dd>{request.address.clone()}</dd>
                                        <dt>{move || tr.t("请求时间", "Asked at")}</dt>
                                        <dd>{format_china_time(request.requested_at)}</dd>
                                    </dl>
                                    {match decided {
                                        Some(true) => {
                                            view! {
                                                <p
                                                    class="success-message"
                                                    role="status"
                                                    data-testid="approved"
                                                >
                                                    {move || {
                                                        tr.t(
                                                            "已批准，该设备现在可以登录。",
                                                            "Approved: that device is signed in now.",
                                                        )
                                                    }}
                                                </p>
                                            }
                                                .into_any()
                                        }
                                        Some(false) => {
                                            view! {
                                                <p class="notice-text">
                                                    {move || tr.t("已拒绝。", "Refused.")}
                                                </p>
                                            }
                                                .into_any()
                                        }
                                        None => {
                                            view! {
                                                <p>
                                                    {move || {
                                                        tr.t(
                                                            "如果这是您本人在操作，请批准；否则请拒绝并修改密码。",
                                                            "Approve only if this is you; otherwise refuse and change your password.",
                                                        )
                                                    }}
                                                </p>
                                                <div class="button-row">
                                                    <ActionForm action=decide attr:class="inline-form">
                                                        <input
                                                            type="hidden"
                                                            name="code"
                                                            prop:value=move || code.get()
                                                        />
                                                        <input type="hidden" name="approve" value="true" />
                                                        <button type="submit" class="primary" data-testid="approve">
                                                            {move || tr.t("批准登录", "Approve")}
                                                        </button>
                                                    </ActionForm>
                                                    <ActionForm action=decide attr:class="inline-form">
                                                        <input
                                                            type="hidden"
                                                            name="code"
                                                            prop:value=move || code.get()
                                                        />
                                                        <input type="hidden" name="approve" value="false" />
                                                        <button type="submit" data-testid="refuse">
                                                            {move || tr.t("拒绝", "Refuse")}
                                                        </button>
                                                    </ActionForm>
                                                </div>
                                            }
                                                .into_any()
                                        }
                                    }}
                                }
                                    .into_any()
                            }
                        })
                }}
            </Suspense>
            <ErrorMessage error=Signal::derive(move || {
                decide.value().get().and_then(Result::err)
            }) />
        </section>
    }
}
