"""/vnflcm/v2/vnf_lcm_op_occs and its task resources (SOL003 5.4.12-16).

retry and rollback move a FAILED_TEMP occurrence on with a conditional
UPDATE, so one of two concurrent requests wins and the other gets 409,
then cast to a conductor; fail ends it here, in one transaction with the
release of the instance and what the operation's plugin records of the
steps it gives up (without calling the VIM).
"""
from tacker.sol_refactored.api import versions
from tacker.sol_refactored.api import wsgi
from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import notification
from tacker.sol_refactored.common import plugins
from tacker.sol_refactored.common import query
from tacker.sol_refactored.common import timeutil
from tacker.sol_refactored.conductor import rpc
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored import objects
from tacker.sol_refactored.objects import fields

CONF = config.CONF
S = fields.LcmOperationStateField

DEFAULT_EXCLUDED = ('operationParams', 'error', 'resourceChanges',
                    'changedInfo', 'changedExtConnectivity')
MANDATORY = ('id', 'operationState', 'stateEnteredTime', 'startTime',
             'vnfInstanceId', 'operation', 'isAutomaticInvocation',
             'isCancelPending', '_links')


class LcmOpOccsController(rpc.UsesConductor):

    def _get(self, context, lcmocc_id, session=None):
        return objects.base.get_or_404(
            objects.VnfLcmOpOcc, context, lcmocc_id,
            sol_ex.LcmOpOccNotFound, session=session, lcmocc_id=lcmocc_id)

    def owner(self, context, vnfLcmOpOccId):
        return self._get(context, vnfLcmOpOccId).projectId

    def index(self, request):
        occs = objects.VnfLcmOpOcc.get_all(request.context)
        base_url = request.base_url()
        return query.list_response(
            request, [o.to_api(base_url) for o in occs],
            CONF.v2_vnfm.lcm_op_occ_page_size, DEFAULT_EXCLUDED,
            mandatory=MANDATORY, schema=objects.VnfLcmOpOcc)

    def show(self, request, vnfLcmOpOccId):
        lcmocc = self._get(request.context, vnfLcmOpOccId)
        return wsgi.SolResponse(200, lcmocc.to_api(request.base_url()))

    def _move_failed_temp(self, context, lcmocc_id, to_state, task,
                          entered=None):
        """FAILED_TEMP -> to_state, conditionally; the occurrence.

        ``entered``: the stateEnteredTime the caller saw; another value
        means the occurrence left FAILED_TEMP and came back meanwhile.
        """
        with db_api.writer(context) as session:
            lcmocc = self._get(context, lcmocc_id, session)
            if lcmocc.operationState != S.FAILED_TEMP:
                raise sol_ex.Conflict(
                    'Operation %s is %s; %s is possible only in '
                    'FAILED_TEMP.' % (lcmocc.id, lcmocc.operationState, task))
            if entered is not None and lcmocc.stateEnteredTime != entered:
                raise sol_ex.Conflict(
                    'Operation %s was retried or rolled back while the %s '
                    'request was handled; send it again.' % (lcmocc.id,
                                                             task))
            lcmocc.operationState = to_state
            lcmocc.stateEnteredTime = timeutil.utcnow()
            if not lcmocc.update(session, expect={
                    'operationState': S.FAILED_TEMP}):
                raise sol_ex.Conflict(
                    'Operation %s left FAILED_TEMP while the request was '
                    'handled.' % lcmocc.id)
            return lcmocc

    def retry(self, request, vnfLcmOpOccId):
        context = request.context
        # The conductor notifies PROCESSING when it takes the operation.
        self._move_failed_temp(context, vnfLcmOpOccId, S.PROCESSING,
                               'retry')
        self.conductor.retry_lcm_op(context, vnfLcmOpOccId)
        return wsgi.SolResponse(202)

    def rollback(self, request, vnfLcmOpOccId):
        context = request.context
        self._move_failed_temp(context, vnfLcmOpOccId, S.ROLLING_BACK,
                               'rollback')
        self.conductor.rollback_lcm_op(context, vnfLcmOpOccId)
        return wsgi.SolResponse(202)

    def fail(self, request, vnfLcmOpOccId):
        context = request.context
        seen = self._get(context, vnfLcmOpOccId)
        if seen.operationState != S.FAILED_TEMP:
            raise sol_ex.Conflict(
                'Operation %s is %s; fail is possible only in FAILED_TEMP.'
                % (seen.id, seen.operationState))
        inst = objects.VnfInstance.get_by_id(context, seen.vnfInstanceId)
        if inst is not None:
            # What the given-up steps left on the VIM goes into the
            # record. The plugin may read the VIM (within its own time
            # bound), so this runs before, not inside, the transaction;
            # the conditional updates below refuse it if the occurrence
            # moved meanwhile.
            plugin = plugins.lcm_operation_by_type(seen.operation)
            plugin.failed_result(context, seen, inst)
        with db_api.writer(context) as session:
            lcmocc = self._move_failed_temp(
                context, vnfLcmOpOccId, S.FAILED, 'fail',
                entered=seen.stateEnteredTime)
            if inst is not None:
                inst.busyLcmOpOccId = None
                inst.update(session, expect={'busyLcmOpOccId': lcmocc.id})
        notification.notify_lcmocc(context, lcmocc, inst)
        return wsgi.SolResponse(200, lcmocc.to_api(request.base_url()))


def add_routes(router, controller=None):
    ctl = controller or LcmOpOccsController()
    policy = versions.VNFLCM_V2_POLICY
    base = '/vnflcm/v2/vnf_lcm_op_occs'
    router.add(base, 'GET', wsgi.Resource(ctl, 'index', policy,
                                          'lcm_op_occ:index'))
    item = base + '/{vnfLcmOpOccId}'
    router.add(item, 'GET', wsgi.Resource(ctl, 'show', policy,
                                          'lcm_op_occ:show',
                                          owner=ctl.owner))
    for task in ('retry', 'rollback', 'fail'):
        router.add('%s/%s' % (item, task), 'POST', wsgi.Resource(
            ctl, task, policy, 'lcm_op_occ:' + task, owner=ctl.owner))
