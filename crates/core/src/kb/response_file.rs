//! `responses/<id>.md`: the diagnosis and the numbered steps of one answer.
//!
//! The format is plain Discord Markdown so that support staff can edit it
//! without learning anything new: a diagnosis paragraph, then `## Steps`, an
//! optional section per device, optional `## Last steps`, and `## Ask a
//! person`. Each numbered item is one "Next step"; markers at the end of
//! its line (`step.rs`) say what it costs the user.

use super::device::Device;
use super::error::Problems;
use super::order;
use super::step::{self, Step};
use std::path::Path;

/// One answer, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub diagnosis: String,
    /// Steps for everyone, shown before any device's own.
    pub common: Vec<Step>,
    /// Steps for one device family, indexed by `Device::index`; empty where
    /// the response has no section for that device.
    pub per_device: [Vec<Step>; 3],
    /// Steps for everyone that come after the device's own, so a slow or
    /// heavy shared step need not jump ahead of a quick device step.
    pub last: Vec<Step>,
    /// When to hand over to a person.
    pub escalate: String,
    /// The first line of the `## Ask a person` text, for problems; 0
    /// without one.
    pub escalate_line: usize,
}

/// Where the steps for a device come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepPlan<'a> {
    /// The steps in the order the user walks them.
    Steps(Vec<&'a Step>),
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
        let own: &[Step] = match device {
            _ if !self.device_specific() => &[],
            Some(d) if !self.per_device[d.index()].is_empty() => &self.per_device[d.index()],
            // A device the response has no section for (Windows, where
            // only iPhone and Mac have one): the steps that hold
            // everywhere, rather than asking again for a device it
            // cannot name.
            Some(_) if !self.common.is_empty() => &[],
            _ => return StepPlan::AskDevice,
        };
        StepPlan::Steps(self.common.iter().chain(own).chain(&self.last).collect())
    }

    /// The steps one user walks through, in order; `None` until the device is
    /// known where it matters.
    pub fn steps(&self, device: Option<Device>) -> Option<Vec<&Step>> {
        match self.plan(device) {
            StepPlan::Steps(steps) => Some(steps),
            StepPlan::AskDevice => None,
        }
    }

    /// Every path through the steps: the device each is for (`None` when
    /// the steps are shared) and the steps themselves.
    pub fn paths(&self) -> Vec<(Option<Device>, Vec<&Step>)> {
        if !self.device_specific() {
            return self
                .steps(None)
                .map(|s| vec![(None, s)])
                .unwrap_or_default();
        }
        self.devices()
            .into_iter()
            .filter_map(|d| self.steps(Some(d)).map(|s| (Some(d), s)))
            .collect()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Diagnosis,
    Common,
    Device(Device),
    Last,
    Escalate,
}

pub(crate) fn parse(path: &Path, text: &str, problems: &mut Problems) -> Option<Response> {
    let before = problems.0.len();
    let mut diagnosis = Vec::new();
    let mut common = Vec::new();
    let mut per_device: [Vec<Step>; 3] = Default::default();
    let mut last = Vec::new();
    let mut escalate = Vec::new();
    let mut escalate_line = 0;
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
                "Last steps" => Section::Last,
                "Ask a person" => Section::Escalate,
                other => match Device::from_heading(other) {
                    Some(device) => Section::Device(device),
                    None => {
                        problems.push(
                            path,
                            lineno,
                            format!(
                                "unknown section {heading:?}: use Steps, iPhone/iPad, Mac, Windows, Last steps or Ask a person"
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
                if escalate_line == 0 && !trimmed.is_empty() {
                    escalate_line = lineno;
                }
                push_prose(&mut escalate, trimmed);
                continue;
            }
            Section::Common => &mut common,
            Section::Device(d) => &mut per_device[d.index()],
            Section::Last => &mut last,
        };
        if let Some((number, rest)) = numbered_item(trimmed) {
            if number != list.len() + 1 {
                problems.push(
                    path,
                    lineno,
                    format!("step numbered {number}, expected {}", list.len() + 1),
                );
            }
            let marked = match step::split_markers(rest) {
                Ok(marked) => marked,
                Err(err) => {
                    problems.push(path, lineno, err.to_string());
                    step::Marked {
                        text: rest,
                        pace: step::Pace::Quick,
                        gates: Vec::new(),
                    }
                }
            };
            if marked.text.trim().is_empty() {
                problems.push(path, lineno, "empty step");
            }
            list.push(Step {
                text: marked.text.trim().to_string(),
                line: lineno,
                pace: marked.pace,
                gates: marked.gates,
            });
            list_open = true;
        } else if trimmed.trim().is_empty() {
            list_open = false;
        } else if list_open && line.starts_with(char::is_whitespace) {
            // An indented line continues the step above it.
            if step::has_marker(trimmed) {
                problems.push(path, lineno, step::MarkerError::OnContinuation.to_string());
            }
            if let Some(last) = list.last_mut() {
                last.text.push('\n');
                last.text.push_str(trimmed.trim());
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
        last,
        escalate: escalate.join("\n").trim().to_string(),
        escalate_line,
    };
    if response.common.is_empty() && response.last.is_empty() && !response.device_specific() {
        problems.push(
            path,
            0,
            "no steps: add a `## Steps` section with numbered steps",
        );
    }
    order::check(path, &response, problems);
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
    use crate::kb::step::{Pace, Risk};

    fn parse_str(text: &str) -> Result<Response, Vec<String>> {
        let mut problems = Problems::default();
        parse(Path::new("responses/x.md"), text, &mut problems)
            .ok_or_else(|| problems.0.iter().map(|p| p.to_string()).collect())
    }

    fn texts(steps: &[&Step]) -> Vec<String> {
        steps.iter().map(|s| s.text.clone()).collect()
    }

    fn walk(r: &Response, device: Option<Device>) -> Option<Vec<String>> {
        r.steps(device).map(|s| texts(&s))
    }

    const SPLIT: &str = "Why it happens.\nStill why.\n\n## Steps\n1. First\n2. Second\n   continues\n\n## Mac\n1. Mac only\n\n## Windows\n1. PC only\n\n## Last steps\n1. Then this {wait}\n\n## Ask a person\nIf nothing works.\n";

    #[test]
    fn reads_sections_and_continuations() {
        let r = parse_str(SPLIT).expect("valid");
        assert_eq!(r.diagnosis, "Why it happens.\nStill why.");
        let common: Vec<&Step> = r.common.iter().collect();
        assert_eq!(texts(&common), vec!["First", "Second\ncontinues"]);
        assert_eq!(
            (r.common[1].line, r.per_device[Device::Mac.index()][0].line),
            (6, 10)
        );
        assert_eq!(r.last[0].pace, Pace::Wait);
        assert_eq!(r.last[0].text, "Then this");
        assert_eq!(
            (r.escalate.as_str(), r.escalate_line),
            ("If nothing works.", 19)
        );
        assert_eq!(r.devices(), vec![Device::Mac, Device::Windows]);
    }

    #[test]
    fn device_steps_come_between_common_and_last_steps() {
        let r = parse_str(SPLIT).expect("valid");
        assert_eq!(
            walk(&r, Some(Device::Mac)),
            Some(vec![
                "First".to_string(),
                "Second\ncontinues".to_string(),
                "Mac only".to_string(),
                "Then this".to_string()
            ])
        );
        assert_eq!(walk(&r, None), None, "no device yet: ask");
        // A device without a section gets what holds everywhere: asked
        // again, its user could only name it again.
        assert_eq!(
            walk(&r, Some(Device::Iphone)),
            Some(vec![
                "First".to_string(),
                "Second\ncontinues".to_string(),
                "Then this".to_string()
            ]),
            "no iPhone section: the shared steps"
        );
        assert_eq!(r.paths().len(), 2, "one path per device with steps");
    }

    #[test]
    fn shared_steps_need_no_device() {
        let r = parse_str("Why.\n\n## Steps\n1. Do it\n").expect("valid");
        assert!(!r.device_specific());
        assert_eq!(walk(&r, None), Some(vec!["Do it".to_string()]));
        assert_eq!(
            walk(&r, Some(Device::Windows)),
            Some(vec!["Do it".to_string()])
        );
    }

    #[test]
    fn markers_become_data_and_leave_the_text() {
        let r = parse_str(
            "Why.\n\n## Steps\n1. Check iCloud.com. {gate: turns-off-sync}\n2. Turn it off. {risk: turns-off-sync}\n",
        )
        .expect("valid");
        assert_eq!(r.common[0].gates, vec![Risk::TurnsOffSync]);
        assert_eq!(r.common[1].pace, Pace::Risky(Risk::TurnsOffSync));
        assert_eq!(r.common[1].text, "Turn it off.");
    }

    #[test]
    fn problems_name_their_lines() {
        let errs = parse_str(
            "Why.\n\n## Step\n## Steps\n1. ok\n3. skipped\n4.\nloose text\n5. Bad {risk: maybe}\n6. Fine\n   but {wait}\n",
        )
        .unwrap_err();
        assert_eq!(
            errs,
            vec![
                "responses/x.md:3: unknown section \"Step\": use Steps, iPhone/iPad, Mac, Windows, Last steps or Ask a person",
                "responses/x.md:6: step numbered 3, expected 2",
                "responses/x.md:7: step numbered 4, expected 3",
                "responses/x.md:7: empty step",
                "responses/x.md:8: text in a steps section must be a numbered step (`1. …`)",
                "responses/x.md:9: step numbered 5, expected 4",
                "responses/x.md:9: unknown risk \"maybe\": use deletes, signs-out, turns-off-sync or permanent",
                "responses/x.md:10: step numbered 6, expected 5",
                "responses/x.md:11: markers go at the end of the numbered line, not on a continuation line",
            ]
        );
    }

    #[test]
    fn missing_diagnosis_and_steps_are_errors() {
        let errs = parse_str("## Ask a person\nSoon.\n").unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
    }
}
