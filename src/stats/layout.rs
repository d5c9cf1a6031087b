//! Where the chart puts things, in pixels: one place for the drawing and
//! for the tests that read the picture back, so neither guesses.

use crate::store::IntentStats;

/// Wide enough for the longest intent id and a readable bar beside it,
/// narrow enough that Discord shows it without scaling it down much.
pub const WIDTH: u32 = 900;
/// More rows than this make the chart a wall: the rest are summed.
pub const MAX_ROWS: usize = 15;

/// Solved by the bot: blue, the one hue that reads the same to most
/// colour-blind eyes, for the number that matters most.
pub const SOLVED: [u8; 3] = [0, 114, 178];
/// Handed to a person: vermillion (Okabe–Ito), apart from blue for all.
pub const PERSON: [u8; 3] = [213, 94, 0];
/// Still open: a grey that is plainly "not decided".
pub const OPEN: [u8; 3] = [168, 172, 178];
/// All conversations on the trend: a darker grey than open, a context line.
pub const ALL: [u8; 3] = [110, 118, 129];
/// Text. The card is opaque white, so one ink serves Discord's dark and
/// light themes alike.
pub const INK: [u8; 3] = [31, 35, 40];
pub const MUTED: [u8; 3] = [87, 96, 106];
pub const CARD: [u8; 3] = [255, 255, 255];
pub const EDGE: [u8; 3] = [208, 215, 222];
pub const GRID: [u8; 3] = [234, 238, 242];

const PAD: i32 = 24;
const TITLE_Y: i32 = 18;
const SUBTITLE_Y: i32 = 50;
const HEADING_Y: i32 = 86;
const ROWS_TOP: i32 = 116;
const ROW_PITCH: i32 = 28;
const BAR_HEIGHT: i32 = 20;
/// The label column: left of the bars, wide enough for every intent id
/// shipped today (longer ones are cut with an ellipsis).
const LABEL_RIGHT: i32 = 250;
/// Room right of the longest bar for its total.
const TOTAL_ROOM: i32 = 56;
const TREND_GAP: i32 = 22;
const TREND_HEADING: i32 = 30;
const TREND_HEIGHT: i32 = 240;
const EMPTY_HEIGHT: i32 = 150;

/// One bar: an intent, or the quieter intents summed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub label: String,
    pub solved: u64,
    pub person: u64,
    pub open: u64,
}

impl Row {
    pub fn total(&self) -> u64 {
        self.solved + self.person + self.open
    }
}

/// The bars, busiest first; beyond [`MAX_ROWS`] the tail becomes one
/// "N others" row so nothing counted goes missing from the picture.
pub fn rows(intents: &[IntentStats]) -> Vec<Row> {
    let mut sorted: Vec<&IntentStats> = intents.iter().collect();
    sorted.sort_by(|a, b| {
        b.conversations
            .cmp(&a.conversations)
            .then(a.intent.cmp(&b.intent))
    });
    let row = |s: &IntentStats| Row {
        label: s.intent.clone(),
        solved: s.resolved,
        person: s.escalated,
        open: s.open,
    };
    if sorted.len() <= MAX_ROWS {
        return sorted.into_iter().map(row).collect();
    }
    let (shown, rest) = sorted.split_at(MAX_ROWS - 1);
    let mut out: Vec<Row> = shown.iter().map(|s| row(s)).collect();
    out.push(rest.iter().fold(
        Row {
            label: format!("{} others", rest.len()),
            solved: 0,
            person: 0,
            open: 0,
        },
        |acc, s| Row {
            solved: acc.solved + s.resolved,
            person: acc.person + s.escalated,
            open: acc.open + s.open,
            ..acc
        },
    ));
    out
}

/// One coloured piece of a bar, `x0..x1` in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub x0: i32,
    pub x1: i32,
    pub count: u64,
    pub colour: [u8; 3],
}

/// The chart's geometry for a given number of rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub width: u32,
    pub height: u32,
    pub rows: usize,
    pub pad: i32,
    pub title_y: i32,
    pub subtitle_y: i32,
    pub heading_y: i32,
    /// The label column, `x` from..to: row labels end at its right edge.
    pub label_x: (i32, i32),
    /// Where bars start and how far the longest one runs.
    pub bar_x: (i32, i32),
    /// Top of the trend panel's heading, and of its plot below it.
    pub trend_heading_y: i32,
    pub trend_top: i32,
    pub trend_height: i32,
}

impl Layout {
    /// `rows` of 0 is the "nothing to show" card.
    pub fn new(rows: usize) -> Layout {
        let rows = rows.min(MAX_ROWS);
        let rows_bottom = ROWS_TOP + rows as i32 * ROW_PITCH;
        let trend_heading_y = rows_bottom + TREND_GAP;
        let trend_top = trend_heading_y + TREND_HEADING;
        let height = if rows == 0 {
            EMPTY_HEIGHT
        } else {
            trend_top + TREND_HEIGHT + PAD
        };
        Layout {
            width: WIDTH,
            height: height as u32,
            rows,
            pad: PAD,
            title_y: TITLE_Y,
            subtitle_y: SUBTITLE_Y,
            heading_y: HEADING_Y,
            label_x: (PAD, LABEL_RIGHT),
            bar_x: (LABEL_RIGHT + 8, WIDTH as i32 - PAD - TOTAL_ROOM),
            trend_heading_y,
            trend_top,
            trend_height: TREND_HEIGHT,
        }
    }

    /// Row `i`'s bar, top..bottom in pixels (its label is centred on it).
    pub fn row_y(&self, i: usize) -> (i32, i32) {
        let top = ROWS_TOP + i as i32 * ROW_PITCH + (ROW_PITCH - BAR_HEIGHT) / 2;
        (top, top + BAR_HEIGHT)
    }

    /// The non-empty pieces of a bar, solved first, scaled so the busiest
    /// row (`most` conversations) fills the bar area. Ends are rounded from
    /// running sums, so the pieces always meet.
    pub fn segments(&self, row: &Row, most: u64) -> Vec<Segment> {
        let span = f64::from(self.bar_x.1 - self.bar_x.0);
        let most = most.max(1) as f64;
        let x = |n: u64| self.bar_x.0 + (n as f64 / most * span).round() as i32;
        let mut out = Vec::new();
        let mut before = 0;
        for (count, colour) in [(row.solved, SOLVED), (row.person, PERSON), (row.open, OPEN)] {
            let (x0, x1) = (x(before), x(before + count));
            before += count;
            if count > 0 {
                out.push(Segment {
                    x0,
                    x1: x1.max(x0 + 1),
                    count,
                    colour,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intent(name: &str, conversations: u64) -> IntentStats {
        IntentStats {
            intent: name.into(),
            conversations,
            resolved: conversations,
            ..IntentStats::default()
        }
    }

    #[test]
    fn beyond_the_limit_the_quiet_intents_are_summed() {
        let many: Vec<IntentStats> = (0..20)
            .map(|i| intent(&format!("i{i:02}"), 40 - i))
            .collect();
        let rows = rows(&many);
        assert_eq!(rows.len(), MAX_ROWS);
        assert_eq!(rows[0].label, "i00");
        let others = &rows[MAX_ROWS - 1];
        assert_eq!(others.label, "6 others");
        assert_eq!(others.solved, (14..20).map(|i| 40 - i).sum::<u64>());
        let few = super::rows(&many[..3]);
        assert_eq!(few.len(), 3, "no others row when all fit");
    }

    #[test]
    fn bars_scale_to_the_busiest_row_and_their_pieces_meet() {
        let layout = Layout::new(2);
        let row = Row {
            label: "a".into(),
            solved: 1,
            person: 1,
            open: 1,
        };
        let pieces = layout.segments(&row, 3);
        assert_eq!(pieces.len(), 3);
        assert_eq!(pieces[0].x0, layout.bar_x.0);
        assert_eq!(pieces[2].x1, layout.bar_x.1, "the busiest fills the area");
        assert!(pieces.windows(2).all(|w| w[0].x1 == w[1].x0));
        let half = layout.segments(
            &Row {
                open: 0,
                person: 0,
                ..row
            },
            2,
        );
        assert_eq!(half.len(), 1, "empty pieces are not drawn");
    }

    #[test]
    fn the_chart_grows_with_its_rows() {
        assert!(Layout::new(3).height > Layout::new(1).height);
        assert_eq!(Layout::new(40), Layout::new(MAX_ROWS));
        assert!(Layout::new(0).height < Layout::new(1).height);
    }
}
