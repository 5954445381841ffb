"""Pieces of the Kubernetes infra driver, against the simulator.

The flows themselves are driven end to end by the functional tests; here
the undo of a delete that the cluster is still carrying out.
"""
import os

from kubernetes import client

from tacker.sol_refactored.infra_drivers.kubernetes import lifecycle
from tacker.sol_refactored.infra_drivers.kubernetes import manifests
from tacker.sol_refactored.infra_drivers.kubernetes import vim as k8s_vim
from tacker.tests.k8s_simulator import testcase

V1 = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))),
    'samples', 'vnf_packages', 'kubernetes', 'v1')
FILES = ['Files/kubernetes/configmap.yaml', 'Files/kubernetes/service.yaml',
         'Files/kubernetes/deployment.yaml']
NS = 'default'


class _ClusterCase(testcase.SimulatorTestCase):
    sim_kwargs = {'pod_ready_delay': 0.02, 'pod_terminate_delay': 0.02}

    def setUp(self):
        super().setUp()
        self.vim = k8s_vim.KubernetesVim({
            'interfaceInfo': {'endpoint': self.fx.base_url},
            'accessInfo': {'bearer_token': self.fx.token}})
        self.addCleanup(self.vim.close)
        objs = manifests.load(V1, FILES)
        self.refs = lifecycle.apply_all(self.vim, NS, objs)
        lifecycle.wait_workloads(self.vim, NS, self.refs)

    def live(self):
        return sorted(p.metadata.name for p in self.core.list_namespaced_pod(
            NS, label_selector='app=nginx,version=v1').items
            if not p.metadata.deletion_timestamp)


class TestUndoAfterDelete(_ClusterCase):
    # Pods that take a while to terminate, as on a cluster.
    sim_kwargs = {'pod_ready_delay': 0.02, 'pod_terminate_delay': 0.5}

    def test_waits_for_a_deletion_under_way(self):
        # Foreground deletion: the Deployment stays until its Pods are
        # gone; re-creating it meanwhile would lose it.
        self.apps.delete_namespaced_deployment(
            'nginx', NS, body=client.V1DeleteOptions(
                propagation_policy='Foreground'))
        self.assertIsNotNone(self.apps.read_namespaced_deployment(
            'nginx', NS).metadata.deletion_timestamp)
        lifecycle.wait_deleting_gone(self.vim, NS, self.refs)
        self.assertIsNone(manifests.read(self.vim, NS, 'Deployment',
                                         'nginx'))
