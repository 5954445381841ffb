"""HOTs as vendors write them, and external CPs as operators give them.

The samples are edited the way other packages are laid out: the groups
of VDU1 and VDU2 have names of their own (``VDU1_scale``,
``storage_aspect``) and name their member templates by bare file name
(``type: VDU1.yaml`` for ``nested/VDU1.yaml``); VDU2's port reads a fixed
address and a MAC address from ``nfv.CP``, or VDU2's server takes a port
the operator made (``extLinkPorts`` / ``linkPortId``). The VNF is
instantiated and changed on the test cloud, and what Tacker records is
compared with what Heat, Nova and Neutron hold.
"""
import os
import random

from tacker.tests.functional import openstack_base as ob

GROUPS = {'VDU1': 'VDU1_scale', 'VDU2': 'storage_aspect'}
CHANGE_TIMEOUT = 600


def _rewrite(path, *pairs):
    with open(path) as f:
        text = f.read()
    for old, new in pairs:
        assert old in text, (old, path)
        text = text.replace(old, new)
    with open(path, 'w') as f:
        f.write(text)


def _vendor_groups(src):
    """Groups named apart from their VDU, members named by bare name."""
    top = os.path.join(src, 'BaseHOT', 'simple', 'top.yaml')
    _rewrite(top, ('type: nested/', 'type: '),
             *[('  %s:\n    type: OS::Heat::AutoScalingGroup' % vdu,
                '  %s:\n    type: OS::Heat::AutoScalingGroup' % group)
               for vdu, group in GROUPS.items()])


def _fixed_vdu2_port(src):
    """VDU2's port takes its address and MAC from nfv.CP.VDU2_CP1."""
    _vendor_groups(src)
    _rewrite(os.path.join(src, 'BaseHOT', 'simple', 'top.yaml'), (
        '          net: { get_param: [ nfv, CP, VDU2_CP1, network ] }',
        '          net: { get_param: [ nfv, CP, VDU2_CP1, network ] }\n'
        '          ip: { get_param: [ nfv, CP, VDU2_CP1, fixed_ips, 0, '
        'ip_address ] }\n'
        '          mac: { get_param: [ nfv, CP, VDU2_CP1, mac_address ] }'))
    _rewrite(os.path.join(src, 'BaseHOT', 'simple', 'nested', 'VDU2.yaml'),
             ('  net:\n    type: string\n',
              '  net:\n    type: string\n  ip:\n    type: string\n'
              '  mac:\n    type: string\n'),
             ('      network: { get_param: net }',
              '      network: { get_param: net }\n'
              '      fixed_ips:\n'
              '        - ip_address: { get_param: ip }\n'
              '      mac_address: { get_param: mac }'))


def _given_vdu2_port(src):
    """VDU2's server is plugged into a port the operator made."""
    _vendor_groups(src)
    _rewrite(os.path.join(src, 'BaseHOT', 'simple', 'top.yaml'), (
        '          net: { get_param: [ nfv, CP, VDU2_CP1, network ] }',
        '          net: { get_param: [ nfv, CP, VDU2_CP1, port ] }'))
    nested = os.path.join(src, 'BaseHOT', 'simple', 'nested', 'VDU2.yaml')
    _rewrite(nested, ('        - port: { get_resource: VDU2_CP1 }',
                      '        - port: { get_param: net }'))
    with open(nested) as f:
        text = f.read()
    with open(nested, 'w') as f:
        f.write(text[:text.index('  VDU2_CP1:')])


class VendorHotTestCase(ob.OpenStackTestCase):
    service_options = dict(ob.OpenStackTestCase.service_options)
    service_options[('openstack_vim', 'stack_update_timeout')] = '300'

    def top_resources(self, stack_id):
        return {r.resource_name: r.resource_type
                for r in self.heat.resources.list(stack_id)}

    def assertGroupsAsWritten(self, stack_id):
        top = self.top_resources(stack_id)
        for group in GROUPS.values():
            self.assertEqual('OS::Heat::AutoScalingGroup', top[group])
        self.assertNotIn('VDU1', top)

    def assertRecordIsTheVim(self, inst):
        """VNFCs are the stack's servers; ext CPs are their ports."""
        info = inst['instantiatedVnfInfo']
        vnfcs = info['vnfcResourceInfo']
        self.assertEqual(self.stack_servers(info['metadata']['stack_id']),
                         sorted(v['computeResource']['resourceId']
                                for v in vnfcs))
        ports = {p['id']: p['resourceHandle']['resourceId']
                 for vl in info['extVirtualLinkInfo']
                 for p in vl['extLinkPorts']}
        ext = {c['id']: c for c in info['extCpInfo']}
        found = {}
        for vnfc in vnfcs:
            server_id = vnfc['computeResource']['resourceId']
            nova = {p['id']: p for p in self.ports_of(server_id)}
            for cp in vnfc['vnfcCpInfo']:
                ext_cp = ext[cp['vnfExtCpId']]
                port = nova[ports[ext_cp['extLinkPortId']]]
                [proto] = ext_cp['cpProtocolInfo']
                eth = proto['ipOverEthernet']
                self.assertEqual(port['mac_address'], eth['macAddress'])
                self.assertEqual(
                    [ip['ip_address'] for ip in port['fixed_ips']],
                    [a for ip in eth['ipAddresses'] for a in ip['addresses']])
                found[cp['cpdId']] = (port, eth)
        return found

    def own_network(self):
        """A network and subnet of the test's project, deleted at cleanup.

        Neutron's default policy lets a member fix a port's address or
        MAC address only on a network of the member's own project, not on
        a shared one. Made before the instance, so deleted after its
        stack (cleanups run newest first).
        """
        where = {'service_type': 'network', 'interface': 'public',
                 'region_name': self.region}
        net = self.session.post('/v2.0/networks', endpoint_filter=where,
                                json={'network': {
                                    'name': 'tacker-ft-%08x' %
                                    random.getrandbits(32)}}).json()[
            'network']
        self.addCleanup(self.session.delete, '/v2.0/networks/' + net['id'],
                        endpoint_filter=where)
        self.session.post('/v2.0/subnets', endpoint_filter=where, json={
            'subnet': {'network_id': net['id'], 'ip_version': 4,
                       'cidr': '198.18.7.0/24', 'gateway_ip': None}})
        return net['id']

    def free_address(self, network_id):
        """An address of the network's subnet that no port holds."""
        where = {'service_type': 'network', 'interface': 'public',
                 'region_name': self.region}
        port = self.session.post('/v2.0/ports', endpoint_filter=where, json={
            'port': {'network_id': network_id,
                     'name': 'tacker-test-probe'}}).json()['port']
        self.session.delete('/v2.0/ports/' + port['id'],
                            endpoint_filter=where)
        return port['fixed_ips'][0]

    def change(self, inst_id, pkg, upgrade_type):
        params = {'upgrade_type': upgrade_type,
                  'vdu_params': [{'vdu_id': 'VDU1'}, {'vdu_id': 'VDU2'}]}
        if upgrade_type == 'BlueGreen':
            params['external_lb_param'] = {'ip_address': '198.51.100.10'}
        return self.client.request(
            'POST', '/vnflcm/v2/vnf_instances/%s/change_vnfpkg' % inst_id,
            {'vnfdId': pkg['vnfdId'], 'additionalParams': params})


class TestGroupsOfAnyName(VendorHotTestCase):

    def test_blue_green_with_groups_named_apart_from_their_vdu(self):
        v1 = self.onboard_sample('v1', edit=_vendor_groups)
        v2 = self.onboard_sample('v2', edit=_vendor_groups)
        inst = self.instantiated(v1)
        old_stack = inst['instantiatedVnfInfo']['metadata']['stack_id']
        self.assertGroupsAsWritten(old_stack)
        self.assertRecordIsTheVim(inst)

        resp = self.change(inst['id'], v2, 'BlueGreen')
        self.assertEqual(202, resp.status_code, resp.text)
        self.wait_op(resp.headers['Location'].rsplit('/', 1)[-1],
                     'COMPLETED', CHANGE_TIMEOUT)
        inst = self.show(inst['id'])
        self.assertEqual(v2['vnfdId'], inst['vnfdId'])
        new_stack = inst['instantiatedVnfInfo']['metadata']['stack_id']
        self.assertNotEqual(old_stack, new_stack)
        self.assertIsNone(self.stack(old_stack))
        self.assertGroupsAsWritten(new_stack)
        self.assertRecordIsTheVim(inst)
        self.terminate(inst['id'])
        self.assertIsNone(self.stack(new_stack))


class TestFixedAddress(VendorHotTestCase):

    def test_fixed_address_and_mac_kept_through_a_rolling_update(self):
        v1 = self.onboard_sample('v1', edit=_fixed_vdu2_port)
        v2 = self.onboard_sample('v2', edit=_fixed_vdu2_port)
        network = self.own_network()
        fixed = self.free_address(network)
        mac = 'fa:16:3e:%02x:%02x:%02x' % tuple(
            random.randrange(256) for _ in range(3))
        inst = self.create(v1)
        req = self.instantiate_request()
        [vl] = req['extVirtualLinks']
        vl['resourceId'] = network
        vdu2 = [cp for cp in vl['extCps'] if cp['cpdId'] == 'VDU2_CP1'][0]
        vdu2['cpConfig'] = {'VDU2_CP1_fixed': {'cpProtocolData': [{
            'layerProtocol': 'IP_OVER_ETHERNET', 'ipOverEthernet': {
                'macAddress': mac,
                'ipAddresses': [{'type': 'IPV4',
                                 'fixedAddresses': [fixed['ip_address']],
                                 'subnetId': fixed['subnet_id']}]}}]}}
        self.wait_op(self.start_op(inst['id'], 'instantiate', req),
                     'COMPLETED')
        inst = self.show(inst['id'])
        self.assertGroupsAsWritten(
            inst['instantiatedVnfInfo']['metadata']['stack_id'])
        port, eth = self.assertRecordIsTheVim(inst)['VDU2_CP1']
        self.assertEqual(mac, port['mac_address'])
        self.assertEqual([fixed['ip_address']],
                         [ip['ip_address'] for ip in port['fixed_ips']])
        [address] = eth['ipAddresses']
        self.assertFalse(address['isDynamic'])
        self.assertEqual(fixed['subnet_id'], address['subnetId'])
        vdu1_port, vdu1_eth = self.assertRecordIsTheVim(inst)['VDU1_CP1']
        self.assertTrue(vdu1_eth['ipAddresses'][0]['isDynamic'])

        # Two stacks cannot hold the one address: Blue-Green is refused.
        resp = self.change(inst['id'], v2, 'BlueGreen')
        self.assertEqual(422, resp.status_code, resp.text)
        self.assertEqual('application/problem+json',
                         resp.headers['Content-Type'])
        self.assertIn('VDU2_CP1', resp.body['detail'])
        self.assertIn('RollingUpdate', resp.body['detail'])

        # A Rolling update keeps the port, so the address and the MAC.
        resp = self.change(inst['id'], v2, 'RollingUpdate')
        self.assertEqual(202, resp.status_code, resp.text)
        self.wait_op(resp.headers['Location'].rsplit('/', 1)[-1],
                     'COMPLETED', CHANGE_TIMEOUT)
        changed = self.show(inst['id'])
        self.assertEqual(v2['vnfdId'], changed['vnfdId'])
        self.assertEqual(
            sorted(v['id'] for v in
                   inst['instantiatedVnfInfo']['vnfcResourceInfo']),
            sorted(v['id'] for v in
                   changed['instantiatedVnfInfo']['vnfcResourceInfo']))
        new_port, new_eth = self.assertRecordIsTheVim(changed)['VDU2_CP1']
        self.assertEqual(port['id'], new_port['id'])
        self.assertEqual(mac, new_port['mac_address'])
        self.assertEqual(eth, new_eth)
        self.terminate(inst['id'])

    def test_fixed_address_on_a_vdu_of_two_vnfcs_is_422(self):
        v1 = self.onboard_sample('v1', edit=_fixed_vdu2_port)
        inst = self.create(v1)
        req = self.instantiate_request()
        req['additionalParams'] = {'nfv': {'VDU': {'VDU2': {
            'desired_capacity': 2}}}}
        vdu2 = [cp for cp in req['extVirtualLinks'][0]['extCps']
                if cp['cpdId'] == 'VDU2_CP1'][0]
        vdu2['cpConfig'] = {'fixed': {'cpProtocolData': [{
            'layerProtocol': 'IP_OVER_ETHERNET', 'ipOverEthernet': {
                'ipAddresses': [{'type': 'IPV4',
                                 'fixedAddresses': ['198.51.100.250']}]}}]}}
        resp = self.client.request(
            'POST', '/vnflcm/v2/vnf_instances/%s/instantiate' % inst['id'],
            req)
        self.assertEqual(422, resp.status_code, resp.text)
        self.assertIn('VDU VDU2 would have 2 VNFCs', resp.body['detail'])
        self.assertIsNone(self.stack('vnf-%s' % inst['id']))
        self.assertEqual('NOT_INSTANTIATED',
                         self.show(inst['id'])['instantiationState'])


class TestGivenPort(VendorHotTestCase):

    def test_server_plugged_into_the_operators_port(self):
        v1 = self.onboard_sample('v1', edit=_given_vdu2_port)
        where = {'service_type': 'network', 'interface': 'public',
                 'region_name': self.region}
        # Made before the instance: deleted after its stack (cleanups run
        # newest first).
        given = self.session.post('/v2.0/ports', endpoint_filter=where,
                                  json={'port': {
                                      'network_id': self.ext_net,
                                      'name': 'tacker-test-given'}}).json()[
            'port']
        self.addCleanup(self.session.delete, '/v2.0/ports/' + given['id'],
                        endpoint_filter=where)
        inst = self.create(v1)
        req = self.instantiate_request()
        [vl] = req['extVirtualLinks']
        vl['extLinkPorts'] = [{'id': 'operator-port', 'resourceHandle': {
            'resourceId': given['id'],
            'vimLevelResourceType': 'OS::Neutron::Port'}}]
        vdu2 = [cp for cp in vl['extCps'] if cp['cpdId'] == 'VDU2_CP1'][0]
        vdu2['cpConfig'] = {'VDU2_CP1_port': {'linkPortId': 'operator-port'}}
        self.wait_op(self.start_op(inst['id'], 'instantiate', req),
                     'COMPLETED')
        inst = self.show(inst['id'])
        info = inst['instantiatedVnfInfo']
        [ext_cp] = [c for c in info['extCpInfo'] if c['cpdId'] == 'VDU2_CP1']
        self.assertEqual('operator-port', ext_cp['extLinkPortId'])
        self.assertEqual('VDU2_CP1_port', ext_cp['cpConfigId'])
        port, _eth = self.assertRecordIsTheVim(inst)['VDU2_CP1']
        self.assertEqual(given['id'], port['id'])
        [vdu2_vnfc] = [v for v in info['vnfcResourceInfo']
                       if v['vduId'] == 'VDU2']
        self.assertEqual(vdu2_vnfc['computeResource']['resourceId'],
                         port['device_id'])

        self.terminate(inst['id'])
        # The operator's port outlives the VNF, unplugged.
        left = self.get('network', '/v2.0/ports/' + given['id'])['port']
        self.assertEqual('', left['device_id'])
