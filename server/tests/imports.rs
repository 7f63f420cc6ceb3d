//! Spreadsheet imports against the real server, as a malicious organizer,
//! administrator or invited lecturer would try them: a tiny workbook that
//! declares a sheet of seventeen billion cells, and a zip bomb. Every import
//! path refuses both with a clear 400, and the server goes on answering.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed setup should panic

mod common;

use base64::Engine;
use common::{Browser, PC_UA, Running, signed_in, start_with_demo};
use serde_json::{Value, json};
use std::io::Write;

/// Two cells, A1 and XFD1048576: about 6 KB, but its used range is the whole
/// grid Excel allows.
fn corner_to_corner_workbook() -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "用户名").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    workbook.save_to_buffer().unwrap()
}

/// A workbook-looking zip with one part that unpacks to 200 MB of zeros.
fn zip_bomb() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("xl/sharedStrings.xml", options).unwrap();
    let chunk = vec![b' '; 1024 * 1024];
    for _ in 0..200 {
        zip.write_all(&chunk).unwrap();
    }
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(b"<Types/>").unwrap();
    zip.finish().unwrap().into_inner()
}

fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

async fn refused_with_a_clear_400(
    server: &Running,
    browser: &mut Browser,
    endpoint: &str,
    body: Value,
) {
    let (status, text) = browser.post_json(server, endpoint, body).await;
    assert_eq!(status, 400, "{endpoint}: {text}");
    assert!(
        text.contains("过大") || text.contains("超过") || text.contains("过多"),
        "{endpoint}: a message saying why: {text}"
    );
    // The server still answers.
    let (status, _) = browser.post(server, "auth/me", &[]).await;
    assert_eq!(status, 200, "{endpoint}: the server is still up");
}

#[tokio::test]
async fn oversized_and_bomb_workbooks_are_refused_on_every_import_path() {
    let server = start_with_demo(|c| c).await;
    let bomb = zip_bomb();
    assert!(
        bomb.len() < 1024 * 1024,
        "fits the upload limit: {}",
        bomb.len()
    );
    let corner = corner_to_corner_workbook();
    let class = common::published_class_with(&server.store, "导入测试班", &["learner001"]).await;
    let mut admin = signed_in(&server, "admin", PC_UA).await;
    let mut organizer = signed_in(&server, "organizer", PC_UA).await;
    let (status, bank) = organizer
        .post(
            &server,
            "banks/create",
            &[("title", "导入测试"), ("description", "")],
        )
        .await;
    assert_eq!(status, 200, "{bank}");
    let bank: i64 = bank.parse().unwrap();

    for (name, file) in [("corner.xlsx", &corner), ("bomb.xlsx", &bomb)] {
        refused_with_a_clear_400(
            &server,
            &mut admin,
            "admin/import/learners",
            json!({ "file_name": name, "file_base64": base64(file), "confirm": true }),
        )
        .await;
        refused_with_a_clear_400(
            &server,
            &mut organizer,
            "classes/enrol-file",
            json!({ "id": class, "file_name": name, "base64": base64(file) }),
        )
        .await;
        refused_with_a_clear_400(
            &server,
            &mut organizer,
            "banks/import",
            json!({
                "bank": bank, "format": "table", "file_name": name,
                "file_base64": base64(file), "confirm": true, "valid_rows_only": false
            }),
        )
        .await;
    }
    // Nothing was written.
    let bank = server
        .store
        .bank(academy_shared::ids::BankId(bank))
        .await
        .unwrap();
    assert_eq!(bank.question_count, 0);
    assert_eq!(
        app::store::Store::enrolled(&server.store, class)
            .await
            .unwrap()
            .len(),
        1
    );
}

/// The decoder itself, without the server: the same files are refused with
/// the whole-file problem, and a sheet just within the limits is read.
#[test]
fn the_decoder_refuses_before_reading_and_reads_what_fits() {
    for file in [corner_to_corner_workbook(), zip_bomb()] {
        let problem = app::admin::import::decode_sheet("x.xlsx", &file).unwrap_err();
        assert!(
            app::admin::import::refuses_whole_file(&problem),
            "{problem:?}"
        );
    }
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(2, 1, "B3").unwrap();
    sheet.write_number(4, 3, 13_800_138_000.0).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let (rows, encoding) = app::admin::import::decode_sheet("ok.xlsx", &bytes).unwrap();
    assert_eq!(encoding, "xlsx");
    assert_eq!(
        rows,
        vec![
            vec!["B3".to_owned(), String::new(), String::new()],
            vec![String::new(), String::new(), String::new()],
            vec![String::new(), String::new(), "13800138000".to_owned()],
        ],
        "from the first used cell to the last, like a spreadsheet shows them"
    );
}
