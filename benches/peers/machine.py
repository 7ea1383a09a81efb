"""What the peer scripts print beside their numbers: the machine's CPU model, the CPUs this
process may use, the load average, and tool versions. Shared by compare.py and contention.py."""
import os
import platform
import subprocess


def cpu_model():
    """The CPU's model name (from /proc/cpuinfo on Linux)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cpus():
    """The CPUs this process may run on (its affinity mask where known)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def loadavg():
    """The 1-minute load average (NaN where unknown)."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def version(cmd):
    """The first output of `cmd` (a version string), or `?`."""
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip() or "?"
    except OSError:
        return "?"


def describe():
    """`CPU model, N CPUs (OS release)`."""
    return f"{cpu_model()}, {cpus()} CPUs ({platform.system()} {platform.release()})"


def simd_level(root):
    """The vector instructions looptime uses here: the widest level this CPU has (as
    `examples/workloads.rs --list-simd` lists them, narrowest first), or `LOOPTIME_SIMD` when it
    caps them, then said so beside the CPU's widest (`avx2 (LOOPTIME_SIMD; the CPU has avx512)`)."""
    try:
        out = subprocess.run(["cargo", "run", "--quiet", "--release", "--example", "workloads", "--",
                              "--list-simd"], cwd=root, capture_output=True, text=True).stdout.split()
    except OSError:
        out = []
    widest = out[-1] if out else "?"
    forced = os.environ.get("LOOPTIME_SIMD")
    if forced and forced in out and forced != widest:
        return f"{forced} (LOOPTIME_SIMD; the CPU has {widest})"
    # Unset, the widest, or a level this CPU lacks (which looptime refuses): the CPU's widest.
    return widest
