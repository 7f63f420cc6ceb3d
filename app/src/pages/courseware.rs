//! `/courseware` (课件库): the library; `/courseware/new`; `/courseware/:id`:
//! editing the video, slides, outline and attachments, and the review gates.

use crate::components::error_message::ErrorMessage;
use crate::components::loader::{Loaded, found, use_id_param};
use crate::components::text::use_tr;
use crate::components::upload::MediaUpload;
use crate::courseware::UploadedMedia;
use crate::courseware::api::{
    AddCoursewareToClass, CoursewareEdit, CreateCourseware, ReviewCourseware,
    SaveCoursewareDetails, add_attachment, courseware_for_edit, list_courseware, remove_attachment,
    save_outline, save_slides, set_courseware_video,
};
use crate::error::AppError;
use academy_shared::courseware::{ReviewAction, ReviewState, format_start_time};
use academy_shared::ids::{CoursewareId, MediaId};
use academy_shared::time::format_china_time;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn CoursewareLibraryPage() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let field = move |name: &str| query.with(|q| q.get(name).filter(|v| !v.is_empty()));
    let list = Resource::new(
        move || {
            (
                field("text"),
                field("lecturer"),
                field("topic"),
                field("state"),
                field("page").and_then(|p| p.parse::<i64>().ok()),
            )
        },
        |(text, lecturer, topic, state, page)| list_courseware(text, lecturer, topic, state, page),
    );
    view! {
        <h1>{move || tr.t("课件库", "Courseware library")}</h1>
        <Loaded resource=list sign_in=true let:page>
            {
                let selected = move |name: &'static str, value: String| {
                    field(name).as_deref() == Some(value.as_str())
                };
                view! {
                    {page
                        .may_create
                        .then(|| {
                            view! {
                                <p>
                                    <a
                                        class="button primary"
                                        href="/courseware/new"
                                        data-testid="new-courseware"
                                    >
                                        {move || tr.t("新建课件", "New courseware")}
                                    </a>
                                </p>
                            }
                        })}
                    <form method="get" action="/courseware" class="filters" role="search">
                        <label for="cw-text">{move || tr.t("搜索", "Search")}</label>
                        <input
                            id="cw-text"
                            name="text"
                            type="search"
                            value=field("text").unwrap_or_default()
                            autocomplete="off"
                        />
                        {(!page.lecturers.is_empty())
                            .then(|| {
                                view! {
                                    <label for="cw-lecturer">
                                        {move || tr.t("讲师", "Lecturer")}
                                    </label>
                                    <select id="cw-lecturer" name="lecturer">
                                        <option value="">{move || tr.t("全部", "All")}</option>
                                        {page
                                            .lecturers
                                            .iter()
                                            .map(|l| {
                                                view! {
                                                    <option
                                                        value=l.clone()
                                                        selected=selected("lecturer", l.clone())
                                                    >
                                                        {l.clone()}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                }
                            })}
                        {(!page.topics.is_empty())
                            .then(|| {
                                view! {
                                    <label for="cw-topic">{move || tr.t("专题", "Topic")}</label>
                                    <select id="cw-topic" name="topic">
                                        <option value="">{move || tr.t("全部", "All")}</option>
                                        {page
                                            .topics
                                            .iter()
                                            .map(|t| {
                                                view! {
                                                    <option
                                                        value=t.clone()
                                                        selected=selected("topic", t.clone())
                                                    >
                                                        {t.clone()}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                }
                            })}
                        <label for="cw-state">{move || tr.t("状态", "State")}</label>
                        <select id="cw-state" name="state">
                            <option value="">{move || tr.t("全部", "All")}</option>
                            {ReviewState::ALL
                                .iter()
                                .map(|&s| {
                                    let value = s.code().to_owned();
                                    view! {
                                        <option
                                            value=value.clone()
                                            selected=selected("state", value)
                                        >
                                            {move || tr.label(s)}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                        <button type="submit">{move || tr.t("筛选", "Filter")}</button>
                    </form>
                    <p class="hint">
                        {move || tr.t("共 ", "")}{page.total}{move || tr.t(" 个课件", " items")}
                    </p>
                    <div class="table-scroll">
                        <table class="data-table" data-testid="courseware-table">
                            <thead>
                                <tr>
                                    <th>{move || tr.t("标题", "Title")}</th>
                                    <th>{move || tr.t("讲师", "Lecturer")}</th>
                                    <th>{move || tr.t("专题", "Topic")}</th>
                                    <th>{move || tr.t("时长", "Duration")}</th>
                                    <th>{move || tr.t("状态", "State")}</th>
                                    <th>{move || tr.t("更新时间", "Updated")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {page
                                    .rows
                                    .into_iter()
                                    .map(|row| {
                                        let state = row.state;
                                        view! {
                                            <tr>
                                                <td>
                                                    <a href=format!(
                                                        "/courseware/{}",
                                                        row.id,
                                                    )>{row.title.clone()}</a>
                                                </td>
                                                <td>{row.lecturer_name.clone()}</td>
                                                <td>{row.topic.clone()}</td>
                                                <td>
                                                    {move || {
                                                        if row.has_video {
                                                            tr.duration(row.duration_ms)
                                                        } else {
                                                            tr.t("无视频", "no video").to_owned()
                                                        }
                                                    }}
                                                </td>
                                                <td>
                                                    <span class=format!(
                                                        "tag state-{}",
                                                        row.state.code(),
                                                    )>{move || tr.label(state)}</span>
                                                </td>
                                                <td>{format_china_time(row.updated_at)}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <Pager total=page.total page=page.page page_size=page.page_size />
                }
            }
        </Loaded>
    }
}

/// Previous/next links that keep the current filters.
#[component]
fn Pager(total: i64, page: i64, page_size: i64) -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let link = move |to: i64| {
        let mut pairs: Vec<String> = query.with_untracked(|q| {
            ["text", "lecturer", "topic", "state"]
                .iter()
                .filter_map(|k| q.get(k).map(|v| format!("{k}={}", urlencode(&v))))
                .collect()
        });
        pairs.push(format!("page={to}"));
        format!("/courseware?{}", pairs.join("&"))
    };
    let last = (total - 1).max(0) / page_size.max(1);
    view! {
        <nav class="pager" aria-label=move || tr.t("分页", "Pages")>
            {(page > 0)
                .then(|| {
                    view! { <a href=link(page - 1)>{move || tr.t("上一页", "Previous")}</a> }
                })}
            <span>{format!("{} / {}", page + 1, last + 1)}</span>
            {(page < last)
                .then(|| view! { <a href=link(page + 1)>{move || tr.t("下一页", "Next")}</a> })}
        </nav>
    }
}

fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[component]
pub fn CoursewareNewPage() -> impl IntoView {
    let tr = use_tr();
    let create = ServerAction::<CreateCourseware>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/courseware/{id}"), Default::default());
        }
    });
    view! {
        <h1>{move || tr.t("新建课件", "New courseware")}</h1>
        <section class="card">
            <ActionForm action=create attr:class="form" attr:data-testid="new-courseware-form">
                <DetailsFields
                    title=String::new()
                    lecturer_name=String::new()
                    topic=String::new()
                    lecturer_username=None
                />
                <ErrorMessage error=Signal::derive(move || {
                    create.value().get().and_then(Result::err)
                }) />
                <button type="submit" class="primary">
                    {move || tr.t("创建", "Create")}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn DetailsFields(
    title: String,
    lecturer_name: String,
    topic: String,
    lecturer_username: Option<String>,
) -> impl IntoView {
    let tr = use_tr();
    view! {
        <label for="cw-title">{move || tr.t("课程标题", "Title")}</label>
        <input id="cw-title" name="title" required maxlength="100" autocomplete="off" value=title />
        <label for="cw-lecturer-name">{move || tr.t("主讲人", "Lecturer")}</label>
        <input
            id="cw-lecturer-name"
            name="lecturer_name"
            required
            maxlength="40"
            autocomplete="off"
            value=lecturer_name
        />
        <label for="cw-topic-input">{move || tr.t("专题（可选）", "Topic (optional)")}</label>
        <input id="cw-topic-input" name="topic" maxlength="40" autocomplete="off" value=topic />
        <label for="cw-lecturer-username">
            {move || {
                tr.t(
                    "讲师账号（可选，承办单位填写）",
                    "Lecturer's username (optional, for organizers)",
                )
            }}
        </label>
        <input
            id="cw-lecturer-username"
            name="lecturer_username"
            maxlength="64"
            autocomplete="off"
            value=lecturer_username.unwrap_or_default()
        />
    }
}

#[component]
pub fn CoursewareEditPage() -> impl IntoView {
    let tr = use_tr();
    let id = use_id_param::<CoursewareId>();
    let changed = RwSignal::new(0u32);
    let details = ServerAction::<SaveCoursewareDetails>::new();
    let review = ServerAction::<ReviewCourseware>::new();
    let add_to_class = ServerAction::<AddCoursewareToClass>::new();
    let courseware = Resource::new(
        move || {
            (
                id.get(),
                changed.get(),
                details.version().get(),
                review.version().get(),
                add_to_class.version().get(),
            )
        },
        |(id, ..)| async move { courseware_for_edit(found(id)?).await },
    );
    let refresh = Callback::new(move |()| changed.update(|n| *n += 1));
    // Outside the editor, which is rebuilt after every save.
    let status = Status {
        error: RwSignal::new(None),
        saved: RwSignal::new(None),
    };
    view! {
        <p>
            <a href="/courseware">{move || tr.t("‹ 课件库", "‹ Library")}</a>
        </p>
        <Loaded resource=courseware let:cw>
            <CoursewareEditor
                cw=cw
                details=details
                review=review
                add_to_class=add_to_class
                refresh=refresh
                status=status
            />
        </Loaded>
    }
}

/// The outcome of the editor's last save.
#[derive(Clone, Copy)]
struct Status {
    error: RwSignal<Option<AppError>>,
    saved: RwSignal<Option<&'static str>>,
}

#[component]
fn CoursewareEditor(
    cw: CoursewareEdit,
    details: ServerAction<SaveCoursewareDetails>,
    review: ServerAction<ReviewCourseware>,
    add_to_class: ServerAction<AddCoursewareToClass>,
    refresh: Callback<()>,
    status: Status,
) -> impl IntoView {
    let tr = use_tr();
    let id = cw.id;
    let state = cw.state;
    let editable = cw.editable;
    let review_cw = cw.clone();
    let classes = cw.classes.clone();
    let in_classes = cw.in_classes.clone();
    let Status { error, saved } = status;
    // Runs a server call, shows its error or a confirmation, and reloads.
    let run =
        move |call: std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), AppError>>>>,
              done: &'static str| {
            leptos::task::spawn_local(async move {
                match call.await {
                    Ok(()) => {
                        error.set(None);
                        saved.set(Some(done));
                        refresh.run(());
                    }
                    Err(e) => {
                        saved.set(None);
                        error.set(Some(e));
                    }
                }
            });
        };

    let slides = RwSignal::new(
        cw.slides
            .iter()
            .map(|s| (s.media_id, format_start_time(s.start_ms), s.url.clone()))
            .collect::<Vec<_>>(),
    );
    let outline = RwSignal::new(cw.outline_text.clone());
    let on_video = Callback::new(move |media: Vec<UploadedMedia>| {
        if let Some(video) = media.into_iter().next() {
            run(
                Box::pin(set_courseware_video(id, video.id)),
                "视频已更新 · video saved",
            );
        }
    });
    let on_slides = Callback::new(move |media: Vec<UploadedMedia>| {
        slides.update(|list| {
            let start = list
                .last()
                .map(|s| s.1.clone())
                .unwrap_or_else(|| "00:00".into());
            for m in media {
                list.push((m.id, start.clone(), crate::study::api::media_url(m.id)));
            }
        });
    });
    let on_attachment = Callback::new(move |media: Vec<UploadedMedia>| {
        for m in media {
            run(
                Box::pin(add_attachment(id, m.id)),
                "附件已添加 · attachment added",
            );
        }
    });
    let save_slide_list = move |_| {
        let (ids, starts): (Vec<MediaId>, Vec<String>) = slides
            .get_untracked()
            .into_iter()
            .map(|(m, s, _)| (m, s))
            .unzip();
        run(
            Box::pin(save_slides(id, ids, starts)),
            "幻灯片已保存 · slides saved",
        );
    };
    let save_outline_text = move |_| {
        run(
            Box::pin(save_outline(id, outline.get_untracked())),
            "提纲已保存 · outline saved",
        );
    };

    view! {
        <h1 data-testid="courseware-title">{cw.title.clone()}</h1>
        <p>
            <span class=format!("tag state-{}", cw.state.code()) data-testid="courseware-state">
                {move || tr.label(state)}
            </span>
            {cw
                .video
                .as_ref()
                .map(|_| {
                    view! {
                        <span class="hint">
                            {move || format!(" · {}", tr.duration(cw.duration_ms))}
                        </span>
                    }
                })}
        </p>
        {(!editable)
            .then(|| {
                view! {
                    <p class="hint">
                        {move || {
                            tr.t(
                                "当前状态下课件只读；如需修改，请审核人退回。",
                                "Read-only in this state; a reviewer can send it back for changes.",
                            )
                        }}
                    </p>
                }
            })}
        <ErrorMessage error=Signal::derive(move || error.get()) />
        {move || {
            saved
                .get()
                .map(|s| {
                    view! {
                        <p class="success-message" role="status">
                            {s}
                        </p>
                    }
                })
        }}

        <section class="card">
            <h2>{move || tr.t("基本信息", "Details")}</h2>
            <ActionForm action=details attr:class="form">
                <input type="hidden" name="id" value=id.to_string() />
                <fieldset disabled=!editable>
                    <DetailsFields
                        title=cw.title.clone()
                        lecturer_name=cw.lecturer_name.clone()
                        topic=cw.topic.clone()
                        lecturer_username=cw.lecturer_username.clone()
                    />
                    <ErrorMessage error=Signal::derive(move || {
                        details.value().get().and_then(Result::err)
                    }) />
                    <button type="submit" class="primary">
                        {move || tr.t("保存", "Save")}
                    </button>
                </fieldset>
            </ActionForm>
        </section>

        <section class="card">
            <h2>{move || tr.t("课程视频", "Lecture video")}</h2>
            {cw
                .video
                .as_ref()
                .map(|v| {
                    view! {
                        <video
                            class="preview-video"
                            src=v.url.clone()
                            controls
                            preload="metadata"
                            playsinline
                        ></video>
                        <p class="hint" data-testid="video-info">
                            {format!("{} · {} MB", v.file_name, v.size_bytes / (1024 * 1024))}
                        </p>
                    }
                })}
            {editable
                .then(|| {
                    view! {
                        <MediaUpload
                            kind="video"
                            id="video-upload"
                            accept="video/mp4"
                            on_done=on_video
                            label=Signal::derive(move || {
                                tr.t(
                                        "上传 MP4 视频（H.264/AAC）",
                                        "Upload an MP4 video (H.264/AAC)",
                                    )
                                    .to_owned()
                            })
                        />
                    }
                })}
        </section>

        <section class="card">
            <h2>{move || tr.t("幻灯片", "Slides")}</h2>
            <p class="hint">
                {move || {
                    tr.t(
                        "每张幻灯片填写开始时间（分:秒），播放到该时间时显示。",
                        "Give each slide the time (mm:ss) it appears at.",
                    )
                }}
            </p>
            <ol class="slide-editor" data-testid="slide-editor">
                <For
                    each=move || slides.get().into_iter().enumerate()
                    key=|(i, s)| (*i, s.0)
                    let:item
                >
                    {
                        let (index, (_, start, url)) = item;
                        let label = format!("slide-start-{index}");
                        view! {
                            <li>
                                <img src=url alt="" loading="lazy" />
                                <label for=label
                                    .clone()>{move || tr.t("开始时间", "Starts at")}</label>
                                <input
                                    id=label.clone()
                                    value=start
                                    disabled=!editable
                                    inputmode="numeric"
                                    on:change=move |ev| {
                                        let v = event_target_value(&ev);
                                        slides
                                            .update(|l| {
                                                if let Some(s) = l.get_mut(index) {
                                                    s.1 = v;
                                                }
                                            });
                                    }
                                />
                                {editable
                                    .then(|| {
                                        view! {
                                            <button
                                                type="button"
                                                on:click=move |_| {
                                                    slides
                                                        .update(|l| {
                                                            if index < l.len() {
                                                                l.remove(index);
                                                            }
                                                        })
                                                }
                                            >
                                                {move || tr.t("删除", "Remove")}
                                            </button>
                                        }
                                    })}
                            </li>
                        }
                    }
                </For>
            </ol>
            {editable
                .then(|| {
                    view! {
                        <MediaUpload
                            kind="image"
                            id="slide-upload"
                            accept="image/png,image/jpeg,image/webp"
                            multiple=true
                            on_done=on_slides
                            label=Signal::derive(move || {
                                tr.t("添加幻灯片图片", "Add slide images").to_owned()
                            })
                        />
                        <MediaUpload
                            kind="pdf"
                            id="pdf-upload"
                            accept="application/pdf"
                            on_done=on_slides
                            label=Signal::derive(move || {
                                tr.t(
                                        "或上传 PDF（每页一张幻灯片）",
                                        "Or upload a PDF (one slide per page)",
                                    )
                                    .to_owned()
                            })
                        />
                        <button
                            type="button"
                            class="primary"
                            data-testid="save-slides"
                            on:click=save_slide_list
                        >
                            {move || tr.t("保存幻灯片", "Save slides")}
                        </button>
                    }
                })}
        </section>

        <section class="card">
            <h2>{move || tr.t("提纲", "Outline")}</h2>
            <label for="outline-text" class="hint">
                {move || {
                    tr.t(
                        "每行一项：时间 + 内容；以 # 开头的是标题。例如：03:15 # 一、主要内容",
                        "One item per line: time, then text; # marks a heading. E.g. 03:15 # Part one",
                    )
                }}
            </label>
            <textarea
                id="outline-text"
                class="outline-editor"
                rows="10"
                disabled=!editable
                data-testid="outline-text"
                prop:value=move || outline.get()
                on:input=move |ev| outline.set(event_target_value(&ev))
            ></textarea>
            {editable
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="primary"
                            data-testid="save-outline"
                            on:click=save_outline_text
                        >
                            {move || tr.t("保存提纲", "Save outline")}
                        </button>
                    }
                })}
        </section>

        <section class="card">
            <h2>{move || tr.t("附件", "Attachments")}</h2>
            <ul class="plain-list" data-testid="attachments">
                {cw
                    .attachments
                    .iter()
                    .map(|a| {
                        let media_id = a.id;
                        view! {
                            <li>
                                <a href=a.url.clone() download>
                                    {a.file_name.clone()}
                                </a>
                                {format!(" · {} KB ", a.size_bytes / 1024)}
                                {editable
                                    .then(|| {
                                        view! {
                                            <button
                                                type="button"
                                                on:click=move |_| run(
                                                    Box::pin(remove_attachment(id, media_id)),
                                                    "附件已删除 · attachment removed",
                                                )
                                            >
                                                {move || tr.t("删除", "Remove")}
                                            </button>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {editable
                .then(|| {
                    view! {
                        <MediaUpload
                            kind="attachment"
                            id="attachment-upload"
                            accept=".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.txt,.png,.jpg,.jpeg,.webp"
                            on_done=on_attachment
                            label=Signal::derive(move || {
                                tr.t("添加附件", "Add an attachment").to_owned()
                            })
                        />
                    }
                })}
        </section>

        <ReviewPanel cw=review_cw review=review />

        {(!classes.is_empty() || !in_classes.is_empty())
            .then(|| {
                view! {
                    <section class="card">
                        <h2>{move || tr.t("培训班", "Classes")}</h2>
                        <ul class="plain-list">
                            {in_classes
                                .iter()
                                .map(|(class_id, title)| {
                                    view! {
                                        <li>
                                            {title.clone()}" · "
                                            <a href=format!(
                                                "/learn/{class_id}/{id}",
                                            )>{move || tr.t("预览", "Preview")}</a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                        {(!classes.is_empty())
                            .then(|| {
                                view! {
                                    <ActionForm action=add_to_class attr:class="form inline-form">
                                        <input type="hidden" name="id" value=id.to_string() />
                                        <label for="class-select">
                                            {move || tr.t("加入培训班", "Add to class")}
                                        </label>
                                        <select id="class-select" name="class_id">
                                            {classes
                                                .iter()
                                                .map(|(class_id, title, _)| {
                                                    view! {
                                                        <option value=class_id.to_string()>{title.clone()}</option>
                                                    }
                                                })
                                                .collect_view()}
                                        </select>
                                        <button type="submit">
                                            {move || tr.t("加入", "Add")}
                                        </button>
                                        <ErrorMessage error=Signal::derive(move || {
                                            add_to_class.value().get().and_then(Result::err)
                                        }) />
                                    </ActionForm>
                                }
                            })}
                    </section>
                }
            })}
    }
}

#[component]
fn ReviewPanel(cw: CoursewareEdit, review: ServerAction<ReviewCourseware>) -> impl IntoView {
    let tr = use_tr();
    let id = cw.id;
    let action_label = move |a: ReviewAction| {
        if tr.is_en() {
            a.label_en()
        } else {
            a.label_zh()
        }
    };
    view! {
        <section class="card" data-testid="review">
            <h2>{move || tr.t("审核流程", "Review")}</h2>
            <ol class="gates">
                {ReviewState::ALL
                    .iter()
                    .map(|s| {
                        let current = *s == cw.state;
                        let label = move || if tr.is_en() { s.label_en() } else { s.label_zh() };
                        view! { <li aria-current=current.then_some("step")>{label}</li> }
                    })
                    .collect_view()}
            </ol>
            {(!cw.actions.is_empty())
                .then({
                    let actions = cw.actions.clone();
                    move || {
                        view! {
                            <ActionForm action=review attr:class="form">
                                <input type="hidden" name="id" value=id.to_string() />
                                <label for="review-comment">
                                    {move || {
                                        tr.t(
                                            "意见（退回时必填）",
                                            "Comment (required when sending back)",
                                        )
                                    }}
                                </label>
                                <textarea
                                    id="review-comment"
                                    name="comment"
                                    maxlength="500"
                                    rows="2"
                                ></textarea>
                                <div class="button-row">
                                    {actions
                                        .iter()
                                        .map(|a| {
                                            let a = *a;
                                            view! {
                                                <button
                                                    type="submit"
                                                    name="action"
                                                    value=a.code()
                                                    data-testid=format!("review-{}", a.code())
                                                    class=if matches!(
                                                        a,
                                                        ReviewAction::SendBack | ReviewAction::Withdraw
                                                    ) {
                                                        ""
                                                    } else {
                                                        "primary"
                                                    }
                                                >
                                                    {move || action_label(a)}
                                                </button>
                                            }
                                        })
                                        .collect_view()}
                                </div>
                                <ErrorMessage error=Signal::derive(move || {
                                    review.value().get().and_then(Result::err)
                                }) />
                            </ActionForm>
                        }
                    }
                })}
            <h3>{move || tr.t("记录", "History")}</h3>
            <ul class="plain-list" data-testid="review-history">
                {cw
                    .history
                    .iter()
                    .map(|step| {
                        let action = step.action;
                        let to = step.to_state;
                        view! {
                            <li>
                                {format_china_time(step.acted_at)}" · "
                                {step.actor_name.clone().unwrap_or_default()}" · "
                                {move || action_label(action)}" → "{move || tr.label(to)}
                                {(!step.comment.is_empty())
                                    .then(|| view! { <q>{step.comment.clone()}</q> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
