"""External CPs of a request as the stack's nfv.CP, and in the record.

The request shapes follow SOL003 v3.3.1 ExtVirtualLinkData (extCps[].
cpConfig{}: VnfExtCpConfig with linkPortId and cpProtocolData[]
.ipOverEthernet macAddress / ipAddresses[] fixedAddresses,
numDynamicAddresses, subnetId; extLinkPorts[]: ExtLinkPortData with
resourceHandle). The record is built from the answers recorded on the
test cloud (test_openstack_recorded.json).
"""
import copy
import json

import testtools

from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.infra_drivers.openstack import context as osctx
from tacker.sol_refactored.infra_drivers.openstack import ext_cps
from tacker.sol_refactored.infra_drivers.openstack import hot
from tacker.sol_refactored.infra_drivers.openstack import vnfc
from tacker.sol_refactored import objects
from tacker.tests.unit import test_openstack_driver as recorded_vnf

NET = recorded_vnf.NET
SUBNET = 'bba0c5af-8b20-46ab-ba01-75650f96e495'
GIVEN_PORT = '7d0e3c3a-0000-4000-8000-00000000aa01'


def ip_data(mac=None, fixed=None, dynamic=0, subnet=None):
    address = {'type': 'IPV4'}
    if fixed:
        address['fixedAddresses'] = fixed
    if dynamic:
        address['numDynamicAddresses'] = dynamic
    if subnet:
        address['subnetId'] = subnet
    eth = {'ipAddresses': [address]}
    if mac:
        eth['macAddress'] = mac
    return [{'layerProtocol': 'IP_OVER_ETHERNET', 'ipOverEthernet': eth}]


def ext_vls(vdu2_config, vdu1_config=None, link_ports=None):
    vl = {'id': 'ext1', 'resourceId': NET, 'extCps': [
        {'cpdId': 'VDU1_CP1', 'cpConfig': {'VDU1_CP1_cfg': vdu1_config or {
            'cpProtocolData': ip_data(dynamic=1)}}},
        {'cpdId': 'VDU2_CP1', 'cpConfig': {'VDU2_CP1_cfg': vdu2_config}}]}
    if link_ports:
        vl['extLinkPorts'] = link_ports
    return [vl]


class TestCpParams(testtools.TestCase):

    def test_fixed_address_subnet_and_mac(self):
        vls = ext_vls({'cpProtocolData': ip_data(
            mac='fa:16:3e:00:00:07', fixed=['198.51.100.7'],
            subnet=SUBNET)})
        wanted = {
            'VDU1_CP1': {'network': NET},
            'VDU2_CP1': {'network': NET, 'mac_address': 'fa:16:3e:00:00:07',
                         'fixed_ips': [{'ip_address': '198.51.100.7',
                                        'subnet': SUBNET}]}}
        self.assertEqual(wanted, ext_cps.cp_params(vls))
        self.assertEqual({'198.51.100.7'}, ext_cps.fixed_addresses(vls))

    def test_dynamic_addresses_in_a_named_subnet(self):
        vls = ext_vls({'cpProtocolData': ip_data(dynamic=2, subnet=SUBNET)})
        self.assertEqual([{'subnet': SUBNET}, {'subnet': SUBNET}],
                         ext_cps.cp_params(vls)['VDU2_CP1']['fixed_ips'])
        self.assertEqual(set(), ext_cps.fixed_addresses(vls))

    def test_a_port_given_by_link_port_id(self):
        vls = ext_vls({'linkPortId': 'lp1'}, link_ports=[
            {'id': 'lp1', 'resourceHandle': {'resourceId': GIVEN_PORT}}])
        self.assertEqual({'network': NET, 'port': GIVEN_PORT},
                         ext_cps.cp_params(vls)['VDU2_CP1'])
        self.assertEqual({GIVEN_PORT: ('ext1', 'VDU2_CP1', 'VDU2_CP1_cfg',
                                       'lp1')}, ext_cps.given_ports(vls))

    def test_unknown_link_port_id_is_named(self):
        e = self.assertRaises(sol_ex.UnprocessableEntity, ext_cps.cp_params,
                              ext_vls({'linkPortId': 'nope'}))
        self.assertIn('linkPortId nope', e.detail)
        self.assertIn('extLinkPorts of extVirtualLink ext1', e.detail)

    def test_what_heat_cannot_be_given_is_refused_by_name(self):
        ranged = ip_data(dynamic=1)
        ranged[0]['ipOverEthernet']['ipAddresses'][0]['addressRange'] = {
            'minAddress': '198.51.100.10', 'maxAddress': '198.51.100.20'}
        e = self.assertRaises(sol_ex.UnprocessableEntity, ext_cps.cp_params,
                              ext_vls({'cpProtocolData': ranged}))
        self.assertIn('addressRange', e.detail)
        vlan = ip_data(dynamic=1)
        vlan[0]['ipOverEthernet']['segmentationId'] = '42'
        e = self.assertRaises(sol_ex.UnprocessableEntity, ext_cps.cp_params,
                              ext_vls({'cpProtocolData': vlan}))
        self.assertIn('segmentationId', e.detail)

    def test_several_configs_with_a_fixed_one_are_refused(self):
        vls = ext_vls({'cpProtocolData': ip_data(fixed=['198.51.100.7'])})
        vls[0]['extCps'][1]['cpConfig']['second'] = {
            'cpProtocolData': ip_data(dynamic=1)}
        e = self.assertRaises(sol_ex.UnprocessableEntity, ext_cps.cp_params,
                              vls)
        self.assertIn('extCps VDU2_CP1 has 2 cpConfig entries', e.detail)


class TestNfv(testtools.TestCase):

    def test_fixed_cp_reaches_nfv(self):
        vls = ext_vls({'cpProtocolData': ip_data(fixed=['198.51.100.7'])})
        nfv = hot.build_nfv(recorded_vnf.FLAVOUR, recorded_vnf.IMAGES,
                            recorded_vnf.FLAVORS, vls, {})
        self.assertEqual([{'ip_address': '198.51.100.7'}],
                         nfv['CP']['VDU2_CP1']['fixed_ips'])
        self.assertEqual(['VDU2_CP1'], ext_cps.fixed_cps(nfv))

    def test_fixed_cp_of_a_vdu_of_several_vnfcs_is_refused(self):
        vls = ext_vls({'cpProtocolData': ip_data(dynamic=1)},
                      vdu1_config={'cpProtocolData': ip_data(
                          mac='fa:16:3e:00:00:07')})
        e = self.assertRaises(
            sol_ex.UnprocessableEntity, hot.build_nfv, recorded_vnf.FLAVOUR,
            recorded_vnf.IMAGES, recorded_vnf.FLAVORS, vls, {}, {'VDU1': 2})
        self.assertIn('External CP VDU1_CP1', e.detail)
        self.assertIn('VDU VDU1 would have 2 VNFCs', e.detail)


class TestRecord(testtools.TestCase):

    def test_fixed_address_is_not_dynamic(self):
        data = recorded_vnf.recorded()
        vls = ext_vls({'cpProtocolData': ip_data(fixed=['198.51.100.20'])})
        info = vnfc.build_info(data, 'simple', recorded_vnf.FLAVOUR,
                               'vnfd-1', vls, {})
        dynamic = {cp.cpdId: cp.cpProtocolInfo[0]['ipOverEthernet'][
            'ipAddresses'][0]['isDynamic'] for cp in info.extCpInfo}
        self.assertEqual({'VDU1_CP1': True, 'VDU2_CP1': False}, dynamic)

    def test_given_port_bound_to_the_server_is_recorded(self):
        data = recorded_vnf.recorded()
        # VDU2's member holds no port of its own: the HOT names the
        # operator's port, which Nova bound to the server.
        vdu2_port = [r for r in data['resources']
                     if r['resource_name'] == 'VDU2_CP1'][0]
        data['resources'].remove(vdu2_port)
        server = [r for r in data['resources']
                  if r['resource_type'] == 'OS::Nova::Server' and
                  r['resource_name'] == 'VDU2'][0]
        port = copy.deepcopy(data['ports'].pop(
            vdu2_port['physical_resource_id']))
        port.update(id=GIVEN_PORT, device_id=server['physical_resource_id'])
        data['ports'][GIVEN_PORT] = port
        handle = {'resourceId': GIVEN_PORT,
                  'vimLevelResourceType': 'OS::Neutron::Port'}
        vls = ext_vls({'linkPortId': 'lp1'}, link_ports=[
            {'id': 'lp1', 'resourceHandle': handle}])
        info = vnfc.build_info(data, 'simple', recorded_vnf.FLAVOUR,
                               'vnfd-1', vls, {})
        [ext_cp] = [c for c in info.extCpInfo if c.cpdId == 'VDU2_CP1']
        self.assertEqual('lp1', ext_cp.extLinkPortId)
        self.assertEqual('VDU2_CP1_cfg', ext_cp.cpConfigId)
        self.assertEqual(port['fixed_ips'][0]['ip_address'],
                         ext_cp.cpProtocolInfo[0]['ipOverEthernet'][
                             'ipAddresses'][0]['addresses'][0])
        [vl] = info.extVirtualLinkInfo
        self.assertIn({'id': 'lp1', 'resourceHandle': handle,
                       'cpInstanceId': ext_cp.id}, vl.extLinkPorts)
        # The change flows read the request back from the record.
        again = osctx.ext_vls_of(objects.InstantiatedVnfInfo.from_dict(
            json.loads(json.dumps(info.to_dict()))))
        self.assertEqual([{'id': 'lp1', 'resourceHandle': handle}],
                         again[0]['extLinkPorts'])
        self.assertEqual(ext_cps.cp_params(vls), ext_cps.cp_params(again))
