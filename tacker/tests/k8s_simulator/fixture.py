"""A test fixture running the simulator on a thread."""
import fixtures

from tacker.tests.k8s_simulator import simulator


class SimulatorFixture(fixtures.Fixture):
    """Starts a simulator on 127.0.0.1 for one test.

    ``sim``, ``base_url`` (https), ``token``, ``ca_pem``/``ca_file`` (the
    CA to verify it with) and ``api_client()`` are what tests use.
    """

    def __init__(self, **kwargs):
        super().__init__()
        self.kwargs = kwargs
        self.sim = None

    def _setUp(self):
        self.sim = simulator.Simulator(**self.kwargs).start()
        self.addCleanup(self.sim.stop)

    @property
    def base_url(self):
        return self.sim.base_url

    @property
    def token(self):
        return self.sim.token

    @property
    def ca_pem(self):
        return self.sim.ca_pem

    @property
    def ca_file(self):
        return self.sim.ca_file

    def vim_info(self, **kwargs):
        return self.sim.vim_info(**kwargs)

    def configuration(self):
        return self.sim.configuration()

    def api_client(self):
        client = self.sim.api_client()
        self.addCleanup(client.close)
        return client
