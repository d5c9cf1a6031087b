//! The chart's words, set with ab_glyph from the embedded DejaVu Sans.
//! plotters 0.3.7 draws ab_glyph text without each glyph's left side
//! bearing, which opens gaps inside words ("solved by the b ot"); its own
//! text is kept for the axis numbers, where digits share one bearing.

use super::ChartError;
use ab_glyph::{Font as _, FontRef, GlyphId, PxScale, ScaleFont as _, point};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::sync::OnceLock;

/// Embedded so the picture does not depend on the fonts of the machine
/// the bot runs on (its container image has none).
pub static FONT_FILE: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// The font, parsed once; an embedded file that does not parse is an
/// error for each chart, not a panic.
pub fn face() -> Result<&'static FontRef<'static>, ChartError> {
    static FACE: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FACE.get_or_init(|| FontRef::try_from_slice(FONT_FILE).ok())
        .as_ref()
        .ok_or(ChartError::Font)
}

/// Text of one size and colour, placed by an anchor as plotters places it.
#[derive(Clone, Copy)]
pub struct Pen {
    pub size: f32,
    pub colour: [u8; 3],
    pub h: HPos,
    pub v: VPos,
}

impl Pen {
    pub fn new(size: f32, colour: [u8; 3], h: HPos, v: VPos) -> Pen {
        Pen { size, colour, h, v }
    }

    /// The advance width of `s`, in pixels.
    pub fn width(&self, face: &FontRef<'_>, s: &str) -> i32 {
        let font = face.as_scaled(PxScale::from(self.size));
        let mut x = 0.0;
        let mut before: Option<GlyphId> = None;
        for c in s.chars() {
            let id = font.glyph_id(c);
            if let Some(b) = before {
                x += font.kern(b, id);
            }
            x += font.h_advance(id);
            before = Some(id);
        }
        x.ceil() as i32
    }

    /// Draws `s` anchored at `at`; `VPos::Center` centres the capitals.
    pub fn write<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, plotters::coord::Shift>,
        face: &FontRef<'_>,
        s: &str,
        at: (i32, i32),
    ) -> Result<(), ChartError> {
        let scale = PxScale::from(self.size);
        let font = face.as_scaled(scale);
        let width = self.width(face, s) as f32;
        let left = match self.h {
            HPos::Left => at.0 as f32,
            HPos::Center => at.0 as f32 - width / 2.0,
            HPos::Right => at.0 as f32 - width,
        };
        let cap = self.size * 0.73;
        let baseline = match self.v {
            VPos::Top => at.1 as f32 + font.ascent(),
            VPos::Center => at.1 as f32 + cap / 2.0,
            VPos::Bottom => at.1 as f32 + font.descent(),
        };
        let mut coverage = Vec::new();
        let mut caret = left;
        let mut before: Option<GlyphId> = None;
        for c in s.chars() {
            let id = font.glyph_id(c);
            if let Some(b) = before {
                caret += font.kern(b, id);
            }
            let glyph = id.with_scale_and_position(scale, point(caret, baseline));
            if let Some(outline) = face.outline_glyph(glyph) {
                let bounds = outline.px_bounds();
                let (x0, y0) = (bounds.min.x as i32, bounds.min.y as i32);
                outline.draw(|x, y, c| coverage.push((x0 + x as i32, y0 + y as i32, c)));
            }
            caret += font.h_advance(id);
            before = Some(id);
        }
        let [r, g, b] = self.colour;
        for (x, y, c) in coverage {
            if c > 0.0 {
                // Eight shades of edge look the same at these sizes and
                // make the PNG a third smaller than every shade would.
                let alpha = (f64::from(c.min(1.0)) * 8.0).round() / 8.0;
                area.draw_pixel((x, y), &RGBAColor(r, g, b, alpha))?;
            }
        }
        Ok(())
    }

    /// `s`, cut with an ellipsis where it would run past `room` pixels.
    pub fn fit(&self, face: &FontRef<'_>, s: &str, room: i32) -> String {
        if self.width(face, s) <= room {
            return s.to_string();
        }
        let mut chars: Vec<char> = s.chars().collect();
        while chars.pop().is_some() {
            let cut: String = chars.iter().chain(['…'].iter()).collect();
            if self.width(face, &cut) <= room {
                return cut;
            }
        }
        "…".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_font_loads_and_measures() {
        let face = face().expect("the embedded font parses");
        let pen = Pen::new(13.0, [0, 0, 0], HPos::Left, VPos::Center);
        let short = pen.width(face, "open");
        assert!(short > 20 && short < 40, "{short}");
        assert!(pen.width(face, "handed to a person") > 3 * short);
        let cut = pen.fit(face, "photo-missing-other-device", 80);
        assert!(cut.ends_with('…') && pen.width(face, &cut) <= 80, "{cut}");
        assert_eq!(pen.fit(face, "open", 80), "open");
    }
}
