//! Moving a database from SQLite to PostgreSQL (`leadmap migrate`): every table of [`TABLES`]
//! copied row by row, ids kept, in one transaction on the target; refused when the target holds
//! any row; verified afterwards by a row count and a checksum per table, read back from the
//! target after the commit.
//!
//! The copy knows no table by heart: it asks the target which columns each table has and of
//! which type, reads those columns from the source and converts each value to the target's type
//! (SQLite's `INTEGER` 0/1 to `BOOLEAN`, `BLOB` to `BYTEA`). A column a migration adds is copied
//! without a change here; a table a migration adds must be named in [`TABLES`], and the copy
//! refuses to start when the schema holds a table the list does not name (the conformance test
//! `the_table_list_is_the_schema` fails first).

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use rusqlite::OpenFlags;
use rusqlite::types::ValueRef;
use sha2::{Digest, Sha256};
use sqlx::postgres::PgRow;
use sqlx::{Connection, PgConnection, Postgres, QueryBuilder, Row};

use crate::{Result, StoreError};

/// Every table Leadmap keeps, parents before children: the copy inserts in this order, so the
/// rows a foreign key points at are there first. A migration that adds a table adds it here.
pub const TABLES: &[&str] = &[
    "users",
    "sessions",
    "tokens",
    "progress",
    "sign_in_failures",
    "progress_history",
    "history_days",
    "topic_due",
    "evidence",
    "shares",
    "roadmaps",
    "roadmap_versions",
    "teams",
    "team_members",
    "team_invites",
    "team_invite_uses",
    "focus_topics",
    "one_on_ones",
    "assessments",
    "assessment_ratings",
    "assessment_rating_history",
];

/// Tables of a schema that are not copied: the migration machinery's, and those the database
/// keeps itself from the data (`progress_clock`, counted by triggers as `progress` is copied).
const MACHINERY: &[&str] = &["_sqlx_migrations", "progress_clock"];

/// Rows per `INSERT` (PostgreSQL takes at most 65,535 parameters in one statement).
const BATCH_ROWS: usize = 500;

/// What was copied from one table, and what the target holds after the commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableReport {
    pub table: String,
    /// Rows read from the source (in one read transaction: a consistent snapshot).
    pub source_rows: u64,
    /// Rows the target holds, counted after the commit.
    pub target_rows: u64,
    /// An order-independent checksum of the rows as read from the source: the sum of each
    /// row's SHA-256 (first 16 bytes), of the values as the target's types hold them.
    pub source_checksum: String,
    /// The same checksum of the rows read back from the target.
    pub target_checksum: String,
}

impl TableReport {
    /// Whether the target holds exactly what the source held.
    pub fn verified(&self) -> bool {
        self.source_rows == self.target_rows && self.source_checksum == self.target_checksum
    }
}

/// The outcome of a copy, one line per table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrateReport {
    /// The schema version both databases were at.
    pub schema_version: i64,
    pub tables: Vec<TableReport>,
}

impl MigrateReport {
    /// Whether every table's count and checksum agree.
    pub fn verified(&self) -> bool {
        self.tables.iter().all(TableReport::verified)
    }

    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.source_rows).sum()
    }
}

impl fmt::Display for MigrateReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<18} {:>10} {:>10}  {:<32}  check",
            "table", "source", "target", "checksum (source = target)"
        )?;
        for t in &self.tables {
            let (sum, check) = if t.verified() {
                (t.source_checksum.clone(), "ok")
            } else {
                (
                    format!("{} != {}", t.source_checksum, t.target_checksum),
                    "MISMATCH",
                )
            };
            writeln!(
                f,
                "{:<18} {:>10} {:>10}  {:<32}  {check}",
                t.table, t.source_rows, t.target_rows, sum
            )?;
        }
        Ok(())
    }
}

/// A column's type on the target, which every value is converted to (and checksummed as).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int8,
    Int4,
    Bool,
    Text,
    Bytes,
}

impl Kind {
    fn of(table: &str, column: &str, data_type: &str) -> Result<Kind> {
        Ok(match data_type {
            "bigint" => Kind::Int8,
            "integer" => Kind::Int4,
            "boolean" => Kind::Bool,
            "text" | "character varying" => Kind::Text,
            "bytea" => Kind::Bytes,
            other => {
                return Err(StoreError::Unsupported(format!(
                    "column {table}.{column} has type {other}, which leadmap migrate does not \
                     copy yet (teach leadmap_store::migrate::Kind that type)"
                )));
            }
        })
    }
}

/// One value, as the target's column type holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cell {
    Int(Kind, Option<i64>),
    Bool(Option<bool>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
}

impl Cell {
    /// Bytes that say the value unambiguously (a tag, then a length where it varies).
    fn feed(&self, h: &mut Sha256) {
        match self {
            Cell::Int(_, None) | Cell::Bool(None) | Cell::Text(None) | Cell::Bytes(None) => {
                h.update([0u8]);
            }
            Cell::Int(_, Some(i)) => {
                h.update([1u8]);
                h.update(i.to_le_bytes());
            }
            Cell::Bool(Some(b)) => h.update([2u8, u8::from(*b)]),
            Cell::Text(Some(s)) => {
                h.update([3u8]);
                h.update((s.len() as u64).to_le_bytes());
                h.update(s.as_bytes());
            }
            Cell::Bytes(Some(b)) => {
                h.update([4u8]);
                h.update((b.len() as u64).to_le_bytes());
                h.update(b);
            }
        }
    }

    fn from_sqlite(kind: Kind, v: ValueRef<'_>, at: &dyn Fn() -> String) -> Result<Cell> {
        let bad = |what: &str| {
            StoreError::Corrupt(format!("{}: {what} where {kind:?} was expected", at()))
        };
        Ok(match (kind, v) {
            (Kind::Int8 | Kind::Int4, ValueRef::Null) => Cell::Int(kind, None),
            (Kind::Int8 | Kind::Int4, ValueRef::Integer(i)) => {
                if kind == Kind::Int4 && i32::try_from(i).is_err() {
                    return Err(bad("an integer out of 32-bit range"));
                }
                Cell::Int(kind, Some(i))
            }
            (Kind::Bool, ValueRef::Null) => Cell::Bool(None),
            (Kind::Bool, ValueRef::Integer(i)) => Cell::Bool(Some(i != 0)),
            (Kind::Text, ValueRef::Null) => Cell::Text(None),
            (Kind::Text, ValueRef::Text(t)) => {
                let s = std::str::from_utf8(t).map_err(|_| bad("text that is not UTF-8"))?;
                if s.contains('\0') {
                    return Err(bad("text with a NUL character (PostgreSQL cannot hold it)"));
                }
                Cell::Text(Some(s.to_owned()))
            }
            (Kind::Bytes, ValueRef::Null) => Cell::Bytes(None),
            (Kind::Bytes, ValueRef::Blob(b)) => Cell::Bytes(Some(b.to_vec())),
            (_, ValueRef::Integer(_)) => return Err(bad("an integer")),
            (_, ValueRef::Real(_)) => return Err(bad("a real number")),
            (_, ValueRef::Text(_)) => return Err(bad("text")),
            (_, ValueRef::Blob(_)) => return Err(bad("a blob")),
        })
    }

    fn from_pg(kind: Kind, row: &PgRow, i: usize) -> Result<Cell> {
        Ok(match kind {
            Kind::Int8 => Cell::Int(kind, row.try_get::<Option<i64>, _>(i)?),
            Kind::Int4 => Cell::Int(kind, row.try_get::<Option<i32>, _>(i)?.map(i64::from)),
            Kind::Bool => Cell::Bool(row.try_get(i)?),
            Kind::Text => Cell::Text(row.try_get(i)?),
            Kind::Bytes => Cell::Bytes(row.try_get(i)?),
        })
    }

    fn bind(self, b: &mut sqlx::query_builder::Separated<'_, Postgres, &'static str>) {
        match self {
            Cell::Int(Kind::Int4, v) => {
                b.push_bind(v.map(|i| i32::try_from(i).unwrap_or(i32::MAX)));
            }
            Cell::Int(_, v) => {
                b.push_bind(v);
            }
            Cell::Bool(v) => {
                b.push_bind(v);
            }
            Cell::Text(v) => {
                b.push_bind(v);
            }
            Cell::Bytes(v) => {
                b.push_bind(v);
            }
        }
    }
}

/// A running, order-independent checksum of a table's rows.
#[derive(Debug, Default, Clone, Copy)]
struct Checksum {
    rows: u64,
    sum: u128,
}

impl Checksum {
    fn add(&mut self, row: &[Cell]) {
        let mut h = Sha256::new();
        for c in row {
            c.feed(&mut h);
        }
        let d = h.finalize();
        let mut first = [0u8; 16];
        first.copy_from_slice(&d[..16]);
        self.sum = self.sum.wrapping_add(u128::from_le_bytes(first));
        self.rows += 1;
    }

    fn hex(&self) -> String {
        format!("{:032x}", self.sum)
    }
}

/// A table's columns as the target has them.
#[derive(Debug, Clone)]
struct Plan {
    table: &'static str,
    columns: Vec<(String, Kind)>,
}

impl Plan {
    fn column_list(&self) -> String {
        self.columns
            .iter()
            .map(|(c, _)| quote(c))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// The tables of a SQLite database's schema (not SQLite's own).
pub fn sqlite_tables(conn: &rusqlite::Connection) -> Result<BTreeSet<String>> {
    let mut st = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )?;
    let names = st
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<BTreeSet<_>>>()?;
    Ok(names
        .into_iter()
        .filter(|n| !MACHINERY.contains(&n.as_str()))
        .collect())
}

/// The tables of the PostgreSQL connection's current schema (not the migrator's).
pub async fn postgres_tables(conn: &mut PgConnection) -> Result<BTreeSet<String>> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    )
    .fetch_all(conn)
    .await?;
    Ok(names
        .into_iter()
        .filter(|n| !MACHINERY.contains(&n.as_str()))
        .collect())
}

/// Fails unless `found` (a schema's tables) is exactly [`TABLES`].
fn same_tables(found: &BTreeSet<String>, where_: &str) -> Result<()> {
    let listed: BTreeSet<String> = TABLES.iter().map(|t| (*t).to_owned()).collect();
    let unlisted: Vec<_> = found.difference(&listed).cloned().collect();
    let missing: Vec<_> = listed.difference(found).cloned().collect();
    if unlisted.is_empty() && missing.is_empty() {
        return Ok(());
    }
    Err(StoreError::Unsupported(format!(
        "the {where_} schema's tables differ from what leadmap migrate copies \
         (leadmap_store::migrate::TABLES): not listed {unlisted:?}, listed but absent {missing:?}"
    )))
}

/// How many rows each listed table that exists holds (tables not yet created are skipped).
async fn rows_held(conn: &mut PgConnection) -> Result<Vec<(String, i64)>> {
    let present = postgres_tables(conn).await?;
    let mut held = Vec::new();
    for t in TABLES.iter().filter(|t| present.contains(**t)) {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {}",
            quote(t)
        )))
        .fetch_one(&mut *conn)
        .await?;
        if n > 0 {
            held.push(((*t).to_owned(), n));
        }
    }
    Ok(held)
}

fn refuse_held(held: &[(String, i64)]) -> Result<()> {
    if held.is_empty() {
        return Ok(());
    }
    let what = held
        .iter()
        .map(|(t, n)| format!("{n} rows in {t}"))
        .collect::<Vec<_>>()
        .join(", ");
    Err(StoreError::Refused(format!(
        "the target database already holds data ({what}); nothing was changed: migrate only \
         into an empty database"
    )))
}

/// The target's columns of every listed table, in their order.
async fn plans(conn: &mut PgConnection) -> Result<Vec<Plan>> {
    let mut plans = Vec::new();
    for &table in TABLES {
        let cols: Vec<(String, String)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1
             ORDER BY ordinal_position",
        )
        .bind(table)
        .fetch_all(&mut *conn)
        .await?;
        let columns = cols
            .into_iter()
            .map(|(c, t)| Kind::of(table, &c, &t).map(|k| (c, k)))
            .collect::<Result<Vec<_>>>()?;
        plans.push(Plan { table, columns });
    }
    Ok(plans)
}

/// What the source's reader thread sends: a batch of one table's rows, or the end of it.
enum Msg {
    Rows(usize, Vec<Vec<Cell>>),
    Done(usize),
}

/// Reads every planned table from the SQLite file in one read transaction, in batches.
fn read_source(
    path: PathBuf,
    plans: Vec<Plan>,
    tx: tokio::sync::mpsc::Sender<Result<Msg>>,
) -> Result<()> {
    let conn = rusqlite::Connection::open_with_flags(
        &path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // One snapshot for every table: a server writing meanwhile changes nothing we read.
    conn.execute_batch("BEGIN")?;
    same_tables(&sqlite_tables(&conn)?, "source")?;
    for (i, plan) in plans.iter().enumerate() {
        let sql = format!("SELECT {} FROM {}", plan.column_list(), quote(plan.table));
        let mut st = conn.prepare(&sql).map_err(|e| {
            StoreError::Unsupported(format!(
                "the source's table {} lacks a column the target has ({e}); are both at the \
                 same schema version?",
                plan.table
            ))
        })?;
        let mut rows = st.query([])?;
        let mut batch = Vec::with_capacity(BATCH_ROWS);
        let mut n = 0u64;
        while let Some(r) = rows.next()? {
            n += 1;
            let mut row = Vec::with_capacity(plan.columns.len());
            for (j, (col, kind)) in plan.columns.iter().enumerate() {
                let at = || format!("{}.{col}, row {n} of the source", plan.table);
                row.push(Cell::from_sqlite(*kind, r.get_ref(j)?, &at)?);
            }
            batch.push(row);
            if batch.len() == BATCH_ROWS {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ROWS));
                if tx.blocking_send(Ok(Msg::Rows(i, full))).is_err() {
                    return Ok(());
                }
            }
        }
        if !batch.is_empty() && tx.blocking_send(Ok(Msg::Rows(i, batch))).is_err() {
            return Ok(());
        }
        if tx.blocking_send(Ok(Msg::Done(i))).is_err() {
            return Ok(());
        }
    }
    conn.execute_batch("COMMIT")?;
    Ok(())
}

/// Copies the SQLite database at `source` into the PostgreSQL database `target_url`: refused
/// (nothing changed) when the target holds a row in any Leadmap table or the source file does
/// not exist. The source is brought to this build's schema first (as `serve` would); the
/// target's schema is made by its migrations, then every row of [`TABLES`] is copied, ids kept,
/// in one transaction, and the id sequences moved past the copied ids. Read back after the
/// commit: the report says per table whether the count and checksum agree.
pub async fn sqlite_to_postgres(source: &Path, target_url: &str) -> Result<MigrateReport> {
    if !source.is_file() {
        return Err(StoreError::Refused(format!(
            "no SQLite database at {}",
            source.display()
        )));
    }
    // Refuse a target with data before its schema is touched.
    {
        let mut probe = connect(target_url).await?;
        refuse_held(&rows_held(&mut probe).await?)?;
        let _ = probe.close().await;
    }
    let src = crate::sqlite::SqliteStore::open(source).await?;
    drop(src);
    let pg = crate::postgres::PgStore::open(target_url).await?;
    let schema_version = crate::Store::schema_version(&pg).await?;
    drop(pg);

    let mut conn = connect(target_url).await?;
    same_tables(&postgres_tables(&mut conn).await?, "target")?;
    let plans = plans(&mut conn).await?;

    let mut sums = vec![Checksum::default(); plans.len()];
    {
        let mut tx = conn.begin().await?;
        // Again inside the transaction: someone may have written since the first look.
        refuse_held(&rows_held(&mut tx).await?)?;
        let (send, mut recv) = tokio::sync::mpsc::channel(4);
        let path = source.to_owned();
        let reader_plans = plans.clone();
        let reader = std::thread::Builder::new()
            .name("leadmap-migrate-read".into())
            .spawn(move || {
                let err_tx = send.clone();
                if let Err(e) = read_source(path, reader_plans, send) {
                    let _ = err_tx.blocking_send(Err(e));
                }
            })
            .map_err(|e| StoreError::Io {
                path: source.to_owned(),
                source: e,
            })?;
        let mut done = vec![false; plans.len()];
        while let Some(msg) = recv.recv().await {
            match msg? {
                Msg::Rows(i, rows) => {
                    let plan = &plans[i];
                    for r in &rows {
                        sums[i].add(r);
                    }
                    let mut q = QueryBuilder::<Postgres>::new(format!(
                        "INSERT INTO {} ({}) ",
                        quote(plan.table),
                        plan.column_list()
                    ));
                    q.push_values(rows, |mut b, row| {
                        for cell in row {
                            cell.bind(&mut b);
                        }
                    });
                    q.build().execute(&mut *tx).await?;
                }
                Msg::Done(i) => done[i] = true,
            }
        }
        let _ = reader.join();
        if let Some(i) = done.iter().position(|d| !d) {
            return Err(StoreError::Corrupt(format!(
                "the source's table {} was not read to its end",
                plans[i].table
            )));
        }
        move_sequences(&mut tx).await?;
        tx.commit().await?;
    }

    // Verify: read every table back from the committed target.
    let mut tables = Vec::new();
    for (plan, sum) in plans.iter().zip(&sums) {
        let target = checksum_pg(&mut conn, plan).await?;
        tables.push(TableReport {
            table: plan.table.to_owned(),
            source_rows: sum.rows,
            target_rows: target.rows,
            source_checksum: sum.hex(),
            target_checksum: target.hex(),
        });
    }
    let _ = conn.close().await;
    Ok(MigrateReport {
        schema_version,
        tables,
    })
}

async fn connect(url: &str) -> Result<PgConnection> {
    let options: sqlx::postgres::PgConnectOptions = url.parse()?;
    PgConnection::connect_with(&options)
        .await
        .map_err(|source| StoreError::Connect {
            addr: format!("{}:{}", options.get_host(), options.get_port()),
            source,
        })
}

/// Sets each serial column's sequence past the largest id copied, so new rows get new ids.
async fn move_sequences(conn: &mut PgConnection) -> Result<()> {
    let serials: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (table, column) in serials {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence($1, $2), \
             COALESCE((SELECT MAX({c}) FROM {t}), 0) + 1, false)",
            c = quote(&column),
            t = quote(&table)
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(quote(&table))
            .bind(&column)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A table's count and checksum as the PostgreSQL database holds it, streamed (never the
/// whole table in memory).
async fn checksum_pg(conn: &mut PgConnection, plan: &Plan) -> Result<Checksum> {
    use futures_util::TryStreamExt;
    let sql = format!("SELECT {} FROM {}", plan.column_list(), quote(plan.table));
    let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(&mut *conn);
    let mut sum = Checksum::default();
    while let Some(r) = rows.try_next().await? {
        let cells = plan
            .columns
            .iter()
            .enumerate()
            .map(|(i, (_, k))| Cell::from_pg(*k, &r, i))
            .collect::<Result<Vec<_>>>()?;
        sum.add(&cells);
    }
    Ok(sum)
}
