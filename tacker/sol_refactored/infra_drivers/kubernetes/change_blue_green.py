"""Blue-Green change of package on Kubernetes.

apply_new       create the new package's objects (its workloads under new
                names; objects the VNF already has, such as its Service,
                are left for the CoordinateVNF script to switch); each new
                workload gets the replicas its VDU runs now (kept_counts)
wait_new_ready  every new workload rolled out, its Pods Ready
coordinate_new  the new VNF's script (the sample moves the Service's
                selector to the new Pods); undo calls the script class's
                ``rollback`` (the sample points the Services back at the
                old Pods); a class without one leaves the undo to the
                driver, which puts back the selectors it saved before the
                script ran
coordinate_old  the old VNF's script (drain, say); undo calls its
                ``rollback`` when the class has one
delete_old      delete the old workloads and what only they used, wait
                until their Pods are gone; undo waits until what is
                still being deleted is gone, then re-creates them with
                the replicas they ran
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


def _key(ref):
    return '%s/%s' % (ref['kind'], ref['name'])


def _old_refs(work):
    meta = work.old_inst.instantiatedVnfInfo.obj_get('metadata') or {}
    return meta.get('resources') or []


def plan(driver, work):
    """Which objects are new, shared (kept) and old-only (deleted).

    The VNF's Namespace is always kept: the new package need not define
    it, and it is never created again.
    """
    _pkg, objs = driver._package_objects(work, work.req.vnfdId,
                                         work.state['defFiles'])
    objs = [o for o in objs if o['kind'] != 'Namespace']
    old = {_key(r): r for r in _old_refs(work)}
    new_objs = [o for o in objs if _key(manifests.ref(o)) not in old]
    shared = [manifests.ref(o) for o in objs if _key(manifests.ref(o)) in old]
    for ref in shared:
        if ref['kind'] in resources.WORKLOADS:
            raise sol_ex.UnprocessableEntity(
                'Blue-Green needs the new package to name its workloads '
                'apart from the running ones; %s %s exists already. Use '
                'RollingUpdate to change it in place.' % (
                    ref['kind'], ref['name']))
    shared += [r for r in old.values() if r['kind'] == 'Namespace']
    shared_keys = {_key(r) for r in shared}
    old_only = [r for k, r in old.items() if k not in shared_keys]
    return new_objs, shared, old_only


def _services(vim, namespace, refs):
    found = {}
    for ref in refs:
        if ref['kind'] == 'Service':
            svc = manifests.read(vim, namespace, 'Service', ref['name'])
            if svc is not None:
                found[ref['name']] = (svc.get('spec') or {}).get('selector')
    return found


def _resources_for_script(vim, namespace, work):
    new_refs = work.state['newApplied']
    pods = []
    for ref in vnfc.workload_refs(new_refs):
        workload = manifests.read(vim, namespace, ref['kind'], ref['name'])
        if workload is not None:
            pods += [p['metadata']['name'] for p in
                     vnfc.live_pods(vim, namespace, workload)]
    return {'namespace': namespace, 'newResources': new_refs,
            'oldResources': _old_refs(work), 'newPods': pods}


def _keep_running_counts(vim, namespace, work, new_objs):
    """Give the new workloads the replicas their VDUs run now.

    The old workloads' replicas are read once (a retry applies the same)
    and kept in the step record for delete_old's undo as well.
    """
    if 'oldReplicas' not in work.state:
        work.state['oldReplicas'] = kept_counts.read(vim, namespace,
                                                     _old_refs(work))
    counts = replicas.per_vdu(work.state['oldReplicas'],
                              kept_counts.old_vdus(work))
    pkg = kctx.package_of(work.context, work.req.vnfdId)
    kept_counts.check_fits(work, pkg, counts)
    replicas.keep_counts(new_objs, counts, vnfc.vdu_of_workloads(
        pkg.obj_get('vnfdSummary') or {},
        work.old_inst.instantiatedVnfInfo.flavourId))


def steps(driver, work):
    namespace = kctx.namespace(work)

    def apply_new(w):
        new_objs, _shared, _old_only = plan(driver, w)
        with kctx.connect(w) as vim:
            _keep_running_counts(vim, namespace, w, new_objs)
            w.state['newApplied'] = [manifests.ref(o) for o in new_objs]
            w.save_progress()
            manifests.check_free(vim, namespace, new_objs, w.inst.id)
            for obj in new_objs:
                manifests.apply(vim, namespace, obj, w.inst.id)

    def remove_new(w):
        with kctx.connect(w) as vim:
            lifecycle.delete_all(vim, namespace,
                                 w.state.get('newApplied', []), w.inst.id)

    def wait_new(w):
        with kctx.connect(w) as vim:
            lifecycle.wait_workloads(vim, namespace, w.state['newApplied'])

    def coordinate_new(w):
        with kctx.connect(w) as vim:
            if 'savedSelectors' not in w.state:
                w.state['savedSelectors'] = _services(
                    vim, namespace, _old_refs(w))
                w.save_progress()
            extra = _resources_for_script(vim, namespace, w)
        change_vnfpkg.run_script(w, 'new', extra)

    def restore_selectors(w):
        with kctx.connect(w) as vim:
            for name, selector in (w.state.get('savedSelectors') or
                                   {}).items():
                vim.call('restore selector of Service %s' % name, 'PATCH',
                         resources.object_path('Service', namespace, name),
                         body={'spec': {'selector': selector}},
                         content_type='application/merge-patch+json')

    def rollback_script(w, side):
        """The script's rollback; None when it has none to call."""
        if not (w.state.get('scripts') or {}).get(side):
            return None
        with kctx.connect(w) as vim:
            extra = _resources_for_script(vim, namespace, w)
        return change_vnfpkg.run_script(w, side, extra, method='rollback')

    def undo_coordinate_new(w):
        if rollback_script(w, 'new') is None:
            restore_selectors(w)

    def coordinate_old(w):
        with kctx.connect(w) as vim:
            extra = _resources_for_script(vim, namespace, w)
        change_vnfpkg.run_script(w, 'old', extra)

    def delete_old(w):
        _new, _shared, old_only = plan(driver, w)
        w.state['deletedOld'] = old_only
        w.save_progress()
        with kctx.connect(w) as vim:
            lifecycle.delete_all(vim, namespace, old_only, w.inst.id)

    def recreate_old(w):
        meta = w.old_inst.instantiatedVnfInfo.obj_get('metadata') or {}
        _pkg, objs = driver._package_objects(
            w, w.old_inst.vnfdId, meta.get('lcm-kubernetes-def-files') or [])
        wanted = {_key(r) for r in w.state.get('deletedOld', [])}
        objs = [o for o in objs if _key(manifests.ref(o)) in wanted]
        # As they ran, not as the old manifests say (a level's count).
        replicas.keep_counts(objs, w.state.get('oldReplicas') or {})
        with kctx.connect(w) as vim:
            lifecycle.wait_deleting_gone(vim, namespace,
                                         [manifests.ref(o) for o in objs])
            applied = lifecycle.apply_all(vim, namespace, objs, w.inst.id)
            lifecycle.wait_workloads(vim, namespace, applied)

    return [Step('apply_new', apply_new, remove_new),
            Step('wait_new_ready', wait_new),
            Step('coordinate_new', coordinate_new, undo_coordinate_new),
            Step('coordinate_old', coordinate_old,
                 lambda w: rollback_script(w, 'old')),
            Step('delete_old', delete_old, recreate_old)]


def applied(state):
    """The objects a change made so far, from its step record's state.

    apply_new records them before it creates the first one.
    """
    return state.get('newApplied') or []


def info(driver, work):
    _new, shared, _old_only = plan(driver, work)
    return vnfc.info_after_change(
        work, [dict(r) for r in shared + work.state['newApplied']])
