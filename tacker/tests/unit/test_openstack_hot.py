"""BaseHOT of a package: nested templates given to Heat as they are named.

Heat looks a template resource's ``type`` up in the stack's ``files``
under the exact string (Heat's "Template resources" in the Heat
Orchestration Template guide: a type that is a file name or URL names a
template); packages name them ``nested/VDU1.yaml``, ``VDU1.yaml`` (kept
under ``nested/``) or a file beside the top template.
"""
import os

import fixtures
import testtools

from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.infra_drivers.openstack import hot

TOP = '''heat_template_version: 2021-04-16
parameters:
  nfv: {type: json}
resources:
  %s
'''
SERVER = '''heat_template_version: 2021-04-16
resources:
  server: {type: OS::Nova::Server, properties: {flavor: m1.tiny}}
%s'''


class TestLoadBaseHot(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.root = self.useFixture(fixtures.TempDir()).path
        self.where = os.path.join(self.root, 'BaseHOT', 'simple')
        os.makedirs(os.path.join(self.where, 'nested'))

    def write(self, rel, text):
        path = os.path.join(self.where, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write(text)

    def group(self, member_type, kind='OS::Heat::AutoScalingGroup',
              key='resource'):
        return ('VDU1_scale_group: {type: %s, properties: {min_size: 1, '
                'max_size: 2, %s: {type: %s}}}' % (kind, key, member_type))

    def test_path_under_nested_is_keyed_as_written(self):
        self.write('top.yaml', TOP % self.group('nested/VDU1.yaml'))
        self.write('nested/VDU1.yaml', SERVER % '')
        _template, files = hot.load_base_hot(self.root, 'simple')
        self.assertEqual(['nested/VDU1.yaml'], sorted(files))

    def test_bare_name_of_a_template_under_nested(self):
        self.write('top.yaml', TOP % self.group('VDU1.yaml'))
        self.write('nested/VDU1.yaml', SERVER % '')
        _template, files = hot.load_base_hot(self.root, 'simple')
        self.assertEqual(SERVER % '', files['VDU1.yaml'])

    def test_template_beside_the_top_one_of_any_name(self):
        self.write('vnf_top.yaml', TOP % self.group(
            'nested_server.yaml', 'OS::Heat::ResourceGroup', 'resource_def'))
        self.write('nested_server.yaml', SERVER % '')
        os.rmdir(os.path.join(self.where, 'nested'))
        template, files = hot.load_base_hot(self.root, 'simple')
        self.assertIn('VDU1_scale_group', template)
        self.assertEqual(['nested_server.yaml'], sorted(files))

    def test_references_of_nested_templates_are_followed(self):
        self.write('top.yaml', TOP % self.group('VDU1.yaml'))
        self.write('nested/VDU1.yaml', SERVER % (
            '  port: {type: port.yaml}\n'))
        self.write('nested/port.yaml', SERVER % '')
        _template, files = hot.load_base_hot(self.root, 'simple')
        self.assertEqual({'VDU1.yaml', 'port.yaml', 'nested/VDU1.yaml',
                          'nested/port.yaml'}, set(files))

    def test_missing_reference_is_422_naming_it(self):
        self.write('top.yaml', TOP % self.group('VDU9.yaml'))
        exc = self.assertRaises(sol_ex.UnprocessableEntity,
                                hot.load_base_hot, self.root, 'simple')
        self.assertIn('BaseHOT/simple/top.yaml names type VDU9.yaml',
                      str(exc))
        self.assertIn('BaseHOT/simple/nested/VDU9.yaml', str(exc))

    def test_reference_outside_the_package_is_422(self):
        self.write('top.yaml', TOP % self.group('../../../../etc/x.yaml'))
        exc = self.assertRaises(sol_ex.UnprocessableEntity,
                                hot.load_base_hot, self.root, 'simple')
        self.assertIn('outside the VNF package', str(exc))

    def test_one_name_for_two_files_is_422(self):
        # nested/VDU1.yaml is given as VDU1.yaml; nested/sub/port.yaml
        # names VDU1.yaml relative to itself: nested/sub/VDU1.yaml, another
        # file under a name already taken.
        self.write('top.yaml', TOP % self.group('VDU1.yaml'))
        self.write('nested/VDU1.yaml', SERVER % (
            '  port: {type: sub/port.yaml}\n'))
        self.write('nested/sub/port.yaml', SERVER % (
            '  other: {type: VDU1.yaml}\n'))
        self.write('nested/sub/VDU1.yaml', SERVER % '')
        exc = self.assertRaises(sol_ex.UnprocessableEntity,
                                hot.load_base_hot, self.root, 'simple')
        self.assertIn('type VDU1.yaml for two different files', str(exc))
