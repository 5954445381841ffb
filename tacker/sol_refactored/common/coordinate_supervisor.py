"""Runs a CoordinateVNF child so that nothing it starts outlives it.

    python .../coordinate_supervisor.py CONDUCTOR_PID MODE ARGV...

MODE is ``namespace`` (a PID namespace when the kernel allows one, else
the fallback below) or ``subreaper`` (the fallback only).

Started by the conductor (``coordinate._launch``) by its file path; it
imports only the standard library. Whatever the script does -- start a
new session, fork twice, keep stdout open, ignore signals -- every
process it starts ends when the script ends, when the conductor stops it
at the time limit, and when the conductor itself dies:

- the supervisor asks the kernel to kill it when the conductor dies
  (``PR_SET_PDEATHSIG``);
- it runs the script in a PID namespace of its own (a user namespace
  too when not root), under a first process that acts as that
  namespace's init: when init ends -- because the script's main process
  ended, or because the supervisor died or was told to stop -- the kernel
  kills every process left in the namespace, and none can leave it;
- where namespaces cannot be made (a kernel or container that forbids
  them) it falls back to being the "child subreaper" of the script's
  processes (``PR_SET_CHILD_SUBREAPER``: orphans are re-parented to it
  however they detach) and kills all of its descendants when the script
  ends or it is told to stop. That fallback cannot outlive its own
  SIGKILL: the log says which mode ran.

The exit status is the script's (128 + signal when a signal ended it). A
line on stderr names the mode, for the conductor's log.
"""
import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
MODE_MARK = 'TACKER-COORDINATE-CONFINEMENT: '

_libc = ctypes.CDLL(None, use_errno=True)


def _prctl(option, value):
    return _libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0) == 0


def _die_with(parent):
    """Be killed when ``parent`` goes; go at once if it is gone.

    The first process of a new PID namespace sees its parent as 0.
    """
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() not in (parent, 0):
        os._exit(128 + signal.SIGKILL)


def _write(path, text):
    with open(path, 'w') as f:
        f.write(text)


def _pid_namespace():
    """Enter a new PID namespace for the next child; False if refused."""
    if os.geteuid() == 0:
        return _libc.unshare(CLONE_NEWPID) == 0
    uid, gid = os.getuid(), os.getgid()
    if _libc.unshare(CLONE_NEWUSER | CLONE_NEWPID) != 0:
        return False
    try:
        # The same uid and gid inside: files the script writes stay the
        # conductor's user's.
        _write('/proc/self/setgroups', 'deny')
        _write('/proc/self/uid_map', '%d %d 1' % (uid, uid))
        _write('/proc/self/gid_map', '%d %d 1' % (gid, gid))
    except OSError:
        return False
    return True


def _status(raw):
    if os.WIFSIGNALED(raw):
        return 128 + os.WTERMSIG(raw)
    return os.WEXITSTATUS(raw)


def _reap_until(pid):
    """Wait for ``pid``, reaping any other child meanwhile; its status."""
    while True:
        try:
            done, raw = os.wait()
        except ChildProcessError:
            return 1
        if done == pid:
            return _status(raw)


def _descendants(root):
    """Pids whose chain of parents leads to ``root``."""
    parents = {}
    for name in os.listdir('/proc'):
        if not name.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % name) as f:
                fields = f.read().rsplit(')', 1)[1].split()
            parents[int(name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        for child, parent in parents.items():
            if parent == pid and child not in found:
                found.add(child)
                todo.append(child)
    return found


def _kill_descendants():
    me = os.getpid()
    while True:
        left = _descendants(me)
        if not left:
            return
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        while True:
            try:
                done, _raw = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if done == 0:
                break


def _as_init(argv, supervisor):
    """PID 1 of the namespace: run the script, end with it."""
    _die_with(supervisor)
    child = os.fork()
    if child == 0:
        os.execv(argv[0], argv)
    signal.signal(signal.SIGTERM, lambda *a: os._exit(128 + signal.SIGTERM))
    os._exit(_reap_until(child))


def main(argv):
    conductor, mode, command = int(argv[1]), argv[2], argv[3:]
    _die_with(conductor)
    supervisor = os.getpid()
    confined = mode == 'namespace' and _pid_namespace()
    if not confined:
        _prctl(PR_SET_CHILD_SUBREAPER, 1)
    sys.stderr.write('%s%s\n' % (MODE_MARK, 'pid-namespace' if confined
                                 else 'subreaper'))
    sys.stderr.flush()
    child = os.fork()
    if child == 0:
        if confined:
            _as_init(command, supervisor)
        os.execv(command[0], command)

    def stop(signum, frame):
        # Told to stop (the time limit): everything the script started.
        if confined:
            try:
                os.kill(child, signal.SIGKILL)
            except ProcessLookupError:
                pass
        else:
            _kill_descendants()
        os._exit(128 + signum)
    signal.signal(signal.SIGTERM, stop)
    status = _reap_until(child)
    if not confined:
        _kill_descendants()
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv))
