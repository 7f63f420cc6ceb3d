//! `/certificates/:id`: the printable certificate with its QR code and PDF;
//! `/verify/:code`: the public check a QR code leads to.

use crate::certificates::api::{
    CertificateView, ReissueCertificate, RevokeCertificate, Verification, load_certificate,
    verify_certificate,
};
use crate::components::error_message::ErrorMessage;
use crate::components::loader::{Loaded, found, use_id_param};
use crate::components::text::use_tr;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn CertificatePage() -> impl IntoView {
    let revoke = ServerAction::<RevokeCertificate>::new();
    let id = use_id_param::<i64>();
    let certificate = Resource::new(
        move || (id.get(), revoke.version().get()),
        |(id, _)| async move { load_certificate(found(id)?).await },
    );
    view! {
        <Loaded resource=certificate sign_in=true let:c>
            <CertificateSheetView c revoke />
        </Loaded>
    }
}

#[component]
fn CertificateSheetView(
    c: CertificateView,
    revoke: ServerAction<RevokeCertificate>,
) -> impl IntoView {
    let tr = use_tr();
    let pdf = format!("/certificates/{}/pdf", c.id);
    let can_manage = c.can_manage;
    let id = c.id;
    let revoked = c.revoked;
    view! {
        <article class="certificate" data-testid="certificate" data-revoked=revoked.to_string()>
            {revoked
                .then(|| {
                    view! {
                        <p class="certificate-revoked" role="status">
                            {move || {
                                tr.t("本证书已撤销", "This certificate has been revoked")
                            }}
                            " "
                            {c.revoke_reason.clone()}
                        </p>
                    }
                })}
            <h1>"培训证书"</h1>
            <p class="certificate-body">
                <strong data-testid="holder">{c.holder_name.clone()}</strong>
                " 同志："
                "于"
                {c.issued_on.clone()}
                "完成「"
                <span data-testid="certificate-class">{c.class_title.clone()}</span>
                "」全部学习任务，累计学习 "
                {c.hours_label.clone()}
                "，考核合格，特发此证。"
            </p>
            <div class="certificate-foot">
                <div
                    class="qr"
                    inner_html=c.qr_svg.clone()
                    aria-label=move || tr.t("验证二维码", "Verification QR code")
                ></div>
                <div class="certificate-issuer">
                    <p>{c.issuer.clone()}</p>
                    <p>{c.issued_on.clone()}</p>
                </div>
            </div>
            <p class="hint">
                {move || tr.t("证书编号 ", "Serial ")}
                <span data-testid="serial">{c.serial.clone()}</span> <br />
                {move || tr.t("验证码 ", "Verification code ")}
                <code data-testid="code">{c.code.clone()}</code> <br />
                <a href=c.verify_url.clone() data-testid="verify-link">
                    {c.verify_url.clone()}
                </a>
            </p>
        </article>
        <p class="no-print certificate-actions">
            <button
                type="button"
                class="primary"
                on:click=move |_| {
                    #[cfg(feature = "hydrate")]
                    if let Some(window) = web_sys::window() {
                        let _ = window.print();
                    }
                }
            >
                {move || tr.t("打印", "Print")}
            </button>
            " "
            <a class="button" href=pdf data-testid="pdf-link" rel="external" download>
                {move || tr.t("下载 PDF", "Download PDF")}
            </a>
        </p>
        {can_manage.then(|| view! { <ManageCertificate id revoked revoke /> })}
    }
}

#[component]
fn ManageCertificate(
    id: i64,
    revoked: bool,
    revoke: ServerAction<RevokeCertificate>,
) -> impl IntoView {
    let tr = use_tr();
    let reissue = ServerAction::<ReissueCertificate>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(new_id)) = reissue.value().get() {
            navigate(&format!("/certificates/{new_id}"), Default::default());
        }
    });
    let revoke_error = Signal::derive(move || revoke.value().get().and_then(Result::err));
    let reissue_error = Signal::derive(move || reissue.value().get().and_then(Result::err));
    view! {
        <section class="card no-print" data-testid="certificate-manage">
            <h2>{move || tr.t("证书管理", "Manage the certificate")}</h2>
            {(!revoked)
                .then(|| {
                    view! {
                        <ActionForm action=revoke>
                            <input type="hidden" name="id" value=id.to_string() />
                            <label>
                                {move || tr.t("撤销原因", "Reason for revoking")}
                                <input name="reason" required maxlength="200" autocomplete="off" />
                            </label>
                            <button type="submit">{move || tr.t("撤销证书", "Revoke")}</button>
                        </ActionForm>
                    }
                })}
            <ErrorMessage error=revoke_error />
            <ActionForm action=reissue>
                <input type="hidden" name="id" value=id.to_string() />
                <label>
                    {move || {
                        tr.t(
                            "重新发证原因（如姓名更正）",
                            "Reason for re-issuing (e.g. a corrected name)",
                        )
                    }} <input name="reason" required maxlength="200" autocomplete="off" />
                </label>
                <button type="submit">
                    {move || tr.t("撤销并重新发证", "Revoke and re-issue")}
                </button>
            </ActionForm>
            <ErrorMessage error=reissue_error />
        </section>
    }
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    let tr = use_tr();
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let result = Resource::new(code, verify_certificate);
    view! {
        <h1>{move || tr.t("证书验证", "Certificate check")}</h1>
        <Loaded resource=result let:answer>
            {match answer {
                Verification::NotFound => {
                    #[cfg(feature = "ssr")]
                    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                        response.set_status(http::StatusCode::NOT_FOUND);
                    }
                    view! {
                        <p class="card" data-testid="verify-not-found">
                            {move || {
                                tr.t(
                                    "未找到该证书。请核对验证码。",
                                    "No certificate has this code. Please check it.",
                                )
                            }}
                        </p>
                    }
                        .into_any()
                }
                Verification::Found {
                    masked_name,
                    class_title,
                    hours_label,
                    issued_on,
                    issuer,
                    serial,
                    revoked,
                } => {
                    view! {
                        <dl
                            class="card verify"
                            data-testid="verify-found"
                            data-revoked=revoked.to_string()
                        >
                            {revoked
                                .then(|| {
                                    view! {
                                        <p class="certificate-revoked">
                                            {move || {
                                                tr.t(
                                                    "此证书已被撤销，不再有效。",
                                                    "This certificate has been revoked and is no longer valid.",
                                                )
                                            }}
                                        </p>
                                    }
                                })}
                            {(!revoked)
                                .then(|| {
                                    view! {
                                        <p class="tag done">
                                            {move || tr.t("证书有效", "Valid certificate")}
                                        </p>
                                    }
                                })}
                            <dt>{move || tr.t("持证人", "Holder")}</dt>
                            <dd data-testid="verify-name">{masked_name}</dd>
                            <dt>{move || tr.t("培训班", "Class")}</dt>
                            <dd data-testid="verify-class">{class_title}</dd>
                            <dt>{move || tr.t("学时", "Hours")}</dt>
                            <dd>{hours_label}</dd>
                            <dt>{move || tr.t("发证日期", "Issued")}</dt>
                            <dd>{issued_on}</dd>
                            <dt>{move || tr.t("发证单位", "Issuer")}</dt>
                            <dd>{issuer}</dd>
                            <dt>{move || tr.t("证书编号", "Serial")}</dt>
                            <dd>{serial}</dd>
                        </dl>
                    }
                        .into_any()
                }
            }}
        </Loaded>
    }
}
