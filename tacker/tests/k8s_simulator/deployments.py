"""Deployment controller: one ReplicaSet per Pod template, RollingUpdate
(maxSurge/maxUnavailable) and Recreate rollouts, and Deployment status."""
import copy
import json
import math
import time

from tacker.tests.k8s_simulator import api_resources as ar
from tacker.tests.k8s_simulator import replicasets
from tacker.tests.k8s_simulator import store as store_mod

HASH_LABEL = 'pod-template-hash'
REVISION = 'deployment.kubernetes.io/revision'
_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'


def template_hash(template):
    """A short, name-safe hash of a Pod template (FNV-1a, 32 bits)."""
    value = 0x811c9dc5
    for byte in json.dumps(template, sort_keys=True).encode():
        value = ((value ^ byte) * 0x01000193) & 0xffffffff
    return ''.join(_ALPHABET[ord(d) % len(_ALPHABET)] for d in str(value))


def _without_hash(template):
    template = copy.deepcopy(template)
    labels = (template.get('metadata') or {}).get('labels') or {}
    labels.pop(HASH_LABEL, None)
    return template


def resolve(value, total, round_up):
    """An IntOrString (3 or "25%") against a total."""
    if isinstance(value, str) and value.endswith('%'):
        scaled = int(value[:-1]) * total / 100.0
        return int(math.ceil(scaled) if round_up else math.floor(scaled))
    return int(value or 0)


def surge_and_unavailable(deployment):
    spec = deployment['spec']
    desired = spec.get('replicas', 1)
    if spec['strategy']['type'] != 'RollingUpdate':
        return 0, 0
    rolling = spec['strategy'].get('rollingUpdate') or {}
    surge = resolve(rolling.get('maxSurge', '25%'), desired, True)
    unavailable = resolve(rolling.get('maxUnavailable', '25%'), desired,
                          False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, min(unavailable, desired)


def _replicas(rs):
    return rs['spec'].get('replicas', 0)


def _status(rs, field):
    return (rs.get('status') or {}).get(field, 0)


def _revision(rs):
    return int(rs['metadata'].get('annotations', {}).get(REVISION, 0))


class DeploymentController:

    def __init__(self, store, api):
        self.store = store
        self.api = api
        self._progress_at = {}

    def sync(self):
        deployments = self.store.list(ar.DEPLOYMENTS)[0]
        for deployment in deployments:
            if not deployment['metadata'].get('deletionTimestamp'):
                self._sync_one(deployment)
        live = {d['metadata']['uid'] for d in deployments}
        for uid in list(self._progress_at):
            if uid not in live:
                del self._progress_at[uid]

    # -- one Deployment --------------------------------------------------

    def _owned(self, deployment):
        uid = deployment['metadata']['uid']
        return [rs for rs in self.store.list(
            ar.REPLICASETS, deployment['metadata']['namespace'])[0]
            if replicasets.controller_uid(rs) == uid
            and not rs['metadata'].get('deletionTimestamp')]

    def _sync_one(self, d):
        template = d['spec']['template']
        owned = self._owned(d)
        new_rs = next((rs for rs in owned if _without_hash(
            rs['spec']['template']) == template), None)
        old = [rs for rs in owned if rs is not new_rs]
        old.sort(key=lambda rs: rs['metadata']['creationTimestamp'])
        desired = d['spec'].get('replicas', 1)
        created = False
        if d['spec']['strategy']['type'] == 'Recreate':
            if any(_replicas(rs) for rs in old):
                for rs in old:
                    self._scale(rs, 0)
            elif not self._old_pods_running(old):
                if new_rs is None:
                    new_rs = self._create_rs(d, old, desired)
                    created = True
                else:
                    self._adopt_revision(d, new_rs, old)
                    self._scale(new_rs, desired)
        else:
            if new_rs is None:
                new_rs = self._create_rs(
                    d, old, self._new_replicas(d, old, None))
                created = True
            else:
                self._adopt_revision(d, new_rs, old)
                if not self._reconcile_new(d, new_rs, old):
                    self._reconcile_old(d, new_rs, old)
        self._cleanup(d, old)
        self._update_status(d, new_rs, created)

    def _old_pods_running(self, old):
        owned = replicasets.pods_by_owner(self.store)
        return any(owned.get(rs['metadata']['uid']) for rs in old)

    def _create_rs(self, d, old, replicas):
        template = copy.deepcopy(d['spec']['template'])
        digest = template_hash(template)
        meta = template.setdefault('metadata', {})
        meta.setdefault('labels', {})[HASH_LABEL] = digest
        selector = copy.deepcopy(d['spec']['selector'])
        selector.setdefault('matchLabels', {})[HASH_LABEL] = digest
        revision = max([_revision(rs) for rs in old] + [0]) + 1
        labels = dict(meta['labels'])
        annotations = dict(d['metadata'].get('annotations') or {})
        annotations.pop(REVISION, None)
        annotations.pop('kubectl.kubernetes.io/last-applied-configuration',
                        None)
        annotations[REVISION] = str(revision)
        annotations['deployment.kubernetes.io/desired-replicas'] = str(
            d['spec'].get('replicas', 1))
        annotations['deployment.kubernetes.io/max-replicas'] = str(
            d['spec'].get('replicas', 1) + surge_and_unavailable(d)[0])
        body = {'apiVersion': 'apps/v1', 'kind': 'ReplicaSet',
                'metadata': {
                    'name': '%s-%s' % (d['metadata']['name'], digest),
                    'labels': labels, 'annotations': annotations,
                    'ownerReferences': [
                        replicasets.owner_reference(d, 'apps/v1')]},
                'spec': {'replicas': replicas, 'selector': selector,
                         'template': template}}
        if d['spec'].get('minReadySeconds'):
            body['spec']['minReadySeconds'] = d['spec']['minReadySeconds']
        return self.api.create(ar.REPLICASETS, d['metadata']['namespace'],
                               body)

    def _adopt_revision(self, d, new_rs, old):
        """A template seen before: its ReplicaSet is the newest again."""
        top = max([_revision(rs) for rs in old] + [0])
        if _revision(new_rs) <= top:
            new_rs['metadata'].setdefault('annotations', {})[REVISION] = \
                str(top + 1)
            new_rs.update(self.store.update(ar.REPLICASETS, new_rs))

    def _scale(self, rs, replicas):
        if _replicas(rs) == replicas:
            return False
        rs['spec']['replicas'] = replicas
        rs['metadata']['generation'] = rs['metadata'].get(
            'generation', 1) + 1
        rs.update(self.store.update(ar.REPLICASETS, rs))
        return True

    def _new_replicas(self, d, old, new_rs):
        desired = d['spec'].get('replicas', 1)
        surge, _ = surge_and_unavailable(d)
        current = sum(_replicas(rs) for rs in old)
        new_count = _replicas(new_rs) if new_rs else 0
        current += new_count
        room = desired + surge - current
        if room <= 0:
            return new_count
        return new_count + min(room, desired - new_count)

    def _reconcile_new(self, d, new_rs, old):
        desired = d['spec'].get('replicas', 1)
        if _replicas(new_rs) > desired:
            return self._scale(new_rs, desired)
        return self._scale(new_rs, self._new_replicas(d, old, new_rs))

    def _reconcile_old(self, d, new_rs, old):
        if not sum(_replicas(rs) for rs in old):
            return
        desired = d['spec'].get('replicas', 1)
        _, max_unavailable = surge_and_unavailable(d)
        min_available = desired - max_unavailable
        everything = old + [new_rs]
        total = sum(_replicas(rs) for rs in everything)
        new_unavailable = _replicas(new_rs) - _status(
            new_rs, 'availableReplicas')
        budget = total - min_available - new_unavailable
        if budget <= 0:
            return
        # Unhealthy old Pods go first: they cost no availability.
        for rs in old:
            if budget <= 0:
                break
            unhealthy = _replicas(rs) - _status(rs, 'availableReplicas')
            cut = min(budget, max(unhealthy, 0))
            if cut:
                self._scale(rs, _replicas(rs) - cut)
                budget -= cut
        available = sum(_status(rs, 'availableReplicas')
                        for rs in everything)
        budget = available - min_available
        for rs in old:
            if budget <= 0:
                break
            cut = min(_replicas(rs), budget)
            if cut:
                self._scale(rs, _replicas(rs) - cut)
                budget -= cut

    def _cleanup(self, d, old):
        limit = d['spec'].get('revisionHistoryLimit', 10)
        idle = [rs for rs in old if not _replicas(rs)
                and not _status(rs, 'replicas')]
        idle.sort(key=_revision)
        for rs in idle[:max(len(idle) - limit, 0)]:
            self.api.delete(ar.REPLICASETS, rs['metadata']['namespace'],
                            rs['metadata']['name'], {})

    # -- status ----------------------------------------------------------

    def _update_status(self, d, new_rs, created):
        everything = self._owned(d)
        new_name = new_rs['metadata']['name'] if new_rs else None
        new_now = [rs for rs in everything
                   if rs['metadata']['name'] == new_name]
        desired = d['spec'].get('replicas', 1)
        available = sum(_status(rs, 'availableReplicas')
                        for rs in everything)
        total = sum(_replicas(rs) for rs in everything)
        status = {
            'observedGeneration': d['metadata'].get('generation', 1),
            'replicas': sum(_status(rs, 'replicas') for rs in everything),
            'updatedReplicas': sum(_status(rs, 'replicas')
                                   for rs in new_now),
            'readyReplicas': sum(_status(rs, 'readyReplicas')
                                 for rs in everything),
            'availableReplicas': available,
            'unavailableReplicas': max(total - available, 0),
        }
        status = {k: v for k, v in status.items() if v}
        old_status = d.get('status') or {}
        counts = ('replicas', 'updatedReplicas', 'readyReplicas',
                  'availableReplicas', 'unavailableReplicas')
        progressed = created or any(
            status.get(k) != old_status.get(k) for k in counts) or \
            old_status.get('observedGeneration') != \
            status['observedGeneration']
        uid = d['metadata']['uid']
        now = time.monotonic()
        if progressed or uid not in self._progress_at:
            self._progress_at[uid] = now
        conditions = {c['type']: c for c in old_status.get('conditions')
                      or []}
        stamp = store_mod.now_rfc3339()
        _, max_unavailable = surge_and_unavailable(d)
        if available >= desired - max_unavailable:
            self._set(conditions, 'Available', 'True',
                      'MinimumReplicasAvailable',
                      'Deployment has minimum availability.', stamp)
        else:
            self._set(conditions, 'Available', 'False',
                      'MinimumReplicasUnavailable',
                      'Deployment does not have minimum availability.',
                      stamp)
        complete = (status.get('updatedReplicas', 0) == desired
                    and status.get('replicas', 0) == desired
                    and available == desired and new_rs is not None)
        rs_text = 'ReplicaSet "%s"' % new_name
        deadline = d['spec'].get('progressDeadlineSeconds', 600)
        current = conditions.get('Progressing', {})
        if complete:
            self._set(conditions, 'Progressing', 'True',
                      'NewReplicaSetAvailable',
                      rs_text + ' has successfully progressed.', stamp)
        elif created:
            self._set(conditions, 'Progressing', 'True',
                      'NewReplicaSetCreated',
                      'Created new replica set "%s"' % new_name, stamp,
                      force=True)
        elif progressed:
            self._set(conditions, 'Progressing', 'True',
                      'ReplicaSetUpdated', rs_text + ' is progressing.',
                      stamp, force=True)
        elif now - self._progress_at[uid] > deadline and \
                current.get('reason') != 'ProgressDeadlineExceeded':
            self._set(conditions, 'Progressing', 'False',
                      'ProgressDeadlineExceeded',
                      rs_text + ' has timed out progressing.', stamp)
        order = [c for c in ('Available', 'Progressing') if c in conditions]
        status['conditions'] = [conditions[c] for c in order]
        if status != old_status:
            current_d = self.store.find(ar.DEPLOYMENTS,
                                        d['metadata']['namespace'],
                                        d['metadata']['name'])
            if current_d is None:
                return
            current_d['status'] = status
            annotations = current_d['metadata'].setdefault(
                'annotations', {})
            if new_rs is not None:
                annotations[REVISION] = str(_revision(new_rs))
            self.store.update(ar.DEPLOYMENTS, current_d)

    @staticmethod
    def _set(conditions, kind, status, reason, message, stamp,
             force=False):
        old = conditions.get(kind)
        if old and old['status'] == status and old['reason'] == reason \
                and old['message'] == message and not force:
            return
        cond = {'type': kind, 'status': status, 'lastUpdateTime': stamp,
                'lastTransitionTime': stamp, 'reason': reason,
                'message': message}
        if old and old['status'] == status:
            cond['lastTransitionTime'] = old['lastTransitionTime']
        conditions[kind] = cond

    def next_due(self):
        """Seconds until a progress deadline may pass (coarse)."""
        return 0.5 if self._progress_at else 3600
