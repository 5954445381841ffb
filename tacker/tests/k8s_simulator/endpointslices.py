"""EndpointSlice controller: for each Service with a selector, one
EndpointSlice (discovery.k8s.io/v1) listing the Pods it selects.

The slice is named ``<service>-<suffix>``, labelled with
``kubernetes.io/service-name`` and ``endpointslice.kubernetes.io/
managed-by: endpointslice-controller.k8s.io`` (plus the Service's own
labels), owned by the Service (controller ownerReference, so the garbage
collector removes it with the Service) and of addressType IPv4. Its ports
are the Service's target ports as the Endpoints controller resolves them.

Each Pod with an IP, not in a terminal phase, is one endpoint with
conditions ``serving`` (the Pod's Ready condition), ``terminating`` (the
Pod has a deletionTimestamp) and ``ready`` (serving and not terminating;
always true when the Service publishes not-ready addresses), its
nodeName and a targetRef to the Pod. A terminating Pod stays listed until
it is gone. The slice is written only when something in it changed.
Slices of a Service whose selector is removed are left as they are, as
the real controller leaves them.
"""
from tacker.tests.k8s_simulator import api_resources as ar
from tacker.tests.k8s_simulator import replicasets
from tacker.tests.k8s_simulator import selectors
from tacker.tests.k8s_simulator import services

SERVICE_NAME_LABEL = 'kubernetes.io/service-name'
MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by'
CONTROLLER_NAME = 'endpointslice-controller.k8s.io'
HEADLESS_LABEL = 'service.kubernetes.io/headless'


def _labels(service):
    labels = dict(service['metadata'].get('labels') or {})
    labels[SERVICE_NAME_LABEL] = service['metadata']['name']
    labels[MANAGED_BY_LABEL] = CONTROLLER_NAME
    if service['spec'].get('clusterIP') == 'None':
        labels[HEADLESS_LABEL] = ''
    return labels


def _endpoint(service, pod):
    meta, spec = pod['metadata'], pod['spec']
    serving = any(c.get('type') == 'Ready' and c.get('status') == 'True'
                  for c in pod['status'].get('conditions') or [])
    terminating = bool(meta.get('deletionTimestamp'))
    ready = serving and not terminating
    if service['spec'].get('publishNotReadyAddresses'):
        ready = True
    endpoint = {'addresses': [pod['status']['podIP']],
                'conditions': {'ready': ready, 'serving': serving,
                               'terminating': terminating},
                'targetRef': {'kind': 'Pod', 'namespace': meta['namespace'],
                              'name': meta['name'], 'uid': meta['uid']}}
    if spec.get('nodeName'):
        endpoint['nodeName'] = spec['nodeName']
    if spec.get('hostname') and \
            spec.get('subdomain') == service['metadata']['name']:
        endpoint['hostname'] = spec['hostname']
    return endpoint


def _ports(service, pods):
    """The slice's ports, resolved on the first Pod that has any."""
    for pod in pods:
        ports = []
        for port, target in services.resolve_ports(service, pod):
            entry = {'name': port.get('name', ''), 'port': target,
                     'protocol': port.get('protocol', 'TCP')}
            if port.get('appProtocol'):
                entry['appProtocol'] = port['appProtocol']
            ports.append(entry)
        if ports:
            return ports
    return []


class EndpointSliceController:

    def __init__(self, store, api):
        self.store = store
        self.api = api

    def sync(self):
        pods = [p for p in self.store.list(ar.PODS)[0]
                if p['status'].get('podIP') and p['status'].get('phase')
                not in ('Succeeded', 'Failed')]
        terminating = {ns['metadata']['name'] for ns in
                       self.store.list(ar.NAMESPACES)[0]
                       if ns['metadata'].get('deletionTimestamp')}
        owned = {}
        for eps in self.store.list(ar.ENDPOINTSLICES)[0]:
            labels = eps['metadata'].get('labels') or {}
            if labels.get(MANAGED_BY_LABEL) == CONTROLLER_NAME:
                owned.setdefault(replicasets.controller_uid(eps),
                                 []).append(eps)
        for service in self.store.list(ar.SERVICES)[0]:
            meta = service['metadata']
            selector = service['spec'].get('selector')
            if not selector or meta.get('deletionTimestamp'):
                continue
            selected = sorted(
                (p for p in pods
                 if p['metadata']['namespace'] == meta['namespace']
                 and selectors.selector_matches(
                     {'matchLabels': selector},
                     p['metadata'].get('labels'))),
                key=lambda p: p['metadata']['name'])
            self._sync_one(service, selected, owned.get(meta['uid'], []),
                           meta['namespace'] in terminating)

    def _sync_one(self, service, pods, slices, terminating):
        wanted = {'addressType': 'IPv4',
                  'endpoints': [_endpoint(service, p) for p in pods],
                  'ports': _ports(service, pods)}
        labels = _labels(service)
        slices.sort(key=lambda s: (s['metadata']['creationTimestamp'],
                                   s['metadata']['name']))
        for extra in slices[1:]:
            self.store.delete(ar.ENDPOINTSLICES,
                              extra['metadata']['namespace'],
                              extra['metadata']['name'])
        if not slices:
            if terminating:
                return  # nothing new in a namespace being deleted
            meta = service['metadata']
            body = {'apiVersion': ar.ENDPOINTSLICES.api_version,
                    'kind': 'EndpointSlice',
                    'metadata': {
                        'generateName': meta['name'] + '-',
                        'labels': labels,
                        'ownerReferences': [
                            replicasets.owner_reference(service, 'v1')]}}
            body.update(wanted)
            self.api.create(ar.ENDPOINTSLICES, meta['namespace'], body)
            return
        current = slices[0]
        if all(current.get(k) == v for k, v in wanted.items()) and \
                current['metadata'].get('labels') == labels:
            return
        current.update(wanted)
        current['metadata']['labels'] = labels
        self.store.update(ar.ENDPOINTSLICES, current)
