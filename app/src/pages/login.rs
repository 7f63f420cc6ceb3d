//! `/login`: sign in with username or phone number and password. A learner on
//! a device other than the bound phone is refused, and offered to let this
//! device in by approving it on the phone (QR code or short code), or to ask
//! for the new phone to be bound.

use crate::auth::api::{
    ApprovalStatus, ApprovalTicket, Login, poll_approval, request_rebind_with_password,
    start_approval,
};
use crate::components::browser::{DEVICE_KEY_STORAGE, local_get, local_set, safe_next, sleep_ms};
use crate::components::error_message::ErrorMessage;
use crate::components::header::UserResource;
use crate::components::text::use_tr;
use crate::error::AppError;
use crate::i18n::*;
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let tr = use_tr();
    let login = expect_context::<ServerAction<Login>>();
    let query = use_query_map();
    let next = Memo::new(move |_| safe_next(query.read().get("next")));
    let navigate = use_navigate();
    // The web-storage copy of the device key, for webviews that drop cookies.
    let device_key = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(key) = local_get(DEVICE_KEY_STORAGE) {
            device_key.set(key);
        }
    });
    let (device_proof, proof_ready) = crate::components::device_key::prepared_proof(
        academy_shared::device::ProofPurpose::SignIn,
        Signal::derive(move || login.version().get()),
    );
    Effect::new(move |_| {
        if let Some(Ok(outcome)) = login.value().get() {
            if let Some(key) = &outcome.device_key {
                local_set(DEVICE_KEY_STORAGE, key);
            }
            navigate(&next.get_untracked(), Default::default());
        }
    });
    let username = NodeRef::<Input>::new();
    let password = NodeRef::<Input>::new();
    let error = move || login.value().get().and_then(Result::err);
    let other_device = move || matches!(error(), Some(AppError::DeviceNotBound));
    view! {
        <section class="card auth-card">
            <h1>{t!(i18n, login_title)}</h1>
            <ActionForm action=login attr:class="form" attr:data-testid="login-form">
                <label for="login-username">
                    {move || tr.t("用户名或手机号", "Username or mobile number")}
                </label>
                <input
                    id="login-username"
                    name="username"
                    type="text"
                    autocomplete="username"
                    autocapitalize="none"
                    spellcheck="false"
                    required
                    node_ref=username
                />
                <label for="login-password">{t!(i18n, login_password)}</label>
                <input
                    id="login-password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                    node_ref=password
                />
                <input type="hidden" name="device_key" prop:value=move || device_key.get() />
                <input type="hidden" name="device_proof" prop:value=move || device_proof.get() />
                <ErrorMessage error=Signal::derive(error) />
                <button
                    type="submit"
                    class="primary"
                    disabled=move || login.pending().get() || !proof_ready.get()
                >
                    {t!(i18n, login_submit)}
                </button>
            </ActionForm>
            <Show when=other_device>
                <OtherDevice username password next />
            </Show>
            <p class="form-links">
                <a href="/register">{move || tr.t("新学员注册", "Register")}</a>
                " · "
                <a href="/reset">{move || tr.t("忘记密码", "Forgot password")}</a>
                " · "
                <a href="/activate">{move || tr.t("激活账号", "Activate an account")}</a>
            </p>
        </section>
    }
}

/// What a refused device can do: wait for the bound phone's approval, or ask
/// an administrator to bind this device instead.
#[component]
fn OtherDevice(
    username: NodeRef<Input>,
    password: NodeRef<Input>,
    next: Memo<String>,
) -> impl IntoView {
    let tr = use_tr();
    let user = expect_context::<UserResource>();
    let navigate = use_navigate();
    let ticket = RwSignal::new(None::<ApprovalTicket>);
    let status = RwSignal::new(None::<ApprovalStatus>);
    let error = RwSignal::new(None::<AppError>);
    let rebind_open = RwSignal::new(false);
    let rebind_sent = RwSignal::new(false);
    let reason = NodeRef::<leptos::html::Textarea>::new();
    let credentials = move || {
        (
            username.get().map(|i| i.value()).unwrap_or_default(),
            password.get().map(|i| i.value()).unwrap_or_default(),
        )
    };
    let ask_phone = move |_| {
        let (name, secret_word) = credentials();
        let navigate = navigate.clone();
        error.set(None);
        status.set(None);
        spawn_local(async move {
            match start_approval(name, secret_word).await {
                Err(e) => error.set(Some(e)),
                Ok(new_ticket) => {
                    let secret = new_ticket.secret.clone();
                    ticket.set(Some(new_ticket));
                    loop {
                        sleep_ms(2000).await;
                        match poll_approval(secret.clone()).await {
                            Ok(ApprovalStatus::Pending) => continue,
                            Ok(ApprovalStatus::Approved(_)) => {
                                user.refetch();
                                navigate(&next.get_untracked(), Default::default());
                                break;
                            }
                            Ok(other) => {
                                status.set(Some(other));
                                ticket.set(None);
                                break;
                            }
                            // A dropped connection: keep waiting, the request lives on.
                            Err(AppError::Network) => continue,
                            Err(e) => {
                                error.set(Some(e));
                                break;
                            }
                        }
                    }
                }
            }
        });
    };
    let send_rebind = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (name, secret_word) = credentials();
        let why = reason.get().map(|r| r.value()).unwrap_or_default();
        error.set(None);
        spawn_local(async move {
            match request_rebind_with_password(name, secret_word, why).await {
                Ok(()) => rebind_sent.set(true),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="other-device" data-testid="other-device">
            <div class="button-row">
                <button
                    type="button"
                    class="primary"
                    on:click=ask_phone
                    data-testid="approve-from-phone"
                >
                    {move || tr.t("用已绑定手机批准", "Approve from my phone")}
                </button>
                <button
                    type="button"
                    on:click=move |_| rebind_open.set(true)
                    data-testid="ask-rebind"
                >
                    {move || tr.t("申请更换绑定手机", "Ask to bind a new phone")}
                </button>
            </div>
            <ErrorMessage error=Signal::derive(move || error.get()) />
            {move || {
                ticket
                    .get()
                    .map(|t| {
                        view! {
                            <div class="approval-ticket" data-testid="approval-ticket">
                                <p>
                                    {move || {
                                        tr.t(
                                            "请用已绑定的手机扫描二维码，或在手机上打开“我的账号 → 批准新设备”并输入下面的验证码：",
                                            "Scan the QR code with your bound phone, or open “My account → Approve a device” on it and enter this code:",
                                        )
                                    }}
                                </p>
                                <div class="qr" inner_html=t.qr_svg.clone()></div>
                                <p class="short-code" data-testid="short-code">
                                    {t.short_code.clone()}
                                </p>
                                <p class="hint">
                                    {move || {
                                        tr.t(
                                            "等待手机确认……验证码 5 分钟内有效。",
                                            "Waiting for your phone… the code works for 5 minutes.",
                                        )
                                    }}
                                </p>
                            </div>
                        }
                    })
            }}
            {move || {
                status
                    .get()
                    .map(|s| {
                        let text = match s {
                            ApprovalStatus::Refused => {
                                tr.t(
                                    "手机上拒绝了本次登录。",
                                    "Your phone refused this sign-in.",
                                )
                            }
                            _ => {
                                tr.t(
                                    "验证码已过期，请重新发起。",
                                    "The code expired; please start again.",
                                )
                            }
                        };
                        view! {
                            <p class="error-message" role="alert">
                                {text}
                            </p>
                        }
                    })
            }}
            <Show when=move || rebind_open.get() && !rebind_sent.get()>
                <form class="form" on:submit=send_rebind>
                    <label for="rebind-reason">
                        {move || {
                            tr.t(
                                "更换原因（如：手机丢失、换了新手机）",
                                "Reason (e.g. lost or replaced phone)",
                            )
                        }}
                    </label>
                    <textarea
                        id="rebind-reason"
                        name="reason"
                        required
                        maxlength="200"
                        node_ref=reason
                    ></textarea>
                    <button type="submit">{move || tr.t("提交申请", "Send request")}</button>
                </form>
            </Show>
            <Show when=move || rebind_sent.get()>
                <p class="success-message" role="status" data-testid="rebind-sent">
                    {move || {
                        tr.t(
                            "申请已提交。管理员批准后，用新设备登录即可完成绑定。",
                            "Request sent. Once an administrator approves it, sign in on the new device to bind it.",
                        )
                    }}
                </p>
            </Show>
        </div>
    }
}
