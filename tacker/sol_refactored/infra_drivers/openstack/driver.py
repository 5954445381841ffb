"""Infra driver for ETSINFV.OPENSTACK_KEYSTONE.V_3 (entry point in setup.cfg).

Instantiate first puts the software image files of the package into
Glance (``images``; undo: delete what it uploaded), then creates one Heat
stack from the package's BaseHOT of the flavour (see ``hot``) and waits
for CREATE_COMPLETE; the instance's record is then read back from Heat,
Nova, Neutron and Cinder (``vnfc``), and names the images in
``instantiatedVnfInfo.metadata.images``. Terminate deletes the stack (and
any other the record names in ``metadata.otherStackIds``, see
``change_failed``) and waits until it is gone, then deletes the images
no other VNF uses; it has no undo (a deleted server cannot be brought
back as it was), so a failed terminate stays FAILED_TEMP for a retry,
which deletes what is left.
The change_vnfpkg flows live in ``change_blue_green`` and
``change_rolling``.

How the VIM is reached (the Keystone catalogue, or per service type
``interfaceInfo.endpointOverrides``, e.g. to put a proxy in front of
Heat) and the time limits of every call are described in ``vim`` and in
doc/source/user/openstack_vim.rst.
"""
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.infra_drivers import base
from tacker.sol_refactored.infra_drivers.openstack import change_blue_green
from tacker.sol_refactored.infra_drivers.openstack import change_failed
from tacker.sol_refactored.infra_drivers.openstack import change_rolling
from tacker.sol_refactored.infra_drivers.openstack import context as osctx
from tacker.sol_refactored.infra_drivers.openstack import ext_cps
from tacker.sol_refactored.infra_drivers.openstack import images
from tacker.sol_refactored.infra_drivers.openstack import lifecycle
from tacker.sol_refactored.infra_drivers.openstack import stack as os_stack
from tacker.sol_refactored.infra_drivers.openstack import vnfc
from tacker.sol_refactored.lcm.base import Step
from tacker.sol_refactored.lcm import change_vnfpkg


class OpenStackDriver(base.InfraDriver):
    vim_type = 'ETSINFV.OPENSTACK_KEYSTONE.V_3'
    change_vnfpkg_upgrade_types = (change_vnfpkg.BLUE_GREEN,
                                   change_vnfpkg.ROLLING_UPDATE)

    # -- instantiate -----------------------------------------------------

    def check_instantiate(self, context, inst, req, pkg):
        if req.obj_get('extManagedVirtualLinks'):
            raise sol_ex.UnprocessableEntity(
                'extManagedVirtualLinks is not supported by the OpenStack '
                'driver yet; name the networks of the CPs in '
                'extVirtualLinks.')
        osctx.stack_inputs(pkg, req.flavourId,
                           req.obj_get('extVirtualLinks'),
                           req.obj_get('additionalParams'))
        images.package_specs(pkg, req.flavourId)

    def instantiate_steps(self, work):
        def create(w):
            pkg = osctx.package_of(w.context, w.inst.vnfdId)
            # The VNFC counts of the instantiation level (the API read
            # them from the VNFD); additionalParams.nfv may still override.
            template, files, nfv = osctx.stack_inputs(
                pkg, w.req.flavourId, w.req.obj_get('extVirtualLinks'),
                w.req.obj_get('additionalParams'),
                w.state.get('vduCounts'), images.image_ids(w, 'images'))
            lifecycle.create_stack(w, 'stack', osctx.stack_name(w.inst.id),
                                   template, files, nfv)

        return [Step('upload_images',
                     lambda w: images.upload_step(w, 'images', w.inst.vnfdId,
                                                  w.req.flavourId),
                     lambda w: images.undo_step(w, 'images')),
                Step('create_stack', create,
                     lambda w: lifecycle.delete_stack(w, 'stack')),
                Step('wait_create_complete',
                     lambda w: lifecycle.wait_created(w, 'stack'))]

    def instantiated_info(self, work):
        pkg = osctx.package_of(work.context, work.inst.vnfdId)
        with osctx.connect(work) as vim:
            data = vnfc.read_vim(vim, work.state['stackId'],
                                 work.req.obj_get('extVirtualLinks'))
        info = vnfc.build_info(
            data, work.req.flavourId,
            osctx.flavour_of(pkg, work.req.flavourId), work.inst.vnfdId,
            work.req.obj_get('extVirtualLinks'), work.state['stackNfv'])
        return images.with_images(
            info, images.recorded(work.state.get('images')))

    # -- terminate -------------------------------------------------------

    def terminate_steps(self, work):
        stack_id = osctx.current_stack(work.old_inst)
        # A change given up with fail may have left a second stack.
        others = change_failed.other_stacks(work.old_inst.instantiatedVnfInfo)

        def delete(w):
            with osctx.connect(w) as vim:
                for other in others:
                    os_stack.delete(vim, other)
                os_stack.delete(vim, stack_id)

        def delete_images(w):
            ids = [i.get('imageId') for i in
                   images.of_record(w.old_inst.instantiatedVnfInfo)]
            with osctx.connect(w) as vim:
                images.release(w, vim, ids)

        # No undo: see the module's docstring.
        return [Step('delete_stack', delete),
                Step('delete_images', delete_images)]

    # -- change_vnfpkg ---------------------------------------------------

    def check_change_vnfpkg(self, context, inst, req, pkg, state):
        flavour_id = inst.instantiatedVnfInfo.flavourId
        vdus = osctx.flavour_of(pkg, flavour_id).get('vdus') or {}
        params = state.get('vduParams') or []
        if not params:
            raise sol_ex.BadRequest(
                'additionalParams.vdu_params is required on an OpenStack '
                'VIM: list the VDUs to change, e.g. [{"vdu_id": "VDU1"}].')
        unknown = [p.get('vdu_id') for p in params
                   if not isinstance(p, dict) or p.get('vdu_id') not in vdus]
        if unknown:
            raise sol_ex.UnprocessableEntity(
                'vdu_params names VDUs that flavour %s of the new package '
                'does not have: %s (it has: %s).' % (
                    flavour_id, ', '.join(map(str, unknown)),
                    ', '.join(sorted(vdus))))
        extra = req.obj_get('additionalParams') or {}
        if state['upgradeType'] == change_vnfpkg.BLUE_GREEN:
            lb = extra.get('external_lb_param')
            if not isinstance(lb, dict) or not lb.get('ip_address'):
                raise sol_ex.BadRequest(
                    'A Blue-Green change on OpenStack needs '
                    'additionalParams.external_lb_param with ip_address '
                    '(and username, password) of the load balancer the '
                    'CoordinateVNF scripts switch.')
        # The new package must give a stack for the running flavour.
        _t, _f, nfv = osctx.stack_inputs(
            pkg, flavour_id, osctx.ext_vls_of(inst.instantiatedVnfInfo),
            extra, osctx.vdu_counts(inst.instantiatedVnfInfo))
        fixed = ext_cps.fixed_cps(nfv)
        if state['upgradeType'] == change_vnfpkg.BLUE_GREEN and fixed:
            raise sol_ex.UnprocessableEntity(
                'A Blue-Green change runs the old and the new VNF side by '
                'side, but external CP(s) %s have a fixed address, MAC '
                'address or port that only one of them can hold; use '
                'RollingUpdate, which keeps the ports.' % ', '.join(fixed))
        images.package_specs(pkg, flavour_id)
        if state['upgradeType'] == change_vnfpkg.ROLLING_UPDATE:
            change_rolling.check(osctx.package_of(context, inst.vnfdId), pkg,
                                 flavour_id, [p['vdu_id'] for p in params],
                                 nfv)

    def _flow(self, work):
        if work.state['upgradeType'] == change_vnfpkg.BLUE_GREEN:
            return change_blue_green
        return change_rolling

    def change_vnfpkg_steps(self, work):
        return self._flow(work).steps(work)

    def change_vnfpkg_info(self, work):
        return self._flow(work).info(work)

    def change_vnfpkg_rollback_info(self, work):
        """After a rollback: the record as the VIM holds it, or None.

        Blue-Green leaves the old stack as it was (the record stands); a
        Rolling update may have replaced servers on the way back.
        """
        if work.state['upgradeType'] == change_vnfpkg.ROLLING_UPDATE:
            return change_rolling.rollback_info(work)
        return None

    def change_vnfpkg_failed_reread(self, work):
        """After fail: the record as the VIM holds it (``change_failed``).

        Called by the API with a read-only ``work``, bounded in time; a VIM
        that cannot be read leaves the former record with a note. The
        images the VNF had and those the change uploaded stay named in
        it, so that terminate deletes them with the rest.
        """
        info = change_failed.failed_info(work)
        if info is None:
            return None
        named = images.of_record(work.old_inst.instantiatedVnfInfo)
        known = {i.get('imageId') for i in named}
        named += [i for i in images.recorded(work.state.get('newImages'))
                  if i['uploaded'] and i['imageId'] and
                  i['imageId'] not in known]
        return images.with_images(info, named)
