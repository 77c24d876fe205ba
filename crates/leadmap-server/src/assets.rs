//! Static assets embedded in the binary (`assets/`), served with an ETag and a long cache
//! (pages link them with `?v=<hash>`, so a new build busts the cache).

use std::borrow::Cow;
use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::Embed;

#[derive(Embed)]
#[folder = "assets/"]
struct Assets;

/// An asset made once when first asked for, rather than served as it is in `assets/`.
struct Made {
    text: String,
    hash: String,
    mime: &'static str,
}

impl Made {
    fn new(text: String, mime: &'static str) -> Made {
        Made {
            hash: short_hash(text.as_bytes()),
            text,
            mime,
        }
    }
}

fn generated(path: &str) -> Option<&'static Made> {
    static MAP_CSS: OnceLock<Made> = OnceLock::new();
    static APP_JS: OnceLock<Made> = OnceLock::new();
    match path {
        // The SVG's own styles, light and dark, scoped to `.map`.
        "map.css" => Some(MAP_CSS.get_or_init(|| {
            use leadmap_render::{Theme, svg::stylesheet};
            let light = stylesheet(Theme::Light, ".map");
            let dark_forced = stylesheet(Theme::Dark, "[data-theme=dark] .map");
            let dark_system = stylesheet(Theme::Dark, ":root:not([data-theme=light]) .map");
            let css = format!(
                "{light}\n{dark_forced}\n@media (prefers-color-scheme:dark){{{dark_system}}}\n"
            );
            Made::new(css, "text/css")
        })),
        // The map's pan and zoom, which the offline page shares, then `assets/app.js`.
        "app.js" => Some(APP_JS.get_or_init(|| {
            let own = Assets::get("app.js").map(|f| f.data).unwrap_or_default();
            let js = format!(
                "{}\n{}",
                leadmap_render::html::PANZOOM_JS,
                String::from_utf8_lossy(&own)
            );
            Made::new(js, "text/javascript")
        })),
        _ => None,
    }
}

/// A short hash of an asset's bytes, for cache-busting links.
pub fn version(path: &str) -> String {
    if let Some(made) = generated(path) {
        return made.hash.clone();
    }
    Assets::get(path)
        .map(|f| embedded_hash(&f))
        .unwrap_or_default()
}

/// [`short_hash`] of an embedded file, from the hash the build computed.
fn embedded_hash(f: &rust_embed::EmbeddedFile) -> String {
    hex::encode(&f.metadata.sha256_hash()[..6])
}

fn short_hash(b: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(&sha2::Sha256::digest(b)[..6])
}

pub async fn serve(Path(path): Path<String>, headers: HeaderMap) -> Response {
    // Borrowed, not copied: an unchanged asset (304) never touches its bytes.
    let (bytes, etag, mime): (Cow<'static, [u8]>, String, &str) =
        if let Some(made) = generated(&path) {
            (
                Cow::Borrowed(made.text.as_bytes()),
                made.hash.clone(),
                made.mime,
            )
        } else {
            let Some(f) = Assets::get(&path) else {
                return StatusCode::NOT_FOUND.into_response();
            };
            let mime = match path.rsplit('.').next() {
                Some("css") => "text/css",
                Some("js") => "text/javascript",
                Some("svg") => "image/svg+xml",
                Some("png") => "image/png",
                Some("ico") => "image/x-icon",
                _ => "application/octet-stream",
            };
            let etag = embedded_hash(&f);
            (f.data, etag, mime)
        };
    let etag = format!("\"{etag}\"");
    let cache = (header::CACHE_CONTROL, "public, max-age=31536000, immutable");
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return (
            StatusCode::NOT_MODIFIED,
            [cache, (header::ETAG, etag.as_str())],
        )
            .into_response();
    }
    (
        [
            (header::CONTENT_TYPE, mime),
            cache,
            (header::ETAG, etag.as_str()),
        ],
        bytes,
    )
        .into_response()
}
