//! The built-in theme is embedded at compile time (src/theme/files.rs): a file added to or
//! removed from it must rebuild carta, which the embedding alone does not notice.
fn main() {
    for path in [
        "themes/agid/templates",
        "themes/agid/static",
        "themes/agid/strings.toml",
        "themes/agid/vendor",
        "themes/agid/package.json",
        "themes/agid/history.txt",
    ] {
        println!("cargo:rerun-if-changed={path}");
    }
}
