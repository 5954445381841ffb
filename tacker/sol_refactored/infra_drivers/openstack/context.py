"""What every OpenStack step needs: the VIM, the package, the stack."""
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import vnf_package_store as pkg_store
from tacker.sol_refactored.infra_drivers.openstack import hot
from tacker.sol_refactored.infra_drivers.openstack import vim as os_vim
from tacker.sol_refactored.lcm import vim_connection
from tacker.sol_refactored import objects


vim_info = vim_connection.of_work


def connect(work):
    return os_vim.OpenStackVim(vim_info(work))


def package_of(context, vnfd_id):
    pkgs = objects.VnfPkgInfo.get_all(context, vnfdId=vnfd_id)
    if not pkgs:
        raise sol_ex.UnprocessableEntity(
            'No VNF package with vnfdId %s is on-boarded.' % vnfd_id)
    return pkgs[0]


def flavour_of(pkg, flavour_id):
    flavours = (pkg.obj_get('vnfdSummary') or {}).get('flavours') or {}
    if flavour_id not in flavours:
        raise sol_ex.UnprocessableEntity(
            'VNFD %s has no flavour %s.' % (pkg.vnfdId, flavour_id))
    return flavours[flavour_id]


def stack_inputs(pkg, flavour_id, ext_vls, params, counts=None,
                 image_ids=None):
    """(template, files, nfv) to create a stack from a package.

    ``image_ids``: {node: Glance image id} of the package's uploaded
    images (see ``images``).
    """
    root = pkg_store.package_dir(pkg.id)
    template, files = hot.load_base_hot(root, flavour_id)
    vnfd = pkg_store.load_vnfd(pkg)
    nfv = hot.build_nfv(flavour_of(pkg, flavour_id),
                        vnfd.software_images(flavour_id),
                        hot.vdu_flavors(vnfd, flavour_id), ext_vls, params,
                        counts, image_ids)
    return template, files, nfv


def stack_name(inst_id, suffix=None):
    name = 'vnf-%s' % inst_id
    return '%s-%s' % (name, suffix) if suffix else name


def current_stack(inst):
    meta = inst.instantiatedVnfInfo.obj_get('metadata') or {}
    if not meta.get('stack_id'):
        raise sol_ex.SolException(
            'VNF instance %s records no Heat stack (metadata.stack_id).' %
            inst.id)
    return meta['stack_id']


def ext_vls_of(info):
    """The extVirtualLinks an instance was given, from its record.

    Of the VL's extLinkPorts, those the request gave (a cpConfig names
    them by linkPortId) come back as the request had them.
    """
    found = []
    for vl in info.obj_get('extVirtualLinkInfo') or []:
        ext_cps = vl.obj_get('currentVnfExtCpData') or []
        named = {config.get('linkPortId') for cp in ext_cps
                 for config in (cp.get('cpConfig') or {}).values()}
        entry = {'id': vl.id, 'resourceId': vl.resourceHandle.resourceId,
                 'extCps': ext_cps}
        given = [{'id': port['id'],
                  'resourceHandle': port['resourceHandle']}
                 for port in vl.obj_get('extLinkPorts') or []
                 if port.get('id') in named]
        if given:
            entry['extLinkPorts'] = given
        found.append(entry)
    return found


def vdu_counts(info):
    counts = {}
    for vnfc in info.obj_get('vnfcResourceInfo') or []:
        counts[vnfc.vduId] = counts.get(vnfc.vduId, 0) + 1
    return counts
