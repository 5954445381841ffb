"""Functional tests on a Kubernetes VIM: the simulator behind a fault proxy.

Tests reach the VIM only through its endpoint (the proxy), with the
official client. Set ``TACKER_TEST_KUBERNETES_VIM`` to a vimConnectionInfo
entry (JSON, or a file holding it: vimType, interfaceInfo.endpoint,
accessInfo.bearer_token, optionally interfaceInfo.ssl_ca_cert) and the
same tests run against that cluster instead of the simulator, in its
``default`` namespace (use a cluster of its own: the tests create and
delete Deployments, Services and ConfigMaps there).
"""
import json
import os
import tempfile

import fixtures
import kubernetes

from tacker.tests import fault_proxy
from tacker.tests.functional import base
from tacker.tests.k8s_simulator import fixture as k8s_fixture

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
SAMPLES = os.path.join(REPO, 'samples', 'vnf_packages', 'kubernetes')
V1_FILES = ['Files/kubernetes/configmap.yaml',
            'Files/kubernetes/service.yaml',
            'Files/kubernetes/deployment.yaml']
V2_BLUE_GREEN = ['Files/kubernetes/configmap.yaml',
                 'Files/kubernetes/service.yaml',
                 'Files/kubernetes/blue_green/deployment.yaml']
V2_ROLLING = ['Files/kubernetes/configmap.yaml',
              'Files/kubernetes/service.yaml',
              'Files/kubernetes/rolling_update/deployment.yaml']
NAMESPACE = 'default'


def _build_tool():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        'build_vnf_package', os.path.join(REPO, 'tools',
                                          'build_vnf_package.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fixtures_tempdir():
    return fixtures.TempDir()


class KubernetesTestCase(base.FunctionalTestCase):
    service_options = {('kubernetes_vim', 'rollout_timeout'): '20',
                       ('kubernetes_vim', 'delete_timeout'): '20',
                       ('kubernetes_vim', 'read_timeout'): '5'}

    def setUp(self):
        given = os.environ.get('TACKER_TEST_KUBERNETES_VIM', '').strip()
        if given:
            if not given.startswith('{'):
                with open(given) as f:
                    given = f.read()
            self.k8s_vim = json.loads(given)
        else:
            sim = self.useFixture(k8s_fixture.SimulatorFixture(
                pod_ready_delay=0.05, pod_terminate_delay=0.05))
            self.k8s_vim = {
                'vimId': 'k8s-sim', 'vimType': 'kubernetes',
                'interfaceInfo': {'endpoint': sim.base_url,
                                  'ssl_ca_cert': sim.ca_pem},
                'accessInfo': {'bearer_token': sim.token}}
        upstream = self.k8s_vim['interfaceInfo']['endpoint']
        access = self.k8s_vim.get('accessInfo') or {}
        self.token = access.get('bearer_token')
        files = self._pem_files(
            ca=self.k8s_vim['interfaceInfo'].get('ssl_ca_cert'),
            cert=access.get('client_cert'), key=access.get('client_key'))
        # The proxy terminates TLS with a CA of its own (given to Tacker
        # and the scripts) and verifies the cluster with the cluster's; a
        # client certificate is presented upstream by the proxy.
        self.proxy = self.useFixture(fault_proxy.FaultProxyFixture(
            upstream, ca_file=files.get('ca'), cert_file=files.get('cert'),
            key_file=files.get('key'), tls=True)).proxy
        super().setUp()
        conf = kubernetes.client.Configuration()
        conf.host = upstream
        if self.token:
            conf.api_key = {'authorization': 'Bearer ' + self.token}
        conf.ssl_ca_cert = files.get('ca')
        conf.cert_file, conf.key_file = files.get('cert'), files.get('key')
        api = kubernetes.client.ApiClient(conf)
        self.addCleanup(api.close)
        self.core = kubernetes.client.CoreV1Api(api)
        self.apps = kubernetes.client.AppsV1Api(api)

    def _pem_files(self, **pems):
        directory = self.useFixture(fixtures.TempDir()).path
        files = {}
        for name, text in pems.items():
            if text:
                files[name] = os.path.join(directory, name + '.pem')
                with open(files[name], 'w') as f:
                    f.write(text)
        return files

    def vim_connection_info(self):
        """The VIM as Tacker reaches it.

        Through the proxy, verified with the proxy's CA.
        """
        vim = json.loads(json.dumps(self.k8s_vim))
        vim['interfaceInfo'] = {'endpoint': self.proxy.base_url,
                                'ssl_ca_cert': self.proxy.ca_pem}
        return {'vim1': vim}

    def onboard_sample(self, version, edit=None):
        tool = _build_tool()
        src = os.path.join(SAMPLES, version)
        with tempfile.TemporaryDirectory() as work:
            if edit is not None:
                import shutil
                copy = os.path.join(work, 'src')
                shutil.copytree(src, copy)
                edit(copy)
                src = copy
            out = os.path.join(work, 'pkg.zip')
            tool.build_package(src, out)
            with open(out, 'rb') as f:
                content = f.read()
        return self.upload_package(content)

    def instantiate(self, pkg, files=None):
        resp = self.client.request('POST', '/vnflcm/v2/vnf_instances',
                                   {'vnfdId': pkg['vnfdId'],
                                    'vnfInstanceName': 'nginx'})
        self.assertEqual(201, resp.status_code, resp.text)
        inst = resp.body
        occ_id = self.start_op(inst['id'], 'instantiate', {
            'flavourId': 'simple',
            'vimConnectionInfo': self.vim_connection_info(),
            'additionalParams': {
                'lcm-kubernetes-def-files': files or V1_FILES,
                'namespace': NAMESPACE}})
        self.client.wait_op(occ_id, ['COMPLETED'])
        return self.show(inst['id'])

    def show(self, inst_id):
        resp = self.client.request('GET',
                                   '/vnflcm/v2/vnf_instances/' + inst_id)
        self.assertEqual(200, resp.status_code)
        return resp.body

    def ready_pods(self, deployment):
        dep = self.apps.read_namespaced_deployment(deployment, NAMESPACE)
        selector = ','.join('%s=%s' % kv for kv in sorted(
            dep.spec.selector.match_labels.items()))
        pods = self.core.list_namespaced_pod(NAMESPACE,
                                             label_selector=selector)
        return sorted(p.metadata.name for p in pods.items
                      if not p.metadata.deletion_timestamp)

    def deployments(self):
        return sorted(d.metadata.name for d in
                      self.apps.list_namespaced_deployment(NAMESPACE).items)

    def service_selector(self, name='nginx'):
        return self.core.read_namespaced_service(name, NAMESPACE).spec.selector
