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
