//! Static assets embedded in the binary (`assets/`), served with an ETag and a long cache
//! (pages link them with `?v=<hash>`, so a new build busts the cache).

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::Embed;

#[derive(Embed)]
#[folder = "assets/"]
struct Assets;

/// The SVG's own styles, light and dark, scoped to `.map` (served as `/static/map.css`).
fn map_css() -> &'static str {
    static CSS: OnceLock<String> = OnceLock::new();
    CSS.get_or_init(|| {
        use leadmap_render::{Theme, svg::stylesheet};
        let light = stylesheet(Theme::Light, ".map");
        let dark_forced = stylesheet(Theme::Dark, "[data-theme=dark] .map");
        let dark_system = stylesheet(Theme::Dark, ":root:not([data-theme=light]) .map");
        format!("{light}\n{dark_forced}\n@media (prefers-color-scheme:dark){{{dark_system}}}\n")
    })
}

/// A short hash of an asset's bytes, for cache-busting links.
pub fn version(path: &str) -> String {
    if path == "map.css" {
        static MAP_CSS: OnceLock<String> = OnceLock::new();
        return MAP_CSS
            .get_or_init(|| short_hash(map_css().as_bytes()))
            .clone();
    }
    Assets::get(path)
        .map(|f| hex::encode(&f.metadata.sha256_hash()[..6]))
        .unwrap_or_default()
}

fn short_hash(b: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(&sha2::Sha256::digest(b)[..6])
}

pub async fn serve(Path(path): Path<String>, headers: HeaderMap) -> Response {
    let (bytes, etag, mime): (Vec<u8>, String, &str) = if path == "map.css" {
        let css = map_css();
        (
            css.as_bytes().to_vec(),
            short_hash(css.as_bytes()),
            "text/css",
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
        (
            f.data.into_owned(),
            hex::encode(&f.metadata.sha256_hash()[..6]),
            mime,
        )
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
