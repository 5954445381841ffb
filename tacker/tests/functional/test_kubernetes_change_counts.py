"""ChangeCurrentVNFPackage on Kubernetes keeps the VNFC counts it runs.

The v1 VNF is instantiated at its level ``large``: 3 Pods of VDU1, where
both packages' manifests say 2 (and the v2 VNFD allows 1 to 3). After a
Blue-Green change, a Rolling update, or their rollbacks, the VDU's
workload still runs 3 Pods, and the record names exactly the live ones.
The count is the running workload's replicas as the cluster holds them,
so a VNF scaled outside Tacker keeps the count it was scaled to.
"""
import kubernetes

from tacker.tests.functional import kubernetes_base as kb
from tacker.tests.functional import test_kubernetes_change_vnfpkg as change
from tacker.tests.functional import test_kubernetes_levels as level_test


class KeptCountsCase(change.ChangeVnfPkgTestCase):
    level = 'large'

    def v1_package(self):
        return self.onboard_sample('v1', edit=level_test._with_levels)

    def replicas(self, deployment):
        return self.apps.read_namespaced_deployment(
            deployment, self.namespace).spec.replicas

    def scale(self, deployment, count):
        """Scale the VNF's Deployment through the API, as kubectl would."""
        self.apps.patch_namespaced_deployment(
            deployment, self.namespace, {'spec': {'replicas': count}})
        self.wait_ready_pods(deployment, count)

    def wait_ready_pods(self, deployment, count):
        watch = kubernetes.watch.Watch()
        for event in watch.stream(
                self.apps.list_namespaced_deployment, self.namespace,
                field_selector='metadata.name=' + deployment,
                timeout_seconds=30):
            status = event['object'].status
            if (status.ready_replicas or 0) == count and \
                    (status.replicas or 0) == count:
                watch.stop()
                break
        self.assertEqual(count, len(self.owned_pods(deployment)))

    def assertKept(self, deployment, count=3):
        """``count`` Pods run and the record names them (VDU1 each)."""
        self.assertEqual(count, self.replicas(deployment))
        inst = self.assertRecordIsLive(deployment, count=count)
        self.assertEqual(self.owned_pods(deployment), self.vnfc_pods(inst))
        self.assertEqual(
            ['VDU1'] * count,
            [v['vduId'] for v in
             inst['instantiatedVnfInfo']['vnfcResourceInfo']])
        return inst


class TestBlueGreenKeepsCounts(KeptCountsCase):
    def test_new_deployment_runs_the_level_count(self):
        self.assertEqual(3, len(self.old_pods))
        v2 = self.onboard_sample('v2')
        occ_id = self.change(v2, 'BlueGreen', kb.V2_BLUE_GREEN)
        self.client.wait_op(occ_id, ['COMPLETED'])
        self.assertEqual(['nginx-v2'], self.deployments())
        inst = self.assertKept('nginx-v2')
        self.assertEqual(v2['vnfdId'], inst['vnfdId'])

    def test_scaled_outside_tacker_keeps_that_count(self):
        # The record still says 3 VNFCs; the cluster runs 1.
        self.scale('nginx', 1)
        v2 = self.onboard_sample('v2')
        occ_id = self.change(v2, 'BlueGreen', kb.V2_BLUE_GREEN)
        self.client.wait_op(occ_id, ['COMPLETED'])
        self.assertKept('nginx-v2', count=1)

    def test_scaled_beyond_the_new_vnfd_fails_before_applying(self):
        # The v2 VNFD allows at most 3 Pods of VDU1.
        self.scale('nginx', 4)
        v2 = self.onboard_sample('v2')
        occ_id = self.change(v2, 'BlueGreen', kb.V2_BLUE_GREEN)
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP']).body
        self.assertIn('apply_new', occ['error']['detail'])
        self.assertIn('VDU1 runs 4', occ['error']['detail'])
        self.assertEqual(['nginx'], self.deployments())
        self.task(occ_id, 'rollback')
        self.client.wait_op(occ_id, ['ROLLED_BACK'])
        self.assertEqual(['nginx'], self.deployments())
        self.assertKept('nginx', count=4)

    def test_rollback_after_old_deleted_recreates_the_level_count(self):
        # The old Deployment is deleted, the DELETE of its ConfigMap
        # fails: the undo re-creates the old Deployment as it ran, not
        # with its manifest's 2 replicas.
        v2 = self.onboard_sample('v2')
        self.proxy.fail(503, body={'kind': 'Status', 'message': 'busy'},
                        method='DELETE',
                        path_regex='/configmaps/nginx-config-v1$', nth=1)
        occ_id = self.change(v2, 'BlueGreen', kb.V2_BLUE_GREEN)
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP']).body
        self.assertIn('delete_old', occ['error']['detail'])
        self.task(occ_id, 'rollback')
        self.client.wait_op(occ_id, ['ROLLED_BACK'])
        self.assertEqual(['nginx'], self.deployments())
        inst = self.assertKept('nginx')
        self.assertEqual(self.inst['vnfdId'], inst['vnfdId'])

    def test_retry_after_apply_keeps_the_count(self):
        v2 = self.onboard_sample('v2')
        self.proxy.fail(
            500, body={'kind': 'Status', 'message': 'selector locked'},
            method='PATCH', path_regex='/services/nginx$', nth=1)
        occ_id = self.change(v2, 'BlueGreen', kb.V2_BLUE_GREEN)
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP']).body
        self.assertIn('coordinate_new', occ['error']['detail'])
        self.assertEqual(3, self.replicas('nginx-v2'))
        self.task(occ_id, 'retry')
        self.client.wait_op(occ_id, ['COMPLETED'])
        self.assertKept('nginx-v2')


class TestRollingUpdateKeepsCounts(KeptCountsCase):
    def test_updated_deployment_runs_the_level_count(self):
        v2 = self.onboard_sample('v2')
        occ_id = self.change(v2, 'RollingUpdate', kb.V2_ROLLING,
                             scripts=(change.NEW_SCRIPT,))
        self.client.wait_op(occ_id, ['COMPLETED'])
        self.assertEqual(['nginx'], self.deployments())
        dep = self.apps.read_namespaced_deployment('nginx', self.namespace)
        self.assertEqual('nginx:1.27',
                         dep.spec.template.spec.containers[0].image)
        inst = self.assertKept('nginx')
        self.assertEqual(v2['vnfdId'], inst['vnfdId'])
        self.assertFalse(set(self.vnfc_pods(inst)) & set(self.old_pods))

    def test_scaled_outside_tacker_keeps_that_count(self):
        self.scale('nginx', 1)
        v2 = self.onboard_sample('v2')
        occ_id = self.change(v2, 'RollingUpdate', kb.V2_ROLLING,
                             scripts=(change.NEW_SCRIPT,))
        self.client.wait_op(occ_id, ['COMPLETED'])
        self.assertKept('nginx', count=1)

    def test_rollout_never_ready_then_rollback_keeps_the_count(self):
        v2 = self.onboard_sample('v2', edit=change._never_ready)
        occ_id = self.change(v2, 'RollingUpdate', kb.V2_ROLLING,
                             scripts=(change.NEW_SCRIPT,))
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP'], timeout=60).body
        self.assertIn('wait_rollout', occ['error']['detail'])
        self.task(occ_id, 'rollback')
        self.client.wait_op(occ_id, ['ROLLED_BACK'])
        dep = self.apps.read_namespaced_deployment('nginx', self.namespace)
        self.assertEqual('nginx:1.25',
                         dep.spec.template.spec.containers[0].image)
        inst = self.assertKept('nginx')
        self.assertEqual(self.old_pods, self.vnfc_pods(inst))


class TestTerminateRollbackKeepsCounts(KeptCountsCase):
    def test_undone_terminate_recreates_what_ran(self):
        # The Deployment is deleted, then the DELETE of its ConfigMap
        # fails: the rollback re-creates the VNF with the 3 Pods it ran,
        # not its manifest's 2.
        self.proxy.fail(503, body={'kind': 'Status', 'message': 'busy'},
                        method='DELETE',
                        path_regex='/configmaps/nginx-config-v1$', nth=1)
        occ_id = self.start_op(self.inst['id'], 'terminate',
                               {'terminationType': 'FORCEFUL'})
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP']).body
        self.assertIn('delete_objects', occ['error']['detail'])
        self.task(occ_id, 'rollback')
        self.client.wait_op(occ_id, ['ROLLED_BACK'])
        self.assertEqual(['nginx'], self.deployments())
        self.assertEqual(3, self.replicas('nginx'))
        self.wait_ready_pods('nginx', 3)
