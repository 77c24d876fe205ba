//! The storage conformance suite: every scenario runs on a fresh SQLite file and on a fresh
//! PostgreSQL database (127.0.0.1:5432 as user postgres, or `LEADMAP_TEST_POSTGRES_URL`).
//! One module per aggregate, as the store's traits are split; each module lists its scenarios
//! in `conformance!`, which makes a `sqlite` and a `postgres` test of each.
#![allow(clippy::unwrap_used)]

use leadmap_store::UserName;

pub const T0: i64 = 1_700_000_000_000;

pub fn name(s: &str) -> UserName {
    UserName::parse(s).unwrap()
}

/// A test per backend for each scenario (`async fn scenario(s: &dyn Store)`) of the module.
macro_rules! conformance {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $scenario() {
                    let db = leadmap_store::testing::sqlite().await;
                    super::$scenario(db.store()).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $scenario() {
                    let db = leadmap_store::testing::postgres().await;
                    super::$scenario(db.store()).await;
                    db.drop().await;
                }
            )*
        }
    };
}

mod assessments;
mod history;
mod migrate;
mod open;
mod page;
mod plans;
mod progress;
mod roadmaps;
mod sessions;
mod shares;
mod store;
mod teams;
mod text;
mod throttle;
mod tokens;
mod users;
