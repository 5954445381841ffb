"""The VNFC counts a change of package keeps, on Kubernetes.

A VDU's count is the ``spec.replicas`` of its running workload, read from
the cluster when the change starts, not the number of vnfcResourceInfo in
the record. The cluster is what the change acts on: a workload scaled
outside Tacker (kubectl scale, an operator's tool) runs that many Pods,
and the record after the change, and after a rollback, is read from the
cluster's Pods too; a Rolling update's undo puts back the workloads as
read, with their replicas. Replicas are also the count asked for, while
the Pods of the moment may be more or fewer (one being replaced, one
evicted). Because the API side checked the record's counts against the
new VNFD, the counts read here are checked again before anything is
applied: a VNF scaled beyond what the new VNFD allows fails the step with
422, nothing changed.

The counts are read once per operation and kept in the step record, so
that a retry applies the same counts.
"""
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import instantiation_levels as levels
from tacker.sol_refactored.infra_drivers.kubernetes import context as kctx
from tacker.sol_refactored.infra_drivers.kubernetes import manifests
from tacker.sol_refactored.infra_drivers.kubernetes import replicas
from tacker.sol_refactored.infra_drivers.kubernetes import vnfc


def read(vim, namespace, refs):
    """{workload name: spec.replicas} of refs' live scalable workloads.

    A workload the cluster no longer holds is left out: its VDU gets what
    the new manifest says.
    """
    found = []
    for ref in vnfc.workload_refs(refs):
        obj = manifests.read(vim, namespace, ref['kind'], ref['name'])
        if obj is not None:
            found.append(obj)
    return replicas.of_workloads(found)


def old_vdus(work):
    """{workload name: VDU id} of the running VNF.

    As its record knows them, and as its package's VDUs name them (a VDU
    with no Pod has no vnfcResourceInfo to tell).
    """
    info = work.old_inst.instantiatedVnfInfo
    found = {}
    pkg = kctx.package_of(work.context, work.old_inst.vnfdId)
    if pkg is not None:
        found.update(vnfc.vdu_of_workloads(
            pkg.obj_get('vnfdSummary') or {}, info.flavourId))
    found.update(vnfc.previous_vdus(info))
    return found


def check_fits(work, pkg, counts):
    """Refuse (422) counts the new package's VDU profiles cannot hold."""
    flavour = ((pkg.obj_get('vnfdSummary') or {}).get('flavours') or
               {}).get(work.old_inst.instantiatedVnfInfo.flavourId) or {}
    cannot = levels.check_counts(flavour, counts)
    if cannot:
        raise sol_ex.UnprocessableEntity(
            'The VNF now runs VNFC counts that the VNFD %s cannot hold '
            '(read from the cluster: scaled since it was recorded?): %s.' %
            (work.req.vnfdId, '; '.join(cannot)))
