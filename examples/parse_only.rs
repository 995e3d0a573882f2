//! The parse-only baseline for peak-memory measurements: reads a policy file and deserializes
//! it with serde-saphyr into a generic value, with the same budget options as the loader, and
//! does nothing else.
//!
//! ```text
//! /usr/bin/time -f %M target/release/examples/parse_only target/big-100000.yaml
//! ```

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: parse_only FILE");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("parse_only: {path}: {e}");
        std::process::exit(2);
    });
    let options = pim_notify::load::parse_options(text.len());
    match serde_saphyr::from_str_with_options::<serde_json::Value>(&text, options) {
        Ok(value) => println!("{} top-level keys", value.as_object().map_or(0, |o| o.len())),
        Err(e) => {
            eprintln!("parse_only: {e}");
            std::process::exit(1);
        }
    }
}
