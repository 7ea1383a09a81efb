//! Plots are written as PNG files of the stated size, with the bundled font (text draws on a
//! machine without system fonts).
#![cfg(feature = "plot")]

use looptime::plot::{Series, line_chart, raster};

fn png_size(path: &std::path::Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG file");
    let be = |k: usize| u32::from_be_bytes(bytes[k..k + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn line_charts_and_rasters_are_960_by_540_pngs() {
    let dir = std::env::temp_dir().join(format!("looptime-plot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sine: Vec<(f64, f64)> = (0..100)
        .map(|k| (k as f64, (k as f64 / 10.0).sin()))
        .collect();
    let path = dir.join("line.png");
    line_chart(
        &path,
        "title",
        "x",
        "y",
        &[Series {
            label: "sin",
            points: sine,
        }],
    )
    .unwrap();
    assert_eq!(png_size(&path), (960, 540));
    let path = dir.join("raster.png");
    raster(&path, "spikes", &[(1.0, 0), (2.5, 3)], 10.0, 4).unwrap();
    assert_eq!(png_size(&path), (960, 540));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_plot_into_a_missing_directory_is_an_error_not_a_panic() {
    let path = std::env::temp_dir()
        .join("looptime-no-such-dir-x9")
        .join("a.png");
    let err = line_chart(&path, "t", "x", "y", &[]).unwrap_err();
    assert!(err.to_string().contains("cannot draw"), "{err}");
}
