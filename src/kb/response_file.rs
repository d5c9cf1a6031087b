//! `responses/<id>.md`: the diagnosis and the numbered steps of one answer.
//!
//! The format is plain Discord Markdown so that support staff can edit it
//! without learning anything new: a diagnosis paragraph, then `## Steps`, an
//! optional section per device, and `## Ask a person`. Each numbered item is
//! one "Next step".

use super::device::Device;
use super::error::Problems;
use std::path::Path;

/// One answer, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub diagnosis: String,
    /// Steps for everyone, shown before any device's own.
    pub common: Vec<String>,
    /// Steps for one device family, indexed by `Device::index`; empty where
    /// the response has no section for that device.
    pub per_device: [Vec<String>; 3],
    /// When to hand over to a person.
    pub escalate: String,
}

/// Where the steps for a device come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepPlan<'a> {
    /// The same steps for every device.
    Shared(&'a [String]),
    /// The response splits by device and this device has steps.
    ForDevice(&'a [String], &'a [String]),
    /// The response splits by device and the device is not known (or has no
    /// section of its own): ask which it is.
    AskDevice,
}

impl Response {
    /// True when the fix differs by device, so a device must be known.
    pub fn device_specific(&self) -> bool {
        self.per_device.iter().any(|steps| !steps.is_empty())
    }

    /// The devices that have a section of their own, in menu order.
    pub fn devices(&self) -> Vec<Device> {
        Device::ALL
            .into_iter()
            .filter(|d| !self.per_device[d.index()].is_empty())
            .collect()
    }

    pub fn plan(&self, device: Option<Device>) -> StepPlan<'_> {
        if !self.device_specific() {
            return StepPlan::Shared(&self.common);
        }
        match device {
            Some(d) if !self.per_device[d.index()].is_empty() => {
                StepPlan::ForDevice(&self.common, &self.per_device[d.index()])
            }
            _ => StepPlan::AskDevice,
        }
    }

    /// The steps one user walks through, in order; `None` until the device is
    /// known where it matters.
    pub fn steps(&self, device: Option<Device>) -> Option<Vec<&str>> {
        match self.plan(device) {
            StepPlan::Shared(steps) => Some(steps.iter().map(String::as_str).collect()),
            StepPlan::ForDevice(common, own) => {
                Some(common.iter().chain(own).map(String::as_str).collect())
            }
            StepPlan::AskDevice => None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Diagnosis,
    Common,
    Device(Device),
    Escalate,
}

pub(crate) fn parse(path: &Path, text: &str, problems: &mut Problems) -> Option<Response> {
    let before = problems.0.len();
    let mut diagnosis = Vec::new();
    let mut common = Vec::new();
    let mut per_device: [Vec<String>; 3] = Default::default();
    let mut escalate = Vec::new();
    let mut section = Section::Diagnosis;
    let mut seen = Vec::new();
    let mut list_open = false;

    for (index, line) in text.lines().enumerate() {
        let lineno = index + 1;
        let trimmed = line.trim_end();
        if let Some(heading) = trimmed.strip_prefix("## ") {
            let heading = heading.trim();
            section = match heading {
                "Steps" => Section::Common,
                "Ask a person" => Section::Escalate,
                other => match Device::from_heading(other) {
                    Some(device) => Section::Device(device),
                    None => {
                        problems.push(
                            path,
                            lineno,
                            format!(
                                "unknown section {heading:?}: use Steps, iPhone/iPad, Mac, Windows or Ask a person"
                            ),
                        );
                        continue;
                    }
                },
            };
            if seen.contains(&section) {
                problems.push(path, lineno, format!("section {heading:?} appears twice"));
            }
            seen.push(section);
            list_open = false;
            continue;
        }
        if trimmed.starts_with('#') {
            problems.push(path, lineno, "only `## ` headings are understood here");
            continue;
        }
        let list = match section {
            Section::Diagnosis => {
                push_prose(&mut diagnosis, trimmed);
                continue;
            }
            Section::Escalate => {
                push_prose(&mut escalate, trimmed);
                continue;
            }
            Section::Common => &mut common,
            Section::Device(d) => &mut per_device[d.index()],
        };
        if let Some((number, rest)) = numbered_item(trimmed) {
            if number != list.len() + 1 {
                problems.push(
                    path,
                    lineno,
                    format!("step numbered {number}, expected {}", list.len() + 1),
                );
            }
            if rest.trim().is_empty() {
                problems.push(path, lineno, "empty step");
            }
            list.push(rest.trim().to_string());
            list_open = true;
        } else if trimmed.trim().is_empty() {
            list_open = false;
        } else if list_open && line.starts_with(char::is_whitespace) {
            // An indented line continues the step above it.
            if let Some(last) = list.last_mut() {
                last.push('\n');
                last.push_str(trimmed.trim());
            }
        } else {
            problems.push(
                path,
                lineno,
                "text in a steps section must be a numbered step (`1. …`)",
            );
        }
    }

    let diagnosis = diagnosis.join("\n").trim().to_string();
    if diagnosis.is_empty() {
        problems.push(path, 1, "no diagnosis paragraph before the first section");
    }
    let response = Response {
        diagnosis,
        common,
        per_device,
        escalate: escalate.join("\n").trim().to_string(),
    };
    if response.common.is_empty() && !response.device_specific() {
        problems.push(
            path,
            0,
            "no steps: add a `## Steps` section with numbered steps",
        );
    }
    (problems.0.len() == before).then_some(response)
}

fn push_prose(out: &mut Vec<String>, line: &str) {
    if !(line.is_empty() && out.last().is_none_or(|l: &String| l.is_empty())) {
        out.push(line.trim().to_string());
    }
}

/// `12. text` → (12, "text").
fn numbered_item(line: &str) -> Option<(usize, &str)> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = line[digits..].strip_prefix(". ").or_else(|| {
        // A bare "3." with nothing after it is an empty step, reported as such.
        (line[digits..] == *".").then_some("")
    })?;
    Some((line[..digits].parse().ok()?, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Response, Vec<String>> {
        let mut problems = Problems::default();
        parse(Path::new("responses/x.md"), text, &mut problems)
            .ok_or_else(|| problems.0.iter().map(|p| p.to_string()).collect())
    }

    const SPLIT: &str = "Why it happens.\nStill why.\n\n## Steps\n1. First\n2. Second\n   continues\n\n## Mac\n1. Mac only\n\n## Windows\n1. PC only\n\n## Ask a person\nIf nothing works.\n";

    #[test]
    fn reads_sections_and_continuations() {
        let r = parse_str(SPLIT).expect("valid");
        assert_eq!(r.diagnosis, "Why it happens.\nStill why.");
        assert_eq!(r.common, vec!["First", "Second\ncontinues"]);
        assert_eq!(r.per_device[Device::Mac.index()], vec!["Mac only"]);
        assert_eq!(r.escalate, "If nothing works.");
        assert_eq!(r.devices(), vec![Device::Mac, Device::Windows]);
    }

    #[test]
    fn device_steps_follow_common_steps() {
        let r = parse_str(SPLIT).expect("valid");
        assert_eq!(
            r.steps(Some(Device::Mac)),
            Some(vec!["First", "Second\ncontinues", "Mac only"])
        );
        assert_eq!(r.steps(None), None);
        assert_eq!(
            r.steps(Some(Device::Iphone)),
            None,
            "no iPhone section: ask"
        );
    }

    #[test]
    fn shared_steps_need_no_device() {
        let r = parse_str("Why.\n\n## Steps\n1. Do it\n").expect("valid");
        assert!(!r.device_specific());
        assert_eq!(r.steps(None), Some(vec!["Do it"]));
        assert_eq!(r.steps(Some(Device::Windows)), Some(vec!["Do it"]));
    }

    #[test]
    fn problems_name_their_lines() {
        let errs = parse_str("Why.\n\n## Step\n## Steps\n1. ok\n3. skipped\n4.\nloose text\n")
            .unwrap_err();
        assert_eq!(
            errs,
            vec![
                "responses/x.md:3: unknown section \"Step\": use Steps, iPhone/iPad, Mac, Windows or Ask a person",
                "responses/x.md:6: step numbered 3, expected 2",
                "responses/x.md:7: step numbered 4, expected 3",
                "responses/x.md:7: empty step",
                "responses/x.md:8: text in a steps section must be a numbered step (`1. …`)",
            ]
        );
    }

    #[test]
    fn missing_diagnosis_and_steps_are_errors() {
        let errs = parse_str("## Ask a person\nSoon.\n").unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
    }
}
