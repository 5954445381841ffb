"""Instantiation levels (SOL001 6.10.5-6.10.8 policies) read from a VNFD,
checked at on-boarding, and deciding the VNFC count of each VDU."""
import os

from tacker.sol_refactored.common import instantiation_levels as levels
from tacker.sol_refactored.common import vnfd as vnfd_mod
from tacker.tests import api_base
from tacker.tests import base
from tacker.tests import etsi_openapi
from tacker.tests.unit.data import packages

# Three levels over two VDUs: VDU1 counted per level, VDU2 by its initial
# delta plus the deltas of the aspect the level scales.
POLICIES = """
  policies:
    - levels:
        type: tosca.policies.nfv.InstantiationLevels
        properties:
          levels:
            small: {description: one of each}
            medium:
              description: more web servers
              scale_info: {workers: {scale_level: 1}}
            large:
              description: all out
              scale_info: {workers: {scale_level: 3}}
          default_level: %(default)s
    - vdu1_levels:
        type: tosca.policies.nfv.VduInstantiationLevels
        properties:
          levels:
            small: {number_of_instances: 1}
            medium: {number_of_instances: 2}
            large: {number_of_instances: 3}
        targets: [ %(vdu1)s ]
    - aspects:
        type: tosca.policies.nfv.ScalingAspects
        properties:
          aspects:
            workers:
              name: workers
              description: web workers
              max_scale_level: 3
              step_deltas: [ delta_1, delta_2 ]
    - vdu2_initial:
        type: tosca.policies.nfv.VduInitialDelta
        properties:
          initial_delta: {number_of_instances: 1}
        targets: [ VDU2 ]
    - vdu2_deltas:
        type: tosca.policies.nfv.VduScalingAspectDeltas
        properties:
          aspect: workers
          deltas:
            delta_1: {number_of_instances: 1}
            delta_2: {number_of_instances: 2}
        targets: [ VDU2 ]
"""
VDU2 = """    VDU2:
      type: tosca.nodes.nfv.Vdu.Compute
      properties:
        name: vdu2
        vdu_profile:
          min_number_of_instances: 1
          max_number_of_instances: 9
"""


def vnfd_text(**values):
    values = dict({'default': 'small', 'vdu1': 'VDU1'}, **values)
    return (packages.SINGLE_FILE_VNFD.replace(
        'max_number_of_instances: 1', 'max_number_of_instances: 3')
        + VDU2 + POLICIES % values)


class TestParse(base.TestCase):

    def vnfd(self, text):
        root = os.path.join(self.state_dir, 'pkg')
        packages.write(root, 'Definitions/vnfd.yaml', text)
        for name in os.listdir(packages.REPO_TYPES):
            with open(os.path.join(packages.REPO_TYPES, name)) as f:
                packages.write(root, 'Definitions/' + name, f.read())
        return vnfd_mod.Vnfd(root, 'Definitions/vnfd.yaml')

    def test_levels_and_counts(self):
        flavour = self.vnfd(vnfd_text()).flavours['tiny']
        info = flavour['instantiationLevels']
        self.assertEqual({'small', 'medium', 'large'}, set(info['levels']))
        self.assertEqual('small', info['defaultLevel'])
        self.assertEqual({'VDU1': 1, 'VDU2': 1}, levels.vdu_counts(flavour))
        self.assertEqual({'VDU1': 2, 'VDU2': 2},
                         levels.vdu_counts(flavour, 'medium'))
        # Scale level 3 with step deltas [1, 2]: 1 + 1 + 2 + 2 (the last
        # step delta repeats).
        self.assertEqual({'VDU1': 3, 'VDU2': 6},
                         levels.vdu_counts(flavour, 'large'))
        self.assertEqual({'VDU1': 3}, levels.vdu_counts(
            {'vdus': {'VDU1': {}},
             'instantiationLevels': info}, 'large', profile_minimum=False))

    def test_unknown_level_is_refused(self):
        flavour = self.vnfd(vnfd_text()).flavours['tiny']
        e = self.assertRaises(levels.LevelError, levels.vdu_counts, flavour,
                              'huge')
        self.assertIn('huge is not a level of flavour tiny', str(e))

    def test_bad_vnfds_are_refused_with_the_reason(self):
        for values, words in (
                ({'default': 'tiny_level'},
                 'default instantiation level tiny_level'),
                ({'vdu1': 'VNF'}, 'targets VNF, which is not a VDU'),
                ({'vdu1': 'VDU9'}, 'VDU9'),
        ):
            e = self.assertRaises(vnfd_mod.VnfdError, self.vnfd,
                                  vnfd_text(**values))
            self.assertIn(words, str(e))
        text = vnfd_text().replace('scale_info: {workers: {scale_level: 1}}',
                                   'scale_info: {nope: {scale_level: 1}}')
        e = self.assertRaises(vnfd_mod.VnfdError, self.vnfd, text)
        self.assertIn('scales aspect nope', str(e))
        text = vnfd_text().replace('scale_level: 3}', 'scale_level: 4}')
        e = self.assertRaises(vnfd_mod.VnfdError, self.vnfd, text)
        self.assertIn('scale level 4 of aspect workers', str(e))

    def test_no_policies_counts_the_profile_minimum(self):
        flavour = self.vnfd(packages.SINGLE_FILE_VNFD).flavours['tiny']
        self.assertIsNone(flavour['instantiationLevels'])
        self.assertEqual({'VDU1': 1}, levels.vdu_counts(flavour))


class TestInstantiateLevel(api_base.ApiTestCase):
    """instantiationLevelId at the API (the step VIM: no manifests)."""

    def test_unknown_level_is_422_and_nothing_starts(self):
        pkg = self.onboard()
        inst = self.create_instance(pkg['vnfdId'])
        body = dict(self.instantiate_body(),
                    instantiationLevelId='no_such_level')
        path = '/vnflcm/v2/vnf_instances/%s/instantiate' % inst['id']
        answer = self.call('POST', path, body)
        etsi_openapi.check_response('POST', path, answer.status,
                                    answer.headers, answer.body)
        self.assertEqual(422, answer.status, answer.body)
        self.assertIn('no_such_level is not a level of flavour simple',
                      answer.body['detail'])
        self.assertEqual([], self.call('GET',
                                       '/vnflcm/v2/vnf_lcm_op_occs').body)

    def test_known_level_counts_are_kept_for_the_driver(self):
        pkg = self.onboard()
        inst = self.create_instance(pkg['vnfdId'])
        body = dict(self.instantiate_body(),
                    instantiationLevelId='instantiation_level_1')
        occ_id = self.start_op(inst['id'], 'instantiate', body)
        self.wait_state(occ_id, 'COMPLETED')
        state = self.lcmocc(occ_id).stepRecord['state']
        self.assertEqual({'VDU1': 2}, state['vduCounts'])
        self.assertEqual({'VDU1': 2}, state['levelCounts'])


class TestChangeKeepsCounts(api_base.ApiTestCase):

    def test_new_vnfd_that_cannot_hold_the_running_vnfcs_is_422(self):
        old = self.onboard()
        inst = self.create_instance(old['vnfdId'])
        self.wait_state(self.start_op(inst['id'], 'instantiate',
                                      self.instantiate_body()), 'COMPLETED')
        running = len(self.instance(inst['id']).instantiatedVnfInfo
                      .vnfcResourceInfo)
        new = self._onboard_edited(packages.replacing(
            'Definitions/sample_df_simple.yaml',
            'min_number_of_instances: 1',
            'min_number_of_instances: %d' % (running + 1)))
        path = '/vnflcm/v2/vnf_instances/%s/change_vnfpkg' % inst['id']
        answer = self.call('POST', path, {
            'vnfdId': new, 'additionalParams': {
                'upgrade_type': 'RollingUpdate'}})
        etsi_openapi.check_response('POST', path, answer.status,
                                    answer.headers, answer.body)
        self.assertEqual(422, answer.status, answer.body)
        self.assertIn('cannot hold the VNFCs the VNF runs: VDU1 runs %d'
                      % running, answer.body['detail'])
        self.assertIsNone(self.instance(inst['id']).busyLcmOpOccId)

    def _onboard_edited(self, edit):
        import uuid
        vnfd_id = str(uuid.uuid4())
        with_id = packages.with_vnfd_id('k8s_simple', vnfd_id)

        def both(src):
            with_id(src)
            edit(src)
        content = packages.build('k8s_simple', edit=both)
        pkgs = '/vnfpkgm/v1/vnf_packages'
        pkg_id = self.call('POST', pkgs, {}, headers={}).body['id']
        answer = self.call('PUT', '%s/%s/package_content' % (pkgs, pkg_id),
                           raw=content, content_type='application/zip',
                           headers={})
        self.assertEqual(202, answer.status, answer.body)
        return vnfd_id
