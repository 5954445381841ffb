"""Functional tests on a Kubernetes VIM: the simulator behind a fault proxy.

Tests reach the VIM only through its endpoint (the proxy), with the
official client. Set ``TACKER_TEST_KUBERNETES_VIM`` to a vimConnectionInfo
entry (JSON, or a file holding it: vimType, interfaceInfo.endpoint and
ssl_ca_cert for the cluster's CA, accessInfo.bearer_token or
client_cert/client_key) and the same tests run against that cluster
instead of the simulator. Either way the fault proxy in front of it
speaks TLS with a CA of its own, which is what Tacker and the scripts
are given and verify against.

Each test makes a namespace of its own (``tacker-ft-`` and a random
suffix), instantiates its VNF there, and deletes it at the end, waiting
until it is gone; the token needs the right to create and delete
namespaces. Tests assert only about the objects their VNF made, never
that a namespace is otherwise empty (a cluster puts its own objects in
every namespace, such as the ``kube-root-ca.crt`` ConfigMap).
"""
import json
import os
import tempfile
import time
import uuid

import fixtures
import kubernetes
import yaml

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
NAMESPACE_PREFIX = 'tacker-ft-'
# Seconds a test's namespace may take to disappear (a cluster finalizes
# every object in it first).
NAMESPACE_DELETE_TIMEOUT = 120


def _sample_objects():
    """What the sample packages' manifests define.

    Every object by (kind, name), and their Deployments' label selectors.
    """
    refs, selectors = set(), set()
    for version in ('v1', 'v2'):
        top = os.path.join(SAMPLES, version, 'Files', 'kubernetes')
        for folder, _dirs, files in os.walk(top):
            for file_name in files:
                with open(os.path.join(folder, file_name)) as f:
                    for obj in yaml.safe_load_all(f):
                        if not obj:
                            continue
                        refs.add((obj['kind'], obj['metadata']['name']))
                        if obj['kind'] == 'Deployment':
                            selectors.add(','.join(
                                '%s=%s' % kv for kv in sorted(
                                    obj['spec']['selector'][
                                        'matchLabels'].items())))
    return sorted(refs), sorted(selectors)


# What a VNF of the samples may make, whichever package and flow: tests
# look at these, and only these, in their namespace.
VNF_OBJECTS, VNF_SELECTORS = _sample_objects()


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
            self.k8s_vim = sim.vim_info(vim_id='k8s-sim')
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
        self.namespace = self.make_namespace()

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

    # -- the test's namespace --------------------------------------------

    def make_namespace(self):
        """A namespace for this test only, deleted (and waited for) after."""
        name = NAMESPACE_PREFIX + uuid.uuid4().hex[:10]
        self.core.create_namespace({'apiVersion': 'v1', 'kind': 'Namespace',
                                    'metadata': {'name': name}})
        self.addCleanup(self.delete_namespace, name)
        return name

    def delete_namespace(self, name):
        try:
            self.core.delete_namespace(name)
        except kubernetes.client.exceptions.ApiException as e:
            if e.status != 404:
                raise
        # A watch on the one namespace until DELETED; a listing first, as
        # it may be gone already.
        deadline = time.monotonic() + NAMESPACE_DELETE_TIMEOUT
        selector = 'metadata.name=' + name
        while time.monotonic() < deadline:
            listing = self.core.list_namespace(field_selector=selector)
            if not listing.items:
                return
            watch = kubernetes.watch.Watch()
            left = max(1, int(deadline - time.monotonic()))
            try:
                for event in watch.stream(
                        self.core.list_namespace, field_selector=selector,
                        resource_version=listing.metadata.resource_version,
                        timeout_seconds=left):
                    if event['type'] == 'DELETED':
                        watch.stop()
                        return
            except kubernetes.client.exceptions.ApiException as e:
                # 410: the watch started from a version the server
                # forgot; list again.
                if e.status != 410:
                    raise
        self.fail('namespace %s was not gone within %ss' % (
            name, NAMESPACE_DELETE_TIMEOUT))

    # -- the VNF -----------------------------------------------------------

    def instantiate_params(self, files=None):
        """additionalParams of an instantiate in the test's namespace."""
        return {'lcm-kubernetes-def-files': files or V1_FILES,
                'namespace': self.namespace}

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

    def instantiate(self, pkg, files=None, level=None):
        resp = self.client.request('POST', '/vnflcm/v2/vnf_instances',
                                   {'vnfdId': pkg['vnfdId'],
                                    'vnfInstanceName': 'nginx'})
        self.assertEqual(201, resp.status_code, resp.text)
        inst = resp.body
        body = {'flavourId': 'simple',
                'vimConnectionInfo': self.vim_connection_info(),
                'additionalParams': self.instantiate_params(files)}
        if level:
            body['instantiationLevelId'] = level
        occ_id = self.start_op(inst['id'], 'instantiate', body)
        self.client.wait_op(occ_id, ['COMPLETED'])
        return self.show(inst['id'])

    def show(self, inst_id):
        resp = self.client.request('GET',
                                   '/vnflcm/v2/vnf_instances/' + inst_id)
        self.assertEqual(200, resp.status_code)
        return resp.body

    # -- what the cluster holds, in the test's namespace -----------------

    def selector(self, deployment):
        """The label selector of a Deployment, as a query string."""
        dep = self.apps.read_namespaced_deployment(deployment, self.namespace)
        return ','.join('%s=%s' % kv for kv in sorted(
            dep.spec.selector.match_labels.items()))

    def pods(self, selector):
        """Names of the Pods a selector picks, on their way out or not."""
        return sorted(p.metadata.name for p in self.core.list_namespaced_pod(
            self.namespace, label_selector=selector).items)

    def ready_pods(self, deployment):
        pods = self.core.list_namespaced_pod(
            self.namespace, label_selector=self.selector(deployment))
        return sorted(p.metadata.name for p in pods.items
                      if not p.metadata.deletion_timestamp)

    def owned_pods(self, deployment):
        """Live Pods of a Deployment, by ownerReferences (not labels).

        Through its ReplicaSets, as a cluster's garbage collector sees it:
        Pods of another Deployment with the same labels are not counted.
        """
        dep = self.apps.read_namespaced_deployment(deployment, self.namespace)
        replica_sets = {
            rs.metadata.uid for rs in
            self.apps.list_namespaced_replica_set(self.namespace).items
            if any(o.controller and o.uid == dep.metadata.uid
                   for o in rs.metadata.owner_references or [])}
        return sorted(
            p.metadata.name for p in
            self.core.list_namespaced_pod(self.namespace).items
            if not p.metadata.deletion_timestamp and
            any(o.controller and o.uid in replica_sets
                for o in p.metadata.owner_references or []))

    def deployments(self):
        """The sample packages' Deployments the namespace holds."""
        return self.present('Deployment')

    def config_maps(self):
        return self.present('ConfigMap')

    def present(self, kind):
        return sorted(name for k, name in VNF_OBJECTS
                      if k == kind and self.exists(k, name))

    def vnf_pods(self):
        """The Pods any Deployment of the sample packages selects."""
        return sorted({pod for selector in VNF_SELECTORS
                       for pod in self.pods(selector)})

    def remaining(self):
        """What the namespace still holds of the VNF: objects and Pods."""
        return ([ref for ref in VNF_OBJECTS if self.exists(*ref)] +
                [('Pod', pod) for pod in self.vnf_pods()])

    def service_selector(self, name='nginx'):
        return self.core.read_namespaced_service(
            name, self.namespace).spec.selector

    def exists(self, kind, name):
        """Whether the test's namespace holds the named object.

        Deployment, Service or ConfigMap; one being deleted still counts.
        """
        read = {'Deployment': self.apps.read_namespaced_deployment,
                'Service': self.core.read_namespaced_service,
                'ConfigMap': self.core.read_namespaced_config_map}[kind]
        try:
            read(name, self.namespace)
        except kubernetes.client.exceptions.ApiException as e:
            if e.status == 404:
                return False
            raise
        return True

    def assertGone(self, *refs):
        """Each (kind, name) is absent from the namespace."""
        self.assertEqual([], [ref for ref in refs if self.exists(*ref)])
