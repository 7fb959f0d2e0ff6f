"""deploy/ checked by the tools that will read it: `systemd-analyze verify` and `nginx -t`.

Both run on copies: the units with /srv/haru pointed at this checkout (verify insists that
ExecStart's program exists) and the site inside a minimal nginx.conf with a throwaway
certificate (nginx -t loads it). `.ci/run` installs nginx-light; systemd-analyze comes
with systemd and works in a container without systemd running (it reads files only).
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"


def _tool(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if not path:
        pytest.skip(f"{name} is not installed (.ci/run installs it)")
    return path


def test_systemd_units_pass_systemd_analyze_verify(tmp_path):
    analyze = _tool("systemd-analyze")
    env_file = tmp_path / "haru.env"
    env_file.write_text((DEPLOY / "haru.env.example").read_text())
    units = []
    for unit in sorted((DEPLOY / "systemd").iterdir()):
        text = unit.read_text().replace("/srv/haru", str(ROOT)).replace("/etc/haru/haru.env", str(env_file))
        (tmp_path / unit.name).write_text(text)
        units.append(str(tmp_path / unit.name))
    assert len(units) >= 7  # six services and the target
    result = subprocess.run([analyze, "verify", *units], capture_output=True, text=True, timeout=60)
    output = (result.stdout + result.stderr).strip()
    # verify exits 0 on unknown keys too, and only prints them: any line about our units fails.
    ours = [line for line in output.splitlines() if "haru" in line]
    assert result.returncode == 0 and not ours, output


def test_systemd_analyze_catches_a_typo(tmp_path):
    """The check above is not vacuous: a misspelt key in a unit is reported."""
    analyze = _tool("systemd-analyze")
    unit = tmp_path / "haru-typo.service"
    unit.write_text("[Service]\nExecStart=/bin/true\nRestrat=always\n")
    result = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert "Restrat" in result.stdout + result.stderr


def _certificate(folder: Path) -> tuple[Path, Path]:
    openssl = _tool("openssl")
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=erp.example.com"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def _nginx_test(nginx: str, tmp_path: Path, site: str) -> subprocess.CompletedProcess:
    cert, key = _certificate(tmp_path)
    site = site.replace("/etc/ssl/haru/fullchain.pem", str(cert)).replace("/etc/ssl/haru/privkey.pem", str(key))
    (tmp_path / "haru.conf").write_text(site)
    (tmp_path / "logs").mkdir()
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/logs/error.log;\n"
        "events {}\n"
        "http {\n"
        f"  access_log {tmp_path}/logs/access.log;\n"
        f"  client_body_temp_path {tmp_path}/body;\n"
        f"  proxy_temp_path {tmp_path}/proxy;\n"
        f"  fastcgi_temp_path {tmp_path}/fastcgi;\n"
        f"  uwsgi_temp_path {tmp_path}/uwsgi;\n"
        f"  scgi_temp_path {tmp_path}/scgi;\n"
        f"  include {tmp_path}/haru.conf;\n"
        "}\n"
    )
    return subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(main)], capture_output=True, text=True, timeout=60
    )


def test_nginx_site_passes_nginx_t(tmp_path):
    nginx = _tool("nginx")
    result = _nginx_test(nginx, tmp_path, (DEPLOY / "nginx/haru.conf").read_text())
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr
    assert "[warn]" not in result.stderr, result.stderr


def test_nginx_t_catches_a_typo(tmp_path):
    nginx = _tool("nginx")
    site = (DEPLOY / "nginx/haru.conf").read_text().replace("proxy_read_timeout 2800ms;", "proxy_read_timeot 2800ms;")
    result = _nginx_test(nginx, tmp_path, site)
    assert result.returncode != 0 and "proxy_read_timeot" in result.stderr
