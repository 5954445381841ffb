"""CoordinateVNF, new VNF: check the new VNFCs, then point the LB at them.

Tacker runs ``CoordinateNewVnf().coordinate(request)`` in a child process
with the package root as working directory (see the CoordinateVNF user
guide).  What this sample reads from ``request``:

``resources``
    The new VNFCs and where they are::

        {"newVnfcs": [{"vduId": "VDU1", "serverId": "...",
                       "cpAddresses": {"VDU1_CP1": ["198.51.100.21"]},
                       "addresses": ["198.51.100.21"]}],
         "oldVnfcs": [...]}

    ``cpAddresses`` gives the fixed IPs of each CP: ``cp_name`` picks one
    (its first IPv4 address).  ``vnfcs`` is read as ``newVnfcs``; a Rolling
    update gives one updated ``{"vnfc": {...}}``; without ``cpAddresses``,
    ``addresses`` may be keyed by CP name too, or be a plain list, and the
    first IPv4 address is then used.
``vduParams``
    ``[{"vdu_id": "VDU1", "new_vnfc_param": {...}}]``; ``new_vnfc_param``:
    ``cp_name`` (which address of the VNFC), ``username``, ``password``,
    optional ``host_key`` (``SHA256:...`` or a public key line: then
    required), ``ssh_port`` (22), ``app_port`` (80), ``app_path`` (/),
    ``expected_response`` (a text the answer must contain),
    ``connect_timeout`` (10 s), ``command_timeout`` (30 s),
    ``ready_timeout`` (0 s: how long a new VNFC may take to boot, its SSH
    login and application check being retried until then).  VNFCs of VDUs
    without ``new_vnfc_param`` are left alone (not checked, not put behind
    the load balancer).
``externalLbParam``
    The haproxy load balancer: ``ip_address``, ``username``, ``password``,
    ``host_key``, ``backends_file``, ``reload_command`` ... (see
    ``coordinate_common.LoadBalancer``).

Steps: log in to each new VNFC over SSH and GET its application through
that connection (it must answer 200, and contain ``expected_response``
when given); then on the load balancer write the new VNFCs as the only
backends (Blue-Green; a Rolling update adds the updated VNFC to the ones
there), reload haproxy, and wait until its frontend answers as the new
VNFCs do.  Running it twice does no harm.

``rollback(request)`` (Blue-Green; Tacker calls it when the operation is
rolled back after this script ran or failed): on the load balancer, put
the old VNFCs back in place of the new ones -- the backends that are not
new VNFCs are kept, the old VNFCs of the VDUs with ``old_vnfc_param`` (or
``new_vnfc_param``: its ``cp_name`` and ``app_port``) are added -- reload
haproxy and wait until its frontend answers as the old VNFCs do (asked
from the load balancer host, so no login to an old VNFC is needed).
Nothing is written when the backends are already those.  Running it
twice does no harm.  In a Rolling update Tacker calls it for each VNFC
put back on the old package; the VNFC keeps its address and stays a
backend, so there is nothing to undo.
"""
import importlib.util
import os
import time


def _common():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        'coordinate_common.py')
    spec = importlib.util.spec_from_file_location('coordinate_common', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class CoordinateNewVnf(object):

    def coordinate(self, request):
        common = _common()
        lb = common.LoadBalancer(request)
        found = common.targets(request, 'new', 'new_vnfc_param')
        if not found:
            raise common.ScriptError(
                'no new VNFC to put behind the load balancer: give '
                'vdu_params[].new_vnfc_param for the VDUs it serves')
        servers, bodies = [], set()
        for vnfc, address, param in found:
            port = int(param.get('app_port', 80))
            with common.Session(address, param, 'new VNFC') as ssh:
                body = _wait_app(common, ssh, vnfc, address, port, param)
            print('new VNFC %s (%s) answers: %s' % (
                common.vnfc_id(vnfc), address, ' '.join(body.split())[:80]))
            servers.append((address, port))
            bodies.add(body)
        with lb.connect() as ssh:
            current = lb.servers(ssh)
            if request.get('upgradeType') == 'RollingUpdate':
                wanted = current + [s for s in servers if s not in current]
            else:
                wanted = servers
            if wanted != current:
                lb.write(ssh, wanted)
            else:
                print('load balancer %s: backends already %s' % (
                    lb.address, ', '.join('%s:%d' % s for s in wanted)))
            if request.get('upgradeType') != 'RollingUpdate':
                lb.wait_serving(ssh, bodies, len(wanted))
        return {'backends': ['%s:%d' % s for s in wanted],
                'checked': [common.vnfc_id(v) for v, _, _ in found]}

    def rollback(self, request):
        common = _common()
        if request.get('upgradeType') == 'RollingUpdate':
            print('Rolling update: nothing of the load balancer to undo')
            return {'backends': None}
        lb = common.LoadBalancer(request)
        new = set()
        for vnfc in common.vnfcs(request, 'new'):
            new.update(common.all_addresses(vnfc))
        old = common.backends_of(request, 'old')
        with lb.connect() as ssh:
            current = lb.servers(ssh)
            wanted = [s for s in current if s[0] not in new]
            wanted += [s for s in old if s not in wanted]
            if not wanted:
                raise common.ScriptError(
                    'no old VNFC to put back behind load balancer %s: give '
                    'vdu_params[].old_vnfc_param (or new_vnfc_param) with '
                    'cp_name for the VDUs it serves' % lb.address)
            bodies = lb.backend_answers(ssh, wanted)
            if wanted != current:
                lb.write(ssh, wanted)
            else:
                print('load balancer %s: backends already %s' % (
                    lb.address, ', '.join('%s:%d' % s for s in wanted)))
            lb.wait_serving(ssh, bodies, len(wanted))
        return {'backends': ['%s:%d' % s for s in wanted]}


def _wait_app(common, ssh, vnfc, address, port, param):
    """The body of the VNFC's application, once it answers as expected.

    Retried until ready_timeout: the application may start after sshd.
    """
    path = param.get('app_path', '/')
    expected = param.get('expected_response')
    backoff = common.Backoff(ssh.ready_timeout)
    started = time.monotonic()
    while True:
        try:
            status, body = ssh.http_get(address, port, path)
        except common.ScriptError as e:
            status, body = None, str(e)
        if status == 200 and (not expected or expected in body):
            return body
        if not backoff.pause():
            raise common.ScriptError(
                'new VNFC %s (%s) is not ready: GET %s:%d%s answered '
                '%s %s%s%s' % (common.vnfc_id(vnfc), address, address, port,
                               path, status, ' '.join(body.split())[:200],
                               '; expected %r' % expected if expected
                               else '',
                               ' (waited %.0fs)' % (time.monotonic() -
                                                    started)
                               if ssh.ready_timeout else ''))
