//! A unified diff of one edit, for `review export`'s patch: the files a
//! label changes differ in one stretch (the lines added before the
//! `examples` array closes), so one hunk with its context says it all.

/// Lines of context around the change, as `diff -u` gives.
const CONTEXT: usize = 3;

/// The diff from `old` to `new` of the file at `path` (relative to the
/// knowledge base, as `a/` and `b/` name it); empty when they are equal.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let start = prefix.saturating_sub(CONTEXT);
    let a_end = (a.len() - suffix + CONTEXT).min(a.len());
    let b_end = (b.len() - suffix + CONTEXT).min(b.len());
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    out.push_str(&format!(
        "@@ -{} +{} @@\n",
        range(start, a_end - start),
        range(start, b_end - start)
    ));
    let mut line = |mark: char, text: &str| {
        out.push(mark);
        out.push_str(text);
        if !text.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    };
    for text in &a[start..prefix] {
        line(' ', text);
    }
    for text in &a[prefix..a.len() - suffix] {
        line('-', text);
    }
    for text in &b[prefix..b.len() - suffix] {
        line('+', text);
    }
    for text in &a[a.len() - suffix..a_end] {
        line(' ', text);
    }
    out
}

/// A hunk's range: 1-based start and length; an empty range names the
/// line before it.
fn range(start: usize, len: usize) -> String {
    if len == 0 {
        format!("{start},0")
    } else {
        format!("{},{len}", start + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::unified;

    #[test]
    fn one_hunk_with_context() {
        let old = "a\nb\nc\nd\n  \"x\"\n]\ne\n";
        let new = "a\nb\nc\nd\n  \"x\",\n  # why\n  \"y\",\n]\ne\n";
        assert_eq!(
            unified("intents/t.toml", old, new),
            "--- a/intents/t.toml\n+++ b/intents/t.toml\n@@ -2,6 +2,8 @@\n b\n c\n d\n-  \"x\"\n+  \"x\",\n+  # why\n+  \"y\",\n ]\n e\n"
        );
        assert_eq!(unified("x", old, old), "");
    }

    #[test]
    fn a_last_line_without_newline_is_marked() {
        let got = unified("t", "id = 1", "id = 1\nexamples = []\n");
        assert_eq!(
            got,
            "--- a/t\n+++ b/t\n@@ -1,1 +1,2 @@\n-id = 1\n\\ No newline at end of file\n+id = 1\n+examples = []\n"
        );
    }
}
