"""TerminateVnf (SOL003 5.4.8) as an LCM-operation plugin."""
from tacker.sol_refactored.api.schemas import vnflcm as schemas
from tacker.sol_refactored.common import plugins
from tacker.sol_refactored.lcm import base
from tacker.sol_refactored.lcm import changes
from tacker.sol_refactored.lcm import unsupported
from tacker.sol_refactored.lcm import vim_connection
from tacker.sol_refactored import objects


class TerminateOperation(base.LcmOperation):
    name = 'terminate'
    operation = 'TERMINATE'
    request_schema = schemas.TerminateVnfRequest
    request_class = objects.TerminateVnfRequest
    link_name = 'terminate'
    link_states = ('INSTANTIATED',)
    required_state = 'INSTANTIATED'

    def check(self, context, inst, req):
        vim_connection.single_vim(inst.obj_get('vimConnectionInfo'))
        unsupported.refuse_user_data(req, 'terminate')
        return {}

    def _driver(self, work):
        _key, vim = vim_connection.single_vim(
            work.old_inst.obj_get('vimConnectionInfo'))
        return plugins.infra_driver(vim['vimType'])

    def steps(self, work):
        return self._driver(work).terminate_steps(work)

    def result(self, work):
        old_info = work.old_inst.obj_get('instantiatedVnfInfo')
        work.inst.instantiationState = 'NOT_INSTANTIATED'
        work.inst.instantiatedVnfInfo = None
        work.lcmocc.resourceChanges = changes.diff(old_info, None)
