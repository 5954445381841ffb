"""Applying, waiting for and deleting a set of Kubernetes objects."""
from tacker.sol_refactored.infra_drivers.kubernetes import manifests
from tacker.sol_refactored.infra_drivers.kubernetes import owned
from tacker.sol_refactored.infra_drivers.kubernetes import resources
from tacker.sol_refactored.infra_drivers.kubernetes import vim as k8s_vim
from tacker.sol_refactored.infra_drivers.kubernetes import vnfc
from tacker.sol_refactored.infra_drivers.kubernetes import waiter

CONF = k8s_vim.CONF


def apply_all(vim, namespace, objects):
    applied = []
    for obj in objects:
        manifests.apply(vim, namespace, obj)
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


def delete_all(vim, namespace, refs):
    """Delete in reverse creation order and wait until all is gone.

    A workload's Pods (and a Deployment's ReplicaSets) are found by their
    ownerReferences before it is deleted, and waited for by uid: Pods of
    another workload with the same labels are no reason to wait.
    """
    refs = sorted(refs, key=lambda r: resources.ORDER[r['kind']],
                  reverse=True)
    dependents = {'replicasets': set(), 'pods': set()}
    for ref in refs:
        if ref['kind'] in resources.WORKLOADS:
            obj = manifests.read(vim, namespace, ref['kind'], ref['name'])
            if obj is not None:
                _note_dependents(vim, namespace, obj, dependents)
        manifests.delete(vim, namespace, ref['kind'], ref['name'])
    for ref in refs:
        waiter.watch_until(
            vim, resources.collection_path(ref['kind'], namespace),
            {'fieldSelector': 'metadata.name=' + ref['name']},
            waiter.gone(ref['name']), CONF.kubernetes_vim.delete_timeout,
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
