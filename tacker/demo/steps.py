"""Which step of an LCM operation the conductor is running.

SOL003's VnfLcmOpOcc has no field for it, and the op occ's step record is
kept in the database only; the conductor logs every step it starts
("CHANGE_VNFPKG <op id>: step apply_new", "...: undo apply_new"), so the
demo, which started the server, follows that log.
"""
import re
import threading
import time

STEP_LINE = re.compile(
    r'\b(?P<operation>[A-Z_]+) (?P<op_id>[0-9a-f]{8}-[0-9a-f-]{27}): '
    r'(?P<kind>step|undo) (?P<step>\S+)')


def parse(line):
    """(op id, 'step' or 'undo', step name) of a conductor line, or None."""
    found = STEP_LINE.search(line)
    if not found:
        return None
    return found.group('op_id'), found.group('kind'), found.group('step')


class StepWatcher:
    """Listens to the server's lines; remembers the steps per op occ."""

    def __init__(self):
        self._lock = threading.Lock()
        self._steps = {}
        self._followers = {}

    def feed(self, line):
        parsed = parse(line)
        if parsed is None:
            return
        op_id, kind, step = parsed
        with self._lock:
            self._steps.setdefault(op_id, []).append(
                (kind, step, time.monotonic()))
            follower = self._followers.get(op_id)
        if follower is not None:
            follower(kind, step)

    def follow(self, op_id, callback):
        """Call ``callback(kind, step)`` as each step of op_id starts.

        Returns the steps already started, which the callback will not
        be told of.
        """
        with self._lock:
            self._followers[op_id] = callback
            return list(self._steps.get(op_id, []))

    def unfollow(self, op_id):
        with self._lock:
            self._followers.pop(op_id, None)

    def steps(self, op_id):
        """[(kind, step name, monotonic time started)], oldest first."""
        with self._lock:
            return list(self._steps.get(op_id, []))


def subject(step, vnfcs):
    """The VNFC (or VDU) a step's name is about, for the progress line.

    ``vnfcs`` are the instance's VNFCs ({'id', 'vdu', 'resource'}); a step
    such as ``update_VDU1`` names a VDU, a per-VNFC one names the VNFC's
    id or its resource id. None when the step names none of them.
    """
    for vnfc in vnfcs:
        for key in ('id', 'resource'):
            if _names(step, vnfc.get(key)):
                return 'VNFC %s (%s, %s)' % (vnfc['id'], vnfc['vdu'],
                                             vnfc['resource'])
    vdus = {}
    for vnfc in vnfcs:
        vdus.setdefault(vnfc['vdu'], []).append(vnfc['resource'])
    for vdu in vdus:
        if _names(step, vdu):
            return '%s: %s' % (vdu, ', '.join(sorted(vdus[vdu])))
    return None


def _names(step, word):
    """Whether ``word`` is one of the '_'-separated parts of the name."""
    return bool(word) and re.search(
        r'(^|_)%s($|_)' % re.escape(word), step) is not None
