//! A file input that streams the chosen file to `POST /media/upload` with a
//! progress bar (XMLHttpRequest: `fetch` cannot report upload progress), and
//! hands the stored files to the page.

use crate::components::text::use_tr;
use crate::courseware::{UploadRefusal, UploadedMedia};
use leptos::prelude::*;

#[component]
pub fn MediaUpload(
    /// `video`, `image`, `pdf` or `attachment`.
    kind: &'static str,
    /// The input's id (for its label) and test id.
    id: &'static str,
    accept: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(optional)] multiple: bool,
    on_done: Callback<Vec<UploadedMedia>>,
) -> impl IntoView {
    let tr = use_tr();
    let progress = RwSignal::new(None::<u32>);
    let refusal = RwSignal::new(None::<UploadRefusal>);
    let input = NodeRef::<leptos::html::Input>::new();
    let on_change = move |_| {
        refusal.set(None);
        #[cfg(feature = "hydrate")]
        if let Some(input) = input.get_untracked() {
            browser::upload_all(&input, kind, progress, refusal, on_done);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (kind, on_done, input);
    };
    view! {
        <div class="upload">
            <label for=id>{move || label.get()}</label>
            <input
                type="file"
                id=id
                data-testid=id
                accept=accept
                multiple=multiple
                node_ref=input
                on:change=on_change
                disabled=move || progress.get().is_some()
            />
            <Show when=move || progress.get().is_some()>
                <progress
                    max="100"
                    value=move || progress.get().unwrap_or(0).to_string()
                    aria-label=move || tr.t("上传进度", "Upload progress")
                ></progress>
                <span class="hint" role="status">
                    {move || format!("{}%", progress.get().unwrap_or(0))}
                </span>
            </Show>
            {move || {
                refusal
                    .get()
                    .map(|r| {
                        view! {
                            <p class="error-message" role="alert" data-testid=format!("{id}-error")>
                                {move || if tr.is_en() { r.en.clone() } else { r.zh.clone() }}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use crate::courseware::{UploadAnswer, UploadRefusal, UploadedMedia};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    fn network_refusal() -> UploadRefusal {
        UploadRefusal {
            zh: "上传失败：网络连接中断，请重试".into(),
            en: "The upload failed: the network connection broke, please try again".into(),
        }
    }

    /// Uploads the chosen files one after another.
    pub fn upload_all(
        input: &web_sys::HtmlInputElement,
        kind: &'static str,
        progress: RwSignal<Option<u32>>,
        refusal: RwSignal<Option<UploadRefusal>>,
        on_done: Callback<Vec<UploadedMedia>>,
    ) {
        let Some(files) = input.files() else { return };
        let files: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
        input.set_value("");
        upload_next(files, 0, kind, progress, refusal, on_done, Vec::new());
    }

    fn upload_next(
        files: Vec<web_sys::File>,
        index: usize,
        kind: &'static str,
        progress: RwSignal<Option<u32>>,
        refusal: RwSignal<Option<UploadRefusal>>,
        on_done: Callback<Vec<UploadedMedia>>,
        mut stored: Vec<UploadedMedia>,
    ) {
        let Some(file) = files.get(index).cloned() else {
            progress.set(None);
            if !stored.is_empty() {
                on_done.run(stored);
            }
            return;
        };
        let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
            return;
        };
        let name = String::from(js_sys::encode_uri_component(&file.name()));
        let url = format!("/media/upload?kind={kind}&name={name}");
        if xhr.open("POST", &url).is_err() {
            return;
        }
        progress.set(Some(0));
        if let Ok(upload) = xhr.upload() {
            let on_progress = Closure::<dyn Fn(web_sys::ProgressEvent)>::new(
                move |event: web_sys::ProgressEvent| {
                    if event.length_computable() && event.total() > 0.0 {
                        progress.set(Some((event.loaded() * 100.0 / event.total()) as u32));
                    }
                },
            );
            upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
            on_progress.forget();
        }
        let request = xhr.clone();
        let on_end = Closure::once_into_js(move || {
            let status = request.status().unwrap_or(0);
            let body = request.response_text().ok().flatten().unwrap_or_default();
            if status == 201 {
                if let Ok(answer) = serde_json::from_str::<UploadAnswer>(&body) {
                    stored.extend(answer.media);
                }
                upload_next(files, index + 1, kind, progress, refusal, on_done, stored);
            } else {
                progress.set(None);
                refusal.set(Some(
                    serde_json::from_str::<UploadRefusal>(&body)
                        .unwrap_or_else(|_| network_refusal()),
                ));
                if !stored.is_empty() {
                    on_done.run(stored);
                }
            }
        });
        xhr.set_onloadend(Some(on_end.unchecked_ref()));
        if xhr.send_with_opt_blob(Some(&file)).is_err() {
            progress.set(None);
            refusal.set(Some(network_refusal()));
        }
    }
}
