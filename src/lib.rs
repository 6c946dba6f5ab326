//! carta turns a service charter (Carta dei servizi) written as Markdown chapters and YAML data
//! into an accessible, AGID-styled static website, a print edition and its tagged PDF.
//!
//! The pipeline runs in one direction: [`load`] → [`model`] → [`validate`] → [`render`] (one
//! [`render::Context`] per charter) → the [`output`]s, each an artifact, whose pages go through
//! [`rewrite`] → [`output::write`]. [`build`] drives it and [`cmd`] prints the result. The
//! generated blocks are listed once, in [`blocks`]; domain rules stay out of `render`
//! ([`standards`], [`hours`], [`retention`], [`licence`]), and the theme's words are [`strings`].

pub mod blocks;
pub mod branding;
pub mod build;
pub mod check;
pub mod cmd;
pub mod colour;
pub mod config;
pub mod css;
pub mod diagnostics;
pub mod editions;
pub mod fork;
pub mod forms;
pub mod fuzz;
pub mod hours;
pub mod html_policy;
pub mod init;
pub mod licence;
pub mod lint;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pdf;
pub mod render;
pub mod retention;
pub mod rewrite;
#[cfg(feature = "serve")]
pub mod serve;
pub mod slug;
pub mod source;
pub mod standards;
pub mod strings;
pub mod theme;
pub mod url_policy;
pub mod validate;
