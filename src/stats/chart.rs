//! The statistics as a PNG a person can read in Discord: per problem, how
//! many conversations the bot solved, handed to a person or left open, and
//! the weekly trend below. Drawn by plotters into a plain RGB buffer and
//! encoded by `png`, with text from the DejaVu Sans embedded in the binary,
//! so nothing depends on the fonts of the machine it runs on.

use super::Report;
use super::layout::{ALL, CARD, EDGE, GRID, INK, Layout, MUTED, OPEN, PERSON, Row, SOLVED};
use super::text::{FONT_FILE, Pen, face};
use super::weeks::{date, month_day, year};
use ab_glyph::FontRef;
use plotters::backend::RGBPixel;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::OnceLock;

/// The family plotters knows the embedded font by, for the axis numbers.
const FONT: &str = "DejaVu Sans";

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("the chart's embedded font does not load")]
    Font,
    #[error("drawing the chart: {0}")]
    Draw(String),
    #[error("encoding the chart as PNG: {0}")]
    Encode(#[from] png::EncodingError),
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(err: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Draw(err.to_string())
    }
}

/// Registers the embedded font with plotters, once per process: plotters
/// keeps fonts in a global table, and with ab_glyph it finds no others.
fn register() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let registered = REGISTERED
        .get_or_init(|| plotters::style::register_font(FONT, FontStyle::Normal, FONT_FILE).is_ok());
    if *registered {
        Ok(())
    } else {
        Err(ChartError::Font)
    }
}

type Area<'a> = DrawingArea<BitMapBackend<'a, RGBPixel>, Shift>;

/// What every drawing step needs: where to draw, with which font, where.
struct Canvas<'a, 'b> {
    root: &'a Area<'b>,
    face: &'static FontRef<'static>,
    layout: Layout,
}

impl Canvas<'_, '_> {
    fn write(&self, pen: Pen, s: &str, at: (i32, i32)) -> Result<(), ChartError> {
        pen.write(self.root, self.face, s, at)
    }

    fn width(&self, pen: Pen, s: &str) -> i32 {
        pen.width(self.face, s)
    }
}

/// The whole chart as PNG bytes; no conversations give a small card that
/// says so, still a valid image for the attachment.
pub fn chart_png(report: &Report) -> Result<Vec<u8>, ChartError> {
    register()?;
    let face = face()?;
    let rows = super::layout::rows(&report.intents);
    let layout = Layout::new(rows.len());
    let (width, height) = (layout.width, layout.height);
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let backend =
            BitMapBackend::<RGBPixel>::with_buffer_and_format(&mut pixels, (width, height))
                .map_err(|e| ChartError::Draw(e.to_string()))?;
        let root = backend.into_drawing_area();
        let canvas = Canvas {
            root: &root,
            face,
            layout,
        };
        draw(&canvas, report, &rows)?;
        root.present()?;
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        // Mostly flat colour: the best compression and a filter chosen per
        // line cost a few milliseconds and make the file several times
        // smaller than the defaults.
        encoder.set_compression(png::Compression::Best);
        encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&pixels)?;
    }
    Ok(out)
}

fn rgb(c: [u8; 3]) -> RGBColor {
    RGBColor(c[0], c[1], c[2])
}

fn draw(canvas: &Canvas<'_, '_>, report: &Report, rows: &[Row]) -> Result<(), ChartError> {
    let (root, layout) = (canvas.root, &canvas.layout);
    root.fill(&rgb(CARD))?;
    let (w, h) = (layout.width as i32, layout.height as i32);
    root.draw(&Rectangle::new([(0, 0), (w - 1, h - 1)], rgb(EDGE)))?;
    let title = Pen::new(22.0, INK, HPos::Left, VPos::Top);
    canvas.write(title, &report.period(), (layout.pad, layout.title_y))?;
    let muted = Pen::new(15.0, MUTED, HPos::Left, VPos::Top);
    if rows.is_empty() {
        let at = (layout.pad, layout.subtitle_y + 12);
        return canvas.write(muted, "No conversations in this period.", at);
    }
    let (total, solved, person, open) = report.totals();
    let summary = format!(
        "{total} conversations: {solved} solved by the bot · {person} handed to a person · {open} open"
    );
    canvas.write(muted, &summary, (layout.pad, layout.subtitle_y))?;
    bars(canvas, rows)?;
    trend(canvas, report)
}

/// A legend: swatch and name, left to right from `x`. A swatch is a
/// square for bars and a short thick line for the trend's lines.
fn legend(
    canvas: &Canvas<'_, '_>,
    (mut x, y): (i32, i32),
    entries: &[([u8; 3], &str)],
    lines: bool,
) -> Result<(), ChartError> {
    let pen = Pen::new(13.0, INK, HPos::Left, VPos::Center);
    for (colour, name) in entries {
        let swatch = if lines {
            [(x, y - 2), (x + 18, y + 1)]
        } else {
            [(x, y - 6), (x + 12, y + 6)]
        };
        canvas
            .root
            .draw(&Rectangle::new(swatch, rgb(*colour).filled()))?;
        x = swatch[1].0 + 6;
        canvas.write(pen, name, (x, y))?;
        x += canvas.width(pen, name) + 22;
    }
    Ok(())
}

fn bars(canvas: &Canvas<'_, '_>, rows: &[Row]) -> Result<(), ChartError> {
    let layout = &canvas.layout;
    let heading = Pen::new(15.0, INK, HPos::Left, VPos::Center);
    let y = layout.heading_y;
    canvas.write(heading, "By problem, busiest first", (layout.pad, y))?;
    let entries = [
        (SOLVED, "solved by the bot"),
        (PERSON, "handed to a person"),
        (OPEN, "open"),
    ];
    legend(canvas, (layout.bar_x.0, y), &entries, false)?;
    let label = Pen::new(13.0, INK, HPos::Right, VPos::Center);
    let total = Pen::new(13.0, INK, HPos::Left, VPos::Center);
    let most = rows.iter().map(Row::total).max().unwrap_or(1);
    let room = layout.label_x.1 - layout.label_x.0 - 10;
    for (i, row) in rows.iter().enumerate() {
        let (top, bottom) = layout.row_y(i);
        let middle = (top + bottom) / 2;
        let name = label.fit(canvas.face, &row.label, room);
        canvas.write(label, &name, (layout.label_x.1 - 4, middle))?;
        let mut end = layout.bar_x.0;
        for piece in layout.segments(row, most) {
            canvas.root.draw(&Rectangle::new(
                [(piece.x0, top), (piece.x1 - 1, bottom - 1)],
                rgb(piece.colour).filled(),
            ))?;
            // White reads on blue and vermillion, ink on the light grey.
            let ink = if piece.colour == OPEN { INK } else { CARD };
            let count = Pen::new(12.0, ink, HPos::Center, VPos::Center);
            let n = piece.count.to_string();
            if canvas.width(count, &n) + 8 <= piece.x1 - piece.x0 {
                canvas.write(count, &n, ((piece.x0 + piece.x1) / 2, middle))?;
            }
            end = piece.x1;
        }
        canvas.write(total, &row.total().to_string(), (end + 6, middle))?;
    }
    Ok(())
}

/// A step between axis numbers that is 1, 2 or 5 times a power of ten,
/// giving at most five of them up to `most`.
fn tick_step(most: u64) -> u64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if most <= step * m * 5 {
                return step * m;
            }
        }
        step *= 10;
    }
}

fn trend(canvas: &Canvas<'_, '_>, report: &Report) -> Result<(), ChartError> {
    let layout = &canvas.layout;
    let heading = Pen::new(15.0, INK, HPos::Left, VPos::Center);
    let y = layout.trend_heading_y + 10;
    canvas.write(heading, "Per week (from Monday, UTC)", (layout.pad, y))?;
    let entries = [
        (SOLVED, "solved without a person"),
        (PERSON, "handed to a person"),
        (ALL, "all conversations"),
    ];
    legend(canvas, (layout.bar_x.0, y), &entries, true)?;
    let weeks = &report.weeks;
    let n = weeks.len().max(1);
    let most = weeks
        .iter()
        .map(|w| w.conversations)
        .max()
        .unwrap_or(0)
        .max(1);
    let step = tick_step(most);
    let top = most.div_ceil(step) * step + if most.is_multiple_of(step) { step } else { 0 };
    let area = canvas.root.clone().shrink(
        (layout.pad, layout.trend_top),
        (layout.width as i32 - 2 * layout.pad, layout.trend_height),
    );
    let mut chart = ChartBuilder::on(&area)
        .margin_right(16)
        .margin_top(8)
        .x_label_area_size(28)
        .y_label_area_size(44)
        .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0u64..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels((top / step + 1) as usize)
        .y_label_formatter(&|v| v.to_string())
        .y_label_style(
            (FONT, 12)
                .into_font()
                .color(&rgb(MUTED))
                .pos(Pos::new(HPos::Right, VPos::Center)),
        )
        .axis_style(rgb(EDGE))
        .bold_line_style(rgb(GRID))
        .light_line_style(rgb(CARD))
        .draw()?;
    type Value = fn(&crate::store::WeekStats) -> u64;
    let series: [([u8; 3], u32, Value); 3] = [
        (ALL, 2, |w| w.conversations),
        (PERSON, 2, |w| w.escalated),
        (SOLVED, 3, |w| w.resolved),
    ];
    // Where each week is across, in pixels (two at least, for the pitch).
    let xs: Vec<i32> = (0..n.max(2))
        .map(|i| chart.backend_coord(&(i as f64, 0)).0)
        .collect();
    let pitch = pitch(&xs);
    let axis_y = chart.backend_coord(&(0.0, 0)).1;
    // Dots mark the weeks while there is room between them; a year of
    // weeks is a line.
    let dots = n < 2 || pitch >= 16.0;
    for (colour, width, value) in series {
        let points: Vec<(f64, u64)> = weeks
            .iter()
            .enumerate()
            .map(|(i, w)| (i as f64, value(w)))
            .collect();
        let line = rgb(colour).stroke_width(width);
        chart.draw_series(LineSeries::new(points.iter().copied(), line))?;
        if dots {
            let dot = rgb(colour).filled();
            chart.draw_series(points.iter().map(|p| Circle::new(*p, width + 1, dot)))?;
        }
    }
    week_labels(canvas, report, &xs, axis_y)
}

/// Pixels from one week to the next, as a fraction: over years of weeks
/// the rounding of any one step would misjudge the room for labels.
fn pitch(xs: &[i32]) -> f64 {
    match (xs.first(), xs.last()) {
        (Some(first), Some(last)) if xs.len() > 1 => {
            (f64::from(last - first) / (xs.len() - 1) as f64).max(0.1)
        }
        _ => f64::from(i32::MAX),
    }
}

/// Week labels under the trend's axis, thinned so they never overlap
/// (counted back from the newest week, which is always labelled); the
/// year is shown only when the period crosses one.
fn week_labels(
    canvas: &Canvas<'_, '_>,
    report: &Report,
    xs: &[i32],
    axis_y: i32,
) -> Result<(), ChartError> {
    let weeks = &report.weeks;
    let one_year = year(report.since) == year(report.until);
    let name = |t: i64| if one_year { month_day(t) } else { date(t) };
    let pen = Pen::new(12.0, MUTED, HPos::Center, VPos::Top);
    let widest = weeks
        .iter()
        .map(|w| canvas.width(pen, &name(w.week_start)))
        .max()
        .unwrap_or(0);
    let step = (f64::from(widest + 14) / pitch(xs)).ceil().max(1.0) as usize;
    let last = weeks.len().saturating_sub(1);
    for (i, w) in weeks.iter().enumerate() {
        if let (true, Some(&x)) = ((last - i).is_multiple_of(step), xs.get(i)) {
            canvas.write(pen, &name(w.week_start), (x, axis_y + 8))?;
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "chart_tests.rs"]
mod tests;
