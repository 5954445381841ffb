"""The simulator's REST API through the official kubernetes client:
discovery, CRUD, replace and patch semantics, Status errors, selectors."""
import os
import signal
import subprocess
import sys

from kubernetes import client
from kubernetes import dynamic
from kubernetes import utils
import yaml

from tacker.tests.k8s_simulator import testcase as h


class TestDiscoveryAndAuth(h.SimulatorTestCase):

    def test_version_and_discovery(self):
        api_client = self.fx.api_client()
        version = client.VersionApi(api_client).get_code()
        self.assertEqual('1', version.major)
        groups = client.ApisApi(api_client).get_api_versions()
        self.assertIn('apps', [g.name for g in groups.groups])
        core = client.CoreApi(api_client).get_api_versions()
        self.assertEqual(['v1'], core.versions)
        resources = client.AppsV1Api(api_client).get_api_resources()
        by_name = {r.name: r for r in resources.resources}
        self.assertEqual('Deployment', by_name['deployments'].kind)
        self.assertIn('deployments/scale', by_name)

    def test_dynamic_client(self):
        dyn = dynamic.DynamicClient(self.fx.api_client())
        deployments = dyn.resources.get(api_version='apps/v1',
                                        kind='Deployment')
        deployments.create(body=h.deployment('dyn', replicas=1),
                           namespace=self.ns)
        got = deployments.get(name='dyn', namespace=self.ns)
        self.assertEqual('dyn', got.metadata.name)

    def test_create_from_yaml(self):
        docs = [h.deployment('fromyaml', replicas=1),
                {'apiVersion': 'v1', 'kind': 'Service',
                 'metadata': {'name': 'fromyaml'},
                 'spec': {'selector': {'app': 'fromyaml'},
                          'ports': [{'port': 80}]}}]
        path = os.path.join(self.useFixture(
            __import__('fixtures').TempDir()).path, 'r.yaml')
        with open(path, 'w') as f:
            yaml.safe_dump_all(docs, f)
        utils.create_from_yaml(self.fx.api_client(), path,
                               namespace=self.ns)
        self.apps.read_namespaced_deployment('fromyaml', self.ns)
        svc = self.core.read_namespaced_service('fromyaml', self.ns)
        self.assertTrue(svc.spec.cluster_ip.startswith('10.96.'))

    def test_no_token_is_401(self):
        conf = self.fx.configuration()
        conf.api_key = {}
        anonymous = client.CoreV1Api(client.ApiClient(conf))
        exc = self.assertRaises(client.ApiException,
                                anonymous.list_namespace)
        self.assertEqual(401, exc.status)
        self.assertEqual({'kind': 'Status', 'apiVersion': 'v1',
                          'metadata': {}, 'status': 'Failure',
                          'message': 'Unauthorized',
                          'reason': 'Unauthorized', 'code': 401},
                         h.status_of(exc))

    def test_wrong_token_is_401(self):
        conf = self.fx.configuration()
        conf.api_key = {'authorization': 'not-the-token'}
        exc = self.assertRaises(
            client.ApiException,
            client.CoreV1Api(client.ApiClient(conf)).list_namespace)
        self.assertEqual(401, exc.status)


class TestObjects(h.SimulatorTestCase):

    def test_namespaces(self):
        names = [n.metadata.name for n in self.core.list_namespace().items]
        self.assertIn('default', names)
        self.core.create_namespace({'metadata': {'name': 'vnf-a'}})
        ns = self.core.read_namespace('vnf-a')
        self.assertEqual('Active', ns.status.phase)
        self.core.create_namespaced_config_map(
            'vnf-a', {'metadata': {'name': 'cm'}, 'data': {'k': 'v'}})
        self.core.delete_namespace('vnf-a')

        def gone():
            try:
                self.core.read_namespace('vnf-a')
            except client.ApiException as exc:
                return exc.status == 404
        self.wait_for(gone, what='namespace removal')
        exc = self.assertRaises(
            client.ApiException, self.core.read_namespaced_config_map,
            'cm', 'vnf-a')
        self.assertEqual(404, exc.status)

    def test_metadata_on_create(self):
        cm = self.core.create_namespaced_config_map(
            self.ns, {'metadata': {'name': 'one'}, 'data': {'a': '1'}})
        self.assertEqual(self.ns, cm.metadata.namespace)
        self.assertTrue(cm.metadata.uid)
        self.assertIsNotNone(cm.metadata.creation_timestamp)
        cm2 = self.core.create_namespaced_config_map(
            self.ns, {'metadata': {'name': 'two'}})
        self.assertGreater(int(cm2.metadata.resource_version),
                           int(cm.metadata.resource_version))
        self.assertIsNone(cm.metadata.self_link)
        d = self.apps.create_namespaced_deployment(
            self.ns, h.deployment('gen'))
        self.assertEqual(1, d.metadata.generation)
        d = self.apps.patch_namespaced_deployment(
            'gen', self.ns, {'metadata': {'labels': {'x': 'y'}}})
        self.assertEqual(1, d.metadata.generation)
        d = self.apps.patch_namespaced_deployment(
            'gen', self.ns, {'spec': {'replicas': 5}})
        self.assertEqual(2, d.metadata.generation)

    def test_replace_drops_omitted_fields(self):
        self.core.create_namespaced_config_map(
            self.ns, {'metadata': {'name': 'cfg', 'labels': {'a': '1'}},
                      'data': {'keep': '1', 'drop': '2'}})
        got = self.core.read_namespaced_config_map('cfg', self.ns)
        body = {'metadata': {'name': 'cfg',
                             'resourceVersion':
                             got.metadata.resource_version},
                'data': {'keep': '1'}}
        new = self.core.replace_namespaced_config_map('cfg', self.ns, body)
        self.assertEqual({'keep': '1'}, new.data)
        self.assertIsNone(new.metadata.labels)
        self.assertEqual(got.metadata.uid, new.metadata.uid)

    def test_replace_with_stale_resource_version_is_409(self):
        cm = self.core.create_namespaced_config_map(
            self.ns, {'metadata': {'name': 'cfg'}, 'data': {'a': '1'}})
        self.core.patch_namespaced_config_map(
            'cfg', self.ns, {'data': {'a': '2'}})
        body = {'metadata': {'name': 'cfg', 'resourceVersion':
                             cm.metadata.resource_version},
                'data': {'a': '3'}}
        exc = self.assertRaises(
            client.ApiException, self.core.replace_namespaced_config_map,
            'cfg', self.ns, body)
        self.assertEqual(409, exc.status)
        status = h.status_of(exc)
        self.assertEqual('Conflict', status['reason'])
        self.assertEqual(409, status['code'])
        self.assertEqual('Failure', status['status'])
        self.assertIn('the object has been modified', status['message'])
        self.assertEqual({'name': 'cfg', 'kind': 'configmaps'},
                         status['details'])

    def test_not_found_404(self):
        exc = self.assertRaises(
            client.ApiException, self.apps.read_namespaced_deployment,
            'nope', self.ns)
        self.assertEqual(404, exc.status)
        self.assertEqual(
            {'kind': 'Status', 'apiVersion': 'v1', 'metadata': {},
             'status': 'Failure',
             'message': 'deployments.apps "nope" not found',
             'reason': 'NotFound',
             'details': {'name': 'nope', 'group': 'apps',
                         'kind': 'deployments'},
             'code': 404}, h.status_of(exc))
        exc = self.assertRaises(
            client.ApiException, self.core.create_namespaced_pod, 'absent',
            {'metadata': {'name': 'p'},
             'spec': {'containers': [{'name': 'c', 'image': 'i'}]}})
        self.assertEqual('namespaces "absent" not found',
                         h.status_of(exc)['message'])

    def test_already_exists_409(self):
        self.apps.create_namespaced_deployment(self.ns, h.deployment('dup'))
        exc = self.assertRaises(
            client.ApiException, self.apps.create_namespaced_deployment,
            self.ns, h.deployment('dup'))
        self.assertEqual(409, exc.status)
        status = h.status_of(exc)
        self.assertEqual('AlreadyExists', status['reason'])
        self.assertEqual('deployments.apps "dup" already exists',
                         status['message'])

    def test_invalid_422(self):
        body = h.deployment('Bad_Name')
        exc = self.assertRaises(
            client.ApiException, self.apps.create_namespaced_deployment,
            self.ns, body)
        self.assertEqual(422, exc.status)
        status = h.status_of(exc)
        self.assertEqual('Invalid', status['reason'])
        self.assertEqual(422, status['code'])
        self.assertEqual('metadata.name',
                         status['details']['causes'][0]['field'])
        self.assertTrue(status['message'].startswith(
            'Deployment.apps "Bad_Name" is invalid: metadata.name: '
            'Invalid value: "Bad_Name"'))

        body = h.deployment('mismatch')
        body['spec']['selector'] = {'matchLabels': {'app': 'other'}}
        exc = self.assertRaises(
            client.ApiException, self.apps.create_namespaced_deployment,
            self.ns, body)
        self.assertEqual(422, exc.status)
        self.assertEqual('spec.template.metadata.labels',
                         h.status_of(exc)['details']['causes'][0]['field'])

        body = h.deployment('noselector')
        del body['spec']['selector']
        code, status = self.raw(
            'POST', '/apis/apps/v1/namespaces/default/deployments', body)
        self.assertEqual(422, code)
        cause = status['details']['causes'][0]
        self.assertEqual(('spec.selector', 'FieldValueRequired'),
                         (cause['field'], cause['reason']))

        exc = self.assertRaises(
            client.ApiException, self.core.create_namespaced_config_map,
            self.ns, {'metadata': {}})
        self.assertEqual(422, exc.status)
        self.assertIn('name or generateName is required',
                      h.status_of(exc)['message'])

    def test_selector_is_immutable(self):
        self.apps.create_namespaced_deployment(self.ns, h.deployment('imm'))
        body = h.deployment('imm', labels={'app': 'other'})
        exc = self.assertRaises(
            client.ApiException, self.apps.replace_namespaced_deployment,
            'imm', self.ns, body)
        self.assertEqual(422, exc.status)
        self.assertIn('field is immutable', h.status_of(exc)['message'])

    def test_bad_json_is_400(self):
        code, status = self.raw(
            'POST', '/api/v1/namespaces/default/configmaps', '{not json')
        self.assertEqual(400, code)
        self.assertEqual('BadRequest', status['reason'])
        code, status = self.raw(
            'PATCH', '/api/v1/namespaces/default/configmaps/x', '{}',
            content_type='application/apply-patch+yaml')
        self.assertEqual(404, code)


class TestPatch(h.SimulatorTestCase):

    def _two_containers(self):
        body = h.deployment('web')
        body['spec']['template']['spec']['containers'] = [
            {'name': 'app', 'image': 'app:1',
             'env': [{'name': 'A', 'value': '1'}]},
            {'name': 'sidecar', 'image': 'side:1'}]
        self.apps.create_namespaced_deployment(self.ns, body)

    def test_strategic_merge_containers_by_name(self):
        self._two_containers()
        d = self.apps.patch_namespaced_deployment('web', self.ns, {
            'metadata': {'labels': {'tier': 'front'}},
            'spec': {'template': {'spec': {'containers': [
                {'name': 'sidecar', 'image': 'side:2'}]}}}})
        containers = d.spec.template.spec.containers
        self.assertEqual([('app', 'app:1'), ('sidecar', 'side:2')],
                         [(c.name, c.image) for c in containers])
        self.assertEqual('1', containers[0].env[0].value)
        self.assertEqual({'tier': 'front'}, d.metadata.labels)

    def test_strategic_merge_delete_directive(self):
        self._two_containers()
        d = self.apps.patch_namespaced_deployment('web', self.ns, {
            'spec': {'template': {'spec': {'containers': [
                {'name': 'sidecar', '$patch': 'delete'}]}}}})
        self.assertEqual(['app'], [c.name for c in
                                   d.spec.template.spec.containers])

    def test_merge_patch_replaces_lists(self):
        self._two_containers()
        d = self.apps.patch_namespaced_deployment(
            'web', self.ns,
            {'spec': {'template': {'spec': {'containers': [
                {'name': 'only', 'image': 'only:1'}]}}},
             'metadata': {'annotations': {'a': 'b'}}},
            _content_type='application/merge-patch+json')
        self.assertEqual(['only'], [c.name for c in
                                    d.spec.template.spec.containers])
        d = self.apps.patch_namespaced_deployment(
            'web', self.ns, {'metadata': {'annotations': {'a': None}}},
            _content_type='application/merge-patch+json')
        self.assertNotIn('a', d.metadata.annotations or {})

    def test_json_patch(self):
        self._two_containers()
        d = self.apps.patch_namespaced_deployment('web', self.ns, [
            {'op': 'replace', 'path': '/spec/replicas', 'value': 1},
            {'op': 'remove', 'path': '/spec/template/spec/containers/1'}])
        self.assertEqual(1, d.spec.replicas)
        self.assertEqual(1, len(d.spec.template.spec.containers))

    def test_scale_subresource(self):
        self.apps.create_namespaced_deployment(self.ns, h.deployment('sc'))
        scale = self.apps.patch_namespaced_deployment_scale(
            'sc', self.ns, {'spec': {'replicas': 5}})
        self.assertEqual(5, scale.spec.replicas)
        self.assertEqual('app=sc', scale.status.selector)
        self.assertEqual(5, self.apps.read_namespaced_deployment(
            'sc', self.ns).spec.replicas)

    def test_status_ignored_on_main_resource(self):
        self.apps.create_namespaced_deployment(self.ns,
                                               h.deployment('st', 1))
        d = self.apps.patch_namespaced_deployment(
            'st', self.ns, {'status': {'replicas': 42}},
            _content_type='application/merge-patch+json')
        self.assertNotEqual(42, d.status.replicas)


class TestSelectorsAndServices(h.SimulatorTestCase):

    def setUp(self):
        super().setUp()
        for name, labels in [('a', {'app': 'x', 'tier': 'web'}),
                             ('b', {'app': 'y', 'tier': 'db'}),
                             ('c', {'app': 'z'})]:
            self.core.create_namespaced_config_map(
                self.ns, {'metadata': {'name': name, 'labels': labels}})

    def names(self, **kwargs):
        return sorted(cm.metadata.name for cm in
                      self.core.list_namespaced_config_map(
                          self.ns, **kwargs).items)

    def test_label_selectors(self):
        # kube-root-ca.crt (in every namespace, without labels) matches
        # the requirements that an absent label satisfies.
        root_ca = 'kube-root-ca.crt'
        self.assertEqual(['a'], self.names(label_selector='app=x'))
        self.assertEqual(['a'], self.names(label_selector='app==x'))
        self.assertEqual(['b', 'c', root_ca],
                         self.names(label_selector='app!=x'))
        self.assertEqual(['a', 'b'],
                         self.names(label_selector='app in (x, y)'))
        self.assertEqual(['c', root_ca],
                         self.names(label_selector='app notin (x,y)'))
        self.assertEqual(['a', 'b'], self.names(label_selector='tier'))
        self.assertEqual(['c', root_ca], self.names(label_selector='!tier'))
        self.assertEqual(['b'], self.names(
            label_selector='app in (x,y),tier=db'))

    def test_field_selector(self):
        self.assertEqual(['b'],
                         self.names(field_selector='metadata.name=b'))
        self.assertEqual(['a', 'c', 'kube-root-ca.crt'],
                         self.names(field_selector='metadata.name!=b'))
        exc = self.assertRaises(client.ApiException, self.names,
                                field_selector='spec.bogus=1')
        self.assertEqual(400, exc.status)

    def test_service_cluster_ip_and_selector(self):
        body = {'metadata': {'name': 'svc'},
                'spec': {'selector': {'app': 'x'},
                         'ports': [{'port': 80, 'targetPort': 8080}]}}
        svc = self.core.create_namespaced_service(self.ns, body)
        ip = svc.spec.cluster_ip
        self.assertTrue(ip.startswith('10.96.'))
        self.assertEqual('ClusterIP', svc.spec.type)
        other = self.core.create_namespaced_service(
            self.ns, {'metadata': {'name': 'svc2'},
                      'spec': {'ports': [{'port': 80}]}})
        self.assertNotEqual(ip, other.spec.cluster_ip)
        svc = self.core.patch_namespaced_service(
            'svc', self.ns, {'spec': {'selector': {'app': 'y'}}})
        self.assertEqual({'app': 'y'}, svc.spec.selector)
        self.assertEqual(ip, svc.spec.cluster_ip)


class TestCommandLine(h.SimulatorTestCase):

    def test_process_prints_url_and_stops_on_sigterm(self):
        proc = subprocess.Popen(
            [sys.executable, '-m', 'tacker.tests.k8s_simulator',
             '--host', '127.0.0.1', '--port', '0', '--token', 't0ken'],
            stdout=subprocess.PIPE, text=True)
        self.addCleanup(proc.stdout.close)
        url = proc.stdout.readline().strip()
        self.assertTrue(url.startswith('http://127.0.0.1:'), url)
        conf = client.Configuration()
        conf.host = url
        conf.api_key = {'authorization': 't0ken'}
        conf.api_key_prefix = {'authorization': 'Bearer'}
        with client.ApiClient(conf) as api_client:
            names = [n.metadata.name for n in
                     client.CoreV1Api(api_client).list_namespace().items]
        self.assertIn('default', names)
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(0, proc.wait(timeout=10))
