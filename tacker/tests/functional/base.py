"""Functional-test base: the real service, reached over HTTP."""
import json
import time
import uuid

import testtools

from tacker.tests.functional import service
from tacker.tests import step_vim
from tacker.tests.unit.data import packages


class FunctionalTestCase(testtools.TestCase):
    transport_url = None
    conductors = 0
    service_options = None

    def setUp(self):
        super().setUp()
        self.service = self.useFixture(service.TackerService(
            transport_url=self.transport_url, conductors=self.conductors,
            options=self.service_options))
        self.addOnException(self._attach_logs)
        self.client = service.Client(self.service.base_url)
        self.vim = step_vim.StepVim(store_file=self.service.store_file)

    def _attach_logs(self, exc_info):
        self.addDetail('service-logs', testtools.content.text_content(
            self.service.logs()))

    def add_package(self, source='k8s_simple'):
        """On-board a sample package through the API; a fresh vnfdId.

        Returns the VnfPkgInfo body, ONBOARDED and ENABLED.
        """
        vnfd_id = str(uuid.uuid4())
        content = packages.build(
            source, edit=packages.with_vnfd_id(source, vnfd_id))
        pkg = self.upload_package(content)
        self.assertEqual(vnfd_id, pkg['vnfdId'])
        return pkg

    def upload_package(self, content):
        """Create and upload a package; its VnfPkgInfo, ENABLED.

        On-boarding enables it, unless the service runs with
        [vnf_package] enable_on_onboarding = false: then it is enabled
        here.
        """
        client = service.Client(self.service.base_url, version=None)
        created = client.request('POST', '/vnfpkgm/v1/vnf_packages', {})
        self.assertEqual(201, created.status_code, created.text)
        pkg_id = created.body['id']
        resp = client.request(
            'PUT', '/vnfpkgm/v1/vnf_packages/%s/package_content' % pkg_id,
            data=content, headers={'Content-Type': 'application/zip'})
        self.assertEqual(202, resp.status_code, resp.text)
        pkg = client.request('GET', '/vnfpkgm/v1/vnf_packages/' + pkg_id)
        self.assertEqual('ONBOARDED', pkg.body['onboardingState'])
        if pkg.body['operationalState'] == 'DISABLED':
            resp = client.request(
                'PATCH', '/vnfpkgm/v1/vnf_packages/' + pkg_id,
                data=json.dumps({'operationalState': 'ENABLED'}),
                headers={'Content-Type': 'application/merge-patch+json'})
            self.assertEqual(200, resp.status_code, resp.text)
            pkg = client.request('GET', '/vnfpkgm/v1/vnf_packages/' +
                                 pkg_id)
        self.assertEqual('ENABLED', pkg.body['operationalState'])
        return pkg.body

    def create_instance(self):
        pkg = self.add_package()
        resp = self.client.request('POST', '/vnflcm/v2/vnf_instances',
                                   {'vnfdId': pkg['vnfdId'],
                                    'vnfInstanceName': 'func-vnf'})
        self.assertEqual(201, resp.status_code, resp.text)
        return resp.body

    def instantiate_body(self):
        return {'flavourId': 'simple', 'vimConnectionInfo': {'vim1': {
            'vimId': 'vim-1', 'vimType': step_vim.VIM_TYPE,
            'interfaceInfo': {'endpoint': 'http://127.0.0.1:1/'},
            'accessInfo': {'username': 'nfv', 'password': 'func-s3cret'}}}}

    def wait_until(self, predicate, what, timeout=30):
        """Poll predicate with a short backoff until it holds."""
        deadline = time.monotonic() + timeout
        delay = 0.02
        while True:
            result = predicate()
            if result:
                return result
            if time.monotonic() > deadline:
                self.fail('%s did not happen within %ss' % (what, timeout))
            time.sleep(delay)
            delay = min(delay * 2, 0.25)

    def start_op(self, inst_id, op, body):
        resp = self.client.request(
            'POST', '/vnflcm/v2/vnf_instances/%s/%s' % (inst_id, op), body)
        self.assertEqual(202, resp.status_code, resp.text)
        return resp.headers['Location'].rsplit('/', 1)[1]
