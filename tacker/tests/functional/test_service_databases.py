"""The whole service on the production databases: MariaDB, PostgreSQL."""
import testscenarios
import testtools

from tacker.sol_refactored.common import config
from tacker.tests import db_backends
from tacker.tests.functional import base
from tacker.tests.functional import service
from tacker.tests import step_vim

load_tests = testscenarios.load_tests_apply_scenarios


class TestOnServerDatabases(base.FunctionalTestCase):
    scenarios = [('mysql', {'backend': 'mysql'}),
                 ('postgresql', {'backend': 'postgresql'})]

    def setUp(self):
        testtools.TestCase.setUp(self)
        config.CONF([], project='tacker', default_config_files=[])
        self.addCleanup(config.CONF.reset)
        database = self.useFixture(db_backends.Database(self.backend,
                                                        migrate=False))
        # tacker-db-manage migrates it, as an operator would.
        self.service = self.useFixture(service.TackerService(
            database_url=database.url))
        self.addOnException(self._attach_logs)
        self.client = service.Client(self.service.base_url)
        self.vim = step_vim.StepVim(store_file=self.service.store_file)

    def test_lifecycle_with_failure_and_retry(self):
        inst = self.create_instance()
        self.vim.fail('create_servers')
        occ_id = self.start_op(inst['id'], 'instantiate',
                               self.instantiate_body())
        self.client.wait_op(occ_id, ['FAILED_TEMP'])
        resp = self.client.request(
            'POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/retry' % occ_id)
        self.assertEqual(202, resp.status_code)
        occ = self.client.wait_op(occ_id, ['COMPLETED']).body
        self.assertEqual('INSTANTIATE', occ['operation'])
        occ_id = self.start_op(inst['id'], 'terminate',
                               {'terminationType': 'FORCEFUL'})
        self.client.wait_op(occ_id, ['COMPLETED'])
        resp = self.client.request(
            'GET', '/vnflcm/v2/vnf_lcm_op_occs?filter=(eq,operation,'
            'TERMINATE)')
        self.assertEqual([occ_id], [o['id'] for o in resp.body])
        resp = self.client.request(
            'DELETE', '/vnflcm/v2/vnf_instances/' + inst['id'])
        self.assertEqual(204, resp.status_code)
