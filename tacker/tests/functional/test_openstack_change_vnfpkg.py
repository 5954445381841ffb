"""ChangeCurrentVNFPackage on the OpenStack VIM, through tacker-server.

The v1 sample (VDU1 boots from image-v1, VDU2 from a volume made from
image-v1) is instantiated on the test cloud with two VNFCs of VDU1 and
changed to v2 (same layout, image-v2) or v3 (image-v3, and the other way
round: VDU1 volume-booted, VDU2 image-booted), by Blue-Green (a second
stack, then the old one deleted) and by Rolling update (one VNFC after
the other). What Tacker records is checked against Heat, Nova, Neutron
and Cinder; Heat is reached through the fault proxy, which fails a stack
create, update or delete to see the rollback and the retry, and Cinder's
quota makes Heat itself fail. The CoordinateVNF scripts over SSH have
their own tests (test_openstack_lb_switch, test_openstack_coordinate_
scripts); none is given here.
"""
from tacker.tests.functional import openstack_base as ob
from tacker.tests.functional import service
from tacker.tests.openstack_cloud import fixture as cloud_fixture
from tacker.tests.openstack_cloud import resources

CREATE_STACK = {'method': 'POST', 'path_regex': r'/stacks$'}
UPDATE_STACK = {'method': 'PATCH', 'path_regex': r'/stacks/[^/]+/[^/]+$'}
DELETE_STACK = {'method': 'DELETE', 'path_regex': r'/stacks/[^/]+/[^/]+$'}
VDU_PARAMS = [{'vdu_id': 'VDU1'}, {'vdu_id': 'VDU2'}]
LB = {'ip_address': '198.51.100.10', 'username': 'lb',
      'password': 'lb-s3cret-42'}
# Two stacks of three servers each, on two cores, Cinder volumes included.
CHANGE_TIMEOUT = 600
VDU1_COUNT = 2


def injected(message):
    return ob.heat_error('%s (injected)' % message)


class ChangeVnfPkgTestCase(ob.OpenStackTestCase):
    service_options = dict(ob.OpenStackTestCase.service_options)
    service_options[('openstack_vim', 'stack_update_timeout')] = '300'

    def setUp(self):
        super().setUp()
        self.v1 = self.onboard_sample('v1')
        self.v2 = self.onboard_sample('v2')
        self.images = self.image_ids()
        self.inst = self.instantiated(self.v1, VDU1_COUNT)
        self.old_stack = self.inst['instantiatedVnfInfo']['metadata'][
            'stack_id']

    def change(self, upgrade_type, pkg=None, vdu_params=VDU_PARAMS):
        params = {'upgrade_type': upgrade_type, 'vdu_params': vdu_params}
        if upgrade_type == 'BlueGreen':
            params['external_lb_param'] = LB
        return self.start_op(self.inst['id'], 'change_vnfpkg',
                             {'vnfdId': (pkg or self.v2)['vnfdId'],
                              'additionalParams': params})

    def usage(self, pkg):
        client = service.Client(self.service.base_url, version=None)
        return client.request('GET', '/vnfpkgm/v1/vnf_packages/' +
                              pkg['id']).body['usageState']

    # -- the VIM ---------------------------------------------------------

    def limit_volumes(self, limit):
        """Set the project's Cinder volume quota (test cloud's admin)."""
        the_cloud = cloud_fixture.shared_cloud().cloud
        if the_cloud is None:
            self.skipTest('needs the admin of the test cloud to set a '
                          'quota; not available on a given cloud')
        admin = resources.admin_session(the_cloud.state)
        path = '/os-quota-sets/' + self.session.get_project_id()
        where = {'service_type': 'block-storage', 'interface': 'public',
                 'region_name': self.region}

        def put(value):
            admin.put(path, json={'quota_set': {'volumes': value}},
                      endpoint_filter=where)
        before = admin.get(path, endpoint_filter=where).json()[
            'quota_set']['volumes']
        put(limit)
        self.addCleanup(put, before)
        return lambda: put(before)

    def new_stacks(self):
        prefix = 'vnf-%s-' % self.inst['id']
        return [s.to_dict() for s in self.live_stacks()
                if s.stack_name.startswith(prefix)]

    def image_of(self, vnfc):
        """Name of the image the VNFC's server runs (from Nova/Cinder)."""
        server = self.get('compute', '/servers/' +
                          vnfc['computeResource']['resourceId'])['server']
        self.assertEqual('ACTIVE', server['status'])
        image_id = (server.get('image') or {}).get('id')
        if not image_id:
            [att] = server['os-extended-volumes:volumes_attached']
            volume = self.get('block-storage',
                              '/volumes/' + att['id'])['volume']
            image_id = volume['volume_image_metadata']['image_id']
        return {v: k for k, v in self.images.items()}[image_id]

    def vim_state(self, inst):
        """{vnfc id: (server, [ports], [volumes], image)}, checked."""
        info = inst['instantiatedVnfInfo']
        stack_id = info['metadata']['stack_id']
        stack = self.stack(stack_id)
        self.assertIsNotNone(stack)
        self.assertIn(stack['stack_status'],
                      ('CREATE_COMPLETE', 'UPDATE_COMPLETE'))
        vnfcs = info['vnfcResourceInfo']
        self.assertEqual(['VDU1'] * VDU1_COUNT + ['VDU2'],
                         sorted(v['vduId'] for v in vnfcs))
        servers = [v['computeResource']['resourceId'] for v in vnfcs]
        self.assertEqual(sorted(servers), self.stack_servers(stack_id))
        link_ports = {p['id']: p['resourceHandle']['resourceId']
                      for vl in info['extVirtualLinkInfo']
                      for p in vl['extLinkPorts']}
        storages = {s['id']: s['storageResource']['resourceId']
                    for s in info['virtualStorageResourceInfo']}
        state = {}
        for vnfc in vnfcs:
            server_id = vnfc['computeResource']['resourceId']
            nova_ports = sorted(p['id'] for p in self.ports_of(server_id))
            recorded = sorted(link_ports[cp['vnfLinkPortId']]
                              if cp.get('vnfLinkPortId') in link_ports
                              else self._ext_port(info, cp)
                              for cp in vnfc['vnfcCpInfo'])
            self.assertEqual(nova_ports, recorded)
            volumes = sorted(storages[s] for s in
                             vnfc.get('storageResourceIds') or [])
            server = self.get('compute', '/servers/' + server_id)['server']
            attached = sorted(a['id'] for a in
                              server['os-extended-volumes:volumes_attached'])
            self.assertEqual(attached, volumes)
            state[vnfc['id']] = (server_id, nova_ports, volumes,
                                 self.image_of(vnfc))
        self.assertEqual(sorted(storages.values()),
                         sorted(v for s in state.values() for v in s[2]))
        return state

    def _ext_port(self, info, cp):
        ext = {c['id']: c for c in info['extCpInfo']}[cp['vnfExtCpId']]
        return {p['id']: p['resourceHandle']['resourceId']
                for vl in info['extVirtualLinkInfo']
                for p in vl['extLinkPorts']}[ext['extLinkPortId']]

    def assertUnchanged(self, old_state):
        inst = self.show(self.inst['id'])
        self.assertEqual(self.inst['vnfdId'], inst['vnfdId'])
        self.assertEqual(self.inst['instantiatedVnfInfo'],
                         inst['instantiatedVnfInfo'])
        self.assertEqual(old_state, self.vim_state(inst))
        self.assertEqual('IN_USE', self.usage(self.v1))
        self.assertEqual('NOT_IN_USE', self.usage(self.v2))

    def assertChanged(self, occ, old_state, pkg=None, image='image-v2'):
        pkg = pkg or self.v2
        inst = self.show(self.inst['id'])
        self.assertEqual(pkg['vnfdId'], inst['vnfdId'])
        self.assertEqual(pkg['vnfSoftwareVersion'],
                         inst['vnfSoftwareVersion'])
        self.assertEqual(pkg['vnfdId'], occ['changedInfo']['vnfdId'])
        for vnfc in inst['instantiatedVnfInfo']['vnfcResourceInfo']:
            self.assertEqual(pkg['vnfdId'], vnfc['vnfdId'])
        state = self.vim_state(inst)
        self.assertEqual({image}, {s[3] for s in state.values()})
        self.assertEqual({'image-v1'}, {s[3] for s in old_state.values()})
        self.assertEqual('IN_USE', self.usage(pkg))
        self.assertEqual('NOT_IN_USE', self.usage(self.v1))
        self.assertNotIn(self.cloud_vim['accessInfo']['password'], str(occ))
        self.assertNotIn(LB['password'], str(occ))
        return inst, state

    def assertTrueToTheVim(self, old_state):
        """After a rollback that made new servers: old package, VIM's ids.

        vim_state checks that every recorded id is what Heat, Nova,
        Neutron and Cinder hold; image-booted VNFCs keep their server.
        """
        inst = self.show(self.inst['id'])
        self.assertEqual(self.inst['vnfdId'], inst['vnfdId'])
        state = self.vim_state(inst)
        self.assertEqual(sorted(old_state), sorted(state))
        self.assertEqual({'image-v1'}, {s[3] for s in state.values()})
        for vnfc_id, (server, ports, _volumes, _image) in state.items():
            self.assertEqual(old_state[vnfc_id][1], ports)
            if vnfc_id.startswith('VDU1'):
                self.assertEqual(old_state[vnfc_id][0], server)
        self.assertEqual('IN_USE', self.usage(self.v1))
        self.assertEqual('NOT_IN_USE', self.usage(self.v2))
        return state

    def images_by_vnfc(self):
        """{vnfc id: image name} of VDU1's VNFCs, read from the VIM."""
        inst = self.show(self.inst['id'])
        return {v['id']: self.image_of(v) for v in
                inst['instantiatedVnfInfo']['vnfcResourceInfo']
                if v['vduId'] == 'VDU1'}


class TestBlueGreen(ChangeVnfPkgTestCase):

    def assertBlueGreenDone(self, occ, old_state):
        inst, state = self.assertChanged(occ, old_state)
        new_stack = inst['instantiatedVnfInfo']['metadata']['stack_id']
        self.assertNotEqual(self.old_stack, new_stack)
        self.assertIsNone(self.stack(self.old_stack))
        # Nothing of the old VNF is left; everything is new.
        for server, ports, volumes, _image in old_state.values():
            self.assertIsNone(self.get('compute', '/servers/' + server,
                                       ok_404=True))
            for port in ports:
                self.assertIsNone(self.get('network', '/v2.0/ports/' + port,
                                           ok_404=True))
        old_ids = {x for s in old_state.values()
                   for x in [s[0]] + s[1] + s[2]}
        new_ids = {x for s in state.values() for x in [s[0]] + s[1] + s[2]}
        self.assertFalse(old_ids & new_ids)
        changes = sorted((c['changeType'], c['id']) for c in
                         occ['resourceChanges']['affectedVnfcs'])
        self.assertEqual(
            sorted([('ADDED', k) for k in state] +
                   [('REMOVED', k) for k in old_state]), changes)
        storage = sorted(c['changeType'] for c in
                         occ['resourceChanges']['affectedVirtualStorages'])
        self.assertEqual(['ADDED', 'REMOVED'], storage)
        return inst, state

    def test_success(self):
        old_state = self.vim_state(self.inst)
        occ_id = self.change('BlueGreen')
        occ = self.wait_op(occ_id, 'COMPLETED', CHANGE_TIMEOUT)
        self.assertBlueGreenDone(occ, old_state)

    def test_new_stack_create_fails_then_rollback_then_retry(self):
        old_state = self.vim_state(self.inst)
        stacks = {s.id for s in self.live_stacks()}
        self.proxy.fail(500, body=injected('heat-engine is gone'), nth=1,
                        **CREATE_STACK)
        occ_id = self.change('BlueGreen')
        occ = self.wait_op(occ_id, 'FAILED_TEMP')
        self.assertIn('create_new_stack', occ['error']['detail'])
        self.assertIn('heat-engine is gone', occ['error']['detail'])
        self.op_action(occ_id, 'rollback')
        self.wait_op(occ_id, 'ROLLED_BACK')
        self.assertEqual(stacks, {s.id for s in self.live_stacks()})
        self.assertUnchanged(old_state)

        # Again, failing once more: this time retried to the end.
        self.proxy.remove_rules()
        self.proxy.fail(500, body=injected('heat-engine is gone'), nth=1,
                        **CREATE_STACK)
        occ_id = self.change('BlueGreen')
        occ = self.wait_op(occ_id, 'FAILED_TEMP')
        self.assertIn('create_new_stack', occ['error']['detail'])
        self.op_action(occ_id, 'retry')
        occ = self.wait_op(occ_id, 'COMPLETED', CHANGE_TIMEOUT)
        self.assertBlueGreenDone(occ, old_state)

    def test_new_stack_fails_in_heat_then_rollback_then_retry(self):
        # Cinder refuses the new VNF's volume: the stack is CREATE_FAILED
        # in Heat itself, with resources created that must go.
        old_state = self.vim_state(self.inst)
        restore = self.limit_volumes(
            sum(len(s[2]) for s in old_state.values()))
        occ_id = self.change('BlueGreen')
        occ = self.wait_op(occ_id, 'FAILED_TEMP', CHANGE_TIMEOUT)
        self.assertIn('wait_new_complete', occ['error']['detail'])
        self.assertIn('CREATE_FAILED', occ['error']['detail'])
        self.assertIn('OS::Cinder::Volume', occ['error']['detail'])
        [new] = self.new_stacks()
        self.assertEqual('CREATE_FAILED', new['stack_status'])
        self.op_action(occ_id, 'rollback')
        self.wait_op(occ_id, 'ROLLED_BACK', CHANGE_TIMEOUT)
        self.assertEqual([], self.new_stacks())
        self.assertIsNone(self.stack(new['id']))
        self.assertUnchanged(old_state)

        occ_id = self.change('BlueGreen')
        occ = self.wait_op(occ_id, 'FAILED_TEMP', CHANGE_TIMEOUT)
        self.assertIn('wait_new_complete', occ['error']['detail'])
        restore()
        self.op_action(occ_id, 'retry')
        occ = self.wait_op(occ_id, 'COMPLETED', CHANGE_TIMEOUT)
        self.assertBlueGreenDone(occ, old_state)

    def test_old_stack_delete_fails_then_retry(self):
        old_state = self.vim_state(self.inst)
        self.proxy.fail(500, body=injected('delete refused'), nth=1,
                        **DELETE_STACK)
        occ_id = self.change('BlueGreen')
        occ = self.wait_op(occ_id, 'FAILED_TEMP', CHANGE_TIMEOUT)
        self.assertIn('delete_old_stack', occ['error']['detail'])
        self.assertIn('delete refused', occ['error']['detail'])
        # Both VNFs run; the record is still the old one.
        self.assertIsNotNone(self.stack(self.old_stack))
        self.assertEqual(self.inst['instantiatedVnfInfo'],
                         self.show(self.inst['id'])['instantiatedVnfInfo'])
        self.op_action(occ_id, 'retry')
        occ = self.wait_op(occ_id, 'COMPLETED', CHANGE_TIMEOUT)
        self.assertBlueGreenDone(occ, old_state)


class TestRollingUpdate(ChangeVnfPkgTestCase):

    def assertRolled(self, occ, old_state, pkg=None, image='image-v2'):
        inst, state = self.assertChanged(occ, old_state, pkg, image)
        self.assertEqual(self.old_stack,
                         inst['instantiatedVnfInfo']['metadata']['stack_id'])
        self.assertEqual(sorted(old_state), sorted(state))
        return inst, state

    def test_success_image_to_image_and_volume_to_volume(self):
        old_state = self.vim_state(self.inst)
        occ_id = self.change('RollingUpdate')
        occ = self.wait_op(occ_id, 'COMPLETED', CHANGE_TIMEOUT)
        _inst, state = self.assertRolled(occ, old_state)
        for vnfc_id, (server, ports, volumes, _image) in state.items():
            old_server, old_ports, old_volumes, _old = old_state[vnfc_id]
            self.assertEqual(old_ports, ports)
            if vnfc_id.startswith('VDU1'):
                # Image-booted: Nova rebuilt the same server.
                self.assertEqual(old_server, server)
            else:
                # Volume-booted: a new volume, so a new server.
                self.assertNotEqual(old_server, server)
                self.assertNotEqual(old_volumes, volumes)
                self.assertIsNone(self.get('compute', '/servers/' +
                                           old_server, ok_404=True))
        changes = sorted((c['changeType'], c['id']) for c in
                         occ['resourceChanges']['affectedVnfcs'])
        self.assertEqual([('MODIFIED', k) for k in sorted(state)], changes)
        # The volume of VDU2's VNFC is a new one: the same storage of the
        # VNF, modified.
        [storage] = occ['resourceChanges']['affectedVirtualStorages']
        self.assertEqual('MODIFIED', storage['changeType'])
        [vdu2] = [k for k in state if k.startswith('VDU2')]
        self.assertEqual(state[vdu2][2],
                         [storage['storageResource']['resourceId']])

    def test_image_to_volume_and_volume_to_image(self):
        # v3 boots VDU1 from a volume and VDU2 from its image: Heat
        # replaces every server; the VNFCs (group members) stay.
        v3 = self.onboard_sample('v3')
        old_state = self.vim_state(self.inst)
        occ_id = self.change('RollingUpdate', v3)
        occ = self.wait_op(occ_id, 'COMPLETED', CHANGE_TIMEOUT)
        inst, state = self.assertRolled(occ, old_state, v3, 'image-v3')
        for vnfc_id, (server, ports, volumes, _image) in state.items():
            old_server, old_ports, old_volumes, _old = old_state[vnfc_id]
            self.assertEqual(old_ports, ports)
            self.assertNotEqual(old_server, server)
            self.assertIsNone(self.get('compute', '/servers/' + old_server,
                                       ok_404=True))
            if vnfc_id.startswith('VDU1'):
                self.assertEqual([], old_volumes)
                self.assertEqual(1, len(volumes))
            else:
                self.assertEqual(1, len(old_volumes))
                self.assertEqual([], volumes)
                self.assertIsNone(self.get(
                    'block-storage', '/volumes/' + old_volumes[0],
                    ok_404=True))
        storages = inst['instantiatedVnfInfo']['virtualStorageResourceInfo']
        self.assertEqual(['VirtualStorage1'] * VDU1_COUNT,
                         [s['virtualStorageDescId'] for s in storages])
        changes = sorted((c['changeType'], c['id']) for c in
                         occ['resourceChanges']['affectedVnfcs'])
        self.assertEqual([('MODIFIED', k) for k in sorted(state)], changes)
        storage = sorted((c['changeType'], c['virtualStorageDescId'])
                         for c in occ['resourceChanges'][
                             'affectedVirtualStorages'])
        self.assertEqual([('ADDED', 'VirtualStorage1')] * VDU1_COUNT +
                         [('REMOVED', 'VirtualStorage')], storage)

    def test_second_vnfc_update_fails_then_rollback_then_retry(self):
        old_state = self.vim_state(self.inst)
        # The first PATCH is VDU1's first VNFC, the second its next one.
        self.proxy.fail(500, body=injected('update refused'), nth=2,
                        **UPDATE_STACK)
        occ_id = self.change('RollingUpdate')
        occ = self.wait_op(occ_id, 'FAILED_TEMP', CHANGE_TIMEOUT)
        self.assertIn('update_VDU1', occ['error']['detail'])
        self.assertIn('update refused', occ['error']['detail'])
        # One VNFC at a time: the first is on the new image, the second
        # not yet.
        self.assertEqual(['image-v1', 'image-v2'],
                         sorted(self.images_by_vnfc().values()))
        self.op_action(occ_id, 'rollback')
        self.wait_op(occ_id, 'ROLLED_BACK', CHANGE_TIMEOUT)
        self.assertUnchanged(old_state)

        self.proxy.remove_rules()
        self.proxy.fail(500, body=injected('update refused'), nth=2,
                        **UPDATE_STACK)
        occ_id = self.change('RollingUpdate')
        self.wait_op(occ_id, 'FAILED_TEMP', CHANGE_TIMEOUT)
        self.op_action(occ_id, 'retry')
        occ = self.wait_op(occ_id, 'COMPLETED', CHANGE_TIMEOUT)
        self.assertRolled(occ, old_state)

    def test_first_update_fails_then_retry(self):
        old_state = self.vim_state(self.inst)
        self.proxy.fail(500, body=injected('update refused'), nth=1,
                        **UPDATE_STACK)
        occ_id = self.change('RollingUpdate')
        occ = self.wait_op(occ_id, 'FAILED_TEMP')
        self.assertIn('update_VDU1', occ['error']['detail'])
        self.assertEqual({'image-v1'}, set(self.images_by_vnfc().values()))
        self.op_action(occ_id, 'retry')
        occ = self.wait_op(occ_id, 'COMPLETED', CHANGE_TIMEOUT)
        self.assertRolled(occ, old_state)

    def test_update_fails_in_heat_then_rollback_then_retry(self):
        # VDU2's new volume is refused by Cinder: its member stack is
        # UPDATE_FAILED in Heat itself, after VDU1 was rebuilt.
        old_state = self.vim_state(self.inst)
        restore = self.limit_volumes(
            sum(len(s[2]) for s in old_state.values()))
        occ_id = self.change('RollingUpdate')
        occ = self.wait_op(occ_id, 'FAILED_TEMP', CHANGE_TIMEOUT)
        self.assertIn('update_VDU2', occ['error']['detail'])
        self.assertIn('VolumeLimitExceeded', occ['error']['detail'])
        self.assertEqual({'image-v2'}, set(self.images_by_vnfc().values()))
        self.op_action(occ_id, 'rollback')
        self.wait_op(occ_id, 'ROLLED_BACK', CHANGE_TIMEOUT)
        self.assertTrueToTheVim(old_state)

        occ_id = self.change('RollingUpdate')
        occ = self.wait_op(occ_id, 'FAILED_TEMP', CHANGE_TIMEOUT)
        self.assertIn('update_VDU2', occ['error']['detail'])
        restore()
        self.op_action(occ_id, 'retry')
        occ = self.wait_op(occ_id, 'COMPLETED', CHANGE_TIMEOUT)
        self.assertRolled(occ, old_state)

    def test_rollback_after_volume_vdu_replaced_records_the_vim(self):
        # VDU2 first (Heat replaces its server and volume), then VDU1's
        # first VNFC fails. Putting VDU2 back on image-v1 makes yet
        # another server and volume: the record names those.
        old_state = self.vim_state(self.inst)
        self.proxy.fail(500, body=injected('update refused'), nth=3,
                        **UPDATE_STACK)
        occ_id = self.change('RollingUpdate', vdu_params=[
            {'vdu_id': 'VDU2'}, {'vdu_id': 'VDU1'}])
        occ = self.wait_op(occ_id, 'FAILED_TEMP', CHANGE_TIMEOUT)
        self.assertIn('update_VDU1', occ['error']['detail'])
        self.op_action(occ_id, 'rollback')
        self.wait_op(occ_id, 'ROLLED_BACK', CHANGE_TIMEOUT)
        state = self.assertTrueToTheVim(old_state)
        [vdu2] = [k for k in state if k.startswith('VDU2')]
        self.assertNotEqual(old_state[vdu2][0], state[vdu2][0])


class TestRefusals(ChangeVnfPkgTestCase):

    def refused(self, status, body, words):
        resp = self.client.request(
            'POST', '/vnflcm/v2/vnf_instances/%s/change_vnfpkg' %
            self.inst['id'], body)
        self.assertEqual(status, resp.status_code, resp.text)
        for word in words:
            self.assertIn(word, resp.body['detail'])

    def test_refused_before_anything_changes(self):
        stacks = sorted(s.id for s in self.live_stacks())
        v2 = self.v2['vnfdId']
        self.refused(400, {'vnfdId': v2, 'additionalParams': {
            'upgrade_type': 'RollingUpdate'}}, ['vdu_params'])
        self.refused(422, {'vnfdId': v2, 'additionalParams': {
            'upgrade_type': 'RollingUpdate',
            'vdu_params': [{'vdu_id': 'VDU9'}]}}, ['VDU9', 'VDU1'])
        self.refused(400, {'vnfdId': v2, 'additionalParams': {
            'upgrade_type': 'BlueGreen', 'vdu_params': VDU_PARAMS}},
            ['external_lb_param'])
        self.refused(400, {'vnfdId': v2, 'additionalParams': {
            'upgrade_type': 'Sideways', 'vdu_params': VDU_PARAMS}},
            ['upgrade_type'])
        self.refused(409, {'vnfdId': self.v1['vnfdId'], 'additionalParams': {
            'upgrade_type': 'RollingUpdate', 'vdu_params': VDU_PARAMS}},
            [self.v1['vnfdId']])
        self.refused(404, {'vnfdId': 'no-such-vnfd', 'additionalParams': {
            'upgrade_type': 'RollingUpdate', 'vdu_params': VDU_PARAMS}},
            ['no-such-vnfd'])
        self.assertEqual(stacks, sorted(s.id for s in self.live_stacks()))
        self.assertEqual(self.inst, self.show(self.inst['id']))
