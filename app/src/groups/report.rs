//! The daily progress report up the region tree: for a chosen day, per region
//! (rolled up level by level) and per group — enrolled, checked in that day,
//! courses completed, credited hours, pre-test and final exam done and
//! averages. It counts from the very rows the class dashboard counts from
//! (`classes::dashboard::visible_rows`), so its totals are the dashboard's.

use crate::error::AppError;
use academy_shared::class_stats::Figures;
use academy_shared::ids::ClassId;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLine {
    pub name: String,
    /// 0 for the top of what the viewer sees.
    pub depth: u32,
    pub figures: Figures,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    pub class_id: ClassId,
    pub class_title: String,
    pub day: String,
    pub scoped: bool,
    pub courses_total: u32,
    /// Everything the viewer sees; equals the dashboard's total.
    pub total: Figures,
    /// The region tree, depth first.
    pub regions: Vec<ReportLine>,
    /// Learners without a region (only for unscoped viewers).
    pub no_region: Option<Figures>,
    /// Per group (and "未分组"), depth 0.
    pub groups: Vec<ReportLine>,
}

#[server(endpoint = "groups/report")]
pub async fn load_report(class_id: ClassId, day: Option<String>) -> Result<ReportView, AppError> {
    crate::error::respond(ssr::load_report(class_id, day).await)
}

/// The classes whose group work the account follows: every class under way
/// for organizers and supervisors, the classes of their groups for liaisons:
/// (id, title, state).
#[server(endpoint = "groups/work-classes")]
pub async fn work_classes()
-> Result<Vec<(ClassId, String, academy_shared::class::ClassState)>, AppError> {
    crate::error::respond(ssr::work_classes().await)
}

#[cfg(feature = "ssr")]
pub use ssr::{report_for, report_workbook};

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::auth::session::{self, Signed};
    use crate::classes::dashboard::visible_rows;
    use crate::groups::day_param;
    use crate::store::{Region, Store};
    use academy_shared::checkin::label;
    use academy_shared::class::ClassState;
    use academy_shared::class_stats::{LearnerRow, centi_label, figures};
    use academy_shared::groups::{RegionNode, covering_roots, rollup};
    use academy_shared::ids::GroupId;
    use academy_shared::role::policy::REGION_SCOPED;
    use std::collections::{BTreeMap, HashMap};

    pub async fn work_classes()
    -> Result<Vec<(ClassId, String, academy_shared::class::ClassState)>, AppError> {
        let (signed, store) =
            session::with_role(&academy_shared::role::policy::REPORT_READERS).await?;
        let everything = signed.has_any(&academy_shared::role::policy::REPORT_OVERSEERS);
        let mine: Vec<ClassId> = store
            .liaison_groups(signed.user.id)
            .await?
            .iter()
            .map(|g| g.class_id)
            .collect();
        Ok(store
            .classes()
            .await?
            .into_iter()
            .filter(|c| c.state != ClassState::Draft)
            .filter(|c| everything || mine.contains(&c.id))
            .map(|c| (c.id, c.title, c.state))
            .collect())
    }

    pub async fn load_report(
        class_id: ClassId,
        day: Option<String>,
    ) -> Result<ReportView, AppError> {
        let (signed, store) = session::with_signed().await?;
        let day = day_param(day.as_deref())?;
        report_for(&store, &signed, class_id, day).await
    }

    /// The report of `class_id` as `signed` may see it, as of the end of `day`.
    pub async fn report_for(
        store: &Store,
        signed: &Signed,
        class_id: ClassId,
        day: i32,
    ) -> Result<ReportView, AppError> {
        let (visible, rows) = visible_rows(store, signed, class_id, day).await?;
        let class = store.class(class_id).await?;
        let regions = store.list_regions().await?;
        let nodes: Vec<RegionNode> = regions.iter().map(Region::node).collect();
        let roots: Vec<i64> = match &visible {
            None => nodes
                .iter()
                .filter(|n| n.parent.is_none())
                .map(|n| n.id)
                .collect(),
            Some(_) => covering_roots(
                &nodes,
                &signed
                    .scopes
                    .iter()
                    .filter(|(role, _)| REGION_SCOPED.contains(role))
                    .map(|(_, root)| root.0)
                    .collect::<Vec<_>>(),
            ),
        };
        let placed: Vec<(Option<i64>, LearnerRow)> = rows
            .iter()
            .map(|r| (r.region.map(|g| g.0), r.row))
            .collect();
        let lines = rollup(&nodes, &roots, &placed);
        let all: Vec<LearnerRow> = rows.iter().map(|r| r.row).collect();
        let no_region: Vec<LearnerRow> = rows
            .iter()
            .filter(|r| r.region.is_none())
            .map(|r| r.row)
            .collect();
        let memberships: HashMap<_, _> = store
            .group_memberships(class_id)
            .await?
            .into_iter()
            .collect();
        let group_names: HashMap<GroupId, String> = store
            .groups(class_id)
            .await?
            .into_iter()
            .map(|g| (g.id, g.name))
            .collect();
        let mut by_group: BTreeMap<String, Vec<LearnerRow>> = BTreeMap::new();
        for row in &rows {
            let name = memberships
                .get(&row.user)
                .and_then(|g| group_names.get(g).cloned())
                .unwrap_or_else(|| "未分组".to_owned());
            by_group.entry(name).or_default().push(row.row);
        }
        Ok(ReportView {
            class_id,
            class_title: class.title,
            day: label(day),
            scoped: visible.is_some(),
            courses_total: store.class_lessons(class_id).await?.len() as u32,
            total: figures(&all),
            regions: lines
                .into_iter()
                .filter(|l| l.total.enrolled > 0 || l.depth == 0)
                .map(|l| ReportLine {
                    name: l.name,
                    depth: l.depth,
                    figures: l.total,
                })
                .collect(),
            no_region: (visible.is_none() && !no_region.is_empty()).then(|| figures(&no_region)),
            groups: by_group
                .into_iter()
                .map(|(name, rows)| ReportLine {
                    name,
                    depth: 0,
                    figures: figures(&rows),
                })
                .collect(),
        })
    }

    /// The report as .xlsx: one sheet by region (indented by level), one by group.
    pub async fn report_workbook(
        store: &Store,
        signed: &Signed,
        class_id: ClassId,
        day: Option<&str>,
    ) -> Result<(String, Vec<u8>), AppError> {
        use rust_xlsxwriter::{Format, Workbook};
        let day = day_param(day)?;
        let report = report_for(store, signed, class_id, day).await?;
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let headers = [
            "名称",
            "报名",
            "当日打卡",
            "学完全部课程",
            "累计学完课程",
            "学时",
            "前测人数",
            "前测平均",
            "结业考试人数",
            "结业平均",
        ];
        let mut sheets: Vec<(&str, Vec<ReportLine>)> = vec![
            ("按地区", {
                let mut lines = report.regions.clone();
                if let Some(f) = report.no_region {
                    lines.push(ReportLine {
                        name: "未分配地区".into(),
                        depth: 0,
                        figures: f,
                    });
                }
                lines.push(ReportLine {
                    name: "合计".into(),
                    depth: 0,
                    figures: report.total,
                });
                lines
            }),
            ("按小组", report.groups.clone()),
        ];
        for (name, lines) in sheets.drain(..) {
            let sheet = book.add_worksheet();
            sheet.set_name(name).map_err(AppError::internal)?;
            sheet.set_column_width(0, 24).map_err(AppError::internal)?;
            for (c, h) in headers.iter().enumerate() {
                sheet
                    .write_string_with_format(0, c as u16, *h, &bold)
                    .map_err(AppError::internal)?;
            }
            for (i, line) in lines.iter().enumerate() {
                let r = (i + 1) as u32;
                let f = &line.figures;
                let indent = "　".repeat(line.depth as usize);
                sheet
                    .write_string(r, 0, format!("{indent}{}", line.name))
                    .map_err(AppError::internal)?;
                let numbers = [
                    f64::from(f.enrolled),
                    f64::from(f.checked_in),
                    f64::from(f.courses_complete),
                    f64::from(f.courses_done),
                    academy_shared::certificate::hours(f.credited_ms),
                    f64::from(f.pre_done),
                ];
                for (c, n) in numbers.iter().enumerate() {
                    sheet
                        .write_number(r, (c + 1) as u16, *n)
                        .map_err(AppError::internal)?;
                }
                sheet
                    .write_string(r, 7, centi_label(f.pre_average_centi))
                    .map_err(AppError::internal)?;
                sheet
                    .write_number(r, 8, f64::from(f.final_done))
                    .map_err(AppError::internal)?;
                sheet
                    .write_string(r, 9, centi_label(f.final_average_centi))
                    .map_err(AppError::internal)?;
            }
        }
        let bytes = book.save_to_buffer().map_err(AppError::internal)?;
        Ok((format!("report-{class_id}-{}.xlsx", report.day), bytes))
    }
}
