//! `/classes/:id/dashboard`: the class's figures, by region, for a day.

use crate::classes::dashboard::{DashboardView, load_dashboard};
use crate::components::loader::{Loaded, found, use_id_param};
use crate::components::text::use_tr;
use academy_shared::class_stats::{Figures, centi_label};
use academy_shared::ids::ClassId;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = use_query_map();
    let id = use_id_param::<ClassId>();
    let day = move || query.read().get("day");
    let data = Resource::new(
        move || (id.get(), day()),
        |(id, day)| async move { load_dashboard(found(id)?, day).await },
    );
    view! {
        <Loaded resource=data let:view>
            <DashboardBody view />
        </Loaded>
    }
}

fn ratio(part: u32, whole: u32) -> String {
    if whole == 0 {
        return "—".into();
    }
    format!("{:.1}%", f64::from(part) * 100.0 / f64::from(whole))
}

#[component]
fn DashboardBody(view: DashboardView) -> impl IntoView {
    let tr = use_tr();
    let f: Figures = view.total;
    let export = format!(
        "/exports/classes/{}/dashboard.xlsx?day={}",
        view.class_id, view.day
    );
    let hours = academy_shared::certificate::hours_text(f.credited_ms);
    let cards: Vec<(&'static str, &'static str, String, String)> = vec![
        (
            "报名人数",
            "Enrolled",
            f.enrolled.to_string(),
            String::new(),
        ),
        (
            "已报到",
            "Reported in",
            f.reported.to_string(),
            ratio(f.reported, f.enrolled),
        ),
        (
            "今日打卡",
            "Checked in",
            f.checked_in.to_string(),
            ratio(f.checked_in, f.enrolled),
        ),
        (
            "前测人数",
            "Pre-test taken",
            f.pre_done.to_string(),
            String::new(),
        ),
        (
            "前测≥60分",
            "Pre-test ≥ 60",
            f.pre_at_least_60.to_string(),
            ratio(f.pre_at_least_60, f.pre_done),
        ),
        (
            "前测平均分",
            "Pre-test average",
            centi_label(f.pre_average_centi),
            String::new(),
        ),
        (
            "学完全部课程",
            "All courses done",
            f.courses_complete.to_string(),
            ratio(f.courses_complete, f.enrolled),
        ),
        (
            "已评价",
            "Survey answered",
            f.survey_done.to_string(),
            String::new(),
        ),
        (
            "满意度",
            "Satisfaction",
            // Fewer than five answers would tell who was not satisfied.
            academy_shared::class_stats::satisfaction_shown(&f)
                .map_or_else(|| "—".to_owned(), |(yes, of)| ratio(yes, of)),
            academy_shared::class_stats::satisfaction_shown(&f).map_or_else(
                || format!("<{}", academy_shared::class_stats::MIN_RESPONDENTS_SHOWN),
                |(yes, of)| format!("{yes}/{of}"),
            ),
        ),
        (
            "结业考试人数",
            "Final exam taken",
            f.final_done.to_string(),
            String::new(),
        ),
        (
            "结业平均分",
            "Final average",
            centi_label(f.final_average_centi),
            String::new(),
        ),
        (
            "满分人数",
            "Full marks",
            f.final_full_marks.to_string(),
            String::new(),
        ),
        (
            "90分以上",
            "90 or more",
            f.final_at_least_90.to_string(),
            String::new(),
        ),
        (
            "已发证书",
            "Certificates",
            f.certified.to_string(),
            String::new(),
        ),
        ("累计学时", "Credited hours", hours, String::new()),
    ];
    let checked = view.checked_in.clone();
    view! {
        <h1>{view.title.clone()}" · "{move || tr.t("统计", "Figures")}</h1>
        <form method="get" class="dashboard-day">
            <label>
                {move || tr.t("截至日期", "As of")}
                <input type="date" name="day" value=view.day.clone() autocomplete="off" />
            </label>
            <button type="submit">{move || tr.t("查看", "Show")}</button>
            " "
            <a class="button" href=export rel="external" data-testid="dashboard-export">
                {move || tr.t("导出 Excel", "Export .xlsx")}
            </a>
        </form>
        {view
            .scoped
            .then(|| {
                view! {
                    <p class="hint">
                        {move || {
                            tr.t(
                                "仅显示您负责地区的学员。",
                                "Only learners of your regions are counted.",
                            )
                        }}
                    </p>
                }
            })}
        <ul class="dashboard-cards" data-testid="dashboard">
            {cards
                .into_iter()
                .map(|(zh, en, value, note)| {
                    view! {
                        <li data-figure=en>
                            <span class="hint">{move || tr.t(zh, en)}</span>
                            <strong>{value}</strong>
                            <span class="hint">{note}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <h2>{move || tr.t("按地区", "By region")}</h2>
        <div class="table-scroll">
            <table class="data" data-testid="dashboard-regions">
                <thead>
                    <tr>
                        <th scope="col">{move || tr.t("地区", "Region")}</th>
                        <th scope="col">{move || tr.t("报名", "Enrolled")}</th>
                        <th scope="col">{move || tr.t("报到", "Reported")}</th>
                        <th scope="col">{move || tr.t("打卡", "Checked in")}</th>
                        <th scope="col">{move || tr.t("学完课程", "Courses done")}</th>
                        <th scope="col">{move || tr.t("前测", "Pre-test")}</th>
                        <th scope="col">{move || tr.t("前测均分", "Pre avg")}</th>
                        <th scope="col">{move || tr.t("评价", "Survey")}</th>
                        <th scope="col">{move || tr.t("结业考试", "Final")}</th>
                        <th scope="col">{move || tr.t("结业均分", "Final avg")}</th>
                        <th scope="col">{move || tr.t("证书", "Certificates")}</th>
                    </tr>
                </thead>
                <tbody>
                    {view
                        .regions
                        .into_iter()
                        .map(|r| {
                            let f = r.figures;
                            view! {
                                <tr>
                                    <th scope="row">{r.region}</th>
                                    <td>{f.enrolled}</td>
                                    <td>{f.reported}</td>
                                    <td>{f.checked_in}</td>
                                    <td>{f.courses_complete}</td>
                                    <td>{f.pre_done}</td>
                                    <td>{centi_label(f.pre_average_centi)}</td>
                                    <td>{f.survey_done}</td>
                                    <td>{f.final_done}</td>
                                    <td>{centi_label(f.final_average_centi)}</td>
                                    <td>{f.certified}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <h2>{move || tr.t("当日打卡", "Checked in that day")}" ("{checked.len()}")"</h2>
        <ul class="plain-list" data-testid="dashboard-checkins">
            {checked
                .into_iter()
                .map(|(name, region, at)| {
                    view! { <li>{name}" · "{region}" · "<span class="hint">{at}</span></li> }
                })
                .collect_view()}
        </ul>
    }
}
