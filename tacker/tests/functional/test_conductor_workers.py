"""[conductor] workers: operations beyond it wait their turn, visibly."""
from tacker.tests.functional import base


class TestConductorWorkers(base.FunctionalTestCase):
    service_options = {('conductor', 'workers'): '1'}

    def state(self, occ_id):
        return self.client.request(
            'GET', '/vnflcm/v2/vnf_lcm_op_occs/' + occ_id).body[
                'operationState']

    def test_second_operation_waits_in_starting(self):
        first, second = self.create_instance(), self.create_instance()
        self.vim.hang('create_servers')
        occ1 = self.start_op(first['id'], 'instantiate',
                             self.instantiate_body())
        self.wait_until(lambda: 'create_servers' in self.vim.calls,
                        'the first operation reaching create_servers')
        occ2 = self.start_op(second['id'], 'instantiate',
                             self.instantiate_body())
        # The conductor says the second one waits for its only worker...
        self.wait_until(lambda: 'waits for one of the 1 workers' in
                        self.service.logs(), 'the wait being logged')
        # ...and it has not begun: still STARTING, no step of it ran.
        self.assertEqual('STARTING', self.state(occ2))
        self.assertEqual('PROCESSING', self.state(occ1))
        self.assertEqual(1, self.vim.calls.count('create_servers'))

        self.vim.release('create_servers')
        self.client.wait_op(occ1, ['COMPLETED'])
        self.client.wait_op(occ2, ['COMPLETED'])
        self.assertEqual(2, self.vim.calls.count('create_servers'))
