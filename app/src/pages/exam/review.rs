//! `/attempts/:id/review`: a handed-in paper with its results.

use super::*;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let tr = use_tr();
    let id = use_id_param::<AttemptId>();
    let review = Resource::new(
        move || id.get(),
        |id| async move { attempt_review(found(id)?).await },
    );
    view! {
        <p>
            <a href="/my-exams">{move || tr.t("‹ 我的考试", "‹ My exams")}</a>
        </p>
        <Loaded resource=review let:r>
            <h1>{r.exam_title.clone()}</h1>
            <section class="card result" data-testid="result">
                {match r.score {
                    Some(score) => {
                        view! {
                            <p class="score" data-testid="score">
                                {format_points(score)}
                                " / "
                                {format_points(r.max_score)}
                            </p>
                            <p data-testid="passed">
                                {move || match (r.passed, tr.is_en()) {
                                    (Some(true), false) => "及格".to_owned(),
                                    (Some(true), true) => "Passed".to_owned(),
                                    (_, false) => {
                                        format!(
                                            "未及格（{} 分及格）",
                                            format_points(r.pass_mark),
                                        )
                                    }
                                    (_, true) => {
                                        format!(
                                            "Not passed (pass mark {})",
                                            format_points(r.pass_mark),
                                        )
                                    }
                                }}
                            </p>
                        }
                            .into_any()
                    }
                    None => {
                        view! {
                            <p data-testid="score-hidden">
                                {move || {
                                    tr.t(
                                        "已交卷，成绩暂不公布",
                                        "Handed in; results are not shown yet",
                                    )
                                }}
                            </p>
                        }
                            .into_any()
                    }
                }}
                {(r.closed_by.as_deref() == Some("deadline"))
                    .then(|| {
                        view! {
                            <p class="muted">
                                {move || {
                                    tr.t(
                                        "考试时间已到，系统按已保存的答案自动交卷。",
                                        "Time ran out; the paper was handed in with the saved answers.",
                                    )
                                }}
                            </p>
                        }
                    })}
            </section>
            <ol class="questions review">
                {r
                    .items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let verdict = item.correct;
                        view! {
                            <li
                                class="q card"
                                class:right=verdict == Some(true)
                                class:wrong=verdict == Some(false)
                                data-testid="review-item"
                            >
                                <p class="q-head">
                                    <span class="q-number">{i + 1}"."</span>
                                    <span class="q-kind">
                                        {
                                            let k = item.shown.kind;
                                            move || kind_label(tr, k)
                                        }
                                    </span>
                                    {item
                                        .score
                                        .map(|s| {
                                            view! {
                                                <span class="q-points">
                                                    {format_points(s)}" / "{format_points(item.shown.points)}
                                                </span>
                                            }
                                        })}
                                </p>
                                <div class="q-stem">
                                    <Stem lines=item.shown.stem.clone() />
                                </div>
                                <ul class="options plain-list">
                                    {item
                                        .shown
                                        .options
                                        .iter()
                                        .enumerate()
                                        .map(|(d, (_, text))| {
                                            view! {
                                                <li>{option_letter(d).to_string()}". "{text.clone()}</li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                                <p>
                                    {move || tr.t("你的答案：", "Your answer: ")}
                                    <span data-testid="my-answer">
                                        {
                                            let (zh, en) = (
                                                item.response_zh.clone(),
                                                item.response_en.clone(),
                                            );
                                            move || {
                                                let t = if tr.is_en() { en.clone() } else { zh.clone() };
                                                if t.is_empty() {
                                                    tr.t("未作答", "No answer").to_owned()
                                                } else {
                                                    t
                                                }
                                            }
                                        }
                                    </span>
                                </p>
                                {item
                                    .answer_zh
                                    .clone()
                                    .map(|zh| {
                                        let en = item.answer_en.clone().unwrap_or_default();
                                        view! {
                                            <p>
                                                {move || tr.t("正确答案：", "Correct answer: ")}
                                                <span data-testid="right-answer">
                                                    {move || if tr.is_en() { en.clone() } else { zh.clone() }}
                                                </span>
                                            </p>
                                        }
                                    })}
                                {item
                                    .explanation
                                    .clone()
                                    .map(|e| {
                                        view! {
                                            <p class="explanation">
                                                {move || tr.t("解析：", "Explanation: ")}{e.clone()}
                                            </p>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </Loaded>
    }
}
