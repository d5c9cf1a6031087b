//! The chart read back as pixels: its size, a label in each row's place,
//! each bar piece in its colour, and the empty card.

use super::*;
use crate::stats::fixture::{NOW, month, sample};
use crate::stats::layout::{self, WIDTH};

struct Image {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

impl Image {
    fn decode(bytes: &[u8]) -> Image {
        let decoder = png::Decoder::new(bytes);
        let mut reader = decoder.read_info().expect("a PNG header");
        let mut rgb = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut rgb).expect("a frame");
        assert_eq!(info.color_type, png::ColorType::Rgb);
        rgb.truncate(info.buffer_size());
        Image {
            width: info.width,
            height: info.height,
            rgb,
        }
    }

    fn at(&self, x: i32, y: i32) -> [u8; 3] {
        let i = (y as usize * self.width as usize + x as usize) * 3;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }

    /// Pixels of text ink (dark on every channel, as the glyphs' cores
    /// are) in the box `x0..x1` × `y0..y1`.
    fn ink(&self, (x0, x1): (i32, i32), (y0, y1): (i32, i32)) -> usize {
        (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| (x, y)))
            .filter(|&(x, y)| self.at(x, y).iter().all(|&c| c < 128))
            .count()
    }
}

#[test]
fn each_row_has_its_label_and_its_coloured_pieces() {
    for report in [sample(), month()] {
        let image = Image::decode(&chart_png(&report).expect("draws"));
        let rows = layout::rows(&report.intents);
        let layout = Layout::new(rows.len());
        assert_eq!((image.width, image.height), (WIDTH, layout.height));
        let most = rows.iter().map(Row::total).max().unwrap_or(1);
        for (i, row) in rows.iter().enumerate() {
            let band = layout.row_y(i);
            assert!(
                image.ink(layout.label_x, band) > 20,
                "no label drawn for row {i} ({})",
                row.label
            );
            for piece in layout.segments(row, most) {
                // The top edge: counts are centred, so it is bare colour.
                assert_eq!(
                    image.at(piece.x0 + 1, band.0 + 1),
                    piece.colour,
                    "row {i} ({}) at x {}",
                    row.label,
                    piece.x0
                );
            }
        }
        let below = layout.row_y(rows.len());
        assert_eq!(
            image.ink(layout.label_x, (below.0, below.1 - 6)),
            0,
            "nothing is drawn in the label column below the last row"
        );
    }
}

#[test]
fn the_month_has_fifteen_rows_with_the_rest_summed() {
    let report = month();
    let rows = layout::rows(&report.intents);
    assert_eq!(rows.len(), layout::MAX_ROWS);
    assert_eq!(rows[layout::MAX_ROWS - 1].label, "4 others");
    let summed: u64 = rows.iter().map(Row::total).sum();
    assert_eq!(summed, report.totals().0, "nothing counted goes missing");
}

#[test]
fn the_trend_draws_its_lines() {
    let report = sample();
    let image = Image::decode(&chart_png(&report).expect("draws"));
    let layout = Layout::new(2);
    let trend = (layout.trend_top, layout.trend_top + layout.trend_height);
    let coloured = |colour: [u8; 3]| {
        (trend.0..trend.1)
            .flat_map(|y| (0..WIDTH as i32).map(move |x| (x, y)))
            .filter(|&(x, y)| image.at(x, y) == colour)
            .count()
    };
    for colour in [layout::SOLVED, layout::PERSON, layout::ALL] {
        assert!(coloured(colour) > 50, "{colour:?} is on the trend");
    }
    assert!(image.ink((0, WIDTH as i32), trend) > 50, "axis labels");
}

#[test]
fn no_conversations_is_still_a_picture_that_says_so() {
    let empty = Report::new(7, NOW, vec![], &[]);
    let image = Image::decode(&chart_png(&empty).expect("draws"));
    let layout = Layout::new(0);
    assert_eq!((image.width, image.height), (WIDTH, layout.height));
    let title = (layout.title_y, layout.title_y + 24);
    assert!(
        image.ink((layout.pad, WIDTH as i32 / 2), title) > 100,
        "a title"
    );
    let message = (layout.subtitle_y + 8, layout.subtitle_y + 32);
    assert!(
        image.ink((layout.pad, WIDTH as i32 / 2), message) > 50,
        "a message"
    );
}

/// The README's picture, from the month fixture:
/// `cargo test --lib stats::chart -- --ignored` rewrites it.
#[test]
#[ignore = "writes docs/stats-example.png"]
fn write_the_readme_example() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/stats-example.png");
    std::fs::create_dir_all(path.parent().expect("docs/")).expect("docs/");
    std::fs::write(&path, chart_png(&month()).expect("draws")).expect("writes");
}

/// A picture in the repository stays small: every clone carries it.
#[test]
fn the_readme_example_is_small() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/stats-example.png");
    let bytes = std::fs::read(&path).expect("docs/stats-example.png");
    assert!(bytes.len() < 60_000, "{} bytes", bytes.len());
    let image = Image::decode(&bytes);
    assert_eq!(image.width, WIDTH);
}

/// Regression: over ten years of weeks (about 1.5 px apart) the pitch
/// was taken from one rounded step, and the dates under the axis ran
/// into each other.
#[test]
fn week_labels_keep_their_distance_over_years_of_weeks() {
    let xs: Vec<i32> = (0..522)
        .map(|i| (f64::from(i) * 1.49) as i32 + 70)
        .collect();
    assert!((pitch(&xs) - 1.49).abs() < 0.01, "{}", pitch(&xs));
    assert_eq!(
        pitch(&xs[..1]),
        f64::from(i32::MAX),
        "one week: all the room"
    );
}
