//! Learner rosters imported from spreadsheets: the template's columns and the
//! row-by-row checks that need no database. The server adds the checks that do
//! (region exists, name and number not yet taken) and writes all rows or none.

use crate::phone::PhoneNumber;
use crate::profile::{Education, Employment, Gender, birth_year};
use crate::validate;
use serde::{Deserialize, Serialize};

/// A column of the template: its header, the other headers accepted for it,
/// and whether a value is required.
pub struct Column {
    pub header: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
    pub example: &'static str,
}

pub const COLUMNS: [Column; 9] = [
    Column {
        header: "用户名",
        aliases: &["账号", "username"],
        required: false,
        example: "zhangsan01",
    },
    Column {
        header: "姓名",
        aliases: &["真实姓名", "name"],
        required: true,
        example: "张三",
    },
    Column {
        header: "手机号",
        aliases: &["手机", "手机号码", "联系电话", "phone"],
        required: true,
        example: "13800001234",
    },
    Column {
        header: "地区",
        aliases: &["所属地区", "地区编码", "region"],
        required: true,
        example: "碧江区",
    },
    Column {
        header: "工作单位/党支部",
        aliases: &["工作单位", "党支部", "单位"],
        required: false,
        example: "碧江区某某党支部",
    },
    Column {
        header: "性别",
        aliases: &["gender"],
        required: false,
        example: "男",
    },
    Column {
        header: "出生年份",
        aliases: &["出生年", "birth_year"],
        required: false,
        example: "1985",
    },
    Column {
        header: "学历",
        aliases: &["文化程度", "education"],
        required: false,
        example: "本科",
    },
    Column {
        header: "就业状况",
        aliases: &["职业", "employment"],
        required: false,
        example: "在职",
    },
];

/// Most data rows one import takes.
pub const MAX_ROWS: usize = 5000;

/// One valid row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    /// The spreadsheet row number (the header is row 1).
    pub row: usize,
    pub username: String,
    pub real_name: String,
    pub phone: String,
    /// As written: a region code or name, resolved by the server.
    pub region: String,
    pub work_unit: Option<String>,
    pub gender: Option<Gender>,
    pub birth_year: Option<i32>,
    pub education: Option<Education>,
    pub employment: Option<Employment>,
}

/// Why a row (or the whole file, row 1) cannot be imported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub row: usize,
    pub column: String,
    pub reason_zh: String,
    pub reason_en: String,
}

impl RowProblem {
    pub fn new(row: usize, column: &str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        RowProblem {
            row,
            column: column.to_owned(),
            reason_zh: zh.into(),
            reason_en: en.into(),
        }
    }
}

/// The username a row without one gets: `m` and the mobile number.
pub fn username_for_phone(phone: &PhoneNumber) -> String {
    format!("m{}", phone.as_str())
}

/// Checks every row of a sheet whose first row is the header. Returns the valid
/// rows and every problem found (all of them, not just the first).
pub fn check_rows(rows: &[Vec<String>], current_year: i32) -> (Vec<RosterEntry>, Vec<RowProblem>) {
    let mut problems = Vec::new();
    let Some(header) = rows.first() else {
        problems.push(RowProblem::new(1, "", "文件是空的", "The file is empty"));
        return (Vec::new(), problems);
    };
    let position: Vec<Option<usize>> = COLUMNS
        .iter()
        .map(|column| {
            header.iter().position(|cell| {
                let cell = cell.trim().trim_start_matches('*');
                cell == column.header || column.aliases.iter().any(|a| cell.eq_ignore_ascii_case(a))
            })
        })
        .collect();
    for (column, found) in COLUMNS.iter().zip(&position) {
        if column.required && found.is_none() {
            problems.push(RowProblem::new(
                1,
                column.header,
                format!("缺少“{}”列，请使用下载的模板", column.header),
                format!(
                    "The column “{}” is missing; please use the template",
                    column.header
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return (Vec::new(), problems);
    }
    let data = &rows[1..];
    if data.len() > MAX_ROWS {
        problems.push(RowProblem::new(
            1,
            "",
            format!("一次最多导入 {MAX_ROWS} 行，请分批导入"),
            format!("At most {MAX_ROWS} rows per import; please split the file"),
        ));
        return (Vec::new(), problems);
    }

    let mut entries: Vec<RosterEntry> = Vec::new();
    let mut seen_usernames = std::collections::HashMap::<String, usize>::new();
    let mut seen_phones = std::collections::HashMap::<String, usize>::new();
    for (index, cells) in data.iter().enumerate() {
        let row = index + 2;
        let cell = |i: usize| -> &str {
            position[i]
                .and_then(|p| cells.get(p))
                .map_or("", |s| s.trim())
        };
        if (0..COLUMNS.len()).all(|i| cell(i).is_empty()) {
            continue; // blank lines in the middle of a sheet are common and harmless
        }
        let before = problems.len();
        let mut problem = |column: usize, zh: String, en: String| {
            problems.push(RowProblem::new(row, COLUMNS[column].header, zh, en));
        };
        let real_name = match validate::real_name(cell(1)) {
            Ok(name) => name.to_owned(),
            Err(e) => {
                problem(1, e.message_zh(), e.to_string());
                String::new()
            }
        };
        let phone = match PhoneNumber::parse(cell(2)) {
            Ok(phone) => Some(phone),
            Err(e) => {
                problem(2, e.message_zh(), e.to_string());
                None
            }
        };
        let username = if cell(0).is_empty() {
            phone.as_ref().map(username_for_phone).unwrap_or_default()
        } else {
            match validate::username(cell(0)) {
                Ok(name) => name.to_ascii_lowercase(),
                Err(e) => {
                    problem(0, e.message_zh(), e.to_string());
                    String::new()
                }
            }
        };
        let region = cell(3).to_owned();
        if region.is_empty() {
            problem(3, "请填写地区".into(), "Please give a region".into());
        }
        let work_unit = Some(cell(4).to_owned()).filter(|s| !s.is_empty());
        if work_unit.as_ref().is_some_and(|w| w.chars().count() > 100) {
            problem(
                4,
                "工作单位不超过 100 个字".into(),
                "At most 100 characters".into(),
            );
        }
        let gender = optional(cell(5), Gender::parse_label, 5, &mut problem);
        let education = optional(cell(7), Education::parse_label, 7, &mut problem);
        let employment = optional(cell(8), Employment::parse_label, 8, &mut problem);
        let birth = optional(cell(6), |s| birth_year(s, current_year), 6, &mut problem);
        if !username.is_empty()
            && let Some(first) = seen_usernames.insert(username.clone(), row)
        {
            problem(
                0,
                format!("用户名与第 {first} 行重复"),
                format!("Same username as row {first}"),
            );
        }
        if let Some(phone) = &phone
            && let Some(first) = seen_phones.insert(phone.as_str().to_owned(), row)
        {
            problem(
                2,
                format!("手机号与第 {first} 行重复"),
                format!("Same mobile number as row {first}"),
            );
        }
        if problems.len() == before
            && let Some(phone) = phone
        {
            entries.push(RosterEntry {
                row,
                username,
                real_name,
                phone: phone.as_str().to_owned(),
                region,
                work_unit,
                gender,
                birth_year: birth,
                education,
                employment,
            });
        }
    }
    if entries.is_empty() && problems.is_empty() {
        problems.push(RowProblem::new(
            1,
            "",
            "文件中没有学员数据",
            "The file holds no rows",
        ));
    }
    (entries, problems)
}

fn optional<T>(
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
    column: usize,
    problem: &mut impl FnMut(usize, String, String),
) -> Option<T> {
    if value.is_empty() {
        return None;
    }
    let parsed = parse(value);
    if parsed.is_none() {
        problem(
            column,
            format!("无法识别的{}：“{value}”", COLUMNS[column].header),
            format!("Unrecognised value “{value}”"),
        );
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|s| (*s).to_owned()).collect())
            .collect()
    }

    const HEADER: &[&str] = &[
        "用户名",
        "姓名",
        "手机号",
        "地区",
        "工作单位/党支部",
        "性别",
        "出生年份",
        "学历",
        "就业状况",
    ];

    #[test]
    fn good_rows_pass_and_bad_cells_are_reported_by_row_and_column() {
        let rows = sheet(&[
            HEADER,
            &[
                "",
                "张三",
                "13800001234",
                "碧江区",
                "某支部",
                "男",
                "1985",
                "本科",
                "在职",
            ],
            &[],
            &["lisi", "李四", "1380000", "碧江区", "", "", "", "", ""],
            &[
                "wangwu",
                "王五",
                "13800005678",
                "",
                "",
                "未知",
                "2020",
                "",
                "",
            ],
            &[
                "Zhangsan2",
                "张三",
                "138-0000-1234",
                "万山区",
                "",
                "",
                "",
                "",
                "",
            ],
        ]);
        let (entries, problems) = check_rows(&rows, 2026);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].username, "m13800001234");
        assert_eq!(entries[0].row, 2);
        let at: Vec<(usize, &str)> = problems
            .iter()
            .map(|p| (p.row, p.column.as_str()))
            .collect();
        assert_eq!(
            at,
            vec![
                (4, "手机号"),
                (5, "地区"),
                (5, "性别"),
                (5, "出生年份"),
                (6, "手机号")
            ]
        );
        assert!(problems[4].reason_zh.contains("第 2 行"));
    }

    #[test]
    fn a_missing_required_column_stops_everything() {
        let rows = sheet(&[&["姓名", "地区"], &["张三", "碧江区"]]);
        let (entries, problems) = check_rows(&rows, 2026);
        assert!(entries.is_empty());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].column, "手机号");
    }

    #[test]
    fn aliases_and_column_order_do_not_matter() {
        let rows = sheet(&[
            &["手机", "*真实姓名", "所属地区"],
            &["13900001111", "赵六", "520602"],
        ]);
        let (entries, problems) = check_rows(&rows, 2026);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(entries[0].real_name, "赵六");
        assert_eq!(entries[0].region, "520602");
    }

    #[test]
    fn empty_input_is_a_problem_not_a_panic() {
        assert_eq!(check_rows(&[], 2026).1.len(), 1);
        assert_eq!(check_rows(&sheet(&[HEADER]), 2026).1.len(), 1);
    }
}
