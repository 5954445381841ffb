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


def of_workloads(workloads):
    """{workload name: spec.replicas} of the scalable ones among workloads.

    ``workloads`` are objects as the cluster holds them (or as a step saved
    them); a DaemonSet has no replicas and is left out.
    """
    # 1 is the API's default when a manifest leaves replicas out.
    return {obj['metadata']['name']: (obj.get('spec') or {}).get('replicas', 1)
            for obj in workloads if obj.get('kind') in SCALABLE}


def per_vdu(by_name, vdu_of_workload):
    """{VDU id: VNFC count} of {workload name: replicas}.

    Workloads of no VDU are left out; two workloads of one VDU add up.
    """
    counts = {}
    for name, count in by_name.items():
        vdu_id = vdu_of_workload.get(name)
        if vdu_id is not None:
            counts[vdu_id] = counts.get(vdu_id, 0) + count
    return counts


def keep_counts(objs, counts, vdu_of_workload=None):
    """Give the scalable workloads among objs the replicas of counts.

    ``counts`` is keyed by VDU id through ``vdu_of_workload``, or, without
    it, by workload name. Unlike :func:`apply_counts`, which refuses a
    count for a DaemonSet, a change of package leaves a DaemonSet (and a
    workload counts know nothing of) as its manifest says.
    """
    for obj in objs:
        if obj.get('kind') not in SCALABLE:
            continue
        key = obj['metadata']['name']
        if vdu_of_workload is not None:
            key = vdu_of_workload.get(key)
        if key is not None and key in counts:
            obj.setdefault('spec', {})['replicas'] = counts[key]
    return objs
