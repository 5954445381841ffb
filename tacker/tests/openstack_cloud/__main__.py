"""python -m tacker.tests.openstack_cloud up|down|status [--state-dir D]

``up`` prints progress on stderr and the vimConnectionInfo as JSON on the
last line of stdout (it is also in STATE/vim_connection_info.json).
Without --state-dir, ``up`` makes a temporary one and says which.
"""
import argparse
import json
import sys
import time

from tacker.tests.openstack_cloud import cloud
from tacker.tests.openstack_cloud import install


def _log(msg):
    print('[%s] %s' % (time.strftime('%H:%M:%S'), msg), file=sys.stderr,
          flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='python -m tacker.tests.openstack_cloud',
        description='A real OpenStack test cloud on 127.0.0.1.')
    parser.add_argument('command', choices=('up', 'down', 'status',
                                            'install'))
    parser.add_argument('--state-dir', help='where configs, keys, logs '
                        'and the state file live (up: a new temporary '
                        'directory when not given)')
    args = parser.parse_args(argv)
    if args.command != 'up' and args.command != 'install' and \
            not args.state_dir:
        parser.error('%s needs --state-dir' % args.command)

    if args.command == 'install':
        began = time.monotonic()
        try:
            path = install.ensure_installed(_log)
        except install.InstallError as exc:
            _log(str(exc))
            return 2
        _log('venv %s ready in %.0f s' % (path, time.monotonic() - began))
        return 0
    the_cloud = cloud.Cloud(args.state_dir, log=_log)
    if args.command == 'status':
        status = the_cloud.status()
        for name, pid in sorted(status.get('processes', {}).items()):
            _log('%-16s %s' % (name, pid or 'not running'))
        print(json.dumps(status))
        return 0 if status['up'] else 1
    if args.command == 'down':
        the_cloud.down()
        _log('stopped; databases, vhost and %s removed' % args.state_dir)
        return 0
    try:
        info = the_cloud.up()
    except install.InstallError as exc:
        _log(str(exc))
        return 2
    except Exception as exc:
        _log('up failed: %s (state kept in %s)' % (
            exc, the_cloud.state_dir))
        return 1
    _log('up in %s; timings %s' % (the_cloud.state_dir, {
        k: round(v, 1) for k, v in the_cloud.timings.items()}))
    print(json.dumps(info), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
