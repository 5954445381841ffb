"""Sources of test VNF packages, and a helper that zips them.

``k8s_simple`` and ``openstack_simple`` are good packages with
TOSCA-Metadata; ``flat_simple`` is one without it (its VNFD is the YAML
file at the root, and the build writes the manifest beside it). Tests
derive the bad ones by editing a copy of a source before zipping it, or
by replacing a member of the built archive.
"""
import importlib.util
import io
import os
import shutil
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, *[os.pardir] * 5))
REPO_TYPES = os.path.join(REPO, 'samples', 'vnf_packages', 'etsi_types')

K8S_VNFD_ID = '7e3c2d5a-91b4-4f1e-8a2d-0c4b5e6f7a81'
OPENSTACK_VNFD_ID = '2c1f0a9e-5d3b-4e7c-b6a8-3f9d2e1c0b74'

# A VNFD in one file: it imports only the standard SOL001 types.
SINGLE_FILE_VNFD = """\
tosca_definitions_version: tosca_simple_yaml_1_2
description: A VNF described in a single file.
imports:
  - etsi_nfv_sol001_common_types.yaml
  - etsi_nfv_sol001_vnfd_types.yaml
topology_template:
  node_templates:
    VNF:
      type: tosca.nodes.nfv.VNF
      properties:
        descriptor_id: 5b0e6a51-3c8d-4f27-9e1a-6d4c2b7f8e90
        descriptor_version: '2.0'
        provider: Example Networks
        product_name: Single File VNF
        software_version: '2.0'
        vnfm_info: [ Tacker ]
        flavour_id: tiny
        flavour_description: The only flavour.
    VDU1:
      type: tosca.nodes.nfv.Vdu.Compute
      properties:
        name: vdu1
        vdu_profile:
          min_number_of_instances: 1
          max_number_of_instances: 1
"""
SINGLE_FILE_VNFD_ID = '5b0e6a51-3c8d-4f27-9e1a-6d4c2b7f8e90'


def _tool():
    path = os.path.join(REPO, 'tools', 'build_vnf_package.py')
    spec = importlib.util.spec_from_file_location('build_vnf_package', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write(root, rel, text, mode='w'):
    path = os.path.join(root, *rel.split('/'))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)


def replace(root, rel, old, new):
    path = os.path.join(root, *rel.split('/'))
    with open(path) as f:
        text = f.read()
    if old not in text:
        raise AssertionError('%r not in %s' % (old, rel))
    write(root, rel, text.replace(old, new))


def replacing(rel, old, new):
    """An edit for ``build``: replace text in one file."""
    return lambda src: replace(src, rel, old, new)


def build(name, edit=None, add_types=True, **options):
    """Zip the source ``name`` (after ``edit(copy_dir)``); return bytes.

    ``options`` go to the build tool: ``manifest``, ``algorithm``,
    ``sign_key``, ``sign_cert``, ``cert_file``, ``manifest_metadata``.
    """
    work = tempfile.mkdtemp(prefix='pkg-src-')
    try:
        src = os.path.join(work, 'src')
        shutil.copytree(os.path.join(HERE, name), src)
        if edit is not None:
            edit(src)
        out = os.path.join(work, 'package.zip')
        _tool().build_package(src, out, add_types=add_types, **options)
        with open(out, 'rb') as f:
            return f.read()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def zip_without_meta(name):
    """The source ``name`` zipped without its TOSCA-Metadata directory."""
    buf = io.BytesIO()
    src = os.path.join(HERE, name)
    with zipfile.ZipFile(buf, 'w') as out:
        for dirpath, dirnames, filenames in os.walk(src):
            for fname in filenames:
                path = os.path.join(dirpath, fname)
                arcname = os.path.relpath(path, src).replace(os.sep, '/')
                if not arcname.startswith('TOSCA-Metadata/'):
                    out.write(path, arcname)
    return buf.getvalue()


def members(data):
    """{member name: bytes} of a built archive."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def rezip(data, replace=None, remove=()):
    """The archive with members replaced ({name: bytes}) or removed."""
    content = members(data)
    content.update(replace or {})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as out:
        for name in sorted(content):
            if name not in remove:
                out.writestr(name, content[name])
    return buf.getvalue()


def single_file(src):
    """Edit: turn a source into the single-file VNFD above."""
    shutil.rmtree(os.path.join(src, 'Definitions'))
    write(src, 'Definitions/vnfd.yaml', SINGLE_FILE_VNFD)
    replace(src, 'TOSCA-Metadata/TOSCA.meta',
            'Definitions/sample_top.vnfd.yaml', 'Definitions/vnfd.yaml')


# The top-level VNFD of each source and the vnfdId it declares, for tests
# that need several packages of one source (each with its own vnfdId).
TOP_VNFD = {
    'k8s_simple': 'Definitions/sample_top.vnfd.yaml',
    'openstack_simple': 'Definitions/sample_top.vnfd.yaml',
    'flat_simple': 'firewall_vnfd.yaml',
}
VNFD_IDS = {}
for _name, _rel in TOP_VNFD.items():
    with open(os.path.join(HERE, _name, _rel)) as _f:
        for _line in _f:
            if _line.strip().startswith('descriptor_id:'):
                VNFD_IDS[_name] = _line.split(':', 1)[1].strip()
                break


def with_vnfd_id(source, vnfd_id):
    """An edit for ``build`` giving the package another vnfdId."""
    old = VNFD_IDS[source]

    def edit(src):
        defs = os.path.join(src, os.path.dirname(TOP_VNFD[source]))
        for name in os.listdir(defs):
            path = os.path.join(defs, name)
            if not os.path.isfile(path):
                continue
            with open(path) as f:
                text = f.read()
            if old in text:
                with open(path, 'w') as f:
                    f.write(text.replace(old, vnfd_id))
    return edit
