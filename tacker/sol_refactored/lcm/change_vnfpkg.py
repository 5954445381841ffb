"""ChangeCurrentVnfPkg (SOL003 5.4.11a) as an LCM-operation plugin.

The API side checks everything it can before the VIM is touched: the new
package, the upgrade type, the scripts (inside the new package, class
defined), the VDU parameters and what the instance's infra driver can do.
The conductor side asks the infra driver for the steps of the chosen flow
(Blue-Green or Rolling update) and, at the end, for the instance as the VIM
now holds it; the postamble records the new vnfdId and moves the packages'
usageState in the same transaction.
"""
from tacker.sol_refactored.api.schemas import vnflcm as schemas
from tacker.sol_refactored.common import coordinate
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import instantiation_levels as levels
from tacker.sol_refactored.common import notification
from tacker.sol_refactored.common import plugins
from tacker.sol_refactored.common import redact
from tacker.sol_refactored.common import vnf_package_store as pkg_store
from tacker.sol_refactored.lcm import base
from tacker.sol_refactored.lcm import changes
from tacker.sol_refactored.lcm import unsupported
from tacker.sol_refactored.lcm import vim_connection
from tacker.sol_refactored import objects

BLUE_GREEN = 'BlueGreen'
ROLLING_UPDATE = 'RollingUpdate'
UPGRADE_TYPES = {
    'BlueGreen': BLUE_GREEN, 'Blue-Green': BLUE_GREEN,
    'RollingUpdate': ROLLING_UPDATE, 'Rolling update': ROLLING_UPDATE,
}
# Request attributes of SOL003 this tree does not act on yet: refused by
# name rather than silently ignored.
UNSUPPORTED = ('extVirtualLinks', 'extManagedVirtualLinks', 'extensions',
               'vnfConfigurableProperties', 'vimConnectionInfo')
SCRIPT_SIDES = ('old', 'new')


def upgrade_type(value):
    if value not in UPGRADE_TYPES:
        raise sol_ex.BadRequest(
            'additionalParams.upgrade_type %r is not known; use one of: %s.'
            % (value, ', '.join(sorted(UPGRADE_TYPES))))
    return UPGRADE_TYPES[value]


def vdu_params(params):
    value = params.get('vdu_params')
    if value is None:
        return []
    return [value] if isinstance(value, dict) else list(value)


class ChangeVnfPkgOperation(base.LcmOperation):
    name = 'change_vnfpkg'
    operation = 'CHANGE_VNFPKG'
    request_schema = schemas.ChangeCurrentVnfPkgRequest
    request_class = objects.ChangeCurrentVnfPkgRequest
    link_name = 'changeCurrentVnfPkg'
    link_states = ('INSTANTIATED',)
    required_state = 'INSTANTIATED'

    # -- API side ----------------------------------------------------------

    def check(self, context, inst, req):
        for attr in UNSUPPORTED:
            if req.obj_get(attr):
                raise sol_ex.UnprocessableEntity(
                    '%s is not supported by change_vnfpkg here; send the '
                    'request without it.' % attr)
        if req.vnfdId == inst.vnfdId:
            raise sol_ex.Conflict(
                'VNF instance %s already runs vnfdId %s; name another '
                'package.' % (inst.id, req.vnfdId))
        unsupported.refuse_user_data(req, 'change_vnfpkg')
        pkg = pkg_store.get_usable_package(context, req.vnfdId)
        params = req.obj_get('additionalParams') or {}
        state = {'upgradeType': upgrade_type(params.get('upgrade_type')),
                 'newPackageId': pkg.id,
                 'vduParams': vdu_params(params)}
        root = pkg_store.package_dir(pkg.id)
        state['scripts'] = self._check_scripts(root, params)
        key, vim = vim_connection.single_vim(
            inst.obj_get('vimConnectionInfo'))
        driver = plugins.infra_driver(vim['vimType'])
        if state['upgradeType'] not in getattr(
                driver, 'change_vnfpkg_upgrade_types', ()):
            raise sol_ex.UnprocessableEntity(
                'The %s infra driver cannot change the package by %s.' % (
                    plugins.normalize_vim_type(vim['vimType']),
                    state['upgradeType']))
        flavour_id = inst.instantiatedVnfInfo.flavourId
        flavours = (pkg.obj_get('vnfdSummary') or {}).get('flavours', {})
        if flavour_id not in flavours:
            raise sol_ex.UnprocessableEntity(
                'The VNF runs flavour %s, which the VNFD %s of the new '
                'package does not define (it has: %s).' % (
                    flavour_id, req.vnfdId, ', '.join(sorted(flavours))))
        # The VNF keeps the VNFC counts it runs: the new VNFD must allow
        # them.
        running = {}
        for vnfc in inst.instantiatedVnfInfo.obj_get(
                'vnfcResourceInfo') or []:
            running[vnfc.vduId] = running.get(vnfc.vduId, 0) + 1
        cannot = levels.check_counts(flavours[flavour_id], running)
        if cannot:
            raise sol_ex.UnprocessableEntity(
                'The VNFD %s cannot hold the VNFCs the VNF runs: %s.' % (
                    req.vnfdId, '; '.join(cannot)))
        # What only the infra driver knows: manifests, VDUs, LB ...
        driver.check_change_vnfpkg(context, inst, req, pkg, state)
        unsupported.refuse_vnfd_scripts(pkg, flavour_id)
        return state

    @staticmethod
    def _check_scripts(root, params):
        scripts = {}
        for side in SCRIPT_SIDES:
            param = 'lcm-operation-coordinate-%s-vnf' % side
            rel = params.get(param)
            class_name = params.get(param + '-class')
            if rel is None and class_name is None:
                continue
            if rel is None:
                raise sol_ex.BadRequest(
                    '%s-class needs %s, the script that defines the class.'
                    % (param, param))
            path = coordinate.resolve_script(root, rel, param)
            if class_name is None:
                # A script in upstream Tacker's convention: run as a
                # program, with the legacy stdin.
                coordinate.check_program(path, rel)
            else:
                coordinate.check_class(path, class_name, rel,
                                       param + '-class')
            scripts[side] = {'path': rel, 'class': class_name}
        return scripts

    # -- conductor side ----------------------------------------------------

    def _driver(self, work):
        _key, vim = vim_connection.single_vim(
            work.old_inst.obj_get('vimConnectionInfo'))
        return plugins.infra_driver(vim['vimType'])

    def steps(self, work):
        return self._driver(work).change_vnfpkg_steps(work)

    def result(self, work):
        driver = self._driver(work)
        pkg = objects.VnfPkgInfo.get_by_id(work.context,
                                           work.state['newPackageId'])
        old_info = work.old_inst.obj_get('instantiatedVnfInfo')
        info = driver.change_vnfpkg_info(work)
        inst = work.inst
        modified = objects.VnfInfoModifications()
        for attr in ('vnfdId', 'vnfProvider', 'vnfProductName',
                     'vnfSoftwareVersion', 'vnfdVersion'):
            setattr(inst, attr, getattr(pkg, attr))
            setattr(modified, attr, getattr(pkg, attr))
        new_metadata = work.state.get('newMetadata')
        if new_metadata is not None:
            inst.metadata = new_metadata
            modified.metadata = new_metadata
        inst.instantiatedVnfInfo = info
        work.lcmocc.changedInfo = modified
        work.lcmocc.resourceChanges = changes.diff(old_info, info)

    def rollback_result(self, work, inst):
        reread = getattr(self._driver(work), 'change_vnfpkg_rollback_info',
                         None)
        info = reread(work) if reread else None
        if info is not None:
            inst.instantiatedVnfInfo = info

    def failed_result(self, context, lcmocc, inst):
        # Whatever the change applied stays on the VIM. A driver that can
        # re-read the VNF does (bounded: see LcmOperation.failed_result);
        # otherwise it names what the step record says was applied, so
        # that terminate deletes it.
        info = inst.obj_get('instantiatedVnfInfo')
        if info is None:
            return
        state = (lcmocc.obj_get('stepRecord') or {}).get('state') or {}
        _key, vim = vim_connection.single_vim(
            inst.obj_get('vimConnectionInfo'))
        driver = plugins.infra_driver(vim['vimType'])
        reread = getattr(driver, 'change_vnfpkg_failed_reread', None)
        if reread is not None:
            new_info = reread(GivenUp(context, lcmocc, inst, self, state))
        else:
            record = getattr(driver, 'change_vnfpkg_failed_info', None)
            new_info = record(state, info) if record else None
        if new_info is not None:
            inst.instantiatedVnfInfo = new_info

    def postamble(self, work, session):
        pkg_store.refresh_usage(session, [work.old_inst.vnfdId,
                                          work.inst.vnfdId])


class GivenUp:
    """What a driver's failed re-read gets: the operation, read-only.

    The attributes of the conductor's Work that reading needs (context,
    occurrence, request, instance, step state, secrets); there is nothing
    to save.
    """

    def __init__(self, context, lcmocc, inst, plugin, state):
        self.context = context
        self.lcmocc = lcmocc
        self.old_inst = inst
        self.inst = inst
        self.req = plugin.request_class.from_dict(
            lcmocc.operationParams or {})
        self.state = dict(state)
        self.secrets = (redact.collect_secrets(lcmocc.operationParams) |
                        redact.collect_secrets(
                            inst.obj_get('vimConnectionInfo')))

    def save_progress(self):
        """Nothing is saved: the operation is being given up."""


def run_script(work, side, extra=None, method='coordinate'):
    """Run the request's CoordinateVNF script for one side, if it has one.

    ``extra`` holds what the flow knows at this point (new Pods, VNFC
    addresses ...). Returns the script's result ({} without a script).
    ``method`` ``rollback`` undoes what ``coordinate`` did, when a step is
    rolled back: the same request with ``action`` ``rollback``; a script
    class without that method has nothing to undo (None is returned).
    A script given without ``-class`` is run as a program, once per VNFC
    of ``extra`` (``coordinate.run_program``); its rollback is the same
    program with ``is_rollback`` true.
    """
    script = work.state.get('scripts', {}).get(side)
    if not script:
        return {}
    root = pkg_store.package_dir(work.state['newPackageId'])
    path = coordinate.resolve_script(
        root, script['path'], 'lcm-operation-coordinate-%s-vnf' % side)
    params = work.req.obj_get('additionalParams') or {}
    request = {
        'lcmOpOccId': work.lcmocc.id,
        'operation': work.lcmocc.operation,
        'side': side,
        'action': method,
        'upgradeType': work.state['upgradeType'],
        'vnfInstance': work.old_inst.to_dict(),
        'vimConnectionInfo': work.old_inst.obj_get('vimConnectionInfo'),
        'newVnfdId': work.req.vnfdId,
        'vduParams': work.state.get('vduParams', []),
        'externalLbParam': params.get('external_lb_param'),
        'resources': extra or {},
    }
    if script['class'] is None:
        return coordinate.run_program(root, path, request, method=method,
                                      base_url=notification.base_url())
    return coordinate.run(root, path, script['class'], request,
                          method=method)
