//! A bar chart of the statistics for Discord, one bar per intent.

use super::Report;

const BAR_HEIGHT: u32 = 14;
const GAP: u32 = 6;
const WIDTH: u32 = 640;
const MARGIN: u32 = 10;

/// A horizontal bar per intent (the table's order, at most 25): green for
/// solved by the bot, red for handed to a person, grey for open.
pub fn chart_png(report: &Report) -> Result<Vec<u8>, png::EncodingError> {
    let stats = &report.intents;
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
    use crate::stats::fixture::{NOW, sample};

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
        let empty = Report::new(7, NOW, vec![], &[]);
        assert!(chart_png(&empty).is_ok(), "an empty chart is still a PNG");
    }
}
