//! `/admin/regions`: the province → city → county tree; add and rename.

use super::AdminNav;
use crate::admin::regions::{AddRegion, RenameRegion};
use crate::auth::register::region_options;
use crate::components::error_message::ErrorMessage;
use crate::components::text::use_tr;
use academy_shared::region::RegionLevel;
use leptos::prelude::*;

#[component]
pub fn AdminRegionsPage() -> impl IntoView {
    let tr = use_tr();
    let add = ServerAction::<AddRegion>::new();
    let rename = ServerAction::<RenameRegion>::new();
    let regions = Resource::new(
        move || (add.version().get(), rename.version().get()),
        |_| region_options(),
    );
    view! {
        <AdminNav />
        <h1>{move || tr.t("地区", "Regions")}</h1>
        <ErrorMessage error=Signal::derive(move || {
            add.value()
                .get()
                .and_then(Result::err)
                .or_else(|| rename.value().get().and_then(Result::err))
        }) />
        <section class="card">
            <h2>{move || tr.t("添加地区", "Add a region")}</h2>
            <ActionForm action=add attr:class="form">
                <label for="r-parent">
                    {move || {
                        tr.t("上级地区（不选则为省）", "Parent (none for a province)")
                    }}
                </label>
                <select id="r-parent" name="parent_id">
                    <option value="">"—"</option>
                    <Suspense fallback=|| ()>
                        {move || {
                            regions
                                .get()
                                .and_then(Result::ok)
                                .map(|list| {
                                    list.into_iter()
                                        .filter(|r| r.level != RegionLevel::County)
                                        .map(|r| {
                                            view! { <option value=r.id.to_string()>{r.path}</option> }
                                        })
                                        .collect_view()
                                })
                        }}
                    </Suspense>
                </select>
                <label for="r-code">
                    {move || {
                        tr.t(
                            "地区编码（如行政区划代码）",
                            "Code (e.g. the administrative code)",
                        )
                    }}
                </label>
                <input id="r-code" name="code" type="text" autocomplete="off" required />
                <label for="r-name">{move || tr.t("名称", "Name")}</label>
                <input id="r-name" name="name" type="text" autocomplete="off" required />
                <button type="submit" class="primary">
                    {move || tr.t("添加", "Add")}
                </button>
            </ActionForm>
        </section>
        <section class="card">
            <Suspense fallback=|| ()>
                <ul class="plain-list" data-testid="region-tree">
                    {move || {
                        regions
                            .get()
                            .and_then(Result::ok)
                            .map(|list| {
                                list.into_iter()
                                    .map(|r| {
                                        let depth = r.path.matches(" / ").count();
                                        let name = r
                                            .path
                                            .rsplit(" / ")
                                            .next()
                                            .unwrap_or_default()
                                            .to_owned();
                                        view! {
                                            <li class=format!("depth-{depth}")>
                                                <ActionForm action=rename attr:class="inline-form">
                                                    <input type="hidden" name="id" value=r.id.to_string() />
                                                    <label class="visually-hidden" for=format!("rn-{}", r.id)>
                                                        {move || tr.t("名称", "Name")}
                                                    </label>
                                                    <input
                                                        id=format!("rn-{}", r.id)
                                                        name="name"
                                                        type="text"
                                                        autocomplete="off"
                                                        value=name
                                                        required
                                                    />
                                                    <button type="submit">
                                                        {move || tr.t("改名", "Rename")}
                                                    </button>
                                                </ActionForm>
                                            </li>
                                        }
                                    })
                                    .collect_view()
                            })
                    }}
                </ul>
            </Suspense>
        </section>
    }
}
