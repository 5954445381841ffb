"""Functional tests on an OpenStack VIM: the real tacker-server on a cloud.

The cloud is the test cloud's fixture (or a real cloud's
vimConnectionInfo in ``TACKER_TEST_OPENSTACK_VIM``); the tests are
skipped, with the reason, only when it cannot be had. Heat is reached
through a fault proxy: the vimConnectionInfo given to Tacker names the
proxy in ``interfaceInfo.endpointOverrides.orchestration``. What Tacker
records is checked against what the cloud itself says, read here with
keystoneauth1 and python-heatclient, never through Tacker.
"""
import copy
import os
import shutil
import tempfile
import time
import urllib.parse

from heatclient import client as heat_client
from heatclient import exc as heat_exc
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session

from tacker.tests import fault_proxy
from tacker.tests.functional import base
from tacker.tests.openstack_cloud import fixture as cloud_fixture
from tools import build_vnf_package

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
SAMPLES = os.path.join(REPO, 'samples', 'vnf_packages', 'openstack')
HTTP_TIMEOUT = 60
# Upper bound of an instantiate or terminate on the 2-core test cloud.
OP_TIMEOUT = 300
EXT_NET = 'ext-net'
EXT_CPS = ('VDU1_CP1', 'VDU2_CP1')


def heat_error(message, status=500):
    """An error body as Heat's API writes it."""
    return {'code': status, 'title': 'Internal Server Error',
            'explanation': 'The server has either erred or is incapable of '
                           'performing the requested operation.',
            'error': {'message': message, 'type': 'InjectedFault',
                      'traceback': None}}


class OpenStackTestCase(base.FunctionalTestCase):
    service_options = {('openstack_vim', 'poll_initial_interval'): '0.2',
                       ('openstack_vim', 'poll_max_interval'): '1',
                       ('openstack_vim', 'stack_create_timeout'): '240',
                       ('openstack_vim', 'stack_delete_timeout'): '240'}

    def setUp(self):
        # The cloud first: it raises SkipTest when it cannot be had.
        self.cloud_vim = cloud_fixture.shared_cloud().vim_connection_info
        access = self.cloud_vim['accessInfo']
        self.session = ks_session.Session(auth=v3.Password(
            auth_url=self.cloud_vim['interfaceInfo']['endpoint'],
            username=access['username'], password=access['password'],
            project_name=access['project'],
            user_domain_name=access.get('userDomain', 'Default'),
            project_domain_name=access.get('projectDomain', 'Default')),
            timeout=HTTP_TIMEOUT)
        self.region = access.get('region')
        heat_url = self.session.get_endpoint(
            service_type='orchestration', interface='public',
            region_name=self.region)
        parsed = urllib.parse.urlsplit(heat_url)
        self.proxy = self.useFixture(fault_proxy.FaultProxyFixture(
            '%s://%s' % (parsed.scheme, parsed.netloc),
            rewrite_urls=True)).proxy
        # The path keeps keystoneauth1's %(project_id)s, as documented.
        self.heat_override = self.proxy.base_url + parsed.path.replace(
            self.session.get_project_id(), '%(project_id)s')
        super().setUp()
        self.heat = heat_client.Client(
            '1', session=self.session, service_type='orchestration',
            interface='public', region_name=self.region)
        self.ext_net = self.get('network', '/v2.0/networks?name=' +
                                EXT_NET)['networks'][0]['id']

    # -- the cloud, as the test reads it ---------------------------------

    def get(self, service_type, path, ok_404=False):
        """GET on a service of the cloud; None for a 404 when ok_404."""
        try:
            resp = self.session.get(path, endpoint_filter={
                'service_type': service_type, 'interface': 'public',
                'region_name': self.region})
        except ks_exc.NotFound:
            if ok_404:
                return None
            raise
        return resp.json()

    def stack(self, name_or_id):
        """The stack, or None when Heat has none (or only a deleted one)."""
        try:
            stack = self.heat.stacks.get(name_or_id).to_dict()
        except heat_exc.HTTPNotFound:
            return None
        return None if stack['stack_status'] == 'DELETE_COMPLETE' else stack

    def stack_servers(self, stack_id):
        """Ids of the servers Heat lists in the stack (nested ones too)."""
        return sorted(r.physical_resource_id for r in
                      self.heat.resources.list(stack_id, nested_depth=5)
                      if r.resource_type == 'OS::Nova::Server')

    def project_servers(self):
        """Ids of every server Nova lists in the project."""
        return sorted(s['id'] for s in
                      self.get('compute', '/servers')['servers'])

    def ports_of(self, server_id):
        return self.get('network', '/v2.0/ports?device_id=' +
                        server_id)['ports']

    def wait_until(self, predicate, what, timeout=60):
        deadline = time.monotonic() + timeout
        pause = 0.1
        while not predicate():
            if time.monotonic() > deadline:
                self.fail('%s did not happen within %ss' % (what, timeout))
            time.sleep(pause)
            pause = min(pause * 1.5, 2)

    def live_stacks(self, prefix=''):
        """The stacks whose name starts with prefix, deleted ones left out.

        Heat may still list a deleted stack for a moment.
        """
        return [s for s in self.heat.stacks.list()
                if s.stack_status != 'DELETE_COMPLETE' and
                s.stack_name.startswith(prefix)]

    def _delete_stack_left(self, inst_id):
        """Cleanup: a failed test leaves no stack in the shared cloud.

        Every stack of the instance: its own and the new one a Blue-Green
        change makes (``vnf-<id>-<occ>``).
        """
        for stack in self.live_stacks('vnf-%s' % inst_id):
            self.heat.stacks.delete(stack.id)
            self.wait_until(lambda: self.stack(stack.id) is None,
                            'deletion of stack %s' % stack.id, OP_TIMEOUT)

    def reserve_address(self, name='tacker-test-lb'):
        """A fixed IP of the external subnet, for a test host to use.

        A Neutron port of the test's own holds it (deleted at cleanup).
        """
        where = {'service_type': 'network', 'interface': 'public',
                 'region_name': self.region}
        port = self.session.post('/v2.0/ports', endpoint_filter=where, json={
            'port': {'network_id': self.ext_net, 'name': name}}).json()[
            'port']
        self.addCleanup(self.session.delete, '/v2.0/ports/' + port['id'],
                        endpoint_filter=where)
        [ip] = port['fixed_ips']
        return ip['ip_address']

    def image_ids(self):
        """{image name: id} from Glance."""
        return {img['name']: img['id'] for img in
                self.get('image', '/v2/images')['images']}

    # -- Tacker, through its API -----------------------------------------

    def vim_connection_info(self):
        vim = copy.deepcopy(self.cloud_vim)
        vim['interfaceInfo']['endpointOverrides'] = {
            'orchestration': self.heat_override}
        return {'vim1': vim}

    def onboard_sample(self, version='v1', edit=None):
        """On-board a sample; ``edit(copy)`` may change a copy first."""
        with tempfile.TemporaryDirectory() as work:
            src = os.path.join(SAMPLES, version)
            if edit is not None:
                copy_dir = os.path.join(work, 'src')
                shutil.copytree(src, copy_dir)
                edit(copy_dir)
                src = copy_dir
            out = os.path.join(work, 'pkg.zip')
            build_vnf_package.build_package(src, out)
            with open(out, 'rb') as f:
                return self.upload_package(f.read())

    def create(self, pkg):
        resp = self.client.request('POST', '/vnflcm/v2/vnf_instances',
                                   {'vnfdId': pkg['vnfdId'],
                                    'vnfInstanceName': 'os-vnf'})
        self.assertEqual(201, resp.status_code, resp.text)
        self.addCleanup(self._delete_stack_left, resp.body['id'])
        return resp.body

    def instantiate_request(self):
        ip = [{'layerProtocol': 'IP_OVER_ETHERNET', 'ipOverEthernet': {
            'ipAddresses': [{'type': 'IPV4', 'numDynamicAddresses': 1}]}}]
        return {
            'flavourId': 'simple',
            'vimConnectionInfo': self.vim_connection_info(),
            'extVirtualLinks': [{
                'id': 'ext-vl-1', 'resourceId': self.ext_net,
                'extCps': [{'cpdId': cp, 'cpConfig': {
                    cp + '_config': {'cpProtocolData': ip}}}
                    for cp in EXT_CPS]}]}

    def start_instantiate(self, inst_id):
        return self.start_op(inst_id, 'instantiate',
                             self.instantiate_request())

    def instantiated(self, pkg, vdu1_count=None):
        """A VNF of pkg, instantiated (VDU1 with vdu1_count VNFCs)."""
        inst = self.create(pkg)
        req = self.instantiate_request()
        if vdu1_count is not None:
            req['additionalParams'] = {'nfv': {'VDU': {'VDU1': {
                'desired_capacity': vdu1_count}}}}
        self.wait_op(self.start_op(inst['id'], 'instantiate', req),
                     'COMPLETED')
        return self.show(inst['id'])

    def show(self, inst_id):
        resp = self.client.request('GET',
                                   '/vnflcm/v2/vnf_instances/' + inst_id)
        self.assertEqual(200, resp.status_code, resp.text)
        return resp.body

    def op_action(self, occ_id, action):
        resp = self.client.request(
            'POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/%s' % (occ_id, action))
        self.assertEqual(202, resp.status_code, resp.text)

    def wait_op(self, occ_id, state, timeout=OP_TIMEOUT):
        """Wait for the op to settle; assert it settled in ``state``."""
        occ = self.client.wait_op(
            occ_id, ['COMPLETED', 'FAILED_TEMP', 'ROLLED_BACK', 'FAILED'],
            timeout=timeout).body
        self.assertEqual(state, occ['operationState'],
                         occ.get('error') or occ)
        return occ

    def terminate(self, inst_id):
        occ_id = self.start_op(inst_id, 'terminate',
                               {'terminationType': 'FORCEFUL'})
        return self.wait_op(occ_id, 'COMPLETED')
