"""Pod lifecycle as a node would drive it: once the scheduler has bound a
Pod to the node, Pending, then Running and Ready after a delay,
terminating before disappearing.

The node's address (hostIP) is 10.0.0.10; Pod IPs come from the Pod
network 10.244.0.0/16, one address per Pod, never a loopback address.

Images decide how a Pod behaves: by default an image whose name contains
``never-ready`` runs but never passes its readiness check, and one whose
name contains ``crash`` crash-loops. Rules can be added at run time.

The kubelet owns the Pod conditions Initialized, Ready, ContainersReady
and PodScheduled; conditions of any other type (written by someone else
through the ``status`` subresource) are kept as they are. A Pod that
lists ``spec.readinessGates`` is Ready only when its containers are ready
and each gate's condition has status "True"; Ready is evaluated again on
every change, so a gate written later takes effect at once.
"""
import json
import time

from tacker.tests.k8s_simulator import api_resources as ar
from tacker.tests.k8s_simulator import store as store_mod

READY = 'ready'
NEVER_READY = 'never-ready'
CRASH = 'crash'
NODE_NAME = 'sim-node-1'
HOST_IP = '10.0.0.10'
POD_NETWORK = '10.244.%d.%d'
# The condition types this kubelet writes, in the order it lists them.
OWN_CONDITIONS = ('Initialized', 'Ready', 'ContainersReady', 'PodScheduled')


def is_ready(pod):
    for cond in (pod.get('status') or {}).get('conditions') or []:
        if cond.get('type') == 'Ready':
            return cond.get('status') == 'True'
    return False


def find_condition(pod, kind):
    for cond in (pod.get('status') or {}).get('conditions') or []:
        if cond.get('type') == kind:
            return cond
    return None


def readiness_gate_problems(pod):
    """What holds a Pod's readiness gates back, one text per gate."""
    problems = []
    for gate in pod['spec'].get('readinessGates') or []:
        kind = gate.get('conditionType')
        cond = find_condition(pod, kind)
        if cond is None:
            problems.append('corresponding condition of pod readiness gate '
                            '%s does not exist.' % json.dumps(kind))
        elif cond.get('status') != 'True':
            problems.append('the status of pod readiness gate %s is not '
                            '"True", but %s' % (json.dumps(kind),
                                                cond.get('status')))
    return problems


def set_conditions(pod, wanted, stamp):
    """Write the kubelet's own conditions, keeping everybody else's.

    ``wanted`` maps a condition type to (status, reason, message); a
    condition whose status stays the same keeps its lastTransitionTime.
    """
    status = pod.setdefault('status', {})
    old = {c.get('type'): c for c in status.get('conditions') or []}
    others = [c for c in status.get('conditions') or []
              if c.get('type') not in OWN_CONDITIONS]
    own = []
    for kind in OWN_CONDITIONS:
        if kind not in wanted:
            if kind in old:
                own.append(old[kind])
            continue
        value, reason, message = wanted[kind]
        before = old.get(kind) or {}
        cond = {'type': kind, 'status': value, 'lastProbeTime': None,
                'lastTransitionTime': before.get('lastTransitionTime')
                if before.get('status') == value else stamp}
        if reason:
            cond['reason'] = reason
        if message:
            cond['message'] = message
        own.append(cond)
    status['conditions'] = others + own


def readiness(pod):
    """ContainersReady and Ready of a started Pod, for set_conditions.

    They follow its container statuses and its readiness gates.
    """
    statuses = pod['status'].get('containerStatuses') or []
    if not statuses or not all(s.get('ready') for s in statuses):
        unready = [s['name'] for s in statuses if not s.get('ready')] or [
            c['name'] for c in pod['spec'].get('containers') or []]
        why = ('False', 'ContainersNotReady',
               'containers with unready status: [%s]' % ' '.join(unready))
        return {'ContainersReady': why, 'Ready': why}
    problems = readiness_gate_problems(pod)
    if problems:
        return {'ContainersReady': ('True', None, None),
                'Ready': ('False', 'ReadinessGatesNotReady',
                          ', '.join(problems))}
    return {'ContainersReady': ('True', None, None),
            'Ready': ('True', None, None)}


class Kubelet:

    def __init__(self, store, api, ready_delay, terminate_delay):
        self.store = store
        self.api = api
        self.ready_delay = ready_delay
        self.terminate_delay = terminate_delay
        # (image substring, behaviour); the first match wins.
        self.rules = [('never-ready', NEVER_READY), ('crash', CRASH)]
        self._start_at = {}
        self._remove_at = {}
        self._next_ip = 2

    def behaviour(self, pod):
        worst = READY
        for container in pod['spec'].get('containers') or []:
            image = container.get('image') or ''
            for pattern, behaviour in self.rules:
                if pattern in image:
                    if behaviour != READY:
                        worst = behaviour
                    break
        return worst

    def _pod_ip(self):
        """The next address of the Pod network (.1 to .250 of each /24)."""
        ip = POD_NETWORK % (self._next_ip // 250 % 256,
                            self._next_ip % 250 + 1)
        self._next_ip += 1
        return ip

    def sync(self):
        """Drive every Pod one step; returns seconds until next due."""
        now = time.monotonic()
        pods, _ = self.store.list(ar.PODS)
        live = set()
        for pod in pods:
            uid = pod['metadata']['uid']
            live.add(uid)
            phase = pod['status'].get('phase')
            if pod['metadata'].get('deletionTimestamp'):
                self._terminate(pod, uid, now)
            elif not pod['spec'].get('nodeName'):
                continue  # not bound to the node (yet): the scheduler's
            elif not pod['status'].get('startTime'):
                self._admit(pod)
                self._start_at[uid] = now + self.ready_delay
            elif uid not in self._start_at and phase == 'Pending':
                self._start_at[uid] = now + self.ready_delay
            elif self._start_at.get(uid, now + 1) <= now and \
                    phase == 'Pending':
                self._start(pod)
            elif phase == 'Running':
                self._refresh_readiness(pod)
        for table in (self._start_at, self._remove_at):
            for uid in list(table):
                if uid not in live:
                    del table[uid]
        pending = [t for uid, t in self._start_at.items()]
        pending += list(self._remove_at.values())
        return min([t - now for t in pending if t > now] or [3600])

    def _admit(self, pod):
        """A Pod bound to the node: Pending while its containers are made."""
        stamp = store_mod.now_rfc3339()
        status = pod.setdefault('status', {})
        status.update(phase='Pending', hostIP=HOST_IP,
                      hostIPs=[{'ip': HOST_IP}], startTime=stamp)
        set_conditions(pod, {'PodScheduled': ('True', None, None)}, stamp)
        status['containerStatuses'] = [
            {'name': c['name'], 'image': c.get('image', ''), 'imageID': '',
             'ready': False, 'started': False, 'restartCount': 0,
             'state': {'waiting': {'reason': 'ContainerCreating'}}}
            for c in pod['spec'].get('containers') or []]
        self.store.update(ar.PODS, pod)

    def _start(self, pod):
        stamp = store_mod.now_rfc3339()
        behaviour = self.behaviour(pod)
        ready = behaviour == READY
        status = pod['status']
        ip = self._pod_ip()
        status.update(phase='Running', podIP=ip, podIPs=[{'ip': ip}])
        statuses = []
        for container in pod['spec'].get('containers') or []:
            image = container.get('image', '')
            entry = {'name': container['name'], 'image': image,
                     'imageID': 'docker.io/library/%s@sha256:%s'
                     % (image, '0' * 64),
                     'containerID': 'containerd://%s' % ('f' * 64),
                     'ready': ready, 'started': True, 'restartCount': 0,
                     'state': {'running': {'startedAt': stamp}}}
            if behaviour == CRASH:
                entry.update(
                    started=False, restartCount=1,
                    state={'waiting': {
                        'reason': 'CrashLoopBackOff',
                        'message': 'back-off restarting failed container'}},
                    lastState={'terminated': {
                        'exitCode': 1, 'reason': 'Error',
                        'startedAt': stamp, 'finishedAt': stamp}})
            statuses.append(entry)
        status['containerStatuses'] = statuses
        wanted = readiness(pod)
        wanted.update(Initialized=('True', None, None),
                      PodScheduled=('True', None, None))
        set_conditions(pod, wanted, stamp)
        self.store.update(ar.PODS, pod)

    def _refresh_readiness(self, pod):
        """Evaluate Ready again: a readiness gate may have changed."""
        set_conditions(pod, readiness(pod), store_mod.now_rfc3339())
        self.store.update(ar.PODS, pod)  # a no-op when nothing changed

    def _terminate(self, pod, uid, now):
        meta = pod['metadata']
        if uid not in self._remove_at:
            grace = meta.get('deletionGracePeriodSeconds', 30)
            delay = 0 if grace == 0 else min(grace, self.terminate_delay)
            self._remove_at[uid] = now + delay
            statuses = pod['status'].get('containerStatuses') or []
            if any(entry.get('ready') for entry in statuses):
                for entry in statuses:
                    entry['ready'] = False
                set_conditions(pod, readiness(pod),
                               store_mod.now_rfc3339())
                self.store.update(ar.PODS, pod)
        if self._remove_at[uid] <= now and not meta.get('finalizers'):
            self.store.delete(ar.PODS, meta['namespace'], meta['name'])
