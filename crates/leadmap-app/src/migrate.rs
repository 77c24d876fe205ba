//! Moving a Leadmap database to PostgreSQL (`leadmap migrate --from sqlite:PATH --to
//! postgres://…`): which directions there are, and what a finished copy must show.

pub use leadmap_store::migrate::{MigrateReport, TableReport};
use leadmap_store::{Location, StoreError};

use crate::Error;

/// Copies the database `from` names into the empty database `to` names, then reads the copy
/// back: the report holds each table's row count and checksum on both sides
/// ([`MigrateReport::verified`] says whether they all agree). Only SQLite → PostgreSQL is a
/// copy Leadmap makes; a target that holds data is refused with nothing changed.
pub async fn migrate(from: &str, to: &str) -> Result<MigrateReport, Error> {
    let source = Location::parse(from)?;
    let target = Location::parse(to)?;
    match (source, target) {
        (Location::Sqlite(path), Location::Postgres(url)) => {
            Ok(leadmap_store::migrate::sqlite_to_postgres(&path, &url).await?)
        }
        (Location::Postgres(_), _) => Err(StoreError::Unsupported(
            "leadmap migrate copies a SQLite database into PostgreSQL; to copy a PostgreSQL \
             database, use pg_dump and pg_restore"
                .into(),
        )
        .into()),
        (Location::Sqlite(_), Location::Sqlite(_)) => Err(StoreError::Unsupported(
            "both databases are SQLite files: use `leadmap backup` and `leadmap restore` to \
             copy one"
                .into(),
        )
        .into()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[tokio::test]
    async fn only_sqlite_to_postgres_is_a_copy_leadmap_makes() {
        let e = migrate("postgres://x@127.0.0.1/a", "sqlite:/tmp/b.db")
            .await
            .unwrap_err();
        assert!(e.to_string().contains("pg_dump"), "{e}");
        let e = migrate("sqlite:/tmp/a.db", "/tmp/b.db").await.unwrap_err();
        assert!(e.to_string().contains("leadmap backup"), "{e}");
        let e = migrate("mysql://x", "postgres://y").await.unwrap_err();
        assert!(e.to_string().contains("unsupported database URL"), "{e}");
    }
}
