"""stdin of a CoordinateVNF script run as a program (no ``-class``).

Scripts written for upstream Tacker's v2 API are programs: they read one
pickled dict on stdin, do their work for one VNFC, and exit 0 for success.
This module builds those dicts from the JSON request the class-based
scripts get (``change_vnfpkg.run_script``), one per VNFC the call is
about. See doc/source/user/coordinate_vnf.rst for the keys and for those
that cannot be given.

Only plain values (dict, list, str, int, bool, None) go into the pickle,
and nothing the script writes is ever unpickled.
"""
import ipaddress

from tacker.sol_refactored.common import exceptions as sol_ex

# What upstream puts there too: the script sets the real action name when
# it calls the coordination API itself.
COORDINATION_ACTION_PLACEHOLDER = 'should_be_set_by_script'


class NoVnfcAddress(sol_ex.SolException):
    status = 500
    title = 'CoordinateVNF failed'


def _vnfcs(resources, side):
    """The VNFCs of the call: the one of a Rolling update, or a side's."""
    if resources.get('vnfc'):
        return [resources['vnfc']]
    key = 'newVnfcs' if side == 'new' else 'oldVnfcs'
    return list(resources.get(key) or [])


def _vnfc_param(vdu_params, vdu_id, side):
    """The side's vnfc_param of the VDU's vdu_params entry, or None."""
    for entry in vdu_params or []:
        if isinstance(entry, dict) and entry.get('vdu_id') == vdu_id:
            param = entry.get('%s_vnfc_param' % side)
            return dict(param) if isinstance(param, dict) else None
    return None


def _is_v4(address):
    try:
        return ipaddress.ip_address(address).version == 4
    except ValueError:
        return False


def ssh_ip(vnfc, cp_name):
    """The VNFC's address on CP ``cp_name`` (IPv4 first), or None.

    Without a cp_name, the first address Nova shows for the server.
    """
    if cp_name:
        found = (vnfc.get('cpAddresses') or {}).get(cp_name) or []
    else:
        found = vnfc.get('addresses') or []
    v4 = [a for a in found if _is_v4(a)]
    return (v4 or found or [None])[0]


def coord_request(request, base_url):
    """The LcmCoordRequest part: which operation asks, and links to it."""
    inst_id = (request.get('vnfInstance') or {}).get('id')
    body = {'vnfInstanceId': inst_id,
            'vnfLcmOpOccId': request.get('lcmOpOccId'),
            'lcmOperationType': request.get('operation'),
            'coordinationActionName': COORDINATION_ACTION_PLACEHOLDER}
    if base_url:
        body['_links'] = {
            'vnfLcmOpOcc': {'href': '%s/vnflcm/v2/vnf_lcm_op_occs/%s' % (
                base_url, request.get('lcmOpOccId'))},
            'vnfInstance': {'href': '%s/vnflcm/v2/vnf_instances/%s' % (
                base_url, inst_id)}}
    return body


def _vnfc_info_id(inst, server_id):
    """The vnfcInfo id the record gives the VNFC on that server."""
    info = (inst or {}).get('instantiatedVnfInfo') or {}
    by_server = {r.get('id'): (r.get('computeResource') or {}).get(
        'resourceId') for r in info.get('vnfcResourceInfo') or []}
    for vnfc_info in info.get('vnfcInfo') or []:
        if by_server.get(vnfc_info.get('vnfcResourceInfoId')) == server_id:
            return vnfc_info.get('id')
    return None


def inputs(request, rollback, base_url=None):
    """[(what, dict)]: one stdin document per run of the program.

    ``request`` is the class-based scripts' request. Each VNFC of the call
    whose VDU's entry in ``vdu_params`` has the side's vnfc_param gets one
    run; other VNFCs are not the program's business (upstream calls it
    only for the VDUs it changes, and needs their vnfc_param). A call
    that names no VNFC at all (a Kubernetes VIM: Pods, no VNFC
    addresses) gets one run without the per-VNFC keys.
    """
    side = request['side']
    common = {'is_rollback': bool(rollback),
              'LcmCoordRequest': coord_request(request, base_url),
              'inst': request.get('vnfInstance')}
    vnfcs = _vnfcs(request.get('resources') or {}, side)
    if not vnfcs:
        return [('the VNF', dict(common))]
    runs = []
    for vnfc in vnfcs:
        param = _vnfc_param(request.get('vduParams'), vnfc.get('vduId'),
                            side)
        if param is None:
            continue
        what = 'VNFC %s (%s)' % (vnfc.get('name') or vnfc.get('serverId'),
                                 vnfc.get('vduId'))
        address = ssh_ip(vnfc, param.get('cp_name'))
        if address is None:
            raise NoVnfcAddress(
                'CoordinateVNF: %s has no address on CP %s (it has: %s); '
                'check cp_name of vdu_params %s_vnfc_param.' % (
                    what, param.get('cp_name'),
                    ', '.join(sorted(vnfc.get('cpAddresses') or {})) or
                    'none', side))
        doc = dict(param)
        doc.update(common)
        doc['ssh_ip'] = address
        info_id = _vnfc_info_id(request.get('vnfInstance'),
                                vnfc.get('serverId'))
        if info_id:
            doc['vnfc_info_id'] = info_id
        runs.append((what, doc))
    return runs
