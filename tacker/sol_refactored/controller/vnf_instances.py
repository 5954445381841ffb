"""/vnflcm/v2/vnf_instances and the LCM operations on them (SOL003 5.4.2+).

The operation routes come from the LCM-operation plugins: one generic
handler validates the body with the plugin's schema, lets the plugin check
the request, takes the instance and creates the occurrence in one
transaction, answers 202 and casts to a conductor.
"""
import functools
import uuid

import sqlalchemy as sa

from tacker.sol_refactored.api.schemas import vnflcm as schemas
from tacker.sol_refactored.api import validator
from tacker.sol_refactored.api import versions
from tacker.sol_refactored.api import wsgi
from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import notification
from tacker.sol_refactored.common import plugins
from tacker.sol_refactored.common import project_scope
from tacker.sol_refactored.common import query
from tacker.sol_refactored.common import timeutil
from tacker.sol_refactored.common import vnf_package_store
from tacker.sol_refactored.conductor import rpc
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored.db import models
from tacker.sol_refactored import objects
from tacker.sol_refactored.objects import fields

CONF = config.CONF
S = fields.LcmOperationStateField

DEFAULT_EXCLUDED = ('vnfConfigurableProperties', 'vimConnectionInfo',
                    'instantiatedVnfInfo', 'metadata', 'extensions')
# Attributes with cardinality 1: no selector removes them.
MANDATORY = ('id', 'vnfdId', 'vnfProvider', 'vnfProductName',
             'vnfSoftwareVersion', 'vnfdVersion', 'instantiationState',
             '_links')


class VnfInstancesController(rpc.UsesConductor):

    def _links(self, inst):
        return [(p.name, p.link_name) for p in
                plugins.lcm_operations().values()
                if p.link_name and inst.instantiationState in p.link_states]

    def _body(self, request, inst):
        return inst.to_api(request.base_url(), self._links(inst))

    def _get(self, context, inst_id, session=None):
        return objects.base.get_or_404(
            objects.VnfInstance, context, inst_id,
            sol_ex.VnfInstanceNotFound, session=session, inst_id=inst_id)

    def owner(self, context, vnfInstanceId):
        return self._get(context, vnfInstanceId).projectId

    def create(self, request):
        body = validator.validate(schemas.CreateVnfRequest,
                                  request.json_body())
        req = objects.CreateVnfRequest.from_dict(body)
        context = request.context
        owner = project_scope.owner_of_new(context)
        with db_api.writer(context) as session:
            # A package of another project is as unknown as a vnfdId no
            # package has.
            pkg = vnf_package_store.get_usable_package(
                context, req.vnfdId, session)
            inst = objects.VnfInstance(
                id=str(uuid.uuid4()),
                vnfInstanceName=req.obj_get('vnfInstanceName'),
                vnfInstanceDescription=req.obj_get('vnfInstanceDescription'),
                vnfdId=pkg.vnfdId, vnfProvider=pkg.vnfProvider,
                vnfProductName=pkg.vnfProductName,
                vnfSoftwareVersion=pkg.vnfSoftwareVersion,
                vnfdVersion=pkg.vnfdVersion,
                instantiationState='NOT_INSTANTIATED',
                metadata=req.obj_get('metadata'),
                createdAt=timeutil.utcnow(), projectId=owner)
            inst.create(session)
            vnf_package_store.refresh_usage(session, [pkg.vnfdId])
        notification.notify_vnf_identifier(
            context, inst, 'VnfIdentifierCreationNotification')
        body = self._body(request, inst)
        return wsgi.SolResponse(201, body, headers={
            'Location': body['_links']['self']['href']})

    def index(self, request):
        insts = objects.VnfInstance.get_all(request.context)
        return query.list_response(
            request, [self._body(request, i) for i in insts],
            CONF.v2_vnfm.vnf_instance_page_size, DEFAULT_EXCLUDED,
            mandatory=MANDATORY, schema=objects.VnfInstance)

    def show(self, request, vnfInstanceId):
        inst = self._get(request.context, vnfInstanceId)
        return wsgi.SolResponse(200, self._body(request, inst))

    def delete(self, request, vnfInstanceId):
        context = request.context
        with db_api.writer(context) as session:
            inst = self._get(context, vnfInstanceId, session)
            if inst.instantiationState != 'NOT_INSTANTIATED':
                raise sol_ex.Conflict(
                    'VNF instance %s is %s; terminate it before deleting '
                    'it.' % (inst.id, inst.instantiationState))
            if inst.busyLcmOpOccId:
                raise sol_ex.OtherOperationInProgress(
                    inst_id=inst.id, lcmocc_id=inst.busyLcmOpOccId)
            result = session.execute(sa.delete(models.VnfInstance).where(
                models.VnfInstance.id == inst.id,
                models.VnfInstance.busyLcmOpOccId.is_(None),
                models.VnfInstance.instantiationState == 'NOT_INSTANTIATED'))
            if result.rowcount != 1:
                raise sol_ex.Conflict(
                    'VNF instance %s changed while it was being deleted; '
                    'try again.' % inst.id)
            session.execute(sa.delete(models.VnfLcmOpOcc).where(
                models.VnfLcmOpOcc.vnfInstanceId == inst.id))
            vnf_package_store.refresh_usage(session, [inst.vnfdId])
        notification.notify_vnf_identifier(
            context, inst, 'VnfIdentifierDeletionNotification')
        return wsgi.SolResponse(204)

    def lcm_operation(self, request, vnfInstanceId, plugin):
        body = validator.validate(plugin.request_schema, request.json_body())
        req = plugin.request_class.from_dict(body)
        context = request.context
        inst = self._get(context, vnfInstanceId)
        self._check_free(inst, plugin)
        state = plugin.check(context, inst, req) or {}
        now = timeutil.utcnow()
        lcmocc = objects.VnfLcmOpOcc(
            id=str(uuid.uuid4()), operationState=S.STARTING,
            stateEnteredTime=now, startTime=now, vnfInstanceId=inst.id,
            operation=plugin.operation, isAutomaticInvocation=False,
            operationParams=body, isCancelPending=False,
            stepRecord={'done': [], 'state': state},
            requestId=request.environ.get('openstack.request_id'),
            projectId=inst.projectId)
        with db_api.writer(context) as session:
            # The database decides who holds the instance: this UPDATE
            # succeeds for exactly one of any concurrent requests.
            inst.busyLcmOpOccId = lcmocc.id
            if not inst.update(session, expect={
                    'busyLcmOpOccId': None,
                    'instantiationState': inst.instantiationState}):
                current = self._get(context, vnfInstanceId, session)
                self._check_free(current, plugin)
                raise sol_ex.Conflict(
                    'VNF instance %s changed while the request was '
                    'checked; try again.' % inst.id)
            lcmocc.create(session)
        notification.notify_lcmocc(context, lcmocc, inst)
        self.conductor.start_lcm_op(context, lcmocc.id)
        location = '%s/vnflcm/v2/vnf_lcm_op_occs/%s' % (
            request.base_url(), lcmocc.id)
        return wsgi.SolResponse(202, headers={'Location': location})

    @staticmethod
    def _check_free(inst, plugin):
        if inst.busyLcmOpOccId:
            raise sol_ex.OtherOperationInProgress(
                inst_id=inst.id, lcmocc_id=inst.busyLcmOpOccId)
        if (plugin.required_state and
                inst.instantiationState != plugin.required_state):
            raise sol_ex.Conflict(
                'VNF instance %s is %s; %s needs it %s.' % (
                    inst.id, inst.instantiationState, plugin.name,
                    plugin.required_state))


def add_routes(router, controller=None):
    ctl = controller or VnfInstancesController()
    policy = versions.VNFLCM_V2_POLICY
    base = '/vnflcm/v2/vnf_instances'
    router.add(base, 'POST', wsgi.Resource(ctl, 'create', policy,
                                           'vnf_instance:create'))
    router.add(base, 'GET', wsgi.Resource(ctl, 'index', policy,
                                          'vnf_instance:index'))
    item = base + '/{vnfInstanceId}'
    router.add(item, 'GET', wsgi.Resource(ctl, 'show', policy,
                                          'vnf_instance:show',
                                          owner=ctl.owner))
    router.add(item, 'DELETE', wsgi.Resource(ctl, 'delete', policy,
                                             'vnf_instance:delete',
                                             owner=ctl.owner))
    for name, plugin in sorted(plugins.lcm_operations().items()):
        action = '_lcm_%s' % name
        setattr(ctl, action, functools.partial(ctl.lcm_operation,
                                               plugin=plugin))
        router.add('%s/%s' % (item, name), 'POST', wsgi.Resource(
            ctl, action, policy, 'vnf_instance:' + name, owner=ctl.owner))
