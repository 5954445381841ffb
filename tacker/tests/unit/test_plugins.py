"""Plugins: what is installed loads; a broken one stops the start-up."""
import os
import sys

import fixtures
import testtools

from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import plugins


class TestPlugins(testtools.TestCase):
    def test_installed_operations_load(self):
        ops = plugins.lcm_operations()
        self.assertEqual('INSTANTIATE', ops['instantiate'].operation)
        self.assertEqual('TERMINATE', ops['terminate'].operation)
        self.assertIs(ops['terminate'],
                      plugins.lcm_operation_by_type('TERMINATE'))

    def test_broken_plugin_is_a_start_up_error(self):
        # A real installed distribution whose entry point names a module
        # that does not exist, as a half-installed plugin would.
        namespace = 'tacker.tests.broken_plugins'
        site = self.useFixture(fixtures.TempDir()).path
        dist = os.path.join(site, 'broken_plugin-1.0.dist-info')
        os.mkdir(dist)
        with open(os.path.join(dist, 'METADATA'), 'w') as f:
            f.write('Metadata-Version: 2.1\nName: broken-plugin\n'
                    'Version: 1.0\n')
        with open(os.path.join(dist, 'entry_points.txt'), 'w') as f:
            f.write('[%s]\nbroken = tacker.no_such_module:Operation\n'
                    % namespace)
        self.useFixture(fixtures.MonkeyPatch('sys.path',
                                             [site] + sys.path))
        self.addCleanup(plugins._cache.pop, namespace, None)
        error = self.assertRaises(sol_ex.PluginLoadError, plugins._load,
                                  namespace)
        self.assertIn('broken', str(error))
        self.assertIn(namespace, str(error))

    def test_unknown_vim_type_is_422_naming_the_installed_ones(self):
        error = self.assertRaises(sol_ex.UnprocessableEntity,
                                  plugins.infra_driver, 'NO.SUCH.VIM')
        self.assertIn('NO.SUCH.VIM', error.detail)

    def test_short_vim_type_spellings(self):
        self.assertEqual('ETSINFV.KUBERNETES.V_1',
                         plugins.normalize_vim_type('kubernetes'))
        self.assertEqual('ETSINFV.OPENSTACK_KEYSTONE.V_3',
                         plugins.normalize_vim_type('openstack'))
