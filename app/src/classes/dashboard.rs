//! The class dashboard (organizers, administrators, supervisors and
//! liaisons, each within their regions): the seed's figures for the class,
//! per county, for any day, and who has checked in today.

use crate::error::AppError;
use academy_shared::class_stats::Figures;
use academy_shared::ids::ClassId;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionFigures {
    pub region: String,
    pub figures: Figures,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardView {
    pub class_id: ClassId,
    pub title: String,
    pub state: academy_shared::class::ClassState,
    /// The day the figures are as of, `YYYY-MM-DD` (China time).
    pub day: String,
    /// Whether the viewer sees only part of the class (their regions).
    pub scoped: bool,
    pub courses_total: u32,
    pub total: Figures,
    pub regions: Vec<RegionFigures>,
    /// Checked in on `day`: (name, region, time).
    pub checked_in: Vec<(String, String, String)>,
}

#[server(endpoint = "classes/dashboard")]
pub async fn load_dashboard(
    class_id: ClassId,
    day: Option<String>,
) -> Result<DashboardView, AppError> {
    crate::error::respond(ssr::dashboard(class_id, day).await)
}

#[cfg(feature = "ssr")]
pub use ssr::{dashboard_for, dashboard_workbook, visible_regions, visible_rows};

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::auth::session::{self, Signed};
    use crate::store::{LearnerFigures, Store};
    use academy_shared::checkin::{date_of, day_of, day_start_ms, label, parse_label};
    use academy_shared::class_stats::{centi_label, figures};
    use academy_shared::ids::RegionId;
    use academy_shared::role::policy::{MANAGERS, REGION_SCOPED};
    use std::collections::{BTreeMap, HashMap, HashSet};

    /// The regions `signed` may see: `None` for everything.
    pub async fn visible_regions(
        store: &Store,
        signed: &Signed,
    ) -> Result<Option<HashSet<RegionId>>, AppError> {
        if MANAGERS.iter().any(|r| signed.has(*r)) {
            return Ok(None);
        }
        if !REGION_SCOPED.iter().any(|r| signed.has(*r)) {
            return Err(AppError::Forbidden);
        }
        let mut visible = HashSet::new();
        for (role, root) in &signed.scopes {
            if REGION_SCOPED.contains(role) {
                visible.extend(store.region_subtree(*root).await?);
            }
        }
        Ok(Some(visible))
    }

    pub async fn dashboard(
        class_id: ClassId,
        day: Option<String>,
    ) -> Result<DashboardView, AppError> {
        let (signed, store) = session::with_signed().await?;
        let day = crate::groups::day_param(day.as_deref())?;
        dashboard_for(&store, &signed, class_id, day).await
    }

    /// The per-learner rows of the class as of the end of `day`, only of the
    /// learners `signed` may see, and the regions they may see (`None`: all).
    /// The dashboard and the daily report both count from these rows.
    pub async fn visible_rows(
        store: &Store,
        signed: &Signed,
        class_id: ClassId,
        day: i32,
    ) -> Result<(Option<HashSet<RegionId>>, Vec<LearnerFigures>), AppError> {
        let visible = visible_regions(store, signed).await?;
        let until = day_start_ms(day.saturating_add(1)) - 1;
        let rows = store
            .class_figures(class_id, day, until)
            .await?
            .into_iter()
            .filter(|r| match (&visible, r.region) {
                (None, _) => true,
                (Some(set), Some(region)) => set.contains(&region),
                (Some(_), None) => false,
            })
            .collect();
        Ok((visible, rows))
    }

    /// The dashboard of `class_id` as `signed` may see it, as of the end of `day`.
    pub async fn dashboard_for(
        store: &Store,
        signed: &Signed,
        class_id: ClassId,
        day: i32,
    ) -> Result<DashboardView, AppError> {
        let class = store.class(class_id).await?;
        let (visible, rows) = visible_rows(store, signed, class_id, day).await?;
        let regions = store.list_regions().await?;
        let names: HashMap<RegionId, String> =
            regions.iter().map(|r| (r.id, r.name.clone())).collect();
        let mut by_region: BTreeMap<String, Vec<_>> = BTreeMap::new();
        for row in &rows {
            let name = row
                .region
                .and_then(|r| names.get(&r).cloned())
                .unwrap_or_else(|| "未分配地区".to_owned());
            by_region.entry(name).or_default().push(row.row);
        }
        let learner_rows: Vec<_> = rows.iter().map(|r| r.row).collect();
        let mine: HashSet<_> = rows.iter().map(|r| r.user).collect();
        let roster: HashMap<_, _> = store
            .enrolled(class_id)
            .await?
            .into_iter()
            .map(|e| (e.user, (e.real_name, e.region_name.unwrap_or_default())))
            .collect();
        let checked_in = store
            .checkins_on(class_id, day)
            .await?
            .into_iter()
            .filter(|(user, _)| mine.contains(user))
            .filter_map(|(user, at)| {
                roster.get(&user).map(|(name, region)| {
                    (
                        name.clone(),
                        region.clone(),
                        academy_shared::time::format_china_time(at),
                    )
                })
            })
            .collect();
        Ok(DashboardView {
            class_id,
            title: class.title,
            state: class.state,
            day: label(day),
            scoped: visible.is_some(),
            courses_total: store.class_lessons(class_id).await?.len() as u32,
            total: figures(&learner_rows),
            regions: by_region
                .into_iter()
                .map(|(region, rows)| RegionFigures {
                    region,
                    figures: figures(&rows),
                })
                .collect(),
            checked_in,
        })
    }

    /// The dashboard as .xlsx: the figures by region, and who checked in.
    pub async fn dashboard_workbook(
        store: &Store,
        signed: &Signed,
        class_id: ClassId,
        day: Option<&str>,
    ) -> Result<(String, Vec<u8>), AppError> {
        use rust_xlsxwriter::{Format, Workbook};
        let today = day_of(crate::store::now_millis());
        let day = day
            .and_then(parse_label)
            .filter(|d| *d <= today)
            .unwrap_or(today);
        let view = dashboard_for(store, signed, class_id, day).await?;
        let (y, m, d) = date_of(day);
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let sheet = book.add_worksheet();
        sheet.set_name("按地区").map_err(AppError::internal)?;
        let headers = [
            "地区",
            "报名",
            "报到",
            "今日打卡",
            "学完课程",
            "前测人数",
            "前测≥60",
            "前测平均",
            "评价人数",
            "满意",
            "结业考试人数",
            "结业平均",
            "满分",
            "≥90",
            "证书",
            "学时",
        ];
        for (c, h) in headers.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, *h, &bold)
                .map_err(AppError::internal)?;
        }
        let mut rows: Vec<(String, Figures)> = view
            .regions
            .iter()
            .map(|r| (r.region.clone(), r.figures))
            .collect();
        rows.push(("合计".to_owned(), view.total));
        for (i, (region, f)) in rows.iter().enumerate() {
            let r = (i + 1) as u32;
            sheet
                .write_string(r, 0, region)
                .map_err(AppError::internal)?;
            let numbers = [
                f.enrolled,
                f.reported,
                f.checked_in,
                f.courses_complete,
                f.pre_done,
                f.pre_at_least_60,
            ];
            for (c, n) in numbers.iter().enumerate() {
                sheet
                    .write_number(r, (c + 1) as u16, f64::from(*n))
                    .map_err(AppError::internal)?;
            }
            sheet
                .write_string(r, 7, centi_label(f.pre_average_centi))
                .map_err(AppError::internal)?;
            sheet
                .write_number(r, 8, f64::from(f.survey_done))
                .map_err(AppError::internal)?;
            // Fewer than five answers would tell who was not satisfied.
            match academy_shared::class_stats::satisfaction_shown(f) {
                Some((satisfied, _)) => sheet.write_number(r, 9, f64::from(satisfied)),
                None => sheet.write_string(
                    r,
                    9,
                    format!("<{}", academy_shared::class_stats::MIN_RESPONDENTS_SHOWN),
                ),
            }
            .map_err(AppError::internal)?;
            sheet
                .write_number(r, 10, f64::from(f.final_done))
                .map_err(AppError::internal)?;
            sheet
                .write_string(r, 11, centi_label(f.final_average_centi))
                .map_err(AppError::internal)?;
            let last = [f.final_full_marks, f.final_at_least_90, f.certified];
            for (c, n) in last.iter().enumerate() {
                sheet
                    .write_number(r, (c + 12) as u16, f64::from(*n))
                    .map_err(AppError::internal)?;
            }
            sheet
                .write_number(r, 15, academy_shared::certificate::hours(f.credited_ms))
                .map_err(AppError::internal)?;
        }
        let checked = book.add_worksheet();
        checked.set_name("今日打卡").map_err(AppError::internal)?;
        for (c, h) in ["姓名", "地区", "时间"].iter().enumerate() {
            checked
                .write_string_with_format(0, c as u16, *h, &bold)
                .map_err(AppError::internal)?;
        }
        for (i, (name, region, at)) in view.checked_in.iter().enumerate() {
            let r = (i + 1) as u32;
            checked
                .write_string(r, 0, name)
                .map_err(AppError::internal)?;
            checked
                .write_string(r, 1, region)
                .map_err(AppError::internal)?;
            checked.write_string(r, 2, at).map_err(AppError::internal)?;
        }
        let bytes = book.save_to_buffer().map_err(AppError::internal)?;
        Ok((format!("class-{class_id}-{y:04}{m:02}{d:02}.xlsx"), bytes))
    }
}
