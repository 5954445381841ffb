"""Functional-test base: the real service, reached over HTTP."""
import uuid

from oslo_config import cfg
import testtools

from tacker.sol_refactored.api import context as sol_context
from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import timeutil
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored import objects
from tacker.tests.functional import service
from tacker.tests import step_vim


class FunctionalTestCase(testtools.TestCase):
    transport_url = None
    conductors = 0

    def setUp(self):
        super().setUp()
        self.service = self.useFixture(service.TackerService(
            transport_url=self.transport_url, conductors=self.conductors))
        self.addOnException(self._attach_logs)
        self.client = service.Client(self.service.base_url)
        self.vim = step_vim.StepVim(store_file=self.service.store_file)

    def _attach_logs(self, exc_info):
        self.addDetail('service-logs', testtools.content.text_content(
            self.service.logs()))

    def add_package(self, vnfd_id=None):
        """Put an on-boarded package row in the service's database.

        Stands in for the upload until the package API is merged here;
        the instance API only needs the row.
        """
        config.CONF([], project='tacker', default_config_files=[])
        self.addCleanup(config.CONF.reset)
        config.CONF.set_override('connection', self.service.db_url,
                                 'database')
        self.addCleanup(config.CONF.clear_override, 'connection', 'database')
        db_api.reset()
        self.addCleanup(db_api.reset)
        pkg = objects.VnfPkgInfo(
            id=str(uuid.uuid4()), vnfdId=vnfd_id or str(uuid.uuid4()),
            vnfProvider='Company', vnfProductName='Sample VNF',
            vnfSoftwareVersion='1.0', vnfdVersion='1.0',
            packageSecurityOption='OPTION_1', onboardingState='ONBOARDED',
            operationalState='ENABLED', usageState='NOT_IN_USE',
            vnfdSummary={'flavours': {'simple': {}}},
            createdAt=timeutil.utcnow())
        with db_api.writer(sol_context.Context.admin()) as session:
            pkg.create(session)
        return pkg

    def create_instance(self):
        pkg = self.add_package()
        resp = self.client.request('POST', '/vnflcm/v2/vnf_instances',
                                   {'vnfdId': pkg.vnfdId,
                                    'vnfInstanceName': 'func-vnf'})
        self.assertEqual(201, resp.status_code, resp.text)
        return resp.body

    def instantiate_body(self):
        return {'flavourId': 'simple', 'vimConnectionInfo': {'vim1': {
            'vimId': 'vim-1', 'vimType': step_vim.VIM_TYPE,
            'interfaceInfo': {'endpoint': 'http://127.0.0.1:1/'},
            'accessInfo': {'username': 'nfv', 'password': 'func-s3cret'}}}}

    def start_op(self, inst_id, op, body):
        resp = self.client.request(
            'POST', '/vnflcm/v2/vnf_instances/%s/%s' % (inst_id, op), body)
        self.assertEqual(202, resp.status_code, resp.text)
        return resp.headers['Location'].rsplit('/', 1)[1]


__all__ = ['FunctionalTestCase', 'cfg']
