"""change_vnfpkg: the API's refusals and the common flow, on the step VIM.

The VIM-specific flows are tested against the Kubernetes simulator and
the OpenStack test cloud; here the frame, the checks, CoordinateVNF and
the database record are pinned for both upgrade types and every step.
"""
import testscenarios

from tacker.tests import api_base
from tacker.tests import etsi_openapi

load_tests = testscenarios.load_tests_apply_scenarios

SCRIPT = 'Scripts/coordinate_vnf.py'


class ChangeVnfPkgBase(api_base.ApiTestCase):
    def setUp(self):
        super().setUp()
        self.old_pkg = self.onboard()
        self.new_pkg = self.onboard()
        inst = self.create_instance(self.old_pkg['vnfdId'])
        occ_id = self.start_op(inst['id'], 'instantiate',
                               self.instantiate_body())
        self.wait_state(occ_id, 'COMPLETED')
        self.inst_id = inst['id']

    def body(self, upgrade_type='BlueGreen', **params):
        additional = {'upgrade_type': upgrade_type,
                      'lcm-operation-coordinate-new-vnf': SCRIPT,
                      'lcm-operation-coordinate-new-vnf-class':
                          'CoordinateVnf',
                      'lcm-operation-coordinate-old-vnf': SCRIPT,
                      'lcm-operation-coordinate-old-vnf-class':
                          'CoordinateVnf'}
        additional.update(params)
        return {'vnfdId': self.new_pkg['vnfdId'],
                'additionalParams': additional}

    def post(self, body, inst_id=None):
        path = '/vnflcm/v2/vnf_instances/%s/change_vnfpkg' % (
            inst_id or self.inst_id)
        answer = self.call('POST', path, body)
        etsi_openapi.check_response('POST', path, answer.status,
                                    answer.headers, answer.body)
        return answer

    def usage(self, pkg):
        return self.call('GET', '/vnfpkgm/v1/vnf_packages/' + pkg['id'],
                         headers={}).body['usageState']


class TestRefusals(ChangeVnfPkgBase):
    def assertRefused(self, status, answer, *words):
        self.assertEqual(status, answer.status, answer.body)
        self.assertEqual('application/problem+json', answer.content_type)
        for word in words:
            self.assertIn(word, answer.body['detail'])
        # Nothing started: the instance is free and unchanged.
        inst = self.instance(self.inst_id)
        self.assertIsNone(inst.busyLcmOpOccId)
        self.assertEqual(self.old_pkg['vnfdId'], inst.vnfdId)

    def test_malformed_bodies(self):
        self.assertRefused(400, self.post({'additionalParams': {
            'upgrade_type': 'BlueGreen'}}), 'vnfdId')
        self.assertRefused(400, self.post({'vnfdId': self.new_pkg['vnfdId']}),
                           'additionalParams')
        self.assertRefused(400, self.post(self.body('Canary')), 'Canary')
        body = self.body()
        body['additionalParams']['vdu_params'] = 'VDU1'
        self.assertRefused(400, self.post(body), 'vdu_params')

    def test_scripts_must_be_in_the_package(self):
        for path in ('../../../../etc/passwd', '/etc/passwd',
                     'Scripts/missing.py'):
            body = self.body(**{'lcm-operation-coordinate-new-vnf': path})
            self.assertRefused(400, self.post(body),
                               'lcm-operation-coordinate-new-vnf')
        body = self.body(**{'lcm-operation-coordinate-old-vnf-class': 'Nope'})
        self.assertRefused(400, self.post(body), 'Nope')
        # A class needs its script; a script without class is a program.
        body = self.body()
        del body['additionalParams']['lcm-operation-coordinate-new-vnf']
        self.assertRefused(400, self.post(body),
                           'lcm-operation-coordinate-new-vnf-class')
        body = self.body(**{'lcm-operation-coordinate-new-vnf':
                            'Scripts/missing.py'})
        del body['additionalParams']['lcm-operation-coordinate-new-vnf-class']
        self.assertRefused(400, self.post(body), 'Scripts/missing.py')

    def test_unknown_instance_and_package(self):
        answer = self.post(self.body(), inst_id='no-such-instance')
        self.assertEqual(404, answer.status)
        body = self.body()
        body['vnfdId'] = 'no-such-vnfd'
        self.assertRefused(404, self.post(body), 'no-such-vnfd')

    def test_disabled_package_is_422(self):
        disabled = self.onboard(enable=False)
        body = self.body()
        body['vnfdId'] = disabled['vnfdId']
        self.assertRefused(422, self.post(body), 'DISABLED')

    def test_same_package_is_409(self):
        body = self.body()
        body['vnfdId'] = self.old_pkg['vnfdId']
        self.assertRefused(409, self.post(body), 'already')

    def test_not_instantiated_is_409(self):
        other = self.create_instance(self.old_pkg['vnfdId'])
        answer = self.post(self.body(), inst_id=other['id'])
        self.assertEqual(409, answer.status)
        self.assertIn('NOT_INSTANTIATED', answer.body['detail'])

    def test_unsupported_attributes_are_named(self):
        for attr, value in (('extVirtualLinks', [{'id': 'x', 'resourceId':
                                                  'r', 'extCps': []}]),
                            ('vnfConfigurableProperties', {'a': 1}),
                            ('extensions', {'a': 1})):
            body = self.body()
            body[attr] = value
            self.assertRefused(422, self.post(body), attr)

    def test_flavour_missing_from_new_package_is_422(self):
        other = self.onboard()
        # Instantiated with a flavour the new VNFD lacks.
        inst = self.instance(self.inst_id)
        from tacker.sol_refactored.db import api as db_api
        inst.instantiatedVnfInfo.flavourId = 'gold'
        inst.instantiatedVnfInfo = inst.instantiatedVnfInfo
        with db_api.writer(self.admin_context()) as session:
            inst.update(session)
        body = self.body()
        body['vnfdId'] = other['vnfdId']
        self.assertRefused(422, self.post(body), 'gold')

    def test_in_progress_is_409(self):
        import threading
        gate = threading.Event()
        self.vim.gates['create_new_servers'] = gate
        self.addCleanup(gate.set)
        self.assertEqual(202, self.post(self.body()).status)
        answer = self.post(self.body())
        self.assertEqual(409, answer.status)
        gate.set()


class TestFlows(ChangeVnfPkgBase):
    scenarios = [('blue_green', {'upgrade': 'Blue-Green'}),
                 ('rolling', {'upgrade': 'Rolling update'})]

    def test_success_records_new_package_and_usage(self):
        answer = self.post(self.body(self.upgrade))
        self.assertEqual(202, answer.status, answer.body)
        occ_id = answer.headers['Location'].rsplit('/', 1)[1]
        occ = self.wait_state(occ_id, 'COMPLETED')
        inst = self.instance(self.inst_id)
        self.assertEqual(self.new_pkg['vnfdId'], inst.vnfdId)
        self.assertEqual(self.new_pkg['vnfdId'], occ.changedInfo.vnfdId)
        self.assertIsNone(inst.busyLcmOpOccId)
        vnfc = inst.instantiatedVnfInfo.vnfcResourceInfo[0]
        self.assertEqual(self.new_pkg['vnfdId'], vnfc.vnfdId)
        self.assertEqual(['MODIFIED'], [c.changeType for c in
                                        occ.resourceChanges.affectedVnfcs])
        self.assertEqual('IN_USE', self.usage(self.new_pkg))
        self.assertEqual('NOT_IN_USE', self.usage(self.old_pkg))
        coordinated = self.vim.resources[self.inst_id]['coordinated']
        self.assertEqual(occ_id, coordinated[0]['lcmOpOccId'])
        self.assertTrue(coordinated[0]['sawPassword'])
        shown = self.call('GET', '/vnflcm/v2/vnf_lcm_op_occs/' + occ_id)
        etsi_openapi.check_response(
            'GET', '/vnflcm/v2/vnf_lcm_op_occs/' + occ_id, shown.status,
            shown.headers, shown.body)
        self.assertNotIn('s3cret-pw', str(shown.body))

    def test_script_failure_rollback_and_retry(self):
        self.vim.fail_script('new', 'the LB refused the switch')
        answer = self.post(self.body(self.upgrade))
        occ_id = answer.headers['Location'].rsplit('/', 1)[1]
        occ = self.wait_state(occ_id, 'FAILED_TEMP')
        self.assertIn('the LB refused the switch', occ.error.detail)
        self.assertIn(SCRIPT, occ.error.detail)
        self.assertEqual(self.old_pkg['vnfdId'],
                         self.instance(self.inst_id).vnfdId)
        self.call('POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/rollback' % occ_id)
        self.wait_state(occ_id, 'ROLLED_BACK')
        held = self.vim.resources[self.inst_id]
        self.assertNotIn('new_servers', held)
        self.assertEqual('IN_USE', self.usage(self.old_pkg))
        self.assertEqual('NOT_IN_USE', self.usage(self.new_pkg))

        self.vim.fail_script('new', 'once more')
        answer = self.post(self.body(self.upgrade))
        occ_id = answer.headers['Location'].rsplit('/', 1)[1]
        self.wait_state(occ_id, 'FAILED_TEMP')
        self.call('POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/retry' % occ_id)
        self.wait_state(occ_id, 'COMPLETED')
        self.assertEqual(self.new_pkg['vnfdId'],
                         self.instance(self.inst_id).vnfdId)


class TestRollbackRecord(ChangeVnfPkgBase):
    def test_servers_replaced_by_the_undo_are_recorded(self):
        before = self.instance(self.inst_id)
        old_server = before.instantiatedVnfInfo.vnfcResourceInfo[
            0].computeResource.resourceId
        self.vim.replace_on_undo()
        self.vim.fail('coordinate_new')
        answer = self.post(self.body('RollingUpdate'))
        occ_id = answer.headers['Location'].rsplit('/', 1)[1]
        self.wait_state(occ_id, 'FAILED_TEMP')
        self.call('POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/rollback' % occ_id)
        self.wait_state(occ_id, 'ROLLED_BACK')
        after = self.instance(self.inst_id)
        held = self.vim.resources[self.inst_id]['create_servers']
        self.assertNotEqual(old_server, held)
        self.assertEqual(held, after.instantiatedVnfInfo.vnfcResourceInfo[
            0].computeResource.resourceId)
        # Everything else is as before the request.
        self.assertEqual(before.vnfdId, after.vnfdId)
        self.assertIsNone(after.busyLcmOpOccId)
        self.assertEqual('IN_USE', self.usage(self.old_pkg))
        self.assertEqual('NOT_IN_USE', self.usage(self.new_pkg))

    def test_failing_reread_leaves_failed_temp(self):
        self.vim.replace_on_undo()
        self.vim.fail('coordinate_new')
        self.vim.fail('read_back', message='Nova is away')
        answer = self.post(self.body('RollingUpdate'))
        occ_id = answer.headers['Location'].rsplit('/', 1)[1]
        self.wait_state(occ_id, 'FAILED_TEMP')
        self.call('POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/rollback' % occ_id)
        occ = self.wait_state(occ_id, 'FAILED_TEMP')
        self.assertIn('Nova is away', occ.error.detail)
        self.assertIn('reading what the rollback left', occ.error.detail)
        self.assertEqual(self.old_pkg['vnfdId'],
                         self.instance(self.inst_id).vnfdId)
        self.call('POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/rollback' % occ_id)
        self.wait_state(occ_id, 'ROLLED_BACK')


class TestGivenUp(ChangeVnfPkgBase):
    """fail: the plugin's failed_result, in the transaction of FAILED."""

    def failed_temp(self, step, upgrade='BlueGreen'):
        self.vim.fail(step)
        answer = self.post(self.body(upgrade))
        occ_id = answer.headers['Location'].rsplit('/', 1)[1]
        self.wait_state(occ_id, 'FAILED_TEMP')
        return occ_id

    def give_up(self, occ_id):
        path = '/vnflcm/v2/vnf_lcm_op_occs/%s/fail' % occ_id
        answer = self.call('POST', path)
        etsi_openapi.check_response('POST', path, answer.status,
                                    answer.headers, answer.body)
        return answer

    def test_what_the_steps_left_is_recorded_without_the_vim(self):
        before = self.instance(self.inst_id)
        occ_id = self.failed_temp('coordinate_new')
        calls = self.vim.calls
        answer = self.give_up(occ_id)
        self.assertEqual(200, answer.status, answer.body)
        self.assertEqual('FAILED', answer.body['operationState'])
        self.assertEqual(calls, self.vim.calls)
        after = self.instance(self.inst_id)
        self.assertEqual(['servers-%s' % self.new_pkg['vnfdId']],
                         after.instantiatedVnfInfo.metadata['leftServers'])
        self.assertIsNone(after.busyLcmOpOccId)
        # Nothing else of the record moved: the VNF is still the old one.
        self.assertEqual(before.vnfdId, after.vnfdId)
        self.assertEqual(
            before.instantiatedVnfInfo.to_dict()['vnfcResourceInfo'],
            after.instantiatedVnfInfo.to_dict()['vnfcResourceInfo'])
        self.assertEqual('IN_USE', self.usage(self.old_pkg))

    def test_nothing_to_add_leaves_the_record(self):
        # The step VIM's Rolling update leaves nothing the record lacks.
        before = self.instance(self.inst_id).to_dict()
        occ_id = self.failed_temp('update_servers', 'RollingUpdate')
        self.assertEqual(200, self.give_up(occ_id).status)
        self.assertEqual(before, self.instance(self.inst_id).to_dict())

    def test_a_failing_hook_leaves_failed_temp_and_the_record(self):
        occ_id = self.failed_temp('coordinate_new')
        before = self.instance(self.inst_id).to_dict()
        self.vim.fail_failed_info()
        answer = self.give_up(occ_id)
        self.assertEqual(500, answer.status, answer.body)
        # One transaction: not FAILED, the instance still reserved.
        self.assertEqual('FAILED_TEMP', self.lcmocc(occ_id).operationState)
        self.assertEqual(before, self.instance(self.inst_id).to_dict())
        self.assertEqual(occ_id, self.instance(self.inst_id).busyLcmOpOccId)
        answer = self.give_up(occ_id)
        self.assertEqual(200, answer.status, answer.body)
        self.assertIn('leftServers', self.instance(
            self.inst_id).instantiatedVnfInfo.metadata)


class TestEveryStepFails(ChangeVnfPkgBase):
    scenarios = [
        ('bg_' + step, {'upgrade': 'BlueGreen', 'step': step})
        for step in ('create_new_servers', 'coordinate_new',
                     'coordinate_old', 'delete_old_servers')] + [
        ('rolling_' + step, {'upgrade': 'RollingUpdate', 'step': step})
        for step in ('update_servers', 'coordinate_new')]

    def test_fail_rollback_then_retry(self):
        before = self.instance(self.inst_id).to_dict()
        resources_before = self.vim.resources[self.inst_id]
        self.vim.fail(self.step)
        answer = self.post(self.body(self.upgrade))
        occ_id = answer.headers['Location'].rsplit('/', 1)[1]
        occ = self.wait_state(occ_id, 'FAILED_TEMP')
        self.assertIn(self.step, occ.error.detail)
        self.assertEqual(before, self.instance(self.inst_id).to_dict())
        self.call('POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/rollback' % occ_id)
        self.wait_state(occ_id, 'ROLLED_BACK')
        after = self.vim.resources[self.inst_id]
        after.pop('coordinated', None)
        resources_before.pop('coordinated', None)
        if after.get('serving') == 'old':
            after.pop('serving')
        if after.get('image') == 'v1':
            after.pop('image')
        self.assertEqual(resources_before, after)
        self.assertEqual(before, self.instance(self.inst_id).to_dict())

        self.vim.fail(self.step)
        answer = self.post(self.body(self.upgrade))
        occ_id = answer.headers['Location'].rsplit('/', 1)[1]
        self.wait_state(occ_id, 'FAILED_TEMP')
        self.call('POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/retry' % occ_id)
        self.wait_state(occ_id, 'COMPLETED')
        self.assertEqual(self.new_pkg['vnfdId'],
                         self.instance(self.inst_id).vnfdId)
