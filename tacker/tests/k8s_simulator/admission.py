"""Defaults and validation applied to objects written through the API."""
import ipaddress
import json
import re

from tacker.tests.k8s_simulator import errors
from tacker.tests.k8s_simulator import selectors

_SUBDOMAIN = r'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'
_LABEL = r'[a-z0-9]([-a-z0-9]*[a-z0-9])?'
_DNS1035 = r'[a-z]([-a-z0-9]*[a-z0-9])?'

_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case "
    "alphanumeric characters, '-' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'example.com', regex used for "
    "validation is '%s')" % _SUBDOMAIN)
_LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric "
    "characters or '-', and must start and end with an alphanumeric "
    "character (e.g. 'my-name',  or '123-abc', regex used for validation "
    "is '%s')" % _LABEL)
_DNS1035_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters "
    "or '-', start with an alphabetic character, and end with an "
    "alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used "
    "for validation is '%s')" % _DNS1035)

_NAME_RULES = {
    'Namespace': (_LABEL, _LABEL_MSG, 63),
    'Service': (_DNS1035, _DNS1035_MSG, 63),
}


def _show(value):
    return json.dumps(value, sort_keys=True)


def check_name(res, name):
    pattern, message, limit = _NAME_RULES.get(
        res.kind, (_SUBDOMAIN, _SUBDOMAIN_MSG, 253))
    if not name:
        return [('metadata.name',
                 'Required value: name or generateName is required')]
    if len(name) > limit:
        return [('metadata.name', 'Invalid value: %s: must be no more '
                 'than %d characters' % (_show(name), limit))]
    if not re.fullmatch(pattern, name):
        return [('metadata.name',
                 'Invalid value: %s: %s' % (_show(name), message))]
    return []


def default_pod_spec(spec):
    spec.setdefault('restartPolicy', 'Always')
    spec.setdefault('terminationGracePeriodSeconds', 30)
    spec.setdefault('dnsPolicy', 'ClusterFirst')
    spec.setdefault('securityContext', {})
    spec.setdefault('schedulerName', 'default-scheduler')
    for container in (spec.get('containers') or []) + \
            (spec.get('initContainers') or []):
        image = container.get('image') or ''
        tag = image.rsplit('/', 1)[-1]
        latest = ':' not in tag or tag.endswith(':latest')
        container.setdefault('imagePullPolicy',
                             'Always' if latest else 'IfNotPresent')
        container.setdefault('resources', {})
        container.setdefault('terminationMessagePath',
                             '/dev/termination-log')
        container.setdefault('terminationMessagePolicy', 'File')
        for port in container.get('ports') or []:
            port.setdefault('protocol', 'TCP')


def _check_pod_spec(spec, path):
    causes = []
    containers = spec.get('containers') if isinstance(spec, dict) else None
    if not containers:
        return [(path + '.containers', 'Required value')]
    seen = set()
    for i, container in enumerate(containers):
        where = '%s.containers[%d]' % (path, i)
        name = container.get('name')
        if not name:
            causes.append((where + '.name', 'Required value'))
        elif not re.fullmatch(_LABEL, name):
            causes.append((where + '.name', 'Invalid value: %s: %s'
                           % (_show(name), _LABEL_MSG)))
        elif name in seen:
            causes.append((where + '.name', 'Duplicate value: %s'
                           % _show(name)))
        seen.add(name)
        if not container.get('image'):
            causes.append((where + '.image', 'Required value'))
    return causes


def _default_workload(obj):
    spec = obj.setdefault('spec', {})
    spec.setdefault('replicas', 1)
    spec.setdefault('revisionHistoryLimit', 10)
    template = spec.setdefault('template', {})
    template.setdefault('metadata', {})
    default_pod_spec(template.setdefault('spec', {}))


def _check_workload(spec):
    causes = []
    selector = spec.get('selector')
    labels = ((spec.get('template') or {}).get('metadata') or {}).get(
        'labels') or {}
    if not selector or not (selector.get('matchLabels') or
                            selector.get('matchExpressions')):
        causes.append(('spec.selector', 'Required value'))
    elif not selectors.selector_matches(selector, labels):
        causes.append(('spec.template.metadata.labels',
                       'Invalid value: %s: `selector` does not match '
                       'template `labels`' % _show(labels)))
    if (spec.get('replicas') or 0) < 0:
        causes.append(('spec.replicas', 'Invalid value: %d: must be '
                       'greater than or equal to 0' % spec['replicas']))
    causes += _check_pod_spec((spec.get('template') or {}).get('spec'),
                              'spec.template.spec')
    return causes


def _default_deployment(obj):
    _default_workload(obj)
    spec = obj['spec']
    spec.setdefault('progressDeadlineSeconds', 600)
    strategy = spec.setdefault('strategy', {})
    strategy.setdefault('type', 'RollingUpdate')
    if strategy['type'] == 'RollingUpdate':
        rolling = strategy.setdefault('rollingUpdate', {})
        rolling.setdefault('maxSurge', '25%')
        rolling.setdefault('maxUnavailable', '25%')


def _check_deployment(obj):
    causes = _check_workload(obj['spec'])
    strategy = obj['spec']['strategy']
    if strategy['type'] not in ('RollingUpdate', 'Recreate'):
        causes.append(('spec.strategy.type', 'Unsupported value: %s: '
                       'supported values: "Recreate", "RollingUpdate"'
                       % _show(strategy['type'])))
    if strategy['type'] == 'Recreate' and strategy.get('rollingUpdate'):
        causes.append(('spec.strategy.rollingUpdate', 'Forbidden: may not '
                       'be specified when strategy `type` is \'Recreate\''))
    return causes


def _default_statefulset(obj):
    _default_workload(obj)
    spec = obj['spec']
    spec.setdefault('podManagementPolicy', 'OrderedReady')
    spec.setdefault('serviceName', '')
    strategy = spec.setdefault('updateStrategy', {})
    strategy.setdefault('type', 'RollingUpdate')
    if strategy['type'] == 'RollingUpdate':
        strategy.setdefault('rollingUpdate', {'partition': 0})


def _default_pod(obj):
    default_pod_spec(obj.setdefault('spec', {}))


def _check_pod(obj):
    return _check_pod_spec(obj['spec'], 'spec')


def _default_service(obj, allocate_ip):
    spec = obj.setdefault('spec', {})
    spec.setdefault('type', 'ClusterIP')
    spec.setdefault('sessionAffinity', 'None')
    if spec['type'] != 'ExternalName' and not spec.get('clusterIP'):
        spec['clusterIP'] = allocate_ip()
    if spec.get('clusterIP'):
        spec['clusterIPs'] = [spec['clusterIP']]
    spec.setdefault('ipFamilies', ['IPv4'])
    spec.setdefault('ipFamilyPolicy', 'SingleStack')
    spec.setdefault('internalTrafficPolicy', 'Cluster')
    for port in spec.get('ports') or []:
        port.setdefault('protocol', 'TCP')
        port.setdefault('targetPort', port.get('port'))
    obj.setdefault('status', {'loadBalancer': {}})


def _check_service(obj):
    causes = []
    spec = obj['spec']
    if spec['type'] != 'ExternalName' and not spec.get('ports'):
        causes.append(('spec.ports', 'Required value'))
    for i, port in enumerate(spec.get('ports') or []):
        if not isinstance(port.get('port'), int):
            causes.append(('spec.ports[%d].port' % i, 'Required value'))
    ip = spec.get('clusterIP')
    if ip and ip != 'None':
        try:
            ipaddress.ip_address(ip)
        except ValueError:
            causes.append(('spec.clusterIPs[0]', 'Invalid value: %s: must '
                           'be a valid IP address' % _show(ip)))
    return causes


_ADDRESS_TYPES = ('FQDN', 'IPv4', 'IPv6')


def _check_endpointslice(obj):
    causes = []
    kind = obj.get('addressType')
    if not kind:
        causes.append(('addressType', 'Required value'))
    elif kind not in _ADDRESS_TYPES:
        causes.append(('addressType', 'Unsupported value: %s: supported '
                       'values: %s' % (_show(kind), ', '.join(
                           _show(t) for t in _ADDRESS_TYPES))))
    for i, endpoint in enumerate(obj.get('endpoints') or []):
        if not endpoint.get('addresses'):
            causes.append(('endpoints[%d].addresses' % i, 'Required value: '
                           'must contain at least 1 address'))
    return causes


def _default_namespace(obj):
    obj.setdefault('spec', {}).setdefault('finalizers', ['kubernetes'])
    obj.setdefault('status', {}).setdefault('phase', 'Active')
    labels = obj['metadata'].setdefault('labels', {})
    labels['kubernetes.io/metadata.name'] = obj['metadata']['name']


class Admission:
    """Defaulting and validation, per kind."""

    def __init__(self, allocate_ip):
        self.allocate_ip = allocate_ip

    def default(self, res, obj):
        kind = res.kind
        if kind == 'Deployment':
            _default_deployment(obj)
        elif kind == 'ReplicaSet':
            _default_workload(obj)
            obj['spec'].pop('revisionHistoryLimit', None)
        elif kind == 'StatefulSet':
            _default_statefulset(obj)
        elif kind == 'Pod':
            _default_pod(obj)
        elif kind == 'Service':
            _default_service(obj, self.allocate_ip)
        elif kind == 'Namespace':
            _default_namespace(obj)
        elif kind == 'Secret':
            obj.setdefault('type', 'Opaque')

    def validate(self, res, obj, old=None):
        meta = obj['metadata']
        causes = check_name(res, meta.get('name'))
        for key, value in (meta.get('labels') or {}).items():
            if not isinstance(value, str) or len(value) > 63 or (
                    value and not re.fullmatch(
                        r'[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?',
                        value)):
                causes.append(('metadata.labels', 'Invalid value: %s: a '
                               'valid label must be an empty string or '
                               'consist of alphanumeric characters, \'-\', '
                               '\'_\' or \'.\'' % _show(value)))
        checker = {'Deployment': _check_deployment,
                   'ReplicaSet': lambda o: _check_workload(o['spec']),
                   'StatefulSet': lambda o: _check_workload(o['spec']),
                   'Pod': _check_pod,
                   'Service': _check_service,
                   'EndpointSlice': _check_endpointslice}.get(res.kind)
        if checker and not causes:
            causes += checker(obj)
        if old is not None and res.kind in (
                'Deployment', 'ReplicaSet', 'StatefulSet'):
            if obj['spec'].get('selector') != old['spec'].get('selector'):
                causes.append(('spec.selector', 'Invalid value: %s: field '
                               'is immutable'
                               % _show(obj['spec'].get('selector'))))
        if old is not None and res.kind == 'EndpointSlice' and \
                obj.get('addressType') != old.get('addressType'):
            causes.append(('addressType', 'Invalid value: %s: field is '
                           'immutable' % _show(obj.get('addressType'))))
        if old is not None and res.kind == 'Service':
            old_ip = old['spec'].get('clusterIP')
            if obj['spec'].get('clusterIP') != old_ip:
                causes.append(('spec.clusterIPs[0]', 'Invalid value: %s: '
                               'may not change once set' % _show(old_ip)))
        if causes:
            raise errors.invalid(res, meta.get('name', ''), causes)
