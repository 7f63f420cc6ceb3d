//! The SQLite and PostgreSQL migrations build one schema: after migrating both
//! backends, each is described from its own catalog (SQLite's `sqlite_master`
//! and pragmas, PostgreSQL's `information_schema` and `pg_catalog`) as a list
//! of facts — tables; columns with a type family and nullability; primary
//! keys; foreign keys with their ON DELETE action; UNIQUE constraints as
//! column sets; indexes made by CREATE [UNIQUE] INDEX by name, table, columns,
//! uniqueness and predicate — and the two lists must agree, apart from the
//! few justified differences in `ALLOWED`.
//!
//! PostgreSQL is compared when `TEST_DATABASE_URL` points at a server we may
//! create databases on (the run gets a fresh database, dropped afterwards).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed setup should panic
#![cfg(feature = "ssr")]

mod common;

use common::TestDb;

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};
use std::collections::BTreeMap;

/// A schema as facts: key → description. Keys:
/// `table` → "table"; `table.column` → "integer NOT NULL";
/// `table primary key` → "(a, b)"; `table unique (a, b)` → "unique constraint";
/// `table foreign key (a) references other (b)` → "on delete cascade";
/// `index name` → "on table (a, b) unique where predicate".
type Schema = BTreeMap<String, String>;

/// Mismatches known and accepted, as `(key, sqlite, postgres)` exactly as the
/// diff prints them. Each entry must still occur, so a fixed one is removed.
///
/// All three are the same SQLite quirk: a TEXT PRIMARY KEY column of a rowid
/// table accepts NULL unless also declared NOT NULL, whereas PostgreSQL makes
/// every primary-key column NOT NULL. Harmless: the store binds these columns
/// only from `&str` (never an `Option`), so it cannot write a NULL; fixing it
/// would mean rebuilding the tables in a new SQLite migration.
const ALLOWED: &[(&str, &str, &str)] = &[
    // 0001: `key TEXT PRIMARY KEY`; written by `Store::set_meta_once` and `load_once`.
    ("app_meta.key", "text NULL", "text NOT NULL"),
    // 0010: `nonce TEXT PRIMARY KEY`; written by `Store::issue_device_challenge`.
    ("device_challenges.nonce", "text NULL", "text NOT NULL"),
    // 0002: `token_hash TEXT PRIMARY KEY`; written by `Store::create_session`.
    ("sessions.token_hash", "text NULL", "text NOT NULL"),
];

const ABSENT: &str = "(absent)";

/// The type families compared. No column is BOOLEAN on either side: flags are
/// INTEGER (SQLite) / BIGINT (PostgreSQL) holding 0/1 or a nullable time, and
/// the store reads them as integers, so `bool` is a family of its own and a
/// BOOLEAN on one side only is a difference.
fn family(declared: &str) -> String {
    let lower = declared.trim().to_ascii_lowercase();
    let base = lower.split('(').next().unwrap_or_default().trim();
    match base {
        "integer" | "int" | "bigint" | "smallint" | "int2" | "int4" | "int8" | "serial"
        | "bigserial" | "smallserial" => "integer",
        "real" | "double precision" | "double" | "float" | "float4" | "float8" => "real",
        "text" | "varchar" | "character varying" | "char" | "character" => "text",
        "blob" | "bytea" => "blob",
        "boolean" | "bool" => "bool",
        _ => return format!("other:{lower}"),
    }
    .to_string()
}

fn column(family: String, not_null: bool) -> String {
    format!("{family} {}", if not_null { "NOT NULL" } else { "NULL" })
}

/// `revoked_at IS NULL`, `(revoked_at IS NULL)` → `revoked_at is null`.
fn predicate(sql: &str) -> String {
    sql.to_ascii_lowercase()
        .replace(['(', ')', ';', '"'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn index(table: &str, columns: &[String], unique: bool, predicate: &str) -> String {
    let mut text = format!("on {table} ({})", columns.join(", "));
    if unique {
        text.push_str(" unique");
    }
    if !predicate.is_empty() {
        text.push_str(" where ");
        text.push_str(predicate);
    }
    text
}

fn on_delete(action: &str) -> String {
    let action = match action {
        // PostgreSQL's pg_constraint.confdeltype codes.
        "a" => "no action",
        "r" => "restrict",
        "c" => "cascade",
        "n" => "set null",
        "d" => "set default",
        other => other,
    };
    format!("on delete {}", action.to_ascii_lowercase())
}

fn foreign_key(table: &str, from: &[String], target: &str, to: &[String]) -> String {
    format!(
        "{table} foreign key ({}) references {target} ({})",
        from.join(", "),
        to.join(", ")
    )
}

fn unique(table: &str, columns: &[String]) -> String {
    let mut columns = columns.to_vec();
    columns.sort();
    format!("{table} unique ({})", columns.join(", "))
}

/// An SQL string literal, for pragma arguments (names come from the catalog).
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

async fn rows(pool: &AnyPool, sql: &str) -> Vec<AnyRow> {
    sqlx::query(sql)
        .fetch_all(pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn text(row: &AnyRow, column: &str) -> String {
    row.try_get(column)
        .unwrap_or_else(|e| panic!("column {column}: {e}"))
}

fn int(row: &AnyRow, column: &str) -> i64 {
    row.try_get(column)
        .unwrap_or_else(|e| panic!("column {column}: {e}"))
}

async fn sqlite_schema(pool: &AnyPool) -> Schema {
    let mut schema = Schema::new();
    let tables = rows(
        pool,
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite!_%' ESCAPE '!' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .await;
    for table in tables.iter().map(|r| text(r, "name")) {
        schema.insert(table.clone(), "table".into());

        let columns = rows(
            pool,
            &format!(
                "SELECT name, type, \"notnull\" AS not_null, pk FROM pragma_table_info({})",
                literal(&table)
            ),
        )
        .await;
        let mut primary: Vec<(i64, String, String)> = columns
            .iter()
            .filter(|r| int(r, "pk") > 0)
            .map(|r| (int(r, "pk"), text(r, "name"), text(r, "type")))
            .collect();
        primary.sort();
        // A lone INTEGER PRIMARY KEY is the rowid and never NULL; any other
        // primary-key column of a rowid table accepts NULL unless declared
        // NOT NULL (https://sqlite.org/lang_createtable.html#the_primary_key).
        let rowid = match primary.as_slice() {
            [(_, name, ty)] if ty.eq_ignore_ascii_case("INTEGER") => Some(name.clone()),
            _ => None,
        };
        for r in &columns {
            let name = text(r, "name");
            let not_null = int(r, "not_null") != 0 || rowid.as_ref() == Some(&name);
            schema.insert(
                format!("{table}.{name}"),
                column(family(&text(r, "type")), not_null),
            );
        }
        if !primary.is_empty() {
            let names: Vec<String> = primary.into_iter().map(|(_, n, _)| n).collect();
            schema.insert(
                format!("{table} primary key"),
                format!("({})", names.join(", ")),
            );
        }

        let keys = rows(
            pool,
            &format!(
                "SELECT id, \"table\" AS target, \"from\" AS source, \"to\" AS dest, on_delete \
                 FROM pragma_foreign_key_list({}) ORDER BY id, seq",
                literal(&table)
            ),
        )
        .await;
        // By constraint: (target table, ON DELETE action, columns, target columns).
        type Key = (String, String, Vec<String>, Vec<Option<String>>);
        let mut grouped: BTreeMap<i64, Key> = BTreeMap::new();
        for r in &keys {
            let entry = grouped
                .entry(int(r, "id"))
                .or_insert_with(|| (text(r, "target"), text(r, "on_delete"), vec![], vec![]));
            entry.2.push(text(r, "source"));
            entry.3.push(r.try_get("dest").unwrap());
        }
        for (target, action, from, to) in grouped.into_values() {
            // `REFERENCES t` without columns means t's primary key.
            let to: Vec<String> = if to.iter().all(Option::is_some) {
                to.into_iter().flatten().collect()
            } else {
                rows(
                    pool,
                    &format!(
                        "SELECT name FROM pragma_table_info({}) WHERE pk > 0 ORDER BY pk",
                        literal(&target)
                    ),
                )
                .await
                .iter()
                .map(|r| text(r, "name"))
                .collect()
            };
            schema.insert(foreign_key(&table, &from, &target, &to), on_delete(&action));
        }

        let indexes = rows(
            pool,
            &format!(
                "SELECT il.name, il.\"unique\" AS is_unique, il.origin, m.sql \
                 FROM pragma_index_list({}) AS il \
                 LEFT JOIN sqlite_master AS m ON m.type = 'index' AND m.name = il.name",
                literal(&table)
            ),
        )
        .await;
        for r in &indexes {
            let name = text(r, "name");
            let columns: Vec<String> = rows(
                pool,
                &format!(
                    "SELECT name FROM pragma_index_info({}) ORDER BY seqno",
                    literal(&name)
                ),
            )
            .await
            .iter()
            .map(|c| {
                c.try_get::<Option<String>, _>("name")
                    .unwrap()
                    .unwrap_or_else(|| "<expression>".into())
            })
            .collect();
            match text(r, "origin").as_str() {
                "pk" => {} // the primary key, compared above
                "u" => {
                    schema.insert(unique(&table, &columns), "unique constraint".into());
                }
                _ => {
                    let sql: String = text(r, "sql");
                    let upper = sql.to_ascii_uppercase();
                    let after_columns = upper.find(')').unwrap_or(0);
                    let condition = upper[after_columns..]
                        .find(" WHERE ")
                        .map(|at| predicate(&sql[after_columns + at + " WHERE ".len()..]))
                        .unwrap_or_default();
                    schema.insert(
                        format!("index {name}"),
                        index(&table, &columns, int(r, "is_unique") != 0, &condition),
                    );
                }
            }
        }
    }
    schema
}

async fn postgres_schema(pool: &AnyPool) -> Schema {
    let mut schema = Schema::new();
    let tables = rows(
        pool,
        "SELECT table_name::text AS name FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
         AND table_name <> '_sqlx_migrations'",
    )
    .await;
    for r in &tables {
        schema.insert(text(r, "name"), "table".into());
    }

    let columns = rows(
        pool,
        "SELECT c.table_name::text AS tbl, c.column_name::text AS name, \
                c.data_type::text AS ty, c.is_nullable::text AS nullable \
         FROM information_schema.columns c \
         JOIN information_schema.tables t \
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' \
           AND c.table_name <> '_sqlx_migrations'",
    )
    .await;
    for r in &columns {
        schema.insert(
            format!("{}.{}", text(r, "tbl"), text(r, "name")),
            column(family(&text(r, "ty")), text(r, "nullable") == "NO"),
        );
    }

    let constraints = rows(
        pool,
        "SELECT r.relname::text AS tbl, con.contype::text AS kind, \
           array_to_string(ARRAY( \
             SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) \
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum \
             ORDER BY k.ord), ',') AS cols, \
           COALESCE(f.relname::text, '') AS target, \
           array_to_string(ARRAY( \
             SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord) \
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum \
             ORDER BY k.ord), ',') AS target_cols, \
           con.confdeltype::text AS on_delete \
         FROM pg_constraint con \
         JOIN pg_class r ON r.oid = con.conrelid \
         JOIN pg_namespace n ON n.oid = r.relnamespace \
         LEFT JOIN pg_class f ON f.oid = con.confrelid \
         WHERE n.nspname = 'public' AND con.contype IN ('p', 'u', 'f') \
           AND r.relname <> '_sqlx_migrations'",
    )
    .await;
    let split = |list: String| -> Vec<String> {
        list.split(',')
            .filter(|c| !c.is_empty())
            .map(String::from)
            .collect()
    };
    for r in &constraints {
        let table = text(r, "tbl");
        let cols = split(text(r, "cols"));
        match text(r, "kind").as_str() {
            "p" => {
                schema.insert(
                    format!("{table} primary key"),
                    format!("({})", cols.join(", ")),
                );
            }
            "u" => {
                schema.insert(unique(&table, &cols), "unique constraint".into());
            }
            _ => {
                schema.insert(
                    foreign_key(
                        &table,
                        &cols,
                        &text(r, "target"),
                        &split(text(r, "target_cols")),
                    ),
                    on_delete(&text(r, "on_delete")),
                );
            }
        }
    }

    // Indexes that back a PRIMARY KEY, UNIQUE or EXCLUDE constraint are
    // compared as those constraints; the rest were made by CREATE INDEX.
    let indexes = rows(
        pool,
        "SELECT ic.relname::text AS name, t.relname::text AS tbl, \
           CASE WHEN i.indisunique THEN 1 ELSE 0 END::int8 AS is_unique, \
           array_to_string(ARRAY( \
             SELECT COALESCE(a.attname::text, '<expression>') \
             FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum \
             WHERE k.ord <= i.indnkeyatts ORDER BY k.ord), ',') AS cols, \
           COALESCE(pg_get_expr(i.indpred, i.indrelid, true), '') AS pred \
         FROM pg_index i \
         JOIN pg_class ic ON ic.oid = i.indexrelid \
         JOIN pg_class t ON t.oid = i.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = 'public' AND t.relname <> '_sqlx_migrations' \
           AND NOT EXISTS (SELECT 1 FROM pg_constraint con \
                           WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))",
    )
    .await;
    for r in &indexes {
        schema.insert(
            format!("index {}", text(r, "name")),
            index(
                &text(r, "tbl"),
                &split(text(r, "cols")),
                int(r, "is_unique") != 0,
                &predicate(&text(r, "pred")),
            ),
        );
    }
    schema
}

/// Every fact the two descriptions disagree on, as `(key, sqlite, postgres)`.
fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<(String, String, String)> {
    let mut keys: Vec<&String> = sqlite.keys().chain(postgres.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|key| sqlite.get(*key) != postgres.get(*key))
        .map(|key| {
            let side = |s: &Schema| s.get(key).cloned().unwrap_or_else(|| ABSENT.into());
            (key.clone(), side(sqlite), side(postgres))
        })
        .collect()
}

/// The description must have found the schema at all: a catalog query that
/// silently returned nothing would otherwise make both sides "agree".
fn assert_described(backend: &str, schema: &Schema) {
    for (key, fact) in [
        ("users", "table"),
        ("users.id", "integer NOT NULL"),
        ("users.phone", "text NULL"),
        ("users primary key", "(id)"),
        ("users unique (username)", "unique constraint"),
        (
            "users foreign key (region_id) references regions (id)",
            "on delete no action",
        ),
        (
            "index device_bindings_one_live",
            "on device_bindings (user_id) unique where revoked_at is null",
        ),
        ("index audit_log_action", "on audit_log (action, at)"),
    ] {
        assert_eq!(
            schema.get(key).map(String::as_str),
            Some(fact),
            "{backend} description of {key}"
        );
    }
}

#[tokio::test]
async fn sqlite_and_postgres_migrations_build_the_same_schema() {
    let db = TestDb::sqlite().await;
    db.store.migrate().await.unwrap();
    let lite = sqlite_schema(db.store.pool_for_tests()).await;
    db.finish().await;
    assert_described("sqlite", &lite);

    let Some(db) = TestDb::postgres().await else {
        return;
    };
    db.store.migrate().await.unwrap();
    let pg = postgres_schema(db.store.pool_for_tests()).await;
    db.finish().await;
    assert_described("postgres", &pg);

    let found = differences(&lite, &pg);
    let allowed = |(key, s, p): &(String, String, String)| {
        ALLOWED.contains(&(key.as_str(), s.as_str(), p.as_str()))
    };
    let unexpected: Vec<String> = found
        .iter()
        .filter(|d| !allowed(d))
        .map(|(key, s, p)| format!("  {key}: sqlite {s} vs postgres {p}"))
        .collect();
    let stale: Vec<String> = ALLOWED
        .iter()
        .filter(|(key, s, p)| {
            !found
                .iter()
                .any(|(k, fs, fp)| k == key && fs == s && fp == p)
        })
        .map(|(key, s, p)| format!("  {key}: sqlite {s} vs postgres {p}"))
        .collect();
    let mut report = unexpected.join("\n");
    if !stale.is_empty() {
        report.push_str("\nallowed differences that no longer occur (remove them from ALLOWED):\n");
        report.push_str(&stale.join("\n"));
    }
    assert!(
        unexpected.is_empty() && stale.is_empty(),
        "the SQLite and PostgreSQL migrations disagree ({} facts compared):\n{report}",
        lite.len().max(pg.len()),
    );
}
