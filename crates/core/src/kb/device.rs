//! The device families whose fixes differ.

use serde::{Deserialize, Serialize};

/// A device family. iPhone and iPad share one, because Photos and Settings are
/// laid out the same on both and every step in the knowledge base applies to
/// either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Device {
    Iphone,
    Mac,
    Windows,
}

impl Device {
    pub const ALL: [Device; 3] = [Device::Iphone, Device::Mac, Device::Windows];

    /// The label users see, and the heading of the device's section in a
    /// response file.
    pub fn label(self) -> &'static str {
        match self {
            Device::Iphone => "iPhone/iPad",
            Device::Mac => "Mac",
            Device::Windows => "Windows",
        }
    }

    /// A short, stable name for ids and commands.
    pub fn slug(self) -> &'static str {
        match self {
            Device::Iphone => "iphone",
            Device::Mac => "mac",
            Device::Windows => "windows",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Device> {
        Device::ALL.into_iter().find(|d| d.slug() == slug)
    }

    pub(crate) fn from_heading(heading: &str) -> Option<Device> {
        Device::ALL
            .into_iter()
            .find(|d| d.label().eq_ignore_ascii_case(heading))
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}
