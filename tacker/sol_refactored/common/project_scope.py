"""Which project's rows a caller sees, and which project owns a new one.

Packages, VNF instances, LCM operation occurrences and subscriptions
record the Keystone project that made them (``projectId``, never shown in
the API). A caller sees the rows of its own project only, unless its
context is an admin one (the ``context_is_admin`` policy rule, decided
when the context is made); anything else is answered as if it did not
exist. The condition is part of the SQL query, so a list never loads
another project's rows.
"""
import sqlalchemy as sa

from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import exceptions as sol_ex

CONF = config.CONF


def sees_all(context):
    """Admins (and internal callers without a context) see every project."""
    return context is None or bool(context.is_admin)


def condition(column, context):
    """The WHERE clause limiting ``column`` to the caller; None for admins."""
    if sees_all(context):
        return None
    if not context.project_id:
        # A token scoped to no project (domain, system) owns nothing, and
        # rows without a project belong to the admins.
        return sa.false()
    return column == context.project_id


def visible(context, project_id):
    """Whether a row of ``project_id`` may be shown to the caller."""
    if sees_all(context):
        return True
    return bool(context.project_id) and project_id == context.project_id


def owner_of_new(context):
    """The project a resource the caller creates belongs to.

    The caller's project; without one (auth_strategy = noauth, or an
    internal admin context) the configured default project, or none.
    """
    project_id = context.project_id if context is not None else None
    if project_id:
        return project_id
    if not sees_all(context):
        raise sol_ex.Forbidden(
            'Creating resources needs a token scoped to a project.')
    return CONF.default_project_id or None
