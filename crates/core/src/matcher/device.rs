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

/// The one device a message is about, when it names exactly one family.
pub fn detect(tokens: &[String]) -> Option<Device> {
    match mentioned(tokens).as_slice() {
        [one] => Some(*one),
        _ => None,
    }
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
    fn does_not_match_inside_words() {
        assert_eq!(device("machine learning windowsill"), None);
    }
}
