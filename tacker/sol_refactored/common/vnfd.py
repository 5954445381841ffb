"""Reading the VNFD (SOL001 TOSCA) of an extracted VNF package.

tosca-parser validates the descriptor; what the VNFM needs afterwards (the
VNF's identity, its flavours, VDUs, storages, connection points, software
images and lifecycle scripts) is read from the parsed templates into plain
dicts, so that the rest of the tree never touches tosca-parser objects.
"""
import os
import threading

from toscaparser.common import exception as tosca_ex
from toscaparser.elements import scalarunit
from toscaparser import functions as tosca_functions
from toscaparser.tosca_template import ToscaTemplate
import yaml

from tacker.sol_refactored.common import instantiation_levels

VNF_TYPE = 'tosca.nodes.nfv.VNF'
VDU_TYPE = 'tosca.nodes.nfv.Vdu.Compute'
STORAGE_TYPE = 'tosca.nodes.nfv.Vdu.VirtualBlockStorage'
CP_TYPE = 'tosca.nodes.nfv.VduCp'
VL_TYPE = 'tosca.nodes.nfv.VnfVirtualLink'
SW_IMAGE_ARTIFACT = 'tosca.artifacts.nfv.SwImage'

# VNF node properties that become VnfPkgInfo attributes.
VNF_IDENTITY = {
    'descriptor_id': 'vnfdId',
    'provider': 'vnfProvider',
    'product_name': 'vnfProductName',
    'software_version': 'vnfSoftwareVersion',
    'descriptor_version': 'vnfdVersion',
}

# tosca-parser gathers its errors in a module-level collector, so two
# parses running at once in different threads would mix their errors.
_PARSE_LOCK = threading.Lock()


class VnfdError(Exception):
    """The VNFD cannot be used; the message names the file and reason."""


def _inside(root, path):
    root = os.path.realpath(root)
    path = os.path.realpath(path)
    return path == root or path.startswith(root + os.sep)


def _rel(root, path):
    return os.path.relpath(os.path.realpath(path), os.path.realpath(root))


def _load_yaml(root, path):
    try:
        with open(path, 'rb') as f:
            data = yaml.safe_load(f)
    except yaml.YAMLError as e:
        raise VnfdError('%s is not valid YAML: %s' % (_rel(root, path), e))
    except UnicodeDecodeError:
        raise VnfdError('%s is not UTF-8 text.' % _rel(root, path))
    if not isinstance(data, dict):
        raise VnfdError('%s does not hold a TOSCA service template (a YAML '
                        'mapping).' % _rel(root, path))
    return data


def descriptor_files(root, entry):
    """The entry file and every file it imports, as package paths.

    Imports are checked here, before tosca-parser sees them, because
    tosca-parser would fetch a URL import over the network (without a
    timeout) and would follow a relative path out of the package.
    """
    found = []
    pending = [os.path.join(root, entry)]
    while pending:
        path = pending.pop(0)
        rel = _rel(root, path)
        if rel in found:
            continue
        found.append(rel)
        tpl = _load_yaml(root, path)
        imports = tpl.get('imports') or []
        if not isinstance(imports, list):
            raise VnfdError('%s: "imports" must be a list.' % rel)
        for item in imports:
            if isinstance(item, dict):
                # Either {name: {file: ...}} or {file: ...}.
                if 'file' not in item and len(item) == 1:
                    item = next(iter(item.values()))
                name = item.get('file') if isinstance(item, dict) else None
            else:
                name = item
            if not isinstance(name, str) or not name:
                raise VnfdError('%s: an import names no file.' % rel)
            if '://' in name or name.startswith('/'):
                raise VnfdError(
                    '%s imports %s; imports must be relative paths of files '
                    'inside the package.' % (rel, name))
            target = os.path.join(os.path.dirname(path), name)
            if not _inside(root, target):
                raise VnfdError('%s imports %s, which is outside the '
                                'package.' % (rel, name))
            if not os.path.isfile(target):
                raise VnfdError('%s imports %s, which is not in the '
                                'package.' % (rel, name))
            pending.append(target)
    return found


def _plain(value):
    """A property value, or None when it is a TOSCA function (get_input)."""
    if isinstance(value, tosca_functions.Function):
        return None
    return value


def _props(node):
    return {p.name: _plain(p.value) for p in node.get_properties_objects()}


def _bytes(value, where):
    if value is None:
        return None
    try:
        return int(scalarunit.ScalarUnit_Size(value)
                   .get_num_from_scalar_unit('B'))
    except Exception:
        raise VnfdError('%s: %r is not a size (e.g. "1 GiB").' % (
            where, value))


class Vnfd:
    """A parsed VNFD: identity, flavours and software images."""

    def __init__(self, root, entry):
        self.root = root
        self.entry = entry
        self.files = descriptor_files(root, entry)
        self._tosca = self._parse()
        self.vnf = self._identity()
        self.flavours = self._flavours()

    def _parse(self):
        path = os.path.join(self.root, self.entry)
        with _PARSE_LOCK:
            try:
                return ToscaTemplate(path=path, a_file=True)
            except tosca_ex.ValidationError as e:
                # The plain report: the full one carries Python tracebacks
                # of the server, which are no help to the client.
                report = tosca_ex.ExceptionCollector.getExceptionsReport(
                    full=False)
                reason = '; '.join(report) if report else str(e)
            except Exception as e:
                # tosca-parser fails with plain Python errors on some
                # malformed input; it is still the VNFD that is wrong.
                reason = '%s: %s' % (type(e).__name__, e)
        # Server paths mean nothing to the client: show package paths.
        reason = reason.replace(os.path.realpath(self.root) + os.sep, '')
        reason = reason.replace(self.root + os.sep, '')
        raise VnfdError('tosca-parser refused the VNFD %s: %s' % (
            self.entry, reason))

    # -- the VNF's identity --------------------------------------------

    def _topologies(self):
        """(flavour file's topology, its substitution mappings) pairs."""
        nested = list(self._tosca.nested_tosca_templates_with_topology or [])
        if nested:
            return nested
        if self._tosca.topology_template is not None:
            return [self._tosca.topology_template]
        return []

    def _vnf_nodes(self, topology):
        return [n for n in (topology.nodetemplates or [])
                if n.is_derived_from(VNF_TYPE)]

    def _identity(self):
        candidates = []
        top = self._tosca.topology_template
        if top is not None:
            candidates.extend(self._vnf_nodes(top))
        for topology in self._topologies():
            candidates.extend(self._vnf_nodes(topology))
        if not candidates:
            raise VnfdError('The VNFD %s has no node of type %s (or derived '
                            'from it).' % (self.entry, VNF_TYPE))
        vnf = {}
        for key in list(VNF_IDENTITY) + ['vnfm_info']:
            for node in candidates:
                value = _props(node).get(key)
                if value is not None and value != '':
                    vnf[key] = value
                    break
        for key in VNF_IDENTITY:
            if not isinstance(vnf.get(key), (str, int, float)):
                raise VnfdError(
                    'The VNF node of the VNFD %s has no value for the '
                    'mandatory property %s.' % (self.entry, key))
            vnf[key] = str(vnf[key])
        ids = {str(_props(n).get('descriptor_id')) for n in candidates
               if _props(n).get('descriptor_id') is not None}
        if len(ids) > 1:
            raise VnfdError('The VNF nodes of the VNFD %s disagree on '
                            'descriptor_id: %s.' % (
                                self.entry, ', '.join(sorted(ids))))
        return vnf

    # -- flavours --------------------------------------------------------

    def _flavour_id(self, topology):
        mappings = getattr(topology, 'substitution_mappings', None)
        if mappings is not None:
            value = (mappings.properties or {}).get('flavour_id')
            if isinstance(value, str) and value:
                return value
        for node in self._vnf_nodes(topology):
            value = _props(node).get('flavour_id')
            if isinstance(value, str) and value:
                return value
        return None

    def _flavours(self):
        flavours = {}
        for topology in self._topologies():
            flavour_id = self._flavour_id(topology)
            if flavour_id is None:
                raise VnfdError(
                    'A deployment flavour of the VNFD %s has no flavour_id '
                    '(set it in substitution_mappings or on the VNF node).'
                    % self.entry)
            if flavour_id in flavours:
                raise VnfdError('The VNFD %s defines flavour %s twice.' % (
                    self.entry, flavour_id))
            flavours[flavour_id] = self._flavour(flavour_id, topology)
        if not flavours:
            raise VnfdError('The VNFD %s defines no deployment flavour.' %
                            self.entry)
        return flavours

    def _flavour(self, flavour_id, topology):
        flavour = {'flavourId': flavour_id, 'description': None,
                   'vdus': {}, 'virtualStorages': {}, 'cps': {},
                   'virtualLinks': [], 'lcmScripts': {}}
        for node in topology.nodetemplates or []:
            props = _props(node)
            reqs = {}
            for req in node.requirements or []:
                for name, target in req.items():
                    if isinstance(target, dict):
                        target = target.get('node')
                    reqs.setdefault(name, []).append(target)
            if node.is_derived_from(VNF_TYPE):
                flavour['description'] = props.get('flavour_description')
                flavour['lcmScripts'] = self._lcm_scripts(node)
            elif node.is_derived_from(VDU_TYPE):
                flavour['vdus'][node.name] = {
                    'name': props.get('name'),
                    'description': props.get('description'),
                    'vduProfile': props.get('vdu_profile'),
                    'virtualStorages': reqs.get('virtual_storage', []),
                    'swImage': self._has_image(node, props)}
            elif node.is_derived_from(STORAGE_TYPE):
                flavour['virtualStorages'][node.name] = {
                    'swImage': self._has_image(node, props)}
            elif node.is_derived_from(CP_TYPE):
                flavour['cps'][node.name] = {
                    'vdu': (reqs.get('virtual_binding') or [None])[0],
                    'virtualLink': (reqs.get('virtual_link') or [None])[0]}
            elif node.is_derived_from(VL_TYPE):
                flavour['virtualLinks'].append(node.name)
        try:
            flavour['instantiationLevels'] = instantiation_levels.parse(
                getattr(topology, 'policies', None), set(flavour['vdus']))
        except instantiation_levels.LevelError as e:
            raise VnfdError('Flavour %s of the VNFD %s: %s' % (
                flavour_id, self.entry, e))
        return flavour

    @staticmethod
    def _has_image(node, props):
        return node.name if (props.get('sw_image_data') or
                             _image_artifact(node)) else None

    def _artifact_file(self, node, name, file_name):
        """Package path of an artifact file, checked to be inside it."""
        where = '%s artifact %s' % (node.name, name)
        if not isinstance(file_name, str) or not file_name:
            raise VnfdError('%s names no file.' % where)
        if '://' in file_name:
            return None
        # SOL001 artifacts are relative to the descriptor; some packages
        # write them relative to the package root instead: accept both.
        for base in (os.path.join(self.root, os.path.dirname(self.entry)),
                     self.root):
            path = os.path.join(base, file_name)
            if not _inside(self.root, path):
                raise VnfdError('%s: %s is outside the package.' % (
                    where, file_name))
            if os.path.isfile(path):
                return _rel(self.root, path)
        raise VnfdError('%s: %s is not in the package.' % (where, file_name))

    def _lcm_scripts(self, node):
        scripts = {}
        artifacts = node.entity_tpl.get('artifacts') or {}
        for iface in (node.entity_tpl.get('interfaces') or {}).values():
            for op, definition in (iface or {}).items():
                impl = definition
                if isinstance(definition, dict):
                    impl = definition.get('implementation')
                if isinstance(impl, dict):
                    impl = impl.get('primary')
                if isinstance(impl, str) and impl in artifacts:
                    art = artifacts[impl] or {}
                    scripts[op] = self._artifact_file(
                        node, impl, art.get('file'))
        return scripts

    # -- software images ---------------------------------------------------

    def software_images(self, flavour_id=None):
        """Each software image the VNFD declares, keyed by node name.

        With ``flavour_id``, only the VDUs and storages of that flavour
        (two flavours may give a node of the same name other images).
        """
        images = {}
        for topology in self._topologies():
            if (flavour_id is not None and
                    self._flavour_id(topology) != flavour_id):
                continue
            for node in topology.nodetemplates or []:
                if not (node.is_derived_from(VDU_TYPE) or
                        node.is_derived_from(STORAGE_TYPE)):
                    continue
                if node.name in images:
                    continue
                image = self._image(node)
                if image is not None:
                    images[node.name] = image
        return images

    def _image(self, node):
        props = _props(node)
        art_name, artifact = _image_artifact(node) or (None, None)
        data = props.get('sw_image_data')
        if not data and artifact:
            # SOL001 v2.6.1 put the image data on the artifact itself.
            data = artifact.get('properties')
        if not data and not artifact:
            return None
        where = '%s sw_image_data' % node.name
        if not isinstance(data, dict):
            raise VnfdError('%s: the software image has no sw_image_data.' %
                            node.name)
        checksum = data.get('checksum')
        if isinstance(checksum, str):
            checksum = {'algorithm': 'unknown', 'hash': checksum}
        for key in ('name', 'version', 'container_format', 'disk_format'):
            if not data.get(key):
                raise VnfdError('%s has no %s.' % (where, key))
        if not isinstance(checksum, dict) or not checksum.get('hash'):
            raise VnfdError('%s has no checksum.' % where)
        path = ''
        if artifact is not None:
            path = self._artifact_file(node, art_name,
                                       artifact.get('file')) or ''
        return {
            'name': str(data['name']),
            'version': str(data['version']),
            'provider': data.get('provider'),
            'checksum': {'algorithm': str(checksum.get('algorithm')),
                         'hash': str(checksum['hash'])},
            'containerFormat': str(data['container_format']).upper(),
            'diskFormat': str(data['disk_format']).upper(),
            'minDisk': _bytes(data.get('min_disk'), where) or 0,
            'minRam': _bytes(data.get('min_ram'), where) or 0,
            'size': _bytes(data.get('size'), where) or 0,
            'imagePath': path,
        }

    # -- summary -----------------------------------------------------------

    def summary(self):
        """The JSON kept with the package for the LCM operations."""
        return {
            'entryDefinitions': self.entry,
            'vnfdFiles': list(self.files),
            'vnf': dict(self.vnf),
            'flavours': self.flavours,
        }


def _image_artifact(node):
    for name, artifact in (node.entity_tpl.get('artifacts') or {}).items():
        if isinstance(artifact, dict) and (
                artifact.get('type') == SW_IMAGE_ARTIFACT):
            return name, artifact
    return None
