"""Column types shared by the models."""
import json

import sqlalchemy as sa
from sqlalchemy.dialects import mysql


class Json(sa.types.TypeDecorator):
    """JSON kept as text, so the three databases behave the same."""

    impl = sa.Text
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == 'mysql':
            return dialect.type_descriptor(mysql.LONGTEXT())
        return dialect.type_descriptor(sa.Text())

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return json.dumps(value, sort_keys=True)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return json.loads(value)


class SecretJson(Json):
    """JSON whose secrets are encrypted at rest (see secret_store)."""

    cache_ok = True

    def process_bind_param(self, value, dialect):
        # Imported here: the models are imported before the options are.
        from tacker.sol_refactored.common import secret_store
        return super().process_bind_param(secret_store.seal(value),
                                          dialect)

    def process_result_value(self, value, dialect):
        from tacker.sol_refactored.common import secret_store
        loaded = super().process_result_value(value, dialect)
        if value is None or secret_store.PREFIX not in value:
            # Nothing sealed in it: no walk through the document.
            return loaded
        return secret_store.unseal(loaded)
