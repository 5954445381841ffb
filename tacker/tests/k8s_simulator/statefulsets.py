"""StatefulSet controller (OrderedReady): Pods <name>-<ordinal> created in
order once the previous ones are Ready, removed from the highest ordinal,
and rolled to a new template one Pod at a time from the highest."""
import copy

from tacker.tests.k8s_simulator import api_resources as ar
from tacker.tests.k8s_simulator import deployments
from tacker.tests.k8s_simulator import kubelet
from tacker.tests.k8s_simulator import replicasets

REVISION_LABEL = 'controller-revision-hash'


class StatefulSetController:

    def __init__(self, store, api):
        self.store = store
        self.api = api

    def sync(self):
        owned = replicasets.pods_by_owner(self.store)
        for sts in self.store.list(ar.STATEFULSETS)[0]:
            if not sts['metadata'].get('deletionTimestamp'):
                pods = {p['metadata']['name']: p for p in
                        owned.get(sts['metadata']['uid'], [])}
                self._sync_one(sts, pods)

    def _sync_one(self, sts, pods):
        name = sts['metadata']['name']
        revision = '%s-%s' % (name, deployments.template_hash(
            sts['spec']['template']))
        replicas = sts['spec'].get('replicas', 1)
        wanted = ['%s-%d' % (name, i) for i in range(replicas)]
        busy = False
        for pod_name in wanted:
            pod = pods.get(pod_name)
            if pod is None:
                self._create_pod(sts, pod_name, revision)
                busy = True
                break
            if pod['metadata'].get('deletionTimestamp') or \
                    not kubelet.is_ready(pod):
                busy = True
                break
        extra = sorted((p for n, p in pods.items() if n not in wanted),
                       key=lambda p: -int(p['metadata']['name'].rsplit(
                           '-', 1)[1]))
        if not busy and extra:
            if not extra[0]['metadata'].get('deletionTimestamp'):
                self._delete(extra[0])
            busy = True
        if not busy:
            for pod_name in reversed(wanted):
                pod = pods[pod_name]
                if pod['metadata']['labels'].get(REVISION_LABEL) != \
                        revision:
                    self._delete(pod)
                    break
        self._status(sts, pods, revision)

    def _create_pod(self, sts, pod_name, revision):
        template = copy.deepcopy(sts['spec']['template'])
        meta = template.get('metadata') or {}
        labels = meta.setdefault('labels', {})
        labels[REVISION_LABEL] = revision
        labels['statefulset.kubernetes.io/pod-name'] = pod_name
        meta['name'] = pod_name
        meta['ownerReferences'] = [
            replicasets.owner_reference(sts, 'apps/v1')]
        spec = template.get('spec') or {}
        spec.setdefault('hostname', pod_name)
        if sts['spec'].get('serviceName'):
            spec.setdefault('subdomain', sts['spec']['serviceName'])
        self.api.create(ar.PODS, sts['metadata']['namespace'],
                        {'apiVersion': 'v1', 'kind': 'Pod',
                         'metadata': meta, 'spec': spec})

    def _delete(self, pod):
        self.api.delete(ar.PODS, pod['metadata']['namespace'],
                        pod['metadata']['name'], {})

    def _status(self, sts, pods, revision):
        live = [p for p in pods.values()
                if not p['metadata'].get('deletionTimestamp')]
        ready = sum(1 for p in live if kubelet.is_ready(p))
        updated = sum(1 for p in live if p['metadata']['labels'].get(
            REVISION_LABEL) == revision)
        old = sts.get('status') or {}
        current_revision = old.get('currentRevision', revision)
        if updated == len(live) == sts['spec'].get('replicas', 1):
            current_revision = revision
        status = {'observedGeneration': sts['metadata'].get('generation', 1),
                  'replicas': len(live), 'readyReplicas': ready,
                  'availableReplicas': ready,
                  'currentReplicas': sum(
                      1 for p in live if p['metadata']['labels'].get(
                          REVISION_LABEL) == current_revision),
                  'updatedReplicas': updated,
                  'currentRevision': current_revision,
                  'updateRevision': revision, 'collisionCount': 0}
        status = {k: v for k, v in status.items()
                  if v or k in ('replicas', 'availableReplicas',
                                'collisionCount')}
        if status != old:
            current = self.store.find(ar.STATEFULSETS,
                                      sts['metadata']['namespace'],
                                      sts['metadata']['name'])
            if current is not None:
                current['status'] = status
                self.store.update(ar.STATEFULSETS, current)
