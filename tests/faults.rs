//! Faults (issue 14): a full disk or a file closed under a stream stops the run with a typed
//! error and keeps the history so far; a panic inside a user's `#[update]` leaves the loop usable
//! after `reset_state`.

use std::panic::{AssertUnwindSafe, catch_unwind};

use looptime::nalgebra::SVector;
use looptime::prelude::*;

/// dv/dt = (-v + i) / tau, refusing a non-finite input with a panic (a user's assertion).
#[dynamical_system(inputs(i))]
pub struct Fragile<const N: usize> {
    /// Time constant (ms).
    #[param(default = 10.0, check = positive)]
    pub tau: f64,
    /// The state.
    #[state(init = 0.0)]
    pub v: SVector<f64, N>,
}

#[dynamical_system(method = exp_euler)]
impl<const N: usize> Fragile<N> {
    #[ode(v)]
    fn dv(&self, v: f64, i: f64) -> f64 {
        (-v + i) / self.tau
    }

    #[update]
    fn step(&mut self, sh: &Shared, i: SVector<f64, N>) -> SVector<f64, N> {
        assert!(
            i.iter().all(|x| x.is_finite()),
            "Fragile: a non-finite input"
        );
        self.integrate(sh.dt, &i);
        self.v
    }
}

type Model = Fragile<3>;

fn good_inputs(steps: usize) -> Vec<SVector<f64, 3>> {
    (0..steps)
        .map(|k| SVector::from_fn(|r, _| 1.0 + r as f64 + 0.1 * k as f64))
        .collect()
}

#[test]
fn a_panic_in_a_users_update_leaves_the_loop_usable_after_reset_state() {
    let mut bad = good_inputs(30);
    bad[17] = SVector::from_element(f64::NAN);
    let mut run = LoopOverTime::new(Model::new()).monitor("v", |m: &Model| m.v);
    let caught = catch_unwind(AssertUnwindSafe(|| run.run_inputs(&bad)));
    let message = caught.expect_err("the update panics at step 17");
    let text = message
        .downcast_ref::<&str>()
        .copied()
        .or(message.downcast_ref::<String>().map(String::as_str));
    assert_eq!(text, Some("Fragile: a non-finite input"));
    // The run did not finish: the clock did not move, the state is half-way.
    assert_eq!(run.clock().steps_done(), 0);
    assert_ne!(run.target().v, SVector::<f64, 3>::zeros());

    run.reset_state();
    let after = run
        .run_inputs(&good_inputs(30))
        .map_err(LoopError::without_history)
        .unwrap();
    let fresh = LoopOverTime::new(Model::new())
        .monitor("v", |m: &Model| m.v)
        .run_inputs(&good_inputs(30))
        .map_err(LoopError::without_history)
        .unwrap();
    assert_eq!(after, fresh, "the same history, bit for bit");
    assert_eq!(run.current_t0(), Some(30.0 * 0.1));
}

#[cfg(all(feature = "npy", target_os = "linux"))]
mod streams {
    use std::os::fd::AsRawFd;
    use std::path::{Path, PathBuf};

    use looptime::export::{ExportError, NpyStream};
    use looptime::layers::read_npy;

    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("looptime-faults-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// The descriptor this process holds open on `path` (found through /proc/self/fd).
    fn descriptor_of(path: &Path) -> i32 {
        let path = path.canonicalize().unwrap();
        std::fs::read_dir("/proc/self/fd")
            .unwrap()
            .filter_map(|e| e.ok())
            .find(|e| std::fs::read_link(e.path()).ok().as_deref() == Some(path.as_path()))
            .and_then(|e| e.file_name().to_str()?.parse().ok())
            .expect("the stream holds the file open")
    }

    #[test]
    fn a_full_disk_stops_the_run_with_an_error_and_keeps_the_history() {
        // /dev/full accepts the open and refuses every write with ENOSPC.
        let stream = NpyStream::overwrite("/dev/full", |m: &Model| m.v).unwrap();
        let mut run = LoopOverTime::new(Model::new())
            .monitor("v", |m: &Model| m.v)
            .observe(stream);
        let LoopError::Observer {
            step,
            error,
            partial,
        } = run.run_inputs(&good_inputs(50)).unwrap_err()
        else {
            panic!("expected the stream's error");
        };
        // The header of the first row is the first write.
        assert_eq!(step, 0);
        assert_eq!((partial.steps, partial.monitors.0.len()), (1, 1));
        let io = error
            .downcast_ref::<ExportError>()
            .expect("an export error");
        assert!(
            matches!(io, ExportError::Io { error, .. } if error.raw_os_error() == Some(libc::ENOSPC)),
            "{io:?}"
        );
        // The loop moved on by the step it took, and the stream keeps refusing.
        assert_eq!(run.clock().steps_done(), 1);
        assert!(matches!(
            run.run_inputs(&good_inputs(2)),
            Err(LoopError::Observer { step: 0, .. })
        ));
    }

    #[test]
    fn a_file_closed_under_a_stream_stops_the_run_and_the_rows_before_stay_valid() {
        let dir = scratch("closed");
        let path = dir.join("v.npy");
        let stream = NpyStream::new(&path, |m: &Model| m.v).unwrap();
        let mut run = LoopOverTime::new(Model::new())
            .monitor("v", |m: &Model| m.v)
            .observe(stream);
        let first = run
            .run_inputs(&good_inputs(20))
            .map_err(LoopError::without_history)
            .unwrap();
        assert_eq!(read_npy(&path).unwrap().shape(), [20, 3]);

        // Swap the stream's descriptor for a read-only one: every write now fails (EBADF), as
        // on a file closed under the stream.
        let fd = descriptor_of(&path);
        let read_only = std::fs::File::open(&path).unwrap();
        // SAFETY: `fd` stays open (now on the read-only file); nothing else uses it.
        assert!(unsafe { libc::dup2(read_only.as_raw_fd(), fd) } >= 0);

        let LoopError::Observer { step, partial, .. } =
            run.run_inputs(&good_inputs(10)).unwrap_err()
        else {
            panic!("expected the stream's error");
        };
        // The rows wait in the stream's buffer; the write at the end of the run fails.
        assert_eq!(step, 10);
        assert_eq!(partial.steps, 10);
        assert_eq!(partial.monitors.0.len(), 10);
        assert_eq!(partial.times.as_ref().unwrap()[0], 20.0 * 0.1);
        // The file still holds the first run's rows, readable and equal to its history.
        let a = read_npy(&path).unwrap();
        assert_eq!(a.shape(), [20, 3]);
        let recorded: Vec<f64> = first
            .monitors
            .0
            .iter()
            .flat_map(|v| v.iter().copied())
            .collect();
        assert_eq!(a.data(), recorded.as_slice());
    }
}
