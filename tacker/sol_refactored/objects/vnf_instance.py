"""VnfInstance and the run-time information it holds (SOL003 5.5.2.2)."""
from tacker.sol_refactored.common import redact
from tacker.sol_refactored.db import models
from tacker.sol_refactored.objects import base
from tacker.sol_refactored.objects import fields

F = fields


@base.register
class VimConnectionInfo(base.SolObject):
    fields = {
        'vimId': F.StringField(nullable=True),
        'vimType': F.StringField(nullable=False),
        'interfaceInfo': F.KeyValuePairsField(nullable=True),
        'accessInfo': F.KeyValuePairsField(nullable=True),
        'extra': F.KeyValuePairsField(nullable=True),
    }


@base.register
class ResourceHandle(base.SolObject):
    fields = {
        'vimConnectionId': F.StringField(nullable=True),
        'resourceProviderId': F.StringField(nullable=True),
        'resourceId': F.StringField(nullable=False),
        'vimLevelResourceType': F.StringField(nullable=True),
    }


@base.register
class VnfcCpInfo(base.SolObject):
    fields = {
        'id': F.StringField(nullable=False),
        'cpdId': F.StringField(nullable=False),
        'vnfExtCpId': F.StringField(nullable=True),
        'cpProtocolInfo': F.JsonField(nullable=True),
        'vnfLinkPortId': F.StringField(nullable=True),
        'parentCpId': F.StringField(nullable=True),
        'metadata': F.KeyValuePairsField(nullable=True),
    }


@base.register
class VnfcResourceInfo(base.SolObject):
    fields = {
        'id': F.StringField(nullable=False),
        'vduId': F.StringField(nullable=False),
        'vnfdId': F.StringField(nullable=True),
        'computeResource': F.ObjectField('ResourceHandle', nullable=False),
        'zoneId': F.StringField(nullable=True),
        'storageResourceIds': F.ListOfStringsField(nullable=True),
        'reservationId': F.StringField(nullable=True),
        'vnfcCpInfo': F.ListOfObjectsField('VnfcCpInfo', nullable=True),
        'metadata': F.KeyValuePairsField(nullable=True),
    }


@base.register
class VirtualStorageResourceInfo(base.SolObject):
    fields = {
        'id': F.StringField(nullable=False),
        'virtualStorageDescId': F.StringField(nullable=False),
        'vnfdId': F.StringField(nullable=True),
        'storageResource': F.ObjectField('ResourceHandle', nullable=False),
        'zoneId': F.StringField(nullable=True),
        'reservationId': F.StringField(nullable=True),
        'metadata': F.KeyValuePairsField(nullable=True),
    }


@base.register
class VnfLinkPortInfo(base.SolObject):
    fields = {
        'id': F.StringField(nullable=False),
        'resourceHandle': F.ObjectField('ResourceHandle', nullable=False),
        'cpInstanceId': F.StringField(nullable=True),
        'cpInstanceType': F.StringField(nullable=True),
        'vipCpInstanceId': F.StringField(nullable=True),
        'trunkResourceId': F.StringField(nullable=True),
    }


@base.register
class VnfVirtualLinkResourceInfo(base.SolObject):
    fields = {
        'id': F.StringField(nullable=False),
        'vnfVirtualLinkDescId': F.StringField(nullable=False),
        'vnfdId': F.StringField(nullable=True),
        'networkResource': F.ObjectField('ResourceHandle', nullable=False),
        'zoneId': F.StringField(nullable=True),
        'reservationId': F.StringField(nullable=True),
        'vnfLinkPorts': F.ListOfObjectsField('VnfLinkPortInfo',
                                             nullable=True),
        'metadata': F.KeyValuePairsField(nullable=True),
    }


@base.register
class ExtManagedVirtualLinkInfo(base.SolObject):
    fields = {
        'id': F.StringField(nullable=False),
        'vnfVirtualLinkDescId': F.StringField(nullable=False),
        'vnfdId': F.StringField(nullable=True),
        'networkResource': F.ObjectField('ResourceHandle', nullable=False),
        'vnfLinkPorts': F.ListOfObjectsField('VnfLinkPortInfo',
                                             nullable=True),
        'extManagedMultisiteVirtualLinkId': F.StringField(nullable=True),
    }


@base.register
class VnfExtCpInfo(base.SolObject):
    fields = {
        'id': F.StringField(nullable=False),
        'cpdId': F.StringField(nullable=False),
        'cpConfigId': F.StringField(nullable=True),
        'vnfdId': F.StringField(nullable=True),
        'cpProtocolInfo': F.JsonField(nullable=True),
        'extLinkPortId': F.StringField(nullable=True),
        'metadata': F.KeyValuePairsField(nullable=True),
        'associatedVnfcCpId': F.StringField(nullable=True),
        'associatedVipCpId': F.StringField(nullable=True),
        'associatedVnfVirtualLinkId': F.StringField(nullable=True),
    }


@base.register
class ExtVirtualLinkInfo(base.SolObject):
    fields = {
        'id': F.StringField(nullable=False),
        'resourceHandle': F.ObjectField('ResourceHandle', nullable=False),
        'extLinkPorts': F.JsonField(nullable=True),
        'currentVnfExtCpData': F.JsonField(nullable=True),
    }


@base.register
class ScaleInfo(base.SolObject):
    fields = {
        'aspectId': F.StringField(nullable=False),
        'vnfdId': F.StringField(nullable=True),
        'scaleLevel': F.IntegerField(nullable=False),
    }


@base.register
class VnfcInfo(base.SolObject):
    fields = {
        'id': F.StringField(nullable=False),
        'vduId': F.StringField(nullable=False),
        'vnfcResourceInfoId': F.StringField(nullable=True),
        'vnfcState': F.StringField(nullable=False),
        'vnfcConfigurableProperties': F.KeyValuePairsField(nullable=True),
    }


@base.register
class InstantiatedVnfInfo(base.SolObject):
    fields = {
        'flavourId': F.StringField(nullable=False),
        'vnfState': F.VnfOperationalStateField(nullable=False),
        'scaleStatus': F.ListOfObjectsField('ScaleInfo', nullable=True),
        'maxScaleLevels': F.ListOfObjectsField('ScaleInfo', nullable=True),
        'extCpInfo': F.ListOfObjectsField('VnfExtCpInfo', nullable=True),
        'vipCpInfo': F.JsonField(nullable=True),
        'extVirtualLinkInfo': F.ListOfObjectsField('ExtVirtualLinkInfo',
                                                   nullable=True),
        'extManagedVirtualLinkInfo': F.ListOfObjectsField(
            'ExtManagedVirtualLinkInfo', nullable=True),
        'monitoringParameters': F.JsonField(nullable=True),
        'localizationLanguage': F.StringField(nullable=True),
        'vnfcResourceInfo': F.ListOfObjectsField('VnfcResourceInfo',
                                                 nullable=True),
        'vnfVirtualLinkResourceInfo': F.ListOfObjectsField(
            'VnfVirtualLinkResourceInfo', nullable=True),
        'virtualStorageResourceInfo': F.ListOfObjectsField(
            'VirtualStorageResourceInfo', nullable=True),
        'vnfcInfo': F.ListOfObjectsField('VnfcInfo', nullable=True),
        # Not a SOL003 attribute: VIM-level facts the infra driver needs
        # again later (the Heat stack id, the Kubernetes namespace ...).
        'metadata': F.KeyValuePairsField(nullable=True),
    }


def redact_access_info(vim_infos):
    """vimConnectionInfo as it may be shown: without secrets."""
    if not vim_infos:
        return vim_infos
    shown = {}
    for key, info in vim_infos.items():
        info = dict(info)
        if isinstance(info.get('accessInfo'), dict):
            # Kept in the database for the infra drivers; never shown.
            info['accessInfo'] = redact.drop_secrets(info['accessInfo'])
        shown[key] = info
    return shown


@base.register
class VnfInstance(base.Persistent, base.SolObject):
    db_model = models.VnfInstance
    db_only_fields = ('busyLcmOpOccId', 'createdAt', 'projectId')
    project_attr = 'projectId'
    fields = {
        'id': F.StringField(nullable=False),
        'vnfInstanceName': F.StringField(nullable=True),
        'vnfInstanceDescription': F.StringField(nullable=True),
        'vnfdId': F.StringField(nullable=False),
        'vnfProvider': F.StringField(nullable=False),
        'vnfProductName': F.StringField(nullable=False),
        'vnfSoftwareVersion': F.StringField(nullable=False),
        'vnfdVersion': F.StringField(nullable=False),
        'vnfConfigurableProperties': F.KeyValuePairsField(nullable=True),
        # map(VimConnectionInfo), keyed by an id the API client chooses.
        'vimConnectionInfo': F.KeyValuePairsField(nullable=True),
        'instantiationState': F.InstantiationStateField(nullable=False),
        'instantiatedVnfInfo': F.ObjectField('InstantiatedVnfInfo',
                                             nullable=True),
        'metadata': F.KeyValuePairsField(nullable=True),
        'extensions': F.KeyValuePairsField(nullable=True),
        'busyLcmOpOccId': F.StringField(nullable=True),
        'createdAt': F.DateTimeField(nullable=False),
        'projectId': F.StringField(nullable=True),
    }

    def vim_connections(self):
        return {key: VimConnectionInfo.from_dict(value)
                for key, value in (self.obj_get('vimConnectionInfo')
                                   or {}).items()}

    def to_api(self, base_url, operations=()):
        """The API body: secrets removed, _links added."""
        body = self.to_dict()
        if 'vimConnectionInfo' in body:
            body['vimConnectionInfo'] = redact_access_info(
                body['vimConnectionInfo'])
        self_href = '%s/vnflcm/v2/vnf_instances/%s' % (base_url, self.id)
        links = {'self': {'href': self_href}}
        for api_action, link_name in operations:
            links[link_name] = {'href': '%s/%s' % (self_href, api_action)}
        body['_links'] = links
        return body
