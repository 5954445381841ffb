"""Which namespace a VNF lives in, when its manifests create one."""
import testtools

from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.infra_drivers.kubernetes import context as kctx
from tacker.sol_refactored.infra_drivers.kubernetes import manifests
from tacker.sol_refactored.infra_drivers.kubernetes import resources


def _obj(kind, name, namespace=None):
    meta = {'name': name}
    if namespace:
        meta['namespace'] = namespace
    return {'kind': kind, 'metadata': meta}


class TestNamespace(testtools.TestCase):
    def test_declared_namespace(self):
        self.assertEqual('cnf', manifests.declared_namespace(
            [_obj('Namespace', 'cnf'), _obj('Deployment', 'web')]))
        self.assertIsNone(manifests.declared_namespace(
            [_obj('Deployment', 'web')]))
        e = self.assertRaises(sol_ex.UnprocessableEntity,
                              manifests.declared_namespace,
                              [_obj('Namespace', 'a'), _obj('Namespace', 'b')])
        self.assertIn('a, b', e.detail)

    def test_param_or_manifest_both_must_agree(self):
        self.assertEqual('cnf', kctx.chosen_namespace({}, 'cnf'))
        self.assertEqual('p', kctx.chosen_namespace({'namespace': 'p'}, None))
        self.assertEqual('cnf', kctx.chosen_namespace({'namespace': 'cnf'},
                                                      'cnf'))
        self.assertIsNone(kctx.chosen_namespace(None, None))
        e = self.assertRaises(sol_ex.UnprocessableEntity,
                              kctx.chosen_namespace, {'namespace': 'p'},
                              'cnf')
        self.assertIn('p', e.detail)
        self.assertIn('cnf', e.detail)

    def test_objects_naming_another_namespace_are_refused(self):
        manifests.check_namespace([_obj('Namespace', 'cnf'),
                                   _obj('Service', 'web', 'cnf'),
                                   _obj('Deployment', 'web')], 'cnf')
        e = self.assertRaises(sol_ex.UnprocessableEntity,
                              manifests.check_namespace,
                              [_obj('ConfigMap', 'conf', 'other')], 'cnf')
        self.assertIn('ConfigMap conf names namespace other', e.detail)

    def test_namespace_is_created_first_deleted_last(self):
        objs = resources.ordered([_obj('Deployment', 'web'),
                                  _obj('ConfigMap', 'conf'),
                                  _obj('Namespace', 'cnf')])
        self.assertEqual('Namespace', objs[0]['kind'])
        self.assertEqual('/api/v1/namespaces/cnf', resources.object_path(
            'Namespace', 'ignored', 'cnf'))
