//! carta turns a service charter (Carta dei servizi) written as Markdown chapters and YAML data
//! into an accessible, AGID-styled static website, a print edition and its tagged PDF.
//!
//! The pipeline runs in one direction: [`load`] → [`model`] → [`validate`] → [`render`] (one
//! [`render::Context`] per charter) → the [`output`]s, each an artifact, whose pages go through
//! [`rewrite`] → [`output::write`]. [`build`] drives it and [`cmd`] prints the result. The
//! generated blocks are listed once, in [`blocks`]; domain rules stay out of `render`
//! ([`standards`], [`results`], [`hours`], [`retention`], [`licence`]), and the theme's words are [`strings`].

pub(crate) mod accept;
pub(crate) mod blocks;
pub(crate) mod branding;
pub mod build;
pub(crate) mod check;
pub mod cmd;
pub(crate) mod colour;
pub(crate) mod config;
pub(crate) mod control;
pub mod css;
pub mod diagnostics;
pub(crate) mod editions;
pub(crate) mod fork;
pub(crate) mod forms;
pub mod fuzz;
pub(crate) mod gate;
pub(crate) mod hours;
pub(crate) mod html_policy;
pub(crate) mod init;
pub(crate) mod licence;
pub(crate) mod lint;
pub mod load;
pub mod markdown;
pub mod model;
pub(crate) mod os_error;
pub mod output;
pub mod pdf;
pub mod render;
pub(crate) mod results;
pub(crate) mod retention;
pub mod rewrite;
#[cfg(feature = "serve")]
pub mod serve;
pub(crate) mod slug;
pub mod source;
pub(crate) mod standards;
pub(crate) mod strings;
pub mod theme;
pub(crate) mod url_policy;
pub(crate) mod validate;
pub mod version;
