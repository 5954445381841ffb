"""Every route is guarded by a documented policy rule."""
import fixtures
from oslo_config import cfg
from oslo_config import generator

from tacker.sol_refactored.api import app
from tacker.sol_refactored.api import policy
from tacker.tests import base


class TestPolicyRules(base.TestCase):
    def test_every_route_has_a_documented_rule(self):
        router = app.build_router()
        used = set()
        for route in router.mapper.matchlist:
            resource = route.defaults.get('resource')
            if resource is not None and resource.policy_name:
                used.add(policy.PREFIX + resource.policy_name)
        documented = {rule.name for rule in policy.list_rules()}
        self.assertEqual(set(), used - documented)
        self.assertIn(policy.PREFIX + 'vnf_instance:change_vnfpkg', used)

    def test_reader_may_look_but_not_change(self):
        from tacker.sol_refactored.api import context
        from tacker.sol_refactored.common import exceptions as sol_ex
        reader = context.Context(roles=['reader'], project_id='p')
        policy.authorize(reader, 'vnf_instance:show')
        error = self.assertRaises(sol_ex.Forbidden, policy.authorize,
                                  reader, 'vnf_instance:change_vnfpkg')
        self.assertEqual(403, error.status)
        self.assertIn('change_vnfpkg', error.detail)


class TestSampleConfig(base.TestCase):
    def test_every_option_of_ours_is_in_the_sample(self):
        conf = cfg.ConfigOpts()
        generator.register_cli_opts(conf)
        out = self.useFixture(fixtures.TempDir()).path
        path = out + '/tacker.conf.sample'
        conf(['--namespace', 'tacker', '--namespace',
              'tacker.kubernetes_vim', '--namespace', 'tacker.openstack_vim',
              '--output-file', path])
        generator.generate(conf)
        text = open(path).read()
        for group in ('[conductor]', '[notification]', '[coordinate_vnf]',
                      '[kubernetes_vim]', '[openstack_vim]', '[v2_vnfm]',
                      '[vnf_package]'):
            self.assertIn(group, text)
        for option in ('lease_timeout', 'script_timeout', 'rollout_timeout',
                       'auth_strategy', 'bind_port'):
            self.assertIn('#%s = ' % option, text)
