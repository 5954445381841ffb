"""What an infra driver offers the LCM operations.

An infra driver is the only code that talks to a VIM. It returns Steps
(each idempotent against the VIM, each with its undo) and reads back what
the VIM holds; it never writes the database.
"""


class InfraDriver:
    vim_type = None

    def check_instantiate(self, context, inst, req, pkg):
        """Refuse (raise a SolException) what this VIM cannot instantiate.

        Runs in the API before anything is written.
        """

    def instantiate_steps(self, work):
        raise NotImplementedError

    def instantiated_info(self, work):
        """InstantiatedVnfInfo built from what the VIM now holds."""
        raise NotImplementedError

    def terminate_steps(self, work):
        raise NotImplementedError

    # -- ChangeCurrentVnfPkg ---------------------------------------------

    # The upgrade types (lcm.change_vnfpkg.BLUE_GREEN / ROLLING_UPDATE)
    # the driver implements; others are refused with 422 by the API.
    change_vnfpkg_upgrade_types = ()

    def check_change_vnfpkg(self, context, inst, req, pkg, state):
        """Refuse what this VIM cannot do (raise a SolException).

        May add to ``state`` what the conductor will need.
        """

    def change_vnfpkg_steps(self, work):
        raise NotImplementedError

    def change_vnfpkg_info(self, work):
        """InstantiatedVnfInfo after the change, read from the VIM."""
        raise NotImplementedError

    def change_vnfpkg_rollback_info(self, work):
        """InstantiatedVnfInfo after a rollback, read from the VIM.

        None keeps the record as it was before the request.
        """
        return None

    def change_vnfpkg_failed_info(self, state, info):
        """InstantiatedVnfInfo once the change is given up (``fail``).

        ``state`` is the step record's state, ``info`` the recorded one.
        Runs in the API, from the step record alone (no VIM call); it
        names what the change left on the VIM (for terminate to delete).
        None keeps the record as it is. Not called when the driver has
        ``change_vnfpkg_failed_reread``.
        """
        return None

    # change_vnfpkg_failed_reread(work): InstantiatedVnfInfo once the
    # change is given up, read from the VIM (``work`` is read-only:
    # lcm.change_vnfpkg.GivenUp). A driver that has it must bound its
    # time and never raise for the VIM: fail must go through; see
    # LcmOperation.failed_result.
    change_vnfpkg_failed_reread = None
