"""What an LCM operation plugin provides to the common frame.

The controller side (``check``) runs in tacker-server before the operation
occurrence exists, and ``failed_result`` when it is given up; the conductor
side (``steps``, ``result``, ``postamble``) runs in a conductor. Neither
side touches the frame: adding an operation is adding a plugin.
"""


class Step:
    """One named, idempotent unit of work with its undo."""

    def __init__(self, name, do, undo=None):
        self.name = name
        self.do = do
        self.undo = undo

    def __repr__(self):
        return 'Step(%s)' % self.name


class LcmOperation:
    # The path segment under /vnf_instances/{id}/ and the entry-point name.
    name = None
    # SOL003 LcmOperationType.
    operation = None
    # JSON schema of the request body and the object it becomes.
    request_schema = None
    request_class = None
    # VnfInstance._links key, and the instantiationState it is offered in.
    link_name = None
    link_states = ()
    # The instantiationState the instance must have for the request.
    required_state = None

    def check(self, context, inst, req):
        """Refuse a request the instance cannot take (raise SolException).

        Runs in the API before anything is written. Returns a dict that is
        kept with the operation (``work.state``) for the conductor.
        """
        return {}

    def steps(self, work):
        """The ordered Steps of the operation for this request."""
        raise NotImplementedError

    def result(self, work):
        """Record what the operation changed, after its last step.

        Sets ``work.inst`` to the instance as it now is, and the
        resourceChanges/changedInfo of ``work.lcmocc``.
        """

    def postamble(self, work, session):
        """Extra writes in the completing transaction (package usage ...)."""

    def rollback_result(self, work, inst):
        """Record what a rollback left, before its postamble.

        ``inst`` is the instance as recorded before the operation; a
        plugin whose undo cannot give back exactly the same resources
        (a server Heat had to replace ...) sets what the VIM now holds.
        """

    def rollback_postamble(self, work, session):
        """Extra writes in the transaction that ends a rollback."""

    def failed_result(self, context, lcmocc, inst):
        """Record what an operation given up with ``fail`` left behind.

        Runs in the API, before the transaction that moves the occurrence
        to FAILED (which is refused if the occurrence moved meanwhile);
        nothing is undone on the VIM. ``lcmocc`` is the occurrence (its
        step record's ``state`` says how far the steps went), ``inst`` the
        instance as recorded, written after this returns: a plugin whose
        steps changed what the VIM runs sets in ``inst`` what it runs now,
        so that the record tells the truth and a later terminate finds
        everything.

        The plugin may read the VIM to learn that, but only within a time
        bound of its own, and a VIM that cannot be reached must not make
        ``fail`` fail: the operator gives the operation up precisely when
        the VIM misbehaves. (This hook once was forbidden to call the VIM;
        a record built from the step record alone keeps the state before
        the change for what a Rolling update had already replaced.)
        """
