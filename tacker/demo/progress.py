"""Waiting for an LCM operation, and saying what it is doing meanwhile.

The steps come from the server's log as the conductor starts them (see
steps.py) and are printed at once; the state comes from ``openstack
vnflcm op show``, polled with a short backoff, and is printed when it
changes and every half minute while it does not, with the step running
and the time elapsed.
"""
import time

from tacker.demo import steps as steps_mod

SETTLED = ('COMPLETED', 'FAILED_TEMP', 'FAILED', 'ROLLED_BACK')
STILL_EVERY = 30.0
FIRST_PAUSE = 0.2
MAX_PAUSE = 2.0


class OpTimeout(RuntimeError):
    pass


def describe_step(kind, step, vnfcs):
    text = '%s %s' % (kind, step)
    about = steps_mod.subject(step, vnfcs)
    return text + (' on %s' % about if about else '')


def describe(state, steps, vnfcs, now):
    """The state line of an operation in ``state`` after ``steps``."""
    if not steps or state in SETTLED:
        return state
    kind, step, began = steps[-1]
    done = len([s for s in steps if s[0] == kind]) - 1
    return '%s, %s for %.0f s (%d done before it)' % (
        state, describe_step(kind, step, vnfcs), now - began, done)


def wait(cli, console, watcher, op_id, timeout, vnfcs=(), settled=SETTLED,
         sleep=time.sleep):
    """Poll the op occ until it settles; return (op, seconds taken)."""
    began = time.monotonic()
    short = op_id[:8]

    def step_started(kind, step):
        console.say('  %s %s %s [%.0f s]', short,
                    'undoing' if kind == 'undo' else 'running',
                    describe_step('', step, vnfcs).strip(),
                    time.monotonic() - began)

    # Steps started before we followed (a fast VIM) are told here.
    for kind, step, _at in watcher.follow(op_id, step_started):
        step_started(kind, step)
    try:
        return _poll(cli, console, watcher, op_id, timeout, vnfcs,
                     settled, began, sleep)
    finally:
        watcher.unfollow(op_id)


def _poll(cli, console, watcher, op_id, timeout, vnfcs, settled, began,
          sleep):
    pause = FIRST_PAUSE
    last_state = None
    last_print = 0.0
    while True:
        op = cli('vnflcm op show', op_id, v2=True, quiet=True)
        state = op.get('Operation State')
        now = time.monotonic()
        if state != last_state or now - last_print >= STILL_EVERY:
            console.say('  %s %s: %s [%.0f s]', op.get('Operation'),
                        op_id[:8], describe(state, watcher.steps(op_id),
                                            vnfcs, now), now - began)
            last_state, last_print = state, now
        if state in settled:
            return op, now - began
        if now - began > timeout:
            raise OpTimeout('operation %s still %s after %.0f s' % (
                op_id, state, timeout))
        sleep(pause)
        pause = min(pause * 1.5, MAX_PAUSE)
