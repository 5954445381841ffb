"""Rolling update of an OpenStack VNF to another package.

First ``upload_images``: the new package's image files of the VDUs of
vdu_params (and their storages) into Glance (see ``images``; undo
deletes what it uploaded). Then one step per VDU of vdu_params, in order:
``update_<VDU>``. Last ``delete_old_images``: the images of the old
record that the new one no longer names, when no other VNF uses them;
once one is deleted the VNFCs cannot go back to it, so its undo then
refuses and the rollback stays FAILED_TEMP (a retry finishes the change).

When the VDU is a group (AutoScalingGroup or ResourceGroup of a nested
template, as in the samples), its VNFCs are changed one at a time: for
each member, in the order Heat created them,

1. the member's nested stack is PATCHed with the member definition of
   the new package (its nested template and the properties evaluated
   with the new image and compute flavour, see ``vdu_template``), and
   waited for until UPDATE_COMPLETE; Heat rebuilds an image-booted server
   (same server id) and replaces one whose boot changes (image to volume,
   volume to image, a new volume: new server id);
2. Nova (and Cinder for a volume-booted server) must show the member's
   server on the new image;
3. the CoordinateVNF scripts run for that VNFC (new, then old);

and then the whole stack is PATCHed with its running template in which
that VDU's resource (and its nested templates) come from the new package,
and nfv with the VDU's new values, so that Heat's own record agrees with
what the members run (Heat finds nothing left to change in them).

A VDU that is not a group is updated through the whole stack in one go
and its scripts run once it is done.

The undo of ``update_<VDU>`` goes through the members already changed (and
the one being changed), newest first: where the scripts were called for
the member's VNFC (whether they succeeded or not), their ``rollback`` runs
(old, then new) while the VNFC is still on the new package; then the
member gets the old package's definition back. Then the stack's own
template and nfv (a VDU that is not a group: its VNFCs' rollback first).
Progress is kept per member in the step record, so a retry does not
update or coordinate a VNFC twice.

Heat's UPDATE_COMPLETE is not taken as proof: after a failed update, a
later one can complete with a server still on the other image; so every
update and undo reads the servers (Nova, and Cinder for a volume-booted
one) and fails, naming what they run, unless they run the image asked for.
"""
import copy

from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import vnf_package_store as pkg_store
from tacker.sol_refactored.infra_drivers.openstack import context as osctx
from tacker.sol_refactored.infra_drivers.openstack import hot
from tacker.sol_refactored.infra_drivers.openstack import images
from tacker.sol_refactored.infra_drivers.openstack import stack as os_stack
from tacker.sol_refactored.infra_drivers.openstack import vdu_template
from tacker.sol_refactored.infra_drivers.openstack import vnfc
from tacker.sol_refactored.lcm.base import Step
from tacker.sol_refactored.lcm import change_vnfpkg

CONF = os_stack.CONF


def vdu_keys(flavour, vdu_id):
    """The nfv.VDU keys of a VDU: itself and its virtual storages."""
    vdu = (flavour.get('vdus') or {}).get(vdu_id) or {}
    return [vdu_id] + list(vdu.get('virtualStorages') or [])


def with_vdu_values(current, source, keys):
    """current nfv with the image/flavour of ``keys`` taken from source.

    A key whose image source does not name (a VDU that boots from a volume
    there) loses the image it had: it is not what its servers run.
    """
    result = copy.deepcopy(current)
    for key in keys:
        entry = dict(result['VDU'].get(key) or {})
        given = source['VDU'].get(key) or {}
        if given.get('computeFlavourId') is not None:
            entry['computeFlavourId'] = given['computeFlavourId']
        if given.get('vcImageId') is not None:
            entry['vcImageId'] = given['vcImageId']
        else:
            entry.pop('vcImageId', None)
        result['VDU'][key] = entry
    return result


def server_image_pairs(vim, data, server_id):
    """(id, name) of the images one server of read_vim's data runs."""
    found = set()
    server = data['servers'].get(server_id) or {}
    image = server.get('image')
    if isinstance(image, dict) and image.get('id'):
        found.add((image['id'], vim.get(
            'read image %s' % image['id'], 'image',
            '/v2/images/%s' % image['id']).get('name')))
    for att in server.get('os-extended-volumes:volumes_attached') or []:
        meta = (data['volumes'].get(att.get('id')) or {}).get(
            'volume_image_metadata') or {}
        if meta.get('image_name') or meta.get('image_id'):
            found.add((meta.get('image_id'), meta.get('image_name')))
    return found


def server_images(vim, data, server_id, wanted=()):
    """The images one server runs, by id where ``wanted`` has the id.

    nfv names an image by name, or by id once uploaded from the package;
    each image is given the way ``wanted`` names it, by name otherwise.
    """
    return {image_id if image_id in wanted else name
            for image_id, name in server_image_pairs(vim, data, server_id)}


def running_images(vim, data, vdu_id):
    """(id, name) of the images the servers of a VDU run, from the VIM."""
    found = set()
    for res in data['resources']:
        if (res.get('resource_type') == vnfc.SERVER and
                res.get('resource_name') == vdu_id):
            found |= server_image_pairs(vim, data,
                                        res.get('physical_resource_id'))
    return found


def _check_running(vim, data, vdu_id, nfv, keys, what):
    """Fail unless the VDU's servers in ``data`` run the images of nfv.

    nfv names an image by name or (uploaded from the package) by id.
    """
    wanted = {(nfv['VDU'].get(k) or {}).get('vcImageId') for k in keys}
    wanted.discard(None)
    running = {image_id if image_id in wanted else name
               for image_id, name in running_images(vim, data, vdu_id)}
    if wanted and running != wanted:
        raise os_stack.StackFailed(
            '%s is UPDATE_COMPLETE but the servers of %s there run image(s) '
            '%s, not %s: Heat did not apply the update to every server.' % (
                what, vdu_id, ', '.join(sorted(map(str, running))) or 'none',
                ', '.join(sorted(wanted))))
    return data


def check_images(vim, stack_id, vdu_id, nfv, keys):
    """Fail unless the VDU's servers all run the images of ``nfv``."""
    _check_running(vim, vnfc.read_vim(vim, stack_id), vdu_id, nfv, keys,
                   'Stack %s' % stack_id)


def _vdu_ids(work):
    return [p['vdu_id'] for p in work.state.get('vduParams') or []]


def _check_member(vim, stack_id, vdu_id, member, nfv, keys):
    data = vnfc.member_data(vnfc.read_vim(vim, stack_id), member['stackId'])
    return _check_running(vim, data, vdu_id, nfv, keys,
                          'Member %s' % member['name'])


class _Package:
    """What one package makes of a VDU of the running flavour."""

    def __init__(self, work, vnfd_id, info):
        self.pkg = osctx.package_of(work.context, vnfd_id)
        self.flavour_id = info.flavourId
        self.template, self.files = hot.load_base_hot(
            pkg_store.package_dir(self.pkg.id), info.flavourId)

    def is_group(self, vdu_id):
        return vdu_template.is_group(self.template, self.files, vdu_id)

    def group(self, vdu_id):
        """Name of the top-level resource that makes the VDU's servers."""
        return vdu_template.group_name(vdu_template.parse(self.template),
                                       self.files, vdu_id)

    def keys(self, vdu_id):
        return vdu_keys(osctx.flavour_of(self.pkg, self.flavour_id), vdu_id)

    def nfv(self, work, info):
        return osctx.stack_inputs(
            self.pkg, self.flavour_id, osctx.ext_vls_of(info),
            work.req.obj_get('additionalParams'), osctx.vdu_counts(info),
            images.image_ids(work, 'newImages'))[2]


def _set_member(vim, stack_id, vdu_id, member, package, nfv):
    """Give one member the definition of ``package`` and wait."""
    key, text, props = vdu_template.member_definition(
        package.template, package.files, vdu_id, nfv)
    nested_files = {k: v for k, v in package.files.items() if k != key}
    os_stack.update_member(vim, member['stackId'], text, nested_files,
                           props)
    os_stack.wait(vim, member['stackId'], 'UPDATE',
                  CONF.openstack_vim.stack_update_timeout)
    return _check_member(vim, stack_id, vdu_id, member, nfv,
                         package.keys(vdu_id))


def _set_stack(vim, stack_id, vdu_id, package, nfv):
    """The stack's own template and nfv for the VDU from ``package``."""
    current, current_files = os_stack.template_of(vim, stack_id)
    template, files = vdu_template.with_vdu_resource(
        current, current_files, package.template, package.files, vdu_id)
    os_stack.update(vim, stack_id, nfv, template, files)
    os_stack.wait(vim, stack_id, 'UPDATE',
                  CONF.openstack_vim.stack_update_timeout)
    check_images(vim, stack_id, vdu_id, nfv, package.keys(vdu_id))


def _progress(work, vdu_id):
    """A VDU's members as far as this operation went, in the step record.

    ``order``: the members touched, in the order they were; ``phase``:
    member name -> ``updating``, ``updated`` or ``coordinated``;
    ``stacks``: member name -> its nested stack's id.
    """
    rolled = work.state.setdefault('rolled', {})
    return rolled.setdefault(vdu_id, {'order': [], 'phase': {}})


def steps(work):
    info = work.old_inst.instantiatedVnfInfo
    stack_id = osctx.current_stack(work.old_inst)

    def script_resources(item, member_name):
        """``resources`` of a script's request: the one VNFC."""
        extra = {'stackId': stack_id, 'vnfc': item}
        if member_name:
            extra['member'] = member_name
        return extra

    def coordinate(w, vdu_id, data, member_name=None):
        done = w.state.setdefault('coordinated', [])
        called = w.state.setdefault('scriptsCalled', [])
        for item in vnfc.summary(data):
            if item['vduId'] != vdu_id or item['serverId'] in done:
                continue
            extra = script_resources(item, member_name)
            if item['serverId'] not in called:
                called.append(item['serverId'])
                w.save_progress()
            change_vnfpkg.run_script(w, 'new', extra)
            change_vnfpkg.run_script(w, 'old', extra)
            done.append(item['serverId'])
            w.save_progress()

    def uncoordinate(w, vdu_id, data, member_name=None):
        """The scripts' rollback (old, then new) for VNFCs of the VDU.

        Only the VNFCs in ``data`` the scripts were called for, whether
        they succeeded or not.
        """
        called = w.state.get('scriptsCalled') or []
        for item in vnfc.summary(data):
            if item['vduId'] != vdu_id or item['serverId'] not in called:
                continue
            extra = script_resources(item, member_name)
            change_vnfpkg.run_script(w, 'old', extra, method='rollback')
            change_vnfpkg.run_script(w, 'new', extra, method='rollback')
            called.remove(item['serverId'])
            done = w.state.get('coordinated') or []
            if item['serverId'] in done:
                done.remove(item['serverId'])
            w.save_progress()

    def update(vdu_id):
        def do(w):
            new = _Package(w, w.req.vnfdId, info)
            keys = new.keys(vdu_id)
            with osctx.connect(w) as vim:
                current = os_stack.parameters(os_stack.find(vim, stack_id))
                if 'oldNfv' not in w.state:
                    w.state['oldNfv'] = current
                    w.save_progress()
                nfv = with_vdu_values(current, new.nfv(w, info), keys)
                # What only the old package named goes with it.
                old_keys = _Package(w, w.old_inst.vnfdId, info).keys(vdu_id)
                for key in old_keys:
                    if key not in keys:
                        nfv['VDU'].pop(key, None)
                if not new.is_group(vdu_id):
                    _set_stack(vim, stack_id, vdu_id, new, nfv)
                    coordinate(w, vdu_id, vnfc.read_vim(vim, stack_id))
                    return
                progress = _progress(w, vdu_id)
                members = vnfc.members(vnfc.read_vim(vim, stack_id),
                                       new.group(vdu_id))
                for member in members:
                    name = member['name']
                    phase = progress['phase'].get(name)
                    if phase == 'coordinated':
                        continue
                    if phase != 'updated':
                        if name not in progress['order']:
                            progress['order'].append(name)
                        progress['phase'][name] = 'updating'
                        progress.setdefault('stacks', {})[name] = (
                            member['stackId'])
                        w.save_progress()
                        data = _set_member(vim, stack_id, vdu_id, member,
                                           new, nfv)
                        progress['phase'][name] = 'updated'
                        w.save_progress()
                    else:
                        data = vnfc.member_data(
                            vnfc.read_vim(vim, stack_id), member['stackId'])
                    coordinate(w, vdu_id, data, name)
                    progress['phase'][name] = 'coordinated'
                    w.save_progress()
                _set_stack(vim, stack_id, vdu_id, new, nfv)
        return do

    def restore(vdu_id):
        def undo(w):
            old = _Package(w, w.old_inst.vnfdId, info)
            new = _Package(w, w.req.vnfdId, info)
            with osctx.connect(w) as vim:
                current = os_stack.parameters(os_stack.find(vim, stack_id))
                nfv = with_vdu_values(current, w.state['oldNfv'],
                                      old.keys(vdu_id))
                # What only the new package named goes with it.
                for key in new.keys(vdu_id):
                    if key not in w.state['oldNfv'].get('VDU', {}):
                        nfv['VDU'].pop(key, None)
                if old.is_group(vdu_id):
                    progress = _progress(w, vdu_id)
                    for name in reversed(list(progress['order'])):
                        member = {'name': name,
                                  'stackId': progress['stacks'][name]}
                        if w.state.get('scriptsCalled'):
                            uncoordinate(w, vdu_id, vnfc.member_data(
                                vnfc.read_vim(vim, stack_id),
                                member['stackId']), name)
                        # Being put back: a retry after a failed undo
                        # updates (and coordinates) it again.
                        progress['phase'][name] = 'updating'
                        w.save_progress()
                        _set_member(vim, stack_id, vdu_id, member, old, nfv)
                        progress['order'].remove(name)
                        progress['phase'].pop(name, None)
                        w.save_progress()
                elif w.state.get('scriptsCalled'):
                    uncoordinate(w, vdu_id, vnfc.read_vim(vim, stack_id))
                _set_stack(vim, stack_id, vdu_id, old, nfv)
        return undo

    new_flavour = osctx.flavour_of(
        osctx.package_of(work.context, work.req.vnfdId), info.flavourId)
    changed = set()
    for vdu_id in _vdu_ids(work):
        changed.update(vdu_keys(new_flavour, vdu_id))
    return ([Step('upload_images',
                  lambda w: images.upload_step(w, 'newImages', w.req.vnfdId,
                                               info.flavourId, changed),
                  lambda w: images.undo_step(w, 'newImages'))] +
            [Step('update_%s' % vdu_id, update(vdu_id), restore(vdu_id))
             for vdu_id in _vdu_ids(work)] +
            [Step('delete_old_images', _delete_old_images,
                  _refuse_undo_of_image_delete)])


def _changed_nodes(work):
    """The nodes (VDUs, storages) of vdu_params, in both packages."""
    info = work.old_inst.instantiatedVnfInfo
    nodes = set()
    for vnfd_id in (work.old_inst.vnfdId, work.req.vnfdId):
        flavour = osctx.flavour_of(osctx.package_of(work.context, vnfd_id),
                                   info.flavourId)
        for vdu_id in _vdu_ids(work):
            nodes.update(vdu_keys(flavour, vdu_id))
    return nodes


def new_images(work):
    """metadata.images after the update: the VDUs not changed keep theirs."""
    changed = _changed_nodes(work)
    kept = [i for i in images.of_record(work.old_inst.instantiatedVnfInfo)
            if images.node_of(i) not in changed]
    return kept + images.recorded(work.state.get('newImages'))


def _delete_old_images(work):
    keep = {i['imageId'] for i in new_images(work)}
    old = [i.get('imageId') for i in
           images.of_record(work.old_inst.instantiatedVnfInfo)]
    with osctx.connect(work) as vim:
        deleted = images.release(work, vim, old, keep)
    if deleted:
        work.state['deletedOldImages'] = deleted
        work.save_progress()


class OldImagesGone(sol_ex.Conflict):
    title = 'Rollback not possible'


def _refuse_undo_of_image_delete(work):
    if work.state.get('deletedOldImages'):
        raise OldImagesGone(
            'The old images %s are deleted from Glance: the VNFCs cannot '
            'go back to them, so the change cannot be rolled back. Retry '
            'the operation to finish it, or fail it.' % ', '.join(
                work.state['deletedOldImages']))


def check(old_pkg, new_pkg, flavour_id, vdu_ids, nfv):
    """Refuse, before anything changes, what a per-VNFC update cannot do.

    A VDU that is a group in the new package must be one in the running
    package too, of members made of the same nested template name (Heat
    would otherwise replace every member when the stack takes the new
    definition), and its member properties must be computable.
    """
    new_template, new_files = hot.load_base_hot(
        pkg_store.package_dir(new_pkg.id), flavour_id)
    old_template, old_files = hot.load_base_hot(
        pkg_store.package_dir(old_pkg.id), flavour_id)
    for vdu_id in vdu_ids:
        new_def = vdu_template.member_definition(new_template, new_files,
                                                 vdu_id, nfv)
        old_key = vdu_template.member_type(old_template, old_files, vdu_id)
        old_group = vdu_template.group_name(
            vdu_template.parse(old_template), old_files, vdu_id)
        new_group = vdu_template.group_name(
            vdu_template.parse(new_template), new_files, vdu_id)
        if old_group != new_group:
            raise sol_ex.UnprocessableEntity(
                'The servers of VDU %s are made by resource %s in the '
                'running package and by %s in the new one; Heat would '
                'delete the one and create the other, every VNFC at once, '
                'so a Rolling update needs the same resource name in both '
                '(Blue-Green can change it).' % (vdu_id, old_group,
                                                 new_group))
        new_key = new_def[0] if new_def else None
        if new_key != old_key:
            raise sol_ex.UnprocessableEntity(
                'VDU %s is made of %s in the running package and of %s in '
                'the new one; a Rolling update keeps the members of a VDU '
                'and changes them one by one, so both packages must build '
                'them from the same nested template name (its content may '
                'differ).' % (vdu_id, old_key or 'no nested template',
                              new_key or 'no nested template'))


def _read_info(work, vnfd_id, image_items):
    """The record of the VNF's stack as the VIM holds it, for vnfd_id."""
    old = work.old_inst.instantiatedVnfInfo
    stack_id = osctx.current_stack(work.old_inst)
    pkg = osctx.package_of(work.context, vnfd_id)
    with osctx.connect(work) as vim:
        data = vnfc.read_vim(vim, stack_id, osctx.ext_vls_of(old))
        nfv = os_stack.parameters(os_stack.find(vim, stack_id))
    return images.with_images(
        vnfc.build_info(data, old.flavourId,
                        osctx.flavour_of(pkg, old.flavourId),
                        vnfd_id, osctx.ext_vls_of(old), nfv), image_items)


def rollback_info(work):
    """The record of the VNF as the VIM holds it after a rollback.

    Undoing an update puts the old image back, but Heat replaces a server
    whose boot volume changes: the record is read again rather than kept.
    """
    return _read_info(work, work.old_inst.vnfdId,
                      images.of_record(work.old_inst.instantiatedVnfInfo))


def info(work):
    return _read_info(work, work.req.vnfdId, new_images(work))
