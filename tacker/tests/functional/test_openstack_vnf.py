"""Instantiate and terminate a VNF on the OpenStack VIM, through the API.

The real tacker-server on the test cloud (see openstack_base): the v1
sample is on-boarded, instantiated on ext-net, its record checked against
Nova, Neutron, Cinder and Heat, and terminated. Heat is reached through
the fault proxy, which fails or hangs the stack create.
"""
from tacker.tests.functional import openstack_base

CREATE_STACK = {'method': 'POST', 'path_regex': r'/stacks$'}


class TestOpenStackVnf(openstack_base.OpenStackTestCase):

    def check_record(self, inst):
        """instantiatedVnfInfo against what the cloud holds."""
        info = inst['instantiatedVnfInfo']
        stack = self.stack('vnf-%s' % inst['id'])
        self.assertIsNotNone(stack)
        self.assertEqual('CREATE_COMPLETE', stack['stack_status'])
        self.assertEqual(stack['id'], info['metadata']['stack_id'])

        vnfcs = info['vnfcResourceInfo']
        self.assertEqual(['VDU1', 'VDU2'], sorted(v['vduId'] for v in vnfcs))
        servers = self.stack_servers(stack['id'])
        self.assertEqual(2, len(servers))
        self.assertTrue(set(servers) <= set(self.project_servers()))
        self.assertEqual(servers, sorted(
            v['computeResource']['resourceId'] for v in vnfcs))
        ext_ports = {p['resourceHandle']['resourceId']: p
                     for vl in info['extVirtualLinkInfo']
                     for p in vl['extLinkPorts']}
        [ext_vl] = info['extVirtualLinkInfo']
        self.assertEqual(self.ext_net, ext_vl['resourceHandle']['resourceId'])
        ext_cps = {cp['id']: cp for cp in info['extCpInfo']}
        for vnfc in vnfcs:
            server_id = vnfc['computeResource']['resourceId']
            server = self.get('compute', '/servers/' + server_id)['server']
            self.assertEqual('ACTIVE', server['status'])
            [port] = self.ports_of(server_id)
            self.assertEqual(self.ext_net, port['network_id'])
            self.assertIn(port['id'], ext_ports)
            [cp] = vnfc['vnfcCpInfo']
            self.assertEqual(vnfc['vduId'] + '_CP1', cp['cpdId'])
            ext_cp = ext_cps[cp['vnfExtCpId']]
            link_port = ext_ports[port['id']]
            self.assertEqual(ext_cp['extLinkPortId'], link_port['id'])
            recorded = ext_cp['cpProtocolInfo'][0]['ipOverEthernet']
            self.assertEqual(port['mac_address'], recorded['macAddress'])
            self.assertEqual(
                sorted(ip['ip_address'] for ip in port['fixed_ips']),
                sorted(a for ip in recorded['ipAddresses']
                       for a in ip['addresses']))

        [storage] = info['virtualStorageResourceInfo']
        self.assertEqual('VirtualStorage', storage['virtualStorageDescId'])
        volume = self.get('block-storage', '/volumes/' +
                          storage['storageResource']['resourceId'])['volume']
        [vdu2] = [v for v in vnfcs if v['vduId'] == 'VDU2']
        self.assertEqual([storage['id']], vdu2['storageResourceIds'])
        self.assertEqual([vdu2['computeResource']['resourceId']],
                         [a['server_id'] for a in volume['attachments']])
        return servers, list(ext_ports), [volume['id']]

    def test_instantiate_show_terminate_delete(self):
        pkg = self.onboard_sample('v1')
        inst = self.create(pkg)
        occ_id = self.start_instantiate(inst['id'])
        occ = self.wait_op(occ_id, 'COMPLETED')
        self.assertEqual(
            2, len([c for c in occ['resourceChanges']['affectedVnfcs']
                    if c['changeType'] == 'ADDED']))
        inst = self.show(inst['id'])
        self.assertEqual('INSTANTIATED', inst['instantiationState'])
        password = self.cloud_vim['accessInfo']['password']
        self.assertNotIn(password, str(inst))
        self.assertNotIn(password, str(occ))
        servers, ports, volumes = self.check_record(inst)
        stack_id = inst['instantiatedVnfInfo']['metadata']['stack_id']

        self.terminate(inst['id'])
        self.assertIsNone(self.stack(stack_id))
        for server in servers:
            self.assertIsNone(self.get('compute', '/servers/' + server,
                                       ok_404=True))
        for port in ports:
            self.assertIsNone(self.get('network', '/v2.0/ports/' + port,
                                       ok_404=True))
        for volume in volumes:
            self.wait_until(
                lambda: self.get('block-storage', '/volumes/' + volume,
                                 ok_404=True) is None,
                'deletion of volume %s' % volume)
        inst = self.show(inst['id'])
        self.assertEqual('NOT_INSTANTIATED', inst['instantiationState'])
        resp = self.client.request('DELETE',
                                   '/vnflcm/v2/vnf_instances/' + inst['id'])
        self.assertEqual(204, resp.status_code, resp.text)
        resp = self.client.request('GET',
                                   '/vnflcm/v2/vnf_instances/' + inst['id'])
        self.assertEqual(404, resp.status_code)

    def test_stack_create_fails_then_rollback(self):
        pkg = self.onboard_sample('v1')
        inst = self.create(pkg)
        before = self.show(inst['id'])
        servers = self.project_servers()
        self.proxy.fail(500, body=openstack_base.heat_error(
            'heat-engine is gone (injected)'), nth=1, **CREATE_STACK)
        occ_id = self.start_instantiate(inst['id'])
        occ = self.wait_op(occ_id, 'FAILED_TEMP')
        self.assertIn('create_stack', occ['error']['detail'])
        self.assertIn('heat-engine is gone', occ['error']['detail'])
        self.assertNotIn(self.cloud_vim['accessInfo']['password'], str(occ))

        self.op_action(occ_id, 'rollback')
        self.wait_op(occ_id, 'ROLLED_BACK')
        self.assertIsNone(self.stack('vnf-%s' % inst['id']))
        self.assertEqual(servers, self.project_servers())
        self.assertEqual(before, self.show(inst['id']))

    def test_stack_create_fails_then_retry(self):
        pkg = self.onboard_sample('v1')
        inst = self.create(pkg)
        self.proxy.fail(500, body=openstack_base.heat_error(
            'heat-engine is gone (injected)'), nth=1, **CREATE_STACK)
        occ_id = self.start_instantiate(inst['id'])
        occ = self.wait_op(occ_id, 'FAILED_TEMP')
        self.assertIn('create_stack', occ['error']['detail'])

        self.op_action(occ_id, 'retry')
        self.wait_op(occ_id, 'COMPLETED')
        inst = self.show(inst['id'])
        self.assertEqual('INSTANTIATED', inst['instantiationState'])
        self.check_record(inst)
        self.assertEqual(2, len(self.proxy.calls(**CREATE_STACK)))
        self.terminate(inst['id'])
        self.assertIsNone(self.stack('vnf-%s' % inst['id']))


class TestOpenStackVimHangs(openstack_base.OpenStackTestCase):
    service_options = dict(openstack_base.OpenStackTestCase.service_options)
    service_options[('openstack_vim', 'read_timeout')] = '5'

    def test_heat_that_never_answers_fails_at_the_read_timeout(self):
        pkg = self.onboard_sample('v1')
        inst = self.create(pkg)
        self.proxy.hang(**CREATE_STACK)
        occ_id = self.start_instantiate(inst['id'])
        occ = self.wait_op(occ_id, 'FAILED_TEMP', timeout=60)
        detail = occ['error']['detail']
        self.assertIn('create_stack', detail)
        self.assertIn('did not answer', detail)
        self.assertEqual(504, occ['error']['status'])
        self.assertEqual(1, len(self.proxy.calls(**CREATE_STACK)))
        self.assertIsNone(self.stack('vnf-%s' % inst['id']))

        # Heat answers again: the rollback leaves the instance as it was.
        self.proxy.remove_rules()
        self.op_action(occ_id, 'rollback')
        self.wait_op(occ_id, 'ROLLED_BACK')
        self.assertEqual('NOT_INSTANTIATED',
                         self.show(inst['id'])['instantiationState'])


def _bare_nested_names(src):
    """The top HOT names its nested templates by bare file name."""
    import os
    path = os.path.join(src, 'BaseHOT', 'simple', 'top.yaml')
    with open(path) as f:
        text = f.read()
    with open(path, 'w') as f:
        f.write(text.replace('type: nested/', 'type: '))


def _missing_nested(src):
    import os
    os.unlink(os.path.join(src, 'BaseHOT', 'simple', 'nested', 'VDU2.yaml'))
    _bare_nested_names(src)


class TestTemplatesAsVendorsWrite(openstack_base.OpenStackTestCase):

    def test_nested_templates_named_by_bare_file_name(self):
        pkg = self.onboard_sample('v1', edit=_bare_nested_names)
        inst = self.create(pkg)
        self.wait_op(self.start_instantiate(inst['id']), 'COMPLETED')
        inst = self.show(inst['id'])
        stack = self.stack('vnf-%s' % inst['id'])
        self.assertEqual('CREATE_COMPLETE', stack['stack_status'])
        vnfcs = inst['instantiatedVnfInfo']['vnfcResourceInfo']
        self.assertEqual(['VDU1', 'VDU2'], sorted(v['vduId'] for v in vnfcs))
        self.assertEqual(self.stack_servers(stack['id']), sorted(
            v['computeResource']['resourceId'] for v in vnfcs))
        self.terminate(inst['id'])
        self.assertIsNone(self.stack(stack['id']))

    def test_missing_nested_template_is_422_before_any_stack(self):
        pkg = self.onboard_sample('v1', edit=_missing_nested)
        inst = self.create(pkg)
        resp = self.client.request(
            'POST', '/vnflcm/v2/vnf_instances/%s/instantiate' % inst['id'],
            self.instantiate_request())
        self.assertEqual(422, resp.status_code, resp.text)
        self.assertIn('names type VDU2.yaml, which the package does not '
                      'hold', resp.body['detail'])
        self.assertIsNone(self.stack('vnf-%s' % inst['id']))
        self.assertEqual('NOT_INSTANTIATED',
                         self.show(inst['id'])['instantiationState'])
