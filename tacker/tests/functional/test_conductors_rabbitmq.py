"""tacker-server casting over RabbitMQ to separate tacker-conductors."""
from tacker.sol_refactored.api import context
from tacker.sol_refactored.common import config
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored import objects
from tacker.tests.functional import base
from tacker.tests.functional import service


class TestSeveralConductors(base.FunctionalTestCase):
    transport_url = service.RABBIT_URL
    conductors = 2

    def setUp(self):
        if not service.rabbit_reachable():
            self.skipTest('RabbitMQ does not answer on %s:%d' %
                          service.RABBIT)
        super().setUp()

    def test_operations_run_on_the_conductors(self):
        inst = self.create_instance()
        occ_id = self.start_op(inst['id'], 'instantiate',
                               self.instantiate_body())
        self.client.wait_op(occ_id, ['COMPLETED'])
        self.assertIn('wait_ready', self.vim.calls)

    def test_dead_conductor_op_goes_failed_temp_then_retry(self):
        inst = self.create_instance()
        self.vim.hang('create_servers')
        occ_id = self.start_op(inst['id'], 'instantiate',
                               self.instantiate_body())
        owner = self._wait_owner(occ_id)
        victim = [c for c in self.service.conductors
                  if c.conductor_id == owner][0]
        # A conductor that dies without a word: no clean stop.
        victim.stop(sig=9)
        self.vim.release('create_servers')
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP']).body
        self.assertIn(owner, occ['error']['detail'])
        self.assertIn('create_network', occ['error']['detail'])
        resp = self.client.request(
            'POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/retry' % occ_id)
        self.assertEqual(202, resp.status_code)
        self.client.wait_op(occ_id, ['COMPLETED'])
        # The surviving conductor went on from the step that was cut off.
        self.assertEqual(1, self.vim.calls.count('create_network'))

    def _wait_owner(self, occ_id):
        config.CONF([], project='tacker', default_config_files=[])
        self.addCleanup(config.CONF.reset)
        config.CONF.set_override('connection', self.service.db_url,
                                 'database')
        self.addCleanup(config.CONF.clear_override, 'connection',
                        'database')
        db_api.reset()
        self.addCleanup(db_api.reset)

        def owner():
            occ = objects.VnfLcmOpOcc.get_by_id(
                context.Context.admin(), occ_id)
            if occ.ownerConductorId and 'create_servers' in self.vim.calls:
                return occ.ownerConductorId

        return self.wait_until(owner, 'a conductor taking %s' % occ_id)
