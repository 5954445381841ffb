#!/usr/bin/env python3
"""Build a VNF package (SOL004 CSAR) from a source directory.

    build_vnf_package.py SRC_DIR OUT_ZIP

SRC_DIR holds the package laid out as SOL004 wants it
(TOSCA-Metadata/TOSCA.meta, Definitions/, and optionally Scripts/, Files/,
BaseHOT/ ...). The SOL001 type definitions of this project
(samples/vnf_packages/etsi_types/) are added to Definitions/ unless the
source already has files of those names, then everything is zipped.
The function ``build_package`` does the same for tests.
"""
import argparse
import os
import sys
import zipfile

TYPES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         os.pardir, 'samples', 'vnf_packages', 'etsi_types')


def build_package(src_dir, out_zip, types_dir=TYPES_DIR, add_types=True):
    """Zip ``src_dir`` into ``out_zip``; return the member names."""
    if not os.path.isfile(os.path.join(src_dir, 'TOSCA-Metadata',
                                       'TOSCA.meta')):
        raise ValueError('%s has no TOSCA-Metadata/TOSCA.meta' % src_dir)
    members = {}
    for dirpath, dirnames, filenames in os.walk(src_dir):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            arcname = os.path.relpath(path, src_dir).replace(os.sep, '/')
            members[arcname] = path
    if add_types:
        for name in sorted(os.listdir(types_dir)):
            if name.endswith('.yaml'):
                members.setdefault('Definitions/' + name,
                                   os.path.join(types_dir, name))
    with zipfile.ZipFile(out_zip, 'w', zipfile.ZIP_DEFLATED) as out:
        for arcname in sorted(members):
            out.write(members[arcname], arcname)
    return sorted(members)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('src_dir')
    parser.add_argument('out_zip')
    parser.add_argument('--no-types', action='store_true',
                        help='do not add the SOL001 type definitions')
    args = parser.parse_args(argv)
    try:
        names = build_package(args.src_dir, args.out_zip,
                              add_types=not args.no_types)
    except (OSError, ValueError) as e:
        print('error: %s' % e, file=sys.stderr)
        return 1
    print('%s: %d files' % (args.out_zip, len(names)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
