"""Which namespace a VNF lives in, when its manifests create one."""
import testtools

from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.infra_drivers.kubernetes import context as kctx
from tacker.sol_refactored.infra_drivers.kubernetes import lifecycle
from tacker.sol_refactored.infra_drivers.kubernetes import manifests
from tacker.sol_refactored.infra_drivers.kubernetes import resources
from tacker.sol_refactored.infra_drivers.kubernetes import vim as k8s_vim
from tacker.tests.k8s_simulator import testcase
from tacker.tests.unit import test_kubernetes_driver as base


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


class TestNamespaceOnCluster(testcase.SimulatorTestCase):
    sim_kwargs = {'pod_ready_delay': 0.02, 'pod_terminate_delay': 0.02}

    def setUp(self):
        super().setUp()
        self.vim = k8s_vim.KubernetesVim(self.fx.vim_info())
        self.addCleanup(self.vim.close)
        namespace = dict(_obj('Namespace', 'cnf'), apiVersion='v1')
        objs = resources.ordered([namespace] +
                                 manifests.load(base.V1, base.FILES))
        self.refs = lifecycle.apply_all(self.vim, 'cnf', objs, 'inst-1')
        lifecycle.wait_workloads(self.vim, 'cnf', self.refs)

    def test_objects_go_into_it_and_it_goes_last(self):
        dep = self.apps.read_namespaced_deployment('nginx', 'cnf')
        self.assertEqual('cnf', dep.metadata.namespace)
        lifecycle.delete_all(self.vim, 'cnf', self.refs, 'inst-1')
        self.assertIsNone(manifests.read(self.vim, 'cnf', 'Namespace',
                                         'cnf'))

    def test_namespace_gone_already_is_done(self):
        # A terminate retried after the namespace's deletion took all.
        self.core.delete_namespace('cnf')
        self.wait_for(lambda: manifests.read(self.vim, 'cnf', 'Namespace',
                                             'cnf') is None,
                      what='the namespace gone')
        lifecycle.delete_all(self.vim, 'cnf', self.refs, 'inst-1')
