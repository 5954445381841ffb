"""Benchmark: ChangeCurrentVNFPackage on the Kubernetes simulator.

Starts the simulator and a real tacker-server (SQLite, conductor
in-process), on-boards the v1/v2 sample packages, then for each round
instantiates v1, moves it to v2 by Blue-Green or Rolling update and
terminates it, printing how long each operation took from the 202 to
COMPLETED. The simulator makes Pods Ready after --pod-ready-delay seconds,
so the figures show the VNFM's own overhead on top of the VIM's.

    python tools/bench_kubernetes_change_vnfpkg.py [--rounds 3]
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from tacker.tests.functional import kubernetes_base as kb  # noqa: E402
from tacker.tests.functional import service  # noqa: E402
from tacker.tests.k8s_simulator import simulator  # noqa: E402


def build(version):
    tool = kb._build_tool()
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, 'pkg.zip')
        tool.build_package(os.path.join(kb.SAMPLES, version), out)
        with open(out, 'rb') as f:
            return f.read()


def upload(base_url, content):
    client = service.Client(base_url, version=None)
    client.check_conformance = False
    pkg = client.request('POST', '/vnfpkgm/v1/vnf_packages', {}).body
    client.request('PUT', '/vnfpkgm/v1/vnf_packages/%s/package_content' %
                   pkg['id'], data=content,
                   headers={'Content-Type': 'application/zip'})
    shown = client.request('GET', '/vnfpkgm/v1/vnf_packages/' +
                           pkg['id']).body
    if shown['operationalState'] == 'ENABLED':
        return shown
    # [vnf_package] enable_on_onboarding = false.
    client.request('PATCH', '/vnfpkgm/v1/vnf_packages/' + pkg['id'],
                   data='{"operationalState": "ENABLED"}',
                   headers={'Content-Type': 'application/merge-patch+json'})
    return client.request('GET', '/vnfpkgm/v1/vnf_packages/' +
                          pkg['id']).body


def timed(client, inst_id, op, body):
    start = time.monotonic()
    resp = client.request('POST', '/vnflcm/v2/vnf_instances/%s/%s' % (
        inst_id, op), body)
    assert resp.status_code == 202, resp.text
    occ_id = resp.headers['Location'].rsplit('/', 1)[1]
    occ = client.wait_op(occ_id, ['COMPLETED', 'FAILED_TEMP'],
                         timeout=300).body
    assert occ['operationState'] == 'COMPLETED', occ.get('error')
    return time.monotonic() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--pod-ready-delay', type=float, default=0.2)
    args = parser.parse_args()

    sim = simulator.Simulator(pod_ready_delay=args.pod_ready_delay,
                              pod_terminate_delay=args.pod_ready_delay)
    sim.start()
    svc = service.TackerService()
    svc.setUp()
    figures = {}
    try:
        client = service.Client(svc.base_url)
        client.check_conformance = False
        v1, v2 = upload(svc.base_url, build('v1')), upload(
            svc.base_url, build('v2'))
        vim = {'vim1': sim.vim_info()}
        for upgrade, files in (('BlueGreen', kb.V2_BLUE_GREEN),
                               ('RollingUpdate', kb.V2_ROLLING)):
            for _ in range(args.rounds):
                inst = client.request('POST', '/vnflcm/v2/vnf_instances',
                                      {'vnfdId': v1['vnfdId']}).body
                figures.setdefault('instantiate', []).append(timed(
                    client, inst['id'], 'instantiate', {
                        'flavourId': 'simple', 'vimConnectionInfo': vim,
                        'additionalParams': {
                            'lcm-kubernetes-def-files': kb.V1_FILES}}))
                figures.setdefault(upgrade, []).append(timed(
                    client, inst['id'], 'change_vnfpkg', {
                        'vnfdId': v2['vnfdId'], 'additionalParams': {
                            'upgrade_type': upgrade,
                            'lcm-kubernetes-def-files': files,
                            'lcm-operation-coordinate-new-vnf':
                                'Scripts/coordinate_new_vnf.py',
                            'lcm-operation-coordinate-new-vnf-class':
                                'CoordinateNewVnf'}}))
                figures.setdefault('terminate', []).append(timed(
                    client, inst['id'], 'terminate',
                    {'terminationType': 'FORCEFUL'}))
                client.request('DELETE', '/vnflcm/v2/vnf_instances/' +
                               inst['id'])
    finally:
        svc.cleanUp()
        sim.stop()
    print('pod ready delay of the simulator: %.2f s' % args.pod_ready_delay)
    print('%-14s %6s %8s %8s %8s' % ('operation', 'runs', 'median',
                                     'min', 'max'))
    for name, values in figures.items():
        print('%-14s %6d %7.2fs %7.2fs %7.2fs' % (
            name, len(values), statistics.median(values), min(values),
            max(values)))


if __name__ == '__main__':
    main()
