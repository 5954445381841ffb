"""Rolling update of an OpenStack VNF to another package.

For each VDU of vdu_params, in order:

update_<VDU>      PATCH the stack with the new package's template and the
                  new image and compute flavour of that VDU (and of its
                  storages) in ``nfv``; wait UPDATE_COMPLETE. The sample's
                  AutoScalingGroup updates its members one at a time
                  (rolling_updates max_batch_size 1): Heat rebuilds an
                  image-booted server (same server id) and replaces a
                  volume-booted one (new server and volume ids). Undo puts
                  the VDU's former values back the same way.
coordinate_<VDU>  the CoordinateVNF scripts (new, then old) for each VNFC
                  of the VDU in turn.

What Heat cannot do is stop between two members of one group for a
script: the scripts run after the group has been updated, VNFC by VNFC.

Heat's UPDATE_COMPLETE is not taken as proof: after an update of a group
failed (e.g. Cinder refused a member's new volume), a later update back
to the former image can complete with the member still on the new one.
So both the update and its undo read the VDU's servers (Nova, and Cinder
for a volume-booted one) and fail, with what they run, unless every one
runs the image asked for.
"""
import copy

from tacker.sol_refactored.common import vnf_package_store as pkg_store
from tacker.sol_refactored.infra_drivers.openstack import context as osctx
from tacker.sol_refactored.infra_drivers.openstack import hot
from tacker.sol_refactored.infra_drivers.openstack import stack as os_stack
from tacker.sol_refactored.infra_drivers.openstack import vnfc
from tacker.sol_refactored.lcm.base import Step
from tacker.sol_refactored.lcm import change_vnfpkg

CONF = os_stack.CONF


def vdu_keys(flavour, vdu_id):
    """The nfv.VDU keys of a VDU: itself and its virtual storages."""
    vdu = (flavour.get('vdus') or {}).get(vdu_id) or {}
    return [vdu_id] + list(vdu.get('virtualStorages') or [])


def with_vdu_values(current, source, keys):
    """current nfv with the image/flavour of ``keys`` taken from source."""
    result = copy.deepcopy(current)
    for key in keys:
        entry = dict(result['VDU'].get(key) or {})
        for attr in ('vcImageId', 'computeFlavourId'):
            value = (source['VDU'].get(key) or {}).get(attr)
            if value is not None:
                entry[attr] = value
        result['VDU'][key] = entry
    return result


def running_images(vim, data, vdu_id):
    """Names of the images the servers of a VDU run, from the VIM."""
    names = set()
    for res in data['resources']:
        if (res.get('resource_type') != vnfc.SERVER or
                res.get('resource_name') != vdu_id):
            continue
        server = data['servers'].get(res.get('physical_resource_id')) or {}
        image = server.get('image')
        if isinstance(image, dict) and image.get('id'):
            names.add(vim.get('read image %s' % image['id'], 'image',
                              '/v2/images/%s' % image['id']).get('name'))
        for att in server.get('os-extended-volumes:volumes_attached') or []:
            meta = (data['volumes'].get(att.get('id')) or {}).get(
                'volume_image_metadata') or {}
            if meta.get('image_name'):
                names.add(meta['image_name'])
    return names


def check_images(vim, stack_id, vdu_id, nfv, keys):
    """Fail unless the VDU's servers all run the images of ``nfv``."""
    wanted = {(nfv['VDU'].get(k) or {}).get('vcImageId') for k in keys}
    wanted.discard(None)
    running = running_images(vim, vnfc.read_vim(vim, stack_id), vdu_id)
    if wanted and running != wanted:
        raise os_stack.StackFailed(
            'Stack %s is UPDATE_COMPLETE but the servers of %s run image(s) '
            '%s, not %s: Heat did not apply the update to every member.' % (
                stack_id, vdu_id, ', '.join(sorted(map(str, running))),
                ', '.join(sorted(wanted))))


def _vdu_ids(work):
    return [p['vdu_id'] for p in work.state.get('vduParams') or []]


def steps(work):
    info = work.old_inst.instantiatedVnfInfo
    stack_id = osctx.current_stack(work.old_inst)
    result = []

    def new_inputs(w):
        pkg = osctx.package_of(w.context, w.req.vnfdId)
        return pkg, osctx.stack_inputs(
            pkg, info.flavourId, osctx.ext_vls_of(info),
            w.req.obj_get('additionalParams'), osctx.vdu_counts(info))

    def update(vdu_id):
        def do(w):
            pkg, (template, files, new_nfv) = new_inputs(w)
            keys = vdu_keys(osctx.flavour_of(pkg, info.flavourId), vdu_id)
            with osctx.connect(w) as vim:
                current = os_stack.parameters(os_stack.find(vim, stack_id))
                if 'oldNfv' not in w.state:
                    w.state['oldNfv'] = current
                    w.save_progress()
                nfv = with_vdu_values(current, new_nfv, keys)
                w.state['nfv'] = nfv
                w.save_progress()
                os_stack.update(vim, stack_id, nfv, template, files)
                os_stack.wait(vim, stack_id, 'UPDATE',
                              CONF.openstack_vim.stack_update_timeout)
                check_images(vim, stack_id, vdu_id, nfv, keys)
        return do

    def restore(vdu_id):
        def undo(w):
            old_pkg = osctx.package_of(w.context, w.old_inst.vnfdId)
            template, files = hot.load_base_hot(
                pkg_store.package_dir(old_pkg.id), info.flavourId)
            keys = vdu_keys(osctx.flavour_of(old_pkg, info.flavourId),
                            vdu_id)
            with osctx.connect(w) as vim:
                current = os_stack.parameters(os_stack.find(vim, stack_id))
                nfv = with_vdu_values(current, w.state['oldNfv'], keys)
                w.state['nfv'] = nfv
                w.save_progress()
                os_stack.update(vim, stack_id, nfv, template, files)
                os_stack.wait(vim, stack_id, 'UPDATE',
                              CONF.openstack_vim.stack_update_timeout)
                check_images(vim, stack_id, vdu_id, nfv, keys)
        return undo

    def coordinate(vdu_id):
        def do(w):
            with osctx.connect(w) as vim:
                data = vnfc.read_vim(vim, stack_id)
            done = w.state.setdefault('coordinated', [])
            for item in vnfc.summary(data):
                if item['vduId'] != vdu_id or item['serverId'] in done:
                    continue
                extra = {'stackId': stack_id, 'vnfc': item}
                change_vnfpkg.run_script(w, 'new', extra)
                change_vnfpkg.run_script(w, 'old', extra)
                done.append(item['serverId'])
                w.save_progress()
        return do

    for vdu_id in _vdu_ids(work):
        result.append(Step('update_%s' % vdu_id, update(vdu_id),
                           restore(vdu_id)))
        result.append(Step('coordinate_%s' % vdu_id, coordinate(vdu_id)))
    return result


def info(work):
    old = work.old_inst.instantiatedVnfInfo
    stack_id = osctx.current_stack(work.old_inst)
    pkg = osctx.package_of(work.context, work.req.vnfdId)
    with osctx.connect(work) as vim:
        data = vnfc.read_vim(vim, stack_id)
        nfv = os_stack.parameters(os_stack.find(vim, stack_id))
    return vnfc.build_info(data, old.flavourId,
                           osctx.flavour_of(pkg, old.flavourId),
                           work.req.vnfdId, osctx.ext_vls_of(old), nfv)
