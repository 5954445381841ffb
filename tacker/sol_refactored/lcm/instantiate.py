"""InstantiateVnf (SOL003 5.4.4) as an LCM-operation plugin."""
from tacker.sol_refactored.api.schemas import vnflcm as schemas
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import instantiation_levels as levels
from tacker.sol_refactored.common import plugins
from tacker.sol_refactored.lcm import base
from tacker.sol_refactored.lcm import changes
from tacker.sol_refactored.lcm import unsupported
from tacker.sol_refactored.lcm import vim_connection
from tacker.sol_refactored import objects


class InstantiateOperation(base.LcmOperation):
    name = 'instantiate'
    operation = 'INSTANTIATE'
    request_schema = schemas.InstantiateVnfRequest
    request_class = objects.InstantiateVnfRequest
    link_name = 'instantiate'
    link_states = ('NOT_INSTANTIATED',)
    required_state = 'NOT_INSTANTIATED'

    def check(self, context, inst, req):
        vims = vim_connection.merged(inst.obj_get('vimConnectionInfo'),
                                     req.obj_get('vimConnectionInfo'))
        _key, vim = vim_connection.single_vim(vims)
        pkgs = objects.VnfPkgInfo.get_all(context, vnfdId=inst.vnfdId)
        summary = (pkgs[0].obj_get('vnfdSummary') or {}) if pkgs else {}
        flavours = summary.get('flavours')
        if flavours is not None and req.flavourId not in flavours:
            raise sol_ex.UnprocessableEntity(
                'flavourId %s is not a deployment flavour of VNFD %s; it '
                'has: %s.' % (req.flavourId, inst.vnfdId,
                              ', '.join(sorted(flavours))))
        state = {}
        if flavours is not None:
            flavour = flavours[req.flavourId]
            try:
                # Kept for the driver: the VNFC count of each VDU.
                state['vduCounts'] = levels.vdu_counts(
                    flavour, req.obj_get('instantiationLevelId'))
                state['levelCounts'] = levels.vdu_counts(
                    flavour, req.obj_get('instantiationLevelId'),
                    profile_minimum=False)
            except levels.LevelError as e:
                raise sol_ex.UnprocessableEntity(str(e))
        unsupported.refuse_user_data(req, 'instantiate')
        if pkgs:
            plugins.infra_driver(vim['vimType']).check_instantiate(
                context, inst, req, pkgs[0])
            unsupported.refuse_vnfd_scripts(pkgs[0], req.flavourId)
        return state

    def _driver(self, work):
        vims = vim_connection.merged(
            work.old_inst.obj_get('vimConnectionInfo'),
            work.req.obj_get('vimConnectionInfo'))
        key, vim = vim_connection.single_vim(vims)
        return plugins.infra_driver(vim['vimType']), vims

    def steps(self, work):
        driver, _vims = self._driver(work)
        return driver.instantiate_steps(work)

    def result(self, work):
        driver, vims = self._driver(work)
        info = driver.instantiated_info(work)
        inst = work.inst
        inst.vimConnectionInfo = vims
        inst.instantiationState = 'INSTANTIATED'
        inst.instantiatedVnfInfo = info
        if work.state.get('newMetadata') is not None:
            inst.metadata = work.state['newMetadata']
        for attr in ('vnfConfigurableProperties', 'extensions'):
            if work.req.obj_get(attr) is not None:
                setattr(inst, attr, work.req.obj_get(attr))
        work.lcmocc.resourceChanges = changes.diff(None, info)
