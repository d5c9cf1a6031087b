//! What helped, per intent: a table for people and a bar chart for Discord.

use crate::store::IntentStats;

/// A plain-text table, one intent a line, busiest first.
pub fn table(stats: &[IntentStats], days: u32) -> String {
    if stats.is_empty() {
        return format!("No conversations in the last {days} day(s).");
    }
    let mut out = format!("Conversations in the last {days} day(s), by problem:\n");
    out.push_str(&format!(
        "{:<3} {:<28} {:>6} {:>9} {:>9}  {}\n",
        "#", "intent", "convs", "resolved", "escalated", "steps that fixed it (step×cases)"
    ));
    for (i, s) in stats.iter().enumerate() {
        let steps: Vec<String> = s
            .fixed_by_step
            .iter()
            .map(|(step, n)| format!("{step}×{n}"))
            .collect();
        out.push_str(&format!(
            "{:<3} {:<28} {:>6} {:>9} {:>9}  {}\n",
            i + 1,
            s.intent,
            s.conversations,
            s.resolved,
            s.escalated,
            if steps.is_empty() {
                "-".to_string()
            } else {
                steps.join(" ")
            }
        ));
    }
    let total: u64 = stats.iter().map(|s| s.conversations).sum();
    let resolved: u64 = stats.iter().map(|s| s.resolved).sum();
    let escalated: u64 = stats.iter().map(|s| s.escalated).sum();
    out.push_str(&format!(
        "all: {total} conversations, {resolved} resolved by the bot, {escalated} escalated\n"
    ));
    out
}

const BAR_HEIGHT: u32 = 14;
const GAP: u32 = 6;
const WIDTH: u32 = 640;
const MARGIN: u32 = 10;

/// A horizontal bar per intent (the table's order, at most 25): green for
/// resolved by the bot, red for escalated, grey for the rest.
pub fn chart_png(stats: &[IntentStats]) -> Result<Vec<u8>, png::EncodingError> {
    let rows = stats.len().clamp(1, 25) as u32;
    let height = MARGIN * 2 + rows * (BAR_HEIGHT + GAP);
    let mut pixels = vec![255u8; (WIDTH * height * 3) as usize];
    let most = stats
        .iter()
        .map(|s| s.conversations)
        .max()
        .unwrap_or(1)
        .max(1);
    let span = WIDTH - MARGIN * 2;
    for (i, s) in stats.iter().take(25).enumerate() {
        let top = MARGIN + i as u32 * (BAR_HEIGHT + GAP);
        let scale =
            |n: u64| (n.min(s.conversations) as f64 / most as f64 * f64::from(span)).round() as u32;
        let (resolved, escalated) = (scale(s.resolved), scale(s.escalated));
        let whole = scale(s.conversations).max(1);
        let segments = [
            (0, resolved, [46, 160, 67]),
            (resolved, (resolved + escalated).min(whole), [200, 55, 45]),
            ((resolved + escalated).min(whole), whole, [160, 160, 160]),
        ];
        for (from, to, colour) in segments {
            for y in top..top + BAR_HEIGHT {
                for x in MARGIN + from..MARGIN + to {
                    let at = ((y * WIDTH + x) * 3) as usize;
                    pixels[at..at + 3].copy_from_slice(&colour);
                }
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, WIDTH, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&pixels)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<IntentStats> {
        vec![
            IntentStats {
                intent: "status-paused".into(),
                conversations: 10,
                resolved: 6,
                escalated: 2,
                fixed_by_step: vec![(1, 4), (2, 2)],
            },
            IntentStats {
                intent: "storage-full".into(),
                conversations: 3,
                resolved: 0,
                escalated: 3,
                fixed_by_step: vec![],
            },
        ]
    }

    #[test]
    fn table_lists_each_intent_and_totals() {
        let t = table(&sample(), 7);
        assert!(t.contains("status-paused") && t.contains("1×4 2×2"), "{t}");
        assert!(
            t.contains("all: 13 conversations, 6 resolved by the bot, 5 escalated"),
            "{t}"
        );
        assert_eq!(table(&[], 7), "No conversations in the last 7 day(s).");
    }

    #[test]
    fn chart_is_a_png_with_coloured_bars() {
        let png = chart_png(&sample()).expect("encodes");
        assert_eq!(&png[1..4], b"PNG");
        let decoder = png::Decoder::new(png.as_slice());
        let mut reader = decoder.read_info().expect("decodes");
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).expect("frame");
        assert_eq!(info.width, WIDTH);
        // The first bar starts green (resolved).
        let at = ((MARGIN + 1) * WIDTH + MARGIN + 1) as usize * 3;
        assert_eq!(&buf[at..at + 3], &[46, 160, 67]);
        assert!(chart_png(&[]).is_ok(), "an empty chart is still a PNG");
    }
}
