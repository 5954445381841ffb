"""What the demo prints: timestamped lines, sections and the commands."""
import shlex
import sys
import threading
import time


class Console:
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.began = time.monotonic()
        self._lock = threading.Lock()

    def elapsed(self):
        return time.monotonic() - self.began

    def say(self, message, *args):
        text = message % args if args else message
        with self._lock:
            for line in text.splitlines() or ['']:
                self.stream.write('[%7.1fs] %s\n' % (self.elapsed(), line))
            self.stream.flush()

    def section(self, title):
        with self._lock:
            self.stream.write('\n== %s ==\n' % title)
            self.stream.flush()

    def command(self, argv):
        self.say('$ %s', ' '.join(shlex.quote(a) for a in argv))

    def raw(self, text):
        with self._lock:
            self.stream.write(text)
            if not text.endswith('\n'):
                self.stream.write('\n')
            self.stream.flush()
