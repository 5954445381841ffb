"""The package's BaseHOT and the ``nfv`` parameter the sample HOTs read.

A package holds, per deployment flavour, ``BaseHOT/<flavour>/`` with one
top-level template (``top.yaml``, or the one no other template there
names) and nested templates, under ``BaseHOT/<flavour>/nested/`` or beside
it. Heat gets them in ``files`` keyed exactly as the templates reference
them (``type: nested/VDU1.yaml``, ``type: VDU1.yaml`` for
``nested/VDU1.yaml``, ``type: nested_server.yaml`` beside the top one).

The stack has one json parameter, ``nfv``::

    {"VDU": {"VDU1": {"computeFlavourId": "m1.tiny", "vcImageId": "img",
                      "desired_capacity": 1},
             "VirtualStorage": {"vcImageId": "img"}},
     "CP": {"VDU1_CP1": {"network": "<network id or name>"}}}

Values come from the VNFD (image name of ``sw_image_data``, or the id of the
Glance image made from the package's image file, see ``images``; flavour
name of
``virtual_compute.requested_additional_capabilities``, instance count of
``vdu_profile.min_number_of_instances``) and from the request (networks,
fixed addresses, subnets, MAC addresses and ports of ``extVirtualLinks``,
see ``ext_cps``); ``additionalParams.nfv`` overrides any of them.
"""
import copy
import os

from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.infra_drivers.openstack import ext_cps
from tacker.sol_refactored.infra_drivers.openstack import vdu_template

BASE_HOT = 'BaseHOT'
NESTED = 'nested'
TEMPLATE_SUFFIXES = ('.yaml', '.yml', '.template')


def load_base_hot(root, flavour_id):
    """(top template text, {files key: text}) of a flavour.

    Heat finds a nested template in ``files`` under the very string a
    resource's ``type`` names (``nested/VDU1.yaml``, ``VDU1.yaml``,
    ``../common/port.yaml`` ...), so every template a template references
    is given under that key, found relative to the referencing template
    or, for a bare name, under ``nested/`` (where many packages keep
    them). A reference the package cannot satisfy is a 422 naming it.
    """
    where = os.path.join(root, BASE_HOT, flavour_id)
    if not os.path.isdir(where):
        raise sol_ex.UnprocessableEntity(
            'The VNF package has no %s/%s/ directory: it holds no Heat '
            'template for flavour %s.' % (BASE_HOT, flavour_id, flavour_id))
    top = _top_template(where, flavour_id)
    with open(os.path.join(where, top)) as f:
        template = f.read()
    files = {}
    nested = os.path.join(where, NESTED)
    for dirpath, dirnames, filenames in os.walk(nested):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            key = os.path.relpath(path, where).replace(os.sep, '/')
            with open(path) as f:
                files[key] = f.read()
    _add_references(root, where, os.path.join(where, top), template, files)
    return template, files


def _rel(root, path):
    return os.path.relpath(path, root).replace(os.sep, '/')


def template_types(text):
    """The ``type`` strings of a template that name other templates."""
    found = set()

    def walk(value):
        if isinstance(value, dict):
            kind = value.get('type')
            if isinstance(kind, str) and '::' not in kind and \
                    kind.endswith(TEMPLATE_SUFFIXES):
                found.add(kind)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
    walk(vdu_template.parse(text).get('resources') or {})
    return found


def _top_template(where, flavour_id):
    """The flavour's top template: top.yaml, or the one nothing names."""
    tops = sorted(name for name in os.listdir(where)
                  if name.endswith(TEMPLATE_SUFFIXES) and
                  os.path.isfile(os.path.join(where, name)))
    if 'top.yaml' in tops:
        return 'top.yaml'
    if len(tops) > 1:
        # Nested templates beside the top one: the top one is the
        # template no other one references.
        named = set()
        for name in tops:
            with open(os.path.join(where, name)) as f:
                named |= {os.path.normpath(t) for t in
                          template_types(f.read())}
        tops = [name for name in tops if name not in named]
    if len(tops) != 1:
        raise sol_ex.UnprocessableEntity(
            '%s/%s/ must hold exactly one top-level template (or one named '
            'top.yaml); it holds: %s.' % (BASE_HOT, flavour_id,
                                          ', '.join(tops) or 'none'))
    return tops[0]


def _add_references(root, where, path, text, files, seen=None):
    """Put every template ``text`` (the file ``path``) references in files.

    Nested references are followed; a key naming two different files is
    refused, as Heat could hold only one of them.
    """
    seen = set() if seen is None else seen
    real_root = os.path.realpath(root)
    for kind in sorted(template_types(text)):
        candidates = [os.path.join(os.path.dirname(path), kind)]
        if '/' not in kind:
            candidates.append(os.path.join(where, NESTED, kind))
        found = None
        for candidate in candidates:
            real = os.path.realpath(candidate)
            if os.path.commonpath([real_root, real]) != real_root:
                raise sol_ex.UnprocessableEntity(
                    'The Heat template %s names type %s, which leads '
                    'outside the VNF package.' % (_rel(root, path), kind))
            if os.path.isfile(real):
                found = real
                break
        if found is None:
            raise sol_ex.UnprocessableEntity(
                'The Heat template %s names type %s, which the package '
                'does not hold (looked for %s).' % (
                    _rel(root, path), kind, ' and '.join(
                        _rel(root, c) for c in candidates)))
        with open(found) as f:
            nested_text = f.read()
        if kind in files and files[kind] != nested_text:
            raise sol_ex.UnprocessableEntity(
                'The Heat templates name type %s for two different files '
                '(%s is one); Heat can be given only one template under a '
                'name.' % (kind, _rel(root, found)))
        files[kind] = nested_text
        if found not in seen:
            seen.add(found)
            _add_references(root, where, found, nested_text, files, seen)


def vdu_flavors(vnfd, flavour_id):
    """{VDU id: compute flavour name} from the VDUs' virtual_compute."""
    found = {}
    for topology in vnfd._topologies():
        if vnfd._flavour_id(topology) != flavour_id:
            continue
        for node in topology.nodetemplates or []:
            caps = node.get_capabilities()
            if 'virtual_compute' not in caps:
                continue
            extra = caps['virtual_compute'].get_property_value(
                'requested_additional_capabilities') or {}
            for item in extra.values():
                name = (item or {}).get('requested_additional_capability_name')
                if name:
                    found[node.name] = name
                    break
    return found


def deep_merge(base, override):
    result = copy.deepcopy(base)
    for key, value in (override or {}).items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = deep_merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def ext_cp_networks(ext_vls):
    """{cpd id: (ext VL id, network resourceId, cpConfig key)}."""
    found = {}
    for vl in ext_vls or []:
        for ext_cp in vl.get('extCps') or []:
            config_ids = sorted((ext_cp.get('cpConfig') or {}).keys())
            found[ext_cp['cpdId']] = (vl['id'], vl['resourceId'],
                                      config_ids[0] if config_ids else None)
    return found


def build_nfv(flavour, images, flavors, ext_vls, params, counts=None,
              image_ids=None):
    """The ``nfv`` stack parameter, or a 422 naming what is missing.

    ``flavour`` is the flavour's vnfdSummary entry, ``images`` the
    VNFD's software images by node, ``flavors`` the compute flavours by
    VDU, ``counts`` {VDU id: instances} overriding the VNFD's minimum,
    ``image_ids`` {node: Glance image id} of the images uploaded from
    the package (the others are named by their sw_image_data name).
    """
    image_ids = image_ids or {}

    def image_of(node):
        return image_ids.get(node) or images[node]['name']

    vdus, cps = {}, {}
    for vdu_id, vdu in sorted((flavour.get('vdus') or {}).items()):
        entry = {}
        if vdu_id in flavors:
            entry['computeFlavourId'] = flavors[vdu_id]
        if vdu_id in images:
            entry['vcImageId'] = image_of(vdu_id)
        profile = vdu.get('vduProfile') or {}
        count = (counts or {}).get(vdu_id)
        if count is None:
            count = profile.get('min_number_of_instances', 1)
        entry['desired_capacity'] = count
        vdus[vdu_id] = entry
        for storage in vdu.get('virtualStorages') or []:
            if storage in images:
                vdus[storage] = {'vcImageId': image_of(storage)}
    requested = ext_cps.cp_params(ext_vls)
    for cp_id in sorted(flavour.get('cps') or {}):
        if cp_id in requested:
            cps[cp_id] = requested[cp_id]
    nfv = deep_merge({'VDU': vdus, 'CP': cps}, (params or {}).get('nfv'))
    check_nfv(flavour, nfv)
    ext_cps.check_counts(flavour, nfv)
    return nfv


def check_nfv(flavour, nfv):
    missing = []
    for vdu_id in sorted(flavour.get('vdus') or {}):
        entry = nfv['VDU'].get(vdu_id) or {}
        if not entry.get('computeFlavourId'):
            missing.append('the compute flavour of %s (VNFD virtual_compute '
                           'requested_additional_capabilities, or '
                           'additionalParams.nfv.VDU.%s.computeFlavourId)'
                           % (vdu_id, vdu_id))
    for cp_id in sorted(flavour.get('cps') or {}):
        cp = flavour['cps'][cp_id]
        if cp.get('virtualLink'):
            continue
        if not (nfv['CP'].get(cp_id) or {}).get('network'):
            missing.append('the network of external CP %s (an extCps entry '
                           'with cpdId %s in extVirtualLinks, or '
                           'additionalParams.nfv.CP.%s.network)' % (
                               cp_id, cp_id, cp_id))
    if missing:
        raise sol_ex.UnprocessableEntity(
            'The Heat stack cannot be built without ' + '; '.join(missing)
            + '.')
