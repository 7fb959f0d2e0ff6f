"""Schemathesis against the OpenAPI schema: no generated request gets a 5xx.

The schema is generated in-process (drf-spectacular) and the requests go through the WSGI
application with a real API token, inside the test database.
"""

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from erp.wsgi import application

raw = SchemaGenerator().get_schema(request=None, public=True)
schema = schemathesis.openapi.from_dict(raw)
schema.app = application

EXAMPLES_PER_OPERATION = 10


@pytest.fixture
def keep_test_connection():
    """The WSGI app is called directly, so its request signals run; request_finished's
    close_old_connections would close the test database's connection mid-test (PostgreSQL:
    every later query fails). Django's test client disconnects it the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, django_user_model, settings, keep_test_connection):
    from rest_framework.authtoken.models import Token

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    from erp.people.models import Employee, Role

    user = django_user_model.objects.create_user("fuzzer", password="x")
    Employee.objects.create(user=user, display_name="퍼저", role=Role.STAFF)
    return Token.objects.create(user=user).key


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_generated_request_gets_a_5xx(case, token):
    response = case.call(headers={"Authorization": f"Token {token}"})
    assert response.status_code < 500, (case.method, case.formatted_path, response.status_code, response.text[:300])
