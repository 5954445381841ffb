"""Small process and polling helpers shared by the test cloud modules."""
import contextlib
import os
import signal
import subprocess
import time


def tail(text, lines=30):
    return '\n'.join((text or '').strip().splitlines()[-lines:])


def file_tail(path, lines=30):
    with contextlib.suppress(OSError):
        with open(path, errors='replace') as f:
            return tail(f.read(), lines)
    return ''


def run(argv, timeout, env=None, cwd=None):
    """Run a command; return its combined output or raise RuntimeError."""
    try:
        proc = subprocess.run(argv, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True,
                              timeout=timeout, env=env, cwd=cwd,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise RuntimeError('%s: no result after %ss' % (
            ' '.join(argv[:3]), timeout))
    except OSError as exc:
        raise RuntimeError('%s: %s' % (argv[0], exc))
    if proc.returncode != 0:
        raise RuntimeError('%s exited with %s:\n%s' % (
            ' '.join(argv[:4]), proc.returncode, tail(proc.stdout)))
    return proc.stdout


def poll(check, timeout, what, first_pause=0.1, max_pause=2.0):
    """Call check() with a growing pause until it is truthy; return it."""
    deadline = time.monotonic() + timeout
    pause = first_pause
    while True:
        result = check()
        if result:
            return result
        left = deadline - time.monotonic()
        if left <= 0:
            raise RuntimeError('%s: not ready after %ss' % (what, timeout))
        time.sleep(min(pause, left))
        pause = min(pause * 1.5, max_pause)


def alive(pid, marker=None):
    """Whether PID runs (not a zombie) and its command line holds marker."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            stat = f.read()
        with open('/proc/%d/cmdline' % pid, 'rb') as f:
            cmdline = f.read().replace(b'\0', b' ').decode(errors='replace')
    except (OSError, ValueError):
        return False
    if stat.rsplit(')', 1)[-1].split()[0] == 'Z':
        return False
    return marker is None or marker in cmdline


def stop_groups(pids, marker=None, timeout=8):
    """Stop the sessions led by PIDs (SIGTERM, then SIGKILL); wait.

    Each service is started as the leader of a session of its own, so
    signalling its process group takes its workers along.  All are
    signalled first, then waited for together.
    """
    running = [pid for pid in pids if alive(pid, marker) or _reap(pid)]
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10)):
        for pid in running:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, sig)

        def all_gone():
            for pid in running:
                _reap(pid)
            return not any(alive(pid) for pid in running)

        try:
            poll(all_gone, wait, 'processes %s' % running,
                 first_pause=0.05, max_pause=0.5)
            return
        except RuntimeError:
            continue


def stop_group(pid, marker=None, timeout=8):
    stop_groups([pid], marker, timeout)


def _reap(pid):
    # A child of this very process stays a zombie until it is waited for.
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)
    return False
