"""Pod lifecycle as a node would drive it: scheduled and Pending, then
Running and Ready after a delay, terminating before disappearing.

Images decide how a Pod behaves: by default an image whose name contains
``never-ready`` runs but never passes its readiness check, and one whose
name contains ``crash`` crash-loops. Rules can be added at run time.
"""
import time

from tacker.tests.k8s_simulator import api_resources as ar
from tacker.tests.k8s_simulator import store as store_mod

READY = 'ready'
NEVER_READY = 'never-ready'
CRASH = 'crash'
NODE_NAME = 'sim-node-1'
HOST_IP = '192.0.2.10'


def is_ready(pod):
    for cond in (pod.get('status') or {}).get('conditions') or []:
        if cond.get('type') == 'Ready':
            return cond.get('status') == 'True'
    return False


def _condition(kind, status, stamp):
    return {'type': kind, 'status': status, 'lastProbeTime': None,
            'lastTransitionTime': stamp}


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
        ip = '10.244.%d.%d' % (self._next_ip // 250, self._next_ip % 250 + 1)
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
            if pod['metadata'].get('deletionTimestamp'):
                self._terminate(pod, uid, now)
            elif not pod['spec'].get('nodeName'):
                self._schedule(pod)
                self._start_at[uid] = now + self.ready_delay
            elif uid not in self._start_at and \
                    pod['status'].get('phase') == 'Pending':
                self._start_at[uid] = now + self.ready_delay
            elif self._start_at.get(uid, now + 1) <= now and \
                    pod['status'].get('phase') == 'Pending':
                self._start(pod)
        for table in (self._start_at, self._remove_at):
            for uid in list(table):
                if uid not in live:
                    del table[uid]
        pending = [t for uid, t in self._start_at.items()]
        pending += list(self._remove_at.values())
        return min([t - now for t in pending if t > now] or [3600])

    def _schedule(self, pod):
        stamp = store_mod.now_rfc3339()
        pod['spec']['nodeName'] = NODE_NAME
        status = pod.setdefault('status', {})
        status.update(
            phase='Pending', hostIP=HOST_IP, hostIPs=[{'ip': HOST_IP}],
            startTime=stamp,
            conditions=[_condition('PodScheduled', 'True', stamp)])
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
        flag = 'True' if ready else 'False'
        status = pod['status']
        ip = self._pod_ip()
        status.update(phase='Running', podIP=ip, podIPs=[{'ip': ip}])
        status['conditions'] = [
            _condition('Initialized', 'True', stamp),
            _condition('Ready', flag, stamp),
            _condition('ContainersReady', flag, stamp),
            _condition('PodScheduled', 'True', stamp)]
        if not ready:
            for cond in status['conditions'][1:3]:
                cond['reason'] = 'ContainersNotReady'
                cond['message'] = 'containers with unready status: [%s]' % \
                    ' '.join(c['name'] for c in pod['spec']['containers'])
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
        self.store.update(ar.PODS, pod)

    def _terminate(self, pod, uid, now):
        meta = pod['metadata']
        if uid not in self._remove_at:
            grace = meta.get('deletionGracePeriodSeconds', 30)
            delay = 0 if grace == 0 else min(grace, self.terminate_delay)
            self._remove_at[uid] = now + delay
            if is_ready(pod):
                for cond in pod['status']['conditions']:
                    if cond['type'] in ('Ready', 'ContainersReady'):
                        cond['status'] = 'False'
                for entry in pod['status'].get('containerStatuses') or []:
                    entry['ready'] = False
                self.store.update(ar.PODS, pod)
        if self._remove_at[uid] <= now and not meta.get('finalizers'):
            self.store.delete(ar.PODS, meta['namespace'], meta['name'])
