#!/usr/bin/env python3
"""Build a VNF package (SOL004 CSAR) from a source directory.

    build_vnf_package.py SRC_DIR OUT_ZIP [--manifest] [--algorithm SHA-512]
        [--sign-key KEY.pem --sign-cert CERT.pem [--cert-file]]

SRC_DIR holds the package in one of the two structures of SOL004 4.1:

- with TOSCA-Metadata/TOSCA.meta (Definitions/, and optionally Scripts/,
  Files/, BaseHOT/ ...): zipped as it is unless ``--manifest`` is given;
- without it: exactly one YAML file at the root is the VNFD, and a
  manifest of its base name is written beside it (SOL004 wants one in
  this structure) unless the source has it already.

The SOL001 type definitions of this project (samples/vnf_packages/
etsi_types/) are added to Definitions/ unless the source already has
files of those names (``--no-types``: never).

``--manifest`` writes the manifest (``<VNFD base name>.mf`` at the root,
named in TOSCA.meta by ETSI-Entry-Manifest) with the SOL004 metadata and
the digest of every other file. ``--sign-key``/``--sign-cert`` then sign
it (security option 1): a detached CMS signature of its content is
appended between ``-----BEGIN CMS-----`` and ``-----END CMS-----``. The
signer's certificate goes into the signature, or with ``--cert-file``
into ``<base>.cert`` beside the manifest (named by ETSI-Entry-Certificate).

The function ``build_package`` does the same for tests.
"""
import argparse
import base64
import datetime
import hashlib
import os
import sys
import zipfile

import yaml

TYPES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         os.pardir, 'samples', 'vnf_packages', 'etsi_types')
TOSCA_META = 'TOSCA-Metadata/TOSCA.meta'
HASHES = {'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512'}


def _read(value):
    if isinstance(value, bytes):
        return value
    with open(value, 'rb') as f:
        return f.read()


def _digest(value, algorithm):
    digest = hashlib.new(HASHES[algorithm])
    if isinstance(value, bytes):
        digest.update(value)
    else:
        with open(value, 'rb') as f:
            for block in iter(lambda: f.read(1 << 20), b''):
                digest.update(block)
    return digest.hexdigest()


def _source_members(src_dir):
    members = {}
    for dirpath, dirnames, filenames in os.walk(src_dir):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            arcname = os.path.relpath(path, src_dir).replace(os.sep, '/')
            members[arcname] = path
    return members


def _meta_keys(text):
    keys = {}
    for line in text.splitlines():
        if not line.strip():
            break
        key, _sep, value = line.partition(':')
        keys[key.strip()] = value.strip()
    return keys


def _entry(members):
    """(VNFD package path, whether the package has TOSCA.meta)."""
    if TOSCA_META in members:
        keys = _meta_keys(_read(members[TOSCA_META]).decode())
        # Checked only when a manifest needs it: tests build packages
        # with a broken TOSCA.meta on purpose.
        return keys.get('Entry-Definitions'), True
    roots = [n for n in members if '/' not in n and
             n.endswith(('.yaml', '.yml'))]
    if len(roots) != 1:
        raise ValueError('without %s the source needs exactly one YAML '
                         'file at its root (found %s)' % (
                             TOSCA_META, ', '.join(roots) or 'none'))
    return roots[0], False


def _vnf_properties(members):
    """provider / product_name / software_version found in the VNFD."""
    found = {}
    for name in sorted(members):
        if not name.endswith(('.yaml', '.yml')):
            continue
        try:
            tpl = yaml.safe_load(_read(members[name])) or {}
        except yaml.YAMLError:
            continue
        if not isinstance(tpl, dict):
            continue
        nodes = (tpl.get('topology_template') or {}).get(
            'node_templates') or {}
        candidates = [(n.get('properties') or {}) for n in nodes.values()
                      if isinstance(n, dict)]
        for node_type in (tpl.get('node_types') or {}).values():
            props = (node_type or {}).get('properties') or {}
            candidates.append({k: (v or {}).get('default')
                               for k, v in props.items()
                               if isinstance(v, dict)})
        for props in candidates:
            for key in ('provider', 'product_name', 'software_version'):
                value = props.get(key)
                if isinstance(value, (str, int, float)) and value != '':
                    found.setdefault(key, str(value))
    return found


def manifest_text(members, algorithm='SHA-256', metadata=None):
    """The text of a manifest listing every member with its digest."""
    props = _vnf_properties(members)
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    meta = {
        'vnf_provider_id': props.get('provider', 'unknown'),
        'vnf_product_name': props.get('product_name', 'unknown'),
        'vnf_release_date_time': now.isoformat(),
        'vnf_package_version': props.get('software_version', '1.0'),
        'compatible_specification_versions': '3.3.1',
    }
    meta.update(metadata or {})
    lines = ['metadata:'] + ['%s: %s' % kv for kv in meta.items()]
    for name in sorted(members):
        lines += ['', 'Source: %s' % name, 'Algorithm: %s' % algorithm,
                  'Hash: %s' % _digest(members[name], algorithm)]
    return '\n'.join(lines) + '\n'


def sign(content, key_pem, cert_pem, embed_cert=True):
    """The CMS block signing ``content`` (SOL004 security option 1)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs7
    from cryptography import x509

    key = serialization.load_pem_private_key(key_pem, password=None)
    cert = x509.load_pem_x509_certificate(cert_pem)
    options = [pkcs7.PKCS7Options.DetachedSignature,
               pkcs7.PKCS7Options.Binary]
    if not embed_cert:
        options.append(pkcs7.PKCS7Options.NoCerts)
    cms = pkcs7.PKCS7SignatureBuilder().set_data(content).add_signer(
        cert, key, hashes.SHA256()).sign(serialization.Encoding.DER, options)
    body = base64.encodebytes(cms).decode('ascii')
    return ('-----BEGIN CMS-----\n%s-----END CMS-----\n' % body).encode()


def _add_meta_key(members, key, value):
    text = _read(members[TOSCA_META]).decode()
    if key in _meta_keys(text):
        return
    head, sep, rest = text.partition('\n\n')
    head = head.rstrip('\n') + '\n%s: %s\n' % (key, value)
    members[TOSCA_META] = (head + ('\n' + rest if sep else '')).encode()


def build_package(src_dir, out_zip, types_dir=TYPES_DIR, add_types=True,
                  manifest=False, algorithm='SHA-256', sign_key=None,
                  sign_cert=None, cert_file=False, manifest_metadata=None):
    """Zip ``src_dir`` into ``out_zip``; return the member names.

    ``manifest``: write a manifest listing every file with its
    ``algorithm`` digest (always done without TOSCA.meta, unless the
    source has its manifest). ``sign_key``/``sign_cert`` (PEM bytes or
    paths): sign it, the certificate in the signature or, with
    ``cert_file``, in a file of its own.
    """
    if algorithm not in HASHES:
        raise ValueError('algorithm must be one of %s' % ', '.join(HASHES))
    if bool(sign_key) != bool(sign_cert):
        raise ValueError('signing needs both a key and a certificate')
    members = _source_members(src_dir)
    entry, has_meta = _entry(members)
    if add_types:
        for name in sorted(os.listdir(types_dir)):
            if name.endswith('.yaml'):
                members.setdefault('Definitions/' + name,
                                   os.path.join(types_dir, name))
    if not has_meta and (entry.rsplit('.', 1)[0] + '.mf') not in members:
        manifest = True
    if sign_key and not manifest:
        raise ValueError('signing needs a manifest (--manifest)')
    if manifest:
        if not entry:
            raise ValueError('%s has no Entry-Definitions' % TOSCA_META)
        base = entry.rsplit('/', 1)[-1].rsplit('.', 1)[0]
        mf_name = base + '.mf'
        if mf_name in members:
            raise ValueError('the source already has %s' % mf_name)
        cert_name = base + '.cert'
        if has_meta:
            _add_meta_key(members, 'ETSI-Entry-Manifest', mf_name)
            if cert_file:
                _add_meta_key(members, 'ETSI-Entry-Certificate', cert_name)
        listed = dict(members)
        text = manifest_text(listed, algorithm, manifest_metadata).encode()
        if sign_key:
            cert_pem = _read(sign_cert)
            text += sign(text, _read(sign_key), cert_pem,
                         embed_cert=not cert_file)
            if cert_file:
                members[cert_name] = cert_pem
        members[mf_name] = text
    with zipfile.ZipFile(out_zip, 'w', zipfile.ZIP_DEFLATED) as out:
        for arcname in sorted(members):
            value = members[arcname]
            if isinstance(value, bytes):
                out.writestr(arcname, value)
            else:
                out.write(value, arcname)
    return sorted(members)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('src_dir')
    parser.add_argument('out_zip')
    parser.add_argument('--no-types', action='store_true',
                        help='do not add the SOL001 type definitions')
    parser.add_argument('--manifest', action='store_true',
                        help='write a manifest with the digest of every '
                             'file')
    parser.add_argument('--algorithm', default='SHA-256',
                        choices=sorted(HASHES),
                        help='digest algorithm of the manifest entries')
    parser.add_argument('--sign-key', help='PEM private key signing the '
                                           'manifest')
    parser.add_argument('--sign-cert', help='PEM certificate of that key')
    parser.add_argument('--cert-file', action='store_true',
                        help='put the certificate in a .cert file of the '
                             'package instead of the signature')
    args = parser.parse_args(argv)
    try:
        names = build_package(args.src_dir, args.out_zip,
                              add_types=not args.no_types,
                              manifest=args.manifest or bool(args.sign_key),
                              algorithm=args.algorithm,
                              sign_key=args.sign_key,
                              sign_cert=args.sign_cert,
                              cert_file=args.cert_file)
    except (OSError, ValueError) as e:
        print('error: %s' % e, file=sys.stderr)
        return 1
    print('%s: %d files' % (args.out_zip, len(names)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
