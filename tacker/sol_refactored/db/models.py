"""SQLAlchemy models.

Attribute names follow SOL003/SOL005 (camelCase) so that a row maps to its
versioned object without a translation table. Structured attributes are JSON
columns. Columns starting with an underscore-free lower-case name are our
bookkeeping, never shown in the API.
"""
import sqlalchemy as sa
from sqlalchemy import orm

from tacker.sol_refactored.db import types

Json = types.Json
SecretJson = types.SecretJson


class Base(orm.DeclarativeBase):
    pass


def _id():
    return sa.Column(sa.String(36), primary_key=True)


def _project_id():
    # The Keystone project owning the row (NULL: only admins see it).
    # Every non-admin read filters on it, hence the index.
    return sa.Column(sa.String(64), index=True)


class VnfInstance(Base):
    __tablename__ = 'vnf_instances'
    id = _id()
    vnfInstanceName = sa.Column(sa.String(255))
    vnfInstanceDescription = sa.Column(sa.Text)
    vnfdId = sa.Column(sa.String(255), nullable=False)
    vnfProvider = sa.Column(sa.String(255), nullable=False)
    vnfProductName = sa.Column(sa.String(255), nullable=False)
    vnfSoftwareVersion = sa.Column(sa.String(255), nullable=False)
    vnfdVersion = sa.Column(sa.String(255), nullable=False)
    vnfConfigurableProperties = sa.Column(Json)
    vimConnectionInfo = sa.Column(SecretJson)
    instantiationState = sa.Column(sa.String(32), nullable=False)
    instantiatedVnfInfo = sa.Column(Json)
    metadata_ = sa.Column('metadata', Json)
    extensions = sa.Column(Json)
    # The LCM operation that holds this instance, if any. Set and cleared
    # with conditional UPDATEs, so the database decides who may start an
    # operation, whatever the number of servers and conductors.
    busyLcmOpOccId = sa.Column(sa.String(36))
    createdAt = sa.Column(sa.DateTime, nullable=False)
    projectId = _project_id()


class VnfLcmOpOcc(Base):
    __tablename__ = 'vnf_lcm_op_occs'
    id = _id()
    operationState = sa.Column(sa.String(32), nullable=False)
    stateEnteredTime = sa.Column(sa.DateTime, nullable=False)
    startTime = sa.Column(sa.DateTime, nullable=False)
    vnfInstanceId = sa.Column(sa.String(36), nullable=False, index=True)
    grantId = sa.Column(sa.String(36))
    operation = sa.Column(sa.String(32), nullable=False)
    isAutomaticInvocation = sa.Column(sa.Boolean, nullable=False)
    operationParams = sa.Column(SecretJson)
    isCancelPending = sa.Column(sa.Boolean, nullable=False)
    cancelMode = sa.Column(sa.String(32))
    error = sa.Column(Json)
    resourceChanges = sa.Column(Json)
    changedInfo = sa.Column(Json)
    changedExtConnectivity = sa.Column(Json)
    # Bookkeeping of the step runner: which steps are done and what they
    # left for later steps; lets any conductor retry or roll back.
    stepRecord = sa.Column(SecretJson)
    # The conductor running the operation now (PROCESSING/ROLLING_BACK).
    ownerConductorId = sa.Column(sa.String(36), index=True)
    requestId = sa.Column(sa.String(64))
    projectId = _project_id()


class LccnSubscription(Base):
    __tablename__ = 'lccn_subscriptions'
    id = _id()
    filter = sa.Column(Json)
    callbackUri = sa.Column(sa.String(2048), nullable=False)
    # Secrets of the callback (BASIC password, OAuth2 client secret): kept
    # for delivery, never returned by the API.
    authentication = sa.Column(SecretJson)
    verbosity = sa.Column(sa.String(16), nullable=False)
    createdAt = sa.Column(sa.DateTime, nullable=False)
    projectId = _project_id()


class VnfPackage(Base):
    __tablename__ = 'vnf_packages'
    id = _id()
    vnfdId = sa.Column(sa.String(255), unique=True)
    vnfProvider = sa.Column(sa.String(255))
    vnfProductName = sa.Column(sa.String(255))
    vnfSoftwareVersion = sa.Column(sa.String(255))
    vnfdVersion = sa.Column(sa.String(255))
    checksum = sa.Column(Json)
    packageSecurityOption = sa.Column(sa.String(32))
    signingCertificate = sa.Column(sa.Text)
    softwareImages = sa.Column(Json)
    additionalArtifacts = sa.Column(Json)
    onboardingState = sa.Column(sa.String(32), nullable=False)
    operationalState = sa.Column(sa.String(32), nullable=False)
    usageState = sa.Column(sa.String(32), nullable=False)
    userDefinedData = sa.Column(Json)
    # What went wrong in the last upload, for an operator to read.
    onboardingFailureDetails = sa.Column(Json)
    # Flavours and VIM types the VNFD declares, read once at upload.
    vnfdSummary = sa.Column(Json)
    createdAt = sa.Column(sa.DateTime, nullable=False)
    projectId = _project_id()


class Conductor(Base):
    __tablename__ = 'conductors'
    id = _id()
    host = sa.Column(sa.String(255), nullable=False)
    startedAt = sa.Column(sa.DateTime, nullable=False)
    heartbeatAt = sa.Column(sa.DateTime, nullable=False, index=True)
