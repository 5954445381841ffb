"""CoordinateVNF for the new nginx VNF: point its Service at the new Pods.

The contract is in the user guide ("CoordinateVNF scripts"). Tacker calls
CoordinateNewVnf().coordinate(request) once the new Deployment is rolled
out; this moves the selector of every Service of the VNF to the labels
that select the new Pods, then checks that the Service now selects them.
"""
import kubernetes

CONNECT_TIMEOUT = 10
READ_TIMEOUT = 30


def api_client(vim_connection_info):
    vim = next(iter(vim_connection_info.values()))
    conf = kubernetes.client.Configuration()
    conf.host = vim['interfaceInfo']['endpoint']
    token = (vim.get('accessInfo') or {}).get('bearer_token')
    if token:
        conf.api_key = {'authorization': 'Bearer ' + token}
    conf.retries = False
    return kubernetes.client.ApiClient(conf)


def workload_selector(apps, namespace, refs):
    for ref in refs:
        if ref['kind'] == 'Deployment':
            dep = apps.read_namespaced_deployment(
                ref['name'], namespace,
                _request_timeout=(CONNECT_TIMEOUT, READ_TIMEOUT))
            return dep.spec.selector.match_labels
    raise RuntimeError('the new VNF has no Deployment to point at')


class CoordinateNewVnf:
    def coordinate(self, request):
        res = request['resources']
        namespace = res['namespace']
        refs = res.get('newResources') or res.get('resources') or []
        services = [r['name'] for r in
                    (res.get('oldResources') or []) + refs
                    if r['kind'] == 'Service']
        with api_client(request['vimConnectionInfo']) as client:
            core = kubernetes.client.CoreV1Api(client)
            apps = kubernetes.client.AppsV1Api(client)
            selector = workload_selector(apps, namespace, refs)
            for name in sorted(set(services)):
                core.patch_namespaced_service(
                    name, namespace, {'spec': {'selector': selector}},
                    _request_timeout=(CONNECT_TIMEOUT, READ_TIMEOUT))
                print('Service %s now selects %s' % (name, selector))
        return {'services': sorted(set(services)), 'selector': selector}
