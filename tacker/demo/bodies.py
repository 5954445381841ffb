"""The request bodies the demo gives the CLI, per VIM type.

Kubernetes: the sample's manifests, and its CoordinateVNF scripts (the new
VNF's script switches the Service selector, the old VNF's checks that it
is drained). OpenStack: the external network for VDU1_CP1 and VDU2_CP1,
``vdu_params`` for both VDUs and, for Blue-Green, an ``external_lb_param``.
The OpenStack flows run without CoordinateVNF scripts: the test cloud's
servers are fake (no data plane to log in to), and a real cloud's
scripts need its own load balancer and VNFC credentials.
"""
import secrets

from tacker.demo import vims

BLUE_GREEN = 'BlueGreen'
ROLLING = 'RollingUpdate'
UPGRADES = (BLUE_GREEN, ROLLING)
TITLES = {BLUE_GREEN: 'Blue-Green', ROLLING: 'Rolling update'}

K8S_FILES = {
    'v1': ['Files/kubernetes/configmap.yaml',
           'Files/kubernetes/service.yaml',
           'Files/kubernetes/deployment.yaml'],
    BLUE_GREEN: ['Files/kubernetes/configmap.yaml',
                 'Files/kubernetes/service.yaml',
                 'Files/kubernetes/blue_green/deployment.yaml'],
    ROLLING: ['Files/kubernetes/configmap.yaml',
              'Files/kubernetes/service.yaml',
              'Files/kubernetes/rolling_update/deployment.yaml'],
}
K8S_NEW_SCRIPT = {
    'lcm-operation-coordinate-new-vnf': 'Scripts/coordinate_new_vnf.py',
    'lcm-operation-coordinate-new-vnf-class': 'CoordinateNewVnf'}
K8S_OLD_SCRIPT = {
    'lcm-operation-coordinate-old-vnf': 'Scripts/coordinate_old_vnf.py',
    'lcm-operation-coordinate-old-vnf-class': 'CoordinateOldVnf'}
# The old VNF's script checks that no Service selects the old Pods any
# more; in a Rolling update the Pods are replaced in place, so only the
# new VNF's script runs.
K8S_SCRIPTS = {BLUE_GREEN: (K8S_NEW_SCRIPT, K8S_OLD_SCRIPT),
               ROLLING: (K8S_NEW_SCRIPT,)}

OS_EXT_CPS = ('VDU1_CP1', 'VDU2_CP1')
OS_VDU_PARAMS = [{'vdu_id': 'VDU1'}, {'vdu_id': 'VDU2'}]
# A load balancer in the documentation range (RFC 5737) that nothing
# contacts: without scripts the parameter is only validated and kept.
OS_LB_ADDRESS = '198.51.100.2'


def instantiate(vim):
    body = {'flavourId': 'simple',
            'vimConnectionInfo': {'vim1': vim.connection_info}}
    if vim.vim_type == vims.KUBERNETES:
        body['additionalParams'] = {
            'lcm-kubernetes-def-files': K8S_FILES['v1'],
            'namespace': vim.namespace}
        return body
    ip = [{'layerProtocol': 'IP_OVER_ETHERNET', 'ipOverEthernet': {
        'ipAddresses': [{'type': 'IPV4', 'numDynamicAddresses': 1}]}}]
    body['extVirtualLinks'] = [{
        'id': 'ext-vl-1', 'resourceId': vim.network_id,
        'extCps': [{'cpdId': cp, 'cpConfig': {
            cp + '_config': {'cpProtocolData': ip}}} for cp in OS_EXT_CPS]}]
    return body


def change(vim, upgrade, vnfd_id):
    params = {'upgrade_type': upgrade}
    if vim.vim_type == vims.KUBERNETES:
        params['lcm-kubernetes-def-files'] = K8S_FILES[upgrade]
        for script in K8S_SCRIPTS[upgrade]:
            params.update(script)
    else:
        params['vdu_params'] = OS_VDU_PARAMS
        if upgrade == BLUE_GREEN:
            params['external_lb_param'] = {
                'ip_address': OS_LB_ADDRESS, 'username': 'demo-lb',
                'password': secrets.token_urlsafe(12)}
    return {'vnfdId': vnfd_id, 'additionalParams': params}


def scripts_note(vim, upgrade):
    """One line on the CoordinateVNF scripts of a run, for the summary."""
    if vim.vim_type == vims.KUBERNETES:
        return 'CoordinateVNF: %s' % ', '.join(
            s[k] for s in K8S_SCRIPTS[upgrade] for k in s
            if not k.endswith('-class'))
    note = ('CoordinateVNF: none on OpenStack (the test cloud has no '
            'data plane)')
    if upgrade == BLUE_GREEN:
        note += '; external_lb_param %s given, not contacted' % (
            OS_LB_ADDRESS)
    return note
