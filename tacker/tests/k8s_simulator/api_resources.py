"""The resource types the simulator serves, and API discovery documents."""
import collections

VERSION_INFO = {
    'major': '1', 'minor': '30', 'gitVersion': 'v1.30.0-tacker-sim',
    'gitCommit': '0000000000000000000000000000000000000000',
    'gitTreeState': 'clean', 'buildDate': '2024-04-17T00:00:00Z',
    'goVersion': 'go1.22.2', 'compiler': 'gc', 'platform': 'linux/amd64',
}

_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch',
          'update', 'watch']


class Resource(collections.namedtuple(
        'Resource', 'group version name singular kind namespaced '
        'short_names subresources')):
    """One served resource type (e.g. apps/v1 deployments)."""

    @property
    def api_version(self):
        return '%s/%s' % (self.group, self.version) if self.group \
            else self.version

    @property
    def qualified(self):
        """Name used in messages: "deployments.apps", "pods"."""
        return '%s.%s' % (self.name, self.group) if self.group \
            else self.name

    @property
    def has_status(self):
        return 'status' in self.subresources


RESOURCES = [
    Resource('', 'v1', 'namespaces', 'namespace', 'Namespace', False,
             ['ns'], ('status',)),
    Resource('', 'v1', 'pods', 'pod', 'Pod', True, ['po'], ('status',)),
    Resource('', 'v1', 'services', 'service', 'Service', True, ['svc'],
             ('status',)),
    Resource('', 'v1', 'endpoints', 'endpoints', 'Endpoints', True,
             ['ep'], ()),
    Resource('', 'v1', 'configmaps', 'configmap', 'ConfigMap', True,
             ['cm'], ()),
    Resource('', 'v1', 'secrets', 'secret', 'Secret', True, [], ()),
    Resource('discovery.k8s.io', 'v1', 'endpointslices', 'endpointslice',
             'EndpointSlice', True, [], ()),
    Resource('apps', 'v1', 'deployments', 'deployment', 'Deployment', True,
             ['deploy'], ('status', 'scale')),
    Resource('apps', 'v1', 'replicasets', 'replicaset', 'ReplicaSet',
             True, ['rs'], ('status', 'scale')),
    Resource('apps', 'v1', 'statefulsets', 'statefulset', 'StatefulSet',
             True, ['sts'], ('status', 'scale')),
]

BY_PATH = {(r.group, r.version, r.name): r for r in RESOURCES}
BY_KIND = {r.kind: r for r in RESOURCES}
GROUP_VERSIONS = {'apps': ['v1'], 'discovery.k8s.io': ['v1']}

NAMESPACES = BY_KIND['Namespace']
PODS = BY_KIND['Pod']
SERVICES = BY_KIND['Service']
ENDPOINTS = BY_KIND['Endpoints']
CONFIGMAPS = BY_KIND['ConfigMap']
ENDPOINTSLICES = BY_KIND['EndpointSlice']
DEPLOYMENTS = BY_KIND['Deployment']
REPLICASETS = BY_KIND['ReplicaSet']
STATEFULSETS = BY_KIND['StatefulSet']


def lookup(group, version, name):
    return BY_PATH.get((group, version, name))


def core_versions(server_address):
    return {'kind': 'APIVersions', 'versions': ['v1'],
            'serverAddressByClientCIDRs': [
                {'clientCIDR': '0.0.0.0/0',
                 'serverAddress': server_address}]}


def group_list():
    groups = []
    for group, versions in sorted(GROUP_VERSIONS.items()):
        entries = [{'groupVersion': '%s/%s' % (group, v), 'version': v}
                   for v in versions]
        groups.append({'name': group, 'versions': entries,
                       'preferredVersion': entries[0]})
    return {'kind': 'APIGroupList', 'apiVersion': 'v1', 'groups': groups}


def group(name):
    if name not in GROUP_VERSIONS:
        return None
    return [g for g in group_list()['groups'] if g['name'] == name][0]


def resource_list(group, version):
    served = [r for r in RESOURCES
              if r.group == group and r.version == version]
    if not served:
        return None
    entries = []
    for res in served:
        entry = {'name': res.name, 'singularName': res.singular,
                 'namespaced': res.namespaced, 'kind': res.kind,
                 'verbs': list(_VERBS)}
        if res.short_names:
            entry['shortNames'] = list(res.short_names)
        entries.append(entry)
        for sub in res.subresources:
            kind = 'Scale' if sub == 'scale' else res.kind
            sub_entry = {'name': '%s/%s' % (res.name, sub),
                         'singularName': '', 'namespaced': res.namespaced,
                         'kind': kind, 'verbs': ['get', 'patch', 'update']}
            if sub == 'scale':
                sub_entry.update(group='autoscaling', version='v1')
            entries.append(sub_entry)
    return {'kind': 'APIResourceList', 'apiVersion': 'v1',
            'groupVersion': '%s/%s' % (group, version) if group else version,
            'resources': entries}
