"""Shared pieces of the simulator tests: a base class and waiting helpers
that watch or back off (no fixed sleeps)."""
import json
import time
import urllib.error
import urllib.request

from kubernetes import client
from kubernetes import watch
import testtools

from tacker.tests.k8s_simulator import fixture


def deployment(name, replicas=3, image='nginx:1.25', labels=None,
               strategy=None, **spec):
    labels = labels or {'app': name}
    body = {'apiVersion': 'apps/v1', 'kind': 'Deployment',
            'metadata': {'name': name},
            'spec': {'replicas': replicas,
                     'selector': {'matchLabels': dict(labels)},
                     'template': {
                         'metadata': {'labels': dict(labels)},
                         'spec': {'containers': [
                             {'name': 'app', 'image': image}]}}}}
    if strategy:
        body['spec']['strategy'] = strategy
    body['spec'].update(spec)
    return body


def status_of(exc):
    """The Status body of an ApiException."""
    return json.loads(exc.body)


class SimulatorTestCase(testtools.TestCase):

    sim_kwargs = {}
    ns = 'default'

    def setUp(self):
        super().setUp()
        self.fx = self.useFixture(fixture.SimulatorFixture(
            **self.sim_kwargs))
        self.sim = self.fx.sim
        api_client = self.fx.api_client()
        self.apps = client.AppsV1Api(api_client)
        self.core = client.CoreV1Api(api_client)

    def wait_for(self, probe, timeout=10, what='condition'):
        """Call probe() with a short backoff until it returns truthy."""
        deadline = time.monotonic() + timeout
        delay = 0.01
        while True:
            result = probe()
            if result:
                return result
            if time.monotonic() > deadline:
                self.fail('timed out waiting for %s' % what)
            time.sleep(delay)
            delay = min(delay * 2, 0.2)

    def watch_deployment(self, name, predicate, timeout=15):
        """Watch one Deployment until predicate(obj) holds; return it."""
        w = watch.Watch()
        for event in w.stream(self.apps.list_namespaced_deployment,
                              self.ns, field_selector='metadata.name=' +
                              name, timeout_seconds=timeout):
            if predicate(event['object']):
                w.stop()
                return event['object']
        self.fail('deployment %s never reached the expected state' % name)

    def wait_rolled_out(self, name, replicas, timeout=15):
        def done(d):
            s = d.status
            return (s.observed_generation == d.metadata.generation
                    and s.updated_replicas == replicas
                    and s.replicas == replicas
                    and s.available_replicas == replicas
                    and any(c.type == 'Progressing'
                            and c.reason == 'NewReplicaSetAvailable'
                            for c in s.conditions or []))
        return self.watch_deployment(name, done, timeout)

    def ssl_context(self):
        """A client context trusting the simulator's CA (None on HTTP)."""
        return self.sim.ca.client_context() if self.sim.ca else None

    def raw(self, method, path, data=None,
            content_type='application/json'):
        """A request the typed client would refuse to send: (code, body)."""
        if isinstance(data, (dict, list)):
            data = json.dumps(data)
        request = urllib.request.Request(
            self.fx.base_url + path, method=method,
            data=data.encode() if data is not None else None,
            headers={'Authorization': 'Bearer ' + self.fx.token,
                     'Content-Type': content_type})
        try:
            with urllib.request.urlopen(request, timeout=10,
                                        context=self.ssl_context()) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, json.loads(exc.read())

    def pods(self, selector=None):
        return self.core.list_namespaced_pod(
            self.ns, label_selector=selector).items
