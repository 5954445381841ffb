"""Unit-test base that drives the WSGI app with a conductor in-process."""
import json
import time
import uuid

import webob

from tacker.sol_refactored.api import app as sol_app
from tacker.sol_refactored.common import plugins
from tacker.sol_refactored.common import timeutil
from tacker.sol_refactored.conductor import rpc
from tacker.sol_refactored.conductor import service
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored import objects
from tacker.tests import base
from tacker.tests import step_vim
from tacker.tests.unit.data import packages

V2 = {'Version': '2.0.0'}


class Answer:
    def __init__(self, resp):
        self.status = resp.status_int
        self.headers = resp.headers
        self.content_type = resp.content_type
        self.body = json.loads(resp.body) if resp.body else None


class ApiTestCase(base.TestCase):
    start_conductor = True

    def setUp(self):
        super().setUp()
        self.conf.config(lease_timeout=60, heartbeat_interval=60,
                         group='conductor')
        self.vim = step_vim.StepVim()
        plugins.register(plugins.INFRA_DRIVERS, step_vim.VIM_TYPE, self.vim)
        self.addCleanup(plugins.unregister, plugins.INFRA_DRIVERS,
                        step_vim.VIM_TYPE)
        self.addCleanup(rpc.reset)
        self.conductor = None
        if self.start_conductor:
            self.conductor = service.ConductorService(host='unit-test')
            self.conductor.start()
            self.addCleanup(self.conductor.stop)
        self.app = sol_app.build_app()

    def call(self, method, path, body=None, headers=None, raw=None,
             content_type='application/json'):
        req = webob.Request.blank(path, method=method)
        for key, value in (headers if headers is not None else V2).items():
            req.headers[key] = value
        if body is not None:
            req.body = json.dumps(body).encode()
            req.content_type = content_type
        elif raw is not None:
            req.body = raw
            req.content_type = content_type
        return Answer(req.get_response(self.app))

    def admin_context(self):
        from tacker.sol_refactored.api import context
        return context.Context.admin()

    def add_package(self, vnfd_id=None, operational='ENABLED',
                    onboarding='ONBOARDED', flavours=('simple',)):
        vnfd_id = vnfd_id or str(uuid.uuid4())
        pkg = objects.VnfPkgInfo(
            id=str(uuid.uuid4()), vnfdId=vnfd_id, vnfProvider='Company',
            vnfProductName='Sample VNF', vnfSoftwareVersion='1.0',
            vnfdVersion='1.0', packageSecurityOption='OPTION_1',
            onboardingState=onboarding, operationalState=operational,
            usageState='NOT_IN_USE',
            vnfdSummary={'flavours': {f: {} for f in flavours}},
            createdAt=timeutil.utcnow())
        with db_api.writer(self.admin_context()) as session:
            pkg.create(session)
        return pkg

    def onboard(self, source='k8s_simple', enable=True):
        """On-board a test package through the API, with a new vnfdId."""
        vnfd_id = str(uuid.uuid4())
        content = packages.build(
            source, edit=packages.with_vnfd_id(source, vnfd_id))
        pkgs = '/vnfpkgm/v1/vnf_packages'
        created = self.call('POST', pkgs, {}, headers={})
        self.assertEqual(201, created.status, created.body)
        pkg_id = created.body['id']
        answer = self.call('PUT', '%s/%s/package_content' % (pkgs, pkg_id),
                           raw=content, content_type='application/zip',
                           headers={})
        self.assertEqual(202, answer.status, answer.body)
        # On-boarded packages are ENABLED ([vnf_package]
        # enable_on_onboarding); disable the ones a test wants DISABLED.
        if not enable:
            answer = self.call(
                'PATCH', '%s/%s' % (pkgs, pkg_id),
                {'operationalState': 'DISABLED'}, headers={},
                content_type='application/merge-patch+json')
            self.assertEqual(200, answer.status, answer.body)
        return self.call('GET', '%s/%s' % (pkgs, pkg_id), headers={}).body

    def create_instance(self, vnfd_id=None):
        if vnfd_id is None:
            vnfd_id = self.add_package().vnfdId
        answer = self.call('POST', '/vnflcm/v2/vnf_instances',
                           {'vnfdId': vnfd_id, 'vnfInstanceName': 'vnf1'})
        self.assertEqual(201, answer.status, answer.body)
        return answer.body

    def instantiate_body(self, password='s3cret-pw'):
        return {'flavourId': 'simple', 'vimConnectionInfo': {'vim1': {
            'vimId': 'vim-1', 'vimType': step_vim.VIM_TYPE,
            'interfaceInfo': {'endpoint': 'http://127.0.0.1:1/'},
            'accessInfo': {'username': 'nfv', 'password': password}}}}

    def start_op(self, inst_id, op, body):
        answer = self.call('POST', '/vnflcm/v2/vnf_instances/%s/%s' % (
            inst_id, op), body)
        self.assertEqual(202, answer.status, answer.body)
        return answer.headers['Location'].rsplit('/', 1)[1]

    def lcmocc(self, lcmocc_id):
        return objects.VnfLcmOpOcc.get_by_id(self.admin_context(), lcmocc_id)

    def instance(self, inst_id):
        return objects.VnfInstance.get_by_id(self.admin_context(), inst_id)

    def wait_state(self, lcmocc_id, *states, timeout=30):
        """Wait (short backoff) until the op occ is in one of states."""
        deadline = time.monotonic() + timeout
        delay = 0.01
        while True:
            occ = self.lcmocc(lcmocc_id)
            if occ.operationState in states and occ.ownerConductorId is None:
                return occ
            if time.monotonic() > deadline:
                self.fail('operation %s stayed %s, wanted %s' % (
                    lcmocc_id, occ.operationState, states))
            time.sleep(delay)
            delay = min(delay * 2, 0.2)
