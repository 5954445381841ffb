"""Endpoints for Services with a selector, and ClusterIP allocation."""
import ipaddress
import threading

from tacker.tests.k8s_simulator import api_resources as ar
from tacker.tests.k8s_simulator import kubelet
from tacker.tests.k8s_simulator import selectors


class ClusterIPs:
    """Addresses for Services out of 10.96.0.0/16 (a record only)."""

    def __init__(self, store, cidr='10.96.0.0/16'):
        self.store = store
        self.network = ipaddress.ip_network(cidr)
        self._lock = threading.Lock()

    def allocate(self):
        with self._lock:
            used = {s['spec'].get('clusterIP')
                    for s in self.store.list(ar.SERVICES)[0]}
            for ip in self.network.hosts():
                if int(ip) - int(self.network.network_address) < 10:
                    continue  # the first addresses are for the system
                if str(ip) not in used:
                    return str(ip)
        raise RuntimeError('service IP range exhausted')


def resolve_ports(service, pod):
    """(Service port, target port number) for each port the Pod serves.

    A named targetPort is looked up among the Pod's container ports; a
    Service port the Pod has no such name for is left out.
    """
    pairs = []
    for port in service['spec'].get('ports') or []:
        target = port.get('targetPort', port['port'])
        if isinstance(target, str):
            target = next((p['containerPort']
                           for c in pod['spec'].get('containers') or []
                           for p in c.get('ports') or []
                           if p.get('name') == target), None)
            if target is None:
                continue
        pairs.append((port, target))
    return pairs


def _endpoint_ports(service, pod):
    ports = []
    for port, target in resolve_ports(service, pod):
        entry = {'port': target, 'protocol': port.get('protocol', 'TCP')}
        if port.get('name'):
            entry['name'] = port['name']
        ports.append(entry)
    return ports


class EndpointsController:

    def __init__(self, store, api):
        self.store = store
        self.api = api
        self._managed = set()

    def sync(self):
        pods = [p for p in self.store.list(ar.PODS)[0]
                if p['status'].get('podIP')]
        services = self.store.list(ar.SERVICES)[0]
        wanted = {(s['metadata']['namespace'], s['metadata']['name'])
                  for s in services if s['spec'].get('selector')}
        for key in self._managed - wanted:
            if self.store.find(ar.ENDPOINTS, *key) is not None:
                self.store.delete(ar.ENDPOINTS, *key)
        self._managed = wanted
        for service in services:
            selector = service['spec'].get('selector')
            if not selector:
                continue
            self._sync_one(service, [
                p for p in pods
                if p['metadata']['namespace'] ==
                service['metadata']['namespace']
                and selectors.selector_matches({'matchLabels': selector},
                                               p['metadata'].get('labels'))
            ])

    def _sync_one(self, service, pods):
        meta = service['metadata']
        ready, not_ready, ports = [], [], []
        for pod in sorted(pods, key=lambda p: p['metadata']['name']):
            address = {'ip': pod['status']['podIP'],
                       'nodeName': pod['spec'].get('nodeName'),
                       'targetRef': {
                           'kind': 'Pod', 'name': pod['metadata']['name'],
                           'namespace': pod['metadata']['namespace'],
                           'uid': pod['metadata']['uid']}}
            usable = kubelet.is_ready(pod) and not \
                pod['metadata'].get('deletionTimestamp')
            (ready if usable else not_ready).append(address)
            ports = ports or _endpoint_ports(service, pod)
        subset = {}
        if ready:
            subset['addresses'] = ready
        if not_ready:
            subset['notReadyAddresses'] = not_ready
        body = {'apiVersion': 'v1', 'kind': 'Endpoints',
                'metadata': {'name': meta['name'],
                             'namespace': meta['namespace'],
                             'labels': dict(meta.get('labels') or {})}}
        if subset and ports:
            subset['ports'] = ports
            body['subsets'] = [subset]
        current = self.store.find(ar.ENDPOINTS, meta['namespace'],
                                  meta['name'])
        if current is None:
            self.api.create(ar.ENDPOINTS, meta['namespace'], body)
        elif current.get('subsets') != body.get('subsets') or \
                current['metadata'].get('labels') != \
                body['metadata']['labels']:
            current['metadata']['labels'] = body['metadata']['labels']
            current.pop('subsets', None)
            if 'subsets' in body:
                current['subsets'] = body['subsets']
            self.store.update(ar.ENDPOINTS, current)
