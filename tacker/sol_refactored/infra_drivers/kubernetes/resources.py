"""The Kubernetes kinds a VNF package may hold.

Where they live in the API, and in which order they are created (and
deleted, in reverse).
"""
from tacker.sol_refactored.common import exceptions as sol_ex

# kind: (group/version path, plural); creation order follows this list:
# what others refer to comes first.
KINDS = [
    ('Namespace', '/api/v1', 'namespaces', False),
    ('ServiceAccount', '/api/v1', 'serviceaccounts', True),
    ('Secret', '/api/v1', 'secrets', True),
    ('ConfigMap', '/api/v1', 'configmaps', True),
    ('PersistentVolumeClaim', '/api/v1', 'persistentvolumeclaims', True),
    ('Service', '/api/v1', 'services', True),
    ('Deployment', '/apis/apps/v1', 'deployments', True),
    ('StatefulSet', '/apis/apps/v1', 'statefulsets', True),
    ('DaemonSet', '/apis/apps/v1', 'daemonsets', True),
]
ORDER = {kind: i for i, (kind, _p, _r, _n) in enumerate(KINDS)}
_BY_KIND = {kind: (prefix, plural, namespaced)
            for kind, prefix, plural, namespaced in KINDS}
# Kinds whose Pods are the VNFCs.
WORKLOADS = ('Deployment', 'StatefulSet', 'DaemonSet')


def check_kind(obj, source):
    kind = obj.get('kind')
    if kind not in _BY_KIND:
        raise sol_ex.UnprocessableEntity(
            '%s holds a %s; the Kubernetes driver handles: %s.' % (
                source, kind, ', '.join(sorted(_BY_KIND))))
    name = (obj.get('metadata') or {}).get('name')
    if not name:
        raise sol_ex.UnprocessableEntity(
            '%s holds a %s without metadata.name.' % (source, kind))
    return kind, name


def collection_path(kind, namespace):
    prefix, plural, namespaced = _BY_KIND[kind]
    if namespaced:
        return '%s/namespaces/%s/%s' % (prefix, namespace, plural)
    return '%s/%s' % (prefix, plural)


def object_path(kind, namespace, name):
    return '%s/%s' % (collection_path(kind, namespace), name)


def ordered(objects):
    return sorted(objects, key=lambda o: ORDER[o['kind']])
