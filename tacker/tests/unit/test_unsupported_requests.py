"""What this tree does not run is refused by name (422), never ignored.

User-data classes in additionalParams, and scripts a VNFD attaches to
its LCM interface operations (the Vnflcm interface of the VNF node).
"""
from tacker.tests import api_base
from tacker.tests import etsi_openapi


class TestUnsupported(api_base.ApiTestCase):

    def post(self, inst_id, op, body):
        path = '/vnflcm/v2/vnf_instances/%s/%s' % (inst_id, op)
        answer = self.call('POST', path, body)
        etsi_openapi.check_response('POST', path, answer.status,
                                    answer.headers, answer.body)
        return answer

    def assertRefused(self, answer, inst_id, *words):
        self.assertEqual(422, answer.status, answer.body)
        self.assertEqual('application/problem+json', answer.content_type)
        for word in words:
            self.assertIn(word, answer.body['detail'])
        inst = self.instance(inst_id)
        self.assertIsNone(inst.busyLcmOpOccId)
        self.assertEqual([], [o for o in self.call(
            'GET', '/vnflcm/v2/vnf_lcm_op_occs').body
            if o['vnfInstanceId'] == inst_id and
            o['operation'] != 'INSTANTIATE'])

    def test_user_data_on_instantiate_is_422_and_nothing_starts(self):
        pkg = self.onboard()
        inst = self.create_instance(pkg['vnfdId'])
        for params in ({'lcm-operation-user-data': './UserData/x.py'},
                       {'lcm-operation-user-data-class': 'UserData'}):
            body = self.instantiate_body()
            body['additionalParams'] = params
            answer = self.post(inst['id'], 'instantiate', body)
            self.assertEqual(422, answer.status, answer.body)
            self.assertIn(list(params)[0], answer.body['detail'])
            self.assertIn('does not run user-data classes',
                          answer.body['detail'])
            self.assertEqual('NOT_INSTANTIATED',
                             self.instance(inst['id']).instantiationState)
        self.assertEqual([], self.call('GET',
                                       '/vnflcm/v2/vnf_lcm_op_occs').body)

    def test_vnfd_interface_scripts_refuse_instantiate(self):
        # openstack_simple's VNF node runs a script at instantiate_end.
        pkg = self.onboard('openstack_simple')
        inst = self.create_instance(pkg['vnfdId'])
        answer = self.post(inst['id'], 'instantiate',
                           self.instantiate_body())
        self.assertEqual(422, answer.status, answer.body)
        self.assertIn('instantiate_end: Scripts/coordinate_vnf.py',
                      answer.body['detail'])
        self.assertIn('management drivers', answer.body['detail'])
        self.assertEqual([], self.call('GET',
                                       '/vnflcm/v2/vnf_lcm_op_occs').body)

    def _instantiated(self):
        pkg = self.onboard()
        inst = self.create_instance(pkg['vnfdId'])
        occ_id = self.start_op(inst['id'], 'instantiate',
                               self.instantiate_body())
        self.wait_state(occ_id, 'COMPLETED')
        return pkg, inst

    def test_user_data_on_change_and_terminate_is_422(self):
        _pkg, inst = self._instantiated()
        new = self.onboard()
        answer = self.post(inst['id'], 'change_vnfpkg', {
            'vnfdId': new['vnfdId'], 'additionalParams': {
                'upgrade_type': 'RollingUpdate',
                'lcm-operation-user-data': 'UserData/u.py',
                'lcm-operation-user-data-class': 'U'}})
        self.assertRefused(answer, inst['id'], 'lcm-operation-user-data '
                           'and lcm-operation-user-data-class')
        answer = self.post(inst['id'], 'terminate', {
            'terminationType': 'FORCEFUL', 'additionalParams': {
                'lcm-operation-user-data': 'UserData/u.py'}})
        self.assertRefused(answer, inst['id'], 'of terminate')
        self.assertEqual('INSTANTIATED',
                         self.instance(inst['id']).instantiationState)

    def test_change_to_a_package_with_vnfd_scripts_is_422(self):
        _pkg, inst = self._instantiated()
        new = self.onboard('openstack_simple')
        answer = self.post(inst['id'], 'change_vnfpkg', {
            'vnfdId': new['vnfdId'],
            'additionalParams': {'upgrade_type': 'RollingUpdate'}})
        self.assertRefused(answer, inst['id'], 'instantiate_end')
