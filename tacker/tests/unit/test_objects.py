"""SOL objects to and from API JSON, without a database."""
import copy
import datetime

import testtools

from tacker.sol_refactored import objects
from tacker.sol_refactored.objects import base

BASE_URL = 'http://nfvo.example:9890'


def _handle(resource_id, kind='OS::Nova::Server'):
    return {'vimConnectionId': 'vim1', 'resourceProviderId': 'nova',
            'resourceId': resource_id, 'vimLevelResourceType': kind}


def vnf_instance_body():
    """An instantiated VNF instance as the API shows it, with secrets."""
    return {
        'id': 'b1bb0ce7-ebca-4fa7-95ed-4840d70a1177',
        'vnfInstanceName': 'vnf-ü-日本',
        'vnfInstanceDescription': 'a sample',
        'vnfdId': 'b1bb0ce7-ebca-4fa7-95ed-4840d7000000',
        'vnfProvider': 'Company',
        'vnfProductName': 'Sample VNF',
        'vnfSoftwareVersion': '1.0',
        'vnfdVersion': '1.0',
        'vnfConfigurableProperties': {'isAutoscaleEnabled': False},
        'vimConnectionInfo': {
            'vim1': {
                'vimId': 'c3369b54-e376-4423-bb61-afd255900fea',
                'vimType': 'ETSINFV.OPENSTACK_KEYSTONE.V_3',
                'interfaceInfo': {'endpoint': 'http://keystone/v3'},
                'accessInfo': {'username': 'nfv_user', 'region': 'RegionOne',
                               'password': 'devstack',
                               'project': 'nfv', 'projectDomain': 'Default',
                               'userDomain': 'Default'},
            },
            'vim2': {
                'vimType': 'ETSINFV.KUBERNETES.V_1',
                'interfaceInfo': {'endpoint': 'https://k8s:6443'},
                'accessInfo': {'bearer_token': 'secret-token',
                               'client_secret': 'oauth-secret'},
            },
        },
        'instantiationState': 'INSTANTIATED',
        'instantiatedVnfInfo': {
            'flavourId': 'simple',
            'vnfState': 'STARTED',
            'scaleStatus': [{'aspectId': 'VDU1_scale', 'scaleLevel': 1}],
            'maxScaleLevels': [{'aspectId': 'VDU1_scale',
                                'scaleLevel': 3}],
            'extCpInfo': [{
                'id': 'ecp-1', 'cpdId': 'VDU1_CP1', 'cpConfigId': 'cfg',
                'cpProtocolInfo': [{
                    'layerProtocol': 'IP_OVER_ETHERNET',
                    'ipOverEthernet': {'ipAddresses': [
                        {'type': 'IPV4', 'isDynamic': True}]}}],
                'associatedVnfcCpId': 'vnfc-cp-1',
            }],
            'extVirtualLinkInfo': [{
                'id': 'ext-vl-1', 'resourceHandle': _handle(
                    'net-1', 'OS::Neutron::Net'),
                'extLinkPorts': [{'id': 'elp', 'resourceHandle': _handle(
                    'port-e', 'OS::Neutron::Port')}],
            }],
            'vnfcResourceInfo': [{
                'id': 'vnfc-1', 'vduId': 'VDU1',
                'computeResource': _handle('server-1'),
                'storageResourceIds': ['st-1'],
                'vnfcCpInfo': [{'id': 'vnfc-cp-1', 'cpdId': 'VDU1_CP1',
                                'vnfExtCpId': 'ecp-1'},
                               {'id': 'vnfc-cp-2', 'cpdId': 'VDU1_CP2',
                                'vnfLinkPortId': 'lp-1'}],
                'metadata': {'creation_time': '2024-05-01T10:20:30Z',
                             'stack_id': 'stack/1'},
            }],
            'virtualStorageResourceInfo': [{
                'id': 'st-1', 'virtualStorageDescId': 'VirtualStorage',
                'storageResource': _handle('vol-1', 'OS::Cinder::Volume'),
            }],
            'vnfVirtualLinkResourceInfo': [{
                'id': 'vl-1', 'vnfVirtualLinkDescId': 'internalVL1',
                'networkResource': _handle('net-2', 'OS::Neutron::Net'),
                'vnfLinkPorts': [{
                    'id': 'lp-1',
                    'resourceHandle': _handle('port-1', 'OS::Neutron::Port'),
                    'cpInstanceId': 'vnfc-cp-2',
                    'cpInstanceType': 'VNFC_CP'}],
            }],
            'vnfcInfo': [{'id': 'VDU1-vnfc-1', 'vduId': 'VDU1',
                          'vnfcResourceInfoId': 'vnfc-1',
                          'vnfcState': 'STARTED'}],
            'metadata': {'stack_id': 'stack/1', 'namespace': None},
        },
        'metadata': {'tenant': 'nfv', 'list': [1, 2, {'x': 'ü'}]},
        'extensions': {'ext': {'nested': True}},
    }


def lcm_op_occ_body():
    inst = vnf_instance_body()
    vnfc = inst['instantiatedVnfInfo']['vnfcResourceInfo'][0]
    return {
        'id': '7c1e8e7b-0a6e-4a7e-8d23-3c5f1f3b0b11',
        'operationState': 'FAILED_TEMP',
        'stateEnteredTime': '2024-05-01T10:25:00Z',
        'startTime': '2024-05-01T10:20:30Z',
        'vnfInstanceId': inst['id'],
        'operation': 'CHANGE_VNFPKG',
        'isAutomaticInvocation': False,
        'operationParams': {'vnfdId': 'new-vnfd', 'additionalParams': {
            'upgrade_type': 'RollingUpdate'}},
        'isCancelPending': False,
        'error': {'type': 'about:blank', 'title': 'Conflict',
                  'status': 409, 'detail': 'Heat said no: ü',
                  'instance': '/x'},
        'resourceChanges': {
            'affectedVnfcs': [{
                'id': vnfc['id'], 'vduId': 'VDU1', 'changeType': 'MODIFIED',
                'computeResource': vnfc['computeResource'],
                'affectedVnfcCpIds': ['vnfc-cp-1'],
                'addedStorageResourceIds': ['st-2'],
                'removedStorageResourceIds': ['st-1']}],
            'affectedVirtualLinks': [{
                'id': 'vl-1', 'vnfVirtualLinkDescId': 'internalVL1',
                'changeType': 'LINK_PORT_ADDED',
                'networkResource': _handle('net-2', 'OS::Neutron::Net'),
                'vnfLinkPortIds': ['lp-1']}],
            'affectedVirtualStorages': [{
                'id': 'st-2', 'virtualStorageDescId': 'VirtualStorage',
                'changeType': 'ADDED',
                'storageResource': _handle('vol-2', 'OS::Cinder::Volume')}],
        },
        'changedInfo': {'vnfdId': 'new-vnfd', 'vnfProvider': 'Company',
                        'vnfProductName': 'Sample VNF',
                        'vnfSoftwareVersion': '2.0', 'vnfdVersion': '2.0',
                        'metadata': {'k': 'v'}},
        'changedExtConnectivity': [{'id': 'ext-vl-1'}],
    }


def subscription_body():
    return {
        'id': 'a6e1f5c3-8e3b-4b84-8f6f-6d1e0f0c0c01',
        'filter': {'operationTypes': ['CHANGE_VNFPKG'],
                   'vnfInstanceSubscriptionFilter': {
                       'vnfdIds': ['vnfd-1']}},
        'callbackUri': 'http://nfvo.example/notify',
        'verbosity': 'FULL',
    }


def vnf_package_body():
    return {
        'id': '0b8c3e2f-5a6c-4d7e-8f90-123456789abc',
        'vnfdId': 'vnfd-1',
        'vnfProvider': 'Company',
        'vnfProductName': 'Sample VNF',
        'vnfSoftwareVersion': '1.0',
        'vnfdVersion': '1.0',
        'checksum': {'algorithm': 'SHA-512', 'hash': 'ab' * 64},
        'packageSecurityOption': 'OPTION_1',
        'softwareImages': [{'id': 'VDU1', 'name': 'cirros',
                            'minDisk': 1, 'size': 12345,
                            'checksum': {'algorithm': 'SHA-256',
                                         'hash': 'cd' * 32}}],
        'additionalArtifacts': [{'artifactPath': 'Scripts/coordinate.py',
                                 'isManoArtifact': False}],
        'onboardingState': 'ONBOARDED',
        'operationalState': 'ENABLED',
        'usageState': 'NOT_IN_USE',
        'userDefinedData': {'key': 'value'},
    }


def samples():
    """A realistic API body for every registered object class."""
    inst = vnf_instance_body()
    info = inst['instantiatedVnfInfo']
    occ = lcm_op_occ_body()
    changes = occ['resourceChanges']
    return {
        'VnfInstance': inst,
        'InstantiatedVnfInfo': info,
        'VimConnectionInfo': inst['vimConnectionInfo']['vim1'],
        'ResourceHandle': _handle('server-1'),
        'VnfcResourceInfo': info['vnfcResourceInfo'][0],
        'VnfcCpInfo': info['vnfcResourceInfo'][0]['vnfcCpInfo'][0],
        'VirtualStorageResourceInfo': info['virtualStorageResourceInfo'][0],
        'VnfVirtualLinkResourceInfo': info['vnfVirtualLinkResourceInfo'][0],
        'VnfLinkPortInfo':
            info['vnfVirtualLinkResourceInfo'][0]['vnfLinkPorts'][0],
        'ExtManagedVirtualLinkInfo': {
            'id': 'emvl', 'vnfVirtualLinkDescId': 'internalVL2',
            'networkResource': _handle('net-3', 'OS::Neutron::Net'),
            'extManagedMultisiteVirtualLinkId': 'ms-1'},
        'VnfExtCpInfo': info['extCpInfo'][0],
        'ExtVirtualLinkInfo': info['extVirtualLinkInfo'][0],
        'ScaleInfo': info['scaleStatus'][0],
        'VnfcInfo': info['vnfcInfo'][0],
        'VnfLcmOpOcc': occ,
        'ProblemDetails': occ['error'],
        'ResourceChanges': changes,
        'AffectedVnfc': changes['affectedVnfcs'][0],
        'AffectedVirtualLink': changes['affectedVirtualLinks'][0],
        'AffectedVirtualStorage': changes['affectedVirtualStorages'][0],
        'VnfInfoModifications': occ['changedInfo'],
        'LccnSubscription': subscription_body(),
        'VnfPkgInfo': vnf_package_body(),
        'CreateVnfRequest': {'vnfdId': 'vnfd-1', 'vnfInstanceName': 'a',
                             'vnfInstanceDescription': 'b',
                             'metadata': {'k': 'v'}},
        'InstantiateVnfRequest': {
            'flavourId': 'simple', 'instantiationLevelId': 'l1',
            'extVirtualLinks': [{'id': 'ext-vl-1', 'resourceId': 'net-1',
                                 'extCps': []}],
            'vimConnectionInfo': inst['vimConnectionInfo'],
            'localizationLanguage': 'ja',
            'additionalParams': {'lcm-operation-user-data': 'x.py'}},
        'TerminateVnfRequest': {'terminationType': 'GRACEFUL',
                                'gracefulTerminationTimeout': 30,
                                'additionalParams': {}},
        'ChangeCurrentVnfPkgRequest': {
            'vnfdId': 'new-vnfd',
            'additionalParams': {
                'upgrade_type': 'RollingUpdate',
                'vdu_params': [{'vdu_id': 'VDU1', 'old_vnfc_param': {
                    'cp_name': 'VDU1_CP1', 'username': 'u',
                    'password': 'p'}}]}},
    }


class TestApiJson(testtools.TestCase):

    def test_every_registered_class_has_a_sample(self):
        self.assertEqual(set(base.SolObjectRegistry.obj_classes()),
                         set(samples()))

    def test_round_trip_of_every_class(self):
        for name, body in samples().items():
            cls = base.get_class(name)
            obj = cls.from_dict(copy.deepcopy(body))
            self.assertIsInstance(obj, cls)
            self.assertEqual(body, obj.to_dict(), name)

    def test_nested_values_are_objects(self):
        inst = objects.VnfInstance.from_dict(vnf_instance_body())
        vnfc = inst.instantiatedVnfInfo.vnfcResourceInfo[0]
        self.assertIsInstance(vnfc, objects.VnfcResourceInfo)
        self.assertIsInstance(vnfc.computeResource, objects.ResourceHandle)
        self.assertEqual('server-1', vnfc.computeResource.resourceId)
        self.assertIsInstance(vnfc.vnfcCpInfo[1], objects.VnfcCpInfo)

    def test_unknown_attributes_are_dropped(self):
        body = samples()['ScaleInfo']
        obj = objects.ScaleInfo.from_dict(dict(body, unknownAttr=1))
        self.assertEqual(body, obj.to_dict())

    def test_none_is_left_out_where_nullable_and_refused_elsewhere(self):
        # SOL013: an attribute without a value is absent, never null.
        obj = objects.ResourceHandle.from_dict(
            {'resourceId': 'r', 'vimConnectionId': None})
        self.assertIsNone(obj.vimConnectionId)
        self.assertEqual({'resourceId': 'r'}, obj.to_dict())
        self.assertRaises(ValueError, objects.ResourceHandle.from_dict,
                          {'resourceId': None})
        self.assertIsNone(objects.VnfInstance.from_dict(None))

    def test_unset_attributes_are_absent(self):
        self.assertEqual({'resourceId': 'r'}, objects.ResourceHandle(
            resourceId='r').to_dict())

    def test_not_an_object(self):
        self.assertRaises(ValueError, objects.ScaleInfo.from_dict, [1])
        self.assertRaises(ValueError, objects.InstantiatedVnfInfo.from_dict,
                          {'scaleStatus': {'aspectId': 'a'}})

    def test_wrong_types_are_refused(self):
        self.assertRaises(ValueError, objects.ScaleInfo.from_dict,
                          {'aspectId': 'a', 'scaleLevel': 'high'})
        self.assertRaises(ValueError, objects.VnfLcmOpOcc.from_dict,
                          {'operationState': 'DONE'})
        self.assertRaises(ValueError, objects.VnfInstance.from_dict,
                          {'metadata': ['not', 'an', 'object']})

    def test_datetime_is_utc_with_z_to_the_second(self):
        body = lcm_op_occ_body()
        body['startTime'] = '2024-05-01T19:20:30.456+09:00'
        occ = objects.VnfLcmOpOcc.from_dict(body)
        self.assertEqual(datetime.timezone.utc.utcoffset(None),
                         occ.startTime.utcoffset())
        self.assertEqual(0, occ.startTime.microsecond)
        self.assertEqual('2024-05-01T10:20:30Z', occ.to_dict()['startTime'])

    def test_copy_is_equal_and_independent(self):
        inst = objects.VnfInstance.from_dict(vnf_instance_body())
        other = inst.copy()
        self.assertEqual(inst.to_dict(), other.to_dict())
        other.instantiatedVnfInfo.vnfState = 'STOPPED'
        self.assertEqual('STARTED', inst.instantiatedVnfInfo.vnfState)


class TestToApi(testtools.TestCase):

    def test_vnf_instance_hides_secrets_and_links_itself(self):
        inst = objects.VnfInstance.from_dict(vnf_instance_body())
        inst.busyLcmOpOccId = 'op-1'
        inst.createdAt = '2024-05-01T10:20:30Z'
        body = inst.to_api(BASE_URL, operations=[('change_vnfpkg',
                                                  'changeVnfPkg')])
        vims = body['vimConnectionInfo']
        self.assertEqual({'username': 'nfv_user', 'region': 'RegionOne',
                          'project': 'nfv', 'projectDomain': 'Default',
                          'userDomain': 'Default'}, vims['vim1']['accessInfo'])
        self.assertEqual({}, vims['vim2']['accessInfo'])
        self.assertNotIn('devstack', repr(body))
        self.assertNotIn('secret', repr(body))
        href = BASE_URL + '/vnflcm/v2/vnf_instances/' + inst.id
        self.assertEqual({'self': {'href': href},
                          'changeVnfPkg': {'href': href + '/change_vnfpkg'}},
                         body['_links'])
        self.assertNotIn('busyLcmOpOccId', body)
        self.assertNotIn('createdAt', body)
        # The object itself still holds the secrets for the infra driver.
        self.assertEqual('devstack', inst.vim_connections()[
            'vim1'].accessInfo['password'])

    def test_vnf_instance_without_vim_info(self):
        body = objects.VnfInstance.from_dict(
            {'id': 'i', 'vimConnectionInfo': None}).to_api(BASE_URL)
        self.assertNotIn('vimConnectionInfo', body)
        self.assertIn('self', body['_links'])

    def test_lcm_op_occ_links(self):
        occ = objects.VnfLcmOpOcc.from_dict(lcm_op_occ_body())
        body = occ.to_api(BASE_URL)
        self.assertNotIn('cancelMode', body)
        self.assertEqual({'self', 'vnfInstance', 'retry', 'rollback',
                          'fail'}, set(body['_links']))

    def test_subscription_never_shows_authentication(self):
        sub = objects.LccnSubscription.from_dict(dict(
            subscription_body(), authentication={
                'authType': ['BASIC'],
                'paramsBasic': {'userName': 'u', 'password': 'pw'}}))
        body = sub.to_api(BASE_URL)
        self.assertNotIn('authentication', body)
        self.assertNotIn('pw', repr(body))
