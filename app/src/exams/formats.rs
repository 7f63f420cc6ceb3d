//! Question files as bytes: .xlsx and CSV (UTF-8 or GBK) through the
//! template's columns, Moodle GIFT, Aiken and Moodle XML. The formats
//! themselves are `academy_shared::exam::interchange`; this module decodes and
//! encodes files.

use crate::error::AppError;
use academy_shared::exam::Question;
use academy_shared::exam::interchange::{Format, Parsed, aiken, gift, moodle_xml, table};
use academy_shared::roster::RowProblem;

pub fn too_large() -> AppError {
    AppError::invalid(
        "文件不能超过 1 MB，请分批导入",
        "The file must be at most 1 MB; please split it",
    )
}

/// Reads a file of `format`; the second value names the encoding or format
/// for the report. Nothing here fails: an unreadable file is a problem on
/// row 1.
pub fn parse_file(format: Format, file_name: &str, bytes: &[u8]) -> (Parsed, String) {
    if format == Format::Table {
        return match crate::admin::import::decode_sheet(file_name, bytes) {
            Ok((rows, encoding)) => (table::parse_rows(&rows), encoding.to_owned()),
            Err(problem) => (
                Parsed {
                    questions: Vec::new(),
                    problems: vec![problem],
                },
                String::new(),
            ),
        };
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.trim_start_matches('\u{feff}').to_owned(),
        Err(_) => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                return (
                    Parsed {
                        questions: Vec::new(),
                        problems: vec![RowProblem::new(
                            1,
                            "",
                            "文字编码无法识别（应为 UTF-8 或 GBK）",
                            "The text encoding is not recognised (it should be UTF-8 or GBK)",
                        )],
                    },
                    String::new(),
                );
            }
            text.into_owned()
        }
    };
    let parsed = match format {
        Format::Gift => gift::parse(&text),
        Format::Aiken => aiken::parse(&text),
        Format::MoodleXml => moodle_xml::parse(&text),
        Format::Table => Parsed::default(),
    };
    (parsed, format.label().to_owned())
}

/// A file to download.
pub struct ExportFile {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub file_name: String,
    /// How many questions the format could not carry (left out).
    pub skipped: usize,
}

/// Exports as `format`; for tables `csv` picks CSV over .xlsx.
pub fn export(
    format: Format,
    csv: bool,
    title: &str,
    questions: &[Question],
) -> Result<ExportFile, AppError> {
    let base = academy_shared::media::clean_file_name(title);
    let base = if base.is_empty() {
        "questions".to_owned()
    } else {
        base
    };
    Ok(match format {
        Format::Table if csv => ExportFile {
            bytes: rows_csv(&table::to_rows(questions))?,
            content_type: "text/csv; charset=utf-8",
            file_name: format!("{base}.csv"),
            skipped: 0,
        },
        Format::Table => ExportFile {
            bytes: rows_xlsx("题库", &table::to_rows(questions))?,
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            file_name: format!("{base}.xlsx"),
            skipped: 0,
        },
        Format::Gift | Format::Aiken | Format::MoodleXml => {
            let (text, skipped) = match format {
                Format::Gift => gift::write(questions),
                Format::Aiken => aiken::write(questions),
                _ => moodle_xml::write(questions),
            };
            ExportFile {
                bytes: text.into_bytes(),
                content_type: if format == Format::MoodleXml {
                    "application/xml; charset=utf-8"
                } else {
                    "text/plain; charset=utf-8"
                },
                file_name: format!(
                    "{base}.{}{}",
                    match format {
                        Format::Gift => "gift.",
                        Format::Aiken => "aiken.",
                        _ => "",
                    },
                    format.extension()
                ),
                skipped: skipped.len(),
            }
        }
    })
}

/// CSV with a BOM, so Excel opens it as UTF-8; cells a spreadsheet would run
/// as formulas are written as text (`academy_shared::csv_cell`).
pub fn rows_csv(rows: &[Vec<String>]) -> Result<Vec<u8>, AppError> {
    use academy_shared::csv_cell::neutralise;
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    for row in rows {
        writer
            .write_record(row.iter().map(|cell| neutralise(cell).into_owned()))
            .map_err(AppError::internal)?;
    }
    writer.into_inner().map_err(AppError::internal)
}

pub fn rows_xlsx(sheet_name: &str, rows: &[Vec<String>]) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format as CellFormat, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name).map_err(AppError::internal)?;
    let bold = CellFormat::new().set_bold();
    let text = CellFormat::new().set_num_format("@").set_text_wrap();
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r).map_err(AppError::internal)?;
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).map_err(AppError::internal)?;
            let format = if r == 0 { &bold } else { &text };
            sheet
                .write_string_with_format(r, c, cell, format)
                .map_err(AppError::internal)?;
        }
    }
    if let Some(header) = rows.first() {
        for c in 0..header.len() {
            let c = u16::try_from(c).map_err(AppError::internal)?;
            sheet
                .set_column_width(c, if c == 1 { 40 } else { 14 })
                .map_err(AppError::internal)?;
        }
    }
    workbook.save_to_buffer().map_err(AppError::internal)
}

/// The import template with help and one example per question type.
pub fn template(csv: bool) -> Result<Vec<u8>, AppError> {
    let rows = table::template_rows();
    if csv {
        rows_csv(&rows)
    } else {
        rows_xlsx("题目", &rows)
    }
}

/// The bank's current questions as a file, for staff who read every bank
/// (managers and reviewers); `format` is xlsx, csv, gift, aiken or moodle-xml.
pub async fn export_bank(
    store: &crate::store::Store,
    me: &crate::auth::session::Signed,
    bank: academy_shared::ids::BankId,
    format: &str,
) -> Result<ExportFile, AppError> {
    if !super::banks::ssr::reads_all(me) {
        return Err(AppError::NotFound);
    }
    let record = store.bank(bank).await?;
    let (format, csv) = match format {
        "xlsx" => (Format::Table, false),
        "csv" => (Format::Table, true),
        other => (
            Format::from_code(other)
                .ok_or_else(|| AppError::invalid("未知的文件格式", "Unknown file format"))?,
            false,
        ),
    };
    let questions: Vec<Question> = store
        .bank_questions(bank)
        .await?
        .into_iter()
        .map(|(q, _)| q)
        .collect();
    let file = export(format, csv, &record.title, &questions)?;
    crate::audit::record(
        store,
        crate::audit::Actor::User(&me.user),
        crate::audit::AuditAction::BankExport,
        ("bank", &bank.to_string()),
        format!("{} ({} left out)", file.file_name, file.skipped),
    )
    .await?;
    Ok(file)
}
