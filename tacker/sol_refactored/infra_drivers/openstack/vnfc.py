"""instantiatedVnfInfo of an OpenStack VNF, from what the VIM holds.

``read_vim`` collects, as plain JSON, the stack, its resources (nested
ones included) and the Nova servers, Neutron ports and Cinder volumes
they name; ``build_info`` turns that into an InstantiatedVnfInfo without
any further call, so it is tested with recorded answers.

A VNFC is one server of a VDU: the server resource named like the VDU in
the template, together with the ports (named like the VDU's CPs) and the
volumes (named like its virtual storages) of the same nested stack. Its
id is made from the VDU and the name of the nested stack's resource in its
group (the AutoScalingGroup member), which Heat keeps when it rebuilds or
replaces the server: so a rolling update modifies a VNFC rather than
removing one and adding another.
"""
from tacker.sol_refactored.infra_drivers.openstack import ext_cps as cps_req
from tacker.sol_refactored.infra_drivers.openstack import hot
from tacker.sol_refactored.infra_drivers.openstack import stack as os_stack
from tacker.sol_refactored.infra_drivers.openstack import vim as os_vim
from tacker.sol_refactored import objects

SERVER = 'OS::Nova::Server'
PORT = 'OS::Neutron::Port'
VOLUME = 'OS::Cinder::Volume'
NET = 'OS::Neutron::Net'


def read_vim(vim, stack_id, ext_vls=None):
    """Everything build_info needs, as plain data.

    ``ext_vls``: the request's extVirtualLinks; the ports they give
    (``extLinkPorts``, not resources of the stack) are read too.
    """
    found = os_stack.find(vim, stack_id)
    if found is None:
        raise os_vim.VimError('Stack %s does not exist.' % stack_id)
    res = os_stack.resources(vim, stack_id)
    data = {'stack': {k: found.get(k) for k in ('id', 'stack_name',
                                                'stack_status')},
            'resources': res, 'servers': {}, 'ports': {}, 'volumes': {}}
    for item in res:
        rid = item.get('physical_resource_id')
        if not rid:
            continue
        kind = item.get('resource_type')
        if kind == SERVER:
            data['servers'][rid] = vim.get(
                'read server %s' % rid, 'compute',
                '/servers/%s' % rid)['server']
        elif kind == PORT:
            data['ports'][rid] = vim.get(
                'read port %s' % rid, 'network',
                '/v2.0/ports/%s' % rid)['port']
        elif kind == VOLUME:
            data['volumes'][rid] = vim.get(
                'read volume %s' % rid, 'block-storage',
                '/volumes/%s' % rid)['volume']
    for rid in sorted(cps_req.given_ports(ext_vls)):
        if rid not in data['ports']:
            data['ports'][rid] = vim.get(
                'read port %s' % rid, 'network',
                '/v2.0/ports/%s' % rid)['port']
    return data


def summary(data):
    """The VNFCs of read_vim's data, as a script wants them.

    Each item has ``vduId``, ``serverId``, ``name``, ``addresses`` (every
    address Nova shows for the server, a flat list) and ``cpAddresses``:
    the fixed IPs Neutron gave each port of the VNFC, keyed by the port's
    resource name in the VNFC's nested stack (the CP name of the VNFD),
    e.g. ``{"VDU1_CP1": ["198.51.100.21"]}``.
    """
    found = []
    groups = {}
    for res in data['resources']:
        groups.setdefault(_stack_of(res), []).append(res)
    for res in data['resources']:
        if res.get('resource_type') != SERVER:
            continue
        server_id = res.get('physical_resource_id')
        server = data['servers'].get(server_id) or {}
        by_cp = _cp_addresses(data, groups.get(_stack_of(res), []),
                              server_id)
        networks = (server.get('addresses') or {}).values()
        addresses = [a.get('addr') for net in networks for a in net]
        if not addresses:
            # Nova may not show the ports yet; Neutron's record is the
            # same fact.
            addresses = [ip for ips in by_cp.values() for ip in ips]
        found.append({'vduId': res['resource_name'],
                      'serverId': server_id,
                      'name': server.get('name'),
                      'addresses': addresses,
                      'cpAddresses': by_cp})
    return sorted(found, key=lambda v: (v['vduId'], v['serverId'] or ''))


def _cp_addresses(data, siblings, server_id):
    """{port resource name: [fixed IPs]} of a server's nested stack."""
    by_cp = {}
    for sib in sorted(siblings, key=lambda r: r['resource_name']):
        rid = sib.get('physical_resource_id')
        if sib.get('resource_type') != PORT or not rid:
            continue
        port = data['ports'].get(rid) or {}
        # A port bound to another server of the same nested stack is not
        # this VNFC's (Heat leaves device_id empty until Nova binds it).
        if port.get('device_id') and server_id and (
                port['device_id'] != server_id):
            continue
        by_cp[sib['resource_name']] = [
            ip['ip_address'] for ip in port.get('fixed_ips') or []
            if ip.get('ip_address')]
    return by_cp


def _stack_of(resource):
    """Id of the (nested) stack a listed resource belongs to."""
    for link in resource.get('links') or []:
        if link.get('rel') == 'stack':
            return link['href'].rstrip('/').rsplit('/', 1)[-1]
    return None


def _protocol_info(port, fixed=()):
    ips = [{'type': 'IPV6' if ':' in ip['ip_address'] else 'IPV4',
            'addresses': [ip['ip_address']],
            'isDynamic': ip['ip_address'] not in fixed,
            'subnetId': ip.get('subnet_id')}
           for ip in port.get('fixed_ips') or []]
    return [{'layerProtocol': 'IP_OVER_ETHERNET',
             'ipOverEthernet': {'macAddress': port.get('mac_address'),
                                'ipAddresses': ips}}]


def _handle(resource_id, kind):
    return objects.ResourceHandle(resourceId=resource_id,
                                  vimLevelResourceType=kind)


def build_info(data, flavour_id, flavour, vnfd_id, ext_vls=None,
               nfv=None):
    """InstantiatedVnfInfo from read_vim's data.

    ``flavour`` is the vnfdSummary flavour; ``ext_vls`` the
    extVirtualLinks of the instantiate request (for extCpInfo's
    cpConfigId and extVirtualLinkInfo), ``nfv`` the stack's parameter.
    """
    vdus = flavour.get('vdus') or {}
    cps = flavour.get('cps') or {}
    storages = flavour.get('virtualStorages') or {}
    ext_cps = hot.ext_cp_networks(ext_vls)
    given = cps_req.given_ports(ext_vls)
    fixed = cps_req.fixed_addresses(ext_vls)
    groups = {}
    for res in data['resources']:
        groups.setdefault(_stack_of(res), []).append(res)

    vnfcs, storage_infos, ext_cp_infos = [], [], []
    vl_ports, ext_vl_ports = {}, {}
    for res in sorted(data['resources'],
                      key=lambda r: (r['resource_name'],
                                     r.get('parent_resource') or '')):
        if (res.get('resource_type') != SERVER or
                res['resource_name'] not in vdus or
                not res.get('physical_resource_id')):
            continue
        vdu_id = res['resource_name']
        member = res.get('parent_resource') or vdu_id
        vnfc_id = '%s-%s' % (vdu_id, member)
        server = data['servers'].get(res['physical_resource_id']) or {}
        siblings = groups.get(_stack_of(res), [])
        storage_ids, cp_infos = [], []
        ports = []
        for sib in sorted(siblings, key=lambda r: r['resource_name']):
            name, rid = sib['resource_name'], sib.get('physical_resource_id')
            if not rid:
                continue
            if sib['resource_type'] == VOLUME and name in storages:
                info_id = '%s-%s' % (name, member)
                storage_ids.append(info_id)
                storage_infos.append(objects.VirtualStorageResourceInfo(
                    id=info_id, virtualStorageDescId=name, vnfdId=vnfd_id,
                    storageResource=_handle(rid, VOLUME),
                    metadata={'vnfcResourceInfoId': vnfc_id}))
            elif (sib['resource_type'] == PORT and name in cps and
                  cps[name].get('vdu') in (None, vdu_id)):
                ext_vl_id, _net, config_id = ext_cps.get(
                    name, (None, None, None))
                ports.append((name, rid, '%s-port-%s' % (name, member),
                              ext_vl_id, config_id))
        # Ports the request gave (extLinkPorts) that Nova bound to this
        # server: the HOT names them, the stack does not hold them.
        for rid, (ext_vl_id, name, config_id, link_port_id) in sorted(
                given.items()):
            port = data['ports'].get(rid) or {}
            if (port.get('device_id') == res['physical_resource_id'] and
                    name in cps):
                ports.append((name, rid, link_port_id, ext_vl_id, config_id))
        for name, rid, link_port_id, ext_vl_id, config_id in ports:
            port = data['ports'].get(rid) or {}
            cp_id = '%s-%s' % (name, member)
            proto = _protocol_info(port, fixed)
            cp_info = objects.VnfcCpInfo(id=cp_id, cpdId=name,
                                         cpProtocolInfo=proto)
            vl_desc = cps[name].get('virtualLink')
            if vl_desc:
                cp_info.vnfLinkPortId = link_port_id
                vl_ports.setdefault(
                    (vl_desc, port.get('network_id')), []).append(
                        objects.VnfLinkPortInfo(
                            id=link_port_id,
                            resourceHandle=_handle(rid, PORT),
                            cpInstanceId=cp_id, cpInstanceType='VNFC_CP'))
            else:
                ext_cp_id = 'ext-%s' % cp_id
                cp_info.vnfExtCpId = ext_cp_id
                ext_vl_id = ext_vl_id or 'extVL-%s' % port.get('network_id')
                ext_cp_infos.append(objects.VnfExtCpInfo(
                    id=ext_cp_id, cpdId=name, vnfdId=vnfd_id,
                    cpConfigId=config_id or name,
                    cpProtocolInfo=proto, extLinkPortId=link_port_id,
                    associatedVnfcCpId=cp_id))
                ext_vl_ports.setdefault(
                    (ext_vl_id, port.get('network_id')), []).append({
                        'id': link_port_id,
                        'resourceHandle': {
                            'resourceId': rid,
                            'vimLevelResourceType': PORT},
                        'cpInstanceId': ext_cp_id})
            cp_infos.append(cp_info)
        image = server.get('image')
        vnfcs.append(objects.VnfcResourceInfo(
            id=vnfc_id, vduId=vdu_id, vnfdId=vnfd_id,
            computeResource=_handle(res['physical_resource_id'], SERVER),
            zoneId=server.get('OS-EXT-AZ:availability_zone'),
            storageResourceIds=storage_ids, vnfcCpInfo=cp_infos,
            metadata={'member': member,
                      'memberStackId': _stack_of(res),
                      'serverName': server.get('name'),
                      'image': image.get('id') if isinstance(image, dict)
                      else None,
                      'flavor': (server.get('flavor') or {}).get(
                          'original_name') or (server.get('flavor') or
                                               {}).get('id')}))

    vl_infos = [objects.VnfVirtualLinkResourceInfo(
        id='%s-%s' % (vl_desc, net_id), vnfVirtualLinkDescId=vl_desc,
        vnfdId=vnfd_id, networkResource=_handle(net_id, NET),
        vnfLinkPorts=ports)
        for (vl_desc, net_id), ports in sorted(vl_ports.items())]
    requested = {vl['id']: vl for vl in ext_vls or []}
    ext_vl_infos = [objects.ExtVirtualLinkInfo(
        id=vl_id, resourceHandle=_handle(net_id, NET), extLinkPorts=ports,
        currentVnfExtCpData=(requested.get(vl_id) or {}).get('extCps'))
        for (vl_id, net_id), ports in sorted(ext_vl_ports.items())]
    stack = data['stack']
    return objects.InstantiatedVnfInfo(
        flavourId=flavour_id, vnfState='STARTED',
        extCpInfo=ext_cp_infos, extVirtualLinkInfo=ext_vl_infos,
        vnfcResourceInfo=vnfcs, vnfVirtualLinkResourceInfo=vl_infos,
        virtualStorageResourceInfo=storage_infos,
        vnfcInfo=[objects.VnfcInfo(id='%s-info' % v.id, vduId=v.vduId,
                                   vnfcResourceInfoId=v.id,
                                   vnfcState='STARTED') for v in vnfcs],
        metadata={'stack_id': stack['id'], 'stack_name': stack['stack_name'],
                  'nfv': nfv or {}})


def members(data, group):
    """The members of group resource ``group``: [{'name', 'stackId'}].

    A member is a nested-template resource of the group (its type names
    the template, not an ``OS::`` type); the order is the one Heat
    created them in, the name breaking ties.
    """
    found = [res for res in data['resources']
             if res.get('parent_resource') == group and
             res.get('physical_resource_id') and
             not str(res.get('resource_type', '')).startswith('OS::')]
    found.sort(key=lambda r: (r.get('creation_time') or '',
                              r['resource_name']))
    return [{'name': r['resource_name'], 'stackId': r['physical_resource_id']}
            for r in found]


def member_data(data, member_stack_id):
    """read_vim's data restricted to one member stack's resources."""
    result = dict(data)
    result['resources'] = [res for res in data['resources']
                           if _stack_of(res) == member_stack_id]
    return result
