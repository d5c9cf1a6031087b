//! Which device a message is about, from the words people use for them.

use crate::kb::Device;

/// Words that name a device family. "phone" counts as iPhone: in an iCloud
/// Photos channel nobody means anything else, and Android talk is off-topic.
pub(super) fn family(token: &str) -> Option<Device> {
    Some(match token {
        "iphone" | "ipad" | "ios" | "ipados" | "phone" | "iphones" | "ipads" | "ipadpro"
        | "ipod" => Device::Iphone,
        "mac" | "macbook" | "imac" | "macos" | "macs" | "macbooks" | "osx" | "mbp" | "mba"
        | "macmini" | "macstudio" => Device::Mac,
        "windows" | "pc" | "win" | "pcs" | "win10" | "win11" => Device::Windows,
        _ => return None,
    })
}

/// Whether a token names a device family, a model of one ("pro", "max",
/// the "m" of "m2") or a Mac's system ("sonoma"): a reply made only of
/// such words and fillers says which device, whatever else the matcher
/// reads into it.
pub fn is_device_word(token: &str) -> bool {
    family(token).is_some()
        || matches!(
            token,
            "pro"
                | "max"
                | "mini"
                | "air"
                | "plus"
                | "se"
                | "book"
                | "laptop"
                | "desktop"
                | "m"
                | "sonoma"
                | "sequoia"
                | "ventura"
                | "monterey"
                | "tahoe"
        )
}

/// Device families in the order the message first names them.
pub fn mentioned(tokens: &[String]) -> Vec<Device> {
    distinct(tokens.iter().filter_map(|t| family(t)))
}

/// Each family once, in the order first named: training reads the
/// families from its table of words, a message from its tokens.
pub(super) fn distinct(families: impl IntoIterator<Item = Device>) -> Vec<Device> {
    let mut out = Vec::new();
    for device in families {
        if !out.contains(&device) {
            out.push(device);
        }
    }
    out
}

/// The one device a message is about, when it names exactly one family
/// other than those it says it is not about: "it's not an iphone, it's a
/// mac" is about the Mac.
pub fn detect(tokens: &[String]) -> Option<Device> {
    let about = tokens
        .iter()
        .enumerate()
        .filter(|&(i, _)| !denied(&tokens[..i]))
        .filter_map(|(_, t)| family(t));
    match distinct(about).as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// Words that say a device is not the one: "not the phone", "isn't an
/// iPad".
const NOT: &[&str] = &["not", "isnt", "arent", "wasnt", "nor"];

/// Words that may stand between such a word and the device.
const BETWEEN: &[&str] = &["the", "a", "an", "my", "on", "in", "from", "this", "that"];

/// Whether the words just before a device (`before`) deny it: a "not"
/// with nothing but articles and the like after it. "Photos not showing
/// on my mac" does not deny the Mac.
fn denied(before: &[String]) -> bool {
    for word in before.iter().rev() {
        if NOT.contains(&word.as_str()) {
            return true;
        }
        if !BETWEEN.contains(&word.as_str()) {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens;

    fn device(text: &str) -> Option<Device> {
        detect(&tokens(text))
    }

    #[test]
    fn detects_each_family() {
        assert_eq!(device("photos stuck on my Mac"), Some(Device::Mac));
        assert_eq!(device("on a windows pc"), Some(Device::Windows));
        assert_eq!(device("my iPad says paused"), Some(Device::Iphone));
        assert_eq!(device("Mac Book Pro"), Some(Device::Mac));
        assert_eq!(device("running macOS Sonoma"), Some(Device::Mac));
        assert_eq!(device("win 11 laptop"), Some(Device::Windows));
        assert_eq!(device("my phone"), Some(Device::Iphone));
    }

    #[test]
    fn none_or_several_gives_no_single_device() {
        assert_eq!(device("photos wont sync"), None);
        assert_eq!(device("from my iphone to my mac"), None);
        assert_eq!(
            mentioned(&tokens("from my iphone to my mac")),
            vec![Device::Iphone, Device::Mac]
        );
    }

    #[test]
    fn a_device_said_not_to_be_the_one_does_not_count() {
        assert_eq!(device("it's not an iphone, it's a mac"), Some(Device::Mac));
        assert_eq!(device("on my macbook, not the phone"), Some(Device::Mac));
        assert_eq!(device("not on windows"), None);
        assert_eq!(device("photos not showing on my mac"), Some(Device::Mac));
        assert_eq!(device("my iphone is not syncing with my mac"), None);
    }

    #[test]
    fn does_not_match_inside_words() {
        assert_eq!(device("machine learning windowsill"), None);
    }
}
