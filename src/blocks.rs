//! The generated blocks: one registry of what a chapter can place with `{{ name }}`, the data file
//! each is made from, its template and whether it has a page of its own. The loader, the Markdown
//! markers and the renderer all read it, so a new block is one entry here.

/// What a block shows; the renderer builds its data by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Commitments,
    Contacts,
    Organigram,
    Stakeholders,
    Channels,
    Results,
}

/// One generated block.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Block {
    /// The marker's name, `{{ impegni }}`; also the template `blocks/<name>.html`.
    pub name: &'static str,
    pub kind: Kind,
    /// The data file under `content/data/`.
    pub data_file: &'static str,
    /// A project without this file cannot be built; an optional block is simply absent.
    pub required: bool,
    /// The block has a page of its own in the menu (its title and address come from the theme).
    pub has_page: bool,
}

pub(crate) const COMMITMENTS: Block = Block {
    name: "impegni",
    kind: Kind::Commitments,
    data_file: "commitments.yaml",
    required: true,
    has_page: true,
};
pub(crate) const CONTACTS: Block = Block {
    name: "contatti",
    kind: Kind::Contacts,
    data_file: "contacts.yaml",
    required: true,
    has_page: true,
};
pub(crate) const ORGANIGRAM: Block = Block {
    name: "organigramma",
    kind: Kind::Organigram,
    data_file: "organization.yaml",
    required: true,
    has_page: true,
};
pub(crate) const STAKEHOLDERS: Block = Block {
    name: "portatori-di-interesse",
    kind: Kind::Stakeholders,
    data_file: "stakeholders.yaml",
    required: false,
    has_page: false,
};
pub(crate) const CHANNELS: Block = Block {
    name: "canali-di-accesso",
    kind: Kind::Channels,
    data_file: "channels.yaml",
    required: false,
    has_page: false,
};

/// The measured results: a page of their own when the charter has them (the data may also come
/// as `results.csv`, see [`crate::load`]).
pub(crate) const RESULTS: Block = Block {
    name: "risultati",
    kind: Kind::Results,
    data_file: "results.yaml",
    required: false,
    has_page: true,
};

/// Every block, in menu order for those with a page.
pub(crate) const ALL: [Block; 6] = [
    COMMITMENTS,
    RESULTS,
    CONTACTS,
    ORGANIGRAM,
    STAKEHOLDERS,
    CHANNELS,
];

/// The names a chapter may write between `{{` and `}}`.
pub(crate) const NAMES: [&str; 6] = [
    ALL[0].name,
    ALL[1].name,
    ALL[2].name,
    ALL[3].name,
    ALL[4].name,
    ALL[5].name,
];

/// The data files of `content/data/`, one per block.
pub(crate) const DATA_FILES: [&str; 6] = [
    ALL[0].data_file,
    ALL[1].data_file,
    ALL[2].data_file,
    ALL[3].data_file,
    ALL[4].data_file,
    ALL[5].data_file,
];

/// The block named `name`.
pub(crate) fn find(name: &str) -> Option<&'static Block> {
    ALL.iter().find(|block| block.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_files_are_unique_and_templates_exist() {
        let mut names: Vec<&str> = NAMES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
        let mut files: Vec<&str> = DATA_FILES.to_vec();
        files.sort_unstable();
        files.dedup();
        assert_eq!(files.len(), ALL.len());
        for block in ALL {
            let template = format!(
                "{}/themes/agid/templates/blocks/{}.html",
                env!("CARGO_MANIFEST_DIR"),
                block.name
            );
            assert!(std::path::Path::new(&template).is_file(), "{template}");
            assert_eq!(find(block.name).map(|b| b.kind), Some(block.kind));
        }
    }
}
