"""Child processes of the demo.

Each runs in a session of its own, so that a Ctrl-C on the terminal reaches
the demo only and the demo stops its children in order (SIGTERM to the
whole process group, SIGKILL when it does not go). Their output goes to a
log file and, line by line, to whoever listens (the step watcher).
"""
import contextlib
import os
import queue
import signal
import subprocess
import threading
import time


class ChildError(RuntimeError):
    pass


class Child:
    def __init__(self, name, argv, log_path, env=None, cwd=None):
        self.name = name
        self.log_path = log_path
        self._listeners = []
        # For wait_line; a long-running child's later lines are dropped
        # once nobody reads them.
        self._lines = queue.Queue(maxsize=1000)
        self.popen = subprocess.Popen(
            argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)
        self.pid = self.popen.pid
        self._reader = threading.Thread(target=self._read, daemon=True,
                                        name='log-%s' % name)
        self._reader.start()

    def listen(self, callback):
        """Call ``callback(line)`` for every line from now on."""
        self._listeners.append(callback)

    def _read(self):
        with open(self.log_path, 'a') as log:
            for line in self.popen.stdout:
                log.write(line)
                log.flush()
                with contextlib.suppress(queue.Full):
                    self._lines.put_nowait(line)
                for callback in list(self._listeners):
                    callback(line)
        # The end is always told, even to a full queue.
        with contextlib.suppress(queue.Empty):
            while self._lines.full():
                self._lines.get_nowait()
        self._lines.put(None)

    def wait_line(self, marker, timeout):
        """The first line holding ``marker``; ChildError if none comes."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                line = self._lines.get(timeout=max(left, 0.01))
            except queue.Empty:
                line = None
                left = 0
            if line is not None and marker in line:
                return line.strip()
            if line is None or left <= 0:
                raise ChildError('%s did not print %r (exit status %s); '
                                 'its log, %s, ends with:\n%s' % (
                                     self.name, marker, self.popen.poll(),
                                     self.log_path, self.tail()))

    def tail(self, count=20):
        try:
            with open(self.log_path) as f:
                return ''.join(f.readlines()[-count:])
        except OSError:
            return ''

    def running(self):
        return self.popen.poll() is None

    def stop(self, timeout=20):
        """SIGTERM to the group, then SIGKILL; wait until it is gone."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if self.popen.poll() is not None:
                break
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, sig)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                continue
        # What is left of the group (a grandchild that ignored SIGTERM).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self._reader.join(5)


class Children:
    """Every child started, stopped newest first on exit."""

    def __init__(self, console):
        self.console = console
        self._children = []

    def start(self, name, argv, log_path, env=None, cwd=None):
        child = Child(name, argv, log_path, env=env, cwd=cwd)
        self._children.append(child)
        self.console.say('started %s (pid %d, log %s)', name, child.pid,
                         log_path)
        return child

    def stop_all(self):
        while self._children:
            child = self._children.pop()
            child.stop()
            self.console.say('stopped %s (pid %d)', child.name, child.pid)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop_all()
