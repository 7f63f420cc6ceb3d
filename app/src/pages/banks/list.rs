//! `/banks`: the banks one may see, and a new bank.

use super::{ArchivedTag, BankFacts};
use crate::components::error_message::ErrorMessage;
use crate::components::loader::Loaded;
use crate::components::text::use_tr;
use crate::exams::banks::{BankView, CreateBank, list_banks};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn BanksPage() -> impl IntoView {
    let tr = use_tr();
    let create = ServerAction::<CreateBank>::new();
    let banks = Resource::new(|| (), |_| list_banks());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/banks/{id}"), Default::default());
        }
    });
    view! {
        <h1>{move || tr.t("题库", "Question banks")}</h1>
        <Loaded resource=banks sign_in=true let:page>
            {if page.banks.is_empty() {
                view! {
                    <p class="card hint" data-testid="no-banks">
                        {move || {
                            if page.may_manage {
                                tr.t(
                                    "还没有题库，请在下方新建。",
                                    "No banks yet; create one below.",
                                )
                            } else {
                                tr.t(
                                    "暂无您可查看的题库。",
                                    "There are no banks for you yet.",
                                )
                            }
                        }}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="bank-list" data-testid="bank-list">
                        {page
                            .banks
                            .into_iter()
                            .map(|bank| view! { <BankItem bank /> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            {page
                .may_manage
                .then(|| {
                    view! {
                        <section class="card">
                            <h2>{move || tr.t("新建题库", "New bank")}</h2>
                            <ActionForm
                                action=create
                                attr:class="form"
                                attr:data-testid="bank-create"
                            >
                                <label for="bank-new-title">
                                    {move || tr.t("题库名称", "Title")}
                                </label>
                                <input
                                    id="bank-new-title"
                                    name="title"
                                    required
                                    maxlength="60"
                                    autocomplete="off"
                                />
                                <label for="bank-new-description">
                                    {move || tr.t("说明（可选）", "Description (optional)")}
                                </label>
                                <textarea
                                    id="bank-new-description"
                                    name="description"
                                    maxlength="500"
                                    rows="3"
                                    autocomplete="off"
                                ></textarea>
                                <ErrorMessage error=Signal::derive(move || {
                                    create.value().get().and_then(Result::err)
                                }) />
                                <button
                                    type="submit"
                                    class="primary"
                                    disabled=move || create.pending().get()
                                >
                                    {move || tr.t("创建", "Create")}
                                </button>
                            </ActionForm>
                        </section>
                    }
                })}
        </Loaded>
    }
}

#[component]
fn BankItem(bank: BankView) -> impl IntoView {
    view! {
        <li class="card bank-item" data-testid="bank-item">
            <h2 class="bank-title">
                <a href=format!("/banks/{}", bank.id)>{bank.title.clone()}</a>
                <ArchivedTag archived=bank.archived />
            </h2>
            <BankFacts bank=bank.clone() />
        </li>
    }
}
