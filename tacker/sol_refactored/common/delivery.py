"""Background delivery of notifications, with retries.

A fixed number of worker threads (``[notification] workers``) take
deliveries from one queue ordered by the time they are due. A failed
attempt (connection error, timeout, any status but 204) goes back into
the queue, due after ``retry_interval`` doubled for each earlier failure,
so a waiting retry holds no thread. After ``max_attempts`` the
notification is logged and dropped: an LCM operation never waits for, or
fails because of, a subscriber.
"""
import heapq
import itertools
import threading
import time

from oslo_log import log as logging

from tacker.sol_refactored.common import callback_client
from tacker.sol_refactored.common import config

LOG = logging.getLogger(__name__)
CONF = config.CONF


class Delivery:
    """One notification body for one subscription."""

    def __init__(self, subscription_id, callback_uri, authentication, body):
        self.subscription_id = subscription_id
        self.callback_uri = callback_uri
        self.authentication = authentication
        self.body = body
        self.attempts = 0

    def describe(self):
        return '%s %s for subscription %s to %s' % (
            self.body.get('notificationType'), self.body.get('id'),
            self.subscription_id,
            callback_client.shown_uri(self.callback_uri))


class Dispatcher:
    def __init__(self, workers):
        self._cond = threading.Condition()
        self._queue = []
        self._seq = itertools.count()
        self._in_flight = 0
        self._stopping = False
        self._threads = []
        for index in range(workers):
            thread = threading.Thread(
                target=self._work, name='notification-%d' % index,
                daemon=True)
            thread.start()
            self._threads.append(thread)

    def submit(self, delivery, delay=0.0):
        with self._cond:
            if self._stopping:
                LOG.warning('Dropping %s: delivery is shutting down',
                            delivery.describe())
                return
            heapq.heappush(self._queue, (time.monotonic() + delay,
                                         next(self._seq), delivery))
            self._cond.notify_all()

    def _next(self):
        with self._cond:
            while not self._stopping:
                now = time.monotonic()
                if self._queue and self._queue[0][0] <= now:
                    self._in_flight += 1
                    return heapq.heappop(self._queue)[2]
                wait = self._queue[0][0] - now if self._queue else None
                self._cond.wait(wait)
            return None

    def _work(self):
        while True:
            delivery = self._next()
            if delivery is None:
                return
            try:
                self._attempt(delivery)
            except Exception:
                # A bug here must not kill the worker thread.
                LOG.exception('Delivery of %s failed unexpectedly',
                              delivery.describe())
            finally:
                with self._cond:
                    self._in_flight -= 1
                    self._cond.notify_all()

    def _attempt(self, delivery):
        delivery.attempts += 1
        try:
            status = callback_client.call(
                'POST', delivery.callback_uri, delivery.authentication,
                delivery.body)
            if status == 204:
                LOG.debug('Delivered %s', delivery.describe())
                return
            problem = 'the receiver answered %s instead of 204' % status
        except callback_client.CallbackError as e:
            problem = str(e)
        max_attempts = CONF.notification.max_attempts
        if delivery.attempts >= max_attempts:
            LOG.error('Giving up %s after %d attempts: %s',
                      delivery.describe(), delivery.attempts, problem)
            return
        delay = CONF.notification.retry_interval * 2 ** (
            delivery.attempts - 1)
        LOG.warning('Attempt %d of %d of %s failed (%s); retrying in '
                    '%.3g s', delivery.attempts, max_attempts,
                    delivery.describe(), problem, delay)
        self.submit(delivery, delay)

    def pending(self):
        with self._cond:
            return len(self._queue) + self._in_flight

    def wait_idle(self, timeout):
        """Wait until nothing is queued or in flight; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._queue or self._in_flight:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def stop(self, timeout=None):
        with self._cond:
            self._stopping = True
            dropped = len(self._queue)
            self._queue = []
            self._cond.notify_all()
        if dropped:
            LOG.warning('%d notification(s) not delivered at shutdown',
                        dropped)
        for thread in self._threads:
            thread.join(timeout)


_LOCK = threading.Lock()
_DISPATCHER = None


def dispatcher():
    global _DISPATCHER
    with _LOCK:
        if _DISPATCHER is None:
            _DISPATCHER = Dispatcher(CONF.notification.workers)
        return _DISPATCHER


def submit(delivery):
    dispatcher().submit(delivery)


def wait_idle(timeout):
    with _LOCK:
        current = _DISPATCHER
    return True if current is None else current.wait_idle(timeout)


def reset(timeout=None):
    """Stop the workers (service shutdown, tests); the next use restarts."""
    global _DISPATCHER
    with _LOCK:
        current, _DISPATCHER = _DISPATCHER, None
    if current is not None:
        current.stop(timeout)
