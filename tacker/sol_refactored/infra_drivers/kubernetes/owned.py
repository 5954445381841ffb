"""What a workload owns in the cluster, found by ownerReferences.

A Pod belongs to the workload its controller reference points at: a
StatefulSet or DaemonSet directly, a Deployment through one of its
ReplicaSets. Labels only narrow the listings: two workloads may select
the same labels (a Blue-Green change whose new Deployment keeps the old
one's labels), and each must still see only its own Pods.
"""
from tacker.sol_refactored.infra_drivers.kubernetes import waiter


def controller_uid(obj):
    """The uid of the object's controller (ownerReference), or None."""
    for ref in obj['metadata'].get('ownerReferences') or []:
        if ref.get('controller'):
            return ref.get('uid')
    return None


def _list(vim, namespace, plural, prefix, workload):
    labels = ((workload.get('spec') or {}).get('selector') or {}).get(
        'matchLabels')
    query = {'labelSelector': waiter.label_selector(labels)} if labels \
        else {}
    listing = vim.call(
        'list %s of %s' % (plural, workload['metadata']['name']), 'GET',
        '%s/namespaces/%s/%s' % (prefix, namespace, plural), query=query)
    return listing.get('items') or []


def replica_sets(vim, namespace, deployment):
    uid = deployment['metadata']['uid']
    return [rs for rs in _list(vim, namespace, 'replicasets',
                               '/apis/apps/v1', deployment)
            if controller_uid(rs) == uid]


def pod_owner_uids(vim, namespace, workload):
    """The uids a Pod of the workload names as its controller."""
    if workload['kind'] == 'Deployment':
        return {rs['metadata']['uid']
                for rs in replica_sets(vim, namespace, workload)}
    return {workload['metadata']['uid']}


def pods(vim, namespace, workload, owner_uids=None):
    """The workload's Pods, those on their way out included."""
    if owner_uids is None:
        owner_uids = pod_owner_uids(vim, namespace, workload)
    return [p for p in _list(vim, namespace, 'pods', '/api/v1', workload)
            if controller_uid(p) in owner_uids]


def uids_of(objs):
    return {o['metadata']['uid'] for o in objs}
