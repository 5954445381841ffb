"""External CPs of a request, as the ``nfv.CP`` parameter of the stack.

InstantiateVnfRequest.extVirtualLinks[] gives, per external CP of the
VNFD (``extCps[].cpdId``), one or more ``cpConfig`` entries; each may ask
for fixed addresses and subnets (``cpProtocolData[].ipOverEthernet``), a
MAC address, or name a port the operator made (``linkPortId``, one of the
VL's ``extLinkPorts``). The HOTs read them in ``nfv.CP.<cpd id>``::

    {"network": "<VL resourceId>",
     "fixed_ips": [{"ip_address": "198.51.100.7", "subnet": "<id>"},
                   {"subnet": "<id>"}],
     "mac_address": "fa:16:3e:00:00:07",
     "port": "<Neutron port id>"}

``fixed_ips`` has one item per fixed address (with its subnet when the
request names one) and one ``{"subnet": ...}`` per dynamic address asked
for in a named subnet; keys the request does not give are left out, so a
template reads only what it is given.

A CP's entry is shared by every VNFC of its VDU (the group's members all
read the same parameter), so a fixed address, a MAC address or a port can
only be given to a CP whose VDU has one VNFC; ``check_counts`` refuses the
rest with a 422 rather than let Neutron refuse the second VNFC.
"""
from tacker.sol_refactored.common import exceptions as sol_ex

UNIQUE_KEYS = ('mac_address', 'port')


def _refuse(message):
    raise sol_ex.UnprocessableEntity(message)


def _link_ports(vl):
    return {p.get('id'): p for p in vl.get('extLinkPorts') or []
            if isinstance(p, dict)}


def _config_entry(vl, cpd_id, config_id, config):
    """The nfv.CP items one cpConfig entry asks for."""
    entry = {}
    where = 'extCps %s cpConfig %s' % (cpd_id, config_id)
    if config.get('linkPortId'):
        port = _link_ports(vl).get(config['linkPortId'])
        if port is None:
            _refuse('%s names linkPortId %s, which is not an id of the '
                    'extLinkPorts of extVirtualLink %s.' % (
                        where, config['linkPortId'], vl.get('id')))
        entry['port'] = (port.get('resourceHandle') or {}).get('resourceId')
    for data in config.get('cpProtocolData') or []:
        if data.get('layerProtocol') != 'IP_OVER_ETHERNET':
            _refuse('%s: layerProtocol %s is not supported on OpenStack '
                    '(only IP_OVER_ETHERNET).' % (
                        where, data.get('layerProtocol')))
        eth = data.get('ipOverEthernet') or {}
        if eth.get('segmentationId') is not None:
            _refuse('%s: segmentationId (a trunk sub-port) is not supported '
                    'by the OpenStack driver.' % where)
        if eth.get('macAddress'):
            entry['mac_address'] = eth['macAddress']
        for ip in eth.get('ipAddresses') or []:
            if ip.get('addressRange'):
                _refuse('%s: addressRange is not supported on OpenStack; '
                        'give fixedAddresses or numDynamicAddresses.' % where)
            subnet = ip.get('subnetId')
            for address in ip.get('fixedAddresses') or []:
                item = {'ip_address': address}
                if subnet:
                    item['subnet'] = subnet
                entry.setdefault('fixed_ips', []).append(item)
            if subnet:
                entry.setdefault('fixed_ips', []).extend(
                    {'subnet': subnet}
                    for _n in range(ip.get('numDynamicAddresses') or 0))
    return entry


def _is_fixed(entry):
    return any(entry.get(k) for k in UNIQUE_KEYS) or any(
        'ip_address' in ip for ip in entry.get('fixed_ips') or [])


def cp_params(ext_vls):
    """{cpd id: nfv.CP entry} of the request's extVirtualLinks."""
    found = {}
    for vl in ext_vls or []:
        for ext_cp in vl.get('extCps') or []:
            cpd_id = ext_cp['cpdId']
            configs = ext_cp.get('cpConfig') or {}
            entries = [_config_entry(vl, cpd_id, cid, configs[cid])
                       for cid in sorted(configs)]
            fixed = [e for e in entries if _is_fixed(e)]
            if fixed and len(entries) > 1:
                _refuse('extCps %s has %d cpConfig entries, one of them with '
                        'fixed addresses, a MAC address or a port; the HOT '
                        'gives one nfv.CP.%s to every VNFC of the VDU, so '
                        'give one entry.' % (cpd_id, len(entries), cpd_id))
            entry = {'network': vl['resourceId']}
            for item in entries[:1]:
                entry.update(item)
            found[cpd_id] = entry
    return found


def check_counts(flavour, nfv):
    """422 for a fixed address, MAC or port on a CP of several VNFCs."""
    for cp_id, entry in sorted((nfv.get('CP') or {}).items()):
        vdu_id = ((flavour.get('cps') or {}).get(cp_id) or {}).get('vdu')
        count = ((nfv.get('VDU') or {}).get(vdu_id) or {}).get(
            'desired_capacity', 1)
        if isinstance(entry, dict) and _is_fixed(entry) and count > 1:
            _refuse('External CP %s is given a fixed address, MAC address or '
                    'port, but VDU %s would have %s VNFCs, which cannot '
                    'share it; give such a CP to a VDU of one VNFC.' % (
                        cp_id, vdu_id, count))


def fixed_cps(nfv):
    """CP ids of nfv whose entry gives what only one port can hold."""
    return sorted(cp_id for cp_id, entry in (nfv.get('CP') or {}).items()
                  if isinstance(entry, dict) and _is_fixed(entry))


def fixed_addresses(ext_vls):
    """Every address the request asks for by value."""
    return {ip['ip_address'] for entry in cp_params(ext_vls).values()
            for ip in entry.get('fixed_ips') or [] if 'ip_address' in ip}


def given_ports(ext_vls):
    """{Neutron port id: (ext VL id, cpd id, cpConfig id, link port id)}."""
    found = {}
    for vl in ext_vls or []:
        ports = _link_ports(vl)
        for ext_cp in vl.get('extCps') or []:
            for config_id, config in sorted(
                    (ext_cp.get('cpConfig') or {}).items()):
                port = ports.get(config.get('linkPortId'))
                rid = ((port or {}).get('resourceHandle') or {}).get(
                    'resourceId')
                if rid:
                    found[rid] = (vl['id'], ext_cp['cpdId'], config_id,
                                  port['id'])
    return found
