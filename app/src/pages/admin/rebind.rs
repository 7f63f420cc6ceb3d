//! `/admin/rebind`: open requests to bind a new phone.

use super::AdminNav;
use crate::auth::devices::{DecideRebind, rebind_requests};
use crate::components::error_message::ErrorMessage;
use crate::components::loader::Loaded;
use crate::components::text::use_tr;
use academy_shared::time::format_china_time;
use leptos::prelude::*;

#[component]
pub fn AdminRebindPage() -> impl IntoView {
    let tr = use_tr();
    let decide = ServerAction::<DecideRebind>::new();
    let requests = Resource::new(move || decide.version().get(), |_| rebind_requests());
    view! {
        <AdminNav />
        <h1>{move || tr.t("更换绑定申请", "Rebinding requests")}</h1>
        <ErrorMessage error=Signal::derive(move || decide.value().get().and_then(Result::err)) />
        <Loaded resource=requests let:list>
            {match list {
                list if list.is_empty() => {
                    view! {
                        <p class="card">
                            {move || tr.t("没有待处理的申请。", "No open requests.")}
                        </p>
                    }
                        .into_any()
                }
                list => {
                    list.into_iter()
                        .map(|r| {
                            let id = r.id;
                            view! {
                                <section class="card" data-testid="rebind-request">
                                    <p>
                                        <strong>{r.real_name}</strong>
                                        " ("
                                        {r.username}
                                        ") · "
                                        {format_china_time(r.requested_at)}
                                        " · "
                                        {r.label}
                                    </p>
                                    <p>{r.reason}</p>
                                    <div class="button-row">
                                        <ActionForm action=decide attr:class="inline-form">
                                            <input type="hidden" name="id" value=id.to_string() />
                                            <input type="hidden" name="approve" value="true" />
                                            <button type="submit" class="primary">
                                                {move || {
                                                    tr.t(
                                                        "批准（解除原绑定）",
                                                        "Approve (unbind the old phone)",
                                                    )
                                                }}
                                            </button>
                                        </ActionForm>
                                        <ActionForm action=decide attr:class="inline-form">
                                            <input type="hidden" name="id" value=id.to_string() />
                                            <input type="hidden" name="approve" value="false" />
                                            <button type="submit">
                                                {move || tr.t("拒绝", "Refuse")}
                                            </button>
                                        </ActionForm>
                                    </div>
                                </section>
                            }
                        })
                        .collect_view()
                        .into_any()
                }
            }}
        </Loaded>
    }
}
