"""VDU members of a top-level HOT, as a per-VNFC Rolling update sees them."""
import os

import testtools

from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.infra_drivers.openstack import hot
from tacker.sol_refactored.infra_drivers.openstack import vdu_template
from tacker.sol_refactored.infra_drivers.openstack import vnfc

SAMPLES = os.path.join(os.path.dirname(__file__), '..', '..', '..',
                       'samples', 'vnf_packages', 'openstack')
NFV = {'VDU': {'VDU1': {'computeFlavourId': 'm1.tiny',
                        'vcImageId': 'image-v1', 'desired_capacity': 2},
               'VDU2': {'computeFlavourId': 'm1.small',
                        'vcImageId': 'image-v3'},
               'VirtualStorage': {'vcImageId': 'image-v1'},
               'VirtualStorage1': {'vcImageId': 'image-v3'}},
       'CP': {'VDU1_CP1': {'network': 'net-a'},
              'VDU2_CP1': {'network': 'net-b'}}}


def sample(version):
    return hot.load_base_hot(os.path.join(SAMPLES, version), 'simple')


class TestMemberDefinition(testtools.TestCase):

    def test_image_booted_member_of_v1(self):
        template, files = sample('v1')
        key, text, props = vdu_template.member_definition(
            template, files, 'VDU1', NFV)
        self.assertEqual('nested/VDU1.yaml', key)
        self.assertEqual(files['nested/VDU1.yaml'], text)
        self.assertEqual({'flavor': 'm1.tiny', 'image': 'image-v1',
                          'net': 'net-a'}, props)

    def test_same_member_name_other_boot_in_v3(self):
        template, files = sample('v3')
        key, text, props = vdu_template.member_definition(
            template, files, 'VDU1', NFV)
        self.assertEqual('nested/VDU1.yaml', key)
        self.assertIn('OS::Cinder::Volume', text)
        self.assertEqual('image-v3', props['image'])
        _key, text, props = vdu_template.member_definition(
            template, files, 'VDU2', NFV)
        self.assertNotIn('OS::Cinder::Volume', text)
        self.assertEqual({'flavor': 'm1.small', 'image': 'image-v3',
                          'net': 'net-b'}, props)

    def test_missing_value_is_named(self):
        template, files = sample('v1')
        nfv = {'VDU': {'VDU1': {'computeFlavourId': 'x'}}, 'CP': {}}
        e = self.assertRaises(sol_ex.UnprocessableEntity,
                              vdu_template.member_definition,
                              template, files, 'VDU1', nfv)
        self.assertIn('nfv.VDU.VDU1.vcImageId', e.detail)

    def test_other_functions_are_refused(self):
        template = '''
heat_template_version: 2018-08-31
resources:
  VDU1:
    type: OS::Heat::ResourceGroup
    properties:
      resource_def:
        type: vdu1.yaml
        properties:
          name: { str_replace: { template: a%index%, params: {} } }
'''
        e = self.assertRaises(sol_ex.UnprocessableEntity,
                              vdu_template.member_definition,
                              template, {'vdu1.yaml': ''}, 'VDU1', NFV)
        self.assertIn('str_replace', e.detail)

    def test_not_a_group(self):
        template = '''
heat_template_version: 2018-08-31
resources:
  VDU1:
    type: OS::Nova::Server
    properties: {image: x, flavor: y}
'''
        self.assertIsNone(vdu_template.member_definition(
            template, {}, 'VDU1', NFV))
        self.assertFalse(vdu_template.is_group(template, {}, 'VDU1'))
        self.assertIsNone(vdu_template.member_type(template, {}, 'VDU1'))

    def test_unknown_vdu_and_missing_file(self):
        template, files = sample('v1')
        self.assertRaises(sol_ex.UnprocessableEntity,
                          vdu_template.member_definition,
                          template, files, 'VDU9', NFV)
        e = self.assertRaises(sol_ex.UnprocessableEntity,
                              vdu_template.member_definition,
                              template, {}, 'VDU1', NFV)
        self.assertIn('nested/VDU1.yaml', e.detail)

    def test_hot_version_stays_text(self):
        template, _files = sample('v1')
        self.assertEqual('2018-08-31', vdu_template.parse(template)[
            'heat_template_version'])


ASPECT_GROUPS = '''
heat_template_version: 2018-08-31
parameters:
  nfv: {type: json}
resources:
  worker_aspect:
    type: OS::Heat::AutoScalingGroup
    properties:
      min_size: 0
      max_size: 3
      desired_capacity: {get_param: [nfv, VDU, VDU1, desired_capacity]}
      resource:
        type: VDU1.yaml
        properties:
          image: {get_param: [nfv, VDU, VDU1, vcImageId]}
  db_group:
    type: OS::Heat::ResourceGroup
    properties:
      count: 1
      resource_def:
        type: db.yaml
        properties:
          image: {get_param: [nfv, VDU, VDU2, vcImageId]}
  VDU3:
    type: OS::Nova::Server
    properties: {image: x, flavor: y}
'''
SERVER_OF = '''
heat_template_version: 2018-08-31
parameters:
  image: {type: string}
resources:
  %s:
    type: OS::Nova::Server
    properties: {image: {get_param: image}, flavor: m1.tiny}
'''
ASPECT_FILES = {'VDU1.yaml': SERVER_OF % 'VDU1', 'db.yaml': SERVER_OF % 'VDU2'}


class TestGroupOfAnyName(testtools.TestCase):

    def test_group_found_by_the_server_its_members_hold(self):
        template = vdu_template.parse(ASPECT_GROUPS)
        self.assertEqual('worker_aspect', vdu_template.group_name(
            template, ASPECT_FILES, 'VDU1'))
        self.assertEqual('db_group', vdu_template.group_name(
            template, ASPECT_FILES, 'VDU2'))
        # A resource named like the VDU is the VDU's, group or not.
        self.assertEqual('VDU3', vdu_template.group_name(
            template, ASPECT_FILES, 'VDU3'))
        self.assertTrue(vdu_template.is_group(ASPECT_GROUPS, ASPECT_FILES,
                                              'VDU1'))
        self.assertFalse(vdu_template.is_group(ASPECT_GROUPS, ASPECT_FILES,
                                               'VDU3'))
        self.assertEqual('db.yaml', vdu_template.member_type(
            ASPECT_GROUPS, ASPECT_FILES, 'VDU2'))

    def test_member_definition_of_a_resource_group(self):
        key, text, props = vdu_template.member_definition(
            ASPECT_GROUPS, ASPECT_FILES, 'VDU2', NFV)
        self.assertEqual('db.yaml', key)
        self.assertEqual({'image': 'image-v3'}, props)

    def test_no_group_and_two_groups_are_named(self):
        template = vdu_template.parse(ASPECT_GROUPS)
        e = self.assertRaises(sol_ex.UnprocessableEntity,
                              vdu_template.group_name, template,
                              ASPECT_FILES, 'VDU9')
        self.assertIn('no resource for VDU VDU9', e.detail)
        twice = dict(ASPECT_FILES, **{'db.yaml': SERVER_OF % 'VDU1'})
        e = self.assertRaises(sol_ex.UnprocessableEntity,
                              vdu_template.group_name, template, twice,
                              'VDU1')
        self.assertIn('db_group, worker_aspect', e.detail)

    def test_with_vdu_resource_keeps_the_group_name(self):
        running = vdu_template.parse(ASPECT_GROUPS)
        source = ASPECT_GROUPS.replace('VDU1.yaml', 'VDU1.yaml\n        '
                                       'metadata: {v: 2}')
        files = dict(ASPECT_FILES, **{'VDU1.yaml': ASPECT_FILES[
            'VDU1.yaml'] + '\ndescription: v2\n'})
        template, new_files = vdu_template.with_vdu_resource(
            running, ASPECT_FILES, source, files, 'VDU1')
        self.assertNotIn('VDU1', template['resources'])
        self.assertEqual({'v': 2}, template['resources']['worker_aspect'][
            'properties']['resource']['metadata'])
        self.assertEqual(files['VDU1.yaml'], new_files['VDU1.yaml'])
        self.assertEqual(ASPECT_FILES['db.yaml'], new_files['db.yaml'])


class TestWithVduResource(testtools.TestCase):

    def test_one_vdu_from_the_other_package(self):
        v1, v1_files = sample('v1')
        v3, v3_files = sample('v3')
        running = vdu_template.parse(v1)
        template, files = vdu_template.with_vdu_resource(
            running, v1_files, v3, v3_files, 'VDU1')
        self.assertEqual(vdu_template.parse(v3)['resources']['VDU1'],
                         template['resources']['VDU1'])
        self.assertEqual(running['resources']['VDU2'],
                         template['resources']['VDU2'])
        self.assertEqual(v3_files['nested/VDU1.yaml'],
                         files['nested/VDU1.yaml'])
        self.assertEqual(v1_files['nested/VDU2.yaml'],
                         files['nested/VDU2.yaml'])
        # The running template itself is not changed.
        self.assertEqual(vdu_template.parse(v1), running)

    def test_shared_nested_template_with_other_content_is_refused(self):
        running = vdu_template.parse('''
resources:
  VDU1: {type: OS::Heat::AutoScalingGroup,
         properties: {resource: {type: vdu.yaml}}}
  VDU2: {type: OS::Heat::AutoScalingGroup,
         properties: {resource: {type: vdu.yaml}}}
''')
        e = self.assertRaises(
            sol_ex.UnprocessableEntity, vdu_template.with_vdu_resource,
            running, {'vdu.yaml': 'old'}, '''
resources:
  VDU1: {type: OS::Heat::AutoScalingGroup,
         properties: {resource: {type: vdu.yaml}}}
''', {'vdu.yaml': 'new'}, 'VDU1')
        self.assertIn('vdu.yaml', e.detail)


class TestMembers(testtools.TestCase):

    def res(self, name, kind, rid, stack, parent=None, created=''):
        return {'resource_name': name, 'resource_type': kind,
                'physical_resource_id': rid, 'parent_resource': parent,
                'creation_time': created,
                'links': [{'rel': 'stack',
                           'href': 'http://heat/stacks/s/%s' % stack}]}

    def test_members_in_creation_order_and_their_resources(self):
        data = {'resources': [
            self.res('VDU1', 'OS::Heat::AutoScalingGroup', 'g1', 'top'),
            self.res('zzz', 'nested/VDU1.yaml', 'm1', 'g1', 'VDU1',
                     '2026-11-25T10:00:00'),
            self.res('aaa', 'nested/VDU1.yaml', 'm2', 'g1', 'VDU1',
                     '2026-11-25T10:00:05'),
            self.res('VDU1', 'OS::Nova::Server', 's1', 'm1', 'zzz'),
            self.res('VDU1_CP1', 'OS::Neutron::Port', 'p1', 'm1', 'zzz'),
            self.res('VDU1', 'OS::Nova::Server', 's2', 'm2', 'aaa'),
            self.res('VDU2', 'OS::Heat::AutoScalingGroup', 'g2', 'top'),
        ], 'servers': {}, 'ports': {}, 'volumes': {}}
        self.assertEqual([{'name': 'zzz', 'stackId': 'm1'},
                          {'name': 'aaa', 'stackId': 'm2'}],
                         vnfc.members(data, 'VDU1'))
        self.assertEqual([], vnfc.members(data, 'VDU2'))
        # Members are found by their group's name, whatever it is.
        for res in data['resources']:
            if res['parent_resource'] == 'VDU1':
                res['parent_resource'] = 'VDU1_scale'
        self.assertEqual(['zzz', 'aaa'], [
            m['name'] for m in vnfc.members(data, 'VDU1_scale')])
        mine = vnfc.member_data(data, 'm1')
        self.assertEqual(['s1', 'p1'], [r['physical_resource_id']
                                        for r in mine['resources']])
        self.assertEqual(7, len(data['resources']))
