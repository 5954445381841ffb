"""The simulator behaves as kube-apiserver, kube-controller-manager,
kube-scheduler and the kubelet are documented to behave, checked through
the official kubernetes client. Each test names the documentation page
and section it reproduces."""
import datetime
import functools
import ipaddress

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography import x509
from cryptography.x509.oid import NameOID
from kubernetes import client
from kubernetes import watch

from tacker.tests.k8s_simulator import testcase as h

GATE = 'example.com/load-balancer-ready'


def pod(name, labels=None, **spec):
    body = {'apiVersion': 'v1', 'kind': 'Pod',
            'metadata': {'name': name, 'labels': labels or {'app': name}},
            'spec': {'containers': [{'name': 'app', 'image': 'nginx:1.25'}]}}
    body['spec'].update(spec)
    return body


@functools.lru_cache()
def ca_pem():
    """A real, self-signed CA certificate (PEM), made once per process."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                         'simulator test CA')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder()
            .subject_name(name).issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None),
                           critical=True)
            .sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def conditions(pod_obj):
    return {c.type: c for c in pod_obj.status.conditions or []}


class ConformanceTestCase(h.SimulatorTestCase):

    sim_kwargs = {'pod_ready_delay': 0.05, 'pod_terminate_delay': 0.05}

    def watch_pod(self, name, predicate, timeout=15):
        """Watch one Pod until predicate(pod) holds; return it."""
        w = watch.Watch()
        for event in w.stream(self.core.list_namespaced_pod, self.ns,
                              field_selector='metadata.name=' + name,
                              timeout_seconds=timeout):
            if event['type'] != 'DELETED' and predicate(event['object']):
                w.stop()
                return event['object']
        self.fail('pod %s never reached the expected state' % name)

    def set_gate(self, name, status):
        self.core.patch_namespaced_pod_status(name, self.ns, {
            'status': {'conditions': [{'type': GATE, 'status': status}]}})


class TestReadinessGates(ConformanceTestCase):
    """Pod readiness gates, as the kubelet evaluates them.

    https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/
    #pod-readiness-gate, sections "Pod readiness" and "Status for Pod
    readiness": a Pod listing readinessGates is Ready only when all its
    containers are ready AND every gate's condition in status.conditions
    is "True"; a missing condition counts as "False". While the
    containers are ready but a gate is not, the kubelet sets
    ContainersReady True and Ready False. Conditions of other types are
    set by others through the status subresource (PATCH .../status).
    """

    def test_ready_waits_for_the_gate(self):
        self.core.create_namespaced_pod(self.ns, pod(
            'gated', readinessGates=[{'conditionType': GATE}]))
        running = self.watch_pod('gated', lambda p: 'ContainersReady' in
                                 conditions(p))
        got = conditions(running)
        self.assertEqual('True', got['ContainersReady'].status)
        self.assertEqual(('False', 'ReadinessGatesNotReady',
                          'corresponding condition of pod readiness gate '
                          '"%s" does not exist.' % GATE),
                         (got['Ready'].status, got['Ready'].reason,
                          got['Ready'].message))

        self.set_gate('gated', 'False')
        blocked = self.watch_pod('gated', lambda p: 'is not' in (
            conditions(p)['Ready'].message or ''))
        self.assertEqual(
            'the status of pod readiness gate "%s" is not "True", but '
            'False' % GATE, conditions(blocked)['Ready'].message)
        self.assertEqual('False', conditions(blocked)['Ready'].status)

        self.set_gate('gated', 'True')
        ready = self.watch_pod('gated', lambda p: conditions(p)[
            'Ready'].status == 'True')
        got = conditions(ready)
        # The kubelet kept the condition somebody else wrote.
        self.assertEqual('True', got[GATE].status)
        self.assertEqual('True', got['ContainersReady'].status)
        self.assertIsNone(got['Ready'].reason)

        self.set_gate('gated', 'False')
        again = self.watch_pod('gated', lambda p: conditions(p)[
            'Ready'].status == 'False')
        self.assertEqual('ReadinessGatesNotReady',
                         conditions(again)['Ready'].reason)
        self.assertEqual('True', conditions(again)['ContainersReady'].status)

    def test_two_gates_are_reported_together(self):
        other = 'example.com/other'
        self.core.create_namespaced_pod(self.ns, pod(
            'two', readinessGates=[{'conditionType': GATE},
                                   {'conditionType': other}]))
        self.set_gate('two', 'True')
        got = self.watch_pod('two', lambda p: 'ContainersReady' in
                             conditions(p) and GATE in conditions(p))
        self.assertEqual('corresponding condition of pod readiness gate '
                         '"%s" does not exist.' % other,
                         conditions(got)['Ready'].message)

    def test_workloads_count_gated_pods_as_not_ready(self):
        """Workloads count only Ready Pods as ready and available.

        ReplicaSet and Deployment readyReplicas/availableReplicas count
        Pods whose Ready condition is True (same page, "Pod readiness";
        https://kubernetes.io/docs/concepts/workloads/controllers/
        deployment/#deployment-status, "Deployment status").
        """
        body = h.deployment('gated', replicas=2)
        body['spec']['template']['spec']['readinessGates'] = [
            {'conditionType': GATE}]
        self.apps.create_namespaced_deployment(self.ns, body)

        def containers_ready():
            pods = self.pods('app=gated')
            return len(pods) == 2 and all(
                conditions(p).get('ContainersReady') and conditions(p)[
                    'ContainersReady'].status == 'True' for p in pods) \
                and pods
        pods = self.wait_for(containers_ready, what='containers ready')
        d = self.watch_deployment('gated', lambda d: d.status.replicas == 2)
        self.assertIsNone(d.status.ready_replicas)
        self.assertIsNone(d.status.available_replicas)
        self.assertEqual(2, d.status.unavailable_replicas)

        self.set_gate(pods[0].metadata.name, 'True')
        d = self.watch_deployment(
            'gated', lambda d: d.status.available_replicas == 1)
        self.assertEqual(1, d.status.ready_replicas)
        [rs] = self.apps.list_namespaced_replica_set(
            self.ns, label_selector='app=gated').items
        self.assertEqual((1, 1), (rs.status.ready_replicas,
                                  rs.status.available_replicas))


class TestNodeSelector(ConformanceTestCase):
    """Scheduling onto the one node by its labels.

    https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/
    #nodeselector, section "nodeSelector": Kubernetes only schedules the
    Pod onto nodes that have each of the labels you specify; the node
    carries the well-known labels of
    https://kubernetes.io/docs/reference/labels-annotations-taints/
    (kubernetes.io/hostname, kubernetes.io/os, kubernetes.io/arch).
    https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/
    #pod-conditions, section "Pod conditions": PodScheduled tells whether
    the Pod has been scheduled to a node; a Pod that cannot be scheduled
    stays Pending (section "Pod phase") with PodScheduled False, reason
    Unschedulable, the reason kube-scheduler reports.
    """

    def test_unmatched_selector_stays_pending_and_unscheduled(self):
        self.core.create_namespaced_pod(self.ns, pod(
            'picky', nodeSelector={'disktype': 'ssd'}))
        got = self.watch_pod('picky', lambda p: 'PodScheduled' in
                             conditions(p))
        scheduled = conditions(got)['PodScheduled']
        self.assertEqual(
            ('False', 'Unschedulable',
             "0/1 nodes are available: 1 node(s) didn't match Pod's node "
             "affinity/selector. preemption: 0/1 nodes are available: 1 "
             "Preemption is not helpful for scheduling."),
            (scheduled.status, scheduled.reason, scheduled.message))
        # A Pod created after it gets scheduled and runs; by then the
        # scheduler has seen the first one again and left it alone.
        self.core.create_namespaced_pod(self.ns, pod(
            'easy', nodeSelector={'kubernetes.io/os': 'linux'}))
        self.watch_pod('easy', lambda p: p.status.phase == 'Running')
        got = self.core.read_namespaced_pod('picky', self.ns)
        self.assertEqual('Pending', got.status.phase)
        self.assertIsNone(got.spec.node_name)
        self.assertIsNone(got.status.host_ip)
        self.assertEqual(['PodScheduled'],
                         [c.type for c in got.status.conditions])
        self.assertEqual(scheduled.last_transition_time,
                         conditions(got)['PodScheduled'].last_transition_time)

    def test_matching_selector_runs_on_the_node(self):
        self.core.create_namespaced_pod(self.ns, pod(
            'fits', nodeSelector={'kubernetes.io/hostname': 'sim-node-1',
                                  'kubernetes.io/os': 'linux',
                                  'kubernetes.io/arch': 'amd64'}))
        got = self.watch_pod('fits', lambda p: p.status.phase == 'Running')
        self.assertEqual('sim-node-1', got.spec.node_name)
        self.assertEqual('True', conditions(got)['PodScheduled'].status)
        self.assertEqual('10.0.0.10', got.status.host_ip)
        self.assertEqual([{'ip': '10.0.0.10'}],
                         [a.to_dict() for a in got.status.host_ips])
        address = ipaddress.ip_address(got.status.pod_ip)
        self.assertIn(address, ipaddress.ip_network('10.244.0.0/16'))
        self.assertFalse(address.is_loopback)

    def test_pod_for_another_scheduler_is_left_alone(self):
        """A Pod naming another scheduler is not scheduled by this one.

        https://kubernetes.io/docs/tasks/extend-kubernetes/
        configure-multiple-schedulers/, section "Specify schedulers for
        pods": a Pod is scheduled by the scheduler its spec.schedulerName
        names, so the default scheduler leaves a Pod naming another one
        alone (Pending, unbound).
        """
        self.core.create_namespaced_pod(self.ns, pod(
            'theirs', schedulerName='my-scheduler'))
        self.core.create_namespaced_pod(self.ns, pod('ours'))
        self.watch_pod('ours', lambda p: p.status.phase == 'Running')
        got = self.core.read_namespaced_pod('theirs', self.ns)
        self.assertEqual(('Pending', None, None),
                         (got.status.phase, got.spec.node_name,
                          got.status.conditions))

    def test_deployment_with_unmatched_selector_is_unavailable(self):
        body = h.deployment('nowhere', replicas=2)
        body['spec']['template']['spec']['nodeSelector'] = {
            'kubernetes.io/arch': 'arm64'}
        self.apps.create_namespaced_deployment(self.ns, body)
        d = self.watch_deployment('nowhere',
                                  lambda d: d.status.replicas == 2)
        self.assertIsNone(d.status.available_replicas)
        self.assertEqual(2, d.status.unavailable_replicas)
        for p in self.pods('app=nowhere'):
            self.assertEqual('Pending', p.status.phase)
            self.assertIsNone(p.spec.node_name)


class TestMissingNamespace(ConformanceTestCase):
    """Reads in a namespace that does not exist are not refused.

    https://kubernetes.io/docs/reference/access-authn-authz/
    admission-controllers/, section "What are they?": admission
    controllers do not (and cannot) block requests to read (get, watch or
    list) objects; section "NamespaceLifecycle": it rejects requests in a
    non-existent namespace, i.e. writes. So a list or watch there is an
    ordinary, empty answer, a get is the object's own NotFound and a
    create is NotFound for the namespace.
    """

    def test_list_is_empty(self):
        pods = self.core.list_namespaced_pod('absent')
        self.assertEqual([], pods.items)
        self.assertTrue(pods.metadata.resource_version)
        self.assertEqual([], self.apps.list_namespaced_deployment(
            'absent').items)
        code, body = self.raw('GET', '/api/v1/namespaces/absent/configmaps')
        self.assertEqual(200, code)
        self.assertEqual(('ConfigMapList', []), (body['kind'], body['items']))

    def test_watch_is_accepted_and_sees_later_objects(self):
        w = watch.Watch()
        self.assertEqual([], list(w.stream(
            self.core.list_namespaced_config_map, 'absent',
            timeout_seconds=1)))
        rv = self.core.list_namespaced_config_map(
            'absent').metadata.resource_version
        self.core.create_namespace({'metadata': {'name': 'absent'}})
        self.core.create_namespaced_config_map(
            'absent', {'metadata': {'name': 'late'}})
        w = watch.Watch()
        events = []
        for event in w.stream(self.core.list_namespaced_config_map,
                              'absent', resource_version=rv,
                              field_selector='metadata.name=late',
                              timeout_seconds=10):
            events.append((event['type'], event['object'].metadata.name))
            w.stop()
        self.assertEqual([('ADDED', 'late')], events)

    def test_get_is_not_found_for_the_object(self):
        exc = self.assertRaises(
            client.ApiException, self.core.read_namespaced_config_map,
            'cfg', 'absent')
        self.assertEqual(404, exc.status)
        self.assertEqual(
            {'kind': 'Status', 'apiVersion': 'v1', 'metadata': {},
             'status': 'Failure', 'message': 'configmaps "cfg" not found',
             'reason': 'NotFound',
             'details': {'name': 'cfg', 'kind': 'configmaps'},
             'code': 404}, h.status_of(exc))

    def test_create_is_not_found_for_the_namespace(self):
        exc = self.assertRaises(
            client.ApiException, self.apps.create_namespaced_deployment,
            'absent', h.deployment('web'))
        self.assertEqual(404, exc.status)
        self.assertEqual(
            {'kind': 'Status', 'apiVersion': 'v1', 'metadata': {},
             'status': 'Failure', 'message': 'namespaces "absent" not found',
             'reason': 'NotFound',
             'details': {'name': 'absent', 'kind': 'namespaces'},
             'code': 404}, h.status_of(exc))


class TestNamespaceTermination(ConformanceTestCase):
    """A namespace being deleted refuses new content and goes last.

    https://kubernetes.io/docs/tasks/administer-cluster/namespaces/
    #deleting-a-namespace, section "Deleting a namespace": this deletes
    everything under the namespace; the delete is asynchronous, so for a
    time the namespace is in the Terminating state.
    https://kubernetes.io/docs/reference/access-authn-authz/
    admission-controllers/#namespacelifecycle, section
    "NamespaceLifecycle": a namespace undergoing termination cannot have
    new objects created in it.
    """

    sim_kwargs = {'pod_ready_delay': 0.05, 'pod_terminate_delay': 0.3}
    doomed = 'doomed'

    def setUp(self):
        super().setUp()
        self.core.create_namespace({'metadata': {'name': self.doomed}})
        self.apps.create_namespaced_deployment(
            self.doomed, h.deployment('web', replicas=2))
        self.wait_for(lambda: [
            p for p in self.core.list_namespaced_pod(self.doomed).items
            if p.status.phase == 'Running'][1:], what='two running pods')

    def test_creates_are_forbidden_while_terminating(self):
        self.core.delete_namespace(self.doomed)
        ns = self.core.read_namespace(self.doomed)
        self.assertEqual('Terminating', ns.status.phase)
        self.assertIsNotNone(ns.metadata.deletion_timestamp)
        exc = self.assertRaises(
            client.ApiException, self.core.create_namespaced_config_map,
            self.doomed, {'metadata': {'name': 'late'}})
        self.assertEqual(403, exc.status)
        self.assertEqual(
            {'kind': 'Status', 'apiVersion': 'v1', 'metadata': {},
             'status': 'Failure', 'reason': 'Forbidden', 'code': 403,
             'message': 'configmaps "late" is forbidden: unable to create '
                        'new content in namespace doomed because it is '
                        'being terminated',
             'details': {'name': 'late', 'kind': 'configmaps'}},
            h.status_of(exc))
        exc = self.assertRaises(
            client.ApiException, self.apps.create_namespaced_deployment,
            self.doomed, h.deployment('later'))
        self.assertEqual(
            ('Forbidden', 'deployments.apps "later" is forbidden: unable to '
             'create new content in namespace doomed because it is being '
             'terminated', {'name': 'later', 'group': 'apps',
                            'kind': 'deployments'}),
            tuple(h.status_of(exc)[k] for k in ('reason', 'message',
                                                'details')))

    def test_namespace_goes_after_its_pods(self):
        rv = self.core.list_namespace().metadata.resource_version
        self.core.delete_namespace(self.doomed)
        w = watch.Watch()
        seen = []
        for event in w.stream(self.core.list_namespace, resource_version=rv,
                              field_selector='metadata.name=' + self.doomed,
                              timeout_seconds=15):
            ns = event['object']
            seen.append((event['type'], ns.status.phase))
            if event['type'] == 'DELETED':
                gone_at = int(ns.metadata.resource_version)
                w.stop()
        self.assertEqual(('MODIFIED', 'Terminating'), seen[0])
        self.assertEqual('DELETED', seen[-1][0])
        self.assertEqual([], self.core.list_namespaced_pod(self.doomed).items)
        # Every Pod of the namespace terminated first (deletionTimestamp
        # set, still there), then went, all before the namespace did.
        w = watch.Watch()
        pods = {}
        for event in w.stream(self.core.list_namespaced_pod, self.doomed,
                              resource_version=rv, timeout_seconds=1):
            p = event['object']
            pods.setdefault(p.metadata.name, []).append(
                (event['type'], p.metadata.deletion_timestamp is not None,
                 int(p.metadata.resource_version)))
        self.assertEqual(2, len(pods))
        for events in pods.values():
            self.assertIn(('MODIFIED', True), [e[:2] for e in events])
            self.assertEqual(('DELETED', True), events[-1][:2])
            self.assertLess(events[-1][2], gone_at)


class TestRootCAConfigMap(ConformanceTestCase):
    """kube-controller-manager publishes the CA bundle in every namespace.

    https://kubernetes.io/docs/reference/access-authn-authz/
    service-accounts-admin/#bound-service-account-token-volume, section
    "Bound service account token volume mechanism": the token volume's
    configMap source is the ConfigMap kube-root-ca.crt, key ca.crt, a
    bundle of certificate authority data that Pods use to verify they
    are connecting to the cluster's kube-apiserver; the control plane
    publishes it in every namespace (root CA certificate publisher of
    kube-controller-manager, which keeps it there and as published).
    """

    name = 'kube-root-ca.crt'

    def setUp(self):
        self.sim_kwargs = dict(self.sim_kwargs, root_ca_pem=ca_pem())
        super().setUp()

    def published(self, namespace, unless_uid=None):
        """The ConfigMap once it holds the CA (and is not unless_uid)."""
        def probe():
            try:
                cm = self.core.read_namespaced_config_map(self.name,
                                                          namespace)
            except client.ApiException as exc:
                if exc.status == 404:
                    return None
                raise
            return (cm.data == {'ca.crt': ca_pem()}
                    and cm.metadata.uid != unless_uid and cm)
        return self.wait_for(probe, what='%s in %s' % (self.name, namespace))

    def test_system_namespaces_have_it_from_the_start(self):
        for ns in ('default', 'kube-system', 'kube-public',
                   'kube-node-lease'):
            cm = self.core.read_namespaced_config_map(self.name, ns)
            self.assertEqual({'ca.crt': ca_pem()}, cm.data)
            cert = x509.load_pem_x509_certificate(cm.data['ca.crt'].encode())
            self.assertTrue(cert.extensions.get_extension_for_class(
                x509.BasicConstraints).value.ca)

    def test_new_namespace_deleted_and_changed(self):
        self.core.create_namespace({'metadata': {'name': 'fresh'}})
        first = self.published('fresh')
        self.assertTrue(first.metadata.annotations[
            'kubernetes.io/description'])

        self.core.delete_namespaced_config_map(self.name, 'fresh')
        again = self.published('fresh', unless_uid=first.metadata.uid)
        self.assertNotEqual(first.metadata.uid, again.metadata.uid)

        rv = again.metadata.resource_version
        self.core.patch_namespaced_config_map(self.name, 'fresh', {
            'data': {'ca.crt': 'not the CA', 'extra': 'x'}})
        w = watch.Watch()
        seen = []
        for event in w.stream(self.core.list_namespaced_config_map,
                              'fresh', resource_version=rv,
                              field_selector='metadata.name=' + self.name,
                              timeout_seconds=10):
            seen.append(event['object'].data)
            if event['object'].data == {'ca.crt': ca_pem()}:
                w.stop()
        self.assertEqual([{'ca.crt': 'not the CA', 'extra': 'x'},
                          {'ca.crt': ca_pem()}], seen)

    def test_not_published_in_a_terminating_namespace(self):
        self.core.create_namespace({'metadata': {'name': 'ending'}})
        self.published('ending')
        # A finalizer keeps the namespace Terminating until it goes.
        self.core.create_namespaced_config_map('ending', {'metadata': {
            'name': 'held', 'finalizers': ['example.com/hold']}})
        self.core.delete_namespace('ending')

        def root_ca_gone():
            try:
                self.core.read_namespaced_config_map(self.name, 'ending')
            except client.ApiException as exc:
                return exc.status == 404
        self.wait_for(root_ca_gone, what='kube-root-ca.crt deleted')
        # Let the control loops go round several times (a Pod elsewhere
        # starting takes a few): the ConfigMap is not published again.
        self.core.create_namespaced_pod(self.ns, pod('elsewhere'))
        self.watch_pod('elsewhere', lambda p: p.status.phase == 'Running')
        self.assertTrue(root_ca_gone())
        self.assertEqual('Terminating',
                         self.core.read_namespace('ending').status.phase)
        self.core.patch_namespaced_config_map(
            'held', 'ending', {'metadata': {'finalizers': None}})

        def namespace_gone():
            try:
                self.core.read_namespace('ending')
            except client.ApiException as exc:
                return exc.status == 404
        self.wait_for(namespace_gone, what='namespace removal')


class TestRootCAConfigMapWithoutCA(ConformanceTestCase):
    """Without a CA given, the ConfigMap is there with an empty ca.crt.

    Same documentation as TestRootCAConfigMap; the simulator makes up no
    CA of its own.
    """

    def test_empty_bundle(self):
        cm = self.core.read_namespaced_config_map('kube-root-ca.crt',
                                                  self.ns)
        self.assertEqual({'ca.crt': ''}, cm.data)


def service(name, selector, **spec):
    body = {'apiVersion': 'v1', 'kind': 'Service',
            'metadata': {'name': name, 'labels': {'tier': 'front'}},
            'spec': {'selector': selector,
                     'ports': [{'name': 'http', 'port': 80,
                                'targetPort': 'http'}]}}
    body['spec'].update(spec)
    return body


def served(name, **kwargs):
    """A Deployment whose Pods serve port 8080, named http."""
    body = h.deployment(name, **kwargs)
    body['spec']['template']['spec']['containers'][0]['ports'] = [
        {'name': 'http', 'containerPort': 8080}]
    return body


def endpoints_of(eps):
    """{pod name: (address, ready, serving, terminating)} of a slice."""
    return {e.target_ref.name: (e.addresses[0], e.conditions.ready,
                                e.conditions.serving,
                                e.conditions.terminating)
            for e in eps.endpoints or []}


class TestEndpointSlices(ConformanceTestCase):
    """The EndpointSlice controller, as documented.

    https://kubernetes.io/docs/concepts/services-networking/
    endpoint-slices/: section "EndpointSlice API": the control plane
    creates EndpointSlices for a Service with a selector, referencing the
    Pods it selects; "Conditions" (#ready, #serving, #terminating): ready
    maps to the Pod's Ready condition and is never true for a terminating
    Pod, serving maps to the Pod's Ready condition also while it
    terminates, terminating is any Pod with a deletion timestamp;
    "Management": the label endpointslice.kubernetes.io/managed-by is
    endpointslice-controller.k8s.io; "Ownership": a slice is owned by its
    Service (ownerReference) and labelled kubernetes.io/service-name.
    https://kubernetes.io/docs/reference/kubernetes-api/service-resources/
    endpoint-slice-v1/ for the fields (addressType, endpoints[].addresses,
    conditions, nodeName, targetRef, ports).
    """

    sim_kwargs = {'pod_ready_delay': 0.05, 'pod_terminate_delay': 0.3}

    def setUp(self):
        super().setUp()
        self.discovery = client.DiscoveryV1Api(self.fx.api_client())

    def watch_slice(self, name, predicate, timeout=15):
        """Watch a Service's slices until predicate(slice) holds."""
        w = watch.Watch()
        for event in w.stream(
                self.discovery.list_namespaced_endpoint_slice, self.ns,
                label_selector='kubernetes.io/service-name=' + name,
                timeout_seconds=timeout):
            if event['type'] != 'DELETED' and predicate(event['object']):
                w.stop()
                return event['object']
        self.fail('no EndpointSlice of %s reached the state' % name)

    def slices(self, name):
        return self.discovery.list_namespaced_endpoint_slice(
            self.ns, label_selector='kubernetes.io/service-name=' +
            name).items

    def ready_slice(self, name, count):
        return self.watch_slice(name, lambda s: len(endpoints_of(s)) ==
                                count and all(e[1] for e in endpoints_of(
                                    s).values()))

    def test_served_in_discovery(self):
        api_client = self.fx.api_client()
        groups = client.ApisApi(api_client).get_api_versions()
        self.assertIn('discovery.k8s.io/v1', [
            v.group_version for g in groups.groups for v in g.versions])
        resources = self.discovery.get_api_resources()
        [res] = [r for r in resources.resources
                 if r.name == 'endpointslices']
        self.assertEqual(('EndpointSlice', True), (res.kind, res.namespaced))
        self.assertIn('watch', res.verbs)

    def test_slice_lists_the_ready_pods_of_a_deployment(self):
        self.apps.create_namespaced_deployment(self.ns, served('web',
                                                               replicas=2))
        svc = self.core.create_namespaced_service(
            self.ns, service('web', {'app': 'web'}))
        eps = self.ready_slice('web', 2)
        self.assertTrue(eps.metadata.name.startswith('web-'))
        self.assertEqual({'kubernetes.io/service-name': 'web',
                          'endpointslice.kubernetes.io/managed-by':
                          'endpointslice-controller.k8s.io',
                          'tier': 'front'}, eps.metadata.labels)
        [ref] = eps.metadata.owner_references
        self.assertEqual(('v1', 'Service', 'web', svc.metadata.uid, True),
                         (ref.api_version, ref.kind, ref.name, ref.uid,
                          ref.controller))
        self.assertEqual('IPv4', eps.address_type)
        self.assertEqual([('http', 8080, 'TCP')],
                         [(p.name, p.port, p.protocol) for p in eps.ports])
        pods = {p.metadata.name: p for p in self.pods('app=web')}
        self.assertEqual({name: (p.status.pod_ip, True, True, False)
                          for name, p in pods.items()}, endpoints_of(eps))
        for endpoint in eps.endpoints:
            pod_obj = pods[endpoint.target_ref.name]
            self.assertEqual('sim-node-1', endpoint.node_name)
            self.assertEqual(('Pod', self.ns, pod_obj.metadata.uid),
                             (endpoint.target_ref.kind,
                              endpoint.target_ref.namespace,
                              endpoint.target_ref.uid))
        # The Endpoints controller still keeps the Endpoints object.
        ep = self.core.read_namespaced_endpoints('web', self.ns)
        self.assertEqual(sorted(p.status.pod_ip for p in pods.values()),
                         sorted(a.ip for a in ep.subsets[0].addresses))

        # Nothing changes: the slice is not written again.
        rv = eps.metadata.resource_version
        self.core.create_namespaced_pod(self.ns, pod('bystander'))
        self.watch_pod('bystander', lambda p: p.status.phase == 'Running')
        [same] = self.slices('web')
        self.assertEqual(rv, same.metadata.resource_version)

        # The slice goes with its Service.
        self.core.delete_namespaced_service('web', self.ns)
        self.wait_for(lambda: not self.slices('web'), what='slice removal')

    def test_scale_down_terminates_then_removes_the_endpoint(self):
        self.apps.create_namespaced_deployment(self.ns, served('web',
                                                               replicas=2))
        self.core.create_namespaced_service(
            self.ns, service('web', {'app': 'web'}))
        first = self.ready_slice('web', 2)
        self.apps.patch_namespaced_deployment_scale(
            'web', self.ns, {'spec': {'replicas': 1}})
        going = self.watch_slice('web', lambda s: any(
            e[3] for e in endpoints_of(s).values()))
        [(name, state)] = [(n, e) for n, e in endpoints_of(going).items()
                           if e[3]]
        self.assertFalse(state[1])  # never ready while terminating
        self.assertTrue(self.core.read_namespaced_pod(
            name, self.ns).metadata.deletion_timestamp)
        gone = self.watch_slice('web', lambda s: len(endpoints_of(s)) == 1)
        self.assertNotIn(name, endpoints_of(gone))
        self.assertEqual(first.metadata.uid, gone.metadata.uid)

    def test_deleted_pod_stays_listed_not_ready_until_gone(self):
        self.core.create_namespaced_pod(self.ns, pod('solo'))
        self.core.create_namespaced_service(
            self.ns, service('solo', {'app': 'solo'},
                             ports=[{'port': 80, 'targetPort': 8080}]))
        eps = self.ready_slice('solo', 1)
        self.assertEqual([('', 8080, 'TCP')],
                         [(p.name, p.port, p.protocol) for p in eps.ports])
        self.core.delete_namespaced_pod('solo', self.ns)
        stopped = self.watch_slice('solo', lambda s: endpoints_of(s).get(
            'solo', (0, 0, True, 0))[2] is False)
        self.assertEqual((False, False, True),
                         endpoints_of(stopped)['solo'][1:])
        empty = self.watch_slice('solo', lambda s: not endpoints_of(s))
        self.assertEqual([], empty.endpoints)
        self.assertEqual(eps.metadata.uid, empty.metadata.uid)

    def test_unmet_readiness_gate_is_listed_not_ready_nor_serving(self):
        self.core.create_namespaced_pod(self.ns, pod(
            'gated', readinessGates=[{'conditionType': GATE}]))
        self.core.create_namespaced_pod(self.ns, pod(
            'unscheduled', labels={'app': 'gated'},
            nodeSelector={'disktype': 'ssd'}))
        self.core.create_namespaced_service(
            self.ns, service('gated', {'app': 'gated'},
                             ports=[{'port': 80}]))
        eps = self.watch_slice('gated', lambda s: 'gated' in endpoints_of(s))
        # The Pod without an IP (never scheduled) is not listed.
        self.assertEqual({'gated': (self.core.read_namespaced_pod(
            'gated', self.ns).status.pod_ip, False, False, False)},
            endpoints_of(eps))
        self.set_gate('gated', 'True')
        eps = self.watch_slice('gated', lambda s: endpoints_of(s).get(
            'gated', (0, False))[1])
        self.assertEqual((True, True, False), endpoints_of(eps)['gated'][1:])

    def test_publish_not_ready_addresses_makes_ready_true(self):
        """Ready is always true when the Service publishes not-ready Pods.

        Same page, #ready: endpoints of a Service with
        spec.publishNotReadyAddresses always have ready set to true.
        """
        self.core.create_namespaced_pod(self.ns, pod(
            'slow', containers=[{'name': 'app',
                                 'image': 'never-ready:1'}]))
        self.core.create_namespaced_service(
            self.ns, service('slow', {'app': 'slow'}, ports=[{'port': 80}],
                             publishNotReadyAddresses=True))
        eps = self.watch_slice('slow', lambda s: 'slow' in endpoints_of(s))
        self.assertEqual((True, False, False),
                         endpoints_of(eps)['slow'][1:])

    def test_headless_service_hostnames(self):
        """A headless Service's slice: labelled so, with Pod hostnames.

        Pods whose subdomain is the Service have their hostname in the
        slice (EndpointSlice API reference, endpoints[].hostname); the
        control plane labels the slices of a headless Service
        service.kubernetes.io/headless
        (https://kubernetes.io/docs/reference/labels-annotations-taints/
        #servicekubernetesioheadless, "Used on: EndpointSlice, Endpoints").
        """
        self.core.create_namespaced_pod(self.ns, pod(
            'db-0', labels={'app': 'db'}, hostname='db-0', subdomain='db'))
        self.core.create_namespaced_service(
            self.ns, service('db', {'app': 'db'}, clusterIP='None',
                             ports=[{'name': 'web', 'port': 80,
                                     'appProtocol': 'http'}]))
        eps = self.ready_slice('db', 1)
        self.assertEqual('db-0', eps.endpoints[0].hostname)
        self.assertEqual('', eps.metadata.labels[
            'service.kubernetes.io/headless'])
        self.assertEqual([('web', 80, 'http')],
                         [(p.name, p.port, p.app_protocol)
                          for p in eps.ports])

    def test_selector_change_moves_the_endpoints(self):
        for name in ('blue', 'green'):
            self.apps.create_namespaced_deployment(
                self.ns, served(name, replicas=1,
                                labels={'app': 'shop', 'colour': name}))
        self.core.create_namespaced_service(
            self.ns, service('shop', {'app': 'shop', 'colour': 'blue'}))
        blue = self.ready_slice('shop', 1)
        [pod_name] = endpoints_of(blue)
        self.assertTrue(pod_name.startswith('blue-'))
        self.core.patch_namespaced_service('shop', self.ns, {
            'spec': {'selector': {'app': 'shop', 'colour': 'green'}}})
        green = self.watch_slice('shop', lambda s: [
            n for n in endpoints_of(s) if n.startswith('green-')])
        self.assertEqual(1, len(endpoints_of(green)))
        self.assertEqual(blue.metadata.uid, green.metadata.uid)
        self.assertEqual(1, len(self.slices('shop')))

    def test_served_like_other_kinds(self):
        labels = {'kubernetes.io/service-name': 'manual'}
        body = {'metadata': {'name': 'manual', 'labels': labels},
                'addressType': 'IPv4',
                'endpoints': [{'addresses': ['10.244.9.9']}],
                'ports': [{'name': 'http', 'port': 8080}]}
        created = self.discovery.create_namespaced_endpoint_slice(self.ns,
                                                                  body)
        got = self.discovery.read_namespaced_endpoint_slice('manual',
                                                            self.ns)
        self.assertEqual(['10.244.9.9'], got.endpoints[0].addresses)
        # Not the controller's: it leaves the slice alone.
        self.core.create_namespaced_pod(self.ns, pod('bystander'))
        self.watch_pod('bystander', lambda p: p.status.phase == 'Running')
        self.assertEqual(created.metadata.resource_version, self.discovery.
                         read_namespaced_endpoint_slice(
                             'manual', self.ns).metadata.resource_version)
        self.discovery.delete_namespaced_endpoint_slice('manual', self.ns)
        self.assertEqual([], self.slices('manual'))
        # The typed client refuses to send a slice without addressType.
        body['metadata']['name'] = 'bad'
        del body['addressType']
        code, status = self.raw(
            'POST', '/apis/discovery.k8s.io/v1/namespaces/default/'
            'endpointslices', body)
        self.assertEqual(422, code)
        self.assertEqual('EndpointSlice.discovery.k8s.io "bad" is invalid: '
                         'addressType: Required value', status['message'])
