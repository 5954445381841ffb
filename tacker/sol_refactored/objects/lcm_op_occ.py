"""VnfLcmOpOcc, its change records and ProblemDetails (SOL003 5.5.2.13)."""
from tacker.sol_refactored.common import redact
from tacker.sol_refactored.db import models
from tacker.sol_refactored.objects import base
from tacker.sol_refactored.objects import fields

F = fields


@base.register
class ProblemDetails(base.SolObject):
    fields = {
        'type': F.StringField(nullable=True),
        'title': F.StringField(nullable=True),
        'status': F.IntegerField(nullable=False),
        'detail': F.StringField(nullable=False),
        'instance': F.StringField(nullable=True),
    }


@base.register
class AffectedVnfc(base.SolObject):
    fields = {
        'id': F.StringField(nullable=False),
        'vduId': F.StringField(nullable=False),
        'vnfdId': F.StringField(nullable=True),
        'changeType': F.ChangeTypeField(nullable=False),
        'computeResource': F.ObjectField('ResourceHandle', nullable=False),
        'resourceDefinitionId': F.StringField(nullable=True),
        'zoneId': F.StringField(nullable=True),
        'metadata': F.KeyValuePairsField(nullable=True),
        'affectedVnfcCpIds': F.ListOfStringsField(nullable=True),
        'addedStorageResourceIds': F.ListOfStringsField(nullable=True),
        'removedStorageResourceIds': F.ListOfStringsField(nullable=True),
    }


@base.register
class AffectedVirtualLink(base.SolObject):
    fields = {
        'id': F.StringField(nullable=False),
        'vnfVirtualLinkDescId': F.StringField(nullable=False),
        'vnfdId': F.StringField(nullable=True),
        'changeType': F.ChangeTypeField(nullable=False),
        'networkResource': F.ObjectField('ResourceHandle', nullable=False),
        'vnfLinkPortIds': F.ListOfStringsField(nullable=True),
        'resourceDefinitionId': F.StringField(nullable=True),
        'zoneId': F.StringField(nullable=True),
        'metadata': F.KeyValuePairsField(nullable=True),
    }


@base.register
class AffectedVirtualStorage(base.SolObject):
    fields = {
        'id': F.StringField(nullable=False),
        'virtualStorageDescId': F.StringField(nullable=False),
        'vnfdId': F.StringField(nullable=True),
        'changeType': F.ChangeTypeField(nullable=False),
        'storageResource': F.ObjectField('ResourceHandle', nullable=False),
        'resourceDefinitionId': F.StringField(nullable=True),
        'zoneId': F.StringField(nullable=True),
        'metadata': F.KeyValuePairsField(nullable=True),
    }


@base.register
class ResourceChanges(base.SolObject):
    fields = {
        'affectedVnfcs': F.ListOfObjectsField('AffectedVnfc', nullable=True),
        'affectedVirtualLinks': F.ListOfObjectsField('AffectedVirtualLink',
                                                     nullable=True),
        'affectedExtLinkPorts': F.JsonField(nullable=True),
        'affectedVirtualStorages': F.ListOfObjectsField(
            'AffectedVirtualStorage', nullable=True),
    }


@base.register
class VnfInfoModifications(base.SolObject):
    fields = {
        'vnfInstanceName': F.StringField(nullable=True),
        'vnfInstanceDescription': F.StringField(nullable=True),
        'vnfConfigurableProperties': F.KeyValuePairsField(nullable=True),
        'metadata': F.KeyValuePairsField(nullable=True),
        'extensions': F.KeyValuePairsField(nullable=True),
        'vimConnectionInfo': F.KeyValuePairsField(nullable=True),
        'vnfdId': F.StringField(nullable=True),
        'vnfProvider': F.StringField(nullable=True),
        'vnfProductName': F.StringField(nullable=True),
        'vnfSoftwareVersion': F.StringField(nullable=True),
        'vnfdVersion': F.StringField(nullable=True),
        'vnfcInfoModifications': F.JsonField(nullable=True),
    }


@base.register
class VnfLcmOpOcc(base.Persistent, base.SolObject):
    db_model = models.VnfLcmOpOcc
    db_only_fields = ('stepRecord', 'ownerConductorId', 'requestId',
                      'projectId')
    project_attr = 'projectId'
    default_order = 'startTime'
    fields = {
        'id': F.StringField(nullable=False),
        'operationState': F.LcmOperationStateField(nullable=False),
        'stateEnteredTime': F.DateTimeField(nullable=False),
        'startTime': F.DateTimeField(nullable=False),
        'vnfInstanceId': F.StringField(nullable=False),
        'grantId': F.StringField(nullable=True),
        'operation': F.LcmOperationTypeField(nullable=False),
        'isAutomaticInvocation': F.BooleanField(nullable=False),
        'operationParams': F.KeyValuePairsField(nullable=True),
        'isCancelPending': F.BooleanField(nullable=False),
        'cancelMode': F.StringField(nullable=True),
        'error': F.ObjectField('ProblemDetails', nullable=True),
        'resourceChanges': F.ObjectField('ResourceChanges', nullable=True),
        'changedInfo': F.ObjectField('VnfInfoModifications', nullable=True),
        'changedExtConnectivity': F.JsonField(nullable=True),
        'stepRecord': F.KeyValuePairsField(nullable=True),
        'ownerConductorId': F.StringField(nullable=True),
        'requestId': F.StringField(nullable=True),
        'projectId': F.StringField(nullable=True),
    }

    def to_api(self, base_url):
        body = self.to_dict()
        for key, value in list(body.items()):
            if value is None:
                del body[key]
        if 'operationParams' in body:
            # The request as the client sent it, but never its secrets.
            body['operationParams'] = redact.mask_dict(
                body['operationParams'])
        href = '%s/vnflcm/v2/vnf_lcm_op_occs/%s' % (base_url, self.id)
        links = {
            'self': {'href': href},
            'vnfInstance': {'href': '%s/vnflcm/v2/vnf_instances/%s' % (
                base_url, self.vnfInstanceId)},
        }
        if self.operationState == F.LcmOperationStateField.FAILED_TEMP:
            for task in ('retry', 'rollback', 'fail'):
                links[task] = {'href': '%s/%s' % (href, task)}
        body['_links'] = links
        return body
