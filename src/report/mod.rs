//! Reports: views computed from the pipeline's stages, and renderers that format them.
//!
//! Committee reports (issue 5): [`view::build`] computes one [`view::Report`]; the Markdown,
//! HTML (with SVG charts) and JSON renderers format it and compute nothing.

pub mod html;
pub mod markdown;
mod svg;
pub mod view;
