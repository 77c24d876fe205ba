//! The store as a whole.

use leadmap_store::Status;
use leadmap_store::prelude::*;

use crate::{T0, name};

conformance!(the_database_checks_clean,);

async fn the_database_checks_clean(s: &dyn Store) {
    let ana = s.create_user(&name("ana"), "h", false, T0).await.unwrap();
    s.set_progress(ana.id, "el", "x", Status::Done, Some(""), T0)
        .await
        .unwrap();
    assert_eq!(s.integrity_check().await.unwrap(), Vec::<String>::new());
}
