"""VNF LCM notifications (SOL003 5.5.2.17-19) to subscribers.

Delivery happens in background threads with retries; nothing here ever
blocks or fails an LCM operation.
"""


def notify_lcmocc(context, lcmocc, inst):
    """Queue VnfLcmOperationOccurrenceNotification for matching subscribers.

    ``lcmocc`` is the occurrence in the state just entered; ``inst`` the
    instance as the subscribers should see it (filters use its vnfdId,
    provider, product and name).
    """


def notify_vnf_identifier(context, inst, notification_type):
    """Queue VnfIdentifierCreationNotification or ...DeletionNotification."""
