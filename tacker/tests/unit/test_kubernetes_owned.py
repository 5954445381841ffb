"""Pods found by ownerReferences, not by labels; waits on uids."""
import copy

import testtools

from tacker.sol_refactored.infra_drivers.kubernetes import lifecycle
from tacker.sol_refactored.infra_drivers.kubernetes import manifests
from tacker.sol_refactored.infra_drivers.kubernetes import owned
from tacker.sol_refactored.infra_drivers.kubernetes import vim as k8s_vim
from tacker.sol_refactored.infra_drivers.kubernetes import vnfc
from tacker.sol_refactored.infra_drivers.kubernetes import waiter
from tacker.tests.k8s_simulator import testcase
from tacker.tests.unit import test_kubernetes_driver as base

NS = base.NS


def _meta(uid, owner=None, controller=True):
    meta = {'name': uid, 'uid': uid}
    if owner:
        meta['ownerReferences'] = [
            {'uid': 'other', 'controller': False},
            {'uid': owner, 'controller': controller}]
    return {'metadata': meta}


class TestPure(testtools.TestCase):
    def test_controller_uid_is_the_controlling_reference(self):
        self.assertEqual('rs-1', owned.controller_uid(_meta('p', 'rs-1')))
        self.assertIsNone(owned.controller_uid(_meta('p')))
        self.assertIsNone(owned.controller_uid(
            _meta('p', 'rs-1', controller=False)))

    def test_none_of_waits_while_one_uid_is_listed(self):
        check = waiter.none_of({'a', 'b'})
        self.assertIsNone(check({'x': _meta('a'), 'y': _meta('c')}))
        self.assertTrue(check({'y': _meta('c')}))
        self.assertTrue(check({}))


class TestSharedLabels(testcase.SimulatorTestCase):
    """Two Deployments with the same selector labels, under two names."""
    sim_kwargs = {'pod_ready_delay': 0.02, 'pod_terminate_delay': 0.02}

    def setUp(self):
        super().setUp()
        self.vim = k8s_vim.KubernetesVim(self.fx.vim_info())
        self.addCleanup(self.vim.close)
        objs = manifests.load(base.V1, base.FILES)
        twin = copy.deepcopy(
            [o for o in objs if o['kind'] == 'Deployment'][0])
        twin['metadata']['name'] = 'nginx-twin'
        self.refs = lifecycle.apply_all(self.vim, NS, objs + [twin],
                                        base.OWNER)
        lifecycle.wait_workloads(self.vim, NS, self.refs)

    def read(self, name):
        return manifests.read(self.vim, NS, 'Deployment', name)

    def test_each_deployment_sees_its_own_pods(self):
        mine = vnfc.live_pods(self.vim, NS, self.read('nginx'))
        twins = vnfc.live_pods(self.vim, NS, self.read('nginx-twin'))
        self.assertEqual(2, len(mine))
        self.assertEqual(2, len(twins))
        self.assertFalse(owned.uids_of(mine) & owned.uids_of(twins))

    def test_delete_waits_for_its_own_pods_only(self):
        twins = owned.uids_of(vnfc.live_pods(self.vim, NS,
                                             self.read('nginx-twin')))
        lifecycle.delete_all(self.vim, NS,
                             [{'kind': 'Deployment', 'name': 'nginx'}],
                             base.OWNER)
        self.assertIsNone(self.read('nginx'))
        left = owned.uids_of(vnfc.live_pods(self.vim, NS,
                                            self.read('nginx-twin')))
        self.assertEqual(twins, left)
