"""Smoke test of the OpenStack test cloud through python-heatclient.

It drives Heat as Tacker's OpenStack infra driver will: an
AutoScalingGroup of two members (a port on ext-net and a server each),
updated to another image, then deleted.  Image-booted servers are rebuilt
in place (same ids); volume-booted servers are replaced together with
their volumes.  The same test runs against a real cloud when
TACKER_TEST_OPENSTACK_VIM gives its vimConnectionInfo.
"""
import time
import uuid

from heatclient import client as heat_client
from heatclient import exc as heat_exc
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
import testtools

from tacker.tests.openstack_cloud import fixture

STACK_TIMEOUT = 300
HTTP_TIMEOUT = 60

TOP = """
heat_template_version: 2018-08-31
parameters:
  image: {type: string}
  flavor: {type: string}
  net: {type: string}
resources:
  group:
    type: OS::Heat::AutoScalingGroup
    properties:
      min_size: 1
      max_size: 3
      desired_capacity: 2
      resource:
        type: member.yaml
        properties:
          image: {get_param: image}
          flavor: {get_param: flavor}
          net: {get_param: net}
"""

IMAGE_MEMBER = """
heat_template_version: 2018-08-31
parameters:
  image: {type: string}
  flavor: {type: string}
  net: {type: string}
resources:
  port:
    type: OS::Neutron::Port
    properties:
      network: {get_param: net}
  server:
    type: OS::Nova::Server
    properties:
      image: {get_param: image}
      flavor: {get_param: flavor}
      networks:
        - port: {get_resource: port}
"""

VOLUME_MEMBER = """
heat_template_version: 2018-08-31
parameters:
  image: {type: string}
  flavor: {type: string}
  net: {type: string}
resources:
  port:
    type: OS::Neutron::Port
    properties:
      network: {get_param: net}
  volume:
    type: OS::Cinder::Volume
    properties:
      image: {get_param: image}
      size: 1
  server:
    type: OS::Nova::Server
    properties:
      flavor: {get_param: flavor}
      block_device_mapping_v2:
        - volume_id: {get_resource: volume}
          boot_index: 0
          delete_on_termination: false
      networks:
        - port: {get_resource: port}
"""


def _poll(check, timeout, what):
    deadline = time.monotonic() + timeout
    pause = 0.2
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError('%s: not done after %ss' % (what, timeout))
        time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
        pause = min(pause * 1.5, 2.0)


class TestOpenStackCloud(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.vim = self.useFixture(
            fixture.OpenStackCloudFixture()).vim_connection_info
        access = self.vim['accessInfo']
        auth = v3.Password(
            auth_url=self.vim['interfaceInfo']['endpoint'],
            username=access['username'], password=access['password'],
            project_name=access['project'],
            user_domain_name=access['userDomain'],
            project_domain_name=access['projectDomain'])
        self.session = ks_session.Session(auth=auth, timeout=HTTP_TIMEOUT)
        self.region = access.get('region')
        self.heat = heat_client.Client('1', session=self.session,
                                       region_name=self.region)
        extra = self.vim.get('extra', {})
        self.net = extra.get('network', 'ext-net')
        self.flavor = extra.get('flavors', ['m1.tiny'])[0]

    # ---- helpers ---------------------------------------------------------

    def _endpoint(self, service_type):
        return {'service_type': service_type, 'interface': 'public',
                'region_name': self.region}

    def _image_id(self, name):
        images = self.session.get(
            '/v2/images', endpoint_filter=self._endpoint('image'),
            params={'name': name}).json()['images']
        self.assertEqual(1, len(images), 'image %s' % name)
        return images[0]['id']

    def _wait_stack(self, stack_id, action):
        def done():
            stack = self.heat.stacks.get(stack_id)
            if stack.stack_status == action + '_FAILED':
                self.fail('%s failed: %s' % (action,
                                             stack.stack_status_reason))
            return stack.stack_status == action + '_COMPLETE'

        began = time.monotonic()
        _poll(done, STACK_TIMEOUT, '%s of stack %s' % (action, stack_id))
        return time.monotonic() - began

    def _wait_gone(self, stack_id):
        def gone():
            try:
                stack = self.heat.stacks.get(stack_id)
            except heat_exc.HTTPNotFound:
                return True
            if stack.stack_status == 'DELETE_FAILED':
                self.fail('delete failed: %s' % stack.stack_status_reason)
            return stack.stack_status == 'DELETE_COMPLETE'

        _poll(gone, STACK_TIMEOUT, 'delete of stack %s' % stack_id)

    def _resources(self, stack_id, resource_type):
        return sorted(
            r.physical_resource_id for r in self.heat.resources.list(
                stack_id, nested_depth=3)
            if r.resource_type == resource_type)

    def _server(self, server_id):
        return self.session.get(
            '/servers/' + server_id,
            endpoint_filter=self._endpoint('compute')).json()['server']

    def _create(self, member):
        name = 'tacker-smoke-' + uuid.uuid4().hex[:8]
        created = self.heat.stacks.create(
            stack_name=name, template=TOP,
            files={'member.yaml': member},
            parameters={'image': 'image-v1', 'flavor': self.flavor,
                        'net': self.net})
        stack_id = created['stack']['id']
        self.addCleanup(self._delete_quietly, stack_id)
        self._wait_stack(stack_id, 'CREATE')
        return stack_id

    def _update_image(self, stack_id, image):
        self.heat.stacks.update(stack_id, existing=True,
                                parameters={'image': image})
        # The stack was CREATE_COMPLETE: UPDATE_COMPLETE can only come
        # from this update.
        self._wait_stack(stack_id, 'UPDATE')

    def _delete(self, stack_id):
        self.heat.stacks.delete(stack_id)
        self._wait_gone(stack_id)

    def _delete_quietly(self, stack_id):
        try:
            self._delete(stack_id)
        except (heat_exc.HTTPNotFound, AssertionError):
            pass

    # ---- tests -----------------------------------------------------------

    def test_image_booted_group_is_rebuilt_in_place(self):
        stack_id = self._create(IMAGE_MEMBER)
        servers = self._resources(stack_id, 'OS::Nova::Server')
        ports = self._resources(stack_id, 'OS::Neutron::Port')
        self.assertEqual(2, len(servers))
        self.assertEqual(2, len(ports))
        v1, v2 = self._image_id('image-v1'), self._image_id('image-v2')
        for server_id in servers:
            server = self._server(server_id)
            self.assertEqual('ACTIVE', server['status'])
            self.assertEqual(v1, server['image']['id'])
            addresses = [a['addr'] for net in server['addresses'].values()
                         for a in net]
            self.assertTrue(all(a.startswith('198.51.100.')
                                for a in addresses), addresses)

        self._update_image(stack_id, 'image-v2')
        self.assertEqual(servers,
                         self._resources(stack_id, 'OS::Nova::Server'))
        self.assertEqual(ports,
                         self._resources(stack_id, 'OS::Neutron::Port'))
        for server_id in servers:
            server = self._server(server_id)
            self.assertEqual('ACTIVE', server['status'])
            self.assertEqual(v2, server['image']['id'])

        self._delete(stack_id)

    def test_volume_booted_group_is_replaced(self):
        stack_id = self._create(VOLUME_MEMBER)
        servers = self._resources(stack_id, 'OS::Nova::Server')
        volumes = self._resources(stack_id, 'OS::Cinder::Volume')
        ports = self._resources(stack_id, 'OS::Neutron::Port')
        self.assertEqual(2, len(servers))
        self.assertEqual(2, len(volumes))
        for server_id in servers:
            server = self._server(server_id)
            self.assertEqual('ACTIVE', server['status'])
            attached = [v['id'] for v in
                        server['os-extended-volumes:volumes_attached']]
            self.assertEqual(1, len(attached))
            self.assertIn(attached[0], volumes)

        self._update_image(stack_id, 'image-v2')
        new_servers = self._resources(stack_id, 'OS::Nova::Server')
        new_volumes = self._resources(stack_id, 'OS::Cinder::Volume')
        self.assertEqual(2, len(new_servers))
        self.assertEqual(2, len(new_volumes))
        self.assertFalse(set(servers) & set(new_servers))
        self.assertFalse(set(volumes) & set(new_volumes))
        # The ports (and so the addresses) stay.
        self.assertEqual(ports,
                         self._resources(stack_id, 'OS::Neutron::Port'))
        v2 = self._image_id('image-v2')
        volume_api = self._endpoint('volumev3')
        for volume_id in new_volumes:
            volume = self.session.get(
                '/volumes/' + volume_id,
                endpoint_filter=volume_api).json()['volume']
            self.assertEqual(
                v2, volume['volume_image_metadata']['image_id'])

        self._delete(stack_id)
