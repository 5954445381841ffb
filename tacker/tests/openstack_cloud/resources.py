"""What the cloud holds once it runs: accounts, catalog, images, network.

Everything goes through the REST APIs with keystoneauth1 from our own
venv, each step looking first for what is already there, so that running
it again on a restarted cloud changes nothing.
"""
import os

from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session

from tacker.tests.openstack_cloud import config
from tacker.tests.openstack_cloud import procs

HTTP_TIMEOUT = 30
DOMAIN = 'Default'
TACKER_PROJECT = 'tacker'
TACKER_USER = 'tacker'
TACKER_ROLES = ('member', 'reader', 'heat_stack_owner')
IMAGES = ('image-v1', 'image-v2', 'image-v3')
IMAGE_SIZE = 4096
FLAVORS = (
    # name, vcpus, ram (MiB), disk (GiB)
    ('m1.tiny', 1, 512, 1),
    ('m1.small', 1, 2048, 10),
)
NETWORK = 'ext-net'
SUBNET = 'ext-subnet'
# Documentation range TEST-NET-2: never this machine's own network.
CIDR = '198.51.100.0/24'
GATEWAY = '198.51.100.1'
POOL = ('198.51.100.10', '198.51.100.250')

# service user -> [(service type, service name, URL path)]
CATALOG = {
    'placement': [('placement', 'placement', '')],
    'glance': [('image', 'glance', '')],
    'neutron': [('network', 'neutron', '')],
    'nova': [('compute', 'nova', '/v2.1')],
    'cinder': [('volumev3', 'cinderv3', '/v3/$(project_id)s'),
               ('block-storage', 'cinder', '/v3/$(project_id)s')],
    'heat': [('orchestration', 'heat', '/v1/$(project_id)s')],
}
PORT_OF = {'placement': 'placement', 'glance': 'glance',
           'neutron': 'neutron', 'nova': 'nova', 'cinder': 'cinder',
           'heat': 'heat'}


def admin_session(state):
    auth = v3.Password(auth_url=config.keystone_url(state) + '/v3',
                       username='admin',
                       password=state['passwords']['admin'],
                       project_name='admin', user_domain_name=DOMAIN,
                       project_domain_name=DOMAIN)
    return ks_session.Session(auth=auth, timeout=HTTP_TIMEOUT)


class Identity(object):
    """Idempotent helpers over Keystone's v3 API."""

    def __init__(self, sess, url):
        self.sess = sess
        self.url = url

    def find(self, kind, name, **filters):
        params = dict(filters, name=name)
        found = self.sess.get('%s/%s' % (self.url, kind),
                              params=params).json()[kind]
        return found[0]['id'] if found else None

    def ensure(self, kind, body, **filters):
        found = self.find(kind, body['name'], **filters)
        if found:
            return found
        singular = kind[:-1]
        return self.sess.post('%s/%s' % (self.url, kind),
                              json={singular: body}).json()[singular]['id']

    def ensure_user(self, name, password, domain_id):
        user_id = self.find('users', name, domain_id=domain_id)
        if user_id:
            # The password may be new (a fresh state dir on an old DB).
            self.sess.patch('%s/users/%s' % (self.url, user_id),
                            json={'user': {'password': password}})
            return user_id
        return self.ensure('users', {'name': name, 'password': password,
                                     'domain_id': domain_id})

    def grant(self, target, target_id, user_id, role_id):
        self.sess.put('%s/%s/%s/users/%s/roles/%s' % (
            self.url, target, target_id, user_id, role_id))


def create_identity(state):
    """Service users, catalog, Heat's domain and the Tacker account."""
    sess = admin_session(state)
    ks = Identity(sess, config.keystone_url(state) + '/v3')
    roles = {name: ks.ensure('roles', {'name': name})
             for name in ('admin', 'member', 'reader', 'service',
                          'heat_stack_owner', 'heat_stack_user')}
    service_project = ks.ensure('projects', {
        'name': config.SERVICE_PROJECT, 'domain_id': 'default'})
    # Keystone's own entry, in case its port moved since bootstrap.
    _ensure_endpoints(ks, 'identity', 'keystone',
                      config.keystone_url(state) + '/v3')
    service_password = state['passwords']['service']
    for user in CATALOG:
        user_id = ks.ensure_user(user, service_password, 'default')
        ks.grant('projects', service_project, user_id, roles['admin'])
        ks.grant('projects', service_project, user_id, roles['service'])
        base = 'http://127.0.0.1:%d' % state['ports'][PORT_OF[user]]
        for stype, sname, path in CATALOG[user]:
            _ensure_endpoints(ks, stype, sname, base + path)

    # Heat keeps the users it makes for stacks in a domain of its own.
    heat_domain = ks.ensure('domains', {
        'name': 'heat', 'description': 'Owns users and projects created by '
        'heat'})
    heat_admin = ks.ensure_user('heat_domain_admin',
                                state['passwords']['heat_domain_admin'],
                                heat_domain)
    ks.grant('domains', heat_domain, heat_admin, roles['admin'])

    tacker_project = ks.ensure('projects', {'name': TACKER_PROJECT,
                                            'domain_id': 'default'})
    tacker_user = ks.ensure_user(TACKER_USER, state['passwords']['tacker'],
                                 'default')
    for role in TACKER_ROLES:
        ks.grant('projects', tacker_project, tacker_user, roles[role])


def _ensure_endpoints(ks, stype, sname, url):
    service_id = None
    for service in ks.sess.get(ks.url + '/services',
                               params={'type': stype}).json()['services']:
        if service['name'] == sname:
            service_id = service['id']
    if service_id is None:
        service_id = ks.sess.post(ks.url + '/services', json={'service': {
            'type': stype, 'name': sname}}).json()['service']['id']
    have = ks.sess.get(ks.url + '/endpoints', params={
        'service_id': service_id}).json()['endpoints']
    for interface in ('public', 'internal', 'admin'):
        mine = [e for e in have if e['interface'] == interface]
        if mine and mine[0]['url'] == url:
            continue
        for endpoint in mine:
            ks.sess.delete(ks.url + '/endpoints/' + endpoint['id'])
        ks.sess.post(ks.url + '/endpoints', json={'endpoint': {
            'service_id': service_id, 'interface': interface, 'url': url,
            'region_id': config.REGION}})


# ---- compute resources ---------------------------------------------------

def _ep(service_type):
    return {'service_type': service_type, 'interface': 'public',
            'region_name': config.REGION}


def create_images(sess):
    image = _ep('image')
    ids = {}
    for name in IMAGES:
        found = sess.get('/v2/images', endpoint_filter=image,
                         params={'name': name}).json()['images']
        active = [i for i in found if i['status'] == 'active']
        if active:
            ids[name] = active[0]['id']
            continue
        for stale in found:
            sess.delete('/v2/images/' + stale['id'], endpoint_filter=image)
        created = sess.post('/v2/images', endpoint_filter=image, json={
            'name': name, 'disk_format': 'raw', 'container_format': 'bare',
            'visibility': 'public'}).json()
        sess.put('/v2/images/%s/file' % created['id'],
                 endpoint_filter=image, data=os.urandom(IMAGE_SIZE),
                 headers={'Content-Type': 'application/octet-stream'})
        ids[name] = created['id']

    def all_active():
        return all(sess.get('/v2/images/' + i, endpoint_filter=image)
                   .json()['status'] == 'active' for i in ids.values())

    procs.poll(all_active, 60, 'images active')
    return ids


def create_flavors(sess):
    compute = _ep('compute')
    have = {f['name'] for f in sess.get(
        '/flavors', endpoint_filter=compute,
        params={'is_public': 'None'}).json()['flavors']}
    for name, vcpus, ram, disk in FLAVORS:
        if name in have:
            continue
        sess.post('/flavors', endpoint_filter=compute, json={'flavor': {
            'name': name, 'vcpus': vcpus, 'ram': ram, 'disk': disk}})


def create_network(sess):
    network = _ep('network')
    found = sess.get('/v2.0/networks', endpoint_filter=network,
                     params={'name': NETWORK}).json()['networks']
    if found:
        net_id = found[0]['id']
    else:
        net_id = sess.post('/v2.0/networks', endpoint_filter=network, json={
            'network': {'name': NETWORK, 'shared': True,
                        'provider:network_type': 'flat',
                        'provider:physical_network': config.PHYSNET}},
        ).json()['network']['id']
    subnets = sess.get('/v2.0/subnets', endpoint_filter=network,
                       params={'network_id': net_id}).json()['subnets']
    if not subnets:
        sess.post('/v2.0/subnets', endpoint_filter=network, json={
            'subnet': {'name': SUBNET, 'network_id': net_id,
                       'ip_version': 4, 'cidr': CIDR,
                       'gateway_ip': GATEWAY, 'enable_dhcp': False,
                       'allocation_pools': [
                           {'start': POOL[0], 'end': POOL[1]}]}})
    return net_id


def wait_for_compute(sess, venv, state_dir, timeout):
    """Wait for nova-compute, map it to cell1, wait until it can host."""
    compute = _ep('compute')

    def compute_up():
        services = sess.get('/os-services', endpoint_filter=compute,
                            params={'binary': 'nova-compute'}
                            ).json()['services']
        return any(s['state'] == 'up' for s in services)

    procs.poll(compute_up, timeout, 'nova-compute up')

    from tacker.tests.openstack_cloud import services

    def mapped():
        services.discover_hosts(venv, state_dir)
        return sess.get('/os-hypervisors', endpoint_filter=compute
                        ).json()['hypervisors']

    procs.poll(mapped, timeout, 'compute host mapped to cell1')

    placement = _ep('placement')

    def has_inventory():
        rps = sess.get('/resource_providers', endpoint_filter=placement
                       ).json()['resource_providers']
        return any(sess.get('/resource_providers/%s/inventories' % rp['uuid'],
                            endpoint_filter=placement).json()['inventories']
                   for rp in rps)

    procs.poll(has_inventory, timeout, 'compute inventory in placement')
