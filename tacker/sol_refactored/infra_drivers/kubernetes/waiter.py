"""Waiting on the Kubernetes API with its watch, never a fixed poll.

``watch_until`` lists a collection once, then follows its watch events,
re-evaluating a predicate on the objects as they now are; the watch is
restarted from a fresh list when the server closes it or answers 410.
"""
import json
import time

from oslo_log import log as logging

from tacker.sol_refactored.infra_drivers.kubernetes import vim as k8s_vim

LOG = logging.getLogger(__name__)


class WaitTimeout(k8s_vim.VimError):
    status = 504
    title = 'Gateway Timeout'


def watch_until(vim, path, selector_query, predicate, timeout, what):
    """Objects of path (a collection) until predicate(objects) is truthy.

    ``selector_query`` narrows the collection (labelSelector or
    fieldSelector); ``predicate`` gets {name: object} and returns a
    result (done) or None (wait on). Raises WaitTimeout at the deadline,
    or what predicate raises (a failure seen early).
    """
    deadline = time.monotonic() + timeout
    while True:
        listing = vim.call('list for %s' % what, 'GET', path,
                           query=selector_query)
        objects = {o['metadata']['name']: o
                   for o in listing.get('items') or []}
        result = predicate(objects)
        if result is not None:
            return result
        version = listing['metadata'].get('resourceVersion')
        result = _follow(vim, path, selector_query, version, objects,
                         predicate, deadline, what)
        if result is not None:
            return result
        if time.monotonic() >= deadline:
            raise WaitTimeout('%s did not happen within %s seconds.' % (
                what, int(timeout)))


def _follow(vim, path, selector_query, version, objects, predicate,
            deadline, what):
    left = deadline - time.monotonic()
    if left <= 0:
        return None
    query = dict(selector_query, watch='true', resourceVersion=version,
                 timeoutSeconds=max(1, int(left)),
                 allowWatchBookmarks='false')
    resp = vim.stream(path, query, timeout=left + 5)
    try:
        for raw in _lines(resp):
            event = json.loads(raw)
            kind, obj = event.get('type'), event.get('object') or {}
            if kind == 'ERROR':
                # 410 Gone and friends: list again from now.
                LOG.debug('watch of %s ended: %s', what, obj.get('message'))
                return None
            name = obj.get('metadata', {}).get('name')
            if kind == 'DELETED':
                objects.pop(name, None)
            elif kind in ('ADDED', 'MODIFIED'):
                objects[name] = obj
            result = predicate(objects)
            if result is not None:
                return result
    finally:
        resp.release_conn()
    return None


def _lines(resp):
    pending = b''
    for chunk in resp.stream(amt=None, decode_content=False):
        pending += chunk
        while b'\n' in pending:
            line, pending = pending.split(b'\n', 1)
            if line.strip():
                yield line
    if pending.strip():
        yield pending


def label_selector(match_labels):
    return ','.join('%s=%s' % (k, v) for k, v in sorted(
        (match_labels or {}).items()))


# -- predicates ----------------------------------------------------------

class RolloutFailed(k8s_vim.VimError):
    status = 502


def deployment_rolled_out(name):
    """Done when every replica runs the current template and is Ready."""
    def check(objects):
        dep = objects.get(name)
        if dep is None:
            return None
        spec, status = dep.get('spec') or {}, dep.get('status') or {}
        for cond in status.get('conditions') or []:
            if (cond.get('type') == 'Progressing' and
                    cond.get('status') == 'False' and
                    cond.get('reason') == 'ProgressDeadlineExceeded'):
                raise RolloutFailed('Deployment %s stopped progressing: %s'
                                    % (name, cond.get('message')))
        want = spec.get('replicas', 1)
        if (status.get('observedGeneration', 0) >=
                dep['metadata'].get('generation', 0) and
                status.get('updatedReplicas', 0) == want and
                status.get('replicas', 0) == want and
                status.get('readyReplicas', 0) == want and
                status.get('availableReplicas', 0) == want):
            return dep
        return None
    return check


def workload_ready(kind, name):
    if kind == 'Deployment':
        return deployment_rolled_out(name)

    def check(objects):
        obj = objects.get(name)
        if obj is None:
            return None
        spec, status = obj.get('spec') or {}, obj.get('status') or {}
        if kind == 'DaemonSet':
            want = status.get('desiredNumberScheduled')
            done = (want is not None and
                    status.get('numberReady') == want and
                    status.get('updatedNumberScheduled') == want)
        else:
            want = spec.get('replicas', 1)
            done = (status.get('readyReplicas', 0) == want and
                    status.get('updatedReplicas', 0) == want and
                    status.get('currentRevision') ==
                    status.get('updateRevision'))
        return obj if done else None
    return check


def gone(name):
    return lambda objects: True if name not in objects else None


def none_of(uids):
    """Done when no object listed has one of uids."""
    def check(objects):
        for obj in objects.values():
            if obj['metadata'].get('uid') in uids:
                return None
        return True
    return check
