//! `/classes`: the training classes; `/classes/:id/settings`: what the player
//! follows in a class (organizers and administrators).

use crate::classes::api::{MAX_RATES, SaveClassSettings, class_settings, list_classes};
use crate::components::error_message::ErrorMessage;
use crate::components::text::use_tr;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ClassesPage() -> impl IntoView {
    let tr = use_tr();
    let classes = Resource::new(|| (), |_| list_classes());
    view! {
        <h1>{move || tr.t("培训班", "Classes")}</h1>
        <Suspense fallback=|| ()>
            {move || classes.get().map(|result| match result {
                Err(e) => view! { <ErrorMessage error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
                Ok(list) => view! {
                    <ul class="plain-list" data-testid="classes">
                        {list.into_iter().map(|c| view! {
                            <li>
                                <strong>{c.title.clone()}</strong>" · "
                                <a href=format!("/classes/{}/settings", c.id)>{move || tr.t("学习设置", "Study settings")}</a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn ClassSettingsPage() -> impl IntoView {
    let tr = use_tr();
    let params = use_params_map();
    let save = ServerAction::<SaveClassSettings>::new();
    let settings = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())),
                save.version().get(),
            )
        },
        |(id, _)| async move {
            match id {
                Some(id) => class_settings(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <p><a href="/classes">{move || tr.t("‹ 培训班", "‹ Classes")}</a></p>
        <Suspense fallback=|| ()>
            {move || settings.get().map(|result| match result {
                Err(e) => view! { <ErrorMessage error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
                Ok(s) => view! {
                    <h1>{s.title.clone()}</h1>
                    <section class="card">
                        <h2>{move || tr.t("学习设置", "Study settings")}</h2>
                        <ActionForm action=save attr:class="form" attr:data-testid="class-settings">
                            <input type="hidden" name="id" value=s.id.to_string() />
                            <label for="idle-seconds">{move || tr.t("无操作多少秒后暂停并提醒（默认 1200 秒，即 20 分钟）", "Pause with a prompt after this many seconds without interaction (default 1200 = 20 minutes)")}</label>
                            <input id="idle-seconds" name="idle_prompt_seconds" type="number" inputmode="numeric" min="3" max="7200" required value=s.idle_prompt_seconds.to_string() />
                            <label for="max-rate">{move || tr.t("最高播放倍速", "Fastest playback rate")}</label>
                            <select id="max-rate" name="max_rate_milli">
                                {MAX_RATES.iter().map(|r| view! {
                                    <option value=r.to_string() selected=*r == s.max_rate_milli>{format!("{}×", *r as f64 / 1000.0)}</option>
                                }).collect_view()}
                            </select>
                            <label for="intro-id">{move || tr.t("片头（可选，不计学时）", "Intro clip (optional, not counted)")}</label>
                            <ClipSelect id="intro-id" name="intro_media_id" videos=s.videos.clone() chosen=s.intro_media_id />
                            <label for="outro-id">{move || tr.t("片尾（可选，不计学时）", "Outro clip (optional, not counted)")}</label>
                            <ClipSelect id="outro-id" name="outro_media_id" videos=s.videos.clone() chosen=s.outro_media_id />
                            <ErrorMessage error=Signal::derive(move || save.value().get().and_then(Result::err)) />
                            <Show when=move || matches!(save.value().get(), Some(Ok(())))>
                                <p class="success-message" role="status" data-testid="settings-saved">{move || tr.t("已保存", "Saved")}</p>
                            </Show>
                            <button type="submit" class="primary">{move || tr.t("保存", "Save")}</button>
                        </ActionForm>
                    </section>
                    <section class="card">
                        <h2>{move || tr.t("课程", "Lessons")}</h2>
                        <ol>
                            {s.lessons.iter().map(|(courseware, title)| view! {
                                <li>{title.clone()}" · "<a href=format!("/learn/{}/{courseware}", s.id)>{move || tr.t("预览", "Preview")}</a></li>
                            }).collect_view()}
                        </ol>
                    </section>
                }.into_any(),
            })}
        </Suspense>
    }
}

/// A choice among uploaded videos, or none.
#[component]
fn ClipSelect(
    id: &'static str,
    name: &'static str,
    videos: Vec<(i64, String)>,
    chosen: Option<i64>,
) -> impl IntoView {
    let tr = use_tr();
    view! {
        <select id=id name=name>
            <option value="" selected=chosen.is_none()>{move || tr.t("无", "None")}</option>
            {videos.into_iter().map(|(video, label)| view! {
                <option value=video.to_string() selected=chosen == Some(video)>{label}</option>
            }).collect_view()}
        </select>
    }
}
