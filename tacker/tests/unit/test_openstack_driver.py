"""OpenStack infra driver: stack inputs and the instance's record.

The record is built from answers recorded on the test cloud
(test_openstack_recorded.json: Heat's resource list with nested_depth,
Neutron ports, Cinder volumes; the Nova servers filled in), so no client
is mocked: the functions under test take plain data.
"""
import json
import os
import socket

from oslo_config import cfg
import testtools

from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.infra_drivers.openstack import change_blue_green
from tacker.sol_refactored.infra_drivers.openstack import change_rolling
from tacker.sol_refactored.infra_drivers.openstack import hot
from tacker.sol_refactored.infra_drivers.openstack import stack as os_stack
from tacker.sol_refactored.infra_drivers.openstack import vim as os_vim
from tacker.sol_refactored.infra_drivers.openstack import vnfc
from tacker.sol_refactored.lcm import changes

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.join(HERE, os.pardir, os.pardir, os.pardir, 'samples',
                       'vnf_packages', 'openstack')
NET = '788f8c92-08b6-41fe-9c49-d44108d7e1c7'

FLAVOUR = {
    'vdus': {
        'VDU1': {'vduProfile': {'min_number_of_instances': 1},
                 'virtualStorages': [], 'swImage': 'VDU1'},
        'VDU2': {'vduProfile': {'min_number_of_instances': 1},
                 'virtualStorages': ['VirtualStorage'], 'swImage': None}},
    'virtualStorages': {'VirtualStorage': {'swImage': 'VirtualStorage'}},
    'cps': {'VDU1_CP1': {'vdu': 'VDU1', 'virtualLink': None},
            'VDU2_CP1': {'vdu': 'VDU2', 'virtualLink': None}},
    'virtualLinks': []}
IMAGES = {'VDU1': {'name': 'image-v1'}, 'VirtualStorage': {'name': 'image-v1'}}
FLAVORS = {'VDU1': 'm1.tiny', 'VDU2': 'm1.small'}
EXT_VLS = [{'id': 'ext1', 'resourceId': NET, 'extCps': [
    {'cpdId': 'VDU1_CP1', 'cpConfig': {'VDU1_CP1_cfg': {}}},
    {'cpdId': 'VDU2_CP1', 'cpConfig': {'VDU2_CP1_cfg': {}}}]}]


def recorded():
    with open(os.path.join(HERE, 'test_openstack_recorded.json')) as f:
        return json.load(f)


class TestStackInputs(testtools.TestCase):
    def test_nfv_from_vnfd_and_request(self):
        nfv = hot.build_nfv(FLAVOUR, IMAGES, FLAVORS, EXT_VLS, {})
        self.assertEqual({
            'VDU': {'VDU1': {'computeFlavourId': 'm1.tiny',
                             'vcImageId': 'image-v1', 'desired_capacity': 1},
                    'VDU2': {'computeFlavourId': 'm1.small',
                             'desired_capacity': 1},
                    'VirtualStorage': {'vcImageId': 'image-v1'}},
            'CP': {'VDU1_CP1': {'network': NET},
                   'VDU2_CP1': {'network': NET}}}, nfv)

    def test_additional_params_and_counts_override(self):
        nfv = hot.build_nfv(
            FLAVOUR, IMAGES, FLAVORS, EXT_VLS,
            {'nfv': {'VDU': {'VDU1': {'vcImageId': 'other'}},
                     'CP': {'VDU2_CP1': {'network': 'net2'}}}},
            counts={'VDU1': 3})
        self.assertEqual('other', nfv['VDU']['VDU1']['vcImageId'])
        self.assertEqual('m1.tiny', nfv['VDU']['VDU1']['computeFlavourId'])
        self.assertEqual(3, nfv['VDU']['VDU1']['desired_capacity'])
        self.assertEqual('net2', nfv['CP']['VDU2_CP1']['network'])

    def test_missing_network_and_flavour_are_named(self):
        e = self.assertRaises(sol_ex.UnprocessableEntity, hot.build_nfv,
                              FLAVOUR, IMAGES, {'VDU1': 'm1.tiny'}, [], {})
        self.assertIn('compute flavour of VDU2', e.detail)
        self.assertIn('network of external CP VDU1_CP1', e.detail)
        self.assertIn('network of external CP VDU2_CP1', e.detail)

    def test_base_hot_of_the_samples(self):
        for version in ('v1', 'v2'):
            template, files = hot.load_base_hot(
                os.path.join(SAMPLES, version), 'simple')
            self.assertIn('nested/VDU1.yaml', template)
            self.assertEqual(['nested/VDU1.yaml', 'nested/VDU2.yaml'],
                             sorted(files))
        e = self.assertRaises(sol_ex.UnprocessableEntity, hot.load_base_hot,
                              os.path.join(SAMPLES, 'v1'), 'complex')
        self.assertIn('BaseHOT/complex', e.detail)

    def test_rolling_takes_only_the_vdu_values(self):
        current = hot.build_nfv(FLAVOUR, IMAGES, FLAVORS, EXT_VLS, {},
                                counts={'VDU1': 2})
        new = hot.build_nfv(FLAVOUR, {'VDU1': {'name': 'image-v2'},
                                      'VirtualStorage': {'name': 'image-v2'}},
                            FLAVORS, EXT_VLS, {})
        keys = change_rolling.vdu_keys(FLAVOUR, 'VDU2')
        self.assertEqual(['VDU2', 'VirtualStorage'], keys)
        nfv = change_rolling.with_vdu_values(current, new, keys)
        self.assertEqual('image-v1', nfv['VDU']['VDU1']['vcImageId'])
        self.assertEqual(2, nfv['VDU']['VDU1']['desired_capacity'])
        self.assertEqual('image-v2', nfv['VDU']['VirtualStorage']['vcImageId'])

    def test_rolling_to_a_volume_boot_drops_the_vdu_image(self):
        current = {'VDU': {'VDU1': {'vcImageId': 'image-v1',
                                    'computeFlavourId': 'm1.tiny',
                                    'desired_capacity': 2}}, 'CP': {}}
        new = {'VDU': {'VDU1': {'computeFlavourId': 'm1.small'},
                       'VirtualStorage1': {'vcImageId': 'image-v3'}},
               'CP': {}}
        nfv = change_rolling.with_vdu_values(
            current, new, ['VDU1', 'VirtualStorage1'])
        self.assertEqual({'computeFlavourId': 'm1.small',
                          'desired_capacity': 2}, nfv['VDU']['VDU1'])
        self.assertEqual({'vcImageId': 'image-v3'},
                         nfv['VDU']['VirtualStorage1'])
        self.assertEqual('image-v1', current['VDU']['VDU1']['vcImageId'])

    def test_running_images_from_nova_glance_and_cinder(self):
        class Glance:
            def get(self, what, service_type, path):
                assert (service_type, path) == ('image', '/v2/images/i2')
                return {'id': 'i2', 'name': 'image-v2'}

        data = {'resources': [
            {'resource_type': 'OS::Nova::Server', 'resource_name': 'VDU1',
             'physical_resource_id': 's1'},
            {'resource_type': 'OS::Nova::Server', 'resource_name': 'VDU2',
             'physical_resource_id': 's2'}],
            'servers': {
                's1': {'image': {'id': 'i2'}},
                's2': {'image': '', 'os-extended-volumes:volumes_attached': [
                    {'id': 'v2'}]}},
            'volumes': {'v2': {'volume_image_metadata': {
                'image_name': 'image-v1'}}}}
        self.assertEqual({('i2', 'image-v2')}, change_rolling.running_images(
            Glance(), data, 'VDU1'))
        self.assertEqual({(None, 'image-v1')}, change_rolling.running_images(
            Glance(), data, 'VDU2'))
        # An image uploaded from the package is named by its id.
        self.assertIs(data, change_rolling._check_running(
            Glance(), data, 'VDU1', {'VDU': {'VDU1': {'vcImageId': 'i2'}}},
            ['VDU1'], 'x'))
        # What the update asked for is checked against what runs.
        nfv = {'VDU': {'VDU2': {}, 'VirtualStorage': {
            'vcImageId': 'image-v2'}}}
        e = self.assertRaises(
            os_stack.StackFailed, change_rolling._check_running, Glance(),
            data, 'VDU2', nfv, ['VDU2', 'VirtualStorage'], 'Member m1')
        self.assertIn('Member m1 is UPDATE_COMPLETE but the servers of '
                      'VDU2 there run image(s) image-v1, not image-v2',
                      e.detail)
        nfv['VDU']['VirtualStorage']['vcImageId'] = 'image-v1'
        self.assertIs(data, change_rolling._check_running(
            Glance(), data, 'VDU2', nfv, ['VDU2', 'VirtualStorage'], 'x'))


class TestInstantiatedInfo(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self.data = recorded()
        self.info = vnfc.build_info(self.data, 'simple', FLAVOUR, 'vnfd-1',
                                    EXT_VLS, {'VDU': {}})

    def _server(self, vdu_id):
        return [r for r in self.data['resources']
                if r['resource_type'] == 'OS::Nova::Server' and
                r['resource_name'] == vdu_id][0]

    def test_one_vnfc_per_server(self):
        vnfcs = {v.vduId: v for v in self.info.vnfcResourceInfo}
        self.assertEqual(['VDU1', 'VDU2'], sorted(vnfcs))
        for vdu_id, vnfc_info in vnfcs.items():
            server = self._server(vdu_id)
            self.assertEqual(server['physical_resource_id'],
                             vnfc_info.computeResource.resourceId)
            self.assertEqual('OS::Nova::Server',
                             vnfc_info.computeResource.vimLevelResourceType)
            self.assertEqual('%s-%s' % (vdu_id, server['parent_resource']),
                             vnfc_info.id)
        self.assertEqual([], vnfcs['VDU1'].storageResourceIds)
        self.assertEqual(1, len(vnfcs['VDU2'].storageResourceIds))

    def test_storage_is_the_cinder_volume(self):
        [storage] = self.info.virtualStorageResourceInfo
        self.assertEqual('VirtualStorage', storage.virtualStorageDescId)
        self.assertEqual(list(self.data['volumes']),
                         [storage.storageResource.resourceId])
        vdu2 = [v for v in self.info.vnfcResourceInfo if v.vduId == 'VDU2']
        self.assertEqual([storage.id], vdu2[0].storageResourceIds)

    def test_ports_and_external_cps(self):
        ports = self.data['ports']
        self.assertEqual(2, len(self.info.extCpInfo))
        by_cp = {}
        for vnfc_info in self.info.vnfcResourceInfo:
            [cp] = vnfc_info.vnfcCpInfo
            by_cp[cp.id] = cp
        [ext_vl] = self.info.extVirtualLinkInfo
        self.assertEqual('ext1', ext_vl.id)
        self.assertEqual(NET, ext_vl.resourceHandle.resourceId)
        link_ports = {p['id']: p for p in ext_vl.extLinkPorts}
        for ext_cp in self.info.extCpInfo:
            self.assertEqual(ext_cp.cpdId + '_cfg', ext_cp.cpConfigId)
            vnfc_cp = by_cp[ext_cp.associatedVnfcCpId]
            self.assertEqual(ext_cp.id, vnfc_cp.vnfExtCpId)
            port_id = link_ports[ext_cp.extLinkPortId][
                'resourceHandle']['resourceId']
            address = ext_cp.cpProtocolInfo[0]['ipOverEthernet']
            self.assertEqual(ports[port_id]['mac_address'],
                             address['macAddress'])
            self.assertEqual(
                [ports[port_id]['fixed_ips'][0]['ip_address']],
                address['ipAddresses'][0]['addresses'])

    def test_internal_virtual_link(self):
        flavour = json.loads(json.dumps(FLAVOUR))
        flavour['cps']['VDU1_CP1']['virtualLink'] = 'internalVL1'
        info = vnfc.build_info(self.data, 'simple', flavour, 'vnfd-1',
                               EXT_VLS, {})
        [vl] = info.vnfVirtualLinkResourceInfo
        self.assertEqual('internalVL1', vl.vnfVirtualLinkDescId)
        self.assertEqual(NET, vl.networkResource.resourceId)
        [port] = vl.vnfLinkPorts
        self.assertEqual('VNFC_CP', port.cpInstanceType)
        self.assertEqual(['VDU2_CP1'], [c.cpdId for c in info.extCpInfo])

    def test_metadata_names_the_stack(self):
        self.assertEqual(self.data['stack']['id'],
                         self.info.metadata['stack_id'])
        self.assertEqual(self.data['stack']['stack_name'],
                         self.info.metadata['stack_name'])

    def test_rebuild_modifies_replace_modifies(self):
        # Rebuild: same server id, same VNFC -> no change at all.
        again = vnfc.build_info(recorded(), 'simple', FLAVOUR, 'vnfd-1',
                                EXT_VLS, {})
        self.assertEqual([], changes.diff(self.info, again).affectedVnfcs)
        # Replace: Heat gives VDU2 a new server in the same member.
        data = recorded()
        server = [r for r in data['resources']
                  if r['resource_type'] == 'OS::Nova::Server' and
                  r['resource_name'] == 'VDU2'][0]
        data['servers']['new-id'] = dict(
            data['servers'].pop(server['physical_resource_id']), id='new-id')
        server['physical_resource_id'] = 'new-id'
        after = vnfc.build_info(data, 'simple', FLAVOUR, 'vnfd-2', EXT_VLS,
                                {})
        diff = changes.diff(self.info, after)
        kinds = {(a.vduId, a.changeType) for a in diff.affectedVnfcs}
        self.assertEqual({('VDU1', 'MODIFIED'), ('VDU2', 'MODIFIED')}, kinds)
        vdu2 = [a for a in diff.affectedVnfcs if a.vduId == 'VDU2'][0]
        self.assertEqual('new-id', vdu2.computeResource.resourceId)


class TestSummary(testtools.TestCase):
    """What the CoordinateVNF scripts get for each VNFC."""

    def setUp(self):
        super().setUp()
        self.data = recorded()
        self.port_of = {
            r['resource_name']: r['physical_resource_id']
            for r in self.data['resources']
            if r['resource_type'] == 'OS::Neutron::Port'}

    def _fixed_ip(self, cp_name):
        port = self.data['ports'][self.port_of[cp_name]]
        return port['fixed_ips'][0]['ip_address']

    def test_addresses_keyed_by_cp_name(self):
        items = vnfc.summary(self.data)
        self.assertEqual(['VDU1', 'VDU2'], [i['vduId'] for i in items])
        for item in items:
            cp_name = item['vduId'] + '_CP1'
            server = self.data['servers'][item['serverId']]
            self.assertEqual({cp_name: [self._fixed_ip(cp_name)]},
                             item['cpAddresses'])
            # The keys others rely on are all still there.
            self.assertEqual(server['name'], item['name'])
            self.assertEqual(
                [a['addr'] for net in server['addresses'].values()
                 for a in net], item['addresses'])
        self.assertEqual(['198.51.100.91'],
                         items[0]['cpAddresses']['VDU1_CP1'])
        self.assertEqual(['198.51.100.20'],
                         items[1]['cpAddresses']['VDU2_CP1'])

    def test_flat_list_from_neutron_when_nova_shows_none(self):
        for server in self.data['servers'].values():
            server['addresses'] = {}
        items = vnfc.summary(self.data)
        self.assertEqual([['198.51.100.91'], ['198.51.100.20']],
                         [i['addresses'] for i in items])

    def test_every_fixed_ip_of_a_port_and_only_this_servers_ports(self):
        port = self.data['ports'][self.port_of['VDU1_CP1']]
        port['fixed_ips'].append({'ip_address': '2001:db8::5',
                                  'subnet_id': 'v6'})
        port['device_id'] = 'another-server'
        items = vnfc.summary(self.data)
        self.assertEqual({}, items[0]['cpAddresses'])
        port['device_id'] = items[0]['serverId']
        items = vnfc.summary(self.data)
        self.assertEqual({'VDU1_CP1': ['198.51.100.91', '2001:db8::5']},
                         items[0]['cpAddresses'])
        # VDU2's nested stack is another one: its port is not VDU1's.
        self.assertEqual(['VDU2_CP1'], list(items[1]['cpAddresses']))

    def test_port_not_created_yet_is_no_address(self):
        [res] = [r for r in self.data['resources']
                 if r['resource_name'] == 'VDU2_CP1']
        res['physical_resource_id'] = ''
        items = vnfc.summary(self.data)
        self.assertEqual({}, items[1]['cpAddresses'])
        self.assertEqual(['VDU1_CP1'], list(items[0]['cpAddresses']))


class TestBlueGreenUndoOfDelete(testtools.TestCase):
    """A rollback past delete_old_stack only while the old stack is whole."""

    def test_delete_heat_never_began_is_nothing_to_undo(self):
        for status in ('CREATE_COMPLETE', 'UPDATE_COMPLETE'):
            self.assertIsNone(change_blue_green.check_old_stack_whole(
                'old-1', {'id': 'old-1', 'stack_status': status}))

    def test_begun_or_finished_delete_refuses_the_rollback(self):
        for stack in ({'id': 'old-1', 'stack_status': 'DELETE_IN_PROGRESS'},
                      {'id': 'old-1', 'stack_status': 'DELETE_FAILED'},
                      None):
            e = self.assertRaises(change_blue_green.OldStackGone,
                                  change_blue_green.check_old_stack_whole,
                                  'old-1', stack)
            self.assertEqual(409, e.status)
            self.assertIn('old-1', e.detail)
            self.assertIn('Retry', e.detail)


class _StackVim:
    """A VIM whose Heat answers a stack and, read after read, resources."""

    endpoint = None

    def __init__(self, status, resource_reads):
        outer = self
        self.reads = list(resource_reads)
        self.listed = 0

        class Stacks:
            def get(self, stack_id):
                return {'id': stack_id, 'stack_name': 'vnf',
                        'stack_status': status}

        class Resources:
            def list(self, stack_id, nested_depth=0):
                outer.listed += 1
                statuses = (outer.reads.pop(0) if len(outer.reads) > 1
                            else outer.reads[0])
                return [_Res(name, st) for name, st in statuses]

        class Heat:
            stacks = Stacks()
            resources = Resources()

        self.heat = Heat()


class _Res:
    def __init__(self, name, status):
        self.name, self.status = name, status

    def to_dict(self):
        return {'resource_name': self.name, 'resource_status': self.status}


class TestSettle(testtools.TestCase):
    """A failed stack is updated only once nothing in it is at work."""

    def setUp(self):
        super().setUp()
        cfg.CONF.set_override('poll_initial_interval', 0.05, 'openstack_vim')
        cfg.CONF.set_override('poll_max_interval', 0.1, 'openstack_vim')
        self.addCleanup(cfg.CONF.clear_override, 'poll_initial_interval',
                        'openstack_vim')
        self.addCleanup(cfg.CONF.clear_override, 'poll_max_interval',
                        'openstack_vim')

    def test_a_stack_that_did_not_fail_is_not_read_further(self):
        vim = _StackVim('UPDATE_COMPLETE', [[('VDU1', 'UPDATE_IN_PROGRESS')]])
        os_stack.settle(vim, 's1', 5)
        self.assertEqual(0, vim.listed)

    def test_waits_until_no_resource_is_in_progress(self):
        vim = _StackVim('CREATE_FAILED', [
            [('VDU1', 'CREATE_IN_PROGRESS'), ('VDU2', 'CREATE_FAILED')],
            [('VDU1', 'CREATE_IN_PROGRESS'), ('VDU2', 'CREATE_FAILED')],
            [('VDU1', 'CREATE_COMPLETE'), ('VDU2', 'CREATE_FAILED')]])
        os_stack.settle(vim, 's1', 5)
        self.assertEqual(3, vim.listed)

    def test_names_what_is_still_at_work_at_the_deadline(self):
        vim = _StackVim('UPDATE_FAILED', [[('VDU1', 'UPDATE_IN_PROGRESS')]])
        e = self.assertRaises(os_vim.VimTimeout, os_stack.settle, vim, 's1',
                              0.2)
        self.assertIn('VDU1 (UPDATE_IN_PROGRESS)', e.detail)
        self.assertIn('UPDATE_FAILED', e.detail)


class TestVimConnection(testtools.TestCase):
    def test_missing_fields_are_named_without_secrets(self):
        e = self.assertRaises(
            sol_ex.UnprocessableEntity, os_vim.OpenStackVim,
            {'interfaceInfo': {}, 'accessInfo': {'username': 'u',
                                                 'password': 's3cret'}})
        self.assertIn('interfaceInfo.endpoint', e.detail)
        self.assertIn('accessInfo.project', e.detail)
        self.assertNotIn('s3cret', e.detail)

    def test_unreachable_keystone_is_a_vim_error(self):
        cfg.CONF.set_override('connect_timeout', 0.5, 'openstack_vim')
        self.addCleanup(cfg.CONF.clear_override, 'connect_timeout',
                        'openstack_vim')
        vim = os_vim.OpenStackVim({
            # Port 9 on localhost: nothing listens there.
            'interfaceInfo': {'endpoint': 'http://127.0.0.1:9/v3'},
            'accessInfo': {'username': 'u', 'password': 's3cret',
                           'project': 'p', 'region': 'RegionOne'}})
        e = self.assertRaises(os_vim.VimError, vim.get, 'read server x',
                              'compute', '/servers/x')
        self.assertIn('read server x', e.detail)
        self.assertNotIn('s3cret', e.detail)

    def test_endpoint_overrides(self):
        access = {'username': 'u', 'password': 's3cret', 'project': 'p'}
        vim = os_vim.OpenStackVim({
            'interfaceInfo': {
                'endpoint': 'http://127.0.0.1:9/v3',
                'endpointOverrides': {
                    'orchestration': 'http://127.0.0.1:8/v1/%(project_id)s/'}},
            'accessInfo': access})
        self.assertEqual('http://127.0.0.1:8/v1/%(project_id)s',
                         vim.heat.http_client.endpoint_override)
        for bad in ({'orchestration': 'ftp://x'}, ['http://x'],
                    {'compute': None}):
            e = self.assertRaises(
                sol_ex.UnprocessableEntity, os_vim.OpenStackVim,
                {'interfaceInfo': {'endpoint': 'http://127.0.0.1:9/v3',
                                   'endpointOverrides': bad},
                 'accessInfo': access})
            self.assertIn('endpointOverrides', e.detail)

    def test_vim_that_never_answers_times_out(self):
        cfg.CONF.set_override('read_timeout', 0.3, 'openstack_vim')
        self.addCleanup(cfg.CONF.clear_override, 'read_timeout',
                        'openstack_vim')
        # A listening socket nobody reads: connections are accepted by
        # the kernel and never answered.
        listener = socket.socket()
        self.addCleanup(listener.close)
        listener.bind(('127.0.0.1', 0))
        listener.listen(8)
        vim = os_vim.OpenStackVim({
            'interfaceInfo': {'endpoint': 'http://127.0.0.1:%d/v3' %
                              listener.getsockname()[1]},
            'accessInfo': {'username': 'u', 'password': 's3cret',
                           'project': 'p'}})
        e = self.assertRaises(os_vim.VimTimeout, vim.get, 'read server x',
                              'compute', '/servers/x')
        self.assertEqual(504, e.status)
        self.assertIn('did not answer', e.detail)
        self.assertNotIn('s3cret', e.detail)
