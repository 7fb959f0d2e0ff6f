import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_openapi_schema_is_valid_without_warnings(tmp_path):
    """Every module's API is documented; drf-spectacular warnings would also fail check --deploy."""
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/tickets/" in out.read_text()
