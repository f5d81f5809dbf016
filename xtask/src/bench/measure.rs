//! Timing and memory primitives: medians over repeated runs, and child processes measured
//! with `wait4` (wall time and peak resident set, the same way for every program).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `f` repeatedly (after one warm-up run) until `budget` is spent or `max_runs` is
/// reached, at least `min_runs` times, and returns the median duration.
pub fn median_time<T>(budget: Duration, min_runs: usize, max_runs: usize, mut f: impl FnMut() -> T) -> Duration {
    std::hint::black_box(f());
    let started = Instant::now();
    let mut samples = Vec::new();
    while samples.len() < min_runs || (samples.len() < max_runs && started.elapsed() < budget) {
        let t = Instant::now();
        std::hint::black_box(f());
        samples.push(t.elapsed());
    }
    median(&mut samples)
}

/// Runs each of `fs` in turn, in a rotating order, round after round until `budget` is spent
/// (at least `min_rounds`), and returns each one's median. Taking turns puts whatever else
/// the machine is doing on all of them alike, so their ratios hold on a noisy machine.
pub fn median_times_interleaved(budget: Duration, min_rounds: usize, fs: &mut [&mut dyn FnMut()]) -> Vec<Duration> {
    for f in fs.iter_mut() {
        f();
    }
    let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); fs.len()];
    let started = Instant::now();
    let mut round = 0;
    while round < min_rounds || started.elapsed() < budget {
        for k in 0..fs.len() {
            let i = (round + k) % fs.len();
            if let (Some(f), Some(s)) = (fs.get_mut(i), samples.get_mut(i)) {
                let t = Instant::now();
                f();
                s.push(t.elapsed());
            }
        }
        round += 1;
    }
    samples.iter_mut().map(|s| median(s)).collect()
}

/// The median of `samples` (zero when empty).
pub fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// What one run of a program cost.
#[derive(Debug, Clone, Copy)]
pub struct ProcessCost {
    pub wall: Duration,
    /// Peak resident set size, in bytes.
    pub peak_rss: u64,
}

/// Runs a program to completion (output discarded unless it fails) and reports its wall
/// time and peak resident set size.
///
/// The program is started by a fresh, small process (this binary's hidden `__measure`
/// command), not by the benchmark itself: Linux counts the memory of the process that
/// spawned a program into the program's peak RSS (the spawner's page-table high-water mark
/// is recorded when the child execs), and the benchmark process holds large specs and
/// outputs. `__measure` holds a few MiB; that floor is reported as the "empty process" row.
pub fn run_measured(program: &Path, args: &[&str], dir: &Path) -> Result<ProcessCost, String> {
    let me = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let out = Command::new(me)
        .arg("__measure")
        .arg(program)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run the measuring process: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut fields = text.split_whitespace().map(str::parse::<u64>);
    match (fields.next(), fields.next()) {
        (Some(Ok(wall_ns)), Some(Ok(peak_rss))) => Ok(ProcessCost { wall: Duration::from_nanos(wall_ns), peak_rss }),
        _ => Err(format!("the measuring process printed `{}`", text.trim())),
    }
}

/// The `__measure PROGRAM ARGS...` command: runs the program, waits for it with `wait4`,
/// and prints its wall time in nanoseconds and its peak RSS in bytes.
pub fn measure_child(program: &str, args: &[String]) -> Result<(), String> {
    let started = Instant::now();
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let pid = i32::try_from(child.id()).map_err(|e| e.to_string())?;
    // Read stderr on a thread so a chatty child cannot block on a full pipe.
    let mut stderr = child.stderr;
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(s) = stderr.as_mut() {
            let _ = std::io::Read::read_to_string(s, &mut text);
        }
        text
    });
    let mut status = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: `pid` is our own child, not yet reaped (std's `Child` was consumed without
    // waiting); `status` and `usage` are valid for writes of their types.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, usage.as_mut_ptr()) };
    let wall = started.elapsed();
    let stderr = reader.join().unwrap_or_default();
    if reaped != pid {
        return Err(format!("wait4 on {program} failed: {}", std::io::Error::last_os_error()));
    }
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        return Err(format!("`{program} {}` failed (status {status}):\n{stderr}", args.join(" ")));
    }
    // SAFETY: wait4 succeeded, so it filled `usage`.
    let usage = unsafe { usage.assume_init() };
    // Linux reports ru_maxrss in KiB.
    let peak_rss = u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024;
    println!("{} {peak_rss}", wall.as_nanos());
    Ok(())
}

/// Runs a program `runs` times (after a warm-up run for the page cache and the dynamic
/// loader), calling `prepare` before each, and keeps the median wall time and peak RSS.
pub fn run_measured_median(
    program: &Path,
    args: &[&str],
    dir: &Path,
    runs: usize,
    mut prepare: impl FnMut(),
) -> Result<ProcessCost, String> {
    prepare();
    run_measured(program, args, dir)?;
    let mut costs = Vec::new();
    for _ in 0..runs.max(1) {
        prepare();
        costs.push(run_measured(program, args, dir)?);
    }
    Ok(median_cost(&costs))
}

/// The median wall time and the median peak RSS of several runs (each its own median).
pub fn median_cost(costs: &[ProcessCost]) -> ProcessCost {
    let mut walls: Vec<Duration> = costs.iter().map(|c| c.wall).collect();
    let mut rss: Vec<u64> = costs.iter().map(|c| c.peak_rss).collect();
    rss.sort_unstable();
    ProcessCost { wall: median(&mut walls), peak_rss: rss.get(rss.len() / 2).copied().unwrap_or(0) }
}

/// Seconds with three significant figures or milliseconds, for the table.
pub fn fmt_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 0.001 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}

/// Bytes as MiB.
pub fn fmt_mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}
