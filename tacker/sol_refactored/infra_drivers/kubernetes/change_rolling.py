"""Rolling update of a Kubernetes VNF to another package.

update_workloads  apply the new package's other objects (new ConfigMaps,
                  Secrets ...) and replace each workload with the new
                  package's version of it (same name: the cluster rolls its
                  Pods), with the replicas it runs now (kept_counts);
                  undo puts the saved old workloads back
wait_rollout      every workload rolled out (observedGeneration,
                  updatedReplicas, readyReplicas, availableReplicas)
coordinate        the new VNF's script; then the old one's, if given;
                  undo calls their classes' ``rollback`` (old first),
                  where they have one, before the workloads are put back
"""
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.infra_drivers.kubernetes import context as kctx
from tacker.sol_refactored.infra_drivers.kubernetes import kept_counts
from tacker.sol_refactored.infra_drivers.kubernetes import lifecycle
from tacker.sol_refactored.infra_drivers.kubernetes import manifests
from tacker.sol_refactored.infra_drivers.kubernetes import replicas
from tacker.sol_refactored.infra_drivers.kubernetes import resources
from tacker.sol_refactored.infra_drivers.kubernetes import vnfc
from tacker.sol_refactored.lcm.base import Step
from tacker.sol_refactored.lcm import change_vnfpkg


def _old_refs(work):
    meta = work.old_inst.instantiatedVnfInfo.obj_get('metadata') or {}
    return meta.get('resources') or []


def _new_objects(driver, work):
    _pkg, objs = driver._package_objects(work, work.req.vnfdId,
                                         work.state['defFiles'])
    # The VNF's Namespace stays as it is.
    objs = [o for o in objs if o['kind'] != 'Namespace']
    old = {(r['kind'], r['name']) for r in _old_refs(work)}
    for obj in objs:
        ref = manifests.ref(obj)
        if (ref['kind'] in resources.WORKLOADS and
                (ref['kind'], ref['name']) not in old):
            raise sol_ex.UnprocessableEntity(
                'A rolling update changes running workloads in place; '
                'the VNF has no %s %s. Use BlueGreen for new workloads.' %
                (ref['kind'], ref['name']))
    return objs


def _strip(obj):
    """An object read from the cluster, as it can be sent back."""
    meta = obj['metadata']
    kept = {k: meta[k] for k in ('name', 'namespace', 'labels',
                                 'annotations') if k in meta}
    return {'apiVersion': obj.get('apiVersion'), 'kind': obj.get('kind'),
            'metadata': kept, 'spec': obj.get('spec')}


def _script_resources(vim, namespace, refs):
    pods = []
    for ref in vnfc.workload_refs(refs):
        workload = manifests.read(vim, namespace, ref['kind'], ref['name'])
        if workload is not None:
            pods += [p['metadata']['name'] for p in
                     vnfc.live_pods(vim, namespace, workload)]
    return {'namespace': namespace, 'resources': refs, 'newPods': pods}


def _keep_running_counts(work, objs):
    """Each replaced workload keeps the replicas it ran, as saved."""
    by_name = replicas.of_workloads(work.state['savedWorkloads'])
    kept_counts.check_fits(
        work, kctx.package_of(work.context, work.req.vnfdId),
        replicas.per_vdu(by_name, kept_counts.old_vdus(work)))
    replicas.keep_counts(objs, by_name)


def steps(driver, work):
    namespace = kctx.namespace(work)

    def update(w):
        objs = _new_objects(driver, w)
        with kctx.connect(w) as vim:
            if 'savedWorkloads' not in w.state:
                saved = []
                for ref in vnfc.workload_refs(_old_refs(w)):
                    current = manifests.read(vim, namespace, ref['kind'],
                                             ref['name'])
                    if current is not None:
                        saved.append(_strip(current))
                w.state['savedWorkloads'] = saved
                w.state['applied'] = [manifests.ref(o) for o in objs]
                w.save_progress()
            _keep_running_counts(w, objs)
            for obj in objs:
                manifests.apply(vim, namespace, obj, w.inst.id)

    def restore(w):
        old_keys = {(r['kind'], r['name']) for r in _old_refs(w)}
        with kctx.connect(w) as vim:
            saved = w.state.get('savedWorkloads') or []
            for obj in saved:
                manifests.apply(vim, namespace, obj, w.inst.id)
            lifecycle.wait_workloads(
                vim, namespace, [manifests.ref(o) for o in saved])
            added = [r for r in w.state.get('applied') or []
                     if (r['kind'], r['name']) not in old_keys]
            lifecycle.delete_all(vim, namespace, added, w.inst.id)

    def wait(w):
        with kctx.connect(w) as vim:
            lifecycle.wait_workloads(vim, namespace, w.state['applied'])

    def coordinate(w):
        with kctx.connect(w) as vim:
            extra = _script_resources(vim, namespace, w.state['applied'])
        change_vnfpkg.run_script(w, 'new', extra)
        change_vnfpkg.run_script(w, 'old', extra)

    def undo_coordinate(w):
        with kctx.connect(w) as vim:
            extra = _script_resources(vim, namespace, w.state['applied'])
        for side in ('old', 'new'):
            change_vnfpkg.run_script(w, side, extra, method='rollback')

    return [Step('update_workloads', update, restore),
            Step('wait_rollout', wait),
            Step('coordinate', coordinate, undo_coordinate)]


def applied(state):
    """The objects a change applied so far, from its step record's state.

    update_workloads records them before it applies the first one: the
    workloads it replaces in place and what the new package adds.
    """
    return state.get('applied') or []


def info(driver, work):
    old = {(r['kind'], r['name']): r for r in _old_refs(work)}
    for ref in work.state['applied']:
        old.setdefault((ref['kind'], ref['name']), ref)
    return vnfc.info_after_change(work, list(old.values()))
