"""Base of the SOL objects: API JSON and database rows in, and out.

Field names are the SOL attribute names, so ``to_dict`` gives the API body
and ``from_dict`` reads a request body or a JSON column. Objects that have a
table (``db_model``) also load from and save to their row; every structured
attribute lives in a JSON column.
"""
from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import fields as ovo_fields
import sqlalchemy as sa

from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import project_scope
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored.objects import fields

# Python attribute names SQLAlchemy reserves; the column keeps the SOL name.
_DB_ATTR_ALIASES = {'metadata': 'metadata_'}


class SolObjectRegistry(ovo_base.VersionedObjectRegistry):
    pass


def register(cls):
    return SolObjectRegistry.register(cls)


def get_class(name):
    return SolObjectRegistry.obj_classes()[name][0]


class SolObject(ovo_base.VersionedObject, ovo_base.ComparableVersionedObject):
    OBJ_PROJECT_NAMESPACE = 'tacker'
    VERSION = '1.0'

    def __init__(self, **kwargs):
        super().__init__()
        for key, value in kwargs.items():
            setattr(self, key, value)

    # -- API JSON --------------------------------------------------------

    @classmethod
    def from_dict(cls, data):
        if data is None:
            return None
        if not isinstance(data, dict):
            raise ValueError('%s must be a JSON object' % cls.__name__)
        obj = cls()
        for key, value in data.items():
            field = cls.fields.get(key)
            if field is None:
                # Attributes newer than our objects are kept unparsed by
                # the JSON-typed catch-all, if the type has one.
                continue
            setattr(obj, key, _value_from_dict(field, value))
        return obj

    def to_dict(self):
        result = {}
        for key, field in self.fields.items():
            if self.obj_attr_is_set(key):
                value = getattr(self, key)
                if value is None:
                    # SOL013: an attribute without a value is left out.
                    continue
                result[key] = _value_to_dict(field, value)
        return result

    def obj_get(self, key, default=None):
        return getattr(self, key) if self.obj_attr_is_set(key) else default

    def copy(self):
        return type(self).from_dict(self.to_dict())


def _value_from_dict(field, value):
    if value is None:
        return None
    ftype = field.AUTO_TYPE if hasattr(field, 'AUTO_TYPE') else field._type
    if isinstance(ftype, ovo_fields.Object):
        return get_class(ftype._obj_name).from_dict(value)
    if isinstance(ftype, ovo_fields.List) and isinstance(
            ftype._element_type._type, ovo_fields.Object):
        cls = get_class(ftype._element_type._type._obj_name)
        if not isinstance(value, list):
            raise ValueError('expected a list of %s' % cls.__name__)
        return [cls.from_dict(v) for v in value]
    return value


def _value_to_dict(field, value):
    if value is None:
        return None
    if isinstance(value, SolObject):
        return value.to_dict()
    if isinstance(value, list):
        return [v.to_dict() if isinstance(v, SolObject) else v
                for v in value]
    if isinstance(field, fields.DateTimeField):
        return fields._DateTime.to_api(value)
    return value


class Persistent:
    """A SolObject kept in a table of its own (``db_model``).

    Rows are written by the conductor's postamble and the controllers'
    state changes; every write runs inside the caller's transaction when
    one is given.
    """

    db_model = None
    # Bookkeeping attributes kept in the row but not part of the API body.
    db_only_fields = ()
    # Attribute giving lists their stable order (ties broken by id).
    default_order = 'createdAt'

    @classmethod
    def _column(cls, key):
        return getattr(cls.db_model, _DB_ATTR_ALIASES.get(key, key))

    @classmethod
    def from_db(cls, row):
        obj = cls()
        for key, field in cls.fields.items():
            value = getattr(row, _DB_ATTR_ALIASES.get(key, key), None)
            if value is None:
                # API attributes stay absent, as they were created; our
                # bookkeeping reads as None so that callers can test it.
                if key in cls.db_only_fields and field.nullable:
                    setattr(obj, key, None)
                continue
            setattr(obj, key, _value_from_dict(field, value))
        obj.obj_reset_changes()
        return obj

    def to_db_values(self, changed_only=False):
        values = {}
        keys = (self.obj_what_changed() if changed_only
                else self.fields.keys())
        for key in keys:
            field = self.fields[key]
            if not self.obj_attr_is_set(key):
                continue
            value = getattr(self, key)
            if isinstance(field, fields.DateTimeField):
                value = value.replace(tzinfo=None) if value else value
            else:
                value = _value_to_dict(field, value)
            values[_DB_ATTR_ALIASES.get(key, key)] = value
        return values

    def to_dict(self):
        result = super().to_dict()
        for key in self.db_only_fields:
            result.pop(key, None)
        return result

    def copy(self):
        """A copy that keeps the bookkeeping (owner project included)."""
        clone = super().copy()
        for key in self.db_only_fields:
            if self.obj_attr_is_set(key):
                setattr(clone, key, _value_from_dict(
                    self.fields[key],
                    _value_to_dict(self.fields[key], getattr(self, key))))
        return clone

    def create(self, session):
        session.add(self.db_model(**self.to_db_values()))
        session.flush()
        self.obj_reset_changes()

    def update(self, session, expect=None):
        """UPDATE the changed attributes; ``expect`` guards the row.

        ``expect`` maps attribute names to the values the row must still
        hold; when another writer got there first nothing is written and
        False is returned, so callers detect the race instead of
        overwriting it.
        """
        values = self.to_db_values(changed_only=True)
        query = sa.update(self.db_model).where(self.db_model.id == self.id)
        for key, value in (expect or {}).items():
            column = self._column(key)
            query = query.where(column.is_(None) if value is None
                                else column == value)
        if values:
            result = session.execute(query.values(**values))
        else:
            result = session.execute(
                query.values(id=self.id))
        if result.rowcount != 1:
            return False
        self.obj_reset_changes()
        return True

    def delete(self, session):
        session.execute(sa.delete(self.db_model).where(
            self.db_model.id == self.id))

    # The attribute naming the owning project; reads through get_by_id and
    # get_all see only the caller's rows (see common/project_scope).
    project_attr = None

    @classmethod
    def _scoped(cls, query, context):
        if cls.project_attr is None:
            return query
        where = project_scope.condition(cls._column(cls.project_attr),
                                        context)
        return query if where is None else query.where(where)

    @classmethod
    def get_by_id(cls, context, obj_id, session=None):
        """The object, or None when it does not exist or is not ours."""
        def _get(session):
            query = cls._scoped(sa.select(cls.db_model).where(
                cls.db_model.id == obj_id), context)
            row = session.execute(query).scalars().first()
            return cls.from_db(row) if row is not None else None

        if session is not None:
            return _get(session)
        with db_api.reader(context) as session:
            return _get(session)

    @classmethod
    def get_all(cls, context, session=None, order_by=None, **equals):
        def _query(session):
            query = cls._scoped(sa.select(cls.db_model), context)
            for key, value in equals.items():
                column = cls._column(key)
                if isinstance(value, (list, tuple)):
                    query = query.where(column.in_(value))
                elif value is None:
                    query = query.where(column.is_(None))
                else:
                    query = query.where(column == value)
            order = cls._column(order_by or cls.default_order)
            query = query.order_by(order,
                                   cls.db_model.id)
            return [cls.from_db(row) for row in
                    session.execute(query).scalars()]

        if session is not None:
            return _query(session)
        with db_api.reader(context) as session:
            return _query(session)


def get_or_404(cls, context, obj_id, exc, session=None, **kwargs):
    obj = cls.get_by_id(context, obj_id, session=session)
    if obj is None:
        raise exc(**kwargs)
    return obj


__all__ = ['SolObject', 'Persistent', 'register', 'sol_ex']
