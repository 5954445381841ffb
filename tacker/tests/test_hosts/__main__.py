"""List, or remove with --remove, test hosts left by dead test processes.

    python -m tacker.tests.test_hosts [--remove]
"""
import sys

from tacker.tests.test_hosts import fixture


def main(argv):
    if '--remove' in argv[1:]:
        removed = fixture.remove_stale()
        print('removed: %s' % (' '.join(removed) or 'nothing'))
        return 0
    namespaces, links, dirs = fixture.stale()
    print('stale namespaces: %s' % (' '.join(namespaces) or 'none'))
    print('stale links: %s' % (' '.join(links) or 'none'))
    print('stale directories: %s' % (' '.join(dirs) or 'none'))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
