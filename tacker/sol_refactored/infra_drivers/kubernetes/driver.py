"""Infra driver for ETSINFV.KUBERNETES.V_1 (entry point in setup.cfg).

Instantiate applies the manifests the request names from the package's
``Files/kubernetes/`` and waits, with the API's watch, until every workload
is rolled out with its Pods Ready; terminate deletes them in reverse order
and waits until they and their Pods are gone (what is gone already is
fine). The change_vnfpkg flows live in ``change_blue_green`` and
``change_rolling``; after a rollback of either, the record is read again
from the cluster, and a change given up with ``fail`` adds what it applied
to the record, for terminate to delete, and reads its Pods again.
"""
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import instantiation_levels as levels
from tacker.sol_refactored.infra_drivers import base
from tacker.sol_refactored.infra_drivers.kubernetes import change_blue_green
from tacker.sol_refactored.infra_drivers.kubernetes import change_failed
from tacker.sol_refactored.infra_drivers.kubernetes import change_rolling
from tacker.sol_refactored.infra_drivers.kubernetes import context as kctx
from tacker.sol_refactored.infra_drivers.kubernetes import kept_counts
from tacker.sol_refactored.infra_drivers.kubernetes import lifecycle
from tacker.sol_refactored.infra_drivers.kubernetes import manifests
from tacker.sol_refactored.infra_drivers.kubernetes import replicas
from tacker.sol_refactored.infra_drivers.kubernetes import resources
from tacker.sol_refactored.infra_drivers.kubernetes import vnfc
from tacker.sol_refactored.lcm.base import Step
from tacker.sol_refactored.lcm import change_vnfpkg

DEF_FILES = 'lcm-kubernetes-def-files'


class KubernetesDriver(base.InfraDriver):
    vim_type = 'ETSINFV.KUBERNETES.V_1'
    change_vnfpkg_upgrade_types = (change_vnfpkg.BLUE_GREEN,
                                   change_vnfpkg.ROLLING_UPDATE)

    # -- instantiate -----------------------------------------------------

    def _package_objects(self, work, vnfd_id, def_files):
        pkg = kctx.package_of(work.context, vnfd_id)
        if pkg is None:
            raise sol_ex.UnprocessableEntity(
                'The package of vnfdId %s is gone.' % vnfd_id)
        return pkg, manifests.load(kctx.package_root(pkg), def_files)

    @staticmethod
    def _level_replicas(pkg, flavour_id, objs, counts):
        """The replicas of the instantiation level's VNFC counts."""
        vdus = vnfc.vdu_of_workloads(pkg.obj_get('vnfdSummary') or {},
                                     flavour_id)
        try:
            replicas.apply_counts(objs, vdus, counts)
        except ValueError as e:
            raise sol_ex.UnprocessableEntity(str(e))

    def check_instantiate(self, context, inst, req, pkg):
        # The cluster's own networking connects the Pods: links to
        # networks of a VIM cannot be made here, so they are refused by
        # name rather than ignored.
        given = [attr for attr in ('extVirtualLinks',
                                   'extManagedVirtualLinks')
                 if req.obj_get(attr)]
        if given:
            raise sol_ex.UnprocessableEntity(
                '%s: the Kubernetes driver does not connect VNFs to VIM '
                'networks (the cluster networks the Pods; Services expose '
                'them); send the request without it.' % ' and '.join(given))
        params = req.obj_get('additionalParams') or {}
        objs = manifests.load(kctx.package_root(pkg), params.get(DEF_FILES))
        flavour = ((pkg.obj_get('vnfdSummary') or {}).get('flavours') or
                   {}).get(req.flavourId) or {}
        try:
            counts = levels.vdu_counts(flavour,
                                       req.obj_get('instantiationLevelId'),
                                       profile_minimum=False)
        except levels.LevelError as e:
            raise sol_ex.UnprocessableEntity(str(e))
        self._level_replicas(pkg, req.flavourId, objs, counts)
        if not vnfc.workload_refs([manifests.ref(o) for o in objs]):
            raise sol_ex.UnprocessableEntity(
                '%s names no Deployment, StatefulSet or DaemonSet: the VNF '
                'would have no VNFC.' % DEF_FILES)
        chosen = kctx.chosen_namespace(params,
                                       manifests.declared_namespace(objs))
        if chosen:
            manifests.check_namespace(objs, chosen)

    def _instantiate_namespace(self, work):
        """The namespace an instantiate uses; the manifests may name it.

        Without the package (gone: the apply step says so), as if they
        did not.
        """
        params = work.req.obj_get('additionalParams') or {}
        pkg = kctx.package_of(work.context, work.inst.vnfdId)
        declared = None
        if pkg is not None and params.get(DEF_FILES):
            declared = manifests.declared_namespace(manifests.load(
                kctx.package_root(pkg), params[DEF_FILES]))
        return kctx.namespace(work, declared)

    def instantiate_steps(self, work):
        params = work.req.obj_get('additionalParams') or {}
        def_files = params.get(DEF_FILES) or []
        namespace = self._instantiate_namespace(work)

        def apply(w):
            pkg, objs = self._package_objects(w, w.inst.vnfdId, def_files)
            manifests.check_namespace(objs, namespace)
            self._level_replicas(pkg, w.req.flavourId, objs,
                                 w.state.get('levelCounts'))
            with kctx.connect(w) as vim:
                manifests.check_free(vim, namespace, objs, w.inst.id)
                w.state['applied'] = [manifests.ref(o) for o in objs]
                w.save_progress()
                lifecycle.apply_all(vim, namespace, objs, w.inst.id)

        def unapply(w):
            with kctx.connect(w) as vim:
                lifecycle.delete_all(vim, namespace,
                                     w.state.get('applied', []), w.inst.id)

        def wait(w):
            with kctx.connect(w) as vim:
                lifecycle.wait_workloads(vim, namespace, w.state['applied'])

        return [Step('apply_manifests', apply, unapply),
                Step('wait_ready', wait)]

    def instantiated_info(self, work):
        params = work.req.obj_get('additionalParams') or {}
        pkg = kctx.package_of(work.context, work.inst.vnfdId)
        meta = dict(work.old_inst.obj_get('metadata') or {})
        meta[DEF_FILES] = params.get(DEF_FILES) or []
        work.state['newMetadata'] = meta
        with kctx.connect(work) as vim:
            return vnfc.build_info(
                vim, self._instantiate_namespace(work), work.req.flavourId,
                work.inst.vnfdId, pkg.vnfdSummary, work.state['applied'],
                params.get(DEF_FILES) or [])

    # -- terminate -------------------------------------------------------

    def terminate_steps(self, work):
        info = work.old_inst.instantiatedVnfInfo
        meta = info.obj_get('metadata') or {}
        refs = meta.get('resources') or []
        namespace = meta.get('namespace') or kctx.DEFAULT_NAMESPACE

        def delete(w):
            with kctx.connect(w) as vim:
                if 'replicas' not in w.state:
                    # What the workloads run, for an undo to give back.
                    w.state['replicas'] = kept_counts.read(vim, namespace,
                                                           refs)
                    w.save_progress()
                lifecycle.delete_all(vim, namespace, refs, w.inst.id)

        def restore(w):
            _pkg, objs = self._package_objects(
                w, w.old_inst.vnfdId, meta.get(DEF_FILES) or [])
            replicas.keep_counts(objs, w.state.get('replicas') or {})
            with kctx.connect(w) as vim:
                lifecycle.wait_deleting_gone(
                    vim, namespace, [manifests.ref(o) for o in objs])
                applied = lifecycle.apply_all(vim, namespace, objs,
                                              w.inst.id)
                lifecycle.wait_workloads(vim, namespace, applied)

        return [Step('delete_objects', delete, restore)]

    # -- change_vnfpkg ---------------------------------------------------

    def check_change_vnfpkg(self, context, inst, req, pkg, state):
        if not (pkg.obj_get('vnfdSummary') or {}).get('kubernetesManifests'):
            raise sol_ex.UnprocessableEntity(
                'The package of vnfdId %s holds no Kubernetes manifests '
                '(Files/kubernetes/): it cannot serve a VNF on a Kubernetes '
                'VIM.' % req.vnfdId)
        params = req.obj_get('additionalParams') or {}
        def_files = params.get(DEF_FILES)
        if def_files is None:
            # The same file names, read from the new package.
            def_files = (inst.instantiatedVnfInfo.obj_get('metadata') or
                         {}).get(DEF_FILES) or []
        objs = manifests.load(kctx.package_root(pkg), def_files)
        if not vnfc.workload_refs([manifests.ref(o) for o in objs]):
            raise sol_ex.UnprocessableEntity(
                'The manifests %s of the new package hold no Deployment, '
                'StatefulSet or DaemonSet.' % ', '.join(def_files))
        namespace = (inst.instantiatedVnfInfo.obj_get('metadata') or
                     {}).get('namespace') or kctx.DEFAULT_NAMESPACE
        declared = manifests.declared_namespace(objs)
        if declared and declared != namespace:
            raise sol_ex.UnprocessableEntity(
                'The new package creates Namespace %s, but the VNF lives '
                'in %s; a change of package keeps the namespace.' % (
                    declared, namespace))
        manifests.check_namespace(objs, namespace)
        running = {(r['kind'], r['name']) for r in
                   (inst.instantiatedVnfInfo.obj_get('metadata') or
                    {}).get('resources') or []}
        workloads = {(r['kind'], r['name']) for r in vnfc.workload_refs(
            [manifests.ref(o) for o in objs])}
        if state['upgradeType'] == change_vnfpkg.BLUE_GREEN:
            clash = workloads & running
            if clash:
                raise sol_ex.UnprocessableEntity(
                    'Blue-Green needs the new workloads to be named apart '
                    'from the running ones; %s exists already. Use '
                    'RollingUpdate to change it in place.' % ', '.join(
                        '%s %s' % kn for kn in sorted(clash)))
        else:
            unknown = workloads - running
            if unknown:
                raise sol_ex.UnprocessableEntity(
                    'A rolling update changes running workloads in place; '
                    'the VNF has no %s. Use BlueGreen for new workloads.' %
                    ', '.join('%s %s' % kn for kn in sorted(unknown)))
        state['defFiles'] = list(def_files)
        state['defFilesChanged'] = DEF_FILES in params

    def _flow(self, work):
        if work.state['upgradeType'] == change_vnfpkg.BLUE_GREEN:
            return change_blue_green
        return change_rolling

    def change_vnfpkg_steps(self, work):
        return self._flow(work).steps(self, work)

    def change_vnfpkg_info(self, work):
        return self._flow(work).info(self, work)

    def change_vnfpkg_rollback_info(self, work):
        """After a rollback: the old VNF as the cluster now holds it.

        The undo may have made new Pods (a Rolling update rolled back, old
        workloads re-created): the old record's workloads are read again
        and their live Pods recorded, keeping the VNFC ids of the Pods
        that survived.
        """
        old = work.old_inst
        pkg = kctx.package_of(work.context, old.vnfdId)
        summary = (pkg.obj_get('vnfdSummary') or {}) if pkg else {}
        with kctx.connect(work) as vim:
            return vnfc.info_as_now(vim, old.instantiatedVnfInfo,
                                    old.vnfdId, summary)

    def change_vnfpkg_failed_reread(self, work):
        """After fail: objects named, Pods read again (``change_failed``)."""
        return change_failed.failed_info(self, work)

    def change_vnfpkg_failed_info(self, state, info):
        """The record of a change given up with ``fail``; None if the same.

        Nothing is undone then, so every object the change applied is
        added to ``metadata.resources``, for terminate to delete. Reads
        only the step record's ``state``: no VIM call.
        """
        flow = (change_blue_green if state.get('upgradeType') ==
                change_vnfpkg.BLUE_GREEN else change_rolling)
        meta = dict(info.obj_get('metadata') or {})
        recorded = [dict(r) for r in meta.get('resources') or []]
        known = {(r['kind'], r['name']) for r in recorded}
        added = [{'kind': r['kind'], 'name': r['name']}
                 for r in flow.applied(state)
                 if (r['kind'], r['name']) not in known]
        if not added:
            return None
        meta['resources'] = resources.ordered(recorded + added)
        new_info = info.copy()
        new_info.metadata = meta
        return new_info
