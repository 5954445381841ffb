"""A call that may not take longer than a bound, whatever it waits on.

Used where an answer must come in time even from a VIM that hangs (the
API's ``fail``, which re-reads the VNF): the call runs in a thread of its
own and is waited for up to the bound. Past it the thread is abandoned
(it is a daemon, and each VIM call in it has its own time limits, so it
ends by itself) and the caller goes on without its result.
"""
import threading


def run(fn, timeout, name='bounded-call'):
    """(True, fn()) or (False, why): a timeout or fn's exception."""
    outcome = {}

    def call():
        try:
            outcome['result'] = fn()
        except Exception as e:  # noqa: reported to the caller
            outcome['error'] = e

    worker = threading.Thread(target=call, name=name, daemon=True)
    worker.start()
    worker.join(timeout)
    if 'result' in outcome:
        return True, outcome['result']
    if worker.is_alive():
        return False, 'the VIM did not answer within %ss' % timeout
    error = outcome.get('error')
    return False, getattr(error, 'detail', None) or '%s: %s' % (
        type(error).__name__, error)
