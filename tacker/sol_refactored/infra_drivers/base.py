"""What an infra driver offers the LCM operations.

An infra driver is the only code that talks to a VIM. It returns Steps
(each idempotent against the VIM, each with its undo) and reads back what
the VIM holds; it never writes the database.
"""


class InfraDriver:
    vim_type = None

    def instantiate_steps(self, work):
        raise NotImplementedError

    def instantiated_info(self, work):
        """InstantiatedVnfInfo built from what the VIM now holds."""
        raise NotImplementedError

    def terminate_steps(self, work):
        raise NotImplementedError
