"""Applying, waiting for and deleting a set of Kubernetes objects."""
from oslo_log import log as logging

from tacker.sol_refactored.infra_drivers.kubernetes import manifests
from tacker.sol_refactored.infra_drivers.kubernetes import owned
from tacker.sol_refactored.infra_drivers.kubernetes import ownership
from tacker.sol_refactored.infra_drivers.kubernetes import resources
from tacker.sol_refactored.infra_drivers.kubernetes import vim as k8s_vim
from tacker.sol_refactored.infra_drivers.kubernetes import vnfc
from tacker.sol_refactored.infra_drivers.kubernetes import waiter

CONF = k8s_vim.CONF
LOG = logging.getLogger(__name__)


def apply_all(vim, namespace, objects, owner):
    """Apply objects as the VNF instance ``owner``'s; their refs."""
    applied = []
    for obj in objects:
        manifests.apply(vim, namespace, obj, owner)
        applied.append(manifests.ref(obj))
    return applied


def wait_workloads(vim, namespace, refs):
    for ref in vnfc.workload_refs(refs):
        path = resources.collection_path(ref['kind'], namespace)
        waiter.watch_until(
            vim, path, {'fieldSelector': 'metadata.name=' + ref['name']},
            waiter.workload_ready(ref['kind'], ref['name']),
            CONF.kubernetes_vim.rollout_timeout,
            '%s %s rolled out with its Pods Ready' % (
                ref['kind'], ref['name']))


def delete_all(vim, namespace, refs, owner):
    """Delete in reverse creation order and wait until all is gone.

    Only objects that carry the label of the VNF instance ``owner``: any
    other (gone already, or someone else's under the same name) is left
    alone. A workload's Pods (and a Deployment's ReplicaSets) are found by
    their ownerReferences before it is deleted, and waited for by uid:
    Pods of another workload with the same labels are no reason to wait.
    """
    refs = sorted(refs, key=lambda r: resources.ORDER[r['kind']],
                  reverse=True)
    dependents = {'replicasets': set(), 'pods': set()}
    deleted = []
    for ref in refs:
        kind, name = ref['kind'], ref['name']
        obj = manifests.read(vim, namespace, kind, name)
        if obj is None:
            continue
        if not ownership.belongs(obj, owner):
            LOG.info('%s %s in namespace %s belongs to %s, not to VNF '
                     'instance %s: not deleted.', kind, name, namespace,
                     ownership.whose(obj), owner)
            continue
        uid = obj['metadata']['uid']
        if kind in resources.WORKLOADS:
            _note_dependents(vim, namespace, obj, dependents)
        if manifests.delete(vim, namespace, kind, name, uid=uid):
            deleted.append((ref, uid))
        else:
            LOG.info('%s %s in namespace %s was made again since it was '
                     'read: not deleted.', kind, name, namespace)
    for ref, uid in deleted:
        waiter.watch_until(
            vim, resources.collection_path(ref['kind'], namespace),
            {'fieldSelector': 'metadata.name=' + ref['name']},
            waiter.none_of({uid}), CONF.kubernetes_vim.delete_timeout,
            '%s %s deleted' % (ref['kind'], ref['name']))
    for plural, prefix in (('replicasets', '/apis/apps/v1'),
                           ('pods', '/api/v1')):
        uids = dependents[plural]
        if uids:
            waiter.watch_until(
                vim, '%s/namespaces/%s/%s' % (prefix, namespace, plural),
                {}, waiter.none_of(uids), CONF.kubernetes_vim.delete_timeout,
                '%d %s of the deleted workloads gone' % (len(uids), plural))


def _note_dependents(vim, namespace, workload, dependents):
    owner_uids = owned.pod_owner_uids(vim, namespace, workload)
    if workload['kind'] == 'Deployment':
        dependents['replicasets'] |= owner_uids
    dependents['pods'] |= owned.uids_of(
        owned.pods(vim, namespace, workload, owner_uids))


def wait_deleting_gone(vim, namespace, refs):
    """Wait until each of refs that is being deleted is gone.

    Before an undo re-creates what a step deleted: while the deletion
    runs (Pods terminating, foreground propagation), the create answers
    409 and the replace would land on the object that then vanishes.
    """
    for ref in refs:
        obj = manifests.read(vim, namespace, ref['kind'], ref['name'])
        if obj is None or not obj['metadata'].get('deletionTimestamp'):
            continue
        waiter.watch_until(
            vim, resources.collection_path(ref['kind'], namespace),
            {'fieldSelector': 'metadata.name=' + ref['name']},
            waiter.gone(ref['name']), CONF.kubernetes_vim.delete_timeout,
            '%s %s deleted' % (ref['kind'], ref['name']))
