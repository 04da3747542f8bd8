//! CPU time, read from Linux's /proc: of one thread or process, and how busy the whole machine was.

use std::time::Duration;

/// User plus system CPU time from a `/proc/…/stat` file (fields 14 and 15, in clock ticks of 10 ms).
pub fn cpu_time(path: &str) -> Duration {
    let stat = std::fs::read_to_string(path).unwrap_or_default();
    // The command name (field 2) is in parentheses and may contain spaces: count fields after its closing one.
    let after_name = stat.rfind(')').map_or("", |end| &stat[end + 1..]);
    let fields: Vec<u64> = after_name
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|field| field.parse().ok())
        .collect();
    Duration::from_millis(fields.iter().sum::<u64>() * 10)
}

/// The machine's CPU ticks so far, all cores together: (busy, all). Busy is everything but idle and I/O wait, so
/// it counts every process on the machine (a database server included).
#[derive(Debug, Clone, Copy, Default)]
pub struct MachineTicks {
    busy: u64,
    all: u64,
}

impl MachineTicks {
    pub fn now() -> MachineTicks {
        let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
        let Some(line) = stat.lines().find(|line| line.starts_with("cpu ")) else {
            return MachineTicks::default();
        };
        // user nice system idle iowait irq softirq steal (guest time is already in user).
        let ticks: Vec<u64> = line
            .split_whitespace()
            .skip(1)
            .take(8)
            .filter_map(|field| field.parse().ok())
            .collect();
        let all: u64 = ticks.iter().sum();
        let waiting = ticks.get(3).copied().unwrap_or(0) + ticks.get(4).copied().unwrap_or(0);
        MachineTicks {
            busy: all.saturating_sub(waiting),
            all,
        }
    }

    /// The share of all cores that was busy since `earlier`, in per cent (100: every core busy all the time).
    pub fn busy_since(self, earlier: MachineTicks) -> f64 {
        let all = self.all.saturating_sub(earlier.all);
        if all == 0 {
            return 0.0;
        }
        self.busy.saturating_sub(earlier.busy) as f64 * 100.0 / all as f64
    }
}
