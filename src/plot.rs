//! PNG plots of traces (plotters, feature `plot`): [`line_chart`] for voltages over time with a
//! legend, [`raster`] for spikes. Text uses the DejaVu Sans font bundled in `assets/fonts`, so
//! plots draw the same on a machine without system fonts.

use std::path::Path;
use std::sync::Once;

use plotters::prelude::*;
use plotters::style::FontStyle;

/// The bundled font (Bitstream Vera license, see `assets/fonts/DejaVuSans-LICENSE.txt`).
static FONT: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
static REGISTER: Once = Once::new();

fn register_font() {
    REGISTER.call_once(|| {
        // The bytes are a valid TrueType font, checked by the plot tests.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

/// A plot could not be drawn or written.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the plot: {0}")]
pub struct PlotError(pub String);

fn plot_error(e: impl std::fmt::Display) -> PlotError {
    PlotError(e.to_string())
}

/// One line of a [`line_chart`]: its legend label and its `(x, y)` points.
pub struct Series<'a> {
    /// Legend label.
    pub label: &'a str,
    /// Points, in x order.
    pub points: Vec<(f64, f64)>,
}

const COLORS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.05).max(1e-9);
    (lo - pad, hi + pad)
}

/// Draws `series` as lines on one chart with axes labelled `x_label` and `y_label` and a legend,
/// into a PNG at `path` (960 × 540).
pub fn line_chart(
    path: impl AsRef<Path>,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series<'_>],
) -> Result<(), PlotError> {
    register_font();
    let root = BitMapBackend::new(path.as_ref(), (960, 540)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_error)?;
    let all = || series.iter().flat_map(|s| s.points.iter());
    let (x0, x1) = bounds(all().map(|p| p.0));
    let (y0, y1) = bounds(all().map(|p| p.1));
    // Headroom above the data for the legend.
    let y1 = y1 + 0.2 * (y1 - y0);
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 24))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(plot_error)?;
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .draw()
        .map_err(plot_error)?;
    for (k, s) in series.iter().enumerate() {
        let color = COLORS[k % COLORS.len()];
        chart
            .draw_series(LineSeries::new(
                s.points.iter().copied(),
                color.stroke_width(2),
            ))
            .map_err(plot_error)?
            .label(s.label)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], color.stroke_width(3)));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 16))
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(plot_error)?;
    root.present().map_err(plot_error)
}

/// Draws a spike raster: one dot per `(t, neuron)` spike, time on x (`t_max` ms) and neuron index
/// on y (`neurons` rows), into a PNG at `path` (960 × 540).
pub fn raster(
    path: impl AsRef<Path>,
    title: &str,
    spikes: &[(f64, usize)],
    t_max: f64,
    neurons: usize,
) -> Result<(), PlotError> {
    register_font();
    let root = BitMapBackend::new(path.as_ref(), (960, 540)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_error)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 24))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(0.0..t_max, 0.0..neurons as f64)
        .map_err(plot_error)?;
    chart
        .configure_mesh()
        .x_desc("time (ms)")
        .y_desc("neuron")
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .disable_mesh()
        .draw()
        .map_err(plot_error)?;
    chart
        .draw_series(
            spikes
                .iter()
                .map(|&(t, n)| Circle::new((t, n as f64 + 0.5), 1, BLACK.filled())),
        )
        .map_err(plot_error)?;
    root.present().map_err(plot_error)
}
