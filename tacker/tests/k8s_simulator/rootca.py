"""The root CA publisher of kube-controller-manager.

Every Namespace, the system ones included, gets a ConfigMap
``kube-root-ca.crt`` whose ``data`` is ``{"ca.crt": <PEM>}``: the CA
bundle a client inside the cluster verifies the API server with. The
ConfigMap is created when a Namespace appears, created again when it is
deleted, and its data (and its description annotation) put back when
somebody changes them; nothing is created in a Namespace being
terminated.

The PEM is the ``root_ca_pem`` given to the ControllerManager (and to the
Simulator). Without one (None) ``ca.crt`` is published empty: the
simulator makes up no CA of its own.
"""
from tacker.tests.k8s_simulator import api_resources as ar

NAME = 'kube-root-ca.crt'
DESCRIPTION_KEY = 'kubernetes.io/description'
DESCRIPTION = (
    'Contains a CA bundle that can be used to verify the kube-apiserver '
    'when using internal endpoints such as the internal service IP or '
    'kubernetes.default.svc. No other usage is guaranteed across '
    'distributions of Kubernetes clusters.')


class RootCAPublisher:

    def __init__(self, store, api, root_ca_pem=None):
        self.store = store
        self.api = api
        self.data = {'ca.crt': root_ca_pem or ''}

    def sync(self):
        for ns in self.store.list(ar.NAMESPACES)[0]:
            if ns['metadata'].get('deletionTimestamp') or \
                    ns['status'].get('phase') == 'Terminating':
                continue
            self._publish(ns['metadata']['name'])

    def _publish(self, namespace):
        current = self.store.find(ar.CONFIGMAPS, namespace, NAME)
        if current is None:
            self.api.create(ar.CONFIGMAPS, namespace, {
                'metadata': {'name': NAME,
                             'annotations': {DESCRIPTION_KEY: DESCRIPTION}},
                'data': dict(self.data)})
            return
        annotations = current['metadata'].get('annotations') or {}
        if current.get('data') == self.data and \
                annotations.get(DESCRIPTION_KEY):
            return
        current['data'] = dict(self.data)
        current['metadata'].setdefault('annotations', {})[
            DESCRIPTION_KEY] = DESCRIPTION
        self.store.update(ar.CONFIGMAPS, current)
