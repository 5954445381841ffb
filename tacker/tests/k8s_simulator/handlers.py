"""The API verbs on stored objects: create, read, list, replace, patch,
delete, and the status and scale subresources."""
import copy
import random

from tacker.tests.k8s_simulator import api_resources as ar
from tacker.tests.k8s_simulator import errors
from tacker.tests.k8s_simulator import patches
from tacker.tests.k8s_simulator import selectors
from tacker.tests.k8s_simulator import store as store_mod

WORKLOADS = ('Deployment', 'ReplicaSet', 'StatefulSet')
# Status fields a workload reports even at zero (no omitempty).
_INITIAL_STATUS = {'Deployment': {}, 'ReplicaSet': {'replicas': 0},
                   'StatefulSet': {'replicas': 0, 'availableReplicas': 0}}
SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'


def random_suffix(length=5):
    return ''.join(random.choice(SUFFIX_ALPHABET) for _ in range(length))


def success_status(res, obj):
    details = {'name': obj['metadata']['name'], 'kind': res.name,
               'uid': obj['metadata']['uid']}
    if res.group:
        details['group'] = res.group
    return {'kind': 'Status', 'apiVersion': 'v1', 'metadata': {},
            'status': 'Success', 'details': details}


def list_body(res, items, rv):
    for item in items:
        item.pop('kind', None)
        item.pop('apiVersion', None)
    return {'kind': res.kind + 'List', 'apiVersion': res.api_version,
            'metadata': {'resourceVersion': str(rv)}, 'items': items}


class Api:
    """What the HTTP layer calls; everything checked as the API does."""

    def __init__(self, store, admission):
        self.store = store
        self.admission = admission

    # -- helpers ---------------------------------------------------------

    def _check_namespace(self, res, namespace):
        """The Namespace a request names, or None; never refuses.

        Reads (get, list, watch) need no Namespace: kube-apiserver's
        admission, which refuses writes into a Namespace that does not
        exist, never sees them, so a list or watch there is simply empty
        and a get is the object's own NotFound. Writes check with
        ``_namespace_for_write``.
        """
        if not res.namespaced:
            return None
        return self.store.find(ar.NAMESPACES, None, namespace)

    def _namespace_for_write(self, res, namespace):
        ns = self._check_namespace(res, namespace)
        if res.namespaced and ns is None:
            raise errors.not_found(ar.NAMESPACES, namespace)
        return ns

    def _check_body(self, res, body, namespace):
        if not isinstance(body, dict):
            raise errors.bad_request('the body of the request must be a '
                                     'JSON object')
        kind = body.setdefault('kind', res.kind)
        api_version = body.setdefault('apiVersion', res.api_version)
        if kind != res.kind or api_version != res.api_version:
            raise errors.bad_request(
                'the API version in the data (%s) does not match the '
                'expected API version (%s)' % (api_version,
                                               res.api_version)
                if api_version != res.api_version else
                '%s in version "%s" cannot be handled as a %s: the kind '
                'does not match' % (kind, res.version, res.kind))
        meta = body.get('metadata')
        if meta is None:
            meta = body['metadata'] = {}
        if not isinstance(meta, dict):
            raise errors.bad_request('metadata must be an object')
        if res.namespaced:
            if meta.get('namespace', namespace) != namespace:
                raise errors.bad_request(
                    'the namespace of the provided object does not match '
                    'the namespace sent on the request')
            meta['namespace'] = namespace
        else:
            meta.pop('namespace', None)
        return meta

    # -- verbs -----------------------------------------------------------

    def create(self, res, namespace, body):
        with self.store.lock:
            meta = self._check_body(res, body, namespace)
            ns = self._namespace_for_write(res, namespace)
            if ns is not None and ns['metadata'].get('deletionTimestamp'):
                raise errors.forbidden(
                    res, meta.get('name', ''),
                    'unable to create new content in namespace %s because '
                    'it is being terminated' % namespace)
            if meta.get('resourceVersion'):
                raise errors.bad_request('resourceVersion should not be set '
                                         'on objects to be created')
            for field in ('uid', 'creationTimestamp', 'deletionTimestamp',
                          'deletionGracePeriodSeconds', 'selfLink'):
                meta.pop(field, None)
            if not meta.get('name') and meta.get('generateName'):
                meta['name'] = meta['generateName'] + random_suffix()
            if res.kind in WORKLOADS:
                meta['generation'] = 1
                body['status'] = dict(_INITIAL_STATUS[res.kind])
            elif res.kind == 'Pod':
                body['status'] = {'phase': 'Pending',
                                  'qosClass': 'BestEffort'}
            self.admission.default(res, body)
            self.admission.validate(res, body)
            return self.store.create(res, body)

    def get(self, res, namespace, name):
        return self.store.get(res, namespace, name)

    def list(self, res, namespace, query):
        """A list; empty (not 404) in a Namespace that does not exist."""
        predicate = self.predicate(res, query)
        items, rv = self.store.list(res, namespace, predicate)
        return list_body(res, items, rv)

    @staticmethod
    def predicate(res, query):
        labels = selectors.parse_label_selector(query.get('labelSelector'))
        fields = selectors.parse_field_selector(query.get('fieldSelector'),
                                                res)
        return lambda obj: (labels(obj['metadata'].get('labels'))
                            and fields(obj))

    def replace(self, res, namespace, name, body, subresource=None):
        with self.store.lock:
            old = self.store.get(res, namespace, name)
            if subresource == 'scale':
                return self._write_scale(res, old, body)
            meta = self._check_body(res, body, namespace)
            if meta.get('name', name) != name:
                raise errors.bad_request(
                    'the name of the object (%s) does not match the name '
                    'on the URL (%s)' % (meta.get('name'), name))
            meta['name'] = name
            rv = meta.get('resourceVersion')
            if rv and rv != old['metadata']['resourceVersion']:
                raise errors.conflict(res, name)
            if subresource == 'status':
                new = copy.deepcopy(old)
                new['status'] = body.get('status') or {}
                return self._finish_update(res, new)
            return self._update(res, old, body)

    def patch(self, res, namespace, name, content_type, patch,
              subresource=None):
        with self.store.lock:
            old = self.store.get(res, namespace, name)
            if subresource == 'scale':
                scale = patches.apply(content_type, self.scale(res, old),
                                      patch)
                return self._write_scale(res, old, scale)
            new = patches.apply(content_type, old, patch)
            if not isinstance(new, dict):
                raise errors.bad_request('the patch result is not an object')
            return self.replace(res, namespace, name, new, subresource)

    def _update(self, res, old, new):
        meta, old_meta = new['metadata'], old['metadata']
        for field in ('uid', 'creationTimestamp', 'deletionTimestamp',
                      'deletionGracePeriodSeconds', 'generation'):
            if field in old_meta:
                meta[field] = old_meta[field]
            else:
                meta.pop(field, None)
        if res.has_status:
            if 'status' in old:
                new['status'] = old['status']
            else:
                new.pop('status', None)
        if res.kind == 'Service':
            spec = new.setdefault('spec', {})
            if not spec.get('clusterIP') and 'clusterIP' in old['spec']:
                spec['clusterIP'] = old['spec']['clusterIP']
        self.admission.default(res, new)
        self.admission.validate(res, new, old)
        if res.kind in WORKLOADS and new.get('spec') != old.get('spec'):
            meta['generation'] = old_meta.get('generation', 1) + 1
        return self._finish_update(res, new)

    def _finish_update(self, res, new):
        meta = new['metadata']
        if meta.get('deletionTimestamp') and not meta.get('finalizers') \
                and res.kind not in ('Pod', 'Namespace'):
            self.store.delete(res, meta.get('namespace'), meta['name'])
            return new
        return self.store.update(res, new)

    # -- scale subresource -----------------------------------------------

    @staticmethod
    def scale(res, obj):
        meta = obj['metadata']
        return {'kind': 'Scale', 'apiVersion': 'autoscaling/v1',
                'metadata': {k: meta[k] for k in (
                    'name', 'namespace', 'uid', 'resourceVersion',
                    'creationTimestamp') if k in meta},
                'spec': {'replicas': obj['spec'].get('replicas', 0)},
                'status': {
                    'replicas': (obj.get('status') or {}).get(
                        'replicas', 0),
                    'selector': selectors.selector_string(
                        obj['spec'].get('selector') or {})}}

    def _write_scale(self, res, old, body):
        if not isinstance(body, dict):
            raise errors.bad_request('the body must be a Scale object')
        rv = (body.get('metadata') or {}).get('resourceVersion')
        if rv and rv != old['metadata']['resourceVersion']:
            raise errors.conflict(res, old['metadata']['name'])
        replicas = (body.get('spec') or {}).get('replicas', 0)
        if not isinstance(replicas, int) or replicas < 0:
            raise errors.ApiError(
                422, 'Invalid', 'Scale.autoscaling "%s" is invalid: '
                'spec.replicas: Invalid value: %r: must be greater than or '
                'equal to 0' % (old['metadata']['name'], replicas))
        new = copy.deepcopy(old)
        new['spec']['replicas'] = replicas
        stored = self._update(res, old, new)
        return self.scale(res, stored)

    # -- delete ----------------------------------------------------------

    def delete(self, res, namespace, name, options):
        with self.store.lock:
            obj = self.store.get(res, namespace, name)
            meta = obj['metadata']
            pre = options.get('preconditions') or {}
            if pre.get('uid') and pre['uid'] != meta['uid']:
                raise errors.ApiError(
                    409, 'Conflict', 'Precondition failed: UID in '
                    'precondition: %s, UID in object meta: %s'
                    % (pre['uid'], meta['uid']))
            if pre.get('resourceVersion') and \
                    pre['resourceVersion'] != meta['resourceVersion']:
                raise errors.conflict(res, name)
            policy = options.get('propagationPolicy')
            if policy is None and options.get('orphanDependents'):
                policy = 'Orphan'
            if policy not in (None, 'Background', 'Foreground', 'Orphan'):
                raise errors.bad_request('unsupported propagationPolicy %r'
                                         % policy)
            if res.kind == 'Pod':
                return self._delete_pod(obj, options)
            if res.kind == 'Namespace':
                if not meta.get('deletionTimestamp'):
                    meta['deletionTimestamp'] = store_mod.now_rfc3339()
                    obj['status']['phase'] = 'Terminating'
                    obj = self.store.update(res, obj)
                return obj
            if policy == 'Orphan':
                self._orphan(meta['uid'])
            if policy == 'Foreground' or meta.get('finalizers'):
                if policy == 'Foreground':
                    finalizers = meta.setdefault('finalizers', [])
                    if 'foregroundDeletion' not in finalizers:
                        finalizers.append('foregroundDeletion')
                meta.setdefault('deletionTimestamp', store_mod.now_rfc3339())
                meta.setdefault('deletionGracePeriodSeconds', 0)
                return self.store.update(res, obj)
            deleted = self.store.delete(res, namespace, name)
            if res.kind == 'Service':
                return deleted  # Services answer with the deleted object
            return success_status(res, obj)

    def _delete_pod(self, obj, options):
        meta = obj['metadata']
        grace = options.get('gracePeriodSeconds')
        if grace is None:
            grace = obj['spec'].get('terminationGracePeriodSeconds', 30)
        if grace == 0 and not meta.get('finalizers'):
            self.store.delete(ar.PODS, meta['namespace'], meta['name'])
            return obj
        if not meta.get('deletionTimestamp'):
            meta['deletionTimestamp'] = store_mod.now_rfc3339()
        meta['deletionGracePeriodSeconds'] = min(
            grace, meta.get('deletionGracePeriodSeconds', grace))
        return self.store.update(ar.PODS, obj)

    def _orphan(self, uid):
        for res in ar.RESOURCES:
            items, _ = self.store.list(res)
            for item in items:
                refs = item['metadata'].get('ownerReferences') or []
                kept = [r for r in refs if r.get('uid') != uid]
                if len(kept) != len(refs):
                    item['metadata']['ownerReferences'] = kept
                    if not kept:
                        del item['metadata']['ownerReferences']
                    self.store.update(res, item)

    def delete_collection(self, res, namespace, query, options):
        with self.store.lock:
            items, _ = self.store.list(res, namespace,
                                       self.predicate(res, query))
            for item in items:
                self.delete(res, item['metadata'].get('namespace'),
                            item['metadata']['name'], options)
            return list_body(res, items, self.store.rv)
