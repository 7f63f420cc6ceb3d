//! `/register` (phone + SMS code), `/activate` (one-time code from an
//! administrator), `/reset` (new password with an SMS code).

use crate::auth::register::{
    Activate, PURPOSE_REGISTER, PURPOSE_RESET, Register, ResetPassword, region_options,
    send_sms_code,
};
use crate::components::browser::{DEVICE_KEY_STORAGE, local_get, local_set, sleep_ms};
use crate::components::error_message::ErrorMessage;
use crate::components::header::UserResource;
use crate::components::text::use_tr;
use crate::error::AppError;
use academy_shared::region::RegionLevel;
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

/// The phone field and its "send code" button with a countdown.
#[component]
fn PhoneWithCode(purpose: &'static str) -> impl IntoView {
    let tr = use_tr();
    let phone = NodeRef::<Input>::new();
    let wait = RwSignal::new(0i64);
    let error = RwSignal::new(None::<AppError>);
    let sent = RwSignal::new(false);
    let send = move |_| {
        let number = phone.get().map(|i| i.value()).unwrap_or_default();
        error.set(None);
        spawn_local(async move {
            match send_sms_code(number, purpose.to_owned()).await {
                Ok(seconds) => {
                    sent.set(true);
                    wait.set(seconds);
                    while wait.get_untracked() > 0 {
                        sleep_ms(1000).await;
                        wait.update(|w| *w -= 1);
                    }
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <label for="phone">{move || tr.t("手机号", "Mobile number")}</label>
        <div class="input-with-button">
            <input
                id="phone"
                name="phone"
                type="tel"
                inputmode="numeric"
                autocomplete="tel"
                maxlength="20"
                required
                node_ref=phone
            />
            <button
                type="button"
                on:click=send
                disabled=move || { wait.get() > 0 }
                data-testid="send-code"
            >
                {move || {
                    if wait.get() > 0 {
                        format!("{}s", wait.get())
                    } else {
                        tr.t("获取验证码", "Send code").to_owned()
                    }
                }}
            </button>
        </div>
        <Show when=move || sent.get()>
            <p class="hint" role="status">
                {move || {
                    tr.t(
                        "验证码已发送，5 分钟内有效。",
                        "Code sent; it works for 5 minutes.",
                    )
                }}
            </p>
        </Show>
        <ErrorMessage error=Signal::derive(move || error.get()) />
        <label for="code">{move || tr.t("短信验证码", "Code from the text message")}</label>
        <input
            id="code"
            name="code"
            type="text"
            inputmode="numeric"
            autocomplete="one-time-code"
            maxlength="6"
            required
        />
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let tr = use_tr();
    let register = ServerAction::<Register>::new();
    let regions = Resource::new(|| (), |_| region_options());
    let user = expect_context::<UserResource>();
    let navigate = use_navigate();
    let device_key = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(key) = local_get(DEVICE_KEY_STORAGE) {
            device_key.set(key);
        }
    });
    let (device_proof, proof_ready) = crate::components::device_key::prepared_proof(
        academy_shared::device::ProofPurpose::SignIn,
        Signal::derive(move || register.version().get()),
    );
    Effect::new(move |_| {
        if let Some(Ok(outcome)) = register.value().get() {
            if let Some(key) = &outcome.device_key {
                local_set(DEVICE_KEY_STORAGE, key);
            }
            user.refetch();
            navigate("/", Default::default());
        }
    });
    view! {
        <section class="card auth-card">
            <h1>{move || tr.t("新学员注册", "Register")}</h1>
            <p class="hint">
                {move || {
                    tr.t(
                        "注册后，本手机将与账号绑定，学习和考试只能在本手机上进行。",
                        "Your phone is bound to the account: you study and sit exams on it.",
                    )
                }}
            </p>
            <ActionForm action=register attr:class="form" attr:data-testid="register-form">
                <PhoneWithCode purpose=PURPOSE_REGISTER />
                <label for="reg-username">
                    {move || {
                        tr.t(
                            "用户名（字母开头，3–32 位字母、数字或下划线）",
                            "Username (3–32 letters, digits, _)",
                        )
                    }}
                </label>
                <input
                    id="reg-username"
                    name="username"
                    type="text"
                    autocomplete="username"
                    autocapitalize="none"
                    spellcheck="false"
                    required
                />
                <label for="reg-name">{move || tr.t("真实姓名", "Real name")}</label>
                <input id="reg-name" name="real_name" type="text" autocomplete="name" required />
                <label for="reg-region">{move || tr.t("所在地区", "Region")}</label>
                <select id="reg-region" name="region_id" required>
                    <option value="">{move || tr.t("请选择", "Choose")}</option>
                    <Suspense fallback=|| ()>
                        {move || {
                            regions
                                .get()
                                .and_then(Result::ok)
                                .map(|list| {
                                    list.into_iter()
                                        .filter(|r| r.level == RegionLevel::County)
                                        .map(|r| {
                                            view! { <option value=r.id.to_string()>{r.path}</option> }
                                        })
                                        .collect_view()
                                })
                        }}
                    </Suspense>
                </select>
                <label for="reg-unit">
                    {move || tr.t("工作单位/党支部", "Work unit / party branch")}
                </label>
                <input
                    id="reg-unit"
                    name="work_unit"
                    type="text"
                    autocomplete="organization"
                    maxlength="100"
                />
                <label for="reg-password">
                    {move || tr.t("密码（至少 8 位）", "Password (8 characters or more)")}
                </label>
                <input
                    id="reg-password"
                    name="password"
                    type="password"
                    autocomplete="new-password"
                    minlength="8"
                    required
                />
                <input type="hidden" name="device_key" prop:value=move || device_key.get() />
                <input type="hidden" name="device_proof" prop:value=move || device_proof.get() />
                <ErrorMessage error=Signal::derive(move || {
                    register.value().get().and_then(Result::err)
                }) />
                <button
                    type="submit"
                    class="primary"
                    disabled=move || register.pending().get() || !proof_ready.get()
                >
                    {move || tr.t("注册", "Register")}
                </button>
            </ActionForm>
            <p class="form-links">
                <a href="/login">
                    {move || tr.t("已有账号？去登录", "Have an account? Sign in")}
                </a>
            </p>
        </section>
    }
}

#[component]
pub fn ActivatePage() -> impl IntoView {
    let tr = use_tr();
    let activate = ServerAction::<Activate>::new();
    view! {
        <section class="card auth-card">
            <h1>{move || tr.t("激活账号", "Activate your account")}</h1>
            <p class="hint">
                {move || {
                    tr.t(
                        "管理员为您开通账号或重置密码后，会告诉您一个激活码。",
                        "An administrator gives you an activation code when creating your account or resetting its password.",
                    )
                }}
            </p>
            <Show
                when=move || matches!(activate.value().get(), Some(Ok(())))
                fallback=move || {
                    view! {
                        <ActionForm
                            action=activate
                            attr:class="form"
                            attr:data-testid="activate-form"
                        >
                            <label for="act-username">
                                {move || tr.t("用户名", "Username")}
                            </label>
                            <input
                                id="act-username"
                                name="username"
                                type="text"
                                autocomplete="username"
                                autocapitalize="none"
                                required
                            />
                            <label for="act-code">
                                {move || tr.t("激活码", "Activation code")}
                            </label>
                            <input
                                id="act-code"
                                name="code"
                                type="text"
                                autocomplete="one-time-code"
                                autocapitalize="characters"
                                required
                            />
                            <label for="act-password">
                                {move || {
                                    tr.t(
                                        "设置密码（至少 8 位）",
                                        "Choose a password (8 characters or more)",
                                    )
                                }}
                            </label>
                            <input
                                id="act-password"
                                name="password"
                                type="password"
                                autocomplete="new-password"
                                minlength="8"
                                required
                            />
                            <ErrorMessage error=Signal::derive(move || {
                                activate.value().get().and_then(Result::err)
                            }) />
                            <button type="submit" class="primary">
                                {move || tr.t("激活", "Activate")}
                            </button>
                        </ActionForm>
                    }
                }
            >
                <p class="success-message" role="status" data-testid="activated">
                    {move || {
                        tr.t(
                            "账号已激活，请用新密码登录。",
                            "Activated: sign in with your new password.",
                        )
                    }}
                    " "
                    <a href="/login">{move || tr.t("去登录", "Sign in")}</a>
                </p>
            </Show>
        </section>
    }
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let tr = use_tr();
    let reset = ServerAction::<ResetPassword>::new();
    view! {
        <section class="card auth-card">
            <h1>
                {move || {
                    tr.t("用短信验证码设置密码", "Set a password with a text message")
                }}
            </h1>
            <p class="hint">
                {move || {
                    tr.t(
                        "忘记密码，或由组织统一导入的学员首次登录，请在此设置密码。",
                        "Forgot your password, or imported by your organisation? Set it here.",
                    )
                }}
            </p>
            <Show
                when=move || matches!(reset.value().get(), Some(Ok(())))
                fallback=move || {
                    view! {
                        <ActionForm action=reset attr:class="form" attr:data-testid="reset-form">
                            <PhoneWithCode purpose=PURPOSE_RESET />
                            <label for="reset-password">
                                {move || {
                                    tr.t(
                                        "新密码（至少 8 位）",
                                        "New password (8 characters or more)",
                                    )
                                }}
                            </label>
                            <input
                                id="reset-password"
                                name="password"
                                type="password"
                                autocomplete="new-password"
                                minlength="8"
                                required
                            />
                            <ErrorMessage error=Signal::derive(move || {
                                reset.value().get().and_then(Result::err)
                            }) />
                            <button type="submit" class="primary">
                                {move || tr.t("设置密码", "Set password")}
                            </button>
                        </ActionForm>
                    }
                }
            >
                <p class="success-message" role="status">
                    {move || {
                        tr.t("密码已设置，请登录。", "Password set: please sign in.")
                    }}
                    " "
                    <a href="/login">{move || tr.t("去登录", "Sign in")}</a>
                </p>
            </Show>
        </section>
    }
}
