#!/usr/bin/env python3
"""Progress lines of `pginit run`, `sweep` and `predict` under a pseudo-terminal.

With stderr on a pty (and PGINIT_PROGRESS_AFTER_MS=0, so short jobs count as
long), each command shows a \\r-rewritten progress line on stderr and clears it
at the end, and its stdout is byte for byte what it is without a terminal.
With -q, with stderr piped, or with the default one-second threshold on a
short job, there is no progress line at all.

Usage: progress_tty.py PGINIT SOURCE_DIR
"""
import os
import re
import subprocess
import sys
import threading

PGINIT, SRC = sys.argv[1], sys.argv[2]
SMALL = os.path.join(SRC, "scenarios", "qemu-512m-v4.17-rc1.yaml")
DEFAULT = os.path.join(SRC, "scenarios", "default.yaml")
CLEAR = "\r\x1b[K"
failures = []


def run(args, tty, after_ms="0", stdout_too=False):
    """(exit status, stdout, stderr) of pginit ARGS; stderr on a pty when tty,
    and stdout on the same pty when stdout_too (then both come back as stderr)."""
    env = dict(os.environ)
    env.pop("PGINIT_PROGRESS_AFTER_MS", None)
    if after_ms is not None:
        env["PGINIT_PROGRESS_AFTER_MS"] = after_ms
    if not tty:
        p = subprocess.run([PGINIT] + args, capture_output=True, env=env, timeout=120)
        return p.returncode, p.stdout.decode(), p.stderr.decode()
    master, slave = os.openpty()
    chunks = []

    def drain():
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: the last writer closed the pty
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    p = subprocess.run([PGINIT] + args, stdout=slave if stdout_too else subprocess.PIPE, stderr=slave, env=env,
                       timeout=120)
    os.close(slave)
    reader.join(timeout=10)
    os.close(master)
    return p.returncode, (p.stdout or b"").decode(), b"".join(chunks).decode(errors="replace")


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name)
    if not ok:
        failures.append(name)
        print("     " + repr(detail[-600:]))


def shows_progress(err, label):
    return f"\rpginit: {label}" in err and err.endswith(CLEAR)


# run: on a terminal, a line that names start_kernel's steps and counts struct pages.
status, out_tty, err = run(["run", DEFAULT], tty=True)
check("run: progress on a terminal", status == 0 and shows_progress(err, "run"), err)
check("run: progress counts struct pages", "struct pages" in err, err)
status, out_pipe, err_pipe = run(["run", DEFAULT], tty=False)
check("run: stdout is the same with and without progress", out_tty == out_pipe)
check("run: no progress when stderr is piped", "pginit: run" not in err_pipe, err_pipe)
# The log on the same terminal: the progress line steps aside for every line
# of it, so a drawn line ("...\x1b[K\r") is only ever followed by its clearing
# or by its next drawing, never by log text over it.
status, _, both = run(["run", DEFAULT], tty=True, stdout_too=True)
drawn = [m.end() for m in re.finditer(r"\rpginit: run[^\r\n]*\x1b\[K\r", both)]
overwritten = [both[at:at + 40] for at in drawn if not both.startswith(("\r\x1b[K", "\rpginit: run"), at)]
check("run: the log on the same terminal never writes over the progress line",
      status == 0 and drawn and not overwritten, repr(overwritten[:3]) + both[-300:])
check("run: every log line is on the terminal", both.count("\n") >= out_tty.count("\n"), both[-300:])

status, out, err = run(["run", "-q", DEFAULT], tty=True)
check("run -q: no progress", CLEAR not in err and "pginit: run" not in err, err)
status, out, err = run(["run", DEFAULT], tty=True, after_ms=None)
check("run: a job under a second shows nothing by default", CLEAR not in err, err)

# sweep: machines booted, out of the cases times the seeds, with an ETA once
# some are done. 480 machines: several 100 ms ticks even on a fast host (48
# took 90 ms, under one tick).
SWEEP = ["sweep", SMALL, "--kernel", "v4.17-rc", "--kaslr", "40", "--threads", "1"]
status, out_tty, err = run(SWEEP, tty=True)
check("sweep: progress on a terminal", shows_progress(err, "sweep"), err)
check("sweep: counts machines of the whole sweep", "/480 machines booted" in err, err)
check("sweep: the count (and ETA field) once machines are booted", re.search(r"[1-9]\d*/480 machines booted +\d+%, ETA (\d+s|--)", err), err[-500:])
_, out_pipe, err_pipe = run(SWEEP, tty=False)
check("sweep: stdout is the same with and without progress", out_tty == out_pipe)
check("sweep: no progress when stderr is piped", CLEAR not in err_pipe, err_pipe)

# predict: points, kernels times thread counts.
status, out, err = run(["predict", DEFAULT, "--threads", "1,2,4", "--kernel", "v4.17", "--kernel", "v5.2"], tty=True)
check("predict: progress on a terminal", status == 0 and shows_progress(err, "predict"), err)
check("predict: counts its points", "/6 points" in err, err)

sys.exit(1 if failures else 0)
