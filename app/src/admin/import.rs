//! Importing learners from .xlsx or CSV (UTF-8 or GBK, as Excel in China
//! writes it). The first call only checks and reports problems by row and
//! column; nothing is written until the administrator confirms a file without
//! problems, and then every row is written in one transaction or none is.
//! Imported learners set their password with an SMS code ("忘记密码").

use crate::error::AppError;
use academy_shared::roster::RowProblem;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// Larger files are refused before parsing. 1 MiB holds well over the 5 000
/// rows one import takes, and its base64 stays under the server's 2 MB
/// request limit.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub valid_rows: usize,
    pub problems: Vec<RowProblem>,
    /// Set when the rows were written (confirmed and free of problems).
    pub imported: Option<usize>,
    /// The text encoding the file was read in ("UTF-8", "GBK", "xlsx").
    pub encoding: String,
}

/// What an uploaded workbook may hold: the rows and columns of its first
/// sheet (the largest import takes 5 000 rows), its filled cells, its zip
/// parts and what they unpack to. A workbook over any of these is refused
/// with a clear message before it is read into memory.
pub const MAX_SHEET_ROWS: usize = 10_000;
pub const MAX_SHEET_COLUMNS: usize = 64;
pub const MAX_SHEET_CELLS: usize = 200_000;
pub const MAX_XLSX_ENTRIES: usize = 200;
pub const MAX_XLSX_UNPACKED_BYTES: u64 = 32 * 1024 * 1024;

pub fn too_large() -> AppError {
    AppError::invalid(
        "文件不能超过 1 MB，请分批导入",
        "The file must be at most 1 MB; please split it",
    )
}

/// `file_base64` is the file's bytes in base64; `confirm` writes the rows
/// when there is no problem.
#[server(endpoint = "admin/import/learners", input = Json)]
pub async fn import_learners(
    file_name: String,
    file_base64: String,
    confirm: bool,
) -> Result<ImportReport, AppError> {
    crate::error::respond(ssr::import_learners(file_name, file_base64, confirm).await)
}

#[cfg(feature = "ssr")]
pub use ssr::{
    decode_sheet, decode_sheet_off_thread, refuses_whole_file, template_csv, template_xlsx,
};

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::audit::{self, Actor};
    use crate::store::{NewUser, Region, TraineeFields, now_millis};
    use academy_shared::roster::{COLUMNS, RosterEntry, check_rows};
    use base64::Engine;

    /// The rows of the first sheet (xlsx) or of a CSV file, as text, and the
    /// encoding that was used.
    pub fn decode_sheet(
        file_name: &str,
        bytes: &[u8],
    ) -> Result<(Vec<Vec<String>>, &'static str), RowProblem> {
        let is_zip = bytes.starts_with(b"PK\x03\x04");
        let lower = file_name.to_ascii_lowercase();
        if is_zip || lower.ends_with(".xlsx") {
            return read_xlsx(bytes).map(|rows| (rows, "xlsx"));
        }
        if lower.ends_with(".xls") {
            return Err(unreadable("不支持旧版 .xls 格式，请另存为 .xlsx 或 CSV"));
        }
        let (text, encoding) = match std::str::from_utf8(bytes) {
            Ok(text) => (text.trim_start_matches('\u{feff}').to_owned(), "UTF-8"),
            Err(_) => {
                let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
                if had_errors {
                    return Err(unreadable("文字编码无法识别（应为 UTF-8 或 GBK）"));
                }
                (text.into_owned(), "GBK")
            }
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rows: Vec<Vec<String>> = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|_| unreadable("CSV 格式有误"))?;
            if rows.len() >= MAX_SHEET_ROWS || record.len() > MAX_SHEET_COLUMNS {
                return Err(sheet_too_big());
            }
            // Our own exports write formula-like cells as text ('=…): read them back.
            rows.push(
                record
                    .iter()
                    .map(|cell| academy_shared::csv_cell::restore(cell).to_owned())
                    .collect(),
            );
        }
        Ok((rows, encoding))
    }

    /// [`decode_sheet`] on the bounded pool for heavy work, off the async
    /// workers (a large workbook takes a core for a moment). A file over the
    /// limits is refused as a whole (400); other problems come back as a row
    /// problem for the report.
    pub async fn decode_sheet_off_thread(
        file_name: String,
        bytes: Vec<u8>,
    ) -> Result<Result<(Vec<Vec<String>>, &'static str), RowProblem>, AppError> {
        match crate::blocking::run(crate::blocking::Pool::Files, move || {
            decode_sheet(&file_name, &bytes)
        })
        .await?
        {
            Err(problem) if refuses_whole_file(&problem) => {
                Err(AppError::invalid(problem.reason_zh, problem.reason_en))
            }
            other => Ok(other),
        }
    }

    /// Whether a problem refuses the file as a whole (too large to read),
    /// rather than saying what to fix in it.
    pub fn refuses_whole_file(problem: &RowProblem) -> bool {
        problem.row == WHOLE_FILE
    }

    /// The "row" of a problem with the whole file.
    const WHOLE_FILE: usize = 0;

    /// A file that cannot be read, as a problem on row 1.
    fn unreadable(detail: &str) -> RowProblem {
        RowProblem::new(
            1,
            "",
            format!("无法读取文件：{detail}。请使用下载的模板（.xlsx 或 .csv）"),
            format!("The file cannot be read: {detail}. Please use the template (.xlsx or .csv)"),
        )
    }

    fn sheet_too_big() -> RowProblem {
        RowProblem::new(
            WHOLE_FILE,
            "",
            format!(
                "工作表过大：最多 {MAX_SHEET_ROWS} 行、{MAX_SHEET_COLUMNS} 列，请删去多余的行列或分批导入"
            ),
            format!(
                "The sheet is too large: at most {MAX_SHEET_ROWS} rows and {MAX_SHEET_COLUMNS} \
                 columns; please remove unused rows and columns or split it"
            ),
        )
    }

    /// Measures the workbook's zip before anything reads it: at most
    /// [`MAX_XLSX_ENTRIES`] parts, unpacking to at most [`MAX_XLSX_UNPACKED_BYTES`]
    /// in all, counted while really unpacking (a zip's declared sizes may lie).
    fn check_zip(bytes: &[u8]) -> Result<(), RowProblem> {
        use std::io::Read;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|_| unreadable("不是有效的 xlsx 文件"))?;
        if archive.len() > MAX_XLSX_ENTRIES {
            return Err(RowProblem::new(
                WHOLE_FILE,
                "",
                "工作簿包含的部件过多，无法导入",
                "The workbook has too many parts to import",
            ));
        }
        let too_big = || {
            let mib = MAX_XLSX_UNPACKED_BYTES / (1024 * 1024);
            RowProblem::new(
                WHOLE_FILE,
                "",
                format!("工作簿解压后超过 {mib} MB，无法导入，请删去多余内容或分批导入"),
                format!(
                    "The workbook unpacks to more than {mib} MB and cannot be imported; please remove unused content or split it"
                ),
            )
        };
        let mut left = MAX_XLSX_UNPACKED_BYTES;
        let mut buffer = vec![0u8; 64 * 1024];
        for index in 0..archive.len() {
            let mut part = archive
                .by_index(index)
                .map_err(|_| unreadable("工作簿已损坏"))?;
            if part.size() > left {
                return Err(too_big());
            }
            loop {
                let read = part
                    .read(&mut buffer)
                    .map_err(|_| unreadable("工作簿已损坏"))?;
                if read == 0 {
                    break;
                }
                left = left.checked_sub(read as u64).ok_or_else(too_big)?;
            }
        }
        Ok(())
    }

    /// The first sheet's cells as rows of text, from the first used row and
    /// column to the last, like a spreadsheet shows them. A sheet whose
    /// declared or used size exceeds the limits is refused before a single row
    /// is made: two cells at A1 and XFD1048576 would otherwise be a grid of
    /// seventeen billion.
    fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, RowProblem> {
        use calamine::{DataRef, Reader, Xlsx};
        check_zip(bytes)?;
        let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes))
            .map_err(|_| unreadable("不是有效的 xlsx 文件"))?;
        let first = workbook
            .sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| unreadable("工作簿中没有工作表"))?;
        let mut cells = workbook
            .worksheet_cells_reader(&first)
            .map_err(|_| unreadable("工作表损坏"))?;
        let declared = cells.dimensions();
        let fits = |(top, left): (u32, u32), (bottom, right): (u32, u32)| {
            bottom.saturating_sub(top) < MAX_SHEET_ROWS as u32
                && right.saturating_sub(left) < MAX_SHEET_COLUMNS as u32
        };
        if !fits(declared.start, declared.end) {
            return Err(sheet_too_big());
        }
        let mut found: Vec<((u32, u32), String)> = Vec::new();
        let (mut top, mut left, mut bottom, mut right) = (u32::MAX, u32::MAX, 0u32, 0u32);
        while let Some(cell) = cells.next_cell().map_err(|_| unreadable("工作表损坏"))? {
            let text = match cell.get_value() {
                DataRef::Empty => continue,
                DataRef::String(s) => s.clone(),
                DataRef::SharedString(s) => (*s).to_owned(),
                // Excel keeps phone numbers and years as numbers.
                DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                    format!("{}", *f as i64)
                }
                DataRef::Float(f) => f.to_string(),
                DataRef::Int(i) => i.to_string(),
                DataRef::Bool(b) => b.to_string(),
                other => calamine::Data::from(other.clone()).to_string(),
            };
            let (row, column) = cell.get_position();
            top = top.min(row);
            left = left.min(column);
            bottom = bottom.max(row);
            right = right.max(column);
            if !fits((top, left), (bottom, right)) || found.len() >= MAX_SHEET_CELLS {
                return Err(sheet_too_big());
            }
            found.push(((row, column), text));
        }
        if found.is_empty() {
            return Ok(Vec::new());
        }
        let width = (right - left + 1) as usize;
        let mut rows = vec![vec![String::new(); width]; (bottom - top + 1) as usize];
        for ((row, column), text) in found {
            rows[(row - top) as usize][(column - left) as usize] = text;
        }
        Ok(rows)
    }

    /// The template as CSV (UTF-8 with a BOM, so Excel opens it as UTF-8).
    pub fn template_csv() -> Vec<u8> {
        let mut out = "\u{feff}".as_bytes().to_vec();
        let header: Vec<&str> = COLUMNS.iter().map(|c| c.header).collect();
        let example: Vec<&str> = COLUMNS.iter().map(|c| c.example).collect();
        out.extend(format!("{}\r\n{}\r\n", header.join(","), example.join(",")).as_bytes());
        out
    }

    pub fn template_xlsx() -> Result<Vec<u8>, AppError> {
        use rust_xlsxwriter::{Format, Workbook};
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name("学员名单").map_err(AppError::internal)?;
        let bold = Format::new().set_bold();
        let text = Format::new().set_num_format("@");
        for (col, column) in COLUMNS.iter().enumerate() {
            let col = u16::try_from(col).map_err(AppError::internal)?;
            let header = if column.required {
                format!("*{}", column.header)
            } else {
                column.header.to_owned()
            };
            sheet
                .write_string_with_format(0, col, header, &bold)
                .map_err(AppError::internal)?;
            sheet
                .write_string_with_format(1, col, column.example, &text)
                .map_err(AppError::internal)?;
            sheet
                .set_column_width(col, 16)
                .map_err(AppError::internal)?;
            // Text cells keep leading zeros and long digit strings intact.
            sheet
                .set_column_format(col, &text)
                .map_err(AppError::internal)?;
        }
        workbook.save_to_buffer().map_err(AppError::internal)
    }

    /// A region as a roster may name it: its code, its name (when no other
    /// region has it), or "city/county" written with or without a separator.
    fn resolve_region<'a>(
        regions: &'a [Region],
        written: &str,
    ) -> Result<&'a Region, (String, String)> {
        let written = written.trim();
        if let Some(region) = regions.iter().find(|r| r.code == written) {
            return Ok(region);
        }
        let compact: String = written
            .chars()
            .filter(|c| !matches!(c, '/' | ' ' | '-' | '·'))
            .collect();
        let by_id: std::collections::HashMap<_, _> = regions.iter().map(|r| (r.id, r)).collect();
        let full_name = |region: &Region| {
            let mut names = vec![region.name.clone()];
            let mut parent = region.parent_id;
            while let Some(id) = parent {
                let Some(up) = by_id.get(&id) else { break };
                names.push(up.name.clone());
                parent = up.parent_id;
            }
            names
        };
        let matches: Vec<&Region> = regions
            .iter()
            .filter(|region| {
                let names = full_name(region);
                // Any suffix of the path: 碧江区, 铜仁市碧江区, 贵州省铜仁市碧江区.
                (1..=names.len()).any(|n| {
                    let joined: String = names[..n].iter().rev().cloned().collect();
                    joined == compact
                })
            })
            .collect();
        match matches.as_slice() {
            [one] => Ok(one),
            [] => Err((
                format!("找不到地区“{written}”"),
                format!("No region “{written}”"),
            )),
            _ => Err((
                format!("地区“{written}”不唯一，请写上级地区或地区编码"),
                format!("“{written}” names several regions; add the parent or use the code"),
            )),
        }
    }

    pub async fn import_learners(
        file_name: String,
        file_base64: String,
        confirm: bool,
    ) -> Result<ImportReport, AppError> {
        let (me, store) = crate::admin::users::ssr::require_admin().await?;
        if file_base64.len() > MAX_FILE_BYTES / 3 * 4 + 8 {
            return Err(too_large());
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(file_base64.trim())
            .map_err(|_| {
                AppError::invalid(
                    "文件上传不完整，请重新选择文件",
                    "The upload is incomplete; please choose the file again",
                )
            })?;
        if bytes.len() > MAX_FILE_BYTES {
            return Err(too_large());
        }
        let (rows, encoding) = match decode_sheet_off_thread(file_name.clone(), bytes).await? {
            Ok(decoded) => decoded,
            Err(problem) => {
                return Ok(ImportReport {
                    valid_rows: 0,
                    problems: vec![problem],
                    imported: None,
                    encoding: String::new(),
                });
            }
        };
        let current_year = academy_shared::time::china_year(now_millis());
        let (entries, mut problems) = check_rows(&rows, current_year);
        let regions = store.list_regions().await?;
        let mut resolved: Vec<(&RosterEntry, &Region)> = Vec::new();
        for entry in &entries {
            match resolve_region(&regions, &entry.region) {
                Ok(region) => resolved.push((entry, region)),
                Err((zh, en)) => problems.push(RowProblem::new(entry.row, "地区", zh, en)),
            }
        }
        let usernames: Vec<String> = entries.iter().map(|e| e.username.clone()).collect();
        let phones: Vec<String> = entries.iter().map(|e| e.phone.clone()).collect();
        let (taken_names, taken_phones) = store.taken(&usernames, &phones).await?;
        for entry in &entries {
            if taken_names.contains(&entry.username) {
                problems.push(RowProblem::new(
                    entry.row,
                    "用户名",
                    format!("用户名“{}”已被使用", entry.username),
                    format!("The username “{}” is taken", entry.username),
                ));
            }
            if taken_phones.contains(&entry.phone) {
                problems.push(RowProblem::new(
                    entry.row,
                    "手机号",
                    "该手机号已有账号",
                    "An account already uses this number",
                ));
            }
        }
        problems.sort_by_key(|p| p.row);
        let valid_rows = entries
            .iter()
            .filter(|e| !problems.iter().any(|p| p.row == e.row))
            .count();
        let mut report = ImportReport {
            valid_rows,
            problems,
            imported: None,
            encoding: encoding.to_owned(),
        };
        if !confirm || !report.problems.is_empty() {
            return Ok(report);
        }
        let users: Vec<NewUser> = resolved
            .iter()
            .map(|(entry, region)| NewUser {
                username: entry.username.clone(),
                real_name: entry.real_name.clone(),
                phone: Some(entry.phone.clone()),
                region_code: Some(region.code.clone()),
                work_unit: entry.work_unit.clone(),
                // No password yet: the learner sets one with an SMS code.
                password_hash: String::new(),
                roles: vec![academy_shared::role::Role::Learner],
                profile: TraineeFields {
                    gender: entry.gender.map(|g| g.code().to_owned()),
                    birth_year: entry.birth_year.map(i64::from),
                    education: entry.education.map(|e| e.code().to_owned()),
                    employment: entry.employment.map(|e| e.code().to_owned()),
                },
                activation: None,
            })
            .collect();
        match store.create_users(&users).await {
            Ok(ids) => report.imported = Some(ids.len()),
            Err(crate::store::DbError::Conflict(_)) => {
                return Err(AppError::invalid(
                    "导入期间有账号被占用，请重新检查文件",
                    "Some names or numbers were taken meanwhile; please check the file again",
                ));
            }
            Err(other) => return Err(other.into()),
        }
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::UsersImported,
            ("import", &file_name.chars().take(80).collect::<String>()),
            format!("{} learners ({encoding})", users.len()),
        )
        .await?;
        Ok(report)
    }
}
