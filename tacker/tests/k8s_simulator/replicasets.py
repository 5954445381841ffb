"""ReplicaSet controller: keeps spec.replicas Pods and reports status."""
import copy

from tacker.tests.k8s_simulator import api_resources as ar
from tacker.tests.k8s_simulator import kubelet
from tacker.tests.k8s_simulator import selectors


def controller_uid(obj):
    for ref in obj['metadata'].get('ownerReferences') or []:
        if ref.get('controller'):
            return ref.get('uid')
    return None


def owner_reference(obj, api_version):
    return {'apiVersion': api_version, 'kind': obj['kind'],
            'name': obj['metadata']['name'], 'uid': obj['metadata']['uid'],
            'controller': True, 'blockOwnerDeletion': True}


def pods_by_owner(store):
    owned = {}
    for pod in store.list(ar.PODS)[0]:
        uid = controller_uid(pod)
        if uid:
            owned.setdefault(uid, []).append(pod)
    return owned


def active(pods):
    return [p for p in pods if not p['metadata'].get('deletionTimestamp')
            and p['status'].get('phase') not in ('Succeeded', 'Failed')]


class ReplicaSetController:

    def __init__(self, store, api):
        self.store = store
        self.api = api

    def sync(self):
        sets = [rs for rs in self.store.list(ar.REPLICASETS)[0]
                if not rs['metadata'].get('deletionTimestamp')]
        owned = pods_by_owner(self.store)
        # Every scale-down before any scale-up, so that a rollout never
        # has more Pods than its surge allows, even for a moment.
        for rs in sets:
            pods = active(owned.get(rs['metadata']['uid'], []))
            extra = len(pods) - rs['spec'].get('replicas', 1)
            if extra > 0:
                # Not ready Pods first, then the newest first.
                victims = sorted(
                    pods, key=lambda p: p['metadata']['creationTimestamp'],
                    reverse=True)
                victims.sort(key=kubelet.is_ready)
                for pod in victims[:extra]:
                    self.api.delete(ar.PODS, pod['metadata']['namespace'],
                                    pod['metadata']['name'], {})
        for rs in sets:
            pods = active(owned.get(rs['metadata']['uid'], []))
            for _ in range(rs['spec'].get('replicas', 1) - len(pods)):
                self._create_pod(rs)
        owned = pods_by_owner(self.store)
        for rs in sets:
            self._status(rs, active(owned.get(rs['metadata']['uid'], [])))

    def _create_pod(self, rs):
        template = copy.deepcopy(rs['spec']['template'])
        meta = template.get('metadata') or {}
        meta.pop('name', None)
        meta['generateName'] = rs['metadata']['name'] + '-'
        meta['ownerReferences'] = [owner_reference(rs, 'apps/v1')]
        body = {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': meta,
                'spec': template.get('spec') or {}}
        self.api.create(ar.PODS, rs['metadata']['namespace'], body)

    def _status(self, rs, pods):
        labels = rs['spec']['template'].get('metadata', {}).get('labels')
        ready = sum(1 for p in pods if kubelet.is_ready(p))
        status = {'replicas': len(pods),
                  'fullyLabeledReplicas': sum(
                      1 for p in pods if selectors.selector_matches(
                          {'matchLabels': labels or {}},
                          p['metadata'].get('labels'))),
                  'readyReplicas': ready, 'availableReplicas': ready,
                  'observedGeneration': rs['metadata'].get('generation', 1)}
        status = {k: v for k, v in status.items()
                  if v or k == 'replicas'}
        if rs.get('status') != status:
            current = self.store.find(ar.REPLICASETS,
                                      rs['metadata']['namespace'],
                                      rs['metadata']['name'])
            if current is not None:
                current['status'] = status
                self.store.update(ar.REPLICASETS, current)
