"""Objects, the global resourceVersion counter and the watch event log."""
import collections
import copy
import datetime
import threading
import uuid

from tacker.tests.k8s_simulator import errors

Event = collections.namedtuple('Event', 'rv type res obj old')


def now_rfc3339():
    return datetime.datetime.now(datetime.timezone.utc).strftime(
        '%Y-%m-%dT%H:%M:%SZ')


class Store:
    """Every object of the simulated cluster.

    One lock guards everything; ``cond`` is notified on each change so
    that watchers and the controllers wake up. Objects handed out are
    copies: callers change them and write them back with ``update``.
    """

    def __init__(self, history=1000):
        self.lock = threading.RLock()
        self.cond = threading.Condition(self.lock)
        self.rv = 0
        self.closed = False
        self._objects = {}
        self._events = collections.deque(maxlen=history)
        # Events older than this resourceVersion are no longer known.
        self._oldest = 1
        self.generation = 0

    # -- reading ---------------------------------------------------------

    def get(self, res, namespace, name):
        with self.lock:
            obj = self._objects.get((res.name, namespace or '', name))
            if obj is None:
                raise errors.not_found(res, name)
            return copy.deepcopy(obj)

    def find(self, res, namespace, name):
        with self.lock:
            obj = self._objects.get((res.name, namespace or '', name))
            return copy.deepcopy(obj) if obj is not None else None

    def list(self, res, namespace=None, predicate=None):
        """Objects of one type (in one namespace), and the current rv."""
        with self.lock:
            items = [copy.deepcopy(obj) for (rname, ns, _), obj
                     in sorted(self._objects.items())
                     if rname == res.name
                     and (namespace is None or ns == namespace)
                     and (predicate is None or predicate(obj))]
            return items, self.rv

    def exists_uid(self, uid):
        with self.lock:
            return any(o['metadata']['uid'] == uid
                       for o in self._objects.values())

    # -- writing ---------------------------------------------------------

    def create(self, res, obj):
        with self.lock:
            meta = obj['metadata']
            key = (res.name, meta.get('namespace', ''), meta['name'])
            if key in self._objects:
                raise errors.already_exists(res, meta['name'])
            meta['uid'] = str(uuid.uuid4())
            meta['creationTimestamp'] = now_rfc3339()
            meta.pop('deletionTimestamp', None)
            return self._write(res, key, obj, 'ADDED', None)

    def update(self, res, obj):
        """Store a changed object; a write changing nothing is a no-op."""
        with self.lock:
            meta = obj['metadata']
            key = (res.name, meta.get('namespace', ''), meta['name'])
            old = self._objects.get(key)
            if old is None:
                raise errors.not_found(res, meta['name'])
            meta['uid'] = old['metadata']['uid']
            meta['creationTimestamp'] = old['metadata']['creationTimestamp']
            meta['resourceVersion'] = old['metadata']['resourceVersion']
            if obj == old:
                return copy.deepcopy(old)
            return self._write(res, key, obj, 'MODIFIED', old)

    def delete(self, res, namespace, name):
        with self.lock:
            key = (res.name, namespace or '', name)
            old = self._objects.pop(key, None)
            if old is None:
                raise errors.not_found(res, name)
            obj = copy.deepcopy(old)
            return self._record(res, obj, 'DELETED', old)

    def _write(self, res, key, obj, kind, old):
        obj = copy.deepcopy(obj)
        self._objects[key] = obj
        return self._record(res, obj, kind, old)

    def _record(self, res, obj, kind, old):
        self.rv += 1
        obj['metadata']['resourceVersion'] = str(self.rv)
        if len(self._events) == self._events.maxlen:
            self._oldest = self._events[0].rv + 1
        self._events.append(Event(self.rv, kind, res, copy.deepcopy(obj),
                                  old))
        self.generation += 1
        self.cond.notify_all()
        return copy.deepcopy(obj)

    # -- watching --------------------------------------------------------

    def events_after(self, rv):
        """Events later than ``rv``; Expired if some were forgotten."""
        with self.lock:
            if rv < self._oldest - 1:
                raise errors.expired(
                    'too old resource version: %d (%d)'
                    % (rv, self._oldest - 1))
            return [e for e in self._events if e.rv > rv]

    def compact(self):
        """Forget every event so far, as an etcd compaction does."""
        with self.lock:
            self._events.clear()
            self._oldest = self.rv + 1

    def close(self):
        with self.lock:
            self.closed = True
            self.cond.notify_all()
