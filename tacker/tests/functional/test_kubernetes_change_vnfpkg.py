"""ChangeCurrentVNFPackage on the Kubernetes VIM, Blue-Green and Rolling.

Each case checks the database record against what the cluster holds, and
each step of each flow is made to fail once (through the fault proxy or a
Pod that never gets Ready), then rolled back, retried or given up.
"""
from tacker.tests import etsi_openapi
from tacker.tests.functional import kubernetes_base as kb

NEW_SCRIPT = {
    'lcm-operation-coordinate-new-vnf': 'Scripts/coordinate_new_vnf.py',
    'lcm-operation-coordinate-new-vnf-class': 'CoordinateNewVnf',
}
OLD_SCRIPT = {
    'lcm-operation-coordinate-old-vnf': 'Scripts/coordinate_old_vnf.py',
    'lcm-operation-coordinate-old-vnf-class': 'CoordinateOldVnf',
}


class ChangeVnfPkgTestCase(kb.KubernetesTestCase):
    service_options = dict(kb.KubernetesTestCase.service_options)
    service_options[('kubernetes_vim', 'rollout_timeout')] = '6'
    # The instantiation level of the VNF (None: the VNFD's default).
    level = None

    def setUp(self):
        super().setUp()
        self.v1 = self.v1_package()
        self.inst = self.instantiate(self.v1, level=self.level)
        self.old_pods = self.ready_pods('nginx')

    def v1_package(self):
        return self.onboard_sample('v1')

    def change(self, pkg, upgrade_type, files, scripts=(NEW_SCRIPT,
                                                        OLD_SCRIPT)):
        params = {'upgrade_type': upgrade_type,
                  'lcm-kubernetes-def-files': files}
        for script in scripts:
            params.update(script)
        return self.start_op(self.inst['id'], 'change_vnfpkg',
                             {'vnfdId': pkg['vnfdId'],
                              'additionalParams': params})

    def task(self, occ_id, task):
        resp = self.client.request(
            'POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/%s' % (occ_id, task))
        self.assertEqual(202, resp.status_code, resp.text)

    def usage(self, pkg):
        client = kb.base.service.Client(self.service.base_url, version=None)
        return client.request('GET', '/vnfpkgm/v1/vnf_packages/' +
                              pkg['id']).body['usageState']

    def assertUnchanged(self):
        """The database and the cluster are as before the request."""
        inst = self.show(self.inst['id'])
        self.assertEqual(self.inst['vnfdId'], inst['vnfdId'])
        self.assertEqual(self.inst['instantiatedVnfInfo'],
                         inst['instantiatedVnfInfo'])
        self.assertEqual(self.inst['metadata'], inst['metadata'])
        self.assertEqual(['nginx'], self.deployments())
        self.assertEqual(self.old_pods, self.ready_pods('nginx'))
        self.assertEqual('v1', self.service_selector()['version'])
        self.assertEqual('IN_USE', self.usage(self.v1))

    def vnfc_pods(self, inst):
        return sorted(v['computeResource']['resourceId'] for v in
                      inst['instantiatedVnfInfo']['vnfcResourceInfo'])

    def vnfc_ids(self, inst):
        return {v['id'] for v in
                inst['instantiatedVnfInfo']['vnfcResourceInfo']}

    def assertRecordIsLive(self, deployment='nginx', count=2):
        """The record names the Deployment's live Pods; the instance.

        ``count`` Pods, one VNFC per Pod, and the Service's VIP CP gathers
        their CPs.
        """
        inst = self.show(self.inst['id'])
        live = self.ready_pods(deployment)
        self.assertEqual(count, len(live))
        self.assertEqual(live, self.vnfc_pods(inst))
        info = inst['instantiatedVnfInfo']
        self.assertEqual(
            sorted(v['vnfcCpInfo'][0]['id']
                   for v in info['vnfcResourceInfo']),
            sorted(info['vipCpInfo'][0]['associatedVnfcCpIds']))
        return inst


class TestBlueGreen(ChangeVnfPkgTestCase):
    def test_success(self):
        v2 = self.onboard_sample('v2')
        occ_id = self.change(v2, 'Blue-Green', kb.V2_BLUE_GREEN)
        occ = self.client.wait_op(occ_id, ['COMPLETED']).body
        inst = self.show(self.inst['id'])
        self.assertEqual(v2['vnfdId'], inst['vnfdId'])
        self.assertEqual('2.0', inst['vnfSoftwareVersion'])
        self.assertEqual(['nginx-v2'], self.deployments())
        self.assertEqual({'app': 'nginx', 'version': 'v2'},
                         self.service_selector())
        new_pods = self.ready_pods('nginx-v2')
        self.assertEqual(new_pods, self.vnfc_pods(inst))
        for vnfc in inst['instantiatedVnfInfo']['vnfcResourceInfo']:
            self.assertEqual('VDU1', vnfc['vduId'])
            self.assertEqual(v2['vnfdId'], vnfc['vnfdId'])
            self.assertEqual('nginx-v2',
                             vnfc['metadata']['Deployment']['name'])
        self.assertEqual(kb.V2_BLUE_GREEN,
                         inst['metadata']['lcm-kubernetes-def-files'])
        self.assertEqual(['nginx-config-v2'], self.config_maps())
        # The VIP of the Service now gathers the new Pods' CPs.
        vip = inst['instantiatedVnfInfo']['vipCpInfo'][0]
        self.assertEqual(2, len(vip['associatedVnfcCpIds']))
        self.assertEqual(v2['vnfdId'], occ['changedInfo']['vnfdId'])
        changes = sorted(c['changeType'] for c in
                         occ['resourceChanges']['affectedVnfcs'])
        self.assertEqual(['ADDED', 'ADDED', 'REMOVED', 'REMOVED'], changes)
        self.assertEqual('IN_USE', self.usage(v2))
        self.assertEqual('NOT_IN_USE', self.usage(self.v1))
        self.assertNotIn(self.token, str(occ))

    def test_new_deployment_never_ready_then_rollback(self):
        v2 = self.onboard_sample('v2', edit=_never_ready)
        occ_id = self.change(v2, 'BlueGreen', kb.V2_BLUE_GREEN)
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP'], timeout=60).body
        self.assertIn('wait_new_ready', occ['error']['detail'])
        self.assertEqual('FAILED_TEMP', occ['operationState'])
        self.assertIn('nginx-v2', self.deployments())
        self.task(occ_id, 'rollback')
        self.client.wait_op(occ_id, ['ROLLED_BACK'])
        self.assertUnchanged()
        self.assertRecordIsLive()
        self.assertEqual('NOT_IN_USE', self.usage(v2))

    def test_coordinate_failure_then_retry(self):
        v2 = self.onboard_sample('v2')
        rule = self.proxy.fail(
            500, body={'kind': 'Status', 'message': 'selector locked'},
            method='PATCH', path_regex='/services/nginx$', nth=1)
        occ_id = self.change(v2, 'BlueGreen', kb.V2_BLUE_GREEN)
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP']).body
        self.assertIn('coordinate_new', occ['error']['detail'])
        self.assertIn('coordinate_new_vnf.py', occ['error']['detail'])
        self.assertEqual(1, self.proxy.rule(rule['id'])['applied'])
        # The record is still the old VNF while the operator decides.
        self.assertEqual(self.inst['vnfdId'],
                         self.show(self.inst['id'])['vnfdId'])
        self.task(occ_id, 'retry')
        self.client.wait_op(occ_id, ['COMPLETED'])
        self.assertEqual(['nginx-v2'], self.deployments())
        self.assertEqual('v2', self.service_selector()['version'])

    def failed_at_coordinate_old(self, pkg):
        """A Blue-Green change in FAILED_TEMP after the Service switched.

        The Service is read twice: by the driver (to save its selector
        before the new VNF's script), then by the old VNF's script, whose
        read fails.
        """
        self.proxy.fail(
            500, body={'kind': 'Status', 'message': 'old still busy'},
            method='GET', path_regex='/services/nginx$', nth=2)
        occ_id = self.change(pkg, 'BlueGreen', kb.V2_BLUE_GREEN)
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP']).body
        self.assertIn('coordinate_old', occ['error']['detail'])
        self.assertEqual('v2', self.service_selector()['version'])
        return occ_id

    def test_coordinate_failure_then_rollback(self):
        # The old VNF's script failed after the new one switched the
        # Service: the new one's rollback puts the selector back.
        occ_id = self.failed_at_coordinate_old(self.onboard_sample('v2'))
        self.task(occ_id, 'rollback')
        self.client.wait_op(occ_id, ['ROLLED_BACK'])
        self.assertUnchanged()

    def test_script_rollback_fails_then_rollback_again(self):
        occ_id = self.failed_at_coordinate_old(self.onboard_sample('v2'))
        # The new VNF's script points the Service back (its rollback):
        # break that PATCH once.
        rule = self.proxy.fail(
            500, body={'kind': 'Status', 'message': 'selector locked'},
            method='PATCH', path_regex='/services/nginx$', nth=1)
        self.task(occ_id, 'rollback')
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP']).body
        self.assertIn('rollback of step coordinate_new',
                      occ['error']['detail'])
        self.assertIn('coordinate_new_vnf.py', occ['error']['detail'])
        self.assertEqual(1, self.proxy.rule(rule['id'])['applied'])
        self.assertEqual('v2', self.service_selector()['version'])
        self.assertIn('nginx-v2', self.deployments())
        self.task(occ_id, 'rollback')
        self.client.wait_op(occ_id, ['ROLLED_BACK'])
        self.assertEqual(2, self.proxy.rule(rule['id'])['matched'])
        self.assertUnchanged()

    def test_script_without_rollback_selectors_put_back_by_driver(self):
        occ_id = self.failed_at_coordinate_old(
            self.onboard_sample('v2', edit=_without_rollback))
        self.task(occ_id, 'rollback')
        self.client.wait_op(occ_id, ['ROLLED_BACK'])
        self.assertUnchanged()

    def test_rollback_after_old_deleted_records_the_new_pods(self):
        # delete_old deletes the old Deployment, then the old ConfigMap,
        # whose DELETE fails: the rollback re-creates the Deployment, so
        # the old VNF runs in Pods that the record did not know.
        v2 = self.onboard_sample('v2')
        rule = self.proxy.fail(
            503, body={'kind': 'Status', 'message': 'busy'},
            method='DELETE', path_regex='/configmaps/nginx-config-v1$',
            nth=1)
        occ_id = self.change(v2, 'BlueGreen', kb.V2_BLUE_GREEN)
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP']).body
        self.assertIn('delete_old', occ['error']['detail'])
        self.assertEqual(1, self.proxy.rule(rule['id'])['applied'])
        self.task(occ_id, 'rollback')
        self.client.wait_op(occ_id, ['ROLLED_BACK'])
        self.assertEqual(['nginx'], self.deployments())
        self.assertEqual(['nginx-config-v1'], self.config_maps())
        self.assertEqual('v1', self.service_selector()['version'])
        inst = self.assertRecordIsLive()
        self.assertFalse(set(self.vnfc_pods(inst)) & set(self.old_pods))
        self.assertFalse(self.vnfc_ids(inst) & self.vnfc_ids(self.inst))
        for vnfc in inst['instantiatedVnfInfo']['vnfcResourceInfo']:
            self.assertEqual('VDU1', vnfc['vduId'])
            self.assertEqual(self.inst['vnfdId'], vnfc['vnfdId'])
            self.assertEqual('nginx', vnfc['metadata']['Deployment']['name'])
        # The rest of the record is the old VNF's.
        self.assertEqual(self.inst['vnfdId'], inst['vnfdId'])
        self.assertEqual(self.inst['metadata'], inst['metadata'])
        for key in ('flavourId', 'vnfState', 'metadata', 'extCpInfo'):
            self.assertEqual(self.inst['instantiatedVnfInfo'][key],
                             inst['instantiatedVnfInfo'][key])
        self.assertEqual('IN_USE', self.usage(self.v1))
        self.assertEqual('NOT_IN_USE', self.usage(v2))

    def test_fail_after_apply_new_then_terminate_leaves_nothing(self):
        # The new objects are applied and Ready, the switch fails; the
        # operator gives the change up, then terminates the VNF.
        v2 = self.onboard_sample('v2')
        self.proxy.fail(
            500, body={'kind': 'Status', 'message': 'selector locked'},
            method='PATCH', path_regex='/services/nginx$', nth=1)
        occ_id = self.change(v2, 'BlueGreen', kb.V2_BLUE_GREEN)
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP']).body
        self.assertIn('coordinate_new', occ['error']['detail'])
        self.assertEqual(['nginx', 'nginx-v2'], self.deployments())
        self.assertEqual(['nginx-config-v1', 'nginx-config-v2'],
                         self.config_maps())
        resp = self.client.request(
            'POST', '/vnflcm/v2/vnf_lcm_op_occs/%s/fail' % occ_id)
        self.assertEqual(200, resp.status_code, resp.text)
        self.assertEqual('FAILED', resp.body['operationState'])
        # Nothing was undone: the record names the new objects as well,
        # and its VNFCs are the Pods both Deployments run now, each with
        # the package it runs.
        inst = self.show(self.inst['id'])
        self.assertEqual(self.inst['vnfdId'], inst['vnfdId'])
        self.assertEqual(sorted(kb.VNF_OBJECTS), sorted(
            (r['kind'], r['name']) for r in
            inst['instantiatedVnfInfo']['metadata']['resources']))
        self.assertEqual(['nginx', 'nginx-v2'], self.deployments())
        old_pods, new_pods = self.ready_pods('nginx'), self.ready_pods(
            'nginx-v2')
        self.assertEqual(sorted(old_pods + new_pods), self.vnfc_pods(inst))
        by_pod = {v['computeResource']['resourceId']: v['vnfdId'] for v in
                  inst['instantiatedVnfInfo']['vnfcResourceInfo']}
        self.assertEqual({self.inst['vnfdId']},
                         {by_pod[p] for p in old_pods})
        self.assertEqual({v2['vnfdId']}, {by_pod[p] for p in new_pods})
        self.assertNotIn('notReReadAfterFail',
                         inst['instantiatedVnfInfo']['metadata'])

        occ_id = self.start_op(self.inst['id'], 'terminate',
                               {'terminationType': 'FORCEFUL'})
        self.client.wait_op(occ_id, ['COMPLETED'])
        self.assertEqual('NOT_INSTANTIATED',
                         self.show(self.inst['id'])['instantiationState'])
        # Old and new Deployments, ConfigMaps, the Service, their Pods.
        self.assertEqual([], self.remaining())

    def test_old_deployment_delete_fails_then_rollback_and_retry(self):
        v2 = self.onboard_sample('v2')
        self.proxy.fail(503, body={'kind': 'Status', 'message': 'busy'},
                        method='DELETE', path_regex='/deployments/nginx$',
                        nth=1)
        occ_id = self.change(v2, 'BlueGreen', kb.V2_BLUE_GREEN)
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP']).body
        self.assertIn('delete_old', occ['error']['detail'])
        self.task(occ_id, 'rollback')
        self.client.wait_op(occ_id, ['ROLLED_BACK'])
        self.assertEqual(['nginx'], self.deployments())
        self.assertEqual('v1', self.service_selector()['version'])
        inst = self.show(self.inst['id'])
        self.assertEqual(self.inst['vnfdId'], inst['vnfdId'])

        self.proxy.fail(503, body={'kind': 'Status', 'message': 'busy'},
                        method='DELETE', path_regex='/deployments/nginx$',
                        nth=1)
        occ_id = self.change(v2, 'BlueGreen', kb.V2_BLUE_GREEN)
        self.client.wait_op(occ_id, ['FAILED_TEMP'])
        self.task(occ_id, 'retry')
        self.client.wait_op(occ_id, ['COMPLETED'])
        self.assertEqual(['nginx-v2'], self.deployments())


class TestBlueGreenSharedLabels(ChangeVnfPkgTestCase):
    """The new Deployment has a name of its own but v1's labels.

    Its Pods match the old Deployment's selector (and the Service's) too:
    deleting the old one must wait for its own Pods only. The sample's
    old-VNF script checks that the Service no longer selects the old Pods,
    which labels shared with them can never satisfy: only the new-VNF
    script runs.
    """

    def v1_package(self):
        return self.onboard_sample('v1')

    def change(self, pkg, upgrade_type, files, scripts=(NEW_SCRIPT,)):
        return super().change(pkg, upgrade_type, files, scripts)

    def test_success_records_the_new_pods(self):
        v2 = self.onboard_sample('v2', edit=_shared_labels)
        occ_id = self.change(v2, 'BlueGreen', kb.V2_BLUE_GREEN)
        self.client.wait_op(occ_id, ['COMPLETED'])
        self.assertEqual(['nginx-v2'], self.deployments())
        self.assertEqual({'app': 'nginx', 'version': 'v1'},
                         self.service_selector())
        inst = self.show(self.inst['id'])
        self.assertEqual(v2['vnfdId'], inst['vnfdId'])
        new_pods = self.owned_pods('nginx-v2')
        self.assertEqual(2, len(new_pods))
        self.assertEqual(new_pods, self.vnfc_pods(inst))
        self.assertFalse(set(new_pods) & set(self.old_pods))
        for vnfc in inst['instantiatedVnfInfo']['vnfcResourceInfo']:
            self.assertEqual('nginx-v2',
                             vnfc['metadata']['Deployment']['name'])

    def test_rollback_after_old_deleted_records_the_old_pods(self):
        # The old Deployment is deleted, then the DELETE of its ConfigMap
        # fails; the rollback re-creates the old Deployment and deletes
        # the new one, whose labels the old Pods share.
        v2 = self.onboard_sample('v2', edit=_shared_labels)
        self.proxy.fail(503, body={'kind': 'Status', 'message': 'busy'},
                        method='DELETE',
                        path_regex='/configmaps/nginx-config-v1$', nth=1)
        occ_id = self.change(v2, 'BlueGreen', kb.V2_BLUE_GREEN)
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP']).body
        self.assertIn('delete_old', occ['error']['detail'])
        self.task(occ_id, 'rollback')
        self.client.wait_op(occ_id, ['ROLLED_BACK'])
        self.assertEqual(['nginx'], self.deployments())
        inst = self.show(self.inst['id'])
        self.assertEqual(self.inst['vnfdId'], inst['vnfdId'])
        live = self.owned_pods('nginx')
        self.assertEqual(2, len(live))
        self.assertEqual(live, self.vnfc_pods(inst))
        self.assertEqual(live, self.ready_pods('nginx'))


class TestRollingUpdate(ChangeVnfPkgTestCase):
    def test_success(self):
        v2 = self.onboard_sample('v2')
        before_ids = {v['id'] for v in
                      self.inst['instantiatedVnfInfo']['vnfcResourceInfo']}
        occ_id = self.change(v2, 'RollingUpdate', kb.V2_ROLLING,
                             scripts=(NEW_SCRIPT,))
        occ = self.client.wait_op(occ_id, ['COMPLETED']).body
        etsi_openapi.check_response(
            'GET', '/vnflcm/v2/vnf_lcm_op_occs/' + occ_id, 200,
            {'Content-Type': 'application/json', 'Version': '2.0.0'}, occ)
        inst = self.show(self.inst['id'])
        self.assertEqual(v2['vnfdId'], inst['vnfdId'])
        self.assertEqual(['nginx'], self.deployments())
        dep = self.apps.read_namespaced_deployment('nginx', self.namespace)
        self.assertEqual('nginx:1.27',
                         dep.spec.template.spec.containers[0].image)
        self.assertEqual(dep.metadata.generation,
                         dep.status.observed_generation)
        new_pods = self.ready_pods('nginx')
        self.assertEqual(new_pods, self.vnfc_pods(inst))
        self.assertFalse(set(new_pods) & set(self.old_pods))
        after_ids = {v['id'] for v in
                     inst['instantiatedVnfInfo']['vnfcResourceInfo']}
        self.assertFalse(before_ids & after_ids)
        for vnfc in inst['instantiatedVnfInfo']['vnfcResourceInfo']:
            self.assertEqual('VDU1', vnfc['vduId'])
        self.assertEqual(kb.V2_ROLLING,
                         inst['metadata']['lcm-kubernetes-def-files'])
        self.assertEqual('IN_USE', self.usage(v2))

    def test_update_fails_then_rollback_and_retry(self):
        v2 = self.onboard_sample('v2')
        self.proxy.fail(500, body={'kind': 'Status', 'message': 'conflict'},
                        method='PUT', path_regex='/deployments/nginx$',
                        nth=1)
        occ_id = self.change(v2, 'RollingUpdate', kb.V2_ROLLING,
                             scripts=(NEW_SCRIPT,))
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP']).body
        self.assertIn('update_workloads', occ['error']['detail'])
        self.task(occ_id, 'rollback')
        self.client.wait_op(occ_id, ['ROLLED_BACK'])
        dep = self.apps.read_namespaced_deployment('nginx', self.namespace)
        self.assertEqual('nginx:1.25',
                         dep.spec.template.spec.containers[0].image)
        inst = self.show(self.inst['id'])
        self.assertEqual(self.inst['vnfdId'], inst['vnfdId'])

        self.proxy.fail(500, body={'kind': 'Status', 'message': 'conflict'},
                        method='PUT', path_regex='/deployments/nginx$',
                        nth=1)
        occ_id = self.change(v2, 'RollingUpdate', kb.V2_ROLLING,
                             scripts=(NEW_SCRIPT,))
        self.client.wait_op(occ_id, ['FAILED_TEMP'])
        self.task(occ_id, 'retry')
        self.client.wait_op(occ_id, ['COMPLETED'])
        dep = self.apps.read_namespaced_deployment('nginx', self.namespace)
        self.assertEqual('nginx:1.27',
                         dep.spec.template.spec.containers[0].image)

    def test_coordinate_failure_then_rollback_calls_the_script(self):
        v2 = self.onboard_sample('v2')
        rule = self.proxy.fail(
            500, body={'kind': 'Status', 'message': 'selector locked'},
            method='PATCH', path_regex='/services/nginx$', nth=1)
        occ_id = self.change(v2, 'RollingUpdate', kb.V2_ROLLING,
                             scripts=(NEW_SCRIPT,))
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP']).body
        self.assertIn('coordinate', occ['error']['detail'])
        self.assertIn('coordinate_new_vnf.py', occ['error']['detail'])
        self.task(occ_id, 'rollback')
        self.client.wait_op(occ_id, ['ROLLED_BACK'])
        # The script's rollback patched the Service (the second PATCH),
        # before the old Deployment was put back.
        self.assertEqual(2, self.proxy.rule(rule['id'])['matched'])
        dep = self.apps.read_namespaced_deployment('nginx', self.namespace)
        self.assertEqual('nginx:1.25',
                         dep.spec.template.spec.containers[0].image)
        self.assertEqual(self.inst['vnfdId'],
                         self.show(self.inst['id'])['vnfdId'])
        # The update had rolled out, so undoing it rolled the Pods once
        # more: the record names the new ones, with new VNFC ids.
        inst = self.assertRecordIsLive()
        self.assertFalse(set(self.vnfc_pods(inst)) & set(self.old_pods))
        self.assertFalse(self.vnfc_ids(inst) & self.vnfc_ids(self.inst))
        for vnfc in inst['instantiatedVnfInfo']['vnfcResourceInfo']:
            self.assertEqual('VDU1', vnfc['vduId'])
            self.assertEqual(self.inst['vnfdId'], vnfc['vnfdId'])
        self.assertEqual(self.inst['instantiatedVnfInfo']['metadata'],
                         inst['instantiatedVnfInfo']['metadata'])
        self.assertEqual(self.inst['metadata'], inst['metadata'])

    def test_rollout_never_ready_then_rollback(self):
        v2 = self.onboard_sample('v2', edit=_never_ready)
        occ_id = self.change(v2, 'RollingUpdate', kb.V2_ROLLING,
                             scripts=(NEW_SCRIPT,))
        occ = self.client.wait_op(occ_id, ['FAILED_TEMP'], timeout=60).body
        self.assertIn('wait_rollout', occ['error']['detail'])
        self.task(occ_id, 'rollback')
        self.client.wait_op(occ_id, ['ROLLED_BACK'])
        dep = self.apps.read_namespaced_deployment('nginx', self.namespace)
        self.assertEqual('nginx:1.25',
                         dep.spec.template.spec.containers[0].image)
        self.assertEqual(2, len(self.ready_pods('nginx')))
        # The Pods that never got Ready are gone, the old ones stayed
        # (maxUnavailable 0) and keep their VNFCs.
        inst = self.assertRecordIsLive()
        self.assertEqual(self.old_pods, self.vnfc_pods(inst))
        self.assertEqual(self.vnfc_ids(self.inst), self.vnfc_ids(inst))


def _without_rollback(src):
    """The sample's new-VNF script as written before the rollback contract."""
    import os
    path = os.path.join(src, 'Scripts/coordinate_new_vnf.py')
    with open(path) as f:
        text = f.read()
    cut = text.index('    def rollback(self, request):')
    with open(path, 'w') as f:
        f.write(text[:cut].rstrip() + '\n')


def _shared_labels(src):
    """The v2 package whose Blue-Green Deployment keeps v1's labels."""
    import os

    import yaml
    path = os.path.join(src, 'Files/kubernetes/blue_green/deployment.yaml')
    with open(path) as f:
        docs = list(yaml.safe_load_all(f))
    for doc in docs:
        if doc and doc['kind'] == 'Deployment':
            labels = {'app': 'nginx', 'version': 'v1'}
            doc['spec']['selector']['matchLabels'] = dict(labels)
            doc['spec']['template']['metadata']['labels'] = dict(labels)
    with open(path, 'w') as f:
        yaml.safe_dump_all(docs, f, sort_keys=False)


# A Pod readiness gate whose condition nobody sets: the Pods run, but no
# cluster ever counts them Ready.
NEVER_SET = 'tacker.example.com/never-set'


def _never_ready(src):
    """The v2 package whose Deployments' Pods never become Ready."""
    import os

    import yaml
    for rel in ('Files/kubernetes/blue_green/deployment.yaml',
                'Files/kubernetes/rolling_update/deployment.yaml'):
        path = os.path.join(src, rel)
        with open(path) as f:
            docs = list(yaml.safe_load_all(f))
        for doc in docs:
            if doc and doc['kind'] == 'Deployment':
                doc['spec']['template']['spec']['readinessGates'] = [
                    {'conditionType': NEVER_SET}]
        with open(path, 'w') as f:
            yaml.safe_dump_all(docs, f, sort_keys=False)


class TestRefusedOnKubernetes(ChangeVnfPkgTestCase):
    def test_package_for_another_vim_type_is_422(self):
        openstack_pkg = self.add_package('openstack_simple')
        resp = self.client.request(
            'POST', '/vnflcm/v2/vnf_instances/%s/change_vnfpkg' %
            self.inst['id'], {'vnfdId': openstack_pkg['vnfdId'],
                              'additionalParams': {
                                  'upgrade_type': 'BlueGreen'}})
        self.assertEqual(422, resp.status_code, resp.text)
        self.assertIn('Kubernetes', resp.body['detail'])
        self.assertUnchanged()

    def test_flows_refuse_workload_names_they_cannot_handle(self):
        v2 = self.onboard_sample('v2')
        for upgrade, files, word in (
                ('BlueGreen', kb.V2_ROLLING, 'RollingUpdate'),
                ('RollingUpdate', kb.V2_BLUE_GREEN, 'BlueGreen')):
            resp = self.client.request(
                'POST', '/vnflcm/v2/vnf_instances/%s/change_vnfpkg' %
                self.inst['id'], {'vnfdId': v2['vnfdId'],
                                  'additionalParams': {
                                      'upgrade_type': upgrade,
                                      'lcm-kubernetes-def-files': files}})
            self.assertEqual(422, resp.status_code, resp.text)
            self.assertIn(word, resp.body['detail'])
        self.assertUnchanged()
