//! A YAML file as a plain tree of located values, whatever its schema.
//!
//! The leftover check looks for facts by key (`service`, `phones`, `standards`…) rather than
//! through the model, so it reads the files of an older or newer schema alike, and a file the
//! model rejects is simply skipped (validation reports it).

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::load::yaml;
use crate::model::Located;
use crate::source::{FileId, SourceMap};

/// One YAML value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tree {
    /// A string (dates included: YAML dates are strings here).
    Text(String),
    /// A number, written back in its shortest form (`3`, `99.6`).
    Number(String),
    /// `true`, `false`, `null` or nothing.
    Other,
    List(Vec<Located<Tree>>),
    /// Keys in document order.
    Map(Vec<(String, Located<Tree>)>),
}

impl Tree {
    /// Parses a whole file; `None` when it is not valid YAML.
    pub(crate) fn parse(sources: &SourceMap, file: FileId) -> Option<Located<Tree>> {
        yaml::parse::<Located<Tree>>(sources.text(file), sources, file, 0).ok()
    }

    /// The value of `key` in a mapping.
    pub(crate) fn get(&self, key: &str) -> Option<&Located<Tree>> {
        match self {
            Tree::Map(entries) => entries
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value),
            _ => None,
        }
    }

    /// The text of a string or a number.
    pub(crate) fn scalar(&self) -> Option<&str> {
        match self {
            Tree::Text(text) | Tree::Number(text) => Some(text),
            _ => None,
        }
    }

    /// The items of a list; nothing for any other value.
    pub(crate) fn items(&self) -> &[Located<Tree>] {
        match self {
            Tree::List(items) => items,
            _ => &[],
        }
    }

    /// Calls `visit` with every string or number and the keys that lead to it (list items add no
    /// key), depth first, in document order.
    pub(crate) fn walk<'a>(
        &'a self,
        path: &mut Vec<&'a str>,
        visit: &mut dyn FnMut(&[&str], &'a str),
    ) {
        match self {
            Tree::Text(text) | Tree::Number(text) => visit(path, text),
            Tree::Other => {}
            Tree::List(items) => {
                for item in items {
                    item.value.walk(path, visit);
                }
            }
            Tree::Map(entries) => {
                for (key, value) in entries {
                    path.push(key);
                    value.value.walk(path, visit);
                    path.pop();
                }
            }
        }
    }
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Tree, E> {
        Ok(Tree::Other)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Tree, E> {
        Ok(Tree::Number(value.to_string()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Tree, E> {
        Ok(Tree::Number(value.to_string()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Tree, E> {
        Ok(Tree::Number(value.to_string()))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Tree, E> {
        Ok(Tree::Text(value.to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::Other)
    }

    fn visit_none<E: de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::Other)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Tree, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Located<Tree>>()? {
            items.push(item);
        }
        Ok(Tree::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Key>()? {
            entries.push((key.0, map.next_value::<Located<Tree>>()?));
        }
        Ok(Tree::Map(entries))
    }
}

/// A mapping key: any scalar, as text.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Tree::deserialize(deserializer)? {
            Tree::Text(text) | Tree::Number(text) => Ok(Key(text)),
            Tree::Other => Ok(Key(String::new())),
            _ => Err(de::Error::custom("chiave non semplice")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Located<Tree> {
        let mut sources = SourceMap::new();
        let file = sources.add("a.yaml", text.to_string());
        Tree::parse(&sources, file).expect("valid YAML")
    }

    #[test]
    fn values_keep_their_places() {
        let tree = parse(
            "commitments:\n  - id: a\n    standards:\n      - take_charge: { days: 3, percent: 99.6 }\n      - on_request\n",
        );
        let item = &tree.get("commitments").unwrap().items()[0];
        assert_eq!(item.get("id").unwrap().scalar(), Some("a"));
        let standards = item.get("standards").unwrap().items();
        let target = standards[0].get("take_charge").unwrap();
        let days = target.get("days").unwrap();
        assert_eq!(days.value, Tree::Number("3".into()));
        assert_eq!((days.line, days.col), (4, 30));
        let percent = target.get("percent").unwrap();
        assert_eq!(percent.scalar(), Some("99.6"));
        assert_eq!((percent.line, percent.col, percent.len), (4, 42, 4));
        assert_eq!(standards[1].scalar(), Some("on_request"));
    }

    #[test]
    fn walk_gives_paths_in_document_order() {
        let tree = parse("a: [x, {b: 1}]\nc:\n  d: \"2025-06-03\"\n  e: true\n");
        let mut seen = Vec::new();
        tree.walk(&mut Vec::new(), &mut |path, value| {
            seen.push(format!("{}={value}", path.join(".")))
        });
        assert_eq!(seen, ["a=x", "a.b=1", "c.d=2025-06-03"]);
    }

    #[test]
    fn broken_yaml_is_none() {
        let mut sources = SourceMap::new();
        let file = sources.add("a.yaml", "a: [\n".to_string());
        assert!(Tree::parse(&sources, file).is_none());
    }
}
