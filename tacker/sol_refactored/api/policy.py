"""oslo.policy rules, one per API action."""
from oslo_config import cfg
from oslo_policy import policy as oslo_policy

from tacker.sol_refactored.common import exceptions as sol_ex

_ENFORCER = None

CONTEXT_IS_ADMIN = 'context_is_admin'
ADMIN_OR_MEMBER = 'admin_or_member'
ADMIN_OR_READER = 'admin_or_reader'

base_rules = [
    oslo_policy.RuleDefault(
        CONTEXT_IS_ADMIN, 'role:admin',
        description='Callers that see and act on the VNF packages, '
                    'instances, operation occurrences and subscriptions of '
                    'every project. Everyone else sees those of the '
                    'project of their token only; another project\'s are '
                    'answered 404, as if they did not exist.'),
    oslo_policy.RuleDefault(
        ADMIN_OR_MEMBER,
        'rule:context_is_admin or '
        '(role:member and project_id:%(project_id)s)',
        description='Callers that may change VNFs and packages: admins, '
                    'and members of the project owning the resource (for '
                    'a list or a creation, the caller\'s project).'),
    oslo_policy.RuleDefault(
        ADMIN_OR_READER,
        'rule:context_is_admin or '
        '((role:reader or role:member) and project_id:%(project_id)s)',
        description='Callers that may read VNFs and packages: admins, and '
                    'readers or members of the project owning the '
                    'resource.'),
]

_API = [
    # (name, rule, description, [(method, path)])
    ('api_versions:show', ADMIN_OR_READER, 'Show API versions.',
     [('GET', '/vnflcm/api_versions'), ('GET', '/vnflcm/v2/api_versions'),
      ('GET', '/vnfpkgm/api_versions'), ('GET', '/vnfpkgm/v1/api_versions')]),
    ('vnf_instance:create', ADMIN_OR_MEMBER, 'Create a VNF instance.',
     [('POST', '/vnflcm/v2/vnf_instances')]),
    ('vnf_instance:index', ADMIN_OR_READER, 'List VNF instances.',
     [('GET', '/vnflcm/v2/vnf_instances')]),
    ('vnf_instance:show', ADMIN_OR_READER, 'Show a VNF instance.',
     [('GET', '/vnflcm/v2/vnf_instances/{vnfInstanceId}')]),
    ('vnf_instance:delete', ADMIN_OR_MEMBER, 'Delete a VNF instance.',
     [('DELETE', '/vnflcm/v2/vnf_instances/{vnfInstanceId}')]),
    ('lcm_op_occ:index', ADMIN_OR_READER, 'List LCM operation occurrences.',
     [('GET', '/vnflcm/v2/vnf_lcm_op_occs')]),
    ('lcm_op_occ:show', ADMIN_OR_READER, 'Show an LCM operation occurrence.',
     [('GET', '/vnflcm/v2/vnf_lcm_op_occs/{vnfLcmOpOccId}')]),
    ('lcm_op_occ:retry', ADMIN_OR_MEMBER, 'Retry a FAILED_TEMP operation.',
     [('POST', '/vnflcm/v2/vnf_lcm_op_occs/{vnfLcmOpOccId}/retry')]),
    ('lcm_op_occ:rollback', ADMIN_OR_MEMBER,
     'Roll back a FAILED_TEMP operation.',
     [('POST', '/vnflcm/v2/vnf_lcm_op_occs/{vnfLcmOpOccId}/rollback')]),
    ('lcm_op_occ:fail', ADMIN_OR_MEMBER,
     'Mark a FAILED_TEMP operation FAILED.',
     [('POST', '/vnflcm/v2/vnf_lcm_op_occs/{vnfLcmOpOccId}/fail')]),
    ('subscription:create', ADMIN_OR_MEMBER, 'Create a subscription.',
     [('POST', '/vnflcm/v2/subscriptions')]),
    ('subscription:index', ADMIN_OR_READER, 'List subscriptions.',
     [('GET', '/vnflcm/v2/subscriptions')]),
    ('subscription:show', ADMIN_OR_READER, 'Show a subscription.',
     [('GET', '/vnflcm/v2/subscriptions/{subscriptionId}')]),
    ('subscription:delete', ADMIN_OR_MEMBER, 'Delete a subscription.',
     [('DELETE', '/vnflcm/v2/subscriptions/{subscriptionId}')]),
    ('vnf_package:create', ADMIN_OR_MEMBER, 'Create a VNF package.',
     [('POST', '/vnfpkgm/v1/vnf_packages')]),
    ('vnf_package:index', ADMIN_OR_READER, 'List VNF packages.',
     [('GET', '/vnfpkgm/v1/vnf_packages')]),
    ('vnf_package:show', ADMIN_OR_READER, 'Show a VNF package.',
     [('GET', '/vnfpkgm/v1/vnf_packages/{vnfPkgId}')]),
    ('vnf_package:update', ADMIN_OR_MEMBER,
     'Enable or disable a VNF package, or change its user data.',
     [('PATCH', '/vnfpkgm/v1/vnf_packages/{vnfPkgId}')]),
    ('vnf_package:delete', ADMIN_OR_MEMBER, 'Delete a VNF package.',
     [('DELETE', '/vnfpkgm/v1/vnf_packages/{vnfPkgId}')]),
    ('vnf_package:upload_content', ADMIN_OR_MEMBER,
     'Upload the CSAR of a VNF package.',
     [('PUT', '/vnfpkgm/v1/vnf_packages/{vnfPkgId}/package_content')]),
    ('vnf_package:fetch_content', ADMIN_OR_READER,
     'Download the CSAR or the VNFD of a VNF package.',
     [('GET', '/vnfpkgm/v1/vnf_packages/{vnfPkgId}/package_content'),
      ('GET', '/vnfpkgm/v1/vnf_packages/{vnfPkgId}/vnfd')]),
]

PREFIX = 'os_nfv_orchestration_api_v2:'


# The LCM operations this tree ships; a plugin added later gets the same
# kind of rule when the enforcer is made (see _get_enforcer).
SHIPPED_OPERATIONS = ('instantiate', 'terminate', 'change_vnfpkg')


def _operation_rule(name):
    return ('vnf_instance:' + name, ADMIN_OR_MEMBER,
            'Start the %s LCM operation on a VNF instance.' % name,
            [('POST', '/vnflcm/v2/vnf_instances/{vnfInstanceId}/' + name)])


def _documented(entries):
    return [oslo_policy.DocumentedRuleDefault(
        PREFIX + name, 'rule:' + rule, description,
        [{'method': m, 'path': p} for m, p in operations])
        for name, rule, description, operations in entries]


def list_rules():
    """The rules the sample generator documents (no plugin loading)."""
    return list(base_rules) + _documented(
        _API + [_operation_rule(n) for n in SHIPPED_OPERATIONS])


def get_enforcer():
    """Entry point used by oslopolicy-* tools."""
    cfg.CONF([], project='tacker')
    return _get_enforcer()


def _get_enforcer():
    global _ENFORCER
    if _ENFORCER is None:
        from tacker.sol_refactored.common import plugins
        _ENFORCER = oslo_policy.Enforcer(cfg.CONF)
        _ENFORCER.register_defaults(list_rules())
        extra = [n for n in plugins.lcm_operations()
                 if n not in SHIPPED_OPERATIONS]
        _ENFORCER.register_defaults(
            _documented([_operation_rule(n) for n in sorted(extra)]))
    return _ENFORCER


def reset():
    global _ENFORCER
    if _ENFORCER is not None:
        _ENFORCER.clear()
    _ENFORCER = None


def check_is_admin(context):
    """Whether the context_is_admin rule holds for this caller."""
    return _get_enforcer().enforce(
        CONTEXT_IS_ADMIN, {'project_id': context.project_id},
        context.to_policy_values())


_CALLERS_PROJECT = object()


def authorize(context, name, project_id=_CALLERS_PROJECT):
    """Raise Forbidden unless the rule allows ``name``.

    ``project_id`` is the project owning the resource acted on; lists and
    creations leave it out and are checked against the caller's project.
    """
    if project_id is _CALLERS_PROJECT:
        project_id = context.project_id
    target = {'project_id': project_id}
    credentials = context.to_policy_values()
    _get_enforcer().authorize(PREFIX + name, target, credentials,
                              do_raise=True,
                              exc=sol_ex.Forbidden,
                              action=PREFIX + name)
