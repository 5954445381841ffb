"""python-tackerclient's ``openstack`` command, the only way the demo
talks to tacker-server.

The server runs without Keystone, so the client goes straight to it:
``--os-auth-type none --os-endpoint URL``.
"""
import json
import os
import shutil
import subprocess
import sys

CLI_TIMEOUT = 180


class CliError(RuntimeError):
    def __init__(self, argv, returncode, output):
        self.argv = argv
        self.returncode = returncode
        self.output = output.strip()
        super().__init__('%s exited with %s: %s' % (
            ' '.join(argv[:3]), returncode, self.output))


def openstack_command():
    script = os.path.join(os.path.dirname(sys.executable), 'openstack')
    if os.path.exists(script):
        return script
    found = shutil.which('openstack')
    if not found:
        raise RuntimeError('the openstack command (python-openstackclient '
                           'with python-tackerclient) is not installed')
    return found


class Cli:
    def __init__(self, endpoint, console):
        self.endpoint = endpoint
        self.console = console
        self.program = openstack_command()
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith('OS_')}

    def __call__(self, command, *args, v2=False, parse=True,
                 quiet=False):
        """Run ``openstack COMMAND ARGS``; its JSON output when ``parse``.

        ``command`` is the command's words ('vnflcm op show'); ``v2`` adds
        ``--os-tacker-api-version 2`` (the vnflcm v2 API). Unless
        ``quiet`` the command is printed as a user would type it.
        """
        words = command.split() + list(args)
        if v2:
            words += ['--os-tacker-api-version', '2']
        shown = ['openstack'] + words
        if parse:
            words += ['-f', 'json']
        argv = [self.program, '--os-auth-type', 'none',
                '--os-endpoint', self.endpoint] + words
        if not quiet:
            self.console.command(shown)
        try:
            done = subprocess.run(argv, env=self.env, capture_output=True,
                                  text=True, timeout=CLI_TIMEOUT,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            raise CliError(argv, 'timeout', str(exc))
        if done.returncode != 0:
            raise CliError(argv, done.returncode,
                           done.stderr or done.stdout)
        if not parse:
            return done.stdout.strip()
        return json.loads(done.stdout)
