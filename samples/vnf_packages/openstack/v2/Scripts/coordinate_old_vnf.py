"""CoordinateVNF, old VNF: drain the old VNFCs.

Tacker runs ``CoordinateOldVnf().coordinate(request)`` after the new VNF's
script.  ``resources`` has the shape described in coordinate_new_vnf.py;
this script works on ``oldVnfcs``.

Steps (Blue-Green):

1. On the load balancer (``externalLbParam``), remove every old VNFC from
   the backends and reload haproxy; nothing is written when none is
   there.  It refuses to leave the load balancer without any backend:
   that would mean the new VNF's script has not run.
2. On each old VNFC whose VDU has ``vdu_params[].old_vnfc_param``
   (``cp_name``, ``username``, ``password``, optional ``host_key``,
   timeouts as for the new VNFCs), run ``old_vnfc_param.stop_command``
   over SSH: a command that stops the application cleanly.  Without one,
   ``true`` is run, which only proves the login works.  An old VNFC that
   cannot be reached fails the script (the operator can retry, roll back
   or fail the operation).

In a Rolling update the VNFC was updated in place and is the new one too:
nothing is drained and nothing is stopped.  Running it twice does no harm
as long as ``stop_command`` may be run twice.

``rollback(request)`` (Blue-Green; Tacker calls it when the operation is
rolled back after this script ran or failed, before the new VNF's script
puts the old VNFCs back behind the load balancer): on each old VNFC whose
``old_vnfc_param`` has a ``start_command``, run it over SSH, to start again
what ``stop_command`` stopped; it must do no harm when the application
runs already.  Old VNFCs without ``start_command`` are not logged in to.
An old VNFC that cannot be reached fails the rollback, which the operator
can run again once it can be.  In a Rolling update (called per VNFC)
nothing was stopped, so nothing is started.
"""
import importlib.util
import os


def _common():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        'coordinate_common.py')
    spec = importlib.util.spec_from_file_location('coordinate_common', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class CoordinateOldVnf(object):

    def coordinate(self, request):
        common = _common()
        if request.get('upgradeType') == 'RollingUpdate':
            print('Rolling update: the VNFC was updated in place; nothing '
                  'to drain')
            return {'drained': [], 'stopped': []}
        lb = common.LoadBalancer(request)
        old = set()
        for vnfc in common.vnfcs(request, 'old'):
            old.update(common.all_addresses(vnfc))
        with lb.connect() as ssh:
            current = lb.servers(ssh)
            keep = [s for s in current if s[0] not in old]
            drained = [s for s in current if s[0] in old]
            if drained and not keep:
                raise common.ScriptError(
                    'draining %s would leave load balancer %s without any '
                    'backend; has the new VNF been put behind it?' % (
                        ', '.join('%s:%d' % s for s in drained), lb.address))
            if drained:
                lb.write(ssh, keep)
            else:
                print('load balancer %s: no old VNFC among its backends' %
                      lb.address)
        stopped = []
        for vnfc, address, param in common.targets(request, 'old',
                                                   'old_vnfc_param'):
            command = param.get('stop_command') or 'true'
            with common.Session(address, param, 'old VNFC') as ssh:
                ssh.run(command)
            print('old VNFC %s (%s): ran %r' % (common.vnfc_id(vnfc),
                                                address, command))
            stopped.append(common.vnfc_id(vnfc))
        return {'drained': ['%s:%d' % s for s in drained],
                'stopped': stopped}

    def rollback(self, request):
        common = _common()
        if request.get('upgradeType') == 'RollingUpdate':
            print('Rolling update: nothing was stopped')
            return {'started': []}
        started = []
        for vnfc, address, param in common.targets(request, 'old',
                                                   'old_vnfc_param'):
            command = param.get('start_command')
            if not command:
                print('old VNFC %s (%s): no start_command, left alone' % (
                    common.vnfc_id(vnfc), address))
                continue
            with common.Session(address, param, 'old VNFC') as ssh:
                ssh.run(command)
            print('old VNFC %s (%s): ran %r' % (common.vnfc_id(vnfc),
                                                address, command))
            started.append(common.vnfc_id(vnfc))
        return {'started': started}
