//! The knowledge base built into the binary, so that `chat` and `ask` work
//! from any folder.

use crate::kb::KbFiles;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_kb.rs"));
}

/// The built-in knowledge base's files.
pub fn files() -> KbFiles {
    KbFiles::from_pairs("the built-in knowledge base", embedded::FILES)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_built_in_copy_is_valid() {
        let kb = crate::kb::Kb::from_files(&super::files());
        assert!(kb.is_ok(), "{:?}", kb.err());
    }
}
