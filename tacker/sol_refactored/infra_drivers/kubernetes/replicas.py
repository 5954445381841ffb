"""The VNFC count of a VDU on Kubernetes: its workload's replicas."""
from tacker.sol_refactored.infra_drivers.kubernetes import resources

SCALABLE = ('Deployment', 'StatefulSet', 'ReplicaSet')


def apply_counts(objs, vdu_of_workload, counts):
    """Set spec.replicas of the workloads whose VDU has a count.

    ``counts`` {VDU id: VNFC count} holds only the VDUs an instantiation
    level (or initial delta) of the VNFD speaks of; the others keep the
    replicas of their manifest. A DaemonSet runs one Pod per node: a
    count for its VDU cannot be honoured and is named in the ValueError.
    """
    for obj in objs:
        kind = obj.get('kind')
        if kind not in resources.WORKLOADS:
            continue
        vdu_id = vdu_of_workload.get(obj['metadata']['name'])
        if vdu_id is None or vdu_id not in (counts or {}):
            continue
        if kind not in SCALABLE:
            raise ValueError('VDU %s is a %s; its VNFC count (%d) is the '
                             'number of nodes, not set by an instantiation '
                             'level.' % (vdu_id, kind, counts[vdu_id]))
        obj.setdefault('spec', {})['replicas'] = counts[vdu_id]
    return objs
