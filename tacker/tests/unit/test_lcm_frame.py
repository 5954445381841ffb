"""The LCM frame: every step of every flow fails once, then rollback and
retry are checked (DESIGN.md: one generic helper, every k)."""
import threading

import testscenarios

from tacker.tests import api_base
from tacker.tests import step_vim

load_tests = testscenarios.load_tests_apply_scenarios

INST_STEPS = step_vim.StepVim.INSTANTIATE_STEPS
TERM_STEPS = step_vim.StepVim.TERMINATE_STEPS


class TestInstantiateEachStepFails(api_base.ApiTestCase):
    scenarios = [(name, {'failing': name}) for name in INST_STEPS]

    def _failed(self):
        inst = self.create_instance()
        self.vim.fail(self.failing, message='boom with s3cret-pw inside')
        occ_id = self.start_op(inst['id'], 'instantiate',
                               self.instantiate_body())
        occ = self.wait_state(occ_id, 'FAILED_TEMP')
        return inst, occ_id, occ

    def test_failure_leaves_failed_temp_and_instance_untouched(self):
        inst, occ_id, occ = self._failed()
        self.assertEqual(500, occ.error.status)
        self.assertIn('step %s failed' % self.failing, occ.error.detail)
        # The password of the request never reaches the error.
        self.assertNotIn('s3cret-pw', occ.error.detail)
        stored = self.instance(inst['id'])
        self.assertEqual('NOT_INSTANTIATED', stored.instantiationState)
        self.assertIsNone(stored.obj_get('instantiatedVnfInfo'))
        # The instance stays held: nothing else may start.
        self.assertEqual(occ_id, stored.busyLcmOpOccId)
        answer = self.call('POST', '/vnflcm/v2/vnf_instances/%s/instantiate'
                           % inst['id'], self.instantiate_body())
        self.assertEqual(409, answer.status)
        self.assertIn(occ_id, answer.body['detail'])
        done = INST_STEPS[:INST_STEPS.index(self.failing)]
        self.assertEqual(list(done), occ.stepRecord['done'])

    def test_rollback_undoes_completed_steps_in_reverse(self):
        inst, occ_id, occ = self._failed()
        answer = self.call('POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/rollback'
                           % occ_id)
        self.assertEqual(202, answer.status)
        occ = self.wait_state(occ_id, 'ROLLED_BACK')
        self.assertEqual({}, self.vim.resources.get(inst['id'], {}))
        done = INST_STEPS[:INST_STEPS.index(self.failing)]
        undone = [c for c in self.vim.calls if c.startswith('undo_')]
        # The failed step may have done part of its work: it is undone
        # first (waiting has nothing to undo), then the done ones.
        failed = ([] if self.failing == 'wait_ready'
                  else ['undo_' + self.failing])
        self.assertEqual(failed + ['undo_' + s for s in reversed(done)],
                         undone)
        stored = self.instance(inst['id'])
        self.assertIsNone(stored.busyLcmOpOccId)
        self.assertEqual('NOT_INSTANTIATED', stored.instantiationState)
        self.assertEqual([], occ.stepRecord['done'])

    def test_retry_resumes_at_the_failed_step(self):
        inst, occ_id, occ = self._failed()
        calls_before = list(self.vim.calls)
        answer = self.call('POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/retry'
                           % occ_id)
        self.assertEqual(202, answer.status)
        occ = self.wait_state(occ_id, 'COMPLETED')
        rerun = self.vim.calls[len(calls_before):]
        self.assertEqual(list(INST_STEPS[INST_STEPS.index(self.failing):]),
                         rerun)
        stored = self.instance(inst['id'])
        self.assertEqual('INSTANTIATED', stored.instantiationState)
        self.assertIsNone(stored.busyLcmOpOccId)
        vnfc = stored.instantiatedVnfInfo.vnfcResourceInfo[0]
        self.assertEqual('create_servers-' + inst['id'],
                         vnfc.computeResource.resourceId)
        self.assertIsNone(occ.obj_get('error'))

    def test_fail_ends_in_failed_and_frees_the_instance(self):
        inst, occ_id, occ = self._failed()
        answer = self.call('POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/fail'
                           % occ_id)
        self.assertEqual(200, answer.status)
        self.assertEqual('FAILED', answer.body['operationState'])
        self.assertEqual('FAILED', self.lcmocc(occ_id).operationState)
        self.assertIsNone(self.instance(inst['id']).busyLcmOpOccId)
        # Once FAILED, none of the task resources apply any more.
        for task in ('retry', 'rollback', 'fail'):
            answer = self.call('POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/%s'
                               % (occ_id, task))
            self.assertEqual(409, answer.status)


class TestTerminateEachStepFails(api_base.ApiTestCase):
    scenarios = [(name, {'failing': name}) for name in TERM_STEPS]

    def _instantiated(self):
        inst = self.create_instance()
        occ_id = self.start_op(inst['id'], 'instantiate',
                               self.instantiate_body())
        self.wait_state(occ_id, 'COMPLETED')
        return inst

    def test_failure_rollback_then_retry(self):
        inst = self._instantiated()
        before = self.instance(inst['id']).to_dict()
        self.vim.fail(self.failing)
        occ_id = self.start_op(inst['id'], 'terminate',
                               {'terminationType': 'FORCEFUL'})
        self.wait_state(occ_id, 'FAILED_TEMP')
        self.assertEqual(before, self.instance(inst['id']).to_dict())
        self.call('POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/rollback' % occ_id)
        self.wait_state(occ_id, 'ROLLED_BACK')
        self.assertEqual({'create_network', 'create_servers'},
                         set(self.vim.resources[inst['id']]))
        self.assertEqual(before, self.instance(inst['id']).to_dict())

        self.vim.fail(self.failing)
        occ_id = self.start_op(inst['id'], 'terminate',
                               {'terminationType': 'FORCEFUL'})
        self.wait_state(occ_id, 'FAILED_TEMP')
        self.call('POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/retry' % occ_id)
        occ = self.wait_state(occ_id, 'COMPLETED')
        self.assertEqual({}, self.vim.resources[inst['id']])
        stored = self.instance(inst['id'])
        self.assertEqual('NOT_INSTANTIATED', stored.instantiationState)
        removed = [c.changeType for c in
                   occ.resourceChanges.affectedVnfcs]
        self.assertEqual(['REMOVED'], removed)


class TestFailingRollback(api_base.ApiTestCase):
    def test_failed_undo_returns_to_failed_temp_and_can_be_rolled_again(
            self):
        inst = self.create_instance()
        self.vim.fail('wait_ready')
        self.vim.fail('undo_create_servers')
        occ_id = self.start_op(inst['id'], 'instantiate',
                               self.instantiate_body())
        self.wait_state(occ_id, 'FAILED_TEMP')
        self.call('POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/rollback' % occ_id)
        occ = self.wait_state(occ_id, 'FAILED_TEMP')
        self.assertIn('rollback of step create_servers failed',
                      occ.error.detail)
        self.call('POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/rollback' % occ_id)
        self.wait_state(occ_id, 'ROLLED_BACK')
        self.assertEqual({}, self.vim.resources[inst['id']])


class TestConcurrency(api_base.ApiTestCase):
    def test_one_of_concurrent_requests_wins(self):
        inst = self.create_instance()
        gate = threading.Event()
        self.vim.gates['create_network'] = gate
        self.addCleanup(gate.set)
        answers = []

        def post():
            answers.append(self.call(
                'POST', '/vnflcm/v2/vnf_instances/%s/instantiate' %
                inst['id'], self.instantiate_body()).status)

        threads = [threading.Thread(target=post) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual([202, 409, 409, 409], sorted(answers))
        gate.set()

    def test_retry_twice_only_one_accepted(self):
        inst = self.create_instance()
        self.vim.fail('create_network')
        occ_id = self.start_op(inst['id'], 'instantiate',
                               self.instantiate_body())
        self.wait_state(occ_id, 'FAILED_TEMP')
        gate = threading.Event()
        self.vim.gates['create_network'] = gate
        self.addCleanup(gate.set)
        first = self.call('POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/retry'
                          % occ_id)
        second = self.call('POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/retry'
                           % occ_id)
        self.assertEqual((202, 409), (first.status, second.status))
        gate.set()
        self.wait_state(occ_id, 'COMPLETED')
